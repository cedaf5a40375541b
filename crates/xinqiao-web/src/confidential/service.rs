//! 保密资料交换, the one service under the pages and the API: an officer opens an exchange naming
//! the officers of their bureau tree who may look; the enterprise (by its 统一社会信用代码) deposits
//! images, signing its commitment, sealed under the data key and kept under neutral names; a
//! named officer signs the 保密承诺 and only then views, each view recorded, audited and shown to
//! the enterprise, and served only as a watermarked rendering; on the destruction day access ends
//! and the supervised task empties the sealed bytes and writes the destruction record.

use crate::AppState;
use crate::error::AppError;
use crate::extract::UploadedFile;
use crate::scope::Scope;
use crate::tasks::{Task, TaskError};
use data_encoding::BASE64;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::attachments::{Dimensions, MAX_FILES, MediaType, sanitize, sniff};
use xinqiao_domain::confidential::{
    ENTERPRISE_COMMITMENT, ExchangeForm, OFFICER_COMMITMENT, accepted, watermark_text, watermarked_svg,
};
use xinqiao_domain::confidential_watermark::{burn, view_mark};
use xinqiao_domain::error::FieldError;
use xinqiao_domain::incidents::redaction::decode;
use xinqiao_domain::time::format_cst;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::confidential::{ConfidentialFile, ConfidentialView, Exchange, NewExchange};
use xinqiao_store::users::User;

/// What a sealed file is bound to: the exchange it was deposited in.
pub(crate) fn aad(exchange_id: &str) -> String {
    format!("confidential:{exchange_id}")
}

/// How the caller stands to an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The enterprise the material belongs to.
    Enterprise,
    /// A named officer, and whether they signed the 保密承诺.
    Named { signed: bool },
    /// The officer who opened it without being named: sees the record, never the files.
    Opener,
}

/// An exchange as one party sees it.
pub struct Detail {
    pub exchange: Exchange,
    pub party: Party,
    pub files: Vec<ConfidentialFile>,
    pub views: Vec<ConfidentialView>,
    /// Access has ended (the destruction day came) or the files are destroyed.
    pub closed: bool,
}

async fn denied(state: &AppState, actor: &Actor, target: &str, why: &str) -> Result<(), AppError> {
    let event = Event::new("access.denied", target, Outcome::Denied).detail(serde_json::json!({"reason": why}));
    state.store.audit(actor, event).await?;
    Ok(())
}

/// Opens an exchange (客户体验官, 主管); the named officers must handle cases in the opener's
/// bureau tree. Returns its id.
pub async fn open(
    state: &AppState,
    user: &User,
    actor: &Actor,
    matter: &str,
    uscc: &str,
    destroy_day: &str,
    officers: &[String],
) -> Result<String, AppError> {
    if !allows(&user.roles, Permission::HandleCases) {
        denied(state, actor, "confidential", "not_staff").await?;
        return Err(AppError::forbidden());
    }
    let org_id =
        user.org_id.clone().ok_or_else(|| AppError::Forbidden("账户未归属机构，不能开启保密资料交换".into()))?;
    let form = ExchangeForm::parse(matter, uscc, destroy_day, officers, state.today()).map_err(AppError::Validation)?;
    let scope = Scope::of_org(state, Some(org_id.as_str())).await?;
    let mut ids = Vec::new();
    for name in &form.officers {
        let named = match state.store.user_by_name(name).await {
            Ok(u) => Some(u),
            Err(xinqiao_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        match named {
            Some(u)
                if !u.disabled
                    && allows(&u.roles, Permission::HandleCases)
                    && u.org_id.as_deref().is_some_and(|o| scope.has_org(o)) =>
            {
                ids.push(u.id)
            }
            _ => {
                return Err(AppError::Validation(vec![FieldError::new(
                    "officers",
                    "officer_not_in_bureau",
                    format!("“{}”不是本机构及下级机构的在岗工作人员账户", name.chars().take(40).collect::<String>()),
                )]));
            }
        }
    }
    let x = NewExchange {
        org_id,
        enterprise_uscc: form.enterprise_uscc.as_str().to_owned(),
        matter: form.matter,
        destroy_day: form.destroy_day,
        officers: ids,
    };
    Ok(state.store.open_confidential(actor, &user.id, &x).await?)
}

/// The exchanges the caller is party to, newest first.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<Exchange>, AppError> {
    let uscc = if allows(&user.roles, Permission::EnterprisePortal) { user.uscc.as_deref() } else { None };
    let mut out = Vec::new();
    for id in state.store.confidential_ids(uscc, &user.id).await? {
        let x = state.store.confidential(&id).await?;
        if party_of(state, user, &x).await?.is_some() {
            out.push(x);
        }
    }
    Ok(out)
}

/// How `user` stands to `x`, or `None` (no standing at all). Staff must still have the
/// exchange's bureau in their tree.
async fn party_of(state: &AppState, user: &User, x: &Exchange) -> Result<Option<Party>, AppError> {
    if allows(&user.roles, Permission::EnterprisePortal) && user.uscc.as_deref() == Some(x.enterprise_uscc.as_str()) {
        return Ok(Some(Party::Enterprise));
    }
    if !allows(&user.roles, Permission::HandleCases) {
        return Ok(None);
    }
    let scope = Scope::of_org(state, user.org_id.as_deref()).await?;
    if !scope.has_org(&x.org_id) {
        return Ok(None);
    }
    if let Some(o) = x.officers.iter().find(|o| o.user_id == user.id) {
        return Ok(Some(Party::Named { signed: o.signed_at.is_some() }));
    }
    Ok((x.opened_by == user.id).then_some(Party::Opener))
}

/// The exchange and the caller's standing; a caller without one is refused (audited) as if it
/// did not exist.
async fn access(state: &AppState, user: &User, actor: &Actor, id: &str) -> Result<(Exchange, Party), AppError> {
    let x = state.store.confidential(id).await.map_err(|e| match e {
        xinqiao_store::StoreError::NotFound => AppError::NotFound,
        e => e.into(),
    })?;
    match party_of(state, user, &x).await? {
        Some(p) => Ok((x, p)),
        None => {
            denied(state, actor, &format!("confidential:{id}"), "not_party").await?;
            Err(AppError::NotFound)
        }
    }
}

fn closed(state: &AppState, x: &Exchange) -> bool {
    x.destroyed_at.is_some() || state.today() >= x.destroy_day
}

/// One exchange for its parties: the files' records and every view.
pub async fn detail(state: &AppState, user: &User, actor: &Actor, id: &str) -> Result<Detail, AppError> {
    let (exchange, party) = access(state, user, actor, id).await?;
    let files = state.store.confidential_files(id).await?;
    let views = state.store.confidential_views(id).await?;
    Ok(Detail { closed: closed(state, &exchange), exchange, party, files, views })
}

/// A named officer signs the 保密承诺 (once).
/// A named officer signs the 保密承诺, having ticked that they read and agree to it (over the API
/// the call to the commitment itself is the agreement).
pub async fn sign(state: &AppState, user: &User, actor: &Actor, id: &str, agreed: bool) -> Result<(), AppError> {
    if !agreed {
        return Err(AppError::field("agree", "commitment_unsigned", "请阅读并勾选保密承诺后再签署"));
    }
    let (x, party) = access(state, user, actor, id).await?;
    match party {
        Party::Named { signed: false } if !closed(state, &x) => {
            state.store.sign_confidential(actor, id, &user.id, OFFICER_COMMITMENT).await?;
            Ok(())
        }
        Party::Named { signed: true } => Err(AppError::Conflict("您已签署本事项的保密承诺".into())),
        Party::Named { .. } => Err(AppError::Conflict("查阅期限已过，资料已到销毁日期".into())),
        _ => {
            denied(state, actor, &format!("confidential:{id}"), "not_named").await?;
            Err(AppError::Forbidden("只有本事项指定的查阅人才能签署保密承诺".into()))
        }
    }
}

/// The enterprise deposits images, signing its commitment; returns the files' numbers.
pub async fn deposit(
    state: &AppState,
    user: &User,
    actor: &Actor,
    id: &str,
    commitment_signed: bool,
    files: Vec<UploadedFile>,
) -> Result<Vec<i64>, AppError> {
    let (x, party) = access(state, user, actor, id).await?;
    if party != Party::Enterprise {
        denied(state, actor, &format!("confidential:{id}"), "not_enterprise").await?;
        return Err(AppError::Forbidden("只有本事项的企业才能提交资料".into()));
    }
    if closed(state, &x) {
        return Err(AppError::Conflict("本事项已到销毁日期，不能再提交资料".into()));
    }
    let mut errors = Vec::new();
    if !commitment_signed {
        errors.push(FieldError::new("commitment", "commitment_unsigned", "请阅读并勾选企业承诺后再提交"));
    }
    if files.is_empty() || files.len() > MAX_FILES {
        errors.push(FieldError::new("files", "bad_file_count", format!("请选择1至{MAX_FILES}个图片文件")));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let secrets = state.secrets.clone();
    let bound = aad(id);
    let sealed = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let n = i + 1;
                if let Some(media) = sniff(&f.bytes) {
                    accepted(media)
                        .map_err(|e| AppError::field("files", e.code, format!("第{n}个文件：{}", e.message)))?;
                }
                let cleaned =
                    sanitize(&f.bytes).map_err(|e| AppError::field("files", e.code(), format!("第{n}个文件：{e}")))?;
                accepted(cleaned.media)
                    .map_err(|e| AppError::field("files", e.code, format!("第{n}个文件：{}", e.message)))?;
                // Decoded once here so that every view can burn its mark in (a picture that decodes has a size).
                if let Err(e) = decode(&cleaned.bytes) {
                    return Err(AppError::field("files", e.code(), format!("第{n}个文件：{e}")));
                }
                let size = cleaned.bytes.len() as i64;
                Ok((cleaned.media.as_str().to_owned(), size, secrets.seal_bytes(&bound, &cleaned.bytes)))
            })
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|_| AppError::Internal("confidential worker failed".into()))??;
    state
        .store
        .deposit_confidential(actor, id, &user.id, ENTERPRISE_COMMITMENT, &sealed)
        .await?
        .ok_or_else(|| AppError::Conflict("本事项的资料已销毁，不能再提交".into()))
}

/// A named officer who signed views file `seq`: the view is recorded and audited, and the
/// image comes back only inside the watermarked SVG rendering (name, account, time).
pub async fn view(state: &AppState, user: &User, actor: &Actor, id: &str, seq: i64) -> Result<String, AppError> {
    let (x, party) = access(state, user, actor, id).await?;
    let target = format!("confidential:{id}");
    match party {
        Party::Named { signed: true } => {}
        Party::Named { signed: false } => {
            denied(state, actor, &target, "unsigned").await?;
            return Err(AppError::Forbidden("请先签署保密承诺，再查阅本事项的资料".into()));
        }
        _ => {
            denied(state, actor, &target, "not_named").await?;
            return Err(AppError::Forbidden("只有本事项指定并已签署保密承诺的工作人员才能查阅资料".into()));
        }
    }
    if closed(state, &x) {
        return Err(AppError::Conflict("查阅期限已过，资料已到销毁日期".into()));
    }
    let Some((_, media, sealed)) =
        state.store.view_confidential(actor, id, seq, &user.id).await.map_err(|e| match e {
            xinqiao_store::StoreError::NotFound => AppError::NotFound,
            e => e.into(),
        })?
    else {
        return Err(AppError::Conflict("资料已销毁".into()));
    };
    let media = MediaType::parse(&media).ok_or_else(|| AppError::Internal("unknown stored media".into()))?;
    let bytes = state
        .secrets
        .open_bytes(&aad(id), &sealed)
        .ok_or_else(|| AppError::Internal("sealed file unreadable".into()))?;
    let at = format_cst(state.now_ms());
    // The account and time go into the pixels themselves; the SVG adds the name in Han script.
    let mark = view_mark(&user.username, &at, seq);
    let (png, width, height) = tokio::task::spawn_blocking(move || burn(&bytes, &mark))
        .await
        .map_err(|_| AppError::Internal("watermark worker failed".into()))?
        .map_err(|e| AppError::Internal(format!("stored {} not burnable: {}", media.as_str(), e.code())))?;
    let text = watermark_text(&user.display_name, &user.username, &at);
    Ok(watermarked_svg(MediaType::Png, Dimensions { width, height }, &BASE64.encode(&png), &text))
}

/// Destroys the files of the exchanges whose day came; returns how many exchanges.
pub async fn destroy_due(state: &AppState) -> Result<usize, AppError> {
    Ok(state.store.destroy_due_confidential(&Actor::system(), state.today()).await?)
}

/// The supervised task that destroys due files (hourly; the day comes from the app's clock).
pub fn destruction_task() -> Task {
    Task::every("confidential-destruction", std::time::Duration::from_secs(3600), |state: AppState| async move {
        match destroy_due(&state).await {
            Ok(0) => Ok(()),
            Ok(n) => {
                tracing::info!(exchanges = n, "confidential files destroyed");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not destroy due confidential files");
                Err(TaskError("保密资料到期销毁未能完成"))
            }
        }
    })
}
