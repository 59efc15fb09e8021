//! Plain text of attachments, for the search index and the privacy scanner.
//!
//! What it is for: a county's notices often live only in their attachments
//! (a PDF of the signed document, a Word file, an Excel roster). Citizens
//! search for words in them, and personal data in them is published just like
//! personal data in the body, so the app extracts their text once at upload,
//! stores it (`attachments.text`) and both indexes it and runs
//! `gongkai_domain::privacy::scan` over it.
//!
//! What each kind gives ([`extract_text`]):
//! - docx, xlsx: the text `gongkai_domain::files::try_inspect` already reads
//!   for the hidden-content checks (one parser for both purposes): Word
//!   paragraphs as lines (tabs and line breaks kept) followed by headers,
//!   footers, notes and comments; Excel sheets as their name on a line, then
//!   each row's non-empty cells separated by tabs, then comments. Hidden,
//!   deleted and commented text is included on purpose: whatever is in the
//!   file is published with it.
//! - pdf: the text layer, read by the `pdf-extract` crate (fonts' ToUnicode
//!   maps, so Chinese comes out as characters). Scanned PDFs without a text
//!   layer give an empty string. Encrypted PDFs that open without a password
//!   are read; others are [`ExtractError::Encrypted`].
//! - xls: every sheet, as for xlsx, read by `calamine`.
//! - ofd: the `TextCode`s of each page in page order, a new line whenever a
//!   text object starts on another line of the page.
//! - doc (Word 97–2003): `Ok(None)`; no well-kept crate reads its text. The
//!   domain's checks already make such a file wait for a person's review.
//! - jpeg, png, mp4: `Ok(None)`; they carry no text.
//!
//! Whatever the kind, the result has no NUL or other control characters than
//! tab and newline (PostgreSQL `TEXT` refuses NUL), no trailing spaces and
//! no runs of blank lines, and is cut at [`MAX_TEXT_BYTES`].
//!
//! What it is not for: checking that a file is what it claims
//! (`gongkai_domain::files::check` runs first), OCR, or layout.
//!
//! Limits: nothing here panics on arbitrary bytes; a panic inside a parser is
//! caught and reported as [`ExtractError::Failed`], so an upload can never
//! take the server down. Call it from a blocking thread (`spawn_blocking`):
//! a large PDF takes a while.

use gongkai_domain::files::{self, FileError, FileKind, MAX_PART_SIZE, MAX_UNPACKED_SIZE, MAX_ZIP_ENTRIES};
use quick_xml::events::Event;
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Most bytes of text kept per attachment (2 MiB, about 700 000 Chinese
/// characters — a few hundred pages); the rest is dropped.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// Why the text of a file could not be read. [`ExtractError::message_zh`]
/// gives the message shown to users; `Display` is for logs and APIs and never
/// quotes the file's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The file's structure is broken (truncated, malformed XML, bad cross-references…).
    #[error("file is corrupt: {0}")]
    Corrupt(String),
    /// The file needs a password to be read.
    #[error("file is encrypted and cannot be read without a password")]
    Encrypted,
    /// The parser gave up unexpectedly (it panicked); the message is the panic's.
    #[error("text extraction failed: {0}")]
    Failed(String),
}

impl ExtractError {
    /// A stable code for the API error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::Corrupt(_) => "corrupt",
            ExtractError::Encrypted => "encrypted",
            ExtractError::Failed(_) => "extract_failed",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            ExtractError::Corrupt(_) => "无法读取附件中的文字：文件已损坏或结构异常。请用原程序重新保存或导出后再上传。".to_string(),
            ExtractError::Encrypted => {
                "无法读取附件中的文字：文件设有密码。公开的附件应无需密码即可打开，请取消密码后重新上传。".to_string()
            }
            ExtractError::Failed(_) => {
                "无法读取附件中的文字：文件结构特殊，系统未能解析。请用原程序另存为标准格式（如 PDF/A 或 .docx）后重新上传。".to_string()
            }
        }
    }
}

impl From<FileError> for ExtractError {
    fn from(error: FileError) -> Self {
        ExtractError::Corrupt(error.to_string())
    }
}

/// The plain text of a file of `kind` (see the module documentation for what
/// each kind gives); `Ok(None)` for kinds that carry no readable text.
pub fn extract_text(kind: FileKind, bytes: &[u8]) -> Result<Option<String>, ExtractError> {
    let raw = match catch_unwind(AssertUnwindSafe(|| extract_raw(kind, bytes))) {
        Ok(result) => result?,
        Err(panic) => return Err(ExtractError::Failed(panic_message(panic.as_ref()))),
    };
    Ok(raw.map(|text| tidy(&text)))
}

fn extract_raw(kind: FileKind, bytes: &[u8]) -> Result<Option<String>, ExtractError> {
    match kind {
        FileKind::Docx | FileKind::Xlsx => office_open_xml(kind, bytes),
        FileKind::Pdf => pdf(bytes).map(Some),
        FileKind::Xls => xls(bytes).map(Some),
        FileKind::Ofd => ofd(bytes).map(Some),
        FileKind::Doc | FileKind::Jpeg | FileKind::Png | FileKind::Mp4 => Ok(None),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the parser panicked".to_string())
}

/// docx and xlsx: the domain's inspection reads the text along with hidden content.
fn office_open_xml(kind: FileKind, bytes: &[u8]) -> Result<Option<String>, ExtractError> {
    let inspection = files::try_inspect(kind, bytes)?;
    if inspection.text.is_none() && inspection.of_kind(files::HiddenKind::Encrypted).next().is_some() {
        return Err(ExtractError::Encrypted);
    }
    Ok(inspection.text)
}

fn pdf(bytes: &[u8]) -> Result<String, ExtractError> {
    pdf_extract::extract_text_from_mem(bytes).map_err(|error| match error {
        pdf_extract::OutputError::PdfError(pdf_extract::Error::Decryption(_)) => ExtractError::Encrypted,
        other => ExtractError::Corrupt(other.to_string()),
    })
}

fn xls(bytes: &[u8]) -> Result<String, ExtractError> {
    use calamine::{Data, Reader, Xls};
    let mut workbook: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|error| match error {
        calamine::XlsError::Password => ExtractError::Encrypted,
        other => ExtractError::Corrupt(other.to_string()),
    })?;
    let mut text = String::new();
    for (name, range) in workbook.worksheets() {
        text.push_str(&name);
        text.push('\n');
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .filter(|cell| !matches!(cell, Data::Empty | Data::Error(_)))
                .map(|cell| cell.to_string())
                .filter(|cell| !cell.trim().is_empty())
                .collect();
            if !cells.is_empty() {
                text.push_str(&cells.join("\t"));
                text.push('\n');
            }
        }
        text.push('\n');
        if text.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(text)
}

/// OFD (GB/T 33190-2016): `OFD.xml` → each `DocRoot` → its `Page`s in order →
/// the `TextCode`s of each page's content.
fn ofd(bytes: &[u8]) -> Result<String, ExtractError> {
    let mut package = Zip::open(bytes)?;
    let entry = package.read_text("OFD.xml")?;
    let roots = xml_texts("OFD.xml", &entry, "DocRoot")?;
    let mut text = String::new();
    for root in roots.iter().map(|root| root.trim()).filter(|root| !root.is_empty()) {
        let root = resolve("", root);
        let document = package.read_text(&root)?;
        let pages = xml_attributes(&root, &document, "Page", "BaseLoc")?;
        for page in pages {
            let part = resolve(&root, &page);
            let content = package.read_text(&part)?;
            page_text(&part, &content, &mut text)?;
            text.push('\n');
            if text.len() > MAX_TEXT_BYTES {
                return Ok(text);
            }
        }
    }
    Ok(text)
}

/// A ZIP archive read within the domain's limits on entries and unpacked size.
struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    unpacked: u64,
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, ExtractError> {
        let archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Corrupt(format!("not a readable ZIP archive: {e}")))?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(ExtractError::Corrupt(format!("more than {MAX_ZIP_ENTRIES} ZIP entries")));
        }
        Ok(Zip { archive, unpacked: 0 })
    }

    /// A part as UTF-8 text, found by name ignoring case (OFD producers differ in case).
    fn read_text(&mut self, name: &str) -> Result<String, ExtractError> {
        let wanted = name.trim_start_matches('/').to_lowercase();
        let index = self
            .archive
            .file_names_raw()
            .position(|raw| String::from_utf8_lossy(raw).to_lowercase() == wanted)
            .ok_or_else(|| ExtractError::Corrupt(format!("part {name} is missing")))?;
        let cap = MAX_PART_SIZE.min(MAX_UNPACKED_SIZE.saturating_sub(self.unpacked));
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| ExtractError::Corrupt(format!("cannot read part {name}: {e}")))?;
        let mut buf = Vec::new();
        entry
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ExtractError::Corrupt(format!("cannot decompress part {name}: {e}")))?;
        if buf.len() as u64 > cap {
            return Err(ExtractError::Corrupt(format!("part {name} expands beyond the size limit")));
        }
        self.unpacked += buf.len() as u64;
        let text = String::from_utf8(buf).map_err(|_| ExtractError::Corrupt(format!("part {name} is not valid UTF-8")))?;
        Ok(text.trim_start_matches('\u{FEFF}').to_string())
    }
}

/// `Pages/Page_0/Content.xml` relative to the folder of `base` (`Doc_0/Document.xml`);
/// a leading `/` means the package root.
fn resolve(base: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let relative = match target.strip_prefix('/') {
        Some(absolute) => absolute,
        None => {
            if let Some((dir, _)) = base.rsplit_once('/') {
                segments.extend(dir.split('/').filter(|s| !s.is_empty()));
            }
            target
        }
    };
    for segment in relative.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

fn xml_error(part: &str, error: impl std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt(format!("{part}: malformed XML: {error}"))
}

/// Calls `visit` with each event of a well-formed document (empty elements expanded).
fn walk_xml(part: &str, xml: &str, mut visit: impl FnMut(&Event<'_>) -> Result<(), ExtractError>) -> Result<(), ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event().map_err(|e| xml_error(part, e))? {
            Event::Eof => return Ok(()),
            event => visit(&event)?,
        }
    }
}

fn attribute(element: &quick_xml::events::BytesStart<'_>, part: &str, local: &str) -> Result<Option<String>, ExtractError> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| xml_error(part, e))?;
        if attribute.key.local_name().as_ref() == local {
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| xml_error(part, e))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// Character data of a text or reference event.
fn event_text(part: &str, event: &Event<'_>) -> Result<Option<String>, ExtractError> {
    Ok(match event {
        Event::Text(text) => Some(text.xml10_content().into_owned()),
        Event::CData(text) => Some(text.xml10_content().into_owned()),
        Event::GeneralRef(reference) => match reference.resolve_char_ref().map_err(|e| xml_error(part, e))? {
            Some(c) => Some(c.to_string()),
            None => quick_xml::escape::resolve_predefined_entity(reference).map(str::to_string),
        },
        _ => None,
    })
}

/// The text content of every element with local name `local`.
fn xml_texts(part: &str, xml: &str, local: &str) -> Result<Vec<String>, ExtractError> {
    let mut out = Vec::new();
    let mut inside = false;
    walk_xml(part, xml, |event| {
        match event {
            Event::Start(e) if e.local_name().as_ref() == local => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.local_name().as_ref() == local => inside = false,
            _ if inside => {
                if let (Some(text), Some(last)) = (event_text(part, event)?, out.last_mut()) {
                    last.push_str(&text);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The values of attribute `name` on every element with local name `local`, in document order.
fn xml_attributes(part: &str, xml: &str, local: &str, name: &str) -> Result<Vec<String>, ExtractError> {
    let mut out = Vec::new();
    walk_xml(part, xml, |event| {
        if let Event::Start(e) = event
            && e.local_name().as_ref() == local
            && let Some(value) = attribute(e, part, name)?
        {
            out.push(value);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Appends the text of one OFD page: text objects on the same line (by their
/// `Boundary`'s top and height) are joined, others start a new line.
fn page_text(part: &str, xml: &str, out: &mut String) -> Result<(), ExtractError> {
    let mut in_code = false;
    let mut last_line: Option<(f64, f64)> = None;
    let mut first = true;
    walk_xml(part, xml, |event| {
        match event {
            Event::Start(e) if e.local_name().as_ref() == "TextObject" => {
                let boundary = attribute(e, part, "Boundary")?.unwrap_or_default();
                let numbers: Vec<f64> = boundary.split_whitespace().filter_map(|n| n.parse().ok()).collect();
                let line = match numbers[..] {
                    [_, top, _, height, ..] => Some((top, height)),
                    _ => None,
                };
                let same_line = match (last_line, line) {
                    (Some((last_top, last_height)), Some((top, _))) => (top - last_top).abs() < last_height.abs().max(0.1) / 2.0,
                    _ => false,
                };
                if !first && !same_line {
                    out.push('\n');
                }
                first = false;
                last_line = line;
            }
            Event::Start(e) if e.local_name().as_ref() == "TextCode" => in_code = true,
            Event::End(e) if e.local_name().as_ref() == "TextCode" => in_code = false,
            _ if in_code => {
                if let Some(text) = event_text(part, event)? {
                    out.push_str(&text);
                }
            }
            _ => {}
        }
        Ok(())
    })
}

/// Drops control characters other than tab and newline, trailing spaces and
/// runs of blank lines, and cuts at [`MAX_TEXT_BYTES`] on a character boundary.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_TEXT_BYTES));
    let mut blank_lines = 0usize;
    for line in raw.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| c == '\t' || !c.is_control())
            .collect::<String>()
            .trim_end()
            .to_string();
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        if out.len() + line.len() > MAX_TEXT_BYTES {
            let mut end = MAX_TEXT_BYTES.saturating_sub(out.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&line[..end]);
            break;
        }
        out.push_str(&line);
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_controls_and_blank_runs() {
        assert_eq!(tidy("\n\n a\u{0}b  \r\n\n\n\nc\td\u{7}\n\n"), " ab\n\nc\td");
        assert_eq!(tidy(""), "");
    }

    #[test]
    fn tidy_cuts_on_a_character_boundary() {
        let long = "政".repeat(MAX_TEXT_BYTES); // 3 bytes each
        let cut = tidy(&long);
        assert!(cut.len() <= MAX_TEXT_BYTES && cut.len() > MAX_TEXT_BYTES - 3);
        assert!(cut.chars().all(|c| c == '政'));
    }

    #[test]
    fn ofd_paths_resolve_against_their_document() {
        assert_eq!(resolve("", "Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(
            resolve("Doc_0/Document.xml", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0/Document.xml", "/Doc_0/Pages/Page_1/Content.xml"),
            "Doc_0/Pages/Page_1/Content.xml"
        );
        assert_eq!(resolve("Doc_0/Document.xml", "../x.xml"), "x.xml");
    }

    #[test]
    fn panics_become_errors() {
        let error = catch_unwind(|| panic!("boom")).unwrap_err();
        assert_eq!(panic_message(error.as_ref()), "boom");
    }
}
