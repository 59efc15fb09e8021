//! Time limits written into a measure: a date (`2021年6月底前`), a period
//! after an event (`5个工作日内`), or a frequency (`每年至少开展1次`).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::headings::cn_value;

/// The unit of a relative time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelUnit {
    /// 工作日: count with [`crate::calendar`].
    WorkingDays,
    /// 日 / 天 / 自然日.
    Days,
    /// 个月.
    Months,
}

impl RelUnit {
    /// The label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            RelUnit::WorkingDays => "个工作日",
            RelUnit::Days => "日",
            RelUnit::Months => "个月",
        }
    }
}

/// The period of a recurring obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 每年.
    Year,
    /// 每半年.
    HalfYear,
    /// 每季度.
    Quarter,
    /// 每月.
    Month,
}

impl Period {
    /// The label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            Period::Year => "每年",
            Period::HalfYear => "每半年",
            Period::Quarter => "每季度",
            Period::Month => "每月",
        }
    }
}

/// A time limit found in a measure. `text` is the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Deadline {
    /// Done by this date (the date itself included): `2021年6月底前` is
    /// 2021-06-30, `于2021年5月31日前` is 2021-05-31.
    Absolute { date: NaiveDate, text: String },
    /// Done within `amount` units of an event the measure names
    /// (`收到…后…5个工作日内`, `印发…3个月内`).
    Relative { amount: u32, unit: RelUnit, text: String },
    /// Done at least `at_least` times per period; `of_which` is a part with
    /// its own minimum (`其中，有关负责同志带头开展政策解读应不少于2次`).
    Recurring {
        per: Period,
        at_least: u32,
        of_which: Option<(String, u32)>,
        text: String,
    },
}

impl Deadline {
    /// The words the time limit was read from.
    pub fn text(&self) -> &str {
        match self {
            Deadline::Absolute { text, .. } | Deadline::Relative { text, .. } | Deadline::Recurring { text, .. } => text,
        }
    }

    /// The date of an absolute time limit.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Deadline::Absolute { date, .. } => Some(*date),
            _ => None,
        }
    }
}

const NUM: &str = r"(\d{1,4}|[一二两三四五六七八九十]{1,3})";

static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(于)?(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*(?:(底)|(\d{1,2})\s*日)|(底))\s*(?:之)?前")
        .expect("valid absolute deadline pattern")
});
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{NUM}\s*(个工作日|个自然日|个月|个日|日|天)\s*(?:之)?内")).expect("valid relative deadline pattern")
});
static RECURRING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"每(?:一)?(年度|年|半年|季度|季|个月|月)").expect("valid period pattern"));
static AT_LEAST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:至少|不少于|不低于)[^。；;，\d]{{0,20}}?{NUM}\s*次")).expect("valid count pattern"));
static TIMES: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"{NUM}\s*次")).expect("valid count pattern"));
static OF_WHICH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^其中[，,：:]?\s*([^。；;]*?)\s*(?:应|要|须|需)?\s*(?:至少|不少于|不低于)\s*{NUM}\s*次"
    ))
    .expect("valid of-which pattern")
});

fn amount(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().or_else(|| cn_value(s))
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    if month == 12 {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?.pred_opt()
    }
}

/// Every time limit in `text`, in the order they appear. A date without a
/// year (`6月底前`) is in `default_year`.
pub fn find_deadlines(text: &str, default_year: i32) -> Vec<Deadline> {
    let mut found: Vec<(usize, Deadline)> = Vec::new();
    for caps in ABSOLUTE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        // A bare month must not be the tail of a longer number.
        if caps.get(2).is_none() && text[..whole.start()].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let year = match caps.get(2) {
            Some(y) => match y.as_str().parse::<i32>() {
                Ok(y) => y,
                Err(_) => continue,
            },
            None => default_year,
        };
        let date = if caps.get(6).is_some() {
            // `2021年底前`: needs a year written out.
            if caps.get(2).is_none() {
                continue;
            }
            NaiveDate::from_ymd_opt(year, 12, 31)
        } else {
            let Some(month) = caps.get(3).and_then(|m| m.as_str().parse::<u32>().ok()) else {
                continue;
            };
            match caps.get(5) {
                Some(day) => day
                    .as_str()
                    .parse::<u32>()
                    .ok()
                    .and_then(|d| NaiveDate::from_ymd_opt(year, month, d)),
                None => last_day_of_month(year, month),
            }
        };
        if let Some(date) = date {
            found.push((
                whole.start(),
                Deadline::Absolute {
                    date,
                    text: whole.as_str().to_owned(),
                },
            ));
        }
    }
    for caps in RELATIVE.captures_iter(text) {
        let (Some(whole), Some(n), Some(unit)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        // `5月31日内` is a date, not a period.
        let before = &text[..whole.start()];
        if before.ends_with(|c: char| c.is_ascii_digit()) || (unit.as_str() == "日" && before.ends_with('月')) {
            continue;
        }
        let Some(amount) = amount(n.as_str()) else { continue };
        let unit = match unit.as_str() {
            "个工作日" => RelUnit::WorkingDays,
            "个月" => RelUnit::Months,
            _ => RelUnit::Days,
        };
        found.push((
            whole.start(),
            Deadline::Relative {
                amount,
                unit,
                text: whole.as_str().to_owned(),
            },
        ));
    }
    for caps in RECURRING.captures_iter(text) {
        let (Some(whole), Some(per)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let per = match per.as_str() {
            "年度" | "年" => Period::Year,
            "半年" => Period::HalfYear,
            "季度" | "季" => Period::Quarter,
            _ => Period::Month,
        };
        if let Some(d) = recurring(text, whole.start(), whole.end(), per) {
            found.push((whole.start(), d));
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, d)| d).collect()
}

/// Reads the count after `每年` etc.: the clause runs to `。`/`；`; a part
/// starting with `其中` gives `of_which`.
fn recurring(text: &str, start: usize, after: usize, per: Period) -> Option<Deadline> {
    let rest = &text[after..];
    let clause_len = rest.find(['。', '；', ';', '\n']).unwrap_or(rest.len());
    let clause = &rest[..clause_len];
    let (main, tail) = match clause.find("其中") {
        Some(i) => (&clause[..i], Some(&clause[i..])),
        None => (clause, None),
    };
    let count = AT_LEAST.captures(main).or_else(|| TIMES.captures(main));
    let (at_least, mut end) = match &count {
        Some(caps) => {
            let (Some(whole), Some(n)) = (caps.get(0), caps.get(1)) else {
                return None;
            };
            (amount(n.as_str())?, after + whole.end())
        }
        // No count: once per period, and the words run to the first comma.
        None => (1, after + main.find(['，', ',']).unwrap_or(main.len())),
    };
    let mut of_which = None;
    if count.is_some()
        && let Some(caps) = tail.and_then(|tail| OF_WHICH.captures(tail))
        && let (Some(whole), Some(label), Some(n)) = (caps.get(0), caps.get(1), caps.get(2))
        && let Some(n) = amount(n.as_str())
    {
        let label = label.as_str().trim().trim_end_matches(['，', ',']).to_owned();
        of_which = Some((label, n));
        end = after + main.len() + whole.end();
    }
    let words = text[start..end].trim_end_matches(['，', ',']).to_owned();
    Some(Deadline::Recurring {
        per,
        at_least,
        of_which,
        text: words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn absolute_forms() {
        assert_eq!(
            find_deadlines("在2021年6月底前以适当方式更新", 2020),
            vec![Deadline::Absolute {
                date: date(2021, 6, 30),
                text: "2021年6月底前".into()
            }]
        );
        assert_eq!(find_deadlines("2024年2月底前", 2021)[0].date(), Some(date(2024, 2, 29)));
        assert_eq!(find_deadlines("于2021年5月31日前集中发布", 2020)[0].text(), "于2021年5月31日前");
        assert_eq!(find_deadlines("9月底前完成", 2022)[0].date(), Some(date(2022, 9, 30)));
        assert_eq!(find_deadlines("11月15日前报送", 2022)[0].date(), Some(date(2022, 11, 15)));
        assert_eq!(find_deadlines("2021年底前完成", 2020)[0].date(), Some(date(2021, 12, 31)));
        assert!(find_deadlines("2021年13月底前 2月30日前 年底前", 2021).is_empty());
    }

    #[test]
    fn relative_and_recurring() {
        assert_eq!(
            find_deadlines("并在5个工作日内主动回复", 2021),
            vec![Deadline::Relative {
                amount: 5,
                unit: RelUnit::WorkingDays,
                text: "5个工作日内".into()
            }]
        );
        assert_eq!(
            find_deadlines("印发3个月内", 2021)[0],
            Deadline::Relative {
                amount: 3,
                unit: RelUnit::Months,
                text: "3个月内".into()
            }
        );
        assert_eq!(
            find_deadlines("十五日内", 2021)[0],
            Deadline::Relative {
                amount: 15,
                unit: RelUnit::Days,
                text: "十五日内".into()
            }
        );
        assert!(
            find_deadlines("5月31日内", 2021)
                .iter()
                .all(|d| !matches!(d, Deadline::Relative { .. }))
        );
        assert_eq!(
            find_deadlines("每季度至少更新2次。", 2021),
            vec![Deadline::Recurring {
                per: Period::Quarter,
                at_least: 2,
                of_which: None,
                text: "每季度至少更新2次".into()
            }]
        );
        assert_eq!(
            find_deadlines("每年对我县规范性文件进行清理，发现", 2021),
            vec![Deadline::Recurring {
                per: Period::Year,
                at_least: 1,
                of_which: None,
                text: "每年对我县规范性文件进行清理".into()
            }]
        );
    }
}
