//! Attachment checks (`gongkai_domain::files`) against fixtures built here:
//! Office packages are written with the `zip` crate, the rest by hand.

use gongkai_domain::files::{
    FileError, FileKind, HiddenFinding, HiddenKind, Inspection, MAX_DOCUMENT_SIZE, MAX_IMAGE_SIDE, MAX_IMAGE_SIZE, MAX_VIDEO_SIZE,
    Properties, check, check_with_limit, content_address, identify, identify_with_limit, inspect, sniff, try_inspect,
};
use proptest::prelude::*;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

// ------------------------------------------------------------------ fixtures

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn relationships(rels: &[(&str, &str, &str)]) -> String {
    let mut xml = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL_NS}">"#);
    for (id, kind, target) in rels {
        xml.push_str(&format!(r#"<Relationship Id="{id}" Type="{kind}" Target="{target}"/>"#));
    }
    xml.push_str("</Relationships>");
    xml
}

struct Sheet {
    name: &'static str,
    state: Option<&'static str>,
    xml: String,
    /// (relationship type, target relative to the sheet part, part name, part content)
    related: Vec<(&'static str, &'static str, &'static str, String)>,
}

impl Sheet {
    fn new(name: &'static str, body: &str) -> Sheet {
        Sheet {
            name,
            state: None,
            xml: worksheet("", body),
            related: Vec::new(),
        }
    }
}

fn worksheet(cols: &str, rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="A1"/>{cols}<sheetData>{rows}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    )
}

fn xlsx_parts(sheets: &[Sheet], shared: &[&str]) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut overrides = String::from(
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut sheet_list = String::new();
    let mut workbook_rels = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        let state = sheet.state.map(|s| format!(r#" state="{s}""#)).unwrap_or_default();
        sheet_list.push_str(&format!(r#"<sheet name="{}" sheetId="{n}"{state} r:id="rId{n}"/>"#, sheet.name));
        workbook_rels.push((format!("rId{n}"), format!("{REL_NS}/worksheet"), format!("worksheets/sheet{n}.xml")));
        overrides.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        parts.push((format!("xl/worksheets/sheet{n}.xml"), sheet.xml.clone()));
        if !sheet.related.is_empty() {
            let rels: Vec<(String, String, String)> = sheet
                .related
                .iter()
                .enumerate()
                .map(|(j, (kind, target, _, _))| (format!("rId{}", j + 1), kind.to_string(), target.to_string()))
                .collect();
            let rels: Vec<(&str, &str, &str)> = rels.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
            parts.push((format!("xl/worksheets/_rels/sheet{n}.xml.rels"), relationships(&rels)));
            for (_, _, part, content) in &sheet.related {
                parts.push((part.to_string(), content.clone()));
            }
        }
    }
    workbook_rels.push(("rIdSS".into(), format!("{REL_NS}/sharedStrings"), "sharedStrings.xml".into()));
    let workbook_rels: Vec<(&str, &str, &str)> = workbook_rels.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}" count="{0}" uniqueCount="{0}">"#,
        shared.len()
    );
    for s in shared {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    parts.extend([
        (
            "[Content_Types].xml".to_string(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
            ),
        ),
        ("_rels/.rels".to_string(), relationships(&[("rId1", &format!("{REL_NS}/officeDocument"), "xl/workbook.xml")])),
        (
            "xl/workbook.xml".to_string(),
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets>{sheet_list}</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Sheet1!$A$1:$B$2</definedName></definedNames></workbook>"#),
        ),
        ("xl/_rels/workbook.xml.rels".to_string(), relationships(&workbook_rels)),
        ("xl/sharedStrings.xml".to_string(), sst),
    ]);
    parts
}

fn xlsx(sheets: &[Sheet], shared: &[&str]) -> Vec<u8> {
    xlsx_with(sheets, shared, &[])
}

fn xlsx_with(sheets: &[Sheet], shared: &[&str], extra: &[(&str, String)]) -> Vec<u8> {
    let mut parts = xlsx_parts(sheets, shared);
    parts.extend(extra.iter().map(|(n, c)| (n.to_string(), c.clone())));
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    zip_of(&parts)
}

const SHARED: [&str; 3] = ["项目", "金额", "办公经费"];
const CLEAN_ROWS: &str = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>12000</v></c></row>"#;

fn clean_xlsx() -> Vec<u8> {
    xlsx(&[Sheet::new("Sheet1", CLEAN_ROWS)], &SHARED)
}

fn docx_with(body: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        ("_rels/.rels", relationships(&[("rId1", &format!("{REL_NS}/officeDocument"), "word/document.xml")])),
        ("word/document.xml", document(body)),
    ];
    parts.extend(extra.iter().map(|(n, c)| (*n, c.clone())));
    zip_of(&parts)
}

fn docx(body: &str) -> Vec<u8> {
    docx_with(body, &[])
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" xmlns:r="{REL_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A table with the inner borders (`w:insideH`, `w:insideV`) every Word table has.
const TABLE: &str = r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;

fn clean_docx() -> Vec<u8> {
    docx(&format!(
        r#"{}<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>第一条</w:t><w:tab/><w:t xml:space="preserve">总则 &amp; 附则</w:t></w:r></w:p>{TABLE}<w:p><w:r><w:rPr><w:webHidden/></w:rPr><w:t>12</w:t></w:r></w:p>"#,
        paragraph("关于2024年部门预算公开的说明")
    ))
}

fn ofd(doc_root: &str, with_document: bool) -> Vec<u8> {
    let mut parts = vec![(
        "OFD.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>a1b2</ofd:DocID></ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        ),
    )];
    if with_document {
        parts.push((
            "Doc_0/Document.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData><ofd:Pages/></ofd:Document>"#.to_string(),
        ));
    }
    zip_of(&parts)
}

/// A minimal OLE2 compound file (512-byte sectors) with empty root streams.
fn compound_file(streams: &[&str]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let put = |out: &mut Vec<u8>, at: usize, value: u32| out[at..at + 4].copy_from_slice(&value.to_le_bytes());
    let entries = streams.len() + 1;
    let dir_sectors = entries.div_ceil(4);
    let mut out = vec![0u8; 512 * (2 + dir_sectors)];
    out[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    out[26..28].copy_from_slice(&3u16.to_le_bytes());
    out[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    out[30..32].copy_from_slice(&9u16.to_le_bytes());
    out[32..34].copy_from_slice(&6u16.to_le_bytes());
    put(&mut out, 44, 1);
    put(&mut out, 48, 1);
    put(&mut out, 56, 4096);
    put(&mut out, 60, END);
    put(&mut out, 68, END);
    for i in 0..109 {
        put(&mut out, 76 + 4 * i, if i == 0 { 0 } else { FREE });
    }
    for i in 0..128usize {
        let value = match i {
            0 => 0xFFFF_FFFD,
            i if i < dir_sectors => i as u32 + 1,
            i if i == dir_sectors => END,
            _ => FREE,
        };
        put(&mut out, 512 + 4 * i, value);
    }
    let names: Vec<&str> = std::iter::once("Root Entry").chain(streams.iter().copied()).collect();
    for (i, name) in names.iter().enumerate() {
        let at = 1024 + 128 * i;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (j, unit) in units.iter().enumerate() {
            out[at + 2 * j..at + 2 * j + 2].copy_from_slice(&unit.to_le_bytes());
        }
        out[at + 64..at + 66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        out[at + 66] = if i == 0 { 5 } else { 2 };
        put(&mut out, at + 68, FREE);
        put(&mut out, at + 72, if i > 0 && i + 1 < names.len() { i as u32 + 1 } else { FREE });
        put(&mut out, at + 76, if i == 0 && names.len() > 1 { 1 } else { FREE });
        put(&mut out, at + 116, END);
    }
    out
}

fn doc_bytes() -> Vec<u8> {
    compound_file(&["1Table", "WordDocument", "SummaryInformation", "CompObj"])
}

fn xls_bytes() -> Vec<u8> {
    compound_file(&["Workbook", "SummaryInformation"])
}

/// The well-known 1×1 transparent PNG.
const PNG_1X1: [u8; 70] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63,
    0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

/// A baseline JPEG skeleton: SOI, APP0 (JFIF), SOF0 with the given size, SOS, scan data, EOI.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0x56]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
    let mut payload = brand.to_vec();
    payload.extend_from_slice(&[0, 0, 2, 0]);
    payload.extend_from_slice(b"isomiso2avc1mp41");
    mp4_box(b"ftyp", &payload)
}

fn moov() -> Vec<u8> {
    let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 2];
    stsd.extend(mp4_box(b"avc1", &[0; 78]));
    stsd.extend(mp4_box(b"mp4a", &[0; 28]));
    let stbl = mp4_box(b"stbl", &mp4_box(b"stsd", &stsd));
    let trak = mp4_box(b"trak", &mp4_box(b"mdia", &mp4_box(b"minf", &stbl)));
    let mut body = mp4_box(b"mvhd", &[0; 100]);
    body.extend(trak);
    mp4_box(b"moov", &body)
}

fn mp4(with_moov: bool) -> Vec<u8> {
    let mut out = ftyp(b"isom");
    if with_moov {
        out.extend(moov());
    }
    out.extend(mp4_box(b"mdat", &[0x11; 64]));
    out
}

fn pdf(trailer_extra: &str) -> Vec<u8> {
    format!(
        "%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n\
         xref\n0 3\n0000000000 65535 f \n0000000015 00000 n \n0000000064 00000 n \n\
         trailer\n<< /Size 3 /Root 1 0 R{trailer_extra} >>\nstartxref\n120\n%%EOF\n"
    )
    .into_bytes()
}

fn only(inspection: &Inspection) -> &HiddenFinding {
    assert_eq!(
        inspection.findings.len(),
        1,
        "expected exactly one finding: {:#?}",
        inspection.findings
    );
    &inspection.findings[0]
}

fn finding(kind: HiddenKind, location: &str, detail: &str) -> HiddenFinding {
    HiddenFinding {
        kind,
        location: location.to_string(),
        detail: detail.to_string(),
    }
}

// ------------------------------------------------------------------ kinds

#[test]
fn kinds_know_their_extensions_mime_types_and_limits() {
    assert_eq!(FileKind::from_extension("PDF"), Some(FileKind::Pdf));
    assert_eq!(FileKind::from_extension("jpeg"), Some(FileKind::Jpeg));
    assert_eq!(FileKind::from_extension("JPG"), Some(FileKind::Jpeg));
    assert_eq!(FileKind::from_extension("exe"), None);
    assert_eq!(FileKind::from_extension("docm"), None);
    assert_eq!(
        FileKind::Xlsx.mime(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        FileKind::Docx.mime(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(FileKind::Mp4.mime(), "video/mp4");
    assert_eq!(FileKind::Jpeg.extension(), "jpg");
    assert_eq!(FileKind::Ofd.label_zh(), "OFD 版式文档");
    assert_eq!(MAX_DOCUMENT_SIZE, 50 * 1024 * 1024);
    assert_eq!(MAX_IMAGE_SIZE, 10 * 1024 * 1024);
    assert_eq!(MAX_VIDEO_SIZE, 500 * 1024 * 1024);
    for kind in FileKind::ALL {
        let expected = match kind {
            FileKind::Jpeg | FileKind::Png => MAX_IMAGE_SIZE,
            FileKind::Mp4 => MAX_VIDEO_SIZE,
            _ => MAX_DOCUMENT_SIZE,
        };
        assert_eq!(kind.max_size(), expected, "{kind}");
        for extension in kind.extensions() {
            assert_eq!(FileKind::from_extension(extension), Some(kind));
        }
    }
    assert_eq!(serde_json::to_string(&FileKind::Xlsx).unwrap(), r#""xlsx""#);
}

// ------------------------------------------------------------------ identify

#[test]
fn every_kind_is_identified_from_matching_content() {
    let cases: Vec<(&str, Vec<u8>, FileKind)> = vec![
        ("通知.pdf", pdf(""), FileKind::Pdf),
        ("通知.doc", doc_bytes(), FileKind::Doc),
        ("通知.docx", clean_docx(), FileKind::Docx),
        ("预算表.xls", xls_bytes(), FileKind::Xls),
        ("预算表.xlsx", clean_xlsx(), FileKind::Xlsx),
        ("公文.ofd", ofd("Doc_0/Document.xml", true), FileKind::Ofd),
        ("现场.jpg", jpeg(1, 1), FileKind::Jpeg),
        ("现场.JPEG", jpeg(1, 1), FileKind::Jpeg),
        ("图表.png", PNG_1X1.to_vec(), FileKind::Png),
        ("发布会.MP4", mp4(true), FileKind::Mp4),
    ];
    for (name, bytes, kind) in cases {
        assert_eq!(identify(name, &bytes), Ok(kind), "{name}");
        assert_eq!(sniff(&bytes), Some(kind), "{name}");
    }
}

#[test]
fn renamed_files_are_rejected_with_what_they_really_are() {
    let mismatch = |expected, found| Err(FileError::MagicMismatch { expected, found });
    assert_eq!(identify("表.docx", &clean_xlsx()), mismatch(FileKind::Docx, Some(FileKind::Xlsx)));
    assert_eq!(identify("文.xlsx", &clean_docx()), mismatch(FileKind::Xlsx, Some(FileKind::Docx)));
    assert_eq!(identify("文.ofd", &clean_docx()), mismatch(FileKind::Ofd, Some(FileKind::Docx)));
    assert_eq!(identify("照片.jpg", &pdf("")), mismatch(FileKind::Jpeg, Some(FileKind::Pdf)));
    assert_eq!(identify("图.png", &jpeg(1, 1)), mismatch(FileKind::Png, Some(FileKind::Jpeg)));
    assert_eq!(identify("视频.mp4", &PNG_1X1), mismatch(FileKind::Mp4, Some(FileKind::Png)));
    assert_eq!(identify("表.xls", &doc_bytes()), mismatch(FileKind::Xls, Some(FileKind::Doc)));
    assert_eq!(identify("文.doc", &xls_bytes()), mismatch(FileKind::Doc, Some(FileKind::Xls)));
    assert_eq!(identify("文.doc", &clean_docx()), mismatch(FileKind::Doc, Some(FileKind::Docx)));
    assert_eq!(identify("文.docx", &doc_bytes()), mismatch(FileKind::Docx, Some(FileKind::Doc)));
    assert_eq!(identify("说明.pdf", "这是一个文本文件".as_bytes()), mismatch(FileKind::Pdf, None));
    // A PowerPoint file (OLE2 without Word or Excel streams) named .doc.
    assert_eq!(
        identify("文.doc", &compound_file(&["PowerPoint Document"])),
        mismatch(FileKind::Doc, None)
    );
    // A ZIP that is neither Word, Excel nor OFD.
    let plain_zip = zip_of(&[("readme.txt", "hello".to_string())]);
    assert_eq!(identify("文.docx", &plain_zip), mismatch(FileKind::Docx, None));
    // A HEIC photo has an ftyp box too, but it is not a video.
    let mut heic = ftyp(b"heic");
    heic.extend(mp4_box(b"meta", &[0; 16]));
    assert_eq!(identify("视频.mp4", &heic), mismatch(FileKind::Mp4, None));
}

#[test]
fn names_extensions_and_sizes_are_checked_first() {
    assert_eq!(identify("病毒.exe", &pdf("")), Err(FileError::DisallowedExtension));
    assert_eq!(identify("压缩包.zip", &clean_docx()), Err(FileError::DisallowedExtension));
    assert_eq!(identify("宏.docm", &clean_docx()), Err(FileError::DisallowedExtension));
    assert_eq!(identify("没有扩展名", &pdf("")), Err(FileError::DisallowedExtension));
    assert_eq!(identify("../../etc/通知.pdf", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify("C:\\通知.pdf", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify("通知\n.pdf", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify("照片\u{202E}gpj.exe", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify(".pdf", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify("", &pdf("")), Err(FileError::BadName));
    assert_eq!(identify("空.pdf", b""), Err(FileError::Empty));
    // The extension is judged before the content: an empty .exe is disallowed, not empty.
    assert_eq!(identify("空.exe", b""), Err(FileError::DisallowedExtension));
}

#[test]
fn size_limits_apply_per_kind_and_can_be_lowered() {
    let bytes = pdf("");
    let len = bytes.len() as u64;
    assert_eq!(identify_with_limit("a.pdf", &bytes, len), Ok(FileKind::Pdf));
    assert_eq!(
        identify_with_limit("a.pdf", &bytes, len - 1),
        Err(FileError::TooLarge { limit: len - 1 })
    );
    assert!(matches!(
        check_with_limit("a.pdf", &bytes, len - 1),
        Err(FileError::TooLarge { .. })
    ));
    // The default limit of pictures, one byte over, is refused before the content is read.
    let mut big = PNG_1X1.to_vec();
    big.resize(MAX_IMAGE_SIZE as usize + 1, 0);
    assert_eq!(identify("大图.png", &big), Err(FileError::TooLarge { limit: MAX_IMAGE_SIZE }));
    big.truncate(MAX_IMAGE_SIZE as usize);
    assert_eq!(identify("大图.png", &big), Ok(FileKind::Png));
    // The same bytes as a document are within the 50 MiB limit (and then fail on content).
    big.push(0);
    assert!(matches!(identify("大图.pdf", &big), Err(FileError::MagicMismatch { .. })));
}

#[test]
fn broken_containers_are_corrupt() {
    let mut broken_zip = b"PK\x03\x04".to_vec();
    broken_zip.extend_from_slice(&[0x14; 200]);
    assert!(matches!(identify("文.docx", &broken_zip), Err(FileError::Corrupt(_))));
    let mut broken_ole = doc_bytes();
    broken_ole.truncate(700);
    assert!(matches!(identify("文.doc", &broken_ole), Err(FileError::Corrupt(_))));
    // Truncating a package loses its central directory.
    let docx = clean_docx();
    assert!(matches!(identify("文.docx", &docx[..docx.len() - 30]), Err(FileError::Corrupt(_))));
}

// ------------------------------------------------------------------ xlsx

#[test]
fn a_clean_workbook_has_no_findings_and_yields_its_text() {
    let (kind, inspection) = check("预算.xlsx", &clean_xlsx()).unwrap();
    assert_eq!(kind, FileKind::Xlsx);
    assert_eq!(inspection.findings, vec![]);
    assert!(inspection.is_clean());
    assert_eq!(inspection.text.as_deref(), Some("Sheet1\n项目\t金额\n办公经费\t12000"));
    assert_eq!(inspection.properties, None);
}

#[test]
fn hidden_and_very_hidden_sheets_are_reported_by_name() {
    let mut internal = Sheet::new(
        "内部测算",
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>拟调减 30%</t></is></c></row>"#,
    );
    internal.state = Some("hidden");
    let mut secret = Sheet::new("R&amp;D", r#"<row r="1"><c r="A1"><v>1</v></c></row>"#);
    secret.state = Some("veryHidden");
    let mut visible = Sheet::new("公开", CLEAN_ROWS);
    visible.state = Some("visible");
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[visible, internal, secret], &SHARED));
    assert_eq!(
        inspection.findings,
        vec![
            finding(HiddenKind::HiddenSheet, "工作表“内部测算”", ""),
            finding(
                HiddenKind::HiddenSheet,
                "工作表“R&D”",
                "深度隐藏（veryHidden），在 Excel 的“取消隐藏”列表中也看不到"
            ),
        ]
    );
    assert_eq!(inspection.findings[0].message_zh(), "工作表“内部测算”被隐藏");
    // Hidden sheets' text reaches the privacy scanner too.
    let text = inspection.text.unwrap();
    assert!(text.contains("内部测算\n拟调减 30%"), "{text}");
    assert!(text.starts_with("公开\n项目\t金额\n办公经费\t12000\n"), "{text}");
}

#[test]
fn hidden_rows_with_values_are_reported_with_their_numbers() {
    let rows = r#"
        <row r="1"><c r="A1" t="s"><v>0</v></c></row>
        <row r="3" hidden="1"><c r="A3"><v>110101199001011234</v></c></row>
        <row r="5" hidden="1" customHeight="1" ht="0"><c r="A5" t="s"><v>1</v></c></row>
        <row r="6" hidden="true"><c r="B6" t="s"><v>2</v></c></row>
        <row r="7" hidden="1"><c r="C7" t="inlineStr"><is><t>备注</t></is></c></row>
        <row r="9" hidden="1"/>
        <row r="10" hidden="1"><c r="A10" s="3"/></row>
        <row r="12" hidden="0"><c r="A12"><v>8</v></c></row>"#;
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[Sheet::new("Sheet1", rows)], &SHARED));
    let found = only(&inspection);
    assert_eq!(
        found,
        &finding(HiddenKind::HiddenRows, "工作表“Sheet1”", "第3行、第5至7行（共4行）")
    );
    assert_eq!(found.message_zh(), "工作表“Sheet1”有隐藏的行：第3行、第5至7行（共4行）");
    let text = inspection.text.unwrap();
    assert!(
        text.contains("110101199001011234"),
        "hidden values are still text for the privacy scanner: {text}"
    );
}

#[test]
fn a_single_hidden_row_is_named() {
    let rows = r#"<row r="12" hidden="1"><c r="A12" t="s"><v>0</v></c></row>"#;
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[Sheet::new("名单", rows)], &SHARED));
    assert_eq!(only(&inspection), &finding(HiddenKind::HiddenRows, "工作表“名单”", "第12行"));
}

#[test]
fn hidden_columns_with_values_are_reported_by_letter() {
    let cols = r#"<cols><col min="1" max="2" width="12" customWidth="1"/><col min="3" max="3" width="0" hidden="1"/><col min="4" max="4" hidden="0"/><col min="6" max="16384" hidden="1"/></cols>"#;
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1"><v>3</v></c></row>"#;
    let sheet = Sheet {
        name: "Sheet1",
        state: None,
        xml: worksheet(cols, rows),
        related: Vec::new(),
    };
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[sheet], &SHARED));
    let found = only(&inspection);
    assert_eq!(found, &finding(HiddenKind::HiddenColumns, "工作表“Sheet1”", "C列"));
    assert_eq!(found.message_zh(), "工作表“Sheet1”有隐藏的列：C列");
}

#[test]
fn empty_hidden_rows_and_columns_hide_nothing() {
    // Hiding everything outside the table is common layout, not hidden content.
    let cols = r#"<cols><col min="3" max="16384" hidden="1"/></cols>"#;
    let rows = format!(r#"{CLEAN_ROWS}<row r="3" hidden="1"/><row r="4" hidden="1" ht="0" customHeight="1"><c r="A4" s="1"/></row>"#);
    let sheet = Sheet {
        name: "Sheet1",
        state: None,
        xml: worksheet(cols, &rows),
        related: Vec::new(),
    };
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[sheet], &SHARED));
    assert_eq!(inspection.findings, vec![]);
}

fn legacy_comments(texts: &[&str]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><comments xmlns="{MAIN_NS}"><authors><author>张科长</author></authors><commentList>"#
    );
    for (i, text) in texts.iter().enumerate() {
        xml.push_str(&format!(
            r#"<comment ref="A{}" authorId="0"><text><r><t>{text}</t></r></text></comment>"#,
            i + 1
        ));
    }
    xml.push_str("</commentList></comments>");
    xml
}

#[test]
fn notes_are_reported_on_their_sheet() {
    let mut sheet = Sheet::new("Sheet1", CLEAN_ROWS);
    sheet.related = vec![
        (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
            "../comments1.xml",
            "xl/comments1.xml",
            legacy_comments(&["此数待核实", "不宜公开"]),
        ),
        (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing",
            "../drawings/vmlDrawing1.vml",
            "xl/drawings/vmlDrawing1.vml",
            "<xml/>".into(),
        ),
    ];
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[Sheet::new("封面", ""), sheet], &SHARED));
    let found = only(&inspection);
    assert_eq!(found, &finding(HiddenKind::Comments, "工作表“Sheet1”", "共2条"));
    assert_eq!(found.message_zh(), "工作表“Sheet1”有批注：共2条");
    let text = inspection.text.unwrap();
    assert!(text.contains("此数待核实\n不宜公开"), "{text}");
    assert!(!text.contains("张科长"), "author names are not content: {text}");
}

#[test]
fn threaded_comments_are_counted_once_per_comment() {
    let threaded = r#"<?xml version="1.0" encoding="UTF-8"?><ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="B2" id="{1}" personId="{9}"><text>请核对</text></threadedComment><threadedComment ref="B2" id="{2}" parentId="{1}" personId="{9}"><text>已核对</text></threadedComment></ThreadedComments>"#;
    let mut sheet = Sheet::new("Sheet1", CLEAN_ROWS);
    sheet.related = vec![
        (
            "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
            "../threadedComments/threadedComment1.xml",
            "xl/threadedComments/threadedComment1.xml",
            threaded.to_string(),
        ),
        (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
            "../comments1.xml",
            "xl/comments1.xml",
            legacy_comments(&["[Threaded comment] 请核对"]),
        ),
    ];
    let inspection = inspect(FileKind::Xlsx, &xlsx(&[sheet], &SHARED));
    assert_eq!(only(&inspection), &finding(HiddenKind::Comments, "工作表“Sheet1”", "共2条"));
}

#[test]
fn an_empty_comments_part_is_not_a_finding() {
    let mut sheet = Sheet::new("Sheet1", CLEAN_ROWS);
    sheet.related = vec![(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "../comments1.xml",
        "xl/comments1.xml",
        legacy_comments(&[]),
    )];
    assert_eq!(inspect(FileKind::Xlsx, &xlsx(&[sheet], &SHARED)).findings, vec![]);
}

#[test]
fn worksheet_parts_the_workbook_does_not_list_are_hidden_sheets() {
    let orphan = worksheet("", r#"<row r="1"><c r="A1" t="inlineStr"><is><t>旧版数据</t></is></c></row>"#);
    let empty_orphan = worksheet("", "");
    let bytes = xlsx_with(
        &[Sheet::new("Sheet1", CLEAN_ROWS)],
        &SHARED,
        &[("xl/worksheets/sheet9.xml", orphan), ("xl/worksheets/sheet10.xml", empty_orphan)],
    );
    let inspection = inspect(FileKind::Xlsx, &bytes);
    assert_eq!(
        only(&inspection),
        &finding(
            HiddenKind::HiddenSheet,
            "工作表部件“xl/worksheets/sheet9.xml”",
            "不在工作簿的工作表列表中，Excel 不显示它，但文件中仍有它的数据"
        )
    );
    assert!(inspection.text.unwrap().contains("旧版数据"));
}

#[test]
fn unused_shared_strings_still_reach_the_text() {
    let inspection = inspect(
        FileKind::Xlsx,
        &xlsx(
            &[Sheet::new("Sheet1", CLEAN_ROWS)],
            &["项目", "金额", "办公经费", "张三 13800138000"],
        ),
    );
    assert_eq!(inspection.findings, vec![]);
    assert_eq!(
        inspection.text.as_deref(),
        Some("Sheet1\n项目\t金额\n办公经费\t12000\n张三 13800138000")
    );
}

#[test]
fn embedded_files_in_a_workbook_are_reported() {
    let bytes = xlsx_with(
        &[Sheet::new("Sheet1", CLEAN_ROWS)],
        &SHARED,
        &[("xl/embeddings/oleObject1.bin", "x".into())],
    );
    let inspection = inspect(FileKind::Xlsx, &bytes);
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::EmbeddedObjects, "工作簿"));
    assert!(found.detail.starts_with("共1个（oleObject1.bin）"), "{}", found.detail);
}

#[test]
fn malformed_workbook_xml_is_corrupt() {
    let mut parts = xlsx_parts(&[Sheet::new("Sheet1", CLEAN_ROWS)], &SHARED);
    for (name, content) in &mut parts {
        if name == "xl/worksheets/sheet1.xml" {
            *content = content.replace("</sheetData>", "</sheetDat>");
        }
    }
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    let bytes = zip_of(&parts);
    assert_eq!(identify("表.xlsx", &bytes), Ok(FileKind::Xlsx));
    let error = check("表.xlsx", &bytes).unwrap_err();
    assert!(
        matches!(&error, FileError::Corrupt(m) if m.contains("xl/worksheets/sheet1.xml")),
        "{error}"
    );
    let inspection = inspect(FileKind::Xlsx, &bytes);
    assert_eq!((only(&inspection).kind, inspection.text), (HiddenKind::Undisplayable, None));
}

// ------------------------------------------------------------------ docx

#[test]
fn a_clean_document_has_no_findings_and_yields_its_paragraphs() {
    let (kind, inspection) = check("说明.docx", &clean_docx()).unwrap();
    assert_eq!(kind, FileKind::Docx);
    assert_eq!(inspection.findings, vec![], "w:insideH borders and w:webHidden are not findings");
    assert_eq!(
        inspection.text.as_deref(),
        Some("关于2024年部门预算公开的说明\n第一条\t总则 & 附则\n单元格\n12")
    );
}

#[test]
fn comments_in_a_document_are_reported() {
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="李主任"><w:p><w:r><w:t>这段先不公开</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="李主任"><w:p><w:r><w:t>核实数字</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let body = r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>正文</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#;
    let inspection = inspect(FileKind::Docx, &docx_with(body, &[("word/comments.xml", comments)]));
    let found = only(&inspection);
    assert_eq!(found, &finding(HiddenKind::Comments, "文档", "共2条"));
    assert_eq!(found.message_zh(), "文档有批注：共2条");
    assert_eq!(inspection.text.as_deref(), Some("正文\n这段先不公开\n核实数字"));
}

#[test]
fn an_empty_comments_part_in_a_document_is_not_a_finding() {
    let comments = format!(r#"<w:comments xmlns:w="{W_NS}"/>"#);
    assert_eq!(
        inspect(FileKind::Docx, &docx_with(&paragraph("正文"), &[("word/comments.xml", comments)])).findings,
        vec![]
    );
}

#[test]
fn tracked_changes_are_reported() {
    let body = r#"<w:p><w:r><w:t>补助标准为每人</w:t></w:r><w:del w:id="1" w:author="王" w:date="2024-03-01T00:00:00Z"><w:r><w:delText>800</w:delText></w:r></w:del><w:ins w:id="2" w:author="王" w:date="2024-03-01T00:00:00Z"><w:r><w:t>1000</w:t></w:r></w:ins><w:r><w:t>元。</w:t></w:r></w:p>"#;
    let inspection = inspect(FileKind::Docx, &docx(&format!("{body}{TABLE}")));
    let found = only(&inspection);
    assert_eq!(found.kind, HiddenKind::TrackedChanges);
    assert_eq!(found.location, "正文");
    assert_eq!(found.detail, "插入1处、删除1处；请在 Word 中“接受所有修订”或“拒绝所有修订”后再上传");
    assert!(found.message_zh().starts_with("正文有未接受的修订：插入1处、删除1处"));
    // The deleted figure is in the file, so it is in the text the privacy scanner reads.
    assert_eq!(inspection.text.as_deref(), Some("补助标准为每人8001000元。\n单元格"));
}

#[test]
fn tracked_changes_in_headers_are_located() {
    let header = format!(r#"<w:hdr xmlns:w="{W_NS}"><w:p><w:ins w:id="5" w:author="王"><w:r><w:t>内部</w:t></w:r></w:ins></w:p></w:hdr>"#);
    let inspection = inspect(FileKind::Docx, &docx_with(&paragraph("正文"), &[("word/header1.xml", header)]));
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::TrackedChanges, "页眉"));
    assert!(found.detail.starts_with("插入1处；"), "{}", found.detail);
}

#[test]
fn hidden_text_is_reported_with_a_sample() {
    let body = format!(
        r#"{}<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>内部意见：暂缓公开</w:t></w:r></w:p><w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>可见</w:t></w:r></w:p>"#,
        paragraph("公告")
    );
    let inspection = inspect(FileKind::Docx, &docx(&body));
    let found = only(&inspection);
    assert_eq!(found, &finding(HiddenKind::HiddenText, "正文", "共1处，例如“内部意见：暂缓公开”"));
    assert_eq!(found.message_zh(), "正文有隐藏文字：共1处，例如“内部意见：暂缓公开”");
}

#[test]
fn hidden_text_through_a_style_is_reported() {
    let styles = format!(
        r#"<w:styles xmlns:w="{W_NS}"><w:style w:type="character" w:styleId="Hide"><w:name w:val="Hide"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>"#
    );
    let body = r#"<w:p><w:r><w:rPr><w:rStyle w:val="Hide"/></w:rPr><w:t>藏起来的话</w:t></w:r></w:p>"#;
    let inspection = inspect(FileKind::Docx, &docx_with(body, &[("word/styles.xml", styles)]));
    assert_eq!(
        only(&inspection),
        &finding(HiddenKind::HiddenText, "正文", "共1处，例如“藏起来的话”")
    );
}

#[test]
fn vanish_switched_off_is_not_hidden() {
    let body = r#"<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>看得见</w:t></w:r><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>也看得见</w:t></w:r></w:p>"#;
    assert_eq!(inspect(FileKind::Docx, &docx(body)).findings, vec![]);
}

#[test]
fn charts_bring_their_workbook_along() {
    let bytes = docx_with(
        &paragraph("图表"),
        &[("word/embeddings/Microsoft_Excel_Worksheet.xlsx", "PK".into())],
    );
    let inspection = inspect(FileKind::Docx, &bytes);
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::EmbeddedObjects, "文档"));
    assert!(
        found.detail.starts_with("共1个（Microsoft_Excel_Worksheet.xlsx）"),
        "{}",
        found.detail
    );
}

#[test]
fn malformed_document_xml_is_corrupt() {
    let bytes = zip_of(&[("word/document.xml", format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p>"#))]);
    assert_eq!(identify("文.docx", &bytes), Ok(FileKind::Docx));
    assert!(matches!(check("文.docx", &bytes), Err(FileError::Corrupt(m)) if m.contains("word/document.xml")));
    let bytes = zip_of(&[("word/document.xml", "<w:document xmlns:w=\"x\">\u{1}<</w:document>".into())]);
    assert!(matches!(try_inspect(FileKind::Docx, &bytes), Err(FileError::Corrupt(_))));
}

#[test]
fn zip_bombs_fail_as_corrupt() {
    // 65 MiB of spaces deflate to about 65 KiB.
    let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", " ".repeat(65 * 1024 * 1024));
    let bytes = docx(&body);
    assert!(bytes.len() < 1024 * 1024, "the fixture is small: {}", bytes.len());
    assert_eq!(identify("炸弹.docx", &bytes), Ok(FileKind::Docx));
    let error = check("炸弹.docx", &bytes).unwrap_err();
    assert_eq!(
        error,
        FileError::Corrupt("part word/document.xml expands beyond 64 MiB".to_string())
    );
}

#[test]
fn password_protected_office_files_are_encrypted_findings() {
    let bytes = compound_file(&["EncryptionInfo", "EncryptedPackage", "\u{6}DataSpaces"]);
    let (kind, inspection) = check("加密.docx", &bytes).unwrap();
    assert_eq!(kind, FileKind::Docx);
    assert_eq!(only(&inspection).kind, HiddenKind::Encrypted);
    assert_eq!(check("加密.xlsx", &bytes).unwrap().1.findings[0].kind, HiddenKind::Encrypted);
    assert_eq!(sniff(&bytes), None);
    assert!(matches!(
        identify("加密.doc", &bytes),
        Err(FileError::MagicMismatch { found: None, .. })
    ));
}

// ------------------------------------------------------------------ doc, xls

#[test]
fn old_binary_formats_need_a_person() {
    for (name, bytes, kind) in [("旧.doc", doc_bytes(), FileKind::Doc), ("旧.xls", xls_bytes(), FileKind::Xls)] {
        let (identified, inspection) = check(name, &bytes).unwrap();
        assert_eq!(identified, kind);
        let found = only(&inspection);
        assert_eq!((found.kind, found.location.as_str()), (HiddenKind::Uninspectable, "整个文件"));
        assert!(
            found.detail.contains(if kind == FileKind::Doc {
                "另存为 .docx"
            } else {
                "另存为 .xlsx"
            }),
            "{}",
            found.detail
        );
        assert!(found.detail.contains("人工检查"));
        assert_eq!(inspection.text, None);
    }
}

// ------------------------------------------------------------------ pictures

#[test]
fn a_valid_png_is_clean_and_measured() {
    let (kind, inspection) = check("图.png", &PNG_1X1).unwrap();
    assert_eq!(kind, FileKind::Png);
    assert_eq!(inspection.findings, vec![]);
    assert_eq!(inspection.properties, Some(Properties::Image { width: 1, height: 1 }));
    assert_eq!(inspection.text, None);
}

#[test]
fn a_truncated_png_is_undisplayable() {
    let inspection = inspect(FileKind::Png, &PNG_1X1[..50]);
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::Undisplayable, "图片"));
    assert!(found.detail.contains("IEND"), "{}", found.detail);
}

#[test]
fn a_valid_jpeg_is_clean_even_with_data_after_its_end() {
    assert_eq!(inspect(FileKind::Jpeg, &jpeg(640, 480)).findings, vec![]);
    assert_eq!(
        inspect(FileKind::Jpeg, &jpeg(640, 480)).properties,
        Some(Properties::Image { width: 640, height: 480 })
    );
    let mut with_trailer = jpeg(640, 480);
    with_trailer.extend_from_slice(b"SEFT trailer written by some phones");
    assert_eq!(inspect(FileKind::Jpeg, &with_trailer).findings, vec![]);
}

#[test]
fn a_truncated_jpeg_is_undisplayable() {
    let bytes = jpeg(640, 480);
    let (kind, inspection) = check("现场.jpg", &bytes[..bytes.len() - 2]).unwrap();
    assert_eq!(kind, FileKind::Jpeg);
    let found = only(&inspection);
    assert_eq!(found.kind, HiddenKind::Undisplayable);
    assert_eq!(
        found.detail,
        "JPEG 文件不完整：没有图像结束标记（FF D9），文件可能在上传或复制时被截断"
    );
    assert_eq!(found.message_zh(), format!("图片无法正常显示：{}", found.detail));
}

#[test]
fn absurd_or_empty_dimensions_are_undisplayable() {
    let side = MAX_IMAGE_SIDE as u16 + 1;
    let found = inspect(FileKind::Jpeg, &jpeg(side, 10));
    assert_eq!(
        only(&found).detail,
        "图片尺寸 20001×10 像素过大（每边不超过 20000 像素），浏览器可能无法显示，请缩小后再上传"
    );
    assert!(inspect(FileKind::Jpeg, &jpeg(20_000, 20_000)).findings.is_empty());
    let zero = inspect(FileKind::Jpeg, &jpeg(0, 10));
    assert_eq!(only(&zero).detail, "图片尺寸为 0×10 像素，无法显示");
    // A JPEG with no frame header: no dimensions.
    let headless = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xD9];
    assert_eq!(only(&inspect(FileKind::Jpeg, &headless)).detail, "无法读取图片尺寸，文件可能已损坏");
}

// ------------------------------------------------------------------ mp4

#[test]
fn a_playable_mp4_reports_its_brand_and_codecs() {
    let (kind, inspection) = check("发布会.mp4", &mp4(true)).unwrap();
    assert_eq!(kind, FileKind::Mp4);
    assert_eq!(inspection.findings, vec![]);
    assert_eq!(
        inspection.properties,
        Some(Properties::Video {
            major_brand: "isom".into(),
            compatible_brands: vec!["isom".into(), "iso2".into(), "avc1".into(), "mp41".into()],
            codecs: vec!["avc1".into(), "mp4a".into()],
            faststart: true,
        })
    );
    let mut moov_last = ftyp(b"mp42");
    moov_last.extend(mp4_box(b"mdat", &[0; 32]));
    moov_last.extend(moov());
    let inspection = inspect(FileKind::Mp4, &moov_last);
    assert_eq!(inspection.findings, vec![]);
    assert!(matches!(inspection.properties, Some(Properties::Video { faststart: false, ref major_brand, .. }) if major_brand == "mp42"));
}

#[test]
fn an_mp4_without_moov_cannot_play() {
    let inspection = inspect(FileKind::Mp4, &mp4(false));
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::Undisplayable, "视频"));
    assert_eq!(
        found.detail,
        "缺少 moov 盒（影片信息），浏览器无法播放；通常是录制或导出中断、文件未写完"
    );
}

#[test]
fn a_truncated_mp4_is_undisplayable() {
    let bytes = mp4(true);
    let inspection = inspect(FileKind::Mp4, &bytes[..bytes.len() - 10]);
    assert_eq!(
        only(&inspection).detail,
        "文件不完整：mdat 盒声明长 72 字节，文件在其中途结束（可能上传中断或导出未完成）"
    );
    // Cut inside the moov box: no moov, and the reason.
    let cut = ftyp(b"isom").len() + 20;
    let inspection = inspect(FileKind::Mp4, &bytes[..cut]);
    let detail = &only(&inspection).detail;
    assert!(detail.starts_with("缺少 moov 盒") && detail.contains("moov 盒声明长"), "{detail}");
}

// ------------------------------------------------------------------ pdf

#[test]
fn a_complete_unencrypted_pdf_is_clean() {
    let (kind, inspection) = check("通知.pdf", &pdf("")).unwrap();
    assert_eq!(kind, FileKind::Pdf);
    assert_eq!(inspection.findings, vec![]);
    assert_eq!(inspection.text, None, "PDF text extraction is out of scope");
    assert_eq!(
        inspection.properties,
        Some(Properties::Pdf {
            version: "1.7".into(),
            encrypted: false
        })
    );
}

#[test]
fn an_encrypted_pdf_is_reported() {
    let mut bytes = pdf(" /Encrypt 3 0 R /ID [<01><01>]");
    bytes.extend_from_slice(b"3 0 obj\n<< /Filter /Standard /V 2 /R 3 /EncryptMetadata true >>\nendobj\n");
    let inspection = inspect(FileKind::Pdf, &bytes);
    let found = only(&inspection);
    assert_eq!((found.kind, found.location.as_str()), (HiddenKind::Encrypted, "PDF 文件"));
    assert!(found.detail.contains("/Encrypt"));
    assert_eq!(
        inspection.properties,
        Some(Properties::Pdf {
            version: "1.7".into(),
            encrypted: true
        })
    );
}

#[test]
fn a_truncated_pdf_is_undisplayable() {
    let bytes = pdf("");
    let inspection = inspect(FileKind::Pdf, &bytes[..bytes.len() - 7]);
    let found = only(&inspection);
    assert_eq!(found.kind, HiddenKind::Undisplayable);
    assert!(found.detail.contains("%%EOF"));
    // %%EOF followed by a little padding still counts as complete.
    let mut padded = pdf("");
    padded.extend_from_slice(&[b'\n'; 500]);
    assert_eq!(inspect(FileKind::Pdf, &padded).findings, vec![]);
}

// ------------------------------------------------------------------ ofd

#[test]
fn ofd_needs_its_document_root() {
    let (kind, inspection) = check("公文.ofd", &ofd("Doc_0/Document.xml", true)).unwrap();
    assert_eq!(kind, FileKind::Ofd);
    assert_eq!(inspection.findings, vec![]);
    assert_eq!(inspection.text, None);
    assert_eq!(inspect(FileKind::Ofd, &ofd("/Doc_0/Document.xml", true)).findings, vec![]);
    let missing = inspect(FileKind::Ofd, &ofd("Doc_0/Document.xml", false));
    assert_eq!(
        only(&missing),
        &finding(
            HiddenKind::Undisplayable,
            "OFD 文件",
            "OFD.xml 指向的文档“Doc_0/Document.xml”不存在，阅读器无法打开"
        )
    );
    let no_root = inspect(FileKind::Ofd, &ofd("", true));
    assert_eq!(only(&no_root).kind, HiddenKind::Undisplayable);
}

// ------------------------------------------------------------------ messages, serialisation, addresses

#[test]
fn errors_have_english_display_and_chinese_messages() {
    let mismatch = FileError::MagicMismatch {
        expected: FileKind::Docx,
        found: Some(FileKind::Xlsx),
    };
    assert_eq!(
        mismatch.to_string(),
        "file content does not match the extension: expected docx, found xlsx"
    );
    assert_eq!(
        mismatch.message_zh(),
        "文件内容与扩展名不符：扩展名表明是Word 文档（.docx），实际内容是Excel 工作簿（.xlsx）。请确认文件没有被改过扩展名，用原程序另存后重新上传。"
    );
    let unknown = FileError::MagicMismatch {
        expected: FileKind::Pdf,
        found: None,
    };
    assert_eq!(
        unknown.to_string(),
        "file content does not match the extension: expected pdf, found unrecognised content"
    );
    assert!(unknown.message_zh().contains("内容不是有效的PDF 文档"));
    let too_large = FileError::TooLarge { limit: MAX_DOCUMENT_SIZE };
    assert_eq!(too_large.to_string(), "file exceeds the size limit of 52428800 bytes");
    assert_eq!(too_large.message_zh(), "文件超过大小上限（50 MB），请压缩或拆分后再上传。");
    assert_eq!(FileError::Empty.to_string(), "file is empty");
    assert!(FileError::DisallowedExtension.message_zh().contains(".xlsx"));
    assert!(FileError::BadName.message_zh().starts_with("文件名不合法"));
    assert_eq!(FileError::Corrupt("x".into()).to_string(), "file is corrupt: x");
    assert_eq!(FileError::Corrupt("x".into()).code(), "corrupt");
    assert!(FileError::Corrupt("x".into()).message_zh().contains("已损坏"));
}

#[test]
fn findings_serialise_in_snake_case() {
    let found = finding(HiddenKind::HiddenSheet, "工作表“内部测算”", "");
    assert_eq!(
        serde_json::to_value(&found).unwrap(),
        serde_json::json!({"kind": "hidden_sheet", "location": "工作表“内部测算”", "detail": ""})
    );
    assert_eq!(found.to_string(), "hidden worksheet at 工作表“内部测算”");
    assert_eq!(serde_json::to_string(&HiddenKind::TrackedChanges).unwrap(), r#""tracked_changes""#);
    let inspection = inspect(FileKind::Png, &PNG_1X1);
    assert_eq!(
        serde_json::to_value(&inspection).unwrap(),
        serde_json::json!({"findings": [], "text": null, "properties": {"type": "image", "width": 1, "height": 1}})
    );
    let back: Inspection = serde_json::from_value(serde_json::to_value(&inspection).unwrap()).unwrap();
    assert_eq!(back, inspection);
}

#[test]
fn content_addresses_are_blake3_hex() {
    assert_eq!(
        content_address(b""),
        "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
    );
    assert_eq!(
        content_address(b"abc"),
        "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
    );
    assert_ne!(content_address(&clean_docx()), content_address(&clean_xlsx()));
}

// ------------------------------------------------------------------ robustness

const NAMES: [&str; 12] = [
    "a.pdf", "a.doc", "a.docx", "a.xls", "a.xlsx", "a.ofd", "a.jpg", "a.jpeg", "a.png", "a.mp4", "a.exe", "a",
];

fn prefixes() -> Vec<Vec<u8>> {
    vec![
        b"%PDF-1.4\ntrailer <<".to_vec(),
        vec![0xFF, 0xD8, 0xFF],
        PNG_1X1[..16].to_vec(),
        ftyp(b"isom"),
        compound_file(&["WordDocument"])[..512].to_vec(),
        b"PK\x03\x04".to_vec(),
    ]
}

fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut hidden = Sheet::new("隐藏", r#"<row r="2" hidden="1"><c r="B2" t="s"><v>1</v></c></row>"#);
    hidden.state = Some("hidden");
    vec![
        ("a.docx", clean_docx()),
        ("a.xlsx", xlsx(&[Sheet::new("Sheet1", CLEAN_ROWS), hidden], &SHARED)),
        ("a.ofd", ofd("Doc_0/Document.xml", true)),
        ("a.doc", doc_bytes()),
        ("a.jpg", jpeg(8, 8)),
        ("a.png", PNG_1X1.to_vec()),
        ("a.mp4", mp4(true)),
        ("a.pdf", pdf(" /Encrypt 3 0 R")),
    ]
}

fn exercise(name: &str, bytes: &[u8]) {
    match check(name, bytes) {
        Ok((kind, inspection)) => {
            assert!(kind.extensions().iter().any(|e| name.ends_with(e)));
            assert_eq!(
                inspection.text.is_some(),
                matches!(kind, FileKind::Docx | FileKind::Xlsx) && !inspection.findings.iter().any(|f| f.kind == HiddenKind::Encrypted)
            );
        }
        Err(error) => {
            assert!(!error.to_string().is_empty());
            assert!(!error.message_zh().is_empty());
        }
    }
    for kind in FileKind::ALL {
        let inspection = inspect(kind, bytes);
        if !matches!(kind, FileKind::Docx | FileKind::Xlsx) {
            assert_eq!(inspection.text, None);
        }
    }
    let _ = sniff(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1500), name in 0..NAMES.len()) {
        exercise(NAMES[name], &bytes);
    }

    #[test]
    fn bytes_behind_real_magic_never_panic(prefix in 0usize..6, tail in proptest::collection::vec(any::<u8>(), 0..1500), name in 0..NAMES.len()) {
        let mut bytes = prefixes()[prefix].clone();
        bytes.extend(tail);
        exercise(NAMES[name], &bytes);
    }

    #[test]
    fn damaged_fixtures_never_panic(
        which in 0usize..8,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let (name, mut bytes) = fixtures().swap_remove(which);
        for (at, value) in flips {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        exercise(name, &bytes);
    }
}
