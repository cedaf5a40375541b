//! What became of a case by the end of the year: closed or still open, on time or late against
//! its working-day limit, the mediation result and the money recovered for complaints, the
//! complainant's rating, and the bureau's reply.

use super::days::Days;
use super::enterprises::Enterprise;
use super::rng::Rng;
use xinqiao_domain::cases::CaseKind;

#[derive(Debug, Default)]
pub struct Outcome {
    pub closed_on: Option<usize>,
    pub on_time: bool,
    pub mediation: Option<&'static str>,
    pub rating: Option<u8>,
    pub recovered_cents: Option<u64>,
    pub reply: String,
}

impl Outcome {
    /// The outcome's columns of `cases.csv`, from `closed` to `reply`, and the line's end.
    pub fn write_csv(&self, row: &mut Vec<u8>, days: &Days) {
        match self.closed_on {
            Some(day) => {
                row.extend_from_slice(b"true,");
                row.extend_from_slice(days.iso(day));
                row.extend_from_slice(if self.on_time { b",true," } else { b",false," });
            }
            None => row.extend_from_slice(b"false,,,"),
        }
        row.extend_from_slice(self.mediation.unwrap_or("").as_bytes());
        row.push(b',');
        if let Some(r) = self.rating {
            row.push(b'0' + r);
        }
        row.push(b',');
        if let Some(c) = self.recovered_cents {
            super::text::push_num(row, c);
        }
        row.push(b',');
        super::text::csv_field(row, &self.reply);
        row.push(b'\n');
    }
}

/// What the generator knows of the case when deciding its outcome.
#[derive(Debug)]
pub struct Facts<'a> {
    pub kind: CaseKind,
    pub received: usize,
    pub ent: Option<&'a Enterprise>,
    pub amount_yuan: u64,
    pub answers: &'a [String],
}

/// Working-day limits: complaints 7 to accept + 45 to mediate; reports 15 to verify + 45 to
/// decide; consultations, suggestions and requests as the bureau's service pledges set them.
fn limit(kind: CaseKind) -> u32 {
    match kind {
        CaseKind::Complaint => 52,
        CaseKind::Report => 60,
        CaseKind::Consultation => 5,
        CaseKind::Suggestion => 15,
        CaseKind::EnterpriseRequest => 10,
    }
}

fn duration(rng: &mut Rng, kind: CaseKind) -> u32 {
    let u = rng.unit();
    let base = match kind {
        CaseKind::Complaint => 1.0 + u * u * 58.0,
        CaseKind::Report => 3.0 + u * u.sqrt() * 62.0,
        CaseKind::Consultation => u * u * u * 7.0,
        CaseKind::Suggestion => 1.0 + u * u * 18.0,
        CaseKind::EnterpriseRequest => u * u * 13.0,
    };
    let tail = if rng.per_mille(15) { rng.range(10, 60) as u32 } else { 0 };
    base as u32 + tail
}

fn short(out: &mut String, ent: Option<&Enterprise>) {
    match ent {
        Some(e) => {
            out.push_str(&e.brand);
            out.push_str(e.trade().noun);
        }
        None => out.push_str("经营者"),
    }
}

fn yuan(out: &mut String, cents: u64) {
    let mut buf = [0u8; 20];
    out.push_str(std::str::from_utf8(super::text::num_bytes(cents / 100, &mut buf)).expect("digits"));
    out.push('元');
}

fn rating(rng: &mut Rng, weights: &[(u32, u8); 5]) -> u8 {
    *super::rng::pick_weighted(rng, weights)
}

const HAPPY: [(u32, u8); 5] = [(70, 5), (20, 4), (6, 3), (2, 2), (2, 1)];
const UNHAPPY: [(u32, u8); 5] = [(12, 5), (13, 4), (25, 3), (20, 2), (30, 1)];
const USUAL: [(u32, u8); 5] = [(55, 5), (25, 4), (10, 3), (5, 2), (5, 1)];

/// Decides the outcome; `out` is reused from case to case.
pub fn decide(rng: &mut Rng, days: &Days, f: &Facts<'_>, out: &mut Outcome) {
    out.reply.clear();
    out.mediation = None;
    out.rating = None;
    out.recovered_cents = None;
    let wd = duration(rng, f.kind);
    out.closed_on = days.add_working(f.received, wd);
    out.on_time = wd <= limit(f.kind);
    if out.closed_on.is_none() {
        return;
    }
    let r = &mut out.reply;
    let mut satisfaction = &USUAL;
    match f.kind {
        CaseKind::Complaint if rng.percent(8) => {
            satisfaction = &UNHAPPY;
            r.push_str(rng.text(&[
                "经审查，您反映的纠纷不属于本局管辖，已告知您向有管辖权的部门反映。",
                "经审查，该纠纷已由人民法院受理，根据规定不予受理。",
                "经审查，您的投诉缺少经营者的具体信息，无法受理，请补充后重新提交。",
            ]));
        }
        CaseKind::Complaint => {
            let settle = if f.ent.is_some_and(|e| e.odr) { 85 } else { 64 };
            let roll = rng.below(100);
            if roll < settle {
                out.mediation = Some("settled");
                satisfaction = &HAPPY;
                let cents = f.amount_yuan * 100;
                let got =
                    if cents == 0 || rng.percent(55) { cents } else { cents * rng.range(30, 90) / 100 / 100 * 100 };
                out.recovered_cents = Some(got);
                if got == 0 {
                    r.push_str("经调解，");
                    short(r, f.ent);
                    r.push_str("已向您赔礼道歉并承诺整改，双方达成一致，本次调解终结。");
                } else {
                    r.push_str(rng.text(&["经调解，", "经我局组织调解，", "经双方协商，"]));
                    short(r, f.ent);
                    r.push_str(rng.text(&["同意退还", "同意赔偿", "已退款"]));
                    yuan(r, got);
                    r.push_str("，双方达成调解协议。感谢您对市场监管工作的支持。");
                }
            } else if roll < settle + (100 - settle) * 7 / 10 {
                out.mediation = Some("failed");
                out.recovered_cents = Some(0);
                satisfaction = &UNHAPPY;
                r.push_str(
                    "经调解，双方分歧较大，未能达成一致，本局终止调解。您可以依法申请仲裁或者向人民法院提起诉讼。",
                );
            } else {
                out.mediation = Some("terminated");
                out.recovered_cents = Some(0);
                r.push_str(rng.text(&[
                    "因您撤回投诉，本局终止调解。",
                    "因经营者已无法联系，本局终止调解，相关违法线索已移交执法机构处理。",
                ]));
            }
        }
        CaseKind::Report => match rng.below(10) {
            0..=3 => {
                r.push_str("经核查，举报反映的情况基本属实，已对");
                short(r, f.ent);
                r.push_str("立案调查，处理结果将依法告知。");
            }
            4..=6 => {
                r.push_str("经现场检查，已责令");
                short(r, f.ent);
                r.push_str("限期整改，并将持续跟踪。");
            }
            _ => {
                satisfaction = &UNHAPPY;
                r.push_str("经核查，未发现举报所述违法行为，决定不予立案。感谢您的监督。");
            }
        },
        CaseKind::Suggestion => r.push_str(
            rng.text(&["感谢您的建议，已转相关业务科室研究。", "您的建议已收悉，我局将在今后工作中认真研究采纳。"]),
        ),
        CaseKind::Consultation | CaseKind::EnterpriseRequest => {
            r.push_str(if f.answers.is_empty() { "已电话答复。" } else { rng.pick(f.answers).as_str() })
        }
    }
    if rng.percent(62) {
        out.rating = Some(rating(rng, satisfaction));
    }
}
