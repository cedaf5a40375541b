//! GIF: the blocks kept when an upload is cleaned, and the canvas size a browser would draw.

use super::{Walk, at, end_of};

/// GIF: keeps images, graphic-control and plain-text extensions and the animation application
/// extensions (NETSCAPE2.0, ANIMEXTS1.0); drops comments, other application extensions (XMP) and
/// anything after the trailer.
pub(super) fn clean(b: &[u8]) -> Walk {
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

/// The area a browser may draw: the logical screen, grown to cover every frame placed beyond it.
pub(super) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let u16_at = |i: usize| at::<2>(b, i).map(|v| u32::from(u16::from_le_bytes(v)));
    let (mut width, mut height) = (u16_at(6)?, u16_at(8)?);
    let mut pos = end_of(b, 13, color_table(*b.get(10)?)).ok()?;
    loop {
        match *b.get(pos)? {
            0x3B => return (width > 0 && height > 0).then_some((width, height)),
            0x2C => {
                width = width.max(u16_at(pos + 1)? + u16_at(pos + 5)?);
                height = height.max(u16_at(pos + 3)? + u16_at(pos + 7)?);
                let packed = *b.get(pos + 9)?;
                pos = sub_blocks(b, end_of(b, pos + 10, color_table(packed) + 1).ok()?).ok()?;
            }
            0x21 => pos = sub_blocks(b, pos + 2).ok()?,
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dimensions;
    use crate::cases::attachments::fixtures::*;
    use crate::cases::attachments::{MediaType, sanitize};

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
    fn size_covers_every_frame() {
        assert_eq!(dimensions(&gif_fixture()), Some((1, 1)));
        let mut wide = gif_fixture();
        let frame = wide.len() - 16;
        assert_eq!(wide[frame], 0x2C);
        wide[frame + 1..frame + 3].copy_from_slice(&60_000u16.to_le_bytes());
        wide[frame + 5..frame + 7].copy_from_slice(&5_000u16.to_le_bytes());
        assert!(sanitize(&wide).is_ok());
        assert_eq!(dimensions(&wide), Some((65_000, 1)));
        assert_eq!(dimensions(&wide[..wide.len() - 1]), None, "no trailer");
    }
}
