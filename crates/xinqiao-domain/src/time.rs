//! Calendar arithmetic without a time-zone database: Xinqiao shows times in China Standard
//! Time (UTC+8, no daylight saving), and stores integer epoch milliseconds.

const CST_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// `YYYY-MM-DD HH:MM:SS` in China Standard Time.
pub fn format_cst(epoch_ms: i64) -> String {
    let local = epoch_ms + CST_OFFSET_MS;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
    let secs = local.rem_euclid(DAY_MS) / 1000;
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Parses `YYYY-MM-DD` as the start of that day in China Standard Time, in epoch milliseconds.
pub fn parse_cst_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > 31 || !(1900..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-30 and the like: the round trip must land on the same date.
    (civil_from_days(days) == (y, m, d)).then_some(days * DAY_MS - CST_OFFSET_MS)
}

/// Parses `YYYY-MM-DDTHH:MM` (a `datetime-local` input; a space may replace the `T`) as that
/// minute in China Standard Time, in epoch milliseconds.
pub fn parse_cst_minute(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' '])?;
    let day = parse_cst_date(date)?;
    let (h, min) = time.split_once(':')?;
    let (h, min): (i64, i64) = (h.parse().ok()?, min.get(..2).unwrap_or(min).parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&min)).then_some(day + (h * 60 + min) * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_read_in_china_time() {
        let at = parse_cst_minute("2026-12-08T21:30").unwrap();
        assert_eq!(format_cst(at), "2026-12-08 21:30:00");
        assert_eq!(parse_cst_minute("2026-12-08 21:30"), Some(at));
        assert_eq!(parse_cst_minute("2026-12-08T24:00"), None);
        assert_eq!(parse_cst_minute("2026-12-08"), None);
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 11, 27), 20_784);
        for z in [-1000, 0, 20_000, 20_784, 60_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn formats_in_china_time() {
        // 2026-11-27 00:30 UTC is 08:30 in Beijing.
        let ms = (20_784 * 86_400 + 1800) * 1000;
        assert_eq!(format_cst(ms), "2026-11-27 08:30:00");
        assert_eq!(parse_cst_date("2026-11-27"), Some(20_784 * DAY_MS - CST_OFFSET_MS));
        assert_eq!(parse_cst_date("2026-02-30"), None);
        assert_eq!(parse_cst_date("yesterday"), None);
    }
}
