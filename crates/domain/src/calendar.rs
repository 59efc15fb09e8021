//! The official Chinese working-day calendar (工作日, including 调休) and
//! deadline arithmetic counted in working days.
//!
//! # What it is for
//!
//! 《中华人民共和国政府信息公开条例》第三十三条 gives reply deadlines in
//! working days: an agency that cannot reply on the spot "应当自收到申请之日起
//! 20个工作日内予以答复", and an approved extension "最长不得超过20个工作日".
//! A working day is a day on which government offices work: Monday to Friday,
//! minus the statutory holidays, plus the weekend days worked in exchange
//! (调休上班). Which days those are is fixed each year by the State Council's
//! notice, 国务院办公厅关于某年部分节假日安排的通知; the years 2019–2026 are
//! transcribed by hand into `data/workdays.json` and compiled in with
//! `include_str!` (see [`Calendar::official`]):
//!
//! | Year | Notice(s) |
//! |------|-----------|
//! | 2019 | 国办发明电〔2018〕15号; 国办发明电〔2019〕3号 (劳动节 changed to 5月1日至4日) |
//! | 2020 | 国办发明电〔2019〕16号; 国办发明电〔2020〕1号 (春节 extended to 2月2日, so the 2月1日 make-up day lapsed) |
//! | 2021 | 国办发明电〔2020〕27号 |
//! | 2022 | 国办发明电〔2021〕11号 |
//! | 2023 | 国办发明电〔2022〕16号 |
//! | 2024 | 国办发明电〔2023〕7号 |
//! | 2025 | 国办发明电〔2024〕12号 |
//! | 2026 | 国办发明电〔2025〕7号 |
//!
//! A notice may reach into the neighbouring year: the 2019 notice makes
//! 2018-12-29 a working Saturday and 2018-12-30/31 days off, and the 2023
//! notice puts 2022-12-31 into the 元旦 block. When two notices list the same
//! date, the later year's notice wins.
//!
//! **Counting convention.** The day the period starts from (e.g. the day an
//! application was received) is not counted; the first working day *after* it
//! is working day 1, and the n-th working day is the due date, on which the
//! period still runs. This is the general rule for periods in Chinese
//! procedure law, cf. 《中华人民共和国民事诉讼法》第八十五条 "期间开始的时和日，
//! 不计算在期间内". Because only working days are counted, the due date is
//! always a working day, so the rule that a period ending on a holiday moves
//! to the next working day is satisfied by construction. Example: received on
//! Friday 2021-09-24, 20 working days fall due on 2021-10-27 (the make-up
//! Sundays 09-26 and 10-09 count, 10-01 to 10-07 do not).
//!
//! # What it is not for
//!
//! - Deciding *when* an application counts as received (条例第三十一条), when a
//!   period is paused (the time spent consulting third parties is not counted,
//!   第三十三条第二款) or whether an extension was approved. Callers do that
//!   and use [`Calendar::add_working_days`] and
//!   [`Calendar::working_days_between`] for the arithmetic.
//! - Local holidays (e.g. those of 民族自治地方) and holidays for particular
//!   groups only (e.g. the half day of 三八妇女节): offices as a whole work.
//! - Years without a notice. For such a year only weekends are known; results
//!   touching it are flagged [`Deadline::provisional`] and become exact once
//!   the application imports that year's notice with
//!   [`parse_reference_year`] and [`Calendar::with_arrangement`]. Late
//!   December days can also be moved by the *next* year's notice (as the 2019
//!   notice moved 2018-12-29..31); a year is treated as known once its own
//!   notice is present.
//! - I/O. Nothing here reads files; the application reads the file an admin
//!   uploads and hands its text to [`parse_reference_year`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

/// The shipped arrangements, in the compact format described in the file.
const OFFICIAL_JSON: &str = include_str!("../data/workdays.json");

/// The years an imported arrangement may state: wide enough for any notice
/// the platform will need, narrow enough to keep the lookup table small.
pub const SUPPORTED_YEARS: RangeInclusive<i32> = 2000..=2100;

/// Separator between several notices of one year in
/// [`YearArrangement::notice`] (e.g. a yearly notice and a later amendment).
/// In the reference shape each notice is one entry of `papers`.
pub const NOTICE_SEPARATOR: char = '；';

/// Longest holiday block the compact data format accepts, in days. The longest
/// so far is 2020's extended 春节 (10 days); the limit only catches typos.
const MAX_BLOCK_DAYS: i64 = 16;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why an arrangement file was rejected.
///
/// `Display` gives a precise English message for logs and admins;
/// [`CalendarError::message_zh`] gives the message shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The text is not JSON at all (syntax error, truncated file).
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson { line: usize, column: usize, message: String },
    /// The text is JSON but not of the expected shape (a field missing or of
    /// the wrong type).
    #[error("unexpected JSON structure at line {line}, column {column}: {message}")]
    InvalidStructure { line: usize, column: usize, message: String },
    /// The stated year is outside [`SUPPORTED_YEARS`].
    #[error("year {year} is outside the supported range {min}..={max}", min = SUPPORTED_YEARS.start(), max = SUPPORTED_YEARS.end())]
    YearOutOfRange { year: i32 },
    /// The file lists no days at all: the notice for that year has probably
    /// not been published yet (holiday-cn ships such placeholder files).
    #[error("the arrangement for {year} lists no days; the State Council notice for that year has probably not been published yet")]
    NoDays { year: i32 },
    /// `days[index].date` is not a real date written `YYYY-MM-DD`.
    #[error("days[{index}]: invalid date {value:?}, expected a real calendar date written YYYY-MM-DD")]
    InvalidDate { index: usize, value: String },
    /// A date lies more than one month outside the stated year (the allowed
    /// window is from 1 December of the previous year to 31 January of the
    /// next).
    #[error(
        "{date} is more than one month outside the year {year} (allowed: {prev}-12-01 to {next}-01-31)",
        prev = year - 1,
        next = year + 1
    )]
    DateOutsideYear { date: NaiveDate, year: i32 },
    /// A day has an empty or blank holiday name.
    #[error("{date} has an empty holiday name")]
    EmptyName { date: NaiveDate },
    /// The same date is listed twice with different names or day types.
    #[error(
        "{date} is listed twice with conflicting values: {first_name:?} ({first}) and {second_name:?} ({second})",
        first = off_word(*first_off),
        second = off_word(*second_off)
    )]
    ConflictingDuplicate {
        date: NaiveDate,
        first_name: String,
        first_off: bool,
        second_name: String,
        second_off: bool,
    },
    /// The project's own compact data file (`data/workdays.json`) is
    /// inconsistent. Only the shipped data uses that format.
    #[error("invalid working-day data: {message}")]
    InvalidData { message: String },
}

fn off_word(off: bool) -> &'static str {
    if off { "day off" } else { "working day" }
}

fn off_word_zh(off: bool) -> &'static str {
    if off { "放假" } else { "上班" }
}

impl CalendarError {
    /// The message shown to users, in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            CalendarError::MalformedJson { line, column, .. } => {
                format!("文件不是有效的 JSON（第 {line} 行第 {column} 列附近有语法错误），请确认文件完整且为 UTF-8 编码。")
            }
            CalendarError::InvalidStructure { line, column, .. } => format!(
                "文件格式不符合要求（第 {line} 行第 {column} 列附近）：应包含 year 和 days 字段，days 中每一项应包含 name、date、isOffDay。"
            ),
            CalendarError::YearOutOfRange { year } => format!(
                "年份 {year} 不在支持的范围（{} 年至 {} 年）内。",
                SUPPORTED_YEARS.start(),
                SUPPORTED_YEARS.end()
            ),
            CalendarError::NoDays { year } => {
                format!("{year} 年的文件没有列出任何日期，国务院办公厅当年的部分节假日安排通知可能尚未发布，暂不能导入。")
            }
            CalendarError::InvalidDate { index, value } => {
                format!("第 {} 条记录的日期“{value}”无效，应为 YYYY-MM-DD 格式的真实日期。", index + 1)
            }
            CalendarError::DateOutsideYear { date, year } => {
                format!("日期 {date} 超出 {year} 年前后一个月的范围，不属于该年的节假日安排。")
            }
            CalendarError::EmptyName { date } => format!("日期 {date} 缺少节日名称。"),
            CalendarError::ConflictingDuplicate {
                date,
                first_name,
                first_off,
                second_name,
                second_off,
            } => format!(
                "日期 {date} 重复出现且内容矛盾：“{first_name}（{}）”与“{second_name}（{}）”。",
                off_word_zh(*first_off),
                off_word_zh(*second_off)
            ),
            CalendarError::InvalidData { message } => {
                format!("内置的工作日数据有误：{message}")
            }
        }
    }
}

/// Maps a serde_json error to [`CalendarError`], separating syntax errors
/// from shape errors and dropping serde's " at line … column …" suffix (the
/// position is kept in fields of its own).
fn json_error(e: serde_json::Error) -> CalendarError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    match e.classify() {
        serde_json::error::Category::Data => CalendarError::InvalidStructure { line, column, message },
        _ => CalendarError::MalformedJson { line, column, message },
    }
}

// ---------------------------------------------------------------------------
// Arrangements
// ---------------------------------------------------------------------------

/// One day a notice lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayOverride {
    pub date: NaiveDate,
    /// The holiday as the notice names it, e.g. "国庆节" or "中秋节、国庆节".
    pub name: String,
    /// `true`: a day off (a weekday off, or a weekend day inside a holiday
    /// block). `false`: a make-up working day (调休上班), normally a weekend
    /// day.
    pub off: bool,
}

/// The arrangement of one notice year: every day its notice(s) list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearArrangement {
    /// The year in the notice's title; some days may belong to the
    /// neighbouring year.
    pub year: i32,
    /// The notice(s), e.g. "国办发明电〔2020〕27号" or a URL; several are
    /// joined with [`NOTICE_SEPARATOR`].
    pub notice: Option<String>,
    /// The listed days, sorted by date.
    pub days: Vec<DayOverride>,
}

/// Parses a dated string strictly as `YYYY-MM-DD` (four-digit year, two-digit
/// month and day) and checks that the date exists.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter()
            .try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Checks the days of one year and returns them deduplicated and sorted.
/// Identical repetitions are merged; conflicting ones are an error.
fn validate_days(year: i32, raw: impl IntoIterator<Item = DayOverride>) -> Result<Vec<DayOverride>, CalendarError> {
    if !SUPPORTED_YEARS.contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    // Both bounds exist for every supported year.
    let window = NaiveDate::from_ymd_opt(year - 1, 12, 1)
        .zip(NaiveDate::from_ymd_opt(year + 1, 1, 31))
        .ok_or(CalendarError::YearOutOfRange { year })?;
    let mut days: BTreeMap<NaiveDate, DayOverride> = BTreeMap::new();
    for mut day in raw {
        let trimmed = day.name.trim();
        if trimmed.is_empty() {
            return Err(CalendarError::EmptyName { date: day.date });
        }
        if trimmed.len() != day.name.len() {
            day.name = trimmed.to_owned();
        }
        if day.date < window.0 || day.date > window.1 {
            return Err(CalendarError::DateOutsideYear { date: day.date, year });
        }
        match days.get(&day.date) {
            Some(prev) if *prev == day => {}
            Some(prev) => {
                return Err(CalendarError::ConflictingDuplicate {
                    date: day.date,
                    first_name: prev.name.clone(),
                    first_off: prev.off,
                    second_name: day.name,
                    second_off: day.off,
                });
            }
            None => {
                days.insert(day.date, day);
            }
        }
    }
    if days.is_empty() {
        return Err(CalendarError::NoDays { year });
    }
    Ok(days.into_values().collect())
}

/// The reference shape as uploaded (holiday-cn's `YYYY.json`). Unknown
/// fields such as `$schema` and `$id` are ignored.
#[derive(Deserialize)]
struct ReferenceIn {
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    days: Vec<ReferenceDayIn>,
}

#[derive(Deserialize)]
struct ReferenceDayIn {
    name: String,
    date: String,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

#[derive(Serialize)]
struct ReferenceOut<'a> {
    year: i32,
    papers: Vec<&'a str>,
    days: Vec<ReferenceDayOut<'a>>,
}

#[derive(Serialize)]
struct ReferenceDayOut<'a> {
    name: &'a str,
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// Parses one year in the reference shape
/// `{"year":…,"papers":[…],"days":[{"name":"国庆节","date":"YYYY-MM-DD","isOffDay":true}]}`
/// (the shape of holiday-cn's `YYYY.json`, and what admins upload to add a
/// year).
///
/// Rejects malformed JSON, a wrong shape, a year outside
/// [`SUPPORTED_YEARS`], a file without days, dates that are not real
/// `YYYY-MM-DD` dates or lie more than one month outside the stated year,
/// blank names and dates listed twice with different values. `papers` become
/// [`YearArrangement::notice`], joined with [`NOTICE_SEPARATOR`]. The days are
/// returned sorted by date.
///
/// # Errors
///
/// A [`CalendarError`] naming the first problem found; show
/// [`CalendarError::message_zh`] to the user.
pub fn parse_reference_year(json: &str) -> Result<YearArrangement, CalendarError> {
    let file: ReferenceIn = serde_json::from_str(json).map_err(json_error)?;
    if !SUPPORTED_YEARS.contains(&file.year) {
        return Err(CalendarError::YearOutOfRange { year: file.year });
    }
    let mut raw = Vec::with_capacity(file.days.len());
    for (index, day) in file.days.into_iter().enumerate() {
        let date = parse_iso_date(&day.date).ok_or_else(|| CalendarError::InvalidDate {
            index,
            value: day.date.clone(),
        })?;
        raw.push(DayOverride {
            date,
            name: day.name,
            off: day.is_off_day,
        });
    }
    let days = validate_days(file.year, raw)?;
    let papers: Vec<&str> = file.papers.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    let notice = (!papers.is_empty()).then(|| papers.join(&NOTICE_SEPARATOR.to_string()));
    Ok(YearArrangement {
        year: file.year,
        notice,
        days,
    })
}

/// Exports one year in the reference shape read by [`parse_reference_year`]
/// (pretty-printed; the notice is split into `papers` at
/// [`NOTICE_SEPARATOR`]).
pub fn to_reference_json(arrangement: &YearArrangement) -> String {
    let out = ReferenceOut {
        year: arrangement.year,
        papers: arrangement
            .notice
            .as_deref()
            .map(|n| n.split(NOTICE_SEPARATOR).filter(|p| !p.is_empty()).collect())
            .unwrap_or_default(),
        days: arrangement
            .days
            .iter()
            .map(|d| ReferenceDayOut {
                name: &d.name,
                date: d.date,
                is_off_day: d.off,
            })
            .collect(),
    };
    // Serializing strings, integers, booleans and dates into a String cannot
    // fail, so the empty fallback is unreachable.
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

/// The compact, hand-authored format of `data/workdays.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompactFile {
    #[serde(default, rename = "about")]
    _about: String,
    years: Vec<CompactYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompactYear {
    year: i32,
    #[serde(default)]
    notice: Option<String>,
    holidays: Vec<CompactHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompactHoliday {
    name: String,
    /// `"YYYY-MM-DD"` or an inclusive range `"YYYY-MM-DD..YYYY-MM-DD"`.
    off: String,
    /// Weekend days worked in exchange.
    #[serde(default)]
    work: Vec<String>,
}

/// Parses the compact format of `data/workdays.json`: per year, holiday blocks
/// with a range of days off and a list of make-up working days. Besides the
/// checks of [`parse_reference_year`] it rejects reversed or overlong ranges,
/// make-up days that are not weekend days and duplicated years, to catch
/// transcription errors.
fn parse_compact(json: &str) -> Result<Vec<YearArrangement>, CalendarError> {
    let file: CompactFile = serde_json::from_str(json).map_err(json_error)?;
    let invalid = |message: String| CalendarError::InvalidData { message };
    let mut out: Vec<YearArrangement> = Vec::with_capacity(file.years.len());
    for year in file.years {
        if out.iter().any(|y| y.year == year.year) {
            return Err(invalid(format!("year {} appears twice", year.year)));
        }
        let mut raw = Vec::new();
        for h in &year.holidays {
            let date = |s: &str| {
                parse_iso_date(s).ok_or_else(|| invalid(format!("{} {}: invalid date {s:?}, expected YYYY-MM-DD", year.year, h.name)))
            };
            let (first, last) = match h.off.split_once("..") {
                Some((a, b)) => (date(a)?, date(b)?),
                None => (date(&h.off)?, date(&h.off)?),
            };
            let len = (last - first).num_days() + 1;
            if !(1..=MAX_BLOCK_DAYS).contains(&len) {
                return Err(invalid(format!(
                    "{} {}: range {:?} must run forwards and span at most {MAX_BLOCK_DAYS} days",
                    year.year, h.name, h.off
                )));
            }
            raw.extend(first.iter_days().take(len as usize).map(|d| DayOverride {
                date: d,
                name: h.name.clone(),
                off: true,
            }));
            for w in &h.work {
                let d = date(w)?;
                if !is_weekend(d) {
                    return Err(invalid(format!(
                        "{} {}: make-up working day {d} is a {}, not a weekend day",
                        year.year,
                        h.name,
                        d.weekday()
                    )));
                }
                raw.push(DayOverride {
                    date: d,
                    name: h.name.clone(),
                    off: false,
                });
            }
        }
        let days = validate_days(year.year, raw)?;
        out.push(YearArrangement {
            year: year.year,
            notice: year.notice,
            days,
        });
    }
    out.sort_by_key(|y| y.year);
    Ok(out)
}

// ---------------------------------------------------------------------------
// Day information
// ---------------------------------------------------------------------------

/// Why a day is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DayReason {
    /// An ordinary Monday to Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off of the named holiday (including the weekend days inside its
    /// block).
    Holiday(String),
    /// A weekend day worked in exchange for the named holiday.
    MakeUpWorkday(String),
}

impl DayReason {
    /// The label shown to users: "工作日", "周末", the holiday name such as
    /// "国庆节", or "调休上班（国庆节）".
    pub fn label(&self) -> String {
        match self {
            DayReason::Workday => "工作日".to_owned(),
            DayReason::Weekend => "周末".to_owned(),
            DayReason::Holiday(name) => name.clone(),
            DayReason::MakeUpWorkday(name) => format!("调休上班（{name}）"),
        }
    }
}

impl fmt::Display for DayReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Serialized as its [`label`](DayReason::label).
impl Serialize for DayReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

/// One day of the calendar. Serializes as
/// `{"date":"YYYY-MM-DD","working":bool,"reason":"<label>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    pub reason: DayReason,
}

/// A non-working day passed over while counting a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    pub date: NaiveDate,
    /// "周末" or the holiday name, such as "国庆节".
    pub reason: String,
}

/// A deadline with its working: which days were counted and which skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The day the period runs from (not counted itself).
    pub start: NaiveDate,
    /// Number of working days.
    pub days: u32,
    /// The last day of the period: the `days`-th working day after `start`
    /// (`start` itself when `days` is 0).
    pub due: NaiveDate,
    /// The working days counted, in order (make-up working days included).
    pub counted: Vec<NaiveDate>,
    /// Every non-working day between `start` (exclusive) and `due`.
    pub skipped: Vec<SkippedDay>,
    /// `true` when the counted span touches a year the calendar has no
    /// arrangement for: only weekends are known there, so holidays may still
    /// move `due` once that year's notice is imported.
    pub provisional: bool,
}

// ---------------------------------------------------------------------------
// Day numbers and weekday arithmetic
// ---------------------------------------------------------------------------

/// Day number of a date: 0001-01-01 (a Monday) is 1.
fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn date_of(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// 0 for Monday … 6 for Sunday.
fn weekday_index(n: i64) -> i64 {
    (n - 1).rem_euclid(7)
}

fn is_weekend(d: NaiveDate) -> bool {
    weekday_index(day_number(d)) >= 5
}

/// Number of Mondays to Fridays up to day `n`, relative to an arbitrary
/// origin: the count in `(a, b]` is `weekdays_upto(b) - weekdays_upto(a)`.
fn weekdays_upto(n: i64) -> i64 {
    let k = n - 1;
    5 * k.div_euclid(7) + (k.rem_euclid(7) + 1).min(5)
}

/// The smallest day `n` with `weekdays_upto(n) >= target` (always a weekday).
fn first_weekday_reaching(target: i64) -> i64 {
    let t = target - 1;
    7 * t.div_euclid(5) + t.rem_euclid(5) + 1
}

// ---------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct Override {
    off: bool,
    name: Arc<str>,
}

/// Dense table over the days from `lo` to `lo + working.len() - 1`, spanning
/// every year with an arrangement and every listed day.
#[derive(Clone)]
struct Table {
    lo: i64,
    /// Whether each day is a working day.
    working: Vec<bool>,
    /// `cumulative[i]`: working days in `[lo, lo + i]`.
    cumulative: Vec<u32>,
}

impl Table {
    fn hi(&self) -> i64 {
        self.lo + self.working.len() as i64 - 1
    }

    fn total(&self) -> i64 {
        self.cumulative.last().map_or(0, |&c| i64::from(c))
    }
}

/// The working-day calendar: weekends, plus the days each year's notice
/// lists. Cheap to query (`is_working_day` is O(1), `add_working_days` and
/// `working_days_between` are O(log n) over a table of the covered years, and
/// none of them allocate). Meant for the span of years notices exist for;
/// the table grows with the distance between the first and last year given.
#[derive(Clone)]
pub struct Calendar {
    arrangements: BTreeMap<i32, YearArrangement>,
    overrides: HashMap<NaiveDate, Override>,
    table: Option<Table>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("years", &self.years())
            .field("listed_days", &self.overrides.len())
            .finish()
    }
}

impl Calendar {
    /// The official calendar for 2019–2026, parsed once from the compiled-in
    /// `data/workdays.json`.
    pub fn official() -> &'static Calendar {
        static OFFICIAL: OnceLock<Calendar> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            Calendar::from_arrangements(
                parse_compact(OFFICIAL_JSON).expect("the shipped data/workdays.json is valid (checked by the tests)"),
            )
        })
    }

    /// A calendar of the given years. If a year occurs twice the later one
    /// wins; if two years list the same date (a notice reaching into the
    /// neighbouring year), the later year's notice wins. With no
    /// arrangements, only weekends are off.
    pub fn from_arrangements(arrangements: Vec<YearArrangement>) -> Calendar {
        let mut by_year = BTreeMap::new();
        for a in arrangements {
            by_year.insert(a.year, a);
        }
        Calendar::build(by_year)
    }

    /// A copy of this calendar in which `arrangement` replaces whatever this
    /// calendar had for its year (e.g. after importing a new notice).
    pub fn with_arrangement(&self, arrangement: YearArrangement) -> Calendar {
        let mut by_year = self.arrangements.clone();
        by_year.insert(arrangement.year, arrangement);
        Calendar::build(by_year)
    }

    fn build(arrangements: BTreeMap<i32, YearArrangement>) -> Calendar {
        let mut names: HashMap<&str, Arc<str>> = HashMap::new();
        let mut overrides = HashMap::new();
        for a in arrangements.values() {
            for d in &a.days {
                let name = names.entry(d.name.as_str()).or_insert_with(|| Arc::from(d.name.as_str())).clone();
                overrides.insert(d.date, Override { off: d.off, name });
            }
        }
        let year_bounds = arrangements.keys().filter_map(|&y| {
            Some((
                day_number(NaiveDate::from_ymd_opt(y, 1, 1)?),
                day_number(NaiveDate::from_ymd_opt(y, 12, 31)?),
            ))
        });
        let day_bounds = overrides.keys().map(|&d| (day_number(d), day_number(d)));
        let bounds = year_bounds.chain(day_bounds).reduce(|(lo, hi), (l, h)| (lo.min(l), hi.max(h)));
        let table = bounds.map(|(lo, hi)| {
            let len = (hi - lo + 1) as usize;
            let mut working = Vec::with_capacity(len);
            let mut cumulative = Vec::with_capacity(len);
            let mut count = 0u32;
            for n in lo..=hi {
                let listed = date_of(n).and_then(|d| overrides.get(&d));
                let w = match listed {
                    Some(o) => !o.off,
                    None => weekday_index(n) < 5,
                };
                count += u32::from(w);
                working.push(w);
                cumulative.push(count);
            }
            Table { lo, working, cumulative }
        });
        Calendar {
            arrangements,
            overrides,
            table,
        }
    }

    /// Whether the calendar has an arrangement for `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.arrangements.contains_key(&year)
    }

    /// The years the calendar has arrangements for, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.arrangements.keys().copied().collect()
    }

    /// The arrangement for `year`, if any (e.g. to export it).
    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.arrangements.get(&year)
    }

    /// All arrangements, by ascending year.
    pub fn arrangements(&self) -> impl Iterator<Item = &YearArrangement> {
        self.arrangements.values()
    }

    /// What kind of day `d` is. A listed make-up day that falls on a weekday
    /// (holiday-cn lists 2020-02-03, the day work resumed) is reported as an
    /// ordinary working day.
    pub fn day(&self, d: NaiveDate) -> DayInfo {
        let weekend = is_weekend(d);
        let (working, reason) = match self.overrides.get(&d) {
            Some(o) if o.off => (false, DayReason::Holiday(o.name.to_string())),
            Some(o) if weekend => (true, DayReason::MakeUpWorkday(o.name.to_string())),
            Some(_) => (true, DayReason::Workday),
            None if weekend => (false, DayReason::Weekend),
            None => (true, DayReason::Workday),
        };
        DayInfo { date: d, working, reason }
    }

    /// Whether `d` is a working day: a Monday to Friday not listed as a day
    /// off, or a day listed as a make-up working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        let n = day_number(d);
        match &self.table {
            Some(t) if n >= t.lo && n <= t.hi() => t.working[(n - t.lo) as usize],
            _ => weekday_index(n) < 5,
        }
    }

    /// Working days up to day `n` from an arbitrary origin; the count in
    /// `(a, b]` is `cumulative(b) - cumulative(a)`.
    fn cumulative(&self, n: i64) -> i64 {
        let Some(t) = &self.table else {
            return weekdays_upto(n);
        };
        if n < t.lo {
            weekdays_upto(n) - weekdays_upto(t.lo - 1)
        } else if n <= t.hi() {
            i64::from(t.cumulative[(n - t.lo) as usize])
        } else {
            t.total() + weekdays_upto(n) - weekdays_upto(t.hi())
        }
    }

    /// The smallest day `n` with `cumulative(n) >= target`.
    fn first_reaching(&self, target: i64) -> i64 {
        let Some(t) = &self.table else {
            return first_weekday_reaching(target);
        };
        if target <= 0 {
            first_weekday_reaching(target + weekdays_upto(t.lo - 1))
        } else if target <= t.total() {
            let i = t.cumulative.partition_point(|&c| i64::from(c) < target);
            t.lo + i as i64
        } else {
            first_weekday_reaching(target - t.total() + weekdays_upto(t.hi()))
        }
    }

    /// The `n`-th working day after `start` (`start` itself if `n` is 0), or
    /// `None` if it would fall after [`NaiveDate::MAX`].
    pub fn checked_add_working_days(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(start);
        }
        let target = self.cumulative(day_number(start)) + i64::from(n);
        date_of(self.first_reaching(target))
    }

    /// The `n`-th working day after `start`: the day after `start` is the
    /// first day that can count, and `n = 0` returns `start`. E.g. Friday
    /// 2021-09-24 plus 20 working days is 2021-10-27. Saturates at
    /// [`NaiveDate::MAX`] (only reachable with absurd `n`).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        self.checked_add_working_days(start, n).unwrap_or(NaiveDate::MAX)
    }

    /// Number of working days in `(from, to]`; 0 if `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let count = self.cumulative(day_number(to)) - self.cumulative(day_number(from));
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The deadline `n` working days after `start`, with the days counted and
    /// skipped. See [`Deadline`]; `due` equals
    /// [`add_working_days`](Calendar::add_working_days).
    pub fn deadline(&self, start: NaiveDate, n: u32) -> Deadline {
        let due = self.add_working_days(start, n);
        let mut counted = Vec::with_capacity((n as usize).min(4096));
        let mut skipped = Vec::new();
        for d in start.iter_days().skip(1).take_while(|d| *d <= due) {
            if self.is_working_day(d) {
                counted.push(d);
            } else {
                let reason = match self.overrides.get(&d) {
                    Some(o) => o.name.to_string(),
                    None => DayReason::Weekend.label(),
                };
                skipped.push(SkippedDay { date: d, reason });
            }
        }
        let first = if n == 0 { start } else { start.succ_opt().unwrap_or(start) };
        let provisional = (first.year()..=due.year()).any(|y| !self.covers(y));
        Deadline {
            start,
            days: n,
            due,
            counted,
            skipped,
            provisional,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).expect("test date")
    }

    fn off(date: &str, name: &str) -> DayOverride {
        DayOverride {
            date: d(date),
            name: name.to_owned(),
            off: true,
        }
    }

    fn work(date: &str, name: &str) -> DayOverride {
        DayOverride {
            date: d(date),
            name: name.to_owned(),
            off: false,
        }
    }

    /// Counts step by step, as a reference for the table arithmetic.
    fn slow_add(cal: &Calendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().expect("in range");
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    #[test]
    fn day_numbers_agree_with_chrono_weekdays() {
        let mut day = d("1999-12-20");
        for _ in 0..40 {
            let n = day_number(day);
            assert_eq!(weekday_index(n), i64::from(day.weekday().num_days_from_monday()));
            assert_eq!(date_of(n), Some(day));
            day = day.succ_opt().expect("in range");
        }
        assert_eq!(
            weekday_index(day_number(NaiveDate::MIN)),
            i64::from(NaiveDate::MIN.weekday().num_days_from_monday())
        );
    }

    #[test]
    fn weekday_arithmetic_matches_brute_force() {
        // Around day number 0 to exercise negative division too.
        for a in -30i64..30 {
            let mut count = 0;
            for b in a + 1..a + 40 {
                count += i64::from(weekday_index(b) < 5);
                assert_eq!(weekdays_upto(b) - weekdays_upto(a), count, "({a}, {b}]");
            }
        }
        for target in -40i64..40 {
            let n = first_weekday_reaching(target);
            assert!(weekdays_upto(n) >= target);
            assert!(weekdays_upto(n - 1) < target);
            assert!(weekday_index(n) < 5);
        }
    }

    #[test]
    fn strict_iso_dates() {
        assert_eq!(parse_iso_date("2021-09-24"), NaiveDate::from_ymd_opt(2021, 9, 24));
        for bad in [
            "2021-9-24",
            "2021-02-30",
            "21-09-24",
            "2021/09/24",
            "2021-09-2x",
            "+021-09-24",
            "",
            "２０２１-09-24",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn shipped_data_parses_and_covers_2019_to_2026() {
        let years = parse_compact(OFFICIAL_JSON).expect("shipped data is valid");
        assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), (2019..=2026).collect::<Vec<_>>());
        let cal = Calendar::official();
        assert_eq!(cal.years(), (2019..=2026).collect::<Vec<_>>());
        assert!(cal.covers(2019) && cal.covers(2026));
        assert!(!cal.covers(2018) && !cal.covers(2027));
        assert_eq!(
            cal.arrangement(2021).and_then(|a| a.notice.as_deref()),
            Some("国办发明电〔2020〕27号")
        );
        // 2021: 7 blocks, 31 listed days off and 7 make-up days.
        let y2021 = cal.arrangement(2021).expect("2021");
        assert_eq!(y2021.days.iter().filter(|x| x.off).count(), 31);
        assert_eq!(y2021.days.iter().filter(|x| !x.off).count(), 7);
        // Days of the neighbouring year belong to the later notice.
        assert_eq!(cal.day(d("2018-12-29")).reason, DayReason::MakeUpWorkday("元旦".into()));
        assert_eq!(cal.day(d("2022-12-31")).reason, DayReason::Holiday("元旦".into()));
        assert!(cal.arrangement(2023).expect("2023").days.iter().any(|x| x.date == d("2022-12-31")));
    }

    #[test]
    fn shipped_2020_reflects_the_spring_festival_extension() {
        let cal = Calendar::official();
        // The extension to 2020-02-02 cancelled the 2020-02-01 make-up day.
        for day in ["2020-01-31", "2020-02-01", "2020-02-02"] {
            assert!(!cal.is_working_day(d(day)), "{day}");
            assert_eq!(cal.day(d(day)).reason, DayReason::Holiday("春节".into()));
        }
        assert!(cal.is_working_day(d("2020-02-03")));
        assert!(cal.is_working_day(d("2020-01-19")));
    }

    #[test]
    fn rules_and_labels() {
        let cal = Calendar::official();
        let info = cal.day(d("2021-10-01"));
        assert!(!info.working);
        assert_eq!(info.reason.label(), "国庆节");
        let info = cal.day(d("2021-09-26")); // Sunday, 调休
        assert!(info.working);
        assert_eq!(info.reason.label(), "调休上班（国庆节）");
        let info = cal.day(d("2021-09-25")); // ordinary Saturday
        assert!(!info.working);
        assert_eq!(info.reason, DayReason::Weekend);
        assert_eq!(info.reason.label(), "周末");
        let info = cal.day(d("2021-09-27")); // ordinary Monday
        assert!(info.working);
        assert_eq!(info.reason.label(), "工作日");
        assert_eq!(info.reason.to_string(), "工作日");
        // A weekend day inside a block is the holiday, not a weekend.
        assert_eq!(cal.day(d("2021-10-02")).reason.label(), "国庆节");
        assert_eq!(cal.day(d("2023-09-30")).reason.label(), "中秋节、国庆节");
        // Outside the covered years only weekends are known.
        assert!(cal.is_working_day(d("2027-10-01"))); // a Friday
        assert!(!cal.is_working_day(d("2027-10-02")));
        assert!(cal.is_working_day(d("2018-10-01"))); // a Monday (it was 国庆节, but 2018 is not covered)
    }

    #[test]
    fn day_info_serializes_with_label() {
        let cal = Calendar::official();
        let json = serde_json::to_string(&cal.day(d("2021-09-26"))).expect("serialize");
        assert_eq!(json, r#"{"date":"2021-09-26","working":true,"reason":"调休上班（国庆节）"}"#);
        let json = serde_json::to_string(&cal.day(d("2021-10-01"))).expect("serialize");
        assert_eq!(json, r#"{"date":"2021-10-01","working":false,"reason":"国庆节"}"#);
    }

    #[test]
    fn day_and_is_working_day_agree_everywhere() {
        let cal = Calendar::official();
        for day in d("2018-11-01").iter_days().take_while(|x| *x <= d("2027-03-01")) {
            assert_eq!(cal.day(day).working, cal.is_working_day(day), "{day}");
        }
    }

    #[test]
    fn weekday_make_up_day_is_an_ordinary_workday() {
        let cal = Calendar::from_arrangements(vec![YearArrangement {
            year: 2020,
            notice: None,
            days: vec![work("2020-02-03", "春节")],
        }]);
        assert_eq!(cal.day(d("2020-02-03")).reason, DayReason::Workday);
        assert!(cal.is_working_day(d("2020-02-03")));
    }

    #[test]
    fn later_notice_wins_on_shared_dates() {
        let cal = Calendar::from_arrangements(vec![
            YearArrangement {
                year: 2023,
                notice: None,
                days: vec![off("2022-12-31", "元旦")],
            },
            YearArrangement {
                year: 2022,
                notice: None,
                days: vec![work("2022-12-31", "国庆节")],
            },
        ]);
        assert_eq!(cal.day(d("2022-12-31")).reason, DayReason::Holiday("元旦".into()));
        assert!(!cal.is_working_day(d("2022-12-31")));
    }

    #[test]
    fn with_arrangement_replaces_the_year() {
        let base = Calendar::official();
        let replaced = base.with_arrangement(YearArrangement {
            year: 2021,
            notice: Some("测试".into()),
            days: vec![off("2021-03-01", "测试假日")],
        });
        assert_eq!(replaced.years(), base.years());
        // The old 2021 days are gone, the new one is in, other years kept.
        assert!(replaced.is_working_day(d("2021-10-01")));
        assert!(!replaced.is_working_day(d("2021-09-26")));
        assert!(!replaced.is_working_day(d("2021-03-01")));
        assert_eq!(replaced.day(d("2021-03-01")).reason.label(), "测试假日");
        assert!(!replaced.is_working_day(d("2022-10-03")));
        // The original is untouched.
        assert!(!base.is_working_day(d("2021-10-01")));
        assert!(base.is_working_day(d("2021-03-01")));
        // A new year extends coverage.
        let extended = base.with_arrangement(YearArrangement {
            year: 2027,
            notice: None,
            days: vec![off("2027-01-01", "元旦")],
        });
        assert!(extended.covers(2027));
        assert!(!extended.is_working_day(d("2027-01-01")));
        assert!(base.is_working_day(d("2027-01-01")));
    }

    #[test]
    fn the_reference_example() {
        let cal = Calendar::official();
        assert_eq!(cal.add_working_days(d("2021-09-24"), 20), d("2021-10-27"));
        let dl = cal.deadline(d("2021-09-24"), 20);
        assert_eq!(dl.due, d("2021-10-27"));
        assert_eq!(dl.counted.len(), 20);
        assert_eq!(dl.counted[0], d("2021-09-26"));
        assert!(dl.counted.contains(&d("2021-10-09")));
        assert_eq!(dl.skipped.len(), 13); // 09-25 plus 10-01..07 plus 10-16/17, 10-23/24 and 10-10
        assert_eq!(
            dl.skipped[0],
            SkippedDay {
                date: d("2021-09-25"),
                reason: "周末".into()
            }
        );
        assert_eq!(
            dl.skipped[1],
            SkippedDay {
                date: d("2021-10-01"),
                reason: "国庆节".into()
            }
        );
        assert!(!dl.provisional);
        assert_eq!(cal.working_days_between(d("2021-09-24"), d("2021-10-27")), 20);
    }

    #[test]
    fn empty_calendar_knows_only_weekends() {
        let cal = Calendar::from_arrangements(Vec::new());
        assert!(cal.years().is_empty());
        assert_eq!(cal.add_working_days(d("2021-09-24"), 1), d("2021-09-27"));
        assert_eq!(cal.add_working_days(d("2021-09-24"), 20), d("2021-10-22"));
        assert_eq!(cal.working_days_between(d("2021-09-24"), d("2021-10-22")), 20);
        let dl = cal.deadline(d("2021-09-24"), 20);
        assert!(dl.provisional);
        assert_eq!(dl.skipped.len(), 8);
        assert!(dl.skipped.iter().all(|s| s.reason == "周末"));
    }

    #[test]
    fn arithmetic_matches_step_by_step_counting_inside_and_outside_the_table() {
        let cal = Calendar::from_arrangements(vec![YearArrangement {
            year: 2021,
            notice: None,
            days: vec![
                off("2020-12-31", "测试"),
                work("2021-01-02", "测试"),
                off("2021-10-01", "国庆节"),
                off("2021-12-31", "测试"),
            ],
        }]);
        let mut start = d("2020-10-01");
        while start < d("2022-04-01") {
            for n in [0, 1, 2, 5, 20, 60, 130] {
                let due = cal.add_working_days(start, n);
                assert_eq!(due, slow_add(&cal, start, n), "{start} + {n}");
                assert_eq!(cal.working_days_between(start, due), n, "{start} + {n}");
            }
            start = start + chrono::Days::new(3);
        }
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let cal = Calendar::official();
        assert_eq!(cal.checked_add_working_days(NaiveDate::MAX, 1), None);
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(d("2021-01-01"), u32::MAX), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(NaiveDate::MIN, 0), NaiveDate::MIN);
        let far = cal.add_working_days(NaiveDate::MIN, 1);
        assert!(far > NaiveDate::MIN && cal.is_working_day(far));
        assert_eq!(cal.working_days_between(d("2021-10-27"), d("2021-09-24")), 0);
        // The whole range of chrono: about five days in seven, give or take
        // the few hundred listed days.
        let all = i64::from(cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX));
        let span = (NaiveDate::MAX - NaiveDate::MIN).num_days();
        assert!((all - span * 5 / 7).abs() < 1000, "{all} of {span}");
    }

    #[test]
    fn provisional_flags_uncovered_years() {
        let cal = Calendar::official();
        assert!(!cal.deadline(d("2026-11-02"), 20).provisional);
        assert!(cal.deadline(d("2026-12-15"), 20).provisional);
        assert!(cal.deadline(d("2018-12-03"), 30).provisional);
        // The start day is not counted, so a start on 2018-12-31 is exact.
        assert!(!cal.deadline(d("2018-12-31"), 1).provisional);
        assert!(cal.deadline(d("2018-12-31"), 0).provisional);
        assert!(!cal.deadline(d("2021-06-01"), 0).provisional);
    }

    const REF_2021_PART: &str = r#"{
        "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
        "year": 2021,
        "papers": ["http://www.gov.cn/zhengce/zhengceku/2020-11/25/content_5564127.htm"],
        "days": [
            {"name": "国庆节", "date": "2021-10-01", "isOffDay": true},
            {"name": "国庆节", "date": "2021-09-26", "isOffDay": false},
            {"name": "国庆节", "date": "2021-10-01", "isOffDay": true}
        ]
    }"#;

    #[test]
    fn parses_the_reference_shape() {
        let y = parse_reference_year(REF_2021_PART).expect("valid");
        assert_eq!(y.year, 2021);
        assert_eq!(
            y.notice.as_deref(),
            Some("http://www.gov.cn/zhengce/zhengceku/2020-11/25/content_5564127.htm")
        );
        // Sorted, identical duplicate merged.
        assert_eq!(y.days, vec![work("2021-09-26", "国庆节"), off("2021-10-01", "国庆节")]);
        let back = parse_reference_year(&to_reference_json(&y)).expect("round trip");
        assert_eq!(back, y);
        let exported: serde_json::Value = serde_json::from_str(&to_reference_json(&y)).expect("json");
        assert_eq!(exported["days"][0]["isOffDay"], serde_json::Value::Bool(false));
        assert_eq!(exported["days"][1]["date"], "2021-10-01");
    }

    #[test]
    fn several_notices_round_trip_through_papers() {
        let y = YearArrangement {
            year: 2019,
            notice: Some("国办发明电〔2018〕15号；国办发明电〔2019〕3号".into()),
            days: vec![work("2018-12-29", "元旦"), off("2018-12-30", "元旦")],
        };
        let json = to_reference_json(&y);
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["papers"].as_array().map(Vec::len), Some(2));
        assert_eq!(parse_reference_year(&json), Ok(y));
    }

    #[test]
    fn rejects_malformed_json() {
        let err = parse_reference_year(r#"{"year": 2021, "days": ["#).unwrap_err();
        assert!(matches!(err, CalendarError::MalformedJson { line: 1, .. }), "{err:?}");
        assert!(err.to_string().starts_with("malformed JSON at line 1, column"), "{err}");
        assert!(err.message_zh().contains("不是有效的 JSON"));
    }

    #[test]
    fn rejects_wrong_structure() {
        let err = parse_reference_year(r#"{"year": 2021}"#).unwrap_err();
        assert_eq!(
            err,
            CalendarError::InvalidStructure {
                line: 1,
                column: 14,
                message: "missing field `days`".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "unexpected JSON structure at line 1, column 14: missing field `days`"
        );
        let err =
            parse_reference_year(r#"{"year": 2021, "days": [{"name": "元旦", "date": "2021-01-01", "isOffDay": "yes"}]}"#).unwrap_err();
        assert!(matches!(err, CalendarError::InvalidStructure { .. }), "{err:?}");
        assert!(err.message_zh().contains("isOffDay"));
    }

    #[test]
    fn rejects_bad_dates() {
        let err = parse_reference_year(
            r#"{"year": 2021, "days": [{"name": "元旦", "date": "2021-01-01", "isOffDay": true},
                                       {"name": "春节", "date": "2021-02-30", "isOffDay": true}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            CalendarError::InvalidDate {
                index: 1,
                value: "2021-02-30".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "days[1]: invalid date \"2021-02-30\", expected a real calendar date written YYYY-MM-DD"
        );
        assert_eq!(
            err.message_zh(),
            "第 2 条记录的日期“2021-02-30”无效，应为 YYYY-MM-DD 格式的真实日期。"
        );
    }

    #[test]
    fn rejects_dates_far_from_the_year() {
        let json = |date: &str| format!(r#"{{"year": 2021, "days": [{{"name": "元旦", "date": "{date}", "isOffDay": true}}]}}"#);
        assert!(parse_reference_year(&json("2020-12-01")).is_ok());
        assert!(parse_reference_year(&json("2022-01-31")).is_ok());
        let err = parse_reference_year(&json("2020-11-30")).unwrap_err();
        assert_eq!(
            err,
            CalendarError::DateOutsideYear {
                date: d("2020-11-30"),
                year: 2021
            }
        );
        assert_eq!(
            err.to_string(),
            "2020-11-30 is more than one month outside the year 2021 (allowed: 2020-12-01 to 2022-01-31)"
        );
        assert!(err.message_zh().contains("2020-11-30"));
        let err = parse_reference_year(&json("2022-02-01")).unwrap_err();
        assert_eq!(
            err,
            CalendarError::DateOutsideYear {
                date: d("2022-02-01"),
                year: 2021
            }
        );
    }

    #[test]
    fn rejects_conflicting_duplicates() {
        let err = parse_reference_year(
            r#"{"year": 2021, "days": [{"name": "国庆节", "date": "2021-10-01", "isOffDay": true},
                                       {"name": "国庆节", "date": "2021-10-01", "isOffDay": false}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "2021-10-01 is listed twice with conflicting values: \"国庆节\" (day off) and \"国庆节\" (working day)"
        );
        assert_eq!(
            err.message_zh(),
            "日期 2021-10-01 重复出现且内容矛盾：“国庆节（放假）”与“国庆节（上班）”。"
        );
        let err = parse_reference_year(
            r#"{"year": 2021, "days": [{"name": "国庆节", "date": "2021-10-01", "isOffDay": true},
                                       {"name": "中秋节", "date": "2021-10-01", "isOffDay": true}]}"#,
        )
        .unwrap_err();
        assert!(matches!(err, CalendarError::ConflictingDuplicate { .. }), "{err:?}");
    }

    #[test]
    fn rejects_empty_years_names_and_unsupported_years() {
        let err = parse_reference_year(r#"{"year": 2027, "papers": [], "days": []}"#).unwrap_err();
        assert_eq!(err, CalendarError::NoDays { year: 2027 });
        assert!(err.message_zh().contains("尚未发布"));
        let err = parse_reference_year(r#"{"year": 2021, "days": [{"name": "  ", "date": "2021-10-01", "isOffDay": true}]}"#).unwrap_err();
        assert_eq!(err, CalendarError::EmptyName { date: d("2021-10-01") });
        let err =
            parse_reference_year(r#"{"year": 1970, "days": [{"name": "元旦", "date": "1970-01-01", "isOffDay": true}]}"#).unwrap_err();
        assert_eq!(err, CalendarError::YearOutOfRange { year: 1970 });
        assert_eq!(err.to_string(), "year 1970 is outside the supported range 2000..=2100");
        assert_eq!(err.message_zh(), "年份 1970 不在支持的范围（2000 年至 2100 年）内。");
    }

    #[test]
    fn compact_format_catches_transcription_errors() {
        let one = |holiday: &str| format!(r#"{{"years": [{{"year": 2021, "holidays": [{holiday}]}}]}}"#);
        let ok = parse_compact(&one(r#"{"name": "清明节", "off": "2021-04-03..2021-04-05", "work": []}"#)).expect("valid");
        assert_eq!(ok[0].days.len(), 3);
        assert_eq!(ok[0].notice, None);
        let err = parse_compact(&one(r#"{"name": "国庆节", "off": "2021-10-07..2021-10-01"}"#)).unwrap_err();
        assert!(matches!(err, CalendarError::InvalidData { .. }), "{err:?}");
        let err = parse_compact(&one(r#"{"name": "国庆节", "off": "2021-10-01", "work": ["2021-10-08"]}"#)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid working-day data: 2021 国庆节: make-up working day 2021-10-08 is a Fri, not a weekend day"
        );
        let err = parse_compact(&one(r#"{"name": "国庆节", "off": "2021-10-1"}"#)).unwrap_err();
        assert!(err.to_string().contains("invalid date \"2021-10-1\""), "{err}");
        let err = parse_compact(
            r#"{"years": [{"year": 2021, "holidays": [{"name": "元旦", "off": "2021-01-01"}]},
                          {"year": 2021, "holidays": [{"name": "元旦", "off": "2021-01-01"}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "invalid working-day data: year 2021 appears twice");
        let err = parse_compact(r#"{"years": [], "extra": 1}"#).unwrap_err();
        assert!(matches!(err, CalendarError::InvalidStructure { .. }), "{err:?}");
    }

    #[test]
    fn calendar_is_shareable_and_debuggable() {
        fn assert_traits<T: Clone + Send + Sync + fmt::Debug>() {}
        assert_traits::<Calendar>();
        let text = format!("{:?}", Calendar::official());
        assert!(
            text.starts_with("Calendar { years: [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]"),
            "{text}"
        );
    }
}
