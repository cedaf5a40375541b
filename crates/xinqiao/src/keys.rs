//! `xinqiao keys list|rotate|reseal`, and the secrets every command that reads sealed data
//! uses: checked against the keys the database records, never created for a database that
//! already holds sealed data.

use crate::cli::KeysAction;
use crate::progress::Spinner;
use anyhow::{Result, anyhow};
use std::process::ExitCode;
use xinqiao_web::store::Store;
use xinqiao_web::store::audit::Actor;
use xinqiao_web::{AppState, Config, Secrets};

/// The application state for a command, with the secrets checked against the database.
pub async fn state_for_reading(store: Store, config: Config) -> Result<AppState> {
    let secrets = xinqiao_web::keyring::open_secrets(&config.data_dir, &store).await.map_err(|e| anyhow!(e))?;
    Ok(AppState::new(store, config, secrets))
}

pub async fn command(store: Store, config: Config, action: KeysAction) -> Result<ExitCode> {
    match action {
        KeysAction::List => {
            let file = Secrets::load(&config.data_dir)?;
            let in_file = file.as_ref().map(|s| s.fingerprints()).unwrap_or_default();
            let active = file.as_ref().map(|s| s.active_data_key.clone()).unwrap_or_default();
            for k in store.recorded_keys().await? {
                let kind = if k.kind == "index" { "检索密钥" } else { "数据密钥" };
                let here = match in_file.iter().find(|(kind, id, _)| *kind == k.kind && *id == k.id) {
                    Some((_, _, fp)) if *fp == k.fingerprint => "本机密钥文件中有",
                    Some(_) => "本机密钥文件中的与之不符！",
                    None => "本机密钥文件中没有",
                };
                let state = match (k.retired_at, k.kind.as_str(), k.id == active) {
                    (Some(_), _, _) => "已停用（无数据用它加密）",
                    (None, "index", _) => "使用中（查找同一人的历次诉求）",
                    (None, _, true) => "当前（新数据用它加密）",
                    (None, _, false) => "仅用于读取旧数据",
                };
                println!("{kind} {}  指纹 {}  {state}  {here}", k.id, k.fingerprint);
            }
            Ok(ExitCode::SUCCESS)
        }
        KeysAction::Rotate => {
            let mut secrets =
                xinqiao_web::keyring::open_secrets(&config.data_dir, &store).await.map_err(|e| anyhow!(e))?;
            let id = secrets.rotate(store.now_ms());
            // The file first: a key recorded in the database but in no file would stop every start.
            secrets.save(&config.data_dir)?;
            let fingerprint = Secrets::fingerprint(&secrets.data_keys.last().expect("just added").key);
            store.record_keys(&Actor::console(), &[("data", &id, &fingerprint)]).await?;
            println!("已新增数据密钥 {id}（指纹 {fingerprint}），此后的新数据用它加密；旧密钥保留用于读取。");
            println!("接下来：");
            println!(
                "  1. 把 {} 复制到所有节点（权限 0600），并重启各节点的服务；",
                Secrets::path_in(&config.data_dir).display()
            );
            println!("  2. 运行 xinqiao keys reseal，用新密钥重新加密旧数据；");
            println!("  3. 新的密钥文件与数据库备份分开保管。");
            Ok(ExitCode::SUCCESS)
        }
        KeysAction::Reseal => {
            let state = state_for_reading(store, config).await?;
            let spinner = Spinner::start("正在用当前密钥重新加密");
            let done = xinqiao_web::keyring::reseal(&state, &Actor::console(), |_, _| {}).await;
            drop(spinner);
            let done = done?;
            let found: Vec<String> = done.found.iter().map(|(k, n)| format!("{k}：{n} 项")).collect();
            println!("加密数据共 {} 项（{}）。", done.found.values().sum::<u64>(), found.join("，"));
            println!("已用当前密钥 {} 重新加密 {} 项。", state.secrets.active_data_key, done.resealed);
            if done.unreadable > 0 {
                println!("有 {} 项无法用本机密钥文件中的任何密钥解开，未作改动；旧密钥均保持可用。", done.unreadable);
                return Ok(ExitCode::FAILURE);
            }
            if !done.retired.is_empty() {
                println!(
                    "已停用不再使用的数据密钥：{}。它们仍可留在密钥文件中；删除前请确认所有节点都已使用新的密钥文件。",
                    done.retired.join("、")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
