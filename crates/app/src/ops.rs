//! Backup and restore.
//!
//! A backup is a folder: `gongkai.db` (a consistent SQLite snapshot made with
//! `VACUUM INTO`, safe while the server writes), `files/` (a copy of the
//! content-addressed file store) and `manifest.json` with the BLAKE3 hash of
//! every file, which `restore` checks before touching the data folder. On
//! PostgreSQL the database is backed up with `pg_dump` (see README) and the
//! command copies the files.

use crate::config::Config;
use gongkai_store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub version: String,
    pub created_at: String,
    /// `sqlite` (snapshot included) or `postgres` (use pg_dump).
    pub database: String,
    pub schema_version: i64,
    /// Relative path → BLAKE3 hex.
    pub files: std::collections::BTreeMap<String, String>,
}

const DB_FILE: &str = "gongkai.db";

pub async fn backup(store: &Store, config: &Config, out: &Path) -> anyhow::Result<Manifest> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; choose a new folder", out.display());
    }
    std::fs::create_dir_all(out)?;
    let database = store.backend().as_str().to_string();
    if database == "sqlite" {
        store.snapshot_sqlite(&out.join(DB_FILE)).await?;
    }
    copy_tree(&config.files_dir(), &out.join("files"))?;
    let mut files = std::collections::BTreeMap::new();
    for rel in list_files(out)? {
        files.insert(rel.clone(), hash_file(&out.join(&rel))?);
    }
    let m = Manifest {
        format: 1,
        version: env!("CARGO_PKG_VERSION").into(),
        created_at: gongkai_store::now_ts(),
        database,
        schema_version: store.schema_version().await?,
        files,
    };
    std::fs::write(out.join("manifest.json"), serde_json::to_vec_pretty(&m)?)?;
    Ok(m)
}

pub async fn restore(config: &Config, input: &Path, force: bool) -> anyhow::Result<Manifest> {
    let m: Manifest = serde_json::from_slice(
        &std::fs::read(input.join("manifest.json")).map_err(|e| anyhow::anyhow!("{}: not a backup folder ({e})", input.display()))?,
    )?;
    for (rel, hash) in &m.files {
        let actual = hash_file(&input.join(rel)).map_err(|e| anyhow::anyhow!("backup file {rel} is missing or unreadable: {e}"))?;
        if &actual != hash {
            anyhow::bail!("backup file {rel} does not match its manifest hash; the backup is damaged");
        }
    }
    std::fs::create_dir_all(&config.data_dir)?;
    if m.database == "sqlite" {
        if !config.database_url.starts_with("sqlite") {
            anyhow::bail!("this backup holds a SQLite database; the configured database is PostgreSQL");
        }
        let target = config.data_dir.join(DB_FILE);
        if target.exists() && !force {
            anyhow::bail!("{} exists; stop the server and pass --force to replace it", target.display());
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(config.data_dir.join(format!("{DB_FILE}{suffix}")));
        }
        let tmp = config.data_dir.join(format!("{DB_FILE}.restoring"));
        std::fs::copy(input.join(DB_FILE), &tmp)?;
        std::fs::rename(&tmp, &target)?;
    }
    copy_tree(&input.join("files"), &config.files_dir())?;
    // The search index described the database before the restore: drop it,
    // and the server rebuilds it from the restored database at start.
    let index = config.data_dir.join("search");
    if index.exists() {
        std::fs::remove_dir_all(&index)?;
    }
    Ok(m)
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    if !from.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn list_files(root: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let p: PathBuf = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &p, out)?;
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = vec![];
    walk(root, root, &mut out)?;
    out.retain(|f| f != "manifest.json");
    out.sort();
    Ok(out)
}

fn hash_file(p: &Path) -> anyhow::Result<String> {
    let mut h = blake3::Hasher::new();
    let mut f = std::fs::File::open(p)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().to_hex().to_string())
}
