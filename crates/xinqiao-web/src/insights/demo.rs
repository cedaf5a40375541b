//! Demo history for the insights pages: a year of fictitious, already-masked complaints across
//! the demo districts, categories and enterprises (with a spring peak and a prepaid-card spike at
//! a gym this week), some closed on time or late, mediated and rated, most categories confirmed
//! by an officer — so the dashboards, the warnings and the classifier have something to show.
//! Deterministic; nothing here is real.

use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::cases::{Action, CaseKind, MediationResult, Status};
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::{Finish, NewCaseRow, Transition};

const REGIONS: [&str; 3] = ["320508", "320506", "320507"];

/// (enterprise, industry, category, narrative) templates.
const TEMPLATES: [(&str, char, &str, &str); 10] = [
    ("苏州示例健身管理有限公司", 'R', "prepaid", "办了健身年卡，充值后门店经常不开门，要求退还会员卡余额。"),
    ("苏州示例教育培训中心", 'P', "prepaid", "预付了一年的课时费，机构换了地址联系不上，储值的钱退不回来。"),
    ("苏州示例电器商店", 'F', "quality", "买的电饭煲用了三天就坏了，质量有问题，商家不给维修也不退换。"),
    (
        "苏州示例网络科技有限公司",
        'I',
        "false_advertising",
        "直播间说是全网最低价，下单后发现别处更便宜，属于虚假宣传。",
    ),
    ("苏州示例餐饮管理有限公司", 'H', "food_safety", "在店里吃饭后肚子疼，菜里有异物，怀疑食品不卫生。"),
    ("苏州示例商贸有限公司", 'F', "price", "商品标价和结账价格不一致，多收了钱，要求退还差价。"),
    ("苏州示例装饰工程有限公司", 'E', "contract", "装修合同约定的工期已过一个月，公司一直拖延，要求按合同赔偿。"),
    ("苏州示例美容有限公司", 'O', "after_sales", "美容项目做完后效果不好，售后一直推脱，不给处理。"),
    ("苏州示例化妆品有限公司", 'C', "quality", "买的面霜标签上没有中文成分表，用后皮肤过敏。"),
    ("苏州示例个体工商户", 'F', "annual_report", "年报填报时系统提示信息有误，不知道怎么改，担心被列入经营异常名录。"),
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Seeds `n` historical complaints; returns how many cases it stored.
pub async fn seed_history(state: &AppState, n: usize) -> Result<usize, AppError> {
    let console = Actor::console();
    let today = state.today().0;
    let mut rng = Rng(0x5EED_2026_1127_0001);
    let mut rows = Vec::with_capacity(n + 6);
    for i in 0..n {
        // Busier in spring (after Spring Festival and around 15 March) and for the first templates.
        let mut back = rng.below(365) as i64;
        if rng.below(4) == 0 {
            back = 250 + rng.below(60) as i64;
        }
        let t = TEMPLATES[(rng.below(10) * rng.below(10) / 9) as usize];
        rows.push(row(i, t, REGIONS[rng.below(3) as usize], today - back - 7));
    }
    // This week's prepaid-card spike at one gym: the pattern the warnings look for.
    for k in 0..6 {
        let t = ("苏州示例星光健身俱乐部", 'R', "prepaid", "健身房突然贴出停业通知，会员卡里还有余额，老板联系不上。");
        rows.push(row(n + k, t, "320508", today - (k as i64) / 2));
    }
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        ids.extend(state.store.intake(&console, chunk).await?);
    }
    for (i, id) in ids.iter().enumerate().take(n) {
        let roll = rng.below(100);
        if roll < 60 {
            close(state, &console, id, roll < 52, [Some(true), Some(false), None][rng.below(3) as usize], &mut rng)
                .await?;
        }
        if roll < 35 {
            let _ = state.store.rate_case(&console, id, 3 + rng.below(3) as u8, "").await;
        }
        if !i.is_multiple_of(3) {
            let category = TEMPLATES.iter().find(|t| rows[i].narrative_masked == t.3).map_or("other", |t| t.2);
            state.store.classify_case(&console, id, category, None).await?;
        }
    }
    Ok(ids.len())
}

fn row(i: usize, t: (&str, char, &str, &str), region: &str, day: i64) -> NewCaseRow {
    NewCaseRow {
        kind: CaseKind::Complaint,
        tracking_code: format!("D{i:07}"),
        access_key_hash: "demo".into(),
        region_code: region.into(),
        industry: Some(t.1),
        enterprise_name: t.0.into(),
        enterprise_uscc: None,
        narrative_masked: t.3.into(),
        narrative_sealed: String::new(),
        demand_masked: "请求处理".into(),
        amount_cents: None,
        event_day: None,
        consent_publish: i.is_multiple_of(4),
        received_day: day,
        rule_set: None,
        settle_until: None,
        category: Some(t.2.into()),
        subject: None,
        attachments: Vec::new(),
        privacy: None,
        demand_privacy: None,
        identity: None,
    }
}

async fn close(
    state: &AppState,
    console: &Actor,
    id: &str,
    on_time: bool,
    mediation: Option<bool>,
    rng: &mut Rng,
) -> Result<(), AppError> {
    // Through the workflow, as an officer would: accepted, assigned, mediated, closed.
    let result = match mediation {
        Some(true) => MediationResult::Settled,
        Some(false) => MediationResult::Failed,
        None => MediationResult::Terminated,
    };
    let recovered = (mediation == Some(true)).then(|| 10_000 + rng.below(300_000) as i64);
    let finish = Finish { on_time, mediation, recovered_cents: recovered };
    let mut from = Status::AwaitingAcceptance;
    for action in [Action::Accept, Action::Assign, Action::StartMediation, Action::Close(result)] {
        let close = matches!(action, Action::Close(_));
        let t = Transition {
            case_id: id,
            from,
            action: &action,
            note: String::new(),
            public: false,
            assign: None,
            org: None,
            finish: close.then_some(finish),
        };
        from = state.store.transition(console, t).await?.status;
    }
    Ok(())
}
