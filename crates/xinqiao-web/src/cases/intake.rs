//! The intake pipeline: validate, mask the narrative, seal the original and the identity under
//! the data key, index the mobile and ID number blindly, issue tracking codes and an access key,
//! compute the first deadline, and store it all in one transaction. Only then does the
//! submitter get a receipt.

use crate::AppState;
use crate::dates::ShownDate;
use crate::error::AppError;
use crate::health::{Component, Health};
use crate::tasks::{Stop, Task};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use xinqiao_domain::calendar::{Date, Reckoned};
use xinqiao_domain::cases::intake::{IntakeForm, NewCase};
use xinqiao_domain::cases::{CaseKind, TrackingCode};
use xinqiao_domain::deadlines::Due;
use xinqiao_domain::time::civil_from_days;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::{NewCaseRow, SealedIdentity, Submission};
use xinqiao_store::{Store, StoreError};
use xinqiao_store::{random_bytes, sha256_hex};

type Reply = oneshot::Sender<Result<Vec<String>, StoreError>>;

/// The intake writer: submissions arriving together are stored in one transaction (up to
/// `BATCH` at a time), which is what lets one SQLite file take thousands of cases a second.
/// A submission is acknowledged only after its transaction committed; when the database cannot
/// take it (a full disk, PostgreSQL away) every submission of the batch is told so (503), and
/// the writer goes on with the next batch, so it recovers by itself when the cause passes.
#[derive(Debug, Clone)]
pub struct Queue {
    tx: mpsc::Sender<(Submission, Reply)>,
}

const BATCH: usize = 64;

impl Queue {
    /// The queue of `state`, its writer a worker of the supervisor (started again if it
    /// panics; told to stop at shutdown, when it stores what is still queued and ends).
    pub fn start(state: &AppState) -> Self {
        let (tx, rx) = mpsc::channel(1024);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let task = Task::worker("intake", move |state: AppState, stop| {
            writer(state.store.clone(), state.health.clone(), rx.clone(), stop)
        });
        state.tasks.spawn(state, task);
        Self { tx }
    }

    /// Stores one submission; returns its case ids once committed.
    pub async fn submit(&self, sub: Submission) -> Result<Vec<String>, AppError> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((sub, reply)).await.map_err(|_| AppError::Internal("intake writer stopped".into()))?;
        Ok(answer.await.map_err(|_| AppError::Internal("intake writer dropped a submission".into()))??)
    }
}

type Incoming = mpsc::Receiver<(Submission, Reply)>;

async fn writer(store: Store, health: Arc<Health>, rx: Arc<tokio::sync::Mutex<Incoming>>, mut stop: Stop) {
    let mut rx = rx.lock().await;
    let mut closing = false;
    loop {
        let next = if closing {
            rx.recv().await
        } else {
            tokio::select! {
                biased;
                next = rx.recv() => next,
                _ = stop.stopped() => {
                    // Nothing new is taken; what is queued is still stored.
                    rx.close();
                    closing = true;
                    continue;
                }
            }
        };
        let Some(first) = next else { return };
        let (mut subs, mut replies) = (vec![first.0], vec![first.1]);
        while subs.len() < BATCH {
            match rx.try_recv() {
                Ok((s, r)) => {
                    subs.push(s);
                    replies.push(r);
                }
                Err(_) => break,
            }
        }
        match store.intake_many(&subs).await {
            Ok(ids) => {
                health.recovered(Component::Storage);
                for (reply, ids) in replies.into_iter().zip(ids) {
                    let _ = reply.send(Ok(ids));
                }
            }
            // Nothing of the batch was stored, and retrying now would fail the same way.
            Err(StoreError::Unavailable(outage)) => {
                health.degraded(Component::Storage, store.now_ms(), outage.condition());
                for reply in replies {
                    let _ = reply.send(Err(StoreError::Unavailable(outage)));
                }
            }
            // One bad submission must not sink the others: retry them one by one.
            Err(_) if subs.len() > 1 => {
                for (sub, reply) in subs.into_iter().zip(replies) {
                    let result = store.intake_many(std::slice::from_ref(&sub)).await.map(|mut v| v.remove(0));
                    let _ = reply.send(result);
                }
            }
            Err(e) => {
                if let Some(reply) = replies.pop() {
                    let _ = reply.send(Err(e));
                }
            }
        }
    }
}

/// What the submitter takes away.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The case, and the linked report when a complaint also reported a violation.
    pub cases: Vec<(CaseKind, TrackingCode)>,
    /// Shown once; stored only as a hash.
    pub access_key: String,
    /// When the bureau must decide whether to accept, and whether that limit is verified.
    pub decision_due: Option<(ShownDate, bool)>,
    /// For a complaint about an enterprise in ODR: the last day of 先行和解.
    pub settle_until: Option<ShownDate>,
}

pub(crate) use super::sealing::{demand_aad, identity_aad, narrative_aad};

/// 20 random bytes (160 bits) in Crockford-style base32, grouped for copying.
pub(crate) fn new_access_key() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = random_bytes::<20>();
    let mut bits = 0u32;
    let mut acc = 0u32;
    let mut out = String::new();
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    out.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The hash kept for an access key (as typed: spaces and dashes ignored, any case).
pub fn access_key_hash(typed: &str) -> String {
    let norm: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    sha256_hex(norm.as_bytes())
}

pub(crate) fn tracking_code(today: Date) -> TrackingCode {
    let (y, m, _) = civil_from_days(today.0);
    TrackingCode::generate(y, m, random_bytes::<8>())
}

/// What the complainant marked to hide on the preview: ranges of the narrative (characters) and
/// words hidden wherever they appear.
#[derive(Debug, Clone, Default)]
pub struct Hide {
    pub ranges: Vec<(usize, usize)>,
    pub words: Vec<String>,
}

/// A submission's texts as staff and the enterprise will see them.
#[derive(Debug, Clone)]
pub struct MaskedCase {
    pub narrative: String,
    pub demand: String,
    pub privacy: xinqiao_store::cases::NarrativePrivacy,
    /// The narrative's spans, for the preview.
    pub marks: Vec<super::privacy::Mark>,
    /// The demand's spans (JSON, offsets and kinds), kept with its sealed original so that an
    /// officer can restore what the detector masked.
    pub demand_spans: String,
}

/// Masks a submission: the detector knowing the case's own enterprise, the submitter's own
/// contact details wherever they appear, and what they marked on the preview.
pub(crate) fn mask_case(detector: &xinqiao_domain::privacy::Detector, case: &NewCase, hide: &Hide) -> MaskedCase {
    use super::privacy::{detect, kept, mark_range, mark_text, masked_text};
    let contact = case.contact.as_ref();
    let mut marks = detect(detector, &case.narrative, &case.enterprise_name, contact);
    for &(s, e) in &hide.ranges {
        mark_range(&case.narrative, &mut marks, s, e);
    }
    for w in &hide.words {
        mark_text(&case.narrative, &mut marks, w);
    }
    let (narrative, privacy) = kept(&case.narrative, &marks);
    // The demand goes to the enterprise beside the narrative: the same detector, the same own
    // details, and the words the complainant hid wherever they appear in it too.
    let mut demand_marks = detect(detector, &case.demand, &case.enterprise_name, contact);
    for w in &hide.words {
        mark_text(&case.demand, &mut demand_marks, w);
    }
    let demand = masked_text(&case.demand, &demand_marks);
    let demand_spans = super::privacy::marks_json(&demand_marks);
    MaskedCase { narrative, demand, privacy, marks, demand_spans }
}

/// The preview of a submission (the page's 预览 and `POST /api/v1/cases/preview`): validated and
/// masked exactly as `submit` would store it, with the places the detector is unsure of.
pub struct Preview {
    pub case: NewCase,
    pub masked: MaskedCase,
    pub doubts: Vec<xinqiao_domain::privacy::Doubt>,
}

/// Validates and masks `form` as `submit` would, storing nothing.
pub async fn preview(state: &AppState, form: &IntakeForm, hide: &Hide) -> Result<Preview, AppError> {
    let case = form.validate(state.today()).map_err(AppError::Validation)?;
    let detector = state.detector().await;
    let masked = mask_case(&detector, &case, hide);
    let doubts = super::privacy::doubts(&detector, &case.narrative, &masked.marks);
    Ok(Preview { case, masked, doubts })
}

/// The last day of 先行和解 for a complaint about `uscc`, if that enterprise is in ODR (provisional
/// when it runs into a year without its holiday notice).
async fn settlement_window(state: &AppState, case: &NewCase, today: Date) -> Result<Option<Reckoned<Date>>, AppError> {
    let Some(uscc) = case.uscc.as_ref().filter(|_| case.kind == CaseKind::Complaint) else { return Ok(None) };
    if !state.store.is_odr(uscc.as_str()).await? {
        return Ok(None);
    }
    let days = super::odr::policy(state).await?.days;
    Ok(Some(state.calendar().add_working_days(today, days)))
}

/// Runs the whole pipeline for one submission by `actor`, with the files sent along.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    form: &IntakeForm,
    hide: &Hide,
    files: Vec<crate::extract::UploadedFile>,
) -> Result<Receipt, AppError> {
    submit_from(state, actor, form, hide, files, None).await
}

/// `submit`, for a request that came in through Open311 (its key and location are stored in
/// the same transaction as the case).
pub async fn submit_from(
    state: &AppState,
    actor: &Actor,
    form: &IntakeForm,
    hide: &Hide,
    files: Vec<crate::extract::UploadedFile>,
    open311: Option<xinqiao_store::open311::Origin>,
) -> Result<Receipt, AppError> {
    let now = state.now_ms();
    let today = Date::of_epoch_ms(now);
    let mut case = form.validate(today).map_err(AppError::Validation)?;
    // The industry of a known enterprise comes from the directory, not from the submitter.
    if case.industry.is_none()
        && let Some(uscc) = &case.uscc
        && let Some(known) = state.store.known_enterprise(uscc.as_str()).await?
    {
        case.industry = known.industry.and_then(|i| xinqiao_domain::ids::Industry::parse(&i).ok());
    }
    let attachments = super::files::prepare(state, files).await?;
    let settle_until = settlement_window(state, &case, today).await?;
    let masked = mask_case(&*state.detector().await, &case, hide);
    let suggested = state.suggest_categories(&masked.narrative).await;
    let rule_set = state.rules.in_force(today).ok();
    let access_key = new_access_key();
    let key_hash = access_key_hash(&access_key);
    let mut kinds = vec![case.kind];
    if case.also_report {
        kinds.push(CaseKind::Report);
    }
    let mut rows = Vec::new();
    let mut codes = Vec::new();
    for kind in kinds {
        let code = tracking_code(today);
        let identity = case.contact.as_ref().map(|c| SealedIdentity {
            sealed: state.secrets.seal(&identity_aad(code.as_str()), &serde_json::to_vec(c).expect("serialises")),
            mobile_index: c.mobile.as_deref().map(|m| state.secrets.blind_index("mobile", m)),
            id_index: c.id_number.as_deref().map(|i| state.secrets.blind_index("id", i)),
        });
        rows.push(NewCaseRow {
            kind,
            tracking_code: code.as_str().to_owned(),
            access_key_hash: key_hash.clone(),
            region_code: case.region.as_str().to_owned(),
            industry: case.industry.map(|i| i.code()),
            enterprise_name: case.enterprise_name.clone(),
            enterprise_uscc: case.uscc.as_ref().map(|u| u.as_str().to_owned()),
            narrative_masked: masked.narrative.clone(),
            narrative_sealed: state.secrets.seal(&narrative_aad(code.as_str()), case.narrative.as_bytes()),
            demand_masked: masked.demand.clone(),
            amount_cents: case.amount_cents,
            event_day: case.event_date.map(|d| d.0),
            consent_publish: case.consent_publish,
            received_day: today.0,
            rule_set: rule_set.map(|r| r.id.clone()),
            settle_until: settle_until.filter(|_| kind == CaseKind::Complaint).map(|d| d.value.0),
            category: suggested.nature.clone(),
            subject: suggested.subject.clone(),
            attachments: attachments.clone(),
            privacy: Some(masked.privacy.clone()),
            demand_privacy: Some(xinqiao_store::cases::DemandPrivacy {
                sealed: state.secrets.seal(&demand_aad(code.as_str()), case.demand.as_bytes()),
                spans: masked.demand_spans.clone(),
            }),
            identity,
        });
        codes.push((kind, code));
    }
    state.intake_queue().await.submit(Submission { actor: actor.clone(), cases: rows, open311 }).await?;
    let decision_key = match case.kind {
        CaseKind::Complaint if settle_until.is_some() => None,
        CaseKind::Complaint => Some("complaint.accept"),
        CaseKind::Report => Some("report.verify"),
        _ => None,
    };
    let decision_due = match (rule_set, decision_key) {
        (Some(set), Some(key)) => set.rule(key).and_then(|rule| match rule.due(&state.calendar(), today, &[], false) {
            Due::On(d) => Some((ShownDate::of(d), rule.verified)),
            Due::Paused => None,
        }),
        _ => None,
    };
    Ok(Receipt { cases: codes, access_key, decision_due, settle_until: settle_until.map(ShownDate::of) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_are_long_and_forgiving() {
        let k = new_access_key();
        let symbols: String = k.chars().filter(|c| *c != '-').collect();
        assert_eq!(symbols.len(), 32, "160 bits in 5-bit symbols");
        assert_ne!(k, new_access_key());
        assert_eq!(access_key_hash(&k), access_key_hash(&k.to_lowercase().replace('-', " ")));
    }
}
