//! 保密资料交换, the one service under the pages and the API: an officer opens an exchange naming
//! the officers of their bureau tree who may look; the enterprise (by its 统一社会信用代码) deposits
//! images or PDFs, signing its commitment, sealed under the data key and kept under neutral names;
//! a named officer signs the 保密承诺 and only then views, each view (of an image, or of one page
//! of a PDF) recorded, audited and shown to the enterprise, and served only as a watermarked
//! rendering, never the bytes deposited; on the destruction day access ends and the supervised
//! task empties the sealed bytes and writes the destruction record. PDFs are drawn off the async
//! threads, a few at a time, under a time budget.

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
use xinqiao_domain::confidential_pdf::{self, PdfError};
use xinqiao_domain::confidential_watermark::{burn, view_mark};
use xinqiao_domain::error::FieldError;
use xinqiao_domain::incidents::redaction::decode;
use xinqiao_domain::time::format_cst;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::confidential::{ConfidentialFile, ConfidentialView, Exchange, NewExchange, SealedFile};
use xinqiao_store::users::User;

/// At most this many PDF renderings run at once on a node: a hostile PDF keeps at most these
/// blocking threads busy, and each holds its slot until its rendering really ends.
static PDF_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// How long one page may take at a view, and a whole PDF (every page drawn once) at deposit.
pub const PAGE_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);
pub const DEPOSIT_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

/// Why PDF work did not answer.
enum PdfFailure {
    Pdf(PdfError),
    /// Every slot stayed taken for the whole budget.
    Busy,
}

/// Runs `work` on a blocking thread under one of [`PDF_SLOTS`] within `budget` (waiting for the
/// slot included). A rendering past its budget is answered "too complex" at once; its thread
/// runs on holding its slot, so overruns cannot pile up. A panic is a malformed PDF.
async fn pdf_work<T: Send + 'static>(
    budget: std::time::Duration,
    work: impl FnOnce() -> Result<T, PdfError> + Send + 'static,
) -> Result<T, PdfFailure> {
    let deadline = tokio::time::Instant::now() + budget;
    let slot = match tokio::time::timeout_at(deadline, PDF_SLOTS.acquire()).await {
        Ok(Ok(slot)) => slot,
        _ => return Err(PdfFailure::Busy),
    };
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    });
    match tokio::time::timeout_at(deadline, task).await {
        Err(_) => Err(PdfFailure::Pdf(PdfError::TooSlow)),
        Ok(Err(_)) => Err(PdfFailure::Pdf(PdfError::Malformed)),
        Ok(Ok(r)) => r.map_err(PdfFailure::Pdf),
    }
}

fn busy() -> AppError {
    AppError::TooManyRequests { message: "正在显示的 PDF 较多，请稍后再试".into(), retry_after: 5 }
}

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
        errors.push(FieldError::new("files", "bad_file_count", format!("请选择1至{MAX_FILES}个图片或 PDF 文件")));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let cleaned = tokio::task::spawn_blocking(move || {
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
                if cleaned.media != MediaType::Pdf
                    && let Err(e) = decode(&cleaned.bytes)
                {
                    return Err(AppError::field("files", e.code(), format!("第{n}个文件：{e}")));
                }
                Ok((cleaned.media, cleaned.bytes))
            })
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|_| AppError::Internal("confidential worker failed".into()))??;
    // A PDF is drawn once, every page, so that what is taken can be shown within the budget.
    let mut pages = Vec::with_capacity(cleaned.len());
    for (i, (media, bytes)) in cleaned.iter().enumerate() {
        if *media != MediaType::Pdf {
            pages.push(None);
            continue;
        }
        let bytes = bytes.clone();
        let drawn = pdf_work(DEPOSIT_BUDGET, move || {
            let n = confidential_pdf::page_count(&bytes)?;
            for page in 1..=n {
                confidential_pdf::render_page(&bytes, page)?;
            }
            Ok(n)
        })
        .await;
        match drawn {
            Ok(n) => pages.push(Some(n as i64)),
            Err(PdfFailure::Busy) => return Err(busy()),
            Err(PdfFailure::Pdf(e)) => {
                return Err(AppError::field("files", e.code(), format!("第{}个文件：{e}", i + 1)));
            }
        }
    }
    let secrets = state.secrets.clone();
    let bound = aad(id);
    let sealed = tokio::task::spawn_blocking(move || {
        cleaned
            .into_iter()
            .zip(pages)
            .map(|((media, bytes), pages)| SealedFile {
                media: media.as_str().to_owned(),
                size: bytes.len() as i64,
                sealed: secrets.seal_bytes(&bound, &bytes),
                pages,
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|_| AppError::Internal("confidential worker failed".into()))?;
    state
        .store
        .deposit_confidential(actor, id, &user.id, ENTERPRISE_COMMITMENT, &sealed)
        .await?
        .ok_or_else(|| AppError::Conflict("本事项的资料已销毁，不能再提交".into()))
}

/// A named officer who signed views image `seq` (`page` `None`) or page `page` of PDF `seq`: the
/// view is recorded and audited, and the picture comes back only inside the watermarked SVG
/// rendering (name, account, time; the account and time burned into the pixels).
pub async fn view(
    state: &AppState,
    user: &User,
    actor: &Actor,
    id: &str,
    seq: i64,
    page: Option<i64>,
) -> Result<String, AppError> {
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
    let file =
        state.store.confidential_files(id).await?.into_iter().find(|f| f.seq == seq).ok_or(AppError::NotFound)?;
    let media = MediaType::parse(&file.media).ok_or_else(|| AppError::Internal("unknown stored media".into()))?;
    match (media, page, file.pages) {
        (MediaType::Pdf, None, _) => {
            return Err(AppError::Refused {
                status: 409, code: "pdf_by_page", message: "PDF 资料请按页查阅".into()
            });
        }
        (MediaType::Pdf, Some(p), Some(n)) if (1..=n).contains(&p) => {}
        (_, None, _) => {}
        _ => return Err(AppError::NotFound),
    }
    let Some((_, _, sealed)) =
        state.store.view_confidential(actor, id, seq, page, &user.id).await.map_err(|e| match e {
            xinqiao_store::StoreError::NotFound => AppError::NotFound,
            e => e.into(),
        })?
    else {
        return Err(AppError::Conflict("资料已销毁".into()));
    };
    let bytes = state
        .secrets
        .open_bytes(&aad(id), &sealed)
        .ok_or_else(|| AppError::Internal("sealed file unreadable".into()))?;
    let at = format_cst(state.now_ms());
    // The account and time go into the pixels themselves; the SVG adds the name in Han script.
    let mark = view_mark(&user.username, &at, seq);
    let (png, width, height) = match page {
        Some(p) => {
            let mark = format!("{mark} P{p}");
            match pdf_work(PAGE_BUDGET, move || confidential_pdf::burned_page(&bytes, p as usize, &mark)).await {
                Ok(done) => done,
                Err(PdfFailure::Busy) => return Err(busy()),
                Err(PdfFailure::Pdf(e)) => {
                    return Err(AppError::Refused { status: 409, code: e.code(), message: e.to_string() });
                }
            }
        }
        None => tokio::task::spawn_blocking(move || burn(&bytes, &mark))
            .await
            .map_err(|_| AppError::Internal("watermark worker failed".into()))?
            .map_err(|e| AppError::Internal(format!("stored {} not burnable: {}", media.as_str(), e.code())))?,
    };
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
