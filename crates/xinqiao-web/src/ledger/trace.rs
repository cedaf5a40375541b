//! What the lines of a batch say when read together: stock on hand with its alerts, and the trace
//! of one batch across ledgers — suppliers backward, buyers forward, every holder, and the batches
//! linked to it by producers' raw-material uses — plus the CSV text of lines and lists. Pure
//! functions over the store's lines.

use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::entry::Milli;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_domain::ledger::{Alert, Batch, EntryKind, Gtin, Shelf};
use xinqiao_store::ledger::{Entry, LotSummary, UseGroup};

/// One product batch still (or no longer) in stock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StockLine {
    pub gtin: String,
    pub product: String,
    pub batch: Option<String>,
    pub on_hand: String,
    pub unit: String,
    pub expiry: Option<String>,
    /// 过期 or 临期, only for stock on hand.
    pub alert: Option<String>,
}

fn end_of(e: &Entry) -> Option<Date> {
    Shelf { production: e.production, expiry: e.expiry, shelf_life_days: e.shelf_life_days }.end()
}

/// Stock on hand per product and batch from current lines: goods in minus goods out, and how close
/// the latest end date is. Expired first, then near, then the rest.
pub fn stock(current: &[&Entry], today: Date) -> Vec<StockLine> {
    /// On hand (thousandths), the latest end, a line to name the product by.
    type Slot<'a> = (i64, Option<Date>, &'a Entry);
    let mut by: BTreeMap<(Gtin, Option<Batch>), Slot> = BTreeMap::new();
    for e in current {
        let slot = by.entry((e.gtin.clone(), e.batch.clone())).or_insert((0, None, e));
        slot.0 += e.kind.stock_sign() * e.quantity.milli();
        if e.kind.stock_sign() > 0 {
            slot.1 = slot.1.max(end_of(e));
        }
    }
    let mut out: Vec<(Option<Alert>, StockLine)> = by
        .into_iter()
        .filter(|(_, (on_hand, _, _))| *on_hand > 0)
        .map(|((gtin, batch), (on_hand, end, e))| {
            let alert = Alert::of(end, on_hand, today);
            (
                alert,
                StockLine {
                    gtin: gtin.short().into(),
                    product: e.product_name.clone().unwrap_or_else(|| "（未登记品名）".into()),
                    batch: batch.map(|b| b.as_str().into()),
                    on_hand: Milli(on_hand).to_string(),
                    unit: e.unit.as_str().into(),
                    expiry: end.map(|d| d.to_string()),
                    alert: alert.map(|a| a.label().into()),
                },
            )
        })
        .collect();
    out.sort_by_key(|(a, s)| (a.is_none(), *a, s.expiry.clone()));
    out.into_iter().map(|(_, s)| s).collect()
}

/// An enterprise holding the batch (it bought or made some).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TraceHolder {
    #[schema(value_type = String)]
    pub uscc: Uscc,
    pub name: String,
    pub received: String,
    pub on_hand: String,
    #[serde(skip)]
    pub on_hand_milli: i64,
}

/// One movement of the batch between two parties, as the recording enterprise wrote it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Movement {
    pub kind: String,
    /// Who recorded it.
    pub enterprise: String,
    pub enterprise_uscc: String,
    /// The other party as recorded.
    pub party: Option<String>,
    pub party_uscc: Option<String>,
    pub date: String,
    pub quantity: String,
    pub unit: String,
    /// Whether the other party's own ledger in the bureau tree records the same batch.
    pub matched: bool,
}

/// A party the batch went to (or came from) that keeps no ledger in the bureau tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Outside {
    pub name: String,
    pub uscc: Option<String>,
    /// `supplier` or `buyer`.
    pub role: String,
}

/// A producer's raw-material uses of one lot in one production batch: how many lines, how much
/// in all, from the first date to the last.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UseView {
    /// The producer that recorded it.
    pub enterprise: String,
    pub enterprise_uscc: String,
    /// The raw-material lot used.
    pub material_gtin: String,
    pub material_batch: String,
    pub material: String,
    /// The production batch it went into.
    pub product_gtin: String,
    pub product_batch: String,
    /// The first use's date, and the last's.
    pub date: String,
    pub last_date: String,
    /// How many use lines.
    pub uses: i64,
    pub quantity: String,
    pub unit: String,
}

impl UseView {
    /// `None` for a line that is not a use naming its batch.
    pub fn of(e: &Entry) -> Option<Self> {
        let (Some(material_batch), Some(product_gtin), Some(product_batch)) = (&e.batch, &e.into_gtin, &e.into_batch)
        else {
            return None;
        };
        (e.kind == EntryKind::MaterialUse).then(|| UseView {
            enterprise: e.enterprise_name.clone(),
            enterprise_uscc: e.uscc.as_str().into(),
            material_gtin: e.gtin.short().into(),
            material_batch: material_batch.as_str().into(),
            material: e.product_name.clone().unwrap_or_else(|| "（未登记品名）".into()),
            product_gtin: product_gtin.short().into(),
            product_batch: product_batch.as_str().into(),
            date: e.recorded_on.to_string(),
            last_date: e.recorded_on.to_string(),
            uses: 1,
            quantity: e.quantity.to_string(),
            unit: e.unit.as_str().into(),
        })
    }

    /// The uses one producer recorded of one lot in one batch, as the store summed them.
    pub fn of_group(g: &UseGroup) -> Self {
        UseView {
            enterprise: g.enterprise_name.clone(),
            enterprise_uscc: g.uscc.as_str().into(),
            material_gtin: g.material.gtin.short().into(),
            material_batch: g.material.batch.as_str().into(),
            material: g.material_name.clone().unwrap_or_else(|| "（未登记品名）".into()),
            product_gtin: g.into.gtin.short().into(),
            product_batch: g.into.batch.as_str().into(),
            date: g.first.to_string(),
            last_date: g.last.to_string(),
            uses: g.uses,
            quantity: Milli(g.quantity_milli).to_string(),
            unit: g.unit.as_str().into(),
        }
    }
}

/// A raw-material use of the batch that names no production batch by GTIN (written before the
/// producers' chain, migration 0081): the lot was used on that date, that much, product unknown —
/// shown as 未关联生产批次 rather than left out of the trace.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnlinkedUse {
    pub enterprise: String,
    pub enterprise_uscc: String,
    pub date: String,
    pub quantity: String,
    pub unit: String,
    /// The production batch number as recorded, when one was.
    pub into_batch: Option<String>,
}

impl UnlinkedUse {
    /// `None` unless the line is a raw-material use that no [`UseView`] links.
    pub fn of(e: &Entry) -> Option<Self> {
        (e.kind == EntryKind::MaterialUse && UseView::of(e).is_none()).then(|| UnlinkedUse {
            enterprise: e.enterprise_name.clone(),
            enterprise_uscc: e.uscc.as_str().into(),
            date: e.recorded_on.to_string(),
            quantity: e.quantity.to_string(),
            unit: e.unit.as_str().into(),
            into_batch: e.into_batch.as_ref().map(|b| b.as_str().into()),
        })
    }
}

/// A raw-material use that may have gone into the traced batch: its producer recorded it with the
/// traced batch's number but no product GTIN (written before the producers' chain, migration
/// 0081), so the link is not proven — shown as 未关联 on a backward trace, not left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PossibleUse {
    pub enterprise: String,
    pub enterprise_uscc: String,
    /// The raw-material lot used.
    pub material_gtin: String,
    pub material_batch: Option<String>,
    pub material: String,
    pub date: String,
    pub quantity: String,
    pub unit: String,
}

impl PossibleUse {
    pub fn of(e: &Entry) -> Self {
        PossibleUse {
            enterprise: e.enterprise_name.clone(),
            enterprise_uscc: e.uscc.as_str().into(),
            material_gtin: e.gtin.short().into(),
            material_batch: e.batch.as_ref().map(|b| b.as_str().into()),
            material: e.product_name.clone().unwrap_or_else(|| "（未登记品名）".into()),
            date: e.recorded_on.to_string(),
            quantity: e.quantity.to_string(),
            unit: e.unit.as_str().into(),
        }
    }
}

/// A batch linked to the traced one through raw-material uses — a batch made from it (forward) or
/// a lot used in it (backward) — as a summary of its current lines in the same bureau tree, which
/// SQL computes; its own full trace is a link away (`href`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedBatch {
    pub gtin: String,
    pub batch: String,
    /// The product's name as a ledger records it.
    pub product: String,
    /// Links from the traced batch: 1 for a batch made directly from it or a lot used directly in it.
    pub depth: u32,
    /// The uses that link it, per producer and pair of batches.
    pub uses: Vec<UseView>,
    /// Its current lines (movements) in the bureau tree's ledgers.
    pub movements: i64,
    /// Enterprises recording it.
    pub keepers: i64,
    /// Enterprises that received it (bought or made some), and of those the ones with stock on
    /// hand by their ledger.
    pub holders: i64,
    pub holding: i64,
    /// Bought and made; sold, shipped and used; on hand summed over its holders.
    pub quantity_in: String,
    pub quantity_out: String,
    pub on_hand: String,
    pub unit: String,
    /// Whether its lines give different units (the sums then mix them).
    pub mixed_units: bool,
    /// Its first and last line's date; none when no ledger in the tree records it.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Its raw-material uses that name no production batch (未关联生产批次).
    pub unlinked_uses: i64,
    /// Its own full trace (with the same purpose).
    pub href: String,
}

impl LinkedBatch {
    /// A linked batch from its summary (none when no ledger in the tree records it), the uses that
    /// reached it and how far it is; `purpose` goes into the link to its own trace.
    pub fn of(lot: &Lot, summary: Option<&LotSummary>, uses: Vec<UseView>, depth: u32, purpose: &str) -> Self {
        let gtin = lot.gtin.short().to_owned();
        let product = summary
            .and_then(|s| s.product.clone())
            .or_else(|| uses.iter().find(|u| u.material_gtin == gtin).map(|u| u.material.clone()))
            .unwrap_or_else(|| "（未登记品名）".into());
        let href = format!(
            "/bureau/trace?{}",
            serde_urlencoded::to_string([
                ("code", lot.gtin.as_str()),
                ("batch", lot.batch.as_str()),
                ("reference", purpose)
            ])
            .unwrap_or_default()
        );
        let milli = |f: fn(&LotSummary) -> i64| Milli(summary.map_or(0, f)).to_string();
        LinkedBatch {
            batch: lot.batch.as_str().into(),
            product,
            depth,
            movements: summary.map_or(0, |s| s.movements),
            keepers: summary.map_or(0, |s| s.keepers),
            holders: summary.map_or(0, |s| s.holders),
            holding: summary.map_or(0, |s| s.holding),
            quantity_in: milli(|s| s.in_milli),
            quantity_out: milli(|s| s.out_milli),
            on_hand: milli(|s| s.on_hand_milli),
            unit: summary.map_or(String::new(), |s| s.unit.as_str().into()),
            mixed_units: summary.is_some_and(|s| s.mixed_units),
            first_date: summary.map(|s| s.first.to_string()),
            last_date: summary.map(|s| s.last.to_string()),
            unlinked_uses: summary.map_or(0, |s| s.unlinked_uses),
            href,
            uses,
            gtin,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trace {
    pub gtin: String,
    pub batch: String,
    /// Backward: who supplied it (purchases).
    pub suppliers: Vec<Movement>,
    /// Forward: who it was sold or shipped to.
    pub buyers: Vec<Movement>,
    /// Every enterprise holding it, with what is on hand by its ledger.
    pub holders: Vec<TraceHolder>,
    /// Parties outside the bureau tree's ledgers (to be reached another way).
    pub elsewhere: Vec<Outside>,
    /// Forward through producers: the production batches this lot went into as raw material (and
    /// the batches made from those, and on), each as a summary with a link to its own trace.
    pub made_into: Vec<LinkedBatch>,
    /// Backward through producers: the raw-material lots used in this batch (and in those, and
    /// on), each as a summary with a link to its own trace.
    pub made_from: Vec<LinkedBatch>,
    /// Whether the chain was longer than a trace follows (the batches beyond are not listed).
    pub chain_truncated: bool,
    /// Raw-material uses of this batch that name no production batch (written before the chain
    /// was kept): used on that date, that much, product unknown — 未关联生产批次.
    pub unlinked_uses: Vec<UnlinkedUse>,
    /// Backward, unproven: raw-material uses its producers recorded with this batch's number but
    /// no product GTIN (written before the chain was kept) — possibly used in it, 未关联.
    pub unlinked_uses_into: Vec<PossibleUse>,
}

/// Builds the trace of one batch from the current lines of every ledger in scope.
pub fn build(gtin: &Gtin, batch: &Batch, lines: &[Entry]) -> Trace {
    let keepers: BTreeMap<&str, &str> = lines.iter().map(|e| (e.uscc.as_str(), e.enterprise_name.as_str())).collect();
    let recorded =
        |uscc: &str, kinds: &[EntryKind]| lines.iter().any(|e| e.uscc.as_str() == uscc && kinds.contains(&e.kind));
    let movement = |e: &Entry, other_kinds: &[EntryKind]| {
        let party_uscc = e.party.as_ref().and_then(|p| p.uscc.as_ref()).map(|u| u.as_str().to_owned());
        Movement {
            kind: e.kind.label().into(),
            enterprise: e.enterprise_name.clone(),
            enterprise_uscc: e.uscc.as_str().into(),
            party: e.party.as_ref().map(|p| p.name.clone()),
            matched: party_uscc.as_deref().is_some_and(|u| recorded(u, other_kinds)),
            party_uscc,
            date: e.recorded_on.to_string(),
            quantity: e.quantity.to_string(),
            unit: e.unit.as_str().into(),
        }
    };
    let outgoing = [EntryKind::Sale, EntryKind::Shipment];
    let suppliers: Vec<Movement> =
        lines.iter().filter(|e| e.kind == EntryKind::Purchase).map(|e| movement(e, &outgoing)).collect();
    let buyers: Vec<Movement> =
        lines.iter().filter(|e| outgoing.contains(&e.kind)).map(|e| movement(e, &[EntryKind::Purchase])).collect();
    let mut holders: BTreeMap<&str, (i64, i64, &Entry)> = BTreeMap::new();
    for e in lines {
        let slot = holders.entry(e.uscc.as_str()).or_insert((0, 0, e));
        slot.1 += e.kind.stock_sign() * e.quantity.milli();
        if e.kind.stock_sign() > 0 {
            slot.0 += e.quantity.milli();
        }
    }
    let holders = holders
        .into_values()
        .filter(|(received, _, _)| *received > 0)
        .map(|(received, on_hand, e)| TraceHolder {
            uscc: e.uscc.clone(),
            name: e.enterprise_name.clone(),
            received: Milli(received).to_string(),
            on_hand: Milli(on_hand).to_string(),
            on_hand_milli: on_hand,
        })
        .collect();
    let mut elsewhere: Vec<Outside> = Vec::new();
    for (list, role) in [(&suppliers, "supplier"), (&buyers, "buyer")] {
        for m in list.iter() {
            let inside = m.party_uscc.as_deref().is_some_and(|u| keepers.contains_key(u));
            if !inside && !elsewhere.iter().any(|o| o.name == m.party.clone().unwrap_or_default() && o.role == role) {
                elsewhere.push(Outside {
                    name: m.party.clone().unwrap_or_default(),
                    uscc: m.party_uscc.clone(),
                    role: role.into(),
                });
            }
        }
    }
    Trace {
        gtin: gtin.short().into(),
        batch: batch.as_str().into(),
        suppliers,
        buyers,
        holders,
        elsewhere,
        made_into: Vec::new(),
        made_from: Vec::new(),
        chain_truncated: false,
        unlinked_uses: lines.iter().filter_map(UnlinkedUse::of).collect(),
        unlinked_uses_into: Vec::new(),
    }
}

/// One CSV row: fields quoted when needed, and a leading = + - @ neutralised so a spreadsheet
/// never runs a cell as a formula.
pub fn csv_row(fields: &[&str]) -> String {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| {
            let f = if f.starts_with(['=', '+', '-', '@']) { format!("'{f}") } else { (*f).to_owned() };
            if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
        })
        .collect();
    cells.join(",") + "\r\n"
}

/// The columns of an export, which the import reads back.
pub const CSV_HEADER: [&str; 16] = [
    "类型",
    "商品条码",
    "品名",
    "规格",
    "批号",
    "数量",
    "单位",
    "日期",
    "生产日期",
    "到期日期",
    "供应商或购货方",
    "用于生产的产品条码",
    "用于生产批号",
    "保存至",
    "更正原因",
    "已被更正",
];
