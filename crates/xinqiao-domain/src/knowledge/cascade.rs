//! The law-change cascade (政策更新得跟得上): when a cited law gets a new version or is repealed,
//! which entries must be marked 待复核.
//!
//! An entry is affected by a change to law X when one of its citations points to X — for a new
//! version, to any version other than the new one (an entry already citing the new version is up
//! to date); for a repeal, to any version. Affected entries that are 待审 or 已发布 become 待复核
//! (the lifecycle's `mark_stale`); affected drafts stay drafts and are listed for a notice to their
//! author; 待复核 and 已废止 entries are left alone.

use serde::Serialize;

use super::laws::{Citation, LawChange};
use super::lifecycle::{QaAction, QaStatus, apply};

/// An entry as the cascade sees it: a key of the caller's choosing (an id), its status and citations.
#[derive(Debug, Clone, Copy)]
pub struct Citing<'a, K> {
    pub key: K,
    pub status: QaStatus,
    pub citations: &'a [Citation],
}

/// What the cascade decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cascade<K> {
    /// Entries to move to 待复核 (each one once, in input order).
    pub stale: Vec<K>,
    /// Drafts citing the changed law: not moved, but their authors should be told.
    pub drafts: Vec<K>,
}

impl<K> Default for Cascade<K> {
    fn default() -> Self {
        Self { stale: Vec::new(), drafts: Vec::new() }
    }
}

/// Whether `citations` make an entry due for review after `change`.
pub fn affected_by(change: &LawChange, citations: &[Citation]) -> bool {
    citations.iter().any(|c| match change {
        LawChange::NewVersion { law_id, version } => &c.law_id == law_id && &c.version != version,
        LawChange::Repealed { law_id, .. } => &c.law_id == law_id,
    })
}

/// The cascade of several changes at once (e.g. from `changes_between` after a registry update).
pub fn cascade<'a, K: PartialEq>(
    changes: &[LawChange],
    entries: impl IntoIterator<Item = Citing<'a, K>>,
) -> Cascade<K> {
    let mut out = Cascade::default();
    for e in entries {
        if !changes.iter().any(|c| affected_by(c, e.citations)) {
            continue;
        }
        if e.status == QaStatus::Draft {
            if !out.drafts.contains(&e.key) {
                out.drafts.push(e.key);
            }
        } else if apply(e.status, QaAction::MarkStale).is_ok() && !out.stale.contains(&e.key) {
            out.stale.push(e.key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::laws::{Law, Successor};
    use crate::knowledge::lifecycle::QaStatus::*;

    fn cite(law: &str, version: &str) -> Citation {
        Citation { law_id: law.to_owned(), version: version.to_owned(), article: None }
    }

    fn new_version(law: &str, version: &str) -> LawChange {
        LawChange::NewVersion { law_id: law.to_owned(), version: version.to_owned() }
    }

    #[test]
    fn a_new_version_makes_published_and_review_entries_stale() {
        let old = [cite("consumer-rights-law", "2013")];
        let current = [cite("consumer-rights-law", "2030")];
        let other = [cite("food-safety-law", "2021")];
        let both = [cite("food-safety-law", "2021"), cite("consumer-rights-law", "2013")];
        let entries = [
            Citing { key: 1, status: Published, citations: &old },
            Citing { key: 2, status: Review, citations: &old },
            Citing { key: 3, status: Published, citations: &current },
            Citing { key: 4, status: Published, citations: &other },
            Citing { key: 5, status: Draft, citations: &old },
            Citing { key: 6, status: Stale, citations: &old },
            Citing { key: 7, status: Retired, citations: &old },
            Citing { key: 8, status: Published, citations: &both },
        ];
        let out = cascade(&[new_version("consumer-rights-law", "2030")], entries);
        assert_eq!(out.stale, vec![1, 2, 8]);
        assert_eq!(out.drafts, vec![5]);
    }

    #[test]
    fn a_repeal_catches_every_version_cited() {
        let order20 = [cite("samr-complaint-interim-measures", "2022")];
        let order20_old = [cite("samr-complaint-interim-measures", "2019")];
        let order121 = [cite("samr-complaint-measures", "2025")];
        let change = LawChange::Repealed {
            law_id: "samr-complaint-interim-measures".into(),
            replaced_by: Some(Successor { law_id: "samr-complaint-measures".into(), version: Some("2025".into()) }),
        };
        let entries = [
            Citing { key: "a", status: Published, citations: &order20 },
            Citing { key: "b", status: Published, citations: &order20_old },
            Citing { key: "c", status: Published, citations: &order121 },
        ];
        let out = cascade(&[change], entries);
        assert_eq!(out.stale, vec!["a", "b"]);
        assert!(out.drafts.is_empty());
    }

    #[test]
    fn several_changes_mark_an_entry_once_and_no_change_marks_nothing() {
        let two = [cite("price-law", "1997"), cite("advertising-law", "2021")];
        let changes = [new_version("price-law", "2027"), new_version("advertising-law", "2027")];
        let entries = [Citing { key: 'x', status: Published, citations: &two }];
        assert_eq!(cascade(&changes, entries).stale, vec!['x']);
        assert_eq!(cascade(&[], entries), Cascade::default());
        assert!(!affected_by(&new_version("price-law", "1997"), &two), "already cites the new version");
        assert!(!affected_by(&new_version("e-commerce-law", "2027"), &two));
    }

    #[test]
    fn recording_a_version_in_the_registry_feeds_the_cascade() {
        let mut laws = crate::knowledge::laws();
        let before = laws.clone();
        let law = laws.iter_mut().find(|l| l.id == "price-law").unwrap();
        let change = law.add_version("2030", None, "测试用的假想修订").unwrap();
        assert_eq!(change, new_version("price-law", "2030"));
        assert_eq!(law.current().unwrap().id, "2030");
        assert_eq!(law.version("1997").unwrap().replaced_by.as_ref().unwrap().version.as_deref(), Some("2030"));
        assert_eq!(crate::knowledge::laws::changes_between(&before, &laws), vec![change.clone()]);

        let entries = crate::knowledge::starter_entries();
        let out = cascade(
            &[change],
            entries.iter().map(|e| Citing { key: e.id.as_str(), status: Published, citations: &e.citations }),
        );
        let expected: Vec<&str> = entries.iter().filter(|e| e.cites("price-law")).map(|e| e.id.as_str()).collect();
        assert!(!expected.is_empty());
        assert_eq!(out.stale, expected);
        assert!(Law::find(&laws, "price-law").is_some());
    }
}
