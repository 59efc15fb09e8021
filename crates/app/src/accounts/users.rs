//! User administration (ManageUsers, scoped: a user is managed by whoever may
//! manage users in every unit that user holds a role in).

use super::{grantable_roles, units_in_scope};
use crate::auth::{Session, Staff};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Grant, Role, Scope, Username, may_grant, may_manage_user};
use gongkai_domain::audit::NewEntry;
use gongkai_store::accounts::{GrantRow, User};
use serde::Deserialize;

pub struct UserLine {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub must_change: bool,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersT {
    page: Page,
    users: Vec<UserLine>,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    error: Option<String>,
}

fn role_label(r: &str) -> String {
    r.parse::<Role>()
        .map(|r| r.label_zh().to_string())
        .unwrap_or_else(|_| r.to_string())
}

fn grants_of(rows: &[GrantRow], user_id: i64) -> Vec<Grant> {
    rows.iter()
        .filter(|g| g.user_id == user_id)
        .filter_map(GrantRow::to_grant)
        .collect()
}

/// Is this user visible to the session (any grant inside its ManageUsers scope)?
fn visible(session: &Session, grants: &[Grant]) -> bool {
    session.is_system_admin() || grants.iter().any(|g| session.can(Action::ManageUsers, Scope::Unit(&g.unit_path)))
}

async fn users_page(state: &AppState, session: &Session, ctx: &crate::auth::RequestCtx, error: Option<String>) -> AppResult<Response> {
    if !session.can_somewhere(Action::ManageUsers) {
        return Err(AppError::forbidden());
    }
    let page = admin_page(state, session, ctx, "用户管理").await?;
    let all_grants = state.store.all_grants().await?;
    let users = state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| visible(session, &grants_of(&all_grants, u.id)))
        .map(|u| UserLine {
            id: u.id,
            roles: all_grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(|g| format!("{} · {}", g.unit_name, role_label(&g.role)))
                .collect(),
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            must_change: u.must_change_password,
            last_login: u.last_login_at.unwrap_or_else(|| "从未登录".into()),
        })
        .collect();
    let units = units_in_scope(session, &state.store.list_units().await?, Action::ManageUsers);
    let mut res = render(&UsersT {
        page,
        users,
        roles: grantable_roles(session),
        units,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn list(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    users_page(&state, &session, &ctx, None).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    unit_id: String,
}

pub async fn create(State(state): State<AppState>, Staff(session, ctx): Staff, Form(f): Form<NewUserForm>) -> AppResult<Response> {
    let username = match Username::parse(&f.username) {
        Ok(u) => u,
        Err(e) => return users_page(&state, &session, &ctx, Some(e.message_zh().into())).await,
    };
    let display_name = f.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 32 {
        return users_page(&state, &session, &ctx, Some("姓名不能为空且不超过32个字符".into())).await;
    }
    let Ok(role) = f.role.parse::<Role>() else {
        return users_page(&state, &session, &ctx, Some("角色无效".into())).await;
    };
    let Ok(unit_id) = f.unit_id.trim().parse::<i64>() else {
        return users_page(&state, &session, &ctx, Some("单位无效".into())).await;
    };
    let unit = state.store.get_unit(unit_id).await?;
    session.require(Action::ManageUsers, Scope::Unit(&unit.unit_path()))?;
    if !may_grant(&session.grants, role, &unit.unit_path()) {
        return Err(AppError::forbidden());
    }
    let password = crate::accounts::initial_password();
    let created = crate::accounts::create_user(
        &state.store,
        &session.user.username,
        &username,
        display_name,
        &password,
        role,
        unit_id,
        true,
    )
    .await;
    let user_id = match created {
        Ok(id) => id,
        Err(e) if e.status.as_u16() == 409 => return users_page(&state, &session, &ctx, Some(format!("用户名“{username}”已被使用"))).await,
        Err(e) => return Err(e),
    };
    user_page(&state, &session, &ctx, user_id, Some(password.expose().to_string()), None).await
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserT {
    page: Page,
    user: User,
    grants: Vec<GrantLine>,
    manageable: bool,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    new_password: Option<String>,
    error: Option<String>,
}

pub struct GrantLine {
    pub id: i64,
    pub role: String,
    pub unit: String,
}

/// Loads a user and checks the session may at least see it.
async fn load_target(state: &AppState, session: &Session, id: i64) -> AppResult<(User, Vec<GrantRow>, bool)> {
    let user = state.store.get_user(id).await?;
    let rows = state.store.grants_of(id).await?;
    let grants: Vec<Grant> = rows.iter().filter_map(GrantRow::to_grant).collect();
    if !visible(session, &grants) {
        return Err(AppError::forbidden());
    }
    let manageable = may_manage_user(&session.grants, &grants) && user.id != session.user.id;
    Ok((user, rows, manageable))
}

async fn user_page(
    state: &AppState,
    session: &Session,
    ctx: &crate::auth::RequestCtx,
    id: i64,
    new_password: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let (user, rows, manageable) = load_target(state, session, id).await?;
    let page = admin_page(state, session, ctx, &format!("用户：{}", user.username)).await?;
    let all_units = state.store.list_units().await?;
    let grants = rows
        .iter()
        .map(|g| GrantLine {
            id: g.id,
            role: role_label(&g.role),
            unit: g.unit_name.clone(),
        })
        .collect();
    let mut res = render(&UserT {
        page,
        user,
        grants,
        manageable,
        roles: grantable_roles(session),
        units: units_in_scope(session, &all_units, Action::ManageUsers),
        new_password,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

pub async fn show(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    if !session.can_somewhere(Action::ManageUsers) {
        return Err(AppError::forbidden());
    }
    user_page(&state, &session, &ctx, id, None, None).await
}

async fn require_manageable(state: &AppState, session: &Session, id: i64) -> AppResult<User> {
    let (user, _, manageable) = load_target(state, session, id).await?;
    if !manageable {
        return Err(AppError::forbidden());
    }
    Ok(user)
}

#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    unit_id: String,
}

pub async fn add_grant(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> AppResult<Response> {
    let user = require_manageable(&state, &session, id).await?;
    let (Ok(role), Ok(unit_id)) = (f.role.parse::<Role>(), f.unit_id.trim().parse::<i64>()) else {
        return user_page(&state, &session, &ctx, id, None, Some("角色或单位无效".into())).await;
    };
    let unit = state.store.get_unit(unit_id).await?;
    if !may_grant(&session.grants, role, &unit.unit_path()) || !session.can(Action::ManageUsers, Scope::Unit(&unit.unit_path())) {
        return Err(AppError::forbidden());
    }
    let mut tx = state.store.begin().await?;
    let grant_id = match tx.add_grant(user.id, role, unit_id).await {
        Ok(g) => g,
        Err(gongkai_store::StoreError::Conflict(_)) => {
            return user_page(&state, &session, &ctx, id, None, Some("该用户已拥有此角色".into())).await;
        }
        Err(e) => return Err(e.into()),
    };
    tx.audit(
        NewEntry::new(session.user.username.clone(), "role.grant", "user", user.id)
            .unit(Some(unit_id))
            .detail(serde_json::json!({ "role": role.as_str(), "grant_id": grant_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

pub async fn remove_grant(
    State(state): State<AppState>,
    Staff(session, _ctx): Staff,
    Path((id, grant_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = require_manageable(&state, &session, id).await?;
    let grant = state.store.get_grant(grant_id).await?;
    if grant.user_id != user.id {
        return Err(AppError::not_found());
    }
    let g = grant.to_grant().ok_or_else(AppError::internal)?;
    if !may_grant(&session.grants, g.role, &g.unit_path) {
        return Err(AppError::forbidden());
    }
    let mut tx = state.store.begin().await?;
    tx.remove_grant(grant_id).await?;
    tx.audit(
        NewEntry::new(session.user.username.clone(), "role.revoke", "user", user.id)
            .unit(Some(g.unit_id))
            .detail(serde_json::json!({ "role": g.role.as_str(), "grant_id": grant_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

pub async fn reset_password(State(state): State<AppState>, Staff(session, ctx): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let user = require_manageable(&state, &session, id).await?;
    let password = crate::accounts::initial_password();
    crate::accounts::reset_password(&state.store, &session.user.username, user.id, &password).await?;
    user_page(&state, &session, &ctx, id, Some(password.expose().to_string()), None).await
}

pub async fn set_disabled(state: AppState, session: &Session, id: i64, disabled: bool) -> AppResult<Response> {
    let user = require_manageable(&state, session, id).await?;
    let mut tx = state.store.begin().await?;
    tx.set_user_disabled(user.id, disabled).await?;
    tx.audit(NewEntry::new(
        session.user.username.clone(),
        if disabled { "user.disable" } else { "user.enable" },
        "user",
        user.id,
    ))
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

pub async fn disable(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    set_disabled(state, &session, id, true).await
}

pub async fn enable(State(state): State<AppState>, Staff(session, _): Staff, Path(id): Path<i64>) -> AppResult<Response> {
    set_disabled(state, &session, id, false).await
}
