//! Short fuzzing campaigns run by `cargo test`: every seed of every domain target and a fixed set
//! of mutations of them (the long runs are `cargo fuzz run <target>`, see fuzz/README.md); and
//! the verdicts on the seed files real producers made (Pillow, qpdf).

use super::*;
use crate::cases::attachments::{AttachmentError, sanitize};

const PDF_TOKENS: [&[u8]; 12] = [
    b"stream\n",
    b"\nendstream",
    b" obj ",
    b"endobj",
    b"/Type/ObjStm",
    b"/First 4",
    b"/Filter/FlateDecode",
    b"/Length 9",
    b"<<",
    b">>",
    b"/OpenAction",
    b"(",
];

#[test]
fn attachments_survive_a_short_campaign() {
    mutations(
        &seeds("attachment"),
        &[b"\xFF\xD9", b"IEND", b"\x21\xF9\x04", b"VP8X", b"\xFF\xDA\0\x08"],
        4_000,
        attachment,
    );
}

#[test]
fn the_pdf_check_survives_a_short_campaign() {
    mutations(&seeds("pdf"), &PDF_TOKENS, 4_000, pdf);
}

#[test]
fn image_headers_survive_a_short_campaign() {
    mutations(&seeds("image_header"), &[b"\xFF\xC0\0\x11\x08", b"IHDR", b"VP8 ", b"VP8L\x2f"], 4_000, image_header);
}

#[test]
fn identifiers_survive_a_short_campaign() {
    mutations(&seeds("identifiers"), &["－".as_bytes(), b"-", b" ", "Ｘ".as_bytes(), b"\xE4"], 6_000, identifiers);
}

#[test]
fn the_masker_survives_a_short_campaign() {
    let detector = Detector::new();
    let tokens: [&[u8]; 5] = ["１３８".as_bytes(), b"13812345678", "号".as_bytes(), "先生".as_bytes(), b"\xF0\x9F"];
    mutations(&seeds("masker"), &tokens, 600, |data| masker(&detector, data));
}

#[test]
fn files_from_real_producers_get_the_expected_verdicts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/attachment");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    for photo in ["photo-exif-gps.jpg", "text-exif.png", "lossy.webp", "lossless.webp", "animated.webp", "animated.gif"]
    {
        let original = read(photo);
        let cleaned = sanitize(&original).unwrap_or_else(|e| panic!("{photo}: {e:?}"));
        assert_eq!(cleaned.stripped, photo != "animated.webp", "{photo}: metadata removed (that one has none)");
        for secret in [&b"GPS"[..], b"Xiaomi", b"MIUI", b"xmpmeta", "张三".as_bytes(), b"made by hand", b"secret"] {
            assert!(!cleaned.bytes.windows(secret.len()).any(|w| w == secret), "{photo} keeps {secret:?}");
        }
        let dims = crate::cases::attachments::dimensions(cleaned.media, &cleaned.bytes).unwrap();
        assert!(matches!((dims.width, dims.height), (48, 32) | (24, 16)), "{photo}: {dims:?}");
    }
    let verdict = |name: &str| sanitize(&read(name)).map(|_| ()).map_err(|e| e.code());
    assert_eq!(verdict("plain-objstm.pdf"), Ok(()));
    // Chromium's print to PDF (Skia: fonts, an image, a link), and the same rewritten by qpdf with
    // object streams.
    assert_eq!(verdict("chromium-print.pdf"), Ok(()));
    assert_eq!(verdict("chromium-qpdf-objstm.pdf"), Ok(()));
    assert_eq!(verdict("open-destination.pdf"), Ok(()));
    assert_eq!(verdict("open-action-js.pdf"), Err("attachment_active_content"));
    assert_eq!(verdict("embedded-file.pdf"), Err("attachment_active_content"));
    assert_eq!(sanitize(&read("encrypted.pdf")), Err(AttachmentError::PdfEncrypted));
}
