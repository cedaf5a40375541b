//! Privacy around the detector (issue 24): attachment names sealed and never sent, audit entries
//! without personal data, public text that drops a masked span whole, the case's own enterprise
//! kept, the officer's review before the enterprise sees a complaint, the complainant's preview,
//! and identity numbers checked against the application's today.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::{NarrativePrivacy, NewCaseRow, Transition};

const GYM: &str = "苏州姑苏示例健身管理有限公司";
const GYM_USCC: &str = "91110000600037341L";

/// Every audit entry as stored, as one text (actor, target, purpose, detail).
async fn audit_text(app: &TestApp) -> String {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT actor_name, target, purpose, detail FROM audit_log ORDER BY seq")
            .fetch_all(app.state.store.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(a, t, p, d)| format!("{a}|{t}|{p}|{d}\n")).collect()
}

/// A complaint about the gym through the API; returns its id.
async fn complaint(app: &TestApp, narrative: &str) -> String {
    complaint_demanding(app, narrative, "退还余额").await
}

/// As `complaint`, with its demand (诉求).
async fn complaint_demanding(app: &TestApp, narrative: &str, demand: &str) -> String {
    let body = json!({
        "kind": "complaint", "enterprise_name": GYM, "uscc": GYM_USCC, "industry": "R", "region_code": "320508",
        "narrative": narrative, "demand": demand, "name": "李秀英", "mobile": "13812345678",
        "address": "苏州市姑苏区人民路88号"
    });
    let res = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let r: Value = res.json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    app.state.store.case_by_tracking_code(&code).await.unwrap().id
}

fn contains_bytes(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.windows(n.len()).any(|w| w == n)
}

#[tokio::test]
async fn attachment_names_are_sealed_masked_and_never_sent() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let clear = "欧阳建国_身份证320508199001011234.jpg";
    let public = app.client();
    let form_page = app.page(&public, "/submit").await;
    let form = Form::new()
        .text("csrf", csrf_of(&form_page))
        .text("kind", "complaint")
        .text("enterprise_name", GYM)
        .text("uscc", GYM_USCC)
        .text("industry", "R")
        .text("region_code", "320508")
        .text("narrative", "健身房关门跑路，预付卡余额退不了，附上证件照片。")
        .text("demand", "退还余额")
        .text("name", "欧阳建国")
        .text("mobile", "13812345678")
        .text("address", "苏州市姑苏区人民路88号")
        .part("attachments", Part::bytes(crate::settlement::jpeg_with_gps()).file_name(clear));
    assert_eq!(public.post(app.url("/submit")).multipart(form).send().await.unwrap().status(), StatusCode::OK);
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    let file = app.state.store.attachments(&case.id).await.unwrap().remove(0);
    assert!(!file.name.contains("欧阳建国") && !file.name.contains("320508199001011234"), "{}", file.name);
    assert!(file.name.contains("身份证") && file.name.ends_with(".jpg"), "what the file is stays: {}", file.name);

    // The staff page shows the masked name; the download goes out under a neutral one.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{}", case.id)).await;
    assert!(!page.contains("欧阳建国") && page.contains(&file.name));
    let res = c.get(app.url(&format!("/cases/{}/files/{}", case.id, file.id))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename=\"attachment-1.jpg\""), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''%E9%99%84%E4%BB%B6-1.jpg"), "附件-1.jpg: {disposition}");

    // A row from before names were sealed: the clear name is re-sealed at start and leaves no
    // copy in the database files.
    let old = "张三丰_户口本320508198502021234.png";
    sqlx::query("UPDATE case_attachments SET name = $1, name_sealed = NULL WHERE id = $2")
        .bind(old)
        .bind(&file.id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let sealed = xinqiao_web::cases::files::seal_old_names(&app.state, &Actor::system()).await.unwrap();
    assert_eq!(sealed, 1);
    assert_eq!(xinqiao_web::cases::files::seal_old_names(&app.state, &Actor::system()).await.unwrap(), 0);
    let now = app.state.store.attachments(&case.id).await.unwrap().remove(0);
    assert!(!now.name.contains("张三丰") && !now.name.contains("198502021234"), "{}", now.name);
    let files = app.sqlite_files();
    assert!(!files.is_empty());
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for secret in ["欧阳建国_身份证", "张三丰_户口本", "320508199001011234", "320508198502021234"] {
            assert!(!contains_bytes(&bytes, secret), "{secret} found in {}", path.display());
        }
    }
    // The sealed original is under the key ring: a re-seal after rotation reaches it.
    let place = xinqiao_store::keyring::SealedPlace::AttachmentName;
    let rows = app.state.store.sealed_page(place, "", 10).await.unwrap();
    assert_eq!(rows.len(), 1);
}

#[tokio::test]
async fn audit_entries_keep_no_typed_personal_data() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let id = complaint(&app, "健身房关门，预付卡余额退不了，我想尽快拿回钱。").await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let purpose = "给李秀英回电话13812345678约调解时间";
    let res = c
        .post(app.url(&format!("/cases/{id}/identity")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("purpose", purpose)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("13812345678"), "the officer sees the contact");

    // A password typed into the name field of the sign-in page.
    let typed = "Wo-De-Mima-2026!";
    let anon = app.client();
    let login = app.page(&anon, "/login").await;
    let res = anon
        .post(app.url("/login"))
        .form(&[("csrf", csrf_of(&login).as_str()), ("username", typed), ("password", "whatever")])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::SEE_OTHER, "not signed in");
    // A wrong password for an existing account names that account.
    let res = anon
        .post(app.url("/login"))
        .form(&[("csrf", csrf_of(&login).as_str()), ("username", "officer.li"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::SEE_OTHER);

    let audit = audit_text(&app).await;
    assert!(audit.contains("case.identity.read") || audit.contains("约调解时间"), "{audit}");
    let read = audit.lines().find(|l| l.contains("约调解时间")).expect("the purpose is kept");
    assert!(!read.contains("李秀英") && !read.contains("13812345678"), "purpose masked: {read}");
    assert!(!audit.contains(typed), "what was typed as a name is never kept: {audit}");
    assert!(audit.contains("未知用户名#"), "{audit}");
    assert!(audit.lines().any(|l| l.starts_with("officer.li|")), "an existing account is named");
}

fn stat_row(n: usize, day: i64, text: &str, consent: bool, privacy: Option<NarrativePrivacy>) -> NewCaseRow {
    NewCaseRow {
        kind: CaseKind::Complaint,
        tracking_code: format!("P{n:07}"),
        access_key_hash: "hash".into(),
        region_code: "320508".into(),
        industry: Some('R'),
        enterprise_name: GYM.into(),
        enterprise_uscc: None,
        narrative_masked: text.into(),
        narrative_sealed: "v1.k1.sealed".into(),
        demand_masked: "退款".into(),
        amount_cents: None,
        event_day: None,
        consent_publish: consent,
        received_day: day,
        rule_set: None,
        settle_until: None,
        category: Some("prepaid".into()),
        subject: None,
        attachments: Vec::new(),
        privacy,
        demand_privacy: None,
        identity: None,
    }
}

#[tokio::test]
async fn public_statistics_and_qa_drafts_drop_masked_spans_whole() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let t = test_today().0;
    let kept = NarrativePrivacy { spans: "[]".into(), public: "教练[已隐去]说卡里的钱不退".into() };
    let mut rows = vec![
        stat_row(0, t, "投诉人欧***称，电话139****5678，会员卡余额不退", true, None),
        stat_row(1, t - 1, "教练欧***说卡里的钱不退", true, Some(kept)),
    ];
    for i in 2..5 {
        rows.push(stat_row(i, t - 2, "不同意公开", false, None));
    }
    // Consented, taken up, but its masking not confirmed by an officer: not published.
    let unreviewed =
        NarrativePrivacy { spans: "[]".into(), public: "尚未复核的叙述，店长电话13912345678".into() };
    let mut other = stat_row(5, t - 3, "尚未复核的叙述，店长电话13912345678", true, Some(unreviewed));
    other.enterprise_name = "姑苏某某美容店".into();
    rows.push(other);
    // Every enterprise with a complaint is listed, so that only the review decides.
    app.state.store.put_setting(&Actor::console(), "insights.public_min_complaints", &1i64).await.unwrap();
    let ids = app.state.store.intake(&Actor::console(), &rows).await.unwrap();
    for id in &ids[..5] {
        app.confirm_masking(id).await;
    }
    // Older cases get a public text at start, made from their masked text.
    assert_eq!(xinqiao_web::cases::privacy::keep_old_public(&app.state).await.unwrap(), 4);
    let old = app.state.store.case_privacy(&ids[0]).await.unwrap().public.unwrap();
    assert_eq!(old, "投诉人[已隐去]称，电话[已隐去]，会员卡余额不退");
    assert_eq!(xinqiao_web::cases::privacy::keep_old_public(&app.state).await.unwrap(), 0);
    for id in &ids {
        let tr = Transition {
            case_id: id,
            from: Status::AwaitingAcceptance,
            action: &xinqiao_domain::cases::Action::Accept,
            note: String::new(),
            public: true,
            assign: None,
            org: None,
            finish: None,
        };
        app.state.store.transition(&Actor::console(), tr).await.unwrap();
    }
    xinqiao_web::insights::forget_publications(&app.state).await;
    let public = Client::new();
    let page = public.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    let json = public.get(app.url("/stats/enterprises.json")).send().await.unwrap().text().await.unwrap();
    for out in [&page, &json] {
        assert!(out.contains("会员卡余额不退") && out.contains("[已隐去]"), "{out}");
        for fragment in ["欧*", "139*", "5678", "欧***"] {
            assert!(!out.contains(fragment), "{fragment} shown in part");
        }
        assert!(out.contains("教练[已隐去]说卡里的钱不退"), "the kept public form is used");
        assert!(out.contains("姑苏某某美容店") && !out.contains("尚未复核"), "an unconfirmed masking is not published");
    }
    // With the review turned off by the bureau, consented narratives are published without it,
    // through the detector once more (the number in its kept public text goes).
    app.state.store.put_setting(&Actor::console(), xinqiao_web::cases::privacy::REVIEW_SETTING, &false).await.unwrap();
    xinqiao_web::insights::forget_publications(&app.state).await;
    let json = public.get(app.url("/stats/enterprises.json")).send().await.unwrap().text().await.unwrap();
    assert!(json.contains("尚未复核的叙述") && !json.contains("13912345678"), "{json}");

    // The public's unanswered question and the Q&A draft made from it.
    let res = public.get(app.url("/api/v1/qa?q=我叫欧阳建国电话13912345678怎么办理火星签证")).send().await.unwrap();
    assert!(res.status().is_success());
    let gaps = app.state.store.gaps_since(0, 100).await.unwrap();
    assert!(!gaps.is_empty(), "the unanswered question is kept");
    for g in &gaps {
        assert!(
            !g.question.contains("139") && !g.question.contains("欧阳") && !g.question.contains('*'),
            "{}",
            g.question
        );
    }
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let gaps_page = app.page(&boss, "/knowledge/gaps").await;
    let res = boss
        .post(app.url("/knowledge/gaps/draft"))
        .form(&[("csrf", csrf_of(&gaps_page).as_str()), ("question", "投诉人欧***电话139****5678问签证"), ("ids", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let drafts = app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Draft], None, 10).await.unwrap();
    let q = &drafts.iter().find(|e| e.text.question.contains("问签证")).expect("the draft").text.question;
    assert!(!q.contains('*') && !q.contains("139") && q.contains("[已隐去]"), "{q}");
}

#[tokio::test]
async fn intake_keeps_the_case_own_enterprise_even_when_it_starts_with_a_surname() {
    let app = TestApp::start().await;
    app.bureau().await;
    let body = json!({
        "kind": "complaint", "enterprise_name": "陈建国五金", "industry": "F", "region_code": "320508",
        "narrative": "陈建国五金卖的电钻坏了，不给修，店员王小明态度很差。", "demand": "维修",
        "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let res = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    assert!(case.narrative_masked.starts_with("陈建国五金卖的电钻坏了"), "{}", case.narrative_masked);
    assert!(!case.narrative_masked.contains("王小明"), "other names are still masked");
    // Without the form's enterprise name the detector would take it for a person.
    let detector = app.state.detector().await;
    assert!(!detector.mask("陈建国五金卖的电钻坏了").contains("陈建国"), "the test needs a name the detector cuts");
}

/// The enterprise's view of its complaints: (list page, detail status, detail page).
async fn enterprise_view(app: &TestApp, c: &Client, id: &str) -> (String, StatusCode, String) {
    let list = app.page(c, "/enterprise").await;
    let res = c.get(app.url(&format!("/enterprise/cases/{id}"))).send().await.unwrap();
    let status = res.status();
    (list, status, res.text().await.unwrap())
}

#[tokio::test]
async fn the_enterprise_sees_a_complaint_only_after_the_officer_confirms_the_masking() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.user("gym", &[Role::Enterprise]).await;
    let narrative = "教练在后门收了我5000元现金，说联系13812345678，订单号2026111699887。";
    let id = complaint(&app, narrative).await;
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let (list, status, _) = enterprise_view(&app, &firm, &id).await;
    assert!(!list.contains(&id) && status == StatusCode::NOT_FOUND, "not before the confirmation");

    // The officer sees the masked text with the doubtful number highlighted.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"privacy-review\"") && page.contains("尚未确认"));
    assert!(page.contains("<mark class=\"doubt\"") && page.contains("2026111699887"), "{page}");
    assert!(page.contains("<mark class=\"masked\" title=\"手机号\">138****5678</mark>"));
    let post = |op: &'static str, field: &'static str, value: String| {
        let c = c.clone();
        let csrf = csrf_of(&page);
        let url = app.url(&format!("/cases/{id}/privacy"));
        async move {
            c.post(url).form(&[("csrf", csrf.as_str()), ("op", op), (field, value.as_str())]).send().await.unwrap()
        }
    };
    // Someone from another bureau cannot touch it; neither can the enterprise.
    let other = app.client();
    app.login(&other, "officer.wu", PASSWORD).await;
    let other_page = app.page(&other, "/").await;
    let res = other
        .post(app.url(&format!("/cases/{id}/privacy")))
        .form(&[("csrf", csrf_of(&other_page).as_str()), ("op", "confirm")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let firm_page = app.page(&firm, "/enterprise").await;
    let res = firm
        .post(app.url(&format!("/cases/{id}/privacy")))
        .form(&[("csrf", csrf_of(&firm_page).as_str()), ("op", "confirm")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Confirm: now the enterprise sees it, masked; it leaves the officers' 待脱敏确认 list.
    assert!(app.page(&c, "/cases?view=review").await.contains(&format!("/cases/{id}\"")));
    assert_eq!(post("confirm", "span", String::new()).await.status(), StatusCode::SEE_OTHER);
    assert!(!app.page(&c, "/cases?view=review").await.contains(&format!("/cases/{id}\"")));
    let (list, status, detail) = enterprise_view(&app, &firm, &id).await;
    assert!(list.contains(&id) && status == StatusCode::OK);
    assert!(detail.contains("138****5678") && detail.contains("后门"));
    assert_eq!(post("confirm", "span", String::new()).await.status(), StatusCode::CONFLICT, "once");

    // Masking more and restoring change what the enterprise sees.
    let chars: Vec<char> = narrative.chars().collect();
    let at = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        (0..chars.len()).find(|&i| chars[i..].starts_with(&w)).unwrap()
    };
    let back = at("后门");
    assert_eq!(post("mask", "span", format!("{back}-{}", back + 2)).await.status(), StatusCode::SEE_OTHER);
    let phone = at("13812345678");
    assert_eq!(post("restore", "span", format!("{phone}-{}", phone + 11)).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post("mask_text", "words", "订单号2026111699887".into()).await.status(), StatusCode::SEE_OTHER);
    let (_, _, detail) = enterprise_view(&app, &firm, &id).await;
    assert!(!detail.contains("后门") && detail.contains("教练在[已隐去]收了"), "{detail}");
    assert!(detail.contains("13812345678"), "restored");
    assert!(!detail.contains("2026111699887"));
    let bad = post("mask", "span", "0-9999".into()).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Audited, without the text.
    let audit = audit_text(&app).await;
    assert!(audit.contains(&format!("case:{id}")));
    assert_eq!(audit.lines().filter(|l| l.contains("\"change\"")).count(), 3, "{audit}");
    let confirm = app
        .state
        .store
        .audit_entries(&xinqiao_store::audit::Filter {
            action: Some("case.privacy.confirm".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(confirm.len(), 1);
    for secret in ["后门", "订单号", "2026111699887", "13812345678"] {
        assert!(!audit.contains(secret), "{secret} in the audit trail");
    }

    // With the review turned off by a supervisor, a new complaint goes straight to the enterprise.
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let cases_page = app.page(&boss, "/cases").await;
    assert!(cases_page.contains("id=\"privacy-setting\""));
    let res = boss
        .post(app.url("/cases/privacy-setting"))
        .form(&[("csrf", csrf_of(&cases_page).as_str()), ("required", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let officer_cases = app.page(&c, "/cases").await;
    assert!(!officer_cases.contains("id=\"privacy-setting\""), "officers do not change it");
    let second = complaint(&app, "健身房又关门了，余额还是不退。").await;
    let (_, status, _) = enterprise_view(&app, &firm, &second).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_complainant_previews_what_the_enterprise_will_see_and_hides_more() {
    let app = TestApp::start().await;
    app.bureau().await;
    app.user("gym", &[Role::Enterprise]).await;
    let public = app.client();
    let form_page = app.page(&public, "/submit").await;
    assert!(form_page.contains("id=\"preview-case\""));
    let narrative = "我在健身房办卡，教练小马哥天天推销，电话13812345678，订单号2026111699887。";
    let fields = |step: &'static str, extra: Vec<(&'static str, String)>| {
        let mut f = Form::new()
            .text("csrf", csrf_of(&form_page))
            .text("kind", "complaint")
            .text("enterprise_name", GYM)
            .text("uscc", GYM_USCC)
            .text("industry", "R")
            .text("region_code", "320508")
            .text("narrative", narrative)
            .text("demand", "退还余额，小马哥当面道歉")
            .text("name", "李秀英")
            .text("mobile", "13812345678")
            .text("address", "苏州市姑苏区人民路88号")
            .text("step", step);
        for (k, v) in extra {
            f = f.text(k, v);
        }
        f
    };
    let res = public.post(app.url("/submit")).multipart(fields("preview", vec![])).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let preview = res.text().await.unwrap();
    assert!(preview.contains("被投诉企业将看到的全部内容") && preview.contains("138****5678"));
    assert!(!preview.contains("id=\"preview-narrative\">我在健身房办卡，教练小马哥天天推销，电话13812345678"));
    assert!(preview.contains("name=\"hide\" value=\""), "the doubtful number is offered");
    assert!(app.state.store.list_cases(&Default::default()).await.unwrap().is_empty(), "nothing stored yet");
    // Hide the number offered, and a nickname typed in.
    let chars: Vec<char> = narrative.chars().collect();
    let order: Vec<char> = "2026111699887".chars().collect();
    let at = (0..chars.len()).find(|&i| chars[i..].starts_with(&order)).unwrap();
    let range = format!("{at}-{}", at + order.len());
    assert!(preview.contains(&format!("value=\"{range}\"")), "{preview}");
    let marks = vec![("hide", range.clone()), ("hide_words", "小马哥".to_owned())];
    let res = public.post(app.url("/submit")).multipart(fields("preview", marks.clone())).send().await.unwrap();
    let again = res.text().await.unwrap();
    let shown = again.split("id=\"preview-narrative\">").nth(1).unwrap().split("</dd>").next().unwrap();
    assert!(!shown.contains("2026111699887") && !shown.contains("小马哥"), "{shown}");
    assert!(again.contains(&format!("value=\"{range}\" checked")), "the choice is kept");
    let res = public.post(app.url("/submit")).multipart(fields("confirm", marks)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("access-key"));
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    assert_eq!(
        case.narrative_masked,
        shown.replace("&#x5b;", "[").replace("&#x5d;", "]"),
        "exactly what was previewed"
    );
    app.confirm_masking(&case.id).await;
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let (_, status, detail) = enterprise_view(&app, &firm, &case.id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!detail.contains("小马哥") && !detail.contains("2026111699887") && detail.contains("[已隐去]"));
    assert!(
        !case.demand_masked.contains("小马哥") && case.demand_masked.contains("当面道歉"),
        "{}",
        case.demand_masked
    );
}

#[tokio::test]
async fn the_demand_is_in_the_officer_review_and_masked_for_the_enterprise_like_the_narrative() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await;
    let demand = "退还余额打到卡号6222 0212 3456 7890 123，要求前台阿珍在后门当面道歉，订单号2026111699887";
    let id = complaint_demanding(&app, "健身房关门了，余额不退。", demand).await;
    let case = app.state.store.case(&id).await.unwrap();
    assert!(!case.demand_masked.contains("6222 0212"), "masked at intake: {}", case.demand_masked);

    // The officer's review shows the demand as the enterprise will see it, doubtful places marked.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let review =
        page.split("id=\"review-demand\">").nth(1).expect("the demand in the review").split("</div>").next().unwrap();
    assert!(review.contains("当面道歉") && !review.contains("6222 0212"), "{review}");
    assert!(
        review.contains("value=\"mask_demand\"") && review.contains("2026111699887"),
        "the number offered: {review}"
    );
    let post = |c: Client, form: Vec<(&'static str, String)>| {
        let url = app.url(&format!("/cases/{id}/privacy"));
        async move { c.post(url).form(&form).send().await.unwrap().status() }
    };
    let csrf = csrf_of(&page);
    // Another bureau's officer cannot touch it.
    let other = app.client();
    app.login(&other, "officer.wu", PASSWORD).await;
    let other_csrf = csrf_of(&app.page(&other, "/").await);
    let refused = post(other, vec![("csrf", other_csrf), ("op", "mask_demand".into()), ("span", "0-2".into())]).await;
    assert_eq!(refused, StatusCode::NOT_FOUND);

    // Mask a span of the demand (offsets of its sealed original), a word everywhere, and refuse
    // an overlap with a mask.
    let original: Vec<char> = demand.chars().collect();
    let at = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        (0..original.len()).find(|&i| original[i..].starts_with(&w)).unwrap()
    };
    let face = at("当面");
    let span = format!("{face}-{}", face + 2);
    let ok = post(c.clone(), vec![("csrf", csrf.clone()), ("op", "mask_demand".into()), ("span", span)]).await;
    assert_eq!(ok, StatusCode::SEE_OTHER);
    let ok = post(c.clone(), vec![("csrf", csrf.clone()), ("op", "mask_text".into()), ("words", "后门".into())]).await;
    assert_eq!(ok, StatusCode::SEE_OTHER, "a word only the demand holds");
    let now = app.state.store.case(&id).await.unwrap().demand_masked;
    assert!(!now.contains("后门") && !now.contains("当面") && now.contains("道歉"), "{now}");
    let card = at("6222");
    let overlap = format!("{}-{}", card - 1, card + 2);
    let bad = post(c.clone(), vec![("csrf", csrf.clone()), ("op", "mask_demand".into()), ("span", overlap)]).await;
    assert_eq!(bad, StatusCode::UNPROCESSABLE_ENTITY);
    let missing =
        post(c.clone(), vec![("csrf", csrf.clone()), ("op", "mask_text".into()), ("words", "火星".into())]).await;
    assert_eq!(missing, StatusCode::UNPROCESSABLE_ENTITY);

    // After the confirmation the enterprise sees the demand as revised.
    let ok = post(c.clone(), vec![("csrf", csrf.clone()), ("op", "confirm".into())]).await;
    assert_eq!(ok, StatusCode::SEE_OTHER);
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let (_, status, detail) = enterprise_view(&app, &firm, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("道歉") && !detail.contains("后门") && !detail.contains("当面"), "{detail}");
    assert!(!detail.contains("6222 0212"));
    let audit = audit_text(&app).await;
    // (The card by its first eight digits: four digits alone turn up by chance in the entries'
    // random ids.)
    for secret in ["后门", "当面", "6222 0212", "62220212"] {
        assert!(!audit.contains(secret), "{secret} in the audit trail");
    }
}

#[tokio::test]
async fn a_declared_tie_checks_an_id_number_against_the_application_today() {
    fn with_check(first17: &str) -> String {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
        format!("{first17}{}", ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize])
    }
    // The application's today is 2026-03-01: someone born on 2026-06-01 cannot exist yet.
    let app = TestApp::start_at("2026-03-01").await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let declare = |person: String| {
        let c = c.clone();
        let app = &app;
        async move {
            let page = app.page(&c, "/ties").await;
            c.post(app.url("/ties"))
                .form(&[("csrf", csrf_of(&page).as_str()), ("kind", "relative"), ("person", person.as_str())])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let future = declare(with_check("32050820260601002")).await;
    assert!(future.contains("出生日期晚于今天"), "{future}");
    let born = declare(with_check("32050820260201002")).await;
    assert!(born.contains("已申报"), "born a month before the application's today: {born}");
}

#[tokio::test]
async fn the_api_preview_is_exactly_what_intake_stores() {
    let app = TestApp::start().await;
    app.bureau().await;
    let body = json!({
        "kind": "complaint", "enterprise_name": "陈建国五金", "industry": "F", "region_code": "320508",
        "narrative": "陈建国五金卖的电钻坏了，店员王小明说找13912345678，订单号2026111699887。", "demand": "维修",
        "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let api = Client::new();
    let res = api.post(app.url("/api/v1/cases/preview")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let preview: Value = res.json().await.unwrap();
    assert_eq!(preview["to_enterprise"], true);
    let narrative = preview["narrative"].as_str().unwrap();
    assert!(narrative.starts_with("陈建国五金") && narrative.contains("139****5678"), "{preview}");
    let doubts = preview["doubtful"].as_array().unwrap();
    assert!(doubts.iter().any(|d| d["text"] == "2026111699887" && d["reason"] == "long_number"), "{preview}");
    assert!(app.state.store.list_cases(&Default::default()).await.unwrap().is_empty(), "nothing stored");
    let bad = api.post(app.url("/api/v1/cases/preview")).json(&json!({"kind": "complaint"})).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().status(), StatusCode::CREATED);
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    assert_eq!(case.narrative_masked, narrative);
    assert_eq!(case.demand_masked, preview["demand"].as_str().unwrap());
}

#[tokio::test]
async fn a_case_turned_into_a_qa_draft_keeps_no_fragment() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let body = json!({"kind": "consultation", "enterprise_name": "示例直播电商有限公司", "industry": "I",
        "region_code": "320508", "narrative": "我是赵敏，电话13700001234，直播间能不能说全网最低价？",
        "name": "赵敏", "mobile": "13700001234", "address": "苏州市姑苏区干将路2号"});
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let case = app.state.store.case_by_tracking_code(&code).await.unwrap();
    assert!(case.narrative_masked.contains("137****1234"), "staff see the usual mask");
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let page = app.page(&li, &format!("/cases/{}", case.id)).await;
    let res = li
        .post(app.url(&format!("/cases/{}/qa-draft", case.id)))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let draft =
        app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Draft], None, 5).await.unwrap().remove(0);
    let q = &draft.text.question;
    assert!(q.contains("直播间能不能说全网最低价") && q.contains("[已隐去]"), "{q}");
    assert!(!q.contains('*') && !q.contains("137") && !q.contains("1234") && !q.contains('赵'), "{q}");
}

/// The `span` value of the first one-click form with `op` inside `html`.
fn span_of(html: &str, op: &str) -> Option<String> {
    let after = html.split(&format!("value=\"{op}\"><input type=\"hidden\" name=\"span\" value=\"")).nth(1)?;
    after.split('"').next().map(str::to_owned)
}

#[tokio::test]
async fn an_officer_restores_a_masked_span_of_the_demand_and_the_enterprise_sees_it_only_after_confirmation() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await;
    let demand = "要求店长王建国当面道歉，余额退到卡号6222 0212 3456 7890 123，有事打13912345678";
    let id = complaint_demanding(&app, "健身房关门了，余额不退。", demand).await;
    let case = app.state.store.case(&id).await.unwrap();
    assert!(
        !case.demand_masked.contains("王建国") && !case.demand_masked.contains("6222 0212"),
        "{}",
        case.demand_masked
    );
    // The original is sealed like the narrative; the spans hold offsets and kinds only.
    let kept = app.state.store.case_privacy(&id).await.unwrap().demand.expect("the demand kept with its spans");
    assert!(!kept.sealed.contains("王建国") && !kept.spans.contains("王建国"), "{kept:?}");
    let name_at = demand.chars().position(|c| c == '王').unwrap();
    let name_span = format!("{name_at}-{}", name_at + 3);
    assert!(kept.spans.contains(&format!("[\"name\",{name_at},{}]", name_at + 3)), "{}", kept.spans);

    // The review offers a one-click restore for each masked span of the demand.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let review =
        page.split("id=\"review-demand\">").nth(1).expect("the demand in the review").split("</div>").next().unwrap();
    assert_eq!(span_of(review, "restore_demand").as_deref(), Some(name_span.as_str()), "{review}");
    assert!(!review.contains("王建国") && !review.contains("13912345678"), "{review}");
    let csrf = csrf_of(&page);
    let post = |c: Client, form: Vec<(&'static str, String)>| {
        let url = app.url(&format!("/cases/{id}/privacy"));
        async move { c.post(url).form(&form).send().await.unwrap().status() }
    };
    // Another bureau's officer cannot restore it.
    let other = app.client();
    app.login(&other, "officer.wu", PASSWORD).await;
    let other_csrf = csrf_of(&app.page(&other, "/").await);
    let refused =
        post(other, vec![("csrf", other_csrf), ("op", "restore_demand".into()), ("span", name_span.clone())]).await;
    assert_eq!(refused, StatusCode::NOT_FOUND);
    assert!(!app.state.store.case(&id).await.unwrap().demand_masked.contains("王建国"));
    // Nothing starts at a position that is not masked.
    let bad =
        post(c.clone(), vec![("csrf", csrf.clone()), ("op", "restore_demand".into()), ("span", "1-2".into())]).await;
    assert_eq!(bad, StatusCode::UNPROCESSABLE_ENTITY);

    // Restore, mask again with one click, restore again.
    let restore = vec![("csrf", csrf.clone()), ("op", "restore_demand".into()), ("span", name_span.clone())];
    assert_eq!(post(c.clone(), restore.clone()).await, StatusCode::SEE_OTHER);
    let now = app.state.store.case(&id).await.unwrap().demand_masked;
    assert!(now.contains("店长王建国当面道歉") && !now.contains("6222 0212") && !now.contains("13912345678"), "{now}");
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let review = page.split("id=\"review-demand\">").nth(1).unwrap().split("</div>").next().unwrap();
    assert_eq!(span_of(review, "mask_demand").as_deref(), Some(name_span.as_str()), "offered to mask again: {review}");
    let again = vec![("csrf", csrf.clone()), ("op", "mask_demand".into()), ("span", name_span.clone())];
    assert_eq!(post(c.clone(), again).await, StatusCode::SEE_OTHER);
    let now = app.state.store.case(&id).await.unwrap().demand_masked;
    assert!(!now.contains("王建国") && now.contains("王**"), "masked again as a name: {now}");
    assert_eq!(post(c.clone(), restore).await, StatusCode::SEE_OTHER);

    // The enterprise sees nothing before the confirmation, then the restored name and never
    // what stayed masked.
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let (_, status, _) = enterprise_view(&app, &firm, &id).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not before the confirmation");
    assert_eq!(post(c.clone(), vec![("csrf", csrf.clone()), ("op", "confirm".into())]).await, StatusCode::SEE_OTHER);
    let (_, status, detail) = enterprise_view(&app, &firm, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("店长王建国当面道歉"), "{detail}");
    assert!(!detail.contains("6222 0212") && !detail.contains("13912345678"), "{detail}");

    // The audit records each change by offsets and kind, never the text.
    let audit = audit_text(&app).await;
    assert!(audit.contains("\"restore\"") && audit.contains("\"demand\""), "{audit}");
    for secret in ["王建国", "6222 0212", "62220212", "13912345678"] {
        assert!(!audit.contains(secret), "{secret} in the audit trail");
    }
}

#[tokio::test]
async fn a_demand_kept_before_its_original_was_sealed_can_only_be_masked_more() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let id = complaint_demanding(&app, "健身房关门了，余额不退。", "要求店长王建国道歉，退还余额").await;
    sqlx::query("UPDATE cases SET demand_sealed = NULL, demand_spans = NULL WHERE id = $1")
        .bind(&id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let review = page.split("id=\"review-demand\">").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(span_of(review, "restore_demand").is_none(), "{review}");
    let csrf = csrf_of(&page);
    let form = [("csrf", csrf.as_str()), ("op", "restore_demand"), ("span", "4-7")];
    let res = c.post(app.url(&format!("/cases/{id}/privacy"))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(!app.state.store.case(&id).await.unwrap().demand_masked.contains("王建国"));
}
