//! The PDF check: is there anything in the file that runs code, launches a program, submits or
//! imports data, plays media, opens another file or carries one — anywhere a reader might look?
//!
//! The check does not trust the cross-reference table (readers repair broken ones by scanning
//! for objects), so it looks at every byte:
//! - text outside stream bodies: every name token is compared with [`ACTIVE`] (with `#xx`
//!   escapes decoded, inside strings and comments too);
//! - every stream body: a text body is checked like the file (it may hide objects); a binary one
//!   only from its first `obj` keyword on (an object a cross-reference entry points into), since
//!   compressed data would otherwise match names by chance;
//! - object streams (a dictionary with `/Type /ObjStm` or `/First`, however malformed) are
//!   decoded — Flate, ASCIIHex, ASCII85 — and every byte of them is checked; other streams are
//!   decoded while a budget lasts and checked like a body.
//!
//! Whatever cannot be checked is refused as *unsure*: an object stream with a filter or predictor
//! we do not undo, one that does not decode or decodes past the budget, streams nested deeper
//! than [`MAX_DEPTH`], more work than [`MAX_WORK`]. Encrypted files are refused (their object
//! streams cannot be read). Everything is bounded by bytes, not time: at most [`MAX_WORK`] bytes
//! looked at and [`MAX_OBJSTM_DECODED`] + [`MAX_OTHER_DECODED`] bytes decompressed per file.
//! `/OpenAction` is allowed only as a destination (an array, or a reference to one) or a plain
//! `GoTo` action: LibreOffice and pdfTeX write those; anything else that runs on opening is refused.

mod filters;
mod syntax;

use filters::Undecodable;
use std::collections::HashMap;
use syntax::{Obj, find, find_token, is_binary, names, object_number, parse, rfind_token, skip_space};

/// Names that run code, launch programs, submit or import data, play media, go to other files,
/// carry files, or trigger actions by themselves (`AA`).
const ACTIVE: [&str; 16] = [
    "JavaScript",
    "JS",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
    "RichMediaExecute",
    "XFA",
    "SubmitForm",
    "ImportData",
    "GoToR",
    "GoToE",
    "Rendition",
    "Sound",
    "Movie",
    "AA",
];

/// Most bytes looked at in one file, over all levels (the file, bodies, decoded streams).
pub(super) const MAX_WORK: usize = 128 << 20;
/// Most bytes decompressed from object streams in one file.
pub(super) const MAX_OBJSTM_DECODED: usize = 32 << 20;
/// Most bytes decompressed from other streams (beyond it they are checked raw only).
pub(super) const MAX_OTHER_DECODED: usize = 16 << 20;
/// Deepest nesting of streams inside stream bodies or decoded streams.
pub(super) const MAX_DEPTH: u8 = 4;
/// How far back from `stream` its dictionary is looked for when no `obj` keyword precedes it.
const DICT_LOOKBACK: usize = 4096;

/// What the check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Clean,
    /// The first active name found.
    Active(&'static str),
    Encrypted,
    /// Something could not be checked.
    Unsure(&'static str),
}

/// The budgets of one check.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub work: usize,
    pub objstm: usize,
    pub other: usize,
    pub depth: u8,
}

impl Limits {
    pub const DEFAULT: Limits =
        Limits { work: MAX_WORK, objstm: MAX_OBJSTM_DECODED, other: MAX_OTHER_DECODED, depth: MAX_DEPTH };
}

pub(super) fn inspect(b: &[u8]) -> Verdict {
    inspect_with(b, Limits::DEFAULT)
}

pub(super) fn inspect_with(b: &[u8], limits: Limits) -> Verdict {
    let mut scan = Scan {
        work_left: limits.work,
        objstm_left: limits.objstm,
        other_left: limits.other,
        max_depth: limits.depth,
        active: None,
        encrypted: false,
        unsure: None,
        open_refs: Vec::new(),
        arrays: HashMap::new(),
    };
    scan.region(b, 0);
    if scan.active.is_none() {
        // An indirect /OpenAction must point at a destination array, in every version of it.
        if scan.open_refs.iter().any(|n| scan.arrays.get(n) != Some(&true)) {
            scan.active = Some("OpenAction");
        }
    }
    match (scan.active, scan.encrypted, scan.unsure) {
        (Some(marker), _, _) => Verdict::Active(marker),
        (None, true, _) => Verdict::Encrypted,
        (None, false, Some(reason)) => Verdict::Unsure(reason),
        (None, false, None) => Verdict::Clean,
    }
}

struct Scan {
    max_depth: u8,
    work_left: usize,
    objstm_left: usize,
    other_left: usize,
    active: Option<&'static str>,
    encrypted: bool,
    unsure: Option<&'static str>,
    /// Objects named by an indirect `/OpenAction`.
    open_refs: Vec<u32>,
    /// For every object number defined: whether all its definitions are arrays.
    arrays: HashMap<u32, bool>,
}

/// What the dictionary in front of a stream says, as far as it could be read.
struct StreamDict {
    /// `/Type /ObjStm` or `/First` appears in it (read as names, even if it does not parse).
    objstm: bool,
    parsed: Option<Obj>,
}

impl Scan {
    fn done(&self) -> bool {
        self.active.is_some()
    }

    fn spend(&mut self, n: usize) -> bool {
        match self.work_left.checked_sub(n) {
            Some(left) => {
                self.work_left = left;
                true
            }
            None => {
                self.unsure.get_or_insert("work");
                false
            }
        }
    }

    /// A stretch of PDF syntax: the file, a text body, a decoded stream.
    fn region(&mut self, b: &[u8], depth: u8) {
        if depth > self.max_depth {
            self.unsure.get_or_insert("depth");
            return;
        }
        if !self.spend(b.len()) {
            return;
        }
        let mut pos = 0;
        let mut endstream = None;
        while let Some(s) = find_token(b, pos, b"stream") {
            self.text(b, pos, s + 6);
            if self.done() {
                return;
            }
            let dict = stream_dict(b, pos, s);
            let start = body_start(b, s + 6);
            let end = body_end(b, start, dict.parsed.as_ref(), &mut endstream);
            self.body(&b[start..end], &dict, depth);
            if self.done() {
                return;
            }
            pos = end;
        }
        self.text(b, pos, b.len());
    }

    /// Text outside stream bodies: its names and the object headers in it.
    fn text(&mut self, b: &[u8], from: usize, to: usize) {
        self.names(b, from, to);
        let mut at = from;
        while let Some(obj) = find_token(&b[..to], at, b"obj") {
            if let Some(n) = object_number(b, obj) {
                self.define(n, b.get(skip_space(b, obj + 3)) == Some(&b'['));
            }
            at = obj + 3;
        }
    }

    fn define(&mut self, n: u32, is_array: bool) {
        let all = self.arrays.entry(n).or_insert(true);
        *all &= is_array;
    }

    /// Compares every name in `b[from..to]` with the markers.
    fn names(&mut self, b: &[u8], from: usize, to: usize) {
        let mut active = None;
        let mut encrypted = false;
        let mut refs = Vec::new();
        names(&b[from..to], |name, end| {
            let end = from + end;
            if let Some(marker) = ACTIVE.into_iter().find(|a| a.as_bytes() == name) {
                active = Some(marker);
                return false;
            }
            match name {
                b"Encrypt" => encrypted = true,
                b"OpenAction" => match parse(b, end) {
                    Some((Obj::Array(_), _)) => {}
                    Some((Obj::Ref(n), _)) => refs.push(n),
                    Some((action @ Obj::Dict(_), _)) if action.get(b"S") == Some(&Obj::Name(b"GoTo".to_vec())) => {}
                    _ => {
                        active = Some("OpenAction");
                        return false;
                    }
                },
                _ => {}
            }
            true
        });
        self.active = self.active.or(active);
        self.encrypted |= encrypted;
        self.open_refs.extend(refs);
    }

    fn body(&mut self, body: &[u8], dict: &StreamDict, depth: u8) {
        // The raw bytes, for objects hidden inside a body.
        self.hidden_objects(body, depth);
        if self.done() {
            return;
        }
        let chain = dict.parsed.as_ref().map_or(Err(Undecodable::Unsupported), filters::chain);
        if dict.objstm {
            // Every byte of an object stream is checked, or the file is refused.
            let chain = match (chain, &dict.parsed) {
                (Ok(chain), _) => chain,
                // A dictionary we could not read: try the usual filter.
                (Err(_), None) => vec![filters::Filter::Flate],
                (Err(_), Some(_)) => {
                    self.unsure.get_or_insert("object stream filter");
                    return;
                }
            };
            match filters::decode(body, &chain, self.objstm_left) {
                Ok(data) => {
                    self.objstm_left -= data.len();
                    if self.spend(data.len()) {
                        self.names(&data, 0, data.len());
                        self.objstm_headers(&data, dict.parsed.as_ref());
                        self.region(&data, depth + 1);
                    }
                }
                Err(Undecodable::TooLarge) => _ = self.unsure.get_or_insert("object stream size"),
                Err(_) => _ = self.unsure.get_or_insert("object stream data"),
            }
        } else if let Ok(chain) = chain
            && !chain.is_empty()
            && let Ok(data) = filters::decode(body, &chain, self.other_left)
        {
            self.other_left -= data.len();
            self.hidden_objects(&data, depth);
        }
    }

    /// Checks `b` as PDF syntax if it is text; if it is binary, from its first `obj` keyword on.
    fn hidden_objects(&mut self, b: &[u8], depth: u8) {
        if !is_binary(b) {
            self.region(b, depth + 1);
        } else if let Some(obj) = find_token(b, 0, b"obj") {
            // Start a little before, so the object's number is part of it.
            self.region(&b[obj.saturating_sub(24)..], depth + 1);
        }
    }

    /// The objects of an object stream: its header pairs (number, offset) tell where each one
    /// starts, which says whether an `/OpenAction` reference points at an array.
    fn objstm_headers(&mut self, data: &[u8], dict: Option<&Obj>) {
        let Some(Obj::Int(first)) = dict.and_then(|d| d.get(b"First")) else { return };
        let Some(header) = usize::try_from(*first).ok().and_then(|f| data.get(..f)) else { return };
        let mut at = 0;
        let mut next_int = || {
            let (obj, after) = parse(header, at)?;
            at = after;
            match obj {
                Obj::Int(v) => Some(v),
                _ => None,
            }
        };
        while let (Some(n), Some(offset)) = (next_int(), next_int()) {
            let (Ok(n), Ok(offset)) = (u32::try_from(n), usize::try_from(offset)) else { break };
            let start = header.len().saturating_add(offset);
            self.define(n, data.get(skip_space(data, start)) == Some(&b'['));
        }
    }
}

/// The dictionary of the stream whose keyword is at `s`, read from the object header before it
/// (or a little text before it when there is none).
fn stream_dict(b: &[u8], floor: usize, s: usize) -> StreamDict {
    let from = match rfind_token(b, floor, s, b"obj") {
        Some(obj) => obj + 3,
        None => s.saturating_sub(DICT_LOOKBACK).max(floor),
    };
    let mut objstm = false;
    names(&b[from.min(s)..s], |name, _| {
        objstm = name == b"ObjStm" || name == b"First";
        !objstm
    });
    let parsed = match parse(b, from) {
        Some((dict @ Obj::Dict(_), after)) if skip_space(b, after) == s => Some(dict),
        _ => None,
    };
    StreamDict { objstm, parsed }
}

/// A body starts after the end of the line that holds `stream`.
fn body_start(b: &[u8], after_keyword: usize) -> usize {
    match b[after_keyword..].iter().position(|&c| c == b'\n' || c == b'\r') {
        Some(i) if b[after_keyword + i] == b'\r' && b.get(after_keyword + i + 1) == Some(&b'\n') => {
            after_keyword + i + 2
        }
        Some(i) => after_keyword + i + 1,
        None => b.len(),
    }
}

/// A body ends where a direct `/Length` says if `endstream` follows there; otherwise before the
/// next `endstream` (as readers recover), or at the end of the data. `cache` keeps the last
/// search so many streams without `endstream` cost one search, not one each.
fn body_end(b: &[u8], start: usize, dict: Option<&Obj>, cache: &mut Option<Option<usize>>) -> usize {
    if let Some(Obj::Int(len)) = dict.and_then(|d| d.get(b"Length"))
        && let Some(end) = usize::try_from(*len).ok().and_then(|l| start.checked_add(l)).filter(|&e| e <= b.len())
        && b[skip_eol(b, end)..].starts_with(b"endstream")
    {
        return end;
    }
    let next = match *cache {
        Some(None) => None,
        Some(Some(at)) if at >= start => Some(at),
        _ => find(b, start, b"endstream"),
    };
    *cache = Some(next);
    match next {
        Some(at) => {
            let trimmed = if at >= start + 2 && &b[at - 2..at] == b"\r\n" {
                at - 2
            } else if at > start && matches!(b[at - 1], b'\n' | b'\r') {
                at - 1
            } else {
                at
            };
            trimmed.max(start)
        }
        None => b.len(),
    }
}

fn skip_eol(b: &[u8], at: usize) -> usize {
    match b.get(at..at + 2) {
        Some(b"\r\n") => at + 2,
        _ if matches!(b.get(at), Some(b'\n' | b'\r')) => at + 1,
        _ => at,
    }
}

#[cfg(test)]
mod tests;
