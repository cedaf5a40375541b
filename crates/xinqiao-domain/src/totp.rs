//! Time-based one-time passwords (RFC 6238 over HOTP, RFC 4226), the second factor of
//! administrators. Six digits, 30-second steps, HMAC-SHA1: what every authenticator app reads.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: u32 = 6;

/// HOTP value of `counter` under `key`, `digits` long (RFC 4226 §5.3 dynamic truncation).
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    bin % 10u32.pow(digits)
}

/// The time step that `unix_seconds` falls in.
pub fn step_of(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The code an authenticator shows at `unix_seconds`, zero-padded.
pub fn code_at(key: &[u8], unix_seconds: u64) -> String {
    format!("{:06}", hotp(key, step_of(unix_seconds), DIGITS))
}

/// Checks `code` against the steps around `unix_seconds` (one step of clock drift either way).
/// Returns the matching step, which the caller stores so that no code is accepted twice;
/// steps at or before `last_used_step` are refused.
pub fn verify(key: &[u8], code: &str, unix_seconds: u64, last_used_step: Option<u64>) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let now = step_of(unix_seconds);
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|s| last_used_step.is_none_or(|last| *s > last))
        .find(|&s| hotp(key, s, DIGITS) == wanted)
}

/// Base32 (RFC 4648, no padding) text of a secret, as authenticator apps take it.
pub fn encode_secret(key: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(key)
}

pub fn decode_secret(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    data_encoding::BASE32_NOPAD.decode(cleaned.to_ascii_uppercase().trim_end_matches('=').as_bytes()).ok()
}

/// The `otpauth://` URI that authenticator apps import (Key Uri Format).
pub fn provisioning_uri(issuer: &str, account: &str, key: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        encode_secret(key),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_vectors() {
        for (t, want) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(RFC_KEY, step_of(t), 8), want, "T={t}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let want = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, c as u64, 6), *w);
        }
    }

    #[test]
    fn verify_allows_drift_and_refuses_replay() {
        let t = 1_700_000_000;
        let code = code_at(RFC_KEY, t - 30);
        let step = verify(RFC_KEY, &code, t, None).expect("previous step accepted");
        assert_eq!(step, step_of(t) - 1);
        assert_eq!(verify(RFC_KEY, &code, t, Some(step)), None, "replay refused");
        assert_eq!(verify(RFC_KEY, &code_at(RFC_KEY, t - 90), t, None), None, "too old");
        assert_eq!(verify(RFC_KEY, "12a456", t, None), None);
    }

    #[test]
    fn secret_text_round_trips() {
        let text = encode_secret(RFC_KEY);
        assert_eq!(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(decode_secret(&text.to_lowercase()).unwrap(), RFC_KEY);
        let uri = provisioning_uri("心桥", "admin", RFC_KEY);
        assert!(uri.starts_with("otpauth://totp/%E5%BF%83"));
        assert!(uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    }
}
