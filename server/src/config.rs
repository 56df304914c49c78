//! Settings: an optional TOML file (`--config`) overlaid by the environment variables of
//! ../shared/api/CLI.md. Secrets are kept as `SecretString` so they never reach a log.

use std::path::{Path, PathBuf};

use anyhow::Context;
use secrecy::SecretString;
use serde::Deserialize;

/// Everything the server reads at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen: String,
    /// Base of webhook URLs; defaults to `http://<listen address>` once bound.
    pub public_url: Option<String>,
    pub jwt_secret: Option<SecretString>,
    pub credentials_key: Option<SecretString>,
    pub block_private_upstreams: bool,
    pub workers: usize,
    pub log_filter: String,
    /// Where the built web app lives (`cargo xtask web` writes `web/dist`).
    pub web_dir: PathBuf,
    /// Lifetime of login tokens.
    pub jwt_ttl_seconds: i64,
}

/// The file form: every key optional, named like the variables without their prefix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    listen: Option<String>,
    public_url: Option<String>,
    jwt_secret: Option<String>,
    credentials_key: Option<String>,
    block_private_upstreams: Option<bool>,
    workers: Option<usize>,
    log: Option<String>,
    web_dir: Option<PathBuf>,
    jwt_ttl_seconds: Option<i64>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://switchboard.db?mode=rwc";

impl Settings {
    /// File first, then the environment on top.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Settings> {
        let file: FileSettings = match config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
            }
            None => FileSettings::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let parse_bool = |name: &str, v: String| -> anyhow::Result<bool> {
            match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => anyhow::bail!("{name} must be true or false, not {v:?}"),
            }
        };
        let block_private_upstreams = match env("SWITCHBOARD_BLOCK_PRIVATE_UPSTREAMS") {
            Some(v) => parse_bool("SWITCHBOARD_BLOCK_PRIVATE_UPSTREAMS", v)?,
            None => file.block_private_upstreams.unwrap_or(false),
        };
        let workers = match env("SWITCHBOARD_WORKERS") {
            Some(v) => v
                .parse()
                .context("SWITCHBOARD_WORKERS must be a whole number")?,
            None => file.workers.unwrap_or(2),
        };
        let jwt_ttl_seconds = match env("SWITCHBOARD_JWT_TTL") {
            Some(v) => v.parse().context("SWITCHBOARD_JWT_TTL must be seconds")?,
            None => file.jwt_ttl_seconds.unwrap_or(12 * 3600),
        };
        let default_web_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist"));
        Ok(Settings {
            database_url: env("DATABASE_URL")
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            listen: env("SWITCHBOARD_LISTEN")
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            public_url: env("SWITCHBOARD_PUBLIC_URL").or(file.public_url),
            jwt_secret: env("SWITCHBOARD_JWT_SECRET")
                .or(file.jwt_secret)
                .map(SecretString::from),
            credentials_key: env("SWITCHBOARD_CREDENTIALS_KEY")
                .or(file.credentials_key)
                .map(SecretString::from),
            block_private_upstreams,
            workers,
            log_filter: env("RUST_LOG")
                .or(file.log)
                .unwrap_or_else(|| "info".into()),
            web_dir: env("SWITCHBOARD_WEB_DIR")
                .map(PathBuf::from)
                .or(file.web_dir)
                .unwrap_or(default_web_dir),
            jwt_ttl_seconds,
        })
    }

    /// Settings for tests and tools: defaults, with this database.
    pub fn for_database(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.into(),
            listen: "127.0.0.1:0".into(),
            public_url: None,
            jwt_secret: None,
            credentials_key: None,
            block_private_upstreams: false,
            workers: 2,
            log_filter: "info".into(),
            web_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist")),
            jwt_ttl_seconds: 12 * 3600,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The SQLite database file, when the URL names one (key files are kept beside it).
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite:")?;
        let rest = rest.trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return None;
        }
        Some(PathBuf::from(path))
    }
}
