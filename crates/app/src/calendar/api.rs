//! Public working-day endpoints: a deadline with its explanation, and a day.

use crate::calendar::parse_deadline_input;
use crate::error::{ApiResultExt, AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use gongkai_domain::calendar::{DayInfo, Deadline};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DeadlineQuery {
    /// Start date (e.g. the day an application was received), `YYYY-MM-DD`.
    from: Option<String>,
    /// Working days to add, 0..=366. The day after `from` is day 1.
    days: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SkippedDto {
    #[schema(value_type = String, format = Date)]
    date: chrono::NaiveDate,
    /// `周末` or the holiday's name, e.g. `国庆节`.
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeadlineDto {
    #[schema(value_type = String, format = Date)]
    from: chrono::NaiveDate,
    days: u32,
    /// The date of the last counted working day.
    #[schema(value_type = String, format = Date)]
    due: chrono::NaiveDate,
    /// The working days counted, in order (make-up days included).
    #[schema(value_type = Vec<String>)]
    counted: Vec<chrono::NaiveDate>,
    /// Every day between `from` and `due` that was not counted, with the reason.
    skipped: Vec<SkippedDto>,
    /// True when the span reaches a year whose holiday arrangement has not
    /// been published or imported yet (only weekends are known there).
    provisional: bool,
}

impl From<Deadline> for DeadlineDto {
    fn from(d: Deadline) -> Self {
        DeadlineDto {
            from: d.start,
            days: d.days,
            due: d.due,
            counted: d.counted,
            skipped: d
                .skipped
                .into_iter()
                .map(|s| SkippedDto {
                    date: s.date,
                    reason: s.reason,
                })
                .collect(),
            provisional: d.provisional,
        }
    }
}

/// Computes a deadline in working days and explains it.
#[utoipa::path(get, path = "/api/v1/workdays/deadline", tag = "workdays", params(DeadlineQuery),
    responses((status = 200, body = DeadlineDto), (status = 400, description = "Bad date or day count", body = ErrorBody)))]
pub async fn deadline(State(state): State<AppState>, Query(q): Query<DeadlineQuery>) -> Result<Json<DeadlineDto>, AppError> {
    let from = q
        .from
        .ok_or_else(|| AppError::invalid("from", "missing parameter `from` (YYYY-MM-DD)").json())?;
    let days = q
        .days
        .ok_or_else(|| AppError::invalid("days", "missing parameter `days` (0..=366)").json())?;
    let (from, days) = parse_deadline_input(&from, &days).map_err(|(field, _)| {
        let msg = if field == "from" {
            "`from` must be a date YYYY-MM-DD between 1949 and 2100"
        } else {
            "`days` must be an integer in 0..=366"
        };
        AppError::invalid(field, msg).json()
    })?;
    let cal = state.calendar().await.api()?;
    Ok(Json(cal.deadline(from, days).into()))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DayDto {
    #[schema(value_type = String, format = Date)]
    date: chrono::NaiveDate,
    working: bool,
    /// `工作日`, `周末`, a holiday's name, or `调休上班（…）`.
    reason: String,
}

impl From<DayInfo> for DayDto {
    fn from(d: DayInfo) -> Self {
        DayDto {
            date: d.date,
            working: d.working,
            reason: d.reason.label(),
        }
    }
}

/// Says whether a date is a working day, and why.
#[utoipa::path(get, path = "/api/v1/workdays/{date}", tag = "workdays",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = DayDto), (status = 400, body = ErrorBody)))]
pub async fn day(State(state): State<AppState>, Path(date): Path<String>) -> Result<Json<DayDto>, AppError> {
    let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("date", "the date must be YYYY-MM-DD").json())?;
    let cal = state.calendar().await.api()?;
    Ok(Json(cal.day(d).into()))
}
