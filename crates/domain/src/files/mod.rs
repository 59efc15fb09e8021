//! Checks on attachments before they are stored and published.
//!
//! What it is for: government documents carry attachments (PDF, Word, Excel,
//! OFD, JPEG/PNG pictures, MP4 video). Before an attachment is stored, and
//! again before it is published, this module answers three questions about its
//! bytes:
//!
//! 1. *What is it?* [`identify`] accepts only the extensions of [`FileKind`] and
//!    only when the content agrees with the extension (magic bytes, and for the
//!    ZIP- and OLE-based formats the part or stream that makes a file a Word
//!    document rather than a workbook), within [`FileKind::max_size`], under a
//!    file name without path separators or control characters.
//! 2. *What would a reader see that the reviewers did not?* [`inspect`] reports
//!    [`HiddenFinding`]s: hidden worksheets, rows and columns, comments,
//!    unaccepted tracked changes, hidden text, embedded files, encryption, and
//!    defects that keep a browser from showing the file (truncated pictures,
//!    videos without a `moov` box, PDFs without `%%EOF`). Old binary `.doc` and
//!    `.xls` files cannot be inspected reliably and always yield
//!    [`HiddenKind::Uninspectable`].
//! 3. *What text does it hold?* [`Inspection::text`] carries the text of Word
//!    and Excel files for the privacy scanner (`crate::privacy`). It includes
//!    hidden content on purpose: whatever is in the file is published with it.
//!
//! [`check`] combines 1 and 2 and turns malformed ZIP or XML into
//! [`FileError::Corrupt`]; [`content_address`] names the stored bytes.
//!
//! Why: the seed document (巫山府办发〔2021〕48号) requires every unit to
//! "严格落实‘三审三校’制度，严把政治关、法律关、政策关、保密关、文字关" before
//! information is published. Reviewers read what Word, Excel or a PDF reader
//! shows them, but hidden worksheets, hidden rows and columns, comments,
//! tracked changes and hidden text travel with the published file and are a
//! well-known way for unpublished figures and internal remarks to leak. A
//! finding therefore blocks publication until an editor resolves or
//! acknowledges it; that decision belongs to the caller, not to this module.
//! 《政府网站发展指引》(国办发〔2017〕47号) asks that 文件资料 be accurately
//! classified and searchable, and that a modified or repealed file be marked
//! on the published original; a site can only do that for files whose type it
//! knows and whose bytes it can address, hence [`identify`] and
//! [`content_address`]. It also requires that a government site pass security
//! checks before going online ("未通过安全检测的政府网站不得上线运行"), which is
//! why the checks here never trust the extension alone. (The 指引's own
//! attachment 《网页设计规范》 has not been verified against the original
//! text; see `docs/rules.md` §4b. Nothing here depends on it.)
//!
//! What it is not for: I/O (every function takes `&[u8]`), storage, virus
//! scanning, format conversion, judging whether content may be published (the
//! `privacy` module and the reviewers do that), or PDF text extraction (added
//! with search). Hidden content is *reported*, never removed: only the author's
//! program can clean a file without breaking it.
//!
//! Limits: ZIP parts are read at most [`MAX_PART_SIZE`] bytes decompressed
//! each and [`MAX_UNPACKED_SIZE`] in total (zip bombs fail as
//! [`FileError::Corrupt`]); nothing here panics on arbitrary bytes.

use serde::{Deserialize, Serialize};
use std::fmt;

mod cfb;
mod docx;
mod media;
mod ofd;
mod package;
mod xlsx;

use package::Package;

/// One mebibyte.
pub const MIB: u64 = 1024 * 1024;
/// Largest PDF, Word, Excel or OFD attachment accepted.
pub const MAX_DOCUMENT_SIZE: u64 = 50 * MIB;
/// Largest JPEG or PNG picture accepted.
pub const MAX_IMAGE_SIZE: u64 = 10 * MIB;
/// Largest MP4 video accepted.
pub const MAX_VIDEO_SIZE: u64 = 500 * MIB;
/// Largest decompressed size of one part of a ZIP-based file (docx, xlsx, ofd).
pub const MAX_PART_SIZE: u64 = 64 * MIB;
/// Largest decompressed size read from one ZIP-based file in total.
pub const MAX_UNPACKED_SIZE: u64 = 512 * MIB;
/// Most entries a ZIP-based file may hold.
pub const MAX_ZIP_ENTRIES: usize = 20_000;
/// Largest width or height, in pixels, of a picture browsers are expected to show.
pub const MAX_IMAGE_SIDE: u64 = 20_000;
/// Longest file name accepted, in UTF-8 bytes (the limit of common file systems).
pub const MAX_FILE_NAME_BYTES: usize = 255;

const PDF_MAGIC: &[u8] = b"%PDF-";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The attachment formats the platform accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    /// Word 97–2003 binary document (OLE2).
    Doc,
    /// Word 2007+ document (Office Open XML).
    Docx,
    /// Excel 97–2003 binary workbook (OLE2).
    Xls,
    /// Excel 2007+ workbook (Office Open XML).
    Xlsx,
    /// 版式文档 per GB/T 33190-2016.
    Ofd,
    Jpeg,
    Png,
    Mp4,
}

impl FileKind {
    pub const ALL: [FileKind; 9] = [
        FileKind::Pdf,
        FileKind::Doc,
        FileKind::Docx,
        FileKind::Xls,
        FileKind::Xlsx,
        FileKind::Ofd,
        FileKind::Jpeg,
        FileKind::Png,
        FileKind::Mp4,
    ];

    /// The stable machine name (also the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Doc => "doc",
            FileKind::Docx => "docx",
            FileKind::Xls => "xls",
            FileKind::Xlsx => "xlsx",
            FileKind::Ofd => "ofd",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Mp4 => "mp4",
        }
    }

    /// The accepted extensions, lower case, without the dot; the first is canonical.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Doc => &["doc"],
            FileKind::Docx => &["docx"],
            FileKind::Xls => &["xls"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Ofd => &["ofd"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Png => &["png"],
            FileKind::Mp4 => &["mp4"],
        }
    }

    /// The canonical extension, without the dot (e.g. for stored copies).
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// The kind an extension (without the dot, any case) stands for.
    pub fn from_extension(extension: &str) -> Option<FileKind> {
        let extension = extension.to_ascii_lowercase();
        FileKind::ALL
            .into_iter()
            .find(|kind| kind.extensions().contains(&extension.as_str()))
    }

    /// The MIME type to serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Doc => "application/msword",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Ofd => "application/ofd",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Mp4 => "video/mp4",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF 文档",
            FileKind::Doc => "Word 文档（旧版 .doc）",
            FileKind::Docx => "Word 文档（.docx）",
            FileKind::Xls => "Excel 工作簿（旧版 .xls）",
            FileKind::Xlsx => "Excel 工作簿（.xlsx）",
            FileKind::Ofd => "OFD 版式文档",
            FileKind::Jpeg => "JPEG 图片",
            FileKind::Png => "PNG 图片",
            FileKind::Mp4 => "MP4 视频",
        }
    }

    /// The largest accepted size in bytes: [`MAX_DOCUMENT_SIZE`],
    /// [`MAX_IMAGE_SIZE`] or [`MAX_VIDEO_SIZE`].
    pub fn max_size(&self) -> u64 {
        match self {
            FileKind::Pdf | FileKind::Doc | FileKind::Docx | FileKind::Xls | FileKind::Xlsx | FileKind::Ofd => MAX_DOCUMENT_SIZE,
            FileKind::Jpeg | FileKind::Png => MAX_IMAGE_SIZE,
            FileKind::Mp4 => MAX_VIDEO_SIZE,
        }
    }

    /// Whether the file is a picture (shown inline rather than downloaded).
    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png)
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an upload is refused. [`FileError::message_zh`] gives the message shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(
        "file name must be 1 to {MAX_FILE_NAME_BYTES} bytes with a name before the extension, \
         without path separators, control characters or bidirectional-override characters"
    )]
    BadName,
    #[error("file type not allowed; allowed extensions: pdf, doc, docx, xls, xlsx, ofd, jpg, jpeg, png, mp4")]
    DisallowedExtension,
    #[error("file is empty")]
    Empty,
    #[error("file exceeds the size limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("file content does not match the extension: expected {expected}, found {}", describe_found(.found))]
    MagicMismatch { expected: FileKind, found: Option<FileKind> },
    #[error("file is corrupt: {0}")]
    Corrupt(String),
}

fn describe_found(found: &Option<FileKind>) -> String {
    match found {
        Some(kind) => kind.as_str().to_string(),
        None => "unrecognised content".to_string(),
    }
}

impl FileError {
    /// A stable code for the API error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::BadName => "bad_name",
            FileError::DisallowedExtension => "disallowed_extension",
            FileError::Empty => "empty",
            FileError::TooLarge { .. } => "too_large",
            FileError::MagicMismatch { .. } => "magic_mismatch",
            FileError::Corrupt(_) => "corrupt",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            FileError::BadName => format!(
                "文件名不合法：扩展名前须有文件名，长度不超过 {MAX_FILE_NAME_BYTES} 字节，不能包含“/”“\\”等路径分隔符、控制字符或文字方向控制符。"
            ),
            FileError::DisallowedExtension => {
                "不支持此类型的附件。可上传：PDF、Word（.doc、.docx）、Excel（.xls、.xlsx）、OFD、图片（.jpg、.jpeg、.png）、视频（.mp4）。"
                    .to_string()
            }
            FileError::Empty => "文件是空的（0 字节），请重新选择文件。".to_string(),
            FileError::TooLarge { limit } => format!("文件超过大小上限（{}），请压缩或拆分后再上传。", format_size_zh(*limit)),
            FileError::MagicMismatch { expected, found } => {
                let actual = match found {
                    Some(kind) => format!("实际内容是{}", kind.label_zh()),
                    None => format!("内容不是有效的{}", expected.label_zh()),
                };
                format!(
                    "文件内容与扩展名不符：扩展名表明是{}，{}。请确认文件没有被改过扩展名，用原程序另存后重新上传。",
                    expected.label_zh(),
                    actual
                )
            }
            FileError::Corrupt(_) => {
                "文件已损坏或结构异常（也可能是解压后过大的异常文件），无法检查。请用原程序重新保存或导出后再上传。".to_string()
            }
        }
    }
}

fn format_size_zh(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

/// What kind of hidden content or defect a [`HiddenFinding`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenKind {
    /// A worksheet with state `hidden` or `veryHidden`, or a worksheet part the workbook does not list.
    HiddenSheet,
    /// Hidden rows that hold at least one cell value.
    HiddenRows,
    /// Hidden columns that hold at least one cell value.
    HiddenColumns,
    /// Comments (Excel notes or threaded comments, Word comments).
    Comments,
    /// Unaccepted tracked changes (insertions, deletions, moves, formatting changes).
    TrackedChanges,
    /// Text formatted as hidden (`w:vanish`).
    HiddenText,
    /// Files embedded in the document (e.g. the workbook behind a chart), which readers can open.
    EmbeddedObjects,
    /// The format cannot be inspected automatically (old binary .doc/.xls); a person must check it.
    Uninspectable,
    /// Browsers or readers cannot show the file (truncated, absurd dimensions, no `moov` box…).
    Undisplayable,
    /// The file is encrypted; published files must open without a password.
    Encrypted,
}

impl HiddenKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            HiddenKind::HiddenSheet => "隐藏工作表",
            HiddenKind::HiddenRows => "隐藏行",
            HiddenKind::HiddenColumns => "隐藏列",
            HiddenKind::Comments => "批注",
            HiddenKind::TrackedChanges => "修订痕迹",
            HiddenKind::HiddenText => "隐藏文字",
            HiddenKind::EmbeddedObjects => "嵌入文件",
            HiddenKind::Uninspectable => "无法自动检查",
            HiddenKind::Undisplayable => "无法正常显示",
            HiddenKind::Encrypted => "已加密",
        }
    }
}

impl fmt::Display for HiddenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HiddenKind::HiddenSheet => "hidden worksheet",
            HiddenKind::HiddenRows => "hidden rows with content",
            HiddenKind::HiddenColumns => "hidden columns with content",
            HiddenKind::Comments => "comments",
            HiddenKind::TrackedChanges => "unaccepted tracked changes",
            HiddenKind::HiddenText => "hidden text",
            HiddenKind::EmbeddedObjects => "embedded files",
            HiddenKind::Uninspectable => "format cannot be inspected automatically",
            HiddenKind::Undisplayable => "file cannot be displayed",
            HiddenKind::Encrypted => "file is encrypted",
        })
    }
}

/// One thing in a file that reviewers would not see, or that stops readers
/// from seeing the file. `location` and `detail` are user-facing Chinese
/// (e.g. `工作表“内部测算”`, `第12行`); `kind` is the machine-readable part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenFinding {
    pub kind: HiddenKind,
    pub location: String,
    pub detail: String,
}

impl HiddenFinding {
    pub fn new(kind: HiddenKind, location: impl Into<String>, detail: impl Into<String>) -> Self {
        HiddenFinding {
            kind,
            location: location.into(),
            detail: detail.into(),
        }
    }

    /// The sentence shown to editors and reviewers, e.g. `工作表“内部测算”被隐藏`.
    pub fn message_zh(&self) -> String {
        let (location, detail) = (&self.location, &self.detail);
        match self.kind {
            HiddenKind::HiddenSheet if detail.is_empty() => format!("{location}被隐藏"),
            HiddenKind::HiddenSheet => format!("{location}被隐藏：{detail}"),
            HiddenKind::HiddenRows => format!("{location}有隐藏的行：{detail}"),
            HiddenKind::HiddenColumns => format!("{location}有隐藏的列：{detail}"),
            HiddenKind::Comments => format!("{location}有批注：{detail}"),
            HiddenKind::TrackedChanges => format!("{location}有未接受的修订：{detail}"),
            HiddenKind::HiddenText => format!("{location}有隐藏文字：{detail}"),
            HiddenKind::EmbeddedObjects => format!("{location}嵌入了其他文件：{detail}"),
            HiddenKind::Uninspectable => format!("{location}无法自动检查：{detail}"),
            HiddenKind::Undisplayable => format!("{location}无法正常显示：{detail}"),
            HiddenKind::Encrypted => format!("{location}已加密：{detail}"),
        }
    }
}

impl fmt::Display for HiddenFinding {
    /// English kind, then the user-facing location and detail verbatim.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.location)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Facts read from a file while inspecting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Properties {
    Image {
        width: u64,
        height: u64,
    },
    Video {
        /// The `ftyp` major brand, e.g. `isom`, `mp42`.
        major_brand: String,
        compatible_brands: Vec<String>,
        /// Sample-entry codes of the tracks, e.g. `avc1`, `hvc1`, `mp4a`.
        codecs: Vec<String>,
        /// `moov` comes before `mdat`, so playback can start before the download ends.
        faststart: bool,
    },
    Pdf {
        /// The header version, e.g. `1.7`.
        version: String,
        encrypted: bool,
    },
}

/// The result of [`inspect`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// Each finding blocks publication until resolved (the caller decides how).
    pub findings: Vec<HiddenFinding>,
    /// All text of a Word or Excel file, hidden parts included, for the privacy
    /// scanner: Word paragraphs become lines; Excel rows become lines of
    /// tab-separated cells under a line with the sheet name. `None` for other kinds.
    pub text: Option<String>,
    pub properties: Option<Properties>,
}

impl Inspection {
    /// No findings: nothing hidden, nothing that stops readers.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The findings of one kind.
    pub fn of_kind(&self, kind: HiddenKind) -> impl Iterator<Item = &HiddenFinding> {
        self.findings.iter().filter(move |finding| finding.kind == kind)
    }
}

/// The BLAKE3 hash of the bytes as 64 lower-case hex digits; files are stored under it.
pub fn content_address(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Checks the file name and returns its extension, lower-cased.
///
/// Refused ([`FileError::BadName`]): empty or longer than
/// [`MAX_FILE_NAME_BYTES`], `/` or `\`, control characters, bidirectional
/// controls (used to disguise `gpj.exe` as `exe.jpg`), nothing before the
/// extension (`.pdf`). A name without a dot has no allowed extension
/// ([`FileError::DisallowedExtension`]).
pub fn file_extension(filename: &str) -> Result<String, FileError> {
    if filename.is_empty() || filename.len() > MAX_FILE_NAME_BYTES {
        return Err(FileError::BadName);
    }
    if filename
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control() || is_bidi_control(c))
    {
        return Err(FileError::BadName);
    }
    let Some((stem, extension)) = filename.rsplit_once('.') else {
        return Err(FileError::DisallowedExtension);
    };
    if stem.trim().trim_matches('.').is_empty() {
        return Err(FileError::BadName);
    }
    Ok(extension.to_ascii_lowercase())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// Identifies an upload: allowed extension, content that matches it, size
/// within [`FileKind::max_size`], acceptable name.
///
/// Checked in this order: name ([`FileError::BadName`]), extension
/// ([`FileError::DisallowedExtension`]), [`FileError::Empty`],
/// [`FileError::TooLarge`], content ([`FileError::MagicMismatch`], or
/// [`FileError::Corrupt`] when a ZIP or OLE2 container cannot be read).
///
/// Content rules: PDF starts with `%PDF-`; JPEG with `FF D8 FF`; PNG with its
/// 8-byte signature; MP4 has an `ftyp` box at offset 4 whose brand is not a
/// still-image brand (HEIF/AVIF); DOC and XLS are OLE2 compound files whose
/// root holds a `WordDocument` stream (DOC) or a `Workbook`/`Book` stream
/// (XLS); DOCX, XLSX and OFD are ZIP archives holding `word/document.xml`,
/// `xl/workbook.xml` or `OFD.xml`. A password-protected DOCX/XLSX (an OLE2
/// file holding `EncryptedPackage`) is accepted here and reported by
/// [`inspect`] as [`HiddenKind::Encrypted`].
pub fn identify(filename: &str, bytes: &[u8]) -> Result<FileKind, FileError> {
    identify_inner(filename, bytes, None)
}

/// [`identify`] with `limit` in place of the kind's [`FileKind::max_size`]
/// (for deployments with lower limits, and for tests).
pub fn identify_with_limit(filename: &str, bytes: &[u8], limit: u64) -> Result<FileKind, FileError> {
    identify_inner(filename, bytes, Some(limit))
}

fn identify_inner(filename: &str, bytes: &[u8], limit: Option<u64>) -> Result<FileKind, FileError> {
    let extension = file_extension(filename)?;
    let kind = FileKind::from_extension(&extension).ok_or(FileError::DisallowedExtension)?;
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let limit = limit.unwrap_or_else(|| kind.max_size());
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { limit });
    }
    if content_matches(kind, bytes)? {
        Ok(kind)
    } else {
        Err(FileError::MagicMismatch {
            expected: kind,
            found: sniff(bytes),
        })
    }
}

fn content_matches(kind: FileKind, bytes: &[u8]) -> Result<bool, FileError> {
    Ok(match kind {
        FileKind::Pdf => bytes.starts_with(PDF_MAGIC),
        FileKind::Jpeg => bytes.starts_with(JPEG_MAGIC),
        FileKind::Png => bytes.starts_with(PNG_MAGIC),
        FileKind::Mp4 => media::is_mp4(bytes),
        FileKind::Doc | FileKind::Xls => {
            if !bytes.starts_with(&cfb::OLE_MAGIC) {
                return Ok(false);
            }
            let streams = cfb::RootStreams::read(bytes).map_err(FileError::Corrupt)?;
            if kind == FileKind::Doc { streams.word } else { streams.excel }
        }
        FileKind::Docx | FileKind::Xlsx | FileKind::Ofd => {
            if bytes.starts_with(ZIP_MAGIC) {
                Package::open(bytes)?.contains(main_part(kind))
            } else if kind != FileKind::Ofd && bytes.starts_with(&cfb::OLE_MAGIC) {
                cfb::RootStreams::read(bytes).is_ok_and(|streams| streams.encrypted_package)
            } else {
                false
            }
        }
    })
}

fn main_part(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Docx => "word/document.xml",
        FileKind::Xlsx => "xl/workbook.xml",
        _ => "OFD.xml",
    }
}

/// What the content looks like, whatever the name says; `None` when it is
/// none of the accepted kinds (or an encrypted Office file, which could be
/// either a docx or an xlsx).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(PDF_MAGIC) {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(PNG_MAGIC) {
        Some(FileKind::Png)
    } else if media::is_mp4(bytes) {
        Some(FileKind::Mp4)
    } else if bytes.starts_with(&cfb::OLE_MAGIC) {
        let streams = cfb::RootStreams::read(bytes).ok()?;
        if streams.word {
            Some(FileKind::Doc)
        } else if streams.excel {
            Some(FileKind::Xls)
        } else {
            None
        }
    } else if bytes.starts_with(ZIP_MAGIC) {
        let package = Package::open(bytes).ok()?;
        [FileKind::Docx, FileKind::Xlsx, FileKind::Ofd]
            .into_iter()
            .find(|kind| package.contains(main_part(*kind)))
    } else {
        None
    }
}

/// Inspects identified bytes for hidden content and display defects.
///
/// Never fails: a file too malformed to inspect yields one
/// [`HiddenKind::Undisplayable`] finding (use [`try_inspect`] or [`check`] to
/// get [`FileError::Corrupt`] instead).
pub fn inspect(kind: FileKind, bytes: &[u8]) -> Inspection {
    try_inspect(kind, bytes).unwrap_or_else(|error| Inspection {
        findings: vec![HiddenFinding::new(
            HiddenKind::Undisplayable,
            "整个文件",
            format!("文件已损坏或结构异常，无法检查（{error}）"),
        )],
        text: None,
        properties: None,
    })
}

/// [`inspect`], with malformed ZIP or XML reported as [`FileError::Corrupt`].
///
/// What each kind checks:
/// - xlsx: sheets with state `hidden`/`veryHidden`; hidden rows and columns
///   that hold values (empty hidden rows and columns, e.g. everything right of
///   the table, hide nothing and are not reported); notes and threaded
///   comments, per sheet; worksheet parts the workbook does not list; files in
///   `xl/embeddings/`. Text: sheet names, cell values (shared strings, inline
///   strings, numbers), comments and unused shared strings.
/// - docx: comments in `word/comments.xml`; tracked insertions, deletions,
///   moves and formatting changes; runs with text hidden by `w:vanish`
///   (directly or through their character or paragraph style) in the body,
///   headers, footers, footnotes and endnotes; files in `word/embeddings/`.
///   `mc:Fallback` copies are skipped. Text: paragraphs as lines, including
///   deleted and hidden text, then headers, footers, notes and comments.
/// - doc, xls: always [`HiddenKind::Uninspectable`].
/// - jpeg, png: dimensions readable, non-zero and at most [`MAX_IMAGE_SIDE`];
///   JPEG segments reach the end-of-image marker `FF D9`; PNG chunks reach `IEND`.
/// - mp4: top-level boxes start with `ftyp`, fit in the file, include `moov`.
/// - pdf: `%%EOF` within the last 1024 bytes; `/Encrypt` in a trailer or
///   cross-reference stream dictionary is [`HiddenKind::Encrypted`].
/// - ofd: `OFD.xml` is well-formed and its `DocRoot` entries exist.
pub fn try_inspect(kind: FileKind, bytes: &[u8]) -> Result<Inspection, FileError> {
    match kind {
        FileKind::Pdf => Ok(media::inspect_pdf(bytes)),
        FileKind::Jpeg | FileKind::Png => Ok(media::inspect_image(kind, bytes)),
        FileKind::Mp4 => Ok(media::inspect_mp4(bytes)),
        FileKind::Doc | FileKind::Xls => Ok(uninspectable(kind)),
        FileKind::Docx | FileKind::Xlsx if bytes.starts_with(&cfb::OLE_MAGIC) => encrypted_office(bytes),
        FileKind::Docx => docx::inspect(&mut Package::open(bytes)?),
        FileKind::Xlsx => xlsx::inspect(&mut Package::open(bytes)?),
        FileKind::Ofd => ofd::inspect(&mut Package::open(bytes)?),
    }
}

fn uninspectable(kind: FileKind) -> Inspection {
    let detail = if kind == FileKind::Doc {
        "旧版 Word 二进制格式（.doc）无法可靠地自动检查批注、修订和隐藏文字。请用 Word 或 WPS 另存为 .docx 后重新上传；\
         如确需发布原文件，须由审核人打开文件逐项人工检查后确认。"
    } else {
        "旧版 Excel 二进制格式（.xls）无法可靠地自动检查隐藏工作表、隐藏行列和批注。请用 Excel 或 WPS 另存为 .xlsx 后重新上传；\
         如确需发布原文件，须由审核人打开文件逐项人工检查后确认。"
    };
    Inspection {
        findings: vec![HiddenFinding::new(HiddenKind::Uninspectable, "整个文件", detail)],
        text: None,
        properties: None,
    }
}

fn encrypted_office(bytes: &[u8]) -> Result<Inspection, FileError> {
    let streams = cfb::RootStreams::read(bytes).map_err(FileError::Corrupt)?;
    if !streams.encrypted_package {
        return Err(FileError::Corrupt(
            "an OLE2 compound file that is not an encrypted Office Open XML package".into(),
        ));
    }
    Ok(Inspection {
        findings: vec![HiddenFinding::new(
            HiddenKind::Encrypted,
            "整个文件",
            "文档设有打开密码，无法检查其内容；公开的附件应无需密码即可打开，请取消密码后重新上传",
        )],
        text: None,
        properties: None,
    })
}

/// [`identify`] then [`try_inspect`]: the one call an upload handler needs.
pub fn check(filename: &str, bytes: &[u8]) -> Result<(FileKind, Inspection), FileError> {
    let kind = identify(filename, bytes)?;
    Ok((kind, try_inspect(kind, bytes)?))
}

/// [`check`] with `limit` in place of the kind's [`FileKind::max_size`].
pub fn check_with_limit(filename: &str, bytes: &[u8], limit: u64) -> Result<(FileKind, Inspection), FileError> {
    let kind = identify_with_limit(filename, bytes, limit)?;
    Ok((kind, try_inspect(kind, bytes)?))
}

/// `1, 2, 3, 5` → `[(1, 3), (5, 5)]`; input sorted ascending.
fn ranges(numbers: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match out.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(n) => *end = n,
            Some((_, end)) if *end == n => {}
            _ => out.push((n, n)),
        }
    }
    out
}

/// Lists sorted numbers as Chinese ranges, e.g. `第3行、第5至7行（共4行）`.
fn describe_numbers_zh(numbers: &[u32], label: impl Fn(u32, u32) -> String, unit: &str) -> String {
    const SHOWN: usize = 20;
    let spans = ranges(numbers);
    let mut parts: Vec<String> = spans.iter().take(SHOWN).map(|&(a, b)| label(a, b)).collect();
    if spans.len() > SHOWN {
        parts.push("等".to_string());
    }
    let mut out = parts.join("、");
    if numbers.len() > 1 {
        out.push_str(&format!("（共{}{}）", numbers.len(), unit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_consecutive_numbers() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), vec![(1, 3), (5, 5), (7, 8)]);
        assert_eq!(ranges(&[]), Vec::<(u32, u32)>::new());
        assert_eq!(ranges(&[u32::MAX - 1, u32::MAX]), vec![(u32::MAX - 1, u32::MAX)]);
    }

    #[test]
    fn numbers_are_described_in_chinese() {
        let rows = |a: u32, b: u32| if a == b { format!("第{a}行") } else { format!("第{a}至{b}行") };
        assert_eq!(describe_numbers_zh(&[12], rows, "行"), "第12行");
        assert_eq!(describe_numbers_zh(&[3, 5, 6, 7], rows, "行"), "第3行、第5至7行（共4行）");
        let many: Vec<u32> = (1..=50).map(|n| n * 2).collect();
        let text = describe_numbers_zh(&many, rows, "行");
        assert!(text.ends_with("、等（共50行）"), "{text}");
    }

    #[test]
    fn sizes_are_formatted_for_users() {
        assert_eq!(format_size_zh(50 * MIB), "50 MB");
        assert_eq!(format_size_zh(2048), "2 KB");
        assert_eq!(format_size_zh(1000), "1000 字节");
    }

    #[test]
    fn file_names_are_checked() {
        assert_eq!(file_extension("报告.PDF"), Ok("pdf".to_string()));
        assert_eq!(file_extension("a.b.Docx"), Ok("docx".to_string()));
        assert_eq!(file_extension("noextension"), Err(FileError::DisallowedExtension));
        for bad in [
            "",
            ".pdf",
            "..pdf",
            "../a.pdf",
            "dir\\a.pdf",
            "a\u{0}.pdf",
            "a\n.pdf",
            "invoice\u{202E}fdp.exe",
        ] {
            assert_eq!(file_extension(bad), Err(FileError::BadName), "{bad:?}");
        }
        assert_eq!(file_extension(&format!("{}.pdf", "a".repeat(251))), Ok("pdf".to_string()));
        assert_eq!(file_extension(&format!("{}.pdf", "a".repeat(252))), Err(FileError::BadName));
    }
}
