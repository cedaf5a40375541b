//! Acknowledged means stored, at the console: an import stopped midway resumes without storing
//! anything twice and without a batch's cases losing their outcomes; `check` finds damaged
//! roll-ups and `rollups rebuild` puts them right; keys rotate and re-seal; a bad import file
//! (a zip bomb, a renamed CSV, GBK, a doubled column, a 100 KB name, only a heading) is refused
//! in Chinese before anything is written; a busy database is waited for.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_xinqiao");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("XINQIAO_DATABASE_URL")
        .env_remove("XINQIAO_DATA_DIR")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("xinqiao runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory, removed afterwards.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        let p = std::env::temp_dir().join(format!("xinqiao-durability-{}", xinqiao_web::store::new_id()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    fn data(&self) -> String {
        self.0.join("data").display().to_string()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    async fn db(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}/data/xinqiao.db", self.0.display());
        sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `n` complaints, every other one closed with a settled mediation.
fn cases_csv(n: usize, tag: &str) -> String {
    let mut s = String::from(
        "kind,received_on,region_code,enterprise_name,industry,narrative,demand,complainant_name,\
         complainant_mobile,complainant_address,closed,closed_on,closed_on_time,mediation_result\n",
    );
    for i in 0..n {
        let closed = i % 2 == 0;
        s.push_str(&format!(
            "complaint,2026-10-{:02},320508,示例健身有限公司{i},R,{tag}第{i}位顾客：健身房办了5000元的卡，现在关门了，老板不接电话。,\
             退还卡内余额,王建国,1391234{i:04},苏州市姑苏区示例路1号,{},{},{},{}\n",
            i % 20 + 1,
            u8::from(closed),
            if closed { "2026-10-28" } else { "" },
            if closed { "1" } else { "" },
            if closed { "settled" } else { "" },
        ));
    }
    s
}

async fn count(db: &sqlx::AnyPool, sql: &'static str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db).await.unwrap();
    n
}

fn import_cases(dir: &Dir, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["import", "cases", file.to_str().unwrap(), "--data-dir"];
    let data = dir.data();
    args.push(&data);
    args.extend_from_slice(extra);
    run(&args)
}

#[tokio::test]
async fn a_stopped_import_resumes_without_duplicates_and_with_every_outcome() {
    let dir = Dir::new();
    let file = dir.file("cases.csv");
    std::fs::write(&file, cases_csv(25, "")).unwrap();
    // An empty database first, then a fault that stops the third batch at its very end (after its
    // cases and outcomes were written), as a kill or a full disk would.
    assert!(run(&["migrate", "--data-dir", &dir.data()]).status.success());
    let db = dir.db().await;
    sqlx::query(
        "CREATE TRIGGER stop_third AFTER INSERT ON import_batches WHEN (SELECT COUNT(*) FROM import_batches) > 2 \
         BEGIN SELECT RAISE(ABORT, 'stopped'); END",
    )
    .execute(&db)
    .await
    .unwrap();
    let first = import_cases(&dir, &file, &["--batch", "5"]);
    assert!(!first.status.success());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, 10, "two whole batches, nothing of the third");
    let closed = count(&db, "SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL").await;
    assert_eq!(closed, 5, "every closed case of a stored batch has its outcome");

    sqlx::query("DROP TRIGGER stop_third").execute(&db).await.unwrap();
    let again = import_cases(&dir, &file, &["--batch", "5"]);
    assert!(again.status.success(), "{}", err(&again));
    assert!(out(&again).contains("跳过此前已导入的 10 行（第2–11行"), "{}", out(&again));
    assert!(out(&again).contains("已导入 15 件诉求"), "{}", out(&again));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, 25, "nothing twice");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL").await, 13);
    let third = import_cases(&dir, &file, &["--batch", "5"]);
    assert!(out(&third).contains("此前已全部导入"), "{}", out(&third));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, 25);

    // The index and the roll-ups agree with the database; damaged roll-ups are found and rebuilt.
    let check = run(&["check", "--data-dir", &dir.data()]);
    assert!(check.status.success(), "{}{}", out(&check), err(&check));
    assert!(out(&check).contains("统计汇总：与 25 件诉求的重新计数一致"), "{}", out(&check));
    assert!(out(&check).contains("检索索引（诉求）：25 条，与数据库一致"), "{}", out(&check));
    sqlx::query("DELETE FROM insight_rollups WHERE closed > 0").execute(&db).await.unwrap();
    let check = run(&["check", "--data-dir", &dir.data()]);
    assert_eq!(check.status.code(), Some(1));
    assert!(out(&check).contains("xinqiao rollups rebuild"), "{}", out(&check));
    let rebuild = run(&["rollups", "rebuild", "--data-dir", &dir.data()]);
    assert!(rebuild.status.success() && out(&rebuild).contains("25 件诉求"), "{}", err(&rebuild));
    assert!(run(&["check", "--data-dir", &dir.data()]).status.success());
    // A case the index never saw, at a position it has passed, is named.
    sqlx::query(
        "INSERT INTO cases (id, tracking_code, access_key_hash, kind, status, region_code, enterprise_name, \
         narrative_masked, narrative_sealed, demand_masked, consent_publish, anonymous, received_at, received_day, \
         updated_at) SELECT 'late-case', 'LATE0001', access_key_hash, kind, status, region_code, enterprise_name, \
         narrative_masked, narrative_sealed, demand_masked, consent_publish, 1, received_at, received_day, updated_at \
         FROM cases LIMIT 1",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO outbox (seq, topic, entity_id, at_ms) VALUES (-1, 'case', 'late-case', 0)")
        .execute(&db)
        .await
        .unwrap();
    let check = run(&["check", "--data-dir", &dir.data()]);
    assert_eq!(check.status.code(), Some(1));
    assert!(out(&check).contains("检索索引（诉求）：缺少 1 条（如 late-case）"), "{}", out(&check));
}

#[tokio::test]
async fn keys_rotate_and_reseal_from_the_console() {
    let dir = Dir::new();
    let file = dir.file("cases.csv");
    std::fs::write(&file, cases_csv(4, "")).unwrap();
    assert!(import_cases(&dir, &file, &[]).status.success());
    let rotate = run(&["keys", "rotate", "--data-dir", &dir.data()]);
    assert!(rotate.status.success(), "{}", err(&rotate));
    assert!(out(&rotate).contains("已新增数据密钥 k2") && out(&rotate).contains("xinqiao keys reseal"));
    let later = dir.file("later.csv");
    std::fs::write(&later, cases_csv(2, "后来")).unwrap();
    assert!(import_cases(&dir, &later, &[]).status.success());
    let db = dir.db().await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases WHERE narrative_sealed LIKE 'v1.k2.%'").await, 2);
    let reseal = run(&["keys", "reseal", "--data-dir", &dir.data()]);
    assert!(reseal.status.success(), "{}", err(&reseal));
    // four earlier cases, each with three sealed values: narrative, identity and the 诉求 original
    assert!(out(&reseal).contains("重新加密 12 项"), "{}", out(&reseal));
    assert!(out(&reseal).contains("已停用不再使用的数据密钥：k1"), "{}", out(&reseal));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases WHERE narrative_sealed NOT LIKE 'v1.k2.%'").await, 0);
    let list = out(&run(&["keys", "list", "--data-dir", &dir.data()]));
    assert!(list.contains("数据密钥 k1") && list.contains("已停用"), "{list}");
    assert!(list.contains("数据密钥 k2") && list.contains("当前"), "{list}");
    let secrets = std::fs::read_to_string(dir.0.join("data/secrets.toml")).unwrap();
    for line in list.lines() {
        let fingerprint = line.split("指纹 ").nth(1).unwrap().split_whitespace().next().unwrap();
        assert!(!secrets.contains(fingerprint), "a fingerprint is not a key");
    }
    // Without its secrets file the database's sealed data is protected: refused, not re-keyed.
    std::fs::rename(dir.0.join("data/secrets.toml"), dir.file("kept.toml")).unwrap();
    let third = dir.file("third.csv");
    std::fs::write(&third, cases_csv(2, "再后来")).unwrap();
    let refused = import_cases(&dir, &third, &[]);
    assert!(!refused.status.success());
    assert!(err(&refused).contains("找不到密钥文件"), "{}", err(&refused));
    assert!(!dir.0.join("data/secrets.toml").exists());
}

#[tokio::test]
async fn bad_import_files_are_refused_in_chinese_before_anything_is_written() {
    let dir = Dir::new();
    let data = dir.data();
    let targets = |name: &str| run(&["import", "targets", dir.file(name).to_str().unwrap(), "--data-dir", &data]);

    // A zip bomb: refused from its parts' sizes, before any is unpacked.
    {
        use std::io::Write;
        let f = std::fs::File::create(dir.file("bomb.xlsx")).unwrap();
        let mut zip = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..16 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let bomb = targets("bomb.xlsx");
    assert!(!bomb.status.success());
    assert!(err(&bomb).contains("压缩炸弹"), "{}", err(&bomb));

    // A CSV renamed .xlsx, and an old .xls.
    let heading = "统一社会信用代码,企业名称,行业门类,行政区划代码,信用风险分类\n";
    std::fs::write(dir.file("renamed.xlsx"), heading).unwrap();
    assert!(err(&targets("renamed.xlsx")).contains("可能是改了扩展名的 CSV"));
    std::fs::write(dir.file("old.xlsx"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    assert!(err(&targets("old.xlsx")).contains("旧版 Excel（.xls）"));

    // Only a heading: nothing to import is not a success, and nothing is written at all.
    std::fs::write(dir.file("heading.csv"), heading).unwrap();
    let only = targets("heading.csv");
    assert_eq!(only.status.code(), Some(1));
    assert!(err(&only).contains("没有数据行"), "{}", err(&only));
    std::fs::write(dir.file("heading-cases.csv"), cases_csv(0, "")).unwrap();
    let only = import_cases(&dir, &dir.file("heading-cases.csv"), &[]);
    assert_eq!(only.status.code(), Some(1));
    assert!(err(&only).contains("没有数据行"), "{}", err(&only));
    assert!(!Path::new(&data).exists(), "not even the database is created");

    // A column given twice, and a 100 KB name.
    let uscc = xinqiao_domain::ids::Uscc::with_check_char("91320508MA1X80011").unwrap().to_string();
    let twice = format!("{},企业名称\n{uscc},甲,H,320508,B,乙\n", heading.trim_end());
    std::fs::write(dir.file("twice.csv"), twice).unwrap();
    assert!(err(&targets("twice.csv")).contains("“企业名称”列出现了两次"), "{}", err(&targets("twice.csv")));
    let cases_twice = cases_csv(2, "").replacen("narrative,demand", "narrative,narrative", 1);
    std::fs::write(dir.file("cases-twice.csv"), cases_twice).unwrap();
    let twice = import_cases(&dir, &dir.file("cases-twice.csv"), &[]);
    assert!(err(&twice).contains("“narrative”列出现了两次"), "{}", err(&twice));
    std::fs::write(dir.file("long.csv"), format!("{heading}{uscc},{},H,320508,B\n", "名".repeat(100 * 1024))).unwrap();
    let long = targets("long.csv");
    assert!(!long.status.success());
    assert!(err(&long).contains("超过"), "{}", err(&long));
    assert!(!Path::new(&data).exists());

    // GBK: refused by name when UTF-8 is demanded, read and converted otherwise.
    let text = cases_csv(3, "国标");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(dir.file("gbk.csv"), &gbk).unwrap();
    let strict = import_cases(&dir, &dir.file("gbk.csv"), &["--encoding", "utf-8"]);
    assert!(!strict.status.success());
    assert!(err(&strict).contains("GBK") && !err(&strict).contains("utf-8 sequence"), "{}", err(&strict));
    let converted = import_cases(&dir, &dir.file("gbk.csv"), &[]);
    assert!(converted.status.success(), "{}", err(&converted));
    assert!(err(&converted).contains("已按 GBK 编码读取"), "{}", err(&converted));
    let db = dir.db().await;
    let (narrative,): (String,) =
        sqlx::query_as("SELECT narrative_masked FROM cases LIMIT 1").fetch_one(&db).await.unwrap();
    assert!(narrative.contains("国标第") && narrative.contains("健身房"), "{narrative}");
}

#[tokio::test]
async fn an_import_waits_its_turn_while_another_process_writes() {
    let dir = Dir::new();
    let file = dir.file("cases.csv");
    std::fs::write(&file, cases_csv(3, "")).unwrap();
    assert!(import_cases(&dir, &file, &[]).status.success());
    let more = dir.file("more.csv");
    std::fs::write(&more, cases_csv(3, "又")).unwrap();
    // Another process (the running service, say) holds the write lock longer than SQLite's own
    // patience.
    let db = dir.db().await;
    let mut holder = db.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *holder).await.unwrap();
    let mut child = Command::new(BIN)
        .args(["import", "cases", more.to_str().unwrap(), "--data-dir", &dir.data()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Hold on until the import says it is waiting (past its busy timeout, however slow the
    // machine is to get it there), then let go: it must try again and finish.
    let (said, heard) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = said.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let waited = tokio::task::spawn_blocking(move || {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while let Some(left) = until.checked_duration_since(std::time::Instant::now()) {
            match heard.recv_timeout(left) {
                Ok(line) if line.contains("数据库正忙") => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    })
    .await
    .unwrap();
    sqlx::raw_sql("COMMIT").execute(&mut *holder).await.unwrap();
    drop(holder);
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    let said = reader.join().unwrap();
    assert!(waited, "the import never said it was waiting: {said}");
    assert!(status.success(), "{said}");
    assert!(!said.contains("服务器内部错误"), "{said}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, 6);
}

#[test]
fn a_server_that_cannot_write_says_why_at_start() {
    let dir = Dir::new();
    assert!(run(&["migrate", "--data-dir", &dir.data()]).status.success());
    let url = format!("sqlite://{}/data/xinqiao.db?mode=ro", dir.0.display());
    let mut child = Command::new(BIN)
        .args(["serve", "--data-dir", &dir.data(), "--database-url", &url, "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It must stop by itself; a server that started anyway is killed and the test fails.
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("serve started on a read-only database");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let done = child.wait_with_output().unwrap();
    assert!(!done.status.success());
    assert!(err(&done).contains("数据目录只读"), "{}", err(&done));
    assert!(!err(&done).contains("pool timed out"), "{}", err(&done));
}
