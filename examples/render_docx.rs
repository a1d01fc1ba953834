//! Renders a 公文 Markdown file to DOCX: `cargo run --example render_docx -- IN.md OUT.docx [STYLE]`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        return Err("usage: render_docx IN.md OUT.docx [STYLE]".into());
    };
    let style = match args.get(3) {
        Some(arg) => zhenggai::docx::StyleProfile::from_arg(arg).map_err(|d| format!("{d:?}"))?,
        None => zhenggai::docx::StyleProfile::default(),
    };
    let markdown = std::fs::read_to_string(input)?;
    std::fs::write(output, zhenggai::docx::write_docx(&markdown, &style)?)?;
    Ok(())
}
