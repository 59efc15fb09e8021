//! Tests of `gongkai_domain::tasks`: the seed document (巫山府办发〔2021〕48号)
//! when it is present, small synthetic tables for each rule, and proptests
//! that nothing panics.

use chrono::NaiveDate;
use gongkai_domain::tasks::*;
use proptest::prelude::*;

const SEED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/000_fffd36a955ce654e.txt");

fn seed() -> Option<String> {
    match std::fs::read_to_string(SEED_PATH) {
        Ok(text) => Some(text),
        Err(_) => {
            println!("skip: seed document {SEED_PATH} not found");
            None
        }
    }
}

fn seed_plan() -> Option<Plan> {
    seed().map(|text| parse_plan(&text, 2021).expect("the seed parses"))
}

fn unit(name: &str) -> UnitRef {
    UnitRef::Unit(name.to_owned())
}

fn group(g: CollectiveGroup) -> UnitRef {
    UnitRef::Group(g)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn numbers(task: &TaskRow) -> Vec<Option<&str>> {
    task.measures.iter().map(|m| m.number.as_deref()).collect()
}

/// A document with the header and the given rows; `\n` inside a cell makes
/// continuation lines (without a tab), as in the seed.
fn doc(rows: &[[&str; 5]]) -> String {
    let mut out = String::from("某县任务清单\n\n\t工作任务\n\t贯    彻    举    措\n\t牵头单位\n\t责任单位\n\n");
    for row in rows {
        for cell in row {
            out.push('\t');
            out.push_str(cell);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------- the seed

#[test]
fn seed_title_and_number() {
    let Some(plan) = seed_plan() else { return };
    assert_eq!(plan.title, "贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县任务清单");
    assert_eq!(plan.doc_number.as_deref(), Some("巫山府办发〔2021〕48号"));
    assert_eq!(
        plan.notice_title.as_deref(),
        Some("关于印发贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县责任清单的通知")
    );
}

#[test]
fn seed_has_five_parts_without_page_break_duplicates() {
    let Some(plan) = seed_plan() else { return };
    let parts: Vec<(u32, &str)> = plan.parts.iter().map(|p| (p.ordinal, p.title.as_str())).collect();
    assert_eq!(
        parts,
        vec![
            (1, "紧扣“十四五”开好局起好步深化政务公开"),
            (2, "紧扣宏观政策落地见效深化政务公开"),
            (3, "紧扣强基础抓基层深化政务公开"),
            (4, "紧扣政府信息公开条例实施深化政务公开"),
            (5, "紧扣抓保障促落实深化政务公开"),
        ]
    );
    // The part heading of 一 appears at lines 39 and 71; the part starts at 39.
    assert_eq!(plan.parts[0].line, 39);
    // Items repeated after a page break are not duplicated either.
    for part in &plan.parts {
        let ordinals: Vec<u32> = part.items.iter().map(|i| i.ordinal).collect();
        let expected: Vec<u32> = (1..=part.items.len() as u32).collect();
        assert_eq!(ordinals, expected, "part {}", part.ordinal);
    }
}

#[test]
fn seed_items_per_part() {
    let Some(plan) = seed_plan() else { return };
    let counts: Vec<usize> = plan.parts.iter().map(|p| p.items.len()).collect();
    assert_eq!(counts, vec![4, 3, 3, 3, 2]);
    let titles: Vec<&str> = plan.parts[0].items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "做好各类规划主动公开",
            "做好市场规则标准和监管执法信息公开",
            "做好财政信息公开",
            "做好常态化疫情防控信息公开"
        ]
    );
    let titles: Vec<&str> = plan.parts[4].items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, vec!["加强工作指导", "狠抓任务落实"]);
    let tasks_per_item: Vec<Vec<usize>> = plan.parts.iter().map(|p| p.items.iter().map(|i| i.tasks.len()).collect()).collect();
    assert_eq!(
        tasks_per_item,
        vec![vec![3, 2, 1, 3], vec![1, 3, 10], vec![3, 3, 2], vec![2, 1, 8], vec![1, 2]]
    );
    assert_eq!(plan.item_count(), 15);
    assert_eq!(plan.task_count(), 45);
    assert_eq!(plan.measure_count(), 105);
}

#[test]
fn seed_misnumbered_repeat_is_merged_with_one_warning() {
    let Some(plan) = seed_plan() else { return };
    // `（三）狠抓任务落实` on line 416 repeats `（二）狠抓任务落实` after a page break;
    // its measures go on from 3.
    assert_eq!(plan.warnings.len(), 1);
    let w = &plan.warnings[0];
    assert_eq!((w.line, w.kind), (416, WarningKind::RepeatedHeadingOrdinal));
    assert!(w.message.contains("（三）狠抓任务落实"), "{}", w.message);
    let item = &plan.parts[4].items[1];
    assert_eq!((item.ordinal, item.line), (2, 408));
    assert_eq!(numbers(&item.tasks[0]), vec![Some("1"), Some("2")]);
    assert_eq!(numbers(&item.tasks[1]), vec![Some("3"), Some("4"), Some("5"), Some("6"), Some("7")]);
}

#[test]
fn seed_lead_and_responsible_units() {
    let Some(plan) = seed_plan() else { return };
    let first = &plan.parts[0].items[0].tasks[0];
    assert_eq!(first.lead_units, vec![unit("县发展改革委")]);
    assert_eq!(first.responsible_units, vec![group(CollectiveGroup::RelevantDepartments)]);
    assert_eq!(numbers(first), vec![Some("1"), Some("2")]);
    assert_eq!(first.measures[1].text, "公开我县“十四五”重点专项规划。");

    let t = plan.find_task("公开全国统一的《市场准入负面清单（2020年版）》").unwrap();
    assert_eq!(t.lead_units, vec![unit("县发展改革委")]);
    assert_eq!(t.responsible_units, vec![]);
    assert!(!t.lead_inherited && !t.responsible_inherited);

    let t = plan.find_task("提高新冠肺炎疫情防控信息发布规范化水平").unwrap();
    assert_eq!(t.lead_units, vec![unit("县政府新闻办公室"), unit("县卫生健康委")]);
    assert_eq!(t.responsible_units, vec![unit("县卫生健康委")]);

    // An empty 责任单位 next to a printed lead: the lead does it alone.
    let t = plan.find_task("公开我县法定国土空间规划").unwrap();
    assert_eq!(t.lead_units, vec![unit("县规划自然资源局")]);
    assert_eq!(t.responsible_units, vec![]);
    assert!(!t.responsible_inherited);
    let t = plan.find_task("公开我县爱国卫生运动").unwrap();
    assert_eq!(
        (t.lead_units.clone(), t.responsible_units.clone()),
        (vec![unit("县卫生健康委")], vec![])
    );

    let t = plan.find_task("认真贯彻落实中央经济工作会议精神").unwrap();
    assert_eq!(t.responsible_units.len(), 8);
    assert_eq!(t.responsible_units[7], group(CollectiveGroup::AllTownships));

    // `县政府部门、各乡镇（街道）门户网页承办单位`.
    let t = plan.find_task("县政府门户网站要根据2021年政务公开工作要点任务要求").unwrap();
    assert_eq!(
        t.responsible_units,
        vec![group(CollectiveGroup::AllDepartments), unit("各乡镇（街道）门户网页承办单位")]
    );

    let t = plan.find_task("加强队伍建设").unwrap();
    assert_eq!(
        t.responsible_units,
        vec![
            unit("县委组织部"),
            group(CollectiveGroup::AllDepartments),
            group(CollectiveGroup::AllTownships)
        ]
    );

    // The trailer (抄送 …) after the last row is not part of its cell.
    let last = plan.tasks().last().unwrap();
    assert_eq!(
        last.responsible_units,
        vec![group(CollectiveGroup::AllDepartments), group(CollectiveGroup::AllTownships)]
    );
    assert!(!last.text.contains("抄送"));
}

#[test]
fn seed_merged_lead_cells_are_inherited() {
    let Some(plan) = seed_plan() else { return };
    let item = &plan.parts[1].items[2]; // 二（三）切实增强回应关切效果
    let inherited: Vec<bool> = item.tasks.iter().map(|t| t.lead_inherited).collect();
    assert_eq!(inherited, vec![false, true, true, false, true, true, true, true, true, false]);
    for t in &item.tasks[..9] {
        assert_eq!(t.lead_units, vec![unit("县委网信办")], "line {}", t.line);
        assert!(!t.responsible_inherited);
    }
    let t = plan.find_task("密切关注涉及疫情防控、医疗等方面的舆情").unwrap();
    assert!(t.lead_inherited);
    assert_eq!(
        t.responsible_units,
        vec![unit("县卫生健康委"), group(CollectiveGroup::AllTownships)]
    );
    // Re-printed after the page break (line 191), so not inherited.
    let t = plan.find_task("密切关注涉及工资拖欠方面的舆情").unwrap();
    assert!(!t.lead_inherited);
    assert_eq!(plan.tasks().filter(|t| t.lead_inherited).count(), 7);
    assert_eq!(plan.tasks().filter(|t| t.responsible_inherited).count(), 0);
}

#[test]
fn seed_measures() {
    let Some(plan) = seed_plan() else { return };
    // 二（二）: 1–7, the lead-in 加强政策咨询服务…, then 1–3 again.
    let t = &plan.parts[1].items[1].tasks[0];
    assert_eq!(
        numbers(t),
        vec![
            Some("1"),
            Some("2"),
            Some("3"),
            Some("4"),
            Some("5"),
            Some("6"),
            Some("7"),
            None,
            Some("1"),
            Some("2"),
            Some("3")
        ]
    );
    assert!(t.measures[7].text.starts_with("加强政策咨询服务，政策制定机关要积极解答"));
    assert!(t.measures[9].text.starts_with("12345政务服务便民热线要设立政策咨询专门席位"));
    // 三（二）: nested numbering; 3．政府公报。 keeps its paragraph.
    let t = &plan.parts[2].items[1].tasks[0];
    let got: Vec<&str> = t.measures.iter().map(|m| m.number.as_deref().unwrap_or("-")).collect();
    assert_eq!(
        got,
        vec!["1", "(1)", "(2)", "(3)", "(4)", "(5)", "2", "(1)", "(2)", "(3)", "3", "4"]
    );
    assert_eq!(
        t.measures[10].text,
        "政府公报。\n完善政府公报数据库，推进数字化利用，通过政务新媒体等渠道加强政府公报内容传播。"
    );
    // A cell without numbers is one measure.
    let t = plan.find_task("公开我县爱国卫生运动").unwrap();
    assert_eq!(numbers(t), vec![None]);
    assert_eq!(t.measures[0].text, t.text);
}

#[test]
fn seed_deadlines() {
    let Some(plan) = seed_plan() else { return };
    // grep 月底前|日前: lines 234, 236, 258, 423.
    let dated: Vec<(NaiveDate, &str)> = plan
        .tasks()
        .flat_map(|t| &t.deadlines)
        .filter_map(|d| d.date().map(|date| (date, d.text())))
        .collect();
    assert_eq!(
        dated,
        vec![
            (date(2021, 6, 30), "2021年6月底前"),
            (date(2021, 10, 31), "2021年10月底前"),
            (date(2021, 5, 31), "于2021年5月31日前"),
            (date(2021, 12, 31), "于2021年12月31日前"),
        ]
    );
    let t = plan
        .find_task("对照中国政府法制信息网行政法规库公布的行政法规国家正式版本，在2021年6月底前")
        .unwrap();
    assert_eq!(t.measures[0].deadlines[0].date(), Some(date(2021, 6, 30)));
    assert_eq!(t.measures[1].deadlines[0].date(), Some(date(2021, 10, 31)));

    let relative: Vec<(u32, RelUnit)> = plan
        .tasks()
        .flat_map(|t| &t.deadlines)
        .filter_map(|d| match d {
            Deadline::Relative { amount, unit, .. } => Some((*amount, *unit)),
            _ => None,
        })
        .collect();
    assert_eq!(
        relative,
        vec![(5, RelUnit::WorkingDays), (5, RelUnit::WorkingDays), (3, RelUnit::Months)]
    );

    let recurring: Vec<&Deadline> = plan
        .tasks()
        .flat_map(|t| &t.deadlines)
        .filter(|d| matches!(d, Deadline::Recurring { .. }))
        .collect();
    assert_eq!(recurring.len(), 4);
    assert_eq!(
        recurring[0],
        &Deadline::Recurring {
            per: Period::Year,
            at_least: 4,
            of_which: Some(("有关负责同志带头开展政策解读".to_owned(), 2)),
            text: "每年通过新闻发布形式开展政策解读不少于4次，其中，有关负责同志带头开展政策解读应不少于2次".to_owned(),
        }
    );
    assert_eq!(
        recurring[2],
        &Deadline::Recurring {
            per: Period::Year,
            at_least: 1,
            of_which: None,
            text: "每年至少开展1次".to_owned()
        }
    );
}

#[test]
fn seed_summary_json_matches_plan() {
    let Some(plan) = seed_plan() else { return };
    let s = summary_json(&plan);
    assert_eq!(s["parts"], 5);
    assert_eq!(s["items"], 15);
    assert_eq!(s["tasks"], 45);
    assert_eq!(s["measures"], 105);
    assert_eq!(s["items"].as_u64(), Some(plan.item_count() as u64));
    assert_eq!(s["tasks"].as_u64(), Some(plan.task_count() as u64));
    assert_eq!(s["measures"].as_u64(), Some(plan.measure_count() as u64));
    let units = s["units"].as_array().unwrap();
    assert_eq!(units.len(), 26);
    assert_eq!(units.len(), plan.unit_names().len());
    assert_eq!(units[0], "县发展改革委");
    assert!(units.iter().all(|u| u != "县政府有关部门" && u != "各乡镇（街道）"));
    assert_eq!(s["groups"], serde_json::json!(["县政府有关部门", "县政府各部门", "各乡镇（街道）"]));
    let deadlines = s["deadlines"].as_array().unwrap();
    assert_eq!(deadlines.len(), 4);
    assert_eq!(deadlines[0]["date"], "2021-06-30");
    assert_eq!(deadlines[0]["text"], "2021年6月底前");
    assert_eq!(deadlines[0]["task"].as_str().unwrap().chars().count(), 30);
    assert_eq!(deadlines[3]["date"], "2021-12-31");
    assert_eq!(s["relative_deadlines"].as_array().unwrap().len(), 3);
    assert_eq!(s["recurring"][0]["of_which"]["at_least"], 2);
    assert_eq!(s["warnings"].as_array().unwrap().len(), plan.warnings.len());
    assert_eq!(s["warnings"][0]["line"], 416);
}

// ------------------------------------------------------- synthetic tables

#[test]
fn page_break_repeat_is_the_same_part_and_item() {
    let text = doc(&[
        ["一、甲部分", "（一）甲事项。", "1．第一条。", "县甲局", "县乙局"],
        ["", "", "第二行。", "县丙局", ""],
        ["一、甲部分", "（一）甲事项。", "2．第三条。", "县丁局", ""],
        ["", "（二）乙事项。", "第四条。", "县甲局", ""],
        ["二、乙部分", "(一)丙事项", "第五条。", "县甲局", ""],
    ]);
    let plan = parse_plan(&text, 2021).unwrap();
    assert_eq!(plan.parts.len(), 2);
    assert_eq!(plan.parts[0].items.len(), 2);
    assert_eq!(plan.parts[0].items[0].tasks.len(), 3);
    assert_eq!(plan.parts[1].items[0].title, "丙事项");
    assert_eq!(plan.warnings, vec![]);
    assert_eq!(plan.title, "某县任务清单");
}

#[test]
fn wrong_ordinal_is_kept_with_a_warning() {
    let text = doc(&[
        ["一、甲部分", "（一）甲事项。", "第一条。", "县甲局", ""],
        ["", "（三）乙事项。", "第二条。", "县甲局", ""],
        ["", "（三）丙事项。", "第三条。", "县甲局", ""],
        ["三、乙部分", "（一）丁事项。", "第四条。", "县甲局", ""],
    ]);
    let plan = parse_plan(&text, 2021).unwrap();
    let items: Vec<(u32, &str)> = plan.parts[0].items.iter().map(|i| (i.ordinal, i.title.as_str())).collect();
    assert_eq!(items, vec![(1, "甲事项"), (3, "乙事项"), (3, "丙事项")]);
    assert_eq!(plan.parts[1].ordinal, 3);
    let warnings: Vec<(usize, WarningKind)> = plan.warnings.iter().map(|w| (w.line, w.kind)).collect();
    // Header is lines 3–6; rows start at 8, 14, 20, 26; the item cell is the second line.
    assert_eq!(
        warnings,
        vec![
            (15, WarningKind::OrdinalOutOfSequence),
            (21, WarningKind::OrdinalOutOfSequence),
            (26, WarningKind::OrdinalOutOfSequence)
        ]
    );
    assert_eq!(
        plan.warnings[0].message,
        "第15行：事项“（三）乙事项”的序号应为“（二）”，已按原文保留，请确认"
    );
}

#[test]
fn same_title_with_another_ordinal_is_the_repeat() {
    let text = doc(&[
        ["一、甲部分", "（一）甲事项。", "1．第一条。", "县甲局", ""],
        ["一、甲部分", "（二）甲事项。", "2．第二条。", "县乙局", ""],
    ]);
    let plan = parse_plan(&text, 2021).unwrap();
    assert_eq!(plan.parts[0].items.len(), 1);
    assert_eq!(plan.parts[0].items[0].tasks.len(), 2);
    assert_eq!(plan.warnings.len(), 1);
    assert_eq!(plan.warnings[0].kind, WarningKind::RepeatedHeadingOrdinal);
}

#[test]
fn merged_cells_inherit_within_the_item() {
    let text = doc(&[
        ["一、甲部分", "（一）甲事项。", "第一条。", "县甲局", "县乙局、各乡镇（街道）"],
        ["", "", "第二条。", "", "县丙局"],
        ["", "", "第三条。", "", ""],
        ["", "", "第四条。", "县丁局", ""],
        ["", "（二）乙事项。", "第五条。", "", "县戊局"],
    ]);
    let plan = parse_plan(&text, 2021).unwrap();
    let t = &plan.parts[0].items[0].tasks;
    assert_eq!((t[1].lead_units.clone(), t[1].lead_inherited), (vec![unit("县甲局")], true));
    assert_eq!(
        (t[1].responsible_units.clone(), t[1].responsible_inherited),
        (vec![unit("县丙局")], false)
    );
    // Both empty: the whole right side is merged with the row above.
    assert_eq!((t[2].lead_units.clone(), t[2].lead_inherited), (vec![unit("县甲局")], true));
    assert_eq!(
        (t[2].responsible_units.clone(), t[2].responsible_inherited),
        (vec![unit("县丙局")], true)
    );
    // A printed lead with an empty responsible cell: done alone.
    assert_eq!((t[3].responsible_units.clone(), t[3].responsible_inherited), (vec![], false));
    // Nothing is inherited across items.
    let first_of_second = &plan.parts[0].items[1].tasks[0];
    assert_eq!(
        (first_of_second.lead_units.clone(), first_of_second.lead_inherited),
        (vec![], false)
    );
    assert_eq!(plan.warnings.len(), 1);
    assert_eq!((plan.warnings[0].kind, plan.warnings[0].line), (WarningKind::EmptyLead, 35));
}

#[test]
fn a_table_from_a_word_or_excel_file_reads_like_the_text_form() {
    let cells = |r: [&str; 5]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let rows = vec![
        vec![
            "工作任务".to_string(),
            String::new(),
            "贯彻举措".into(),
            "牵头单位".into(),
            "责任单位".into(),
        ],
        cells([
            "一、甲部分",
            "（一）甲事项。",
            "1．第一条，2021年6月底前完成。\n2．第二条。",
            "县甲局",
            "县乙局、各乡镇（街道）",
        ]),
        cells(["", "", "第三条。", "", ""]),
        vec![String::new(), "（二）乙事项。".into(), "第四条。".into(), "县丁局".into()],
    ];
    let text = text_from_table(&["巫山府办发〔2021〕48号".to_string()], &rows);
    let plan = parse_plan(&text, 2021).unwrap();
    assert_eq!(plan.doc_number.as_deref(), Some("巫山府办发〔2021〕48号"));
    assert_eq!(plan.task_count(), 3);
    let t = &plan.parts[0].items[0].tasks;
    assert_eq!(numbers(&t[0]), vec![Some("1"), Some("2")]);
    assert_eq!(t[0].deadlines[0].date(), Some(date(2021, 6, 30)));
    assert_eq!((t[1].lead_units.clone(), t[1].lead_inherited), (vec![unit("县甲局")], true));
    assert_eq!(t[1].responsible_units, vec![unit("县乙局"), group(CollectiveGroup::AllTownships)]);
    // A short row is padded: no responsible units, nothing inherited.
    let short = &plan.parts[0].items[1].tasks[0];
    assert_eq!(
        (short.lead_units.clone(), short.responsible_units.is_empty()),
        (vec![unit("县丁局")], true)
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn measures_are_split_on_every_number_form() {
    let text = doc(&[[
        "一、甲部分",
        "（一）甲事项。",
        "前言。\n1．甲。\n2.乙。\n（1）丙。\n(2)丁。\n①戊。\n②己。\n续行。",
        "县甲局",
        "",
    ]]);
    let plan = parse_plan(&text, 2021).unwrap();
    let t = &plan.parts[0].items[0].tasks[0];
    let got: Vec<(Option<&str>, &str)> = t.measures.iter().map(|m| (m.number.as_deref(), m.text.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (None, "前言。"),
            (Some("1"), "甲。"),
            (Some("2"), "乙。"),
            (Some("(1)"), "丙。"),
            (Some("(2)"), "丁。"),
            (Some("①"), "戊。"),
            (Some("②"), "己。\n续行。"),
        ]
    );
    assert_eq!(t.text, "前言。\n1．甲。\n2.乙。\n（1）丙。\n(2)丁。\n①戊。\n②己。\n续行。");
}

#[test]
fn each_date_form() {
    let text = doc(&[[
        "一、甲部分",
        "（一）甲事项。",
        "1．2021年6月底前完成。\n2．2021年10月底前完成。\n3．于2021年5月31日前发布。\n4．2021年12月31日前报送。\n5．9月底前完成。\n6．收到后5个工作日内答复。\n7．印发3个月内编制。\n8．15日内办结。\n9．每年至少开展1次培训。\n10．每年开展政策解读不少于4次，其中，负责同志解读应不少于2次。\n11．每季度更新一次。",
        "县甲局",
        "",
    ]]);
    let plan = parse_plan(&text, 2022).unwrap();
    let m = &plan.parts[0].items[0].tasks[0].measures;
    let abs = |i: usize| m[i].deadlines[0].clone();
    assert_eq!(
        abs(0),
        Deadline::Absolute {
            date: date(2021, 6, 30),
            text: "2021年6月底前".into()
        }
    );
    assert_eq!(
        abs(1),
        Deadline::Absolute {
            date: date(2021, 10, 31),
            text: "2021年10月底前".into()
        }
    );
    assert_eq!(
        abs(2),
        Deadline::Absolute {
            date: date(2021, 5, 31),
            text: "于2021年5月31日前".into()
        }
    );
    assert_eq!(
        abs(3),
        Deadline::Absolute {
            date: date(2021, 12, 31),
            text: "2021年12月31日前".into()
        }
    );
    assert_eq!(
        abs(4),
        Deadline::Absolute {
            date: date(2022, 9, 30),
            text: "9月底前".into()
        }
    );
    assert_eq!(
        abs(5),
        Deadline::Relative {
            amount: 5,
            unit: RelUnit::WorkingDays,
            text: "5个工作日内".into()
        }
    );
    assert_eq!(
        abs(6),
        Deadline::Relative {
            amount: 3,
            unit: RelUnit::Months,
            text: "3个月内".into()
        }
    );
    assert_eq!(
        abs(7),
        Deadline::Relative {
            amount: 15,
            unit: RelUnit::Days,
            text: "15日内".into()
        }
    );
    assert_eq!(
        abs(8),
        Deadline::Recurring {
            per: Period::Year,
            at_least: 1,
            of_which: None,
            text: "每年至少开展1次".into()
        }
    );
    assert_eq!(
        abs(9),
        Deadline::Recurring {
            per: Period::Year,
            at_least: 4,
            of_which: Some(("负责同志解读".into(), 2)),
            text: "每年开展政策解读不少于4次，其中，负责同志解读应不少于2次".into()
        }
    );
    assert_eq!(
        abs(10),
        Deadline::Recurring {
            per: Period::Quarter,
            at_least: 1,
            of_which: None,
            text: "每季度更新一次".into()
        }
    );
    assert_eq!(plan.parts[0].items[0].tasks[0].deadlines.len(), 11);
    assert!(m.iter().all(|m| m.deadlines.len() == 1));
}

#[test]
fn unit_cells() {
    assert_eq!(
        parse_units("各乡镇人民政府、街道办事处，县政府各部门、县政府部门、县政府有关部门、县政府及其部门、 县教委 "),
        vec![
            group(CollectiveGroup::AllTownships),
            group(CollectiveGroup::AllDepartments),
            group(CollectiveGroup::RelevantDepartments),
            group(CollectiveGroup::GovernmentAndDepartments),
            unit("县教委"),
        ]
    );
    assert_eq!(CollectiveGroup::AllTownships.label_zh(), "各乡镇（街道）");
    assert_eq!(group(CollectiveGroup::AllDepartments).name_zh(), "县政府各部门");
}

#[test]
fn header_forms_errors_and_titles() {
    assert_eq!(parse_plan("没有表格的通知。", 2021), Err(ImportError::HeaderNotFound));
    assert_eq!(parse_plan("", 2021), Err(ImportError::HeaderNotFound));
    assert_eq!(
        parse_plan("\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n", 2021),
        Err(ImportError::NoTasks)
    );
    assert_eq!(ImportError::HeaderNotFound.code(), "tasks.header_not_found");
    // All four header cells on one line.
    let one_line = "关于印发某县任务清单的通知\n工作任务\t\t贯彻举措\t牵头单位\t责任单位\n\t一、甲\t（一）乙\t丙。\t县甲局\t\n";
    let plan = parse_plan(one_line, 2021).unwrap();
    assert_eq!(plan.task_count(), 1);
    // No title lines: the document named in the notice's title.
    assert_eq!(plan.title, "某县任务清单");
    let plan = parse_plan(
        "\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n\t一、甲\n\t（一）乙\n\t丙。\n\t县甲局\n\t\n",
        2021,
    )
    .unwrap();
    assert_eq!(plan.title, DEFAULT_TITLE);
    assert_eq!(plan.doc_number, None);
}

#[test]
fn rows_without_headings_and_truncated_rows_warn() {
    let text = "清单\n\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n\t\n\t\n\t第一条。\n\t县甲局\n\t\n\t\n\t\n\t第二条。\n";
    let plan = parse_plan(text, 2021).unwrap();
    assert_eq!(plan.task_count(), 2);
    let kinds: Vec<WarningKind> = plan.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        vec![WarningKind::MissingHeading, WarningKind::MissingHeading, WarningKind::IncompleteRow]
    );
    let last = plan.tasks().last().unwrap();
    assert!(last.lead_inherited);
}

// --------------------------------------------------------------- proptests

fn seed_or_sample() -> String {
    seed().unwrap_or_else(|| {
        doc(&[
            [
                "一、甲部分",
                "（一）甲事项。",
                "1．2021年6月底前完成。\n2．每年至少开展1次。",
                "县甲局",
                "各乡镇（街道）",
            ],
            ["", "", "5个工作日内答复。", "", ""],
            ["一、甲部分", "（二）乙事项。", "（1）甲。\n(2)乙。", "县乙局", "县政府有关部门"],
        ])
    })
}

fn check_invariants(plan: &Plan) {
    let s = summary_json(plan);
    assert_eq!(s["parts"].as_u64(), Some(plan.parts.len() as u64));
    assert_eq!(s["tasks"].as_u64(), Some(plan.task_count() as u64));
    assert_eq!(s["measures"].as_u64(), Some(plan.measure_count() as u64));
    assert!(plan.task_count() > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_text(text in ".*", year in 1i32..9999) {
        if let Ok(plan) = parse_plan(&text, year) {
            check_invariants(&plan);
        }
    }

    #[test]
    fn never_panics_on_arbitrary_rows(body in "[\t\n一二三、（）()1-9．.年月底日前内个工作每至少次其中县局，各乡镇街道部门]{0,300}") {
        let text = format!("\t工作任务\n\t贯彻举措\n\t牵头单位\n\t责任单位\n{body}");
        if let Ok(plan) = parse_plan(&text, 2021) {
            check_invariants(&plan);
        }
    }

    #[test]
    fn never_panics_on_the_seed_truncated(cut in 0usize..40_000) {
        let text = seed_or_sample();
        let end = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count().max(1)).unwrap_or(text.len());
        if let Ok(plan) = parse_plan(&text[..end], 2021) {
            check_invariants(&plan);
        }
        if let Ok(plan) = parse_plan(&text[end..], 2021) {
            check_invariants(&plan);
        }
    }

    #[test]
    fn never_panics_on_the_seed_shuffled(lines in Just(seed_or_sample().lines().map(str::to_owned).collect::<Vec<_>>()).prop_shuffle()) {
        if let Ok(plan) = parse_plan(&lines.join("\n"), 2021) {
            check_invariants(&plan);
        }
    }

    #[test]
    fn never_panics_with_lines_dropped(mask in proptest::collection::vec(any::<bool>(), 500)) {
        let text = seed_or_sample();
        let kept: Vec<&str> = text.lines().zip(mask.iter().cycle()).filter(|(_, keep)| **keep).map(|(l, _)| l).collect();
        if let Ok(plan) = parse_plan(&kept.join("\n"), 2021) {
            check_invariants(&plan);
        }
    }
}
