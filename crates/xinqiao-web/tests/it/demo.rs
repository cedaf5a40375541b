//! The demo looks like a living bureau: seeded on a pinned day, it holds cases of every kind over
//! the past twelve months in every state, draw tasks at every stage with enough inspectors, a
//! warning in hand, campaigns and an assessment in progress — and seeding stays quick.

use crate::helpers::*;
use std::collections::BTreeMap;
use xinqiao_domain::cases::Status;
use xinqiao_store::qualification::status;

#[tokio::test]
async fn the_demo_is_a_living_bureau() {
    let app = TestApp::start_at("2026-11-16").await;
    let started = std::time::Instant::now();
    let seeded = xinqiao_web::demo::seed_all(&app.state, 600).await.unwrap();
    let took = started.elapsed();
    eprintln!("demo seeded in {took:?}");
    assert!(took.as_secs() < 120, "seeding took {took:?}");
    assert_eq!((seeded.cases, seeded.draws), (7, 4));
    let today = app.today();
    let pool = app.state.store.pool();

    // Cases of every kind, over the twelve months, in every state.
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT kind, status, received_day FROM cases").fetch_all(pool).await.unwrap();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    let mut months: BTreeMap<i64, usize> = BTreeMap::new();
    for (kind, status, received) in &rows {
        *kinds.entry(kind).or_default() += 1;
        *statuses.entry(status).or_default() += 1;
        let back = today.0 - received;
        assert!((0..=372).contains(&back), "received within the year: {back} days ago");
        *months.entry(back.min(364) / 31).or_default() += 1;
    }
    eprintln!("kinds {kinds:?}\nstatuses {statuses:?}\nmonths {months:?}");
    assert!(rows.len() >= 800, "hundreds of cases: {}", rows.len());
    assert!(kinds["complaint"] >= 550 && kinds["report"] >= 80, "{kinds:?}");
    assert!(kinds["consultation"] >= 50 && kinds["suggestion"] >= 20, "{kinds:?}");
    for s in Status::ALL {
        assert!(statuses.get(s.code()).copied().unwrap_or(0) >= 1, "a case {} ({}): {statuses:?}", s.label(), s.code());
    }
    for s in [Status::AwaitingAcceptance, Status::Accepted, Status::Assigned, Status::Mediating, Status::FollowedUp] {
        assert!(statuses[s.code()] >= 8, "enough {} to work on: {statuses:?}", s.label());
    }
    assert!(statuses["closed"] + statuses["followed_up"] > statuses["awaiting_acceptance"] * 5, "most are done");
    assert_eq!(months.len(), 12, "every month of the year has cases: {months:?}");
    assert!(months.values().all(|n| *n >= 20), "{months:?}");
    // Last year's complaints are concluded, not waiting to be accepted.
    let (old_waiting,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM cases WHERE status IN ('awaiting_acceptance', 'accepted', 'assigned', 'mediating') AND received_day < $1",
    )
    .bind(today.0 - 60)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(old_waiting, 0, "nothing older than two months is still in hand");
    // The demo officer has work of their own.
    let officer = app.state.store.user_by_name("officer").await.unwrap();
    let (mine,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM cases WHERE assigned_to = $1 AND status IN ('assigned', 'mediating')")
            .bind(&officer.id)
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(mine >= 5, "the officer's own cases: {mine}");

    // Draw tasks at every stage, drawn from enough inspectors.
    let (_, inspectors) = app.state.store.directory_counts().await.unwrap();
    assert!(inspectors >= 12, "{inspectors} inspectors");
    let tasks = app.state.store.draw_tasks().await.unwrap();
    let committed = tasks.iter().filter(|t| t.status == "committed").count();
    assert_eq!((tasks.len(), committed), (4, 1), "one announced and waiting, three drawn");
    let mut stages = Vec::new();
    for t in tasks.iter().filter(|t| t.status == "drawn") {
        let all = app.state.store.task_results(&t.id, false).await.unwrap();
        let published = all.iter().filter(|r| r.published_at.is_some()).count();
        stages.push(match (all.len(), published) {
            (0, _) => "drawn",
            (n, p) if p == n => "published",
            _ => "recording",
        });
        let (_, json) = app.state.store.draw_task(&t.id).await.unwrap();
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let drawn = doc["outcome"]["targets"].as_array().unwrap();
        assert!(!drawn.is_empty(), "{}", t.title);
        assert!(doc["outcome"]["shortfalls"].as_array().is_none_or(|s| s.is_empty()), "every team is full");
    }
    stages.sort();
    assert_eq!(stages, ["drawn", "published", "recording"]);

    // A warning in hand, campaigns being measured, an assessment in progress.
    let warnings = app.state.store.warnings(&[], None, 100).await.unwrap();
    assert!(!warnings.is_empty(), "at least one warning");
    assert!(warnings.iter().any(|w| w.assigned_to.as_deref() == Some(officer.id.as_str())), "one assigned");
    assert_eq!(app.state.store.campaigns().await.unwrap().len(), 2);
    let assessments = app.state.store.assessments(None, None).await.unwrap();
    assert!(
        assessments.iter().any(|a| a.status == status::IN_PROGRESS && a.panel.is_some()),
        "an assessment in progress with its panel drawn"
    );

    // Seeded again on the same day, the same picture (deterministic from the seed and the clock).
    let again = TestApp::start_at("2026-11-16").await;
    xinqiao_web::demo::seed_all(&again.state, 600).await.unwrap();
    let twice: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT kind, status, COUNT(*) FROM cases GROUP BY kind, status ORDER BY kind, status")
            .fetch_all(again.state.store.pool())
            .await
            .unwrap();
    let once: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT kind, status, COUNT(*) FROM cases GROUP BY kind, status ORDER BY kind, status")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(once, twice);
    let paper = |rows: Vec<xinqiao_store::qualification::AssessmentRow>| {
        rows.into_iter().map(|a| a.paper_source).collect::<Vec<_>>()
    };
    assert_eq!(
        paper(assessments),
        paper(again.state.store.assessments(None, None).await.unwrap()),
        "the same test paper"
    );
}
