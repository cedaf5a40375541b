//! Evidence for publication over HTTP: an officer uploads a camera photo (EXIF with GPS and the
//! camera, XMP, ICC, a comment), boxes a region and publishes; the public route serves a PNG whose
//! boxed pixels are the fill colour and whose bytes carry none of the original's metadata, never
//! the original; unredacted evidence and other bureaus get 404, bystanders of the bureau 403.

use crate::helpers::*;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, RgbImage};
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::incidents::redaction::FILL;
use xinqiao_web::incidents::service::{self, NewIncidentInput, Officer, StatementInput};

/// A colourful photo as a camera writes it: JPEG with EXIF (camera, GPS), XMP, ICC and a comment.
fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([100 + (x * 7 % 150) as u8, 90 + (y * 5 % 160) as u8, 120 + ((x + y) % 100) as u8])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&img).unwrap();
    let (desc, make) = (&b"GPS 31.2304N 120.6196E\0"[..], &b"XinqiaoCam\0"[..]);
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    let data_at: u32 = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2u16.to_be_bytes());
    for (tag, len, at) in [(0x010e_u16, desc.len(), data_at), (0x010f, make.len(), data_at + desc.len() as u32)] {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&2u16.to_be_bytes());
        tiff.extend_from_slice(&(len as u32).to_be_bytes());
        tiff.extend_from_slice(&at.to_be_bytes());
    }
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(desc);
    tiff.extend_from_slice(make);
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xff, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(0xe1, &[&b"Exif\0\0"[..], &tiff].concat()));
    out.extend(segment(0xe1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XinqiaoXmp</x:xmpmeta>"));
    out.extend(segment(0xe2, b"ICC_PROFILE\0\x01\x01XinqiaoIcc"));
    out.extend(segment(0xfe, b"XinqiaoComment 13800138000"));
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

const TRACES: [&[u8]; 7] =
    [b"Exif", b"GPS", b"120.6196", b"XinqiaoCam", b"XinqiaoXmp", b"XinqiaoIcc", b"XinqiaoComment"];

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

/// An incident of 姑苏 with a published statement, run by officer.gusu with boss.gusu; beside them
/// a bystander of the bureau (other.gusu) and an officer of the neighbour (officer.wuzhong).
async fn published_incident(app: &TestApp) -> String {
    let b = app.bureau().await;
    let st = &app.state;
    let owner = officer(app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let boss = officer(app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    app.member("other.gusu", &b.gusu, Role::Officer).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let input =
        NewIncidentInput {
            title: "网红餐厅检查".into(), enterprise_name: "示例餐厅".into(), ..Default::default()
        };
    let id = service::create(st, &owner, input).await.unwrap();
    let facts = StatementInput { facts: "经查，异物为员工掉落的塑料片。".into(), ..Default::default() };
    let sid = service::draft_statement(st, &owner, &id, facts).await.unwrap();
    service::publish(st, &boss, &id, &sid).await.unwrap();
    id
}

#[tokio::test]
async fn published_evidence_has_its_boxes_destroyed_and_no_trace_of_the_original() {
    let app = TestApp::start().await;
    let st = &app.state;
    let id = published_incident(&app).await;

    let c = app.client();
    app.login(&c, "officer.gusu", PASSWORD).await;
    let csrf = csrf_of(&app.page(&c, &format!("/incidents/{id}")).await);
    let original = camera_jpeg(80, 60);
    for t in TRACES {
        assert!(contains(&original, t), "the fixture carries {}", String::from_utf8_lossy(t));
    }
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("caption", "检查现场截图")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        c.post(app.url(&format!("/incidents/{id}/evidence"))).multipart(form).send()
    };
    // Not an image: refused with the reason, nothing kept.
    let res = upload(b"%PDF-1.4 report".to_vec(), "report.pdf").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("证据只接受 JPEG 或 PNG"));
    assert!(st.store.incident_evidence(&id).await.unwrap().is_empty());
    let res = upload(original.clone(), "IMG_0001.jpg").await.unwrap();
    let page_path = location(&res).expect("redirected to the redaction page").to_owned();
    let e = page_path.rsplit('/').next().unwrap().to_owned();
    let page = app.page(&c, &page_path).await;
    assert!(page.contains("80×60") && page.contains("id=\"boxes\""));

    // Before redaction there is nothing public; staff draw on a bare copy of the pixels.
    let public = format!("/statements/{id}/evidence/{e}");
    assert_eq!(app.client().get(app.url(&public)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert!(!app.page(&app.client(), &format!("/statements/{id}")).await.contains(&e));
    let working = c.get(app.url(&format!("{page_path}/image"))).send().await.unwrap().bytes().await.unwrap();
    assert!(working.starts_with(b"\x89PNG"));
    for t in TRACES {
        assert!(!contains(&working, t), "the staff copy holds {}", String::from_utf8_lossy(t));
    }

    // A box outside the picture is refused beside the form, with the picture's size.
    let redact = |who: &reqwest::Client, boxes: &'static str| {
        who.post(app.url(&format!("{page_path}/redaction"))).form(&[("csrf", csrf.as_str()), ("boxes", boxes)]).send()
    };
    let res = redact(&c, "70,50,20,5").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("第1个打码区域超出图片范围（图片为80×60像素）"));
    assert_eq!(app.client().get(app.url(&public)).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // A bystander of the bureau may not publish; another bureau does not find it.
    let other = app.client();
    app.login(&other, "other.gusu", PASSWORD).await;
    let other_csrf = csrf_of(&app.page(&other, "/incidents").await);
    let res = other
        .post(app.url(&format!("{page_path}/redaction")))
        .form(&[("csrf", other_csrf.as_str()), ("boxes", "0,0,80,60")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let neighbour = app.client();
    app.login(&neighbour, "officer.wuzhong", PASSWORD).await;
    assert_eq!(neighbour.get(app.url(&page_path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(
        neighbour.get(app.url(&format!("{page_path}/image"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    // Two boxes (a face, a plate): published.
    let res = redact(&c, "10,5,20,12\n50，40，30，20").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app.client().get(app.url(&public)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    let published = res.bytes().await.unwrap().to_vec();
    assert_ne!(published, original);
    for t in TRACES {
        assert!(!contains(&published, t), "the published copy holds {}", String::from_utf8_lossy(t));
    }
    let before = image::load_from_memory_with_format(&original, ImageFormat::Jpeg).unwrap().into_rgb8();
    let after = image::load_from_memory_with_format(&published, ImageFormat::Png).unwrap().into_rgb8();
    assert_eq!(after.dimensions(), (80, 60));
    let boxed = |x: u32, y: u32| ((10..30).contains(&x) && (5..17).contains(&y)) || (x >= 50 && y >= 40);
    for (x, y, p) in after.enumerate_pixels() {
        if boxed(x, y) {
            assert_eq!(p.0, FILL, "pixel {x},{y} is destroyed");
            assert_ne!(before.get_pixel(x, y).0, FILL, "and was not black before");
        } else {
            assert_ne!(p.0, FILL, "pixel {x},{y} outside the boxes is kept");
        }
    }
    let shown = app.page(&app.client(), &format!("/statements/{id}")).await;
    assert!(shown.contains(&public) && shown.contains("检查现场截图"));
    assert!(app.page(&c, &page_path).await.contains("10,5,20,12\n50,40,30,20"), "the boxes are shown again");

    // The sealed original has no public route: not by the evidence, not by its digest.
    let digest = st.store.incident_evidence_item(&id, &e).await.unwrap().original_sha256;
    for path in [format!("/statements/{id}/evidence/{digest}"), format!("/statements/{id}/evidence/{e}/image")] {
        assert_eq!(app.client().get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{path}");
    }
    let staff_only = app.client().get(app.url(&format!("{page_path}/image"))).send().await.unwrap();
    assert_ne!(staff_only.status(), StatusCode::OK, "the working copy needs a sign-in");
    let second = upload(camera_jpeg(16, 16), "IMG_0002.jpg").await.unwrap();
    let e2 = location(&second).unwrap().rsplit('/').next().unwrap().to_owned();
    let res = app.client().get(app.url(&format!("/statements/{id}/evidence/{e2}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "unredacted evidence is not public");

    // Every step is in the audit chain, without the caption or the boxes' place.
    let audit: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE target = $1 ORDER BY seq")
        .bind(format!("incident:{id}"))
        .fetch_all(st.store.pool())
        .await
        .unwrap();
    assert!(audit.iter().filter(|a| *a == "incident.evidence").count() == 2, "{audit:?}");
    assert!(audit.iter().any(|a| a == "incident.evidence_publish"));
}

/// The API keeps, shows and publishes evidence through the same service: the working copy and
/// the published copy carry nothing of the camera file, the boxes are filled, and the refusals
/// (a box outside the picture, a bystander, another bureau) are the page's.
#[tokio::test]
async fn evidence_goes_through_the_api_as_through_the_pages() {
    let app = TestApp::start().await;
    let st = &app.state;
    let id = published_incident(&app).await;
    let (token, other, neighbour) =
        (app.token("officer.gusu").await, app.token("other.gusu").await, app.token("officer.wuzhong").await);
    let api = reqwest::Client::new();
    let base = app.url(&format!("/api/v1/incidents/{id}/evidence"));

    let form = reqwest::multipart::Form::new()
        .text("caption", "检查现场截图，联系人13800138000")
        .part("file", reqwest::multipart::Part::bytes(camera_jpeg(80, 60)).file_name("IMG_0001.jpg"));
    let res = api.post(&base).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let e = res.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let list: serde_json::Value = api.get(&base).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let item = &list[0];
    assert_eq!(
        (item["id"].as_str(), item["width"].as_u64(), item["height"].as_u64()),
        (Some(e.as_str()), Some(80), Some(60))
    );
    assert!(!item["caption"].as_str().unwrap().contains("13800138000"), "the caption is masked: {item}");
    assert!(item["public_url"].is_null(), "nothing public before the boxes");
    assert_eq!(api.get(&base).bearer_auth(&neighbour).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    let working = api.get(format!("{base}/{e}/image")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(working.headers()["content-type"], "image/png");
    let working = working.bytes().await.unwrap();
    for t in TRACES {
        assert!(!contains(&working, t), "the working copy holds {}", String::from_utf8_lossy(t));
    }

    let redaction = format!("{base}/{e}/redaction");
    let outside = serde_json::json!({"boxes": [{"x": 70, "y": 50, "w": 20, "h": 5}]});
    let res = api.put(&redaction).bearer_auth(&token).json(&outside).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said = res.json::<serde_json::Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    assert!(said.contains("第1个打码区域超出图片范围（图片为80×60像素）"), "the page's words: {said}");
    let boxes = serde_json::json!({"boxes": [{"x": 10, "y": 5, "w": 20, "h": 12}]});
    let res = api.put(&redaction).bearer_auth(&other).json(&boxes).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a bystander of the bureau");
    let res = api.put(&redaction).bearer_auth(&neighbour).json(&boxes).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another bureau");
    assert!(st.store.incident_evidence_item(&id, &e).await.unwrap().published_sha256.is_none(), "nothing published");

    let res = api.put(&redaction).bearer_auth(&token).json(&boxes).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let done: serde_json::Value = res.json().await.unwrap();
    assert_eq!(done["boxes"], boxes["boxes"], "{done}");
    let public = done["public_url"].as_str().expect("published").to_owned();
    let published = app.client().get(app.url(&public)).send().await.unwrap().bytes().await.unwrap();
    for t in TRACES {
        assert!(!contains(&published, t), "the published copy holds {}", String::from_utf8_lossy(t));
    }
    let after = image::load_from_memory_with_format(&published, ImageFormat::Png).unwrap().into_rgb8();
    for (x, y, p) in after.enumerate_pixels() {
        let boxed = (10..30).contains(&x) && (5..17).contains(&y);
        assert_eq!(p.0 == FILL, boxed, "pixel {x},{y}");
    }
}
