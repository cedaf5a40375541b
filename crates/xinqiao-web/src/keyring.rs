//! The secrets file checked against the database, and planned key rotation.
//!
//! The database records each key's fingerprint (never the key). At every start the secrets file
//! must hold every recorded key that is not retired, with the same fingerprint: a missing file or
//! a file from another installation is refused, with what to restore, before anything is sealed
//! under a new key. Keys are generated only for an empty database. Rotation adds a data key for
//! new data and keeps the old ones for reading; a re-seal puts old values under the new key and
//! retires keys nothing is sealed under any more.

use crate::{AppState, Secrets};
use std::collections::BTreeMap;
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::keyring::{RecordedKey, Sealed, SealedPlace};

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "index" => "检索密钥",
        _ => "数据密钥",
    }
}

fn describe(k: &RecordedKey) -> String {
    if k.kind == "index" {
        format!("检索密钥（指纹 {}）", k.fingerprint)
    } else {
        format!("数据密钥 {}（指纹 {}）", k.id, k.fingerprint)
    }
}

/// The secrets for `data_dir`, checked against what `store` records (see the module
/// documentation); the error says, in Chinese, what to restore.
pub async fn open_secrets(data_dir: &std::path::Path, store: &Store) -> Result<Secrets, String> {
    let recorded = store.recorded_keys().await.map_err(|e| e.to_string())?;
    let needed: Vec<&RecordedKey> = recorded.iter().filter(|k| k.retired_at.is_none()).collect();
    let path = Secrets::path_in(data_dir);
    let secrets = match Secrets::load(data_dir).map_err(|e| e.to_string())? {
        Some(s) => s,
        None => {
            if !recorded.is_empty() || store.holds_sealed_data().await.map_err(|e| e.to_string())? {
                let list = needed.iter().map(|k| describe(k)).collect::<Vec<_>>().join("、");
                let list = if list.is_empty() { String::new() } else { format!("（它应包含：{list}）") };
                return Err(format!(
                    "数据库中已有加密保存的数据，但找不到密钥文件 {}。请从备份恢复该文件{list}后再启动；\
                     多节点部署时也可从其他节点复制。不会新建密钥：新密钥无法解开已有数据。",
                    path.display()
                ));
            }
            let (s, _) = Secrets::load_or_create(data_dir, store.now_ms()).map_err(|e| e.to_string())?;
            tracing::info!(path = %path.display(), "secrets file created for an empty database");
            s
        }
    };
    let in_file = secrets.fingerprints();
    for k in &recorded {
        let found = in_file.iter().find(|(kind, id, _)| *kind == k.kind && *id == k.id);
        match found {
            None if k.retired_at.is_none() => {
                return Err(format!(
                    "密钥文件 {} 缺少{}。请从备份恢复包含该密钥的 secrets.toml（或从其他节点复制最新的一份）后再启动。",
                    path.display(),
                    describe(k)
                ));
            }
            Some((_, _, fp)) if *fp != k.fingerprint => {
                return Err(format!(
                    "密钥文件 {} 与数据库不符：其中{} {} 的指纹为 {fp}，数据库记录的是 {}。这不是本数据库的密钥文件，\
                     请恢复与数据库配套的 secrets.toml 后再启动。",
                    path.display(),
                    kind_label(&k.kind),
                    k.id,
                    k.fingerprint
                ));
            }
            _ => {}
        }
    }
    if recorded.is_empty() && store.holds_sealed_data().await.map_err(|e| e.to_string())? {
        // A database from before keys were recorded: the file must open what is sealed there.
        if let Some(place) = unreadable_sample(store, &secrets).await.map_err(|e| e.to_string())? {
            return Err(format!(
                "密钥文件 {} 解不开数据库中已加密的数据（{}）。这不是本数据库的密钥文件，请恢复与数据库配套的 secrets.toml 后再启动。",
                path.display(),
                place.code()
            ));
        }
    }
    let keys: Vec<(&str, &str, &str)> =
        in_file.iter().map(|(kind, id, fp)| (*kind, id.as_str(), fp.as_str())).collect();
    store.record_keys(&Actor::system(), &keys).await.map_err(|e| e.to_string())?;
    Ok(secrets)
}

/// What a sealed value of `place` is bound to.
fn aad(place: SealedPlace, bound_to: &str) -> String {
    match place {
        SealedPlace::CaseNarrative => crate::cases::intake::narrative_aad(bound_to),
        SealedPlace::CaseDemand => crate::cases::intake::demand_aad(bound_to),
        SealedPlace::CaseIdentity => crate::cases::intake::identity_aad(bound_to),
        SealedPlace::TotpSecret => crate::auth::check::totp_aad(bound_to),
        SealedPlace::Dossier => crate::qualification::service::aad(bound_to),
        SealedPlace::Attachment => crate::cases::files::blob_aad(bound_to),
        SealedPlace::AttachmentName => crate::cases::files::name_aad(bound_to),
        SealedPlace::ConfidentialFile => crate::confidential::service::aad(bound_to),
    }
}

fn key_id(value: &Sealed) -> Option<&str> {
    match value {
        Sealed::Text(t) => xinqiao_domain::crypto::key_id(t),
        Sealed::Bytes(b) => xinqiao_domain::crypto::key_id_of_bytes(b),
    }
}

fn open(secrets: &Secrets, place: SealedPlace, bound_to: &str, value: &Sealed) -> Option<Vec<u8>> {
    match value {
        Sealed::Text(t) => secrets.open(&aad(place, bound_to), t),
        Sealed::Bytes(b) => secrets.open_bytes(&aad(place, bound_to), b),
    }
}

/// The first place whose first sealed value `secrets` cannot open, if any.
async fn unreadable_sample(store: &Store, secrets: &Secrets) -> xinqiao_store::Result<Option<SealedPlace>> {
    for place in SealedPlace::ALL {
        if let Some(row) = store.sealed_page(place, "", 1).await?.first()
            && open(secrets, place, &row.bound_to, &row.value).is_none()
        {
            return Ok(Some(place));
        }
    }
    Ok(None)
}

/// What a re-seal did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Values found under each key before the re-seal.
    pub found: BTreeMap<String, u64>,
    /// Values put under the active key.
    pub resealed: u64,
    /// Values no key in the file opens (left as they are).
    pub unreadable: u64,
    /// Data keys retired (nothing is sealed under them any more).
    pub retired: Vec<String>,
}

/// Values re-sealed per transaction.
const RESEAL_PAGE: i64 = 500;

/// Puts every sealed value that is not under the active key under it, page by page (each page
/// one transaction with an audit entry), then retires the keys nothing is sealed under.
pub async fn reseal(state: &AppState, actor: &Actor, progress: impl Fn(&str, u64)) -> xinqiao_store::Result<Resealed> {
    let secrets = &state.secrets;
    let active = secrets.active_data_key.clone();
    let mut out = Resealed::default();
    for place in SealedPlace::ALL {
        let mut after = String::new();
        loop {
            let page = state.store.sealed_page(place, &after, RESEAL_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.row_id.clone();
            let mut changes = Vec::new();
            for row in page {
                let kid = key_id(&row.value).unwrap_or("?").to_owned();
                *out.found.entry(kid.clone()).or_default() += 1;
                if kid == active {
                    continue;
                }
                let Some(plain) = open(secrets, place, &row.bound_to, &row.value) else {
                    out.unreadable += 1;
                    continue;
                };
                let a = aad(place, &row.bound_to);
                let new = match &row.value {
                    Sealed::Text(_) => Sealed::Text(secrets.seal(&a, &plain)),
                    Sealed::Bytes(_) => Sealed::Bytes(secrets.seal_bytes(&a, &plain)),
                };
                changes.push((row.row_id, row.value, new));
            }
            out.resealed += state.store.reseal(actor, place, &changes).await?;
            progress(place.code(), out.resealed);
        }
    }
    if out.unreadable == 0 {
        let old: Vec<String> = state
            .store
            .recorded_keys()
            .await?
            .into_iter()
            .filter(|k| k.kind == "data" && k.id != active && k.retired_at.is_none())
            .map(|k| k.id)
            .collect();
        state.store.retire_keys(actor, &old).await?;
        out.retired = old;
    }
    Ok(out)
}
