//! JPEG: the segments kept when an upload is cleaned, and the frame size read from its header.

use super::{Walk, at, end_of};

/// JPEG: keeps APP0 (JFIF), APP2 ICC profiles, APP14 (Adobe) and the coding segments; drops every
/// other APPn (EXIF, XMP, IPTC, MPF…), comments, and anything after EOI (appended previews carry
/// their own EXIF). EXIF orientation survives in a minimal APP1 so photos still display upright.
pub(super) fn clean(b: &[u8]) -> Walk {
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
pub(super) fn exif_orientation(payload: &[u8]) -> Option<u16> {
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
pub(super) fn orientation_segment(v: u16) -> [u8; 36] {
    let [hi, lo] = v.to_be_bytes();
    #[rustfmt::skip]
    let segment = [
        0xFF, 0xE1, 0, 34, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0, 42, 0, 0, 0, 8,
        0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, hi, lo, 0, 0, 0, 0, 0, 0,
    ];
    segment
}

/// The frame size (width, height) from the first SOFn segment; `None` when the height is left to
/// a DNL marker (0) or no frame header comes before the first scan.
pub(super) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut pos = 2;
    loop {
        if *b.get(pos)? != 0xFF {
            return None;
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *b.get(pos)?;
        pos += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue,
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                let [y1, y0, x1, x0] = at::<4>(b, pos + 3)?;
                let (height, width) = (u16::from_be_bytes([y1, y0]), u16::from_be_bytes([x1, x0]));
                return (height > 0 && width > 0).then_some((u32::from(width), u32::from(height)));
            }
            0x00 | 0xD8 | 0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes(at(b, pos)?));
        pos = end_of(b, pos, len.max(2)).ok()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::attachments::fixtures::*;
    use crate::cases::attachments::{MediaType, sanitize};

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
    fn size_comes_from_the_frame_header() {
        let (bytes, _, _) = jpeg_fixture(EXIF_GPS);
        assert_eq!(dimensions(&bytes), Some((1, 1)));
        let big = |sof: u8, y: u16, x: u16| {
            let [y1, y0] = y.to_be_bytes();
            let [x1, x0] = x.to_be_bytes();
            [
                &[0xFF, 0xD8][..],
                &segment(0xE0, b"JFIF\0"),
                &segment(0xC4, &[0; 20]),
                &segment(sof, &[8, y1, y0, x1, x0, 1, 1, 0x11, 0]),
            ]
            .concat()
        };
        assert_eq!(dimensions(&big(0xC2, 40_000, 30_000)), Some((30_000, 40_000)), "progressive");
        assert_eq!(dimensions(&big(0xC0, 0, 30_000)), None, "height in a DNL marker");
        assert_eq!(dimensions(&big(0xC4, 10, 10)), None, "DHT is no frame header");
        assert_eq!(dimensions(&big(0xC0, 10, 10)[..20]), None, "truncated");
    }
}
