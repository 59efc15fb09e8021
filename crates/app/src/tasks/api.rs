//! JSON API of the task responsibility list (token-authenticated): plans,
//! the plan tree, the dashboard figures, lagging units and assessment, a
//! row with its entries and timeline, an entry with its history; and the
//! writes a unit's own system may make: new entries, progress reports,
//! and the lead unit's 销号 or return.

use super::admin::{Dashboard, DashboardData};
use super::{EntryInput, PlanData, ReportInput, average_progress, facts_of, may_view, measures_of, names_of, row_state, weights_of};
use crate::auth::ApiUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use gongkai_domain::tasks::{assess, lagging_units};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

fn view(user: &ApiUser) -> Result<(), AppError> {
    if may_view(&user.0) {
        Ok(())
    } else {
        Err(AppError::forbidden().json())
    }
}

fn j(e: impl Into<AppError>) -> AppError {
    e.into().json()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanSummary {
    id: i64,
    year: i64,
    title: String,
    doc_number: Option<String>,
    updated_at: String,
}

/// The plans of the site, newest first.
#[utoipa::path(get, path = "/api/v1/tasks/plans", tag = "tasks",
    responses((status = 200, body = [PlanSummary]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn plans(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<PlanSummary>>, AppError> {
    view(&user)?;
    let site = crate::catalogue::portal::default_site(&state).await.map_err(j)?;
    let plans = state.store.task_plans(site.id).await.map_err(j)?;
    Ok(Json(
        plans
            .into_iter()
            .map(|p| PlanSummary {
                id: p.id,
                year: p.year,
                title: p.title,
                doc_number: p.doc_number,
                updated_at: p.updated_at,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanDto {
    id: i64,
    year: i64,
    title: String,
    doc_number: Option<String>,
    /// Rows in table order: part, item, text, units, due date, state and
    /// entry counts.
    #[schema(value_type = Vec<Object>)]
    rows: Vec<Value>,
    /// Import warnings.
    #[schema(value_type = Vec<Object>)]
    warnings: Vec<Value>,
}

/// A plan with every row and its state.
#[utoipa::path(get, path = "/api/v1/tasks/plans/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = PlanDto), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn plan(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<PlanDto>, AppError> {
    view(&user)?;
    let d = PlanData::load(&state, id).await.map_err(j)?;
    let by_row = d.entries_by_row();
    let rows = d
        .rows
        .iter()
        .map(|r| {
            let es = by_row.get(&r.id).cloned().unwrap_or_default();
            let units = d.row_units.get(&r.id).cloned().unwrap_or_default();
            json!({
                "id": r.id,
                "part": {"ordinal": r.part_ordinal, "title": r.part_title},
                "item": {"ordinal": r.item_ordinal, "title": r.item_title},
                "text": r.text,
                "lead_names": names_of(&r.lead_names),
                "responsible_names": names_of(&r.responsible_names),
                "lead_inherited": r.lead_inherited,
                "responsible_inherited": r.responsible_inherited,
                "lead_unit_ids": units.lead,
                "responsible_unit_ids": units.responsible,
                "due_on": r.due_on,
                "state": row_state(&es, d.today).as_str(),
                "entries": es.len(),
                "closed": es.iter().filter(|e| e.status == "closed").count(),
                "progress": average_progress(&es),
            })
        })
        .collect();
    Ok(Json(PlanDto {
        id: d.plan.id,
        year: d.plan.year,
        title: d.plan.title.clone(),
        doc_number: d.plan.doc_number.clone(),
        rows,
        warnings: serde_json::from_str(&d.plan.warnings).unwrap_or_default(),
    }))
}

/// The dashboard's figures: totals, completion by unit, overdue by month.
#[utoipa::path(get, path = "/api/v1/tasks/plans/{id}/dashboard", tag = "tasks",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn dashboard(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Value>, AppError> {
    view(&user)?;
    let d = DashboardData::load(&state, id).await.map_err(j)?;
    Ok(Json(serde_json::to_value(Dashboard::compute(&d)).unwrap_or_default()))
}

/// The units with overdue or stalled entries now, and the 通报 issued.
#[utoipa::path(get, path = "/api/v1/tasks/plans/{id}/lagging", tag = "tasks",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn lagging(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Value>, AppError> {
    view(&user)?;
    let d = PlanData::load(&state, id).await.map_err(j)?;
    let notices = state.store.task_notices(id).await.map_err(j)?;
    let lagging: Vec<Value> = lagging_units(&d.facts(), d.today)
        .into_iter()
        .map(|l| json!({"unit_id": l.unit_id, "unit": d.unit_name(l.unit_id), "entries": l.entries, "overdue": l.overdue, "stalled": l.stalled}))
        .collect();
    Ok(Json(json!({
        "as_of": d.today.to_string(),
        "units": lagging,
        "notices": notices.iter().map(|n| json!({"id": n.id, "title": n.title, "as_of": n.as_of, "document_id": n.document_id})).collect::<Vec<_>>(),
    })))
}

/// The year-end assessment with the plan's weights.
#[utoipa::path(get, path = "/api/v1/tasks/plans/{id}/assessment", tag = "tasks",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn assessment(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Value>, AppError> {
    view(&user)?;
    let d = PlanData::load(&state, id).await.map_err(j)?;
    let w = weights_of(&d.plan);
    let scores: Vec<Value> = assess(&d.facts(), w, d.today)
        .into_iter()
        .map(|s| {
            let mut v = serde_json::to_value(&s).unwrap_or_default();
            v["unit"] = json!(d.unit_name(s.unit_id));
            v
        })
        .collect();
    Ok(Json(json!({"weights": w, "scores": scores})))
}

fn event_json(e: &gongkai_store::tasks::TaskEventRow) -> Value {
    json!({
        "id": e.id, "kind": e.kind, "on": e.occurred_on, "entry_id": e.entry_id, "unit_id": e.unit_id,
        "progress": e.progress, "achieved": e.achieved, "note": e.note, "document_id": e.document_id,
        "file_name": e.file_name, "actor": e.actor,
    })
}

fn entry_json(e: &gongkai_store::tasks::TaskEntryRow, today: chrono::NaiveDate) -> Value {
    let f = facts_of(e);
    json!({
        "id": e.id, "row_id": e.row_id, "unit_id": e.unit_id, "measure_no": e.measure_no, "title": e.title,
        "owner": e.owner, "due_on": e.due_on, "target": {"kind": e.target_kind, "count": e.target_count},
        "achieved": e.achieved, "progress": e.progress, "status": e.status, "has_evidence": e.has_evidence,
        "last_report_on": e.last_report_on, "submitted_on": e.submitted_on, "closed_on": e.closed_on,
        "overdue": f.overdue(today), "stalled": f.stalled(today),
    })
}

/// A row: measures with their time limits, units, entries and timeline.
#[utoipa::path(get, path = "/api/v1/tasks/rows/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Row id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn row(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Value>, AppError> {
    view(&user)?;
    let r = state.store.task_row(id).await.map_err(j)?;
    let units = state.store.task_row_units(id).await.map_err(j)?;
    let entries = state.store.task_entries(r.plan_id, Some(id)).await.map_err(j)?;
    let events = state.store.task_row_events(id).await.map_err(j)?;
    let today = state.clock.now().date_naive();
    Ok(Json(json!({
        "id": r.id, "plan_id": r.plan_id, "text": r.text, "due_on": r.due_on, "withdrawn": r.withdrawn,
        "measures": measures_of(&r),
        "units": units.iter().map(|u| json!({"unit_id": u.unit_id, "role": u.role, "via": u.via})).collect::<Vec<_>>(),
        "entries": entries.iter().map(|e| entry_json(e, today)).collect::<Vec<_>>(),
        "timeline": events.iter().map(event_json).collect::<Vec<_>>(),
    })))
}

/// An entry with its history.
#[utoipa::path(get, path = "/api/v1/tasks/entries/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn entry(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Value>, AppError> {
    view(&user)?;
    let e = state.store.task_entry(id).await.map_err(j)?;
    let events = state.store.task_entry_events(id).await.map_err(j)?;
    let mut v = entry_json(&e, state.clock.now().date_naive());
    v["events"] = json!(events.iter().map(event_json).collect::<Vec<_>>());
    Ok(Json(v))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewEntryBody {
    unit_id: i64,
    title: String,
    owner: String,
    /// YYYY-MM-DD.
    due_on: String,
    /// `count`, `document` or `yes_no`.
    target_kind: String,
    target_count: Option<u32>,
    /// Index of the row's measure this entry carries out.
    measure_no: Option<u32>,
}

/// Adds an entry to a unit's 细化清单 (staff of that unit).
#[utoipa::path(post, path = "/api/v1/tasks/rows/{id}/entries", tag = "tasks",
    params(("id" = i64, Path, description = "Row id")), request_body = NewEntryBody,
    responses((status = 201, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_entry(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<NewEntryBody>,
) -> Result<(axum::http::StatusCode, Json<Value>), AppError> {
    let r = state.store.task_row(id).await.map_err(j)?;
    let input = EntryInput {
        unit_id: b.unit_id,
        title: b.title,
        owner: b.owner,
        due_on: b.due_on,
        target_kind: b.target_kind,
        target_count: b.target_count.map(|c| c.to_string()),
        measure_no: b.measure_no.map(|m| m.to_string()),
    };
    match super::create_entry(&state, &user.0, &r, &input).await.map_err(j)? {
        Ok(eid) => {
            let e = state.store.task_entry(eid).await.map_err(j)?;
            Ok((
                axum::http::StatusCode::CREATED,
                Json(entry_json(&e, state.clock.now().date_naive())),
            ))
        }
        Err((field, m)) => Err(AppError::invalid(field, m).json()),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReportBody {
    /// 0–100.
    progress: u8,
    /// For count targets: how many are done (decides the progress).
    achieved: Option<u32>,
    #[serde(default)]
    note: String,
    /// A published catalogue document as evidence.
    document_id: Option<i64>,
    /// Ask the lead unit for 销号.
    #[serde(default)]
    submit: bool,
}

/// Reports progress on an entry (staff of its unit).
#[utoipa::path(post, path = "/api/v1/tasks/entries/{id}/reports", tag = "tasks",
    params(("id" = i64, Path, description = "Entry id")), request_body = ReportBody,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReportBody>,
) -> Result<Json<Value>, AppError> {
    let e = state.store.task_entry(id).await.map_err(j)?;
    if b.progress > 100 {
        return Err(AppError::invalid("progress", "progress must be an integer from 0 to 100").json());
    }
    let input = ReportInput {
        progress: b.progress,
        achieved: b.achieved,
        note: b.note,
        document_id: b.document_id,
        file: None,
        submit: b.submit,
    };
    match super::report(&state, &user.0, &e, input).await.map_err(j)? {
        Ok(()) => {
            let e = state.store.task_entry(id).await.map_err(j)?;
            Ok(Json(entry_json(&e, state.clock.now().date_naive())))
        }
        Err(m) => Err(AppError::new(axum::http::StatusCode::CONFLICT, "tasks.rejected", m).json()),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// `close` (销号) or `return`.
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The lead unit confirms 销号 or returns a submitted entry.
#[utoipa::path(post, path = "/api/v1/tasks/entries/{id}/review", tag = "tasks",
    params(("id" = i64, Path, description = "Entry id")), request_body = ReviewBody,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReviewBody>,
) -> Result<Json<Value>, AppError> {
    let confirm = match b.decision.as_str() {
        "close" => true,
        "return" => false,
        _ => return Err(AppError::invalid("decision", "decision must be close or return").json()),
    };
    let e = state.store.task_entry(id).await.map_err(j)?;
    match super::review(&state, &user.0, &e, confirm, &b.comment).await.map_err(j)? {
        Ok(()) => {
            let e = state.store.task_entry(id).await.map_err(j)?;
            Ok(Json(entry_json(&e, state.clock.now().date_naive())))
        }
        Err(m) => Err(AppError::new(axum::http::StatusCode::CONFLICT, "tasks.rejected", m).json()),
    }
}
