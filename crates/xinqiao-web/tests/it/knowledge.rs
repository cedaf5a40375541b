//! 政策问答 over HTTP: an officer drafts in plain language, a supervisor other than the author
//! publishes, the public finds and rates it; a law's new version sends citing entries back for
//! review; versions keep their history; a case reply cites an entry; the weekly digest.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;

pub(crate) async fn post(
    app: &TestApp,
    c: &Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

const QUESTION: &str = "直播间能不能说“全网最低价”？";
const ANSWER: &str = "不能随便说。只有确实能证明比所有渠道都便宜时才可以这样宣传，否则请改用具体的价格对比。";

#[tokio::test]
async fn an_entry_from_draft_to_the_public_and_back_for_review() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("supervisor.zhao", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let laws = app.state.store.laws().await.unwrap();
    let ad_law = laws.iter().find(|l| l.name.contains("广告法")).expect("the registry has 广告法").id.clone();

    // The officer drafts; a bad article is refused with the field named.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let fields = |article: &'static str| {
        vec![
            ("question", QUESTION),
            ("answer", ANSWER),
            ("explanation", "根据行政相对人的宣传行为认定。"),
            ("audience", "enterprise"),
            ("industries", "F"),
            ("tags", "直播,价格"),
            ("law_0", ad_law.as_str()),
            ("article_0", article),
        ]
    };
    let res = post(&app, &li, "/knowledge/new", "/knowledge", &fields("九条")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(&app, &li, "/knowledge/new", "/knowledge", &fields("第九条")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let url = location(&res).unwrap().to_owned();
    let id = url.rsplit('/').next().unwrap().to_owned();
    let page = app.page(&li, &url).await;
    assert!(page.contains("草稿") && page.contains("第九条"));
    assert!(page.contains("行政相对人"), "the plain-language check names the jargon");
    let res = post(&app, &li, &url, &format!("{url}/act"), &[("action", "submit")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The officer may not publish.
    let res = post(&app, &li, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A supervisor publishes; the public finds it through the page.
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app.client();
    let entry = public.get(app.url(&format!("/qa/{id}"))).send().await.unwrap();
    assert_eq!(entry.status(), StatusCode::OK);
    let entry = entry.text().await.unwrap();
    assert!(entry.contains("第九条"));
    let res = public.post(app.url(&format!("/qa/{id}/vote"))).form(&[("helpful", "1")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a vote carries its page's CSRF token");
    let vote = |helpful: &'static str| {
        public
            .post(app.url(&format!("/qa/{id}/vote")))
            .form(&[("csrf", csrf_of(&entry)), ("helpful", helpful.into())])
            .send()
    };
    let res = vote("1").await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(app.state.store.entry(&id).await.unwrap().helpful, 1);
    let again = vote("1").await.unwrap();
    assert_eq!(location(&again), Some(format!("/qa/{id}?voted=1").as_str()));
    vote("0").await.unwrap();
    let counted = app.state.store.entry(&id).await.unwrap();
    assert_eq!((counted.helpful, counted.unhelpful), (1, 0), "one vote per visitor");

    // The officer revises it: a second version, back to draft, off the public page.
    let res = post(&app, &li, &format!("{url}/edit"), &format!("{url}/edit"), &{
        let mut f = fields("第九条");
        f[1] = ("answer", "不能随便说。除非能证明比所有渠道都便宜，否则请改用具体的价格对比。");
        f.push(("version", "1"));
        f
    })
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(public.get(app.url(&format!("/qa/{id}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let page = app.page(&li, &url).await;
    assert!(page.contains("第 2 版") && page.contains("<ins>") && page.contains("<del>"), "the diff is shown");
    // An edit on a stale copy is refused.
    let res = post(&app, &li, &format!("{url}/edit"), &format!("{url}/edit"), &{
        let mut f = fields("第九条");
        f.push(("version", "1"));
        f
    })
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An edit that does not say which version it was made on is refused, never saved over the latest.
    let res = post(&app, &li, &format!("{url}/edit"), &format!("{url}/edit"), &fields("第九条")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.state.store.entry(&id).await.unwrap().version, 2, "nothing saved");

    // Published again (by the other supervisor this time), then the law changes.
    post(&app, &li, &url, &format!("{url}/act"), &[("action", "submit")]).await;
    let zhao = app.client();
    app.login(&zhao, "supervisor.zhao", PASSWORD).await;
    post(&app, &zhao, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    let res = post(
        &app,
        &zhao,
        "/laws",
        &format!("/laws/{ad_law}/versions"),
        &[("version", "2027修正"), ("effective", "2027-01-01"), ("status", "current")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("条问答转为待复核"));
    assert_eq!(app.state.store.entry(&id).await.unwrap().status, xinqiao_domain::knowledge::QaStatus::Stale);
    let list = app.page(&li, "/knowledge").await;
    assert!(list.contains(QUESTION), "on its author's list");

    // Only supervisors record law changes.
    let res =
        post(&app, &li, "/laws", &format!("/laws/{ad_law}/versions"), &[("version", "2028"), ("status", "current")])
            .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn authors_do_not_publish_their_own_and_digests_list_the_week() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("supervisor.zhao", &b.gusu, Role::Supervisor).await;
    let seeded = xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    assert!(seeded >= 30, "starter content");
    assert_eq!(xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap(), 0, "seeded once");
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let res = post(
        &app,
        &wang,
        "/knowledge/new",
        "/knowledge",
        &[
            ("question", "年报怎么填？"),
            ("answer", "请登录公示系统按提示填写，注意从业人数和营业额要如实。"),
            ("audience", "enterprise"),
        ],
    )
    .await;
    let url = location(&res).unwrap().to_owned();
    post(&app, &wang, &url, &format!("{url}/act"), &[("action", "submit")]).await;
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("作者不能审核发布自己写的问答"));
    let zhao = app.client();
    app.login(&zhao, "supervisor.zhao", PASSWORD).await;
    post(&app, &zhao, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    let today = app.state.today().to_string();
    let md = zhao.get(app.url(&format!("/knowledge/digest?from={today}&to={today}&format=md"))).send().await.unwrap();
    assert_eq!(md.status(), StatusCode::OK);
    let md = md.text().await.unwrap();
    assert!(md.starts_with("# 本周新政问答") && md.contains("## 年报怎么填？"));
    let html =
        zhao.get(app.url(&format!("/knowledge/digest?from={today}&to={today}&format=html"))).send().await.unwrap();
    assert!(html.text().await.unwrap().contains("<h2>年报怎么填？</h2>"));
}

#[tokio::test]
async fn the_api_the_lint_and_case_replies() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let console = xinqiao_store::audit::Actor::console();
    let entry = app
        .state
        .store
        .entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.text.question.contains("全网最低价"))
        .unwrap();
    app.state
        .store
        .set_entry_status(
            &console,
            &entry.id,
            xinqiao_domain::knowledge::QaStatus::Review,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let c = Client::new();
    let hits: serde_json::Value =
        c.get(app.url("/api/v1/qa?q=直播能说全网最低价吗")).send().await.unwrap().json().await.unwrap();
    assert_eq!(hits[0]["id"], entry.id.as_str(), "{hits}");
    let one: serde_json::Value =
        c.get(app.url(&format!("/api/v1/qa/{}", entry.id))).send().await.unwrap().json().await.unwrap();
    assert_eq!(one["example"], true);
    let draft =
        app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1).await.unwrap().remove(0);
    assert_eq!(
        c.get(app.url(&format!("/api/v1/qa/{}", draft.id))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let findings: serde_json::Value = c
        .post(app.url("/api/v1/qa/lint"))
        .json(&serde_json::json!({"text": "根据双随机、一公开的要求，行政相对人应当配合。"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"jargon"), "{findings}");

    // An officer cites the entry in a case reply and turns the case into a draft.
    let body = serde_json::json!({"kind": "consultation", "enterprise_name": "示例直播电商有限公司", "industry": "I",
        "region_code": "320508", "narrative": "直播间能不能说全网最低价？", "name": "赵敏", "mobile": "13700001234",
        "address": "苏州市姑苏区干将路2号"});
    let r: serde_json::Value = c.post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let case = app.state.store.case_by_tracking_code(&code).await.unwrap().id;
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let page = format!("/cases/{case}");
    let res = post(&app, &li, &page, &format!("/cases/{case}/qa"), &[("entry", entry.id.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.page(&li, &page).await.contains("id=\"case-qa\""));
    let history = app.state.store.case_events(&case, true).await.unwrap();
    assert!(history.iter().any(|e| e.note.contains("全网最低价")), "the complainant sees which answer was used");
    let res = post(&app, &li, &page, &format!("/cases/{case}/qa-draft"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = location(&res).unwrap().to_owned();
    assert!(app.page(&li, &edit).await.contains("直播间能不能说全网最低价"));
}

#[tokio::test]
async fn the_editor_checks_before_saving_keeps_a_review_date_and_search_narrows() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let fields = |review_by: &'static str, intent: &'static str| {
        vec![
            ("question", QUESTION),
            ("answer", "根据行政相对人的宣传行为认定是否构成违法。"),
            ("audience", "enterprise"),
            ("review_by", review_by),
            ("intent", intent),
        ]
    };

    // 检查: the findings come back in the editor with the form as typed; nothing is saved.
    let res = post(&app, &li, "/knowledge/new", "/knowledge", &fields("", "check")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"plain-findings\"") && page.contains("行政相对人"), "{page}");
    assert!(page.contains("第") && page.contains("字起"), "findings carry their position");
    assert!(page.contains(QUESTION), "the form keeps what was typed");
    assert!(app.state.store.entries(&[], None, 100).await.unwrap().iter().all(|e| e.text.question != QUESTION));
    // A plain answer passes the check.
    let mut plain = fields("", "check");
    plain[1] = ("answer", "不能随便说。请改用具体的价格对比，比如“比上月便宜20元”。");
    let page = post(&app, &li, "/knowledge/new", "/knowledge", &plain).await.text().await.unwrap();
    assert!(page.contains("id=\"plain-ok\""), "{page}");

    // The review-by date is validated, kept, and brings the entry onto the due list.
    let res = post(&app, &li, "/knowledge/new", "/knowledge", &fields("2027-13-01", "")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("复核日期"));
    let today = app.state.today();
    let soon = xinqiao_domain::calendar::Date(today.0 + 10).to_string();
    let res = post(
        &app,
        &li,
        "/knowledge/new",
        "/knowledge",
        &[fields("", "")[..3].to_vec(), vec![("audience", "enterprise"), ("review_by", soon.as_str())]].concat(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = location(&res).unwrap().rsplit('/').next().unwrap().to_owned();
    let stored = app.state.store.entry(&id).await.unwrap();
    assert_eq!(stored.text.review_by, Some(today.0 + 10));
    let editor = app.page(&li, &format!("/knowledge/{id}/edit")).await;
    assert!(editor.contains(&format!("value=\"{soon}\"")), "the editor shows the date");
    let due_table =
        |page: &str| page.split("id=\"due\"").nth(1).map(|t| t.split("</table>").next().unwrap().to_owned());
    assert!(due_table(&app.page(&li, "/knowledge").await).is_none(), "a draft is not due for review");
    app.state
        .store
        .set_entry_status(
            &xinqiao_store::audit::Actor::console(),
            &id,
            xinqiao_domain::knowledge::QaStatus::Draft,
            xinqiao_domain::knowledge::QaStatus::Published,
            "qa.publish",
        )
        .await
        .unwrap();
    let due = due_table(&app.page(&li, "/knowledge").await).expect("the due list");
    assert!(due.contains(&id) && due.contains(&soon), "{due}");

    // Staff search narrows by status, audience and date.
    let hits = |page: String| page.split("id=\"qa-hits\"").nth(1).map(|t| t.split("</ol>").next().unwrap().to_owned());
    let found = hits(app.page(&li, "/knowledge?q=全网最低价").await).expect("found");
    assert!(found.contains(&id));
    for filter in
        ["status=draft", "audience=consumer", &format!("from={}", xinqiao_domain::calendar::Date(today.0 + 1))]
    {
        let page = app.page(&li, &format!("/knowledge?q=全网最低价&{filter}")).await;
        assert!(hits(page).is_none_or(|h| !h.contains(&id)), "{filter} excludes it");
    }
    let page =
        app.page(&li, &format!("/knowledge?q=全网最低价&status=published&audience=enterprise&from={today}")).await;
    assert!(hits(page).expect("found").contains(&id));
}

/// 政策问答 has one service under both doors: the same refusals — bad input, a role that may
/// not publish, an author publishing their own entry, a version saved meanwhile — come back with
/// the same words from the editor's pages and from `/api/v1/qa/entries`, and an entry written
/// over the API is published over the API and read by the public.
#[tokio::test]
async fn the_pages_and_the_api_work_on_entries_through_one_service() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let (li_token, wang_token) = (app.token("officer.li").await, app.token("supervisor.wang").await);
    let api = Client::new();
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let entries = app.url("/api/v1/qa/entries");

    // Bad input: the same field message at both doors, nothing stored.
    let drafts = || app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Draft], None, 100);
    let before = drafts().await.unwrap().len();
    let res = api
        .post(&entries)
        .bearer_auth(&li_token)
        .json(&serde_json::json!({"question": " ", "answer": ANSWER, "audience": ["consumer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "question", "{body}");
    let said = body["error"]["message"].as_str().unwrap().to_owned();
    let form = [("question", " "), ("answer", ANSWER), ("audience", "consumer")];
    let res = post(&app, &li, "/knowledge/new", "/knowledge", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(&said), "the page says what the API says: {said}");
    // Several faults are all named over the API (the page sums them up above the form).
    let res = api
        .post(&entries)
        .bearer_auth(&li_token)
        .json(&serde_json::json!({"question": "", "answer": "", "review_by": "明年"}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["fields"].as_array().unwrap().len() >= 4, "{body}");
    assert_eq!(before, drafts().await.unwrap().len(), "nothing stored");

    // An officer writes and submits over the API.
    let res = api
        .post(&entries)
        .bearer_auth(&li_token)
        .json(&serde_json::json!({"question": QUESTION, "answer": ANSWER, "audience": ["enterprise"], "tags": "直播"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["status"], "draft");
    let id = created["id"].as_str().unwrap().to_owned();
    let act = |token: &str, action: &str| {
        api.post(app.url(&format!("/api/v1/qa/entries/{id}/actions")))
            .bearer_auth(token.to_owned())
            .json(&serde_json::json!({ "action": action }))
            .send()
    };
    let res = act(&li_token, "submit").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "review");

    // The officer may not publish, at either door.
    let url = format!("/knowledge/{id}");
    let res = act(&li_token, "approve").await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(&app, &li, &url, &format!("{url}/act"), &[("action", "approve")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // An unknown action is named at both doors.
    let res = act(&li_token, "publish-now").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(&app, &li, &url, &format!("{url}/act"), &[("action", "publish-now")]).await;
    assert!(res.text().await.unwrap().contains("未知的操作"));

    // A supervisor's own entry is not published by its author, at either door.
    let res = api
        .post(&entries)
        .bearer_auth(&wang_token)
        .json(&serde_json::json!({"question": "预付卡可以转让吗？", "answer": "可以问商家是否同意转让，并保留好凭证。", "audience": ["consumer"]}))
        .send()
        .await
        .unwrap();
    let own = res.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let own_url = format!("/knowledge/{own}");
    post(&app, &wang, &own_url, &format!("{own_url}/act"), &[("action", "submit")]).await;
    let res = api
        .post(app.url(&format!("/api/v1/qa/entries/{own}/actions")))
        .bearer_auth(&wang_token)
        .json(&serde_json::json!({"action": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "self_review");
    let said = body["error"]["message"].as_str().unwrap().to_owned();
    let res = post(&app, &wang, &own_url, &format!("{own_url}/act"), &[("action", "approve")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains(&said), "the page says what the API says: {said}");

    // The supervisor publishes the officer's entry over the API; the public reads it.
    let res = act(&wang_token, "approve").await.unwrap();
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "published");
    let res = api.get(app.url(&format!("/api/v1/qa/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A version saved meanwhile: both doors say so with the conflict's own words.
    let version = app.state.store.entry(&id).await.unwrap().version;
    let editor = app.page(&li, &format!("/knowledge/{id}/edit")).await;
    let revise = |v: i64| {
        api.put(app.url(&format!("/api/v1/qa/entries/{id}")))
            .bearer_auth(li_token.clone())
            .json(&serde_json::json!({"version": v, "entry": {"question": QUESTION, "answer": format!("{ANSWER}（第{v}版）"), "audience": ["enterprise"]}}))
            .send()
    };
    let res = revise(version).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let saved: serde_json::Value = res.json().await.unwrap();
    assert_eq!(saved["status"], "draft", "a published entry goes back to 草稿");
    let res = revise(version).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let said = res.json::<serde_json::Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    assert!(said.contains("新版本"), "{said}");
    let csrf = csrf_of(&editor);
    let v = version.to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("question", QUESTION),
        ("answer", ANSWER),
        ("audience", "enterprise"),
    ];
    let res = li.post(app.url(&format!("/knowledge/{id}/edit"))).form(&form).send().await.unwrap();
    assert!(res.text().await.unwrap().contains(&said), "the editor says what the API says");
}
