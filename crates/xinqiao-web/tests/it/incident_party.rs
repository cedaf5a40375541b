//! The enterprise's side of an incident, over its page: it sees only the incidents about its own
//! 统一社会信用代码, declares a figure 商业秘密, and a statement carrying that figure in any
//! writing cannot be published; another enterprise finds nothing, and the term stays out of the
//! audit trail.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ids::Username;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::NewUser;
use xinqiao_web::error::AppError;
use xinqiao_web::incidents::service::{self, NewIncidentInput, Officer, StatementInput};

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

#[tokio::test]
async fn the_enterprise_declares_its_secrets_and_statements_cannot_publish_them() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let boss = officer(&app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    app.user("shop", &[Role::Enterprise]).await; // 91110000600037341L
    let hash = xinqiao_web::auth::password::hash(PASSWORD.into()).await.unwrap();
    let rival = NewUser {
        username: Username::parse("rival").unwrap(),
        display_name: "另一家企业".into(),
        password_hash: hash,
        org_id: None,
        uscc: Some(Uscc::with_check_char("91320508MA1XQ0001").unwrap()),
        roles: vec![Role::Enterprise],
        must_change_password: false,
    };
    st.store.create_user(&Actor::console(), rival).await.unwrap();
    let about = |uscc: Option<&str>| NewIncidentInput {
        title: "乳品异味".into(),
        enterprise_name: "示例乳品厂".into(),
        enterprise_uscc: uscc.map(str::to_owned),
        ..Default::default()
    };
    let id = service::create(st, &owner, about(Some("91110000600037341L"))).await.unwrap();
    let unbound = service::create(st, &owner, about(None)).await.unwrap();

    // The shop sees the incident about it, and only that one.
    let c = app.client();
    app.login(&c, "shop", PASSWORD).await;
    let page = app.page(&c, "/enterprise/incidents").await;
    assert!(page.contains(&format!("id=\"pi-{id}\"")) && !page.contains(&unbound), "only its own incident");
    assert!(page.contains("href=\"/enterprise/incidents\""), "the menu leads there");
    let csrf = csrf_of(&page);
    let declare = |term: &str, incident: &str| {
        c.post(app.url(&format!("/enterprise/incidents/{incident}/secrets")))
            .form(&[("csrf", csrf.as_str()), ("term", term)])
    };
    assert_eq!(declare("12800元", &id).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let again = declare("12800元", &id).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let text = again.text().await.unwrap();
    assert!(text.contains(&format!("aria-describedby=\"term-{id}-error\"")), "the error sits by its field");
    assert_eq!(declare("x", &unbound).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let page = app.page(&c, "/enterprise/incidents").await;
    assert!(page.contains("<li>12800元</li>"));

    // Another enterprise finds nothing.
    let r = app.client();
    app.login(&r, "rival", PASSWORD).await;
    let page = app.page(&r, "/enterprise/incidents").await;
    assert!(!page.contains(&id) && page.contains("目前没有涉及本企业的事件"));
    let rcsrf = csrf_of(&page);
    let res = r
        .post(app.url(&format!("/enterprise/incidents/{id}/secrets")))
        .form(&[("csrf", rcsrf.as_str()), ("term", "窥探")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Officers have no enterprise page.
    let o = app.client();
    app.login(&o, "officer.gusu", PASSWORD).await;
    assert_eq!(o.get(app.url("/enterprise/incidents")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // A statement with the figure, however written, is refused; the term is not in the audit.
    let draft = StatementInput {
        facts: "经查，该厂日销售额约１２，８００元，异味系储存温度过高所致。".into(),
        ..Default::default()
    };
    let s1 = service::draft_statement(st, &owner, &id, draft).await.unwrap();
    match service::publish(st, &boss, &id, &s1).await.unwrap_err() {
        AppError::Validation(f) => assert_eq!(f[0].code, "trade_secret", "{f:?}"),
        other => panic!("{other:?}"),
    }
    let details: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'incident.secret'")
        .fetch_all(st.store.pool())
        .await
        .unwrap();
    assert_eq!(details.len(), 1);
    assert!(!details[0].contains("12800"), "{}", details[0]);
}
