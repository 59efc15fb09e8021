//! A generator of task lists in the text form the importer reads: parts,
//! items and rows of numbered measures with dated, relative and recurring
//! time limits, lead and responsible units (collective names and merged
//! cells included), in the wording such lists use. It feeds the benchmark
//! (a plan of 2,000 rows for 100 units) and the demo when the real list is
//! not on the machine. Deterministic for a seed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PARTS: &[&str] = &[
    "紧扣“十四五”开好局起好步深化政务公开",
    "围绕常态化疫情防控和经济社会发展深化政务公开",
    "聚焦政策解读回应关切提升政务公开质效",
    "加强平台建设夯实政务公开基础",
    "强化组织保障推动政务公开任务落实",
    "推进基层政务公开标准化规范化",
];

const ITEMS: &[&str] = &[
    "做好各类规划主动公开",
    "加大财政信息公开力度",
    "深化重点领域信息公开",
    "做好政策解读工作",
    "积极回应社会关切",
    "加强政府网站和政务新媒体建设",
    "规范依申请公开办理",
    "推进决策公开",
    "做好政务公开专区建设",
    "狠抓任务落实",
];

const VERBS: &[&str] = &["公开", "及时发布", "动态更新", "集中公开", "梳理并公开", "全面公开"];
const OBJECTS: &[&str] = &[
    "本部门“十四五”重点专项规划全文",
    "年度部门预算和决算",
    "惠民惠农财政补贴资金发放情况",
    "重大建设项目批准和实施信息",
    "行政规范性文件及其解读材料",
    "政府信息公开工作年度报告",
    "公共资源配置领域信息",
    "义务教育招生入学政策",
    "社会救助和养老服务政策",
    "安全生产和应急管理信息",
    "生态环境监测和执法信息",
    "政策咨询问答库内容",
    "政务服务事项办事指南",
];
const TAILS: &[&str] = &[
    "，确保内容准确、更新及时",
    "，并在政府网站专栏集中展示",
    "，接受社会监督",
    "，做到应公开尽公开",
    "",
];
const LIMITS: &[&str] = &[
    "2021年6月底前完成",
    "于2021年5月31日前完成",
    "2021年10月底前完成",
    "2021年12月31日前完成",
    "收到申请后5个工作日内办结",
    "印发后3个月内公开",
    "每年至少开展1次",
    "每年开展政策解读不少于4次，其中，有关负责同志带头开展政策解读应不少于2次",
];
const GROUPS: &[&str] = &["各乡镇（街道）", "县政府各部门", "县政府有关部门"];

/// The names of `n` made-up departments (`县第1局` …), for large plans.
pub fn unit_names(n: usize) -> Vec<String> {
    const KINDS: &[&str] = &["局", "委", "办", "中心"];
    (0..n).map(|i| format!("县第{}{}", i + 1, KINDS[i % KINDS.len()])).collect()
}

/// A task list with `rows` rows over the given units, in the text form.
pub fn plan_text(title: &str, rows: usize, units: &[String], seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = format!(
        "巫山县人民政府办公室\n关于印发{title}的通知\n巫山府办发〔2021〕99号\n\n{title}\n\n\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n"
    );
    let parts = PARTS.len().min(rows.max(1));
    let per_part = rows.div_ceil(parts);
    let mut made = 0;
    for (p, part) in PARTS.iter().take(parts).enumerate() {
        let items = (per_part / 8).clamp(1, ITEMS.len());
        let per_item = per_part.div_ceil(items);
        for i in 0..items {
            for r in 0..per_item {
                if made == rows {
                    return out;
                }
                made += 1;
                let part_cell = if i == 0 && r == 0 {
                    format!("{}、{}", gongkai_domain::tasks::cn_numeral(p as u32 + 1), part)
                } else {
                    String::new()
                };
                let item_cell = if r == 0 {
                    format!(
                        "（{}）{}。",
                        gongkai_domain::tasks::cn_numeral(i as u32 + 1),
                        ITEMS[(p * 3 + i) % ITEMS.len()]
                    )
                } else {
                    String::new()
                };
                let measures = rng.random_range(1..=3);
                let mut cell = Vec::new();
                for m in 0..measures {
                    let text = format!(
                        "{}{}{}，{}。",
                        VERBS[rng.random_range(0..VERBS.len())],
                        OBJECTS[rng.random_range(0..OBJECTS.len())],
                        TAILS[rng.random_range(0..TAILS.len())],
                        LIMITS[rng.random_range(0..LIMITS.len())]
                    );
                    cell.push(if measures > 1 { format!("{}．{text}", m + 1) } else { text });
                }
                // A merged lead cell now and then (never on an item's first row).
                let merged = r > 0 && rng.random_bool(0.15);
                let lead = if merged {
                    String::new()
                } else {
                    units[rng.random_range(0..units.len())].clone()
                };
                let responsible = if merged {
                    String::new()
                } else if rng.random_bool(0.2) {
                    GROUPS[rng.random_range(0..GROUPS.len())].to_owned()
                } else {
                    let k = rng.random_range(0..=3);
                    let mut names: Vec<&str> = (0..k).map(|_| units[rng.random_range(0..units.len())].as_str()).collect();
                    names.dedup();
                    names.join("、")
                };
                out.push_str(&format!("\t{part_cell}\n\t{item_cell}\n"));
                let mut lines = cell.into_iter();
                out.push('\t');
                out.push_str(&lines.next().unwrap_or_default());
                out.push('\n');
                for l in lines {
                    out.push_str(&l);
                    out.push('\n');
                }
                out.push_str(&format!("\t{lead}\n\t{responsible}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_lists_parse_to_the_rows_asked_for() {
        let units = unit_names(100);
        let text = plan_text("测试任务清单", 2000, &units, 7);
        let plan = gongkai_domain::tasks::parse_plan(&text, 2021).unwrap();
        assert_eq!(plan.task_count(), 2000);
        assert!(plan.parts.len() >= 5);
        assert_eq!(plan.doc_number.as_deref(), Some("巫山府办发〔2021〕99号"));
        assert!(plan.tasks().any(|t| t.lead_inherited));
        assert!(plan.tasks().flat_map(|t| &t.deadlines).any(|d| d.date().is_some()));
        assert!(plan.unit_names().len() > 50);
        let small = plan_text("测试任务清单", 12, &units[..5], 1);
        assert_eq!(gongkai_domain::tasks::parse_plan(&small, 2021).unwrap().task_count(), 12);
        assert_eq!(small, plan_text("测试任务清单", 12, &units[..5], 1), "deterministic");
    }
}
