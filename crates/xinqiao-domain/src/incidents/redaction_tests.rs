//! Tests of evidence redaction: the boxed pixels are the fill colour in the decoded published
//! copy, the rest is unchanged, and nothing of the original's metadata survives.

use super::*;
use image::codecs::jpeg::JpegEncoder;

/// A colourful photo (no pixel near black) as a camera writes it: JPEG with EXIF (camera, GPS,
/// a thumbnail's bytes, the given orientation), XMP, an ICC profile and a comment.
fn camera_jpeg(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([100 + (x * 7 % 150) as u8, 90 + (y * 5 % 160) as u8, 120 + ((x + y) % 100) as u8])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&img).unwrap();
    let (desc, make, thumb) =
        (&b"GPS 31.2304N 121.4737E\0"[..], &b"XinqiaoCam\0"[..], &b"XinqiaoThumb\xff\xd8\xff\xd9"[..]);
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    let data_at = 8 + 2 + 4 * 12 + 4;
    tiff.extend_from_slice(&4u16.to_be_bytes());
    let mut entry = |tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&count.to_be_bytes());
        tiff.extend_from_slice(&value.to_be_bytes());
    };
    entry(0x010e, 2, desc.len() as u32, data_at);
    entry(0x010f, 2, make.len() as u32, data_at + desc.len() as u32);
    entry(0x0112, 3, 1, u32::from(orientation) << 16);
    entry(0x9286, 7, thumb.len() as u32, data_at + (desc.len() + make.len()) as u32);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for part in [desc, make, thumb] {
        tiff.extend_from_slice(part);
    }
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xff, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(0xe1, &[&b"Exif\0\0"[..], &tiff].concat()));
    out.extend(segment(0xe1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XinqiaoXmp owner</x:xmpmeta>"));
    out.extend(segment(0xe2, b"ICC_PROFILE\0\x01\x01XinqiaoIcc"));
    out.extend(segment(0xfe, b"XinqiaoComment 13800138000"));
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

const TRACES: [&[u8]; 8] =
    [b"Exif", b"GPS", b"31.2304", b"XinqiaoCam", b"XinqiaoThumb", b"XinqiaoXmp", b"XinqiaoIcc", b"XinqiaoComment"];

#[test]
fn the_fixture_carries_every_trace_and_decodes() {
    let original = camera_jpeg(64, 48, 1);
    for t in TRACES {
        assert!(contains(&original, t), "fixture lacks {}", String::from_utf8_lossy(t));
    }
    let d = decode(&original).unwrap();
    assert_eq!((d.width(), d.height()), (64, 48));
}

#[test]
fn boxed_pixels_are_the_fill_and_the_rest_is_kept() {
    let original = camera_jpeg(64, 48, 1);
    let before = decode(&original).unwrap().pixels;
    let b = RedactBox { x: 10, y: 5, w: 20, h: 12 };
    assert!(before.enumerate_pixels().all(|(_, _, p)| p.0 != FILL), "the photo has no fill-coloured pixel");
    let published = redact(&original, &[b]).unwrap();
    assert!(published.starts_with(b"\x89PNG\r\n\x1a\n"));
    let after = image::load_from_memory_with_format(&published, ImageFormat::Png).unwrap().into_rgb8();
    assert_eq!(after.dimensions(), (64, 48));
    for (x, y, p) in after.enumerate_pixels() {
        let boxed = (10..30).contains(&x) && (5..17).contains(&y);
        if boxed {
            assert_eq!(p.0, FILL, "pixel {x},{y} in the box");
        } else {
            assert_eq!(*p, *before.get_pixel(x, y), "pixel {x},{y} outside the box");
        }
    }
}

#[test]
fn the_published_copy_carries_no_metadata_of_the_original() {
    let published = redact(&camera_jpeg(64, 48, 1), &[RedactBox { x: 0, y: 0, w: 8, h: 8 }]).unwrap();
    for t in TRACES {
        assert!(!contains(&published, t), "published bytes hold {}", String::from_utf8_lossy(t));
    }
    // Only the image chunks: no eXIf, tEXt, zTXt, iTXt, iCCP, tIME.
    let mut at = 8;
    let mut chunks = Vec::new();
    while at + 8 <= published.len() {
        let len = u32::from_be_bytes(published[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&published[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    assert!(chunks.iter().all(|c| ["IHDR", "IDAT", "IEND"].contains(&c.as_str())), "{chunks:?}");
}

#[test]
fn boxes_are_drawn_on_the_image_as_shown() {
    // Orientation 6: stored 64×48, shown turned a quarter clockwise, 48×64.
    let original = camera_jpeg(64, 48, 6);
    let d = decode(&original).unwrap();
    assert_eq!((d.width(), d.height()), (48, 64));
    let published = redact(&original, &[RedactBox { x: 40, y: 50, w: 8, h: 14 }]).unwrap();
    let after = image::load_from_memory(&published).unwrap().into_rgb8();
    assert_eq!(after.dimensions(), (48, 64));
    assert_eq!(after.get_pixel(47, 63).0, FILL);
    assert_ne!(after.get_pixel(39, 49).0, FILL);
    assert_eq!(
        redact(&original, &[RedactBox { x: 40, y: 50, w: 9, h: 14 }]),
        Err(RedactionError::OutsideImage { index: 1, width: 48, height: 64 })
    );
}

#[test]
fn png_input_is_taken_and_other_files_refused() {
    let img = RgbImage::from_pixel(10, 10, image::Rgb([200, 10, 10]));
    let mut png = Cursor::new(Vec::new());
    img.write_to(&mut png, ImageFormat::Png).unwrap();
    let out = redact(png.get_ref(), &[RedactBox { x: 0, y: 0, w: 10, h: 1 }]).unwrap();
    let after = image::load_from_memory(&out).unwrap().into_rgb8();
    assert_eq!(after.get_pixel(9, 0).0, FILL);
    assert_eq!(after.get_pixel(9, 1).0, [200, 10, 10]);
    assert_eq!(redact(b"%PDF-1.4 not an image", &[]).err(), Some(RedactionError::NotImage));
    assert_eq!(redact(b"\x89PNG\r\n\x1a\nbroken", &[]).err().map(|e| e.code()), Some("evidence_undecodable"));
}

#[test]
fn boxes_are_read_as_typed_and_checked() {
    let boxes = parse_boxes("10,20,30,40\n 1， 2 ，3，4 ;\n\n5 6 7 8").unwrap();
    assert_eq!(
        boxes,
        vec![
            RedactBox { x: 10, y: 20, w: 30, h: 40 },
            RedactBox { x: 1, y: 2, w: 3, h: 4 },
            RedactBox { x: 5, y: 6, w: 7, h: 8 }
        ]
    );
    assert_eq!(parse_boxes(&boxes_text(&boxes)).unwrap(), boxes);
    assert_eq!(parse_boxes("1,2,3\n"), Err(RedactionError::BadBox { line: 1 }));
    assert_eq!(parse_boxes("1,2,3,4\n-1,2,3,4"), Err(RedactionError::BadBox { line: 2 }));
    assert_eq!(
        check_boxes(&[RedactBox { x: 0, y: 0, w: 0, h: 3 }], 10, 10),
        Err(RedactionError::EmptyBox { index: 1 })
    );
    assert_eq!(
        check_boxes(&[RedactBox { x: u32::MAX, y: 0, w: 2, h: 3 }], 10, 10),
        Err(RedactionError::OutsideImage { index: 1, width: 10, height: 10 })
    );
    assert!(check_boxes(&[RedactBox { x: 0, y: 0, w: 10, h: 10 }], 10, 10).is_ok());
}
