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
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let sha = xinqiao_web::store::sha256_hex(&bytes);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let (text, note) = decode(path, body, encoding)?;
    Ok((text, note, sha))
}

fn decode(path: &Path, body: &[u8], encoding: Encoding) -> Result<(String, Option<&'static str>)> {
    let gbk = |body: &[u8]| {
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body).map(|t| t.into_owned())
    };
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            Ok(t) => Ok((t.to_owned(), None)),
            Err(_) => bail!(
                "{} 不是 UTF-8 编码的文本。如果是 GBK 编码（Excel 默认的“CSV”），请加上 --encoding gbk",
                path.display()
            ),
        },
        Encoding::Gbk => match gbk(body) {
            Some(t) => Ok((t, Some("按 GBK 编码读取并转换"))),
            None => bail!("{} 按 GBK 编码无法读取：请确认文件的编码，或在 Excel 中另存为“CSV UTF-8”", path.display()),
        },
        Encoding::Auto => match std::str::from_utf8(body) {
            Ok(t) => Ok((t.to_owned(), None)),
            Err(_) => match gbk(body) {
                Some(t) => Ok((t, Some("文件不是 UTF-8 编码，已按 GBK 编码读取并转换"))),
                None => bail!(
                    "{} 既不是 UTF-8 也不是 GBK 编码的文本，无法读取：请在 Excel 或记事本中另存为“CSV UTF-8”后再导入",
                    path.display()
                ),
            },
        },
    }
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
