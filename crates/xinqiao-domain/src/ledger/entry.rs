//! A ledger line and its rules: the kinds of record, validated fields, what a correction needs,
//! stock on hand and its expiry alerts (临期, 过期). Lines are never changed or deleted: a
//! correction is a new line pointing at the one it replaces.

use crate::FieldError;
use crate::calendar::Date;

/// What a line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// 进货: goods or raw material received from a supplier.
    Purchase,
    /// 销售: goods sold to a buyer (wholesalers record their buyers).
    Sale,
    /// 原料使用: a raw-material lot used in a production batch.
    MaterialUse,
    /// 生产: a production batch made.
    Production,
    /// 出货: a production batch shipped to a buyer.
    Shipment,
}

impl EntryKind {
    pub const FIELD: &'static str = "kind";
    pub const ALL: [EntryKind; 5] =
        [EntryKind::Purchase, EntryKind::Sale, EntryKind::MaterialUse, EntryKind::Production, EntryKind::Shipment];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Purchase => "purchase",
            EntryKind::Sale => "sale",
            EntryKind::MaterialUse => "material_use",
            EntryKind::Production => "production",
            EntryKind::Shipment => "shipment",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Purchase => "进货",
            EntryKind::Sale => "销售",
            EntryKind::MaterialUse => "原料使用",
            EntryKind::Production => "生产",
            EntryKind::Shipment => "出货",
        }
    }

    /// Accepts the code or the Chinese label (a spreadsheet column).
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
            .ok_or_else(|| FieldError::new(Self::FIELD, "unknown", "记录类型应为 进货、销售、原料使用、生产 或 出货"))
    }

    /// Goods coming in (+) or going out (−) of the enterprise's stock.
    pub fn stock_sign(self) -> i64 {
        match self {
            EntryKind::Purchase | EntryKind::Production => 1,
            EntryKind::Sale | EntryKind::MaterialUse | EntryKind::Shipment => -1,
        }
    }

    /// Whether the line names the other party: the supplier of a purchase, the buyer of a sale
    /// or shipment.
    pub fn needs_party(self) -> bool {
        matches!(self, EntryKind::Purchase | EntryKind::Sale | EntryKind::Shipment)
    }
}

/// Bounded text from a form: trimmed, no control characters, 1…`max` characters.
fn text(field: &'static str, label: &str, input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("{label}最多 {max} 个字")));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, "bad_char", format!("{label}含有不可见的控制字符")));
    }
    Ok(s.to_string())
}

/// A batch or lot number as printed on the label (not only GS1's character set: labels carry
/// what they carry).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Batch(String);

impl Batch {
    pub const FIELD: &'static str = "batch";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        text(Self::FIELD, "批号", input, 40).map(Batch)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A quantity with up to three decimals (kilograms of flour, cases of milk), kept in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i64);

impl Quantity {
    pub const FIELD: &'static str = "quantity";
    const MAX: i64 = 1_000_000_000_000;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(Self::FIELD, "bad_quantity", "数量应为大于 0 的数，最多三位小数");
        let s = input.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty()
            || int.len() > 9
            || frac.len() > 3
            || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let milli =
            int.parse::<i64>().map_err(|_| bad())? * 1000 + format!("{frac:0<3}").parse::<i64>().map_err(|_| bad())?;
        Self::from_milli(milli).ok_or_else(bad)
    }

    pub fn from_milli(milli: i64) -> Option<Self> {
        (1..Self::MAX).contains(&milli).then_some(Quantity(milli))
    }

    pub fn milli(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_milli(self.0, f)
    }
}

fn fmt_milli(m: i64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let sign = if m < 0 { "-" } else { "" };
    let (int, frac) = (m.abs() / 1000, m.abs() % 1000);
    if frac == 0 {
        write!(f, "{sign}{int}")
    } else {
        write!(f, "{sign}{int}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// A unit of count (箱, 千克, 瓶): short free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit(String);

impl Unit {
    pub const FIELD: &'static str = "unit";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        text(Self::FIELD, "单位", input, 8).map(Unit)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a line is corrected: required, so the record says why it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionReason(String);

impl CorrectionReason {
    pub const FIELD: &'static str = "reason";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = text(Self::FIELD, "更正原因", input, 200)?;
        if s.chars().count() < 4 {
            return Err(FieldError::new(Self::FIELD, "too_short", "请写明更正原因（至少 4 个字），例如“入库日期记错”"));
        }
        Ok(CorrectionReason(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The dates of a line checked against each other and against today.
pub fn check_dates(
    recorded_on: Date,
    production: Option<Date>,
    expiry: Option<Date>,
    today: Date,
) -> Result<(), FieldError> {
    if recorded_on > today {
        return Err(FieldError::new("date", "in_future", "记录日期不能晚于今天"));
    }
    if let Some(p) = production {
        if p > today {
            return Err(FieldError::new("production", "in_future", "生产日期不能晚于今天"));
        }
        if expiry.is_some_and(|e| e < p) {
            return Err(FieldError::new("expiry", "before_production", "到期日期不能早于生产日期"));
        }
    }
    Ok(())
}

/// How close stock on hand is to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Alert {
    /// 过期: the end has passed and the stock is still there.
    Expired,
    /// 临期: within `NEAR_DAYS` of the end.
    Near,
}

impl Alert {
    /// The project's default warning window (not a legal period).
    pub const NEAR_DAYS: i64 = 30;

    pub fn of(end: Option<Date>, on_hand_milli: i64, today: Date) -> Option<Alert> {
        let end = end?;
        if on_hand_milli <= 0 {
            None
        } else if end < today {
            Some(Alert::Expired)
        } else if end.0 - today.0 <= Self::NEAR_DAYS {
            Some(Alert::Near)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Alert::Expired => "过期",
            Alert::Near => "临期",
        }
    }
}

/// What an officer orders for a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecallKind {
    /// 召回: the batch is taken back.
    Recall,
    /// 封存: the batch is set aside where it is, pending tests.
    Seal,
}

impl RecallKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecallKind::Recall => "recall",
            RecallKind::Seal => "seal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecallKind::Recall => "召回",
            RecallKind::Seal => "封存",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.trim() {
            "recall" | "召回" => Ok(RecallKind::Recall),
            "seal" | "封存" => Ok(RecallKind::Seal),
            _ => Err(FieldError::new("kind", "unknown", "应为 召回 或 封存")),
        }
    }
}

/// A signed quantity for display (stock on hand may run negative when sales were recorded first).
pub struct Milli(pub i64);

impl std::fmt::Display for Milli {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_milli(self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn kinds_read_codes_and_labels() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Ok(k));
            assert_eq!(EntryKind::parse(k.label()), Ok(k));
        }
        assert_eq!(EntryKind::parse("退货").unwrap_err().code, "unknown");
        assert_eq!(EntryKind::Purchase.stock_sign() + EntryKind::Sale.stock_sign(), 0);
    }

    #[test]
    fn quantities_and_texts() {
        assert_eq!(Quantity::parse("12").unwrap().milli(), 12_000);
        assert_eq!(Quantity::parse("0.25").unwrap().to_string(), "0.25");
        assert_eq!(Quantity::parse(" 3.5 ").unwrap().to_string(), "3.5");
        for bad in ["0", "-1", "1.2345", "abc", "", "1e3", "１２"] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Milli(-1500).to_string(), "-1.5");
        assert!(Batch::parse("20261201-A").is_ok());
        assert_eq!(Batch::parse("  ").unwrap_err().code, "required");
        assert_eq!(Batch::parse(&"1".repeat(41)).unwrap_err().code, "too_long");
        assert_eq!(Unit::parse("箱").unwrap().as_str(), "箱");
        assert_eq!(CorrectionReason::parse("错").unwrap_err().code, "too_short");
        assert!(CorrectionReason::parse("入库日期记错").is_ok());
    }

    #[test]
    fn dates_are_checked_against_each_other_and_today() {
        let today = d("2026-12-06");
        assert!(check_dates(d("2026-12-06"), Some(d("2026-11-01")), Some(d("2027-05-01")), today).is_ok());
        assert_eq!(check_dates(d("2026-12-07"), None, None, today).unwrap_err().code, "in_future");
        assert_eq!(check_dates(d("2026-12-01"), Some(d("2026-12-07")), None, today).unwrap_err().field, "production");
        assert_eq!(
            check_dates(d("2026-12-01"), Some(d("2026-11-01")), Some(d("2026-10-01")), today).unwrap_err().code,
            "before_production"
        );
    }

    #[test]
    fn alerts_only_for_stock_on_hand() {
        let today = d("2026-12-06");
        assert_eq!(Alert::of(Some(d("2026-12-05")), 1000, today), Some(Alert::Expired));
        assert_eq!(Alert::of(Some(d("2026-12-05")), 0, today), None, "sold out: nothing to alert");
        assert_eq!(Alert::of(Some(d("2027-01-05")), 1000, today), Some(Alert::Near));
        assert_eq!(Alert::of(Some(d("2027-01-06")), 1000, today), None);
        assert_eq!(Alert::of(None, 1000, today), None);
    }
}
