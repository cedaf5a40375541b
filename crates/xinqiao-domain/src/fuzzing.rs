//! The properties every parser of outside input must keep on arbitrary bytes — no panic, bounded
//! work, and its own invariants — written once and run two ways: by the cargo-fuzz targets in
//! `fuzz/` (long runs, coverage-guided) and by the tests, over seed files and a fixed number of
//! deterministic mutations of them ([`mutations`]), so every `cargo test` runs a short campaign.
//! Each check panics when a property fails; that is what a fuzzer reports.

use crate::cases::attachments::{self, MediaType};
use crate::cases::tracking::TrackingCode;
use crate::directory::{parse_inspectors, parse_targets};
use crate::ids::{IdNumber, Mobile, RegionCode, Uscc, Username};
use crate::privacy::Detector;

/// An upload: refused with a code, or cleaned into bytes that are accepted again unchanged, of
/// the sniffed type, no larger than what came in (plus the minimal orientation segment), whose
/// size header reads without panicking.
pub fn attachment(data: &[u8]) {
    let Ok(cleaned) = attachments::sanitize(data) else { return };
    assert_eq!(attachments::sniff(&cleaned.bytes), Some(cleaned.media));
    assert!(cleaned.bytes.len() <= data.len() + 36, "cleaning only removes");
    let again = attachments::sanitize(&cleaned.bytes).expect("cleaned bytes are accepted again");
    assert_eq!(again.bytes, cleaned.bytes, "cleaning is idempotent");
    assert!(!again.stripped, "nothing left to strip");
    if cleaned.media == MediaType::Pdf {
        assert_eq!(cleaned.bytes, data, "a PDF is stored as it came");
    }
    let shown = attachments::shown_inline(cleaned.media, &cleaned.bytes);
    let dims = attachments::dimensions(cleaned.media, &cleaned.bytes);
    assert_eq!(shown, dims.is_some_and(|d| d.pixels() <= attachments::MAX_INLINE_PIXELS) && cleaned.media.is_image());
}

/// The PDF check on arbitrary bytes (behind a PDF header if they lack one).
pub fn pdf(data: &[u8]) {
    let file = if data.starts_with(b"%PDF-") { data.to_vec() } else { [&b"%PDF-1.7\n"[..], data].concat() };
    if file.len() <= attachments::MAX_BYTES {
        attachment(&file);
    }
}

/// The size header of every image type, read from bytes that were never cleaned.
pub fn image_header(data: &[u8]) {
    for media in MediaType::ALL {
        if let Some(d) = attachments::dimensions(media, data) {
            assert!(d.width > 0 && d.height > 0, "{media:?}");
        }
    }
}

/// Identifiers typed by people: each parses or is refused with a field error; what parses reads
/// back to itself.
pub fn identifiers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = TrackingCode::parse(&text) {
        assert_eq!(TrackingCode::parse(&code.to_string()).as_ref(), Ok(&code));
        assert_eq!(code.as_str().len(), 14);
    }
    if let Ok(uscc) = Uscc::parse(&text) {
        assert_eq!(Uscc::parse(uscc.as_str()).as_ref(), Ok(&uscc));
    }
    if let Ok(id) = IdNumber::parse(&text) {
        assert_eq!(IdNumber::parse(id.as_str()).map(|i| i.as_str().to_owned()), Ok(id.as_str().to_owned()));
    }
    if let Ok(m) = Mobile::parse(&text) {
        assert_eq!(Mobile::parse(m.as_str()).map(|i| i.as_str().to_owned()), Ok(m.as_str().to_owned()));
    }
    if let Ok(r) = RegionCode::parse(&text) {
        assert_eq!(RegionCode::parse(r.as_str()).as_ref(), Ok(&r));
    }
    if let Ok(u) = Username::parse(&text) {
        assert_eq!(Username::parse(u.as_str()).as_ref(), Ok(&u));
    }
}

/// The masker's public contract: spans in order, inside the text, without overlaps, each holding
/// the characters it covers; masking never panics.
pub fn masker(detector: &Detector, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let chars: Vec<char> = text.chars().collect();
    let spans = detector.detect(&text);
    let mut end = 0;
    for span in &spans {
        assert!(span.start >= end && span.start < span.end && span.end <= chars.len(), "{span:?}");
        assert_eq!(span.text, chars[span.start..span.end].iter().collect::<String>());
        end = span.end;
    }
    let _ = detector.mask(&text);
}

/// A directory table (targets or inspectors) as read from a file: each row is accepted or
/// reported with its own line number.
pub fn directory(header: &[String], rows: Vec<(usize, Vec<String>)>) {
    let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
    for result in
        [parse_targets(header, rows.clone()).map(|r| r.len()), parse_inspectors(header, rows).map(|r| r.len())]
    {
        match result {
            Ok(n) => assert!(n <= lines.len(), "blank rows may be skipped, none invented"),
            Err(errors) => {
                assert!(!errors.is_empty());
                assert!(errors.iter().all(|e| e.line <= 1 || lines.contains(&e.line)), "errors name real lines");
            }
        }
    }
}

/// Calls `check` with each seed and then with `rounds` mutations of them (truncations, flipped
/// and inserted bytes, spliced seeds, repeated chunks, dictionary tokens), from a fixed PRNG so
/// a failure repeats. The failing input is printed before the panic is passed on.
pub fn mutations(seeds: &[Vec<u8>], tokens: &[&[u8]], rounds: usize, mut check: impl FnMut(&[u8])) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut run = |input: &[u8]| {
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(input))) {
            eprintln!("failing input ({} bytes): {:?}", input.len(), String::from_utf8_lossy(input));
            std::panic::resume_unwind(panic);
        }
    };
    seeds.iter().for_each(|s| run(s));
    if seeds.is_empty() {
        return;
    }
    for round in 0..rounds {
        let mut b = seeds[round % seeds.len()].clone();
        for _ in 0..1 + next() % 3 {
            let at = if b.is_empty() { 0 } else { next() % (b.len() + 1) };
            match next() % 7 {
                0 => b.truncate(at),
                1 if at < b.len() => b[at] = next() as u8,
                2 => b.splice(at..at, (0..1 + next() % 16).map(|_| next() as u8)).for_each(drop),
                3 => {
                    let other = &seeds[next() % seeds.len()];
                    let from = next() % (other.len() + 1);
                    b.splice(at.., other[from..].iter().copied()).for_each(drop);
                }
                4 if at < b.len() => {
                    let len = (next() % 64).min(b.len() - at);
                    let chunk = b[at..at + len].to_vec();
                    (0..1 + next() % 8).for_each(|_| b.splice(at..at, chunk.iter().copied()).for_each(drop));
                }
                5 if !tokens.is_empty() => {
                    b.splice(at..at, tokens[next() % tokens.len()].iter().copied()).for_each(drop)
                }
                _ if at < b.len() => b[at] ^= 1 << (next() % 8),
                _ => b.push(next() as u8),
            }
        }
        run(&b);
    }
}

/// The seed files of a fuzz target (`fuzz/seeds/<target>/`), in name order.
#[cfg(test)]
pub(crate) fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("seed directory").map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[cfg(test)]
mod tests;
