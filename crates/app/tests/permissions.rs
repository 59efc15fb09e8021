//! Every role × every action that exists, in scope and out of scope, through
//! HTTP. The expectation comes from the domain's role table
//! (`Role::allows` and the unit scope), so a change to either shows here.

mod common;

use common::{DEMO_PASSWORD, TestApp};
use gongkai_domain::accounts::{Action, Password, Role, Username};

/// Performs `action` as the client, on the finance bureau (in scope) or the
/// education commission (out of scope); returns the HTTP status.
async fn attempt(app: &TestApp, c: &common::Client<'_>, action: Action, target_unit: i64, n: usize) -> u16 {
    let unit = target_unit.to_string();
    match action {
        Action::ManageUnits => {
            let code = format!("perm-{n}");
            c.post(
                "/admin/units",
                &[
                    ("parent_id", &unit),
                    ("name", &format!("测试科室{n}")),
                    ("code", &code),
                    ("kind", "other"),
                    ("phone", ""),
                ],
            )
            .await
            .status
            .as_u16()
        }
        Action::ManageUsers => {
            let r = c
                .post(
                    "/admin/users",
                    &[
                        ("username", &format!("perm{n}")),
                        ("display_name", "测试"),
                        ("role", "editor"),
                        ("unit_id", &unit),
                    ],
                )
                .await;
            r.status.as_u16()
        }
        Action::ViewAudit => {
            let r = c.get(&format!("/admin/audit?unit={unit}")).await;
            if r.status == 200 && !r.body.contains("<td>") {
                // The page opened but shows nothing of that unit: out of scope.
                return 403;
            }
            r.status.as_u16()
        }
        Action::ManageCalendar => {
            let json = r#"{"year":2030,"papers":[],"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}"#;
            c.post("/admin/calendar", &[("json", json)]).await.status.as_u16()
        }
        Action::ManageSites => {
            let site = app.state.store.site_by_code("wsx").await.unwrap().unwrap();
            let f = [
                ("name", "巫山县人民政府门户网站（演示）"),
                ("site_code", "5002370001"),
                ("icp", ""),
                ("police_record", ""),
                ("sponsor", ""),
                ("organizer", ""),
                ("phone", ""),
                ("address", ""),
                ("review_stages", "初审、终审"),
            ];
            c.post(&format!("/admin/sites/{}", site.id), &f).await.status.as_u16()
        }
        // Content, review, case and dashboard actions have no pages yet;
        // the domain test covers their table.
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn every_role_and_action_pair_respects_the_unit_scope() {
    let app = TestApp::spawn().await;
    let finance = app.unit_id("县财政局").await;
    let education = app.unit_id("县教委").await;
    // Give the education commission an audit entry so an in-scope audit view is non-empty.
    app.state
        .store
        .audit(gongkai_domain::audit::NewEntry::new("x", "test.mark", "unit", education).unit(Some(education)))
        .await
        .unwrap();
    app.state
        .store
        .audit(gongkai_domain::audit::NewEntry::new("x", "test.mark", "unit", finance).unit(Some(finance)))
        .await
        .unwrap();
    let actions = [
        Action::ManageUnits,
        Action::ManageUsers,
        Action::ViewAudit,
        Action::ManageCalendar,
        Action::ManageSites,
    ];
    let mut n = 0;
    let mut checked = 0;
    for role in Role::ALL {
        let username = format!("role_{}", role.as_str());
        let u = Username::parse(&username).unwrap();
        gongkai_app::accounts::create_user(
            &app.state.store,
            "test",
            &u,
            "测试",
            &Password::parse(DEMO_PASSWORD, None).unwrap(),
            role,
            finance,
            false,
        )
        .await
        .unwrap();
        let c = app.client();
        assert_eq!(c.login(&username, DEMO_PASSWORD).await.status, 303);
        for action in actions {
            for (target, in_scope) in [(finance, true), (education, false)] {
                n += 1;
                let allowed_by_table = role.allows(action) && (role == Role::SystemAdmin || (!action.is_global() && in_scope));
                let status = attempt(&app, &c, action, target, n).await;
                let expect_ok = match action {
                    Action::ViewAudit => status == 200,
                    Action::ManageUsers => status == 200, // shows the new user's page with the initial password
                    _ => status == 303,
                };
                assert_eq!(
                    expect_ok,
                    allowed_by_table,
                    "{role:?} × {action:?} on {} → HTTP {status}",
                    if in_scope { "own unit" } else { "other unit" }
                );
                if !allowed_by_table {
                    assert_eq!(status, 403, "{role:?} × {action:?}: refusals are 403");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, Role::ALL.len() * actions.len() * 2);
}

#[tokio::test]
async fn a_unit_admin_cannot_manage_users_beyond_its_units() {
    let app = TestApp::spawn().await;
    let c = app.client();
    c.login("czj_admin", DEMO_PASSWORD).await;
    let admin = app.state.store.user_by_username("admin").await.unwrap().unwrap();
    let handler = app.state.store.user_by_username("zfb_handler").await.unwrap().unwrap();
    let editor = app.state.store.user_by_username("czj_editor").await.unwrap().unwrap();
    assert_eq!(
        c.get(&format!("/admin/users/{}", admin.id)).await.status,
        403,
        "the system admin is out of scope"
    );
    assert_eq!(
        c.post(&format!("/admin/users/{}/reset-password", handler.id), &[]).await.status,
        403
    );
    assert_eq!(c.post(&format!("/admin/users/{}/disable", handler.id), &[]).await.status, 403);
    let r = c.post(&format!("/admin/users/{}/disable", editor.id), &[]).await;
    assert_eq!(r.status, 303);
    assert!(app.state.store.get_user(editor.id).await.unwrap().disabled);
    let list = c.get("/admin/users").await;
    assert!(
        list.body.contains("czj_editor") && !list.body.contains("zfb_handler"),
        "lists only users in scope"
    );
    // Granting a system administrator role is never for a unit admin.
    let finance = app.unit_id("县财政局").await.to_string();
    let r = c
        .post(
            &format!("/admin/users/{}/grants", editor.id),
            &[("role", "system_admin"), ("unit_id", &finance)],
        )
        .await;
    assert_eq!(r.status, 403);
    // A disabled user cannot log in.
    assert_eq!(app.client().login("czj_editor", DEMO_PASSWORD).await.status, 401);
    let r = c.post(&format!("/admin/users/{}/enable", editor.id), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(app.client().login("czj_editor", DEMO_PASSWORD).await.status, 303);
}

#[tokio::test]
async fn resetting_a_password_ends_sessions_and_forces_a_change() {
    let app = TestApp::spawn().await;
    let editor = app.client();
    editor.login("czj_editor", DEMO_PASSWORD).await;
    assert_eq!(editor.get("/admin").await.status, 200);
    let admin = app.client();
    admin.login("czj_admin", DEMO_PASSWORD).await;
    let id = app.state.store.user_by_username("czj_editor").await.unwrap().unwrap().id;
    let r = admin.post(&format!("/admin/users/{id}/reset-password"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("初始密码"));
    assert_eq!(editor.get("/admin").await.status, 303, "the editor's session ended");
    assert_eq!(
        app.client().login("czj_editor", DEMO_PASSWORD).await.status,
        401,
        "the old password is gone"
    );
    let entries = app
        .state
        .store
        .audit_entries(
            &gongkai_store::audit::AuditFilter {
                action: Some("user.reset_password".into()),
                ..Default::default()
            },
            5,
            0,
        )
        .await
        .unwrap();
    assert_eq!((entries.len(), entries[0].actor.as_str()), (1, "czj_admin"));
}

#[tokio::test]
async fn audit_views_are_limited_to_the_scope() {
    let app = TestApp::spawn().await;
    let finance = app.unit_id("县财政局").await;
    let education = app.unit_id("县教委").await;
    app.state
        .store
        .audit(gongkai_domain::audit::NewEntry::new("x", "doc.publish", "document", 1).unit(Some(finance)))
        .await
        .unwrap();
    app.state
        .store
        .audit(gongkai_domain::audit::NewEntry::new("x", "doc.publish", "document", 2).unit(Some(education)))
        .await
        .unwrap();
    let c = app.client();
    c.login("czj_admin", DEMO_PASSWORD).await;
    let r = c.get("/admin/audit?action=doc").await;
    assert!(r.body.contains("document #1") && !r.body.contains("document #2"), "{}", r.body);
    assert!(!r.body.contains("校验日志完整性"), "only system admins run the full verification");
    let leader = app.client();
    leader.login("leader", DEMO_PASSWORD).await;
    let r = leader.get("/admin/audit?action=doc").await;
    assert!(
        r.body.contains("document #1") && r.body.contains("document #2"),
        "the county leader sees the whole county"
    );
}
