//! The plain-language check (说人话检查). It advises and never blocks: findings carry character
//! offsets (`start..end`, in `char`s, end exclusive), a Chinese message and, where there is one, a
//! suggestion. The heuristics:
//!
//! - **Long sentence**: sentences end at `。！？；!?;` or a newline; one with more than
//!   `max_sentence_chars` characters (default 60; whitespace and the end mark not counted) is flagged.
//! - **Jargon**: terms from the shipped dictionary (`data/plain-language.toml`), longest match first.
//!   Each term is flagged once, at its first use, unless that use is explained right away by a
//!   bracketed gloss (`容缺受理（材料缺一点也能先受理）`): then later uses are fine too. Titles in
//!   `《》` are names and are skipped by this check and the next.
//! - **Stacked nouns (名词堆叠)**: with jieba's part-of-speech tags (no HMM), a run of at least
//!   `noun_run_min` (default 4) consecutive noun-like words — tags `n*`, `vn` (verbal noun, the
//!   nominalisation itself) and `j` (abbreviation), action cues excepted (jieba tags 联系 a noun) —
//!   or a clause (split at `，。；：！？、`, quotes and brackets) with at least `de_per_clause_min`
//!   (default 3) `的` particles. Only jieba's tags count: it tags 投诉、举报、处理 as verbs, so a
//!   pile like `投诉举报处理工作规范` slips through.
//! - **No action (没说怎么做)**: when `require_action` is on (answers), a text without any action
//!   cue from the dictionary (`请`, `可以`, `应当`, `需要`, `拨打`, `登录`, `携带`, `办理`, `提交` …)
//!   is flagged as a whole.

use serde::{Deserialize, Serialize};

use super::KnowledgeError;
use super::entry::{ANSWER_TARGET_CHARS, QaEntry};

/// A term of legal or bureaucratic language, with a plain alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JargonTerm {
    pub term: String,
    /// Other spellings flagged as the same term.
    #[serde(default)]
    pub variants: Vec<String>,
    pub plain: String,
    #[serde(default)]
    pub note: String,
}

/// The check's configuration; [`Rules::builtin`] loads `data/plain-language.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub max_sentence_chars: usize,
    pub noun_run_min: usize,
    pub de_per_clause_min: usize,
    #[serde(default = "yes")]
    pub require_action: bool,
    pub action_cues: Vec<String>,
    #[serde(rename = "term")]
    pub jargon: Vec<JargonTerm>,
}

fn yes() -> bool {
    true
}

impl Rules {
    /// The dictionary and thresholds shipped with Xinqiao.
    pub fn builtin() -> Self {
        Self::from_toml(super::PLAIN_LANGUAGE_TOML).expect("the shipped plain-language file is valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, KnowledgeError> {
        let rules: Rules = toml::from_str(text).map_err(|e| KnowledgeError::BadData(e.message().to_owned()))?;
        let empty = |s: &String| s.trim().is_empty();
        if rules.jargon.iter().any(|t| empty(&t.term) || empty(&t.plain) || t.variants.iter().any(empty))
            || rules.action_cues.iter().any(empty)
            || rules.max_sentence_chars == 0
            || rules.noun_run_min < 2
            || rules.de_per_clause_min < 2
        {
            return Err(KnowledgeError::BadData("说人话检查规则中有空词条或阈值过小".into()));
        }
        Ok(rules)
    }

    /// The same rules without the "no action" check (for explanations).
    pub fn without_action_check(&self) -> Self {
        Self { require_action: false, ..self.clone() }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Self::builtin()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    LongSentence,
    Jargon,
    StackedNouns,
    NoAction,
    /// Only from [`lint_entry`]: the answer is over its 200-character target.
    LongAnswer,
}

impl FindingKind {
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::LongSentence => "long_sentence",
            FindingKind::Jargon => "jargon",
            FindingKind::StackedNouns => "stacked_nouns",
            FindingKind::NoAction => "no_action",
            FindingKind::LongAnswer => "long_answer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingKind::LongSentence => "句子太长",
            FindingKind::Jargon => "行话术语",
            FindingKind::StackedNouns => "名词堆叠",
            FindingKind::NoAction => "没说怎么做",
            FindingKind::LongAnswer => "答复太长",
        }
    }
}

/// One piece of advice about a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// Character offsets into the text, `end` exclusive.
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub suggestion: Option<String>,
}

/// A finding in one field of an entry (`answer` or `explanation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryFinding {
    pub field: &'static str,
    #[serde(flatten)]
    pub finding: Finding,
}

/// Checks `text`, findings ordered by position. `jieba` is the shared segmenter (the privacy
/// detector's, `Detector::jieba()`), so its dictionary is in memory once.
pub fn lint(jieba: &jieba_rs::Jieba, text: &str, rules: &Rules) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let titles = titles(&chars);
    let mut out = Vec::new();
    long_sentences(&chars, rules, &mut out);
    jargon(&chars, &titles, rules, &mut out);
    stacked_nouns(jieba, text, &titles, rules, &mut out);
    if rules.require_action
        && !chars.iter().all(|c| c.is_whitespace())
        && !rules.action_cues.iter().any(|c| text.contains(c.as_str()))
    {
        out.push(Finding {
            kind: FindingKind::NoAction,
            start: 0,
            end: chars.len(),
            message: "这段答复没有告诉读者下一步该怎么做".into(),
            suggestion: Some("加一句具体做法，比如“请……”“可以拨打12315……”“记得保留……”".into()),
        });
    }
    out.sort_by_key(|f| (f.start, f.kind, f.end));
    out
}

/// Checks an entry: its answer with `rules` plus the 200-character target, its explanation
/// without the "no action" check.
pub fn lint_entry(jieba: &jieba_rs::Jieba, entry: &QaEntry, rules: &Rules) -> Vec<EntryFinding> {
    let mut out: Vec<EntryFinding> = lint(jieba, &entry.answer, rules)
        .into_iter()
        .map(|finding| EntryFinding { field: "answer", finding })
        .collect();
    let n = entry.answer.chars().count();
    if n > ANSWER_TARGET_CHARS {
        out.push(EntryFinding {
            field: "answer",
            finding: Finding {
                kind: FindingKind::LongAnswer,
                start: ANSWER_TARGET_CHARS,
                end: n,
                message: format!("答复有 {n} 字，超过目标 {ANSWER_TARGET_CHARS} 字"),
                suggestion: Some("答复只留结论和做法，把细节挪到解释说明里".into()),
            },
        });
    }
    let explanation = rules.without_action_check();
    out.extend(
        lint(jieba, &entry.explanation, &explanation)
            .into_iter()
            .map(|finding| EntryFinding { field: "explanation", finding }),
    );
    out
}

/// Character ranges of `《…》` titles, brackets included (an unclosed one runs to the end).
fn titles(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in chars.iter().enumerate() {
        match (c, open) {
            ('《', None) => open = Some(i),
            ('》', Some(s)) => {
                out.push((s, i + 1));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push((s, chars.len()));
    }
    out
}

fn in_title(titles: &[(usize, usize)], start: usize, end: usize) -> bool {
    titles.iter().any(|&(s, e)| start < e && s < end)
}

fn long_sentences(chars: &[char], rules: &Rules, out: &mut Vec<Finding>) {
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        let end_mark = "。！？；!?;\n".contains(*c);
        if end_mark || i + 1 == chars.len() {
            let end = i + 1;
            let body =
                chars[start..end].iter().filter(|c| !c.is_whitespace()).count() - usize::from(end_mark && *c != '\n');
            if body > rules.max_sentence_chars {
                out.push(Finding {
                    kind: FindingKind::LongSentence,
                    start,
                    end,
                    message: format!("这句话有 {body} 字，超过 {} 字，读起来费劲", rules.max_sentence_chars),
                    suggestion: Some("拆成两三句短句，每句只说一件事".into()),
                });
            }
            start = end;
        }
    }
}

fn jargon(chars: &[char], titles: &[(usize, usize)], rules: &Rules, out: &mut Vec<Finding>) {
    // Every match: (start, end, term index), longest first at each start, then without overlaps.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (t, term) in rules.jargon.iter().enumerate() {
        for spelling in std::iter::once(&term.term).chain(&term.variants) {
            let pat: Vec<char> = spelling.chars().collect();
            if pat.is_empty() || pat.len() > chars.len() {
                continue;
            }
            for s in 0..=chars.len() - pat.len() {
                if chars[s..].starts_with(&pat) && !in_title(titles, s, s + pat.len()) {
                    found.push((s, s + pat.len(), t));
                }
            }
        }
    }
    found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    for f in found {
        if kept.last().is_none_or(|k| f.0 >= k.1) {
            kept.push(f);
        }
    }
    let mut done = vec![false; rules.jargon.len()];
    for (s, e, t) in kept {
        if std::mem::replace(&mut done[t], true) {
            continue;
        }
        if matches!(chars.get(e), Some('（' | '(')) {
            continue; // explained right away
        }
        let term = &rules.jargon[t];
        let word: String = chars[s..e].iter().collect();
        out.push(Finding {
            kind: FindingKind::Jargon,
            start: s,
            end: e,
            message: format!("“{word}”是行话，读者可能看不懂"),
            suggestion: Some(format!("换成大白话：{}", term.plain)),
        });
    }
}

fn noun_like(tag: &str) -> bool {
    tag.starts_with('n') || tag == "vn" || tag == "j"
}

fn stacked_nouns(
    jieba: &jieba_rs::Jieba,
    text: &str,
    titles: &[(usize, usize)],
    rules: &Rules,
    out: &mut Vec<Finding>,
) {
    let tags = jieba.tag(text, false);
    let mut run: Vec<usize> = Vec::new();
    let mut clause_start = 0;
    let mut des: Vec<usize> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let titled = in_title(titles, t.start, t.end);
        // An action cue (联系, 投诉 …) is a verb here even where jieba's dictionary says noun.
        let cue = rules.action_cues.iter().any(|c| c == t.word);
        if noun_like(t.tag) && !titled && !cue && !t.word.chars().all(|c| c.is_ascii_digit()) {
            run.push(i);
        } else {
            flush_run(&tags, &mut run, rules, out);
        }
        if t.word == "的" && !titled {
            des.push(i);
        }
        let clause_end = t.word.chars().all(|c| "，。；：！？、,;:!?()（）“”\n".contains(c));
        if clause_end || i + 1 == tags.len() {
            if des.len() >= rules.de_per_clause_min {
                let end = if clause_end { t.start } else { t.end };
                out.push(Finding {
                    kind: FindingKind::StackedNouns,
                    start: clause_start,
                    end,
                    message: format!("一个分句里有 {} 个“的”，定语叠得太长", des.len()),
                    suggestion: Some("拆开说，把最要紧的信息放在前面".into()),
                });
            }
            des.clear();
            clause_start = t.end;
        }
    }
    flush_run(&tags, &mut run, rules, out);
}

fn flush_run(tags: &[jieba_rs::Tag<'_>], run: &mut Vec<usize>, rules: &Rules, out: &mut Vec<Finding>) {
    if run.len() >= rules.noun_run_min {
        let (first, last) = (&tags[run[0]], &tags[run[run.len() - 1]]);
        let words: String = run.iter().map(|i| tags[*i].word).collect();
        out.push(Finding {
            kind: FindingKind::StackedNouns,
            start: first.start,
            end: last.end,
            message: format!("“{words}”连着 {} 个名词，读者得自己拆开理解", run.len()),
            suggestion: Some("把其中的动作还原成动词来说，例如“投诉处理工作”改成“处理投诉”".into()),
        });
    }
    run.clear();
}
