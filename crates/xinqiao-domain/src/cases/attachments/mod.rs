//! Attachments to a case: which files are accepted (images and PDF, sniffed from the bytes), the
//! metadata stripped from images before they are stored, the active content a PDF may not carry,
//! and which images are small enough to be shown in a browser.
//!
//! Rules: at most [`MAX_FILES`] files of at most [`MAX_BYTES`] each; the type comes from the magic
//! bytes, never the name; images are re-assembled from an allow-list of the segments/chunks needed
//! to display them (EXIF, XMP, IPTC, comments, text chunks, trailing data after the end marker are
//! dropped, so GPS positions do not leak); a file claiming a format whose structure cannot be
//! walked is rejected rather than stored with its metadata. The stored bytes are the cleaned ones,
//! addressed by their SHA-256. Every accepted type is inert: the web layer serves it with
//! [`MediaType::mime`] and `nosniff`, never with a type a browser would execute; a PDF is refused
//! if it may run anything (see [`pdf`]), and an image over [`MAX_INLINE_PIXELS`] is only offered
//! as a download ([`shown_inline`]).
//!
//! The walkers are hand-written because no maintained crate does the job: `img-parts` stops at the
//! first JPEG scan (metadata segments after it and data after EOI stay), has no GIF, and its WebP
//! code panics on short VP8 chunks and recurses on nested LIST chunks; `lopdf` trusts the
//! cross-reference table, decompresses without a limit by default and has had stack-overflow and
//! allocation aborts on crafted files. Each walker is fuzzed (`fuzz/`, and a short run in the
//! tests: [`crate::fuzzing`]).

mod gif;
mod jpeg;
mod names;
mod pdf;
mod png;
mod webp;

pub use names::{download_name, safe_filename};

use data_encoding::HEXLOWER;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// At most this many attachments per case.
pub const MAX_FILES: usize = 5;
/// At most this many bytes per attachment (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest image (width × height) shown inline to staff: 40 megapixels covers an A4 page scanned
/// at 600 dpi (35 MP) and phone photos; a decoded image of this size already takes 160 MB of a
/// browser's memory. Larger ones are offered as downloads.
pub const MAX_INLINE_PIXELS: u64 = 40_000_000;

/// An accepted attachment type. Stored as [`MediaType::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Jpeg,
    Png,
    Gif,
    Webp,
    Pdf,
}

impl MediaType {
    pub const ALL: [MediaType; 5] = [MediaType::Jpeg, MediaType::Png, MediaType::Gif, MediaType::Webp, MediaType::Pdf];

    /// Stable storage code.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpeg",
            MediaType::Png => "png",
            MediaType::Gif => "gif",
            MediaType::Webp => "webp",
            MediaType::Pdf => "pdf",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == code)
    }

    /// The `Content-Type` to serve with (always together with `X-Content-Type-Options: nosniff`).
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Gif => "image/gif",
            MediaType::Webp => "image/webp",
            MediaType::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Gif => "gif",
            MediaType::Webp => "webp",
            MediaType::Pdf => "pdf",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MediaType::Jpeg => "JPEG 图片",
            MediaType::Png => "PNG 图片",
            MediaType::Gif => "GIF 图片",
            MediaType::Webp => "WebP 图片",
            MediaType::Pdf => "PDF 文档",
        }
    }

    pub fn is_image(self) -> bool {
        self != MediaType::Pdf
    }
}

/// Why an attachment was refused. `detail`/`marker` are for logs; the Display is for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("附件是空文件，请重新选择")]
    Empty,
    #[error("附件过大：每个文件不能超过 {max} MB", max = MAX_BYTES / (1024 * 1024))]
    TooLarge { size: usize },
    #[error("不支持的文件类型：仅接受 JPG、PNG、GIF、WebP 图片和 PDF 文档（按文件内容识别，与文件名无关）")]
    UnsupportedType,
    #[error("{}文件已损坏或结构异常，无法安全去除其中的元数据，请重新导出后上传", .media.label())]
    Malformed { media: MediaType, detail: &'static str },
    #[error("PDF 中含有脚本、启动程序或嵌入文件等可执行内容，出于安全考虑不予接收，请另存（打印）为普通 PDF 后上传")]
    ActiveContent { marker: &'static str },
    #[error("PDF 已加密或设有权限密码，无法检查其中是否含有可执行内容，请去除密码或另存（打印）为普通 PDF 后上传")]
    PdfEncrypted,
    #[error(
        "无法确认该 PDF 不含脚本等可执行内容（其压缩结构无法完整检查），出于安全考虑不予接收，请另存（打印）为普通 PDF 后上传"
    )]
    PdfUnverifiable { reason: &'static str },
    #[error("附件最多 {max} 个，当前为 {count} 个", max = MAX_FILES)]
    TooMany { count: usize },
}

impl AttachmentError {
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "attachment_empty",
            AttachmentError::TooLarge { .. } => "attachment_too_large",
            AttachmentError::UnsupportedType => "attachment_type",
            AttachmentError::Malformed { .. } => "attachment_malformed",
            AttachmentError::ActiveContent { .. } => "attachment_active_content",
            AttachmentError::PdfEncrypted => "attachment_pdf_encrypted",
            AttachmentError::PdfUnverifiable { .. } => "attachment_pdf_unverifiable",
            AttachmentError::TooMany { .. } => "attachment_too_many",
        }
    }
}

/// What gets stored: the cleaned bytes and their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub media: MediaType,
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256_hex: String,
    /// Whether anything (metadata, unknown chunks, trailing data) was removed.
    pub stripped: bool,
}

pub fn check_count(n: usize) -> Result<(), AttachmentError> {
    if n > MAX_FILES { Err(AttachmentError::TooMany { count: n }) } else { Ok(()) }
}

/// The type from the magic bytes alone.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(MediaType::Jpeg),
        [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n', ..] => Some(MediaType::Png),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(MediaType::Gif),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(MediaType::Webp),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some(MediaType::Pdf),
        _ => None,
    }
}

/// Checks an upload and returns the bytes to store: images without metadata, PDF unchanged.
pub fn sanitize(bytes: &[u8]) -> Result<Cleaned, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooLarge { size: bytes.len() });
    }
    let media = sniff(bytes).ok_or(AttachmentError::UnsupportedType)?;
    let walked = match media {
        MediaType::Jpeg => jpeg::clean(bytes),
        MediaType::Png => png::clean(bytes),
        MediaType::Gif => gif::clean(bytes),
        MediaType::Webp => webp::clean(bytes),
        MediaType::Pdf => match pdf::inspect(bytes) {
            pdf::Verdict::Clean => Ok((bytes.to_vec(), false)),
            pdf::Verdict::Active(marker) => return Err(AttachmentError::ActiveContent { marker }),
            pdf::Verdict::Encrypted => return Err(AttachmentError::PdfEncrypted),
            pdf::Verdict::Unsure(reason) => return Err(AttachmentError::PdfUnverifiable { reason }),
        },
    };
    let (bytes, stripped) = walked.map_err(|detail| AttachmentError::Malformed { media, detail })?;
    let sha256_hex = HEXLOWER.encode(&Sha256::digest(&bytes));
    Ok(Cleaned { media, bytes, sha256_hex, stripped })
}

/// An image's width and height in pixels, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

impl Dimensions {
    pub fn pixels(self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// The size an image declares in its header (the canvas a browser allocates); `None` for a PDF or
/// a header that does not say.
pub fn dimensions(media: MediaType, bytes: &[u8]) -> Option<Dimensions> {
    let (width, height) = match media {
        MediaType::Jpeg => jpeg::dimensions(bytes),
        MediaType::Png => png::dimensions(bytes),
        MediaType::Gif => gif::dimensions(bytes),
        MediaType::Webp => webp::dimensions(bytes),
        MediaType::Pdf => None,
    }?;
    Some(Dimensions { width, height })
}

/// Whether a stored file may be shown in the browser rather than downloaded: an image whose
/// header gives a size of at most [`MAX_INLINE_PIXELS`].
pub fn shown_inline(media: MediaType, bytes: &[u8]) -> bool {
    media.is_image() && dimensions(media, bytes).is_some_and(|d| d.pixels() <= MAX_INLINE_PIXELS)
}

/// Cleaned bytes and whether anything was dropped, or what is wrong with the structure.
type Walk = Result<(Vec<u8>, bool), &'static str>;

fn at<const N: usize>(b: &[u8], i: usize) -> Option<[u8; N]> {
    b.get(i..i.checked_add(N)?)?.try_into().ok()
}

fn end_of(b: &[u8], start: usize, len: usize) -> Result<usize, &'static str> {
    start.checked_add(len).filter(|&end| end <= b.len()).ok_or("truncated")
}

#[cfg(test)]
mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn executables_and_other_types_are_refused_whatever_the_name() {
        for bytes in [
            &b"MZ\x90\0\x03\0\0\0"[..],
            b"\x7fELF\x02\x01\x01\0",
            b"#!/bin/sh\nrm -rf /\n",
            b"<html><script>alert(1)</script></html>",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"PK\x03\x04",
            b" %PDF-1.4",
        ] {
            assert_eq!(sniff(bytes), None);
            assert_eq!(sanitize(bytes).unwrap_err(), AttachmentError::UnsupportedType);
        }
        assert!(AttachmentError::UnsupportedType.to_string().contains("仅接受 JPG、PNG、GIF、WebP 图片和 PDF"));
        assert_eq!(download_name("photo.jpg", MediaType::Pdf), "photo.pdf");
    }

    #[test]
    fn sniff_reads_the_bytes() {
        assert_eq!(sniff(&jpeg_fixture(EXIF_GPS).0), Some(MediaType::Jpeg));
        assert_eq!(sniff(&png_fixture()), Some(MediaType::Png));
        assert_eq!(sniff(&gif_fixture()), Some(MediaType::Gif));
        assert_eq!(sniff(&riff(&[webp_chunk(b"VP8 ", b"x")])), Some(MediaType::Webp));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(sniff(b"%PDF-1.7"), Some(MediaType::Pdf));
    }

    #[test]
    fn limits_and_errors() {
        assert_eq!(sanitize(b"").unwrap_err().code(), "attachment_empty");
        let mut big = vec![0u8; MAX_BYTES + 1];
        big[..5].copy_from_slice(b"%PDF-");
        let err = sanitize(&big).unwrap_err();
        assert_eq!((err.code(), err.to_string().contains("10 MB")), ("attachment_too_large", true));
        big.pop();
        assert!(sanitize(&big).is_ok(), "exactly 10 MB is allowed");
        assert!(check_count(0).is_ok() && check_count(MAX_FILES).is_ok());
        let err = check_count(6).unwrap_err();
        assert_eq!((err.code(), err.to_string()), ("attachment_too_many", "附件最多 5 个，当前为 6 个".to_string()));
        let err = AttachmentError::ActiveContent { marker: "JS" };
        assert_eq!(err.code(), "attachment_active_content");
    }

    #[test]
    fn media_types_round_trip() {
        for m in MediaType::ALL {
            assert_eq!(MediaType::parse(m.as_str()), Some(m));
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.as_str()));
            assert_eq!(m.is_image(), m.mime().starts_with("image/"));
        }
        assert_eq!((MediaType::Jpeg.label(), MediaType::Pdf.label()), ("JPEG 图片", "PDF 文档"));
        assert_eq!(MediaType::parse("exe"), None);
    }

    #[test]
    fn sha256_is_of_the_cleaned_bytes() {
        let (bytes, _, _) = jpeg_fixture(EXIF_GPS);
        let cleaned = sanitize(&bytes).unwrap();
        assert_eq!(cleaned.sha256_hex, HEXLOWER.encode(&Sha256::digest(&cleaned.bytes)));
        assert_ne!(cleaned.sha256_hex, HEXLOWER.encode(&Sha256::digest(&bytes)));
        assert_eq!(sanitize(b"%PDF-").unwrap().sha256_hex, HEXLOWER.encode(&Sha256::digest(b"%PDF-")),);
    }

    #[test]
    fn random_bytes_never_panic_and_cleaning_is_idempotent() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u32
        };
        let seeds = [
            jpeg_fixture(EXIF_GPS).0,
            jpeg_fixture(&exif_with_orientation(3)).0,
            png_fixture(),
            gif_fixture(),
            riff(&[webp_chunk(b"VP8X", &[0xFF; 10]), webp_chunk(b"VP8 ", b"abc"), webp_chunk(b"EXIF", b"e")]),
            b"%PDF-1.4\n/JS stream\n\x80 endstream stream\r\n/Launch".to_vec(),
        ];
        for round in 0..20_000 {
            let mut bytes = seeds[round % seeds.len()].clone();
            match next() % 4 {
                0 => bytes.truncate(next() as usize % (bytes.len() + 1)),
                1 => (0..1 + next() % 4).for_each(|_| {
                    let i = next() as usize % bytes.len();
                    bytes[i] = next() as u8;
                }),
                2 => bytes.extend((0..next() % 64).map(|_| next() as u8)),
                _ => {
                    bytes = bytes[..12.min(bytes.len())]
                        .iter()
                        .copied()
                        .chain((0..next() % 96).map(|_| next() as u8))
                        .collect()
                }
            }
            if let Ok(cleaned) = sanitize(&bytes) {
                let again = sanitize(&cleaned.bytes).expect("cleaned bytes stay valid");
                assert_eq!(again.bytes, cleaned.bytes, "round {round}");
                assert_eq!(sniff(&cleaned.bytes), Some(cleaned.media));
            }
        }
    }

    #[test]
    fn huge_images_are_downloads_not_shown() {
        let mut huge = png_fixture();
        huge[16..24].copy_from_slice(&[0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30]);
        let stored = sanitize(&huge).unwrap().bytes;
        assert_eq!(dimensions(MediaType::Png, &stored), Some(Dimensions { width: 30_000, height: 30_000 }));
        assert!(!shown_inline(MediaType::Png, &stored));
        assert!(shown_inline(MediaType::Png, &sanitize(&png_fixture()).unwrap().bytes));
        // 8000 × 5000 is exactly the limit; one row more is not.
        huge[16..24].copy_from_slice(&[0, 0, 0x1F, 0x40, 0, 0, 0x13, 0x88]);
        assert!(shown_inline(MediaType::Png, &huge));
        huge[23] += 1;
        assert!(!shown_inline(MediaType::Png, &huge));
        let (jpeg, _, _) = jpeg_fixture(EXIF_GPS);
        assert!(shown_inline(MediaType::Jpeg, &jpeg) && shown_inline(MediaType::Gif, &gif_fixture()));
        assert!(!shown_inline(MediaType::Jpeg, &jpeg[..4]), "a size we cannot read is not shown");
        assert!(!shown_inline(MediaType::Pdf, b"%PDF-1.7"));
        assert_eq!(dimensions(MediaType::Pdf, b"%PDF-1.7"), None);
    }
}
