//! Sealing secrets and personal data at rest: XChaCha20-Poly1305 (an AEAD) under a data key
//! named by its id, so keys can be rotated while older values stay readable. The associated data
//! binds a value to its place (`totp:<user id>`), so a sealed value moved to another row does not
//! open. The caller supplies the random nonce: this module does no I/O.
//!
//! Sealed text: `v1.<key id>.<base64url(nonce ‖ ciphertext+tag)>`.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use data_encoding::BASE64URL_NOPAD;

pub const NONCE_LEN: usize = 24;

/// Seals `plaintext` under `key` (id `key_id`, which must not contain `.`).
/// Lower-case hexadecimal of `bytes`, two digits per byte: the one form of the audit chain's
/// hashes and MACs, blind indexes, session tokens and access-key hashes (stored values depend on
/// it, so it must stay what `format!("{b:02x}")` of each byte writes).
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

pub fn seal(key: &[u8; 32], key_id: &str, nonce: &[u8; NONCE_LEN], aad: &str, plaintext: &[u8]) -> String {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let ct = cipher
        .encrypt(XNonce::from_slice(nonce), Payload { msg: plaintext, aad: aad.as_bytes() })
        .expect("encryption of in-memory data cannot fail");
    let mut body = Vec::with_capacity(NONCE_LEN + ct.len());
    body.extend_from_slice(nonce);
    body.extend_from_slice(&ct);
    // Written once into its final place (a sealed narrative is a few KiB; an import seals three
    // values per case).
    let mut out = String::with_capacity(4 + key_id.len() + BASE64URL_NOPAD.encode_len(body.len()));
    out.push_str("v1.");
    out.push_str(key_id);
    out.push('.');
    BASE64URL_NOPAD.encode_append(&body, &mut out);
    out
}

/// The key id a sealed text names, if it is well-formed.
pub fn key_id(sealed: &str) -> Option<&str> {
    let mut parts = sealed.splitn(3, '.');
    (parts.next()? == "v1").then_some(())?;
    parts.next()
}

/// Opens a sealed text with the key its id names (`keys` looks it up). `None` when the key is
/// unknown, the text malformed, or the value was altered or moved (wrong `aad`).
pub fn open(keys: impl Fn(&str) -> Option<[u8; 32]>, aad: &str, sealed: &str) -> Option<Vec<u8>> {
    let mut parts = sealed.splitn(3, '.');
    if parts.next()? != "v1" {
        return None;
    }
    let key = keys(parts.next()?)?;
    let body = BASE64URL_NOPAD.decode(parts.next()?.as_bytes()).ok()?;
    if body.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, ct) = body.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(Key::from_slice(&key))
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: aad.as_bytes() })
        .ok()
}

/// Seals bytes (a file) into bytes: `b"v1"`, the key id's length and the key id, then nonce ‖
/// ciphertext+tag. The binary twin of `seal`, without base64's third more.
pub fn seal_bytes(key: &[u8; 32], key_id: &str, nonce: &[u8; NONCE_LEN], aad: &str, plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let ct = cipher
        .encrypt(XNonce::from_slice(nonce), Payload { msg: plaintext, aad: aad.as_bytes() })
        .expect("encryption of in-memory data cannot fail");
    let kid = key_id.as_bytes();
    let kid_len = u8::try_from(kid.len()).expect("key ids are short");
    let mut out = Vec::with_capacity(3 + kid.len() + NONCE_LEN + ct.len());
    out.extend_from_slice(b"v1");
    out.push(kid_len);
    out.extend_from_slice(kid);
    out.extend_from_slice(nonce);
    out.extend_from_slice(&ct);
    out
}

/// The key id sealed bytes name, if they are well-formed.
pub fn key_id_of_bytes(sealed: &[u8]) -> Option<&str> {
    let rest = sealed.strip_prefix(b"v1")?;
    let (&kid_len, rest) = rest.split_first()?;
    std::str::from_utf8(rest.get(..usize::from(kid_len))?).ok()
}

/// Opens what `seal_bytes` made; `None` on any mismatch, like `open`.
pub fn open_bytes(keys: impl Fn(&str) -> Option<[u8; 32]>, aad: &str, sealed: &[u8]) -> Option<Vec<u8>> {
    let rest = sealed.strip_prefix(b"v1")?;
    let (&kid_len, rest) = rest.split_first()?;
    let kid_len = usize::from(kid_len);
    if rest.len() < kid_len + NONCE_LEN + 16 {
        return None;
    }
    let (kid, rest) = rest.split_at(kid_len);
    let key = keys(std::str::from_utf8(kid).ok()?)?;
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(Key::from_slice(&key))
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: aad.as_bytes() })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_what_formatting_each_byte_writes() {
        let bytes: Vec<u8> = (0..=255).collect();
        let formatted: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&bytes), formatted);
        assert_eq!(hex(&[]), "");
    }

    const K1: [u8; 32] = [7; 32];
    const K2: [u8; 32] = [9; 32];

    fn keys(id: &str) -> Option<[u8; 32]> {
        match id {
            "k1" => Some(K1),
            "k2" => Some(K2),
            _ => None,
        }
    }

    #[test]
    fn a_sealed_text_is_the_key_id_and_base64_of_nonce_and_ciphertext() {
        let nonce = [5; NONCE_LEN];
        let sealed = seal(&K1, "k1", &nonce, "narrative:X", "投诉内容".as_bytes());
        let ct = XChaCha20Poly1305::new(Key::from_slice(&K1))
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: "投诉内容".as_bytes(), aad: b"narrative:X" })
            .unwrap();
        let body = [nonce.as_slice(), &ct].concat();
        assert_eq!(sealed, format!("v1.k1.{}", BASE64URL_NOPAD.encode(&body)));
        assert_eq!(sealed.capacity(), sealed.len(), "written once into its final size");
    }

    #[test]
    fn round_trip_and_rotation() {
        let old = seal(&K1, "k1", &[1; NONCE_LEN], "totp:u1", b"secret");
        let new = seal(&K2, "k2", &[2; NONCE_LEN], "totp:u1", b"secret");
        assert_eq!(key_id(&old), Some("k1"));
        assert_eq!(open(keys, "totp:u1", &old).unwrap(), b"secret");
        assert_eq!(open(keys, "totp:u1", &new).unwrap(), b"secret");
        assert!(!old.contains("secret"));
        let file = seal_bytes(&K2, "k2", &[3; NONCE_LEN], "blob:x", b"bytes");
        assert_eq!(key_id_of_bytes(&file), Some("k2"));
        assert_eq!(key_id_of_bytes(b"v1"), None);
        assert_eq!(key_id_of_bytes(b"v1\x09k"), None, "a length beyond the bytes");
    }

    #[test]
    fn tampering_moving_and_unknown_keys_fail() {
        let sealed = seal(&K1, "k1", &[3; NONCE_LEN], "totp:u1", b"secret");
        assert_eq!(open(keys, "totp:u2", &sealed), None, "bound to its row");
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(open(keys, "totp:u1", &String::from_utf8(altered).unwrap()), None);
        assert_eq!(open(keys, "totp:u1", &sealed.replacen("k1", "k9", 1)), None);
        assert_eq!(open(keys, "totp:u1", "GEZDGNBVGY3TQOJQ"), None, "plain text is not sealed text");
    }

    #[test]
    fn bytes_round_trip_and_refuse_tampering() {
        let sealed = seal_bytes(&K1, "k1", &[5; NONCE_LEN], "blob:abc", b"\xff\xd8 image");
        assert_eq!(open_bytes(keys, "blob:abc", &sealed).unwrap(), b"\xff\xd8 image");
        assert_eq!(open_bytes(keys, "blob:abd", &sealed), None, "bound to its hash");
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(open_bytes(keys, "blob:abc", &altered), None);
        assert_eq!(open_bytes(keys, "blob:abc", &sealed[..10]), None, "truncated");
        assert_eq!(open_bytes(keys, "blob:abc", b""), None);
    }
}
