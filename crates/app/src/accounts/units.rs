//! Unit administration (ManageUnits, scoped to the unit subtree).

use super::{kind_options, opt_id, tree_order, units_in_scope};
use crate::auth::{Session, Staff};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Scope, UnitCode, UnitKind, UnitName};
use gongkai_domain::audit::NewEntry;
use gongkai_store::accounts::{NewUnit, Unit};
use serde::Deserialize;

pub struct UnitLine {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub code: String,
    pub phone: String,
    pub active: bool,
    pub indent: usize,
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "admin/units.html")]
struct UnitsT {
    page: Page,
    units: Vec<UnitLine>,
    parents: Vec<(i64, String)>,
    can_root: bool,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn units_page(state: &AppState, session: &Session, ctx: &crate::auth::RequestCtx, error: Option<String>) -> AppResult<Response> {
    if !session.can_somewhere(Action::ManageUnits) {
        return Err(AppError::forbidden());
    }
    let page = admin_page(state, session, ctx, "单位管理").await?;
    let all = state.store.list_units().await?;
    let units = tree_order(&all)
        .into_iter()
        .map(|u| UnitLine {
            id: u.id,
            name: u.name.clone(),
            kind: u.kind().label_zh(),
            code: u.code.clone(),
            phone: u.phone.clone().unwrap_or_default(),
            active: u.active,
            indent: u.depth().saturating_sub(1) * 2,
            editable: session.can(Action::ManageUnits, Scope::Unit(&u.unit_path())),
        })
        .collect();
    let parents = units_in_scope(session, &all, Action::ManageUnits);
    let mut res = render(&UnitsT {
        page,
        units,
        parents,
        can_root: session.is_system_admin(),
        kinds: kind_options(),
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn list(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    units_page(&state, &session, &ctx, None).await
}

#[derive(Deserialize)]
pub struct NewUnitForm {
    parent_id: Option<String>,
    name: String,
    code: String,
    kind: String,
    phone: Option<String>,
}

pub async fn create(State(state): State<AppState>, Staff(session, ctx): Staff, Form(f): Form<NewUnitForm>) -> AppResult<Response> {
    let parent = match opt_id(&f.parent_id) {
        Ok(p) => p,
        Err(_) => return units_page(&state, &session, &ctx, Some("上级单位无效".into())).await,
    };
    // Scope: a new unit sits under its parent; a root unit needs a system admin.
    match parent {
        Some(pid) => {
            let p = state.store.get_unit(pid).await?;
            session.require(Action::ManageUnits, Scope::Unit(&p.unit_path()))?;
        }
        None => session.require(Action::ManageUnits, Scope::Global)?,
    }
    let input = (|| -> Result<NewUnit, String> {
        Ok(NewUnit {
            parent_id: parent,
            name: UnitName::parse(&f.name).map_err(str::to_string)?,
            code: UnitCode::parse(&f.code).map_err(str::to_string)?,
            kind: UnitKind::parse(&f.kind).ok_or("单位类型无效")?,
            phone: f.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string),
            sort_order: 0,
        })
    })();
    let new = match input {
        Ok(n) => n,
        Err(e) => return units_page(&state, &session, &ctx, Some(e)).await,
    };
    let unit = match create_unit_audited(&state, &session.user.username, &new).await {
        Ok(u) => u,
        Err(e) if matches!(e.status.as_u16(), 409) => {
            return units_page(
                &state,
                &session,
                &ctx,
                Some("单位代码已被使用，或同一上级单位下已有同名单位".into()),
            )
            .await;
        }
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&format!("/admin/units/{}", unit.id)).into_response())
}

/// Creates a unit and audits it; used by the page, the CLI and the demo.
pub async fn create_unit_audited(state: &AppState, actor: &str, new: &NewUnit) -> AppResult<Unit> {
    let mut tx = state.store.begin().await?;
    let unit = tx.create_unit(new).await?;
    tx.audit(
        NewEntry::new(actor, "unit.create", "unit", unit.id)
            .unit(Some(unit.id))
            .detail(serde_json::json!({ "name": unit.name, "code": unit.code, "kind": unit.kind, "parent_id": unit.parent_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(unit)
}

#[derive(Template)]
#[template(path = "admin/unit_edit.html")]
struct EditT {
    page: Page,
    unit: Unit,
    phone: String,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

pub async fn edit_page(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let unit = state.store.get_unit(id).await?;
    session.require(Action::ManageUnits, Scope::Unit(&unit.unit_path()))?;
    let page = admin_page(&state, &session, &ctx, "编辑单位").await?;
    let phone = unit.phone.clone().unwrap_or_default();
    render(&EditT {
        page,
        unit,
        phone,
        kinds: kind_options(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct EditForm {
    name: String,
    kind: String,
    phone: Option<String>,
    sort_order: Option<String>,
    active: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> AppResult<Response> {
    let unit = state.store.get_unit(id).await?;
    session.require(Action::ManageUnits, Scope::Unit(&unit.unit_path()))?;
    let parsed = (|| -> Result<(UnitName, UnitKind, i64), String> {
        let name = UnitName::parse(&f.name).map_err(str::to_string)?;
        let kind = UnitKind::parse(&f.kind).ok_or("单位类型无效")?;
        let sort = match f.sort_order.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(s) => s.parse().map_err(|_| "排序号应为整数".to_string())?,
        };
        Ok((name, kind, sort))
    })();
    let (name, kind, sort) = match parsed {
        Ok(v) => v,
        Err(e) => {
            let page = admin_page(&state, &session, &ctx, "编辑单位").await?;
            let phone = f.phone.clone().unwrap_or_default();
            let mut res = render(&EditT {
                page,
                unit,
                phone,
                kinds: kind_options(),
                error: Some(e),
            })?;
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            return Ok(res);
        }
    };
    let phone = f.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let active = f.active.is_some();
    let mut tx = state.store.begin().await?;
    tx.update_unit(id, &name, kind, phone, sort, active).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "unit.update", "unit", id)
            .unit(Some(id))
            .detail(serde_json::json!({ "name": name.as_str(), "kind": kind.as_str(), "active": active, "sort_order": sort })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/units").into_response())
}
