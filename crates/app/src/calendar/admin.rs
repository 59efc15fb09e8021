//! The working-day calendar page: shipped and imported years, and the import
//! of a new year's State Council arrangement (system administrators).

use crate::auth::{Session, Staff};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::calendar::{Calendar, YearArrangement, parse_reference_year};
use gongkai_store::Store;
use serde::Deserialize;

pub struct YearLine {
    pub year: i32,
    pub source: String,
    pub off: usize,
    pub work: usize,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarT {
    page: Page,
    years: Vec<YearLine>,
    can_import: bool,
    error: Option<String>,
}

async fn calendar_page(state: &AppState, session: &Session, ctx: &crate::auth::RequestCtx, error: Option<String>) -> AppResult<Response> {
    let page = admin_page(state, session, ctx, "工作日历").await?;
    let cal = state.calendar().await?;
    let imported: Vec<i64> = state.store.imported_years().await?.into_iter().map(|y| y.year).collect();
    let years = cal
        .arrangements()
        .map(|a| YearLine {
            year: a.year,
            source: if imported.contains(&i64::from(a.year)) {
                format!("管理员导入 {}", a.notice.clone().unwrap_or_default())
            } else {
                format!("内置 {}", a.notice.clone().unwrap_or_default())
            },
            off: a.days.iter().filter(|d| d.off).count(),
            work: a.days.iter().filter(|d| !d.off).count(),
        })
        .collect();
    let mut res = render(&CalendarT {
        page,
        years,
        can_import: session.can(Action::ManageCalendar, Scope::Global),
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn show(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    calendar_page(&state, &session, &ctx, None).await
}

#[derive(Deserialize)]
pub struct ImportForm {
    json: String,
}

pub async fn import(State(state): State<AppState>, Staff(session, ctx): Staff, Form(f): Form<ImportForm>) -> AppResult<Response> {
    session.require(Action::ManageCalendar, Scope::Global)?;
    match parse_reference_year(&f.json) {
        Ok(arr) => {
            import_year(&state.store, &session.user.username, &arr).await?;
            state.reload_calendar().await?;
            Ok(Redirect::to("/admin/calendar").into_response())
        }
        Err(e) => calendar_page(&state, &session, &ctx, Some(e.message_zh())).await,
    }
}

/// Stores a year's arrangement and audits it, then recomputes the due dates
/// of every open application (依申请公开) on the new calendar; returns the
/// calendar after the import.
pub async fn import_year(store: &Store, actor: &str, arr: &YearArrangement) -> AppResult<Calendar> {
    let mut tx = store.begin().await?;
    tx.put_calendar_year(arr, actor).await?;
    tx.audit(
        NewEntry::new(actor, "calendar.import", "calendar_year", arr.year)
            .detail(serde_json::json!({ "notice": arr.notice, "off_days": arr.days.iter().filter(|d| d.off).count(), "work_days": arr.days.iter().filter(|d| !d.off).count() })),
    )
    .await?;
    tx.commit().await?;
    let cal = store.calendar().await?;
    let r = crate::foi::recompute_all(store, &cal, chrono::Utc::now().date_naive(), actor).await?;
    if r.changed > 0 {
        tracing::info!(
            checked = r.checked,
            changed = r.changed,
            "application due dates recomputed after a calendar change"
        );
    }
    Ok(cal)
}
