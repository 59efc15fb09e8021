//! Accounts, roles and unit-scoped permissions.
//!
//! What it is for: the rules behind who may do what. A user holds *grants*,
//! each a [`Role`] over one unit; a grant covers that unit and every unit
//! below it in the tree ([`UnitPath`]). [`Role::allows`] is the one table of
//! which role may perform which [`Action`]; [`authorize`] combines it with
//! the unit scope. Passwords follow the policy of 《信息安全技术 网络安全等级
//! 保护基本要求》(GB/T 22239-2019) 8.1.4.1 as commonly applied to government
//! sites: at least 8 characters from at least 3 character classes, changed
//! after first login, and accounts locked after repeated failures.
//!
//! What it is not for: storing users or sessions (the `store` crate) or
//! reading cookies (the `app` crate).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Failed logins within [`LOCKOUT_WINDOW_MINUTES`] that lock an account.
pub const LOCKOUT_THRESHOLD: usize = 5;
/// The sliding window, in minutes, in which failed logins are counted.
pub const LOCKOUT_WINDOW_MINUTES: i64 = 15;
/// A session unused for this many minutes expires (configurable per deployment).
pub const DEFAULT_IDLE_TIMEOUT_MINUTES: i64 = 30;
/// A session expires this many hours after login, however active.
pub const SESSION_MAX_HOURS: i64 = 12;

/// The roles of the platform. A user may hold several, each over a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: the whole deployment, whatever unit the grant names.
    SystemAdmin,
    /// 单位管理员: the units and users of its subtree.
    UnitAdmin,
    /// 信息编辑: drafts content of its units.
    Editor,
    /// 审核人: review stages of its units' content.
    Reviewer,
    /// 办理人: handles cases (applications, messages, consultations).
    CaseHandler,
    /// 分管领导: reads everything in scope, changes nothing.
    Leader,
}

/// Every action a permission check exists for. Later domains add theirs here
/// so that the role table below stays the single source of truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Create sites and edit their settings (footer identifiers, review stages).
    ManageSites,
    /// Create, rename and move units below the scope.
    ManageUnits,
    /// Create users, disable them, reset passwords, grant roles in scope.
    ManageUsers,
    /// Import a year's holiday arrangement into the working-day calendar.
    ManageCalendar,
    /// Read the audit log of the scope.
    ViewAudit,
    /// Draft and edit content (documents, Q&A entries, replies).
    EditContent,
    /// Approve or reject content at a review stage.
    ReviewContent,
    /// Handle cases: applications, messages, consultations, tasks.
    HandleCases,
    /// Read dashboards, ledgers and statistics.
    ViewDashboards,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::SystemAdmin,
        Role::UnitAdmin,
        Role::Editor,
        Role::Reviewer,
        Role::CaseHandler,
        Role::Leader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::CaseHandler => "case_handler",
            Role::Leader => "leader",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::UnitAdmin => "单位管理员",
            Role::Editor => "信息编辑",
            Role::Reviewer => "审核人",
            Role::CaseHandler => "办理人",
            Role::Leader => "领导（只读）",
        }
    }

    /// The permission table: may this role perform `action` at all?
    /// The unit scope is checked separately by [`authorize`].
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::SystemAdmin => true,
            Role::UnitAdmin => matches!(action, ManageUnits | ManageUsers | ViewAudit | ViewDashboards),
            Role::Editor => matches!(action, EditContent | ViewDashboards),
            Role::Reviewer => matches!(action, ReviewContent | ViewDashboards),
            Role::CaseHandler => matches!(action, HandleCases | ViewDashboards),
            Role::Leader => matches!(action, ViewAudit | ViewDashboards),
        }
    }

    /// Roles a holder of `self` may grant to others (within its scope).
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::SystemAdmin => true,
            Role::UnitAdmin => other != Role::SystemAdmin,
            _ => false,
        }
    }
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::ManageSites,
        Action::ManageUnits,
        Action::ManageUsers,
        Action::ManageCalendar,
        Action::ViewAudit,
        Action::EditContent,
        Action::ReviewContent,
        Action::HandleCases,
        Action::ViewDashboards,
    ];

    /// Actions that concern the whole deployment rather than a unit subtree.
    pub fn is_global(self) -> bool {
        matches!(self, Action::ManageSites | Action::ManageCalendar)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`; expected one of system_admin, unit_admin, editor, reviewer, case_handler, leader")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// The position of a unit in the tree: the ids from the root down to the unit
/// itself, stored as `/1/4/17/`. A grant on a unit covers every unit whose
/// path starts with the grant's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitPath(String);

impl UnitPath {
    pub fn root(id: i64) -> Self {
        UnitPath(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        UnitPath(format!("{}{id}/", self.0))
    }

    /// Parses a stored path; rejects anything but `/id/…/id/`.
    pub fn parse(s: &str) -> Option<Self> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty() || !inner.split('/').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        Some(UnitPath(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.0.split('/').filter_map(|p| p.parse().ok())
    }

    pub fn depth(&self) -> usize {
        self.ids().count()
    }

    /// Is `self` the same unit as `other` or one of its ancestors?
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }
}

/// One role held over one unit (and its subtree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub unit_id: i64,
    pub unit_path: UnitPath,
}

/// What a permission check is about: the unit owning the object, or the
/// deployment as a whole (global actions, and lists across every unit),
/// which only a system administrator reaches.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Global,
    Unit(&'a UnitPath),
}

/// May a holder of `grants` perform `action` on an object of `scope`?
/// A system administrator may do everything; anyone else needs a grant whose
/// role allows the (non-global) action and whose unit contains the object's.
pub fn authorize(grants: &[Grant], action: Action, scope: Scope<'_>) -> bool {
    grants.iter().any(|g| {
        if g.role == Role::SystemAdmin {
            return true;
        }
        match scope {
            Scope::Global => false,
            Scope::Unit(path) => !action.is_global() && g.role.allows(action) && g.unit_path.contains(path),
        }
    })
}

/// What kind of body a unit is; townships and streets are listed apart on
/// the portal and in the task lists' collective names (各乡镇（街道）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 人民政府 (the root of a county or city).
    Government,
    /// 政府工作部门 and offices (县发展改革委, 县政府办公室, …).
    Department,
    /// 乡镇人民政府.
    Township,
    /// 街道办事处.
    Street,
    /// 事业单位 and other bodies.
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Government,
        UnitKind::Department,
        UnitKind::Township,
        UnitKind::Street,
        UnitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Department => "department",
            UnitKind::Township => "township",
            UnitKind::Street => "street",
            UnitKind::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::Government => "人民政府",
            UnitKind::Department => "政府部门",
            UnitKind::Township => "乡镇",
            UnitKind::Street => "街道",
            UnitKind::Other => "其他单位",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A unit's name: 2–64 characters, no control characters or slashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim();
        let n = s.chars().count();
        if !(2..=64).contains(&n) {
            return Err("单位名称长度应为2至64个字符");
        }
        if s.chars().any(|c| c.is_control() || c == '/') {
            return Err("单位名称不能包含控制字符或“/”");
        }
        Ok(UnitName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit code: the organisation code used in 索引号 (e.g. `11500237MB1234567X`
/// or a short local code such as `wsxfgw`): 2–32 ASCII letters, digits or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim();
        if !(2..=32).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("单位代码应为2至32位字母、数字或“-”");
        }
        Ok(UnitCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Per-site settings: the identifiers government sites must show in their
/// footer (《政府网站发展指引》国办发〔2017〕47号: 网站标识码, ICP 备案号,
/// 公安机关备案号, 主办/承办单位, 联系电话) and the review stages (三审三校).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    pub site_code: String,
    pub icp: String,
    pub police_record: String,
    pub sponsor: String,
    pub organizer: String,
    pub phone: String,
    pub address: String,
    pub review_stages: Vec<String>,
    /// Working days a unit has to reply to a registered policy consultation
    /// (the responsibility list says 5).
    pub qa_reply_days: u32,
    /// The unit that supervises consultations (政务公开 office, usually the
    /// government office 政府办): it receives questions no unit is found
    /// for and overdue tickets, and sees the whole ledger. `None`: the site's
    /// owning unit.
    pub qa_office_unit_id: Option<i64>,
    /// Working days a unit has to answer a mailbox message, per category
    /// (`consultation`, `suggestion`, …); a missing category takes its
    /// default (咨询 5, 建议 10, 投诉 10, 求助 5, 其他 5).
    pub mailbox_reply_days: std::collections::BTreeMap<String, u32>,
    /// The unit each routing topic (城乡建设, 劳动和社会保障, …) goes to,
    /// for a new site's routing suggestions before it has history.
    pub mailbox_topic_units: std::collections::BTreeMap<String, i64>,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            site_code: String::new(),
            icp: String::new(),
            police_record: String::new(),
            sponsor: String::new(),
            organizer: String::new(),
            phone: String::new(),
            address: String::new(),
            review_stages: vec!["初审".into(), "复审".into(), "终审".into()],
            qa_reply_days: crate::qa::consult::DEFAULT_REPLY_DAYS,
            qa_office_unit_id: None,
            mailbox_reply_days: Default::default(),
            mailbox_topic_units: Default::default(),
        }
    }
}

impl SiteSettings {
    /// Validates what an administrator entered; returns (field, message) pairs.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.review_stages.is_empty() || self.review_stages.len() > 3 {
            return Err(("review_stages", "审核环节应为1至3个"));
        }
        if self.review_stages.iter().any(|s| s.trim().is_empty() || s.chars().count() > 16) {
            return Err(("review_stages", "审核环节名称不能为空且不超过16个字符"));
        }
        if !(1..=30).contains(&self.qa_reply_days) {
            return Err(("qa_reply_days", "政策咨询答复时限应为1至30个工作日"));
        }
        if !self.site_code.is_empty() && !self.site_code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(("site_code", "网站标识码只能包含字母和数字"));
        }
        if !self.phone.is_empty()
            && !self
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '（' | '）' | '、' | ','))
        {
            return Err(("phone", "联系电话格式不正确"));
        }
        Ok(())
    }
}

/// May a holder of `actor` manage (disable, reset, edit) a user holding
/// `target`? Only if the actor may manage users in every unit the target
/// holds a grant in, and only a system administrator manages one. A user
/// without any grant is managed by system administrators alone.
pub fn may_manage_user(actor: &[Grant], target: &[Grant]) -> bool {
    if actor.iter().any(|g| g.role == Role::SystemAdmin) {
        return true;
    }
    !target.is_empty()
        && target
            .iter()
            .all(|t| t.role != Role::SystemAdmin && authorize(actor, Action::ManageUsers, Scope::Unit(&t.unit_path)))
}

/// May a holder of `actor` grant `role` over the unit at `unit`?
pub fn may_grant(actor: &[Grant], role: Role, unit: &UnitPath) -> bool {
    actor
        .iter()
        .any(|g| g.role.may_grant(role) && (g.role == Role::SystemAdmin || g.unit_path.contains(unit)))
}

/// A username: 3–32 characters of ASCII letters, digits, `_`, `.` or `-`,
/// starting with a letter; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("username must be 3 to 32 characters long")]
    Length,
    #[error("username must start with a letter and contain only letters, digits, '_', '.' or '-'")]
    Characters,
}

impl UsernameError {
    pub fn message_zh(&self) -> &'static str {
        match self {
            UsernameError::Length => "用户名长度应为3至32个字符",
            UsernameError::Characters => "用户名须以字母开头，只能包含字母、数字、下划线、点或连字符",
        }
    }
}

impl Username {
    pub fn parse(s: &str) -> Result<Self, UsernameError> {
        let s = s.trim().to_ascii_lowercase();
        if !(3..=32).contains(&s.chars().count()) {
            return Err(UsernameError::Length);
        }
        let mut chars = s.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        if !first_ok || !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return Err(UsernameError::Characters);
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that satisfies the policy. Its `Debug` never shows the text.
#[derive(Clone)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least 8 characters long")]
    TooShort,
    #[error("password must be at most 128 characters long")]
    TooLong,
    #[error("password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols")]
    TooSimple,
    #[error("password must not contain the username")]
    ContainsUsername,
}

impl PasswordError {
    pub fn message_zh(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "密码长度不少于8位",
            PasswordError::TooLong => "密码长度不超过128位",
            PasswordError::TooSimple => "密码须包含小写字母、大写字母、数字、符号中的至少三类",
            PasswordError::ContainsUsername => "密码不得包含用户名",
        }
    }
}

pub const PASSWORD_MIN_LEN: usize = 8;

impl Password {
    /// Checks the policy: ≥ 8 characters, ≥ 3 of the 4 character classes, and
    /// not containing the username.
    pub fn parse(s: &str, username: Option<&Username>) -> Result<Self, PasswordError> {
        let len = s.chars().count();
        if len < PASSWORD_MIN_LEN {
            return Err(PasswordError::TooShort);
        }
        if len > 128 {
            return Err(PasswordError::TooLong);
        }
        let classes = [
            s.chars().any(|c| c.is_ascii_lowercase()),
            s.chars().any(|c| c.is_ascii_uppercase()),
            s.chars().any(|c| c.is_ascii_digit()),
            s.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        if classes.iter().filter(|c| **c).count() < 3 {
            return Err(PasswordError::TooSimple);
        }
        if username.is_some_and(|u| s.to_ascii_lowercase().contains(u.as_str())) {
            return Err(PasswordError::ContainsUsername);
        }
        Ok(Password(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hashes with argon2id (RFC 9106 defaults of the `argon2` crate) and a
    /// random salt, giving a PHC string.
    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

fn hash_secret(secret: &str) -> String {
    use argon2::{Argon2, password_hash::PasswordHasher};
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        // Hashing only fails for parameter errors, impossible with the defaults.
        .expect("argon2 with default parameters")
}

/// Verifies a password attempt against a stored PHC string. Any malformed
/// hash counts as a mismatch.
pub fn verify_password(attempt: &str, phc: &str) -> bool {
    use argon2::{
        Argon2,
        password_hash::{PasswordVerifier, phc::PasswordHash},
    };
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(attempt.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so that a login
/// for an unknown name costs the same time as one for a known name.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_secret("gongkai-dummy-password"))
}

/// Should a login be refused because of recent failures?
pub fn is_locked_out(failures_in_window: usize) -> bool {
    failures_in_window >= LOCKOUT_THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        let p = UnitPath::parse(path).unwrap();
        Grant {
            role,
            unit_id: p.ids().last().unwrap(),
            unit_path: p,
        }
    }

    #[test]
    fn role_table_is_exhaustive_and_as_specified() {
        use Action::*;
        let expected: &[(Role, &[Action])] = &[
            (Role::SystemAdmin, &Action::ALL),
            (Role::UnitAdmin, &[ManageUnits, ManageUsers, ViewAudit, ViewDashboards]),
            (Role::Editor, &[EditContent, ViewDashboards]),
            (Role::Reviewer, &[ReviewContent, ViewDashboards]),
            (Role::CaseHandler, &[HandleCases, ViewDashboards]),
            (Role::Leader, &[ViewAudit, ViewDashboards]),
        ];
        for (role, allowed) in expected {
            for action in Action::ALL {
                assert_eq!(role.allows(action), allowed.contains(&action), "{role:?} × {action:?}");
            }
        }
    }

    #[test]
    fn every_role_action_pair_respects_unit_scope() {
        // County government /1/, finance bureau /1/2/, education /1/3/.
        let finance = UnitPath::parse("/1/2/").unwrap();
        let education = UnitPath::parse("/1/3/").unwrap();
        let finance_sub = UnitPath::parse("/1/2/9/").unwrap();
        for role in Role::ALL {
            for action in Action::ALL {
                let g = [grant(role, "/1/2/")];
                let in_scope = authorize(&g, action, Scope::Unit(&finance));
                let below = authorize(&g, action, Scope::Unit(&finance_sub));
                let other = authorize(&g, action, Scope::Unit(&education));
                let expect = role.allows(action) && (!action.is_global() || role == Role::SystemAdmin);
                assert_eq!(in_scope, expect, "{role:?} {action:?} own unit");
                assert_eq!(below, expect, "{role:?} {action:?} sub-unit");
                // A system administrator's grant covers the deployment; every
                // other role stops at its unit's subtree.
                assert_eq!(other, role == Role::SystemAdmin, "{role:?} {action:?} on a sibling unit");
                let global = authorize(&g, action, Scope::Global);
                assert_eq!(
                    global,
                    role == Role::SystemAdmin,
                    "{role:?} {action:?} global from a department grant"
                );
            }
        }
    }

    #[test]
    fn global_actions_need_system_admin_even_at_the_root() {
        let root_admin = [grant(Role::UnitAdmin, "/1/")];
        assert!(!authorize(&root_admin, Action::ManageCalendar, Scope::Global));
        assert!(!authorize(&root_admin, Action::ManageSites, Scope::Global));
        assert!(!authorize(&root_admin, Action::ManageCalendar, Scope::Unit(&UnitPath::root(1))));
        assert!(authorize(
            &root_admin,
            Action::ManageUsers,
            Scope::Unit(&UnitPath::root(1).child(4))
        ));
        let sys = [grant(Role::SystemAdmin, "/1/")];
        assert!(authorize(&sys, Action::ManageCalendar, Scope::Global));
    }

    #[test]
    fn unit_path_prefix_is_by_whole_ids() {
        let p1 = UnitPath::parse("/1/2/").unwrap();
        let p12 = UnitPath::parse("/1/23/").unwrap();
        assert!(!p1.contains(&p12), "/1/2/ must not contain /1/23/");
        assert!(p1.contains(&p1.child(23)));
        assert_eq!(UnitPath::root(5).child(7).as_str(), "/5/7/");
        assert!(UnitPath::parse("/1//").is_none());
        assert!(UnitPath::parse("1/2/").is_none());
        assert!(UnitPath::parse("/a/").is_none());
    }

    #[test]
    fn password_policy() {
        let u = Username::parse("Zhang.San").unwrap();
        assert_eq!(u.as_str(), "zhang.san");
        assert_eq!(Password::parse("Ab1!", None).unwrap_err(), PasswordError::TooShort);
        assert_eq!(Password::parse("abcdefgh1", None).unwrap_err(), PasswordError::TooSimple);
        assert!(Password::parse("abcdefg1!", None).is_ok());
        assert!(Password::parse("Abcdefgh1", None).is_ok());
        assert_eq!(
            Password::parse("zhang.san1A", Some(&u)).unwrap_err(),
            PasswordError::ContainsUsername
        );
        assert_eq!(format!("{:?}", Password::parse("Abcdefgh1", None).unwrap()), "Password(***)");
    }

    #[test]
    fn username_rules() {
        assert_eq!(Username::parse("ab").unwrap_err(), UsernameError::Length);
        assert_eq!(Username::parse("1abc").unwrap_err(), UsernameError::Characters);
        assert_eq!(Username::parse("ab c").unwrap_err(), UsernameError::Characters);
        assert!(Username::parse("editor_finance").is_ok());
    }

    #[test]
    fn hashing_round_trip() {
        let p = Password::parse("Gongkai#2021", None).unwrap();
        let h = p.hash();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Gongkai#2021", &h));
        assert!(!verify_password("Gongkai#2022", &h));
        assert!(!verify_password("Gongkai#2021", "not a hash"));
        assert_ne!(h, p.hash(), "salts differ");
    }

    #[test]
    fn managing_users_needs_scope_over_all_their_grants() {
        let finance_admin = [grant(Role::UnitAdmin, "/1/2/")];
        assert!(may_manage_user(&finance_admin, &[grant(Role::Editor, "/1/2/")]));
        assert!(may_manage_user(&finance_admin, &[grant(Role::Editor, "/1/2/7/")]));
        assert!(!may_manage_user(
            &finance_admin,
            &[grant(Role::Editor, "/1/2/"), grant(Role::Editor, "/1/3/")]
        ));
        assert!(!may_manage_user(&finance_admin, &[]));
        let root_admin = [grant(Role::UnitAdmin, "/1/")];
        assert!(!may_manage_user(&root_admin, &[grant(Role::SystemAdmin, "/1/")]));
        let editor = [grant(Role::Editor, "/1/2/")];
        assert!(!may_manage_user(&editor, &[grant(Role::Editor, "/1/2/")]));
        let sys = [grant(Role::SystemAdmin, "/1/")];
        assert!(may_manage_user(&sys, &[grant(Role::SystemAdmin, "/1/")]));
        assert!(may_manage_user(&sys, &[]));
    }

    #[test]
    fn granting_roles() {
        let finance_admin = [grant(Role::UnitAdmin, "/1/2/")];
        let finance = UnitPath::parse("/1/2/").unwrap();
        let education = UnitPath::parse("/1/3/").unwrap();
        assert!(may_grant(&finance_admin, Role::Editor, &finance));
        assert!(may_grant(&finance_admin, Role::UnitAdmin, &finance));
        assert!(!may_grant(&finance_admin, Role::SystemAdmin, &finance));
        assert!(!may_grant(&finance_admin, Role::Editor, &education));
        assert!(!may_grant(&[grant(Role::Editor, "/1/2/")], Role::Editor, &finance));
    }

    #[test]
    fn lockout_after_five_failures() {
        assert!(!is_locked_out(4));
        assert!(is_locked_out(5));
    }

    #[test]
    fn roles_parse() {
        assert_eq!("reviewer".parse::<Role>().unwrap(), Role::Reviewer);
        assert!("root".parse::<Role>().is_err());
        for r in Role::ALL {
            assert!(Role::SystemAdmin.may_grant(r));
            assert_eq!(Role::UnitAdmin.may_grant(r), r != Role::SystemAdmin);
            if !matches!(r, Role::SystemAdmin | Role::UnitAdmin) {
                assert!(Role::ALL.iter().all(|o| !r.may_grant(*o)));
            }
        }
    }
}
