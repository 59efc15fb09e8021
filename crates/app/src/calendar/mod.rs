//! The working-day calendar (工作日 with 调休): the public calculator page
//! and API, and the administrators' import of a new year's arrangement. The
//! rules are in `gongkai_domain::calendar`; imported years are stored by
//! `gongkai_store::calendar`.

pub mod admin;
pub mod api;
pub mod pages;

use chrono::{Datelike, NaiveDate};

pub fn weekday_zh(d: NaiveDate) -> &'static str {
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][d.weekday().num_days_from_monday() as usize]
}

/// Parses the calculator's inputs; shared with the API so both give the same
/// answers and the same errors. Errors are `(field, Chinese message)`.
pub fn parse_deadline_input(from: &str, days: &str) -> Result<(NaiveDate, u32), (&'static str, String)> {
    let from = NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d")
        .map_err(|_| ("from", format!("起算日期“{}”格式不正确，应为 YYYY-MM-DD", from.trim())))?;
    let days: u32 = days
        .trim()
        .parse()
        .ok()
        .filter(|d| *d <= 366)
        .ok_or_else(|| ("days", "工作日数应为0至366之间的整数".to_string()))?;
    if !(1949..=2100).contains(&from.year()) {
        return Err(("from", "起算日期应在1949年至2100年之间".into()));
    }
    Ok((from, days))
}
