//! 复检机构随机确定 over the incident page: only for a re-test request, by its team, from the
//! directory without the first laboratory, once; the pick recomputes from the seed and list
//! shown on the page, the draw is audited, and the neighbouring district finds nothing.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::incidents::{RetestDraw, RetestPool};
use xinqiao_web::incidents::service::{self, MeasureInput, NewIncidentInput, Officer, RetestLabInput};

const DIRECTORY: &str =
    "江苏省产品质量监督检验研究院\n苏州市食品检验检测中心\n南京海关食品检测中心\n无锡检测（江苏）有限公司\n";

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

#[tokio::test]
async fn a_retest_laboratory_is_drawn_once_at_random_and_never_the_first() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let other = officer(&app, &app.member("other.gusu", &b.gusu, Role::Officer).await).await;
    let wz = officer(&app, &app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await).await;
    let input =
        NewIncidentInput {
            title: "奶粉抽检不合格".into(), enterprise_name: "示例乳品厂".into(), ..Default::default()
        };
    let id = service::create(st, &owner, input).await.unwrap();
    let measure =
        |clock: &str| MeasureInput { clock: clock.into(), title: "措施".into(), started_on: "2026-11-13".into() };
    let sampling = service::add_measure(st, &owner, &id, measure("sample_to_lab")).await.unwrap();
    let retest = service::add_measure(st, &owner, &id, measure("retest_request")).await.unwrap();
    let labs = |original: &str, candidates: &str| RetestLabInput {
        original_lab: original.into(),
        candidates: candidates.into(),
    };
    let first = "苏州市食品检验检测中心";

    // Refusals change nothing: another clock, a directory too small, someone off the team, the
    // neighbouring district.
    let refused = service::draw_retest_lab(st, &owner, &id, &sampling, labs(first, DIRECTORY)).await.unwrap_err();
    assert_eq!(refused.fields()[0].code, "not_retest");
    let few = format!("{first}\n南京海关食品检测中心\n南京海关食品检测中心");
    let refused = service::draw_retest_lab(st, &owner, &id, &retest, labs(first, &few)).await.unwrap_err();
    assert_eq!(refused.fields()[0].code, "too_few");
    let refused = service::draw_retest_lab(st, &other, &id, &retest, labs(first, DIRECTORY)).await;
    assert!(matches!(refused, Err(xinqiao_web::error::AppError::Forbidden(_))), "{refused:?}");
    let refused = service::draw_retest_lab(st, &wz, &id, &retest, labs(first, DIRECTORY)).await;
    assert!(matches!(refused, Err(xinqiao_web::error::AppError::NotFound)), "{refused:?}");
    assert!(st.store.incident(&id).await.unwrap().retest_labs.is_empty());

    // Through the page: the team member draws; the page shows the pick, the seed and the list.
    let c = app.client();
    app.login(&c, "officer.gusu", PASSWORD).await;
    let path = format!("/incidents/{id}");
    let page = app.page(&c, &path).await;
    assert!(page.contains(&format!("/incidents/{id}/measures/{retest}/laboratory")), "the form is offered");
    assert!(!page.contains(&format!("/measures/{sampling}/laboratory")), "only for the re-test request");
    let csrf = csrf_of(&page);
    let draw = || {
        c.post(app.url(&format!("{path}/measures/{retest}/laboratory"))).form(&[
            ("csrf", csrf.as_str()),
            ("original_lab", first),
            ("candidates", DIRECTORY),
        ])
    };
    let res = draw().send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&c, &path).await;
    let picked = between(&page, "class=\"retest-picked\">", "<");
    assert!(DIRECTORY.contains(&picked) && picked != first, "{picked}");
    let seed = between(&page, "class=\"retest-seed wrap\">", "<");
    let shown: Vec<String> = page
        .split("class=\"retest-candidates\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .map(|l| l.split("</li>").next().unwrap().to_owned())
        .collect();
    assert_eq!(shown.len(), 3, "the first laboratory is out of the list: {shown:?}");
    assert!(!shown.iter().any(|l| l == first));
    assert!(!page.contains(&format!("/measures/{retest}/laboratory")), "no second draw is offered");

    // Anyone can recompute the pick from what the page shows.
    let pool = RetestPool { original: first.into(), eligible: shown };
    let recomputed = RetestDraw { seed: RetestDraw::seed_from_hex(&seed).unwrap(), picked: picked.clone(), pool };
    assert!(recomputed.verifies());

    // A second draw is refused and the first stands; the draw is audited once.
    let again = draw().send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "the page again, with the refusal on top");
    assert!(again.text().await.unwrap().contains("该复检申请已随机确定复检机构，不能重新抽取"));
    let stored = st.store.incident(&id).await.unwrap();
    assert_eq!(stored.retest_lab(&retest).unwrap().draw.picked, picked);
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'incident.retest_lab' ORDER BY seq")
            .fetch_all(st.store.pool())
            .await
            .unwrap();
    assert_eq!(details.len(), 1, "{details:?}");
    assert!(details[0].contains(&seed), "the seed is on record: {}", details[0]);
}

fn between(page: &str, start: &str, end: &str) -> String {
    page.split(start).nth(1).unwrap_or_else(|| panic!("{start} not in page")).split(end).next().unwrap().to_owned()
}
