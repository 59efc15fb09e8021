//! 文号 ([`DocNo`]) and 索引号 ([`IndexNo`]).

use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::accounts::UnitCode;

/// Years a 文号 or 索引号 may carry: from the founding of the People's
/// Republic to a bound that only catches typos.
pub const DOC_YEARS: RangeInclusive<i32> = 1949..=2100;

/// Longest issuer abbreviation (发文机关代字) accepted. Real ones reach
/// "七八个、十几个字"; 32 leaves room and still catches pasted sentences.
const ISSUER_MAX_CHARS: usize = 32;

/// Longest serial accepted, in significant digits (leading zeros dropped);
/// nine digits always fit in a `u32` and make [`DocNo::MAX_SERIAL`].
const SERIAL_MAX_DIGITS: usize = 9;

const OPEN_BRACKETS: [char; 7] = ['〔', '[', '［', '(', '（', '【', '﹝'];
const CLOSE_BRACKETS: [char; 7] = ['〕', ']', '］', ')', '）', '】', '﹞'];

// ---------------------------------------------------------------------------
// DocNo
// ---------------------------------------------------------------------------

/// A document number (文号), e.g. `巫山府办发〔2021〕48号`: the issuer
/// abbreviation (`巫山府办发`), the year (2021) and the serial (48).
///
/// [`DocNo::parse`] accepts what people type: the year in `〔〕 [] ［］ () （）
/// 【】 ﹝﹞` (also mixed), full-width digits, spaces between the parts,
/// leading zeros and a stray `第` before the serial, `號` for `号` and a
/// missing `号`. [`fmt::Display`] and [`DocNo::normalized`] give the form of
/// GB/T 9704-2012 7.2.5: `〔〕`, ASCII digits, no `第`, no leading zeros,
/// `号`. Serialised as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocNo {
    issuer: String,
    year: i32,
    serial: u32,
}

/// Why a text is not a 文号.
///
/// `Display` is precise English; [`DocNoError::message_zh`] is for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocNoError {
    /// Nothing but whitespace.
    #[error("document number is empty")]
    Empty,
    /// Nothing before the bracketed year.
    #[error("document number has no issuer abbreviation before the year")]
    MissingIssuer,
    /// The issuer contains a digit.
    #[error("issuer abbreviation contains the digit {ch:?}")]
    IssuerDigit { ch: char },
    /// The issuer contains punctuation, a space or a symbol.
    #[error("issuer abbreviation contains {ch:?}; only letters and Chinese characters are allowed")]
    IssuerPunctuation { ch: char },
    /// The issuer is longer than 32 characters.
    #[error("issuer abbreviation is {len} characters long; at most {max} are allowed")]
    IssuerTooLong { len: usize, max: usize },
    /// No bracketed year (e.g. `巫山府办发48号`), or empty brackets.
    #[error("document number has no year in brackets, e.g. 〔2021〕")]
    MissingYear,
    /// An opening bracket without its closing one.
    #[error("the bracket around the year is not closed")]
    UnclosedBracket,
    /// The bracket holds something other than four digits (e.g. `〔21〕`).
    #[error("the year must be written in full with four digits, got {text:?}")]
    BadYear { text: String },
    /// The year is outside [`DOC_YEARS`].
    #[error("year {year} is outside {min}..={max}", min = DOC_YEARS.start(), max = DOC_YEARS.end())]
    YearOutOfRange { year: i32 },
    /// No serial after the year.
    #[error("document number has no serial after the year")]
    MissingSerial,
    /// The serial is 0.
    #[error("the serial must be at least 1")]
    ZeroSerial,
    /// The serial is above [`DocNo::MAX_SERIAL`] (more than nine digits).
    #[error("the serial {text:?} is too large")]
    SerialTooLarge { text: String },
    /// Something follows the serial and `号`.
    #[error("unexpected text {text:?} after the serial")]
    TrailingGarbage { text: String },
}

impl DocNoError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DocNoError::Empty => "doc_no_empty",
            DocNoError::MissingIssuer => "doc_no_missing_issuer",
            DocNoError::IssuerDigit { .. } => "doc_no_issuer_digit",
            DocNoError::IssuerPunctuation { .. } => "doc_no_issuer_punctuation",
            DocNoError::IssuerTooLong { .. } => "doc_no_issuer_too_long",
            DocNoError::MissingYear => "doc_no_missing_year",
            DocNoError::UnclosedBracket => "doc_no_unclosed_bracket",
            DocNoError::BadYear { .. } => "doc_no_bad_year",
            DocNoError::YearOutOfRange { .. } => "doc_no_year_out_of_range",
            DocNoError::MissingSerial => "doc_no_missing_serial",
            DocNoError::ZeroSerial => "doc_no_zero_serial",
            DocNoError::SerialTooLarge { .. } => "doc_no_serial_too_large",
            DocNoError::TrailingGarbage { .. } => "doc_no_trailing_garbage",
        }
    }

    /// The message shown to users, in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        const EXAMPLE: &str = "格式如“巫山府办发〔2021〕48号”";
        match self {
            DocNoError::Empty => "请填写文号。".to_owned(),
            DocNoError::MissingIssuer => format!("文号缺少发文机关代字，{EXAMPLE}。"),
            DocNoError::IssuerDigit { ch } => format!("发文机关代字中不能含有数字“{ch}”，{EXAMPLE}。"),
            DocNoError::IssuerPunctuation { ch } => {
                format!("发文机关代字中不能含有标点、空格或符号“{ch}”，{EXAMPLE}。")
            }
            DocNoError::IssuerTooLong { max, .. } => format!("发文机关代字不能超过{max}个字。"),
            DocNoError::MissingYear => format!("文号缺少用括号括入的年份，{EXAMPLE}。"),
            DocNoError::UnclosedBracket => format!("文号中年份的括号不完整，{EXAMPLE}。"),
            DocNoError::BadYear { text } => format!("文号中的年份“{text}”有误，年份应标全称（4位数字），{EXAMPLE}。"),
            DocNoError::YearOutOfRange { year } => {
                format!("文号中的年份{year}不在{}年至{}年之间。", DOC_YEARS.start(), DOC_YEARS.end())
            }
            DocNoError::MissingSerial => format!("文号缺少发文顺序号，{EXAMPLE}。"),
            DocNoError::ZeroSerial => "文号的发文顺序号不能为0。".to_owned(),
            DocNoError::SerialTooLarge { text } => format!("文号的发文顺序号“{text}”过大。"),
            DocNoError::TrailingGarbage { text } => format!("文号的“号”字后面有多余内容“{text}”。"),
        }
    }
}

/// A 文号 found in running text by [`DocNo::find_in`]: where it is (byte
/// range into the text) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNoMatch {
    pub span: Range<usize>,
    pub doc_no: DocNo,
}

/// Converts an ASCII or full-width digit to its value.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn check_issuer(issuer: &str) -> Result<(), DocNoError> {
    if issuer.is_empty() {
        return Err(DocNoError::MissingIssuer);
    }
    for ch in issuer.chars() {
        if ch.is_numeric() {
            return Err(DocNoError::IssuerDigit { ch });
        }
        if !ch.is_alphabetic() {
            return Err(DocNoError::IssuerPunctuation { ch });
        }
    }
    let len = issuer.chars().count();
    if len > ISSUER_MAX_CHARS {
        return Err(DocNoError::IssuerTooLong {
            len,
            max: ISSUER_MAX_CHARS,
        });
    }
    Ok(())
}

/// Reads a run of digits (ASCII or full-width) from the front of `s`,
/// returning the ASCII digits and the rest.
fn take_digits(s: &str) -> (String, &str) {
    let mut digits = String::new();
    let mut end = 0;
    for (i, c) in s.char_indices() {
        match digit_value(c) {
            Some(v) => {
                digits.push(char::from_digit(v, 10).expect("single digit"));
                end = i + c.len_utf8();
            }
            None => break,
        }
    }
    (digits, &s[end..])
}

impl DocNo {
    /// The largest serial accepted (nine digits).
    pub const MAX_SERIAL: u32 = 999_999_999;

    /// Builds a 文号 from its parts, with the same checks as [`DocNo::parse`].
    pub fn new(issuer: &str, year: i32, serial: u32) -> Result<DocNo, DocNoError> {
        check_issuer(issuer)?;
        if !DOC_YEARS.contains(&year) {
            return Err(DocNoError::YearOutOfRange { year });
        }
        if serial == 0 {
            return Err(DocNoError::ZeroSerial);
        }
        if serial > Self::MAX_SERIAL {
            return Err(DocNoError::SerialTooLarge { text: serial.to_string() });
        }
        Ok(DocNo {
            issuer: issuer.to_owned(),
            year,
            serial,
        })
    }

    /// Parses a 文号 (see the type's documentation for the accepted forms).
    pub fn parse(input: &str) -> Result<DocNo, DocNoError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DocNoError::Empty);
        }
        let Some(open) = s.find(OPEN_BRACKETS) else {
            // No bracket at all: the year (in brackets) is what is missing,
            // whether or not an unbracketed one is there (`巫山府办发48号`).
            return Err(DocNoError::MissingYear);
        };
        let issuer = s[..open].trim_end();
        check_issuer(issuer)?;

        let after_open = &s[open + s[open..].chars().next().map_or(0, char::len_utf8)..];
        let Some(close) = after_open.find(CLOSE_BRACKETS) else {
            return Err(DocNoError::UnclosedBracket);
        };
        let year_text = after_open[..close].trim();
        if year_text.is_empty() {
            return Err(DocNoError::MissingYear);
        }
        let (year_digits, year_rest) = take_digits(year_text);
        if year_digits.len() != 4 || !year_rest.is_empty() {
            return Err(DocNoError::BadYear {
                text: year_text.to_owned(),
            });
        }
        let year: i32 = year_digits.parse().expect("four ASCII digits");
        if !DOC_YEARS.contains(&year) {
            return Err(DocNoError::YearOutOfRange { year });
        }

        let rest = &after_open[close..];
        let rest = rest[rest.chars().next().map_or(0, char::len_utf8)..].trim_start();
        let rest = rest.strip_prefix('第').unwrap_or(rest).trim_start();
        let (serial_digits, rest) = take_digits(rest);
        if serial_digits.is_empty() {
            return if rest.is_empty() || rest.starts_with(['号', '號']) {
                Err(DocNoError::MissingSerial)
            } else {
                Err(DocNoError::TrailingGarbage { text: rest.to_owned() })
            };
        }
        let significant = serial_digits.trim_start_matches('0');
        if significant.is_empty() {
            return Err(DocNoError::ZeroSerial);
        }
        if significant.len() > SERIAL_MAX_DIGITS {
            return Err(DocNoError::SerialTooLarge { text: serial_digits });
        }
        let serial: u32 = significant.parse().expect("at most nine ASCII digits");
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(['号', '號']).unwrap_or(rest).trim();
        if !rest.is_empty() {
            return Err(DocNoError::TrailingGarbage { text: rest.to_owned() });
        }
        Ok(DocNo {
            issuer: issuer.to_owned(),
            year,
            serial,
        })
    }

    /// The issuer abbreviation (发文机关代字), e.g. `巫山府办发`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The year, e.g. 2021.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The serial (发文顺序号), e.g. 48.
    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// The normal form, e.g. `巫山府办发〔2021〕48号` (same as `Display`).
    pub fn normalized(&self) -> String {
        self.to_string()
    }

    /// Finds 文号 in running text, e.g. a document body or a search query, in
    /// order of appearance (duplicates kept). Loose: the year and serial must
    /// be there and `号` must follow the serial, but the issuer is simply the
    /// run of Chinese characters or letters before the bracket, cut after the
    /// last character that does not occur in issuer abbreviations (的, 和,
    /// 按, 据, …) and with leading words such as 根据/按照/印发 removed. So
    /// "根据巫山府办发〔2021〕48号文件" yields `巫山府办发〔2021〕48号`.
    pub fn find_in(text: &str) -> Vec<DocNo> {
        Self::find_spans_in(text).into_iter().map(|m| m.doc_no).collect()
    }

    /// Like [`DocNo::find_in`], with the byte range of each match in `text`
    /// (from the start of the issuer as cut to the `号`).
    pub fn find_spans_in(text: &str) -> Vec<DocNoMatch> {
        static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"([\p{Han}A-Za-z]{1,40})[ \t\u{3000}]*[〔\[［(（【﹝][ \t\u{3000}]*([0-9０-９]{4})[ \t\u{3000}]*[〕\]］)）】﹞][ \t\u{3000}]*第?[ \t\u{3000}]*([0-9０-９]{1,9})[ \t\u{3000}]*[号號]",
            )
            .expect("valid 文号 pattern")
        });
        let mut found = Vec::new();
        for caps in PATTERN.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let issuer_match = caps.get(1).expect("issuer group");
            let issuer = trim_issuer(issuer_match.as_str());
            if issuer.is_empty() {
                continue;
            }
            let start = issuer_match.end() - issuer.len();
            let candidate = &text[start..whole.end()];
            if let Ok(doc_no) = DocNo::parse(candidate) {
                found.push(DocNoMatch {
                    span: start..whole.end(),
                    doc_no,
                });
            }
        }
        found
    }
}

/// Characters that practically never occur in an issuer abbreviation but are
/// common just before a 文号 in prose.
const NON_ISSUER_CHARS: &[char] = &[
    '的', '了', '和', '及', '与', '或', '按', '照', '据', '依', '见', '将', '把', '被', '在', '于', '对', '即', '并', '请', '是', '为',
    '等', '由', '从', '以', '至', '向', '也', '又', '则',
];

/// Words that often precede a 文号 in prose and are not part of it.
const LEADING_WORDS: &[&str] = &[
    "印发", "转发", "下发", "贯彻", "落实", "执行", "参阅", "详见", "文件", "通知", "精神", "规定", "要求", "附件", "原文",
];

fn trim_issuer(candidate: &str) -> &str {
    let mut s = match candidate.rfind(NON_ISSUER_CHARS) {
        Some(i) => &candidate[i + candidate[i..].chars().next().map_or(0, char::len_utf8)..],
        None => candidate,
    };
    loop {
        let before = s;
        for word in LEADING_WORDS {
            if let Some(rest) = s.strip_prefix(word)
                && !rest.is_empty()
            {
                s = rest;
            }
        }
        if s == before {
            break;
        }
    }
    if s.chars().count() > ISSUER_MAX_CHARS {
        let skip = s.chars().count() - ISSUER_MAX_CHARS;
        let byte = s.char_indices().nth(skip).map_or(s.len(), |(i, _)| i);
        s = &s[byte..];
    }
    s
}

impl fmt::Display for DocNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.issuer, self.year, self.serial)
    }
}

impl FromStr for DocNo {
    type Err = DocNoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocNo::parse(s)
    }
}

impl TryFrom<String> for DocNo {
    type Error = DocNoError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocNo::parse(&s)
    }
}

impl From<DocNo> for String {
    fn from(d: DocNo) -> String {
        d.to_string()
    }
}

// ---------------------------------------------------------------------------
// IndexNo
// ---------------------------------------------------------------------------

/// The index number (索引号) of a published item:
/// `{unit_code}/{year}-{serial:05}`, e.g. `wsx-czj/2021-00048`. Serials start
/// at 1 for each unit and year ([`next_serial`]); the store allocates them.
/// Serialised as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndexNo {
    unit: UnitCode,
    year: i32,
    serial: u32,
}

/// Why a text is not an 索引号.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexNoError {
    /// Not of the shape `{unit_code}/{yyyy}-{nnnnn}`.
    #[error("index number must look like unit-code/2021-00048")]
    Format,
    /// The unit code part is invalid (the message is the Chinese text of
    /// [`UnitCode::parse`]).
    #[error("invalid unit code: {0}")]
    UnitCode(&'static str),
    /// The year is outside [`DOC_YEARS`].
    #[error("year {year} is outside {min}..={max}", min = DOC_YEARS.start(), max = DOC_YEARS.end())]
    YearOutOfRange { year: i32 },
    /// The serial is 0 or above [`IndexNo::MAX_SERIAL`].
    #[error("serial {serial} is outside 1..={max}", max = IndexNo::MAX_SERIAL)]
    SerialOutOfRange { serial: u32 },
}

impl IndexNoError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            IndexNoError::Format => "index_no_format",
            IndexNoError::UnitCode(_) => "index_no_unit_code",
            IndexNoError::YearOutOfRange { .. } => "index_no_year_out_of_range",
            IndexNoError::SerialOutOfRange { .. } => "index_no_serial_out_of_range",
        }
    }

    /// The message shown to users, in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            IndexNoError::Format => "索引号格式应为“单位代码/年份-五位序号”，如“wsx-czj/2021-00048”。".to_owned(),
            IndexNoError::UnitCode(m) => format!("索引号中的{m}。"),
            IndexNoError::YearOutOfRange { year } => {
                format!("索引号中的年份{year}不在{}年至{}年之间。", DOC_YEARS.start(), DOC_YEARS.end())
            }
            IndexNoError::SerialOutOfRange { .. } => format!("索引号的序号应在1至{}之间。", IndexNo::MAX_SERIAL),
        }
    }
}

impl IndexNo {
    /// The largest serial of one unit in one year (five digits).
    pub const MAX_SERIAL: u32 = 99_999;

    pub fn new(unit: UnitCode, year: i32, serial: u32) -> Result<IndexNo, IndexNoError> {
        if !DOC_YEARS.contains(&year) {
            return Err(IndexNoError::YearOutOfRange { year });
        }
        if serial == 0 || serial > Self::MAX_SERIAL {
            return Err(IndexNoError::SerialOutOfRange { serial });
        }
        Ok(IndexNo { unit, year, serial })
    }

    /// Parses the exact form `{unit_code}/{yyyy}-{nnnnn}` (surrounding spaces
    /// are ignored, nothing else is lenient: 索引号 are machine-made).
    pub fn parse(input: &str) -> Result<IndexNo, IndexNoError> {
        let s = input.trim();
        let (unit, rest) = s.rsplit_once('/').ok_or(IndexNoError::Format)?;
        let (year, serial) = rest.split_once('-').ok_or(IndexNoError::Format)?;
        if unit.is_empty() || unit.chars().any(char::is_whitespace) {
            return Err(IndexNoError::UnitCode("单位代码应为2至32位字母、数字或“-”"));
        }
        if year.len() != 4 || serial.len() != 5 || !year.bytes().chain(serial.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(IndexNoError::Format);
        }
        let unit = UnitCode::parse(unit).map_err(IndexNoError::UnitCode)?;
        IndexNo::new(unit, year.parse().expect("4 digits"), serial.parse().expect("5 digits"))
    }

    pub fn unit_code(&self) -> &UnitCode {
        &self.unit
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn serial(&self) -> u32 {
        self.serial
    }
}

/// The serial to allocate next for a unit and year, given the largest one
/// already used (`None` when the unit has none that year): serials start at 1
/// and are never reused. Saturates at `u32::MAX`, which [`IndexNo::new`]
/// then refuses.
pub fn next_serial(existing_max: Option<u32>) -> u32 {
    existing_max.map_or(1, |m| m.saturating_add(1))
}

impl fmt::Display for IndexNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}-{:05}", self.unit.as_str(), self.year, self.serial)
    }
}

impl FromStr for IndexNo {
    type Err = IndexNoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IndexNo::parse(s)
    }
}

impl TryFrom<String> for IndexNo {
    type Error = IndexNoError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IndexNo::parse(&s)
    }
}

impl From<IndexNo> for String {
    fn from(i: IndexNo) -> String {
        i.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> DocNo {
        DocNo::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_the_seed_number() {
        let d = p("巫山府办发〔2021〕48号");
        assert_eq!((d.issuer(), d.year(), d.serial()), ("巫山府办发", 2021, 48));
        assert_eq!(d.normalized(), "巫山府办发〔2021〕48号");
    }

    #[test]
    fn bracket_variants_normalise() {
        for s in [
            "巫山府办发[2021]48号",
            "巫山府办发［2021］48号",
            "巫山府办发(2021)48号",
            "巫山府办发（2021）48号",
            "巫山府办发【2021】48号",
            "巫山府办发﹝2021﹞48号",
            "巫山府办发〔２０２１〕４８号",
            "  巫山府办发 〔 2021 〕 48 号 ",
            "巫山府办发〔2021〕048号",
            "巫山府办发〔2021〕第48号",
            "巫山府办发〔2021〕48號",
            "巫山府办发〔2021〕48",
            "巫山府办发〔2021]48号",
            "\u{3000}巫山府办发〔2021〕48号\u{3000}",
        ] {
            assert_eq!(p(s).to_string(), "巫山府办发〔2021〕48号", "{s}");
        }
    }

    #[test]
    fn errors_are_specific() {
        let cases: [(&str, DocNoError); 14] = [
            ("", DocNoError::Empty),
            ("   ", DocNoError::Empty),
            ("〔2021〕48号", DocNoError::MissingIssuer),
            ("巫山府办发48号", DocNoError::MissingYear),
            ("巫山府办发", DocNoError::MissingYear),
            ("巫山府办发〔〕48号", DocNoError::MissingYear),
            ("巫山府办发〔2021", DocNoError::UnclosedBracket),
            ("巫山府办发〔21〕48号", DocNoError::BadYear { text: "21".into() }),
            ("巫山府办发〔1900〕48号", DocNoError::YearOutOfRange { year: 1900 }),
            ("巫山府办发〔2021〕号", DocNoError::MissingSerial),
            ("巫山府办发〔2021〕0号", DocNoError::ZeroSerial),
            ("巫山府办发〔2021〕48号文件", DocNoError::TrailingGarbage { text: "文件".into() }),
            ("巫山2府办发〔2021〕48号", DocNoError::IssuerDigit { ch: '2' }),
            ("巫山府办发、〔2021〕48号", DocNoError::IssuerPunctuation { ch: '、' }),
        ];
        for (s, e) in cases {
            assert_eq!(DocNo::parse(s).unwrap_err(), e, "{s}");
        }
        assert!(matches!(
            DocNo::parse("巫山府办发〔2021〕9999999999号"),
            Err(DocNoError::SerialTooLarge { .. })
        ));
    }

    #[test]
    fn index_no_round_trip() {
        let i = IndexNo::new(UnitCode::parse("wsx-czj").unwrap(), 2021, 48).unwrap();
        assert_eq!(i.to_string(), "wsx-czj/2021-00048");
        assert_eq!(IndexNo::parse("wsx-czj/2021-00048").unwrap(), i);
    }
}
