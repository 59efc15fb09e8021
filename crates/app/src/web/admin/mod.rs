//! The admin side: dashboard, units, users, my account, audit log, working-day
//! calendar and site settings. Every handler takes [`Staff`] (logged in,
//! initial password changed) and checks its action against the unit scope.

pub mod account;
pub mod audit;
pub mod calendar;
pub mod sites;
pub mod units;
pub mod users;

use super::{Page, admin_page, render};
use crate::auth::{Session, Staff};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongkai_domain::accounts::{Action, Role, Scope, UnitKind};
use gongkai_store::accounts::Unit;

pub struct Card {
    pub href: &'static str,
    pub label: &'static str,
    pub text: &'static str,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexT {
    page: Page,
    display_name: String,
    grants: Vec<(String, String)>,
    cards: Vec<Card>,
}

pub async fn index(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    let page = admin_page(&state, &session, &ctx, "工作台").await?;
    let mut cards = vec![];
    if session.can_somewhere(Action::ManageUnits) {
        cards.push(Card { href: "/admin/units", label: "单位管理", text: "维护县政府、部门、乡镇和街道的单位树及对外联系电话。" });
    }
    if session.can_somewhere(Action::ManageUsers) {
        cards.push(Card { href: "/admin/users", label: "用户管理", text: "新增用户、授予角色、重置密码、停用账户。" });
    }
    if session.can_somewhere(Action::ViewAudit) {
        cards.push(Card { href: "/admin/audit", label: "审计日志", text: "查询登录、权限变更和业务操作记录，校验日志完整性。" });
    }
    cards.push(Card { href: "/admin/calendar", label: "工作日历", text: "查看和导入国务院节假日安排，所有法定期限据此计算。" });
    if session.can_somewhere(Action::ManageSites) {
        cards.push(Card { href: "/admin/sites", label: "站点设置", text: "网站名称、网站标识码、备案号、主办承办单位和审核环节。" });
    }
    cards.push(Card { href: "/admin/account", label: "我的账户", text: "修改密码，管理接口令牌。" });
    let grants = session.grant_rows.iter().map(|g| (g.unit_name.clone(), g.role.parse::<Role>().map(|r| r.label_zh().to_string()).unwrap_or_else(|_| g.role.clone()))).collect();
    render(&IndexT { page, display_name: session.user.display_name.clone(), grants, cards })
}

/// Units the session may perform `action` on, in tree order, labelled with
/// their indentation (for select boxes).
pub fn units_in_scope(session: &Session, units: &[Unit], action: Action) -> Vec<(i64, String)> {
    tree_order(units)
        .into_iter()
        .filter(|u| session.can(action, Scope::Unit(&u.unit_path())))
        .map(|u| (u.id, format!("{}{}", "　".repeat(u.depth().saturating_sub(1)), u.name)))
        .collect()
}

/// Depth-first order of the unit tree (children by sort order, then id).
pub fn tree_order(units: &[Unit]) -> Vec<&Unit> {
    let mut out = Vec::with_capacity(units.len());
    fn visit<'a>(units: &'a [Unit], parent: Option<i64>, out: &mut Vec<&'a Unit>) {
        let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id == parent).collect();
        children.sort_by_key(|u| (u.sort_order, u.id));
        for c in children {
            out.push(c);
            visit(units, Some(c.id), out);
        }
    }
    visit(units, None, &mut out);
    out
}

pub fn kind_options() -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect()
}

/// Roles the session may grant somewhere.
pub fn grantable_roles(session: &Session) -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().filter(|r| session.grants.iter().any(|g| g.role.may_grant(**r))).map(|r| (r.as_str(), r.label_zh())).collect()
}

/// Parses an optional integer form field (empty = None).
pub fn opt_id(s: &Option<String>) -> Result<Option<i64>, ()> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| ()),
    }
}
