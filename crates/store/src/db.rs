//! The portable store core: one pool for either backend, and query methods
//! written once over sea-query statements.
//!
//! Every query is a sea-query statement, rendered for the backend in use by
//! its query builder and bound through `sea-query-sqlx`. The `dispatch!`
//! macro below expands one body for each backend, so there is exactly one
//! source text per query; rows decode into types that derive `sqlx::FromRow`
//! for both row types.

use sea_query::{PostgresQueryBuilder, SchemaStatementBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{AssertSqlSafe, FromRow, PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated; the text names the constraint or column.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("invalid database URL: {0}")]
    Url(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    fn from_sqlx(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error().filter(|db| db.is_unique_violation()) {
            return StoreError::Conflict(db.message().to_string());
        }
        StoreError::Db(e)
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Db(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed)
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A row type that decodes from both backends.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A scalar that decodes from both backends.
pub trait Scalar:
    for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
    + for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Send
        + Unpin
{
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The handle every part of the platform uses to reach the database.
/// Cheap to clone (the pools are reference-counted).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.backend().as_str())
    }
}

/// A connection taken from the pool, or a transaction.
pub enum Conn {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

/// A transaction; dropped without [`Tx::commit`] it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

macro_rules! dispatch {
    ($self:expr, |$c:ident, $qb:ident| $body:expr) => {
        match $self {
            Self::Sqlite($c) => {
                #[allow(unused_variables)]
                let $qb = SqliteQueryBuilder;
                $body
            }
            Self::Postgres($c) => {
                #[allow(unused_variables)]
                let $qb = PostgresQueryBuilder;
                $body
            }
        }
    };
}

macro_rules! query_methods {
    ($ty:ty) => {
        impl $ty {
            pub fn backend(&self) -> Backend {
                match self {
                    Self::Sqlite(_) => Backend::Sqlite,
                    Self::Postgres(_) => Backend::Postgres,
                }
            }

            /// Runs an INSERT, UPDATE or DELETE; returns the rows affected.
            pub async fn execute<S: SqlxBinder>(&mut self, stmt: &S) -> Result<u64> {
                dispatch!(self, |c, qb| {
                    let (sql, values) = stmt.build_sqlx(qb);
                    sqlx::query_with(AssertSqlSafe(sql), values)
                        .execute(&mut **c)
                        .await
                        .map(|r| r.rows_affected())
                        .map_err(StoreError::from_sqlx)
                })
            }

            pub async fn fetch_all<T: Row, S: SqlxBinder>(&mut self, stmt: &S) -> Result<Vec<T>> {
                dispatch!(self, |c, qb| {
                    let (sql, values) = stmt.build_sqlx(qb);
                    sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                        .fetch_all(&mut **c)
                        .await
                        .map_err(StoreError::from_sqlx)
                })
            }

            pub async fn fetch_optional<T: Row, S: SqlxBinder>(&mut self, stmt: &S) -> Result<Option<T>> {
                dispatch!(self, |c, qb| {
                    let (sql, values) = stmt.build_sqlx(qb);
                    sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                        .fetch_optional(&mut **c)
                        .await
                        .map_err(StoreError::from_sqlx)
                })
            }

            pub async fn fetch_one<T: Row, S: SqlxBinder>(&mut self, stmt: &S) -> Result<T> {
                self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
            }

            /// The first column of the first row (e.g. a COUNT or a RETURNING id).
            pub async fn fetch_scalar<T: Scalar, S: SqlxBinder>(&mut self, stmt: &S) -> Result<T> {
                dispatch!(self, |c, qb| {
                    let (sql, values) = stmt.build_sqlx(qb);
                    sqlx::query_scalar_with::<_, T, _>(AssertSqlSafe(sql), values)
                        .fetch_optional(&mut **c)
                        .await
                        .map_err(StoreError::from_sqlx)?
                        .ok_or(StoreError::NotFound)
                })
            }

            /// Runs a schema statement (CREATE TABLE, CREATE INDEX, …).
            pub async fn execute_schema<S: SchemaStatementBuilder>(&mut self, stmt: &S) -> Result<()> {
                dispatch!(self, |c, qb| {
                    let sql = stmt.build(qb);
                    sqlx::query(AssertSqlSafe(sql))
                        .execute(&mut **c)
                        .await
                        .map(|_| ())
                        .map_err(StoreError::from_sqlx)
                })
            }
        }
    };
}

query_methods!(Conn);
query_methods!(Tx);

impl Tx {
    /// Runs a fixed PostgreSQL storage setting from the migrations (a no-op
    /// on SQLite, which has no such parameters).
    pub(crate) async fn postgres_storage_setting(&mut self, sql: &'static str) -> Result<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut **t)
                .await
                .map_err(StoreError::from_sqlx)?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        dispatch!(self, |t, qb| t.commit().await.map_err(StoreError::from_sqlx))
    }
}

impl Store {
    /// Connects to `sqlite://PATH` (the file is created if missing) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        Self::connect_with(url, default_pool_size()).await
    }

    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Store> {
        let pool = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Url(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(max_connections)
                    // A local file: no need to ping before each query.
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await?,
            )
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::Url(e.to_string()))?;
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(opts)
                    .await?,
            )
        } else {
            return Err(StoreError::Url(format!(
                "expected a URL starting with sqlite: or postgres:, got `{}`",
                url.split(':').next().unwrap_or("")
            )));
        };
        Ok(Store { pool })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn conn(&self) -> Result<Conn> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Begins a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so read-then-write transactions never fail with a
    /// stale snapshot; PostgreSQL uses its default READ COMMITTED.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn execute<S: SqlxBinder>(&self, stmt: &S) -> Result<u64> {
        self.conn().await?.execute(stmt).await
    }

    pub async fn fetch_all<T: Row, S: SqlxBinder>(&self, stmt: &S) -> Result<Vec<T>> {
        self.conn().await?.fetch_all(stmt).await
    }

    pub async fn fetch_optional<T: Row, S: SqlxBinder>(&self, stmt: &S) -> Result<Option<T>> {
        self.conn().await?.fetch_optional(stmt).await
    }

    pub async fn fetch_one<T: Row, S: SqlxBinder>(&self, stmt: &S) -> Result<T> {
        self.conn().await?.fetch_one(stmt).await
    }

    pub async fn fetch_scalar<T: Scalar, S: SqlxBinder>(&self, stmt: &S) -> Result<T> {
        self.conn().await?.fetch_scalar(stmt).await
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        let q = sea_query::Query::select().expr(sea_query::Expr::val(1i64)).to_owned();
        self.fetch_scalar::<i64, _>(&q).await.map(|_| ())
    }

    /// Writes a consistent copy of a SQLite database to `path` (`VACUUM INTO`),
    /// safe while the server is writing. PostgreSQL deployments use pg_dump.
    pub async fn snapshot_sqlite(&self, path: &std::path::Path) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let target = path.to_string_lossy().replace('\'', "''");
                sqlx::query(AssertSqlSafe(format!("VACUUM INTO '{target}'")))
                    .execute(p)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from_sqlx)
            }
            Pool::Postgres(_) => Err(StoreError::Url("snapshots are for SQLite; back up PostgreSQL with pg_dump".into())),
        }
    }

    /// Serialises concurrent migrators across app nodes (PostgreSQL only;
    /// SQLite's `BEGIN IMMEDIATE` already does so).
    pub(crate) async fn migration_lock(&self, conn: &mut Conn) -> Result<()> {
        if let Conn::Postgres(c) = conn {
            sqlx::query("SELECT pg_advisory_lock(727274)").execute(&mut **c).await?;
        }
        Ok(())
    }

    pub(crate) async fn migration_unlock(&self, conn: &mut Conn) -> Result<()> {
        if let Conn::Postgres(c) = conn {
            sqlx::query("SELECT pg_advisory_unlock(727274)").execute(&mut **c).await?;
        }
        Ok(())
    }

    /// Creates a PostgreSQL schema (test isolation: each test gets one and
    /// connects with `search_path` set to it). A no-op on SQLite.
    pub async fn create_schema_for_tests(&self, name: &str) -> Result<()> {
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(StoreError::Url(format!("invalid schema name `{name}`")));
        }
        if let Pool::Postgres(p) = &self.pool {
            sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {name}")))
                .execute(p)
                .await
                .map_err(StoreError::from_sqlx)?;
        }
        Ok(())
    }

    /// Drops a schema made by [`Store::create_schema_for_tests`] (PostgreSQL
    /// only; a no-op on SQLite).
    pub async fn drop_schema_for_tests(&self, name: &str) -> Result<()> {
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(StoreError::Url(format!("invalid schema name `{name}`")));
        }
        if let Pool::Postgres(p) = &self.pool {
            sqlx::query(AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE")))
                .execute(p)
                .await
                .map_err(StoreError::from_sqlx)?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

fn default_pool_size() -> u32 {
    std::thread::available_parallelism()
        .map(|n| n.get() as u32 * 4)
        .unwrap_or(8)
        .clamp(4, 32)
}

/// The timestamp text every table stores: UTC, microseconds, fixed width, so
/// that text order is time order on both backends.
pub fn ts(at: chrono::DateTime<chrono::Utc>) -> String {
    gongkai_domain::audit::format_timestamp(at)
}

/// `LIKE '%text%'` with the text's `%`, `_` and `\` taken literally.
pub fn like_contains(text: &str) -> sea_query::LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

pub fn now_ts() -> String {
    ts(chrono::Utc::now())
}

pub fn parse_ts(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp `{s}`: {e}")))
}
