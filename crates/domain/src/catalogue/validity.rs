//! 有效性 of a document and the banner a no-longer-valid document carries.
//!
//! 《政府网站发展指引》(国办发〔2017〕47号): 文件资料 "如相关文件资料发生修改、
//! 废止、失效等情况，应及时公开，并在已发布的原文件上作出明确标注". So such a
//! document keeps its page and shows [`banner_zh`] above the text; the seed
//! document also asks that normative documents be shown "按照“现行有效”和
//! “失效/废止”进行分类展示".

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CatalogueError;

/// The validity (有效性) of a published document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 现行有效.
    InForce,
    /// 失效: its period of validity ended (or it was declared expired).
    Expired,
    /// 废止: repealed by a decision.
    Repealed,
    /// 已修改: amended; the amended text is another document.
    Amended,
}

impl Validity {
    pub const ALL: [Validity; 4] = [Validity::InForce, Validity::Expired, Validity::Repealed, Validity::Amended];

    /// Stable code, the serde name (`in_force`, `expired`, `repealed`, `amended`).
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::InForce => "in_force",
            Validity::Expired => "expired",
            Validity::Repealed => "repealed",
            Validity::Amended => "amended",
        }
    }

    /// The label shown on pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            Validity::InForce => "现行有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
            Validity::Amended => "已修改",
        }
    }

    /// Accepts the code, the label and the common variants (有效, 已失效,
    /// 已废止, 修改).
    pub fn parse(s: &str) -> Result<Validity, CatalogueError> {
        let t = s.trim();
        Ok(match t {
            "in_force" | "现行有效" | "有效" => Validity::InForce,
            "expired" | "失效" | "已失效" => Validity::Expired,
            "repealed" | "废止" | "已废止" => Validity::Repealed,
            "amended" | "已修改" | "修改" => Validity::Amended,
            _ => {
                return Err(CatalogueError::UnknownValue {
                    what: "validity",
                    value: t.to_owned(),
                });
            }
        })
    }
}

/// The validity to show today. A document declared in force whose expiry
/// date has passed is expired: it is in force **through** `expires_on` and
/// expired from the next day (a document "有效期至2023年12月31日" still applies
/// on 31 December). Any other declared validity is kept: a repeal or an
/// amendment is a decision, not a date.
pub fn effective_validity(declared: Validity, expires_on: Option<NaiveDate>, today: NaiveDate) -> Validity {
    match (declared, expires_on) {
        (Validity::InForce, Some(last_day)) if today > last_day => Validity::Expired,
        _ => declared,
    }
}

/// The first day on which a document valid through `expires_on` is expired
/// (the date to show in its banner).
pub fn first_day_expired(expires_on: NaiveDate) -> NaiveDate {
    expires_on.checked_add_days(Days::new(1)).unwrap_or(expires_on)
}

/// Whether the page carries a banner: 失效, 废止 and 已修改 documents stay
/// online, marked as such (国办发〔2017〕47号).
pub fn needs_banner(v: Validity) -> bool {
    v != Validity::InForce
}

/// A date as written in Chinese documents: `2021年6月1日`.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The banner text of a document that is no longer (fully) in force; empty
/// for [`Validity::InForce`]. `date` is the day the change took effect (for
/// an expiry by date, [`first_day_expired`]); `reason` may be empty;
/// `replacement_title` names the document that replaces or amends it (with
/// or without 《》).
///
/// Example: `本文件已于2024年1月1日废止。废止原因：已被新文件替代。请以《巫山县政务公开工作规定》为准。`
pub fn banner_zh(v: Validity, date: NaiveDate, reason: &str, replacement_title: Option<&str>) -> String {
    let (verb, reason_label) = match v {
        Validity::InForce => return String::new(),
        Validity::Expired => ("失效", "失效原因"),
        Validity::Repealed => ("废止", "废止原因"),
        Validity::Amended => ("修改", "修改情况"),
    };
    let mut out = format!("本文件已于{}{verb}。", date_zh(date));
    let reason = reason.trim().trim_end_matches(['。', '.', '；', ';', '，', ',']).trim();
    if !reason.is_empty() {
        out.push_str(&format!("{reason_label}：{reason}。"));
    }
    if let Some(title) = replacement_title {
        let title = title.trim();
        let title = title.strip_prefix('《').unwrap_or(title);
        let title = title.strip_suffix('》').unwrap_or(title).trim();
        if !title.is_empty() {
            if v == Validity::Amended {
                out.push_str(&format!("修改后的内容请见《{title}》。"));
            } else {
                out.push_str(&format!("请以《{title}》为准。"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn expiry_boundary() {
        let last = d(2023, 12, 31);
        assert_eq!(
            effective_validity(Validity::InForce, Some(last), d(2023, 12, 30)),
            Validity::InForce
        );
        assert_eq!(effective_validity(Validity::InForce, Some(last), last), Validity::InForce);
        assert_eq!(effective_validity(Validity::InForce, Some(last), d(2024, 1, 1)), Validity::Expired);
        assert_eq!(effective_validity(Validity::InForce, None, d(2099, 1, 1)), Validity::InForce);
        assert_eq!(
            effective_validity(Validity::Repealed, Some(last), d(2024, 1, 1)),
            Validity::Repealed
        );
        assert_eq!(effective_validity(Validity::Amended, Some(last), d(2020, 1, 1)), Validity::Amended);
        assert_eq!(first_day_expired(last), d(2024, 1, 1));
    }

    #[test]
    fn parse_round_trip() {
        for v in Validity::ALL {
            assert_eq!(Validity::parse(v.as_str()).unwrap(), v);
            assert_eq!(Validity::parse(v.label_zh()).unwrap(), v);
        }
        assert!(Validity::parse("作废").is_err());
    }
}
