//! Columns (栏目) of the disclosure catalogue: the default tree a new site
//! starts with, column names, and the staleness rule of the inspection.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CatalogueError, InterpretationKind};

/// Expected update interval of news columns (动态、要闻类): the inspection
/// looks at "监测时间点前2周内的动态、要闻类栏目" (国办秘函〔2019〕19号).
pub const NEWS_INTERVAL_DAYS: u32 = 14;
/// Expected update interval of notice and policy-document columns: "监测时间
/// 点前6个月内的通知公告、政策文件类一级栏目" (ibid.), taken as 180 days.
pub const NOTICE_INTERVAL_DAYS: u32 = 180;
/// Expected update interval of columns published once a year (annual
/// reports, budgets and final accounts, plans).
pub const ANNUAL_INTERVAL_DAYS: u32 = 365;

/// Longest column name accepted, in characters.
pub const COLUMN_NAME_MAX_CHARS: usize = 32;

/// What a column holds, which decides how its page is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Only groups its children (法定主动公开内容, 机构职能, 政策解读); its page
    /// lists the children. Has no items of its own and is never stale.
    Group,
    /// A list of documents (通知公告, 行政规范性文件, 工作动态, …).
    Documents,
    /// Policy interpretations of one form; each links to policy documents.
    Interpretations(InterpretationKind),
    /// One static page (政府信息公开指南, 机关简介, 联系我们).
    Page,
    /// A link to a function of the platform (依申请公开 → the application form).
    Link,
    /// Yearly reports, one per year (政府信息公开年报, 法治政府建设年度报告).
    AnnualReports,
}

impl ColumnKind {
    /// Stable code for storage: `group`, `documents`, `interpretations:text`,
    /// `interpretations:image`, `interpretations:video`, `page`, `link`,
    /// `annual_reports`.
    pub fn code(self) -> &'static str {
        match self {
            ColumnKind::Group => "group",
            ColumnKind::Documents => "documents",
            ColumnKind::Interpretations(InterpretationKind::Text) => "interpretations:text",
            ColumnKind::Interpretations(InterpretationKind::Image) => "interpretations:image",
            ColumnKind::Interpretations(InterpretationKind::Video) => "interpretations:video",
            ColumnKind::Page => "page",
            ColumnKind::Link => "link",
            ColumnKind::AnnualReports => "annual_reports",
        }
    }

    /// Inverse of [`ColumnKind::code`].
    pub fn from_code(code: &str) -> Result<ColumnKind, CatalogueError> {
        Ok(match code {
            "group" => ColumnKind::Group,
            "documents" => ColumnKind::Documents,
            "interpretations:text" => ColumnKind::Interpretations(InterpretationKind::Text),
            "interpretations:image" => ColumnKind::Interpretations(InterpretationKind::Image),
            "interpretations:video" => ColumnKind::Interpretations(InterpretationKind::Video),
            "page" => ColumnKind::Page,
            "link" => ColumnKind::Link,
            "annual_reports" => ColumnKind::AnnualReports,
            _ => {
                return Err(CatalogueError::UnknownValue {
                    what: "column kind",
                    value: code.to_owned(),
                });
            }
        })
    }

    /// Whether items are published into the column (false for groups,
    /// static pages and links).
    pub fn holds_items(self) -> bool {
        matches!(
            self,
            ColumnKind::Documents | ColumnKind::Interpretations(_) | ColumnKind::AnnualReports
        )
    }
}

/// One column of the default tree. `parent` is the parent's slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ColumnTemplate {
    /// Stable ASCII identifier, used in URLs: lowercase, digits and `-`.
    pub slug: &'static str,
    pub name: &'static str,
    pub parent: Option<&'static str>,
    pub kind: ColumnKind,
    /// How often the column is expected to get a new item; `None` for
    /// static content and groups.
    pub update_interval_days: Option<u32>,
}

const fn col(
    slug: &'static str,
    name: &'static str,
    parent: Option<&'static str>,
    kind: ColumnKind,
    update_interval_days: Option<u32>,
) -> ColumnTemplate {
    ColumnTemplate {
        slug,
        name,
        parent,
        kind,
        update_interval_days,
    }
}

/// The column tree a new county site starts with, parents before children,
/// following the standard directory (政府信息公开指南 / 制度 / 法定主动公开内容 /
/// 政策解读 / 年报 / …) and the seed document's requirements: 政策解读 with
/// 文字、图片、视频 sub-columns; 法治政府建设年度报告; 联系我们 under 机关简介's
/// branch ("政府网站>政府信息公开>法定主动公开内容>机关简介>联系我们" — here
/// 机关简介 and 联系我们 are siblings under 机构职能); 财政信息 with 预决算, 政府
/// 债务 and the 惠民惠农 subsidies of 一(三).
///
/// Intervals: 工作动态 [`NEWS_INTERVAL_DAYS`]; 通知公告, document columns and
/// 文字解读 [`NOTICE_INTERVAL_DAYS`]; yearly content (reports, 预决算, 规划,
/// 政府债务, image/video interpretations, which a county produces a few
/// times a year) [`ANNUAL_INTERVAL_DAYS`]; guides, static pages, links and
/// 政府信息公开制度 none. Sites may change names and intervals; slugs are stable.
pub fn default_columns() -> Vec<ColumnTemplate> {
    use ColumnKind::*;
    const NEWS: Option<u32> = Some(NEWS_INTERVAL_DAYS);
    const HALF_YEAR: Option<u32> = Some(NOTICE_INTERVAL_DAYS);
    const YEAR: Option<u32> = Some(ANNUAL_INTERVAL_DAYS);
    const S: Option<&str> = Some("statutory");
    vec![
        col("guide", "政府信息公开指南", None, Page, None),
        col("rules", "政府信息公开制度", None, Documents, None),
        col("statutory", "法定主动公开内容", None, Group, None),
        col("organisation", "机构职能", S, Group, None),
        col("profile", "机关简介", Some("organisation"), Page, None),
        col("contact", "联系我们", Some("organisation"), Page, None),
        col("regulations", "法规文件", S, Group, None),
        col("normative-documents", "行政规范性文件", Some("regulations"), Documents, HALF_YEAR),
        col("other-documents", "其他文件", Some("regulations"), Documents, HALF_YEAR),
        col("plans", "规划信息", S, Documents, YEAR),
        col("finance", "财政信息", S, Group, None),
        col("budgets", "预决算", Some("finance"), Documents, YEAR),
        col("government-debt", "政府债务", Some("finance"), Documents, YEAR),
        col("subsidies", "惠民惠农财政补贴", Some("finance"), Documents, HALF_YEAR),
        col("key-areas", "重点领域信息", S, Documents, HALF_YEAR),
        col("interpretations", "政策解读", None, Group, None),
        col(
            "interpretations-text",
            "文字解读",
            Some("interpretations"),
            Interpretations(InterpretationKind::Text),
            HALF_YEAR,
        ),
        col(
            "interpretations-image",
            "图片解读",
            Some("interpretations"),
            Interpretations(InterpretationKind::Image),
            YEAR,
        ),
        col(
            "interpretations-video",
            "视频解读",
            Some("interpretations"),
            Interpretations(InterpretationKind::Video),
            YEAR,
        ),
        col("rule-of-law-reports", "法治政府建设年度报告", None, AnnualReports, YEAR),
        col("annual-reports", "政府信息公开年报", None, AnnualReports, YEAR),
        col("public-institutions", "公共企事业单位信息", None, Documents, YEAR),
        col("gazette", "政府公报", None, Documents, YEAR),
        col("foi", "依申请公开", None, Link, None),
        col("notices", "通知公告", None, Documents, HALF_YEAR),
        col("news", "工作动态", None, Documents, NEWS),
    ]
}

/// A column name: trimmed, 1–32 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ColumnName(String);

impl ColumnName {
    pub fn parse(s: &str) -> Result<ColumnName, CatalogueError> {
        let t = s.trim();
        let len = t.chars().count();
        if !(1..=COLUMN_NAME_MAX_CHARS).contains(&len) {
            return Err(CatalogueError::ColumnNameLength {
                len,
                max: COLUMN_NAME_MAX_CHARS,
            });
        }
        if t.chars().any(char::is_control) {
            return Err(CatalogueError::ColumnNameControlChar);
        }
        Ok(ColumnName(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ColumnName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ColumnName {
    type Error = CatalogueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ColumnName::parse(&s)
    }
}

impl From<ColumnName> for String {
    fn from(c: ColumnName) -> String {
        c.0
    }
}

/// Parses a column name entered by an administrator (same as
/// [`ColumnName::parse`]).
pub fn validate_column_name(s: &str) -> Result<ColumnName, CatalogueError> {
    ColumnName::parse(s)
}

/// Whether a column counts as not updated (栏目不更新) on `today`: it has an
/// expected interval and its latest item is older than that many days, or it
/// has no item at all (an empty column with an interval is stale — the
/// inspection also counts "空白栏目"). An item published exactly
/// `interval_days` ago still counts as an update within the interval; an
/// item dated after `today` counts as fresh.
pub fn column_is_stale(last_published: Option<NaiveDate>, interval_days: Option<u32>, today: NaiveDate) -> bool {
    let Some(interval) = interval_days else {
        return false;
    };
    match last_published {
        None => true,
        Some(last) => (today - last).num_days() > i64::from(interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for c in default_columns() {
            assert_eq!(ColumnKind::from_code(c.kind.code()).unwrap(), c.kind);
        }
        assert!(ColumnKind::from_code("folder").is_err());
    }

    #[test]
    fn stale_boundaries() {
        let today = NaiveDate::from_ymd_opt(2021, 6, 15).unwrap();
        let d = |n: u64| today.checked_sub_days(chrono::Days::new(n)).unwrap();
        assert!(!column_is_stale(Some(d(14)), Some(14), today));
        assert!(column_is_stale(Some(d(15)), Some(14), today));
        assert!(column_is_stale(None, Some(14), today));
        assert!(!column_is_stale(None, None, today));
        assert!(!column_is_stale(Some(d(4000)), None, today));
    }
}
