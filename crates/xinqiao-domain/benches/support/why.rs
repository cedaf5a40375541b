//! Why a name was missed, by mechanism (`XQ_PII_WHY=1` of the `pii_eval` bench): the candidate was
//! never generated (the surname has no prior, the surname stands alone, the given name is longer
//! than two characters, jieba glued the surname to the word before, …), or it was generated and
//! vetoed by the segmentation, or scored below the threshold (and which feature pulled it down
//! most), or it passed and lost to a place, a brand or an overlapping span. Reads the name model's
//! data files directly, so that the library keeps no diagnostics of its own.

use std::collections::{BTreeMap, HashMap};
use xinqiao_domain::privacy::{Detector, NAME_FEATURES};

const COMPOUND: [&str; 40] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "端木", "宇文",
    "长孙", "南宫", "西门", "呼延", "澹台", "申屠", "赫连", "钟离", "宗政", "濮阳", "淳于", "公冶", "太叔", "轩辕",
    "拓跋", "独孤", "万俟", "仲孙", "叔孙", "左丘", "梁丘", "羊舌", "漆雕", "巫马", "鲜于", "闾丘",
];

pub struct Why {
    surname: HashMap<char, f32>,
    given: HashMap<char, (f32, f32, f32)>,
    cued: Vec<char>,
    weights: Vec<f32>,
    threshold: f32,
    pub tally: BTreeMap<String, usize>,
    pub unseen_given: usize,
}

fn data(file: &str) -> String {
    std::fs::read_to_string(format!("{}/data/privacy/{file}", env!("CARGO_MANIFEST_DIR"))).expect("a data file")
}

impl Why {
    pub fn new() -> Self {
        let (mut surname, mut given) = (HashMap::new(), HashMap::new());
        for line in data("name-model.tsv").lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let Some(c) = f.first().and_then(|c| c.chars().next()) else { continue };
            let n = |k: usize| f.get(k).and_then(|x| x.parse::<f32>().ok()).unwrap_or(-3.5);
            surname.insert(c, n(1));
            given.insert(c, (n(2), n(3), n(4)));
        }
        for c in data("surnames-floor.txt").lines().filter(|l| !l.starts_with('#')).flat_map(|l| l.chars()) {
            if !c.is_whitespace() {
                let p = surname.entry(c).or_insert(-8.0);
                *p = p.max(1.8);
            }
        }
        let cued = data("surnames-cued.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.chars().collect::<Vec<_>>())
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut weights = vec![0.0; NAME_FEATURES.len()];
        let mut threshold = 0.0;
        for line in data("name-weights.tsv").lines().filter(|l| !l.starts_with('#')) {
            let Some((k, v)) = line.split_once('\t') else { continue };
            let v: f32 = v.trim().parse().unwrap_or(0.0);
            if k == "threshold" {
                threshold = v;
            } else if let Some(i) = NAME_FEATURES.iter().position(|f| *f == k) {
                weights[i] = v;
            }
        }
        Self { surname, given, cued, weights, threshold, tally: BTreeMap::new(), unseen_given: 0 }
    }

    /// The mechanism by which the name `s..e` of `text` was missed; counted in `tally`.
    pub fn missed(&mut self, detector: &Detector, text: &str, s: usize, e: usize) -> String {
        let why = self.reason(detector, text, s, e);
        // The group: the text before the first colon, without the figures.
        let head = why.split(':').next().unwrap_or("");
        let group: String =
            head.split_whitespace().filter(|w| !w.starts_with(['+', '-', '('])).collect::<Vec<_>>().join(" ");
        *self.tally.entry(group).or_default() += 1;
        why
    }

    fn reason(&mut self, detector: &Detector, text: &str, s: usize, e: usize) -> String {
        let chars: Vec<char> = text.chars().collect();
        let name = &chars[s..e];
        let han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
        if name.iter().any(|c| !han(c)) || name.len() >= 5 {
            return "foreign, dotted or long".into();
        }
        let pair: String = name.iter().take(2).collect();
        let sl = if COMPOUND.contains(&pair.as_str()) {
            2
        } else if self.surname.get(&name[0]).is_some_and(|&p| p > 0.0) {
            1
        } else {
            0
        };
        let given = &name[sl.min(name.len())..];
        if given.iter().any(|c| !self.given.contains_key(c)) {
            self.unseen_given += 1;
        }
        let tags = detector.jieba().tag(text, true);
        let word_at = |i: usize| tags.iter().find(|t| t.start <= i && i < t.end);
        let reading: Vec<String> = tags
            .iter()
            .filter(|t| t.start < e + 1 && s.saturating_sub(1) < t.end)
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        let reading = reading.join(" ");
        if sl == 0 {
            let cued = if self.cued.contains(&name[0]) { " (cued list)" } else { "" };
            return format!("never generated, surname not in the prior{cued}: {reading}");
        }
        if given.is_empty() {
            return format!("never generated, surname alone: {reading}");
        }
        if given.len() >= 3 {
            return format!("never generated, given name of three or more: {reading}");
        }
        let cands = detector.name_candidates(text, &[]);
        let at: Vec<_> = cands.iter().filter(|c| c.start == s).collect();
        if at.is_empty() {
            let glued = word_at(s).is_some_and(|t| t.start < s);
            return if glued {
                format!("never generated, surname glued to the word before: {reading}")
            } else {
                format!("never generated, other (title, place ending, numeral …): {reading}")
            };
        }
        let Some(c) = at.iter().find(|c| c.end == e) else {
            let lens: Vec<usize> = at.iter().map(|c| c.end - c.start).collect();
            return format!("never generated at this length (only {lens:?}): {reading}");
        };
        let f = &c.features;
        let (sur, giv, seg, ctx) = (f[1], f[2], f[5], f[6]);
        let short = if f[3] > 0.5 { if ctx < 1.0 { -1.5 } else { -1.0 } } else { 0.0 };
        let hand = 0.6 * sur + giv + short + seg + ctx - 3.0;
        let logit: f32 = self.weights.iter().zip(f.iter()).map(|(w, x)| w * x).sum::<f32>() - self.threshold;
        if seg <= -3.0 || f[11] > 0.5 {
            return format!("vetoed by the segmentation (seg {seg:.1}): {reading}");
        }
        if hand >= 0.0 || logit >= 0.0 {
            return format!("passed (hand {hand:+.1}, learned {logit:+.1}) but blocked or overlapped: {reading}");
        }
        // The feature that pulled the learned score down most (its contribution against the
        // average of the positives would be better; the raw contribution is a fair first cut).
        let worst = (1..f.len())
            .map(|k| (self.weights[k] * f[k], k))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(v, k)| {
                if v > -0.5 {
                    "no feature against it, too little evidence".to_owned()
                } else {
                    format!("{} ({v:+.1})", NAME_FEATURES[k])
                }
            })
            .unwrap_or_default();
        let unseen = if given.iter().any(|c| !self.given.contains_key(c)) { " unseen given char" } else { "" };
        format!(
            "below the threshold, by {worst}{unseen}: hand {hand:+.1} learned {logit:+.1} (sur {sur:.1} given {giv:.1} seg {seg:.1} ctx {ctx:.1}): {reading}"
        )
    }
}
