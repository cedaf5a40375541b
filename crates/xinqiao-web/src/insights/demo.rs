//! Demo history for the insights pages and the queues: a year of fictitious, already-masked
//! complaints across the demo districts, categories and enterprises (with a spring peak and a
//! prepaid-card spike at a gym this week) and reports, consultations and suggestions beside them,
//! each as far along as its age makes likely — closed on time or late, mediated, rated and
//! followed up, or still in hand at every step — most categories confirmed by an officer, so the
//! dashboards, the warnings, the classifier and the officers' queues have something to show.
//! Deterministic from a fixed seed and the application's clock; nothing here is real.

use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::cases::{Action, CaseKind, MediationResult, RejectGround, Status};
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

/// (kind, enterprise, industry, narrative) of the other kinds' history.
const OTHERS: [(CaseKind, &str, char, &str); 6] = [
    (CaseKind::Report, "苏州示例生鲜超市", 'F', "超市把临期的酸奶重新贴了生产日期上架销售，冷柜里还有过期的牛奶。"),
    (CaseKind::Report, "苏州示例药房", 'F', "药店没有执业药师在岗就卖处方药，也不要处方。"),
    (CaseKind::Report, "苏州示例餐饮管理有限公司", 'H', "后厨卫生很差，员工没有健康证，垃圾就堆在操作台旁边。"),
    (CaseKind::Consultation, "", 'F', "网上买的衣服不合适，七天无理由退货的运费应该由谁承担？"),
    (CaseKind::Consultation, "", 'R', "健身房要转让给别的公司，我的会员卡还能继续用吗？"),
    (CaseKind::Suggestion, "", 'F', "建议在菜市场设置公平秤，并公布投诉电话。"),
];

/// Seeds `n` historical complaints and about half as many reports, consultations and
/// suggestions over the past year, each as far along as its age makes likely: last year's are
/// concluded (办结, 已回访, 不予受理; 已告知; 已答复), this month's still in hand at every step —
/// 待受理, 已受理, 已分派 (in 姑苏 to the demo officer), 调解中, 先行和解中; 待核查, 立案, 不予立案,
/// 已合并; 待答复. Returns how many cases it stored.
pub async fn seed_history(state: &AppState, n: usize) -> Result<usize, AppError> {
    let console = Actor::console();
    let today = state.today().0;
    let mut rng = Rng(0x5EED_2026_1127_0001);
    let mut rows = Vec::with_capacity(n + n / 2 + 6);
    for i in 0..n {
        // Busier in spring (after Spring Festival and around 15 March) and for the first templates.
        let mut back = rng.below(365) as i64;
        if rng.below(4) == 0 {
            back = 250 + rng.below(60) as i64;
        }
        let t = TEMPLATES[(rng.below(10) * rng.below(10) / 9) as usize];
        let mut r = row(i, t, REGIONS[rng.below(3) as usize], today - back - 7);
        // A few recent complaints about enterprises in ODR wait with them first (先行和解).
        if back < 10 && rng.below(6) == 0 {
            r.settle_until = Some(today + 7);
        }
        rows.push(r);
    }
    // This week's prepaid-card spike at one gym: the pattern the warnings look for.
    for k in 0..6 {
        let t = ("苏州示例星光健身俱乐部", 'R', "prepaid", "健身房突然贴出停业通知，会员卡里还有余额，老板联系不上。");
        rows.push(row(n + k, t, "320508", today - (k as i64) / 2));
    }
    let others = n / 2;
    for i in 0..others {
        let (kind, enterprise, industry, narrative) = OTHERS[rng.below(OTHERS.len() as u64) as usize];
        let back = rng.below(365) as i64;
        let mut r = row(i, (enterprise, industry, "other", narrative), REGIONS[rng.below(3) as usize], today - back);
        r.kind = kind;
        r.tracking_code = format!("E{i:07}");
        r.category = None;
        r.demand_masked = String::new();
        if kind != CaseKind::Report {
            r.enterprise_name = String::new();
            r.industry = None;
        }
        rows.push(r);
    }
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        ids.extend(state.store.intake(&console, chunk).await?);
    }
    let officer = state.store.user_by_name("officer").await.ok().map(|u| u.id);
    // The open report that this month's repeats are merged into.
    let mut open_report: Option<(String, String)> = None;
    let mut recent_reports = 0u32;
    for (i, id) in ids.iter().enumerate() {
        let r = &rows[i];
        let age = today - r.received_day;
        let roll = rng.below(100);
        let mine = (r.region_code == "320508").then_some(officer.as_deref()).flatten();
        match r.kind {
            _ if i >= n && i < n + 6 => {}
            CaseKind::Complaint if r.settle_until.is_some() => {}
            CaseKind::Complaint => {
                let step = if age > 60 {
                    if roll < 7 { Step::Reject } else { Step::Close }
                } else if age > 20 {
                    [Step::Close, Step::Close, Step::Mediate, Step::Assign, Step::Accept][rng.below(5) as usize]
                } else {
                    [Step::None, Step::Accept, Step::Assign, Step::Mediate, Step::Close][rng.below(5) as usize]
                };
                complaint(state, &console, id, step, mine, &mut rng).await?;
                if step == Step::Close && age > 30 && roll.is_multiple_of(2) {
                    let _ = state.store.rate_case(&console, id, 3 + rng.below(3) as u8, "").await;
                    act(state, &console, id, Status::Closed, Action::FollowUp, None, None).await?;
                } else if step == Step::Close && roll < 35 {
                    let _ = state.store.rate_case(&console, id, 3 + rng.below(3) as u8, "").await;
                }
                if !i.is_multiple_of(3) {
                    let category = TEMPLATES.iter().find(|t| r.narrative_masked == t.3).map_or("other", |t| t.2);
                    state.store.classify_case(&console, id, category, None).await?;
                }
            }
            CaseKind::Report => {
                let done = Finish { on_time: !roll.is_multiple_of(9), mediation: None, recovered_cents: None };
                let from = Status::AwaitingVerification;
                // This month's reports take turns: waiting, 立案, 不予立案, merged as a repeat.
                let turn = if age > 40 {
                    None
                } else {
                    recent_reports += 1;
                    Some(recent_reports % 5)
                };
                match turn {
                    None | Some(1) | Some(2) => {
                        let declined = turn.map_or(roll.is_multiple_of(3), |t| t == 2);
                        let (action, to) = if declined {
                            (Action::Decline, Status::NotOpened)
                        } else {
                            (Action::Open, Status::Opened)
                        };
                        act(state, &console, id, from, action, None, None).await?;
                        // 立案 investigations run for months; the rest are told the outcome.
                        if turn.is_none() && !(to == Status::Opened && roll < 25) {
                            act(state, &console, id, to, Action::Inform, None, Some(done)).await?;
                        }
                    }
                    Some(3) if open_report.is_some() => {
                        let (into, code) = open_report.as_ref().expect("checked");
                        state.store.merge_report(&console, id, into, code).await?;
                    }
                    _ => {
                        if open_report.is_none() {
                            open_report = Some((id.clone(), r.tracking_code.clone()));
                        }
                    }
                }
            }
            _ => {
                if age > 12 || roll < 40 {
                    let done = Finish { on_time: !roll.is_multiple_of(11), mediation: None, recovered_cents: None };
                    act(state, &console, id, Status::AwaitingReply, Action::Reply, None, Some(done)).await?;
                }
            }
        }
    }
    Ok(ids.len())
}

/// How far a complaint has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    None,
    Accept,
    Assign,
    Mediate,
    Close,
    Reject,
}

/// One action through the workflow, as an officer's button would take it.
async fn act(
    state: &AppState,
    console: &Actor,
    id: &str,
    from: Status,
    action: Action,
    assign: Option<Option<&str>>,
    finish: Option<Finish>,
) -> Result<Status, AppError> {
    let t = Transition {
        case_id: id,
        from,
        action: &action,
        note: String::new(),
        public: false,
        assign,
        org: None,
        finish,
    };
    Ok(state.store.transition(console, t).await?.status)
}

async fn complaint(
    state: &AppState,
    console: &Actor,
    id: &str,
    step: Step,
    officer: Option<&str>,
    rng: &mut Rng,
) -> Result<(), AppError> {
    match step {
        Step::None => Ok(()),
        Step::Close => {
            close(state, console, id, rng.below(100) < 87, [Some(true), Some(false), None][rng.below(3) as usize], rng)
                .await
        }
        Step::Reject => {
            let finish = Finish { on_time: true, mediation: None, recovered_cents: None };
            let ground = Action::Reject(RejectGround::NotConsumerDispute);
            act(state, console, id, Status::AwaitingAcceptance, ground, None, Some(finish)).await.map(|_| ())
        }
        _ => {
            let mut from = act(state, console, id, Status::AwaitingAcceptance, Action::Accept, None, None).await?;
            if matches!(step, Step::Assign | Step::Mediate) {
                from = act(state, console, id, from, Action::Assign, Some(officer), None).await?;
            }
            if step == Step::Mediate {
                act(state, console, id, from, Action::StartMediation, None, None).await?;
            }
            Ok(())
        }
    }
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
