//! 电子台账 in a phone-sized headless Chromium (390 × 844) whose camera is a fake stream showing a
//! GS1 DataMatrix: the page has no horizontal overflow, the scan fills the code (Chromium on Linux
//! has no BarcodeDetector, so the vendored ZXing decoder reads it), the product master look-up and
//! the form do the rest, and the line is in the ledger with the batch and dates from the code.
//!
//! The barcode is `fixtures/gs1-datamatrix.txt` (how it was made is written at its top), drawn
//! here into a one-frame Y4M file that Chromium loops as the camera
//! (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=…`).

use crate::browser::{Step, browser_with, choose, click, e2s, ensure, fill, finish, navigate, sign_in};
use crate::helpers::*;
use crate::ledger::{enterprise, party, uscc};
use fantoccini::{Client, Locator};
use std::time::Duration;

const W: usize = 640;
const H: usize = 480;

/// A 640 × 480 4:2:0 Y4M frame with the DataMatrix drawn black on white, 12 pixels a module.
fn y4m_of_fixture() -> Vec<u8> {
    let text = include_str!("fixtures/gs1-datamatrix.txt");
    let rows: Vec<&[u8]> = text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::as_bytes).collect();
    let scale = 12;
    let (mw, mh) = (rows[0].len() * scale, rows.len() * scale);
    let (x0, y0) = ((W - mw) / 2, (H - mh) / 2);
    let mut y_plane = vec![235u8; W * H];
    for (r, row) in rows.iter().enumerate() {
        for (c, bit) in row.iter().enumerate() {
            if *bit == b'1' {
                for dy in 0..scale {
                    let start = (y0 + r * scale + dy) * W + x0 + c * scale;
                    y_plane[start..start + scale].fill(16);
                }
            }
        }
    }
    let mut out = format!("YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\nFRAME\n").into_bytes();
    out.extend_from_slice(&y_plane);
    out.extend(std::iter::repeat_n(128u8, W * H / 2));
    out
}

async fn no_horizontal_overflow(c: &Client) -> Step {
    let v =
        c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.map_err(e2s)?;
    let (sw, iw) = (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0));
    ensure(sw <= iw, format!("the page is {sw}px wide in a {iw}px window"))
}

async fn scenario(app: &TestApp, c: &Client, party_id: &str) -> Step {
    sign_in(app, c, "phoneshop", PASSWORD).await?;
    c.goto(&app.url("/ledger")).await.map_err(e2s)?;
    no_horizontal_overflow(c).await?;
    click(c, "#scan-start").await?;
    // The decoder runs on the camera's frames: wait for the code field to be filled.
    let mut code = String::new();
    for _ in 0..120 {
        code = c.find(Locator::Css("#code")).await.map_err(e2s)?.prop("value").await.map_err(e2s)?.unwrap_or_default();
        if !code.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    ensure(code.contains("0106901234567892"), format!("scanned code: {code:?}"))?;
    // The look-up fills the batch and the dates from the code.
    for _ in 0..40 {
        let batch = c.find(Locator::Css("#batch")).await.map_err(e2s)?.prop("value").await.map_err(e2s)?;
        if batch.as_deref() == Some("L2026A") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fill(c, "#product_name", "酸奶").await?;
    fill(c, "#specification", "200g").await?;
    fill(c, "#quantity", "12").await?;
    choose(c, "#party_id", party_id).await?;
    navigate(c, "#ledger-submit").await?;
    let lines = crate::browser::text(c, "#ledger-lines").await?;
    ensure(
        lines.contains("酸奶") && lines.contains("L2026A") && lines.contains("到期 2027-05-01"),
        format!("lines: {lines}"),
    )?;
    ensure(lines.contains("保存至 2027-11-01"), format!("retention: {lines}"))?;
    no_horizontal_overflow(c).await
}

#[tokio::test]
async fn a_phone_scans_a_gs1_datamatrix_into_the_ledger() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let token = enterprise(&app, "phoneshop", &uscc(51), Some(&b.gusu)).await;
    let party_id = party(&app, &token, "乳品批发部", None).await;
    let video = std::env::temp_dir().join(format!("xinqiao-gs1-{}.y4m", xinqiao_store::new_id()));
    std::fs::write(&video, y4m_of_fixture()).unwrap();
    let args = [
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
    ];
    let Some((_driver, c)) = browser_with("390,844", &args).await else { return };
    let result = scenario(&app, &c, &party_id).await;
    let _ = std::fs::remove_file(&video);
    finish("ledger-scan", c, result).await;
}
