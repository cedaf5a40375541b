//! Open311 GeoReport v2 against the spec's field lists, in JSON and in XML (parsed by quick-xml,
//! so well-formed and escaped): discovery, services, a service definition, POST requests (key,
//! one location, description rules, the case intake with masking and sealing), GET requests and
//! one request (only consented cases, masked, never the complainant; the key's bureau tree),
//! the error list with its codes; and the keys page.

use crate::helpers::*;
use quick_xml::events::Event;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use xinqiao_domain::accounts::Role;
use xinqiao_web::open311::service::{self, KeyAdmin};

/// An XML element: name, text, children.
#[derive(Debug, Clone)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    fn child(&self, name: &str) -> &Node {
        self.children.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no <{name}> in <{}>", self.name))
    }
}

/// Parses a whole document, failing on anything not well-formed.
fn parse_xml(xml: &str) -> Node {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "declaration: {xml}");
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node { name: String::new(), text: String::new(), children: vec![] }];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                stack.push(Node { name: e.name().as_ref().to_owned(), text: String::new(), children: vec![] })
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Empty(e) => stack.last_mut().unwrap().children.push(Node {
                name: e.name().as_ref().to_owned(),
                text: String::new(),
                children: vec![],
            }),
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                let c = match &*r.into_inner() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("undeclared entity {other}"),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.remove(0)
}

const SERVICE_FIELDS: [&str; 7] =
    ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];
const REQUEST_FIELDS: [&str; 17] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];

fn keys_of(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

struct Setup {
    app: TestApp,
    gusu_key: String,
    wuzhong_key: String,
}

async fn setup() -> Setup {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let admin = KeyAdmin::console();
    let gusu_key = service::issue_key(&app.state.store, &admin, &b.gusu, "随手拍").await.unwrap().secret;
    let wuzhong_key = service::issue_key(&app.state.store, &admin, &b.wuzhong, "吴中小程序").await.unwrap().secret;
    Setup { app, gusu_key, wuzhong_key }
}

pub(crate) async fn post(app: &TestApp, format: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let res = Client::new().post(app.url(&format!("/open311/v2/requests.{format}"))).form(form).send().await.unwrap();
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.ends_with("charset=utf-8"), "{ct}");
    (res.status(), res.text().await.unwrap())
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = Client::new().get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

pub(crate) fn report<'a>(key: &'a str, description: &'a str, consent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("api_key", key),
        ("service_code", "report"),
        ("lat", "31.303612"),
        ("long", "120.619871"),
        ("description", description),
        ("attribute[enterprise_name]", "苏州某某超市有限公司"),
        ("attribute[industry]", "F"),
        ("attribute[consent_publish]", consent),
    ]
}

#[tokio::test]
async fn discovery_services_and_definitions_follow_the_spec_in_both_formats() {
    let Setup { app, .. } = setup().await;
    let (status, body) = get(&app, "/open311/v2/discovery.json").await;
    assert_eq!(status, StatusCode::OK);
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sorted(keys_of(&d)), ["changeset", "contact", "endpoints", "key_service"]);
    let e = &d["endpoints"][0];
    assert_eq!(sorted(keys_of(e)), ["changeset", "formats", "specification", "type", "url"]);
    assert_eq!(e["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(e["url"], format!("http://{}/open311/v2", app.addr));
    assert_eq!(e["formats"], serde_json::json!(["text/xml", "application/json"]));
    let (_, xml) = get(&app, "/open311/v2/discovery.xml").await;
    let x = parse_xml(&xml);
    assert_eq!(x.name, "discovery");
    assert_eq!(x.names(), ["changeset", "contact", "key_service", "endpoints"]);
    let endpoint = x.child("endpoints").child("endpoint");
    assert_eq!(endpoint.names(), ["specification", "url", "changeset", "type", "formats"]);
    assert_eq!(endpoint.child("formats").names(), ["format", "format"]);

    let (status, body) = get(&app, "/open311/v2/services.json").await;
    assert_eq!(status, StatusCode::OK);
    let list: Value = serde_json::from_str(&body).unwrap();
    let codes: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["complaint", "report", "consultation", "suggestion"]);
    for s in list.as_array().unwrap() {
        assert_eq!(sorted(keys_of(s)), sorted(SERVICE_FIELDS.to_vec()));
        assert_eq!(s["type"], "realtime");
        assert_eq!(s["metadata"], true);
    }
    let (_, xml) = get(&app, "/open311/v2/services.xml?jurisdiction_id=320508").await;
    let x = parse_xml(&xml);
    assert_eq!(x.name, "services");
    assert_eq!(x.children.len(), 4);
    assert_eq!(x.children[1].names(), SERVICE_FIELDS);
    assert_eq!(x.children[1].child("service_name").text, "举报");
    assert_eq!(x.children[1].child("metadata").text, "true");

    let (status, body) = get(&app, "/open311/v2/services/complaint.json").await;
    assert_eq!(status, StatusCode::OK);
    let def: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(def["service_code"], "complaint");
    let industry = def["attributes"].as_array().unwrap().iter().find(|a| a["code"] == "industry").unwrap();
    assert_eq!(
        sorted(keys_of(industry)),
        ["code", "datatype", "datatype_description", "description", "order", "required", "values", "variable"]
    );
    assert_eq!(
        (&industry["datatype"], &industry["required"], &industry["order"]),
        (&"singlevaluelist".into(), &true.into(), &2.into())
    );
    assert_eq!(industry["values"][7], serde_json::json!({"key": "H", "name": "住宿和餐饮业"}));
    let (_, xml) = get(&app, "/open311/v2/services/report.xml").await;
    let x = parse_xml(&xml);
    assert_eq!(x.name, "service_definition");
    assert_eq!(x.names(), ["service_code", "attributes"]);
    let first = &x.child("attributes").children[0];
    assert_eq!(
        first.names(),
        ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]
    );
    let listed = &x.child("attributes").children[1];
    assert_eq!(listed.child("values").children[0].names(), ["key", "name"]);

    // Errors: the spec's list with the HTTP status as the code.
    let (status, body) = get(&app, "/open311/v2/services/parking.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let errors: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sorted(keys_of(&errors[0])), ["code", "description"]);
    assert_eq!(errors[0]["code"], 404);
    let (status, xml) = get(&app, "/open311/v2/services/parking.xml").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let x = parse_xml(&xml);
    assert_eq!((x.name.as_str(), x.child("error").names()), ("errors", vec!["code", "description"]));
    assert_eq!(x.child("error").child("code").text, "404");
    assert_eq!(get(&app, "/open311/v2/services.json?jurisdiction_id=999999").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/open311/v2/services.json?page=2").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/open311/v2/services.csv").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_posted_request_goes_through_intake_and_shows_only_masked_consented_text() {
    let Setup { app, gusu_key, wuzhong_key } = setup().await;
    let text = "我叫张伟，电话13812345678。超市把过期牛奶重新贴标签出售，价格 < 10 元 & 包邮。";
    let (status, body) = post(&app, "json", &report(&gusu_key, text, "yes")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sorted(keys_of(&created[0])), ["account_id", "service_notice", "service_request_id"]);
    let id = created[0]["service_request_id"].as_str().unwrap().to_owned();

    // Stored by the case intake: masked, sealed, audited, in the key's bureau.
    let case = app.state.store.case_by_tracking_code(&id.replace('-', "")).await.unwrap();
    assert!(!case.narrative_masked.contains("13812345678") && !case.narrative_masked.contains("张伟"));
    assert_eq!(case.org_name.as_deref(), Some("姑苏区市场监督管理局"));
    assert!(case.consent_publish);
    let audit = app
        .state
        .store
        .audit_entries(&xinqiao_store::audit::Filter {
            action: Some("case.intake".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.record.actor_name.starts_with("Open311 o311_")), "the key is the actor");

    // Until an officer confirmed the masking, the description does not leave (the bureau's
    // review is on by default); the request itself is listed.
    for format in ["json", "xml"] {
        let (status, body) = get(&app, &format!("/open311/v2/requests/{id}.{format}?api_key={gusu_key}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("待工作人员完成脱敏审核后公开"), "{body}");
        assert!(!body.contains("过期牛奶") && !body.contains("[已隐去]"), "{body}");
    }
    let officer = xinqiao_store::audit::Actor::system();
    app.state.store.confirm_masking(&officer, &case.id).await.unwrap();

    for format in ["json", "xml"] {
        let (status, body) = get(&app, &format!("/open311/v2/requests/{id}.{format}?api_key={gusu_key}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!body.contains("13812345678") && !body.contains("张伟"), "{body}");
        if format == "json" {
            let r: Value = serde_json::from_str(&body).unwrap();
            let r = &r[0];
            assert_eq!(sorted(keys_of(r)), sorted(REQUEST_FIELDS.to_vec()));
            assert_eq!((&r["status"], &r["service_code"]), (&"open".into(), &"report".into()));
            assert_eq!(r["status_notes"], "当前状态：待核查");
            assert_eq!((&r["lat"], &r["long"]), (&31.304.into(), &120.62.into()), "rounded to about 100 m");
            assert_eq!(r["agency_responsible"], "姑苏区市场监督管理局");
            let when = r["requested_datetime"].as_str().unwrap();
            assert!(when.len() == 25 && when.ends_with("+08:00") && when.as_bytes()[10] == b'T', "{when}");
            assert_eq!(xinqiao_domain::open311::parse_w3c(when).map(|ms| ms / 1000), Some(case.received_at / 1000));
            assert!(r["description"].as_str().unwrap().contains("价格 < 10 元 & 包邮"));
            // Public text: masked spans dropped whole, never shown in part (张*, 138****5678).
            let description = r["description"].as_str().unwrap();
            assert!(!description.contains('*') && description.contains("[已隐去]"), "{description}");
        } else {
            let x = parse_xml(&body);
            assert_eq!(x.name, "service_requests");
            let r = x.child("request");
            assert_eq!(r.names(), REQUEST_FIELDS);
            assert!(r.child("description").text.contains("价格 < 10 元 & 包邮"), "escaped and read back");
            assert!(body.contains("&lt; 10 元 &amp; 包邮"));
        }
    }

    // Scoped: another bureau's key does not see it; the city above does, by jurisdiction.
    assert_eq!(
        get(&app, &format!("/open311/v2/requests/{id}.json?api_key={wuzhong_key}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, body) = get(&app, "/open311/v2/requests.json?jurisdiction_id=320500").await;
    let listed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, body) = get(&app, &format!("/open311/v2/requests.json?api_key={wuzhong_key}")).await;
    assert_eq!(body, "[]");
    let (status, body) = get(&app, "/open311/v2/requests.xml").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no jurisdiction");
    assert_eq!(parse_xml(&body).child("error").child("code").text, "400");

    // Without consent: stored, never listed.
    let (status, body) =
        post(&app, "xml", &report(&gusu_key, "超市把过期面包重新贴标签出售，已经看到两次了。", "no")).await;
    assert_eq!(status, StatusCode::OK);
    let x = parse_xml(&body);
    let hidden = x.child("request").child("service_request_id").text.clone();
    assert_eq!(x.child("request").names(), ["service_request_id", "service_notice", "account_id"]);
    assert!(app.state.store.case_by_tracking_code(&hidden.replace('-', "")).await.is_ok());
    assert_eq!(
        get(&app, &format!("/open311/v2/requests/{hidden}.json?api_key={gusu_key}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, body) =
        get(&app, &format!("/open311/v2/requests.json?api_key={gusu_key}&service_request_id={id},{hidden}")).await;
    let listed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["service_request_id"], id.as_str());

    // Filters.
    let q = |extra: &str| format!("/open311/v2/requests.json?jurisdiction_id=320508&{extra}");
    let count = |body: String| serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len();
    assert_eq!(count(get(&app, &q("status=closed")).await.1), 0);
    assert_eq!(count(get(&app, &q("status=open,closed&service_code=report")).await.1), 1);
    assert_eq!(count(get(&app, &q("service_code=complaint")).await.1), 0);
    assert_eq!(count(get(&app, &q("start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00%2B08:00")).await.1), 0);
    assert_eq!(get(&app, &q("status=pending")).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, &q("start_date=2026-01-01")).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_complaint_never_shows_the_complainant() {
    let Setup { app, gusu_key, .. } = setup().await;
    let form = [
        ("api_key", gusu_key.as_str()),
        ("service_code", "complaint"),
        ("address_string", "观前街1号李秀英家楼下"),
        ("first_name", "秀英"),
        ("last_name", "李"),
        ("phone", "13912345678"),
        ("email", "lxy@example.com"),
        ("description", "我是李秀英，在这家健身房办了卡，现在关门了，预付卡余额三千元退不了。"),
        ("attribute[enterprise_name]", "苏州某健身有限公司"),
        ("attribute[industry]", "R"),
        ("attribute[demand]", "退还余额三千元"),
        ("attribute[contact_address]", "苏州市姑苏区人民路88号"),
        ("attribute[consent_publish]", "yes"),
    ];
    let (status, body) = post(&app, "json", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = get(&app, "/open311/v2/requests.json?jurisdiction_id=320508").await;
    let listed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    for secret in ["李秀英", "13912345678", "lxy@example.com", "人民路88号", "退还余额"] {
        assert!(!body.contains(secret), "{secret} in {body}");
    }
    assert_eq!(listed[0]["service_code"], "complaint");
    let address = listed[0]["address"].as_str().unwrap();
    assert!(address.contains("家楼下") && !address.contains("秀英"), "the street address is masked: {address}");
}

#[tokio::test]
async fn bad_posts_get_the_spec_error_list() {
    let Setup { app, gusu_key, .. } = setup().await;
    let ok = "超市把过期牛奶重新贴标签出售，已经看到好几次了。";
    let mut no_key = report("", ok, "yes");
    no_key.remove(0);
    let (status, body) = post(&app, "json", &no_key).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()[0]["code"], 403);
    assert_eq!(post(&app, "xml", &report("o311_wrong", ok, "yes")).await.0, StatusCode::FORBIDDEN);

    let long = "长".repeat(4001);
    let cases: Vec<(Vec<(&str, &str)>, StatusCode)> = vec![
        ([report(&gusu_key, ok, "yes"), vec![("address_id", "A-17")]].concat(), StatusCode::BAD_REQUEST),
        (report(&gusu_key, "<p>超市把过期牛奶重新贴标签出售</p>", "yes"), StatusCode::BAD_REQUEST),
        (report(&gusu_key, &long, "yes"), StatusCode::BAD_REQUEST),
        (report(&gusu_key, "太短", "yes"), StatusCode::BAD_REQUEST),
        ([report(&gusu_key, ok, "yes"), vec![("media_url", "http://x/1.jpg")]].concat(), StatusCode::BAD_REQUEST),
        ([report(&gusu_key, ok, "yes"), vec![("jurisdiction_id", "320506")]].concat(), StatusCode::FORBIDDEN),
        ([report(&gusu_key, ok, "maybe")].concat(), StatusCode::BAD_REQUEST),
    ];
    for (form, expected) in &cases {
        let (status, body) = post(&app, "xml", form).await;
        assert_eq!(status, *expected, "{body}");
        let x = parse_xml(&body);
        assert_eq!(x.child("error").child("code").text, expected.as_u16().to_string());
        assert!(!x.child("error").child("description").text.is_empty());
    }
    let mut unknown = report(&gusu_key, ok, "yes");
    unknown[1] = ("service_code", "parking");
    assert_eq!(post(&app, "json", &unknown).await.0, StatusCode::NOT_FOUND);
    let res = Client::new()
        .post(app.url("/open311/v2/requests.json"))
        .json(&serde_json::json!({"api_key": gusu_key}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "form-encoded only");
    let none = app.state.store.list_cases(&Default::default()).await.unwrap();
    assert!(none.is_empty(), "nothing half-written");
}

#[tokio::test]
async fn keys_are_issued_once_revoked_and_refused_after() {
    let Setup { app, gusu_key, .. } = setup().await;
    app.admin("sys", Role::SysAdmin).await;
    let c = app.client();
    app.login(&c, "sys", PASSWORD).await;
    let page = app.page(&c, "/admin/open311").await;
    assert!(page.contains("随手拍") && page.contains(&gusu_key[..9]) && !page.contains(&gusu_key), "only the prefix");
    let orgs = app.state.store.list_orgs().await.unwrap();
    let gusu = orgs.iter().find(|o| o.region_code == "320508").unwrap();
    let res = c
        .post(app.url("/admin/open311"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("org_id", gusu.id.as_str()), ("label", "市民热线")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let shown = res.text().await.unwrap();
    let at = shown.find("id=\"issued-key\">").unwrap() + "id=\"issued-key\">".len();
    let new_key = shown[at..].split('<').next().unwrap().to_owned();
    assert!(new_key.starts_with("o311_") && new_key.len() > 30);
    assert!(!app.page(&c, "/admin/open311").await.contains(&new_key), "shown once");
    let ok = "超市把过期牛奶重新贴标签出售，已经看到好几次了。";
    assert_eq!(post(&app, "json", &report(&new_key, ok, "no")).await.0, StatusCode::OK);

    let key = service::keys(&app.state.store, &KeyAdmin::console()).await.unwrap();
    let id = key.iter().find(|k| k.key.label == "市民热线").unwrap().key.id.clone();
    let res = c
        .post(app.url(&format!("/admin/open311/{id}/revoke")))
        .form(&[("csrf", csrf_of(&shown).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, "json", &report(&new_key, ok, "no")).await.0, StatusCode::FORBIDDEN, "revoked");
    let again = c
        .post(app.url(&format!("/admin/open311/{id}/revoke")))
        .form(&[("csrf", csrf_of(&shown).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // An officer is refused (and the refusal is audited by the permission gate).
    let b_gusu = gusu.id.clone();
    app.member("officer.li", &b_gusu, Role::Officer).await;
    let o = app.client();
    app.login(&o, "officer.li", PASSWORD).await;
    assert_eq!(o.get(app.url("/admin/open311")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}
