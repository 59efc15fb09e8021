//! Site settings: name, footer identifiers and review stages (system admins).

use crate::auth::Staff;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope, SiteSettings};
use gongkai_domain::audit::NewEntry;
use serde::Deserialize;

pub struct SiteLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub settings: SiteSettings,
    pub stages: String,
}

#[derive(Template)]
#[template(path = "admin/sites.html")]
struct SitesT {
    page: Page,
    sites: Vec<SiteLine>,
    error: Option<String>,
    units: Vec<(i64, String)>,
}

impl SitesT {
    /// A site's mailbox reply periods as the form writes them.
    fn mailbox_days(&self, s: &SiteLine) -> String {
        use gongkai_domain::mailbox::Category;
        Category::ALL
            .iter()
            .map(|c| {
                let days = s
                    .settings
                    .mailbox_reply_days
                    .get(c.as_str())
                    .copied()
                    .unwrap_or(c.default_reply_days());
                format!("{}{days}", c.label_zh())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The units the mailbox's routing topics go to, as the form writes them.
    fn topic_units(&self, s: &SiteLine) -> String {
        s.settings
            .mailbox_topic_units
            .iter()
            .map(|(topic, id)| {
                let name = self.units.iter().find(|u| u.0 == *id).map_or("?", |u| u.1.as_str());
                format!("{topic}:{name}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Parses `城乡建设:县住房城乡建委 交通运输:县交通局` (topic:unit name) into topic →
/// unit id; topics are the routing lexicon's seven.
pub fn parse_topic_units(s: &str, units: &[(i64, String)]) -> Result<std::collections::BTreeMap<String, i64>, String> {
    let topics: Vec<&str> = gongkai_domain::mailbox::classify::TOPIC_SEED.iter().map(|t| t.0).collect();
    let mut out = std::collections::BTreeMap::new();
    for part in s
        .split([' ', ',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (topic, unit) = part
            .split_once([':', '：'])
            .ok_or_else(|| format!("“{part}”应写成“主题:单位名称”，如“交通运输:县交通局”"))?;
        let topic = topic.trim();
        if !topics.contains(&topic) {
            return Err(format!("主题“{topic}”不是{}之一", topics.join("、")));
        }
        let id = units
            .iter()
            .find(|u| u.1 == unit.trim())
            .map(|u| u.0)
            .ok_or_else(|| format!("单位“{}”不存在", unit.trim()))?;
        out.insert(topic.to_owned(), id);
    }
    Ok(out)
}

async fn sites_page(state: &AppState, staff: &Staff, error: Option<String>) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    session.require(Action::ManageSites, Scope::Global)?;
    let page = admin_page(state, session, ctx, "站点设置").await?;
    let sites = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .map(|s| SiteLine {
            id: s.id,
            code: s.code,
            name: s.name,
            stages: s.settings.review_stages.join("、"),
            settings: s.settings,
        })
        .collect();
    let units = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut res = render(&SitesT {
        page,
        sites,
        error: error.clone(),
        units,
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    sites_page(&state, &staff, None).await
}

#[derive(Deserialize)]
pub struct SiteForm {
    name: String,
    site_code: String,
    icp: String,
    police_record: String,
    sponsor: String,
    organizer: String,
    phone: String,
    address: String,
    review_stages: String,
    qa_reply_days: Option<String>,
    qa_office_unit_id: Option<String>,
    /// Mailbox reply periods: `咨询5 建议10 投诉10 求助5 其他5` (any order, missing ones default).
    #[serde(default)]
    mailbox_reply_days: Option<String>,
    /// Where the mailbox's routing topics go for a new site: `交通运输:县交通局 …`.
    #[serde(default)]
    mailbox_topic_units: Option<String>,
}

/// Parses `咨询5 建议10 …` (or `咨询:5，建议:10`) into category → days.
pub fn parse_mailbox_days(s: &str) -> Result<std::collections::BTreeMap<String, u32>, &'static str> {
    use gongkai_domain::mailbox::Category;
    let mut out = std::collections::BTreeMap::new();
    for part in s.split([' ', ',', '，', '、', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
        let digits: String = part.chars().filter(|c| c.is_ascii_digit()).collect();
        let label: String = part.chars().filter(|c| !c.is_ascii_digit() && *c != ':' && *c != '：').collect();
        let cat = Category::ALL
            .into_iter()
            .find(|c| c.label_zh() == label.trim())
            .ok_or("公开信箱答复时限的写法为“咨询5 建议10 投诉10 求助5 其他5”")?;
        let days: u32 = digits.parse().map_err(|_| "公开信箱答复时限应为1至60个工作日")?;
        if !(1..=60).contains(&days) {
            return Err("公开信箱答复时限应为1至60个工作日");
        }
        out.insert(cat.as_str().to_owned(), days);
    }
    Ok(out)
}

pub async fn update(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Form(f): Form<SiteForm>) -> AppResult<Response> {
    staff.0.require(Action::ManageSites, Scope::Global)?;
    if !state.store.list_sites().await?.iter().any(|s| s.id == id) {
        return Err(AppError::not_found());
    }
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return sites_page(&state, &staff, Some("网站名称不能为空且不超过64个字符".into())).await;
    }
    let current = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| s.settings)
        .unwrap_or_default();
    let mailbox_reply_days = match f.mailbox_reply_days.as_deref() {
        None => current.mailbox_reply_days.clone(),
        Some(v) => match parse_mailbox_days(v) {
            Ok(m) => m,
            Err(msg) => return sites_page(&state, &staff, Some(msg.into())).await,
        },
    };
    let mailbox_topic_units = match f.mailbox_topic_units.as_deref() {
        None => current.mailbox_topic_units.clone(),
        Some(v) => {
            let units: Vec<(i64, String)> = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
            match parse_topic_units(v, &units) {
                Ok(m) => m,
                Err(msg) => return sites_page(&state, &staff, Some(msg)).await,
            }
        }
    };
    let settings = SiteSettings {
        mailbox_reply_days,
        mailbox_topic_units,
        site_code: f.site_code.trim().into(),
        icp: f.icp.trim().into(),
        police_record: f.police_record.trim().into(),
        sponsor: f.sponsor.trim().into(),
        organizer: f.organizer.trim().into(),
        phone: f.phone.trim().into(),
        address: f.address.trim().into(),
        review_stages: f
            .review_stages
            .split(['、', ',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        qa_reply_days: match f.qa_reply_days.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => gongkai_domain::qa::consult::DEFAULT_REPLY_DAYS,
            Some(s) => match s.parse::<u32>() {
                Ok(n) => n,
                Err(_) => return sites_page(&state, &staff, Some("政策咨询答复时限应为1至30个工作日".into())).await,
            },
        },
        qa_office_unit_id: match f.qa_office_unit_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(id) if state.store.get_unit(id).await.is_ok() => Some(id),
                _ => return sites_page(&state, &staff, Some("政策咨询督办单位不存在".into())).await,
            },
        },
    };
    if let Err((_, msg)) = settings.validate() {
        return sites_page(&state, &staff, Some(msg.into())).await;
    }
    let mut tx = state.store.begin().await?;
    tx.update_site(id, name, &settings).await?;
    tx.audit(
        NewEntry::new(staff.0.user.username.clone(), "site.update", "site", id).detail(serde_json::to_value(&settings).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    state.forget_site_frame().await;
    state.mailbox.invalidate(id);
    Ok(Redirect::to("/admin/sites").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_settings_parse_from_their_chinese_form() {
        let days = parse_mailbox_days("咨询3 投诉：15").unwrap();
        assert_eq!((days["consultation"], days["complaint"], days.len()), (3, 15, 2));
        assert!(parse_mailbox_days("咨询0").is_err());
        assert!(parse_mailbox_days("询问5").is_err());
        let units = vec![(7, "县交通局".to_owned()), (9, "县教委".to_owned())];
        let map = parse_topic_units("交通运输:县交通局，教育文体：县教委", &units).unwrap();
        assert_eq!((map["交通运输"], map["教育文体"]), (7, 9));
        assert!(parse_topic_units("交通运输县交通局", &units).unwrap_err().contains("主题:单位名称"));
        assert!(parse_topic_units("航天:县交通局", &units).unwrap_err().contains("不是"));
        assert!(parse_topic_units("交通运输:县航天局", &units).unwrap_err().contains("不存在"));
        assert!(parse_topic_units("", &units).unwrap().is_empty());
    }
}
