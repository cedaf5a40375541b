//! Renders one page of a confidential PDF to pixels (pure Rust, `hayro`) so that the viewer's
//! mark can be burned in like an image's: the page count is capped, each page is drawn at a
//! bounded size on white, and a PDF that is malformed, encrypted or makes the renderer panic is
//! told apart in Chinese. The caller runs this off the async threads under a time budget.

use crate::confidential_watermark::burn_pixels;
use crate::incidents::redaction::encode_png;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings, render};
use image::RgbImage;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// At most this many pages in a confidential PDF.
pub const MAX_PAGES: usize = 30;
/// A page is drawn this wide (about 150 dpi for A4) …
pub const PAGE_WIDTH: u32 = 1240;
/// … and its longer side is never more than this.
pub const MAX_SIDE: u32 = 1800;

/// Why a PDF cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("PDF 文件已损坏或结构异常，无法显示，请重新导出（打印）为普通 PDF 后提交")]
    Malformed,
    #[error("PDF 已加密或设有密码，无法显示，请去除密码后提交")]
    Encrypted,
    #[error("PDF 没有可显示的页面")]
    NoPages,
    #[error("PDF 页数过多：共{count}页，每个文件最多{max}页，请拆分后分别提交", max = MAX_PAGES)]
    TooManyPages { count: usize },
    #[error("PDF 第{page}页的尺寸异常，无法显示")]
    BadPage { page: usize },
    #[error("没有第{page}页")]
    NoSuchPage { page: usize },
    #[error("PDF 第{page}页无法绘制（内容异常），请重新导出（打印）为普通 PDF 后提交")]
    Unrenderable { page: usize },
    #[error("PDF 内容过于复杂，未能在限定时间内显示，请简化（如降低图片分辨率）或拆分后提交")]
    TooSlow,
}

impl PdfError {
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::Malformed => "pdf_malformed",
            PdfError::Encrypted => "pdf_encrypted",
            PdfError::NoPages => "pdf_no_pages",
            PdfError::TooManyPages { .. } => "pdf_too_many_pages",
            PdfError::BadPage { .. } => "pdf_bad_page",
            PdfError::NoSuchPage { .. } => "pdf_no_such_page",
            PdfError::Unrenderable { .. } => "pdf_unrenderable",
            PdfError::TooSlow => "pdf_too_slow",
        }
    }
}

/// Runs `f`, turning a panic inside the renderer into `err`.
fn guarded<T>(err: PdfError, f: impl FnOnce() -> Result<T, PdfError>) -> Result<T, PdfError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(err))
}

fn open(bytes: &[u8]) -> Result<Pdf, PdfError> {
    let pdf = match Pdf::new(bytes.to_vec()) {
        Ok(p) => p,
        Err(LoadPdfError::Decryption(_)) => return Err(PdfError::Encrypted),
        Err(LoadPdfError::Invalid) => return Err(PdfError::Malformed),
    };
    match pdf.pages().len() {
        0 => Err(PdfError::NoPages),
        n if n > MAX_PAGES => Err(PdfError::TooManyPages { count: n }),
        _ => Ok(pdf),
    }
}

/// How many pages the PDF has (1 to [`MAX_PAGES`]).
pub fn page_count(bytes: &[u8]) -> Result<usize, PdfError> {
    guarded(PdfError::Malformed, || open(bytes).map(|p| p.pages().len()))
}

/// The scale from PDF points to pixels for a page of `w`×`h` points, and the pixel size.
fn fit(w: f32, h: f32) -> Option<(f32, u32, u32)> {
    if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 {
        return None;
    }
    let scale = (PAGE_WIDTH as f32 / w).min(MAX_SIDE as f32 / w.max(h));
    let px = |v: f32| (v * scale).floor().clamp(1.0, MAX_SIDE as f32) as u32;
    Some((scale, px(w), px(h)))
}

/// Page `page` (from 1) drawn on white, at most [`MAX_SIDE`] pixels on its longer side.
pub fn render_page(bytes: &[u8], page: usize) -> Result<RgbImage, PdfError> {
    guarded(PdfError::Unrenderable { page }, || {
        let pdf = open(bytes)?;
        let pages = pdf.pages();
        let p = page.checked_sub(1).and_then(|i| pages.get(i)).ok_or(PdfError::NoSuchPage { page })?;
        let (w, h) = p.render_dimensions();
        let (scale, width, height) = fit(w, h).ok_or(PdfError::BadPage { page })?;
        let settings = InterpreterSettings { warning_sink: Arc::new(|_| {}), ..Default::default() };
        let pixmap = render(
            p,
            &RenderCache::new(),
            &settings,
            &RenderSettings::default(),
            &PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE },
        );
        let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        if pw == 0 || ph == 0 || pw > width + 1 || ph > height + 1 {
            return Err(PdfError::BadPage { page });
        }
        // Cleared to opaque white, so the premultiplied colours are the colours.
        let rgb: Vec<u8> = pixmap.data_as_u8_slice().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        RgbImage::from_raw(pw, ph, rgb).ok_or(PdfError::BadPage { page })
    })
}

/// Page `page` with `mark` burned in, as a bare PNG with its width and height.
pub fn burned_page(bytes: &[u8], page: usize, mark: &str) -> Result<(Vec<u8>, u32, u32), PdfError> {
    let mut pixels = render_page(bytes, page)?;
    burn_pixels(&mut pixels, mark);
    let (w, h) = pixels.dimensions();
    let png = encode_png(&pixels).map_err(|_| PdfError::Unrenderable { page })?;
    Ok((png, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confidential_watermark::view_mark;

    /// A small PDF written by hand: `pages` A4 pages, each
    /// with a filled dark rectangle in the top-left quarter and a line of Helvetica text.
    pub(crate) fn sample_pdf(pages: usize) -> Vec<u8> {
        let mut objects: Vec<String> = Vec::new();
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")));
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
        for i in 0..pages {
            let content = format!(
                "0.1 0.2 0.6 rg 60 560 240 220 re f BT /F1 28 Tf 0 0 0 rg 60 480 Td (Recipe page {}) Tj ET",
                i + 1
            );
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
        }
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        out
    }

    #[test]
    fn a_page_renders_with_its_rectangle_and_text() {
        let pdf = sample_pdf(2);
        assert_eq!(page_count(&pdf), Ok(2));
        let img = render_page(&pdf, 2).unwrap();
        assert_eq!(img.width(), PAGE_WIDTH);
        assert_eq!(img.height(), (842.0 * PAGE_WIDTH as f32 / 595.0).floor() as u32);
        let s = PAGE_WIDTH as f32 / 595.0;
        // the rectangle (60..300, 560..780 in points from the bottom) is filled blue
        let (x, y) = ((180.0 * s) as u32, ((842.0 - 670.0) * s) as u32);
        let p = img.get_pixel(x, y).0;
        assert!(p[2] > 120 && p[0] < 60, "rectangle pixel {p:?}");
        // the text line is dark somewhere, the margin is white
        let text_row = ((842.0 - 490.0) * s) as u32;
        assert!((0..img.width()).any(|x| img.get_pixel(x, text_row).0[0] < 80), "text drawn");
        assert_eq!(img.get_pixel(5, img.height() - 5).0, [255, 255, 255]);
    }

    #[test]
    fn the_mark_is_burned_into_the_page() {
        let pdf = sample_pdf(1);
        let plain = render_page(&pdf, 1).unwrap();
        let (png, w, h) = burned_page(&pdf, 1, &view_mark("li.wang", "2026-12-06 14:03", 1)).unwrap();
        assert_eq!((w, h), plain.dimensions());
        let marked = image::load_from_memory(&png).unwrap().into_rgb8();
        let changed = marked.pixels().zip(plain.pixels()).filter(|(a, b)| a != b).count();
        assert!(changed > 5_000, "{changed} pixels changed");
        // the bottom margin, blank on the page, carries the mark too
        let bottom = (0..w).flat_map(|x| (h - h / 8..h).map(move |y| (x, y)));
        assert!(bottom.into_iter().any(|(x, y)| marked.get_pixel(x, y).0 != [255, 255, 255]));
    }

    #[test]
    fn bad_pdfs_are_told_apart() {
        assert_eq!(page_count(b"%PDF-1.4\n%%EOF\n"), Err(PdfError::Malformed));
        assert_eq!(page_count(b"%PDF-1.4\ngarbage garbage"), Err(PdfError::Malformed));
        assert_eq!(page_count(&sample_pdf(MAX_PAGES + 1)), Err(PdfError::TooManyPages { count: MAX_PAGES + 1 }));
        assert!(PdfError::TooManyPages { count: 31 }.to_string().contains("最多30页"));
        assert_eq!(render_page(&sample_pdf(1), 2), Err(PdfError::NoSuchPage { page: 2 }));
        assert_eq!(render_page(&sample_pdf(1), 0), Err(PdfError::NoSuchPage { page: 0 }));
        // a file cut short before its first object is told, not a panic
        assert_eq!(render_page(&sample_pdf(1)[..20], 1), Err(PdfError::Malformed));
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(fit(595.0, 842.0).map(|f| (f.1, f.2)), Some((1240, 1754)));
        let (_, w, h) = fit(14_400.0, 14_400.0).unwrap();
        assert_eq!((w, h), (1240, 1240));
        let (_, w, h) = fit(100.0, 14_400.0).unwrap();
        assert!(h <= MAX_SIDE && w >= 1, "{w}×{h}");
        assert_eq!(fit(0.0, 10.0), None);
        assert_eq!(fit(f32::NAN, 10.0), None);
    }
}
