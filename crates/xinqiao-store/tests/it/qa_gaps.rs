//! 群众问了但没有答案的问题: kept masked, read back newest first from a week on, marked when a
//! draft is started from them, on both backends.

use crate::backend_test;
use xinqiao_store::audit::Actor;
use xinqiao_store::qa_gaps::{MAX_GAP_CHARS, NewGap};

fn gap(asked_at: i64, week: i64, question: &str, reason: &str) -> NewGap {
    NewGap {
        asked_at,
        week,
        question: question.into(),
        words: vec!["异地".into(), "就医".into()],
        reason: reason.into(),
        audience: "consumer".into(),
        entry_id: None,
    }
}

backend_test!(gaps_are_kept_read_by_week_and_marked_drafted, |db| {
    let store = &db.store;
    store.record_gap(&gap(1_000, 7, "上周问的", "no_match")).await.unwrap();
    store.record_gap(&gap(3_000, 14, "异地就医怎么备案", "no_match")).await.unwrap();
    let mut unhelpful = gap(2_000, 14, &"长".repeat(MAX_GAP_CHARS + 50), "unhelpful");
    unhelpful.entry_id = Some("entry-1".into());
    store.record_gap(&unhelpful).await.unwrap();

    let rows = store.gaps_since(14, 100).await.unwrap();
    assert_eq!(rows.len(), 2, "only this week");
    assert_eq!(rows[0].question, "异地就医怎么备案", "newest first");
    assert_eq!(rows[0].words, ["异地", "就医"]);
    assert_eq!(rows[1].question.chars().count(), MAX_GAP_CHARS, "long questions are cut");
    assert_eq!(rows[1].entry_id.as_deref(), Some("entry-1"));
    assert_eq!(rows[1].reason, "unhelpful");
    assert_eq!(store.gaps_since(0, 100).await.unwrap().len(), 3);
    assert_eq!(store.gaps_since(0, 1).await.unwrap().len(), 1, "limited");

    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(store.mark_gaps_drafted(&Actor::console(), &ids, "draft-9").await.unwrap(), 2);
    let rows = store.gaps_since(0, 100).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.draft_id.as_deref() == Some("draft-9")).count(), 2);
    assert!(rows.iter().any(|r| r.question == "上周问的" && r.draft_id.is_none()));
});
