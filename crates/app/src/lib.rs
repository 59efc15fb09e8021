//! `gongkai-app`: the single binary of the platform — web portal, admin
//! pages, JSON API, CLI subcommands and background jobs — built on
//! `gongkai-domain` (rules), `gongkai-store` (database) and `gongkai-search`
//! (the full-text index).
//!
//! What it is for: turning HTTP requests and command lines into calls of the
//! domain rules and the store, and rendering the answers (Chinese pages, JSON).
//! What it is not for: rules (put them in `gongkai-domain`) or SQL (put it in
//! `gongkai-store`).

pub mod accounts;
pub mod admin;
pub mod api;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod demo;
pub mod dispatch;
pub mod error;
pub mod foi;
pub mod mailbox;
pub mod ops;
pub mod portal;
pub mod qa;
pub mod routes;
pub mod search;
pub mod server;
pub mod state;
pub mod tasks;
pub mod telemetry;
pub mod web;
