//! The audit log page: filters by actor, unit, action, object and date, and
//! an integrity check of the whole chain.

use crate::accounts::tree_order;
use crate::auth::{Session, Staff};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use gongkai_domain::accounts::{Action, Scope};
use gongkai_store::audit::AuditFilter;
use serde::Deserialize;

const PAGE_SIZE: u64 = 50;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    object_type: Option<String>,
    object_id: Option<String>,
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u64>,
}

impl AuditQuery {
    #[allow(clippy::too_many_arguments)]
    pub fn from_api(
        actor: Option<String>,
        action: Option<String>,
        object_type: Option<String>,
        object_id: Option<String>,
        unit: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Self {
        AuditQuery {
            actor,
            action,
            object_type,
            object_id,
            unit,
            from,
            to,
            page: None,
        }
    }
}

pub struct Line {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub unit: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditT {
    page: Page,
    entries: Vec<Line>,
    units: Vec<(i64, String, bool)>,
    total: i64,
    page_no: u64,
    prev_link: Option<String>,
    next_link: Option<String>,
    f_actor: String,
    f_action: String,
    f_object_type: String,
    f_object_id: String,
    f_from: String,
    f_to: String,
    show_verify: bool,
    verify: Option<(bool, String)>,
}

/// The filter for a query, restricted to the session's ViewAudit scope.
/// Returns a Chinese message for malformed dates.
pub fn scoped_filter(session: &Session, units: &[gongkai_store::accounts::Unit], q: &AuditQuery) -> Result<AuditFilter, String> {
    let date = |s: &Option<String>, label: &str| -> Result<Option<chrono::NaiveDate>, String> {
        match s.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{label}格式不正确，应为 YYYY-MM-DD")),
        }
    };
    let scope: Option<Vec<i64>> = if session.is_system_admin() {
        None
    } else {
        Some(
            units
                .iter()
                .filter(|u| session.can(Action::ViewAudit, Scope::Unit(&u.unit_path())))
                .map(|u| u.id)
                .collect(),
        )
    };
    let unit: Option<i64> = q.unit.as_deref().and_then(|u| u.trim().parse().ok());
    let unit_ids = match (scope, unit) {
        (None, None) => None,
        (None, Some(u)) => Some(vec![u]),
        (Some(s), None) => Some(s),
        (Some(s), Some(u)) => Some(s.into_iter().filter(|id| *id == u).collect()),
    };
    Ok(AuditFilter {
        actor: q.actor.clone(),
        unit_ids,
        action: q.action.clone(),
        object_type: q.object_type.clone(),
        object_id: q.object_id.clone(),
        from: date(&q.from, "起始日期")?,
        to: date(&q.to, "截止日期")?,
    })
}

pub async fn list(State(state): State<AppState>, Staff(session, ctx): Staff, Query(q): Query<AuditQuery>) -> AppResult<Response> {
    render_list(&state, &session, &ctx, q, None).await
}

async fn render_list(
    state: &AppState,
    session: &Session,
    ctx: &crate::auth::RequestCtx,
    q: AuditQuery,
    verify: Option<(bool, String)>,
) -> AppResult<Response> {
    if !session.can_somewhere(Action::ViewAudit) {
        return Err(AppError::forbidden());
    }
    let mut page = admin_page(state, session, ctx, "审计日志").await?;
    let units = state.store.list_units().await?;
    let filter = match scoped_filter(session, &units, &q) {
        Ok(f) => f,
        Err(msg) => {
            page = page.flash("error", msg);
            AuditFilter {
                unit_ids: Some(vec![]),
                ..Default::default()
            }
        }
    };
    let page_no = q.page.unwrap_or(1).max(1);
    let total = state.store.audit_count(&filter).await?;
    let names: std::collections::HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let entries = state
        .store
        .audit_entries(&filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?
        .into_iter()
        .map(|e| Line {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            object: format!("{} #{}", e.object_type, e.object_id),
            unit: e.unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
            detail: e.detail,
        })
        .collect();
    let selected: Option<i64> = q.unit.as_deref().and_then(|u| u.trim().parse().ok());
    let unit_opts = tree_order(&units)
        .into_iter()
        .filter(|u| session.can(Action::ViewAudit, Scope::Unit(&u.unit_path())))
        .map(|u| (u.id, u.name.clone(), Some(u.id) == selected))
        .collect();
    let link = |p: u64| {
        let mut s = format!("/admin/audit?page={p}");
        for (k, v) in [
            ("actor", &q.actor),
            ("action", &q.action),
            ("object_type", &q.object_type),
            ("object_id", &q.object_id),
            ("unit", &q.unit),
            ("from", &q.from),
            ("to", &q.to),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.push_str(&format!("&{k}={}", urlencoding::encode(v)));
            }
        }
        s
    };
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    render(&AuditT {
        page,
        entries,
        units: unit_opts,
        total,
        page_no,
        prev_link: (page_no > 1).then(|| link(page_no - 1)),
        next_link: ((page_no * PAGE_SIZE) < total as u64).then(|| link(page_no + 1)),
        f_actor: s(&q.actor),
        f_action: s(&q.action),
        f_object_type: s(&q.object_type),
        f_object_id: s(&q.object_id),
        f_from: s(&q.from),
        f_to: s(&q.to),
        show_verify: session.is_system_admin(),
        verify,
    })
}

/// Verifies the whole chain (system administrators; it reads every entry).
pub async fn verify(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    session.require(Action::ViewAudit, Scope::Global)?;
    let result = match state.store.verify_audit().await? {
        Ok(n) => (true, format!("审计日志完整：已校验 {n} 条记录，哈希链未被篡改。")),
        Err(e) => (false, format!("审计日志校验失败：第 {} 条记录起哈希链断裂（{e}）。", e.seq())),
    };
    render_list(&state, &session, &ctx, AuditQuery::default(), Some(result)).await
}
