//! Account operations shared by the admin pages, the CLI and the demo seed:
//! each change and its audit entry commit in one transaction.

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
pub async fn create_user(store: &Store, actor: &str, username: &Username, display_name: &str, password: &Password, role: Role, unit_id: i64, must_change: bool) -> AppResult<i64> {
    let hash = hash_blocking(password.clone()).await?;
    let mut tx = store.begin().await?;
    let id = tx.create_user(username, display_name, &hash, must_change).await?;
    tx.add_grant(id, role, unit_id).await?;
    tx.audit(NewEntry::new(actor, "user.create", "user", id).unit(Some(unit_id)).detail(serde_json::json!({ "username": username.as_str(), "role": role.as_str() }))).await?;
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
    Ok(tokio::task::spawn_blocking(move || password.hash()).await.map_err(|e| anyhow::anyhow!(e))?)
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

/// Creates an API token for a user; returns the token text (shown once,
/// stored only as its hash).
pub async fn create_token(store: &Store, actor: &str, user_id: i64, label: &str) -> AppResult<String> {
    let token = format!("gk_{}", crate::auth::random_token());
    let mut tx = store.begin().await?;
    let id = tx.create_token(user_id, label, &crate::auth::hash_token(&token)).await?;
    tx.audit(NewEntry::new(actor, "token.create", "api_token", id).detail(serde_json::json!({ "user_id": user_id, "label": label }))).await?;
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
