//! Templates with slots, parsed once and rendered per case into a `Text` that records every
//! personal-data span. Slots are `{name}` in the template text; see `Slot::parse` for the list.

use super::enterprises::Enterprise;
use super::people::{self, Person};
use super::places::{self, District, SHOPPING};
use super::rng::Rng;
use super::text::{Kind, Text};
use xinqiao_domain::time::civil_from_days;

/// What a slot stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The enterprise's registered name (now and then its short form).
    Ent,
    /// 字号 + noun: 力健健身房.
    Short,
    Noun,
    Uscc,
    Amt,
    Rest,
    N,
    Days,
    Area,
    Date,
    Date2,
    Prod,
    Plat,
    Place,
    Order,
    Year,
    District,
    Street,
    /// The complainant's name (personal data), and the rest of their data.
    Me,
    Mobile,
    Idno,
    Addr,
    Card,
    Bank,
    Email,
    Plate,
    /// Someone else the complainant names (a coach, a boss): a name, or their mobile.
    Person,
    Phone2,
    /// A bare surname before an honorific (王经理): not personal data.
    Sur,
    Gender,
}

impl Slot {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ent" => Slot::Ent,
            "short" => Slot::Short,
            "noun" => Slot::Noun,
            "uscc" => Slot::Uscc,
            "amt" => Slot::Amt,
            "rest" => Slot::Rest,
            "n" => Slot::N,
            "days" => Slot::Days,
            "area" => Slot::Area,
            "date" => Slot::Date,
            "date2" => Slot::Date2,
            "prod" => Slot::Prod,
            "plat" => Slot::Plat,
            "place" => Slot::Place,
            "order" => Slot::Order,
            "year" => Slot::Year,
            "district" => Slot::District,
            "street" => Slot::Street,
            "me" => Slot::Me,
            "mobile" => Slot::Mobile,
            "idno" => Slot::Idno,
            "addr" => Slot::Addr,
            "card" => Slot::Card,
            "bank" => Slot::Bank,
            "email" => Slot::Email,
            "plate" => Slot::Plate,
            "person" => Slot::Person,
            "phone2" => Slot::Phone2,
            "sur" => Slot::Sur,
            "gender" => Slot::Gender,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Seg {
    Lit(Box<str>, usize),
    Slot(Slot),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Parsed {
    segs: Vec<Seg>,
}

impl Parsed {
    /// Parses `{slot}` markers; an unknown slot is a programming error, reported by name.
    pub fn new(text: &str) -> Result<Self, String> {
        let mut segs = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segs.push(Seg::Lit(rest[..open].into(), rest[..open].chars().count()));
            }
            let close = rest[open..].find('}').ok_or_else(|| format!("unclosed slot in “{text}”"))? + open;
            let name = &rest[open + 1..close];
            segs.push(Seg::Slot(Slot::parse(name).ok_or_else(|| format!("unknown slot {{{name}}} in “{text}”"))?));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segs.push(Seg::Lit(rest.into(), rest.chars().count()));
        }
        Ok(Self { segs })
    }

    pub fn uses(&self, slot: Slot) -> bool {
        self.segs.iter().any(|s| matches!(s, Seg::Slot(x) if *x == slot))
    }
}

/// Everything a case's texts may mention.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub ent: Option<&'a Enterprise>,
    pub district: &'static District,
    pub person: &'a Person,
    pub amt: u64,
    pub rest: u64,
    pub n: u64,
    pub days: u64,
    pub area: u64,
    pub date: i64,
    pub date2: i64,
    pub year: u64,
    pub prod: &'a str,
    pub plat: &'static str,
    /// The bank of the last card written, for 开户行.
    pub bank: &'static str,
}

const PLATFORMS: [&str; 10] = ["淘宝", "京东", "拼多多", "抖音", "快手", "美团", "饿了么", "小红书", "携程", "唯品会"];

impl Ctx<'_> {
    pub fn platform(rng: &mut Rng) -> &'static str {
        rng.text(&PLATFORMS)
    }
}

fn date(t: &mut Text, rng: &mut Rng, day: i64) {
    let (y, m, d) = civil_from_days(day);
    let form = rng.below(10);
    if form < 2 {
        t.num(y as u64);
        t.push('年');
    }
    t.num(u64::from(m));
    t.push('月');
    t.num(u64::from(d));
    t.push(if form == 9 { '号' } else { '日' });
}

fn short(t: &mut Text, e: &Enterprise) {
    t.push_str(&e.brand);
    t.push_str(e.trade().noun);
}

/// A round amount in `lo..=hi` yuan, skewed low, the way prices are quoted (299, 2980, 12000).
/// Only `+ - * / sqrt` on floats in the per-case path: IEEE makes them the same everywhere.
pub fn amount(rng: &mut Rng, [lo, hi]: [u64; 2]) -> u64 {
    if hi == 0 {
        return 0;
    }
    let x = lo
        + ((hi - lo) as f64 * {
            let u = rng.unit();
            u * u.sqrt()
        }) as u64;
    let nice = match x {
        0..=99 => x,
        100..=999 if rng.percent(35) => x / 100 * 100 + 99,
        100..=999 => x / 10 * 10,
        1000..=9999 if rng.percent(30) => x / 1000 * 1000 + 980,
        1000..=9999 => x / 100 * 100,
        _ => x / 1000 * 1000,
    };
    nice.clamp(lo, hi)
}

/// Renders `p` into `t`. `name` is scratch space for other people's names.
pub fn render(t: &mut Text, rng: &mut Rng, p: &Parsed, ctx: &mut Ctx<'_>, name: &mut String) {
    for seg in &p.segs {
        let slot = match seg {
            Seg::Lit(s, n) => {
                t.push_counted(s, *n);
                continue;
            }
            Seg::Slot(slot) => *slot,
        };
        match slot {
            Slot::Ent | Slot::Short | Slot::Noun | Slot::Uscc => match ctx.ent {
                Some(e) => match slot {
                    Slot::Ent if rng.percent(75) => t.push_str(&e.name),
                    Slot::Ent | Slot::Short => short(t, e),
                    Slot::Noun => t.push_str(e.trade().noun),
                    _ => t.push_str(e.uscc.as_str()),
                },
                None => t.push_str("这家店"),
            },
            Slot::Amt => t.num(ctx.amt),
            Slot::Rest => t.num(ctx.rest),
            Slot::N => t.num(ctx.n),
            Slot::Days => t.num(ctx.days),
            Slot::Area => t.num(ctx.area),
            Slot::Date => date(t, rng, ctx.date),
            Slot::Date2 => date(t, rng, ctx.date2),
            Slot::Prod => t.push_str(ctx.prod),
            Slot::Plat => t.push_str(ctx.plat),
            Slot::Place => {
                t.push_str(ctx.district.name);
                t.push_str(rng.text(&SHOPPING));
            }
            Slot::Order => {
                t.push_str("25");
                for _ in 0..rng.range(14, 17) {
                    t.push((b'0' + rng.below(10) as u8) as char);
                }
            }
            Slot::Year => t.num(ctx.year),
            Slot::District => t.push_str(ctx.district.name),
            Slot::Street => t.push_str(places::street(rng, ctx.district.city())),
            Slot::Me => t.span(Kind::Name, |t| t.push_str(&ctx.person.name)),
            Slot::Mobile => people::write_mobile(t, rng, &ctx.person.mobile),
            Slot::Idno => people::write_id(t, rng, &ctx.person.id),
            Slot::Addr => people::write_address(t, rng, ctx.district),
            Slot::Card => ctx.bank = people::write_card(t, rng),
            Slot::Bank => t.push_str(if ctx.bank.is_empty() { rng.pick(&people::BANKS).2 } else { ctx.bank }),
            Slot::Email => people::write_email(t, rng),
            Slot::Plate => people::write_plate(t, rng, ctx.district.city()),
            Slot::Person => {
                let female = rng.percent(50);
                people::name(rng, female, name);
                t.span(Kind::Name, |t| t.push_str(name));
            }
            Slot::Phone2 => {
                let other = people::mobile(rng);
                people::write_mobile(t, rng, &other);
            }
            Slot::Sur => t.push_str(people::surname(rng)),
            Slot::Gender => t.push(if ctx.person.female { '女' } else { '男' }),
        }
    }
}
