//! `gongkai-store`: the database layer.
//!
//! What it is for: persisting the domains' data on SQLite (the embedded
//! default) or PostgreSQL (several stateless app nodes), with one source text
//! per query (sea-query statements rendered per backend and run through
//! sqlx), migrations, and the audit chain's append lock. Each domain has a
//! module of the same name as in `gongkai-domain`.
//!
//! What it is not for: rules (they are in `gongkai-domain`), HTTP or
//! templates (`gongkai-app`), full-text search (the search index).

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod db;
pub mod foi;
pub mod mailbox;
pub mod qa;
pub mod schema;
pub mod search;
pub mod tasks;

pub use db::{Backend, Conn, Result, Store, StoreError, Tx, now_ts, parse_ts, ts};
