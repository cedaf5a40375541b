//! WebP: the RIFF chunks kept when an upload is cleaned, and the canvas size read from its header.

use super::{Walk, at, end_of};

/// WebP: keeps the bitstream, animation, alpha and ICC chunks; drops EXIF, XMP and unknown chunks,
/// clears the EXIF/XMP flags of VP8X and rewrites the RIFF size.
pub(super) fn clean(b: &[u8]) -> Walk {
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

/// The canvas size from the first chunk: VP8X's canvas, or the key frame header of a simple lossy
/// (VP8) or lossless (VP8L) file. Animation frames lie within the canvas.
pub(super) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let u24 = |i: usize| at::<3>(b, i).map(|[a, c, d]| u32::from_le_bytes([a, c, d, 0]));
    match &at::<4>(b, 12)? {
        b"VP8X" => Some((u24(24)? + 1, u24(27)? + 1)),
        b"VP8L" if *b.get(20)? == 0x2F => {
            let v = u32::from_le_bytes(at(b, 21)?);
            Some(((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1))
        }
        b"VP8 " if u24(20)? & 1 == 0 && at::<3>(b, 23)? == [0x9D, 0x01, 0x2A] => {
            let (w, h) = (u16::from_le_bytes(at(b, 26)?) & 0x3FFF, u16::from_le_bytes(at(b, 28)?) & 0x3FFF);
            (w > 0 && h > 0).then_some((u32::from(w), u32::from(h)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::dimensions;
    use crate::cases::attachments::fixtures::*;
    use crate::cases::attachments::{MediaType, sanitize};

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
    fn size_comes_from_the_first_chunk() {
        let canvas = [0, 0, 0, 0, 0x2F, 0x75, 0, 0x2F, 0x75, 0];
        assert_eq!(
            dimensions(&riff(&[webp_chunk(b"VP8X", &canvas), webp_chunk(b"VP8L", b"x")])),
            Some((30_000, 30_000))
        );
        let lossless = (99u32 | (49 << 14)).to_le_bytes();
        let vp8l = [&[0x2F][..], &lossless].concat();
        assert_eq!(dimensions(&riff(&[webp_chunk(b"VP8L", &vp8l)])), Some((100, 50)));
        let vp8 = [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
        assert_eq!(dimensions(&riff(&[webp_chunk(b"VP8 ", &vp8)])), Some((640, 480)));
        let mut inter = vp8;
        inter[0] |= 1;
        assert_eq!(dimensions(&riff(&[webp_chunk(b"VP8 ", &inter)])), None, "not a key frame");
        assert_eq!(dimensions(&riff(&[webp_chunk(b"VP8 ", &vp8[..7])])), None, "short");
    }
}
