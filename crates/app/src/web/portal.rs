//! Public portal pages (no login).

use super::{Page, portal_page, render};
use crate::auth::{A11Y_COOKIE, A11y, RequestCtx, set_cookie};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_domain::accounts::UnitKind;
use gongkai_domain::calendar::Deadline;
use serde::Deserialize;

pub struct UnitRow {
    pub name: String,
    pub phone: Option<String>,
}

pub struct UnitGroup {
    pub label: &'static str,
    pub units: Vec<UnitRow>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomeT {
    page: Page,
    groups: Vec<UnitGroup>,
}

pub async fn home(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let page = portal_page(&state, &ctx, "首页").await?;
    let units = state.store.list_units().await?;
    let groups = [(UnitKind::Government, "人民政府"), (UnitKind::Department, "政府部门"), (UnitKind::Township, "乡镇"), (UnitKind::Street, "街道"), (UnitKind::Other, "其他单位")]
        .into_iter()
        .map(|(kind, label)| UnitGroup {
            label,
            units: units.iter().filter(|u| u.active && u.kind() == kind).map(|u| UnitRow { name: u.name.clone(), phone: u.phone.clone().filter(|p| !p.is_empty()) }).collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect();
    render(&HomeT { page, groups })
}

pub struct DayRow {
    pub date: NaiveDate,
    pub counted: bool,
    pub n: usize,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "portal/workdays.html")]
struct WorkdaysT {
    page: Page,
    from: String,
    days: String,
    error: Option<String>,
    result: Option<Deadline>,
    rows: Vec<DayRow>,
    start_weekday: &'static str,
    due_weekday: &'static str,
}

#[derive(Deserialize)]
pub struct WorkdaysQuery {
    from: Option<String>,
    days: Option<String>,
}

pub fn weekday_zh(d: NaiveDate) -> &'static str {
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][d.weekday().num_days_from_monday() as usize]
}

/// Parses the calculator's inputs; shared with the API so both give the same
/// answers and the same errors. Errors are `(field, Chinese message)`.
pub fn parse_deadline_input(from: &str, days: &str) -> Result<(NaiveDate, u32), (&'static str, String)> {
    let from = NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").map_err(|_| ("from", format!("起算日期“{}”格式不正确，应为 YYYY-MM-DD", from.trim())))?;
    let days: u32 = days.trim().parse().ok().filter(|d| *d <= 366).ok_or_else(|| ("days", "工作日数应为0至366之间的整数".to_string()))?;
    if !(1949..=2100).contains(&from.year()) {
        return Err(("from", "起算日期应在1949年至2100年之间".into()));
    }
    Ok((from, days))
}

pub async fn workdays(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<WorkdaysQuery>) -> AppResult<Response> {
    let page = portal_page(&state, &ctx, "工作日与办理期限计算器").await?;
    let mut t = WorkdaysT {
        page,
        from: q.from.clone().unwrap_or_default(),
        days: q.days.clone().unwrap_or_else(|| "20".into()),
        error: None,
        result: None,
        rows: vec![],
        start_weekday: "",
        due_weekday: "",
    };
    if let (Some(from), Some(days)) = (&q.from, &q.days) {
        match parse_deadline_input(from, days) {
            Ok((from, days)) => {
                let cal = state.calendar().await?;
                let d = cal.deadline(from, days);
                let mut rows: Vec<DayRow> = d.counted.iter().enumerate().map(|(i, day)| DayRow { date: *day, counted: true, n: i + 1, reason: cal.day(*day).reason.label() }).collect();
                rows.extend(d.skipped.iter().map(|s| DayRow { date: s.date, counted: false, n: 0, reason: s.reason.clone() }));
                rows.sort_by_key(|r| r.date);
                t.start_weekday = weekday_zh(d.start);
                t.due_weekday = weekday_zh(d.due);
                t.rows = rows;
                t.result = Some(d);
            }
            Err((_, msg)) => t.error = Some(msg),
        }
    }
    render(&t)
}

#[derive(Deserialize)]
pub struct A11yQuery {
    set: Option<String>,
    back: Option<String>,
}

/// Stores the 适老化 preferences in a cookie and returns to the page.
pub async fn a11y(ctx: RequestCtx, Query(q): Query<A11yQuery>) -> Response {
    let prefs = A11y::parse(q.set.as_deref().unwrap_or(""));
    let back = q.back.filter(|b| b.starts_with('/') && !b.starts_with("//")).unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(A11Y_COOKIE, &prefs.encode(), ctx.secure, false, Some(365 * 24 * 3600)));
    res
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")), (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"))],
        include_str!("../../static/site.css"),
    )
        .into_response()
}
