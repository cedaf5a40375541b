//! Files sent with a case: checked and cleaned in the domain (type sniffed from the bytes,
//! metadata stripped from images), sealed under the data key, and given back to staff only as a
//! verified image or PDF, never as anything a browser would run. The original file name
//! (欧阳建国_身份证….jpg) is sealed with the file: pages show a masked name and every download
//! goes out under a neutral one (附件-3.jpg). An image is shown in the browser
//! only while its header gives a size a browser can hold ([`shown_inline`]); a larger one (a
//! 30000×30000 PNG would take 3.6 GB decoded) or one whose size cannot be read is a download.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::UploadedFile;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::cases::attachments::{MediaType, check_count, download_name, sanitize, shown_inline};
use xinqiao_store::cases::{Attachment, NewAttachment};

pub fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/files/{file}", get(download))
}

/// Checks, cleans and seals uploaded files; the first bad one is a 422 naming it.
pub async fn prepare(state: &AppState, files: Vec<UploadedFile>) -> Result<Vec<NewAttachment>, AppError> {
    check_count(files.len()).map_err(|e| AppError::field("attachments", e.code(), e.to_string()))?;
    let secrets = state.secrets.clone();
    let detector = if files.is_empty() { None } else { Some(state.detector().await) };
    tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|f| {
                let cleaned = sanitize(&f.bytes).map_err(|e| {
                    let shown: String = f.name.chars().filter(|c| !c.is_control()).take(40).collect();
                    AppError::field("attachments", e.code(), format!("附件“{shown}”：{e}"))
                })?;
                let original = download_name(&f.name, cleaned.media);
                let masked = masked_name(detector.as_deref().expect("built when there are files"), &original);
                Ok(NewAttachment {
                    sealed: secrets.seal_bytes(&blob_aad(&cleaned.sha256_hex), &cleaned.bytes),
                    name_sealed: secrets.seal(&name_aad(&cleaned.sha256_hex), original.as_bytes()),
                    sha256: cleaned.sha256_hex,
                    media: cleaned.media.as_str().to_owned(),
                    size: cleaned.bytes.len() as i64,
                    name: masked,
                })
            })
            .collect()
    })
    .await
    .map_err(|_| AppError::Internal("attachment worker failed".into()))?
}

pub(crate) fn blob_aad(sha256: &str) -> String {
    format!("blob:{sha256}")
}

/// What a sealed original file name is bound to (the file it came with).
pub(crate) fn name_aad(sha256: &str) -> String {
    format!("attachment-name:{sha256}")
}

/// Words a file name may show (what the file is, never whose): everything else in Chinese is
/// hidden, since a name like 欧阳建国_身份证 has no sentence around it to tell a name by.
const FILE_WORDS: &[&str] = &[
    "营业执照",
    "聊天记录",
    "说明书",
    "价目表",
    "会员卡",
    "身份证",
    "维修单",
    "银行卡",
    "购物",
    "身份",
    "证件",
    "正面",
    "反面",
    "合同",
    "协议",
    "发票",
    "收据",
    "小票",
    "票据",
    "截图",
    "截屏",
    "聊天",
    "记录",
    "照片",
    "图片",
    "订单",
    "付款",
    "转账",
    "凭证",
    "病历",
    "证明",
    "维修",
    "报告",
    "检测",
    "包装",
    "产品",
    "商品",
    "实物",
    "视频",
    "录音",
    "快递",
    "物流",
    "退款",
    "申请",
    "投诉",
    "材料",
    "附件",
    "银行",
    "流水",
    "执照",
    "宣传",
    "广告",
    "页面",
    "详情",
    "扫描",
    "复印",
    "件",
    "的",
    "和",
    "与",
    "及",
    "第",
    "份",
    "页",
    "图",
    "表",
    "单",
    "卡",
    "照",
    "证",
];

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A file name as staff see it: personal data masked by the detector, then every Chinese
/// character that is not part of a word saying what the file is hidden, and any run of five or
/// more digits left over hidden whole (a number cut short is still a number).
pub fn masked_name(detector: &xinqiao_domain::privacy::Detector, name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && e.len() <= 10 && e.bytes().all(|b| b.is_ascii_alphanumeric()) => (s, Some(e)),
        _ => (name, None),
    };
    // Separators read as spaces (one for one, so offsets hold) for the detector's sake.
    let readable: String =
        stem.chars().map(|c| if matches!(c, '_' | '-' | '+' | '(' | ')') { ' ' } else { c }).collect();
    let chars: Vec<char> = stem.chars().collect();
    let spans: Vec<xinqiao_domain::privacy::Span> = detector
        .detect(&readable)
        .into_iter()
        .map(|s| xinqiao_domain::privacy::Span { text: chars[s.start..s.end].iter().collect(), ..s })
        .collect();
    let masked: Vec<char> = xinqiao_domain::privacy::mask_spans(stem, &spans).chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < masked.len() {
        let c = masked[i];
        if is_han(c) {
            let word = FILE_WORDS
                .iter()
                .filter(|w| w.chars().zip(&masked[i..]).filter(|(a, b)| a == *b).count() == w.chars().count())
                .map(|w| w.chars().count())
                .max();
            match word {
                Some(n) => {
                    out.extend(&masked[i..i + n]);
                    i += n;
                }
                None => {
                    out.push('*');
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            let run = masked[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if run >= 5 {
                out.push_str(&"*".repeat(run));
            } else {
                out.extend(&masked[i..i + run]);
            }
            i += run;
        } else {
            out.push(c);
            i += 1;
        }
    }
    match ext {
        Some(e) => format!("{out}.{e}"),
        None => out,
    }
}

/// Seals the file names kept in clear from before names were sealed (each replaced by its masked
/// form), page by page, then has the database drop the old copies from its files. Returns how
/// many were sealed. Run at start; safe to run again.
pub async fn seal_old_names(state: &AppState, actor: &xinqiao_store::audit::Actor) -> Result<u64, AppError> {
    let mut done = 0;
    let mut after = String::new();
    loop {
        let page = state.store.unsealed_attachment_names(&after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.0.clone();
        let detector = state.detector().await;
        let sealed: Vec<(String, String, String)> = page
            .into_iter()
            .map(|(id, sha, name)| {
                let masked = masked_name(&detector, &name);
                (id, masked, state.secrets.seal(&name_aad(&sha), name.as_bytes()))
            })
            .collect();
        done += state.store.seal_attachment_names(actor, &sealed).await?;
    }
    if done > 0 {
        state.store.scrub_replaced().await?;
    }
    Ok(done)
}

/// The neutral name every download goes out under: 附件-3.jpg for the case's third file.
pub fn neutral_name(position: usize, media: MediaType) -> String {
    format!("附件-{position}.{}", media.extension())
}

/// A file as listed on a page.
pub struct FileView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub source: &'static str,
}

impl FileView {
    pub fn of(a: &Attachment) -> Self {
        let kind = MediaType::parse(&a.media).map_or("文件", |m| m.label());
        let size = if a.size >= 1024 * 1024 {
            format!("{:.1} MB", a.size as f64 / 1024.0 / 1024.0)
        } else {
            format!("{} KB", (a.size + 1023) / 1024)
        };
        let source = a.source.label();
        Self { id: a.id.clone(), name: a.name.clone(), kind, size, source }
    }
}

/// A case's file for the staff who handle it: the read is audited; images of a displayable size
/// are shown, a PDF or a huge image is downloaded; either way under its sniffed type, with
/// `nosniff` and a sandbox.
async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(String, String)>,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    let (a, sealed) = state.store.read_attachment(&staff.actor(), &case.id, &file).await?;
    let position = state.store.attachments(&case.id).await?.iter().position(|f| f.id == a.id).map_or(1, |p| p + 1);
    let media = MediaType::parse(&a.media).ok_or_else(|| AppError::Internal("unknown stored media".into()))?;
    let bytes = state
        .secrets
        .open_bytes(&blob_aad(&a.sha256), &sealed)
        .ok_or_else(|| AppError::Internal("an attachment did not open".into()))?;
    let disposition = if shown_inline(media, &bytes) { "inline" } else { "attachment" };
    // Never the uploaded name: it may carry the complainant's name or ID number.
    let encoded: String = neutral_name(position, media)
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, media.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "{disposition}; filename=\"attachment-{position}.{}\"; filename*=UTF-8''{encoded}",
                    media.extension()
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
