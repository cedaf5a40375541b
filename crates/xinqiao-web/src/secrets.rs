//! The secrets file: generated into the data directory on first start with mode 0600. It holds
//! the session key (signing the anonymous CSRF cookie and deriving TOTP enrolment secrets) and
//! the data-encryption keys, each with an id so a later key can take over while old data stays
//! readable. `Debug` never prints a key. Fields this version does not know are kept as they are
//! when the file is rewritten (a key rotation), so later versions may add keys of their own.
//! The database records each key's fingerprint (see `keyring`), never the key.

use crate::config::ConfigError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "secrets.toml";

#[derive(Clone, Serialize, Deserialize)]
pub struct DataKey {
    pub id: String,
    /// 32 bytes, hex.
    pub key: String,
    pub created_at: i64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Secrets {
    /// 32 bytes, hex.
    pub session_key: String,
    /// The id of the key new data is encrypted under.
    pub active_data_key: String,
    pub data_keys: Vec<DataKey>,
    /// 32 bytes, hex: keys the blind indexes (HMAC of a mobile or ID number) that find earlier
    /// cases of the same person without decrypting anyone. Added to older files on load.
    #[serde(default)]
    pub index_key: Option<String>,
    /// 32 bytes, hex: keys the audit chain (HMAC) and signs its checkpoints, so that write access
    /// to the database alone cannot re-forge the trail. Added on first start after an upgrade.
    #[serde(default)]
    pub audit_key: Option<String>,
    /// The sequence number of the first audit entry keyed with `audit_key` (earlier ones keep the
    /// plain SHA-256 chain). Kept here, outside the database, so it cannot be moved either.
    #[serde(default)]
    pub audit_keyed_from: Option<i64>,
    /// Entries this version does not know, kept as they are (never printed).
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("session_key", &"***")
            .field("active_data_key", &self.active_data_key)
            .field("data_keys", &self.data_keys.len())
            .field("other_entries", &self.extra.len())
            .finish()
    }
}

fn hex32() -> String {
    xinqiao_store::random_bytes::<32>().iter().map(|b| format!("{b:02x}")).collect()
}

impl Secrets {
    /// Fresh secrets (not yet written anywhere).
    pub fn generate(now_ms: i64) -> Self {
        Self {
            session_key: hex32(),
            active_data_key: "k1".into(),
            data_keys: vec![DataKey { id: "k1".into(), key: hex32(), created_at: now_ms }],
            index_key: Some(hex32()),
            audit_key: None,
            audit_keyed_from: None,
            extra: toml::Table::new(),
        }
    }

    /// The audit chain's key. Created (and written to the file) the first time, keying every
    /// entry from `next_seq` on; after that always the same.
    pub fn ensure_audit_key(
        &mut self,
        data_dir: &Path,
        next_seq: i64,
    ) -> Result<xinqiao_domain::audit::ChainKey, ConfigError> {
        if self.audit_key.is_none() || self.audit_keyed_from.is_none() {
            self.audit_key = Some(hex32());
            self.audit_keyed_from = Some(next_seq.max(1));
            self.save(data_dir)?;
        }
        Ok(self.chain_key().expect("just ensured"))
    }

    /// The audit chain's key, if the file has one.
    pub fn chain_key(&self) -> Option<xinqiao_domain::audit::ChainKey> {
        let key = self.audit_key.as_deref()?;
        Some(xinqiao_domain::audit::ChainKey::new(decode_hex(key), self.audit_keyed_from?))
    }
    /// A key's fingerprint: what the database records to recognise it (16 hex digits of a
    /// SHA-256 over a fixed label and the key; the key cannot be recovered from it).
    pub fn fingerprint(key_hex: &str) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"xinqiao key fingerprint v1:");
        h.update(decode_hex(key_hex));
        h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// (kind, id, fingerprint) of every key that protects stored data: each data key, and the
    /// blind-index key.
    pub fn fingerprints(&self) -> Vec<(&'static str, String, String)> {
        let mut out: Vec<(&'static str, String, String)> =
            self.data_keys.iter().map(|k| ("data", k.id.clone(), Self::fingerprint(&k.key))).collect();
        if let Some(k) = &self.index_key {
            out.push(("index", "index".into(), Self::fingerprint(k)));
        }
        out
    }

    /// Adds a new data key and makes it the one new data is sealed under; the older keys stay
    /// for reading. Returns the new key's id.
    pub fn rotate(&mut self, now_ms: i64) -> String {
        let next = self
            .data_keys
            .iter()
            .filter_map(|k| k.id.strip_prefix('k').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("k{next}");
        self.data_keys.push(DataKey { id: id.clone(), key: hex32(), created_at: now_ms });
        self.active_data_key = id.clone();
        id
    }

    /// Writes the file anew (0600), replacing the old one in one step.
    pub fn save(&self, data_dir: &Path) -> Result<(), ConfigError> {
        let path = Self::path_in(data_dir);
        let err = |message: String| ConfigError::Secrets { path: path.clone(), message };
        let tmp = path.with_extension("toml.new");
        let _ = std::fs::remove_file(&tmp);
        write_private(&tmp, render(self).map_err(err)?.as_bytes()).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, &path).map_err(|e| err(e.to_string()))
    }

    /// Reads the secrets file of `data_dir`, if there is one (never creates it).
    pub fn load(data_dir: &Path) -> Result<Option<Self>, ConfigError> {
        if !Self::path_in(data_dir).exists() {
            return Ok(None);
        }
        Self::load_or_create(data_dir, 0).map(|(s, _)| Some(s))
    }

    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Reads the secrets file of `data_dir`, creating the directory and the file (0600) on first
    /// start. Returns the secrets and whether they were just created.
    pub fn load_or_create(data_dir: &Path, now_ms: i64) -> Result<(Self, bool), ConfigError> {
        let path = Self::path_in(data_dir);
        let err = |message: String| ConfigError::Secrets { path: path.clone(), message };
        if path.exists() {
            check_mode(&path).map_err(err)?;
            let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
            let mut secrets: Secrets = toml::from_str(&text).map_err(|e| err(e.message().to_owned()))?;
            if secrets.index_key.is_none() {
                // A file from before blind indexes: add the key, keeping everything else.
                secrets.index_key = Some(hex32());
                let tmp = path.with_extension("toml.new");
                let _ = std::fs::remove_file(&tmp);
                write_private(&tmp, render(&secrets).map_err(err)?.as_bytes()).map_err(|e| err(e.to_string()))?;
                std::fs::rename(&tmp, &path).map_err(|e| err(e.to_string()))?;
            }
            secrets.validate().map_err(err)?;
            return Ok((secrets, false));
        }
        std::fs::create_dir_all(data_dir).map_err(|e| err(format!("无法创建数据目录：{e}")))?;
        let secrets = Self::generate(now_ms);
        write_private(&path, render(&secrets).map_err(err)?.as_bytes()).map_err(|e| err(e.to_string()))?;
        Ok((secrets, true))
    }

    /// A blind index of `value` (already normalised), namespaced by `kind`.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        use hmac::{Hmac, Mac};
        let key = decode_hex(self.index_key.as_deref().expect("added at load"));
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        xinqiao_domain::crypto::hex(&mac.finalize().into_bytes())
    }

    fn validate(&self) -> Result<(), String> {
        let ok = |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
        if !ok(&self.session_key) {
            return Err("session_key 应为64位十六进制".into());
        }
        if !self.data_keys.iter().any(|k| k.id == self.active_data_key) {
            return Err(format!("找不到当前数据密钥 {}", self.active_data_key));
        }
        if let Some(k) = self.data_keys.iter().find(|k| !ok(&k.key)) {
            return Err(format!("数据密钥 {} 应为64位十六进制", k.id));
        }
        Ok(())
    }

    pub fn session_key_bytes(&self) -> Vec<u8> {
        decode_hex(&self.session_key)
    }

    /// The data key with this id, for opening sealed values.
    pub fn data_key(&self, id: &str) -> Option<[u8; 32]> {
        let k = self.data_keys.iter().find(|k| k.id == id)?;
        decode_hex(&k.key).try_into().ok()
    }

    /// Seals `plaintext` under the active data key, bound to `aad`.
    pub fn seal(&self, aad: &str, plaintext: &[u8]) -> String {
        let key = self.data_key(&self.active_data_key).expect("validated at load");
        let nonce = xinqiao_store::random_bytes::<{ xinqiao_domain::crypto::NONCE_LEN }>();
        xinqiao_domain::crypto::seal(&key, &self.active_data_key, &nonce, aad, plaintext)
    }

    /// Seals a file's bytes under the active data key (`aad` binds it to its place).
    pub fn seal_bytes(&self, aad: &str, plaintext: &[u8]) -> Vec<u8> {
        let key = self.data_key(&self.active_data_key).expect("the active data key exists");
        let nonce = xinqiao_store::random_bytes::<{ xinqiao_domain::crypto::NONCE_LEN }>();
        xinqiao_domain::crypto::seal_bytes(&key, &self.active_data_key, &nonce, aad, plaintext)
    }

    /// Opens a file sealed under any known data key.
    pub fn open_bytes(&self, aad: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        xinqiao_domain::crypto::open_bytes(|id| self.data_key(id), aad, sealed)
    }

    /// Opens a value sealed under any known data key.
    pub fn open(&self, aad: &str, sealed: &str) -> Option<Vec<u8>> {
        xinqiao_domain::crypto::open(|id| self.data_key(id), aad, sealed)
    }
}

fn render(secrets: &Secrets) -> Result<String, String> {
    Ok(format!(
        "# 心桥密钥文件：请勿泄露，备份时与数据库分开保管。多节点部署时各节点使用同一份。\n{}",
        toml::to_string_pretty(secrets).map_err(|e| e.to_string())?
    ))
}

fn decode_hex(h: &str) -> Vec<u8> {
    (0..h.len() / 2).filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()).collect()
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(unix)]
fn check_mode(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| e.to_string())?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!("权限为 {mode:o}，其他用户可读；请执行 chmod 600"));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_with_private_mode() {
        let dir = std::env::temp_dir().join(format!("xq-secrets-{}", xinqiao_store::new_id()));
        let (first, created) = Secrets::load_or_create(&dir, 0).unwrap();
        assert!(created);
        let (again, created_again) = Secrets::load_or_create(&dir, 0).unwrap();
        assert!(!created_again);
        assert_eq!(first.session_key, again.session_key);
        assert!(!format!("{first:?}").contains(&first.session_key), "Debug hides keys");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = Secrets::path_in(&dir);
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(Secrets::load_or_create(&dir, 0).unwrap_err().to_string().contains("chmod 600"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
