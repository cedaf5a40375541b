//! Static assets compiled into the binary, served with long cache lifetimes: their URLs carry
//! the build's version, so a new build is fetched anew.
//!
//! Large files also carry a copy gzip-compressed ahead of time (see `static/vendor/README.md`),
//! sent to clients whose `Accept-Encoding` allows gzip; nothing is compressed at run time.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Appended to asset URLs (`/static/app.css?v=…`) so caches refresh with each release.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
    /// `body` compressed with `gzip -9 -n`, for files worth it.
    gzip: Option<&'static [u8]>,
}

const JS: &str = "text/javascript; charset=utf-8";

const FILES: &[Asset] = &[
    Asset { name: "app.css", mime: "text/css; charset=utf-8", body: include_str!("../static/app.css"), gzip: None },
    Asset { name: "app.js", mime: JS, body: include_str!("../static/app.js"), gzip: None },
    Asset { name: "charts.js", mime: JS, body: include_str!("../static/charts.js"), gzip: None },
    Asset {
        name: "qualification-test.js",
        mime: JS,
        body: include_str!("../static/qualification-test.js"),
        gzip: None,
    },
    Asset { name: "ledger-scan.js", mime: JS, body: include_str!("../static/ledger-scan.js"), gzip: None },
    Asset { name: "submit.js", mime: JS, body: include_str!("../static/submit.js"), gzip: None },
    Asset { name: "redact.js", mime: JS, body: include_str!("../static/redact.js"), gzip: None },
    // ZXing (@zxing/library), vendored unchanged from npm: version and licence in static/vendor/README.md.
    Asset {
        name: "zxing.min.js",
        mime: JS,
        body: include_str!("../static/vendor/zxing.min.js"),
        gzip: Some(include_bytes!("../static/vendor/zxing.min.js.gz")),
    },
    // Apache ECharts, vendored unchanged from npm: version and licence in static/vendor/README.md.
    Asset {
        name: "echarts.min.js",
        mime: JS,
        body: include_str!("../static/vendor/echarts.min.js"),
        gzip: Some(include_bytes!("../static/vendor/echarts.min.js.gz")),
    },
];

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{file}", get(asset))
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    respond(&file, &headers)
}

fn respond(file: &str, headers: &HeaderMap) -> Response {
    let Some(asset) = FILES.iter().find(|a| a.name == file) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut res = match asset.gzip {
        Some(gz) if accepts_gzip(headers) => {
            let mut res = gz.into_response();
            res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            res
        }
        _ => asset.body.into_response(),
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    if asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// Whether `Accept-Encoding` allows gzip: named (or `*`, when gzip is not named) with q > 0.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(q);
            } else if coding == "*" {
                any = Some(q);
            }
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_gzip(&accept("gzip, deflate, br")));
        assert!(accepts_gzip(&accept("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accept("*")));
        assert!(!accepts_gzip(&HeaderMap::new()));
        assert!(!accepts_gzip(&accept("identity")));
        assert!(!accepts_gzip(&accept("br, gzip;q=0")));
        assert!(!accepts_gzip(&accept("gzip;q=0.0, *")));
        assert!(!accepts_gzip(&accept("gzip;q=nonsense")));
        assert!(!accepts_gzip(&accept("gzipx")));
    }

    #[test]
    fn serves_gzip_only_when_accepted() {
        let plain = respond("echarts.min.js", &HeaderMap::new());
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::VARY], "accept-encoding");
        assert_eq!(plain.headers()[header::CONTENT_TYPE], JS);

        let gz = respond("echarts.min.js", &accept("gzip, deflate"));
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(gz.headers()[header::VARY], "accept-encoding");
        assert!(gz.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));

        let css = respond("app.css", &accept("gzip"));
        assert!(css.headers().get(header::CONTENT_ENCODING).is_none());
        assert!(css.headers().get(header::VARY).is_none());
        assert_eq!(respond("vendor/echarts.min.js", &HeaderMap::new()).status(), StatusCode::NOT_FOUND);
    }

    /// Each precompressed copy is a gzip member whose trailer (CRC-32 and length) matches the
    /// plain file, so the two cannot drift apart unnoticed.
    #[test]
    fn precompressed_copies_match() {
        fn crc32(data: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in data {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            !crc
        }
        for asset in FILES {
            let Some(gz) = asset.gzip else { continue };
            assert_eq!(gz[..3], [0x1f, 0x8b, 0x08], "{} is not gzip", asset.name);
            let trailer = &gz[gz.len() - 8..];
            let crc = u32::from_le_bytes(trailer[..4].try_into().unwrap());
            let len = u32::from_le_bytes(trailer[4..].try_into().unwrap());
            let body = asset.body.as_bytes();
            assert_eq!(len as usize, body.len(), "{}: length differs from the gzip copy", asset.name);
            assert_eq!(crc, crc32(body), "{}: content differs from the gzip copy", asset.name);
        }
    }
}
