//! Synthetic inspection rounds for the benchmarks (`bench/run.sh`, BENCHMARKS.md).
//!
//! ```sh
//! cargo run --release --example gen_round -- N DIR [SEED]
//! ```
//!
//! writes `DIR/round.yaml` (a round manifest: `round`, `deadlines`, `units: [units/*.yaml]`) and N unit
//! files `DIR/units/unit-00001.yaml` … modelled on `fixtures/`: 3–5 finding categories, 2–6 problems
//! each, 1–4 measures each, with realistic Chinese wording drawn from word lists, every unit valid for all
//! three documents (plan, speech, report) and with its own `org` (so its own output folder). The same N and
//! SEED always give the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// SplitMix64: small, deterministic, good enough to vary word choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

const ORGS: &[&str] = &[
    "教育体育局",
    "卫生健康局",
    "公安局",
    "财政局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "行政审批局",
    "信访局",
    "司法局",
    "发展和改革局",
    "工业和信息化局",
    "科学技术局",
    "城市管理局",
    "乡村振兴局",
    "机关事务服务中心",
    "融媒体中心",
    "供销合作社联合社",
    "人民医院",
    "中医医院",
    "疾病预防控制中心",
    "第一中学",
    "职业技术学校",
    "城市建设投资有限公司",
    "国有资产运营公司",
    "自来水公司",
];

const TOWNS: &[&str] = &[
    "城关镇",
    "青石镇",
    "柳河镇",
    "东坪镇",
    "白沙镇",
    "双河镇",
    "新华镇",
    "石门镇",
    "龙泉镇",
    "桃源乡",
    "红星乡",
    "永安镇",
    "大坪乡",
    "三江镇",
    "长岭镇",
    "清水镇",
    "南山乡",
    "北川镇",
    "金桥镇",
    "高峰乡",
    "平安镇",
    "和平乡",
    "凤凰镇",
    "马鞍镇",
    "黄土镇",
    "太平镇",
    "杨柳乡",
    "梅花镇",
    "兴隆镇",
    "丰收乡",
    "河口镇",
    "沙坪镇",
    "茶园乡",
    "竹林镇",
    "石桥镇",
    "团结乡",
    "光明镇",
    "向阳乡",
    "曙光镇",
    "新民镇",
    "花园镇",
    "长春乡",
    "安乐镇",
    "福田镇",
    "宝山乡",
    "鹤鸣镇",
    "官渡镇",
    "水口镇",
    "江口乡",
    "云台镇",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];

const GIVEN: &[&str] = &[
    "建国", "立新", "海", "敏", "静", "磊", "洁", "芳", "涛", "亮", "伟", "强", "军", "平", "红",
    "明", "华", "丽", "勇", "志刚", "国庆", "春梅", "晓东", "文斌", "玉兰", "德胜", "小龙", "卫东",
    "秀英", "俊杰",
];

const DEPARTMENTS: &[&str] = &[
    "办公室",
    "组织人事股",
    "财务审计股",
    "政策法规股",
    "党建办",
    "纪检组",
    "综合业务股",
    "规划发展股",
    "安全监管股",
    "机关党委",
    "宣传股",
    "行政审批股",
    "督查室",
    "信息中心",
    "后勤保障股",
];

/// Category, speech heading, optional remarks.
const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "党的领导",
        "要坚持和加强党的全面领导",
        "要认真检视反思，对症下药，切实把问题解决好。主要负责同志要负主要责任，带好班子、管好队伍，其他班子成员要自觉接受党组织领导，讲规矩、守纪律，加强沟通协调，搞好团结协作。",
    ),
    (
        "党中央决策部署在基层落实情况",
        "要不折不扣落实党中央决策部署",
        "",
    ),
    (
        "党的建设",
        "要着力涵养良好的政治生态",
        "必须坚持以党的政治建设为统领，把营造良好政治生态作为一项长期任务、基础工作，锲而不舍、长抓不懈。",
    ),
    (
        "全面从严治党",
        "要落实全面从严治党总要求",
        "要落实全面从严治党主体责任，把领班子、带队伍体现在日常管理监督中，全面管思想、管工作、管作风、管纪律。",
    ),
    (
        "群众身边不正之风和腐败问题",
        "要坚决纠治群众身边不正之风",
        "",
    ),
    ("基层党组织和党员队伍建设", "要全面加强基层党组织建设", ""),
    (
        "巡察整改和成果运用情况",
        "要切实抓好上轮巡察整改",
        "要对上轮巡察反馈问题逐项“回头看”，举一反三、标本兼治，防止问题反弹回潮。",
    ),
    ("选人用人和干部队伍建设", "要持续加强干部队伍建设", ""),
];

/// Problem title, its detail.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "政治理论学习被动应付，入脑入心不够",
        "党委理论学习中心组2025年集中学习仅4次，学习以读文件为主，研讨交流流于形式。",
    ),
    (
        "政治纪律、规矩意识有待加强",
        "个别班子成员执行请示报告制度不严格，重大事项报告不及时。",
    ),
    (
        "以人民为中心的思想树得不牢",
        "群众反映强烈的办事排队时间长问题长期未解决，窗口服务投诉较多。",
    ),
    (
        "基层党组织“三会一课”制度落实不到位",
        "抽查的6个基层党支部中，有3个支部党员大会未按季度召开，会议记录不规范。",
    ),
    (
        "对干部队伍严格教育管理不够",
        "2025年以来干部职工违反工作纪律问题4起，警示教育针对性不强。",
    ),
    (
        "资金使用、财务管理不规范",
        "部分经费报销手续不全，公务接待清单填写不规范，存在超标准接待现象。",
    ),
    (
        "落实意识形态工作责任制不到位",
        "意识形态工作专题研究每年不足2次，阵地管理存在薄弱环节。",
    ),
    (
        "重大决策部署落实不够有力",
        "年度重点任务推进缓慢，3项重点工作未按时间节点完成。",
    ),
    (
        "落实中央八项规定精神不够严格",
        "公务用车管理不规范，存在节假日未按规定封存车辆的情况。",
    ),
    (
        "选人用人工作不够规范",
        "干部选拔任用动议环节记录不全，个别干部档案材料缺失。",
    ),
    (
        "上轮巡察反馈问题整改不彻底",
        "上轮巡察反馈的12个问题中，有3个问题整改措施未落实到位。",
    ),
    (
        "内部控制制度不健全",
        "政府采购、合同管理等制度多年未修订，与现行规定不衔接。",
    ),
    (
        "形式主义、官僚主义问题仍然存在",
        "文件会议偏多，部分工作重留痕轻实效，基层负担较重。",
    ),
    (
        "廉政风险防控机制不健全",
        "对重点岗位、关键环节的廉政风险排查不全面，防控措施针对性不强。",
    ),
    (
        "党风廉政建设主体责任压得不实",
        "党委研究党风廉政建设工作次数偏少，约谈提醒开展不经常。",
    ),
];

const ACTIONS: &[&str] = &[
    "制定党委理论学习中心组年度学习计划，每月至少开展1次集中学习、每季度开展1次专题研讨",
    "将理论学习情况纳入班子成员年度述职述廉内容，实行学习情况季度通报",
    "开展请示报告制度专题学习，逐人签订遵守政治纪律和政治规矩承诺书",
    "推行业务“一窗通办”和预约服务，公布办理时限并接受群众监督",
    "对全部基层党支部“三会一课”落实情况开展专项检查，建立支部工作季度考评制度",
    "开展队伍纪律作风专项整顿，用身边案例开展警示教育",
    "对2024年以来经费支出逐笔核查，修订财务报销和公务接待管理制度",
    "修订意识形态工作责任制实施细则，每半年专题研究一次意识形态工作",
    "建立重点任务台账，实行清单化管理、项目化推进，每月调度一次",
    "开展公务用车专项清理，严格执行节假日封存制度",
    "规范干部选拔任用全过程纪实，逐人核查干部人事档案",
    "对上轮巡察反馈问题逐项“回头看”，未完成的重新制定整改措施",
    "全面梳理内部控制制度，废止过时制度，修订完善采购、合同管理办法",
    "精简文件会议，建立基层减负监测点，定期听取基层意见",
    "开展廉政风险点排查，建立重点岗位廉政风险防控清单",
    "落实党风廉政建设约谈提醒制度，班子成员每半年对分管领域开展一次谈话",
];

const PROGRESS: &[&str] = &[
    "已印发工作方案，按计划推进，阶段性任务已完成。",
    "已完成专项检查，印发相关制度文件。",
    "已召开专题会议部署，正在逐项推进落实。",
    "已建立工作台账，实行挂图作战、对账销号。",
    "已开展集中整治，发现的问题已全部整改到位。",
];

const TYPES: &[&str] = &["立行立改", "限期整改", "长期坚持"];
const STATUSES: &[&str] = &["未启动", "正在推进", "已完成"];

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// A distinct `org` for every index: county departments first, then township offices, then numbered.
fn org_name(index: usize) -> String {
    let per_round = ORGS.len();
    let base = if index < per_round {
        format!("县{}", ORGS[index])
    } else {
        let town = TOWNS[(index / per_round - 1) % TOWNS.len()];
        format!("{town}{}", ORGS[index % per_round])
    };
    let lap = index / (per_round * (TOWNS.len() + 1));
    if lap == 0 {
        base
    } else {
        format!("{base}{}", lap + 1)
    }
}

fn unit_yaml(index: usize, rng: &mut Rng) -> String {
    let org = org_name(index);
    let secretary = person(rng);
    let deputy = person(rng);
    let mut y = String::with_capacity(8 * 1024);
    let _ = writeln!(
        y,
        "# 合成数据（examples/gen_round.rs）：第{}个单位",
        index + 1
    );
    let _ = writeln!(y, "unit:");
    let _ = writeln!(y, "  name: {}", q(&format!("中共青山县{org}委员会")));
    let _ = writeln!(y, "  short: {}", q(&format!("{org}党委")));
    let _ = writeln!(y, "  org: {}", q(&org));
    let _ = writeln!(y, "  secretary: {}", q(&secretary));
    let _ = writeln!(y, "\nfindings:");
    let categories = rng.range(3, 5);
    let first = rng.range(0, CATEGORIES.len() - 1);
    let mut members = Vec::new();
    for c in 0..categories {
        let (category, heading, remarks) = CATEGORIES[(first + c) % CATEGORIES.len()];
        let _ = writeln!(y, "  - category: {}", q(category));
        let _ = writeln!(y, "    heading: {}", q(heading));
        if !remarks.is_empty() {
            let _ = writeln!(y, "    remarks: {}", q(remarks));
        }
        let _ = writeln!(y, "    problems:");
        for _ in 0..rng.range(2, 6) {
            let (title, detail) = rng.pick(PROBLEMS);
            let _ = writeln!(y, "      - title: {}", q(title));
            let _ = writeln!(y, "        detail: {}", q(detail));
            if rng.range(0, 9) == 0 {
                let _ = writeln!(y, "        public: false");
            }
            let _ = writeln!(y, "        measures:");
            for _ in 0..rng.range(1, 4) {
                let kind = *rng.pick(TYPES);
                let owner = person(rng);
                let department = rng.pick(DEPARTMENTS);
                members.push(format!("{owner}（{department}负责人）"));
                let _ = writeln!(y, "          - action: {}", q(rng.pick::<&str>(ACTIONS)));
                let _ = writeln!(y, "            type: {kind}");
                let lead = if rng.range(0, 1) == 0 {
                    &secretary
                } else {
                    &deputy
                };
                let _ = writeln!(y, "            lead: {}", q(lead));
                let _ = writeln!(y, "            department: {}", q(department));
                let _ = writeln!(y, "            owner: {}", q(&owner));
                if kind == "长期坚持" {
                    let _ = writeln!(y, "            due: 长期坚持");
                    let _ = writeln!(y, "            status: 长期坚持");
                } else {
                    let _ = writeln!(
                        y,
                        "            due: 2026-{:02}-{:02}",
                        rng.range(7, 12),
                        rng.range(1, 28)
                    );
                    let status = *rng.pick(STATUSES);
                    let _ = writeln!(y, "            status: {status}");
                    if status != "未启动" {
                        let _ =
                            writeln!(y, "            progress: {}", q(rng.pick::<&str>(PROGRESS)));
                    }
                }
            }
        }
    }
    members.sort();
    members.dedup();
    members.truncate(6);
    let _ = writeln!(y, "\nplan:");
    let _ = writeln!(y, "  date: 2026-06-{:02}", rng.range(22, 30));
    let _ = writeln!(y, "  recipient: 县委巡察工作领导小组");
    let _ = writeln!(y, "  leading_group:");
    let _ = writeln!(y, "    leader: {}", q(&format!("{secretary}（党委书记）")));
    let _ = writeln!(y, "    deputies: [{}]", q(&format!("{deputy}（党委委员）")));
    let quoted: Vec<String> = members.iter().map(|m| q(m)).collect();
    let _ = writeln!(y, "    members: [{}]", quoted.join(", "));
    let _ = writeln!(y, "    office: 办公室");
    let _ = writeln!(y, "    office_director: {}", q(&person(rng)));
    let _ = writeln!(y, "\nreport:");
    let _ = writeln!(y, "  date: 2026-09-{:02}", rng.range(8, 20));
    let _ = writeln!(y, "  as_of: 2026-09-05");
    let _ = writeln!(y, "  recipient: 县委巡察工作领导小组");
    let _ = writeln!(y, "  stats:");
    let _ = writeln!(y, "    rules: {}", rng.range(0, 8));
    let _ = writeln!(y, "    disciplined: {}", rng.range(0, 3));
    let _ = writeln!(y, "    org_handled: {}", rng.range(0, 3));
    let _ = writeln!(y, "    admonished: {}", rng.range(0, 5));
    let _ = writeln!(
        y,
        "    funds_recovered: {}.{}",
        rng.range(0, 30),
        rng.range(0, 9)
    );
    let _ = writeln!(y, "  next_steps:");
    let _ = writeln!(
        y,
        "    - 对正在推进的整改事项实行挂图作战，逐项对账销号，确保按期完成。"
    );
    let _ = writeln!(
        y,
        "    - 对长期坚持的整改事项建立定期督查机制，防止问题反弹回潮。"
    );
    y
}

const MANIFEST: &str = "# 合成的轮次清单（examples/gen_round.rs）
round:
  committee: 中共青山县委
  name: 青山县委第五轮巡察
  group: 县委第二巡察组
  group_leader: 周明
  office: 县委巡察办
  focus: 四个聚焦
  start: 2026-03-02
  end: 2026-04-30
  feedback_date: 2026-06-10
  clues: 3
  briefing:
    date: 2026-05-26
    body: 县委书记专题会
    secretary: 刘书记
    instructions: 要把巡察整改作为检验“四个意识”的试金石，以整改实效推动高质量发展

deadlines:
  plan_workdays: 15
  meeting_months: 1
  report_months: 3

units:
  - units/*.yaml
";

fn generate(count: usize, dir: &Path, seed: u64) -> std::io::Result<()> {
    let units = dir.join("units");
    std::fs::create_dir_all(&units)?;
    std::fs::write(dir.join("round.yaml"), MANIFEST)?;
    for index in 0..count {
        // One stream per unit: unit k is the same whatever N is.
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let file: PathBuf = units.join(format!("unit-{:05}.yaml", index + 1));
        std::fs::write(file, unit_yaml(index, &mut rng))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "用法：cargo run --release --example gen_round -- N DIR [SEED]";
    let (Some(count), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2026);
    match generate(count, Path::new(dir), seed) {
        Ok(()) => {
            println!("已生成 {dir}/round.yaml 和 {count} 个单位文件");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("无法写入 {dir}：{error}");
            ExitCode::from(2)
        }
    }
}
