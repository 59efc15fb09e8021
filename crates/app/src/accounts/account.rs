//! My account: password change (forced for initial passwords) and API tokens.

use crate::auth::Staff;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Password, Username, verify_password};
use gongkai_domain::audit::NewEntry;
use serde::Deserialize;

pub struct TokenLine {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountT {
    page: Page,
    username: String,
    display_name: String,
    password_changed_at: String,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    error: Option<String>,
}

async fn account_page(state: &AppState, staff: &Staff, new_token: Option<String>, error: Option<String>) -> AppResult<Response> {
    let Staff(session, ctx) = staff;
    let page = admin_page(state, session, ctx, "我的账户").await?;
    let user = state.store.get_user(session.user.id).await?;
    let tokens = state
        .store
        .tokens_of(user.id)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            last_used: t.last_used_at.unwrap_or_else(|| "未使用".into()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    render(&AccountT {
        page,
        username: user.username,
        display_name: user.display_name,
        password_changed_at: user.password_changed_at,
        tokens,
        new_token,
        error,
    })
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    account_page(&state, &staff, None, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    label: String,
}

/// Creates an API token for the current user (shown once).
pub async fn create_token(State(state): State<AppState>, staff: Staff, Form(f): Form<TokenForm>) -> AppResult<Response> {
    let label = f.label.trim();
    if label.is_empty() || label.chars().count() > 64 {
        return account_page(&state, &staff, None, Some("用途说明不能为空且不超过64个字符".into())).await;
    }
    let token = crate::accounts::create_token(&state.store, &staff.0.user.username, staff.0.user.id, label).await?;
    account_page(&state, &staff, Some(token), None).await
}

pub async fn revoke_token(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let t = state.store.get_token(id).await?;
    if t.user_id != staff.0.user.id {
        return Err(AppError::not_found());
    }
    crate::accounts::revoke_token(&state.store, &staff.0.user.username, id).await?;
    Ok(Redirect::to("/admin/account").into_response())
}

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordT {
    page: Page,
    forced: bool,
    error: Option<String>,
}

pub async fn password_page(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    let page = admin_page(&state, &session, &ctx, "修改密码").await?;
    render(&PasswordT {
        page,
        forced: session.user.must_change_password,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Staff(session, ctx): Staff,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let user = state.store.get_user(session.user.id).await?;
    let username = Username::parse(&user.username).ok();
    let hash = user.password_hash.clone();
    let current = f.current.clone();
    let current_ok = tokio::task::spawn_blocking(move || verify_password(&current, &hash))
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let error = if !current_ok {
        Some("当前密码不正确".to_string())
    } else if f.new != f.confirm {
        Some("两次输入的新密码不一致".to_string())
    } else if f.new == f.current {
        Some("新密码不能与当前密码相同".to_string())
    } else {
        match Password::parse(&f.new, username.as_ref()) {
            Ok(p) => {
                let hash = crate::accounts::hash_blocking(p).await?;
                let mut tx = state.store.begin().await?;
                tx.set_password(user.id, &hash, false).await?;
                tx.audit(NewEntry::new(user.username.clone(), "user.change_password", "user", user.id))
                    .await?;
                tx.commit().await?;
                // set_password ended every session, this one included.
                let mut res = Redirect::to("/login?next=/admin&changed=1").into_response();
                res.headers_mut().append(
                    axum::http::header::SET_COOKIE,
                    crate::auth::set_cookie(crate::auth::SESSION_COOKIE, "", ctx.secure, true, Some(0)),
                );
                return Ok(res);
            }
            Err(e) => Some(e.message_zh().to_string()),
        }
    };
    let page = admin_page(&state, &session, &ctx, "修改密码").await?;
    let mut res = render(&PasswordT {
        page,
        forced: session.user.must_change_password,
        error,
    })?;
    *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    Ok(res)
}
