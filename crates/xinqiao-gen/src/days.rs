//! The year of receipt: how many cases each day draws (fewer at weekends and holidays; peaks after
//! the Spring Festival, around 15 March, after 618 and Double 11), and working-day arithmetic
//! for deadlines, from the shipped holiday calendar.

use super::rng::{Rng, Weighted};
use xinqiao_domain::calendar::{Calendar, Date};
use xinqiao_domain::time::{civil_from_days, days_from_civil};

/// The year the data set covers; the shipped calendar lists it.
pub const YEAR: i64 = 2025;
/// 春节 (Spring Festival) of `YEAR`.
const SPRING_FESTIVAL: (u32, u32) = (1, 29);

#[derive(Debug)]
pub struct Days {
    /// Day number of 1 January.
    pub first: i64,
    weights: Weighted,
    /// For each day, the number of working days on or before it.
    ordinal: Vec<u16>,
    /// The working days, as offsets from `first`.
    workdays: Vec<u16>,
    /// `YYYY-MM-DD` of each day.
    iso: Vec<[u8; 10]>,
}

/// A bell of `height` around `centre`, `1 / (1 + x⁴)`: plain arithmetic, so the weights (and the
/// data) are the same on every platform, which `exp` from the system's libm would not promise.
fn bump(day: i64, centre: i64, width: f64, height: f64) -> f64 {
    let x = (day - centre) as f64 / width;
    height / (1.0 + x * x * x * x)
}

impl Days {
    pub fn new() -> Self {
        let calendar = Calendar::builtin();
        let first = days_from_civil(YEAR, 1, 1);
        let len = (days_from_civil(YEAR + 1, 1, 1) - first) as usize;
        let festival = days_from_civil(YEAR, SPRING_FESTIVAL.0, SPRING_FESTIVAL.1);
        let march15 = days_from_civil(YEAR, 3, 15);
        let double11 = days_from_civil(YEAR, 11, 11);
        let six18 = days_from_civil(YEAR, 6, 18);
        let (mut ordinal, mut workdays, mut iso, mut weights) = (vec![], vec![], vec![], vec![]);
        let mut after_festival = 0.9;
        for i in 0..len {
            let day = first + i as i64;
            let working = calendar.is_working_day(Date(day));
            if working {
                workdays.push(i as u16);
            }
            ordinal.push(workdays.len() as u16);
            let mut w = if working || day == march15 { 1.0 } else { 0.55 };
            // After the holiday, problems saved up come in: a peak a week after, fading out.
            if day > festival + 6 {
                w *= 1.0 + after_festival;
                after_festival *= 0.9;
            }
            w *= 1.0 + bump(day, march15 - 1, 4.0, 1.2) + if day == march15 { 1.5 } else { 0.0 };
            w *= 1.0 + bump(day, double11 + 5, 5.0, 0.45) + bump(day, six18 + 3, 4.0, 0.2);
            let (_, m, _) = civil_from_days(day);
            if m == 7 || m == 8 {
                w *= 1.08;
            }
            weights.push((w * 10_000.0) as u64);
            let (y, m, d) = civil_from_days(day);
            let mut s = [b'0'; 10];
            let text = [y as u32 / 1000, y as u32 / 100 % 10, y as u32 / 10 % 10, y as u32 % 10];
            for (k, v) in text.iter().enumerate() {
                s[k] = b'0' + *v as u8;
            }
            s[4] = b'-';
            s[5] = b'0' + (m / 10) as u8;
            s[6] = b'0' + (m % 10) as u8;
            s[7] = b'-';
            s[8] = b'0' + (d / 10) as u8;
            s[9] = b'0' + (d % 10) as u8;
            iso.push(s);
        }
        Self { first, weights: Weighted::new(weights), ordinal, workdays, iso }
    }

    /// A day of receipt, as an offset from 1 January.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        self.weights.sample(rng)
    }

    /// The `n`-th working day after day `offset` (`n == 0`: the day itself), if still in the year.
    pub fn add_working(&self, offset: usize, n: u32) -> Option<usize> {
        if n == 0 {
            return Some(offset);
        }
        let at = usize::from(self.ordinal[offset]) + n as usize - 1;
        self.workdays.get(at).map(|&d| usize::from(d))
    }

    pub fn iso(&self, offset: usize) -> &[u8; 10] {
        &self.iso[offset]
    }

    /// The (1-based) month of a day.
    pub fn month(&self, offset: usize) -> u32 {
        civil_from_days(self.first + offset as i64).1
    }
}

impl Default for Days {
    fn default() -> Self {
        Self::new()
    }
}
