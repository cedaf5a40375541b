//! Every subcommand: build the configuration from its layers, open what it needs, call the
//! library, print the outcome.

use crate::cli::{
    AuditAction, CalendarAction, Cli, Command, Gs1Action, IdsAction, ImportWhat, Open311Action, OrgAction, Place,
    RollupsAction, UserAction,
};
use crate::progress::{Spinner, bar};
use crate::run::{init_tracing, run};
use anyhow::{Context, Result, anyhow, bail};
use std::io::Read;
use std::process::ExitCode;
use xinqiao_domain::accounts::{Role, SecurityPolicy};
use xinqiao_domain::ids::{RegionCode, Uscc, Username};
use xinqiao_web::config::Overrides;
use xinqiao_web::store::audit::Actor;
use xinqiao_web::store::settings::SECURITY_POLICY;
use xinqiao_web::store::users::NewUser;
use xinqiao_web::store::{Store, StoreError};
use xinqiao_web::{Config, Secrets, auth::password, demo};

fn load(cli_config: Option<&std::path::Path>, overrides: Overrides) -> Result<Config> {
    Ok(Config::load(cli_config, std::env::vars(), &overrides)?)
}

fn place(p: &Place) -> Overrides {
    Overrides { data_dir: p.data_dir.clone(), database_url: p.database_url.clone(), ..Default::default() }
}

/// The database, migrated, sealing audit entries with the installation's chain key (from the
/// secrets file, created on first use like the server does).
pub(crate) async fn open(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
    xinqiao_web::private::secure_tree(&config.data_dir)
        .with_context(|| format!("无法设置数据目录 {} 的权限", config.data_dir.display()))?;
    let store = Store::connect(&config.effective_database_url()).await?;
    store.migrate().await?;
    // The same checks as the server's start: never a new key for a database that has sealed data.
    let mut secrets = xinqiao_web::keyring::open_secrets(&config.data_dir, &store).await.map_err(|e| anyhow!(e))?;
    let key = secrets.ensure_audit_key(&config.data_dir, store.audit_head_seq().await? + 1)?;
    Ok(store.with_chain_key(key))
}

pub async fn dispatch(cli: Cli) -> Result<ExitCode> {
    let file = cli.config.as_deref();
    match cli.command {
        Command::Serve { addr, place: p } => {
            let config = load(file, Overrides { addr, ..place(&p) })?;
            init_tracing(&config);
            let state = xinqiao_web::prepare(config).await?;
            if state.store.user_count().await? == 0 {
                println!("这是一个全新的安装，还没有任何账户。请在另一个终端创建第一位系统管理员：");
                println!("  xinqiao org add --code 320500 --name 苏州市市场监督管理局   （本局，GB/T 2260 代码）");
                println!("  xinqiao user add --username admin --name 系统管理员 --role sysadmin --org 320500");
                println!("  （三员分立：另建 --role secadmin 与 --role auditadmin 的账户）");
            }
            run(state).await
        }
        Command::Demo { addr, data_dir } => demo_command(file, addr, data_dir).await,
        Command::Mask { json, enterprises, public, doubts } => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("无法读取标准输入")?;
            let detector = xinqiao_domain::privacy::Detector::new();
            let known: Vec<&str> = enterprises.iter().map(String::as_str).collect();
            let spans = detector.detect_for(&text, &known);
            if json && doubts {
                let doubts = detector.doubtful(&text, &spans);
                println!("{}", serde_json::json!({"spans": spans, "doubts": doubts}));
            } else if json {
                println!("{}", serde_json::to_string(&spans)?);
            } else if public {
                print!("{}", xinqiao_domain::privacy::render_public(&text, &spans));
            } else {
                print!("{}", xinqiao_domain::privacy::mask_spans(&text, &spans));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { place: p } => {
            let config = load(file, place(&p))?;
            if config.database_url.is_empty() {
                std::fs::create_dir_all(&config.data_dir)
                    .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
            }
            let store = Store::connect(&config.effective_database_url()).await?;
            let spinner = Spinner::start("正在执行迁移");
            let ran = store.migrate().await?;
            drop(spinner);
            println!("迁移完成：本次执行 {ran} 个（{}）", store.backend().name());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { place: p } => {
            let config = load(file, place(&p))?;
            println!("# 生效的配置（默认值 → 配置文件 → XINQIAO_* 环境变量 → 命令行参数）");
            print!("{}", config.to_redacted_toml());
            let path = Secrets::path_in(&config.data_dir);
            println!("\n# 密钥文件：{}（内容不显示）", path.display());
            if path.exists() {
                let (secrets, _) = Secrets::load_or_create(&config.data_dir, 0)?;
                println!("# 当前数据密钥编号：{}；共 {} 个数据密钥", secrets.active_data_key, secrets.data_keys.len());
            } else {
                println!("# 尚未生成：首次启动时自动生成（权限 0600）");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User { place: p, action } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            user_command(&store, action).await
        }
        Command::Org { place: p, action } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            org_command(&store, action).await
        }
        Command::Open311 { place: p, action } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            open311_command(&store, action).await
        }
        Command::Audit { place: p, action: AuditAction::Verify { checkpoint } } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            if let Some(path) = checkpoint {
                let text = std::fs::read_to_string(&path).with_context(|| format!("无法读取 {}", path.display()))?;
                let c: xinqiao_domain::audit::Checkpoint = serde_json::from_str(&text)
                    .map_err(|e| anyhow!("{} 不是心桥审计检查点文件：{e}", path.display()))?;
                let verdict = store.verify_checkpoint(&c).await?;
                println!("{}", verdict.describe());
                return Ok(if verdict.holds() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
            }
            let v = store.verify_audit_chain(|done, total| bar("校验审计链", done, total)).await?;
            if v.is_intact() {
                println!("审计链完整：已校验 {} 条记录。", v.checked);
                Ok(ExitCode::SUCCESS)
            } else {
                let broken = v.broken.expect("not intact");
                println!("审计链已损坏：第一条不符的记录为第 {} 条。{}", broken.seq(), broken.describe());
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Audit { place: p, action: AuditAction::Checkpoint } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            let c = store.take_checkpoint().await?.ok_or_else(|| anyhow!("没有审计链密钥，无法签发检查点"))?;
            println!("{}", serde_json::to_string_pretty(&c)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Draw { action } => crate::draw::command(action),
        Command::Gs1 { action: Gs1Action::Parse { string, today } } => gs1_parse(&string, today.as_deref()),
        Command::Ids { action: IdsAction::Check { kind, today } } => crate::ids_check::command(kind, today.as_deref()),
        Command::Gen(args) => crate::r#gen::command(args),
        Command::Import { place: p, what } => {
            let config = load(file, place(&p))?;
            // Each import checks its file completely before the database is opened.
            match what {
                ImportWhat::Targets { file, encoding } => {
                    crate::import::command(|| open(&config), crate::import::Directory::Targets, &file, encoding).await
                }
                ImportWhat::Inspectors { file, encoding } => {
                    crate::import::command(|| open(&config), crate::import::Directory::Inspectors, &file, encoding)
                        .await
                }
                ImportWhat::Cases { file, encoding, batch } => {
                    crate::import_cases::command(config, &file, encoding, batch as usize).await
                }
            }
        }
        Command::Calendar { place: p, action } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            let state = crate::keys::state_for_reading(store, config).await?;
            xinqiao_web::calendar::refresh(&state).await.map_err(|e| anyhow!("{e}"))?;
            calendar_command(&state, action).await
        }
        Command::Reindex { place: p } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            let state = crate::keys::state_for_reading(store, config).await?;
            let applied = xinqiao_web::search::reindex(&state, |done, total| bar("重建索引", done, total))
                .await
                .map_err(|e| anyhow!("{e}（如服务正在运行，请先停止）"))?;
            println!("索引已重建：处理了 {applied} 条变更记录。");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { place: p } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            crate::maintenance::check(store, config).await
        }
        Command::Keys { place: p, action } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            crate::keys::command(store, config, action).await
        }
        Command::Rollups { place: p, action: RollupsAction::Rebuild } => {
            let config = load(file, place(&p))?;
            let store = open(&config).await?;
            crate::maintenance::rebuild_rollups(&store).await
        }
        Command::Backup { place: p, to } => {
            let config = load(file, place(&p))?;
            let store = Store::connect(&config.effective_database_url()).await?;
            let spinner = Spinner::start("正在备份");
            let result = store.backup_to(&to).await;
            drop(spinner);
            let bytes = result?;
            xinqiao_web::private::secure_file(&to).with_context(|| format!("无法设置 {} 的权限", to.display()))?;
            println!(
                "备份完成：{}（{:.1} MB）。密钥文件 {} 请另行备份并分开保管。",
                to.display(),
                bytes as f64 / 1e6,
                Secrets::path_in(&config.data_dir).display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn calendar_command(state: &xinqiao_web::AppState, action: CalendarAction) -> Result<ExitCode> {
    match action {
        CalendarAction::Show => {
            let calendar = state.calendar();
            for y in xinqiao_web::calendar::years(&calendar, state.today()) {
                println!("{}\t{}\t{}", y.year, y.basis_label, y.source);
            }
            if let Some(m) = xinqiao_web::calendar::horizon(&calendar, state.today()).message() {
                println!("\n提醒：{m}");
            }
            Ok(ExitCode::SUCCESS)
        }
        CalendarAction::Import { file } => {
            let text = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let Ok(text) = String::from_utf8(text) else {
                bail!("{} 不是 UTF-8 编码的文本，请另存为 UTF-8 后再导入", file.display());
            };
            match xinqiao_web::calendar::load(state, &Actor::console(), &text).await {
                Ok(report) => {
                    for (year, version) in &report.loaded {
                        println!("已导入 {year} 年的安排（第 {version} 版）。");
                    }
                    println!(
                        "{} 件诉求、{} 项抽查结果的期限随之调整，变动已记入办理记录。运行中的各节点在十秒内生效。",
                        report.cases_moved, report.results_moved
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(xinqiao_web::error::AppError::Validation(fields)) => {
                    for f in fields {
                        eprintln!("{}", f.message);
                    }
                    eprintln!("未导入任何内容。");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(anyhow!("{e}")),
            }
        }
    }
}

async fn demo_command(
    file: Option<&std::path::Path>,
    addr: Option<std::net::SocketAddr>,
    data_dir: Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    let dir = match data_dir {
        Some(d) => {
            if d.exists() && std::fs::read_dir(&d)?.next().is_some() {
                bail!("演示数据目录 {} 不是空目录：演示模式只在空目录中创建数据，不会改动已有数据", d.display());
            }
            d
        }
        None => std::env::temp_dir().join(format!("xinqiao-demo-{}", xinqiao_web::store::new_id())),
    };
    let mut config = load(file, Overrides { addr, data_dir: Some(dir.clone()), database_url: Some(String::new()) })?;
    config.require_admin_totp = false;
    init_tracing(&config);
    let state = xinqiao_web::prepare(config).await?;
    let seeded = demo::seed_all(&state, 600).await.map_err(|e| anyhow!("{e}"))?;
    let (logins, cases, history, draws) = (&seeded.logins, seeded.cases, seeded.history, seeded.draws);
    println!(
        "心桥演示实例：全部数据为虚构示例（含 {cases} 件示例诉求、近一年的 {history} 件历史诉求、{draws} 项抽查任务），保存在 {}",
        dir.display()
    );
    println!("演示账户（密码只显示这一次；演示模式下管理员登录不要求动态验证码）：");
    println!("  {}{}{}机构", pad("角色", 12), pad("用户名", 14), pad("密码", 20));
    for l in logins {
        println!("  {}{}{}{}", pad(l.role.label(), 12), pad(&l.username, 14), pad(&l.password, 20), l.org);
    }
    run(state).await
}

fn read_password_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let pw = s.trim_end_matches(['\r', '\n']).to_owned();
    if pw.is_empty() {
        bail!("标准输入中没有密码");
    }
    Ok(pw)
}

async fn user_command(store: &Store, action: UserAction) -> Result<ExitCode> {
    let console = Actor::console();
    let policy: SecurityPolicy = store.setting(SECURITY_POLICY).await?.unwrap_or_default();
    match action {
        UserAction::Add { username, name, roles, org, uscc, password_stdin } => {
            let username = Username::parse(&username)?;
            let roles = roles.iter().map(|r| Role::parse(r)).collect::<Result<Vec<_>, _>>()?;
            let uscc = uscc.map(|u| Uscc::parse(&u)).transpose()?;
            let org_id = match org {
                Some(code) => Some(org_id_by_code(store, &code).await?),
                None => None,
            };
            let (pw, generated) =
                if password_stdin { (read_password_stdin()?, false) } else { (demo::generate_password(), true) };
            policy.check_password(&pw, username.as_str())?;
            let password_hash = password::hash(pw.clone()).await.map_err(|e| anyhow!("{e}"))?;
            let name = name.trim().to_owned();
            if name.is_empty() {
                bail!("姓名不能为空");
            }
            let new = NewUser {
                username,
                display_name: name,
                password_hash,
                org_id,
                uscc,
                roles,
                must_change_password: true,
            };
            let user = store.create_user(&console, new).await.map_err(conflict)?;
            println!("已创建账户 {}（{}）", user.username, roles_text(&user.roles));
            if generated {
                println!("初始密码（只显示这一次，首次登录须修改）：{pw}");
            }
            Ok(ExitCode::SUCCESS)
        }
        UserAction::Passwd { username, password_stdin } => {
            let user = store.user_by_name(&username).await.map_err(not_found(&username))?;
            let (pw, generated) =
                if password_stdin { (read_password_stdin()?, false) } else { (demo::generate_password(), true) };
            policy.check_password(&pw, &user.username)?;
            let hash = password::hash(pw.clone()).await.map_err(|e| anyhow!("{e}"))?;
            store.set_password(&console, &user.id, &hash, true, None).await?;
            println!("已重置 {} 的密码，下次登录时须修改。", user.username);
            if generated {
                println!("临时密码（只显示这一次）：{pw}");
            }
            Ok(ExitCode::SUCCESS)
        }
        UserAction::Roles { username, roles } => {
            let user = store.user_by_name(&username).await.map_err(not_found(&username))?;
            let roles = roles.iter().map(|r| Role::parse(r)).collect::<Result<Vec<_>, _>>()?;
            let user = store.set_roles(&console, &user.id, &roles).await?;
            println!("{} 的角色：{}", user.username, roles_text(&user.roles));
            Ok(ExitCode::SUCCESS)
        }
        UserAction::Disable { username } => toggle(store, &console, &username, true).await,
        UserAction::Enable { username } => toggle(store, &console, &username, false).await,
        UserAction::List => {
            for u in store.list_users().await? {
                let status = if u.disabled { "已停用" } else { "正常" };
                println!(
                    "{}{}{}{}",
                    pad(&u.username, 20),
                    pad(&u.display_name, 14),
                    pad(status, 8),
                    roles_text(&u.roles)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn org_command(store: &Store, action: OrgAction) -> Result<ExitCode> {
    match action {
        OrgAction::Add { code, name, parent } => {
            let region = RegionCode::parse(&code)?;
            let parent_id = match parent {
                Some(p) => Some(org_id_by_code(store, &p).await?),
                None => None,
            };
            let org =
                store.create_org(&Actor::console(), &region, &name, parent_id.as_deref()).await.map_err(
                    |e| match e {
                        StoreError::Conflict(_) => anyhow!("行政区划代码 {code} 已有机构"),
                        other => other.into(),
                    },
                )?;
            println!("已添加机构：{}（{}）", org.name, org.region_code);
        }
        OrgAction::List => {
            for o in store.list_orgs().await? {
                println!("{}  {}", o.region_code, o.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn open311_command(store: &Store, action: Open311Action) -> Result<ExitCode> {
    use xinqiao_web::open311::service::{self, KeyAdmin};
    let admin = KeyAdmin::console();
    match action {
        Open311Action::Issue { bureau, label } => {
            let org = org_id_by_code(store, &bureau).await?;
            let issued = service::issue_key(store, &admin, &org, &label).await.map_err(|e| anyhow!("{e}"))?;
            println!("已签发（编号 {}）。api_key 只显示这一次，请交给“{}”：", issued.key.id, issued.key.label);
            println!("{}", issued.secret);
        }
        Open311Action::Revoke { id } => {
            let key = service::revoke_key(store, &admin, &id).await.map_err(|e| anyhow!("{e}"))?;
            println!("已撤销 {}（{}…）。", key.label, key.prefix);
        }
        Open311Action::List => {
            for row in service::keys(store, &admin).await.map_err(|e| anyhow!("{e}"))? {
                let state = if row.key.revoked_at.is_some() { "已撤销" } else { "有效" };
                println!("{}  {}  {}  {}…  {state}", row.key.id, row.bureau, row.key.label, row.key.prefix);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn org_id_by_code(store: &Store, code: &str) -> Result<String> {
    Ok(store
        .list_orgs()
        .await?
        .into_iter()
        .find(|o| o.region_code == code)
        .ok_or_else(|| anyhow!("没有行政区划代码为 {code} 的机构"))?
        .id)
}

async fn toggle(store: &Store, console: &Actor, username: &str, disabled: bool) -> Result<ExitCode> {
    let user = store.user_by_name(username).await.map_err(not_found(username))?;
    store.set_disabled(console, &user.id, disabled).await?;
    println!("{} 已{}。", user.username, if disabled { "停用，其会话与令牌均已失效" } else { "启用" });
    Ok(ExitCode::SUCCESS)
}

/// Pads to a terminal width, counting CJK characters as two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used).max(1)))
}

fn roles_text(roles: &[Role]) -> String {
    if roles.is_empty() {
        "未分配角色".into()
    } else {
        roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
    }
}

fn not_found(username: &str) -> impl FnOnce(StoreError) -> anyhow::Error + '_ {
    move |e| match e {
        StoreError::NotFound => anyhow!("没有用户名为 {username} 的账户"),
        other => other.into(),
    }
}

fn conflict(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Conflict(_) => anyhow!("该用户名已被使用"),
        other => other.into(),
    }
}

/// `xinqiao gs1 parse`: the element string as JSON, or the Chinese reason it cannot be read.
fn gs1_parse(string: &str, today: Option<&str>) -> Result<ExitCode> {
    use xinqiao_domain::calendar::Date;
    let today = match today {
        Some(t) => Date::parse(t).ok_or_else(|| anyhow!("--today 应为 YYYY-MM-DD 格式的日期"))?,
        None => xinqiao_web::store::clock::Clock::system().today(),
    };
    let e = xinqiao_domain::ledger::ElementString::parse(string, today).map_err(|e| anyhow!("{e}"))?;
    let date = |d: Option<Date>| d.map(|d| d.to_string());
    println!(
        "{}",
        serde_json::json!({
            "gtin": e.gtin.as_str(),
            "batch": e.batch,
            "production": date(e.production),
            "best_before": date(e.best_before),
            "expiry": date(e.expiry),
        })
    );
    Ok(ExitCode::SUCCESS)
}
