//! Small text helpers that several features share: the hotline, URL query values and the public
//! form of a text (every personal-data span dropped whole, never shown in part).

use xinqiao_domain::privacy::{Detector, drop_masked_fragments, render_public};

/// The national consumer hotline every public page offers.
pub const HOTLINE: &str = "12315";

/// `text` as a URL query value.
pub(crate) fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `text` as public pages and open data may show it: each span the detector finds becomes
/// [已隐去], and fragments of older masking (欧***, 139****5678) go too.
pub fn public_of(detector: &Detector, text: &str) -> String {
    drop_masked_fragments(&render_public(text, &detector.detect(text)))
}
