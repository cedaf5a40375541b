//! 群众问了但没有答案的问题: the public's questions that found nothing, or whose answers were
//! voted unhelpful, grouped by similar wording and counted per week, so that the week's new
//! 问答 are written from what people actually asked. The questions arrive masked and with their
//! key words (the search's understanding of them: everyday words already turned into policy
//! words, so 鞋开胶了 and 衣服洗坏了 share 质量问题); grouping compares those words.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::entry::Audience;
use crate::calendar::Date;

/// Two questions belong together when this share of their key words is shared (Jaccard).
pub const SIMILAR: f32 = 0.5;

/// Why a question was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapReason {
    /// The search answered nothing.
    NoMatch,
    /// The asker said the answers did not help.
    Unhelpful,
}

impl GapReason {
    pub fn code(self) -> &'static str {
        match self {
            GapReason::NoMatch => "no_match",
            GapReason::Unhelpful => "unhelpful",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GapReason::NoMatch => "没有找到",
            GapReason::Unhelpful => "回答没帮助",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [GapReason::NoMatch, GapReason::Unhelpful].into_iter().find(|r| r.code() == code)
    }
}

/// The Monday of `day`'s week (weeks run Monday to Sunday).
pub fn week_of(day: Date) -> Date {
    Date(day.0 - i64::from(day.weekday()))
}

/// One kept question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub id: String,
    /// Masked.
    pub question: String,
    /// Key words, as the search understood them.
    pub words: Vec<String>,
    /// The Monday of the week it was asked in.
    pub week: Date,
    pub reason: GapReason,
    pub audience: Option<Audience>,
    /// The draft entry started from it, if any.
    pub drafted: Option<String>,
}

/// Questions asked in similar words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapGroup {
    /// The wording asked most often (the most recent among equals).
    pub example: String,
    /// The key words of the group (those of its first question).
    pub words: Vec<String>,
    pub ids: Vec<String>,
    pub total: usize,
    pub no_match: usize,
    pub unhelpful: usize,
    /// Questions per week (Monday), oldest first.
    pub per_week: Vec<(Date, usize)>,
    /// The latest week it was asked in.
    pub latest: Date,
    /// The audience asking most (None when nobody said).
    pub audience: Option<Audience>,
    /// A draft started from one of its questions.
    pub drafted: Option<String>,
}

fn similarity(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

/// Groups `gaps` by similar wording: each question joins the group whose key words it shares
/// most (at least [`SIMILAR`]), in the order given (newest first is best), else starts one.
/// Questions without key words group by identical text. Groups come most asked first, then
/// most recent.
pub fn group_gaps(gaps: &[Gap]) -> Vec<GapGroup> {
    struct Building<'a> {
        signature: BTreeSet<&'a str>,
        members: Vec<&'a Gap>,
    }
    let mut groups: Vec<Building> = Vec::new();
    // Only groups sharing a word can be similar: word → groups whose signature holds it; and
    // questions without key words by their text.
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_text: HashMap<&str, usize> = HashMap::new();
    for gap in gaps {
        let words: BTreeSet<&str> = gap.words.iter().map(String::as_str).collect();
        let found = if words.is_empty() {
            by_text.get(gap.question.trim()).copied()
        } else {
            let mut candidates: Vec<usize> = words.iter().filter_map(|w| by_word.get(w)).flatten().copied().collect();
            candidates.sort_unstable();
            candidates.dedup();
            candidates
                .into_iter()
                .map(|g| (similarity(&groups[g].signature, &words), g))
                .filter(|(s, _)| *s >= SIMILAR)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, g)| g)
        };
        match found {
            Some(g) => groups[g].members.push(gap),
            None => {
                let g = groups.len();
                if words.is_empty() {
                    by_text.insert(gap.question.trim(), g);
                }
                for w in &words {
                    by_word.entry(w).or_default().push(g);
                }
                groups.push(Building { signature: words, members: vec![gap] });
            }
        }
    }
    let mut out: Vec<GapGroup> = groups.into_iter().map(|g| summarise(&g.members)).collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then(b.latest.cmp(&a.latest)));
    out
}

fn summarise(members: &[&Gap]) -> GapGroup {
    let mut wordings: BTreeMap<&str, (usize, Date)> = BTreeMap::new();
    let mut weeks: BTreeMap<Date, usize> = BTreeMap::new();
    let mut audiences: BTreeMap<Audience, usize> = BTreeMap::new();
    for g in members {
        let w = wordings.entry(g.question.trim()).or_insert((0, g.week));
        w.0 += 1;
        w.1 = w.1.max(g.week);
        *weeks.entry(g.week).or_default() += 1;
        if let Some(a) = g.audience {
            *audiences.entry(a).or_default() += 1;
        }
    }
    let example = wordings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(q, _)| (*q).to_string())
        .unwrap_or_default();
    GapGroup {
        example,
        words: members.first().map(|g| g.words.clone()).unwrap_or_default(),
        ids: members.iter().map(|g| g.id.clone()).collect(),
        total: members.len(),
        no_match: members.iter().filter(|g| g.reason == GapReason::NoMatch).count(),
        unhelpful: members.iter().filter(|g| g.reason == GapReason::Unhelpful).count(),
        latest: weeks.keys().next_back().copied().unwrap_or(Date(0)),
        per_week: weeks.into_iter().collect(),
        audience: audiences.into_iter().max_by_key(|(_, n)| *n).map(|(a, _)| a),
        drafted: members.iter().find_map(|g| g.drafted.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(id: &str, question: &str, words: &[&str], week: i64, reason: GapReason) -> Gap {
        Gap {
            id: id.into(),
            question: question.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
            week: Date(week),
            reason,
            audience: Some(Audience::Consumer),
            drafted: None,
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        let monday = Date::parse("2026-12-07").unwrap();
        assert_eq!(monday.weekday(), 0);
        for d in 0..7 {
            assert_eq!(week_of(Date(monday.0 + d)), monday);
        }
        assert_eq!(week_of(Date(monday.0 - 1)), Date(monday.0 - 7));
    }

    #[test]
    fn similar_wording_groups_and_counts_per_week() {
        use GapReason::{NoMatch, Unhelpful};
        let gaps = [
            gap("1", "跨省异地就医怎么备案", &["跨省", "异地", "就医", "备案"], 14, NoMatch),
            gap("2", "房东不退押金", &["房东", "押金"], 14, NoMatch),
            gap("3", "异地就医要备案吗", &["异地", "就医", "备案"], 14, NoMatch),
            gap("4", "跨省异地就医怎么备案", &["跨省", "异地", "就医", "备案"], 7, Unhelpful),
            gap("5", "二房东扣押金不还", &["房东", "押金", "扣"], 7, NoMatch),
            gap("6", "？？", &[], 7, NoMatch),
            gap("7", "？？", &[], 0, NoMatch),
        ];
        let groups = group_gaps(&gaps);
        assert_eq!(groups.len(), 3, "{groups:#?}");
        let medical = &groups[0];
        assert_eq!(medical.total, 3);
        assert_eq!(medical.example, "跨省异地就医怎么备案", "asked twice");
        assert_eq!(medical.per_week, [(Date(7), 1), (Date(14), 2)]);
        assert_eq!((medical.no_match, medical.unhelpful), (2, 1));
        assert_eq!(medical.latest, Date(14));
        let rent = &groups[1];
        assert_eq!(rent.ids, ["2", "5"]);
        assert_eq!(rent.audience, Some(Audience::Consumer));
        assert_eq!(groups[2].ids, ["6", "7"], "no key words: grouped by identical text");
        assert!(group_gaps(&[]).is_empty());

        // Many questions: each is compared only with the groups sharing one of its words.
        let many: Vec<Gap> = (0..20_000)
            .map(|i| gap(&i.to_string(), "问", &[&format!("词{}", i % 5_000), &format!("类{}", i % 5_000)], 0, NoMatch))
            .collect();
        assert_eq!(group_gaps(&many).len(), 5_000);
        assert_eq!(GapReason::parse("unhelpful"), Some(Unhelpful));
        assert_eq!(GapReason::parse("x"), None);
    }
}
