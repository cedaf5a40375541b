//! PNG: the chunks kept when an upload is cleaned, and the image size read from its header.

use super::{Walk, at, end_of};

/// PNG chunks needed to display an image (incl. APNG); text, eXIf, tIME and unknown ancillary
/// chunks are dropped.
const PNG_KEEP: [&[u8; 4]; 22] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV",
    b"mDCv", b"cLLI", b"cLLi", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

pub(super) fn clean(b: &[u8]) -> Walk {
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

/// Width and height from the IHDR chunk (always the first chunk of a cleaned PNG; APNG frames lie
/// within it).
pub(super) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let (width, height) = (u32::from_be_bytes(at(b, 16)?), u32::from_be_bytes(at(b, 20)?));
    (width > 0 && height > 0).then_some((width, height))
}

#[cfg(test)]
mod tests {
    use super::dimensions;
    use crate::cases::attachments::fixtures::*;
    use crate::cases::attachments::{MediaType, sanitize};

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
    fn size_comes_from_the_header() {
        assert_eq!(dimensions(&sanitize(&png_fixture()).unwrap().bytes), Some((1, 1)));
        let mut huge = png_fixture();
        huge[16..24].copy_from_slice(&[0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30]);
        let cleaned = sanitize(&huge).unwrap();
        assert_eq!(dimensions(&cleaned.bytes), Some((30_000, 30_000)));
        huge[16..20].copy_from_slice(&[0; 4]);
        assert_eq!(dimensions(&huge), None, "zero width");
        assert_eq!(dimensions(&huge[..20]), None);
    }
}
