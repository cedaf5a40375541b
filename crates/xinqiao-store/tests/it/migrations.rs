use crate::backend_test;
use xinqiao_store::migrate::MIGRATIONS;

/// The two backends' folders hold the same migration names, and each is embedded.
#[test]
fn migration_folders_match() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |backend: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".sql").to_owned())
            .collect();
        v.sort();
        v
    };
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"), "migration file names differ between backends");
    let embedded: Vec<String> = MIGRATIONS.iter().map(|m| m.name.to_owned()).collect();
    assert_eq!(sqlite, embedded, "every migration file must be listed in MIGRATIONS, in order");
}

backend_test!(migrate_is_idempotent, |db| {
    assert!(db.store.is_migrated().await);
    assert_eq!(db.store.migrate().await.unwrap(), 0, "a second run applies nothing");
});

backend_test!(edited_migration_is_refused, |db| {
    sqlx::query("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1")
        .execute(db.store.pool())
        .await
        .unwrap();
    let err = db.store.migrate().await.unwrap_err().to_string();
    assert!(err.contains("被修改过"), "{err}");
});
