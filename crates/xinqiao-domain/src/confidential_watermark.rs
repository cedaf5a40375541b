//! Burns a viewer's mark into an image's pixels: the account, the time and the view number are
//! drawn in a built-in 5×7 bitmap font, tiled over the whole picture and darkened or lightened
//! against what lies beneath, then the image is re-encoded from its pixels alone. Whoever takes
//! the pixels away takes the mark with them. Pure: bytes in, bytes out.

use crate::incidents::redaction::{RedactionError, decode, encode_png};
use image::RgbImage;

/// Glyph rows, top to bottom; each row's five low bits are the columns, left to right.
fn glyph(c: char) -> [u8; 7] {
    match c.to_ascii_uppercase() {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        ' ' => [0; 7],
        '.' => [0, 0, 0, 0, 0, 0x0C, 0x0C],
        ',' => [0, 0, 0, 0, 0x0C, 0x04, 0x08],
        ':' => [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0],
        '-' => [0, 0, 0, 0x1F, 0, 0, 0],
        '_' => [0, 0, 0, 0, 0, 0, 0x1F],
        '/' => [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        '@' => [0x0E, 0x11, 0x17, 0x15, 0x17, 0x10, 0x0E],
        '+' => [0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0],
        _ => [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F],
    }
}

/// The pixels a mark lights at scale 1: (column, row) pairs, glyphs 6 columns apart.
pub fn mark_cells(mark: &str) -> Vec<(u32, u32)> {
    let mut cells = Vec::new();
    for (i, c) in mark.chars().enumerate() {
        let g = glyph(c);
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5u32 {
                if bits & (0x10 >> col) != 0 {
                    cells.push((i as u32 * 6 + col, row as u32));
                }
            }
        }
    }
    cells
}

/// The mark's letters for a view: ASCII only (the font has no Han characters), so the account,
/// the time and the file's number; a character outside the font is drawn as a box.
pub fn view_mark(username: &str, at: &str, file: i64) -> String {
    format!("{username} {at} FILE#{file}")
}

/// How large a font cell is for an image of this size: about 1/120 of the shorter side, at
/// least 2 pixels so the mark survives a resize by half.
pub fn scale_for(width: u32, height: u32) -> u32 {
    (width.min(height) / 120).clamp(2, 12)
}

/// Decodes a JPEG or PNG, burns `mark` into it tiled (rows offset by half a line), and returns
/// the bare PNG with its width and height.
pub fn burn(bytes: &[u8], mark: &str) -> Result<(Vec<u8>, u32, u32), RedactionError> {
    let mut d = decode(bytes)?;
    burn_pixels(&mut d.pixels, mark);
    Ok((encode_png(&d.pixels)?, d.width(), d.height()))
}

/// Burns `mark` into `pixels` in place, tiled as [`burn`] does (also for a rendered PDF page).
pub fn burn_pixels(pixels: &mut RgbImage, mark: &str) {
    let (w, h) = pixels.dimensions();
    let s = scale_for(w, h);
    let cells = mark_cells(mark);
    let line_w = (mark.chars().count() as u32 * 6 + 10) * s;
    let line_h = 7 * s * 4;
    let mut row = 0u32;
    let mut y0 = s * 2;
    while y0 < h {
        // odd rows start half a line to the left, so the tiles are staggered
        let mut x = i64::from(s * 2) - if row % 2 == 1 { i64::from(line_w / 2) } else { 0 };
        while x < i64::from(w) {
            for &(cx, cy) in &cells {
                for dy in 0..s {
                    for dx in 0..s {
                        let px = x + i64::from(cx * s + dx);
                        let py = i64::from(y0 + cy * s + dy);
                        if px < 0 || py < 0 || px >= i64::from(w) || py >= i64::from(h) {
                            continue;
                        }
                        let p = pixels.get_pixel_mut(px as u32, py as u32);
                        let luma = (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000;
                        // Dark on light, light on dark, each half-way: readable, the picture still shows.
                        let target = if luma > 110 { 0u16 } else { 255u16 };
                        for ch in p.0.iter_mut() {
                            *ch = ((u16::from(*ch) + target) / 2) as u8;
                        }
                    }
                }
            }
            x += i64::from(line_w);
        }
        y0 += line_h;
        row += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage};
    use std::io::Cursor;

    fn png(w: u32, h: u32, colour: [u8; 3]) -> Vec<u8> {
        let img = RgbImage::from_pixel(w, h, Rgb(colour));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn pixels(bytes: &[u8]) -> RgbImage {
        image::load_from_memory(bytes).unwrap().into_rgb8()
    }

    #[test]
    fn the_mark_is_in_the_pixels_all_over_the_image() {
        let (out, w, h) = burn(&png(600, 400, [255, 255, 255]), &view_mark("li.wang", "2026-12-06 14:03", 3)).unwrap();
        assert_eq!((w, h), (600, 400));
        let img = pixels(&out);
        let changed: Vec<(u32, u32)> =
            img.enumerate_pixels().filter(|(_, _, p)| p.0 != [255, 255, 255]).map(|(x, y, _)| (x, y)).collect();
        let share = changed.len() as f64 / f64::from(w * h);
        assert!(share > 0.02 && share < 0.5, "marked share {share}");
        // every quarter of the picture carries the mark, so cropping does not remove it
        for (qx, qy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            assert!(changed.iter().any(|&(x, y)| x / (w / 2) == qx && y / (h / 2) == qy), "quarter {qx},{qy} unmarked");
        }
        // marked pixels are darkened half-way on white
        assert!(changed.iter().all(|&(x, y)| img.get_pixel(x, y).0 == [127, 127, 127]));
    }

    #[test]
    fn the_first_line_spells_the_mark_in_the_font() {
        let mark = view_mark("li.wang", "2026-12-06 14:03", 12);
        let (out, w, h) = burn(&png(480, 240, [250, 250, 250]), &mark).unwrap();
        let s = scale_for(w, h);
        let img = pixels(&out);
        // the first row starts at (2s, 2s); each lit cell is a dark s×s block, each unlit one stays
        for (i, c) in mark.chars().enumerate().take(12) {
            let g = glyph(c);
            for (row, bits) in g.iter().enumerate() {
                for col in 0..5u32 {
                    let x = 2 * s + (i as u32 * 6 + col) * s;
                    let y = 2 * s + row as u32 * s;
                    let lit = bits & (0x10 >> col) != 0;
                    assert_eq!(img.get_pixel(x, y).0[0] < 200, lit, "char {c:?} row {row} col {col}");
                }
            }
        }
    }

    #[test]
    fn dark_pictures_get_a_light_mark_and_different_viewers_different_pixels() {
        let (out, ..) = burn(&png(300, 300, [10, 10, 10]), "a 2026").unwrap();
        assert!(pixels(&out).pixels().any(|p| p.0[0] > 100), "light mark on dark");
        let a = burn(&png(300, 300, [200, 200, 200]), &view_mark("li.wang", "2026-12-06 14:03", 1)).unwrap().0;
        let b = burn(&png(300, 300, [200, 200, 200]), &view_mark("zhao.min", "2026-12-06 14:03", 1)).unwrap().0;
        assert_ne!(pixels(&a), pixels(&b));
    }

    #[test]
    fn only_jpeg_and_png_are_taken() {
        assert_eq!(burn(b"GIF89a....", "x").unwrap_err(), RedactionError::NotImage);
    }
}
