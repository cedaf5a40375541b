//! The secrets file against the database: a missing or foreign file is refused once data is
//! sealed (naming what to restore), and a planned rotation seals new data under the new key while
//! a re-seal moves the old values over and retires the old key.

use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_store::audit::Actor;
use xinqiao_web::{Config, Secrets, prepare};

fn form() -> IntakeForm {
    IntakeForm {
        kind: "complaint".into(),
        enterprise_name: "姑苏示例餐饮有限公司".into(),
        industry: "H".into(),
        region_code: "320508".into(),
        narrative: "外卖包装上的生产日期标错了，吃完肚子不舒服，店员说不关他们的事，要求退款。".into(),
        demand: "退还餐费".into(),
        name: "王建国".into(),
        mobile: "13912345678".into(),
        address: "苏州市姑苏区示例路1号".into(),
        ..Default::default()
    }
}

async fn start(config: &Config) -> Result<xinqiao_web::AppState, String> {
    prepare(config.clone()).await.map_err(|e| e.to_string())
}

async fn sealed_values(state: &xinqiao_web::AppState) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT narrative_sealed FROM cases UNION ALL SELECT demand_sealed FROM cases \
             UNION ALL SELECT sealed FROM case_identities ORDER BY 1",
    )
    .fetch_all(state.store.pool())
    .await
    .unwrap();
    rows.into_iter().map(|(v,)| v).collect()
}

#[tokio::test]
async fn a_missing_or_foreign_secrets_file_is_refused_once_data_is_sealed() {
    let dir = std::env::temp_dir().join(format!("xinqiao-keys-{}", xinqiao_store::new_id()));
    let config = Config { data_dir: dir.clone(), ..Config::default() };
    // An empty database: keys are made, and their fingerprints recorded.
    let state = start(&config).await.unwrap();
    let recorded = state.store.recorded_keys().await.unwrap();
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    let k1 = recorded.iter().find(|k| k.kind == "data").unwrap().fingerprint.clone();
    assert_eq!(k1, Secrets::fingerprint(&state.secrets.data_keys[0].key));
    assert!(!k1.contains(&state.secrets.data_keys[0].key[..16]), "a fingerprint is not the key");
    let path = Secrets::path_in(&dir);
    let original = std::fs::read(&path).unwrap();
    // Once keys are recorded, a lost file is not silently replaced.
    std::fs::remove_file(&path).unwrap();
    assert!(start(&config).await.is_err());
    std::fs::write(&path, &original).unwrap();
    set_private(&path);

    let state = start(&config).await.unwrap();
    xinqiao_web::cases::intake::submit(
        &state,
        &Actor::anonymous("", "127.0.0.1"),
        &form(),
        &Default::default(),
        Vec::new(),
    )
    .await
    .unwrap();

    // The file is lost: refused, naming what to restore.
    std::fs::remove_file(&path).unwrap();
    let err = start(&config).await.unwrap_err();
    assert!(err.contains("找不到密钥文件") && err.contains("恢复"), "{err}");
    assert!(err.contains(&format!("数据密钥 k1（指纹 {k1}）")), "{err}");
    assert!(!path.exists(), "no key is made for a database holding sealed data");

    // Another installation's file: refused, with both fingerprints.
    Secrets::generate(0).save(&dir).unwrap();
    let err = start(&config).await.unwrap_err();
    assert!(err.contains("与数据库不符") && err.contains(&k1), "{err}");

    // A database from before fingerprints were kept: the foreign file must open its data.
    let state_db = xinqiao_store::Store::connect(&config.effective_database_url()).await.unwrap();
    sqlx::query("DELETE FROM key_ring").execute(state_db.pool()).await.unwrap();
    let err = start(&config).await.unwrap_err();
    assert!(err.contains("解不开") && err.contains("case_narrative"), "{err}");

    // The right file again: it starts, and the sealed identity opens.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, &original).unwrap();
    set_private(&path);
    let state = start(&config).await.unwrap();
    assert_eq!(state.store.recorded_keys().await.unwrap().len(), 2, "recorded again");
    for v in sealed_values(&state).await {
        assert!(v.starts_with("v1.k1."), "{v}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_planned_rotation_seals_new_data_under_the_new_key_and_reseals_the_old() {
    let dir = std::env::temp_dir().join(format!("xinqiao-keys-{}", xinqiao_store::new_id()));
    let config = Config { data_dir: dir.clone(), ..Config::default() };
    let state = start(&config).await.unwrap();
    let anon = Actor::anonymous("", "127.0.0.1");
    xinqiao_web::cases::intake::submit(&state, &anon, &form(), &Default::default(), Vec::new()).await.unwrap();
    // A later version's entry in the file survives the rewrite.
    let path = Secrets::path_in(&dir);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, format!("{text}\n[audit]\nchain_key = \"later-version\"\n")).unwrap();
    set_private(&path);

    let mut secrets = Secrets::load(&dir).unwrap().unwrap();
    let k2 = secrets.rotate(state.now_ms());
    assert_eq!(k2, "k2");
    secrets.save(&dir).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("later-version"));
    assert!(!format!("{secrets:?}").contains("later-version"), "Debug hides every entry");

    let state = start(&config).await.unwrap();
    assert_eq!(state.secrets.active_data_key, "k2");
    xinqiao_web::cases::intake::submit(&state, &anon, &form(), &Default::default(), Vec::new()).await.unwrap();
    let before = sealed_values(&state).await;
    // Each case: its narrative, its demand and its identity.
    assert_eq!(before.iter().filter(|v| v.starts_with("v1.k1.")).count(), 3);
    assert_eq!(before.iter().filter(|v| v.starts_with("v1.k2.")).count(), 3);

    let done = xinqiao_web::keyring::reseal(&state, &Actor::console(), |_, _| {}).await.unwrap();
    assert_eq!((done.resealed, done.unreadable), (3, 0));
    assert_eq!(done.retired, ["k1"]);
    assert!(sealed_values(&state).await.iter().all(|v| v.starts_with("v1.k2.")));
    let k1 = state.store.recorded_keys().await.unwrap().into_iter().find(|k| k.id == "k1").unwrap();
    assert!(k1.retired_at.is_some());
    // Once retired, k1 may leave the file; every value still opens.
    let mut secrets = Secrets::load(&dir).unwrap().unwrap();
    secrets.data_keys.retain(|k| k.id != "k1");
    secrets.save(&dir).unwrap();
    let state = start(&config).await.unwrap();
    for place in xinqiao_store::keyring::SealedPlace::ALL {
        for row in state.store.sealed_page(place, "", 100).await.unwrap() {
            if let xinqiao_store::keyring::Sealed::Text(t) = &row.value {
                let aad = match place {
                    xinqiao_store::keyring::SealedPlace::CaseNarrative => format!("narrative:{}", row.bound_to),
                    xinqiao_store::keyring::SealedPlace::CaseDemand => format!("demand:{}", row.bound_to),
                    _ => format!("identity:{}", row.bound_to),
                };
                assert!(state.secrets.open(&aad, t).is_some(), "{place:?}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn set_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}
