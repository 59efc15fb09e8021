//! Tests of `gongkai_domain::catalogue`: 文号 and 索引号 in the forms found in
//! real documents (the seed, 巫山府办发〔2021〕48号), validity and banners, the
//! default column tree, metadata lists, the review workflow's invariants,
//! version diffs, and the body sanitiser against XSS vectors.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_domain::accounts::UnitCode;
use gongkai_domain::catalogue::*;
use proptest::prelude::*;

/// The seed document; tests that read it skip that check when `../shared`
/// is absent (as the calendar tests do).
const SEED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/000_fffd36a955ce654e.txt");

fn seed() -> Option<String> {
    std::fs::read_to_string(SEED_PATH).ok()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date")
}

// ---------------------------------------------------------------------------
// 文号
// ---------------------------------------------------------------------------

#[test]
fn doc_no_common_forms() {
    let cases = [
        ("巫山府办发〔2021〕48号", "巫山府办发", 2021, 48),
        ("渝府发〔2021〕1号", "渝府发", 2021, 1),
        ("国办函〔2020〕109号", "国办函", 2020, 109),
        ("国办公开办函〔2021〕30号", "国办公开办函", 2021, 30),
        ("巫山府〔2021〕12号", "巫山府", 2021, 12),
        ("国办发〔2017〕47号", "国办发", 2017, 47),
        ("国办秘函〔2019〕19号", "国办秘函", 2019, 19),
        ("國辦函〔2020〕109號", "國辦函", 2020, 109),
        ("渝府办发（2021）50号", "渝府办发", 2021, 50),
        ("渝府办发[2021]50号", "渝府办发", 2021, 50),
        ("渝府办发【２０２１】５０号", "渝府办发", 2021, 50),
        ("渝府办发〔2021〕05号", "渝府办发", 2021, 5),
        ("渝府办发〔2021〕第5号", "渝府办发", 2021, 5),
        ("渝府办发〔1949〕1号", "渝府办发", 1949, 1),
        ("渝府办发〔2100〕1号", "渝府办发", 2100, 1),
    ];
    for (input, issuer, year, serial) in cases {
        let doc = DocNo::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!((doc.issuer(), doc.year(), doc.serial()), (issuer, year, serial), "{input}");
        assert_eq!(doc.normalized(), format!("{issuer}〔{year}〕{serial}号"));
        assert_eq!(input.parse::<DocNo>().unwrap(), doc);
    }
}

#[test]
fn doc_no_rejections_have_messages() {
    let cases: [(&str, &str, &str); 12] = [
        ("", "doc_no_empty", "请填写文号。"),
        (
            "巫山府办发48号",
            "doc_no_missing_year",
            "文号缺少用括号括入的年份，格式如“巫山府办发〔2021〕48号”。",
        ),
        (
            "〔2021〕48号",
            "doc_no_missing_issuer",
            "文号缺少发文机关代字，格式如“巫山府办发〔2021〕48号”。",
        ),
        (
            "巫山府办发〔1948〕48号",
            "doc_no_year_out_of_range",
            "文号中的年份1948不在1949年至2100年之间。",
        ),
        (
            "巫山府办发〔2101〕48号",
            "doc_no_year_out_of_range",
            "文号中的年份2101不在1949年至2100年之间。",
        ),
        (
            "巫山府办发〔二〇二一〕48号",
            "doc_no_bad_year",
            "文号中的年份“二〇二一”有误，年份应标全称（4位数字），格式如“巫山府办发〔2021〕48号”。",
        ),
        (
            "巫山府办发〔2021〕",
            "doc_no_missing_serial",
            "文号缺少发文顺序号，格式如“巫山府办发〔2021〕48号”。",
        ),
        ("巫山府办发〔2021〕00号", "doc_no_zero_serial", "文号的发文顺序号不能为0。"),
        (
            "巫山府办发〔2021〕48号附件1",
            "doc_no_trailing_garbage",
            "文号的“号”字后面有多余内容“附件1”。",
        ),
        (
            "巫山府办发1〔2021〕48号",
            "doc_no_issuer_digit",
            "发文机关代字中不能含有数字“1”，格式如“巫山府办发〔2021〕48号”。",
        ),
        (
            "巫山·府办发〔2021〕48号",
            "doc_no_issuer_punctuation",
            "发文机关代字中不能含有标点、空格或符号“·”，格式如“巫山府办发〔2021〕48号”。",
        ),
        (
            "巫山 府办发〔2021〕48号",
            "doc_no_issuer_punctuation",
            "发文机关代字中不能含有标点、空格或符号“ ”，格式如“巫山府办发〔2021〕48号”。",
        ),
    ];
    for (input, code, zh) in cases {
        let e = DocNo::parse(input).expect_err(input);
        assert_eq!(e.code(), code, "{input}");
        assert_eq!(e.message_zh(), zh, "{input}");
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(
        DocNo::parse("巫山府办发〔2021〕48号附件1").unwrap_err().to_string(),
        "unexpected text \"附件1\" after the serial"
    );
    assert_eq!(
        DocNo::parse("巫山府办发〔21〕48号").unwrap_err().to_string(),
        "the year must be written in full with four digits, got \"21\""
    );
    assert!(matches!(DocNo::parse(&"府".repeat(33)), Err(DocNoError::MissingYear)));
    assert!(matches!(
        DocNo::parse(&format!("{}〔2021〕1号", "府".repeat(33))),
        Err(DocNoError::IssuerTooLong { len: 33, max: 32 })
    ));
}

#[test]
fn doc_no_serde_is_the_normal_form() {
    let doc = DocNo::parse("巫山府办发[2021]048号").unwrap();
    assert_eq!(serde_json::to_string(&doc).unwrap(), "\"巫山府办发〔2021〕48号\"");
    let back: DocNo = serde_json::from_str("\"巫山府办发（2021）48号\"").unwrap();
    assert_eq!(back, doc);
    assert!(serde_json::from_str::<DocNo>("\"巫山府办发48号\"").is_err());
    assert_eq!(DocNo::new("巫山府办发", 2021, 48).unwrap(), doc);
    assert_eq!(DocNo::new("巫山府办发", 2021, 0).unwrap_err(), DocNoError::ZeroSerial);
    assert_eq!(DocNo::new("", 2021, 1).unwrap_err(), DocNoError::MissingIssuer);
}

#[test]
fn doc_no_found_in_the_seed() {
    let Some(seed) = seed() else {
        eprintln!("skipped: {SEED_PATH} not found");
        return;
    };
    let found: Vec<String> = DocNo::find_in(&seed).iter().map(DocNo::to_string).collect();
    assert_eq!(found, ["巫山府办发〔2021〕48号", "渝府办发〔2021〕50号"]);
    let spans = DocNo::find_spans_in(&seed);
    assert_eq!(&seed[spans[1].span.clone()], "渝府办发〔2021〕50号");
}

#[test]
fn doc_no_found_in_prose() {
    let text = "根据巫山府办发〔2021〕48号文件和《通知》（渝府办发 [2021] 第050号）精神，按照国办公开办函〔2021〕30号、\
                国办函〔2020〕109号的要求，转发渝府发【２０２１】１号。国务院令第711号不是文号，〔2021〕5号没有机关代字，\
                渝府发〔1900〕1号年份不对。";
    let found: Vec<String> = DocNo::find_in(text).iter().map(DocNo::to_string).collect();
    assert_eq!(
        found,
        [
            "巫山府办发〔2021〕48号",
            "渝府办发〔2021〕50号",
            "国办公开办函〔2021〕30号",
            "国办函〔2020〕109号",
            "渝府发〔2021〕1号",
        ]
    );
    let spans = DocNo::find_spans_in(text);
    assert_eq!(&text[spans[0].span.clone()], "巫山府办发〔2021〕48号");
    assert_eq!(&text[spans[1].span.clone()], "渝府办发 [2021] 第050号");
    assert!(DocNo::find_in("没有文号的文本").is_empty());
}

/// Issuers as they occur: Chinese characters, sometimes Latin letters.
fn issuer_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select("巫山府办发渝国函公开秘县委政教卫健农业财审计民宗".chars().collect::<Vec<_>>()),
            1 => prop::char::range('\u{4e00}', '\u{9fa5}'),
            1 => prop::char::range('A', 'Z'),
        ],
        1..=12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// Strings made of the pieces of 文号, to reach deep into the parser.
fn docno_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "巫山",
            "府办发",
            "〔",
            "〕",
            "[",
            "]",
            "（",
            "）",
            "【",
            "】",
            "﹝",
            "﹞",
            "(",
            ")",
            "2021",
            "２０２１",
            "0",
            "48",
            "０",
            "第",
            "号",
            "號",
            " ",
            "\u{3000}",
            "\t",
            "、",
            "a",
            "9999999999",
            "1949",
            "2101",
            "\n",
            "\u{0}",
        ]),
        0..12,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn doc_no_normal_form_round_trips(issuer in issuer_strategy(), year in 1949i32..=2100, serial in 1u32..=DocNo::MAX_SERIAL) {
        let doc = DocNo::new(&issuer, year, serial).unwrap();
        let normal = doc.normalized();
        prop_assert_eq!(DocNo::parse(&normal).unwrap(), doc.clone());
        prop_assert_eq!(normal, doc.to_string());
    }

    /// With issuers made of characters real abbreviations use, find_in
    /// finds the number in prose, whatever precedes it.
    #[test]
    fn doc_no_found_after_prose(issuer in prop::collection::vec(prop::sample::select(
                                    "巫山府办发渝国函公开秘县委政教卫健农业财审计民宗川湘京沪粤".chars().collect::<Vec<_>>()), 1..=8)
                                    .prop_map(|cs| cs.into_iter().collect::<String>()),
                                before in prop::sample::select(vec!["", "根据", "按照", "印发", "依据《通知》（", "见", "和", "及"]),
                                year in 1949i32..=2100, serial in 1u32..=DocNo::MAX_SERIAL) {
        let doc = DocNo::new(&issuer, year, serial).unwrap();
        let text = format!("{before}{doc}文件精神。");
        prop_assert_eq!(DocNo::find_in(&text), vec![doc]);
    }

    #[test]
    fn doc_no_variants_parse_to_the_same(issuer in issuer_strategy(), year in 1949i32..=2100, serial in 1u32..100_000,
                                         bracket in 0usize..7, zeros in 0usize..3, di in any::<bool>(), fullwidth in any::<bool>(),
                                         spaces in any::<bool>()) {
        let (o, c) = [("〔", "〕"), ("[", "]"), ("［", "］"), ("(", ")"), ("（", "）"), ("【", "】"), ("﹝", "﹞")][bracket];
        let widen = |s: String| if fullwidth {
            s.chars().map(|ch| char::from_u32(ch as u32 - '0' as u32 + '０' as u32).unwrap()).collect()
        } else { s };
        let sp = if spaces { " " } else { "" };
        let text = format!("{sp}{issuer}{sp}{o}{}{c}{sp}{}{}{sp}号{sp}", widen(year.to_string()), if di { "第" } else { "" },
                           widen(format!("{}{serial}", "0".repeat(zeros))));
        let doc = DocNo::parse(&text).unwrap();
        prop_assert_eq!(doc, DocNo::new(&issuer, year, serial).unwrap());
    }

    #[test]
    fn doc_no_parse_never_panics(s in any::<String>()) {
        let _ = DocNo::parse(&s);
        let _ = DocNo::find_in(&s);
    }

    #[test]
    fn doc_no_parse_is_stable(s in docno_soup()) {
        // Whatever parses, parses back to itself from its normal form; and
        // find_in never panics on the soup either.
        if let Ok(doc) = DocNo::parse(&s) {
            prop_assert_eq!(DocNo::parse(&doc.normalized()).unwrap(), doc);
        }
        for m in DocNo::find_spans_in(&s) {
            prop_assert!(s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end));
        }
    }
}

// ---------------------------------------------------------------------------
// 索引号
// ---------------------------------------------------------------------------

#[test]
fn index_no_format_and_errors() {
    let unit = UnitCode::parse("wsx-czj").unwrap();
    let i = IndexNo::new(unit.clone(), 2021, 48).unwrap();
    assert_eq!(i.to_string(), "wsx-czj/2021-00048");
    assert_eq!((i.unit_code().as_str(), i.year(), i.serial()), ("wsx-czj", 2021, 48));
    assert_eq!(IndexNo::parse(" wsx-czj/2021-00048 ").unwrap(), i);
    assert_eq!(IndexNo::new(unit.clone(), 2021, 99_999).unwrap().to_string(), "wsx-czj/2021-99999");
    assert_eq!(
        IndexNo::new(unit.clone(), 2021, 0).unwrap_err(),
        IndexNoError::SerialOutOfRange { serial: 0 }
    );
    assert_eq!(
        IndexNo::new(unit.clone(), 2021, 100_000).unwrap_err(),
        IndexNoError::SerialOutOfRange { serial: 100_000 }
    );
    assert_eq!(
        IndexNo::new(unit, 1900, 1).unwrap_err(),
        IndexNoError::YearOutOfRange { year: 1900 }
    );
    for bad in [
        "wsx-czj/2021-48",
        "wsx-czj2021-00048",
        "wsx-czj/21-00048",
        "wsx-czj/2021-000048",
        "wsx-czj/2021/00048",
        "/2021-00048",
    ] {
        let e = IndexNo::parse(bad).expect_err(bad);
        assert!(matches!(e, IndexNoError::Format | IndexNoError::UnitCode(_)), "{bad}: {e:?}");
    }
    assert_eq!(
        IndexNo::parse("wsx-czj/2021-00000").unwrap_err().code(),
        "index_no_serial_out_of_range"
    );
    assert_eq!(IndexNo::parse("w_s/2021-00001").unwrap_err().code(), "index_no_unit_code");
    assert_eq!(IndexNo::parse("w s/2021-00001").unwrap_err().code(), "index_no_unit_code");
    assert_eq!(
        IndexNo::parse("x").unwrap_err().message_zh(),
        "索引号格式应为“单位代码/年份-五位序号”，如“wsx-czj/2021-00048”。"
    );
    let json = serde_json::to_string(&IndexNo::parse("11500237MB1234567X/2022-00001").unwrap()).unwrap();
    assert_eq!(json, "\"11500237MB1234567X/2022-00001\"");
}

#[test]
fn serials_start_at_one() {
    assert_eq!(next_serial(None), 1);
    assert_eq!(next_serial(Some(1)), 2);
    assert_eq!(next_serial(Some(47)), 48);
    assert_eq!(next_serial(Some(u32::MAX)), u32::MAX);
}

proptest! {
    #[test]
    fn index_no_round_trips(unit in "[a-z0-9][a-z0-9-]{1,31}", year in 1949i32..=2100, serial in 1u32..=99_999) {
        let i = IndexNo::new(UnitCode::parse(&unit).unwrap(), year, serial).unwrap();
        prop_assert_eq!(IndexNo::parse(&i.to_string()).unwrap(), i);
    }

    #[test]
    fn index_no_parse_never_panics(s in any::<String>()) {
        let _ = IndexNo::parse(&s);
    }
}

// ---------------------------------------------------------------------------
// Validity
// ---------------------------------------------------------------------------

#[test]
fn validity_labels_and_serde() {
    let labels: Vec<_> = Validity::ALL.iter().map(|v| v.label_zh()).collect();
    assert_eq!(labels, ["现行有效", "失效", "废止", "已修改"]);
    assert_eq!(serde_json::to_string(&Validity::InForce).unwrap(), "\"in_force\"");
    assert_eq!(serde_json::from_str::<Validity>("\"repealed\"").unwrap(), Validity::Repealed);
    assert_eq!(Validity::parse("已失效").unwrap(), Validity::Expired);
    assert_eq!(Validity::parse("作废").unwrap_err().message_zh(), "“作废”不是有效的有效性。");
}

#[test]
fn validity_changes_by_itself_at_expiry() {
    let last = d(2023, 12, 31);
    assert_eq!(effective_validity(Validity::InForce, Some(last), last), Validity::InForce);
    assert_eq!(effective_validity(Validity::InForce, Some(last), d(2024, 1, 1)), Validity::Expired);
    assert_eq!(effective_validity(Validity::Amended, Some(last), d(2024, 1, 1)), Validity::Amended);
    assert!(!needs_banner(Validity::InForce));
    for v in [Validity::Expired, Validity::Repealed, Validity::Amended] {
        assert!(needs_banner(v));
    }
}

#[test]
fn banners() {
    assert_eq!(banner_zh(Validity::InForce, d(2024, 1, 1), "x", Some("y")), "");
    assert_eq!(
        banner_zh(Validity::Expired, first_day_expired(d(2023, 12, 31)), "有效期届满", None),
        "本文件已于2024年1月1日失效。失效原因：有效期届满。"
    );
    assert_eq!(
        banner_zh(
            Validity::Repealed,
            d(2022, 3, 9),
            "已被新规定替代。",
            Some("《巫山县政务公开工作规定》")
        ),
        "本文件已于2022年3月9日废止。废止原因：已被新规定替代。请以《巫山县政务公开工作规定》为准。"
    );
    assert_eq!(
        banner_zh(
            Validity::Amended,
            d(2022, 10, 20),
            "  ",
            Some("巫山县政务公开工作规定（2022年修订）")
        ),
        "本文件已于2022年10月20日修改。修改后的内容请见《巫山县政务公开工作规定（2022年修订）》。"
    );
    assert_eq!(date_zh(d(2021, 6, 1)), "2021年6月1日");
}

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

#[test]
fn default_tree_is_well_formed() {
    let cols = default_columns();
    let mut seen = HashSet::new();
    for c in &cols {
        assert!(
            c.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}",
            c.slug
        );
        if let Some(p) = c.parent {
            assert!(seen.contains(p), "parent {p} of {} must come first", c.slug);
        }
        assert!(seen.insert(c.slug), "duplicate slug {}", c.slug);
        assert!(validate_column_name(c.name).is_ok(), "{}", c.name);
        let parent_kind = c.parent.map(|p| cols.iter().find(|x| x.slug == p).unwrap().kind);
        assert!(
            matches!(parent_kind, None | Some(ColumnKind::Group)),
            "{} has a non-group parent",
            c.slug
        );
        if c.kind == ColumnKind::Group || !c.kind.holds_items() {
            assert_eq!(c.update_interval_days, None, "{} holds no items, so it has no interval", c.slug);
        }
    }
    let names: HashSet<&str> = cols.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cols.len(), "names are unique");
}

#[test]
fn default_tree_has_the_standard_columns() {
    let cols = default_columns();
    let by_name: HashMap<&str, &ColumnTemplate> = cols.iter().map(|c| (c.name, c)).collect();
    let parent_name = |name: &str| by_name[name].parent.map(|p| cols.iter().find(|c| c.slug == p).unwrap().name);
    for top in [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政策解读",
        "法治政府建设年度报告",
        "政府信息公开年报",
        "公共企事业单位信息",
        "政府公报",
        "依申请公开",
        "通知公告",
        "工作动态",
    ] {
        assert_eq!(parent_name(top), None, "{top}");
    }
    for (child, parent) in [
        ("机构职能", "法定主动公开内容"),
        ("机关简介", "机构职能"),
        ("联系我们", "机构职能"),
        ("法规文件", "法定主动公开内容"),
        ("行政规范性文件", "法规文件"),
        ("其他文件", "法规文件"),
        ("规划信息", "法定主动公开内容"),
        ("财政信息", "法定主动公开内容"),
        ("预决算", "财政信息"),
        ("重点领域信息", "法定主动公开内容"),
        ("文字解读", "政策解读"),
        ("图片解读", "政策解读"),
        ("视频解读", "政策解读"),
    ] {
        assert_eq!(parent_name(child), Some(parent), "{child}");
    }
    let kind = |n: &str| by_name[n].kind;
    let interval = |n: &str| by_name[n].update_interval_days;
    assert_eq!(kind("文字解读"), ColumnKind::Interpretations(InterpretationKind::Text));
    assert_eq!(kind("图片解读"), ColumnKind::Interpretations(InterpretationKind::Image));
    assert_eq!(kind("视频解读"), ColumnKind::Interpretations(InterpretationKind::Video));
    assert_eq!(kind("机关简介"), ColumnKind::Page);
    assert_eq!(kind("联系我们"), ColumnKind::Page);
    assert_eq!(kind("政府信息公开指南"), ColumnKind::Page);
    assert_eq!(kind("依申请公开"), ColumnKind::Link);
    assert_eq!(kind("政府信息公开年报"), ColumnKind::AnnualReports);
    assert_eq!(kind("法治政府建设年度报告"), ColumnKind::AnnualReports);
    assert_eq!(kind("行政规范性文件"), ColumnKind::Documents);
    assert_eq!(interval("工作动态"), Some(14));
    assert_eq!(interval("通知公告"), Some(180));
    assert_eq!(interval("行政规范性文件"), Some(180));
    assert_eq!(interval("政府信息公开年报"), Some(365));
    assert_eq!(interval("法治政府建设年度报告"), Some(365));
    assert_eq!(interval("预决算"), Some(365));
    for static_col in ["政府信息公开指南", "机关简介", "联系我们", "依申请公开"] {
        assert_eq!(interval(static_col), None, "{static_col}");
    }
    let json = serde_json::to_value(by_name["文字解读"]).unwrap();
    assert_eq!(json["kind"], serde_json::json!({"interpretations": "text"}));
    assert_eq!(json["parent"], "interpretations");
}

#[test]
fn column_names() {
    assert_eq!(validate_column_name("  通知公告 ").unwrap().as_str(), "通知公告");
    assert_eq!(validate_column_name(&"栏".repeat(32)).unwrap().as_str().chars().count(), 32);
    let e = validate_column_name(&"栏".repeat(33)).unwrap_err();
    assert_eq!(e, CatalogueError::ColumnNameLength { len: 33, max: 32 });
    assert_eq!(e.message_zh(), "栏目名称长度应为1至32个字符。");
    assert_eq!(validate_column_name(" \u{3000} ").unwrap_err().code(), "column_name_length");
    assert_eq!(
        validate_column_name("通知\n公告").unwrap_err(),
        CatalogueError::ColumnNameControlChar
    );
}

#[test]
fn staleness_follows_the_inspection() {
    let today = d(2021, 12, 31);
    // 工作动态: an item within the last two weeks.
    assert!(!column_is_stale(Some(d(2021, 12, 17)), Some(NEWS_INTERVAL_DAYS), today));
    assert!(column_is_stale(Some(d(2021, 12, 16)), Some(NEWS_INTERVAL_DAYS), today));
    // 通知公告: within 180 days.
    assert!(!column_is_stale(Some(d(2021, 7, 4)), Some(NOTICE_INTERVAL_DAYS), today));
    assert!(column_is_stale(Some(d(2021, 7, 3)), Some(NOTICE_INTERVAL_DAYS), today));
    // Empty column with an interval: stale; static page: never.
    assert!(column_is_stale(None, Some(ANNUAL_INTERVAL_DAYS), today));
    assert!(!column_is_stale(None, None, today));
    // A scheduled item dated after today counts as fresh.
    assert!(!column_is_stale(Some(d(2022, 1, 5)), Some(14), today));
}

// ---------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------

#[test]
fn titles() {
    let t = Title::parse("  巫山县人民政府办公室关于印发贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县责任清单的通知 ").unwrap();
    assert!(t.as_str().starts_with("巫山县"));
    assert!(t.as_str().ends_with("通知"));
    assert_eq!(Genre::from_title(t.as_str()), Genre::Notice);
    assert_eq!(Title::parse("   ").unwrap_err(), CatalogueError::TitleEmpty);
    assert_eq!(Title::parse(&"字".repeat(200)).unwrap().as_str().chars().count(), 200);
    assert_eq!(
        Title::parse(&"字".repeat(201)).unwrap_err(),
        CatalogueError::TitleTooLong { len: 201, max: 200 }
    );
    assert_eq!(Title::parse("第一行\r\n第二行").unwrap_err(), CatalogueError::TitleControlChar);
    assert_eq!(
        Title::parse("标题\u{7}").unwrap_err().message_zh(),
        "标题不能包含换行符、制表符等控制字符。"
    );
    assert!(serde_json::from_str::<Title>("\"\"").is_err());
}

#[test]
fn genres_and_topics() {
    let genres: Vec<&str> = Genre::ALL.iter().map(|g| g.label_zh()).collect();
    assert_eq!(
        genres,
        [
            "通知", "通告", "公告", "意见", "决定", "办法", "规定", "方案", "规划", "报告", "批复", "函", "纪要", "其他"
        ]
    );
    for g in Genre::ALL {
        assert_eq!(Genre::parse(g.label_zh()).unwrap(), *g);
        assert_eq!(Genre::parse(g.as_str()).unwrap(), *g);
        assert_eq!(serde_json::to_string(g).unwrap(), format!("\"{}\"", g.as_str()));
    }
    assert_eq!(Genre::parse("命令").unwrap_err().message_zh(), "“命令”不是有效的体裁。");
    let topics: Vec<&str> = Topic::ALL.iter().map(|t| t.label_zh()).collect();
    assert_eq!(
        topics,
        [
            "综合政务",
            "国民经济管理、国有资产监管",
            "财政、金融、审计",
            "国土资源、能源",
            "农业、林业、水利",
            "工业、交通",
            "商贸、海关、旅游",
            "市场监管、安全生产监管",
            "城乡建设、环境保护",
            "科技、教育",
            "文化、广电、新闻出版",
            "卫生、体育",
            "人口与计划生育、妇女儿童工作",
            "劳动、人事、监察",
            "公安、安全、司法",
            "民政、扶贫、救灾",
            "民族、宗教",
            "对外事务",
            "港澳台侨工作",
            "国防",
            "其他",
        ]
    );
    for t in Topic::ALL {
        assert_eq!(Topic::parse(t.label_zh()).unwrap(), *t);
        assert_eq!(Topic::parse(t.as_str()).unwrap(), *t);
    }
    assert_eq!(Topic::parse("城乡建设，环境保护").unwrap(), Topic::ConstructionEnvironment);
    assert_eq!(Topic::parse("环境").unwrap_err().code(), "unknown_value");
}

#[test]
fn interpretations_need_a_policy_document() {
    let kinds: Vec<&str> = InterpretationKind::ALL.iter().map(|k| k.label_zh()).collect();
    assert_eq!(kinds, ["文字解读", "图片解读", "视频解读"]);
    assert_eq!(check_interpretation_links(0), Err(CatalogueError::MissingRequiredLinks));
    assert_eq!(
        CatalogueError::MissingRequiredLinks.message_zh(),
        "政策解读须关联至少一件政策文件后才能提交或发布。"
    );
    assert_eq!(check_interpretation_links(1), Ok(()));
    assert_eq!(check_interpretation_links(3), Ok(()));
    // The same rule inside the workflow.
    let ctx = TransitionCtx {
        has_required_links: false,
        ..TransitionCtx::new(1)
    };
    assert_eq!(
        transition(DocState::InReview { stage: 1 }, &ReviewAction::Approve, &ctx),
        Err(CatalogueError::MissingRequiredLinks)
    );
}

// ---------------------------------------------------------------------------
// Review workflow
// ---------------------------------------------------------------------------

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 6, 1, h, 0, 0).unwrap()
}

#[test]
fn three_reviews_then_publication() {
    let ctx = TransitionCtx::new(3);
    let author = TransitionCtx {
        actor_is_author: true,
        ..ctx
    };
    let mut s = DocState::Draft;
    s = transition(s, &ReviewAction::Submit, &author).unwrap();
    assert_eq!(s, DocState::InReview { stage: 1 });
    assert_eq!(
        transition(s, &ReviewAction::Approve, &author).unwrap_err().message_zh(),
        "不能审核通过或发布本人起草的信息，请由其他审核人办理。"
    );
    s = transition(s, &ReviewAction::Approve, &ctx).unwrap();
    s = transition(s, &ReviewAction::Approve, &ctx).unwrap();
    assert_eq!(s.label_zh(&["初审", "复审", "终审"]), "待终审");
    let rejected = transition(
        s,
        &ReviewAction::Reject {
            comment: "文号有误".into(),
        },
        &ctx,
    )
    .unwrap();
    assert_eq!(rejected, DocState::Draft);
    assert_eq!(
        transition(s, &ReviewAction::Reject { comment: "".into() }, &ctx)
            .unwrap_err()
            .message_zh(),
        "退回时须填写退回意见。"
    );
    let scheduled = transition(s, &ReviewAction::Schedule { at: at(9) }, &ctx).unwrap();
    assert_eq!(scheduled, DocState::Scheduled);
    assert_eq!(
        transition(scheduled, &ReviewAction::Publish, &author),
        Err(CatalogueError::SelfApproval)
    );
    let published = transition(scheduled, &ReviewAction::Publish, &ctx).unwrap();
    assert_eq!(published, DocState::Published);
    let gone = transition(
        published,
        &ReviewAction::Unpublish {
            reason: UnpublishReason::PublishedInError,
        },
        &ctx,
    )
    .unwrap();
    assert_eq!(gone, DocState::Unpublished);
    assert_eq!(transition(gone, &ReviewAction::Withdraw, &author), Ok(DocState::Draft));
}

#[test]
fn blocked_by_privacy_and_files() {
    let privacy = TransitionCtx {
        privacy_blocked: true,
        ..TransitionCtx::new(2)
    };
    assert_eq!(
        transition(DocState::Draft, &ReviewAction::Submit, &privacy)
            .unwrap_err()
            .message_zh(),
        "个人隐私检查发现的问题尚未处理，不能提交或发布。"
    );
    // A non-final approval is not a publication.
    assert_eq!(
        transition(DocState::InReview { stage: 1 }, &ReviewAction::Approve, &privacy),
        Ok(DocState::InReview { stage: 2 })
    );
    assert_eq!(
        transition(DocState::InReview { stage: 2 }, &ReviewAction::Approve, &privacy),
        Err(CatalogueError::PrivacyBlocked)
    );
    let files = TransitionCtx {
        files_blocked: true,
        ..TransitionCtx::new(2)
    };
    assert_eq!(
        transition(DocState::Scheduled, &ReviewAction::Publish, &files),
        Err(CatalogueError::FilesBlocked)
    );
    assert_eq!(
        transition(DocState::Scheduled, &ReviewAction::Withdraw, &files),
        Ok(DocState::Draft)
    );
}

#[test]
fn unpublish_reasons() {
    assert_eq!(UnpublishReason::PublishedInError.http_status(), 410);
    assert_eq!(UnpublishReason::Withdrawn.http_status(), 200);
    assert!(!UnpublishReason::PublishedInError.keeps_page());
    assert!(UnpublishReason::Withdrawn.keeps_page());
    assert_eq!(UnpublishReason::PublishedInError.label_zh(), "误发撤下");
    assert_eq!(UnpublishReason::Withdrawn.label_zh(), "撤回");
    assert_eq!(
        UnpublishReason::Withdrawn.notice_zh(d(2021, 6, 2)),
        "该信息已于2021年6月2日撤回，以下内容仅供查阅。"
    );
}

fn action_strategy() -> impl Strategy<Value = ReviewAction> {
    prop_oneof![
        Just(ReviewAction::Submit),
        Just(ReviewAction::Approve),
        prop::sample::select(vec!["", " ", "请补充解读材料"]).prop_map(|c| ReviewAction::Reject { comment: c.to_owned() }),
        (0u32..24).prop_map(|h| ReviewAction::Schedule { at: at(h) }),
        Just(ReviewAction::Publish),
        prop::sample::select(vec![UnpublishReason::PublishedInError, UnpublishReason::Withdrawn])
            .prop_map(|reason| ReviewAction::Unpublish { reason }),
        Just(ReviewAction::Withdraw),
    ]
}

fn ctx_strategy(stages: u8) -> impl Strategy<Value = TransitionCtx> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.8),
    )
        .prop_map(
            move |(actor_is_author, privacy_blocked, files_blocked, has_required_links)| TransitionCtx {
                stages,
                actor_is_author,
                privacy_blocked,
                files_blocked,
                has_required_links,
            },
        )
}

proptest! {
    /// Random walks through the workflow: the author never approves, no
    /// state is reached through a blocked check, Published is reached only
    /// by the final approval or by publishing a scheduled (approved) item,
    /// and stages stay within the site's count.
    #[test]
    fn workflow_invariants(stages in 1u8..=3,
                           steps in prop::collection::vec((action_strategy(), any::<u64>()), 1..60),
                           ctxs in prop::collection::vec(ctx_strategy(3), 60)) {
        let mut state = DocState::Draft;
        // Whether the item passed every review stage since it last left Draft.
        let mut approved = false;
        for (i, (action, _)) in steps.iter().enumerate() {
            let ctx = TransitionCtx { stages, ..ctxs[i] };
            let result = transition(state, action, &ctx);
            let Ok(next) = result else {
                continue;
            };
            if ctx.actor_is_author {
                prop_assert!(!matches!(action, ReviewAction::Approve | ReviewAction::Schedule { .. } | ReviewAction::Publish),
                             "author performed {:?}", action);
            }
            if matches!(next, DocState::Published | DocState::Scheduled) && next != state || matches!(action, ReviewAction::Submit) {
                prop_assert!(!ctx.privacy_blocked && !ctx.files_blocked && ctx.has_required_links);
            }
            if next == DocState::Published && state != DocState::Published {
                let final_approval = matches!((state, action), (DocState::InReview { stage: s }, ReviewAction::Approve) if s >= stages);
                let publish_scheduled = state == DocState::Scheduled && matches!(action, ReviewAction::Publish) && approved;
                prop_assert!(final_approval || publish_scheduled, "{:?} --{:?}--> Published", state, action);
            }
            if let DocState::InReview { stage } = next {
                prop_assert!((1..=stages).contains(&stage));
                if let DocState::InReview { stage: before } = state {
                    prop_assert_eq!(stage, before + 1);
                } else {
                    prop_assert_eq!(stage, 1);
                }
            }
            if next == DocState::Draft {
                approved = false;
            }
            if next == DocState::Scheduled {
                let from_final_stage = matches!(state, DocState::InReview { stage } if stage >= stages);
                prop_assert!(from_final_stage || state == DocState::Scheduled, "{:?} --{:?}--> Scheduled", state, action);
                approved = true;
            }
            if next == DocState::Unpublished {
                prop_assert_eq!(state, DocState::Published);
            }
            state = next;
        }
    }

    /// A refused action never depends on anything but its inputs, and the
    /// same inputs give the same answer (the function is pure).
    #[test]
    fn transition_is_pure(action in action_strategy(), ctx in ctx_strategy(3), stage in 0u8..5) {
        for state in [DocState::Draft, DocState::InReview { stage }, DocState::Scheduled, DocState::Published, DocState::Unpublished] {
            prop_assert_eq!(transition(state, &action, &ctx), transition(state, &action, &ctx));
        }
    }
}

// ---------------------------------------------------------------------------
// Version diff
// ---------------------------------------------------------------------------

#[test]
fn diff_of_two_versions() {
    let old = html_to_text(
        "<p>　　为贯彻落实有关精神，现将《责任清单》印发给你们。</p><p>一、进一步提高政治站位。</p><p>二、进一步强化工作落实。</p>",
    );
    let new = html_to_text(
        "<p>　　为贯彻落实有关精神，经县政府同意，现将《责任清单》印发给你们。</p>\n<p>一、进一步提高政治站位。</p>\
         <p>三、进一步强化审核把关。</p>",
    );
    let diff = diff_text(&old, &new);
    let tags: Vec<DiffTag> = diff.iter().map(|l| l.tag).collect();
    assert_eq!(
        tags,
        [DiffTag::Delete, DiffTag::Insert, DiffTag::Equal, DiffTag::Delete, DiffTag::Insert]
    );
    assert_eq!(
        diff[1].inline,
        vec![
            (false, "为贯彻落实有关精神，".to_owned()),
            (true, "经县政府同意，".to_owned()),
            (false, "现将《责任清单》印发给你们。".to_owned()),
        ]
    );
    assert_eq!(diff[0].inline.iter().filter(|(changed, _)| *changed).count(), 0);
    assert_eq!((diff[2].old_line, diff[2].new_line), (Some(2), Some(2)));
    assert_eq!(diff[4].text, "三、进一步强化审核把关。");
    let json = serde_json::to_value(&diff[1]).unwrap();
    assert_eq!(json["tag"], "insert");
    assert_eq!(json["inline"][1], serde_json::json!([true, "经县政府同意，"]));
}

#[test]
fn diff_edge_cases() {
    assert!(diff_text("", "").is_empty());
    let all_new = diff_text("", "一\n二");
    assert!(all_new.iter().all(|l| l.tag == DiffTag::Insert));
    assert_eq!(all_new.len(), 2);
    let same = diff_text("一\r\n二\r\n", "一\n二");
    assert!(same.iter().all(|l| l.tag == DiffTag::Equal), "{same:?}");
    // Completely different lines are marked whole rather than char by char.
    let d = diff_text("甲乙丙丁", "ABCD");
    assert_eq!(d[0].inline, vec![(true, "甲乙丙丁".to_owned())]);
    assert_eq!(d[1].inline, vec![(true, "ABCD".to_owned())]);
}

#[test]
fn html_to_text_keeps_paragraphs() {
    let html = "<h2>标题</h2><p>第一段\n继续</p><p></p><p>&nbsp;</p><ul><li>一</li><li>二</li></ul>\
                <table><tr><td>县财政局</td><td>023-57681234</td></tr></table><p>图：<img src=\"/a.png\" alt=\"流程图\"></p>\
                <div><script>var x = '<p>不是正文</p>';</script><style>p{}</style>结尾</div>";
    assert_eq!(
        html_to_text(html),
        "标题\n第一段 继续\n一\n二\n县财政局 | 023-57681234\n图：[图片：流程图]\n结尾"
    );
    assert_eq!(html_to_text("纯文本 &amp; 实体 &#x4e2d;"), "纯文本 & 实体 中");
    assert_eq!(html_to_text(""), "");
}

proptest! {
    /// Equal and deleted lines rebuild the old text, equal and inserted lines
    /// the new; inline segments always concatenate to their line.
    #[test]
    fn diff_reconstructs_both_versions(
        old in prop::collection::vec(prop::sample::select(vec!["甲", "乙", "丙丁", "公开", "20个工作日", "", "x y"]), 0..8),
        new in prop::collection::vec(prop::sample::select(vec!["甲", "乙", "丙戊", "公开", "15个工作日", "", "x z"]), 0..8),
    ) {
        let (old, new) = (old.join("\n"), new.join("\n"));
        let diff = diff_text(&old, &new);
        let rebuilt_old: Vec<&str> = diff.iter().filter(|l| l.tag != DiffTag::Insert).map(|l| l.text.as_str()).collect();
        let rebuilt_new: Vec<&str> = diff.iter().filter(|l| l.tag != DiffTag::Delete).map(|l| l.text.as_str()).collect();
        let lines = |s: &str| if s.is_empty() { Vec::new() } else { s.lines().map(str::to_owned).collect::<Vec<_>>() };
        prop_assert_eq!(rebuilt_old, lines(&old));
        prop_assert_eq!(rebuilt_new, lines(&new));
        for l in &diff {
            let joined: String = l.inline.iter().map(|(_, s)| s.as_str()).collect();
            prop_assert_eq!(&joined, &l.text);
            if l.tag == DiffTag::Equal {
                prop_assert!(l.inline.iter().all(|(changed, _)| !changed));
            }
        }
    }

    #[test]
    fn html_to_text_never_panics(s in any::<String>()) {
        let text = html_to_text(&s);
        prop_assert!(!text.contains("\n\n"));
    }
}

// ---------------------------------------------------------------------------
// Sanitising
// ---------------------------------------------------------------------------

#[test]
fn sanitize_keeps_a_document_body() {
    let html = r#"<h2>一、总体情况</h2><p class="text-indent">　　2021年，巫山县<strong>深入</strong>推进<em>政务公开</em>，<u>下划线</u><s>删除线</s>H<sub>2</sub>O m<sup>2</sup>。</p><ol><li>一</li></ol><ul><li>二</li></ul><blockquote>引文</blockquote><table><caption>表1</caption><thead><tr><th scope="col" colspan="2">单位</th></tr></thead><tbody><tr><td rowspan="2">县政府办</td><td>023</td></tr></tbody></table><figure class="text-center"><img src="/uploads/2021/a.png" alt="图解" width="600" height="400"><figcaption>图解</figcaption></figure><p><a href="https://www.gov.cn/zhengce/" title="政策">链接</a> <a href="/zwgk/1.html">站内</a> <a href="mailto:zwgk@wushan.gov.cn">邮箱</a></p><div class="text-right"><span class="text-center">巫山县人民政府办公室</span></div>"#;
    let expected = r#"<h2>一、总体情况</h2><p class="text-indent">　　2021年，巫山县<strong>深入</strong>推进<em>政务公开</em>，<u>下划线</u><s>删除线</s>H<sub>2</sub>O m<sup>2</sup>。</p><ol><li>一</li></ol><ul><li>二</li></ul><blockquote>引文</blockquote><table><caption>表1</caption><thead><tr><th scope="col" colspan="2">单位</th></tr></thead><tbody><tr><td rowspan="2">县政府办</td><td>023</td></tr></tbody></table><figure class="text-center"><img src="/uploads/2021/a.png" alt="图解" width="600" height="400"><figcaption>图解</figcaption></figure><p><a href="https://www.gov.cn/zhengce/" title="政策" rel="noopener noreferrer">链接</a> <a href="/zwgk/1.html" rel="noopener noreferrer">站内</a> <a href="mailto:zwgk@wushan.gov.cn" rel="noopener noreferrer">邮箱</a></p><div class="text-right"><span class="text-center">巫山县人民政府办公室</span></div>"#;
    assert_eq!(sanitize_body(html), expected);
    assert_eq!(sanitize_body(expected), expected, "idempotent");
    assert_eq!(sanitize_body("<h1>标题</h1><h5>小节</h5>"), "<h2>标题</h2><h4>小节</h4>");
    assert_eq!(
        sanitize_body(r#"<iframe src="/media/video/12" width="640" height="360" title="视频解读" allowfullscreen></iframe>"#),
        r#"<iframe src="/media/video/12" width="640" height="360" title="视频解读" allowfullscreen=""></iframe>"#
    );
}

/// Classic XSS vectors: none may leave anything executable behind.
const NASTY: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<img src=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\">",
    "<img src=\"vbscript:msgbox(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;vascript:alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<a href=\"#\" onclick=\"alert(1)\" onmouseover=alert(1)>x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<svg onload=alert(1)></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe src=\"//evil.example/\"></iframe>",
    "<iframe src=\"/\\evil.example/\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<iframe src=\"/v/1\" onload=\"alert(1)\" srcdoc=\"x\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\">",
    "<textarea><script>alert(1)</script></textarea>",
    "<table><td background=\"javascript:alert(1)\">x</td></table>",
    "<a href=\"/x\" target=\"_blank\" rel=\"opener\">x</a>",
    "<div id=\"x\" name=\"y\" data-x=\"1\" class=\"evil text-center\">x</div>",
    "<p><video src=/v.mp4 onerror=alert(1)></video><audio src=x onerror=alert(1)></audio></p>",
    "<img src=\"/a.png\" width=\"1;alert(1)\" height=\"99999\">",
    "<td colspan=\"2 onmouseover=alert(1)\">x</td>",
];

/// The start and end tags of sanitised output (text is escaped, so every
/// `<` in it starts a tag). `>` inside quoted attribute values is skipped.
fn tags_of(out: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = out;
    while let Some(lt) = rest.find('<') {
        let mut quoted = false;
        let end = rest[lt..]
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(i, _)| lt + i + 1);
        tags.push(&rest[lt..end]);
        rest = &rest[end..];
    }
    tags
}

fn assert_harmless(out: &str, input: &str) {
    let lower = tags_of(out).concat().to_ascii_lowercase();
    for bad in [
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        " on",
        "style=",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<button",
        "<meta",
        "<base",
        "<link",
        "<style",
        "<body",
        "<details",
        "<video",
        "<audio",
        "<textarea",
        "srcdoc",
        "formaction",
        "background=",
        "target=",
        "id=",
        "name=",
        "data-",
        "evil",
        "opener\"",
        "expression(",
    ] {
        assert!(!lower.contains(bad), "{bad:?} survived in {out:?} (from {input:?})");
    }
    // Any surviving tag is on the allow-list.
    let allowed: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "blockquote",
        "a",
        "img",
        "figure",
        "figcaption",
        "span",
        "div",
        "iframe",
    ]
    .into_iter()
    .collect();
    let mut rest = out;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(allowed.contains(name.as_str()), "tag {name:?} survived in {out:?}");
    }
    // Iframes only from the site itself.
    for (i, _) in out.match_indices("<iframe") {
        assert!(
            out[i..].starts_with("<iframe src=\"/") && !out[i..].starts_with("<iframe src=\"//"),
            "{out}"
        );
    }
}

#[test]
fn sanitize_defeats_xss_vectors() {
    for input in NASTY {
        let out = sanitize_body(input);
        assert_harmless(&out, input);
        assert_eq!(sanitize_body(&out), out, "not idempotent for {input:?}");
    }
    // Some survive as harmless text or as the allowed part only.
    assert_eq!(sanitize_body("<img src=x onerror=alert(1)>"), r#"<img src="x">"#);
    assert_eq!(
        sanitize_body("<iframe src=\"/v/1\" onload=\"alert(1)\" srcdoc=\"x\"></iframe>"),
        r#"<iframe src="/v/1"></iframe>"#
    );
    assert_eq!(
        sanitize_body("<a href=\"/x\" target=\"_blank\" rel=\"opener\">x</a>"),
        r#"<a href="/x" rel="noopener noreferrer">x</a>"#
    );
    assert_eq!(sanitize_body("<p>1 &lt; 2 &amp; 3 > 2</p>"), "<p>1 &lt; 2 &amp; 3 &gt; 2</p>");
}

proptest! {
    /// Random tag soup built from dangerous pieces stays harmless, and
    /// sanitising is idempotent.
    #[test]
    fn sanitize_soup(pieces in prop::collection::vec(prop::sample::select(vec![
        "<", ">", "/", "\"", "'", "=", " ", "script", "img", "iframe", "a", "p", "svg", "style", "src", "href", "onerror",
        "javascript:", "data:", "alert(1)", "//evil.example", "/v/1", "<!--", "-->", "&#106;", "&lt;", "table", "td", "math",
        "noscript", "xmp", "textarea", "class", "text-center", "title", "\t", "\n", "文字",
    ]), 0..40)) {
        let input = pieces.concat();
        let out = sanitize_body(&input);
        let lower = tags_of(&out).concat().to_ascii_lowercase();
        for bad in ["<script", "javascript:", "data:", " on", "<svg", "<style", "<math", "<noscript", "<xmp", "<textarea"] {
            prop_assert!(!lower.contains(bad), "{:?} survived in {:?} (from {:?})", bad, out, input);
        }
        for (i, _) in out.match_indices("<iframe") {
            prop_assert!(out[i..].starts_with("<iframe src=\"/") && !out[i..].starts_with("<iframe src=\"//"), "{}", out);
        }
        prop_assert_eq!(sanitize_body(&out), out.clone());
    }

    #[test]
    fn sanitize_never_panics(s in any::<String>()) {
        let _ = sanitize_body(&s);
    }
}
