//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 保密资料交换 —
//! open an exchange, deposit with the commitment, sign, view the watermarked rendering (a PDF page by
//! page), and the day after which nothing is shown or deposited; each with its refusals.

use super::*;

/// Walks the confidential exchange with the main walk's accounts: `boss` opens it for the enterprise
/// `gym`, an officer of 姑苏 is added to read it, and `wz` (another district's officer) sees nothing.
pub(super) async fn confidential_walk(p: &mut Probe<'_>, app: &TestApp, b: &Bureau, boss: &str, gym: &str, wz: &str) {
    app.member("officer.cf", &b.gusu, Role::Officer).await;
    let cf = &app.token("officer.cf").await;
    let cx = "/api/v1/confidential";
    let open = json!({"matter": "配方标签审核", "enterprise_uscc": GYM, "officers": ["officer.cf"], "destroy_day": "2026-12-01"});
    let (s, x) = p.json("POST", cx, cx, boss, Some(open.clone())).await;
    assert_eq!(s, 201, "{x}");
    let mut bad = open.clone();
    bad["destroy_day"] = json!("2020-01-01");
    assert_eq!(p.json("POST", cx, cx, boss, Some(bad)).await.0, 422);
    assert_eq!(p.json("POST", cx, cx, gym, Some(open)).await.0, 403);
    let (s, all) = p.json("GET", cx, cx, gym, None).await;
    assert_eq!((s, all.as_array().map(Vec::len)), (200, Some(1)), "{all}");
    let xid = str_of(&x["exchange"], "id");
    let c1 = "/api/v1/confidential/{id}";
    assert_eq!(p.json("GET", c1, &format!("{cx}/{xid}"), gym, None).await.0, 200);
    assert_eq!(p.json("GET", c1, &format!("{cx}/{xid}"), wz, None).await.0, 404);
    let cd = "/api/v1/confidential/{id}/files";
    let png =
        || Form::new().part("files", reqwest::multipart::Part::bytes(crate::uploads::real_png(20)).file_name("a.png"));
    let (s, e) = p.call("POST", cd, &format!("{cx}/{xid}/files"), Some(gym), &[], Body::Multipart(png())).await;
    assert_eq!(s, 422, "without the commitment: {e}");
    assert_eq!(
        p.call(
            "POST",
            cd,
            &format!("{cx}/{xid}/files"),
            Some(cf),
            &[],
            Body::Multipart(png().text("commitment", "true"))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        p.call(
            "POST",
            cd,
            &format!("{cx}/nope/files"),
            Some(gym),
            &[],
            Body::Multipart(png().text("commitment", "true"))
        )
        .await
        .0,
        404
    );
    let (s, d) = p
        .call(
            "POST",
            cd,
            &format!("{cx}/{xid}/files"),
            Some(gym),
            &[],
            Body::Multipart(png().text("commitment", "true")),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let cv = "/api/v1/confidential/{id}/files/{seq}";
    assert_eq!(p.call("GET", cv, &format!("{cx}/{xid}/files/1"), Some(cf), &[], Body::None).await.0, 403, "unsigned");
    assert_eq!(p.call("GET", cv, &format!("{cx}/{xid}/files/1"), Some(wz), &[], Body::None).await.0, 404);
    let cs = "/api/v1/confidential/{id}/commitment";
    assert_eq!(p.json("POST", cs, &format!("{cx}/{xid}/commitment"), cf, None).await.0, 200);
    assert_eq!(p.json("POST", cs, &format!("{cx}/{xid}/commitment"), cf, None).await.0, 409);
    assert_eq!(p.json("POST", cs, &format!("{cx}/{xid}/commitment"), boss, None).await.0, 403);
    assert_eq!(p.json("POST", cs, &format!("{cx}/{xid}/commitment"), wz, None).await.0, 404);
    assert_eq!(p.call("GET", cv, &format!("{cx}/{xid}/files/1"), Some(cf), &[], Body::None).await.0, 200);
    assert_eq!(p.call("GET", cv, &format!("{cx}/{xid}/files/9"), Some(cf), &[], Body::None).await.0, 404);
    // A PDF, viewed page by page.
    let pdf = || {
        Form::new()
            .part("files", reqwest::multipart::Part::bytes(crate::confidential::hand_pdf(1)).file_name("a.pdf"))
            .text("commitment", "true")
    };
    let (s, d) = p.call("POST", cd, &format!("{cx}/{xid}/files"), Some(gym), &[], Body::Multipart(pdf())).await;
    assert_eq!((s, d["files"][1]["pages"].as_i64()), (201, Some(1)), "{d}");
    let cp = "/api/v1/confidential/{id}/files/{seq}/pages/{page}";
    assert_eq!(p.call("GET", cp, &format!("{cx}/{xid}/files/2/pages/1"), Some(cf), &[], Body::None).await.0, 200);
    assert_eq!(p.call("GET", cp, &format!("{cx}/{xid}/files/2/pages/2"), Some(cf), &[], Body::None).await.0, 404);
    assert_eq!(p.call("GET", cp, &format!("{cx}/{xid}/files/2/pages/1"), Some(wz), &[], Body::None).await.0, 404);
    assert_eq!(p.call("GET", cv, &format!("{cx}/{xid}/files/2"), Some(cf), &[], Body::None).await.0, 409, "by page");
    app.state.clock().advance(20 * 86_400_000);
    assert_eq!(
        p.call("GET", cv, &format!("{cx}/{xid}/files/1"), Some(cf), &[], Body::None).await.0,
        409,
        "after the day"
    );
    assert_eq!(
        p.call(
            "POST",
            cd,
            &format!("{cx}/{xid}/files"),
            Some(gym),
            &[],
            Body::Multipart(png().text("commitment", "true"))
        )
        .await
        .0,
        409
    );
    app.state.clock().advance(-20 * 86_400_000);
}
