//! Public statements of an incident: refused while a declared trade secret (named) or unmasked
//! personal data remains, approved by a second person, published on one public page without
//! sign-in with a timeline, corrected with the earlier text kept and the reason shown, and an
//! Atom feed that parses as Atom 1.0 with every required element.

use crate::helpers::*;
use quick_xml::events::Event;
use reqwest::StatusCode;
use std::collections::BTreeMap;
use xinqiao_domain::accounts::Role;
use xinqiao_web::error::AppError;
use xinqiao_web::incidents::service::{self, *};

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

fn codes(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Validation(f) => f.into_iter().map(|f| (f.code.to_owned(), f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// An element of a parsed XML document: name, attributes, text, children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn one(&self, name: &str) -> &Node {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "exactly one <{name}> in <{}>", self.name);
        found[0]
    }
}

fn node(e: &quick_xml::events::BytesStart) -> Node {
    let mut n = Node { name: e.name().0.to_owned(), ..Default::default() };
    for a in e.attributes() {
        let a = a.unwrap();
        n.attrs
            .insert(a.key.0.to_owned(), a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned());
    }
    n
}

fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    stack.pop().unwrap().children.pop().expect("a root element")
}

fn is_rfc3339(s: &str) -> bool {
    s.len() == 20 && s.ends_with('Z') && &s[4..5] == "-" && &s[10..11] == "T"
}

#[tokio::test]
async fn statements_are_checked_approved_published_corrected_and_fed() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let boss = officer(&app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    let neighbour = officer(&app, &app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await).await;
    let title = "奶茶异物 <通报> & 处理";
    let input =
        NewIncidentInput { title: title.into(), enterprise_name: "示例奶茶店".into(), ..Default::default() };
    let id = service::create(st, &owner, input).await.unwrap();
    let c = app.client();
    assert_eq!(c.get(app.url(&format!("/statements/{id}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    for term in ["糖浆配比", "12,800"] {
        service::declare_secret(st, &owner, &id, SecretInput { term: term.into() }).await.unwrap();
    }
    assert!(matches!(
        service::declare_secret(st, &owner, &id, SecretInput { term: "糖浆配比".into() }).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        service::declare_secret(st, &neighbour, &id, SecretInput { term: "x1".into() }).await,
        Err(AppError::NotFound)
    ));

    let draft = |facts: &str| StatementInput {
        facts: facts.into(),
        measures: "已封存同批次原料，责令整改。".into(),
        next_update_at: Some("2026-11-19T18:00".into()),
        ..Default::default()
    };
    // A declared secret is named; its figure matches however it is written.
    let leaky =
        service::draft_statement(st, &owner, &id, draft("该店日销售额约１２８００元，糖浆配比正常。")).await.unwrap();
    let refused = codes(service::publish(st, &boss, &id, &leaky).await.unwrap_err());
    assert_eq!(refused.len(), 2);
    assert!(refused.iter().all(|(code, _)| code == "trade_secret"));
    // Each declared secret is named (in no promised order: both were declared in the same moment).
    assert!(refused.iter().any(|(_, m)| m.contains("糖浆配比")), "{refused:?}");
    // An unmasked name or number is refused too.
    let named = service::draft_statement(st, &owner, &id, draft("顾客张伟（电话13812345678）反映奶茶中有异物。"))
        .await
        .unwrap();
    let refused = codes(service::publish(st, &boss, &id, &named).await.unwrap_err());
    assert!(refused.iter().any(|(code, m)| code == "personal_data" && m.contains("13812345678")), "{refused:?}");

    // A clean draft: not by its drafter; then by a second person, once.
    let facts = "经查，异物为该店员工操作时掉落的塑料片。";
    let first = service::draft_statement(st, &owner, &id, draft(facts)).await.unwrap();
    assert!(service::check_statement(st, &owner, &id, &first).await.unwrap().is_empty());
    assert!(matches!(service::publish(st, &owner, &id, &first).await, Err(AppError::Forbidden(_))));
    let at = service::publish(st, &boss, &id, &first).await.unwrap();
    assert!(matches!(service::publish(st, &boss, &id, &first).await, Err(AppError::Conflict(_))));
    assert!(matches!(service::publish(st, &neighbour, &id, &first).await, Err(AppError::NotFound)));

    // The plain-language check advises on drafts and never blocks.
    let jargon =
        service::draft_statement(st, &owner, &id, draft("当事人对检验结论有异议的，可依申请复检。")).await.unwrap();
    assert!(service::check_statement(st, &owner, &id, &jargon).await.unwrap().is_empty(), "advice is not a refusal");
    let views = service::statements(st, &owner, &id).await.unwrap();
    let advice = &views.iter().find(|v| v.id == jargon).unwrap().advice;
    assert!(advice.iter().any(|a| a.field == "facts" && a.code == "jargon" && a.excerpt == "当事人"), "{advice:?}");
    assert!(views.iter().find(|v| v.id == first).unwrap().advice.is_empty(), "published text is not advised on");

    // A correction needs a reason and keeps the earlier text visible.
    st.clock().advance(3_600_000);
    let fixed = StatementInput {
        corrects: Some(first.clone()),
        correction_reason: None,
        ..draft("经查，异物为该店员工掉落的塑料手套碎片。")
    };
    let no_reason = service::draft_statement(st, &owner, &id, fixed.clone()).await.unwrap_err();
    assert_eq!(codes(no_reason)[0].0, "required");
    let reason = "异物材质以检测报告为准";
    let fixed = StatementInput { correction_reason: Some(reason.into()), ..fixed };
    let second = service::draft_statement(st, &owner, &id, fixed).await.unwrap();
    let of_draft = StatementInput { corrects: Some(second.clone()), ..draft("x") };
    assert!(
        matches!(service::draft_statement(st, &owner, &id, of_draft).await, Err(AppError::NotFound)),
        "only a published statement can be corrected"
    );
    let at2 = service::publish(st, &boss, &id, &second).await.unwrap();
    assert!(at2 > at);

    // The public page, without sign-in: newest first, the earlier text kept with the reason.
    let html = app.page(&c, &format!("/statements/{id}")).await;
    let (new_at, old_at) = (html.find("塑料手套碎片").unwrap(), html.find("掉落的塑料片").unwrap());
    assert!(new_at < old_at, "newest first");
    assert!(html.contains(reason) && html.contains("原文保留"));
    assert!(html.contains("奶茶异物 &lt;通报&gt; &amp; 处理") || html.contains("奶茶异物 &#60;通报&#62; &#38; 处理"));
    assert!(!html.contains("糖浆配比") && !html.contains("张伟"), "drafts never reach the public");
    assert!(html.contains("2026-11-19 18:00"));

    // The feed: Atom 1.0, every required element, text escaped and read back intact.
    let res = c.get(app.url(&format!("/statements/{id}/feed.atom"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = parse(&res.text().await.unwrap());
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attrs["xmlns"], "http://www.w3.org/2005/Atom");
    assert_eq!(feed.one("id").text, format!("urn:uuid:{id}"));
    assert_eq!(feed.one("title").text, format!("{title}（情况通报）"));
    assert!(is_rfc3339(&feed.one("updated").text));
    assert!(!feed.one("author").one("name").text.is_empty(), "a feed without entry authors names one");
    assert!(feed.all("link").iter().any(|l| l.attrs.get("rel").map(String::as_str) == Some("self")));
    let entries = feed.all("entry");
    assert_eq!(entries.len(), 2);
    let mut ids = Vec::new();
    for e in &entries {
        ids.push(e.one("id").text.clone());
        assert!(!e.one("title").text.is_empty());
        assert!(is_rfc3339(&e.one("updated").text));
        assert_eq!(e.one("content").attrs["type"], "text");
    }
    assert_eq!(ids, [format!("urn:uuid:{second}"), format!("urn:uuid:{first}")]);
    assert_eq!(feed.one("updated").text, entries[0].one("updated").text);
    assert!(entries[0].one("content").text.starts_with(&format!("更正：{reason}")));
    assert!(entries[1].one("content").text.contains("掉落的塑料片"));
    assert!(entries[0].one("title").text.contains("<通报> & 处理"), "escaped and read back intact");
}
