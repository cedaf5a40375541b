//! The demo: a city bureau with three district bureaus (GB/T 2260 codes), one account of every
//! role (generated passwords, printed once), and a year of a living bureau's work — cases of
//! every kind in every state, draw tasks at every stage, warnings, campaigns and an assessment in
//! progress — made through the same services as the pages, deterministic from fixed seeds and the
//! application's clock ([`seed_all`]).

use crate::auth::password;
use crate::error::AppError;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::{RegionCode, Uscc, Username};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::NewUser;

/// One demo account's login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: Role,
    pub username: String,
    pub password: String,
    pub org: String,
}

const CITY: (&str, &str) = ("320500", "苏州市市场监督管理局");
const DISTRICTS: [(&str, &str); 3] =
    [("320508", "姑苏区市场监督管理局"), ("320506", "吴中区市场监督管理局"), ("320507", "相城区市场监督管理局")];

/// A password that meets the default policy: 16 characters from four classes.
pub fn generate_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"-_.!@#";
    let bytes = xinqiao_store::random_bytes::<16>();
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let set = [LOWER, UPPER, DIGIT, SYMBOL][if i < 4 { i } else { usize::from(*b) % 3 }];
            set[usize::from(*b) % set.len()] as char
        })
        .collect()
}

/// Creates the demo organisation and accounts in an empty database.
pub async fn seed(store: &Store) -> Result<Vec<DemoLogin>, AppError> {
    let console = Actor::console();
    let city = store.create_org(&console, &RegionCode::parse(CITY.0)?, CITY.1, None).await?;
    let mut districts = Vec::new();
    for (code, name) in DISTRICTS {
        districts.push(store.create_org(&console, &RegionCode::parse(code)?, name, Some(&city.id)).await?);
    }
    let people = [
        (Role::SysAdmin, "sysadmin", "周系统", &city),
        (Role::SecAdmin, "secadmin", "吴安全", &city),
        (Role::AuditAdmin, "auditor", "郑审计", &city),
        (Role::Supervisor, "supervisor", "王主管", &districts[0]),
        (Role::Officer, "officer", "李体验", &districts[0]),
        // Not yet certified: applying for the qualification (an assessment in progress).
        (Role::Officer, "candidate", "钱候选", &districts[0]),
        (Role::Reviewer, "reviewer", "陈评审", &city),
        (Role::Reviewer, "reviewer2", "赵评审", &city),
        (Role::Reviewer, "reviewer3", "孙评审", &districts[1]),
        (Role::Enterprise, "enterprise", "姑苏示例餐饮有限公司", &districts[0]),
    ];
    let mut logins = Vec::new();
    for (role, username, name, org) in people {
        let pw = generate_password();
        let uscc =
            (role == Role::Enterprise).then(|| Uscc::with_check_char("91320508MA1XQ0001").expect("valid symbols"));
        let new = NewUser {
            username: Username::parse(username)?,
            display_name: name.to_owned(),
            password_hash: password::hash(pw.clone()).await?,
            org_id: Some(org.id.clone()),
            uscc,
            roles: vec![role],
            must_change_password: false,
        };
        let user = store.create_user(&console, new).await?;
        if matches!(role, Role::Officer | Role::Supervisor) && username != "candidate" {
            // Certified before the platform: only certificate holders are offered cases.
            let today = store.clock().today();
            let issued = xinqiao_domain::qualification::add_years(today, -1);
            let (year, _, _) = xinqiao_domain::time::civil_from_days(issued.0);
            let prefix = format!("KHTYG-{}-{year}-", org.region_code);
            let until = xinqiao_domain::qualification::add_years(issued, 2).0 - 1;
            store.register_certificate(&console, &prefix, &user.id, issued.0, until).await?;
        }
        logins.push(DemoLogin { role, username: username.to_owned(), password: pw, org: org.name.clone() });
    }
    Ok(logins)
}

/// A few cases of every kind from the seed's stories, so the demo has work to show: one
/// complaint about the demo enterprise already accepted and in mediation by the demo officer.
pub async fn seed_cases(state: &crate::AppState) -> Result<usize, AppError> {
    use xinqiao_domain::cases::intake::IntakeForm;
    use xinqiao_domain::cases::{Action, CaseKind, Status};
    use xinqiao_store::cases::Transition;
    let enterprise_uscc = Uscc::with_check_char("91320508MA1XQ0001").expect("valid symbols").to_string();
    let form = |kind: &str,
                enterprise: &str,
                uscc: &str,
                industry: &str,
                narrative: &str,
                demand: &str,
                name: &str,
                mobile: &str| IntakeForm {
        kind: kind.into(),
        enterprise_name: enterprise.into(),
        uscc: uscc.into(),
        industry: industry.into(),
        region_code: "320508".into(),
        narrative: narrative.into(),
        demand: demand.into(),
        name: name.into(),
        mobile: mobile.into(),
        address: if name.is_empty() { String::new() } else { "苏州市姑苏区示例路1号".into() },
        ..Default::default()
    };
    let forms = [
        form(
            "complaint",
            "姑苏示例餐饮有限公司",
            &enterprise_uscc,
            "H",
            "3月15日在店里吃饭，外卖包装上的生产日期标错了，吃完肚子不舒服，店员说不关他们的事。我叫王建国，电话13912345678。",
            "退还餐费并道歉",
            "王建国",
            "13912345678",
        ),
        form(
            "complaint",
            "姑苏示例健身管理有限公司",
            "",
            "R",
            "我攒了半年养老钱办的5000元健身卡，健身房突然关门，老板电话15900001111一直关机。",
            "退还卡内余额",
            "李秀英",
            "13812345678",
        ),
        form(
            "report",
            "某某生鲜超市",
            "",
            "F",
            "这家超市把过期的牛奶改了生产日期重新上架销售，我亲眼看到店员在贴新标签。",
            "",
            "",
            "",
        ),
        form(
            "consultation",
            "",
            "",
            "",
            "网络直播带货能不能用“全网最低价”宣传？我们准备下周开播。",
            "",
            "张经理",
            "13700001234",
        ),
        form(
            "suggestion",
            "",
            "",
            "",
            "建议把年报填报的常见错误做成短视频，很多小微企业不会填从业人员数和营业额。",
            "",
            "",
            "",
        ),
    ];
    let console = Actor::console();
    let mut first = None;
    for f in &forms {
        let receipt = crate::cases::intake::submit(state, &console, f, &Default::default(), Vec::new()).await?;
        if first.is_none() {
            first = Some(receipt.cases[0].1.clone());
        }
    }
    // The demo officer has taken on the first complaint and is mediating.
    let officer = state.store.user_by_name("officer").await?;
    let case = state.store.case_by_tracking_code(first.expect("seeded").as_str()).await?;
    let actor = Actor {
        id: officer.id.clone(),
        name: officer.username.clone(),
        roles: officer.roles.clone(),
        client_addr: "demo".into(),
    };
    // The same path as the officer's buttons: the store applies the workflow to each action.
    let steps = [
        (Status::AwaitingAcceptance, Action::Accept, None),
        (Status::Accepted, Action::Assign, Some(Some(officer.id.as_str()))),
        (Status::Assigned, Action::StartMediation, None),
    ];
    for (from, action, assign) in &steps {
        let t = Transition {
            case_id: &case.id,
            from: *from,
            action,
            note: action.public_note().into(),
            public: action.kind().is_public(),
            assign: *assign,
            org: None,
            finish: None,
        };
        state.store.transition(&actor, t).await?;
    }
    debug_assert_eq!(case.kind, CaseKind::Complaint);
    // The restaurant has joined ODR: a new complaint about it goes to it first (先行和解). And the
    // supermarket is reported a second time in nearly the same words: a repeat to merge.
    state.store.join_odr(&console, &enterprise_uscc, "姑苏示例餐饮有限公司").await?;
    let later = [
        form(
            "complaint",
            "姑苏示例餐饮有限公司",
            &enterprise_uscc,
            "H",
            "在店里订的生日蛋糕比图片小了一圈，奶油也不新鲜，店家只肯退一半。我叫赵敏，电话13700001234。",
            "全额退款",
            "赵敏",
            "13700001234",
        ),
        form(
            "report",
            "某某生鲜超市",
            "",
            "F",
            "这家超市把过期的牛奶改了生产日期重新上架销售，我亲眼看到店员在贴新标签。冷柜里的酸奶也是这样。",
            "",
            "",
            "",
        ),
    ];
    for f in &later {
        crate::cases::intake::submit(state, &console, f, &Default::default(), Vec::new()).await?;
    }
    // The starter Q&A (examples awaiting legal review) is published by the demo supervisor, so the
    // public page has answers to find.
    crate::knowledge::seed_registry(state).await?;
    let supervisor = state.store.user_by_name("supervisor").await?;
    let reviewer = Actor {
        id: supervisor.id.clone(),
        name: supervisor.username.clone(),
        roles: supervisor.roles.clone(),
        client_addr: "demo".into(),
    };
    for e in state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 500).await? {
        state
            .store
            .set_entry_status(
                &reviewer,
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await?;
    }
    Ok(forms.len() + later.len())
}

/// The directories of 双随机 for the demo: 36 enterprises in the three districts (risk classes
/// A–D) and twelve inspectors, the demo officer and supervisor among them. Returns (targets,
/// inspectors).
pub async fn seed_directories(state: &crate::AppState) -> Result<(usize, usize), AppError> {
    use xinqiao_store::inspections::{InspectorRow, TargetRow};
    let console = Actor::console();
    let kinds = [("H", "餐饮"), ("F", "超市"), ("Q", "药房"), ("R", "健身")];
    let districts = [("320508", "姑苏"), ("320506", "吴中"), ("320505", "虎丘")];
    let mut targets = Vec::new();
    for i in 0..36u32 {
        let (industry, kind) = kinds[i as usize % kinds.len()];
        let (region, place) = districts[i as usize % districts.len()];
        let uscc = Uscc::with_check_char(&format!("91{region}MA1D{:05}", i + 1)).expect("valid symbols");
        targets.push(TargetRow {
            uscc: uscc.to_string(),
            name: format!("{place}示例{kind}{:02}号店", i + 1),
            industry: industry.into(),
            region_code: region.into(),
            risk_class: ["A", "B", "B", "C", "C", "D"][i as usize % 6].into(),
            status: "active".into(),
        });
    }
    let supervisor = state.store.user_by_name("supervisor").await.ok().map(|u| u.id);
    let officer = state.store.user_by_name("officer").await.ok().map(|u| u.id);
    let names = [
        ("王主管", supervisor),
        ("李体验", officer),
        ("赵执法", None),
        ("钱执法", None),
        ("孙执法", None),
        ("周执法", None),
        ("吴执法", None),
        ("郑执法", None),
        ("冯执法", None),
        ("陈执法", None),
        ("褚执法", None),
        ("卫执法", None),
    ];
    let inspectors: Vec<InspectorRow> = names
        .into_iter()
        .enumerate()
        .map(|(i, (name, user_id))| InspectorRow {
            cert_no: format!("JZ32050{:03}", i + 1),
            name: name.into(),
            unit: ["姑苏区市场监督管理局", "吴中区市场监督管理局", "相城区市场监督管理局"][i % 3].into(),
            fields: "食品,药品".into(),
            status: "active".into(),
            user_id,
        })
        .collect();
    state.store.import_targets(&console, &targets).await?;
    state.store.import_inspectors(&console, &inspectors).await?;
    Ok((targets.len(), inspectors.len()))
}

/// What the whole demo seeded.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub logins: Vec<DemoLogin>,
    /// The cases from the seed's stories.
    pub cases: usize,
    /// The year of history.
    pub history: usize,
    pub draws: usize,
}

/// The whole demo, in an empty database: the organisation and accounts, the seed's stories, the
/// directories, a year of history (`history` complaints and half as many other cases), then the
/// bureau's current work ([`seed_activity`]) and a warnings scan.
pub async fn seed_all(state: &crate::AppState, history: usize) -> Result<Seeded, AppError> {
    let logins = seed(&state.store).await?;
    let cases = seed_cases(state).await?;
    seed_directories(state).await?;
    let history = crate::insights::demo::seed_history(state, history).await?;
    crate::insights::scan(state, state.today()).await?;
    let draws = seed_activity(state).await?;
    Ok(Seeded { logins, cases, history, draws })
}

/// A demo account acting through the services, as it would through the API.
async fn as_user(state: &crate::AppState, username: &str) -> Result<crate::api_user::ApiUser, AppError> {
    Ok(crate::api_user::ApiUser { user: state.store.user_by_name(username).await?, addr: "demo".into() })
}

/// The bureau's current work: four draw tasks, one at each stage (公示待抽取, 已抽取, results
/// being entered, results published); the week's warning assigned to the demo officer; two
/// campaigns being measured; and 钱候选's qualification assessment in progress with its panel
/// drawn. Returns the draw tasks made.
pub async fn seed_activity(state: &crate::AppState) -> Result<usize, AppError> {
    use crate::caller::Caller;
    use crate::inspections::service as draws;
    let boss = as_user(state, "supervisor").await?;
    let caller = Caller::Api(&boss);
    let actor = boss.actor();
    let today = state.today();
    // (title, industry, items, value of the source or the day it is announced)
    let tasks = [
        ("2026年餐饮服务食品安全双随机抽查", "H", "食品经营许可\n从业人员健康证明\n后厨卫生", Ok("3 9 14 22 27 31 8")),
        ("2026年药品零售企业双随机抽查", "Q", "执业药师在岗\n处方药销售", Ok("5 12 19 23 30 33 11")),
        ("2026年超市食品标签双随机抽查", "F", "食品标签\n临期食品管理", Ok("7 8 15 21 26 32 4")),
        ("2026年健身场馆预付卡双随机抽查", "R", "预付卡发售备案\n合同示范文本", Err(2)),
    ];
    let mut ids = Vec::new();
    for (n, (title, industry, items, source)) in tasks.iter().enumerate() {
        let available_at = match source {
            Err(days) => format!("{} 21:15", xinqiao_domain::calendar::Date(today.0 + days)),
            Ok(_) => String::new(),
        };
        let input = crate::inspections::draft::DrawInput {
            title: title.to_string(),
            items: items.lines().map(str::to_owned).collect(),
            industries: vec![industry.to_string()],
            regions: Vec::new(),
            ratios: [300, 500, 700, 1000],
            inspectors_per_target: 2,
            max_targets_per_inspector: 10,
            sources: vec![crate::inspections::draft::SourceInput {
                name: format!("福彩双色球第2026{:03}期开奖号码", 100 + n),
                description: "中国福利彩票发行管理中心公布的红球与蓝球全部号码，按公布顺序".into(),
                kind: "numbers".into(),
                available_at,
            }],
        };
        let id = crate::inspections::draft::create(state, &caller, &input).await?;
        if let Ok(value) = source {
            draws::reveal(state, &actor, &id, &[(*value).to_owned()]).await.map_err(|e| match e {
                draws::RevealError::TooEarly(m) | draws::RevealError::Refused(m) => AppError::Conflict(m),
                draws::RevealError::Other(e) => e,
            })?;
        }
        ids.push(id);
    }
    // Results: all of the first task's, published; one of the second's, still being entered.
    for (task, all) in [(&ids[0], true), (&ids[1], false)] {
        let (_, json) = state.store.draw_task(task).await?;
        let doc = crate::inspections::document(&json)?;
        let drawn: Vec<String> = doc.outcome.iter().flat_map(|o| o.targets.iter()).map(|t| t.uscc.clone()).collect();
        for (k, uscc) in drawn.iter().take(if all { drawn.len() } else { 1 }).enumerate() {
            let category = ["no_problem", "no_problem", "corrected_on_order", "undisclosed_information"][k % 4];
            let input = draws::RecordResult { uscc: uscc.clone(), category: category.into(), note: String::new() };
            draws::record_result(state, &caller, task, &input).await?;
        }
        if all {
            draws::publish_results(state, &caller, task).await?;
        }
    }
    // The week's warning goes to the demo officer.
    let officer = state.store.user_by_name("officer").await?;
    let open = crate::insights::service::warnings(state, &caller, false).await?;
    if let Some(w) = open.iter().find(|w| w.status == "open") {
        let assign = crate::insights::service::WarningAct {
            action: "assign".into(),
            assignee: officer.id.clone(),
            note: "请核实该健身房的经营状况，联系投诉人登记预付卡余额。".into(),
        };
        crate::insights::service::act(state, &caller, &w.id, &assign).await?;
    }
    // Two campaigns being measured before and after.
    for (title, kind, back, window, measure) in [
        ("预付卡消费风险提示进社区", "guide", 120, 60, "category_share:prepaid"),
        ("餐饮后厨专项检查", "inspection_wave", 45, 30, "on_time"),
    ] {
        let input = crate::insights::campaign_service::CampaignInput {
            title: title.into(),
            kind: kind.into(),
            start: xinqiao_domain::calendar::Date(today.0 - back).to_string(),
            window_days: window.to_string(),
            measure: measure.into(),
            bureau: String::new(),
            note: "演示数据".into(),
        };
        crate::insights::campaign_service::create_campaign(state, &caller, &input).await?;
    }
    // 钱候选 applies for the qualification; the supervisor draws the interview panel.
    let candidate = as_user(state, "candidate").await?;
    let day = |back: i64| xinqiao_domain::calendar::Date(today.0 - back).to_string();
    use crate::qualification::dossier as d;
    let dossier = d::DossierInput {
        current_post: "消费者权益保护科科员".into(),
        work: vec![
            d::WorkInput {
                kind: "routine_inspection".into(),
                unit: "姑苏区市场监督管理局".into(),
                post: "食品安全检查员".into(),
                start: day(5 * 365),
                end: Some(day(400)),
            },
            d::WorkInput {
                kind: "case_handling".into(),
                unit: "姑苏区市场监督管理局".into(),
                post: "投诉处理".into(),
                start: day(399),
                end: None,
            },
        ],
        training: vec![d::TrainingInput {
            date: day(30), hours: 8.0, topic: "消费者权益保护法实施条例".into()
        }],
        declaration: Some(d::DeclarationInput { date: day(20), complete: true, ties: Vec::new() }),
        pledge: Some(d::PledgeInput { signed: day(20), text_version: "2025版".into() }),
        ..Default::default()
    };
    let paper = format!("演示试卷 {today}");
    let id =
        crate::qualification::service::apply_with_paper(state, &candidate.actor(), &candidate.user, &dossier, paper)
            .await?;
    let row = state.store.assessment(&id).await?.ok_or(AppError::NotFound)?;
    crate::qualification::service::draw(state, &actor, &row, "演示：2026年第100期排列五开奖号码 1 2 3 4 5").await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinqiao_domain::accounts::SecurityPolicy;

    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.chars().count(), 16);
            SecurityPolicy::default().check_password(&p, "sysadmin").unwrap();
        }
    }
}
