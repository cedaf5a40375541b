//! The outbox position lives in the index's commit: it survives a restart, and a reindex
//! (clear, upsert all, commit) keeps serving the old contents until its commit.

use xinqiao_domain::cases::CaseKind;
use xinqiao_search::{QaQuery, SearchIndex};

use crate::helpers::{TempDir, case, entries, qa};

#[test]
fn last_seq_round_trips_in_memory() {
    let index = SearchIndex::in_memory().unwrap();
    assert_eq!(index.last_seq().unwrap(), 0);
    index.commit(41).unwrap();
    assert_eq!(index.last_seq().unwrap(), 41);
    index.upsert_qa(&qa("a", "问", "答")).unwrap();
    index.commit(42).unwrap();
    assert_eq!(index.last_seq().unwrap(), 42);
}

#[test]
fn an_on_disk_index_resumes_where_it_stopped() {
    let dir = TempDir::new();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.last_seq().unwrap(), 0);
        for e in entries() {
            index.upsert_qa(&e).unwrap();
        }
        index.upsert_case(&case("c1", "org-a", CaseKind::Complaint, "预付卡退款纠纷", 0)).unwrap();
        index.commit(120).unwrap();
        // Uncommitted work is lost on restart, and the position says so.
        index.upsert_qa(&qa("late", "未提交的问题", "答")).unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.last_seq().unwrap(), 120);
    assert_eq!(index.doc_count().qa, entries().len() as u64);
    assert_eq!(index.doc_count().cases, 1);
    assert_eq!(index.search_qa(&QaQuery::new("储值卡")).unwrap().hits[0].id, "prepaid-refund");
    assert!(index.search_qa(&QaQuery::new("未提交的问题")).unwrap().hits.iter().all(|h| h.id != "late"));
    index.commit(121).unwrap();
    drop(index);
    assert_eq!(SearchIndex::open(dir.path()).unwrap().last_seq().unwrap(), 121);
}

#[test]
fn a_reindex_swaps_contents_at_its_commit() {
    let dir = TempDir::new();
    let index = SearchIndex::open(dir.path()).unwrap();
    index.upsert_qa(&qa("old", "旧的问题：年报怎么报", "答")).unwrap();
    index.commit(10).unwrap();

    index.clear().unwrap();
    index.upsert_qa(&qa("new", "新的问题：年报怎么报", "答")).unwrap();
    // Until the reindex commits, searches see the old contents.
    assert_eq!(index.search_qa(&QaQuery::new("年报")).unwrap().hits[0].id, "old");
    index.commit(25).unwrap();
    let hits = index.search_qa(&QaQuery::new("年报")).unwrap().hits;
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["new"]);
    assert_eq!(index.last_seq().unwrap(), 25);
}
