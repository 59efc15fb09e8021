//! Tests of `gongkai_domain::privacy`: each kind with exact offsets and
//! masks, checksum rejections, the false-positive and positive corpora in
//! `tests/data/privacy/`, HTML scanning, one-click masking, and properties
//! (planted data are found exactly, masking touches nothing else and leaves
//! nothing to find, arbitrary input never panics).
//!
//! Test data are generated here with independent implementations of the
//! GB 11643-1999 check character and the Luhn check, so a bug in the module's
//! own checks cannot make its tests agree with it.

use gongkai_domain::privacy::{
    Finding, Kind, LawfulBasis, ScanOptions, is_valid_id18, luhn, mask, mask_all, mask_finding, scan, scan_html,
};
use proptest::prelude::*;

const CORPUS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/privacy");

/// The offices' public phones the negative corpus relies on.
const PUBLIC_PHONES: [&str; 5] = ["023-57612345", "(023)5768 2345", "57681234", "13983000000", "0755-12345678"];

fn public_opts() -> ScanOptions {
    ScanOptions {
        public_phones: PUBLIC_PHONES.iter().map(|s| s.to_string()).collect(),
    }
}

fn no_opts() -> ScanOptions {
    ScanOptions::default()
}

/// GB 11643-1999 check character, written independently of the module.
fn check_char(first17: &str) -> char {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(weights).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

fn id18(first17: &str) -> String {
    assert_eq!(first17.len(), 17);
    format!("{first17}{}", check_char(first17))
}

/// Appends the Luhn check digit, written independently of the module.
fn with_luhn(payload: &str) -> String {
    let sum: u32 = payload
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let d2 = d * 2;
                d2 / 10 + d2 % 10
            } else {
                d
            }
        })
        .sum();
    format!("{payload}{}", (10 - sum % 10) % 10)
}

/// (kind, text) of the findings, checking the invariants on the way.
fn found(text: &str, opts: &ScanOptions) -> Vec<(Kind, String)> {
    let fs = scan(text, opts);
    check_invariants(text, &fs);
    fs.into_iter().map(|f| (f.kind, f.text)).collect()
}

fn check_invariants(text: &str, fs: &[Finding]) {
    let mut prev_end = 0;
    for f in fs {
        assert!(f.start < f.end, "{f:?}");
        assert!(f.start >= prev_end, "sorted, non-overlapping: {fs:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        assert_eq!(&text[f.start..f.end], f.text);
        assert_eq!(f.masked, mask(f.kind, &f.text));
        prev_end = f.end;
    }
}

fn finding(text: &str, kind: Kind, needle: &str, masked: &str) -> Finding {
    let start = text.find(needle).expect("needle in text");
    Finding {
        kind,
        start,
        end: start + needle.len(),
        text: needle.to_owned(),
        masked: masked.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Each kind, exact offsets and masks
// ---------------------------------------------------------------------------

#[test]
fn generated_ids_match_the_classic_sample() {
    // The independent generator agrees with the published example.
    assert_eq!(id18("11010519491231002"), "11010519491231002X");
    assert!(is_valid_id18("11010519491231002X"));
}

#[test]
fn each_kind_with_exact_offsets_and_masks() {
    let id = id18("50023719850312001");
    let card = with_luhn("622200000000000001");
    let text = format!(
        "姓名：张三，身份证号码：{id}，手机：138 1234 5678，宅电（023）56780002，\
         银行卡号{card}，邮箱zhangsan@example.com，车牌渝A·12345。"
    );
    let fs = scan(&text, &no_opts());
    check_invariants(&text, &fs);
    let expected = vec![
        finding(&text, Kind::Name, "张三", "张*"),
        finding(&text, Kind::IdNumber, &id, "500237********0011"),
        finding(&text, Kind::Mobile, "138 1234 5678", "138 **** 5678"),
        finding(&text, Kind::Landline, "（023）56780002", "（023）******02"),
        finding(&text, Kind::BankCard, &card, "6222***********0012"),
        finding(&text, Kind::Email, "zhangsan@example.com", "z***@example.com"),
        finding(&text, Kind::LicencePlate, "渝A·12345", "渝A·****5"),
    ];
    assert_eq!(card, "6222000000000000012");
    assert_eq!(fs, expected);
    // Byte offsets, not char offsets: the name starts after 姓名： (9 bytes).
    assert_eq!((fs[0].start, fs[0].end), (9, 15));
}

#[test]
fn id_numbers() {
    let t = "身份证号：11010519491231002X。";
    let fs = scan(t, &no_opts());
    assert_eq!(fs, vec![finding(t, Kind::IdNumber, "11010519491231002X", "110105********002X")]);
    assert_eq!(fs[0].start, "身份证号：".len());

    // Lower-case x, 15-digit legacy numbers, the 6-8-4 spaced layout.
    assert_eq!(
        found("证号11010519491231002x止", &no_opts()),
        vec![(Kind::IdNumber, "11010519491231002x".into())]
    );
    let t = "旧证110105491231002已换发";
    assert_eq!(
        scan(t, &no_opts()),
        vec![finding(t, Kind::IdNumber, "110105491231002", "110105******002")]
    );
    let t = "号码 110105 19491231 002X 。";
    assert_eq!(
        scan(t, &no_opts()),
        vec![finding(t, Kind::IdNumber, "110105 19491231 002X", "110105 ******** 002X")]
    );
}

#[test]
fn an_id_with_a_wrong_check_character_is_not_an_id() {
    for first17 in ["11010519491231002", "50023719850312001", "44030519991231005", "50023720100808006"] {
        let good = id18(first17);
        assert_eq!(found(&good, &no_opts()), vec![(Kind::IdNumber, good.clone())]);
        for c in "0123456789X".chars().filter(|&c| c.to_string() != good[17..]) {
            let bad = format!("{first17}{c}");
            assert!(!is_valid_id18(&bad), "{bad}");
            // Not an ID, and not re-labelled as a bank card either: an
            // ID-shaped number with a wrong check digit is a typo.
            let fs = found(&format!("身份证号码{bad}。"), &no_opts());
            assert!(fs.is_empty(), "{bad}: {fs:?}");
        }
    }
}

#[test]
fn implausible_birth_dates_and_regions_are_rejected_even_with_a_right_check_character() {
    for first17 in [
        "11010518991231002", // born 1899
        "11010529991231002", // born 2999
        "11010519490229002", // 1949 is not a leap year
        "11010519491301002", // month 13
        "00010519491231002", // region 00
        "99010519491231002", // no province 99
    ] {
        let s = id18(first17);
        assert!(!is_valid_id18(&s), "{s}");
        assert!(!found(&s, &no_opts()).iter().any(|(k, _)| *k == Kind::IdNumber), "{s}");
    }
    assert!(is_valid_id18(&id18("11010520000229002")), "2000 is a leap year");
}

#[test]
fn unified_social_credit_codes_are_not_ids() {
    for code in ["11500237MB1234567X", "91500237MA5U123456", "12500237450123456K"] {
        assert!(!is_valid_id18(code), "{code}");
        assert!(found(&format!("统一社会信用代码：{code}"), &no_opts()).is_empty(), "{code}");
    }
    // An all-digit code that happens to be a valid ID is still not a
    // personal ID after a credit-code label.
    let digits = id18("11500219800101001");
    assert!(is_valid_id18(&digits));
    assert!(found(&format!("统一社会信用代码：{digits}"), &no_opts()).is_empty());
    assert_eq!(found(&format!("身份证号码：{digits}"), &no_opts()).len(), 1);
}

#[test]
fn ids_are_not_matched_inside_longer_digit_runs() {
    let id = "11010519491231002X";
    assert!(found(&format!("1{id}"), &no_opts()).is_empty());
    assert!(found(&format!("编号A{id}"), &no_opts()).is_empty());
    assert!(found(&format!("{id}5"), &no_opts()).is_empty());
    let id = id18("50023719850312001");
    for d in '0'..='9' {
        // The 19-digit run may be a (Luhn-valid) card number, but never an
        // ID found inside it.
        for run in [format!("{d}{id}"), format!("{id}{d}")] {
            let fs = found(&run, &no_opts());
            assert!(fs.iter().all(|(k, t)| *k == Kind::BankCard && *t == run), "{run}: {fs:?}");
        }
    }
}

#[test]
fn mobiles_in_all_layouts() {
    for (text, num, masked) in [
        ("电话13812345678。", "13812345678", "138****5678"),
        ("电话 138 1234 5678 。", "138 1234 5678", "138 **** 5678"),
        ("电话138-1234-5678", "138-1234-5678", "138-****-5678"),
        ("电话 138 12345678，", "138 12345678", "138 ****5678"),
        ("拨打+86 138 1234 5678", "+86 138 1234 5678", "+86 138 **** 5678"),
        ("拨打+8613812345678", "+8613812345678", "+86138****5678"),
        ("拨打86-138-1234-5678", "86-138-1234-5678", "86-138-****-5678"),
        ("199 0000 1111", "199 0000 1111", "199 **** 1111"),
    ] {
        assert_eq!(scan(text, &no_opts()), vec![finding(text, Kind::Mobile, num, masked)], "{text}");
    }
    for text in [
        "12812345678",
        "138123456789",
        "2138123456789",
        "1381234567",
        "ab13812345678",
        "13812345678元",
        "13812345678.5",
    ] {
        assert!(found(text, &no_opts()).is_empty(), "{text}");
    }
}

#[test]
fn landlines_with_area_code_and_extension() {
    for (text, num, masked) in [
        ("电话023-57612345。", "023-57612345", "023-******45"),
        ("电话(023)57612345", "(023)57612345", "(023)******45"),
        ("电话（0755）1234 5678", "（0755）1234 5678", "（0755）**** **78"),
        ("电话0755-12345678", "0755-12345678", "0755-******78"),
        ("电话010 62220005，", "010 62220005", "010 ******05"),
        ("电话023-57612345转801", "023-57612345转801", "023-******45转***"),
        ("电话023-57612345-12", "023-57612345-12", "023-******45-**"),
        ("电话(023)5761-2345转8", "(023)5761-2345转8", "(023)****-**45转*"),
    ] {
        assert_eq!(scan(text, &no_opts()), vec![finding(text, Kind::Landline, num, masked)], "{text}");
    }
    // No separator, wrong area code shapes, subscriber starting with 0.
    for text in ["02357612345", "0023-57612345", "023-0761234", "2021-06-01", "0237-576"] {
        assert!(found(text, &no_opts()).is_empty(), "{text}");
    }
}

#[test]
fn public_phones_are_compared_on_digits_only() {
    let text = "办公室电话：023-57612345；值班：(023)5768 2345；传真：023 57681234；值班手机：139 8300 0000；另：023-57699999";
    let all = found(text, &no_opts());
    assert_eq!(all.len(), 5, "without the list every number is found: {all:?}");
    let fs = found(text, &public_opts());
    assert_eq!(fs, vec![(Kind::Landline, "023-57699999".to_owned())]);
    // Extensions and country codes do not hide a public number.
    assert!(found("电话023-57612345转801，+86 13983000000", &public_opts()).is_empty());
}

#[test]
fn bank_cards_need_luhn_and_a_card_layout() {
    let card16 = with_luhn("436742000000000");
    let card19 = with_luhn("621700000000000000");
    for (text, num, masked) in [
        (format!("卡号{card16}。"), card16.clone(), "4367********0009"),
        (format!("卡号 {} 。", spaced(&card19)), spaced(&card19), "6217 **** **** ***0 004"),
    ] {
        assert_eq!(
            scan(&text, &no_opts()),
            vec![finding(&text, Kind::BankCard, &num, masked)],
            "{text}"
        );
    }
    let hyphenated = "6222-0200-0000-0007";
    assert!(luhn(&hyphenated.replace('-', "")));
    assert_eq!(
        found(&format!("卡号{hyphenated}"), &no_opts()),
        vec![(Kind::BankCard, hyphenated.into())]
    );
    // One digit off: Luhn fails, nothing found.
    let mut wrong = card16.clone();
    wrong.replace_range(15..16, if card16.ends_with('9') { "8" } else { "9" });
    assert!(!luhn(&wrong));
    assert!(found(&format!("卡号{wrong}"), &no_opts()).is_empty());
    // Amounts are not cards.
    assert!(found(&format!("金额{card16}元"), &no_opts()).is_empty());
    assert!(found(&format!("金额{card16} 万元"), &no_opts()).is_empty());
    assert!(found(&format!("金额￥{card16}"), &no_opts()).is_empty());
}

fn spaced(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn an_id_that_also_passes_luhn_is_an_id() {
    // Find an ID whose 18 digits also pass Luhn: ID > bank card.
    let id = (0..1000)
        .map(|seq| id18(&format!("50023719850312{seq:03}")))
        .find(|id| !id.ends_with('X') && luhn(id))
        .expect("one in ten passes Luhn");
    assert_eq!(found(&id, &no_opts()), vec![(Kind::IdNumber, id.clone())]);
}

#[test]
fn emails_win_over_numbers_inside_them() {
    let t = "邮箱13812345678@example.com。";
    assert_eq!(
        scan(t, &no_opts()),
        vec![finding(t, Kind::Email, "13812345678@example.com", "1***@example.com")]
    );
    let t = "邮箱 li.si+gk@mail.example.org.";
    assert_eq!(
        scan(t, &no_opts()),
        vec![finding(t, Kind::Email, "li.si+gk@mail.example.org", "l***@mail.example.org")]
    );
    for text in ["@巫山发布", "user@localhost", "a@b.c", "a@-b.cn", "a@b.c1"] {
        assert!(found(text, &no_opts()).is_empty(), "{text}");
    }
}

#[test]
fn licence_plates() {
    for (text, plate, masked) in [
        ("车辆渝A12345已", "渝A12345", "渝A****5"),
        ("车辆渝B·6789Z", "渝B·6789Z", "渝B·****Z"),
        ("新能源渝AD12345。", "渝AD12345", "渝A*****5"),
        ("大型车鄂A12345D，", "鄂A12345D", "鄂A*****D"),
    ] {
        assert_eq!(
            scan(text, &no_opts()),
            vec![finding(text, Kind::LicencePlate, plate, masked)],
            "{text}"
        );
    }
    for text in [
        "A级景区",
        "新A级景区",
        "沪深300",
        "渝ABCDE",
        "渝A1234",
        "渝A1234567",
        "渝A12345b",
        "渝AO1234",
    ] {
        assert!(found(text, &no_opts()).is_empty(), "{text}");
    }
}

#[test]
fn labelled_names_cover_the_name_only() {
    for (text, name, masked) in [
        ("姓名：张三", "张三", "张*"),
        ("联系人: 李四，电话另告", "李四", "李*"),
        ("申请人 ：王小明申请公开", "王小明", "王**"),
        ("当事人：欧阳娜娜（女）", "欧阳娜娜", "欧阳**"),
        ("举报人：买买提·艾力", "买买提·艾力", "买**·**"),
        ("委托代理人：孙悦同志", "孙悦", "孙*"),
        ("姓　名：司马相如", "司马相如", "司马**"),
        ("法人代表：周大福，", "周大福", "周**"),
    ] {
        assert_eq!(scan(text, &no_opts()), vec![finding(text, Kind::Name, name, masked)], "{text}");
    }
    // The next field's label ends a name.
    assert_eq!(
        found("姓名：张三联系人：李四", &no_opts()),
        vec![(Kind::Name, "张三".to_owned()), (Kind::Name, "李四".to_owned())]
    );
    for text in [
        "县长张三主持会议",
        "联系人：县政府办公室",
        "负责人：主要负责人",
        "当事人：张某某",
        "联系人：王科长",
        "姓名：张*",
        "姓名：欧阳**",
        "书名：红楼梦",
    ] {
        assert!(found(text, &no_opts()).is_empty(), "{text}");
    }
}

#[test]
fn numbers_inside_urls_are_not_findings() {
    let id = id18("50023719850312001");
    for text in [
        format!("http://www.cqws.gov.cn/files/{id}.pdf"),
        "https://www.gov.cn/zhengce/content/2021-06/01/content_5614567.htm?tel=13812345678".to_owned(),
        "www.cq.gov.cn/13812345678.html".to_owned(),
        "见cqws.gov.cn/art/2021/6/1/art_13812345678_1.html".to_owned(),
    ] {
        assert!(found(&text, &no_opts()).is_empty(), "{text}");
    }
    // A number after the URL still counts.
    assert_eq!(found("见http://www.cqws.gov.cn 电话13812345678", &no_opts()).len(), 1);
}

#[test]
fn kinds_serialise_in_snake_case_with_chinese_labels() {
    let labels: Vec<&str> = Kind::ALL.iter().map(Kind::label_zh).collect();
    assert_eq!(
        labels,
        ["身份证号码", "手机号码", "固定电话", "银行卡号", "电子邮箱", "车牌号码", "姓名"]
    );
    for k in Kind::ALL {
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
    }
    assert_eq!(serde_json::to_string(&Kind::LicencePlate).unwrap(), "\"licence_plate\"");
    assert_eq!(serde_json::from_str::<Kind>("\"id_number\"").unwrap(), Kind::IdNumber);
    assert_eq!(LawfulBasis::PunishmentNotice.label_zh(), "惩戒公示");
    assert_eq!(LawfulBasis::MandatoryDisclosure.label_zh(), "强制性信息披露");
}

// ---------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------

#[test]
fn one_click_masking_and_stale_findings() {
    let text = "申请人：张三，手机13812345678，身份证11010519491231002X。";
    let fs = scan(text, &no_opts());
    assert_eq!(fs.len(), 3);
    let once = mask_finding(text, &fs[1]).expect("still there");
    assert_eq!(once, "申请人：张三，手机138****5678，身份证11010519491231002X。");
    // The other findings still apply to the new text only if their offsets
    // did not move; this mask keeps the length, so the ID can follow.
    let twice = mask_finding(&once, &fs[2]).expect("same length masks keep offsets");
    assert_eq!(twice, "申请人：张三，手机138****5678，身份证110105********002X。");
    // Masking the same finding again: its text is gone.
    assert_eq!(mask_finding(&once, &fs[1]), None);
    // Offsets past the end or off a char boundary are rejected, not a panic.
    let mut off = fs[0].clone();
    off.start += 1;
    assert_eq!(mask_finding(text, &off), None);
    off.start = text.len() + 5;
    off.end = text.len() + 9;
    assert_eq!(mask_finding(text, &off), None);
    assert_eq!(mask_all(text, &fs), "申请人：张*，手机138****5678，身份证110105********002X。");
}

#[test]
fn masking_one_finding_keeps_exactly_the_others() {
    // Cases where a naive scanner changes its mind after masking (found by
    // the properties below): masked digits must not shift how digit runs
    // are split, where an address starts, or where a name ends.
    for text in [
        "6200 0300 1000 0000 3aa@example.com",
        "@-010-20000000-aa@example.com",
        "6201 7727 5637 0910 3130 0000 0000",
        "138 1234 5678 9012 3456 7890",
        "姓名：张伟姓名：张伟500237190001010000",
        "姓名：张伟渝J00000",
        "姓名：张三zhang@example.com",
        "姓名：张三13812345678",
        "a0@example.coma_0@example.com渝A00000",
        "(023)57612345 13812345678",
        "023-57612345转801 13812345678",
    ] {
        let fs = scan(text, &no_opts());
        assert!(!fs.is_empty(), "{text}");
        for (i, f) in fs.iter().enumerate() {
            let masked = mask_finding(text, f).unwrap();
            let shift = f.masked.len() as isize - f.text.len() as isize;
            let expected: Vec<(Kind, usize, &str)> = fs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(j, g)| {
                    (
                        g.kind,
                        if j > i { (g.start as isize + shift) as usize } else { g.start },
                        g.text.as_str(),
                    )
                })
                .collect();
            let again = scan(&masked, &no_opts());
            let got: Vec<(Kind, usize, &str)> = again.iter().map(|g| (g.kind, g.start, g.text.as_str())).collect();
            assert_eq!(got, expected, "{text} -> {masked}");
        }
    }
}

#[test]
fn mask_all_handles_length_changes_and_skips_stale_findings() {
    let text = "邮箱zhangsan@example.com，姓名：欧阳娜娜，邮箱li@example.org";
    let fs = scan(text, &no_opts());
    assert_eq!(fs.len(), 3);
    assert_eq!(mask_all(text, &fs), "邮箱z***@example.com，姓名：欧阳**，邮箱l***@example.org");
    let mut stale = fs.clone();
    stale[1].text = "王五".into();
    assert_eq!(mask_all(text, &stale), "邮箱z***@example.com，姓名：欧阳娜娜，邮箱l***@example.org");
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

#[test]
fn html_scanning_skips_markup_and_masks_in_place() {
    let html = concat!(
        r#"<p class="tel-13812345678" data-id="11010519491231002X">申请人：<b>张三</b>，"#,
        r#"手机<span>13912345678</span>。</p><!-- 13712345678 -->"#,
        r#"<script>var t = "13612345678";</script><style>.a{}</style>"#,
        r#"<a href="http://www.cqws.gov.cn/13512345678.html">链接</a>&nbsp;身份证11010519491231002X"#
    );
    let fs = scan_html(html, &no_opts());
    check_invariants(html, &fs);
    let got: Vec<(Kind, &str)> = fs.iter().map(|f| (f.kind, f.text.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (Kind::Name, "张三"),
            (Kind::Mobile, "13912345678"),
            (Kind::IdNumber, "11010519491231002X")
        ]
    );
    let masked = mask_all(html, &fs);
    assert!(masked.contains("<b>张*</b>") && masked.contains("<span>139****5678</span>"));
    assert!(masked.contains(r#"data-id="11010519491231002X""#), "attributes are left alone");
    assert!(masked.ends_with("身份证110105********002X"));
    assert!(scan_html(&masked, &no_opts()).is_empty());
    // A lone `<` in text is not a tag.
    assert_eq!(scan_html("1 < 2，电话13812345678", &no_opts()).len(), 1);
    // An unclosed tag hides the rest rather than panicking.
    assert!(scan_html("<p title='13812345678", &no_opts()).is_empty());
}

// ---------------------------------------------------------------------------
// Corpora
// ---------------------------------------------------------------------------

fn corpus(name: &str) -> Vec<(usize, String)> {
    let path = format!("{CORPUS_DIR}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.to_owned()))
        .collect()
}

#[test]
fn negative_corpus_has_no_findings() {
    let lines = corpus("negatives.txt");
    assert!(lines.len() >= 150, "corpus too small: {}", lines.len());
    let opts = public_opts();
    let mut false_positives = Vec::new();
    for (n, line) in &lines {
        let fs = scan(line, &opts);
        check_invariants(line, &fs);
        for f in fs {
            false_positives.push(format!("line {n}: {:?} {:?} in {line}", f.kind, f.text));
        }
    }
    // The whole corpus as one text, too (numbers across line ends).
    let joined: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let whole = scan(&joined, &opts);
    println!(
        "negatives: {} lines, {} false positives ({:.1}%), {} findings in the joined text",
        lines.len(),
        false_positives.len(),
        100.0 * false_positives.len() as f64 / lines.len() as f64,
        whole.len()
    );
    assert!(false_positives.is_empty(), "false positives:\n{}", false_positives.join("\n"));
    assert!(whole.is_empty(), "{whole:?}");
}

#[test]
fn positive_corpus_finds_exactly_one_datum_per_line() {
    let lines = corpus("positives.txt");
    assert!(lines.len() >= 80, "corpus too small: {}", lines.len());
    let opts = public_opts();
    let mut failures = Vec::new();
    let mut per_kind = std::collections::BTreeMap::<Kind, usize>::new();
    for (n, line) in &lines {
        let (kind, text) = line.split_once('\t').unwrap_or_else(|| panic!("line {n}: no tab"));
        let kind: Kind = serde_json::from_str(&format!("\"{kind}\"")).unwrap_or_else(|e| panic!("line {n}: {kind}: {e}"));
        *per_kind.entry(kind).or_default() += 1;
        let fs = scan(text, &opts);
        check_invariants(text, &fs);
        let got: Vec<(Kind, &str)> = fs.iter().map(|f| (f.kind, f.text.as_str())).collect();
        if got.len() != 1 || got[0].0 != kind {
            failures.push(format!("line {n}: expected one {kind:?}, got {got:?} in {text}"));
        } else {
            // The masked line must not still contain the datum.
            let masked = mask_all(text, &fs);
            assert!(!masked.contains(&fs[0].text), "line {n}: {masked}");
        }
    }
    println!(
        "positives: {} lines ({per_kind:?}), {} misses ({:.1}% false negatives)",
        lines.len(),
        failures.len(),
        100.0 * failures.len() as f64 / lines.len() as f64
    );
    assert!(
        per_kind.len() == Kind::ALL.len() && per_kind.values().all(|&n| n >= 8),
        "every kind well represented: {per_kind:?}"
    );
    assert!(failures.is_empty(), "misses:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const REGIONS: [&str; 6] = ["500237", "110105", "440305", "510102", "650102", "530102"];
const SURNAMES: [&str; 10] = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "欧阳", "司马"];
const GIVEN: [&str; 16] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超",
];
const LABELS: [&str; 6] = ["姓名：", "联系人：", "申请人: ", "当事人：", "负责人 ：", "户主："];
const PROVINCES: [&str; 6] = ["渝", "京", "川", "粤", "鄂", "湘"];

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n).prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// One planted datum: (kind, text as written).
fn datum() -> impl Strategy<Value = (Kind, String)> {
    let id = (0..REGIONS.len(), 1900i32..2020, 1u32..13, 1u32..29, digits(3))
        .prop_map(|(r, y, m, d, seq)| (Kind::IdNumber, id18(&format!("{}{y:04}{m:02}{d:02}{seq}", REGIONS[r]))));
    let mobile = (3u8..10, digits(9), 0..4usize).prop_map(|(second, rest, layout)| {
        let n = format!("1{second}{rest}");
        let text = match layout {
            0 => n,
            1 => format!("{} {} {}", &n[..3], &n[3..7], &n[7..]),
            2 => format!("{}-{}-{}", &n[..3], &n[3..7], &n[7..]),
            _ => format!("+86 {n}"),
        };
        (Kind::Mobile, text)
    });
    let landline = (
        prop::sample::select(vec!["010", "023", "028", "0755", "0571"]),
        2u8..9,
        digits(7),
        any::<bool>(),
    )
        .prop_map(|(area, first, rest, parens)| {
            let text = if parens {
                format!("({area}){first}{rest}")
            } else {
                format!("{area}-{first}{rest}")
            };
            (Kind::Landline, text)
        });
    let card = (prop::sample::select(vec![16usize, 17, 19]), any::<bool>()).prop_flat_map(|(len, spaced_out)| {
        digits(len - 3).prop_map(move |body| {
            let n = with_luhn(&format!("62{body}"));
            (Kind::BankCard, if spaced_out { spaced(&n) } else { n })
        })
    });
    let email = (
        "[a-z][a-z0-9._]{0,10}[a-z0-9]",
        prop::sample::select(vec!["example.com", "mail.example.cn", "163.com"]),
    )
        .prop_map(|(local, domain)| (Kind::Email, format!("{local}@{domain}")));
    let plate = (0..PROVINCES.len(), "[A-HJ-NP-Z]", digits(5), any::<bool>()).prop_map(|(p, letter, num, dot)| {
        (
            Kind::LicencePlate,
            format!("{}{letter}{}{num}", PROVINCES[p], if dot { "·" } else { "" }),
        )
    });
    let name = (0..LABELS.len(), 0..SURNAMES.len(), proptest::collection::vec(0..GIVEN.len(), 1..3)).prop_map(|(l, s, g)| {
        (
            Kind::Name,
            format!("{}{}", LABELS[l], SURNAMES[s]) + &g.iter().map(|&i| GIVEN[i]).collect::<String>(),
        )
    });
    prop_oneof![id, mobile, landline, card, email, plate, name]
}

/// Filler that holds no personal data: prose, 文号, dates, amounts, emoji.
fn filler() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "根据有关规定现予公示",
        "巫山府办发〔2021〕48号",
        "2021年6月1日",
        "2021-06-01",
        "金额12345元",
        "邮编404700",
        "热线12345",
        "😀🇨🇳",
        "第二十八条",
        "索引号：11500237MB1234567X/2021-00048",
        "",
    ])
    .prop_map(str::to_owned)
}

/// A document of planted data separated by full-width commas and filler;
/// returns the text and where each datum (or, for names, the name) sits.
fn document() -> impl Strategy<Value = (String, Vec<(Kind, usize, usize)>)> {
    proptest::collection::vec((filler(), datum()), 0..8).prop_map(|parts| {
        let mut text = String::new();
        let mut planted = Vec::new();
        for (fill, (kind, datum)) in parts {
            text.push_str(&fill);
            text.push('，');
            let start = text.len();
            text.push_str(&datum);
            let name_start = if kind == Kind::Name {
                start + LABELS.iter().find(|l| datum.starts_with(*l)).unwrap().len()
            } else {
                start
            };
            planted.push((kind, name_start, text.len()));
            text.push('，');
        }
        (text, planted)
    })
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => "[0-9 \\-+()（）：:@._a-zA-Z渝京姓名联系人张欧阳·*＊X转元/😀\u{3000}]{0,60}",
        // Data glued to each other and to short digit/separator runs.
        3 => proptest::collection::vec(
            prop_oneof![datum().prop_map(|(_, s)| s), filler(), "[0-9 \\-.@*]{0,6}", "[ \\-，]"],
            0..12
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn planted_data_are_found_exactly((text, planted) in document()) {
        let fs = scan(&text, &no_opts());
        check_invariants(&text, &fs);
        let got: Vec<(Kind, usize, usize)> = fs.iter().map(|f| (f.kind, f.start, f.end)).collect();
        prop_assert_eq!(got, planted, "{}", text);
    }

    #[test]
    fn masking_changes_nothing_outside_findings_and_leaves_nothing_to_find((text, _) in document()) {
        let fs = scan(&text, &no_opts());
        let masked = mask_all(&text, &fs);
        // Walk the output: every gap between findings is copied verbatim.
        let mut pos = 0;
        let mut out = masked.as_str();
        for f in &fs {
            let gap = &text[pos..f.start];
            prop_assert!(out.starts_with(gap), "gap {:?} changed in {}", gap, masked);
            out = &out[gap.len()..];
            prop_assert!(out.starts_with(&f.masked));
            prop_assert_ne!(&f.masked, &f.text);
            out = &out[f.masked.len()..];
            pos = f.end;
        }
        prop_assert_eq!(out, &text[pos..]);
        let again = scan(&masked, &no_opts());
        prop_assert!(again.is_empty(), "{:?} left in {}", again, masked);
        // One finding at a time gives the same result when masks keep the
        // length; at least each single mask only touches its own span.
        for f in &fs {
            let one = mask_finding(&text, f).unwrap();
            prop_assert_eq!(&one[..f.start], &text[..f.start]);
            prop_assert_eq!(&one[f.start + f.masked.len()..], &text[f.end..]);
        }
    }

    #[test]
    fn masking_some_findings_keeps_exactly_the_others(text in arbitrary_text(), pick in proptest::collection::vec(any::<bool>(), 16)) {
        // One-click masking in any order: after masking a subset, a re-scan
        // finds exactly the findings not yet masked, nothing new.
        let fs = scan(&text, &public_opts());
        let chosen: Vec<Finding> = fs.iter().enumerate().filter(|(i, _)| pick[i % pick.len()]).map(|(_, f)| f.clone()).collect();
        let masked = mask_all(&text, &chosen);
        let mut expected = Vec::new();
        let mut shift: isize = 0;
        for (i, f) in fs.iter().enumerate() {
            if pick[i % pick.len()] {
                shift += f.masked.len() as isize - f.text.len() as isize;
            } else {
                expected.push((f.kind, (f.start as isize + shift) as usize, f.text.clone()));
            }
        }
        let again: Vec<(Kind, usize, String)> = scan(&masked, &public_opts()).into_iter().map(|f| (f.kind, f.start, f.text)).collect();
        prop_assert_eq!(again, expected, "{:?} -> {:?}", text, masked);
    }

    #[test]
    fn arbitrary_input_never_panics_and_findings_are_well_formed(text in arbitrary_text()) {
        let fs = scan(&text, &no_opts());
        check_invariants(&text, &fs);
        let masked = mask_all(&text, &fs);
        let again = scan(&masked, &no_opts());
        prop_assert!(again.is_empty(), "{:?} left in {:?} (from {:?})", again, masked, text);
        let fs = scan_html(&text, &public_opts());
        check_invariants(&text, &fs);
        for kind in Kind::ALL {
            let _ = mask(kind, &text);
        }
    }
}
