//! Settings of one app node, from flags and `GONGKAI_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Minutes of inactivity after which a session ends.
    pub idle_timeout_minutes: i64,
    /// Mark cookies `Secure` even without an `X-Forwarded-Proto: https` header.
    pub secure_cookies: bool,
}

impl Config {
    /// A node on the embedded default in `data_dir` (benchmarks' temporary folders).
    pub fn in_dir(data_dir: &std::path::Path) -> Config {
        Config {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_path_buf(),
            database_url: Config::default_database_url(data_dir),
            idle_timeout_minutes: 30,
            secure_cookies: false,
        }
    }

    /// The SQLite URL of the default database inside `data_dir`.
    pub fn default_database_url(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}", data_dir.join("gongkai.db").display())
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    pub fn backend_name(&self) -> &'static str {
        if self.database_url.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// The URL with any password replaced, for logs.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }
}

pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact_url("postgres://gk:secret@db:5432/gk"), "postgres://gk:***@db:5432/gk");
        assert_eq!(super::redact_url("sqlite://./data/gongkai.db"), "sqlite://./data/gongkai.db");
    }
}
