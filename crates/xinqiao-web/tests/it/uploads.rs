//! Uploads a browser or a PDF reader must not be handed as they are: a PDF whose script sits in a
//! compressed object stream, an encrypted PDF, and an image too large to be shown inline.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::Write;
use xinqiao_domain::accounts::Role;

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A PDF whose catalog, with an `/OpenAction` running JavaScript, is only in a compressed object
/// stream (the form of the outside probe's file).
fn pdf_with_hidden_open_action() -> Vec<u8> {
    let objects = b"1 0 2 70 <</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\n<</Type/Pages/Count 0/Kids[]>>";
    let packed = zlib(objects);
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    pdf.extend_from_slice(
        format!("5 0 obj\n<</Type/ObjStm/N 2/First 9/Filter/FlateDecode/Length {}>>stream\n", packed.len()).as_bytes(),
    );
    pdf.extend_from_slice(&packed);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<</Size 6/Root 1 0 R>>\n%%EOF\n");
    pdf
}

/// A valid PNG header of `side` × `side` pixels around one tiny IDAT.
/// A real, decodable PNG of `side` pixels (a pale gradient), for features that draw on the
/// image (the confidential exchange burns its watermark in); `png_of_side` only has a valid header.
pub fn real_png(side: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(side, side, |x, y| image::Rgb([200 + (x % 50) as u8, 220, 200 + (y % 50) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn png_of_side(side: u32) -> Vec<u8> {
    let chunk = |ty: &[u8; 4], data: &[u8]| {
        [&u32::try_from(data.len()).unwrap().to_be_bytes()[..], ty, data, &[0, 0, 0, 0]].concat()
    };
    let ihdr = [&side.to_be_bytes()[..], &side.to_be_bytes(), &[8, 0, 0, 0, 0]].concat();
    [b"\x89PNG\r\n\x1a\n".to_vec(), chunk(b"IHDR", &ihdr), chunk(b"IDAT", &zlib(&[0, 0])), chunk(b"IEND", b"")].concat()
}

#[tokio::test]
async fn hidden_scripts_are_refused_and_huge_images_are_only_downloads() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508", "narrative": "健身房关门，附收据。", "demand": "退款",
        "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let res = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let receipt: Value = res.json().await.unwrap();
    let code = receipt["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let key = receipt["access_key"].as_str().unwrap().to_owned();
    let supplement = |name: &str, bytes: Vec<u8>| {
        Client::new()
            .post(app.url(&format!("/api/v1/cases/{code}/supplement")))
            .header("x-access-key", key.clone())
            .multipart(Form::new().part("attachments", Part::bytes(bytes).file_name(name.to_owned())))
            .send()
    };

    // The script in the compressed object stream is found; so is an encrypted file refused.
    for (file, bytes, expected) in [
        ("合同.pdf", pdf_with_hidden_open_action(), "attachment_active_content"),
        (
            "账单.pdf",
            b"%PDF-1.6\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R/Encrypt 2 0 R>>".to_vec(),
            "attachment_pdf_encrypted",
        ),
    ] {
        let res = supplement(file, bytes).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["fields"][0]["code"], expected, "{err}");
        assert!(err["error"]["fields"][0]["message"].as_str().unwrap().contains("PDF"));
    }

    // A 30000 × 30000 PNG is stored (it is a valid file) but offered only as a download.
    assert_eq!(supplement("大图.png", png_of_side(30_000)).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(supplement("小图.png", png_of_side(600)).await.unwrap().status(), StatusCode::NO_CONTENT);
    let case = app.state.store.case_by_tracking_code(&code).await.unwrap();
    let files = app.state.store.attachments(&case.id).await.unwrap();
    assert_eq!(files.len(), 2, "the refused PDFs were not stored");
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    for (file, disposition) in [(&files[0], "attachment"), (&files[1], "inline")] {
        let res = officer.get(app.url(&format!("/cases/{}/files/{}", case.id, file.id))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/png");
        let header = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(header.starts_with(disposition), "{} → {header}", file.name);
    }
}
