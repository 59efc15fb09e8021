//! The public portal shell: the home page (site, units and their public
//! phones), the 适老化 preference switch and the stylesheet.

use crate::auth::{A11Y_COOKIE, A11y, RequestCtx, set_cookie};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::accounts::UnitKind;
use serde::Deserialize;

pub struct UnitRow {
    pub name: String,
    pub phone: Option<String>,
}

pub struct UnitGroup {
    pub label: &'static str,
    pub units: Vec<UnitRow>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomeT {
    page: Page,
    groups: Vec<UnitGroup>,
    blocks: Vec<crate::catalogue::portal::ColumnBlock>,
}

pub async fn home(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let page = portal_page(&state, &ctx, "首页").await?;
    let units = state.store.list_units().await?;
    let groups = [
        (UnitKind::Government, "人民政府"),
        (UnitKind::Department, "政府部门"),
        (UnitKind::Township, "乡镇"),
        (UnitKind::Street, "街道"),
        (UnitKind::Other, "其他单位"),
    ]
    .into_iter()
    .map(|(kind, label)| UnitGroup {
        label,
        units: units
            .iter()
            .filter(|u| u.active && u.kind() == kind)
            .map(|u| UnitRow {
                name: u.name.clone(),
                phone: u.phone.clone().filter(|p| !p.is_empty()),
            })
            .collect(),
    })
    .filter(|g| !g.units.is_empty())
    .collect();
    let blocks = crate::catalogue::portal::home_blocks(&state).await?;
    render(&HomeT { page, groups, blocks })
}

#[derive(Deserialize)]
pub struct A11yQuery {
    set: Option<String>,
    back: Option<String>,
}

/// Stores the 适老化 preferences in a cookie and returns to the page.
pub async fn a11y(ctx: RequestCtx, Query(q): Query<A11yQuery>) -> Response {
    let prefs = A11y::parse(q.set.as_deref().unwrap_or(""));
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(A11Y_COOKIE, &prefs.encode(), ctx.secure, false, Some(365 * 24 * 3600)),
    );
    res
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        include_str!("../static/site.css"),
    )
        .into_response()
}
