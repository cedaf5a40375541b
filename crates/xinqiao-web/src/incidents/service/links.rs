//! Where an incident leads: each of its product batches to the ledger's batch trace (the trace
//! itself scoped and audited by the ledger, with the incident as its purpose), and the 廉洁登记
//! entries (请托, gifts, invitations, contacts) about its enterprise recorded since it was opened — an
//! officer sees their own, a supervisor those of the bureau tree.

use super::{Officer, in_scope};
use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::calendar::Date;
use xinqiao_store::incidents::Incident;
use xinqiao_store::integrity::{IntegrityEntry, IntegrityScope};

/// A product batch of the incident and the address of its trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceLink {
    pub gtin: String,
    pub batch: String,
    pub href: String,
}

/// The purpose a trace from an incident is recorded with.
pub fn trace_purpose(incident_id: &str) -> String {
    format!("突发事件 {incident_id}")
}

fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The batch-trace address of each product batch of the incident.
pub fn trace_links(incident: &Incident) -> Vec<TraceLink> {
    let purpose = query_value(&trace_purpose(&incident.id));
    incident
        .products
        .iter()
        .map(|p| TraceLink {
            gtin: p.gtin.as_str().to_owned(),
            batch: p.batch.as_str().to_owned(),
            href: format!(
                "/bureau/trace?code={}&batch={}&reference={purpose}",
                query_value(p.gtin.as_str()),
                query_value(p.batch.as_str())
            ),
        })
        .collect()
}

fn about(incident: &Incident, e: &IntegrityEntry) -> bool {
    match (&incident.enterprise_uscc, &e.enterprise_uscc) {
        (Some(a), Some(b)) => a == b,
        _ => !e.enterprise_name.trim().is_empty() && e.enterprise_name.trim() == incident.enterprise_name.trim(),
    }
}

/// The 廉洁登记 entries about the incident's enterprise recorded from the day it was opened: the
/// officer's own, or for a supervisor those of the bureau tree.
pub async fn integrity_during(state: &AppState, by: &Officer, id: &str) -> Result<Vec<IntegrityEntry>, AppError> {
    let incident = in_scope(state, by, id).await?;
    let scope = if by.is_supervisor() {
        IntegrityScope::Bureaus(&by.scope.org_ids)
    } else {
        IntegrityScope::Officer(&by.user.id)
    };
    let opened = Date::of_epoch_ms(incident.created_at);
    let entries = state.store.integrity_entries(scope, opened.start_ms(), i64::MAX).await?;
    Ok(entries.into_iter().filter(|e| about(&incident, e)).collect())
}
