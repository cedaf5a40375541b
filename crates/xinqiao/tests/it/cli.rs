use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_xinqiao");

/// A fresh data directory, removed afterwards.
struct DataDir(PathBuf);

impl DataDir {
    fn new() -> Self {
        let p =
            std::env::temp_dir().join(format!("xinqiao-cli-{}-{}", std::process::id(), xinqiao_web::store::new_id()));
        Self(p)
    }

    fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("XINQIAO_DATABASE_URL")
        .env_remove("XINQIAO_DATA_DIR")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xinqiao runs");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn users_audit_and_backup_from_the_console() {
    let dir = DataDir::new();
    let d = dir.arg();
    let add = run(
        &["user", "add", "--data-dir", &d, "--username", "admin", "--name", "系统管理员", "--role", "sysadmin"],
        None,
    );
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(stdout(&add).contains("初始密码（只显示这一次"), "a generated password is shown once");

    let weak = run(
        &["user", "add", "--data-dir", &d, "--username", "weak", "--name", "弱", "--password-stdin"],
        Some("short\n"),
    );
    assert!(!weak.status.success());
    assert!(stderr(&weak).contains("密码至少需要10个字符"), "{}", stderr(&weak));

    let mixed = run(
        &[
            "user",
            "add",
            "--data-dir",
            &d,
            "--username",
            "two",
            "--name",
            "二",
            "--role",
            "sysadmin",
            "--role",
            "auditadmin",
        ],
        None,
    );
    assert!(!mixed.status.success());
    assert!(stderr(&mixed).contains("三员分立"), "{}", stderr(&mixed));

    let ok = run(
        &[
            "user",
            "add",
            "--data-dir",
            &d,
            "--username",
            "officer",
            "--name",
            "李体验",
            "--role",
            "officer",
            "--password-stdin",
        ],
        Some("Li-Tiyan-2026!\n"),
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(run(&["user", "roles", "officer", "officer", "supervisor", "--data-dir", &d], None).status.success());
    assert!(run(&["user", "disable", "officer", "--data-dir", &d], None).status.success());
    let list = stdout(&run(&["user", "list", "--data-dir", &d], None));
    assert!(list.contains("officer") && list.contains("已停用") && list.contains("客户体验官、主管"), "{list}");
    let missing = run(&["user", "passwd", "nobody", "--data-dir", &d], None);
    assert!(!missing.status.success() && stderr(&missing).contains("没有用户名为 nobody 的账户"));

    assert!(
        run(&["org", "add", "--data-dir", &d, "--code", "320500", "--name", "苏州市市场监督管理局"], None)
            .status
            .success()
    );
    let child =
        run(&["org", "add", "--data-dir", &d, "--code", "110101", "--name", "东城区", "--parent", "320500"], None);
    assert!(!child.status.success() && stderr(&child).contains("辖区之内"), "{}", stderr(&child));
    assert!(
        run(
            &[
                "org",
                "add",
                "--data-dir",
                &d,
                "--code",
                "320508",
                "--name",
                "姑苏区市场监督管理局",
                "--parent",
                "320500"
            ],
            None
        )
        .status
        .success()
    );
    let orgs = stdout(&run(&["org", "list", "--data-dir", &d], None));
    assert!(orgs.contains("320500  苏州市市场监督管理局") && orgs.contains("320508"), "{orgs}");

    let verify = run(&["audit", "verify", "--data-dir", &d], None);
    assert!(verify.status.success(), "{}", stdout(&verify));
    // Six changes and the first recording of the key fingerprints (keys.record).
    assert!(stdout(&verify).contains("审计链完整：已校验 7 条记录"), "{}", stdout(&verify));

    let backup_file = dir.0.join("copy.db");
    let backup = run(&["backup", "--data-dir", &d, "--to", &backup_file.display().to_string()], None);
    assert!(backup.status.success(), "{}", stderr(&backup));
    assert!(std::fs::metadata(&backup_file).unwrap().len() > 0);
    let again = run(&["backup", "--data-dir", &d, "--to", &backup_file.display().to_string()], None);
    assert!(!again.status.success() && stderr(&again).contains("不会覆盖"));

    tamper(&dir.0.join("xinqiao.db"));
    let broken = run(&["audit", "verify", "--data-dir", &d], None);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("第 2 条"), "{}", stdout(&broken));
}

/// Someone with file access removes the guard and edits the second entry.
fn tamper(db: &Path) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = xinqiao_web::store::Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::raw_sql("DROP TRIGGER audit_log_no_update").execute(store.pool()).await.unwrap();
        sqlx::query("UPDATE audit_log SET outcome = 'failure' WHERE seq = 2").execute(store.pool()).await.unwrap();
        store.close().await;
    });
}

#[test]
fn config_hides_secrets_and_bad_input_is_one_line() {
    let dir = DataDir::new();
    let out =
        run(&["config", "--data-dir", &dir.arg(), "--database-url", "postgres://xq:TopSecret@db.invalid/x"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("postgres://xq:***@db.invalid/x") && !text.contains("TopSecret"), "{text}");

    let unreachable =
        run(&["serve", "--addr", "127.0.0.1:0", "--database-url", "postgres://xq:TopSecret@127.0.0.1:1/x"], None);
    assert_eq!(unreachable.status.code(), Some(1));
    let err = stderr(&unreachable);
    assert!(err.starts_with("错误：无法连接数据库"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one readable line: {err}");
    assert!(!err.contains("panicked") && !err.contains("TopSecret"));
}

#[test]
fn serve_starts_empty_and_stops_gracefully() {
    let dir = DataDir::new();
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir", &dir.arg()])
        .env("XINQIAO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    let url = loop {
        let line = lines.next().expect("the server announces itself").unwrap();
        if let Some(rest) = line.strip_prefix("心桥已启动：") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
        banner.push(line);
    };
    assert!(banner.join("\n").contains("xinqiao user add --username admin"), "empty installations say how to begin");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let ready = rt.block_on(async { reqwest::get(format!("{url}/readyz")).await.unwrap().text().await.unwrap() });
    assert_eq!(ready, "ready");
    let mode = std::fs::metadata(dir.0.join("secrets.toml")).unwrap();
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777, 0o600);
    let _ = mode;
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM stops the server cleanly: {status}");
    assert!(lines.any(|l| l.unwrap().contains("已停止")));
}

#[test]
fn mask_reads_stdin() {
    let text = "我叫张伟，手机13912345678，住在杭州市西湖区文三路259号。被投诉企业：张记餐饮管理有限公司。";
    let masked = run(&["mask"], Some(text));
    assert!(masked.status.success());
    assert_eq!(stdout(&masked), "我叫张*，手机139****5678，住在[地址]。被投诉企业：张记餐饮管理有限公司。");
    let json = run(&["mask", "--json"], Some(text));
    let spans: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let spans = spans.as_array().unwrap();
    assert_eq!(spans.len(), 3);
    assert_eq!(spans[1]["kind"], "mobile");
    assert_eq!(spans[1]["start"], 7, "offsets in characters");
    assert_eq!(spans[1]["end"], 18);
    assert_eq!(spans[1]["text"], "13912345678");
}

#[test]
fn calendar_import_checks_then_loads_a_years_notice() {
    let dir = DataDir::new();
    let d = dir.arg();
    let year = 2031;
    let statutory = xinqiao_domain::calendar::Statutory::builtin().days(year);
    let list = statutory.iter().map(|s| format!("\"{}\"", s.date)).collect::<Vec<_>>().join(", ");
    let good = format!(
        "[{year}]\nsource = \"国务院办公厅关于{year}年部分节假日安排的通知（测试用）\"\nverified = true\noff = [{list}]\nwork = []\n"
    );
    let bad = format!("[{year}]\nsource = \"测试\"\noff = []\nwork = [\"{year}-03-04\"]\n");
    let file = |name: &str, text: &str| {
        std::fs::create_dir_all(&dir.0).unwrap();
        let p = dir.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let (good_file, bad_file) = (file("good.toml", &good), file("bad.toml", &bad));

    let refused = run(&["calendar", "import", "--data-dir", &d, &bad_file], None);
    assert_eq!(refused.status.code(), Some(1));
    let err = stderr(&refused);
    assert!(
        err.contains("是工作日，不必列为调休上班日") && err.contains("（春节）是法定节假日") && err.contains("未导入"),
        "{err}"
    );
    let show = run(&["calendar", "show", "--data-dir", &d], None);
    assert!(stdout(&show).lines().all(|l| !l.starts_with(&year.to_string())), "nothing loaded");

    let loaded = run(&["calendar", "import", "--data-dir", &d, &good_file], None);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(stdout(&loaded).contains(&format!("已导入 {year} 年的安排（第 1 版）")));
    let show = run(&["calendar", "show", "--data-dir", &d], None);
    let line = stdout(&show).lines().find(|l| l.starts_with(&year.to_string())).map(str::to_owned);
    assert!(line.as_deref().is_some_and(|l| l.contains("国务院通知（已核实）") && l.contains("测试用")), "{line:?}");
}

/// Someone with write access to the database file but not to secrets.toml rewrites entry 2 and
/// re-hashes everything after it with plain SHA-256, as the unkeyed chain allowed.
fn reforge(db: &Path) {
    use xinqiao_domain::audit::{AuditRecord, Outcome};
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = xinqiao_web::store::Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::raw_sql("DROP TRIGGER audit_log_no_update").execute(store.pool()).await.unwrap();
        let filter = xinqiao_web::store::audit::Filter { limit: 1000, ..Default::default() };
        let mut entries = store.audit_entries(&filter).await.unwrap();
        entries.sort_by_key(|e| e.record.seq);
        let mut prev = entries[0].hash.clone();
        for e in entries.iter_mut().skip(1) {
            let mut r: AuditRecord = e.record.clone();
            if r.seq == 2 {
                r.outcome = Outcome::Failure;
            }
            r.prev_hash = prev.clone();
            let hash = r.hash();
            sqlx::query("UPDATE audit_log SET outcome = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
                .bind(r.outcome.code())
                .bind(&r.prev_hash)
                .bind(&hash)
                .bind(r.seq)
                .execute(store.pool())
                .await
                .unwrap();
            prev = hash;
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(store.pool()).await.unwrap();
        store.close().await;
    });
}

/// Someone removes the last entries and moves the head back: the shorter chain is intact.
fn rewind(db: &Path, to: i64) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = xinqiao_web::store::Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::raw_sql("DROP TRIGGER audit_log_no_delete").execute(store.pool()).await.unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq > $1").bind(to).execute(store.pool()).await.unwrap();
        let (hash,): (String,) =
            sqlx::query_as("SELECT hash FROM audit_log WHERE seq = $1").bind(to).fetch_one(store.pool()).await.unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(to)
            .bind(&hash)
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
    });
}

#[test]
fn the_keyed_audit_chain_cannot_be_reforged_and_checkpoints_pin_its_history() {
    let add = |d: &str, name: &str| {
        let out =
            run(&["user", "add", "--data-dir", d, "--username", name, "--name", "某人", "--role", "officer"], None);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    // Re-hashing with SHA-256 no longer passes.
    let dir = DataDir::new();
    let d = dir.arg();
    for name in ["user.a1", "user.a2", "user.a3"] {
        add(&d, name);
    }
    assert!(run(&["audit", "verify", "--data-dir", &d], None).status.success());
    reforge(&dir.0.join("xinqiao.db"));
    let out = run(&["audit", "verify", "--data-dir", &d], None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("第 2 条"), "{}", stdout(&out));

    // A checkpoint kept outside catches a chain cut short, which on its own still verifies.
    let dir = DataDir::new();
    let d = dir.arg();
    for name in ["user.b1", "user.b2", "user.b3"] {
        add(&d, name);
    }
    let cp = run(&["audit", "checkpoint", "--data-dir", &d], None);
    assert!(cp.status.success(), "{}", stderr(&cp));
    let kept = std::env::temp_dir().join(format!("xinqiao-checkpoint-{}.json", xinqiao_web::store::new_id()));
    std::fs::write(&kept, stdout(&cp)).unwrap();
    let k = kept.display().to_string();
    let ok = run(&["audit", "verify", "--data-dir", &d, "--checkpoint", &k], None);
    assert!(ok.status.success(), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("与检查点一致"));
    let mut forged: serde_json::Value = serde_json::from_str(&stdout(&cp)).unwrap();
    forged["seq"] = serde_json::json!(1);
    let forged_file = std::env::temp_dir().join(format!("xinqiao-checkpoint-{}.json", xinqiao_web::store::new_id()));
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    let bad = run(&["audit", "verify", "--data-dir", &d, "--checkpoint", &forged_file.display().to_string()], None);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("签名不符"), "{}", stdout(&bad));
    rewind(&dir.0.join("xinqiao.db"), 1);
    assert!(run(&["audit", "verify", "--data-dir", &d], None).status.success(), "the short chain is intact alone");
    let caught = run(&["audit", "verify", "--data-dir", &d, "--checkpoint", &k], None);
    assert_eq!(caught.status.code(), Some(1));
    assert!(stdout(&caught).contains("短于检查点"), "{}", stdout(&caught));
    let _ = std::fs::remove_file(kept);
    let _ = std::fs::remove_file(forged_file);
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_backups_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = DataDir::new();
    let d = dir.arg();
    // An earlier version (or a careless operator) left things readable.
    std::fs::create_dir_all(&dir.0).unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o755)).unwrap();
    let add = run(
        &["user", "add", "--data-dir", &d, "--username", "admin", "--name", "系统管理员", "--role", "sysadmin"],
        None,
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.0), 0o700);
    for entry in std::fs::read_dir(&dir.0).unwrap() {
        let p = entry.unwrap().path();
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&p), want, "{}", p.display());
    }
    let backup = std::env::temp_dir().join(format!("xinqiao-backup-{}.db", xinqiao_web::store::new_id()));
    let out = run(&["backup", "--data-dir", &d, "--to", &backup.display().to_string()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&backup), 0o600, "a backup holds everything: owner only");
    let _ = std::fs::remove_file(backup);
}

#[test]
fn mask_keeps_the_named_enterprise_and_writes_public_text() {
    let text = "在陈建华鲜果买的橙子是坏的，老板陈建华说不退，电话一三九，七一零六，三五二八。";
    let plain = run(&["mask"], Some(text));
    assert!(!stdout(&plain).contains("陈建华鲜果"), "without --enterprise the shop reads as a person");
    let known = run(&["mask", "--enterprise", "陈建华鲜果"], Some(text));
    assert_eq!(stdout(&known), "在陈建华鲜果买的橙子是坏的，老板陈**说不退，电话139****3528。");
    let public = run(&["mask", "--enterprise", "陈建华鲜果", "--public"], Some(text));
    assert_eq!(stdout(&public), "在陈建华鲜果买的橙子是坏的，老板[已隐去]说不退，电话[已隐去]。");
    let doubts = run(&["mask", "--json", "--doubts"], Some("请记下编号9981234"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&doubts)).unwrap();
    assert_eq!(v["doubts"][0]["reason"], "long_number");
    assert_eq!(v["spans"].as_array().unwrap().len(), 0);
}

#[test]
fn open311_keys_are_issued_listed_and_revoked_from_the_console() {
    let dir = DataDir::new();
    let d = dir.arg();
    let org = run(&["org", "add", "--data-dir", &d, "--code", "320508", "--name", "姑苏区市场监督管理局"], None);
    assert!(org.status.success(), "{}", stderr(&org));
    let unknown = run(&["open311", "issue", "--data-dir", &d, "--bureau", "999999", "--label", "随手拍"], None);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("没有行政区划代码为 999999 的机构"), "{}", stderr(&unknown));
    let issued = run(&["open311", "issue", "--data-dir", &d, "--bureau", "320508", "--label", "随手拍"], None);
    assert!(issued.status.success(), "{}", stderr(&issued));
    let out = stdout(&issued);
    let key = out.lines().last().unwrap().trim().to_owned();
    assert!(key.starts_with("o311_") && key.len() > 30, "{out}");
    let list = stdout(&run(&["open311", "list", "--data-dir", &d], None));
    assert!(list.contains("随手拍") && list.contains("有效") && !list.contains(&key), "only the prefix: {list}");
    let id = list.split_whitespace().next().unwrap().to_owned();
    let revoked = run(&["open311", "revoke", "--data-dir", &d, &id], None);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    assert!(stdout(&run(&["open311", "list", "--data-dir", &d], None)).contains("已撤销"));
    let again = run(&["open311", "revoke", "--data-dir", &d, &id], None);
    assert!(!again.status.success() && stderr(&again).contains("已于此前撤销"), "{}", stderr(&again));
}

#[test]
fn gs1_parse_prints_the_element_string_or_refuses_in_chinese() {
    let today = ["--today", "2026-12-06"];
    let json = |args: &[&str]| {
        let out = run(&[&["gs1", "parse"], args, &today[..]].concat(), None);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let v = json(&["]d2010506091751001110628S93R\u{1d}17241000218898847482518646"]);
    assert_eq!(
        v,
        serde_json::json!({"gtin": "05060917510011", "batch": "628S93R", "production": null,
            "best_before": null, "expiry": "2024-10-31"})
    );
    let v = json(&["(01)06901234567892(11)260115(15)270600(10)B2026"]);
    assert_eq!(v["production"], "2026-01-15");
    assert_eq!(v["best_before"], "2027-06-30");
    assert_eq!(v["batch"], "B2026");
    let v = json(&["6901234567892"]);
    assert_eq!(v["gtin"], "06901234567892");
    assert!(v["batch"].is_null() && v["expiry"].is_null());

    for (bad, says) in [
        ("6901234567893", "校验位"),
        ("(10)ABC(17)271231", "（01）"),
        ("(01)06901234567892(17)271301", "日期"),
        ("(01", "格式有误"),
    ] {
        let out = run(&["gs1", "parse", bad], None);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(stdout(&out).is_empty());
        assert!(stderr(&out).contains(says), "{bad}: {}", stderr(&out));
    }
}
