//! PDF lexical pieces: white space, delimiters and comments, keywords found as whole tokens, name
//! tokens (with `#xx` escapes), and a small depth-bounded parser for one object — enough to read
//! the dictionary in front of a stream and the value of `/OpenAction`. Nothing here recurses
//! deeper than [`MAX_NESTING`], so hostile nesting cannot exhaust the stack.

/// Deepest dictionary/array nesting [`parse`] follows; deeper input is a parse failure.
pub(super) const MAX_NESTING: u8 = 16;
/// Longest name kept (longer names are read whole but compared by this prefix, which no marker
/// matches).
const MAX_NAME: usize = 64;

pub(super) fn is_white(c: u8) -> bool {
    matches!(c, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

pub(super) fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

pub(super) fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delim(c)
}

/// Whether `b` has bytes a text stream would not: NUL or anything above ASCII.
pub(super) fn is_binary(b: &[u8]) -> bool {
    b.iter().any(|&c| c == 0 || c >= 0x80)
}

/// The position after white space and comments from `pos`.
pub(super) fn skip_space(b: &[u8], mut pos: usize) -> usize {
    loop {
        match b.get(pos) {
            Some(&c) if is_white(c) => pos += 1,
            Some(b'%') => pos += b[pos..].iter().position(|&c| c == b'\r' || c == b'\n').unwrap_or(b.len() - pos),
            _ => return pos,
        }
    }
}

/// The first occurrence of `needle` at or after `from`.
pub(super) fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    let first = *needle.first()?;
    let mut i = 0;
    while let Some(k) = hay.get(i..)?.iter().position(|&c| c == first) {
        let at = i + k;
        if hay[at..].starts_with(needle) {
            return Some(from + at);
        }
        i = at + 1;
    }
    None
}

/// The first occurrence of `keyword` at or after `from` that stands as a token of its own (no
/// regular character touches it on either side), so `stream` never matches `endstream`.
pub(super) fn find_token(b: &[u8], mut from: usize, keyword: &[u8]) -> Option<usize> {
    while let Some(at) = find(b, from, keyword) {
        let before = at == 0 || !is_regular(b[at - 1]);
        let after = b.get(at + keyword.len()).is_none_or(|&c| !is_regular(c));
        if before && after {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The last token `keyword` starting in `from..to`.
pub(super) fn rfind_token(b: &[u8], from: usize, to: usize, keyword: &[u8]) -> Option<usize> {
    let mut end = to;
    while end > from {
        let hay = &b[from..end];
        let at = from + hay.windows(keyword.len()).rposition(|w| w == keyword)?;
        let before = at == 0 || !is_regular(b[at - 1]);
        let after = b.get(at + keyword.len()).is_none_or(|&c| !is_regular(c));
        if before && after {
            return Some(at);
        }
        end = at + keyword.len() - 1;
    }
    None
}

/// Reads the name whose `/` is at `slash`: its decoded bytes (at most [`MAX_NAME`] kept) and the
/// position after it.
pub(super) fn name_at(b: &[u8], slash: usize) -> (Vec<u8>, usize) {
    let hex = |c: Option<&u8>| c.and_then(|&c| char::from(c).to_digit(16));
    let mut name = Vec::new();
    let mut i = slash + 1;
    while let Some(&c) = b.get(i).filter(|&&c| is_regular(c)) {
        let byte = match (c, hex(b.get(i + 1)), hex(b.get(i + 2))) {
            (b'#', Some(h), Some(l)) => {
                i += 3;
                (h * 16 + l) as u8
            }
            _ => {
                i += 1;
                c
            }
        };
        if name.len() < MAX_NAME {
            name.push(byte);
        }
    }
    (name, i)
}

/// Calls `each` with every name token in `b` (decoded) and the position after it. Names are
/// looked for everywhere, inside strings and comments too: a reader that disagrees with us about
/// where a string ends must not be able to hide one.
pub(super) fn names(b: &[u8], mut each: impl FnMut(&[u8], usize) -> bool) {
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'/') {
        let (name, end) = name_at(b, i + k);
        if !each(&name, end) {
            return;
        }
        i = end.max(i + k + 1);
    }
}

/// One PDF object, as much of it as the checks need.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Obj {
    Dict(Vec<(Vec<u8>, Obj)>),
    Array(Vec<Obj>),
    Name(Vec<u8>),
    Int(i64),
    Ref(u32),
    /// Strings, reals, booleans, null, other keywords.
    Other,
}

impl Obj {
    pub(super) fn get(&self, key: &[u8]) -> Option<&Obj> {
        match self {
            Obj::Dict(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses one object starting at or after `pos` (after white space and comments): the object and
/// the position after it, or `None` for anything malformed, truncated or nested too deep.
pub(super) fn parse(b: &[u8], pos: usize) -> Option<(Obj, usize)> {
    parse_at(b, pos, 0)
}

fn parse_at(b: &[u8], pos: usize, depth: u8) -> Option<(Obj, usize)> {
    if depth > MAX_NESTING {
        return None;
    }
    let pos = skip_space(b, pos);
    match *b.get(pos)? {
        b'<' if b.get(pos + 1) == Some(&b'<') => {
            let mut entries = Vec::new();
            let mut at = pos + 2;
            loop {
                at = skip_space(b, at);
                if b.get(at..at + 2)? == b">>" {
                    return Some((Obj::Dict(entries), at + 2));
                }
                if b[at] != b'/' {
                    return None;
                }
                let (key, after) = name_at(b, at);
                let (value, after) = parse_at(b, after, depth + 1)?;
                entries.push((key, value));
                at = after;
            }
        }
        b'<' => Some((Obj::Other, find(b, pos, b">")? + 1)),
        b'[' => {
            let mut items = Vec::new();
            let mut at = pos + 1;
            loop {
                at = skip_space(b, at);
                if *b.get(at)? == b']' {
                    return Some((Obj::Array(items), at + 1));
                }
                let (item, after) = parse_at(b, at, depth + 1)?;
                items.push(item);
                at = after;
            }
        }
        b'(' => Some((Obj::Other, string_end(b, pos)?)),
        b'/' => {
            let (name, after) = name_at(b, pos);
            Some((Obj::Name(name), after))
        }
        c if is_regular(c) => {
            let end = token_end(b, pos);
            let Some(n) = integer(&b[pos..end]) else { return Some((Obj::Other, end)) };
            // `n g R` is a reference.
            let g_at = skip_space(b, end);
            let g_end = token_end(b, g_at);
            let r_at = skip_space(b, g_end);
            let r_end = token_end(b, r_at);
            match (integer(&b[g_at..g_end]), &b[r_at..r_end], u32::try_from(n)) {
                (Some(_), b"R", Ok(n)) => Some((Obj::Ref(n), r_end)),
                _ => Some((Obj::Int(n), end)),
            }
        }
        _ => None,
    }
}

fn token_end(b: &[u8], pos: usize) -> usize {
    pos + b[pos..].iter().position(|&c| !is_regular(c)).unwrap_or(b.len() - pos)
}

/// A whole token that is an optionally signed decimal integer.
pub(super) fn integer(t: &[u8]) -> Option<i64> {
    let digits = t.strip_prefix(b"+").or_else(|| t.strip_prefix(b"-")).unwrap_or(t);
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// The position after the literal string whose `(` is at `pos` (balanced parentheses, `\`
/// escapes), or `None` if it never closes.
fn string_end(b: &[u8], pos: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = pos;
    loop {
        match *b.get(i)? {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The object number of an `n g obj` header whose `obj` keyword is at `obj`.
pub(super) fn object_number(b: &[u8], obj: usize) -> Option<u32> {
    let digits_before = |end: usize| {
        let start = b[..end].iter().rposition(|c| !c.is_ascii_digit()).map_or(0, |i| i + 1);
        (start < end).then_some(start)
    };
    let back = |mut i: usize| {
        while i > 0 && is_white(b[i - 1]) {
            i -= 1;
        }
        i
    };
    let g = digits_before(back(obj))?;
    let n = digits_before(back(g))?;
    std::str::from_utf8(&b[n..back(g)]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_names_and_objects() {
        assert_eq!(find_token(b"endstream stream\n", 0, b"stream"), Some(10));
        assert_eq!(find_token(b">>stream%x", 0, b"stream"), Some(2));
        assert_eq!(find_token(b"streams", 0, b"stream"), None);
        assert_eq!(rfind_token(b"1 0 obj<<>>endobj 2 0 obj[", 0, 26, b"obj"), Some(22));
        assert_eq!(object_number(b"12 0 obj", 5), Some(12));
        assert_eq!(object_number(b"x obj", 2), None);
        assert_eq!(name_at(b"/J#61vaScript>>", 0), (b"JavaScript".to_vec(), 13));
        let mut seen = Vec::new();
        names(b"(/S) /A#2FB%/C\n/D", |n, _| {
            seen.push(String::from_utf8_lossy(n).into_owned());
            true
        });
        assert_eq!(seen, ["S", "A/B", "C", "D"]);
        let text = b" <</Length 5 0 R/Filter[/Fl/AHx]/T(a(b\\)c)>>)/N 3>>stream";
        let (dict, end) = parse(text, 0).unwrap();
        assert_eq!(end, text.len() - 6);
        assert_eq!(dict.get(b"Length"), Some(&Obj::Ref(5)));
        assert_eq!(dict.get(b"Filter"), Some(&Obj::Array(vec![Obj::Name(b"Fl".to_vec()), Obj::Name(b"AHx".to_vec())])));
        assert_eq!(dict.get(b"N"), Some(&Obj::Int(3)));
        assert_eq!(parse(b"<</A<</B>>", 0), None, "truncated");
        let deep = [&b"["[..]].repeat(40).concat();
        assert_eq!(parse(&deep, 0), None, "too deep");
        assert_eq!(skip_space(b" %c\r\n %d", 0), 8);
        assert!(is_binary(b"a\x80") && !is_binary(b"abc\n"));
    }
}
