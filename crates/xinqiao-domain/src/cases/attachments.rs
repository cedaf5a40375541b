//! Attachments to a case: which files are accepted (images and PDF, sniffed from the bytes), and
//! the metadata stripped from images before they are stored.
//!
//! Rules: at most [`MAX_FILES`] files of at most [`MAX_BYTES`] each; the type comes from the magic
//! bytes, never the name; images are re-assembled from an allow-list of the segments/chunks needed
//! to display them (EXIF, XMP, IPTC, comments, text chunks, trailing data after the end marker are
//! dropped, so GPS positions do not leak); a file claiming a format whose structure cannot be
//! walked is rejected rather than stored with its metadata. The stored bytes are the cleaned ones,
//! addressed by their SHA-256. Every accepted type is inert: the web layer serves it with
//! [`MediaType::mime`] and `nosniff`, never with a type a browser would execute.

use data_encoding::HEXLOWER;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// At most this many attachments per case.
pub const MAX_FILES: usize = 5;
/// At most this many bytes per attachment (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest display name of a download, in characters.
const MAX_NAME_CHARS: usize = 80;

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
        MediaType::Jpeg => jpeg(bytes),
        MediaType::Png => png(bytes),
        MediaType::Gif => gif(bytes),
        MediaType::Webp => webp(bytes),
        MediaType::Pdf => match pdf_active_content(bytes) {
            Some(marker) => return Err(AttachmentError::ActiveContent { marker }),
            None => Ok((bytes.to_vec(), false)),
        },
    };
    let (bytes, stripped) = walked.map_err(|detail| AttachmentError::Malformed { media, detail })?;
    let sha256_hex = HEXLOWER.encode(&Sha256::digest(&bytes));
    Ok(Cleaned { media, bytes, sha256_hex, stripped })
}

/// Cleaned bytes and whether anything was dropped, or what is wrong with the structure.
type Walk = Result<(Vec<u8>, bool), &'static str>;

fn at<const N: usize>(b: &[u8], i: usize) -> Option<[u8; N]> {
    b.get(i..i.checked_add(N)?)?.try_into().ok()
}

fn end_of(b: &[u8], start: usize, len: usize) -> Result<usize, &'static str> {
    start.checked_add(len).filter(|&end| end <= b.len()).ok_or("truncated")
}

/// JPEG: keeps APP0 (JFIF), APP2 ICC profiles, APP14 (Adobe) and the coding segments; drops every
/// other APPn (EXIF, XMP, IPTC, MPF…), comments, and anything after EOI (appended previews carry
/// their own EXIF). EXIF orientation survives in a minimal APP1 so photos still display upright.
fn jpeg(b: &[u8]) -> Walk {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let (mut pos, mut stripped, mut scanned, mut oriented) = (2, false, false, false);
    loop {
        if b.get(pos) != Some(&0xFF) {
            return Err("expected a marker");
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *b.get(pos).ok_or("truncated marker")?;
        pos += 1;
        match marker {
            0xD9 if scanned => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok((out, stripped || pos < b.len()));
            }
            0x00 | 0xD8 | 0xD9 => return Err("unexpected marker"),
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes(at(b, pos).ok_or("truncated segment")?));
        if len < 2 {
            return Err("bad segment length");
        }
        let end = end_of(b, pos, len)?;
        let payload = &b[pos + 2..end];
        let keep = match marker {
            0xE0 | 0xEE => true,
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xE1..=0xEF | 0xFE => false,
            _ => true,
        };
        if marker == 0xE1
            && !oriented
            && let Some(segment) = exif_orientation(payload).map(orientation_segment)
        {
            oriented = true;
            stripped |= payload != &segment[4..];
            out.extend_from_slice(&segment);
        } else if keep {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&b[pos..end]);
        } else {
            stripped = true;
        }
        pos = end;
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or RSTn.
            scanned = true;
            let start = pos;
            loop {
                pos += b[pos..].iter().position(|&c| c == 0xFF).ok_or("missing end of image")?;
                match b.get(pos + 1) {
                    None => return Err("truncated scan"),
                    Some(0x00 | 0xD0..=0xD7) => pos += 2,
                    Some(0xFF) => pos += 1,
                    Some(_) => break,
                }
            }
            out.extend_from_slice(&b[start..pos]);
        }
    }
}

/// A non-default EXIF orientation (tag 0x0112 of IFD0) from an APP1 payload.
fn exif_orientation(payload: &[u8]) -> Option<u16> {
    let tiff = payload.strip_prefix(b"Exif\0\0")?;
    let big = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |i| at(tiff, i).map(|v| if big { u16::from_be_bytes(v) } else { u16::from_le_bytes(v) });
    let ifd = usize::try_from(at(tiff, 4).map(|v| if big { u32::from_be_bytes(v) } else { u32::from_le_bytes(v) })?)
        .ok()
        .filter(|&i| i < tiff.len())?;
    for k in 0..usize::from(u16_at(ifd)?) {
        let entry = ifd.checked_add(2 + 12 * k)?;
        if u16_at(entry)? == 0x0112 && u16_at(entry + 2)? == 3 {
            return u16_at(entry + 8).filter(|v| (2..=8).contains(v));
        }
    }
    None
}

/// An APP1 segment holding nothing but the orientation.
fn orientation_segment(v: u16) -> [u8; 36] {
    let [hi, lo] = v.to_be_bytes();
    #[rustfmt::skip]
    let segment = [
        0xFF, 0xE1, 0, 34, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0, 42, 0, 0, 0, 8,
        0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, hi, lo, 0, 0, 0, 0, 0, 0,
    ];
    segment
}

/// PNG chunks needed to display an image (incl. APNG); text, eXIf, tIME and unknown ancillary
/// chunks are dropped.
const PNG_KEEP: [&[u8; 4]; 22] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV",
    b"mDCv", b"cLLI", b"cLLi", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

fn png(b: &[u8]) -> Walk {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b.get(..8).ok_or("truncated signature")?);
    let (mut pos, mut stripped, mut has_data) = (8, false, false);
    loop {
        let len = u32::from_be_bytes(at(b, pos).ok_or("truncated chunk")?);
        let ty: [u8; 4] = at(b, pos + 4).ok_or("truncated chunk")?;
        if len > 0x7FFF_FFFF || !ty.iter().all(u8::is_ascii_alphabetic) {
            return Err("bad chunk header");
        }
        let end = end_of(b, pos, 12 + len as usize)?;
        if (pos == 8) != (&ty == b"IHDR") || (&ty == b"IHDR" && len != 13) {
            return Err("IHDR must come first, once");
        }
        has_data |= &ty == b"IDAT";
        if PNG_KEEP.contains(&&ty) {
            out.extend_from_slice(&b[pos..end]);
        } else if ty[0].is_ascii_uppercase() {
            return Err("unknown critical chunk");
        } else {
            stripped = true;
        }
        pos = end;
        if &ty == b"IEND" {
            return if has_data { Ok((out, stripped || pos < b.len())) } else { Err("no image data") };
        }
    }
}

/// WebP: keeps the bitstream, animation, alpha and ICC chunks; drops EXIF, XMP and unknown chunks,
/// clears the EXIF/XMP flags of VP8X and rewrites the RIFF size.
fn webp(b: &[u8]) -> Walk {
    let riff = u32::from_le_bytes(at(b, 4).ok_or("truncated header")?) as usize;
    let end = end_of(b, 8, riff)?;
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..12]);
    let (mut pos, mut stripped) = (12, end < b.len());
    if pos >= end {
        return Err("no chunks");
    }
    while pos < end {
        let fourcc: [u8; 4] = at(b, pos).ok_or("truncated chunk")?;
        let size = u32::from_le_bytes(at(b, pos + 4).ok_or("truncated chunk")?) as usize;
        let chunk_end = end_of(&b[..end], pos + 8, size.checked_add(size & 1).ok_or("bad size")?)?;
        if pos == 12 && !matches!(&fourcc, b"VP8 " | b"VP8L" | b"VP8X") {
            return Err("first chunk must be VP8, VP8L or VP8X");
        }
        match &fourcc {
            b"VP8X" if size != 10 => return Err("bad VP8X size"),
            b"VP8X" => {
                let flags = b[pos + 8];
                stripped |= flags & 0x0C != 0;
                out.extend_from_slice(&b[pos..chunk_end]);
                let at_flags = out.len() - (chunk_end - pos) + 8;
                out[at_flags] = flags & !0x0C;
            }
            b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP" => out.extend_from_slice(&b[pos..chunk_end]),
            _ => stripped = true,
        }
        pos = chunk_end;
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| "too large")?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok((out, stripped))
}

/// GIF: keeps images, graphic-control and plain-text extensions and the animation application
/// extensions (NETSCAPE2.0, ANIMEXTS1.0); drops comments, other application extensions (XMP) and
/// anything after the trailer.
fn gif(b: &[u8]) -> Walk {
    fn color_table(packed: u8) -> usize {
        if packed & 0x80 != 0 { 3 << ((packed & 7) + 1) } else { 0 }
    }
    fn sub_blocks(b: &[u8], mut pos: usize) -> Result<usize, &'static str> {
        loop {
            let n = usize::from(*b.get(pos).ok_or("truncated sub-block")?);
            pos = end_of(b, pos, 1 + n)?;
            if n == 0 {
                return Ok(pos);
            }
        }
    }
    let packed = *b.get(10).ok_or("truncated header")?;
    let mut pos = end_of(b, 13, color_table(packed))?;
    let mut out = b[..pos].to_vec();
    let mut stripped = false;
    loop {
        let start = pos;
        let keep = match *b.get(pos).ok_or("missing trailer")? {
            0x3B => {
                out.push(0x3B);
                return Ok((out, stripped || pos + 1 < b.len()));
            }
            0x2C => {
                let packed = *b.get(pos + 9).ok_or("truncated image descriptor")?;
                pos = end_of(b, pos + 10, color_table(packed) + 1)?;
                pos = sub_blocks(b, pos)?;
                true
            }
            0x21 => {
                let label = *b.get(pos + 1).ok_or("truncated extension")?;
                pos = sub_blocks(b, pos + 2)?;
                let app = b.get(start + 2..start + 14);
                match label {
                    0xF9 | 0x01 => true,
                    0xFF => matches!(app, Some(b"\x0bNETSCAPE2.0" | b"\x0bANIMEXTS1.0")),
                    _ => false,
                }
            }
            _ => return Err("unknown block"),
        };
        if keep {
            out.extend_from_slice(&b[start..pos]);
        } else {
            stripped = true;
        }
    }
}

/// PDF names that run code, launch programs or carry files. Conservative rule: a PDF is refused if
/// any of these names appears as a name token (with `#xx` escapes decoded) in its text or in any
/// stream body that is not binary. Binary (compressed) stream bodies are skipped — random data
/// would otherwise match by chance — so actions hidden in compressed object streams are not seen;
/// PDFs are therefore always served as downloads with `nosniff`, never rendered inline by us.
const PDF_ACTIVE: [&str; 7] = ["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA"];

fn pdf_active_content(b: &[u8]) -> Option<&'static str> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut pos = 0;
    loop {
        let Some(s) = find(&b[pos..], b"stream").map(|i| pos + i) else { return pdf_names(&b[pos..]) };
        let body = match &b[s + 6..] {
            _ if s >= 3 && &b[s - 3..s] == b"end" => None,
            [b'\r', b'\n', ..] => Some(s + 8),
            [b'\n', ..] => Some(s + 7),
            _ => None,
        };
        let Some(body) = body else {
            if let Some(name) = pdf_names(&b[pos..s + 6]) {
                return Some(name);
            }
            pos = s + 6;
            continue;
        };
        if let Some(name) = pdf_names(&b[pos..s]) {
            return Some(name);
        }
        let body_end = find(&b[body..], b"endstream").map_or(b.len(), |i| body + i);
        let text = &b[body..body_end];
        if !text.iter().any(|&c| c == 0 || c >= 0x80)
            && let Some(name) = pdf_names(text)
        {
            return Some(name);
        }
        pos = body_end;
    }
}

fn pdf_names(b: &[u8]) -> Option<&'static str> {
    let ends_name = |c: u8| c.is_ascii_whitespace() || c == 0 || b"()<>[]{}/%".contains(&c);
    let hex = |c: u8| char::from(c).to_digit(16);
    let mut name = Vec::with_capacity(16);
    let mut i = 0;
    while let Some(slash) = b[i..].iter().position(|&c| c == b'/') {
        i += slash + 1;
        name.clear();
        while let Some(&c) = b.get(i).filter(|&&c| !ends_name(c) && name.len() <= 16) {
            match (c, b.get(i + 1).and_then(|&h| hex(h)), b.get(i + 2).and_then(|&l| hex(l))) {
                (b'#', Some(h), Some(l)) => {
                    name.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    name.push(c);
                    i += 1;
                }
            }
        }
        if let Some(active) = PDF_ACTIVE.into_iter().find(|a| a.as_bytes() == name.as_slice()) {
            return Some(active);
        }
    }
    None
}

/// A display name safe for a `Content-Disposition` header: last path component, without control,
/// bidi-override, zero-width or quoting characters, at most 80 characters, never empty.
pub fn safe_filename(name: &str) -> String {
    let name = clean_name(name);
    let (stem, ext) = split_extension(&name);
    join_name(stem, ext)
}

/// The name to serve a download under: the safe stem of the uploaded name with the extension of
/// the sniffed type, so `invoice.pdf.exe` stored as PNG is served as `invoice.pdf.png`.
pub fn download_name(original: &str, media: MediaType) -> String {
    let name = clean_name(original);
    join_name(split_extension(&name).0, Some(media.extension()))
}

fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base
        .chars()
        .filter(|&c| {
            !c.is_control()
                && !matches!(c, '"' | '\'' | '`' | '<' | '>' | ':' | '*' | '?' | '|' | ';')
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect();
    kept.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).trim().to_string()
}

fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && (1..=10).contains(&ext.len()) && ext.bytes().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

fn join_name(stem: &str, ext: Option<&str>) -> String {
    let room = MAX_NAME_CHARS - ext.map_or(0, |e| e.len() + 1);
    let stem = stem.char_indices().nth(room).map_or(stem, |(i, _)| &stem[..i]).trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { "附件" } else { stem };
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        [&[0xFF, marker][..], &len, payload].concat()
    }

    /// SOI, APP0, APP1 EXIF (with GPS), APP1 XMP, COM, DQT, SOF0, SOS + entropy data, EOI.
    fn jpeg_fixture(exif: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let app0 = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let scan =
            [segment(0xDA, &[1, 1, 0, 0, 63, 0]), vec![0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]].concat();
        let bytes = [
            vec![0xFF, 0xD8],
            app0.clone(),
            segment(0xE1, exif),
            segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude='31,13.8N'/>"),
            segment(0xFE, b"secret comment"),
            segment(0xDB, &[0; 65]),
            segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            scan.clone(),
        ]
        .concat();
        (bytes, app0, scan)
    }

    const EXIF_GPS: &[u8] = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPS 31.2304N 121.4737E";

    fn exif_with_orientation(v: u8) -> Vec<u8> {
        [
            &b"Exif\0\0II*\0\x08\0\0\0\x02\0"[..],
            &[0x12, 1, 3, 0, 1, 0, 0, 0, v, 0, 0, 0],
            b"\x25\x88\x04\0\x01\0\0\0GPS!",
        ]
        .concat()
    }

    fn png_chunk(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
        [&u32::try_from(data.len()).unwrap().to_be_bytes()[..], ty, data, &[0xAB; 4]].concat()
    }

    fn webp_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let pad: &[u8] = if data.len() % 2 == 1 { &[0] } else { &[] };
        [&fourcc[..], &u32::try_from(data.len()).unwrap().to_le_bytes(), data, pad].concat()
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body = chunks.concat();
        [&b"RIFF"[..], &u32::try_from(body.len() + 4).unwrap().to_le_bytes(), b"WEBP", &body].concat()
    }

    fn gif_fixture() -> Vec<u8> {
        [
            &b"GIF89a\x01\0\x01\0\x80\0\0"[..],
            &[0, 0, 0, 255, 255, 255],
            b"\x21\xFF\x0bNETSCAPE2.0\x03\x01\0\0\0",
            b"\x21\xFE\x0esecret comment\0",
            b"\x21\xFF\x0bXMP DataXMP\x0a<x:xmpmeta\x05 GPS \0",
            b"\x21\xF9\x04\0\0\0\0\0",
            b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x4C\x01\0",
            b"\x3B",
        ]
        .concat()
    }

    fn png_fixture() -> Vec<u8> {
        [
            b"\x89PNG\r\n\x1a\n".to_vec(),
            png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
            png_chunk(b"tEXt", b"Author\0Zhang San"),
            png_chunk(b"eXIf", b"MM\0*GPS"),
            png_chunk(b"IDAT", b"\x78\x9c\x63\0\0\0\x02\0\x01"),
            png_chunk(b"tIME", &[7, 234, 1, 1, 0, 0, 0]),
            png_chunk(b"IEND", b""),
        ]
        .concat()
    }

    #[test]
    fn jpeg_loses_exif_gps_xmp_and_comments_but_keeps_the_image() {
        let (bytes, app0, scan) = jpeg_fixture(EXIF_GPS);
        let cleaned = sanitize(&bytes).unwrap();
        let out = &cleaned.bytes;
        assert_eq!((cleaned.media, cleaned.stripped), (MediaType::Jpeg, true));
        assert!(out.starts_with(&[0xFF, 0xD8]) && out[2..].starts_with(&app0));
        assert!(out.ends_with(&scan), "scan data byte-for-byte");
        for gone in [&b"Exif"[..], b"GPS", b"xmpmeta", b"secret comment"] {
            assert!(!contains(out, gone));
        }
        assert!(contains(out, &segment(0xDB, &[0; 65])));
        let kept = [
            &[0xFF, 0xD8][..],
            &app0,
            &segment(0xDB, &[0; 65]),
            &segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            &scan,
        ];
        assert_eq!(*out, kept.concat());
        assert_eq!(sanitize(out).unwrap().bytes, *out);
        assert!(!sanitize(out).unwrap().stripped);
    }

    #[test]
    fn jpeg_keeps_only_the_orientation_and_drops_trailers() {
        let (bytes, _, _) = jpeg_fixture(&exif_with_orientation(6));
        let with_trailer = [bytes, b"\xFF\xD8\xFF\xE1\0\x08Exif\0\0".to_vec()].concat();
        let out = sanitize(&with_trailer).unwrap().bytes;
        assert!(!contains(&out, b"GPS") && out.ends_with(&[0xFF, 0xD9]));
        assert!(contains(&out, &orientation_segment(6)));
        assert_eq!(exif_orientation(&orientation_segment(6)[4..]), Some(6));
        let again = sanitize(&out).unwrap();
        assert_eq!((again.bytes, again.stripped), (out, false));
        let (upright, _, _) = jpeg_fixture(&exif_with_orientation(1));
        assert!(!contains(&sanitize(&upright).unwrap().bytes, b"Exif"));
    }

    #[test]
    fn malformed_jpeg_is_rejected() {
        let (bytes, _, _) = jpeg_fixture(EXIF_GPS);
        for cut in [3, 10, 30, bytes.len() - 1] {
            let err = sanitize(&bytes[..cut]).unwrap_err();
            assert_eq!(err.code(), "attachment_malformed", "cut at {cut}");
            assert!(err.to_string().contains("JPEG 图片"));
        }
        assert!(sanitize(b"\xFF\xD8\xFF\xE0\0\x01").is_err(), "length below 2");
        assert!(sanitize(b"\xFF\xD8\xFF\xD9").is_err(), "no scan");
    }

    #[test]
    fn png_loses_text_exif_and_time_chunks() {
        let cleaned = sanitize(&png_fixture()).unwrap();
        let expected = [
            b"\x89PNG\r\n\x1a\n".to_vec(),
            png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
            png_chunk(b"IDAT", b"\x78\x9c\x63\0\0\0\x02\0\x01"),
            png_chunk(b"IEND", b""),
        ]
        .concat();
        assert_eq!((cleaned.media, cleaned.bytes, cleaned.stripped), (MediaType::Png, expected, true));
        let no_ihdr = [b"\x89PNG\r\n\x1a\n".to_vec(), png_chunk(b"IEND", b"")].concat();
        assert_eq!(sanitize(&no_ihdr).unwrap_err().code(), "attachment_malformed");
        let fixture = png_fixture();
        assert!(sanitize(&fixture[..fixture.len() - 12]).is_err(), "no IEND");
        let mut huge = png_fixture();
        huge[33..37].copy_from_slice(&0x7000_0000u32.to_be_bytes());
        assert!(sanitize(&huge).is_err(), "chunk length past the end");
    }

    #[test]
    fn webp_loses_exif_and_xmp_with_flags_and_size_fixed() {
        let vp8x = [0x10 | 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let bytes = riff(&[
            webp_chunk(b"VP8X", &vp8x),
            webp_chunk(b"VP8L", b"\x2f\0\0\0\0"),
            webp_chunk(b"EXIF", b"MM\0*GPS 31N"),
            webp_chunk(b"XMP ", b"<x:xmpmeta/>"),
        ]);
        let cleaned = sanitize(&bytes).unwrap();
        let out = &cleaned.bytes;
        assert_eq!((cleaned.media, cleaned.stripped), (MediaType::Webp, true));
        assert_eq!(out.len(), 12 + 18 + 14);
        assert_eq!(u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize, out.len() - 8);
        assert_eq!(out[20], 0x10, "alpha kept, EXIF/XMP flags cleared");
        assert!(out.ends_with(&webp_chunk(b"VP8L", b"\x2f\0\0\0\0")));
        assert!(!contains(out, b"GPS") && !contains(out, b"EXIF") && !contains(out, b"xmpmeta"));
        assert!(sanitize(&bytes[..bytes.len() - 1]).is_err(), "truncated");
        assert!(sanitize(&riff(&[webp_chunk(b"EXIF", b"x")])).is_err(), "no bitstream first");
    }

    #[test]
    fn gif_loses_comments_and_xmp_but_keeps_animation() {
        let cleaned = sanitize(&gif_fixture()).unwrap();
        let out = &cleaned.bytes;
        assert_eq!((cleaned.media, cleaned.stripped), (MediaType::Gif, true));
        assert!(!contains(out, b"secret comment") && !contains(out, b"XMP") && !contains(out, b"GPS"));
        assert!(contains(out, b"NETSCAPE2.0") && out.ends_with(b"\x01\0\x3B"));
        assert_eq!(sanitize(out).unwrap().bytes, *out);
        let fixture = gif_fixture();
        assert!(sanitize(&fixture[..fixture.len() - 1]).is_err(), "no trailer");
    }

    #[test]
    fn pdf_with_active_content_is_refused_and_plain_pdf_kept() {
        let plain = b"%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction[3 0 R/Fit]>>endobj\n\
            4 0 obj<</Length 8/Filter/FlateDecode>>stream\n\x9c\x00/JS /XFA\nendstream\n%%EOF\n";
        let cleaned = sanitize(plain).unwrap();
        assert_eq!((cleaned.media, cleaned.bytes.as_slice(), cleaned.stripped), (MediaType::Pdf, &plain[..], false));
        for active in [
            &b"%PDF-1.4\n<</S/JavaScript/JS(app.alert(1))>>"[..],
            b"%PDF-1.4\n<</OpenAction<</S/J#61vaScript>>>>",
            b"%PDF-1.4\n<</S /Launch /F (calc.exe)>>",
            b"%PDF-1.4\n<</Names<</EmbeddedFiles 2 0 R>>>>",
            b"%PDF-1.4\n<</AcroForm<</XFA 5 0 R>>>>",
            b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1>>stream\n<</JS 7 0 R>>\nendstream",
        ] {
            let err = sanitize(active).unwrap_err();
            assert_eq!(err.code(), "attachment_active_content", "{}", String::from_utf8_lossy(active));
        }
        assert!(sanitize(b"%PDF-1.4\n<</Type/JSON>>").is_ok(), "names are matched whole");
    }

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
    fn names_for_display_and_download() {
        assert_eq!(safe_filename("C:\\Users\\张三\\Desktop\\发票.pdf"), "发票.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("a\"b'c\r\n\u{202E}gpj.exe"), "abcgpj.exe");
        assert_eq!(safe_filename(".htaccess"), "htaccess");
        assert_eq!(safe_filename("  ...  "), "附件");
        assert_eq!(safe_filename("dir/"), "附件");
        let long = format!("{}.jpeg", "很".repeat(200));
        let safe = safe_filename(&long);
        assert_eq!(safe.chars().count(), 80);
        assert!(safe.ends_with("很.jpeg"));
        assert_eq!(download_name("invoice.pdf.exe", MediaType::Png), "invoice.pdf.png");
        assert_eq!(download_name("现场照片.JPEG", MediaType::Jpeg), "现场照片.jpg");
        assert_eq!(download_name("scan", MediaType::Pdf), "scan.pdf");
        assert_eq!(download_name("", MediaType::Gif), "附件.gif");
        assert_eq!(download_name("/tmp/x.y/", MediaType::Webp), "附件.webp");
        assert_eq!(download_name(&long, MediaType::Webp).chars().count(), 80);
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
}
