//! Server-rendered pages: the public portal and the admin side.
//!
//! Every page template extends `base.html` and carries a [`Page`]: the site's
//! name and footer identifiers, the 适老化 preferences, the navigation and the
//! CSRF token its forms echo back.

use crate::auth::{A11y, RequestCtx, Session};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongkai_domain::accounts::{Action, SiteSettings};

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: &'static str,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    pub site_name: String,
    pub site_unit: String,
    pub settings: SiteSettings,
    pub html_class: String,
    pub a11y_links: Vec<NavItem>,
    pub nav: Vec<NavItem>,
    pub admin: bool,
    pub user: Option<String>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub version: &'static str,
}

/// What an admin action reports on the page it redirects to: `?done=…`
/// (shown as success) or `?error=…` (shown as an alert).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Outcome {
    pub done: Option<String>,
    pub error: Option<String>,
}

/// Redirects to `path` reporting success.
pub fn redirect_done(path: &str, msg: &str) -> Response {
    redirect_outcome(path, "done", msg)
}

/// Redirects to `path` reporting an error.
pub fn redirect_error(path: &str, msg: &str) -> Response {
    redirect_outcome(path, "error", msg)
}

fn redirect_outcome(path: &str, key: &str, msg: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    axum::response::Redirect::to(&format!("{path}{sep}{key}={}", urlencoding::encode(msg))).into_response()
}

/// The page with the outcome of the action that led to it.
pub fn with_outcome(mut page: Page, done: Option<String>, error: Option<String>) -> Page {
    if let Some(d) = done {
        page = page.flash("ok", d);
    }
    if let Some(e) = error {
        page = page.flash("error", e);
    }
    page
}

impl Page {
    /// A page frame without a request, for benchmarks that render templates.
    pub fn for_bench(title: &str) -> Page {
        Page {
            title: title.into(),
            site_name: "基准测试".into(),
            site_unit: "基准测试县人民政府".into(),
            settings: Default::default(),
            html_class: String::new(),
            a11y_links: Vec::new(),
            nav: Vec::new(),
            admin: true,
            user: Some("bench".into()),
            csrf: "x".into(),
            flash: None,
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    pub fn flash(mut self, kind: &'static str, text: impl Into<String>) -> Self {
        self.flash = Some(Flash { kind, text: text.into() });
        self
    }
}

fn nav(items: &[(&str, &str)], path: &str) -> Vec<NavItem> {
    items
        .iter()
        .map(|(href, label)| NavItem {
            href: href.to_string(),
            label: label.to_string(),
            current: if *href == "/" || *href == "/admin" {
                path == *href
            } else {
                path.starts_with(href)
            },
        })
        .collect()
}

fn a11y_links(a: &A11y, path: &str) -> Vec<NavItem> {
    let link = |next: A11y, label: &str, current: bool| NavItem {
        href: format!("/a11y?set={}&back={}", next.encode(), urlencoding::encode(path)),
        label: label.to_string(),
        current,
    };
    vec![
        link(A11y { font: 0, ..a.clone() }, "标准字号", a.font == 0),
        link(A11y { font: 1, ..a.clone() }, "大字号", a.font == 1),
        link(A11y { font: 2, ..a.clone() }, "超大字号", a.font == 2),
        link(
            A11y {
                high_contrast: !a.high_contrast,
                ..a.clone()
            },
            if a.high_contrast { "标准配色" } else { "高对比度" },
            false,
        ),
        link(
            A11y {
                wide_spacing: !a.wide_spacing,
                ..a.clone()
            },
            if a.wide_spacing { "标准行距" } else { "加大行距" },
            false,
        ),
    ]
}

/// Builds the page frame for a portal page.
pub async fn portal_page(state: &AppState, ctx: &RequestCtx, title: &str) -> AppResult<Page> {
    frame(
        state,
        ctx,
        title,
        &[
            ("/", "首页"),
            ("/catalogue", "信息公开目录"),
            ("/columns/interpretations", "政策解读"),
            ("/qa", "政策咨询"),
            ("/foi", "依申请公开"),
            ("/workdays", "期限计算"),
        ],
        None,
        ctx.csrf.clone(),
    )
    .await
}

/// Builds the page frame for an admin page; the menu shows what the user may do.
pub async fn admin_page(state: &AppState, session: &Session, ctx: &RequestCtx, title: &str) -> AppResult<Page> {
    let mut items: Vec<(&str, &str)> = vec![("/admin", "工作台")];
    if session.can_somewhere(Action::ManageUnits) {
        items.push(("/admin/units", "单位"));
    }
    if session.can_somewhere(Action::ManageUsers) {
        items.push(("/admin/users", "用户"));
    }
    if session.can_somewhere(Action::ViewAudit) {
        items.push(("/admin/audit", "审计日志"));
    }
    if session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ReviewContent) {
        items.push(("/admin/documents", "信息发布"));
    }
    if session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ReviewContent) {
        items.push(("/admin/qa", "政策问答"));
    } else if session.can_somewhere(Action::HandleCases) || session.can_somewhere(Action::ViewDashboards) {
        items.push(("/admin/qa/tickets", "政策咨询"));
    }
    if session.can_somewhere(Action::HandleCases) || session.can_somewhere(Action::ViewDashboards) {
        items.push(("/admin/foi", "依申请公开"));
    }
    if crate::mailbox::may_view(session) {
        items.push(("/admin/mailbox", "公开信箱"));
    }
    if crate::tasks::may_view(session) {
        items.push(("/admin/tasks", "任务清单"));
    }
    if session.can_somewhere(Action::EditContent) || session.can_somewhere(Action::ManageSites) {
        items.push(("/admin/search", "站内搜索"));
    }
    items.push(("/admin/calendar", "工作日历"));
    if session.can_somewhere(Action::ManageSites) {
        items.push(("/admin/columns", "栏目"));
        items.push(("/admin/sites", "站点设置"));
    }
    items.push(("/admin/account", "我的账户"));
    items.push(("/", "门户首页"));
    frame(
        state,
        ctx,
        title,
        &items,
        Some(session.user.display_name.clone()),
        session.csrf.clone(),
    )
    .await
}

/// The frame both sides share; `user` is set on admin pages.
async fn frame(
    state: &AppState,
    ctx: &RequestCtx,
    title: &str,
    items: &[(&str, &str)],
    user: Option<String>,
    csrf: String,
) -> AppResult<Page> {
    let site = state.site_frame().await?;
    Ok(Page {
        title: title.to_string(),
        site_name: site.name.clone(),
        site_unit: site.unit.clone(),
        settings: site.settings.clone(),
        html_class: ctx.a11y.classes(),
        a11y_links: a11y_links(&ctx.a11y, &ctx.path),
        nav: nav(items, &ctx.path),
        admin: user.is_some(),
        user,
        csrf,
        flash: None,
        version: env!("CARGO_PKG_VERSION"),
    })
}

pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    t.render().map(|html| Html(html).into_response()).map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        AppError::internal()
    })
}

#[derive(Template)]
#[template(
    source = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }}</title><link rel="stylesheet" href="/static/site.css"></head>
<body><main id="main" class="wrap"><h1>{{ heading }}</h1><p>{{ message }}</p>
<p><a href="/">返回首页</a></p></main></body></html>"#,
    ext = "html"
)]
struct ErrorPage<'a> {
    heading: &'a str,
    message: &'a str,
}

/// A self-contained error page (no database needed, so it renders even when
/// the database is down).
pub fn render_error_page(status: StatusCode, message: &str) -> String {
    let heading = match status.as_u16() {
        400 => "请求有误",
        401 => "请先登录",
        403 => "无权访问",
        404 => "页面不存在",
        405 => "请求方式有误",
        409 => "记录冲突",
        410 => "内容已撤销",
        413 => "提交的内容过大",
        429 => "操作过于频繁",
        503 => "服务暂不可用",
        _ => "系统繁忙",
    };
    ErrorPage { heading, message }.render().unwrap_or_else(|_| message.to_string())
}
