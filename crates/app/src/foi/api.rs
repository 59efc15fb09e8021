//! JSON API of disclosure on application: the public fee estimator, the
//! public status of a case by reference number, and, for handlers with a
//! token, the case with its clock.

use crate::auth::ApiUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use gongkai_domain::foi::{ExplainLine, FeeBand, FeeMethod, estimate};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FeeParams {
    /// `per_item` (按件) or `per_page` (按量).
    method: Option<String>,
    /// For per_item: the application's place among the applicant's
    /// applications in the natural month (1, 2, …).
    nth: Option<String>,
    /// For per_page: the number of pages.
    pages: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BandDto {
    /// First item or page of the band.
    from: u32,
    /// Last item or page of the band (absent for the open-ended band).
    to: Option<u32>,
    /// Price per item or page in yuan.
    unit_yuan: u64,
    /// Items or pages charged in this band.
    count: u32,
    subtotal: u64,
}

impl From<&FeeBand> for BandDto {
    fn from(b: &FeeBand) -> Self {
        BandDto {
            from: b.from,
            to: b.to,
            unit_yuan: b.unit_yuan,
            count: b.count,
            subtotal: b.subtotal,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeeDto {
    method: String,
    n: u32,
    fee_yuan: u64,
    bands: Vec<BandDto>,
}

fn count(field: &str, v: Option<&str>) -> Result<u32, AppError> {
    let v = v.ok_or_else(|| AppError::invalid(field, format!("{field} is required for this method")).json())?;
    v.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or_else(|| AppError::invalid(field, format!("{field} must be an integer from 1 to 1000000")).json())
}

/// Estimates the information processing fee (国办函〔2020〕109号).
#[utoipa::path(get, path = "/api/v1/fees/estimate", tag = "foi", params(FeeParams),
    responses((status = 200, body = FeeDto), (status = 400, body = ErrorBody)))]
pub async fn fee_estimate(Query(q): Query<FeeParams>) -> Result<Json<FeeDto>, AppError> {
    let method = match q.method.as_deref() {
        Some(m) => FeeMethod::parse(m.trim()).ok_or_else(|| AppError::invalid("method", "method must be per_item or per_page").json())?,
        None => return Err(AppError::invalid("method", "method is required (per_item or per_page)").json()),
    };
    let n = match method {
        FeeMethod::PerItem => {
            if q.pages.is_some() {
                return Err(AppError::invalid("pages", "per_item takes nth, not pages").json());
            }
            count("nth", q.nth.as_deref())?
        }
        FeeMethod::PerPage => {
            if q.nth.is_some() {
                return Err(AppError::invalid("nth", "per_page takes pages, not nth").json());
            }
            count("pages", q.pages.as_deref())?
        }
    };
    let e = estimate(method, n);
    Ok(Json(FeeDto {
        method: method.as_str().into(),
        n,
        fee_yuan: e.fee_yuan,
        bands: e.bands.iter().map(BandDto::from).collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusDto {
    ref_no: String,
    status: String,
    submitted_on: String,
    received_on: Option<String>,
    due_on: Option<String>,
    concluded_on: Option<String>,
    outcome: Option<String>,
    overdue: bool,
    /// How the due date was reached, step by step (Chinese).
    explanation: Vec<String>,
}

/// The public status of an application (no personal data).
#[utoipa::path(get, path = "/api/v1/foi/status/{ref_no}", tag = "foi",
    params(("ref_no" = String, Path, description = "Reference number")),
    responses((status = 200, body = StatusDto), (status = 404, body = ErrorBody)))]
pub async fn status(State(state): State<AppState>, Path(ref_no): Path<String>) -> Result<Json<StatusDto>, AppError> {
    let s = super::portal::public_status(&state, ref_no.trim())
        .await
        .map_err(AppError::json)?
        .ok_or_else(|| AppError::not_found().json())?;
    Ok(Json(StatusDto {
        ref_no: s.ref_no,
        status: s.status.into(),
        submitted_on: s.submitted_on,
        received_on: s.received_on,
        due_on: s.due_on,
        concluded_on: s.concluded_on,
        outcome: s.outcome,
        overdue: s.overdue,
        explanation: s.explanation.into_iter().map(|l: ExplainLine| l.text).collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseDto {
    id: i64,
    ref_no: String,
    unit_id: i64,
    channel: String,
    applicant_type: String,
    applicant_name: String,
    description: String,
    status: String,
    received_on: Option<String>,
    due_on: Option<String>,
    overdue: bool,
    outcome: Option<String>,
    concluded_on: Option<String>,
    fee_yuan: Option<i64>,
    explanation: Vec<String>,
    events: Vec<EventDto>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventDto {
    kind: String,
    on: String,
    days: Option<i64>,
    note: Option<String>,
}

/// A case with its clock and history (handlers of the case only).
#[utoipa::path(get, path = "/api/v1/foi/cases/{id}", tag = "foi",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn case(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<CaseDto>, AppError> {
    let (c, may_handle, _) = super::load_case(&state, &user.0, id).await.map_err(AppError::json)?;
    if !may_handle {
        return Err(AppError::forbidden().json());
    }
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await.map_err(|e| AppError::from(e).json())?;
    let events = state.store.foi_events(id).await.map_err(|e| AppError::from(e).json())?;
    let clock = super::clock_of(&cal, &c.channel, &events, today).map_err(AppError::json)?;
    Ok(Json(CaseDto {
        id: c.id,
        ref_no: c.ref_no,
        unit_id: c.unit_id,
        channel: c.channel,
        applicant_type: c.applicant_type,
        applicant_name: c.applicant_name,
        description: c.description,
        status: c.status,
        received_on: c.received_on,
        due_on: c.due_on,
        overdue: clock.as_ref().is_some_and(|k| k.overdue),
        outcome: c.outcome,
        concluded_on: c.concluded_on,
        fee_yuan: c.fee_yuan,
        explanation: clock
            .map(|k| k.explanation.into_iter().map(|l| l.text).collect())
            .unwrap_or_default(),
        events: events
            .into_iter()
            .map(|e| EventDto {
                kind: e.kind,
                on: e.occurred_on,
                days: e.days,
                note: e.note,
            })
            .collect(),
    }))
}
