//! Background work under the supervisor: the tasks `serve` starts run in a test app, a task
//! that panics is started again (and `/readyz` says so meanwhile), shutdown stops every task,
//! and a test app with hand-driven tasks runs one only when asked.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use xinqiao_web::tasks::{Task, TaskError, TaskState};

/// Waits (bounded) until `ok` holds.
async fn until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ok() {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn state_of(app: &TestApp, name: &str) -> Option<xinqiao_web::tasks::TaskReport> {
    app.state.tasks.report().into_iter().find(|t| t.name == name)
}

#[tokio::test]
async fn every_background_task_of_serve_runs_in_a_test_app() {
    let app = TestApp::start().await;
    let names: Vec<&str> = app.state.tasks.report().iter().map(|t| t.name).collect();
    for task in [
        "audit-checkpoints",
        "calendar",
        "detector",
        "incident_reminders",
        "insights",
        "ledger-retention",
        "search",
        "settlements",
        "warnings",
    ] {
        assert!(names.contains(&task), "{task} is supervised: {names:?}");
    }
    // A case is submitted and nothing searches: the follower alone brings it into the index.
    app.bureau().await;
    let res = Client::new()
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({
            "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
            "industry": "R", "region_code": "320508", "narrative": "健身房突然关门，预付卡余额不退。",
            "demand": "退还余额", "name": "李秀英", "mobile": "13800000001", "address": "苏州市姑苏区人民路88号"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let intake = state_of(&app, "intake").expect("the intake writer is a supervised worker once used");
    assert_eq!(intake.state, TaskState::Running);
    let target = app.state.store.last_change().await.unwrap();
    assert!(target > 0);
    let index = app.state.search_index().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while index.last_seq().unwrap() < target {
        assert!(Instant::now() < deadline, "the search follower did not run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(index.doc_count().cases, 1);
    let search = state_of(&app, "search").unwrap();
    assert_eq!(search.state, TaskState::Running);
    assert!(search.runs >= 1);
    let verbose = Client::new().get(app.url("/readyz?verbose")).send().await.unwrap();
    assert_eq!(verbose.status(), StatusCode::OK);
    let body = verbose.text().await.unwrap();
    assert!(body.starts_with("ready\n") && body.contains("task search: running"), "{body}");
    let metrics = Client::new().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_task_up{task=\"search\",state=\"running\"} 1"), "{metrics}");
    assert!(metrics.contains("xinqiao_task_restarts_total{task=\"insights\"} 0"), "{metrics}");
}

#[tokio::test]
async fn a_task_that_panics_is_restarted_and_readyz_says_so_meanwhile() {
    let app = TestApp::start().await;
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let task = Task::every("probe", Duration::from_millis(20), move |_| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                // The payload names a person: it must not reach /readyz or /metrics.
                0 => panic!("李秀英 13800000001"),
                1 => Err(TaskError("探针失败")),
                _ => Ok(()),
            }
        }
    })
    .backoff(Duration::from_secs(3), Duration::from_secs(3));
    app.state.tasks.spawn(&app.state, task);

    until("the panic is seen", Duration::from_secs(10), || {
        state_of(&app, "probe").is_some_and(|t| t.state == TaskState::Restarting)
    })
    .await;
    let c = Client::new();
    let ready = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE, "not ready while a task waits to restart");
    let body = ready.text().await.unwrap();
    assert!(body.contains("task probe: restarting") && body.contains("已重启 1 次"), "{body}");
    assert!(body.contains("任务异常中止（panic）") && !body.contains("李秀英") && !body.contains("138"), "{body}");

    // After the back-off it runs again (a failed step is reported, a good one keeps it going).
    until("the task runs again", Duration::from_secs(15), || calls.load(Ordering::SeqCst) >= 3).await;
    let probe = state_of(&app, "probe").unwrap();
    assert_eq!((probe.state, probe.restarts), (TaskState::Running, 1));
    assert_eq!(probe.last_error, Some("探针失败"));
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().text().await.unwrap(), "ready");
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_task_restarts_total{task=\"probe\"} 1"), "{metrics}");
    assert!(!metrics.contains("李秀英"));
}

#[tokio::test]
async fn shutdown_stops_every_background_task() {
    let app = TestApp::start().await;
    // A worker that only stops when told, and a timer.
    let stopped = Arc::new(AtomicU32::new(0));
    let flag = stopped.clone();
    app.state.tasks.spawn(
        &app.state,
        Task::worker("holder", move |_, mut stop| {
            let flag = flag.clone();
            async move {
                stop.stopped().await;
                flag.fetch_add(1, Ordering::SeqCst);
            }
        }),
    );
    assert!(app.state.tasks.report().iter().any(|t| t.state == TaskState::Running));
    let state = app.state.clone();
    let started = Instant::now();
    app.stop().await;
    assert!(started.elapsed() < xinqiao_web::WORKERS_BOUND, "stopped within the bound");
    assert_eq!(stopped.load(Ordering::SeqCst), 1, "the worker was told to stop and finished");
    for t in state.tasks.report() {
        assert!(matches!(t.state, TaskState::Stopped | TaskState::Done), "{} is {:?}", t.name, t.state);
    }
    // Nothing starts once shutdown began.
    state.tasks.spawn(&state, Task::every("late", Duration::from_millis(10), |_| async { Ok(()) }));
    let late = state.tasks.report().into_iter().find(|t| t.name == "late").unwrap();
    assert_eq!(late.state, TaskState::Stopped);
}

#[tokio::test]
async fn with_hand_driven_tasks_a_timer_runs_only_when_asked() {
    let app = TestApp::start_manual().await;
    let search = state_of(&app, "search").unwrap();
    assert_eq!((search.state, search.runs), (TaskState::Manual, 0));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(state_of(&app, "warnings").unwrap().runs, 0, "no run by itself");
    app.run_task("warnings").await;
    app.run_task("settlements").await;
    assert_eq!(state_of(&app, "warnings").unwrap().runs, 1);
    assert_eq!(state_of(&app, "settlements").unwrap().runs, 1);
    let unknown = app.state.tasks.run_once(&app.state, "nothing").await;
    assert_eq!(unknown, Err(TaskError("没有这个后台任务")));
}
