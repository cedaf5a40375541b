//! Reading an import file safely, before a row is looked at: what it is by its first bytes (an
//! `.xlsx` that is really CSV text, an old `.xls`), its size, an XLSX's declared and actual
//! decompressed sizes (a zip bomb is stopped early and in bounded memory), its text encoding
//! (UTF-8, or GBK converted; anything else refused, naming the encoding), and its heading (a
//! column given twice is refused).

use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::Path;

/// How a CSV file's text is encoded.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without BOM), or else GBK when the bytes read as GBK
    #[default]
    Auto,
    /// UTF-8 only
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK (read as GB 18030, which contains it)
    #[value(alias = "gb18030")]
    Gbk,
}

/// The largest CSV accepted.
pub const MAX_CSV_BYTES: u64 = 2 << 30;
/// The largest XLSX accepted (as stored) ...
pub const MAX_XLSX_BYTES: u64 = 100 << 20;
/// ... and what all its parts may decompress to.
pub const MAX_XLSX_UNPACKED: u64 = 1 << 30;
/// A part larger than 1 MiB may not decompress to more than this many times its stored size.
const MAX_RATIO: u64 = 200;
/// The longest cell accepted in any column, in characters.
pub const MAX_CELL_CHARS: usize = 10_000;

fn size_of(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path).with_context(|| format!("无法打开 {}", path.display()))?.len())
}

fn first_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .with_context(|| format!("无法打开 {}", path.display()))?
        .take(8)
        .read_to_end(&mut head)?;
    Ok(head)
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks an `.xlsx` before a spreadsheet reader opens it: its first bytes, its size, and what
/// its parts declare and actually decompress to.
pub fn check_xlsx(path: &Path) -> Result<()> {
    let head = first_bytes(path)?;
    if head.starts_with(OLE) {
        bail!("{} 是旧版 Excel（.xls）文件，不支持：请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再导入", path.display());
    }
    if !head.starts_with(ZIP) {
        bail!(
            "{} 的扩展名是 .xlsx，但内容不是 Excel 工作簿（看起来是文本，可能是改了扩展名的 CSV）：\
             如果是 CSV，请把扩展名改为 .csv 后再导入",
            path.display()
        );
    }
    let size = size_of(path)?;
    if size > MAX_XLSX_BYTES {
        bail!(
            "{} 有 {} MB，超过 .xlsx 的上限 {} MB：请拆分，或另存为 CSV",
            path.display(),
            size >> 20,
            MAX_XLSX_BYTES >> 20
        );
    }
    let file = std::fs::File::open(path)?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|_| anyhow::anyhow!("{} 不是有效的 .xlsx 文件（压缩包已损坏）", path.display()))?;
    let too_big = || {
        anyhow::anyhow!(
            "{} 解压后超过 {} MB（或压缩比异常，疑似“压缩炸弹”），已拒绝：请检查文件来源，或另存为 CSV",
            path.display(),
            MAX_XLSX_UNPACKED >> 20
        )
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| anyhow::anyhow!("{} 不是有效的 .xlsx 文件", path.display()))?;
        declared = declared.saturating_add(part.size());
        let suspicious = part.size() > (1 << 20) && part.size() / part.compressed_size().max(1) > MAX_RATIO;
        if declared > MAX_XLSX_UNPACKED || suspicious {
            return Err(too_big());
        }
    }
    // What the parts say may be false: decompress them once, counting, and stop at the limit.
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| anyhow::anyhow!("{} 不是有效的 .xlsx 文件", path.display()))?;
        let budget = MAX_XLSX_UNPACKED - unpacked;
        let n = std::io::copy(&mut part.take(budget + 1), &mut std::io::sink())
            .map_err(|_| anyhow::anyhow!("{} 不是有效的 .xlsx 文件（内容无法解压）", path.display()))?;
        unpacked += n;
        if n > budget {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A CSV file read: its text, a note when it was converted, and the SHA-256 of its bytes.
#[derive(Debug)]
pub struct CsvText {
    pub text: String,
    pub note: Option<&'static str>,
    pub sha256: String,
}

/// A CSV file's text: UTF-8 (a BOM dropped), or GBK converted; anything else is refused, and
/// the message says which encodings are read.
pub fn read_csv_file(path: &Path, encoding: Encoding) -> Result<CsvText> {
    let (text, note, sha256) = read(path, encoding)?;
    Ok(CsvText { text, note, sha256 })
}

/// `read_csv_file` without the hash.
pub fn read_csv(path: &Path, encoding: Encoding) -> Result<(String, Option<&'static str>)> {
    read(path, encoding).map(|(t, n, _)| (t, n))
}

fn read(path: &Path, encoding: Encoding) -> Result<(String, Option<&'static str>, String)> {
    check_csv_path(path)?;
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let sha = xinqiao_web::store::sha256_hex(&bytes);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let (text, note) = decode(path, body, encoding)?;
    Ok((text, note, sha))
}

fn decode(path: &Path, body: &[u8], encoding: Encoding) -> Result<(String, Option<&'static str>)> {
    for (candidate, note) in encodings_to_try(encoding) {
        if let Some(text) = candidate.decode_without_bom_handling_and_without_replacement(body) {
            return Ok((text.into_owned(), note));
        }
    }
    bail!("{}", not_encoded_message(path, encoding))
}

/// Refuses a heading that names a column twice (after trimming, ignoring case and a BOM).
pub fn refuse_duplicate_columns(header: &[String]) -> Result<()> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase();
    for (i, h) in header.iter().enumerate() {
        if norm(h).is_empty() {
            continue;
        }
        if let Some(j) = header[..i].iter().position(|g| norm(g) == norm(h)) {
            bail!("第1行（表头）：“{}”列出现了两次（第{}列和第{}列），请只保留一列", h.trim(), j + 1, i + 1);
        }
    }
    Ok(())
}

/// Refuses a cell longer than [`MAX_CELL_CHARS`]; the message names the column.
pub fn bounded_cells<'a>(header: &[String], cells: impl Iterator<Item = &'a str>) -> Result<(), String> {
    for (i, c) in cells.enumerate() {
        if c.len() > MAX_CELL_CHARS && c.chars().count() > MAX_CELL_CHARS {
            let name = header.get(i).map_or_else(|| format!("第{}列", i + 1), |h| h.trim().to_owned());
            return Err(format!("“{name}”超过{MAX_CELL_CHARS}个字"));
        }
    }
    Ok(())
}

/// A text encoding that a file turned out not to be in: the decoder met bytes it cannot read.
#[derive(Debug)]
pub struct NotEncoded;

impl std::fmt::Display for NotEncoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bytes not in the expected text encoding")
    }
}

impl std::error::Error for NotEncoded {}

/// Whether a CSV reader's error is the stream's [`NotEncoded`].
pub fn is_not_encoded(e: &csv::Error) -> bool {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.get_ref().is_some_and(|inner| inner.is::<NotEncoded>()),
        _ => false,
    }
}

/// A CSV file's bytes as UTF-8 text, read a block at a time (a file of any size in bounded
/// memory): a leading UTF-8 BOM dropped, then decoded from `encoding` (UTF-8 is only checked),
/// and hashed (SHA-256 of every byte, BOM included, as [`read_csv_file`] hashes). Bytes that are
/// not in the encoding end the stream with an error carrying [`NotEncoded`].
pub struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    hash: sha2::Sha256,
    raw: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Decoded<R> {
    pub fn new(mut inner: R, encoding: &'static encoding_rs::Encoding) -> std::io::Result<Self> {
        use sha2::Digest;
        let mut raw = vec![0u8; 64 * 1024].into_boxed_slice();
        let mut end = 0;
        while end < 3 {
            let n = inner.read(&mut raw[end..])?;
            if n == 0 {
                break;
            }
            end += n;
        }
        let mut hash = sha2::Sha256::new();
        hash.update(&raw[..end]);
        let start = if raw[..end].starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let decoder = encoding.new_decoder_without_bom_handling();
        Ok(Decoded { inner, decoder, hash, raw, start, end, eof: end == 0, done: false })
    }

    /// The lower-case hex SHA-256 of the bytes read so far (all of them once the stream ended).
    pub fn sha256(&self) -> String {
        use sha2::Digest;
        self.hash.clone().finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use encoding_rs::DecoderResult;
        use sha2::Digest;
        loop {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = self.inner.read(&mut self.raw)?;
                self.eof = self.end == 0;
                self.hash.update(&self.raw[..self.end]);
            }
            let (result, read, written) =
                self.decoder.decode_to_utf8_without_replacement(&self.raw[self.start..self.end], buf, self.eof);
            self.start += read;
            match result {
                DecoderResult::Malformed(..) => {
                    self.done = true;
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, NotEncoded));
                }
                DecoderResult::OutputFull if written == 0 => {
                    return Err(std::io::Error::other("buffer too small to decode into"));
                }
                DecoderResult::OutputFull => return Ok(written),
                DecoderResult::InputEmpty => {
                    if self.eof {
                        self.done = true;
                    }
                    if written > 0 || self.done {
                        return Ok(written);
                    }
                }
            }
        }
    }
}

/// A CSV file checked before it is streamed: not a workbook, not over the size limit.
pub fn check_csv_path(path: &Path) -> Result<()> {
    let head = first_bytes(path)?;
    if head.starts_with(ZIP) || head.starts_with(OLE) {
        bail!(
            "{} 的扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改为 .xlsx，或在 Excel 中另存为 CSV（UTF-8）",
            path.display()
        );
    }
    let size = size_of(path)?;
    if size > MAX_CSV_BYTES {
        bail!("{} 有 {} MB，超过 CSV 的上限 {} MB：请拆分后分批导入", path.display(), size >> 20, MAX_CSV_BYTES >> 20);
    }
    Ok(())
}

/// The encodings to try a file in, in order, each with the note to show when it is the one read.
pub fn encodings_to_try(encoding: Encoding) -> Vec<(&'static encoding_rs::Encoding, Option<&'static str>)> {
    match encoding {
        Encoding::Utf8 => vec![(encoding_rs::UTF_8, None)],
        Encoding::Gbk => vec![(encoding_rs::GB18030, Some("按 GBK 编码读取并转换"))],
        Encoding::Auto => {
            vec![
                (encoding_rs::UTF_8, None),
                (encoding_rs::GB18030, Some("文件不是 UTF-8 编码，已按 GBK 编码读取并转换")),
            ]
        }
    }
}

/// What to say when a file is in none of the encodings tried (as [`read_csv_file`] says it).
pub fn not_encoded_message(path: &Path, encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 => {
            format!(
                "{} 不是 UTF-8 编码的文本。如果是 GBK 编码（Excel 默认的“CSV”），请加上 --encoding gbk",
                path.display()
            )
        }
        Encoding::Gbk => {
            format!("{} 按 GBK 编码无法读取：请确认文件的编码，或在 Excel 中另存为“CSV UTF-8”", path.display())
        }
        Encoding::Auto => format!(
            "{} 既不是 UTF-8 也不是 GBK 编码的文本，无法读取：请在 Excel 或记事本中另存为“CSV UTF-8”后再导入",
            path.display()
        ),
    }
}

/// Opens a CSV file as a [`Decoded`] stream in `encoding`.
pub fn open_decoded(path: &Path, encoding: &'static encoding_rs::Encoding) -> Result<Decoded<std::fs::File>> {
    let file = std::fs::File::open(path).with_context(|| format!("无法打开 {}", path.display()))?;
    Decoded::new(file, encoding).with_context(|| format!("无法读取 {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes `step` at a time, so that characters and the BOM straddle reads.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn stream(
        bytes: &[u8],
        step: usize,
        encoding: &'static encoding_rs::Encoding,
        out: usize,
    ) -> (Result<String, bool>, String) {
        let mut d = Decoded::new(Trickle { bytes, step }, encoding).unwrap();
        let mut text = Vec::new();
        let mut buf = vec![0u8; out];
        loop {
            match d.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => text.extend_from_slice(&buf[..n]),
                Err(e) => return (Err(e.get_ref().is_some_and(|i| i.is::<NotEncoded>())), d.sha256()),
            }
        }
        (Ok(String::from_utf8(text).unwrap()), d.sha256())
    }

    #[test]
    fn a_streamed_file_reads_and_hashes_as_the_whole_file_does() {
        let text = "kind,narrative\ncomplaint,张三在健身房办了预付卡，商家跑路——退款无门。\n".repeat(500);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for step in [1, 2, 3, 7, 4096, 1 << 20] {
            for out in [4, 5, 8192] {
                let (read, sha) = stream(&with_bom, step, encoding_rs::UTF_8, out);
                assert_eq!(read.unwrap(), text, "step {step}, out {out}: the BOM dropped, every character intact");
                assert_eq!(sha, xinqiao_web::store::sha256_hex(&with_bom), "the hash covers every byte, BOM too");
            }
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        for step in [1, 3, 65536] {
            let (read, sha) = stream(&gbk, step, encoding_rs::GB18030, 8192);
            assert_eq!(read.unwrap(), text, "GBK converted at step {step}");
            assert_eq!(sha, xinqiao_web::store::sha256_hex(&gbk));
            // GBK bytes are not UTF-8: the stream says so, with the marker the importer retries on.
            let (read, _) = stream(&gbk, step, encoding_rs::UTF_8, 8192);
            assert_eq!(read, Err(true));
        }
        // A file that ends in the middle of a character is not valid text either.
        let (read, _) = stream(&[text.as_bytes(), &[0xE5, 0xBC]].concat(), 1, encoding_rs::UTF_8, 8192);
        assert_eq!(read, Err(true));
        assert_eq!(stream(b"", 1, encoding_rs::UTF_8, 8).0.unwrap(), "");
    }
}
