//! The officer's review of a complaint's masking before its enterprise sees it, the
//! complainant's preview, and the demand (诉求) reviewed, restored and masked like the narrative.

use super::*;

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
