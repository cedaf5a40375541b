//! The enterprise table: registered names, 统一社会信用代码 with their GB 32100 check character
//! (the organisation-code part with its GB 11714 check character), trades and districts, and the
//! per-trade Zipf tables that let a few enterprises draw most of a trade's cases.

use super::places::{DISTRICTS, District};
use super::rng::{Rng, Weighted};
use super::trades::{BRAND_CHARS, SHOP_BRANDS, TRADES, Trade};
use std::collections::HashSet;
use xinqiao_domain::ids::Uscc;

/// One generated enterprise.
#[derive(Debug, Clone)]
pub struct Enterprise {
    pub uscc: Uscc,
    pub name: String,
    /// The 字号, for short references (这家 + 字号 + noun).
    pub brand: String,
    pub trade: u8,
    pub district: u8,
    pub risk: char,
    pub odr: bool,
    /// Days since 1970-01-01.
    pub established: i64,
}

impl Enterprise {
    pub fn trade(&self) -> &'static Trade {
        &TRADES[self.trade as usize]
    }

    pub fn district(&self) -> &'static District {
        &DISTRICTS[self.district as usize]
    }

    /// A line of `enterprises.csv` (see `ENTERPRISE_HEADER`).
    pub fn csv_row(&self, row: &mut Vec<u8>) {
        row.extend_from_slice(self.uscc.as_str().as_bytes());
        row.push(b',');
        super::text::csv_field(row, &self.name);
        row.push(b',');
        row.push(self.trade().section as u8);
        row.push(b',');
        row.extend_from_slice(self.district().code.as_bytes());
        row.push(b',');
        row.push(self.risk as u8);
        row.extend_from_slice(if self.odr { b",true," } else { b",false," });
        row.extend_from_slice(xinqiao_domain::calendar::Date(self.established).to_string().as_bytes());
        row.push(b'\n');
    }
}

/// The table, and for each trade its members in rank order with their Zipf weights.
#[derive(Debug)]
pub struct Enterprises {
    pub all: Vec<Enterprise>,
    members: Vec<Vec<u32>>,
    zipf: Vec<Weighted>,
    overall: Weighted,
}

/// Ranks below this in their trade are chains: always companies, often ODR members.
const CHAIN_RANKS: usize = 20;

/// The GB 11714 check character of an 8-symbol organisation code body.
fn org_check(body: &[u8; 8]) -> u8 {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |b: u8| if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
    let sum: u32 = body.iter().zip(W).map(|(&b, w)| value(b) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    }
}

/// Letters usable in both GB 11714 and GB 32100 (no I, O, S, V, Z).
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUWXY";

fn uscc(rng: &mut Rng, prefix: &[u8; 2], district: &District) -> Uscc {
    let mut first17 = [0u8; 17];
    first17[..2].copy_from_slice(prefix);
    first17[2..8].copy_from_slice(district.code.as_bytes());
    let mut body = [0u8; 8];
    if rng.percent(55) {
        // Codes issued since 2015: MA + a check-like symbol + five symbols.
        body[0] = b'M';
        body[1] = b'A';
        for b in &mut body[2..] {
            *b = if rng.percent(70) { b'0' + rng.below(10) as u8 } else { *rng.pick(CODE_LETTERS) };
        }
    } else {
        for b in &mut body {
            *b = b'0' + rng.below(10) as u8;
        }
    }
    first17[8..16].copy_from_slice(&body);
    first17[16] = org_check(&body);
    let text = std::str::from_utf8(&first17).expect("ASCII");
    Uscc::with_check_char(text).expect("17 symbols of the GB 32100 alphabet")
}

fn brand(rng: &mut Rng, shop: bool, long: bool) -> String {
    let mut s = String::with_capacity(12);
    if shop && rng.percent(50) {
        s.push_str(rng.text(&SHOP_BRANDS));
    } else {
        s.push(*rng.pick(&BRAND_CHARS));
        s.push(*rng.pick(&BRAND_CHARS));
    }
    if long {
        s.push(*rng.pick(&BRAND_CHARS));
    }
    s
}

/// A district's name without its last character when that is 区 or 市 (姑苏区 → 姑苏).
fn district_stem(d: &District) -> &'static str {
    d.name.strip_suffix('区').or_else(|| d.name.strip_suffix('市')).unwrap_or(d.name)
}

impl Enterprises {
    pub fn generate(seed: u64, count: usize) -> Self {
        let trades = Weighted::new(TRADES.iter().map(|t| u64::from(t.weight)));
        let districts = Weighted::new(DISTRICTS.iter().map(|d| u64::from(d.weight)));
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); TRADES.len()];
        let mut names: HashSet<String> = HashSet::with_capacity(count);
        let mut codes: HashSet<Uscc> = HashSet::with_capacity(count);
        let mut all = Vec::with_capacity(count);
        for i in 0..count {
            let mut rng = Rng::stream(seed, 1, i as u64);
            let trade_ix = trades.sample(&mut rng);
            let trade = &TRADES[trade_ix];
            let district_ix = districts.sample(&mut rng);
            let district = &DISTRICTS[district_ix];
            let city = district.city();
            let rank = members[trade_ix].len();
            let chain = rank < CHAIN_RANKS;
            let shop = !chain && !trade.shop.is_empty() && rng.percent(45);
            let (mut name, mut short);
            let mut attempt = 0;
            loop {
                short = brand(&mut rng, shop, attempt >= 3);
                name = String::with_capacity(60);
                if shop {
                    name.push_str(city.name);
                    name.push_str(district.name);
                    name.push_str(&short);
                    name.push_str(rng.text(trade.shop));
                } else {
                    let ending = rng.pick(trade.company);
                    match rng.below(20) {
                        0..=12 => {
                            name.push_str(city.short);
                            name.push_str(&short);
                            name.push_str(ending);
                        }
                        13..=16 => {
                            name.push_str(&short);
                            name.push('（');
                            name.push_str(city.short);
                            name.push('）');
                            name.push_str(ending);
                        }
                        _ => {
                            name.push_str(city.short);
                            name.push_str(&short);
                            name.push_str(ending);
                            name.push_str(district_stem(district));
                            name.push_str(if ending.ends_with("公司") { "分公司" } else { "分部" });
                        }
                    }
                }
                attempt += 1;
                if !names.contains(&name) || attempt > 12 {
                    break;
                }
            }
            names.insert(name.clone());
            let prefix: &[u8; 2] = match (trade.section, shop) {
                ('S', _) => b"52",
                ('A', true) if name.ends_with("合作社") => b"93",
                (_, true) => b"92",
                _ => b"91",
            };
            let mut code = uscc(&mut rng, prefix, district);
            while codes.contains(&code) {
                code = uscc(&mut rng, prefix, district);
            }
            codes.insert(code.clone());
            let risk = match rng.below(100) {
                0..=29 => 'A',
                30..=79 => 'B',
                80..=94 => 'C',
                _ => 'D',
            };
            let odr = if chain { rng.percent(55) } else { rng.percent(6) };
            // Established 1995–2024, weighted to recent years.
            let back = (rng.unit() * rng.unit() * 30.0 * 365.0) as i64;
            let established = xinqiao_domain::time::days_from_civil(2024, 12, 31) - back;
            members[trade_ix].push(i as u32);
            all.push(Enterprise {
                uscc: code,
                name,
                brand: short,
                trade: trade_ix as u8,
                district: district_ix as u8,
                risk,
                odr,
                established,
            });
        }
        let zipf = members.iter().map(|m| Weighted::zipf(m.len())).collect();
        let overall = Weighted::zipf(all.len());
        Self { all, members, zipf, overall }
    }

    /// An enterprise of one of `trades` (indices), or of any trade when none of them has members.
    pub fn pick(&self, rng: &mut Rng, trades: &[u8]) -> Option<&Enterprise> {
        if self.all.is_empty() {
            return None;
        }
        let start = rng.below(trades.len().max(1) as u64) as usize;
        for k in 0..trades.len() {
            let t = trades[(start + k) % trades.len()] as usize;
            if !self.members[t].is_empty() {
                let rank = self.zipf[t].sample(rng);
                return Some(&self.all[self.members[t][rank] as usize]);
            }
        }
        Some(&self.all[self.overall.sample(rng)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_code_check() {
        // A published example of GB 11714: D2143569-? → check computed as in the standard.
        assert_eq!(org_check(b"D2143569"), b'X');
        assert_eq!(org_check(b"60003734"), b'1');
    }
}
