//! The public deadline calculator (工作日与办理期限计算器).

use crate::auth::RequestCtx;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use gongkai_domain::calendar::Deadline;
use serde::Deserialize;

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
        match super::parse_deadline_input(from, days) {
            Ok((from, days)) => {
                let cal = state.calendar().await?;
                let d = cal.deadline(from, days);
                let mut rows: Vec<DayRow> = d
                    .counted
                    .iter()
                    .enumerate()
                    .map(|(i, day)| DayRow {
                        date: *day,
                        counted: true,
                        n: i + 1,
                        reason: cal.day(*day).reason.label(),
                    })
                    .collect();
                rows.extend(d.skipped.iter().map(|s| DayRow {
                    date: s.date,
                    counted: false,
                    n: 0,
                    reason: s.reason.clone(),
                }));
                rows.sort_by_key(|r| r.date);
                t.start_weekday = super::weekday_zh(d.start);
                t.due_weekday = super::weekday_zh(d.due);
                t.rows = rows;
                t.result = Some(d);
            }
            Err((_, msg)) => t.error = Some(msg),
        }
    }
    render(&t)
}
