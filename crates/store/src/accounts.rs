//! Units, sites, users, grants, sessions, login attempts and API tokens.
//!
//! Reads are methods on [`Store`]; changes are methods on [`Tx`] so the caller
//! writes the matching audit entry in the same transaction. The rules
//! (password policy, role table, unit scope) live in
//! `gongkai_domain::accounts`; this module only persists.

use crate::db::{Result, Store, StoreError, Tx, now_ts, ts};
use crate::schema::*;
use gongkai_domain::accounts::{Grant, Role, SiteSettings, UnitCode, UnitKind, UnitName, UnitPath, Username};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub name: String,
    pub code: String,
    pub kind: String,
    pub phone: Option<String>,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: String,
}

impl Unit {
    pub fn unit_path(&self) -> UnitPath {
        UnitPath::parse(&self.path).unwrap_or_else(|| UnitPath::root(self.id))
    }

    pub fn kind(&self) -> UnitKind {
        UnitKind::parse(&self.kind).unwrap_or(UnitKind::Other)
    }

    pub fn depth(&self) -> usize {
        self.unit_path().depth()
    }
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<i64>,
    pub name: UnitName,
    pub code: UnitCode,
    pub kind: UnitKind,
    pub phone: Option<String>,
    pub sort_order: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SiteRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_unit_id: i64,
    pub settings: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_unit_id: i64,
    pub settings: SiteSettings,
}

impl TryFrom<SiteRow> for Site {
    type Error = StoreError;
    fn try_from(r: SiteRow) -> Result<Site> {
        let settings = serde_json::from_str(&r.settings).map_err(|e| StoreError::Corrupt(format!("site {} settings: {e}", r.id)))?;
        Ok(Site {
            id: r.id,
            code: r.code,
            name: r.name,
            owner_unit_id: r.owner_unit_id,
            settings,
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: String,
    pub password_changed_at: String,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
}

impl GrantRow {
    pub fn to_grant(&self) -> Option<Grant> {
        Some(Grant {
            role: self.role.parse().ok()?,
            unit_id: self.unit_id,
            unit_path: UnitPath::parse(&self.unit_path)?,
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

fn unit_columns() -> [Units; 10] {
    [
        Units::Id,
        Units::ParentId,
        Units::Path,
        Units::Name,
        Units::Code,
        Units::Kind,
        Units::Phone,
        Units::SortOrder,
        Units::Active,
        Units::CreatedAt,
    ]
}

fn user_columns() -> [Users; 9] {
    [
        Users::Id,
        Users::Username,
        Users::DisplayName,
        Users::PasswordHash,
        Users::MustChangePassword,
        Users::Disabled,
        Users::CreatedAt,
        Users::PasswordChangedAt,
        Users::LastLoginAt,
    ]
}

fn unit_select() -> sea_query::SelectStatement {
    Query::select().columns(unit_columns()).from(Units::Table).to_owned()
}

fn user_select() -> sea_query::SelectStatement {
    Query::select().columns(user_columns()).from(Users::Table).to_owned()
}

fn site_select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Sites::Id,
            Sites::Code,
            Sites::Name,
            Sites::OwnerUnitId,
            Sites::Settings,
            Sites::CreatedAt,
        ])
        .from(Sites::Table)
        .to_owned()
}

fn grant_select() -> sea_query::SelectStatement {
    Query::select()
        .column((Grants::Table, Grants::Id))
        .column((Grants::Table, Grants::UserId))
        .column((Grants::Table, Grants::Role))
        .column((Grants::Table, Grants::UnitId))
        .expr_as(Expr::col((Units::Table, Units::Path)), "unit_path")
        .expr_as(Expr::col((Units::Table, Units::Name)), "unit_name")
        .from(Grants::Table)
        .inner_join(
            Units::Table,
            Expr::col((Units::Table, Units::Id)).equals((Grants::Table, Grants::UnitId)),
        )
        .order_by((Grants::Table, Grants::Id), Order::Asc)
        .to_owned()
}

/// Reads.
impl Store {
    pub async fn list_units(&self) -> Result<Vec<Unit>> {
        self.fetch_all(
            &unit_select()
                .order_by(Units::SortOrder, Order::Asc)
                .order_by(Units::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn get_unit(&self, id: i64) -> Result<Unit> {
        self.fetch_one(&unit_select().and_where(Expr::col(Units::Id).eq(id)).to_owned())
            .await
    }

    /// Units with this exact name (a province may have several 县财政局).
    pub async fn units_named(&self, name: &str) -> Result<Vec<Unit>> {
        self.fetch_all(
            &unit_select()
                .and_where(Expr::col(Units::Name).eq(name.trim()))
                .order_by(Units::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        self.fetch_optional(&unit_select().and_where(Expr::col(Units::Code).eq(code.trim())).to_owned())
            .await
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>> {
        let rows: Vec<SiteRow> = self.fetch_all(&site_select().order_by(Sites::Id, Order::Asc).to_owned()).await?;
        rows.into_iter().map(Site::try_from).collect()
    }

    pub async fn site_by_code(&self, code: &str) -> Result<Option<Site>> {
        let row: Option<SiteRow> = self
            .fetch_optional(&site_select().and_where(Expr::col(Sites::Code).eq(code)).to_owned())
            .await?;
        row.map(Site::try_from).transpose()
    }

    pub async fn get_user(&self, id: i64) -> Result<User> {
        self.fetch_one(&user_select().and_where(Expr::col(Users::Id).eq(id)).to_owned())
            .await
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        self.fetch_optional(
            &user_select()
                .and_where(Expr::col(Users::Username).eq(username.trim().to_ascii_lowercase()))
                .to_owned(),
        )
        .await
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        self.fetch_all(&user_select().order_by(Users::Id, Order::Asc).to_owned()).await
    }

    pub async fn grants_of(&self, user_id: i64) -> Result<Vec<GrantRow>> {
        self.fetch_all(
            &grant_select()
                .and_where(Expr::col((Grants::Table, Grants::UserId)).eq(user_id))
                .to_owned(),
        )
        .await
    }

    pub async fn all_grants(&self) -> Result<Vec<GrantRow>> {
        self.fetch_all(&grant_select()).await
    }

    pub async fn get_grant(&self, id: i64) -> Result<GrantRow> {
        self.fetch_one(&grant_select().and_where(Expr::col((Grants::Table, Grants::Id)).eq(id)).to_owned())
            .await
    }

    /// Failed logins for `username` at or after `since`.
    pub async fn failed_logins_since(&self, username: &str, since: chrono::DateTime<chrono::Utc>) -> Result<i64> {
        self.fetch_scalar(
            &Query::select()
                .expr(Expr::col(LoginAttempts::Id).count())
                .from(LoginAttempts::Table)
                .and_where(Expr::col(LoginAttempts::Username).eq(username.trim().to_ascii_lowercase()))
                .and_where(Expr::col(LoginAttempts::Success).eq(false))
                .and_where(Expr::col(LoginAttempts::At).gte(ts(since)))
                .to_owned(),
        )
        .await
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        self.fetch_optional(
            &Query::select()
                .columns([
                    Sessions::TokenHash,
                    Sessions::UserId,
                    Sessions::CsrfToken,
                    Sessions::CreatedAt,
                    Sessions::LastSeenAt,
                ])
                .from(Sessions::Table)
                .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
                .to_owned(),
        )
        .await
    }

    pub async fn touch_session(&self, token_hash: &str, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Sessions::Table)
                .value(Sessions::LastSeenAt, ts(at))
                .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(Sessions::Table)
                .columns([
                    Sessions::TokenHash,
                    Sessions::UserId,
                    Sessions::CsrfToken,
                    Sessions::CreatedAt,
                    Sessions::LastSeenAt,
                ])
                .values_panic([token_hash.into(), user_id.into(), csrf.into(), ts(at).into(), ts(at).into()])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(Sessions::Table)
                .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Removes sessions idle since before `idle_before` or created before
    /// `created_before`; returns how many.
    pub async fn purge_sessions(
        &self,
        idle_before: chrono::DateTime<chrono::Utc>,
        created_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64> {
        self.execute(
            &Query::delete()
                .from_table(Sessions::Table)
                .cond_where(
                    sea_query::Cond::any()
                        .add(Expr::col(Sessions::LastSeenAt).lt(ts(idle_before)))
                        .add(Expr::col(Sessions::CreatedAt).lt(ts(created_before))),
                )
                .to_owned(),
        )
        .await
    }

    pub async fn record_login_attempt(&self, username: &str, success: bool, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(LoginAttempts::Table)
                .columns([LoginAttempts::Username, LoginAttempts::Success, LoginAttempts::At])
                .values_panic([username.trim().to_ascii_lowercase().into(), success.into(), ts(at).into()])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        self.fetch_optional(&token_select().and_where(Expr::col(ApiTokens::TokenHash).eq(token_hash)).to_owned())
            .await
    }

    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        self.fetch_all(
            &token_select()
                .and_where(Expr::col(ApiTokens::UserId).eq(user_id))
                .order_by(ApiTokens::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn get_token(&self, id: i64) -> Result<ApiToken> {
        self.fetch_one(&token_select().and_where(Expr::col(ApiTokens::Id).eq(id)).to_owned())
            .await
    }

    pub async fn touch_token(&self, id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(ApiTokens::Table)
                .value(ApiTokens::LastUsedAt, now_ts())
                .and_where(Expr::col(ApiTokens::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }
}

fn token_select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            ApiTokens::Id,
            ApiTokens::UserId,
            ApiTokens::Label,
            ApiTokens::TokenHash,
            ApiTokens::CreatedAt,
            ApiTokens::LastUsedAt,
            ApiTokens::RevokedAt,
        ])
        .from(ApiTokens::Table)
        .to_owned()
}

/// Changes, inside a transaction.
impl Tx {
    /// Creates a unit under `parent_id` (or a root unit) and sets its path.
    pub async fn create_unit(&mut self, u: &NewUnit) -> Result<Unit> {
        let parent_path = match u.parent_id {
            Some(pid) => {
                let p: Unit = self
                    .fetch_one(&unit_select().and_where(Expr::col(Units::Id).eq(pid)).to_owned())
                    .await?;
                Some(p.unit_path())
            }
            None => None,
        };
        let created = now_ts();
        let id: i64 = self
            .fetch_scalar(
                &Query::insert()
                    .into_table(Units::Table)
                    .columns([
                        Units::ParentId,
                        Units::Path,
                        Units::Name,
                        Units::Code,
                        Units::Kind,
                        Units::Phone,
                        Units::SortOrder,
                        Units::Active,
                        Units::CreatedAt,
                    ])
                    .values_panic([
                        u.parent_id.into(),
                        "/".into(),
                        u.name.as_str().into(),
                        u.code.as_str().into(),
                        u.kind.as_str().into(),
                        u.phone.clone().into(),
                        u.sort_order.into(),
                        true.into(),
                        created.into(),
                    ])
                    .returning_col(Units::Id)
                    .to_owned(),
            )
            .await?;
        let path = match parent_path {
            Some(p) => p.child(id),
            None => UnitPath::root(id),
        };
        self.execute(
            &Query::update()
                .table(Units::Table)
                .value(Units::Path, path.as_str())
                .and_where(Expr::col(Units::Id).eq(id))
                .to_owned(),
        )
        .await?;
        self.fetch_one(&unit_select().and_where(Expr::col(Units::Id).eq(id)).to_owned())
            .await
    }

    pub async fn update_unit(
        &mut self,
        id: i64,
        name: &UnitName,
        kind: UnitKind,
        phone: Option<&str>,
        sort_order: i64,
        active: bool,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Units::Table)
                    .value(Units::Name, name.as_str())
                    .value(Units::Kind, kind.as_str())
                    .value(Units::Phone, phone.map(str::to_string))
                    .value(Units::SortOrder, sort_order)
                    .value(Units::Active, active)
                    .and_where(Expr::col(Units::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn create_site(&mut self, code: &str, name: &str, owner_unit_id: i64, settings: &SiteSettings) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(Sites::Table)
                .columns([Sites::Code, Sites::Name, Sites::OwnerUnitId, Sites::Settings, Sites::CreatedAt])
                .values_panic([
                    code.into(),
                    name.into(),
                    owner_unit_id.into(),
                    json(settings).into(),
                    now_ts().into(),
                ])
                .returning_col(Sites::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn update_site(&mut self, id: i64, name: &str, settings: &SiteSettings) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Sites::Table)
                    .value(Sites::Name, name)
                    .value(Sites::Settings, json(settings))
                    .and_where(Expr::col(Sites::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn create_user(&mut self, username: &Username, display_name: &str, password_hash: &str, must_change: bool) -> Result<i64> {
        let now = now_ts();
        self.fetch_scalar(
            &Query::insert()
                .into_table(Users::Table)
                .columns([
                    Users::Username,
                    Users::DisplayName,
                    Users::PasswordHash,
                    Users::MustChangePassword,
                    Users::Disabled,
                    Users::CreatedAt,
                    Users::PasswordChangedAt,
                ])
                .values_panic([
                    username.as_str().into(),
                    display_name.trim().into(),
                    password_hash.into(),
                    must_change.into(),
                    false.into(),
                    now.clone().into(),
                    now.into(),
                ])
                .returning_col(Users::Id)
                .to_owned(),
        )
        .await
    }

    /// Sets a new password hash; `must_change` forces a change at next login
    /// (after an administrator's reset). Ends the user's sessions.
    pub async fn set_password(&mut self, user_id: i64, password_hash: &str, must_change: bool) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .value(Users::PasswordHash, password_hash)
                    .value(Users::MustChangePassword, must_change)
                    .value(Users::PasswordChangedAt, now_ts())
                    .and_where(Expr::col(Users::Id).eq(user_id))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.execute(
            &Query::delete()
                .from_table(Sessions::Table)
                .and_where(Expr::col(Sessions::UserId).eq(user_id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Disables or re-enables a user; disabling ends its sessions and revokes
    /// nothing else (tokens are refused while the user is disabled).
    pub async fn set_user_disabled(&mut self, user_id: i64, disabled: bool) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .value(Users::Disabled, disabled)
                    .and_where(Expr::col(Users::Id).eq(user_id))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            self.execute(
                &Query::delete()
                    .from_table(Sessions::Table)
                    .and_where(Expr::col(Sessions::UserId).eq(user_id))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    pub async fn set_display_name(&mut self, user_id: i64, display_name: &str) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Users::Table)
                .value(Users::DisplayName, display_name.trim())
                .and_where(Expr::col(Users::Id).eq(user_id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn mark_login(&mut self, user_id: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Users::Table)
                .value(Users::LastLoginAt, now_ts())
                .and_where(Expr::col(Users::Id).eq(user_id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn add_grant(&mut self, user_id: i64, role: Role, unit_id: i64) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(Grants::Table)
                .columns([Grants::UserId, Grants::Role, Grants::UnitId, Grants::CreatedAt])
                .values_panic([user_id.into(), role.as_str().into(), unit_id.into(), now_ts().into()])
                .returning_col(Grants::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn remove_grant(&mut self, grant_id: i64) -> Result<()> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(Grants::Table)
                    .and_where(Expr::col(Grants::Id).eq(grant_id))
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn create_token(&mut self, user_id: i64, label: &str, token_hash: &str) -> Result<i64> {
        self.fetch_scalar(
            &Query::insert()
                .into_table(ApiTokens::Table)
                .columns([ApiTokens::UserId, ApiTokens::Label, ApiTokens::TokenHash, ApiTokens::CreatedAt])
                .values_panic([user_id.into(), label.trim().into(), token_hash.into(), now_ts().into()])
                .returning_col(ApiTokens::Id)
                .to_owned(),
        )
        .await
    }

    pub async fn revoke_token(&mut self, id: i64) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(ApiTokens::Table)
                    .value(ApiTokens::RevokedAt, now_ts())
                    .and_where(Expr::col(ApiTokens::Id).eq(id))
                    .and_where(Expr::col(ApiTokens::RevokedAt).is_null())
                    .to_owned(),
            )
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}
