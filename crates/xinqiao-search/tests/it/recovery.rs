//! A brief I/O error (a read-only or full data directory) does not kill the index for good: the
//! failed writer is replaced, searches go on answering from the last commit, and the changes
//! since it are applied again once writes work.

use xinqiao_domain::cases::CaseKind;
use xinqiao_search::{CaseQuery, FaultSwitch, OrgScope, SearchIndex};

use crate::helpers::case;

fn found(index: &SearchIndex, q: &str) -> Vec<String> {
    let mut ids: Vec<String> =
        index.search_cases(&CaseQuery::new(q, OrgScope::All)).unwrap().into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn a_brief_io_error_does_not_kill_the_index_for_good() {
    let switch = FaultSwitch::default();
    let index = SearchIndex::in_memory_with_faults(&switch).unwrap();
    index.upsert_case(&case("c1", "org-a", CaseKind::Complaint, "预付卡退款纠纷", 0)).unwrap();
    index.commit(1).unwrap();

    // The directory refuses writes for a while: the batch fails, nothing is recorded as applied,
    // and searches still answer from the last commit.
    switch.fail_writes(true);
    let failed =
        index.upsert_case(&case("c2", "org-a", CaseKind::Complaint, "预付卡老板跑路", 1)).and_then(|_| index.commit(2));
    assert!(failed.is_err());
    assert_eq!(index.last_seq().unwrap(), 1);
    assert_eq!(found(&index, "预付卡"), ["c1"]);
    let again =
        index.upsert_case(&case("c2", "org-a", CaseKind::Complaint, "预付卡老板跑路", 1)).and_then(|_| index.commit(2));
    assert!(again.is_err(), "still refused");

    // Writes work again: the follower applies the changes since the last commit once more (a
    // first commit may refuse, saying changes went with the failed writer; the next one holds).
    switch.fail_writes(false);
    let apply = || {
        index.upsert_case(&case("c2", "org-a", CaseKind::Complaint, "预付卡老板跑路", 1)).and_then(|_| index.commit(2))
    };
    if let Err(e) = apply() {
        assert!(matches!(e, xinqiao_search::SearchError::WriterLost), "{e}");
        apply().unwrap();
    }
    assert_eq!(index.last_seq().unwrap(), 2);
    assert_eq!(found(&index, "预付卡"), ["c1", "c2"]);
    assert!(index.writers_remade() >= 1);
    let mut ids = index.case_ids().unwrap();
    ids.sort();
    assert_eq!(ids, ["c1", "c2"]);
}

#[test]
fn changes_taken_by_a_writer_that_failed_are_not_committed_as_applied() {
    let switch = FaultSwitch::default();
    let index = SearchIndex::in_memory_with_faults(&switch).unwrap();
    index.upsert_case(&case("c1", "org-a", CaseKind::Complaint, "预付卡退款纠纷", 0)).unwrap();
    // The commit fails after the change was taken ...
    switch.fail_writes(true);
    assert!(index.commit(5).is_err());
    switch.fail_writes(false);
    // ... so a commit now, without applying it again, must not claim position 5.
    assert!(index.commit(5).is_err());
    assert_eq!(index.last_seq().unwrap(), 0);
    // Applying it again until a commit holds (a commit refuses at most once more, for the
    // changes that went with the failed writer), and only then is the position recorded.
    for attempt in 1.. {
        index.upsert_case(&case("c1", "org-a", CaseKind::Complaint, "预付卡退款纠纷", 0)).unwrap();
        match index.commit(5) {
            Ok(()) => break,
            Err(e) => {
                assert!(attempt < 3, "{e}");
                assert_eq!(index.last_seq().unwrap(), 0);
            }
        }
    }
    assert_eq!(index.last_seq().unwrap(), 5);
    assert_eq!(found(&index, "预付卡"), ["c1"]);
}
