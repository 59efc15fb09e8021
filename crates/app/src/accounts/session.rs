//! Login and logout pages.

use crate::auth::{RequestCtx, SESSION_COOKIE, hash_token, random_token, safe_next, set_cookie};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{LOCKOUT_WINDOW_MINUTES, dummy_hash, is_locked_out, verify_password};
use gongkai_domain::audit::NewEntry;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginT {
    page: Page,
    error: Option<String>,
    next: String,
    username: String,
    idle_minutes: i64,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    changed: Option<String>,
}

pub async fn login_page(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<LoginQuery>) -> AppResult<Response> {
    if ctx.session.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let mut page = portal_page(&state, &ctx, "工作人员登录").await?;
    if q.expired.is_some() || ctx.expired {
        page = page.flash("warn", "登录已超时，请重新登录");
    } else if q.changed.is_some() {
        page = page.flash("ok", "密码已修改，请使用新密码登录");
    }
    render(&LoginT {
        page,
        error: None,
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        idle_minutes: state.config.idle_timeout_minutes,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// Outcome of a login attempt, decided before any response is built.
pub enum LoginOutcome {
    Ok { user_id: i64, must_change: bool },
    Locked,
    Failed,
}

/// Checks credentials with lockout, records the attempt and audits it.
/// Shared by the login page and tests.
pub async fn attempt_login(state: &AppState, username: &str, password: &str) -> AppResult<LoginOutcome> {
    let name = username.trim().to_ascii_lowercase();
    let now = state.clock.now();
    let failures = state
        .store
        .failed_logins_since(&name, now - chrono::Duration::minutes(LOCKOUT_WINDOW_MINUTES))
        .await?;
    let user = state.store.user_by_username(&name).await?;
    if is_locked_out(failures as usize) {
        state.store.record_login_attempt(&name, false, now).await?;
        if let Some(u) = &user {
            state
                .store
                .audit(NewEntry::new(u.username.clone(), "login.locked", "user", u.id))
                .await?;
        }
        return Ok(LoginOutcome::Locked);
    }
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let attempt = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&attempt, &hash))
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    match user {
        Some(u) if ok && !u.disabled => {
            state.store.record_login_attempt(&name, true, now).await?;
            let mut tx = state.store.begin().await?;
            tx.mark_login(u.id).await?;
            tx.audit(NewEntry::new(u.username.clone(), "login.success", "user", u.id)).await?;
            tx.commit().await?;
            Ok(LoginOutcome::Ok {
                user_id: u.id,
                must_change: u.must_change_password,
            })
        }
        Some(u) => {
            state.store.record_login_attempt(&name, false, now).await?;
            let reason = if u.disabled { "disabled" } else { "bad_password" };
            state
                .store
                .audit(NewEntry::new(u.username.clone(), "login.failed", "user", u.id).detail(serde_json::json!({ "reason": reason })))
                .await?;
            Ok(LoginOutcome::Failed)
        }
        None => {
            // The attempted name is not recorded in the audit log: people
            // sometimes type their password into the username field.
            state.store.record_login_attempt(&name, false, now).await?;
            state
                .store
                .audit(NewEntry::new("anonymous", "login.failed", "user", "-").detail(serde_json::json!({ "reason": "unknown_user" })))
                .await?;
            Ok(LoginOutcome::Failed)
        }
    }
}

pub async fn login(State(state): State<AppState>, ctx: RequestCtx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let outcome = attempt_login(&state, &f.username, &f.password).await?;
    let error = match outcome {
        LoginOutcome::Ok { user_id, must_change } => {
            let token = random_token();
            state
                .store
                .create_session(&hash_token(&token), user_id, &random_token(), state.clock.now())
                .await?;
            let target = if must_change { "/admin/account/password".to_string() } else { next };
            let mut res = Redirect::to(&target).into_response();
            res.headers_mut()
                .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, ctx.secure, true, None));
            return Ok(res);
        }
        LoginOutcome::Locked => format!("登录失败次数过多，账户已被锁定，请{LOCKOUT_WINDOW_MINUTES}分钟后再试"),
        LoginOutcome::Failed => "用户名或密码错误，或账户已停用".to_string(),
    };
    let page = portal_page(&state, &ctx, "工作人员登录").await?;
    let mut res = render(&LoginT {
        page,
        error: Some(error),
        next,
        username: f.username.chars().take(32).collect(),
        idle_minutes: state.config.idle_timeout_minutes,
    })?;
    *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    Ok(res)
}

pub async fn logout(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    if let Some(s) = &ctx.session {
        state.store.delete_session(&s.token_hash).await?;
        state
            .store
            .audit(NewEntry::new(s.user.username.clone(), "logout", "user", s.user.id))
            .await
            .map_err(AppError::from)?;
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", ctx.secure, true, Some(0)));
    Ok(res)
}
