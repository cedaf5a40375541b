//! 政策问答's search over HTTP: answers found by synonym and never by a hidden number, synonyms
//! that supervisors edit and that take effect at once (officers told who keeps them), and the
//! search follower that resumes after a restart.

use crate::helpers::*;
use crate::knowledge::post;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;

#[tokio::test]
async fn search_finds_answers_by_synonym_and_never_a_hidden_number() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    // Publish the starter entry on prepaid cards (it is 待审 after seeding).
    let prepaid = app
        .state
        .store
        .entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.text.question.contains("健身房突然关门"))
        .expect("a starter entry on the vanished gym");
    app.state
        .store
        .set_entry_status(
            &xinqiao_store::audit::Actor::console(),
            &prepaid.id,
            xinqiao_domain::knowledge::QaStatus::Review,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let public = Client::new();
    let page = public.get(app.url("/qa?q=健身房关门了预付卡怎么退")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/qa/{}", prepaid.id)), "the plain question finds the entry: {page}");
    // The entry is for consumers in 文体娱乐 (R): asked for 餐饮 (H) it is not offered; asked by an
    // enterprise it still is (who asks moves entries up, it hides none).
    let url = app.url("/qa?q=健身房关门了预付卡怎么退&industry=H");
    assert!(!public.get(url).send().await.unwrap().text().await.unwrap().contains(&format!("/qa/{}", prepaid.id)));
    let url = app.url("/qa?q=健身房关门了预付卡怎么退&audience=enterprise");
    assert!(public.get(url).send().await.unwrap().text().await.unwrap().contains(&format!("/qa/{}", prepaid.id)));
    let url = app.url("/qa?q=健身房关门了预付卡怎么退&audience=consumer&industry=R");
    assert!(public.get(url).send().await.unwrap().text().await.unwrap().contains(&format!("/qa/{}", prepaid.id)));
    let page = public.get(app.url("/qa?q=营业执照年报怎么填")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&format!("/qa/{}", prepaid.id)));
    // Unpublished entries stay off the public search.
    let review =
        app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1).await.unwrap().remove(0);
    let first_word: String = review.text.question.chars().take(6).collect();
    let page = public.get(app.url(&format!("/qa?q={first_word}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&format!("/qa/{}", review.id)));

    // Staff search reaches masked narratives of their bureau, never the hidden phone number.
    let body = serde_json::json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "industry": "R", "region_code": "320508",
        "narrative": "健身房突然关门，老板电话13912345678一直关机，储值卡里还有三千元。", "demand": "退款",
        "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let found = app.page(&li, "/knowledge?q=健身房关门").await;
    assert!(found.contains("id=\"case-hits\"") && found.contains("<mark>"), "the narrative is found, highlighted");
    for hidden in ["13912345678", "5678", "李秀英"] {
        let page = app.page(&li, &format!("/knowledge?q={hidden}")).await;
        assert!(!page.contains("id=\"case-hits\""), "{hidden} must not find the case");
    }
}

#[tokio::test]
async fn supervisors_edit_synonyms_that_take_effect_at_once() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let gym = app
        .state
        .store
        .entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.text.question.contains("健身房突然关门"))
        .unwrap();
    let console = xinqiao_store::audit::Actor::console();
    app.state
        .store
        .set_entry_status(
            &console,
            &gym.id,
            xinqiao_domain::knowledge::QaStatus::Review,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let public = Client::new();
    let find = |q: &'static str| {
        let url = app.url(&format!("/qa?q={q}"));
        let public = public.clone();
        async move { public.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(!find("撸铁馆").await.contains(&gym.id), "an unknown word finds nothing yet");
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    assert_eq!(li.get(app.url("/knowledge/synonyms")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let current = app.page(&wang, "/knowledge/synonyms").await;
    assert!(current.contains("预付卡"), "the shipped groups are shown");
    let res = post(&app, &wang, "/knowledge/synonyms", "/knowledge/synonyms", &[("lines", "撸铁馆")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a group of one word is refused");
    let res = post(
        &app,
        &wang,
        "/knowledge/synonyms",
        "/knowledge/synonyms",
        &[("lines", "健身房，撸铁馆，健身中心\n预付卡，储值卡")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(find("撸铁馆").await.contains(&gym.id), "the edited synonym works at once");
    let stored: Vec<Vec<String>> = app.state.store.setting(xinqiao_web::search::SYNONYMS_KEY).await.unwrap().unwrap();
    assert_eq!(stored.len(), 2);
}

/// The search index is a follower of the change log: after a restart it resumes from the
/// position it committed, and catches up on what changed while it was down, without a search
/// asking for it.
#[tokio::test]
async fn the_search_follower_resumes_after_a_restart() {
    let app = TestApp::start_manual().await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let console = xinqiao_store::audit::Actor::console();
    let entries = app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 100).await.unwrap();
    let (first, second) = (&entries[0], &entries[1]);
    app.state
        .store
        .set_entry_status(
            &console,
            &first.id,
            xinqiao_domain::knowledge::QaStatus::Review,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let index = xinqiao_web::search::sync(&app.state).await.unwrap();
    let committed = index.last_seq().unwrap();
    assert_eq!(committed, app.state.store.last_change().await.unwrap());
    drop(index);

    // While the app is down, the second entry is published (by another node, say).
    let store = app.state.store.clone();
    let app = app.restart().await;
    store
        .set_entry_status(
            &console,
            &second.id,
            xinqiao_domain::knowledge::QaStatus::Review,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let index = app.state.search_index().await.unwrap();
    assert_eq!(index.last_seq().unwrap(), committed, "the position survived the restart");

    xinqiao_web::search::start_follower(app.state.clone());
    let target = store.last_change().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while index.last_seq().unwrap() < target {
        assert!(std::time::Instant::now() < deadline, "the follower did not catch up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let published = |id: &str| {
        let mut q = xinqiao_search::QaQuery::new(entries.iter().find(|e| e.id == id).unwrap().text.question.clone());
        q.limit = 50;
        index.search_qa(&q).unwrap().hits.iter().any(|h| h.id == id)
    };
    assert!(published(&first.id), "what was indexed before the restart is still there");
    assert!(published(&second.id), "what changed while down was caught up");
}

/// An officer who opens the synonyms page is told what they cannot do there, who can, and how
/// to get back (403, in Chinese); the knowledge pages link the page only for supervisors.
#[tokio::test]
async fn officers_are_told_who_keeps_the_synonyms_and_only_supervisors_are_linked() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;

    let res = li.get(app.url("/knowledge/synonyms")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"synonyms-forbidden\""), "{page}");
    assert!(page.contains("不能查看或修改检索用的同义词"), "what cannot be done: {page}");
    assert!(page.contains("业务主管"), "who can: {page}");
    assert!(page.contains("href=\"/knowledge\""), "the way back: {page}");
    // A forged save is refused the same way, and nothing changes.
    let before: Option<Vec<Vec<String>>> = app.state.store.setting(xinqiao_web::search::SYNONYMS_KEY).await.unwrap();
    let csrf = csrf_of(&app.page(&li, "/knowledge").await);
    for (action, field) in [("/knowledge/synonyms", "lines"), ("/knowledge/vocabulary", "vocabulary")] {
        let res =
            li.post(app.url(action)).form(&[("csrf", csrf.as_str()), (field, "撸铁馆，健身房")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{action}");
        assert!(res.text().await.unwrap().contains("业务主管"), "{action}");
    }
    let after: Option<Vec<Vec<String>>> = app.state.store.setting(xinqiao_web::search::SYNONYMS_KEY).await.unwrap();
    assert_eq!(before, after, "nothing saved");

    // The officer's list does not offer the page; the supervisor's does, and it opens.
    let list = app.page(&li, "/knowledge?q=撸铁馆").await;
    assert!(!list.contains("href=\"/knowledge/synonyms\""), "no link for officers");
    assert!(list.contains("请告诉业务主管"), "officers are told whom to ask");
    let list = app.page(&wang, "/knowledge?q=撸铁馆").await;
    assert!(list.contains("id=\"synonyms-link\"") && list.contains("id=\"understood-vocabulary\""), "{list}");
    assert!(app.page(&wang, "/knowledge/synonyms").await.contains("id=\"save-synonyms\""));
}
