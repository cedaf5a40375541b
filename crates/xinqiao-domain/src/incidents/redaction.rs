//! Evidence for publication: boxes an officer draws over faces, plates and screens on a photo or
//! video still, whose pixels are destroyed (a solid fill, never a blur or an overlay) in a copy
//! re-encoded from the decoded pixels alone, so it carries no EXIF, XMP, ICC, comment or
//! thumbnail of the original. Pure: bytes in, bytes out.

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// The colour the boxed pixels become.
pub const FILL: [u8; 3] = [0, 0, 0];
/// The largest image taken as evidence (pixels), so one upload cannot take gigabytes decoded.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most boxes on one image.
pub const MAX_BOXES: usize = 100;
/// The longest side taken.
const MAX_SIDE: u32 = 20_000;

/// A box in the pixels of the image as shown (EXIF orientation applied): left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactionError {
    #[error("证据只接受 JPEG 或 PNG 格式的照片或视频截图")]
    NotImage,
    #[error("图片无法解码，请重新导出后上传")]
    Undecodable,
    #[error("图片过大：最多{}万像素，每边不超过{}像素", MAX_PIXELS / 10_000, MAX_SIDE)]
    TooLarge,
    #[error("第{line}行的打码区域应写作“左,上,宽,高”四个整数（像素）")]
    BadBox { line: usize },
    #[error("第{index}个打码区域宽或高为零")]
    EmptyBox { index: usize },
    #[error("第{index}个打码区域超出图片范围（图片为{width}×{height}像素）")]
    OutsideImage { index: usize, width: u32, height: u32 },
    #[error("打码区域最多{MAX_BOXES}个")]
    TooManyBoxes,
    #[error("图片重新编码失败")]
    Encode,
}

impl RedactionError {
    pub fn code(&self) -> &'static str {
        match self {
            RedactionError::NotImage => "evidence_not_image",
            RedactionError::Undecodable => "evidence_undecodable",
            RedactionError::TooLarge => "evidence_too_large",
            RedactionError::BadBox { .. } => "bad_box",
            RedactionError::EmptyBox { .. } => "empty_box",
            RedactionError::OutsideImage { .. } => "box_outside_image",
            RedactionError::TooManyBoxes => "too_many_boxes",
            RedactionError::Encode => "evidence_encode",
        }
    }
}

/// Boxes as an officer types them: one per line (or separated by `;`), `x,y,w,h` in pixels;
/// full-width commas and spaces are taken, blank lines skipped.
pub fn parse_boxes(text: &str) -> Result<Vec<RedactBox>, RedactionError> {
    let mut boxes = Vec::new();
    for (n, line) in text.split(['\n', ';', '；']).enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> =
            line.split([',', '，', ' ', '\t', '\r']).map(str::trim).filter(|s| !s.is_empty()).collect();
        let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
        match nums.as_deref() {
            Some(&[x, y, w, h]) => boxes.push(RedactBox { x, y, w, h }),
            _ => return Err(RedactionError::BadBox { line: n + 1 }),
        }
        if boxes.len() > MAX_BOXES {
            return Err(RedactionError::TooManyBoxes);
        }
    }
    Ok(boxes)
}

/// The boxes as the text [`parse_boxes`] reads.
pub fn boxes_text(boxes: &[RedactBox]) -> String {
    boxes.iter().map(|b| format!("{},{},{},{}", b.x, b.y, b.w, b.h)).collect::<Vec<_>>().join("\n")
}

/// Checks every box against the image's size: none empty, none reaching outside.
pub fn check_boxes(boxes: &[RedactBox], width: u32, height: u32) -> Result<(), RedactionError> {
    if boxes.len() > MAX_BOXES {
        return Err(RedactionError::TooManyBoxes);
    }
    for (i, b) in boxes.iter().enumerate() {
        if b.w == 0 || b.h == 0 {
            return Err(RedactionError::EmptyBox { index: i + 1 });
        }
        let inside =
            u64::from(b.x) + u64::from(b.w) <= u64::from(width) && u64::from(b.y) + u64::from(b.h) <= u64::from(height);
        if !inside {
            return Err(RedactionError::OutsideImage { index: i + 1, width, height });
        }
    }
    Ok(())
}

/// A decoded image as shown (orientation applied), flattened to RGB.
pub struct Decoded {
    pub pixels: RgbImage,
}

impl Decoded {
    pub fn width(&self) -> u32 {
        self.pixels.width()
    }
    pub fn height(&self) -> u32 {
        self.pixels.height()
    }
}

/// Decodes a JPEG or PNG under the size limits, turned as its EXIF orientation says (the way a
/// browser shows it, which is where the officer draws).
pub fn decode(bytes: &[u8]) -> Result<Decoded, RedactionError> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| RedactionError::NotImage)?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(RedactionError::NotImage);
    }
    let mut decoder = reader.into_decoder().map_err(|_| RedactionError::Undecodable)?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(RedactionError::TooLarge);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    decoder.set_limits(limits).map_err(|_| RedactionError::TooLarge)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| RedactionError::Undecodable)?;
    img.apply_orientation(orientation);
    Ok(Decoded { pixels: img.into_rgb8() })
}

/// The published copy: every boxed pixel set to [`FILL`], the rest as decoded, encoded as a bare
/// PNG (IHDR, IDAT, IEND: nothing of the original file but its pixels).
pub fn redact(original: &[u8], boxes: &[RedactBox]) -> Result<Vec<u8>, RedactionError> {
    let mut d = decode(original)?;
    check_boxes(boxes, d.width(), d.height())?;
    for b in boxes {
        for y in b.y..b.y + b.h {
            for x in b.x..b.x + b.w {
                d.pixels.put_pixel(x, y, image::Rgb(FILL));
            }
        }
    }
    encode_png(&d.pixels)
}

pub fn encode_png(pixels: &RgbImage) -> Result<Vec<u8>, RedactionError> {
    let mut out = Cursor::new(Vec::new());
    pixels.write_to(&mut out, ImageFormat::Png).map_err(|_| RedactionError::Encode)?;
    Ok(out.into_inner())
}

#[cfg(test)]
#[path = "redaction_tests.rs"]
mod tests;
