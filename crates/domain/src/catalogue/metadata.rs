//! Document metadata: [`Title`], [`Genre`] (体裁), [`Topic`] (主题分类) and
//! [`InterpretationKind`] (政策解读的形式).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::CatalogueError;

/// Longest title accepted, in characters.
pub const TITLE_MAX_CHARS: usize = 200;

/// A document title: trimmed, 1–200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Title(String);

impl Title {
    pub fn parse(s: &str) -> Result<Title, CatalogueError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(CatalogueError::TitleEmpty);
        }
        let len = t.chars().count();
        if len > TITLE_MAX_CHARS {
            return Err(CatalogueError::TitleTooLong { len, max: TITLE_MAX_CHARS });
        }
        if t.chars().any(char::is_control) {
            return Err(CatalogueError::TitleControlChar);
        }
        Ok(Title(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Title {
    type Error = CatalogueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Title::parse(&s)
    }
}

impl From<Title> for String {
    fn from(t: Title) -> String {
        t.0
    }
}

/// Declares a closed list with a stable code, a Chinese label, `ALL`, and a
/// `parse` that accepts either.
macro_rules! closed_list {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, normalise = $norm:expr,
        { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal;)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable code (the serde name).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The label of the national list.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Accepts the code or the label.
            pub fn parse(s: &str) -> Result<$name, CatalogueError> {
                let t = s.trim();
                let norm: fn(&str) -> String = $norm;
                let key = norm(t);
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == t || norm(v.label_zh()) == key)
                    .ok_or_else(|| CatalogueError::UnknownValue { what: $what, value: t.to_owned() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_list! {
    /// 体裁: the kind of document, after the 公文种类 of 《党政机关公文处理工作
    /// 条例》 as used in the national catalogue, plus the common 办法/规定/方案/规划.
    Genre, "genre", normalise = |s| s.to_owned(), {
        /// 通知
        Notice => "notice", "通知";
        /// 通告
        Circular => "circular", "通告";
        /// 公告
        Announcement => "announcement", "公告";
        /// 意见
        Opinion => "opinion", "意见";
        /// 决定
        Decision => "decision", "决定";
        /// 办法
        Measures => "measures", "办法";
        /// 规定
        Provisions => "provisions", "规定";
        /// 方案
        Scheme => "scheme", "方案";
        /// 规划
        Plan => "plan", "规划";
        /// 报告
        Report => "report", "报告";
        /// 批复
        Reply => "reply", "批复";
        /// 函
        Letter => "letter", "函";
        /// 纪要
        Minutes => "minutes", "纪要";
        /// 其他
        Other => "other", "其他";
    }
}

impl Genre {
    /// Guesses the genre from a title's last word, as Chinese titles end in
    /// their 文种 ("关于印发…的通知" → 通知, "…管理办法（试行）" → 办法).
    /// [`Genre::Other`] when nothing fits.
    pub fn from_title(title: &str) -> Genre {
        let mut t = title.trim().trim_end_matches(['。', '.', ' ', '\u{3000}']);
        // Drop one trailing parenthetical such as （试行） or (征求意见稿).
        for (open, close) in [('（', '）'), ('(', ')')] {
            if t.ends_with(close)
                && let Some(i) = t.rfind(open)
            {
                t = t[..i].trim_end();
                break;
            }
        }
        Genre::ALL
            .iter()
            .copied()
            .filter(|g| *g != Genre::Other)
            .find(|g| t.ends_with(g.label_zh()))
            .unwrap_or(Genre::Other)
    }
}

/// Removes the separators of multi-part topic labels so that
/// "财政，金融，审计" and "财政、金融、审计" compare equal.
fn topic_key(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '、' | '，' | ',' | ' ' | '\u{3000}' | '/' | '／'))
        .collect()
}

closed_list! {
    /// 主题分类: the national topic classification of government information.
    Topic, "topic", normalise = topic_key, {
        /// 综合政务
        General => "general", "综合政务";
        /// 国民经济管理、国有资产监管
        EconomyStateAssets => "economy_state_assets", "国民经济管理、国有资产监管";
        /// 财政、金融、审计
        FinanceAudit => "finance_audit", "财政、金融、审计";
        /// 国土资源、能源
        LandEnergy => "land_energy", "国土资源、能源";
        /// 农业、林业、水利
        AgricultureForestryWater => "agriculture_forestry_water", "农业、林业、水利";
        /// 工业、交通
        IndustryTransport => "industry_transport", "工业、交通";
        /// 商贸、海关、旅游
        CommerceCustomsTourism => "commerce_customs_tourism", "商贸、海关、旅游";
        /// 市场监管、安全生产监管
        MarketSafetyRegulation => "market_safety_regulation", "市场监管、安全生产监管";
        /// 城乡建设、环境保护
        ConstructionEnvironment => "construction_environment", "城乡建设、环境保护";
        /// 科技、教育
        ScienceEducation => "science_education", "科技、教育";
        /// 文化、广电、新闻出版
        CultureMedia => "culture_media", "文化、广电、新闻出版";
        /// 卫生、体育
        HealthSports => "health_sports", "卫生、体育";
        /// 人口与计划生育、妇女儿童工作
        PopulationWomenChildren => "population_women_children", "人口与计划生育、妇女儿童工作";
        /// 劳动、人事、监察
        LabourPersonnelSupervision => "labour_personnel_supervision", "劳动、人事、监察";
        /// 公安、安全、司法
        PublicSecurityJustice => "public_security_justice", "公安、安全、司法";
        /// 民政、扶贫、救灾
        CivilAffairsRelief => "civil_affairs_relief", "民政、扶贫、救灾";
        /// 民族、宗教
        EthnicReligious => "ethnic_religious", "民族、宗教";
        /// 对外事务
        ForeignAffairs => "foreign_affairs", "对外事务";
        /// 港澳台侨工作
        HkMacaoTaiwanOverseas => "hk_macao_taiwan_overseas", "港澳台侨工作";
        /// 国防
        NationalDefence => "national_defence", "国防";
        /// 其他
        Other => "other", "其他";
    }
}

closed_list! {
    /// The form of a policy interpretation (政策解读). The seed document asks for
    /// "至少设置“视频、图片、文字”3个子栏目，发布对应形式的政策解读信息，政策解读
    /// 信息要与政策文件相互关联".
    InterpretationKind, "interpretation kind", normalise = |s| s.to_owned(), {
        /// 文字解读
        Text => "text", "文字解读";
        /// 图片解读 (图解)
        Image => "image", "图片解读";
        /// 视频解读
        Video => "video", "视频解读";
    }
}

/// A policy interpretation is published only when linked to at least one
/// policy document ("政策解读信息要与政策文件相互关联"; "坚决杜绝以文件解读文件"
/// is the reviewers' business).
pub fn check_interpretation_links(n_links: usize) -> Result<(), CatalogueError> {
    if n_links == 0 {
        Err(CatalogueError::MissingRequiredLinks)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genre_from_title() {
        assert_eq!(Genre::from_title("巫山县人民政府办公室关于印发…责任清单的通知"), Genre::Notice);
        assert_eq!(Genre::from_title("巫山县政府信息公开管理办法（试行）"), Genre::Measures);
        assert_eq!(Genre::from_title("关于同意设立某某的批复"), Genre::Reply);
        assert_eq!(Genre::from_title("某某工作实施方案(征求意见稿)"), Genre::Scheme);
        assert_eq!(Genre::from_title("关于某事的复函"), Genre::Letter);
        assert_eq!(Genre::from_title("2021年政府信息公开工作年度报告"), Genre::Report);
        assert_eq!(Genre::from_title("县长办公会议纪要"), Genre::Minutes);
        assert_eq!(Genre::from_title("巫山县概况"), Genre::Other);
    }

    #[test]
    fn topic_parse_accepts_separators() {
        assert_eq!(Topic::parse("财政，金融，审计").unwrap(), Topic::FinanceAudit);
        assert_eq!(Topic::parse("财政、金融、审计").unwrap(), Topic::FinanceAudit);
        assert_eq!(Topic::parse("finance_audit").unwrap(), Topic::FinanceAudit);
        assert_eq!(Topic::ALL.len(), 21);
    }
}
