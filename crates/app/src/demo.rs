//! The demo county a newcomer can click through: 巫山县 with the units named
//! in the founding document (巫山府办发〔2021〕48号), a site with its footer
//! identifiers, and one user per role. Seeding is idempotent.
//!
//! The identifiers and phone numbers are examples, not the county's real ones.

use crate::error::AppResult;
use crate::state::AppState;
use gongkai_domain::accounts::{Password, Role, SiteSettings, UnitCode, UnitKind, UnitName, Username};
use gongkai_store::accounts::NewUnit;

const ROOT_CODE: &str = "wsx";

/// (name, code, kind, phone)
const UNITS: &[(&str, &str, UnitKind, &str)] = &[
    ("县政府办公室", "wsx-zfb", UnitKind::Department, "023-57600001"),
    ("县发展改革委", "wsx-fgw", UnitKind::Department, "023-57600002"),
    ("县规划自然资源局", "wsx-ghzy", UnitKind::Department, "023-57600003"),
    ("县财政局", "wsx-czj", UnitKind::Department, "023-57600004"),
    ("县卫生健康委", "wsx-wjw", UnitKind::Department, "023-57600005"),
    ("县司法局", "wsx-sfj", UnitKind::Department, "023-57600006"),
    ("县教委", "wsx-jw", UnitKind::Department, "023-57600007"),
    ("县市场监管局", "wsx-scjg", UnitKind::Department, "023-57600008"),
    ("县生态环境局", "wsx-sthj", UnitKind::Department, "023-57600009"),
    ("县民政局", "wsx-mzj", UnitKind::Department, "023-57600010"),
    ("县人力社保局", "wsx-rsj", UnitKind::Department, "023-57600011"),
    ("县住房城乡建委", "wsx-zjw", UnitKind::Department, "023-57600012"),
    ("县交通局", "wsx-jtj", UnitKind::Department, "023-57600013"),
    ("县农业农村委", "wsx-nyw", UnitKind::Department, "023-57600014"),
    ("县商务委", "wsx-sww", UnitKind::Department, "023-57600015"),
    ("县文化旅游委", "wsx-wlw", UnitKind::Department, "023-57600016"),
    ("县经济信息委", "wsx-jxw", UnitKind::Department, "023-57600017"),
    ("县应急局", "wsx-yjj", UnitKind::Department, "023-57600018"),
    ("县城市管理局", "wsx-cgj", UnitKind::Department, "023-57600019"),
    ("县政务服务中心", "wsx-zwfw", UnitKind::Other, "023-57600020"),
    ("县金融事务中心", "wsx-jrsw", UnitKind::Other, "023-57600021"),
    ("高唐街道", "wsx-gtjd", UnitKind::Street, "023-57600031"),
    ("龙门街道", "wsx-lmjd", UnitKind::Street, "023-57600032"),
    ("巫峡镇", "wsx-wxz", UnitKind::Township, "023-57600033"),
    ("大昌镇", "wsx-dcz", UnitKind::Township, "023-57600034"),
    ("官渡镇", "wsx-gdz", UnitKind::Township, "023-57600035"),
    ("庙宇镇", "wsx-myz", UnitKind::Township, "023-57600036"),
];

/// (username, display name, role, unit code, password)
pub const USERS: &[(&str, &str, Role, &str, &str)] = &[
    ("admin", "系统管理员", Role::SystemAdmin, ROOT_CODE, "Wushan#2021"),
    ("czj_admin", "财政局管理员", Role::UnitAdmin, "wsx-czj", "Wushan#2021"),
    ("czj_editor", "财政局信息员", Role::Editor, "wsx-czj", "Wushan#2021"),
    ("czj_reviewer", "财政局审核人", Role::Reviewer, "wsx-czj", "Wushan#2021"),
    ("zfb_reviewer", "政府办审核人", Role::Reviewer, "wsx-zfb", "Wushan#2021"),
    ("zfb_handler", "政府办办理人", Role::CaseHandler, "wsx-zfb", "Wushan#2021"),
    ("leader", "分管领导", Role::Leader, ROOT_CODE, "Wushan#2021"),
];

/// Seeds the demo county if it is not there yet; returns the text to print.
pub async fn seed(state: &AppState) -> AppResult<String> {
    let store = &state.store;
    let actor = "demo";
    let root = match store.unit_by_code(ROOT_CODE).await? {
        Some(u) => u,
        None => {
            let root = crate::accounts::units::create_unit_audited(
                state,
                actor,
                &new_unit(None, "巫山县人民政府", ROOT_CODE, UnitKind::Government, "023-57600000"),
            )
            .await?;
            for (i, (name, code, kind, phone)) in UNITS.iter().enumerate() {
                let mut u = new_unit(Some(root.id), name, code, *kind, phone);
                u.sort_order = i as i64;
                crate::accounts::units::create_unit_audited(state, actor, &u).await?;
            }
            root
        }
    };
    if store.site_by_code("wsx").await?.is_none() {
        // The county government office supervises policy consultations.
        let office = store.unit_by_code("wsx-zfb").await?.map(|u| u.id);
        let settings = SiteSettings {
            qa_office_unit_id: office,
            site_code: "5002370001".into(),
            icp: "渝ICP备00000000号（示例）".into(),
            police_record: "渝公网安备 50023700000000号（示例）".into(),
            sponsor: "巫山县人民政府办公室".into(),
            organizer: "巫山县政务公开工作办公室（示例）".into(),
            phone: "023-57600000".into(),
            address: "重庆市巫山县（示例地址）".into(),
            ..SiteSettings::default()
        };
        let mut tx = store.begin().await?;
        let id = tx.create_site("wsx", "巫山县人民政府门户网站（演示）", root.id, &settings).await?;
        tx.audit(gongkai_domain::audit::NewEntry::new(actor, "site.create", "site", id).unit(Some(root.id)))
            .await?;
        tx.commit().await?;
    }
    let mut lines = vec!["演示数据已就绪 / demo county ready — 登录 login at /login:".to_string()];
    for (username, display, role, unit_code, password) in USERS {
        if store.user_by_username(username).await?.is_none() {
            let unit = store
                .unit_by_code(unit_code)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo unit {unit_code} missing"))?;
            let u = Username::parse(username).map_err(|e| anyhow::anyhow!("{e}"))?;
            let p = Password::parse(password, Some(&u)).map_err(|e| anyhow::anyhow!("demo password: {e}"))?;
            crate::accounts::create_user(store, actor, &u, display, &p, *role, unit.id, false).await?;
        }
        lines.push(format!(
            "  {:<13} {:<16} {}（{}）",
            username,
            password,
            role.label_zh(),
            unit_label(unit_code)
        ));
    }
    if let Some(site) = store.site_by_code("wsx").await? {
        crate::catalogue::demo::seed(state, site.id).await?;
        crate::qa::demo::seed(state, site.id).await?;
        crate::foi::demo::seed(state, site.id).await?;
        crate::tasks::demo::seed(state, site.id).await?;
        crate::mailbox::demo::seed(state, site.id).await?;
    }
    lines.push("  （演示账户的密码公开，切勿用于生产环境 / demo passwords are public: never use them in production）".into());
    Ok(lines.join("\n"))
}

fn unit_label(code: &str) -> &'static str {
    if code == ROOT_CODE {
        return "巫山县人民政府";
    }
    UNITS.iter().find(|u| u.1 == code).map(|u| u.0).unwrap_or("")
}

fn new_unit(parent: Option<i64>, name: &str, code: &str, kind: UnitKind, phone: &str) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: UnitName::parse(name).expect("demo unit names are valid"),
        code: UnitCode::parse(code).expect("demo unit codes are valid"),
        kind,
        phone: Some(phone.to_string()),
        sort_order: 0,
    }
}
