//! Text extraction from real attachment files (tests/data, made by
//! tests/data/make_fixtures.py): the Chinese sentences and the personal data
//! the privacy scanner must find come out; broken files are errors, not panics.

use gongkai_domain::files::FileKind;
use gongkai_domain::privacy::{Kind, ScanOptions, scan};
use gongkai_search::extract::{ExtractError, MAX_TEXT_BYTES, extract_text};

const TITLE: &str = "巫山县人民政府办公室关于印发";
const PHONE: &str = "13812345678";
const ID_NUMBER: &str = "500237198001011237";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text_of(kind: FileKind, name: &str) -> String {
    extract_text(kind, &fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .unwrap_or_else(|| panic!("{name}: no text"))
}

fn finds(text: &str, kind: Kind, value: &str) -> bool {
    scan(text, &ScanOptions::default())
        .iter()
        .any(|f| f.kind == kind && f.text == value)
}

#[test]
fn docx_gives_paragraphs_tabs_breaks_header_and_footer() {
    let text = text_of(FileKind::Docx, "notice.docx");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "巫山县人民政府办公室关于印发巫山县2021年政务公开工作要点的通知", "{text}");
    assert_eq!(lines[1], "各乡镇人民政府、街道办事处，县政府各部门，有关单位：");
    assert!(lines.contains(&"文号：\t巫山府办发〔2021〕48号"), "{text}");
    // A line break inside a paragraph is a new line.
    assert!(
        lines.contains(&"联系人：李明") && lines.contains(&"联系电话：13812345678"),
        "{text}"
    );
    // Header and footer follow the body.
    assert!(lines.contains(&"巫山县人民政府办公室") && lines.contains(&"第1页"), "{text}");
    assert!(finds(&text, Kind::Mobile, PHONE));
}

#[test]
fn pdf_with_embedded_cjk_font_gives_chinese_text() {
    let text = text_of(FileKind::Pdf, "notice.pdf");
    assert!(text.contains(TITLE), "{text}");
    assert!(text.contains("各乡镇人民政府、街道办事处，县政府各部门，有关单位："), "{text}");
    assert!(text.contains("联系电话：13812345678"), "{text}");
    assert!(finds(&text, Kind::Mobile, PHONE), "{text}");
    assert!(!text.contains('\u{0}'));
}

#[test]
fn a_clean_pdf_gives_its_text_and_no_findings() {
    let text = text_of(FileKind::Pdf, "clean.pdf");
    assert!(text.contains("严格落实“三审三校”制度"), "{text}");
    assert!(scan(&text, &ScanOptions::default()).is_empty(), "{text}");
}

#[test]
fn xlsx_gives_sheet_names_and_tab_separated_rows() {
    let text = text_of(FileKind::Xlsx, "roster.xlsx");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "补贴发放名单", "{text}");
    assert_eq!(lines[1], "序号\t姓名\t身份证号码\t金额（元）");
    assert_eq!(lines[2], format!("1\t王小红\t{ID_NUMBER}\t1200"));
    assert!(
        lines.contains(&"说明") && lines.contains(&"巫山县民政局2021年临时救助资金发放情况"),
        "{text}"
    );
    assert!(finds(&text, Kind::IdNumber, ID_NUMBER));
}

#[test]
fn xls_gives_the_same_rows_as_the_xlsx_it_was_saved_from() {
    let text = text_of(FileKind::Xls, "roster.xls");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "补贴发放名单", "{text}");
    assert_eq!(lines[1], "序号\t姓名\t身份证号码\t金额（元）");
    assert_eq!(lines[2], format!("1\t王小红\t{ID_NUMBER}\t1200"));
    assert!(text.contains("说明\n巫山县民政局2021年临时救助资金发放情况"), "{text}");
    assert!(finds(&text, Kind::IdNumber, ID_NUMBER));
}

#[test]
fn ofd_gives_the_text_codes_of_its_pages() {
    let text = text_of(FileKind::Ofd, "notice.ofd");
    assert_eq!(
        text,
        format!("巫山县人民政府办公室关于印发巫山县2021年政务公开工作要点的通知\n联系电话：{PHONE}")
    );
}

#[test]
fn kinds_without_text_give_none() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
    assert_eq!(extract_text(FileKind::Png, png), Ok(None));
    assert_eq!(extract_text(FileKind::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE0]), Ok(None));
    assert_eq!(extract_text(FileKind::Mp4, b"\0\0\0\x18ftypisom"), Ok(None));
    // Old binary Word files: no reader, and the domain's checks hold them for a person.
    assert_eq!(extract_text(FileKind::Doc, &[0xD0, 0xCF, 0x11, 0xE0]), Ok(None));
}

#[test]
fn truncated_files_are_errors_not_panics() {
    for (kind, name) in [
        (FileKind::Pdf, "notice.pdf"),
        (FileKind::Docx, "notice.docx"),
        (FileKind::Xlsx, "roster.xlsx"),
        (FileKind::Xls, "roster.xls"),
        (FileKind::Ofd, "notice.ofd"),
    ] {
        let bytes = fixture(name);
        for cut in [bytes.len() / 2, 16, 0] {
            match extract_text(kind, &bytes[..cut]) {
                Err(error @ (ExtractError::Corrupt(_) | ExtractError::Failed(_))) => {
                    assert!(!error.message_zh().is_empty());
                }
                other => panic!("{name} cut at {cut}: {other:?}"),
            }
        }
    }
}

#[test]
fn garbage_never_panics() {
    // Deterministic pseudo-random bytes behind each format's magic.
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    for kind in FileKind::ALL {
        for (prefix, len) in [
            (&b"%PDF-1.7\n"[..], 512),
            (&b"PK\x03\x04"[..], 512),
            (&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], 4096),
        ] {
            let mut bytes = prefix.to_vec();
            bytes.extend(noise(len));
            // Any result is fine as long as it returns.
            let _ = extract_text(kind, &bytes);
        }
    }
}

#[test]
fn pdf_damaged_in_the_middle_is_an_error_or_partial_text() {
    let mut bytes = fixture("notice.pdf");
    let middle = bytes.len() / 2;
    bytes[middle..middle + 2000].fill(b'#');
    match extract_text(FileKind::Pdf, &bytes) {
        Ok(Some(text)) => assert!(text.len() <= MAX_TEXT_BYTES),
        Ok(None) => panic!("a PDF always gives text or an error"),
        Err(error) => assert!(!error.message_zh().is_empty()),
    }
}

/// A one-page PDF with `content` as its content stream and `font` as font `/F1`.
fn minimal_pdf(font: &str, content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        font.to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    out
}

#[test]
fn pdf_parser_panics_become_errors() {
    const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let good = minimal_pdf(HELVETICA, "BT /F1 12 Tf 72 720 Td (Hello) Tj ET");
    assert_eq!(extract_text(FileKind::Pdf, &good), Ok(Some("Hello".to_string())));
    // Each of these makes pdf-extract 0.12 panic (a missing font, missing
    // operands, a font without a subtype, a Type0 font without descendants).
    for pdf in [
        minimal_pdf(HELVETICA, "BT /F2 12 Tf 72 720 Td (Hello) Tj ET"),
        minimal_pdf(HELVETICA, "BT /F1 Tf Td Tj ET"),
        minimal_pdf("<< /Type /Font /BaseFont /Helvetica >>", "BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        minimal_pdf(
            "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H >>",
            "BT /F1 12 Tf 72 720 Td <0001> Tj ET",
        ),
    ] {
        match extract_text(FileKind::Pdf, &pdf) {
            Err(error @ ExtractError::Failed(_)) => assert_eq!(error.code(), "extract_failed"),
            other => panic!("expected a caught panic, got {other:?}"),
        }
    }
}
