//! Reading an uploaded task responsibility list (任务清单) file into a grid of
//! cell texts.
//!
//! What it is for: the county publishes its list as a Word table (the seed
//! notice 巫山府办发〔2021〕48号) or keeps it in an Excel sheet. The person
//! importing it uploads that file as is; [`read_table_file`] turns it into a
//! [`TableFile`]: the notice's paragraphs in front of the table and the
//! table's rows of cell texts, with merged cells as empty strings so that
//! the task list parser (`gongkai_domain::tasks`), which treats an empty cell
//! as "merged with the row above", sees exactly the layout of the printed
//! table. A list kept as plain text goes through [`decode_text`] instead
//! (UTF-8 or GB18030, as Chinese Windows editors save it).
//!
//! What the grid looks like:
//! - docx: every table of the body, in order, one after the other (a list
//!   printed as one table per page is one list). A cell's paragraphs are its
//!   lines; a vertically merged continuation cell is `""`; a cell spanning
//!   `n` grid columns is followed by `n - 1` empty strings, and a row that
//!   starts later in the grid (`w:gridBefore`) by as many leading ones, so
//!   every cell stays in its column. Nested tables are flattened into the
//!   cell that holds them. Only the body's paragraphs before the first table
//!   are the preamble; what follows the tables (抄送 …) is dropped.
//! - xlsx: the first worksheet with a header row (a cell 工作任务), else the
//!   first worksheet (visible sheets before hidden ones). The rows above the
//!   header are the preamble (one line per row, its cells joined by a space);
//!   the header and every row below are the grid, with every row as wide as
//!   the widest one and at least five cells. Cells covered by a merged range
//!   other than its top-left cell are `""`, even when the file repeats the
//!   value in them. Numbers are written as Excel shows them in General format
//!   (`48`, not `48.0`), dates as `2021年6月30日`.
//!
//! In both, every cell's text is tidied: lines trimmed, empty lines dropped,
//! tabs turned into spaces (the list's text form starts each cell with a
//! tab), other control characters removed; full-width characters are kept as
//! they are. Rows whose cells are all empty are dropped, cells right of
//! column [`MAX_COLUMNS`] are ignored.
//!
//! What it is not for: understanding the table (headings, units, deadlines:
//! `gongkai_domain::tasks`), storing anything, or the generic upload checks
//! of attachments (`gongkai_domain::files`). Old binary .doc/.xls files are
//! refused with a request to save them as .docx/.xlsx.
//!
//! Limits: nothing here panics on arbitrary bytes (a panic inside a parser
//! is caught and reported as [`TableFileError::Corrupt`]). Files over
//! [`MAX_FILE_BYTES`], archives that unpack to more than
//! [`MAX_UNPACKED_BYTES`] (counted while actually unpacking, not trusted
//! from the archive's directory) and tables of more than [`MAX_ROWS`] rows
//! are refused before they can use much memory. Parsing is synchronous; call
//! it from a blocking thread (`spawn_blocking`).

use std::collections::BTreeMap;
use std::io::{self, Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use gongkai_domain::files::{FileKind, HiddenKind};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader as XmlReader;

const MIB: usize = 1024 * 1024;

/// Largest accepted file (20 MiB); a task list is a few hundred KiB.
pub const MAX_FILE_BYTES: usize = 20 * MIB;

/// Most bytes a docx/xlsx archive may unpack to, all entries together (100 MiB).
pub const MAX_UNPACKED_BYTES: u64 = 100 * MIB as u64;

/// Most rows of a table (preamble rows of a sheet not counted).
pub const MAX_ROWS: usize = 10_000;

/// Columns kept per row; cells further right are ignored.
pub const MAX_COLUMNS: usize = 64;

/// Most entries of an archive (a docx or xlsx has a few dozen).
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Cells of a task list row: part heading, item heading, measures, lead
/// units, responsible units. Sheet rows are padded to at least this many.
const MIN_COLUMNS: usize = 5;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const DOCX_MAIN_PART: &str = "word/document.xml";
const XLSX_MAIN_PART: &str = "xl/workbook.xml";

/// A table read from a file: the paragraphs before the table (the notice: its
/// title, 文号 …) and the rows of the table's cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableFile {
    pub preamble: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a task list file could not be read. [`TableFileError::message_zh`] is
/// the message for users; `Display` is for logs and never quotes the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableFileError {
    /// Neither a .docx nor an .xlsx file (plain text goes through [`decode_text`]).
    #[error("unsupported file type: a task list is read from .docx or .xlsx (or .txt through decode_text)")]
    UnsupportedType,
    /// A Word 97–2003 (.doc) or Excel 97–2003 (.xls) file.
    #[error("legacy binary Office file (.doc/.xls)")]
    LegacyFormat,
    /// A password-protected Office file.
    #[error("the file is encrypted")]
    Encrypted,
    /// No bytes at all.
    #[error("the file is empty")]
    Empty,
    /// More than [`MAX_FILE_BYTES`].
    #[error("the file is larger than {} MiB", MAX_FILE_BYTES / MIB)]
    TooLarge,
    /// The archive unpacks to more than [`MAX_UNPACKED_BYTES`] (a zip bomb, or huge pictures).
    #[error("the archive unpacks to more than {} MiB", MAX_UNPACKED_BYTES / MIB as u64)]
    UnpackedTooLarge,
    /// The table has more than [`MAX_ROWS`] rows.
    #[error("the table has more than {MAX_ROWS} rows")]
    TooManyRows,
    /// The file is broken: not a readable archive, malformed XML, or a parser panicked.
    #[error("the file is corrupt: {0}")]
    Corrupt(String),
    /// The document has no table, or the workbook no cell with text.
    #[error("the file holds no table")]
    NoTable,
    /// Plain text that is neither UTF-8, UTF-16 with a byte-order mark nor GB18030, or not text at all.
    #[error("the text is not UTF-8, UTF-16 with a byte-order mark or GB18030, or holds NUL bytes")]
    BadEncoding,
}

impl TableFileError {
    /// A stable code for the API error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            TableFileError::UnsupportedType => "tasks.file_unsupported",
            TableFileError::LegacyFormat => "tasks.file_legacy_format",
            TableFileError::Encrypted => "tasks.file_encrypted",
            TableFileError::Empty => "tasks.file_empty",
            TableFileError::TooLarge => "tasks.file_too_large",
            TableFileError::UnpackedTooLarge => "tasks.file_unpacked_too_large",
            TableFileError::TooManyRows => "tasks.file_too_many_rows",
            TableFileError::Corrupt(_) => "tasks.file_corrupt",
            TableFileError::NoTable => "tasks.file_no_table",
            TableFileError::BadEncoding => "tasks.file_bad_encoding",
        }
    }

    /// The message shown to the person importing the list.
    pub fn message_zh(&self) -> String {
        match self {
            TableFileError::UnsupportedType => "只支持 .txt、.docx、.xlsx 格式的任务清单，请另存为其中一种格式后再上传。".to_string(),
            TableFileError::LegacyFormat => {
                "不支持旧版 .doc、.xls 格式的任务清单。请用 Word、WPS 或 Excel 将文件另存为 .docx 或 .xlsx 后再上传。".to_string()
            }
            TableFileError::Encrypted => "文件设有打开密码，无法读取。请取消密码后重新上传。".to_string(),
            TableFileError::Empty => "上传的文件是空的，请检查是否选错了文件。".to_string(),
            TableFileError::TooLarge => format!("文件超过 {} MB，不像是任务清单。请检查是否选错了文件。", MAX_FILE_BYTES / MIB),
            TableFileError::UnpackedTooLarge => format!(
                "文件解压后超过 {} MB，无法读取。请检查是否选错了文件，或删去其中的大图片后重新上传。",
                MAX_UNPACKED_BYTES / MIB as u64
            ),
            TableFileError::TooManyRows => format!("表格超过 {MAX_ROWS} 行，不像是任务清单。请检查是否选错了文件或工作表。"),
            TableFileError::Corrupt(_) => {
                "文件已损坏或不是有效的 Word/Excel 文件：无法读取其中的内容。请用 Word、WPS 或 Excel 打开后重新保存，再上传。".to_string()
            }
            TableFileError::NoTable => "文件中没有表格。任务清单应是一张含“工作任务、贯彻举措、牵头单位、责任单位”各列的表格。".to_string(),
            TableFileError::BadEncoding => {
                "无法识别文本文件的编码，或文件不是纯文本。请将任务清单另存为 UTF-8 编码的 .txt 文件后再上传。".to_string()
            }
        }
    }
}

fn corrupt(message: impl Into<String>) -> TableFileError {
    TableFileError::Corrupt(message.into())
}

/// Reads the task list table of a .docx or .xlsx file (see the module
/// documentation for what the grid holds). The kind is told by the content
/// (a ZIP archive holding `word/document.xml` or `xl/workbook.xml`); the
/// name's extension only decides between [`TableFileError::Corrupt`] and
/// [`TableFileError::UnsupportedType`] for content that is neither.
pub fn read_table_file(file_name: &str, bytes: &[u8]) -> Result<TableFile, TableFileError> {
    match catch_unwind(AssertUnwindSafe(|| read_inner(file_name, bytes))) {
        Ok(result) => result,
        Err(panic) => Err(corrupt(format!("the parser panicked: {}", panic_message(panic.as_ref())))),
    }
}

/// The text of a plain-text task list: UTF-8 (a byte-order mark is
/// removed), UTF-16 with a byte-order mark, else GB18030 (which includes GBK
/// and GB2312). Line ends become `\n`; tabs are kept (they mark the cells).
pub fn decode_text(bytes: &[u8]) -> Result<String, TableFileError> {
    if bytes.is_empty() {
        return Err(TableFileError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TableFileError::TooLarge);
    }
    let decoded = if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        encoding.decode_without_bom_handling_and_without_replacement(&bytes[bom_length..])
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Some(text.into())
    } else {
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    };
    let text = decoded.ok_or(TableFileError::BadEncoding)?;
    if text.contains('\0') {
        return Err(TableFileError::BadEncoding);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Docx,
    Xlsx,
}

fn read_inner(file_name: &str, bytes: &[u8]) -> Result<TableFile, TableFileError> {
    if bytes.is_empty() {
        return Err(TableFileError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TableFileError::TooLarge);
    }
    let extension = extension(file_name);
    let named_office = matches!(extension.as_str(), "docx" | "xlsx");
    if bytes.starts_with(ZIP_MAGIC) {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(format!("not a readable ZIP archive: {e}")))?;
        let Some(format) = package_format(&archive, &extension) else {
            return Err(if named_office {
                corrupt(format!("a ZIP archive without {DOCX_MAIN_PART} or {XLSX_MAIN_PART}"))
            } else {
                TableFileError::UnsupportedType
            });
        };
        check_unpacked_size(&mut archive)?;
        match format {
            Format::Docx => read_docx(&mut archive),
            Format::Xlsx => read_xlsx(bytes),
        }
    } else if bytes.starts_with(OLE_MAGIC) {
        Err(match gongkai_domain::files::sniff(bytes) {
            Some(FileKind::Doc | FileKind::Xls) => TableFileError::LegacyFormat,
            _ if is_encrypted_office(bytes) => TableFileError::Encrypted,
            _ if named_office => corrupt("an OLE2 compound file that is neither a Word nor an Excel file"),
            _ => TableFileError::UnsupportedType,
        })
    } else if named_office {
        Err(corrupt("the content is not a ZIP archive"))
    } else {
        Err(TableFileError::UnsupportedType)
    }
}

/// The extension of a file name, lowercased; `""` when there is none.
fn extension(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rsplit_once('.') {
        Some((_, extension)) => extension.trim().to_lowercase(),
        None => String::new(),
    }
}

/// A password-protected docx/xlsx: an OLE2 file holding `EncryptedPackage`.
fn is_encrypted_office(bytes: &[u8]) -> bool {
    gongkai_domain::files::try_inspect(FileKind::Docx, bytes)
        .is_ok_and(|inspection| inspection.of_kind(HiddenKind::Encrypted).next().is_some())
}

fn entry_index(archive: &zip::ZipArchive<Cursor<&[u8]>>, part: &str) -> Option<usize> {
    archive
        .file_names_raw()
        .position(|name| String::from_utf8_lossy(name).trim_start_matches('/').eq_ignore_ascii_case(part))
}

/// Which Office package the archive is; the extension decides only when it holds both main parts.
fn package_format(archive: &zip::ZipArchive<Cursor<&[u8]>>, extension: &str) -> Option<Format> {
    let docx = entry_index(archive, DOCX_MAIN_PART).is_some();
    let xlsx = entry_index(archive, XLSX_MAIN_PART).is_some();
    match (docx, xlsx) {
        (true, true) if extension == "xlsx" => Some(Format::Xlsx),
        (true, _) => Some(Format::Docx),
        (false, true) => Some(Format::Xlsx),
        (false, false) => None,
    }
}

/// Unpacks every entry (into nothing) to count what it really expands to:
/// the sizes in the archive's directory can lie.
fn check_unpacked_size(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), TableFileError> {
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(corrupt(format!("the ZIP archive has more than {MAX_ZIP_ENTRIES} entries")));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(format!("cannot read ZIP entry {i}: {e}")))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(TableFileError::UnpackedTooLarge);
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| corrupt(format!("cannot read ZIP entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let budget = MAX_UNPACKED_BYTES - total;
        let unpacked =
            io::copy(&mut entry.take(budget + 1), &mut io::sink()).map_err(|e| corrupt(format!("cannot unpack ZIP entry {i}: {e}")))?;
        total += unpacked;
        if total > MAX_UNPACKED_BYTES {
            return Err(TableFileError::UnpackedTooLarge);
        }
    }
    Ok(())
}

/// Tidies a cell's (or a preamble line's) text: CR LF and CR become LF, tabs
/// spaces, other control characters go; lines are trimmed and empty ones
/// dropped.
fn tidy(text: &str) -> String {
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' => Some('\n'),
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let lines: Vec<&str> = text.split('\n').map(str::trim).filter(|line| !line.is_empty()).collect();
    lines.join("\n")
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------
// docx

fn read_docx(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<TableFile, TableFileError> {
    let index = entry_index(archive, DOCX_MAIN_PART).ok_or_else(|| corrupt(format!("{DOCX_MAIN_PART} is missing")))?;
    let mut entry = archive
        .by_index(index)
        .map_err(|e| corrupt(format!("cannot read {DOCX_MAIN_PART}: {e}")))?;
    let mut raw = Vec::new();
    (&mut entry)
        .take(MAX_UNPACKED_BYTES)
        .read_to_end(&mut raw)
        .map_err(|e| corrupt(format!("cannot unpack {DOCX_MAIN_PART}: {e}")))?;
    let xml = decode_xml(raw)?;
    let mut body = DocxBody::default();
    body.walk(&xml)?;
    if body.rows.is_empty() {
        return Err(TableFileError::NoTable);
    }
    Ok(TableFile {
        preamble: body.preamble,
        rows: body.rows,
    })
}

/// An XML part as text: UTF-8 (with or without a byte-order mark) or UTF-16 with one.
fn decode_xml(raw: Vec<u8>) -> Result<String, TableFileError> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(&raw) {
        return encoding
            .decode_without_bom_handling_and_without_replacement(&raw[bom_length..])
            .map(|text| text.into_owned())
            .ok_or_else(|| corrupt(format!("{DOCX_MAIN_PART} is not valid {}", encoding.name())));
    }
    String::from_utf8(raw).map_err(|_| corrupt(format!("{DOCX_MAIN_PART} is not valid UTF-8")))
}

/// Elements whose content is skipped: alternative copies (`mc:Fallback`),
/// floating text boxes and drawings, ruby annotations, and the old
/// properties kept by tracked property changes (their `w:vMerge` is not the
/// cell's).
const DOCX_SKIPPED: &[&str] = &[
    "Fallback",
    "txbxContent",
    "drawing",
    "pict",
    "object",
    "rt",
    "tcPrChange",
    "trPrChange",
    "tblPrChange",
    "pPrChange",
    "rPrChange",
    "sectPrChange",
];

/// The walk over `word/document.xml`; see the module documentation.
#[derive(Default)]
struct DocxBody {
    preamble: Vec<String>,
    rows: Vec<Vec<String>>,
    /// A table has started: later body paragraphs are not the preamble.
    seen_table: bool,
    /// Open `w:tbl` elements (more than 1 inside a nested table).
    tables: usize,
    /// Depth inside a skipped element (0: not skipping).
    skip: usize,
    /// Open `w:p` elements and the text of the outermost.
    paragraphs: usize,
    paragraph: String,
    /// Open runs (`w:r`, `m:r`).
    runs: usize,
    in_text: bool,
    row: Option<DocxRow>,
    cell: Option<DocxCell>,
    in_row_properties: bool,
    in_cell_properties: bool,
}

#[derive(Default)]
struct DocxRow {
    cells: Vec<String>,
    deleted: bool,
}

impl DocxRow {
    fn push(&mut self, text: String) {
        if self.cells.len() < MAX_COLUMNS {
            self.cells.push(text);
        }
    }
}

struct DocxCell {
    lines: Vec<String>,
    continued: bool,
    span: usize,
}

fn xml_corrupt(error: impl std::fmt::Display, position: u64) -> TableFileError {
    corrupt(format!("{DOCX_MAIN_PART}: malformed XML at byte {position}: {error}"))
}

/// The `val` attribute (any prefix), raw.
fn val(element: &BytesStart<'_>) -> Result<Option<String>, TableFileError> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| corrupt(format!("{DOCX_MAIN_PART}: malformed attribute: {e}")))?;
        if attribute.key.local_name().as_ref() == "val" {
            return Ok(Some(attribute.value.trim().to_string()));
        }
    }
    Ok(None)
}

/// A count attribute (`w:gridSpan`, `w:gridBefore`), kept within `0..=MAX_COLUMNS`.
fn count(element: &BytesStart<'_>) -> Result<Option<usize>, TableFileError> {
    Ok(val(element)?.and_then(|v| v.parse::<usize>().ok()).map(|n| n.min(MAX_COLUMNS)))
}

impl DocxBody {
    fn walk(&mut self, xml: &str) -> Result<(), TableFileError> {
        let mut reader = XmlReader::from_str(xml);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        let mut depth = 0usize;
        let mut seen_root = false;
        loop {
            let event = reader.read_event().map_err(|e| xml_corrupt(e, reader.error_position()))?;
            match event {
                Event::Start(element) => {
                    if depth == 0 && seen_root {
                        return Err(corrupt(format!("{DOCX_MAIN_PART}: more than one root element")));
                    }
                    depth += 1;
                    seen_root = true;
                    self.open(&element)?;
                }
                Event::End(element) => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| corrupt(format!("{DOCX_MAIN_PART}: unexpected closing tag")))?;
                    self.close(element.local_name().as_ref())?;
                }
                Event::Text(text) if self.takes_text() => self.paragraph.push_str(&text.xml10_content()),
                Event::CData(text) if self.takes_text() => self.paragraph.push_str(&text.xml10_content()),
                Event::GeneralRef(reference) => {
                    let resolved = reference.resolve_char_ref().map_err(|e| xml_corrupt(e, reader.buffer_position()))?;
                    let predefined = quick_xml::escape::resolve_predefined_entity(&reference);
                    if self.takes_text() {
                        match (resolved, predefined) {
                            (Some(c), _) => self.paragraph.push(c),
                            (None, Some(s)) => self.paragraph.push_str(s),
                            // Office parts declare no entities of their own.
                            (None, None) => {}
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if depth != 0 || !seen_root {
            return Err(corrupt(format!("{DOCX_MAIN_PART}: the XML ends before its root element is closed")));
        }
        Ok(())
    }

    fn takes_text(&self) -> bool {
        self.skip == 0 && self.in_text && self.paragraphs > 0
    }

    fn open(&mut self, element: &BytesStart<'_>) -> Result<(), TableFileError> {
        if self.skip > 0 {
            self.skip += 1;
            return Ok(());
        }
        let name = element.local_name();
        let name = name.as_ref();
        if DOCX_SKIPPED.contains(&name) {
            self.skip = 1;
            return Ok(());
        }
        match name {
            "tbl" => {
                self.tables += 1;
                self.seen_table = true;
            }
            "tr" if self.tables == 1 => self.row = Some(DocxRow::default()),
            "trPr" if self.tables == 1 && self.cell.is_none() => self.in_row_properties = self.row.is_some(),
            "gridBefore" if self.in_row_properties => {
                let before = count(element)?.unwrap_or(0);
                if let Some(row) = self.row.as_mut() {
                    for _ in 0..before {
                        row.push(String::new());
                    }
                }
            }
            "del" if self.in_row_properties => {
                if let Some(row) = self.row.as_mut() {
                    row.deleted = true;
                }
            }
            "tc" if self.tables == 1 => {
                self.cell = Some(DocxCell {
                    lines: Vec::new(),
                    continued: false,
                    span: 1,
                })
            }
            "tcPr" if self.tables == 1 && self.paragraphs == 0 => self.in_cell_properties = self.cell.is_some(),
            "vMerge" | "hMerge" if self.in_cell_properties => {
                let restart = val(element)?.is_some_and(|v| v == "restart");
                if let Some(cell) = self.cell.as_mut() {
                    cell.continued = !restart;
                }
            }
            "gridSpan" if self.in_cell_properties => {
                let span = count(element)?.unwrap_or(1).max(1);
                if let Some(cell) = self.cell.as_mut() {
                    cell.span = span;
                }
            }
            "p" => {
                self.paragraphs += 1;
                if self.paragraphs == 1 {
                    self.paragraph.clear();
                }
            }
            "r" => self.runs += 1,
            "t" if self.runs > 0 => self.in_text = true,
            "tab" | "ptab" if self.runs > 0 && self.paragraphs > 0 => self.paragraph.push(' '),
            "br" | "cr" if self.runs > 0 && self.paragraphs > 0 => self.paragraph.push('\n'),
            "noBreakHyphen" if self.runs > 0 && self.paragraphs > 0 => self.paragraph.push('-'),
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), TableFileError> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        match name {
            "tbl" => self.tables = self.tables.saturating_sub(1),
            "tr" if self.tables == 1 => {
                if let Some(row) = self.row.take()
                    && !row.deleted
                    && row.cells.iter().any(|cell| !cell.is_empty())
                {
                    if self.rows.len() >= MAX_ROWS {
                        return Err(TableFileError::TooManyRows);
                    }
                    self.rows.push(row.cells);
                }
            }
            "trPr" => self.in_row_properties = false,
            "tc" if self.tables == 1 => {
                if let Some(cell) = self.cell.take()
                    && let Some(row) = self.row.as_mut()
                {
                    row.push(if cell.continued { String::new() } else { cell.lines.join("\n") });
                    for _ in 1..cell.span {
                        row.push(String::new());
                    }
                }
            }
            "tcPr" => self.in_cell_properties = false,
            "p" => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                if self.paragraphs == 0 {
                    self.end_paragraph();
                }
            }
            "r" => self.runs = self.runs.saturating_sub(1),
            "t" => self.in_text = false,
            _ => {}
        }
        Ok(())
    }

    fn end_paragraph(&mut self) {
        let text = tidy(&std::mem::take(&mut self.paragraph));
        if text.is_empty() {
            return;
        }
        if self.tables == 0 {
            if !self.seen_table {
                self.preamble.push(text);
            }
        } else if let Some(cell) = self.cell.as_mut() {
            cell.lines.push(text);
        }
    }
}

// ---------------------------------------------------------------------------
// xlsx

fn xlsx_error(error: XlsxError) -> TableFileError {
    match error {
        XlsxError::Password => TableFileError::Encrypted,
        other => corrupt(other.to_string()),
    }
}

/// A sheet's non-empty cells: row → column → text, positions as in the sheet.
type SparseSheet = BTreeMap<u32, BTreeMap<u32, String>>;

fn read_xlsx(bytes: &[u8]) -> Result<TableFile, TableFileError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let mut sheets: Vec<(bool, String)> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| (sheet.visible != SheetVisible::Visible, sheet.name.clone()))
        .collect();
    // Visible sheets first, each group in workbook order (the sort is stable).
    sheets.sort_by_key(|(hidden, _)| *hidden);
    let mut first: Option<SparseSheet> = None;
    for (_, name) in &sheets {
        let sheet = read_sheet(&mut workbook, name)?;
        if let Some(header) = header_row(&sheet) {
            return Ok(sheet_table(sheet, Some(header)));
        }
        if first.is_none() && !sheet.is_empty() {
            first = Some(sheet);
        }
    }
    first.map(|sheet| sheet_table(sheet, None)).ok_or(TableFileError::NoTable)
}

fn read_sheet(workbook: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<SparseSheet, TableFileError> {
    let merged = workbook.merge_cells_by_sheet_name(name).map_err(xlsx_error)?;
    let mut sheet = SparseSheet::new();
    let mut reader = workbook.worksheet_cells_reader(name).map_err(xlsx_error)?;
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        let (row, column) = cell.get_position();
        if column as usize >= MAX_COLUMNS {
            continue;
        }
        let text = tidy(&cell_text(cell.get_value()));
        if text.is_empty() {
            continue;
        }
        if !sheet.contains_key(&row) && sheet.len() >= MAX_ROWS {
            return Err(TableFileError::TooManyRows);
        }
        sheet.entry(row).or_default().insert(column, text);
    }
    // A merged range shows only its top-left cell; a value repeated under it is not shown.
    for range in merged {
        let (top, left) = range.start;
        let (bottom, right) = range.end;
        for (&row, cells) in sheet.range_mut(top..=bottom) {
            let hidden: Vec<u32> = cells
                .range(left..=right)
                .map(|(&column, _)| column)
                .filter(|&column| (row, column) != (top, left))
                .collect();
            for column in hidden {
                cells.remove(&column);
            }
        }
    }
    sheet.retain(|_, cells| !cells.is_empty());
    Ok(sheet)
}

/// The text of a cell as Excel shows it in General format.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(x) => number_text(*x),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(datetime) => {
            let value = datetime.as_f64();
            if !value.is_finite() {
                return String::new();
            }
            if datetime.is_duration() {
                let seconds = (value * 86_400.0).round() as i64;
                return format!("{}:{:02}:{:02}", seconds / 3600, (seconds / 60) % 60, seconds % 60);
            }
            let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
            let time = match (hour, minute, second) {
                (0, 0, 0) => String::new(),
                (h, m, 0) => format!("{h:02}:{m:02}"),
                (h, m, s) => format!("{h:02}:{m:02}:{s:02}"),
            };
            if value < 1.0 {
                if time.is_empty() { "00:00".to_string() } else { time }
            } else if time.is_empty() {
                format!("{year}年{month}月{day}日")
            } else {
                format!("{year}年{month}月{day}日 {time}")
            }
        }
        DataRef::Error(error) => error.to_string(),
    }
}

/// `48.0` → `48`; other numbers in their shortest form.
fn number_text(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// The header row: the first with a cell 工作任务, or with the cells
/// 贯彻举措, 牵头单位 and 责任单位 (spaces inside cells ignored).
fn header_row(sheet: &SparseSheet) -> Option<u32> {
    sheet.iter().find_map(|(&row, cells)| {
        let squeezed: Vec<String> = cells.values().map(|text| squeeze(text)).collect();
        let has = |word: &str| squeezed.iter().any(|cell| cell == word);
        (has("工作任务") || (has("贯彻举措") && has("牵头单位") && has("责任单位"))).then_some(row)
    })
}

fn sheet_table(mut sheet: SparseSheet, header: Option<u32>) -> TableFile {
    let body = match header {
        Some(header) => sheet.split_off(&header),
        None => std::mem::take(&mut sheet),
    };
    let preamble = sheet
        .values()
        .map(|cells| cells.values().map(String::as_str).collect::<Vec<_>>().join(" "))
        .collect();
    let first_column = body.values().filter_map(|cells| cells.keys().next()).min().copied().unwrap_or(0);
    let last_column = body
        .values()
        .filter_map(|cells| cells.keys().next_back())
        .max()
        .copied()
        .unwrap_or(0);
    let width = ((last_column - first_column) as usize + 1).max(MIN_COLUMNS);
    let rows = body
        .into_values()
        .map(|cells| {
            let mut row = vec![String::new(); width];
            for (column, text) in cells {
                row[(column - first_column) as usize] = text;
            }
            row
        })
        .collect();
    TableFile { preamble, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn s(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    // -- docx ---------------------------------------------------------------

    fn para(text: &str) -> docx_rs::Paragraph {
        docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(text))
    }

    fn cell(text: &str) -> docx_rs::TableCell {
        docx_rs::TableCell::new().add_paragraph(para(text))
    }

    fn build_docx(docx: docx_rs::Docx) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        docx.build().pack(&mut out).unwrap();
        out.into_inner()
    }

    fn seed_docx() -> Vec<u8> {
        use docx_rs::{Docx, Table, TableCell, TableRow, VMergeType};
        let header = TableRow::new(vec![
            cell("工作任务").grid_span(2),
            cell("贯彻举措"),
            cell("牵头单位"),
            cell("责任单位"),
        ]);
        let row1 = TableRow::new(vec![
            cell("一、强化政策解读"),
            cell("（一）做好政策解读"),
            TableCell::new()
                .add_paragraph(para("1.围绕重大政策开展解读。"))
                .add_paragraph(para("2.2021年6月底前完成。")),
            cell("县政府办公室"),
            cell("县级各部门"),
        ]);
        let row2 = TableRow::new(vec![
            cell(""),
            cell("（二）回应社会关切"),
            cell("3.加强舆情监测。"),
            cell("县委网信办").vertical_merge(VMergeType::Restart),
            cell("县政府办公室"),
        ]);
        let row3 = TableRow::new(vec![
            cell(""),
            cell(""),
            cell("4.及时回应关切。"),
            // Word leaves a continuation cell empty; a value left in one is not shown.
            cell("县委网信办").vertical_merge(VMergeType::Continue),
            cell("各乡镇（街道）"),
        ]);
        let page2 = TableRow::new(vec![
            cell("二、加强平台建设"),
            cell("（一）政府网站"),
            cell("5.优化栏目。"),
            cell("县大数据发展局"),
            cell(""),
        ]);
        build_docx(
            Docx::new()
                .add_paragraph(para("巫山县人民政府办公室"))
                .add_paragraph(docx_rs::Paragraph::new())
                .add_paragraph(para("  巫山府办发〔2021〕48号  "))
                .add_paragraph(para("关于印发2021年政务公开工作任务清单的通知"))
                .add_table(Table::new(vec![header, row1, row2, row3]))
                .add_paragraph(para("（续表）"))
                .add_table(Table::new(vec![page2]))
                .add_paragraph(para("抄送：县委办公室。")),
        )
    }

    #[test]
    fn docx_grid_keeps_columns_and_blanks_merged_cells() {
        let table = read_table_file("清单.docx", &seed_docx()).unwrap();
        assert_eq!(
            table.preamble,
            s(&[
                "巫山县人民政府办公室",
                "巫山府办发〔2021〕48号",
                "关于印发2021年政务公开工作任务清单的通知"
            ])
        );
        assert_eq!(
            table.rows,
            vec![
                s(&["工作任务", "", "贯彻举措", "牵头单位", "责任单位"]),
                s(&[
                    "一、强化政策解读",
                    "（一）做好政策解读",
                    "1.围绕重大政策开展解读。\n2.2021年6月底前完成。",
                    "县政府办公室",
                    "县级各部门"
                ]),
                s(&["", "（二）回应社会关切", "3.加强舆情监测。", "县委网信办", "县政府办公室"]),
                s(&["", "", "4.及时回应关切。", "", "各乡镇（街道）"]),
                s(&["二、加强平台建设", "（一）政府网站", "5.优化栏目。", "县大数据发展局", ""]),
            ]
        );
    }

    #[test]
    fn docx_content_decides_the_kind_not_the_name() {
        let bytes = seed_docx();
        let table = read_table_file("清单.xlsx", &bytes).unwrap();
        assert_eq!(table.rows.len(), 5);
        assert_eq!(read_table_file("upload", &bytes).unwrap(), table);
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn docx_with_body(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", xml.as_bytes())])
    }

    #[test]
    fn docx_handles_nesting_grid_before_tracked_changes_and_alternate_content() {
        let body = r#"
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">标题 </w:t></w:r><w:r><w:t>A&amp;B</w:t></w:r></w:p>
<w:tbl>
  <w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
  <w:tr>
    <w:tc><w:tcPr><w:tcPrChange w:id="1"><w:tcPr><w:vMerge/></w:tcPr></w:tcPrChange></w:tcPr>
      <w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p></w:tc>
    <w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>内一</w:t></w:r></w:p></w:tc>
                  <w:tc><w:p><w:r><w:t>内二</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    </w:tc>
    <w:tc><w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:t>框</w:t></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>框</w:t></w:pict></mc:Fallback></mc:AlternateContent><w:t>正文</w:t></w:r></w:p></w:tc>
  </w:tr>
  <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
    <w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>二</w:t></w:r></w:p></w:tc>
    <w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>
  </w:tr>
  <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>
    <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>续</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:trPr><w:del w:id="2"/></w:trPr><w:tc><w:p><w:r><w:t>已删除</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p/></w:tc><w:tc/></w:tr>
</w:tbl>"#;
        let table = read_table_file("x.docx", &docx_with_body(body)).unwrap();
        assert_eq!(table.preamble, s(&["标题 A&B"]));
        assert_eq!(
            table.rows,
            vec![
                s(&["甲 乙\n丙", "外\n内一\n内二", "正文"]),
                s(&["", "二", ""]),
                s(&["合并", "", ""])
            ]
        );
    }

    #[test]
    fn docx_without_a_table_is_no_table() {
        let bytes = build_docx(docx_rs::Docx::new().add_paragraph(para("没有表格")));
        assert_eq!(read_table_file("a.docx", &bytes), Err(TableFileError::NoTable));
        assert_eq!(read_table_file("a.docx", &docx_with_body("<w:tbl/>")), Err(TableFileError::NoTable));
    }

    #[test]
    fn malformed_document_xml_is_corrupt() {
        let nul = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>&#0;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        for body in ["<w:tbl><w:tr>", "<w:p></w:r>", nul] {
            let result = read_table_file("a.docx", &docx_with_body(body));
            assert!(matches!(result, Err(TableFileError::Corrupt(_))), "{body}: {result:?}");
        }
        let bytes = zip_of(&[("word/document.xml", &[0xC3, 0x28])]);
        assert!(matches!(read_table_file("a.docx", &bytes), Err(TableFileError::Corrupt(_))));
    }

    // -- xlsx ---------------------------------------------------------------

    fn seed_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let notes = workbook.add_worksheet();
        notes.set_name("说明").unwrap();
        notes.write_string(0, 0, "填表说明：见附件").unwrap();
        let sheet = workbook.add_worksheet();
        sheet.set_name("清单").unwrap();
        let plain = Format::new();
        sheet.merge_range(0, 1, 0, 5, "2021年政务公开工作任务清单", &plain).unwrap();
        sheet.write_string(1, 1, "巫山府办发〔2021〕48号").unwrap();
        sheet.write_string(1, 3, "附件").unwrap();
        sheet.merge_range(2, 1, 2, 2, "工作 任务", &plain).unwrap();
        for (column, text) in [(3, "贯彻举措"), (4, "牵头单位"), (5, "责任单位")] {
            sheet.write_string(2, column, text).unwrap();
        }
        sheet.write_string(3, 1, "一、强化政策解读").unwrap();
        sheet.write_string(3, 2, "（一）做好政策解读").unwrap();
        sheet.write_string(3, 3, "1.围绕重大政策开展解读。\r\n2.完成时限：").unwrap();
        sheet.write_string(3, 4, "县政府办公室").unwrap();
        sheet.write_string(3, 5, "县级各部门").unwrap();
        sheet.write_string(4, 2, "（二）回应社会关切").unwrap();
        sheet.write_string(4, 3, "3.加强舆情监测。").unwrap();
        sheet.merge_range(4, 4, 5, 4, "县委网信办", &plain).unwrap();
        // A value repeated under the merged range is not shown by Excel.
        sheet.write_string(5, 4, "县委网信办").unwrap();
        sheet.write_string(4, 5, "县政府办公室").unwrap();
        sheet.write_number(5, 3, 48.0).unwrap();
        sheet.write_number(5, 5, 2.5).unwrap();
        let date = ExcelDateTime::from_ymd(2021, 6, 30).unwrap();
        sheet
            .write_datetime_with_format(6, 3, &date, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_grid_from_the_sheet_with_the_header() {
        let table = read_table_file("清单.xlsx", &seed_xlsx()).unwrap();
        assert_eq!(table.preamble, s(&["2021年政务公开工作任务清单", "巫山府办发〔2021〕48号 附件"]));
        assert_eq!(
            table.rows,
            vec![
                s(&["工作 任务", "", "贯彻举措", "牵头单位", "责任单位"]),
                s(&[
                    "一、强化政策解读",
                    "（一）做好政策解读",
                    "1.围绕重大政策开展解读。\n2.完成时限：",
                    "县政府办公室",
                    "县级各部门"
                ]),
                s(&["", "（二）回应社会关切", "3.加强舆情监测。", "县委网信办", "县政府办公室"]),
                s(&["", "", "48", "", "2.5"]),
                s(&["", "", "2021年6月30日", "", ""]),
            ]
        );
    }

    #[test]
    fn xlsx_without_a_header_uses_the_first_sheet_padded_to_five_columns() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "甲").unwrap();
        sheet.write_string(2, 1, "乙").unwrap();
        workbook.add_worksheet().write_string(0, 0, "工作任务").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        // The second sheet has the header, so it is the one read.
        assert_eq!(
            read_table_file("a.xlsx", &bytes).unwrap().rows,
            vec![s(&["工作任务", "", "", "", ""])]
        );

        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "甲").unwrap();
        sheet.write_string(2, 1, "乙").unwrap();
        let table = read_table_file("a.xlsx", &workbook.save_to_buffer().unwrap()).unwrap();
        assert!(table.preamble.is_empty());
        assert_eq!(table.rows, vec![s(&["甲", "", "", "", ""]), s(&["", "乙", "", "", ""])]);

        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.add_worksheet();
        assert_eq!(
            read_table_file("a.xlsx", &workbook.save_to_buffer().unwrap()),
            Err(TableFileError::NoTable)
        );
    }

    // -- errors -------------------------------------------------------------

    #[test]
    fn unsupported_empty_and_oversized_input() {
        assert_eq!(read_table_file("a.docx", b""), Err(TableFileError::Empty));
        assert_eq!(
            read_table_file("a.txt", "工作任务".as_bytes()),
            Err(TableFileError::UnsupportedType)
        );
        assert_eq!(read_table_file("a.pdf", b"%PDF-1.7"), Err(TableFileError::UnsupportedType));
        assert!(matches!(read_table_file("a.docx", b"not a zip"), Err(TableFileError::Corrupt(_))));
        let big = vec![b'x'; MAX_FILE_BYTES + 1];
        assert_eq!(read_table_file("a.docx", &big), Err(TableFileError::TooLarge));
        assert_eq!(decode_text(&big), Err(TableFileError::TooLarge));
    }

    #[test]
    fn a_zip_that_is_not_an_office_file() {
        let bytes = zip_of(&[("readme.txt", "工作任务".as_bytes())]);
        assert!(matches!(read_table_file("清单.docx", &bytes), Err(TableFileError::Corrupt(_))));
        assert!(matches!(read_table_file("清单.xlsx", &bytes), Err(TableFileError::Corrupt(_))));
        assert_eq!(read_table_file("清单.zip", &bytes), Err(TableFileError::UnsupportedType));
    }

    #[test]
    fn a_zip_bomb_is_refused_before_parsing() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file("word/document.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let chunk = vec![b' '; MIB];
        for _ in 0..(MAX_UNPACKED_BYTES as usize / MIB + 1) {
            writer.write_all(&chunk).unwrap();
        }
        let mut bytes = writer.finish().unwrap().into_inner();
        assert!(bytes.len() < MAX_FILE_BYTES);
        assert_eq!(read_table_file("a.docx", &bytes), Err(TableFileError::UnpackedTooLarge));

        // The same archive claiming in its headers that the part unpacks to
        // 1 KiB: unpacking stops as soon as the claim is exceeded.
        let claim = 1024u32.to_le_bytes();
        assert!(bytes.starts_with(ZIP_MAGIC));
        bytes[22..26].copy_from_slice(&claim);
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&claim);
        let result = read_table_file("a.docx", &bytes);
        assert!(
            matches!(result, Err(TableFileError::Corrupt(_) | TableFileError::UnpackedTooLarge)),
            "{result:?}"
        );
    }

    #[test]
    fn legacy_and_foreign_compound_files() {
        // An OLE2 header without a readable directory: not a Word or Excel file.
        let mut ole = OLE_MAGIC.to_vec();
        ole.resize(1024, 0);
        assert!(matches!(read_table_file("a.docx", &ole), Err(TableFileError::Corrupt(_))));
        assert_eq!(read_table_file("a.doc", &ole), Err(TableFileError::UnsupportedType));
    }

    #[test]
    fn truncated_and_damaged_files_never_panic() {
        for bytes in [seed_docx(), seed_xlsx()] {
            for cut in [4, 30, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 30, bytes.len() - 1] {
                let result = read_table_file("a.docx", &bytes[..cut]);
                assert!(matches!(result, Err(TableFileError::Corrupt(_))), "cut at {cut}: {result:?}");
            }
            for position in (0..bytes.len()).step_by(97) {
                let mut damaged = bytes.clone();
                damaged[position] ^= 0x5A;
                let _ = read_table_file("a.xlsx", &damaged);
            }
        }
    }

    #[test]
    fn every_error_has_a_code_and_a_chinese_message() {
        let all = [
            TableFileError::UnsupportedType,
            TableFileError::LegacyFormat,
            TableFileError::Encrypted,
            TableFileError::Empty,
            TableFileError::TooLarge,
            TableFileError::UnpackedTooLarge,
            TableFileError::TooManyRows,
            TableFileError::Corrupt("x".into()),
            TableFileError::NoTable,
            TableFileError::BadEncoding,
        ];
        let codes: std::collections::HashSet<&str> = all.iter().map(TableFileError::code).collect();
        assert_eq!(codes.len(), all.len());
        for error in &all {
            assert!(error.code().starts_with("tasks.file_"));
            assert!(
                error.message_zh().chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                "{error:?}"
            );
        }
        assert!(TableFileError::UnsupportedType.message_zh().contains(".txt、.docx、.xlsx"));
        assert!(TableFileError::NoTable.message_zh().starts_with("文件中没有表格"));
        assert!(
            TableFileError::Corrupt("x".into())
                .message_zh()
                .starts_with("文件已损坏或不是有效的 Word/Excel 文件：")
        );
    }

    // -- text ---------------------------------------------------------------

    #[test]
    fn text_in_utf8_utf16_and_gb18030() {
        let text = "巫山府办发〔2021〕48号\r\n\t一、强化政策解读\r\t县政府办公室";
        let expected = "巫山府办发〔2021〕48号\n\t一、强化政策解读\n\t县政府办公室";
        assert_eq!(decode_text(text.as_bytes()).unwrap(), expected);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), expected);
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&gb).is_err());
        assert_eq!(decode_text(&gb).unwrap(), expected);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).unwrap(), expected);
    }

    #[test]
    fn text_that_is_not_text() {
        assert_eq!(decode_text(b""), Err(TableFileError::Empty));
        assert_eq!(decode_text(b"abc\0def"), Err(TableFileError::BadEncoding));
        assert_eq!(decode_text(b"\x81\x20"), Err(TableFileError::BadEncoding));
        assert_eq!(decode_text(&seed_docx()), Err(TableFileError::BadEncoding));
    }
}
