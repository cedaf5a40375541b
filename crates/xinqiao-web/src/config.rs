//! Configuration, layered: built-in defaults → optional `xinqiao.toml` → `XINQIAO_*` environment
//! → command-line flags. Zero configuration boots. Secrets live apart, in the data directory
//! (see `secrets`).

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the server listens.
    pub addr: SocketAddr,
    /// Where the SQLite database, the secrets file and (later) attachments live.
    pub data_dir: PathBuf,
    /// `postgres://…` to run on PostgreSQL; empty for the embedded SQLite file.
    pub database_url: String,
    /// `tracing` filter, e.g. `info` or `xinqiao=debug`.
    pub log: String,
    /// Administrators must present a TOTP code at login (等级保护 level 3). Only a demo turns it off.
    pub require_admin_totp: bool,
    /// Mark cookies `Secure` (set when served over HTTPS, directly or behind a proxy).
    pub cookie_secure: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Submissions (complaints, reports …) one client may make per hour; 0 turns the limit off.
    pub intake_per_hour: u32,
    /// Other posts without an account (tracking, rating, votes, sign-in …) one client may make
    /// per minute; 0 turns the limit off.
    pub public_posts_per_minute: u32,
    /// Addresses of reverse proxies in front of the server: for requests from them the client is
    /// the last address in `X-Forwarded-For`. Empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./xinqiao-data"),
            database_url: String::new(),
            log: "info".into(),
            require_admin_totp: true,
            cookie_secure: false,
            max_body_bytes: 1024 * 1024,
            intake_per_hour: 60,
            public_posts_per_minute: 60,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub addr: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("配置文件 {path} 有误：{message}")]
    Parse { path: PathBuf, message: String },
    #[error("环境变量 {name} 的值无效：{message}")]
    Env { name: String, message: String },
    #[error("无法创建数据目录 {path}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("密钥文件 {path} 出错：{message}")]
    Secrets { path: PathBuf, message: String },
}

/// The file read when present and no other is named.
pub const DEFAULT_FILE: &str = "xinqiao.toml";

impl Config {
    /// Builds the effective configuration. `file` is the explicitly named file (which must
    /// exist); otherwise `./xinqiao.toml` is read when present.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: &Overrides,
    ) -> Result<Self, ConfigError> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new(DEFAULT_FILE).exists() => Self::from_file(Path::new(DEFAULT_FILE))?,
            None => Self::default(),
        };
        for (name, value) in env {
            config.apply_env(&name, &value)?;
        }
        if let Some(a) = overrides.addr {
            config.addr = a;
        }
        if let Some(d) = &overrides.data_dir {
            config.data_dir = d.clone();
        }
        if let Some(u) = &overrides.database_url {
            config.database_url = u.clone();
        }
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.to_owned(), message: e.message().to_owned() })
    }

    fn apply_env(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Env { name: name.to_owned(), message };
        let flag = |v: &str| match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            other => Err(bad(format!("应为 true 或 false，而不是 “{other}”"))),
        };
        match name {
            "XINQIAO_ADDR" => self.addr = value.parse().map_err(|e| bad(format!("{e}")))?,
            "XINQIAO_DATA_DIR" => self.data_dir = PathBuf::from(value),
            "XINQIAO_DATABASE_URL" => self.database_url = value.to_owned(),
            "XINQIAO_LOG" => self.log = value.to_owned(),
            "XINQIAO_REQUIRE_ADMIN_TOTP" => self.require_admin_totp = flag(value)?,
            "XINQIAO_COOKIE_SECURE" => self.cookie_secure = flag(value)?,
            "XINQIAO_MAX_BODY_BYTES" => self.max_body_bytes = value.parse().map_err(|e| bad(format!("{e}")))?,
            "XINQIAO_INTAKE_PER_HOUR" => self.intake_per_hour = value.parse().map_err(|e| bad(format!("{e}")))?,
            "XINQIAO_PUBLIC_POSTS_PER_MINUTE" => {
                self.public_posts_per_minute = value.parse().map_err(|e| bad(format!("{e}")))?
            }
            "XINQIAO_TRUSTED_PROXIES" => {
                self.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().map_err(|e| bad(format!("“{s}”不是 IP 地址：{e}"))))
                    .collect::<Result<_, _>>()?
            }
            _ => {}
        }
        Ok(())
    }

    /// The database to open: the configured URL, or the SQLite file in the data directory.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("xinqiao.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The configuration as TOML, with any password in the database URL hidden.
    pub fn to_redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url(&self.database_url);
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let Some(at) = rest.find('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..scheme_end], &rest[..colon], &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = std::env::temp_dir().join(format!("xq-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.toml");
        std::fs::write(&file, "addr = \"0.0.0.0:9000\"\nlog = \"debug\"\ndata_dir = \"/srv/a\"\n").unwrap();
        let c = Config::load(
            Some(&file),
            env(&[("XINQIAO_LOG", "warn"), ("XINQIAO_DATA_DIR", "/srv/b"), ("HOME", "/root")]),
            &Overrides { data_dir: Some("/srv/c".into()), ..Default::default() },
        )
        .unwrap();
        assert_eq!(c.addr.port(), 9000, "file over default");
        assert_eq!(c.log, "warn", "environment over file");
        assert_eq!(c.data_dir, PathBuf::from("/srv/c"), "flag over environment");
        assert!(c.effective_database_url().starts_with("sqlite:///srv/c/xinqiao.db"));
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::load(None, env(&[("XINQIAO_REQUIRE_ADMIN_TOTP", "maybe")]), &Overrides::default());
        assert!(err.unwrap_err().to_string().contains("XINQIAO_REQUIRE_ADMIN_TOTP"));
        let dir = std::env::temp_dir().join(format!("xq-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, "adress = 1\n").unwrap();
        let err = Config::load(Some(&file), env(&[]), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("bad.toml"), "{err}");
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(redact_url("postgres://xq:s3cret@db:5432/x"), "postgres://xq:***@db:5432/x");
        assert_eq!(redact_url("postgres://db/x"), "postgres://db/x");
        let c = Config { database_url: "postgres://xq:s3cret@db/x".into(), ..Default::default() };
        assert!(!c.to_redacted_toml().contains("s3cret"));
    }
}
