//! The command line: clap definitions, and their conversion into the library's own options. Nothing
//! outside this file and `main.rs` sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use zhenggai::batch::Format;
use zhenggai::model::Document;

#[derive(Debug, Parser)]
#[command(
    name = "zhenggai",
    version,
    about = "巡察整改文书生成工具：由 YAML 数据生成整改工作方案、反馈会讲话、整改进展情况报告（DOCX 按 GB/T 9704-2012 排版，或 Markdown）",
    long_about = None,
    after_help = "示例：\n  zhenggai init 我的整改                       生成带注释的示例数据\n  zhenggai check 我的整改/round.yaml           检查数据，列出全部问题\n  zhenggai render 我的整改/round.yaml          生成本轮全部单位的文书到 out/\n  zhenggai render 县公安局.yaml -d plan -f md  只生成整改工作方案的 Markdown\n\n退出码：0 全部成功；1 部分单位失败（其余已生成）；2 无法执行（参数、模板或输出目录有误）"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成文书：可给单位文件、轮次清单或文件夹，每个单位各出一套
    Render(RenderArgs),
    /// 只检查数据，不生成文件：一次列出全部问题及其位置
    Check(CheckArgs),
    /// 在 DIR 中生成带中文注释的示例单位文件和轮次清单，照着填写即可
    Init {
        /// 目标文件夹（默认当前文件夹）
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// 模板管理
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// 把内置模板写到 DIR，修改后用 render -t DIR 使用
    Export {
        /// 目标文件夹
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DocArg {
    /// 整改工作方案
    Plan,
    /// 反馈会讲话
    Speech,
    /// 整改进展情况报告
    Report,
    /// 全部三种
    All,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Word 文档（GB/T 9704-2012 版式）
    Docx,
    /// 公文 Markdown
    Md,
    /// 两种都要
    All,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// 单位文件、轮次清单（写了 units 的文件）或文件夹，可给多个
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// 生成哪种文书，可用逗号分隔多个
    #[arg(short, long, value_enum, value_delimiter = ',', default_value = "all")]
    pub doc: Vec<DocArg>,
    /// 输出格式
    #[arg(short, long, value_enum, default_value = "docx")]
    pub format: FormatArg,
    /// 输出文件夹；每个单位一个子文件夹（以单位名称命名）
    #[arg(short, long, default_value = "out")]
    pub out: PathBuf,
    /// 自定义模板文件夹：其中的同名文件（plan.md、speech.md、report.md …）替换内置模板
    #[arg(short, long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// 版式：gbt9704（默认，标准字体）、windows（Windows 自带的仿宋/楷体/黑体），或一个版式 YAML 文件
    #[arg(
        short,
        long,
        value_name = "gbt9704|windows|FILE",
        default_value = "gbt9704"
    )]
    pub style: String,
    /// 同时处理的单位数（默认为 CPU 核数）
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// 在标准输出打印 JSON 格式的汇总（不显示进度条）
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 单位文件、轮次清单或文件夹，可给多个
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// 按哪种文书的要求检查，可用逗号分隔多个
    #[arg(short, long, value_enum, value_delimiter = ',', default_value = "all")]
    pub doc: Vec<DocArg>,
}

pub fn documents(args: &[DocArg]) -> Vec<Document> {
    let mut docs: Vec<Document> = args
        .iter()
        .flat_map(|arg| match arg {
            DocArg::Plan => vec![Document::Plan],
            DocArg::Speech => vec![Document::Speech],
            DocArg::Report => vec![Document::Report],
            DocArg::All => Document::ALL.to_vec(),
        })
        .collect();
    docs.sort();
    docs.dedup();
    docs
}

pub fn formats(arg: FormatArg) -> Vec<Format> {
    match arg {
        FormatArg::Docx => vec![Format::Docx],
        FormatArg::Md => vec![Format::Markdown],
        FormatArg::All => vec![Format::Docx, Format::Markdown],
    }
}
