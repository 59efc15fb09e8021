//! Table and column names, and the migrations that create them.
//!
//! Migrations are sea-query schema statements, rendered for whichever backend
//! runs them, so the schema is written once. Each migration has a version;
//! applied versions are recorded in `schema_migrations`, and a migration is
//! never edited after it has shipped: changes come as new versions.

use crate::db::{Conn, Result, Store, now_ts};
use sea_query::{ColumnDef, Expr, ForeignKey, ForeignKeyAction, Func, Iden, Index, Query, Table, TableCreateStatement};

#[derive(Iden, Clone, Copy)]
pub enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Units {
    Table,
    Id,
    ParentId,
    Path,
    Name,
    Code,
    Kind,
    Phone,
    SortOrder,
    Active,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Sites {
    Table,
    Id,
    Code,
    Name,
    OwnerUnitId,
    Settings,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    MustChangePassword,
    Disabled,
    CreatedAt,
    PasswordChangedAt,
    LastLoginAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Grants {
    Table,
    Id,
    UserId,
    Role,
    UnitId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Sessions {
    Table,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
}

#[derive(Iden, Clone, Copy)]
pub enum LoginAttempts {
    Table,
    Id,
    Username,
    Success,
    At,
}

#[derive(Iden, Clone, Copy)]
pub enum ApiTokens {
    Table,
    Id,
    UserId,
    Label,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum AuditLog {
    Table,
    Seq,
    At,
    Actor,
    UnitId,
    Action,
    ObjectType,
    ObjectId,
    Detail,
    PrevHash,
    Hash,
}

#[derive(Iden, Clone, Copy)]
pub enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(Iden, Clone, Copy)]
pub enum CalendarYears {
    Table,
    Year,
    Arrangement,
    ImportedAt,
    ImportedBy,
}

fn id(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn text(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).text().not_null().to_owned()
}

fn text_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

fn bigint(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

fn bigint_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().to_owned()
}

fn flag(col: impl Iden + 'static, default: bool) -> ColumnDef {
    ColumnDef::new(col).boolean().not_null().default(default).to_owned()
}

fn fk(
    from: (impl Iden + 'static, impl Iden + 'static),
    to: (impl Iden + 'static, impl Iden + 'static),
    on_delete: ForeignKeyAction,
) -> sea_query::ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

enum Step {
    Table(TableCreateStatement),
    Index(sea_query::IndexCreateStatement),
    Insert(sea_query::InsertStatement),
}

fn migration_1() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Table(
            Table::create()
                .table(Units::Table)
                .col(id(Units::Id))
                .col(bigint_null(Units::ParentId))
                .col(text(Units::Path))
                .col(text(Units::Name))
                .col(ColumnDef::new(Units::Code).text().not_null().unique_key())
                .col(text(Units::Kind))
                .col(text_null(Units::Phone))
                .col(ColumnDef::new(Units::SortOrder).big_integer().not_null().default(0))
                .col(flag(Units::Active, true))
                .col(text(Units::CreatedAt))
                .foreign_key(&mut fk((Units::Table, Units::ParentId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("units_parent_name")
                .table(Units::Table)
                .col(Units::ParentId)
                .col(Units::Name)
                .unique()
                .to_owned(),
        ),
        Step::Index(Index::create().name("units_path").table(Units::Table).col(Units::Path).to_owned()),
        Step::Table(
            Table::create()
                .table(Sites::Table)
                .col(id(Sites::Id))
                .col(ColumnDef::new(Sites::Code).text().not_null().unique_key())
                .col(text(Sites::Name))
                .col(bigint(Sites::OwnerUnitId))
                .col(text(Sites::Settings))
                .col(text(Sites::CreatedAt))
                .foreign_key(&mut fk((Sites::Table, Sites::OwnerUnitId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(ColumnDef::new(Users::Username).text().not_null().unique_key())
                .col(text(Users::DisplayName))
                .col(text(Users::PasswordHash))
                .col(flag(Users::MustChangePassword, true))
                .col(flag(Users::Disabled, false))
                .col(text(Users::CreatedAt))
                .col(text(Users::PasswordChangedAt))
                .col(text_null(Users::LastLoginAt))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Grants::Table)
                .col(id(Grants::Id))
                .col(bigint(Grants::UserId))
                .col(text(Grants::Role))
                .col(bigint(Grants::UnitId))
                .col(text(Grants::CreatedAt))
                .foreign_key(&mut fk((Grants::Table, Grants::UserId), (Users::Table, Users::Id), Cascade))
                .foreign_key(&mut fk((Grants::Table, Grants::UnitId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("grants_unique")
                .table(Grants::Table)
                .col(Grants::UserId)
                .col(Grants::Role)
                .col(Grants::UnitId)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::TokenHash).text().not_null().primary_key())
                .col(bigint(Sessions::UserId))
                .col(text(Sessions::CsrfToken))
                .col(text(Sessions::CreatedAt))
                .col(text(Sessions::LastSeenAt))
                .foreign_key(&mut fk((Sessions::Table, Sessions::UserId), (Users::Table, Users::Id), Cascade))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(id(LoginAttempts::Id))
                .col(text(LoginAttempts::Username))
                .col(flag(LoginAttempts::Success, false))
                .col(text(LoginAttempts::At))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("login_attempts_user_at")
                .table(LoginAttempts::Table)
                .col(LoginAttempts::Username)
                .col(LoginAttempts::At)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(ApiTokens::Table)
                .col(id(ApiTokens::Id))
                .col(bigint(ApiTokens::UserId))
                .col(text(ApiTokens::Label))
                .col(ColumnDef::new(ApiTokens::TokenHash).text().not_null().unique_key())
                .col(text(ApiTokens::CreatedAt))
                .col(text_null(ApiTokens::LastUsedAt))
                .col(text_null(ApiTokens::RevokedAt))
                .foreign_key(&mut fk((ApiTokens::Table, ApiTokens::UserId), (Users::Table, Users::Id), Cascade))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(AuditLog::Table)
                .col(ColumnDef::new(AuditLog::Seq).big_integer().not_null().primary_key())
                .col(text(AuditLog::At))
                .col(text(AuditLog::Actor))
                .col(bigint_null(AuditLog::UnitId))
                .col(text(AuditLog::Action))
                .col(text(AuditLog::ObjectType))
                .col(text(AuditLog::ObjectId))
                .col(text(AuditLog::Detail))
                .col(text(AuditLog::PrevHash))
                .col(text(AuditLog::Hash))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("audit_log_object")
                .table(AuditLog::Table)
                .col(AuditLog::ObjectType)
                .col(AuditLog::ObjectId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(AuditHead::Table)
                .col(ColumnDef::new(AuditHead::Id).big_integer().not_null().primary_key())
                .col(bigint(AuditHead::Seq))
                .col(text(AuditHead::Hash))
                .to_owned(),
        ),
        Step::Insert(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                .values_panic([1i64.into(), 0i64.into(), gongkai_domain::audit::GENESIS.into()])
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(CalendarYears::Table)
                .col(ColumnDef::new(CalendarYears::Year).big_integer().not_null().primary_key())
                .col(text(CalendarYears::Arrangement))
                .col(text(CalendarYears::ImportedAt))
                .col(text(CalendarYears::ImportedBy))
                .to_owned(),
        ),
    ]
}

/// A migration: version, description, and the statements it runs.
type Migration = (i64, &'static str, fn() -> Vec<Step>);

/// All migrations, in order. Append only.
fn migrations() -> Vec<Migration> {
    vec![(
        1,
        "foundation: units, sites, users, grants, sessions, tokens, audit, calendar",
        migration_1,
    )]
}

/// The highest schema version this build knows.
pub fn latest_version() -> i64 {
    migrations().last().map_or(0, |m| m.0)
}

impl Store {
    /// Applies every migration not yet applied; safe to call from several app
    /// nodes at once. Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut lock = self.conn().await?;
        self.migration_lock(&mut lock).await?;
        let result = self.migrate_locked().await;
        self.migration_unlock(&mut lock).await?;
        result
    }

    async fn migrate_locked(&self) -> Result<Vec<i64>> {
        let mut conn: Conn = self.conn().await?;
        conn.execute_schema(
            &Table::create()
                .table(SchemaMigrations::Table)
                .if_not_exists()
                .col(ColumnDef::new(SchemaMigrations::Version).big_integer().not_null().primary_key())
                .col(text(SchemaMigrations::Name))
                .col(text(SchemaMigrations::AppliedAt))
                .to_owned(),
        )
        .await?;
        drop(conn);
        let applied: Vec<i64> = self.applied_versions().await?;
        let mut now_applied = Vec::new();
        for (version, name, steps) in migrations() {
            if applied.contains(&version) {
                continue;
            }
            let mut tx = self.begin().await?;
            for step in steps() {
                match step {
                    Step::Table(t) => tx.execute_schema(&t).await?,
                    Step::Index(i) => tx.execute_schema(&i).await?,
                    Step::Insert(i) => {
                        tx.execute(&i).await?;
                    }
                }
            }
            tx.execute(
                &Query::insert()
                    .into_table(SchemaMigrations::Table)
                    .columns([SchemaMigrations::Version, SchemaMigrations::Name, SchemaMigrations::AppliedAt])
                    .values_panic([version.into(), name.into(), now_ts().into()])
                    .to_owned(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(version, name, "applied migration");
            now_applied.push(version);
        }
        Ok(now_applied)
    }

    pub async fn applied_versions(&self) -> Result<Vec<i64>> {
        #[derive(sqlx::FromRow)]
        struct V {
            version: i64,
        }
        let rows: Vec<V> = self
            .fetch_all(
                &Query::select()
                    .column(SchemaMigrations::Version)
                    .from(SchemaMigrations::Table)
                    .order_by(SchemaMigrations::Version, sea_query::Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|v| v.version).collect())
    }

    /// The highest applied schema version (0 on an empty database).
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> = self
            .fetch_scalar(
                &Query::select()
                    .expr(Func::max(Expr::col(SchemaMigrations::Version)))
                    .from(SchemaMigrations::Table)
                    .to_owned(),
            )
            .await?;
        Ok(v.unwrap_or(0))
    }
}
