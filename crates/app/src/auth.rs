//! Sessions, CSRF protection, API tokens and the extractors handlers use to
//! learn who is asking.
//!
//! * A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie
//!   (Secure behind HTTPS); the database keeps only its BLAKE3 hash, so app
//!   nodes stay stateless. Sessions end after the idle timeout (30 minutes by
//!   default) or 12 hours, on logout, password change and when disabled.
//! * Every state-changing request authenticated by cookie must carry the CSRF
//!   token (form field `csrf` or header `X-CSRF-Token`): the session's token
//!   when logged in, otherwise the `gk_csrf` cookie's (double submit).
//! * Machine clients send `Authorization: Bearer <token>`; tokens are stored
//!   hashed and can be revoked.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::{Action, Grant, SESSION_MAX_HOURS, Scope, authorize};
use gongkai_store::accounts::{GrantRow, User};
use rand::RngCore;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "gk_session";
pub const CSRF_COOKIE: &str = "gk_csrf";
pub const A11Y_COOKIE: &str = "gk_a11y";
/// Largest form body the CSRF guard buffers (uploads use multipart with the
/// header or query token instead).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// A logged-in user, with their grants.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub csrf: String,
    pub user: User,
    pub grants: Vec<Grant>,
    pub grant_rows: Vec<GrantRow>,
}

impl Session {
    pub fn can(&self, action: Action, scope: Scope<'_>) -> bool {
        authorize(&self.grants, action, scope)
    }

    pub fn is_system_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == gongkai_domain::accounts::Role::SystemAdmin)
    }

    /// Does any grant allow `action` somewhere? (For showing menu entries.)
    pub fn can_somewhere(&self, action: Action) -> bool {
        self.grants
            .iter()
            .any(|g| g.role.allows(action) && (!action.is_global() || g.role == gongkai_domain::accounts::Role::SystemAdmin))
    }

    pub fn require(&self, action: Action, scope: Scope<'_>) -> Result<(), AppError> {
        if self.can(action, scope) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// What the session layer learned about a request; every page reads it.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub session: Option<Arc<Session>>,
    /// The token forms must echo back.
    pub csrf: String,
    pub secure: bool,
    pub a11y: A11y,
    /// The session cookie named a session that has expired.
    pub expired: bool,
    pub path: String,
}

/// 适老化 display preferences, kept in a cookie so they work without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct A11y {
    /// 0 normal, 1 large, 2 extra large.
    pub font: u8,
    pub high_contrast: bool,
    pub wide_spacing: bool,
}

impl A11y {
    pub fn parse(cookie: &str) -> A11y {
        let mut a = A11y::default();
        for part in cookie.split('.') {
            match part {
                "f1" => a.font = 1,
                "f2" => a.font = 2,
                "hc" => a.high_contrast = true,
                "ws" => a.wide_spacing = true,
                _ => {}
            }
        }
        a
    }

    pub fn encode(&self) -> String {
        let mut parts = vec![format!("f{}", self.font.min(2))];
        if self.high_contrast {
            parts.push("hc".into());
        }
        if self.wide_spacing {
            parts.push("ws".into());
        }
        parts.join(".")
    }

    /// CSS classes for the `<html>` element.
    pub fn classes(&self) -> String {
        let mut c = vec![match self.font {
            1 => "font-l",
            2 => "font-xl",
            _ => "font-n",
        }];
        if self.high_contrast {
            c.push("contrast-high");
        }
        if self.wide_spacing {
            c.push("spacing-wide");
        }
        c.join(" ")
    }
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_token(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

pub fn set_cookie(name: &str, value: &str, secure: bool, http_only: bool, max_age_secs: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Loads the session, checks the CSRF token of unsafe requests and records
/// what it learned in a [`RequestCtx`] extension.
pub async fn session_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let secure = state.config.secure_cookies || headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https");
    let a11y = cookie_value(headers, A11Y_COOKIE).map(A11y::parse).unwrap_or_default();
    let existing_csrf = cookie_value(headers, CSRF_COOKIE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let session_token = cookie_value(headers, SESSION_COOKIE).map(str::to_string);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().starts_with(b"Bearer "));
    let path = req.uri().path().to_string();

    let (session, expired) = match session_token {
        Some(t) => match load_session(&state, &t).await {
            Ok(s) => (s.as_ref().map(|s| Arc::new(s.clone())), s.is_none()),
            Err(e) => return e.into_response(),
        },
        None => (None, false),
    };
    // Pages carry forms; the API, the health check and the stylesheet do not.
    let wants_csrf_cookie = !(path.starts_with("/api/") || path == "/healthz" || path.starts_with("/static/"));
    let new_csrf = (existing_csrf.is_none() && wants_csrf_cookie).then(random_token);
    let csrf = match (&session, &existing_csrf, &new_csrf) {
        (Some(s), _, _) => s.csrf.clone(),
        (None, Some(c), _) => c.clone(),
        (None, None, Some(c)) => c.clone(),
        (None, None, None) => random_token(),
    };

    let mut req = req;
    // Matching a question changes nothing: it is a POST only because the
    // question travels in a JSON body, and public clients have no cookie.
    let read_only_post = path == "/api/v1/qa/match";
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !read_only_post;
    // An API call without a session cookie carries no ambient authority to
    // forge: it is authenticated (or refused) by its bearer token alone.
    let anonymous_api = path.starts_with("/api/") && session.is_none();
    if unsafe_method && !bearer && !anonymous_api {
        let expected = match &session {
            Some(s) => Some(s.csrf.clone()),
            None => existing_csrf.clone(),
        };
        let (checked, rebuilt) = check_csrf(req, expected.as_deref()).await;
        req = rebuilt;
        if !checked {
            let json = path.starts_with("/api/");
            let mut e = AppError::new(
                axum::http::StatusCode::FORBIDDEN,
                "csrf",
                "页面已过期或来源不明，请刷新页面后重新提交",
            );
            if json {
                e = e.json();
            }
            return e.into_response();
        }
    }

    if unsafe_method {
        state.content_changed();
    }
    let ctx = RequestCtx {
        session,
        csrf,
        secure,
        a11y,
        expired,
        path,
    };
    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;
    if let Some(c) = new_csrf {
        res.headers_mut()
            .append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &c, secure, true, None));
    }
    if expired && !res.headers().contains_key(header::SET_COOKIE) {
        res.headers_mut()
            .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", secure, true, Some(0)));
    }
    res
}

async fn load_session(state: &AppState, token: &str) -> Result<Option<Session>, AppError> {
    let hash = hash_token(token);
    let Some(row) = state.store.session(&hash).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let last_seen = gongkai_store::parse_ts(&row.last_seen_at)?;
    let created = gongkai_store::parse_ts(&row.created_at)?;
    let idle = chrono::Duration::minutes(state.config.idle_timeout_minutes);
    if now - last_seen > idle || now - created > chrono::Duration::hours(SESSION_MAX_HOURS) {
        state.store.delete_session(&hash).await?;
        return Ok(None);
    }
    let user = state.store.get_user(row.user_id).await?;
    if user.disabled {
        state.store.delete_session(&hash).await?;
        return Ok(None);
    }
    // Record activity at most once a minute to spare the database.
    if now - last_seen > chrono::Duration::seconds(60).min(idle / 4) {
        state.store.touch_session(&hash, now).await?;
    }
    let grant_rows = state.store.grants_of(user.id).await?;
    let grants = grant_rows.iter().filter_map(GrantRow::to_grant).collect();
    Ok(Some(Session {
        token_hash: hash,
        csrf: row.csrf_token,
        user,
        grants,
        grant_rows,
    }))
}

/// Finds the submitted CSRF token (header, form field or query) and compares.
/// Form bodies are buffered and put back for the handler.
async fn check_csrf(req: Request, expected: Option<&str>) -> (bool, Request) {
    let Some(expected) = expected else { return (false, req) };
    if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        let ok = constant_time_eq(h, expected);
        return (ok, req);
    }
    let in_query = req
        .uri()
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "csrf"))
        .is_some_and(|(_, v)| constant_time_eq(&v, expected));
    if in_query {
        return (true, req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded"));
    if !is_form {
        return (false, req);
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return (false, Request::from_parts(parts, Body::empty())),
    };
    let ok = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .is_some_and(|(_, v)| constant_time_eq(&v, expected));
    (ok, Request::from_parts(parts, Body::from(bytes)))
}

fn ctx_of(parts: &Parts) -> RequestCtx {
    parts.extensions.get::<RequestCtx>().cloned().unwrap_or_else(|| RequestCtx {
        session: None,
        csrf: String::new(),
        secure: false,
        a11y: A11y::default(),
        expired: false,
        path: parts.uri.path().to_string(),
    })
}

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ctx_of(parts))
    }
}

/// A logged-in staff member on an HTML page. Anonymous visitors are sent to
/// the login page; users who must change their initial password are sent to
/// the password page first.
pub struct Staff(pub Arc<Session>, pub RequestCtx);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = ctx_of(parts);
        let Some(session) = ctx.session.clone() else {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/admin");
            let flag = if ctx.expired { "&expired=1" } else { "" };
            return Err(Redirect::to(&format!("/login?next={}{flag}", urlencoding::encode(next))).into_response());
        };
        let path = parts.uri.path();
        if session.user.must_change_password && path != "/admin/account/password" && parts.method == Method::GET {
            return Err(Redirect::to("/admin/account/password").into_response());
        }
        if session.user.must_change_password && parts.method != Method::GET && path != "/admin/account/password" {
            return Err(AppError::new(axum::http::StatusCode::FORBIDDEN, "password_change_required", "请先修改初始密码").into_response());
        }
        Ok(Staff(session, ctx))
    }
}

/// The caller of a JSON API endpoint: a bearer token or a session cookie.
pub struct ApiUser(pub Arc<Session>);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .unwrap_or("");
            if token.is_empty() {
                return Err(AppError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "malformed Authorization header; expected `Bearer <token>`",
                )
                .json());
            }
            let t = state
                .store
                .token_by_hash(&hash_token(token))
                .await
                .map_err(|e| AppError::from(e).json())?;
            let invalid = || {
                AppError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "the API token is unknown, revoked, or its user is disabled",
                )
                .json()
            };
            let Some(t) = t.filter(|t| t.revoked_at.is_none()) else {
                return Err(invalid());
            };
            let user = state.store.get_user(t.user_id).await.map_err(|e| AppError::from(e).json())?;
            if user.disabled {
                return Err(invalid());
            }
            let _ = state.store.touch_token(t.id).await;
            let grant_rows = state.store.grants_of(user.id).await.map_err(|e| AppError::from(e).json())?;
            let grants = grant_rows.iter().filter_map(GrantRow::to_grant).collect();
            return Ok(ApiUser(Arc::new(Session {
                token_hash: String::new(),
                csrf: String::new(),
                user,
                grants,
                grant_rows,
            })));
        }
        match ctx_of(parts).session {
            Some(s) if !s.user.must_change_password => Ok(ApiUser(s)),
            Some(_) => Err(AppError::new(
                axum::http::StatusCode::FORBIDDEN,
                "password_change_required",
                "change the initial password first",
            )
            .json()),
            None => Err(AppError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "authentication required: a bearer token or a session",
            )
            .json()),
        }
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        let has_session = ctx_of(parts).session.is_some();
        if parts.headers.contains_key(header::AUTHORIZATION) || has_session {
            <ApiUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Only local paths are followed after login, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with("/login") => n.to_string(),
        _ => "/admin".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a11y_round_trip() {
        let a = A11y {
            font: 2,
            high_contrast: true,
            wide_spacing: false,
        };
        assert_eq!(A11y::parse(&a.encode()), a);
        assert_eq!(a.classes(), "font-xl contrast-high");
        assert_eq!(A11y::parse("garbage"), A11y::default());
    }

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/admin");
        assert_eq!(safe_next(Some("https://evil.example")), "/admin");
        assert_eq!(safe_next(None), "/admin");
    }

    #[test]
    fn cookies_are_found() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; gk_session=abc; b=2"));
        assert_eq!(cookie_value(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(&h, "c"), None);
    }
}
