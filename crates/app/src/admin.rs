//! The admin dashboard: what the logged-in user may do, as cards.

use crate::auth::Staff;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Page, admin_page, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongkai_domain::accounts::{Action, Role};

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
    /// Deadlines that need attention: (link, text).
    alerts: Vec<(String, String)>,
}

pub async fn index(State(state): State<AppState>, Staff(session, ctx): Staff) -> AppResult<Response> {
    let page = admin_page(&state, &session, &ctx, "工作台").await?;
    let mut cards = vec![];
    if session.can_somewhere(Action::ManageUnits) {
        cards.push(Card {
            href: "/admin/units",
            label: "单位管理",
            text: "维护县政府、部门、乡镇和街道的单位树及对外联系电话。",
        });
    }
    if session.can_somewhere(Action::ManageUsers) {
        cards.push(Card {
            href: "/admin/users",
            label: "用户管理",
            text: "新增用户、授予角色、重置密码、停用账户。",
        });
    }
    if session.can_somewhere(Action::ViewAudit) {
        cards.push(Card {
            href: "/admin/audit",
            label: "审计日志",
            text: "查询登录、权限变更和业务操作记录，校验日志完整性。",
        });
    }
    let mut alerts = Vec::new();
    if session.can_somewhere(Action::HandleCases) || session.can_somewhere(Action::ViewDashboards) {
        cards.push(Card {
            href: "/admin/foi",
            label: "依申请公开",
            text: "登记和办理政府信息公开申请，按法定期限答复，出具告知书，统计年度报告数据。",
        });
        if let Ok(site) = crate::catalogue::portal::default_site(&state).await {
            let units = state.store.list_units().await?;
            let visible = crate::foi::admin::visible_units(&session, &site, &units);
            let today = state.clock.now().date_naive().to_string();
            let counts = state.store.foi_counts(site.id, visible.as_deref(), &today).await?;
            let overdue: i64 = counts.iter().map(|c| c.2).sum();
            if overdue > 0 {
                alerts.push(("/admin/foi?overdue=1".into(), format!("依申请公开：{overdue} 件申请已超过答复期限")));
            }
        }
    }
    if crate::mailbox::may_view(&session) {
        cards.push(Card {
            href: "/admin/mailbox",
            label: "公开信箱",
            text: "审看、转办、答复网民留言，登记来电和舆情回应承诺，确保件件有回音。",
        });
        let vetoed = crate::mailbox::admin::vetoed_count(&state, &session).await.unwrap_or(0);
        if vetoed > 0 {
            alerts.push((
                "/admin/mailbox?view=oldest".into(),
                format!("公开信箱：{vetoed} 件留言超过3个月未答复，网站检查将单项否决，请立即督办"),
            ));
        }
    }
    if crate::tasks::may_view(&session) {
        cards.push(Card {
            href: "/admin/tasks/mine",
            label: "任务清单",
            text: "导入年度任务清单，细化本单位条目、报送进展和佐证，牵头单位确认销号，查看通报和考核评估。",
        });
        if let Ok(site) = crate::catalogue::portal::default_site(&state).await {
            let units = state.store.list_units().await?;
            let office = crate::tasks::is_office(&session, &site, &units);
            let mine: std::collections::HashSet<i64> = units
                .iter()
                .filter(|u| office || crate::tasks::works_for(&session, &u.unit_path()))
                .map(|u| u.id)
                .collect();
            let today = state.clock.now().date_naive();
            let overdue = state
                .store
                .task_open_entries()
                .await?
                .iter()
                .filter(|e| mine.contains(&e.unit_id) && crate::tasks::facts_of(e).overdue(today))
                .count();
            if overdue > 0 {
                let who = if office { "各单位" } else { "本单位" };
                alerts.push((
                    "/admin/tasks/mine".into(),
                    format!("任务清单：{who}有 {overdue} 个细化条目已超过完成时限"),
                ));
            }
        }
    }
    cards.push(Card {
        href: "/admin/calendar",
        label: "工作日历",
        text: "查看和导入国务院节假日安排，所有法定期限据此计算。",
    });
    if session.can_somewhere(Action::ManageSites) {
        cards.push(Card {
            href: "/admin/sites",
            label: "站点设置",
            text: "网站名称、网站标识码、备案号、主办承办单位和审核环节。",
        });
    }
    cards.push(Card {
        href: "/admin/account",
        label: "我的账户",
        text: "修改密码，管理接口令牌。",
    });
    let grants = session
        .grant_rows
        .iter()
        .map(|g| {
            (
                g.unit_name.clone(),
                g.role
                    .parse::<Role>()
                    .map(|r| r.label_zh().to_string())
                    .unwrap_or_else(|_| g.role.clone()),
            )
        })
        .collect();
    render(&IndexT {
        page,
        display_name: session.user.display_name.clone(),
        grants,
        cards,
        alerts,
    })
}
