//! A deterministic synthetic data set at national scale: enterprises (valid 统一社会信用代码,
//! names, GB/T 4754 sections, real district codes), and cases of every kind across the taxonomy
//! with Chinese narratives in which personal data is written the way complainants write it —
//! and, beside them, the ground truth of every personal-data span.
//!
//! Pure: the caller passes the `Write`s. Every case draws from its own random stream
//! (`seed`, case number), so output does not depend on how the caller batches, and memory is
//! constant apart from the enterprise table. Same parameters, same bytes.

mod days;
mod enterprises;
mod narrative;
mod outcome;
mod people;
mod places;
mod rng;
mod templates;
#[cfg(test)]
mod tests;
mod text;
mod trades;

pub use enterprises::Enterprise;
pub use text::Kind as PiiKind;

use enterprises::Enterprises;
use narrative::{Ctx, Parsed, Slot, render};
use outcome::{Facts, Outcome};
use people::Person;
use places::DISTRICTS;
use rng::{Rng, Weighted};
use std::io::{self, Write};
use templates::Template;
use text::{Text, csv_field, push_num};
use xinqiao_domain::cases::{CaseKind, TrackingCode};

/// The columns of `enterprises.csv` (the names `xinqiao import targets` also accepts).
pub const ENTERPRISE_HEADER: &str = "uscc,name,industry,region_code,risk_class,odr_member,established_on\n";
/// The columns of `cases.csv`.
pub const CASE_HEADER: &str = "id,tracking_code,kind,channel,received_on,region_code,category,subject,enterprise_uscc,\
enterprise_name,industry,narrative,demand,amount_cents,complainant_name,complainant_mobile,complainant_id_number,\
complainant_address,consent,closed,closed_on,closed_on_time,mediation_result,rating,recovered_cents,reply\n";
/// The year the cases are received in.
pub const YEAR: i64 = days::YEAR;

/// Shares of the kinds, per mille (12315: complaints and consultations dominate).
const KINDS: [(CaseKind, u64); 5] = [
    (CaseKind::Complaint, 480),
    (CaseKind::Consultation, 310),
    (CaseKind::Report, 140),
    (CaseKind::EnterpriseRequest, 50),
    (CaseKind::Suggestion, 20),
];
const CHANNELS: [(u32, &str); 6] =
    [(35, "hotline"), (30, "web"), (18, "app"), (8, "mini_program"), (3, "letter"), (6, "visit")];

#[derive(Debug)]
struct Prepared {
    t: Template,
    text: Parsed,
    demands: Vec<Parsed>,
    trades: Vec<u8>,
}

#[derive(Debug)]
struct Group {
    items: Vec<Prepared>,
    weights: Weighted,
}

/// Closings and openings with what they reveal.
#[derive(Debug)]
struct Snippet {
    text: Parsed,
    personal: bool,
    mobile: bool,
    id: bool,
    card: bool,
}

#[derive(Debug, Default)]
struct Scratch {
    text: Text,
    demand: Text,
    address: Text,
    person: Person,
    name: String,
    outcome: Outcome,
    row: Vec<u8>,
    pii: Vec<u8>,
}

/// The generator: the enterprise table and parsed templates, plus reusable scratch space.
#[derive(Debug)]
pub struct Generator {
    seed: u64,
    enterprises: Enterprises,
    days: days::Days,
    kinds: Weighted,
    groups: Vec<Group>,
    middles: Vec<Snippet>,
    openings: Vec<Snippet>,
    openings_id: Vec<Snippet>,
    openings_ent: Vec<Snippet>,
    closings: Vec<Snippet>,
    districts: Weighted,
    scratch: Scratch,
}

fn snippets(texts: &[String]) -> Vec<Snippet> {
    texts
        .iter()
        .map(|t| {
            let text = Parsed::new(t).expect("valid snippet");
            let personal =
                [Slot::Me, Slot::Mobile, Slot::Idno, Slot::Addr, Slot::Card, Slot::Email].iter().any(|&s| text.uses(s));
            Snippet {
                personal,
                mobile: text.uses(Slot::Mobile),
                id: text.uses(Slot::Idno),
                card: text.uses(Slot::Card),
                text,
            }
        })
        .collect()
}

impl Generator {
    /// Builds the enterprise table (`enterprises` rows) and prepares the templates.
    pub fn new(seed: u64, enterprises: usize) -> Self {
        let file = templates::File::shipped();
        let mut groups: Vec<Group> =
            KINDS.iter().map(|_| Group { items: Vec::new(), weights: Weighted::new([]) }).collect();
        for t in file.template {
            let at = KINDS.iter().position(|k| k.0 == t.kind).expect("every kind has a share");
            groups[at].items.push(Prepared {
                text: Parsed::new(&t.text).expect("valid template (tested)"),
                demands: t.demands.iter().map(|d| Parsed::new(d).expect("valid demand (tested)")).collect(),
                trades: t.trades.iter().map(|k| trades::index(k).expect("known trade (tested)") as u8).collect(),
                t,
            });
        }
        for g in &mut groups {
            g.weights = Weighted::new(g.items.iter().map(|p| u64::from(p.t.weight)));
        }
        let s = &file.snippets;
        Self {
            seed,
            enterprises: Enterprises::generate(seed, enterprises),
            days: days::Days::new(),
            kinds: Weighted::new(KINDS.iter().map(|k| k.1)),
            groups,
            middles: snippets(&s.middles),
            openings: snippets(&s.openings),
            openings_id: snippets(&s.openings_id),
            openings_ent: snippets(&s.openings_enterprise),
            closings: snippets(&s.closings),
            districts: Weighted::new(DISTRICTS.iter().map(|d| u64::from(d.weight))),
            scratch: Scratch::default(),
        }
    }

    pub fn enterprises(&self) -> &[Enterprise] {
        &self.enterprises.all
    }

    /// Writes the header and every enterprise.
    pub fn write_enterprises(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(ENTERPRISE_HEADER.as_bytes())?;
        let mut row = Vec::with_capacity(256);
        for e in &self.enterprises.all {
            row.clear();
            e.csv_row(&mut row);
            out.write_all(&row)?;
        }
        Ok(())
    }

    /// Writes cases `range` (0-based; ids are 1-based) to `cases` and their spans to `pii`;
    /// returns the number of spans. The caller writes `CASE_HEADER` once, before the first case.
    pub fn write_cases(
        &mut self,
        range: std::ops::Range<u64>,
        cases: &mut impl Write,
        pii: &mut impl Write,
    ) -> io::Result<u64> {
        let mut s = std::mem::take(&mut self.scratch);
        let mut spans = 0;
        for i in range {
            self.case(i, &mut s);
            spans += s.text.spans.len() as u64;
            if let Err(e) = cases.write_all(&s.row).and_then(|()| pii.write_all(&s.pii)) {
                self.scratch = s;
                return Err(e);
            }
        }
        self.scratch = s;
        Ok(spans)
    }

    fn case(&self, i: u64, s: &mut Scratch) {
        let mut rng = Rng::stream(self.seed, 2, i);
        let kind_ix = self.kinds.sample(&mut rng);
        let group = &self.groups[kind_ix];
        let p = &group.items[group.weights.sample(&mut rng)];
        let kind = p.t.kind;
        // Complaints, reports and enterprise requests name an enterprise (intake requires it); a
        // template without trades then draws one from any trade.
        let needs_enterprise = matches!(kind, CaseKind::Complaint | CaseKind::Report | CaseKind::EnterpriseRequest);
        let ent =
            if p.trades.is_empty() && !needs_enterprise { None } else { self.enterprises.pick(&mut rng, &p.trades) };
        let district = ent.map_or_else(|| &DISTRICTS[self.districts.sample(&mut rng)], |e| e.district());
        let received = self.days.sample(&mut rng);
        let received_day = self.days.first + received as i64;
        let back = rng.range(3, 90);
        let date = received_day - back as i64;
        let date2 = date + rng.below(back) as i64;
        s.person.fill(&mut rng);
        let uses = |slot| p.text.uses(slot);
        let (mut named, mut has_mobile, mut has_id) = match kind {
            CaseKind::Complaint => (true, true, rng.percent(35)),
            CaseKind::Report => {
                let named = rng.percent(70);
                (named, named, named && rng.percent(20))
            }
            CaseKind::Consultation => {
                let named = rng.percent(60);
                (named, named || rng.percent(75), named && rng.percent(5))
            }
            CaseKind::Suggestion => (rng.percent(50), rng.percent(50), false),
            CaseKind::EnterpriseRequest => (true, true, rng.percent(10)),
        };
        has_id |= uses(Slot::Idno);
        has_mobile |= uses(Slot::Mobile);
        named |= has_id || uses(Slot::Me) || uses(Slot::Mobile) || uses(Slot::Addr);
        let amt = narrative::amount(&mut rng, p.t.amount);
        let rest =
            if amt >= 100 { (amt * rng.range(20, 80) / 100 / 10 * 10).max(10) } else { amt * rng.range(30, 80) / 100 };
        let mut ctx = Ctx {
            ent,
            district,
            person: &s.person,
            amt,
            rest: rest.max(1),
            n: rng.range(2, 30),
            days: rng.range(2, 30),
            area: rng.range(15, 120),
            date,
            date2,
            year: (YEAR - 1) as u64,
            prod: if p.t.prods.is_empty() { "" } else { rng.pick(&p.t.prods).as_str() },
            plat: Ctx::platform(&mut rng),
            bank: "",
        };
        let t = &mut s.text;
        t.clear();
        let opening = match kind {
            CaseKind::EnterpriseRequest if rng.percent(85) => Some(rng.pick(&self.openings_ent)),
            CaseKind::Complaint if named && rng.percent(50) => Some(self.opening(&mut rng, has_id)),
            CaseKind::Report | CaseKind::Consultation if named && rng.percent(22) => {
                Some(self.opening(&mut rng, has_id))
            }
            CaseKind::Suggestion if named && rng.percent(15) => Some(self.opening(&mut rng, has_id)),
            _ => None,
        };
        if let Some(o) = opening {
            has_mobile |= o.mobile;
            render(t, &mut rng, &o.text, &mut ctx, &mut s.name);
        }
        render(t, &mut rng, &p.text, &mut ctx, &mut s.name);
        if matches!(kind, CaseKind::Complaint | CaseKind::Report) && rng.percent(45) {
            let middle = rng.pick(&self.middles);
            render(t, &mut rng, &middle.text, &mut ctx, &mut s.name);
        }
        let closings = match kind {
            CaseKind::Complaint => *rng::pick_weighted(&mut rng, &[(20, 0), (50, 1), (30, 2)]),
            _ => rng.below(2) as usize,
        };
        let mut last = usize::MAX;
        for _ in 0..closings {
            for _ in 0..8 {
                let k = rng.below(self.closings.len() as u64) as usize;
                let c = &self.closings[k];
                let refund = kind == CaseKind::Complaint;
                if k == last
                    || (c.personal && !named)
                    || (c.mobile && !has_mobile)
                    || (c.id && !has_id)
                    || (c.card && !refund)
                {
                    continue;
                }
                last = k;
                render(t, &mut rng, &c.text, &mut ctx, &mut s.name);
                break;
            }
        }
        s.demand.clear();
        let demand = rng.pick(&p.demands);
        render(&mut s.demand, &mut rng, demand, &mut ctx, &mut s.name);
        let facts = Facts { kind, received, ent, amount_yuan: amt, answers: &p.t.replies };
        outcome::decide(&mut rng, &self.days, &facts, &mut s.outcome);
        let consent = rng.percent(match kind {
            CaseKind::Complaint => 85,
            CaseKind::Report => 10,
            CaseKind::Consultation => 50,
            CaseKind::Suggestion => 30,
            CaseKind::EnterpriseRequest => 95,
        });
        let channel = *rng::pick_weighted(&mut rng, &CHANNELS);
        // The contact address: a complaint must give one (Order 20 Art. 15); others often do.
        // Drawn last, so the rest of the case does not depend on it.
        s.address.clear();
        if named && (kind == CaseKind::Complaint || rng.percent(60)) {
            people::write_address(&mut s.address, &mut rng, district);
        }
        let code = self.tracking_code(i, received);
        let (row, o, person) = (&mut s.row, &s.outcome, &s.person);
        row.clear();
        push_num(row, i + 1);
        row.push(b',');
        row.extend_from_slice(code.as_str().as_bytes());
        for v in [kind.code(), channel] {
            row.push(b',');
            row.extend_from_slice(v.as_bytes());
        }
        row.push(b',');
        row.extend_from_slice(self.days.iso(received));
        for v in [district.code, &p.t.nature, &p.t.subject, ent.map_or("", |e| e.uscc.as_str())] {
            row.push(b',');
            row.extend_from_slice(v.as_bytes());
        }
        row.push(b',');
        csv_field(row, ent.map_or("", |e| e.name.as_str()));
        row.push(b',');
        if let Some(e) = ent {
            row.push(e.trade().section as u8);
        }
        row.push(b',');
        csv_field(row, &t.s);
        row.push(b',');
        csv_field(row, &s.demand.s);
        row.push(b',');
        if amt > 0 {
            push_num(row, amt * 100);
        }
        row.push(b',');
        if named {
            csv_field(row, &person.name);
        }
        row.push(b',');
        if has_mobile {
            row.extend_from_slice(&person.mobile);
        }
        row.push(b',');
        if has_id {
            row.extend_from_slice(&person.id);
        }
        row.push(b',');
        csv_field(row, &s.address.s);
        row.extend_from_slice(if consent { b",true," } else { b",false," });
        o.write_csv(row, &self.days);
        s.pii.clear();
        t.write_spans(&mut s.pii, i + 1);
    }

    fn opening(&self, rng: &mut Rng, has_id: bool) -> &Snippet {
        if has_id && rng.percent(40) { rng.pick(&self.openings_id) } else { rng.pick(&self.openings) }
    }

    /// A unique code per case: the case number scrambled by a keyed bijection on 44 bits (fewer
    /// than the 31^9 codes of a month), so codes look random and never collide.
    fn tracking_code(&self, i: u64, received: usize) -> TrackingCode {
        const MASK: u64 = (1 << 44) - 1;
        let mut x = (i ^ rng::mix(self.seed)) & MASK;
        for _ in 0..3 {
            x ^= x >> 23;
            x = x.wrapping_mul(0x9E37_79B9_7F4B) & MASK;
            x ^= x >> 19;
        }
        TrackingCode::generate(YEAR, self.days.month(received), x.to_le_bytes())
    }
}
