//! The tamper-evident audit log: the admin page and the API. The chain
//! rules are in `gongkai_domain::audit`; appends and verification in
//! `gongkai_store::audit`.

pub mod api;
pub mod pages;
