//! Raw bytes → the whole pipeline: decode, parse, read, validate for every document, derive the
//! context, render every built-in template, parse the Markdown back, write the DOCX. Any panic, and any
//! rendered document that is not a complete render, is a finding.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhenggai::docx::{StyleProfile, write_docx};
use zhenggai::input::{self, read::FileContent};
use zhenggai::model::Document;
use zhenggai::templates::Engine;
use zhenggai::{context, markdown};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(None).expect("the built-in templates compile"))
}

fuzz_target!(|data: &[u8]| {
    let (content, diagnostics) = input::read_bytes(Path::new("fuzz.yaml"), data);
    for diagnostic in &diagnostics {
        // Every message is shown to a person: it must format, and say something.
        assert!(!diagnostic.to_string().is_empty());
        assert!(!diagnostic.message.is_empty());
    }
    let Some(FileContent::Unit(unit)) = content else {
        return;
    };
    let valid = !zhenggai::diagnostics::has_errors(&input::validate(&unit, &Document::ALL));
    let built = context::build(&unit);
    let style = StyleProfile::default();
    for doc in Document::ALL {
        // A unit that passed validation must render; one that did not is never rendered by the tool,
        // but must not panic either. Markdown that renders must parse and convert.
        let markdown = match engine().render(doc, &built.context) {
            Ok(markdown) => markdown,
            Err(error) if valid => panic!("a valid unit does not render {doc}: {error}"),
            Err(_) => continue,
        };
        for _event in pulldown_cmark::Parser::new_ext(&markdown, markdown::options()) {}
        let _ = write_docx(&markdown, &style);
    }
});
