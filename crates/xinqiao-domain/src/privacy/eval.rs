//! Measuring the detector on labelled text: the markup of `data/pii-eval/` (`{kind|text}`),
//! per-kind recall and precision, and damage to what must be kept. Pure: the caller reads the
//! files and runs the detector.

use super::{PiiKind, Span};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a labelled span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Pii(PiiKind),
    /// The case's own enterprise: must survive, and is given to the detector as known.
    Own,
    /// Anything else that must survive (brands, places, public bodies, other enterprises).
    Keep,
}

impl Label {
    fn parse(s: &str) -> Option<Self> {
        use PiiKind::*;
        Some(match s {
            "name" => Label::Pii(Name),
            "mobile" => Label::Pii(Mobile),
            "landline" => Label::Pii(Landline),
            "id_card" => Label::Pii(IdCard),
            "bank_card" => Label::Pii(BankCard),
            "email" => Label::Pii(Email),
            "plate" => Label::Pii(Plate),
            "im_id" => Label::Pii(ImId),
            "address" => Label::Pii(Address),
            "own" => Label::Own,
            "keep" => Label::Keep,
            _ => return None,
        })
    }
}

/// One labelled text: offsets in characters of `text`.
#[derive(Debug, Clone)]
pub struct LabelledText {
    pub style: String,
    /// Its position among the texts of its file, from 0.
    pub index: usize,
    pub text: String,
    pub spans: Vec<(Label, usize, usize)>,
}

impl LabelledText {
    /// Every fifth text of a file is held out of tuning.
    pub fn held_out(&self) -> bool {
        self.index % 5 == 4
    }

    /// The case's own enterprise names, as a caller would pass them to the detector.
    pub fn enterprises(&self) -> Vec<String> {
        let chars: Vec<char> = self.text.chars().collect();
        let own = self.spans.iter().filter(|s| s.0 == Label::Own);
        own.map(|s| chars[s.1..s.2].iter().collect()).collect()
    }
}

/// Parses one corpus file: a text a line, `#` comments, `{kind|text}` spans.
pub fn parse_corpus(style: &str, content: &str) -> Result<Vec<LabelledText>, String> {
    let mut out = Vec::new();
    for (n, line) in content.lines().enumerate() {
        // `\n` stands for a line break inside the text (a number broken across lines).
        let line = line.trim_end().replace("\\n", "\n");
        let line = line.as_str();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut text = String::new();
        let mut len = 0;
        let mut spans = Vec::new();
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            let before = &rest[..open];
            text.push_str(before);
            len += before.chars().count();
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or(format!("{style}:{}: unclosed {{", n + 1))?;
            let (kind, body) = after[..close].split_once('|').ok_or(format!("{style}:{}: no |", n + 1))?;
            let label = Label::parse(kind).ok_or(format!("{style}:{}: unknown kind {kind}", n + 1))?;
            let n_chars = body.chars().count();
            spans.push((label, len, len + n_chars));
            text.push_str(body);
            len += n_chars;
            rest = &after[close + 1..];
        }
        text.push_str(rest);
        out.push(LabelledText { style: style.to_owned(), index: out.len(), text, spans });
    }
    Ok(out)
}

/// Counts for one kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub truth: usize,
    pub found: usize,
    pub detected: usize,
    pub correct: usize,
}

/// The scores of a set of texts.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub texts: usize,
    pub by_kind: BTreeMap<PiiKind, Counts>,
    pub keep: usize,
    pub keep_damaged: usize,
    pub own: usize,
    pub own_damaged: usize,
    /// For looking at (tuning part only): text, missed spans, wrong spans, damaged keeps.
    pub misses: Vec<String>,
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Identifier kinds: everything but names and addresses.
pub fn is_identifier(k: PiiKind) -> bool {
    !matches!(k, PiiKind::Name | PiiKind::Address)
}

impl Report {
    /// Adds one text and what the detector found in it. A truth span is found when a detected
    /// span of the same kind overlaps it; a detected span is correct when it overlaps a truth
    /// span of the same kind (or, for identifiers, of any identifier kind: a QQ number read as a
    /// mobile is still withheld); a kept span is damaged when any detected span overlaps it.
    pub fn add(&mut self, t: &LabelledText, got: &[Span], record: bool) {
        self.texts += 1;
        let mut notes = Vec::new();
        let same = |a: PiiKind, b: PiiKind| a == b || (is_identifier(a) && is_identifier(b));
        for &(label, s, e) in &t.spans {
            match label {
                Label::Pii(kind) => {
                    let c = self.by_kind.entry(kind).or_default();
                    c.truth += 1;
                    if got.iter().any(|g| same(g.kind, kind) && overlap((g.start, g.end), (s, e))) {
                        c.found += 1;
                    } else {
                        notes.push(format!("missed {kind:?} {}", slice(&t.text, s, e)));
                    }
                }
                Label::Own | Label::Keep => {
                    let damaged = got.iter().any(|g| overlap((g.start, g.end), (s, e)));
                    if label == Label::Own {
                        self.own += 1;
                        self.own_damaged += usize::from(damaged);
                    } else {
                        self.keep += 1;
                        self.keep_damaged += usize::from(damaged);
                    }
                    if damaged {
                        notes.push(format!("damaged {}", slice(&t.text, s, e)));
                    }
                }
            }
        }
        for g in got {
            let c = self.by_kind.entry(g.kind).or_default();
            c.detected += 1;
            let ok = t
                .spans
                .iter()
                .any(|&(l, s, e)| matches!(l, Label::Pii(k) if same(g.kind, k)) && overlap((g.start, g.end), (s, e)));
            c.correct += usize::from(ok);
            if !ok {
                notes.push(format!("wrong {:?} {}", g.kind, g.text));
            }
        }
        if record && !notes.is_empty() {
            self.misses.push(format!("[{} {}] {}\n    {}", t.style, t.index, t.text, notes.join("\n    ")));
        }
    }

    fn sum(&self, pick: impl Fn(PiiKind) -> bool) -> Counts {
        self.by_kind.iter().filter(|(k, _)| pick(**k)).fold(Counts::default(), |a, (_, c)| Counts {
            truth: a.truth + c.truth,
            found: a.found + c.found,
            detected: a.detected + c.detected,
            correct: a.correct + c.correct,
        })
    }

    pub fn recall(&self, pick: impl Fn(PiiKind) -> bool) -> f64 {
        let c = self.sum(pick);
        ratio(c.found, c.truth)
    }

    pub fn precision(&self) -> f64 {
        let c = self.sum(|_| true);
        ratio(c.correct, c.detected)
    }

    /// A table and a `RESULT` line.
    pub fn render(&self, label: &str) -> String {
        let mut s = format!("{label}: {} texts\n  kind        truth  recall  detected  precision\n", self.texts);
        for (k, c) in &self.by_kind {
            let kind = format!("{k:?}");
            let (r, p) = (ratio(c.found, c.truth), ratio(c.correct, c.detected));
            let _ = writeln!(s, "  {kind:10} {:6}  {r:6.3}  {:8}  {p:9.3}", c.truth, c.detected);
        }
        let _ = writeln!(
            s,
            "  must keep: {} of {} damaged ({:.2}%); own enterprise: {} of {} damaged",
            self.keep_damaged + self.own_damaged,
            self.keep + self.own,
            100.0 * ratio(self.keep_damaged + self.own_damaged, self.keep + self.own),
            self.own_damaged,
            self.own
        );
        let _ = write!(
            s,
            "RESULT label={label} texts={} identifiers_recall={:.4} name_recall={:.4} address_recall={:.4} precision={:.4} keep_damage={:.4} own_damaged={}",
            self.texts,
            self.recall(is_identifier),
            self.recall(|k| k == PiiKind::Name),
            self.recall(|k| k == PiiKind::Address),
            self.precision(),
            ratio(self.keep_damaged + self.own_damaged, self.keep + self.own),
            self.own_damaged
        );
        s
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { f64::NAN } else { a as f64 / b as f64 }
}

fn slice(text: &str, s: usize, e: usize) -> String {
    text.chars().skip(s).take(e - s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_gives_character_offsets() {
        let t = parse_corpus("x", "# comment\n\n我叫{name|欧阳娜娜}，在{own|某某店}买的\n").unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].text, "我叫欧阳娜娜，在某某店买的");
        assert_eq!(t[0].spans, vec![(Label::Pii(PiiKind::Name), 2, 6), (Label::Own, 8, 11)]);
        assert_eq!(t[0].enterprises(), vec!["某某店".to_owned()]);
        assert!(parse_corpus("x", "{nope|a}").is_err());
        assert!(parse_corpus("x", "{name|a").is_err());
    }
}
