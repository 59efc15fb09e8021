//! Accounts: units, sites, users, roles, sessions and API tokens.
//!
//! The rules (password policy, role table, unit scope: see
//! `gongkai_domain::accounts`) are applied here to requests. This module
//! holds the operations shared by the admin pages, the CLI and the demo seed
//! — each change and its audit entry commit in one transaction — and the
//! helpers the pages use to offer only what the user may do.

pub mod account;
pub mod api;
pub mod session;
pub mod sites;
pub mod units;
pub mod users;

use crate::auth::Session;
use gongkai_domain::accounts::{Action, Scope, UnitKind};
use gongkai_store::accounts::Unit;

use crate::error::AppResult;
use gongkai_domain::accounts::{Password, Role, Username};
use gongkai_domain::audit::NewEntry;
use gongkai_store::Store;
use rand::Rng;
use rand::seq::IndexedRandom;

/// A random initial password that satisfies the policy (12 characters from
/// all four classes, without look-alike characters).
pub fn initial_password() -> Password {
    const LOWER: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"#%+=@!";
    let mut rng = rand::rng();
    loop {
        let mut chars: Vec<u8> = vec![
            *UPPER.choose(&mut rng).unwrap_or(&b'A'),
            *LOWER.choose(&mut rng).unwrap_or(&b'a'),
            *DIGIT.choose(&mut rng).unwrap_or(&b'2'),
            *SYMBOL.choose(&mut rng).unwrap_or(&b'#'),
        ];
        let all: Vec<u8> = [LOWER, UPPER, DIGIT].concat();
        while chars.len() < 12 {
            chars.push(all[rng.random_range(0..all.len())]);
        }
        // Shuffle so the class order does not leak.
        for i in (1..chars.len()).rev() {
            chars.swap(i, rng.random_range(0..=i));
        }
        if let Ok(p) = Password::parse(&String::from_utf8_lossy(&chars), None) {
            return p;
        }
    }
}

/// Creates a user holding one role over one unit.
#[allow(clippy::too_many_arguments)]
pub async fn create_user(
    store: &Store,
    actor: &str,
    username: &Username,
    display_name: &str,
    password: &Password,
    role: Role,
    unit_id: i64,
    must_change: bool,
) -> AppResult<i64> {
    let hash = hash_blocking(password.clone()).await?;
    let mut tx = store.begin().await?;
    let id = tx.create_user(username, display_name, &hash, must_change).await?;
    tx.add_grant(id, role, unit_id).await?;
    tx.audit(
        NewEntry::new(actor, "user.create", "user", id)
            .unit(Some(unit_id))
            .detail(serde_json::json!({ "username": username.as_str(), "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new initial password that must be changed at next login.
pub async fn reset_password(store: &Store, actor: &str, user_id: i64, password: &Password) -> AppResult<()> {
    let hash = hash_blocking(password.clone()).await?;
    let mut tx = store.begin().await?;
    tx.set_password(user_id, &hash, true).await?;
    tx.audit(NewEntry::new(actor, "user.reset_password", "user", user_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// argon2id is deliberately slow: hash off the async threads.
pub async fn hash_blocking(password: Password) -> AppResult<String> {
    Ok(tokio::task::spawn_blocking(move || password.hash())
        .await
        .map_err(|e| anyhow::anyhow!(e))?)
}

/// Units the session may perform `action` on, in tree order, labelled with
/// their indentation (for select boxes).
pub fn units_in_scope(session: &Session, units: &[Unit], action: Action) -> Vec<(i64, String)> {
    tree_order(units)
        .into_iter()
        .filter(|u| session.can(action, Scope::Unit(&u.unit_path())))
        .map(|u| (u.id, format!("{}{}", "　".repeat(u.depth().saturating_sub(1)), u.name)))
        .collect()
}

/// Depth-first order of the unit tree (children by sort order, then id).
pub fn tree_order(units: &[Unit]) -> Vec<&Unit> {
    let mut out = Vec::with_capacity(units.len());
    fn visit<'a>(units: &'a [Unit], parent: Option<i64>, out: &mut Vec<&'a Unit>) {
        let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id == parent).collect();
        children.sort_by_key(|u| (u.sort_order, u.id));
        for c in children {
            out.push(c);
            visit(units, Some(c.id), out);
        }
    }
    visit(units, None, &mut out);
    out
}

pub fn kind_options() -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL.iter().map(|k| (k.as_str(), k.label_zh())).collect()
}

/// Roles the session may grant somewhere.
pub fn grantable_roles(session: &Session) -> Vec<(&'static str, &'static str)> {
    Role::ALL
        .iter()
        .filter(|r| session.grants.iter().any(|g| g.role.may_grant(**r)))
        .map(|r| (r.as_str(), r.label_zh()))
        .collect()
}

/// Parses an optional integer form field (empty = None).
pub fn opt_id(s: &Option<String>) -> Result<Option<i64>, std::num::ParseIntError> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some),
    }
}

/// Creates an API token for a user; returns the token text (shown once,
/// stored only as its hash).
pub async fn create_token(store: &Store, actor: &str, user_id: i64, label: &str) -> AppResult<String> {
    let token = format!("gk_{}", crate::auth::random_token());
    let mut tx = store.begin().await?;
    let id = tx.create_token(user_id, label, &crate::auth::hash_token(&token)).await?;
    tx.audit(NewEntry::new(actor, "token.create", "api_token", id).detail(serde_json::json!({ "user_id": user_id, "label": label })))
        .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke_token(store: &Store, actor: &str, token_id: i64) -> AppResult<()> {
    let mut tx = store.begin().await?;
    tx.revoke_token(token_id).await?;
    tx.audit(NewEntry::new(actor, "token.revoke", "api_token", token_id)).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn initial_passwords_pass_the_policy_and_differ() {
        let a = super::initial_password();
        let b = super::initial_password();
        assert_eq!(a.expose().len(), 12);
        assert!(gongkai_domain::accounts::Password::parse(a.expose(), None).is_ok());
        assert_ne!(a.expose(), b.expose());
    }
}
