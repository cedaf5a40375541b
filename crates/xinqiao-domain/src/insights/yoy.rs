//! Year-on-year change (同比) as the public statistics show it: only when both periods have
//! enough cases for a percentage to mean something (3 → 224 is not "+7366.7%").

/// Each of the two periods needs at least this many cases before a change is shown.
pub const YOY_MINIMUM: i64 = 30;

/// The change from `previous` to `current` as a fraction (0.25 = +25%), or `None` when either
/// period has fewer than [`YOY_MINIMUM`] cases.
pub fn year_on_year(current: i64, previous: i64) -> Option<f64> {
    (current >= YOY_MINIMUM && previous >= YOY_MINIMUM).then(|| (current - previous) as f64 / previous as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_a_change_only_when_both_periods_have_enough() {
        assert_eq!(year_on_year(224, 3), None, "a tiny base says nothing");
        assert_eq!(year_on_year(29, 40), None);
        assert_eq!(year_on_year(40, 29), None);
        assert_eq!(year_on_year(YOY_MINIMUM, YOY_MINIMUM), Some(0.0));
        assert_eq!(year_on_year(45, 30), Some(0.5));
        assert_eq!(year_on_year(30, 60), Some(-0.5));
    }
}
