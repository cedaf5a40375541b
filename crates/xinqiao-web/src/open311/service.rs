//! Open311, the one service under the wire handlers, the keys page and the CLI: keys issued and
//! revoked by an administrator (a `KeyAdmin`, obtainable only with the permission), requests
//! taken by the case intake of the public form (masking, sealing, audit, durable commit before
//! the answer) for the bureau of the key, and the consented cases of a bureau tree listed with
//! their masked text only. Errors are typed; the handlers turn them into the spec's error list.

use crate::AppState;
use crate::caller::Caller as StaffCaller;
use crate::error::AppError;
use crate::scope::Scope;
use axum::http::StatusCode;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::{Status, TrackingCode};
use xinqiao_domain::open311::{Filter, PublicStatus, QueryError, RequestRefusal, ValidRequest};
use xinqiao_store::audit::Actor;
use xinqiao_store::open311::{ApiKey, KeyError, Origin, PublicRequest, RequestFilter, StoredLocation};
use xinqiao_store::orgs::Org;
use xinqiao_store::{Store, random_bytes, sha256_hex};

/// Someone allowed to issue and revoke keys: a 系统管理员 signed in, or the console.
#[derive(Debug, Clone)]
pub struct KeyAdmin(Actor);

impl KeyAdmin {
    /// The caller (signed in, or holding a bearer token), if their roles allow it (a refusal is
    /// audited and answered 403).
    pub async fn authorise(state: &AppState, caller: &StaffCaller<'_>) -> Result<Self, AppError> {
        caller.require(state, Permission::ManageSettings, "open311.keys").await?;
        Ok(KeyAdmin(caller.actor()))
    }

    /// The operator at the server's console.
    pub fn console() -> Self {
        KeyAdmin(Actor::console())
    }
}

/// A key just issued: the key itself is shown this once and never stored.
#[derive(Debug, Clone)]
pub struct Issued {
    pub key: ApiKey,
    pub secret: String,
}

/// A key with its bureau's name, for the list.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub key: ApiKey,
    pub bureau: String,
}

const KEY_PREFIX: &str = "o311_";

fn key_hash(secret: &str) -> String {
    sha256_hex(secret.trim().as_bytes())
}

fn key_error(e: KeyError) -> AppError {
    match e {
        KeyError::NoSuchBureau => AppError::field("org_id", "unknown", "所选机构不存在"),
        KeyError::NotFound => AppError::NotFound,
        KeyError::AlreadyRevoked => AppError::Conflict("该密钥已于此前撤销".into()),
        KeyError::Store(e) => e.into(),
    }
}

/// Issues a key for the bureau `org_id`, labelled `label` (who uses it).
pub async fn issue_key(store: &Store, by: &KeyAdmin, org_id: &str, label: &str) -> Result<Issued, AppError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        return Err(AppError::field("label", "invalid", "请填写使用方（1至60个字），如“随手拍小程序”"));
    }
    let secret = format!("{KEY_PREFIX}{}", data_encoding::BASE32_NOPAD.encode(&random_bytes::<20>()).to_lowercase());
    let prefix: String = secret.chars().take(KEY_PREFIX.len() + 4).collect();
    let key = store.issue_open311_key(&by.0, org_id, label, &key_hash(&secret), &prefix).await.map_err(key_error)?;
    Ok(Issued { key, secret })
}

pub async fn revoke_key(store: &Store, by: &KeyAdmin, id: &str) -> Result<ApiKey, AppError> {
    store.revoke_open311_key(&by.0, id).await.map_err(key_error)
}

/// Every key issued, with its bureau's name.
pub async fn keys(store: &Store, _by: &KeyAdmin) -> Result<Vec<KeyRow>, AppError> {
    let orgs = store.list_orgs().await?;
    let keys = store.open311_keys().await?;
    Ok(keys
        .into_iter()
        .map(|key| {
            let bureau = orgs.iter().find(|o| o.id == key.org_id).map_or_else(String::new, |o| o.name.clone());
            KeyRow { key, bureau }
        })
        .collect())
}

/// Why an Open311 call is refused, with its HTTP status and the description the error list carries.
#[derive(Debug, thiserror::Error)]
pub enum Open311Error {
    #[error(transparent)]
    Request(#[from] RequestRefusal),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("没有提供 jurisdiction_id（或 api_key）")]
    NoJurisdiction,
    #[error("jurisdiction_id 不存在")]
    UnknownJurisdiction,
    #[error("service_request_id 不存在（或该诉求未同意公开）")]
    NoSuchRequest,
    #[error("service_code 不存在")]
    NoSuchService,
    #[error("{}", .0)]
    App(AppError),
}

impl From<AppError> for Open311Error {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(fields) => Open311Error::Request(RequestRefusal::Invalid(fields)),
            other => Open311Error::App(other),
        }
    }
}

impl From<xinqiao_store::StoreError> for Open311Error {
    fn from(e: xinqiao_store::StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl Open311Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Open311Error::Request(r) => StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST),
            Open311Error::Query(QueryError::UnknownService(_)) => StatusCode::NOT_FOUND,
            Open311Error::Query(_) | Open311Error::NoJurisdiction => StatusCode::BAD_REQUEST,
            Open311Error::UnknownJurisdiction | Open311Error::NoSuchRequest | Open311Error::NoSuchService => {
                StatusCode::NOT_FOUND
            }
            Open311Error::App(e) => e.status(),
        }
    }
}

/// Whoever calls, resolved to a bureau: by the api_key (which must be valid when given) or,
/// for reading only, by `jurisdiction_id` (the bureau's region code).
#[derive(Debug, Clone)]
pub struct Caller {
    pub org: Org,
    pub scope: Scope,
    pub key: Option<ApiKey>,
}

/// The caller of a write: a valid key is required; a jurisdiction_id, if given, must be its bureau's.
pub async fn writer(state: &AppState, api_key: &str, jurisdiction_id: &str) -> Result<Caller, Open311Error> {
    let caller = by_key(state, api_key).await?.ok_or(RequestRefusal::BadApiKey)?;
    let j = jurisdiction_id.trim();
    if !j.is_empty() && j != caller.org.region_code {
        return Err(RequestRefusal::WrongJurisdiction.into());
    }
    Ok(caller)
}

/// The caller of a read: the key's bureau when a key is given, else the bureau of `jurisdiction_id`.
pub async fn reader(state: &AppState, api_key: &str, jurisdiction_id: &str) -> Result<Caller, Open311Error> {
    if !api_key.trim().is_empty() {
        return writer(state, api_key, jurisdiction_id).await;
    }
    let j = jurisdiction_id.trim();
    if j.is_empty() {
        return Err(Open311Error::NoJurisdiction);
    }
    let orgs = state.store.list_orgs().await?;
    let org = orgs.iter().find(|o| o.region_code == j).cloned().ok_or(Open311Error::UnknownJurisdiction)?;
    Ok(Caller { scope: Scope::below(&orgs, &org.id), org, key: None })
}

async fn by_key(state: &AppState, api_key: &str) -> Result<Option<Caller>, Open311Error> {
    let secret = api_key.trim();
    if !secret.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let Some(key) = state.store.active_open311_key(&key_hash(secret)).await? else { return Ok(None) };
    let orgs = state.store.list_orgs().await?;
    let org =
        orgs.iter().find(|o| o.id == key.org_id).cloned().ok_or(AppError::Internal("key without bureau".into()))?;
    Ok(Some(Caller { scope: Scope::below(&orgs, &org.id), org, key: Some(key) }))
}

/// What the POST answers.
#[derive(Debug, Clone)]
pub struct Created {
    pub service_request_id: String,
    pub service_notice: String,
}

/// Takes a validated request from `caller` (with a key) through the case intake.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    client_addr: &str,
    request: ValidRequest,
) -> Result<Created, Open311Error> {
    let key = caller.key.as_ref().ok_or(RequestRefusal::BadApiKey)?;
    let detector = state.detector().await;
    let origin =
        Origin { key_id: key.id.clone(), location: StoredLocation::of(&request.location, |a| detector.mask(a)) };
    let actor = Actor {
        id: format!("open311:{}", key.id),
        name: format!("Open311 {}", key.prefix),
        roles: vec![],
        client_addr: client_addr.to_owned(),
    };
    let receipt = crate::cases::intake::submit_from(
        state,
        &actor,
        &request.intake,
        &Default::default(),
        Vec::new(),
        Some(origin),
    )
    .await?;
    let (_, code) = receipt.cases.first().ok_or(AppError::Internal("intake gave no case".into()))?;
    let notice = match &receipt.decision_due {
        Some((day, _)) => format!("已收到。市场监管部门将于 {day} 前作出是否受理（核查）的决定。"),
        None => "已收到，将依法办理。".to_owned(),
    };
    Ok(Created { service_request_id: code.to_string(), service_notice: notice })
}

/// The consented requests of the caller's bureau tree that `filter` selects.
pub async fn list(state: &AppState, caller: &Caller, filter: &Filter) -> Result<Vec<PublicRequest>, Open311Error> {
    let filter = match filter {
        Filter::Ids(ids) => RequestFilter::Codes(ids.iter().filter_map(|i| TrackingCode::parse(i).ok()).collect()),
        Filter::Window { kinds, from_ms, to_ms, statuses } => RequestFilter::Window {
            kinds: if kinds.is_empty() { xinqiao_domain::open311::OFFERED.to_vec() } else { kinds.clone() },
            statuses: Status::ALL
                .into_iter()
                .filter(|s| statuses.is_empty() || statuses.contains(&PublicStatus::of(*s)))
                .collect(),
            from_ms: *from_ms,
            to_ms: *to_ms,
            limit: xinqiao_domain::open311::query::MAX_REQUESTS,
        },
    };
    let found = state.store.open311_requests(&caller.scope.org_ids, &filter).await?;
    let review = crate::masking_review::review_required(state).await?;
    let detector = state.detector().await;
    Ok(found.into_iter().filter(offered).map(|r| public_description(&detector, review, r)).collect())
}

/// What a request's description says while its masking waits for the officer's review.
pub const DESCRIPTION_PENDING: &str = "（描述待工作人员完成脱敏审核后公开）";

/// A request's description leaves as public text: every masked span dropped whole ([已隐去]),
/// never shown in part (欧***, 139****5678), and the detector looks at it once more. Where the
/// bureau requires the officer's masking review (`review`), nothing unconfirmed leaves.
fn public_description(
    detector: &xinqiao_domain::privacy::Detector,
    review: bool,
    mut r: PublicRequest,
) -> PublicRequest {
    r.narrative_masked = if review && !r.masking_confirmed {
        DESCRIPTION_PENDING.to_owned()
    } else {
        crate::text::public_of(detector, &r.narrative_masked)
    };
    r
}

/// Only the kinds offered as services are shown (a consented 企业诉求 is not an Open311 request).
fn offered(r: &PublicRequest) -> bool {
    xinqiao_domain::open311::OFFERED.contains(&r.kind)
}

/// One consented request of the caller's bureau tree.
pub async fn one(state: &AppState, caller: &Caller, id: &str) -> Result<PublicRequest, Open311Error> {
    let code = TrackingCode::parse(id).map_err(|_| Open311Error::NoSuchRequest)?;
    let found = state.store.open311_requests(&caller.scope.org_ids, &RequestFilter::Codes(vec![code])).await?;
    let review = crate::masking_review::review_required(state).await?;
    let detector = state.detector().await;
    found.into_iter().find(offered).map(|r| public_description(&detector, review, r)).ok_or(Open311Error::NoSuchRequest)
}
