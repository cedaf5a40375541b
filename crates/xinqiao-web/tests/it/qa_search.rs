//! 政策问答找得准 over HTTP: everyday words and who asks reach the right entry, an unknown audience
//! is refused by name, the OpenAPI puts the search's parameters in the query, "没有找到" offers the
//! hotline and a prefilled 提交咨询, the unanswered questions are kept masked and grouped for
//! supervisors who start a draft from them in one click, and the vocabulary is edited beside the
//! synonyms. The apps here drive their background tasks by hand: the index is built in one go
//! when a search asks, as the bench builds it, so the rankings compared do not depend on when the
//! follower happened to run.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Actor;

/// Seeds the starter entries and publishes them all; returns (id, question) pairs.
async fn published_starters(app: &TestApp) -> Vec<(String, String)> {
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let mut out = Vec::new();
    for e in app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1000).await.unwrap() {
        app.state
            .store
            .set_entry_status(
                &Actor::console(),
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await
            .unwrap();
        out.push((e.id, e.text.question));
    }
    out
}

fn id_of(entries: &[(String, String)], question_part: &str) -> String {
    entries.iter().find(|(_, q)| q.contains(question_part)).unwrap_or_else(|| panic!("{question_part}")).0.clone()
}

async fn api_ids(app: &TestApp, query: &str) -> Vec<String> {
    let res = Client::new().get(app.url(&format!("/api/v1/qa?{query}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    let hits: serde_json::Value = res.json().await.unwrap();
    hits.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect()
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = Client::new().get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn everyday_words_and_who_asks_reach_the_right_entry() {
    let app = TestApp::start_manual().await;
    let entries = published_starters(&app).await;
    let quality = id_of(&entries, "质量问题");
    let elderly = id_of(&entries, "年纪大了");
    let found = api_ids(&app, "q=新买的鞋子穿两天就开胶了，老板不给退&audience=consumer").await;
    assert_eq!(found.first(), Some(&quality), "{found:?}");
    let found = api_ids(&app, "q=我岁数大了不会弄网上那些，能不能当面去窗口办执照&audience=enterprise").await;
    assert_eq!(found.first(), Some(&elderly), "{found:?}");

    // Who asks moves entries up; the other audience's entry stays in the list.
    let consumer_entry = id_of(&entries, "先行和解中");
    let enterprise_entry = id_of(&entries, "加入ODR");
    let as_consumer = api_ids(&app, "q=ODR先行和解&audience=consumer").await;
    let as_enterprise = api_ids(&app, "q=ODR先行和解&audience=%E4%BC%81%E4%B8%9A").await;
    assert_eq!(as_consumer.first(), Some(&consumer_entry), "{as_consumer:?}");
    assert_eq!(as_enterprise.first(), Some(&enterprise_entry), "{as_enterprise:?}");
    assert!(as_consumer.contains(&enterprise_entry) && as_enterprise.contains(&consumer_entry));

    // The public page ranks the same way and links the entry with the question.
    let (status, html) = page(&app, "/qa?q=新买的鞋子穿两天就开胶了，老板不给退&audience=consumer").await;
    assert_eq!(status, StatusCode::OK);
    let first_link = html.split("id=\"public-hits\"").nth(1).unwrap().split("href=\"").nth(1).unwrap();
    assert!(first_link.starts_with(&format!("/qa/{quality}?q=")), "{first_link}");
    assert!(html.contains("id=\"none-helped\""), "the answers can be flagged as unhelpful");
    // The question goes on to the entry's page masked.
    let (_, html) = page(&app, "/qa?q=健身房关门了卡里的钱怎么退，我电话13812345678").await;
    let hits = html.split("id=\"public-hits\"").nth(1).unwrap().split("</ol>").next().unwrap();
    assert!(hits.contains("?q=") && !hits.contains("13812345678"), "{hits}");
}

#[tokio::test]
async fn an_unknown_audience_or_industry_is_refused_by_name() {
    let app = TestApp::start_manual().await;
    published_starters(&app).await;
    let res = Client::new().get(app.url("/api/v1/qa?q=预付卡&audience=elderly")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "audience", "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "unknown_audience", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("“elderly”"), "{body}");
    let res = Client::new().get(app.url("/api/v1/qa?q=预付卡&industry=Z")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "unknown_industry", "{body}");
    // Known values, and none, are accepted; without a question nothing is searched.
    assert!(!api_ids(&app, "q=预付卡&audience=consumer&industry=r").await.is_empty());
    assert!(api_ids(&app, "audience=consumer").await.is_empty());
    assert!(api_ids(&app, "").await.is_empty());

    // The page says the same, with the form kept.
    let (status, html) = page(&app, "/qa?q=预付卡&audience=elderly").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"qa-error\"") && html.contains("“elderly”"), "{html}");
    assert!(html.contains("value=\"预付卡\""), "the question stays in the box");
    assert!(!html.contains("id=\"no-hits\""), "a refused search is not a search that found nothing");
}

#[tokio::test]
async fn the_openapi_puts_the_search_parameters_in_the_query() {
    let app = TestApp::start_manual().await;
    let doc: serde_json::Value =
        Client::new().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let params = doc["paths"]["/api/v1/qa"]["get"]["parameters"].as_array().expect("parameters");
    let mut names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["audience", "industry", "q"]);
    for p in params {
        assert_eq!(p["in"], "query", "{p}");
        assert_ne!(p["required"], true, "{p}");
    }
}

#[tokio::test]
async fn nothing_found_says_so_and_offers_the_hotline_and_a_prefilled_consultation() {
    let app = TestApp::start_manual().await;
    published_starters(&app).await;
    assert!(api_ids(&app, "q=跨省异地就医要先备案吗&audience=consumer").await.is_empty());
    let (status, html) = page(&app, "/qa?q=跨省异地就医要先备案吗&audience=consumer").await;
    assert_eq!(status, StatusCode::OK);
    let block = html.split("id=\"no-hits\"").nth(1).expect("the 没有找到 block").split("</section>").next().unwrap();
    assert!(block.contains("没有找到") && block.contains("tel:12315"), "{block}");
    assert!(block.contains("action=\"/submit\"") && block.contains("value=\"consultation\""), "{block}");
    assert!(block.contains("name=\"narrative\" value=\"跨省异地就医要先备案吗\""), "{block}");
    assert!(!html.contains("id=\"none-helped\""), "no answers to flag");

    // The consultation form opens with the kind chosen and the question written in.
    let (status, form) = page(&app, "/submit?kind=consultation&narrative=跨省异地就医要先备案吗").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"kind\" id=\"kind\" value=\"consultation\""), "咨询 is chosen");
    assert!(form.contains("<h1 id=\"submit-title\">我要咨询</h1>"), "in its own words");
    assert!(form.contains(">跨省异地就医要先备案吗</textarea>"), "the question is filled in");
    let (_, plain) = page(&app, "/submit").await;
    assert!(plain.contains("name=\"kind\" id=\"kind\" value=\"complaint\""), "the default stays 投诉");
    let (_, odd) = page(&app, "/submit?kind=nonsense").await;
    assert!(odd.contains("name=\"kind\" id=\"kind\" value=\"complaint\""), "an unknown kind falls back");
}

#[tokio::test]
async fn unanswered_questions_are_kept_masked_grouped_and_drafted_in_one_click() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let entries = published_starters(&app).await;
    let public = app.client();
    // Two askings in similar words (one with a phone number), over the page and the API.
    page(&app, "/qa?q=跨省异地就医怎么备案，我电话13812345678&audience=consumer").await;
    api_ids(&app, "q=异地就医要怎么备案").await;
    // A question whose answer was voted unhelpful, and one whose answers all were.
    let gym = id_of(&entries, "健身房突然关门");
    let entry_page = public.get(app.url(&format!("/qa/{gym}"))).send().await.unwrap().text().await.unwrap();
    let res = public
        .post(app.url(&format!("/qa/{gym}/vote")))
        .form(&[("csrf", csrf_of(&entry_page).as_str()), ("helpful", "0"), ("q", "健身房倒闭了私教课的钱找谁要")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let search_page = public.get(app.url("/qa?q=预付卡&audience=consumer")).send().await.unwrap().text().await.unwrap();
    let res = public
        .post(app.url("/qa/unhelpful"))
        .form(&[("csrf", csrf_of(&search_page).as_str()), ("q", "预付卡"), ("audience", "consumer")])
        .send()
        .await
        .unwrap();
    let noted = location(&res).expect("back to the search").to_owned();
    assert!(public.get(app.url(&noted)).send().await.unwrap().text().await.unwrap().contains("id=\"qa-noted\""));
    let forged = public.post(app.url("/qa/unhelpful")).form(&[("q", "预付卡")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no CSRF token, nothing kept");
    // A search that found something is not kept.
    assert!(!api_ids(&app, "q=健身房关门了卡里的钱怎么退").await.is_empty());

    let rows = app.state.store.gaps_since(0, 100).await.unwrap();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows.iter().all(|r| !r.question.contains("13812345678")), "masked");
    assert!(rows.iter().any(|r| r.question.contains("跨省异地就医怎么备案")), "the rest is kept");
    assert!(rows.iter().any(|r| r.entry_id.as_deref() == Some(gym.as_str()) && r.reason == "unhelpful"));

    // Officers do not see the list; supervisors see it grouped, counted this week.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    assert_eq!(li.get(app.url("/knowledge/gaps")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let html = app.page(&wang, "/knowledge/gaps").await;
    assert!(html.contains("群众问了但没有答案的问题") && html.contains("4 个问题，3 组"), "{html}");
    let medical = html.split("class=\"gap-group\"").find(|g| g.contains("异地就医")).expect("the medical group");
    assert!(medical.contains("<td class=\"num\">2</td>"), "two askings this week: {medical}");
    assert!(!html.contains("13812345678"));

    // One click starts a draft from the group; the group then shows it.
    let csrf = csrf_of(&html);
    let field = |name: &str| {
        let at = medical.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        medical[at..].split('"').next().unwrap().to_owned()
    };
    let form = [("csrf", csrf), ("ids", field("ids")), ("question", field("question")), ("words", field("words"))];
    let res = wang.post(app.url("/knowledge/gaps/draft")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = location(&res).unwrap().to_owned();
    assert!(app.page(&wang, &edit).await.contains("异地就医"), "the editor opens with the question");
    let html = app.page(&wang, "/knowledge/gaps").await;
    let medical = html.split("class=\"gap-group\"").find(|g| g.contains("异地就医")).unwrap();
    assert!(medical.contains("gap-drafted"), "{medical}");
    assert_eq!(app.state.store.gaps_since(0, 100).await.unwrap().iter().filter(|r| r.draft_id.is_some()).count(), 2);
}

#[tokio::test]
async fn supervisors_edit_the_vocabulary_beside_the_synonyms() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let entries = published_starters(&app).await;
    let gym = id_of(&entries, "健身房突然关门");
    assert!(!api_ids(&app, "q=撸铁馆人去哪了").await.contains(&gym), "an unknown word finds nothing yet");
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    // The staff search says how it read the words, so that a missing one can be added.
    let list = app.page(&wang, "/knowledge?q=鞋开胶了，医保能报吗").await;
    let understood = list.split("id=\"understood\"").nth(1).expect("the understanding").split("</p>").next().unwrap();
    assert!(understood.contains("开胶（也查：") && understood.contains("质量问题"), "{understood}");
    assert!(understood.contains("医保（问答里没有）"), "{understood}");
    let html = app.page(&wang, "/knowledge/synonyms").await;
    assert!(html.contains("id=\"vocabulary\"") && html.contains("开胶"), "the shipped vocabulary is shown");
    let post = |lines: &'static str| {
        let (wang, url) = (wang.clone(), app.url("/knowledge/vocabulary"));
        let csrf = csrf_of(&html);
        async move { wang.post(url).form(&[("csrf", csrf.as_str()), ("vocabulary", lines)]).send().await.unwrap() }
    };
    let res = post("撸铁馆，质量问题").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"vocabulary-error\""));
    let res = post("撸铁馆 → 健身房\n人去哪了 → 关门\n医保 → 无关").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(api_ids(&app, "q=撸铁馆人去哪了").await.first(), Some(&gym), "the edit works at once");
    let stored: serde_json::Value =
        app.state.store.setting(xinqiao_web::search::VOCABULARY_KEY).await.unwrap().expect("kept as a setting");
    assert_eq!(stored["entries"].as_array().unwrap().len(), 2);
    assert_eq!(stored["outside"][0], "医保");
}

#[tokio::test]
async fn the_api_answers_the_labelled_set_as_the_bench_measures_it() {
    // The owners measure through GET /api/v1/qa with the asker's audience; `cargo bench --bench
    // qa` measures the search library. Both must give the same figures.
    use xinqiao_search::eval::{
        LABELLED_QUERIES_TOML, Scores, evaluate, labelled_from_toml, starter_docs, starter_index,
    };
    let app = TestApp::start_manual().await;
    let entries = published_starters(&app).await;
    let slug_of: std::collections::HashMap<String, String> = starter_docs()
        .into_iter()
        .map(|d| (entries.iter().find(|(_, q)| *q == d.question).expect("seeded").0.clone(), d.id))
        .collect();
    let queries = labelled_from_toml(LABELLED_QUERIES_TOML).unwrap();
    let mut over_http = Scores::default();
    for q in &queries {
        let res = Client::new()
            .get(app.url("/api/v1/qa"))
            .query(&[("q", q.text.as_str()), ("audience", q.audience.code())])
            .send()
            .await
            .unwrap();
        let hits: serde_json::Value = res.json().await.unwrap();
        let found: Vec<String> =
            hits.as_array().unwrap().iter().map(|h| slug_of[h["id"].as_str().unwrap()].clone()).collect();
        over_http.add(q, &found);
    }
    let library = evaluate(&starter_index().unwrap(), &queries, true).unwrap().get("all", "all");
    assert_eq!(over_http, library, "HTTP: {}\nlibrary: {}", over_http.line(), library.line());
    assert!(over_http.success_at_1() >= 0.9, "{}", over_http.line());
}
