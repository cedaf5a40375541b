//! `cargo bench -p xinqiao-domain --bench attachments`: the upload check on the worst files of
//! the maximum size (10 MB) — the PDF check on object-stream bombs, on compressed content, on
//! streams that never end and on nothing but names; the JPEG walk on a 10 MB scan — and on an
//! ordinary PDF (the Chromium seed). Prints the median time of each; goal: under 1 s each.

use std::io::Write;
use std::time::Instant;
use xinqiao_domain::cases::attachments::sanitize;

fn zlib(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn fill(head: &[u8], mut next: impl FnMut(usize) -> Vec<u8>) -> Vec<u8> {
    let mut out = head.to_vec();
    let mut n = 0;
    while out.len() < 9_900_000 {
        out.extend_from_slice(&next(n));
        n += 1;
    }
    out
}

fn stream(n: usize, dict: &str, data: &[u8]) -> Vec<u8> {
    let head = format!("{n} 0 obj<<{dict}/Length {}>>stream\n", data.len());
    [head.as_bytes(), data, b"\nendstream endobj\n"].concat()
}

fn main() {
    let bomb = zlib(&vec![b' '; 16 << 20], 9);
    let content = zlib(&(0..=255u8).cycle().take(1 << 20).collect::<Vec<_>>(), 1);
    let jpeg_scan: Vec<u8> = (0..9_800_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 & 0xFE).collect();
    let chromium =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/attachment/chromium-print.pdf"));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("pdf: object-stream bombs (16 MiB each)", fill(b"%PDF-1.5\n", |n| stream(n, "/Type/ObjStm/N 1/First 4/Filter/FlateDecode", &bomb))),
        ("pdf: 1 MiB compressed content streams", fill(b"%PDF-1.5\n", |n| stream(n, "/Filter/FlateDecode", &content))),
        ("pdf: streams that never end", fill(b"%PDF-1.4\n", |_| b"1 0 obj<<>>stream\nx\n".to_vec())),
        ("pdf: only names", fill(b"%PDF-1.4\n", |_| b"/JSX /Fo#6F 1 0 R ".to_vec())),
        ("jpeg: 10 MB scan", [&b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xC0\0\x0B\x08\x10\0\x10\0\x01\x01\x11\0\xFF\xDA\0\x08\x01\x01\0\0\x3F\0"[..], &jpeg_scan, b"\xFF\xD9"].concat()),
        ("pdf: Chromium's print (13 kB)", chromium.unwrap_or_default()),
    ];
    for (name, bytes) in &cases {
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                let verdict = sanitize(bytes).map(|_| "accepted").unwrap_or_else(|e| e.code());
                std::hint::black_box(verdict);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let verdict = sanitize(bytes).map(|_| "accepted").unwrap_or_else(|e| e.code());
        println!("{name:45} {:>9} bytes  median {:8.1} ms  ({verdict})", bytes.len(), times[2]);
    }
}
