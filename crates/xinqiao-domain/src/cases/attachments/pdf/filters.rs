//! The stream filters the PDF check can undo — Flate (zlib), ASCIIHex and ASCII85 — each with a
//! hard limit on the bytes it may produce, so a decompression bomb costs at most the limit.
//! Anything else (LZW, RunLength, image codecs, Crypt, predictors) is reported as not decodable.

use super::syntax::{Obj, is_white};
use flate2::{Decompress, FlushDecompress, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filter {
    Flate,
    AsciiHex,
    Ascii85,
}

/// Why a stream could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Undecodable {
    /// A filter, predictor or parameter we do not undo.
    Unsupported,
    /// The data is not what its filter says.
    Corrupt,
    /// It would decode to more than the limit.
    TooLarge,
}

/// The filter chain of a stream dictionary: `Ok(vec![])` for none, `Err` when any step is one we
/// cannot undo (or the chain is given indirectly, or it carries a predictor).
pub(super) fn chain(dict: &Obj) -> Result<Vec<Filter>, Undecodable> {
    let one = |o: &Obj| match o {
        Obj::Name(n) => match n.as_slice() {
            b"FlateDecode" | b"Fl" => Ok(Filter::Flate),
            b"ASCIIHexDecode" | b"AHx" => Ok(Filter::AsciiHex),
            b"ASCII85Decode" | b"A85" => Ok(Filter::Ascii85),
            _ => Err(Undecodable::Unsupported),
        },
        _ => Err(Undecodable::Unsupported),
    };
    // Readers also take the inline-image abbreviations (/F, /DP) in a stream dictionary; when the
    // long and the short key disagree we cannot know which one a reader follows.
    let either = |long: &[u8], short: &[u8]| match (dict.get(long), dict.get(short)) {
        (Some(a), Some(b)) if a != b => Err(Undecodable::Unsupported),
        (a, b) => Ok(a.or(b)),
    };
    let filters = match either(b"Filter", b"F")? {
        None => Vec::new(),
        Some(Obj::Array(items)) if items.len() <= 4 => items.iter().map(one).collect::<Result<_, _>>()?,
        Some(Obj::Array(_)) => return Err(Undecodable::Unsupported),
        Some(other) => vec![one(other)?],
    };
    let predictor = |p: &Obj| matches!(p.get(b"Predictor"), Some(Obj::Int(n)) if *n > 1);
    match either(b"DecodeParms", b"DP")? {
        None | Some(Obj::Other) => Ok(filters),
        Some(p @ Obj::Dict(_)) if !predictor(p) => Ok(filters),
        Some(Obj::Array(ps))
            if !ps.iter().any(predictor) && ps.iter().all(|p| matches!(p, Obj::Dict(_) | Obj::Other)) =>
        {
            Ok(filters)
        }
        Some(_) => Err(Undecodable::Unsupported),
    }
}

/// Applies `filters` in order, never producing more than `limit` bytes at any step.
pub(super) fn decode(data: &[u8], filters: &[Filter], limit: usize) -> Result<Vec<u8>, Undecodable> {
    let mut current = std::borrow::Cow::Borrowed(data);
    for filter in filters {
        let next = match filter {
            Filter::Flate => flate(&current, limit)?,
            Filter::AsciiHex => ascii_hex(&current, limit)?,
            Filter::Ascii85 => ascii85(&current, limit)?,
        };
        current = std::borrow::Cow::Owned(next);
    }
    if current.len() > limit {
        return Err(Undecodable::TooLarge);
    }
    Ok(current.into_owned())
}

/// zlib data, which must reach its end: a truncated stream means a reader may see more of it than
/// we did (a longer `/Length`), so it counts as corrupt.
fn flate(data: &[u8], limit: usize) -> Result<Vec<u8>, Undecodable> {
    let mut z = Decompress::new(true);
    let mut out = Vec::new();
    let consumed = |z: &Decompress| usize::try_from(z.total_in()).unwrap_or(usize::MAX);
    loop {
        if out.len() == out.capacity() {
            if out.len() > limit {
                return Err(Undecodable::TooLarge);
            }
            out.reserve_exact(out.len().max(64 * 1024).min(limit + 1 - out.len()));
        }
        let (read, written) = (consumed(&z), out.len());
        let input = data.get(read..).unwrap_or_default();
        let status = z.decompress_vec(input, &mut out, FlushDecompress::None).map_err(|_| Undecodable::Corrupt)?;
        if out.len() > limit {
            return Err(Undecodable::TooLarge);
        }
        match status {
            Status::StreamEnd => return Ok(out),
            _ if consumed(&z) == read && out.len() == written && out.len() < out.capacity() => {
                return Err(Undecodable::Corrupt);
            }
            _ => {}
        }
    }
}

fn ascii_hex(data: &[u8], limit: usize) -> Result<Vec<u8>, Undecodable> {
    let mut out = Vec::with_capacity((data.len() / 2).min(limit));
    let mut high = None;
    for &c in data {
        let v = match c {
            b'>' => break,
            c if is_white(c) => continue,
            c => char::from(c).to_digit(16).ok_or(Undecodable::Corrupt)? as u8,
        };
        match high.take() {
            None => high = Some(v),
            Some(h) => out.push(h << 4 | v),
        }
        if out.len() > limit {
            return Err(Undecodable::TooLarge);
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    if out.len() > limit { Err(Undecodable::TooLarge) } else { Ok(out) }
}

fn ascii85(data: &[u8], limit: usize) -> Result<Vec<u8>, Undecodable> {
    let mut out = Vec::with_capacity((data.len() / 5 * 4).min(limit));
    let mut group = [0u8; 5];
    let mut n = 0;
    for c in data.iter().copied().filter(|&c| !is_white(c)) {
        match c {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = c - b'!';
                n += 1;
                if n == 5 {
                    out.extend_from_slice(&base85(&group)?);
                    n = 0;
                }
            }
            _ => return Err(Undecodable::Corrupt),
        }
        if out.len() > limit {
            return Err(Undecodable::TooLarge);
        }
    }
    match n {
        0 => {}
        1 => return Err(Undecodable::Corrupt),
        _ => {
            group[n..].fill(b'u' - b'!');
            out.extend_from_slice(&base85(&group)?[..n - 1]);
        }
    }
    if out.len() > limit { Err(Undecodable::TooLarge) } else { Ok(out) }
}

fn base85(group: &[u8; 5]) -> Result<[u8; 4], Undecodable> {
    let v = group.iter().try_fold(0u32, |acc, &d| acc.checked_mul(85)?.checked_add(u32::from(d)));
    v.map(u32::to_be_bytes).ok_or(Undecodable::Corrupt)
}

#[cfg(test)]
pub(super) fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_decode_within_their_limit() {
        let text = b"<</S/JavaScript/JS(app.alert(1))>>".repeat(3);
        assert_eq!(decode(&zlib(&text), &[Filter::Flate], 1 << 20).unwrap(), text);
        assert_eq!(decode(&zlib(&text), &[Filter::Flate], 10), Err(Undecodable::TooLarge));
        assert_eq!(decode(b"\x9c\x00/JS", &[Filter::Flate], 1 << 20), Err(Undecodable::Corrupt));
        let packed = zlib(&text);
        assert_eq!(
            decode(&packed[..packed.len() - 5], &[Filter::Flate], 1 << 20),
            Err(Undecodable::Corrupt),
            "truncated"
        );
        assert_eq!(decode(&[&packed[..], b"trailing"].concat(), &[Filter::Flate], 1 << 20).unwrap(), text);
        assert_eq!(decode(&zlib(b""), &[Filter::Flate], 0).unwrap(), b"");
        let bomb = zlib(&vec![0u8; 8 << 20]);
        assert!(bomb.len() < 16 * 1024);
        assert_eq!(decode(&bomb, &[Filter::Flate], 1 << 20), Err(Undecodable::TooLarge));
        assert_eq!(decode(b"2F 4a5\n3>", &[Filter::AsciiHex], 100).unwrap(), b"/JS");
        assert_eq!(decode(b"2F4", &[Filter::AsciiHex], 100).unwrap(), b"/@");
        assert_eq!(decode(b"2G", &[Filter::AsciiHex], 100), Err(Undecodable::Corrupt));
        // "Man " and "sure." in ASCII85.
        assert_eq!(decode(b"9jqo^z~>", &[Filter::Ascii85], 100).unwrap(), b"Man \0\0\0\0");
        assert_eq!(decode(b"F*2M7/c~>", &[Filter::Ascii85], 100).unwrap(), b"sure.");
        assert_eq!(decode(b"s8W-!", &[Filter::Ascii85], 100).unwrap(), [0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(decode(b"uuuuu", &[Filter::Ascii85], 100), Err(Undecodable::Corrupt), "overflow");
        let hex_of_flate: String = zlib(b"/JS").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(decode(hex_of_flate.as_bytes(), &[Filter::AsciiHex, Filter::Flate], 100).unwrap(), b"/JS");
    }

    #[test]
    fn chains_we_cannot_undo_are_named() {
        let dict = |s: &[u8]| super::super::syntax::parse(s, 0).unwrap().0;
        assert_eq!(chain(&dict(b"<<>>")), Ok(vec![]));
        assert_eq!(chain(&dict(b"<</Filter[/AHx/FlateDecode]>>")), Ok(vec![Filter::AsciiHex, Filter::Flate]));
        assert_eq!(chain(&dict(b"<</Filter/FlateDecode/DecodeParms<</Columns 4>>>>")), Ok(vec![Filter::Flate]));
        for bad in [
            &b"<</Filter/LZWDecode>>"[..],
            b"<</Filter 7 0 R>>",
            b"<</Filter/FlateDecode/DecodeParms<</Predictor 12>>>>",
            b"<</Filter[/Fl]/DecodeParms 9 0 R>>",
            b"<</Filter/Crypt>>",
            b"<</Filter/FlateDecode/F/AHx>>",
        ] {
            assert_eq!(chain(&dict(bad)), Err(Undecodable::Unsupported), "{}", String::from_utf8_lossy(bad));
        }
    }
}
