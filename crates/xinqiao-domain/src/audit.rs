//! The audit trail's record and its hash chain. Each entry's hash covers a canonical encoding of
//! its fields and the previous entry's hash, so any edit, deletion or reordering breaks the chain
//! at the first entry touched. From the entry where the chain was keyed on, the hash is an
//! HMAC-SHA256 under a key kept outside the database (secrets.toml): write access to the
//! database alone cannot re-forge the chain. Signed checkpoints (the head's hash and count) let an
//! auditor keep proof outside the system of what the chain was.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the recorded action succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "成功",
            Outcome::Failure => "失败",
            Outcome::Denied => "拒绝",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Outcome::Success, Outcome::Failure, Outcome::Denied].into_iter().find(|o| o.code() == code)
    }
}

/// One entry as it is hashed. Field order here is the canonical order: do not reorder.
/// Personal data never goes into `target` or `detail`: those hold ids and codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_ms: i64,
    /// Account id of the actor; empty for the public or an unknown login name.
    pub actor_id: String,
    /// Login name of the actor (or the name a failed login tried), for reading.
    pub actor_name: String,
    /// Role codes the actor held, comma-separated.
    pub actor_roles: String,
    /// A stable dotted action code: `auth.login`, `user.create`, `audit.verify` …
    pub action: String,
    /// What was acted on: `user:<id>`, `org:<code>` …
    pub target: String,
    pub outcome: Outcome,
    pub client_addr: String,
    /// The stated purpose when personal data was read.
    pub purpose: String,
    /// Non-personal details (JSON text).
    pub detail: String,
    pub prev_hash: String,
}

impl AuditRecord {
    /// The canonical bytes: compact JSON of the fields in declaration order (serde keeps it).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("audit record always serialises")
    }

    /// Lower-case hex SHA-256 of the canonical bytes (entries before the chain was keyed).
    pub fn hash(&self) -> String {
        crate::crypto::hex(&Sha256::digest(self.canonical_bytes()))
    }

    /// The entry's hash: keyed (HMAC-SHA256) from the key's first entry on, plain before it.
    pub fn seal(&self, key: Option<&ChainKey>) -> String {
        match key {
            Some(k) if self.seq >= k.keyed_from => k.mac(b"entry", &self.canonical_bytes()),
            _ => self.hash(),
        }
    }
}

/// The key of the chain (from secrets.toml, never the database) and the first entry it covers.
#[derive(Clone, PartialEq, Eq)]
pub struct ChainKey {
    key: Vec<u8>,
    /// Sequence number of the first keyed entry.
    pub keyed_from: i64,
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainKey").field("keyed_from", &self.keyed_from).finish_non_exhaustive()
    }
}

impl ChainKey {
    pub fn new(key: Vec<u8>, keyed_from: i64) -> Self {
        Self { key, keyed_from }
    }

    fn mac(&self, purpose: &[u8], bytes: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(purpose);
        mac.update(b":");
        mac.update(bytes);
        crate::crypto::hex(&mac.finalize().into_bytes())
    }

    /// A signed statement that the chain held `seq` entries with `hash` as its head at `at_ms`.
    pub fn checkpoint(&self, seq: i64, hash: &str, at_ms: i64) -> Checkpoint {
        let mut c = Checkpoint {
            format: CHECKPOINT_FORMAT.to_owned(),
            seq,
            hash: hash.to_owned(),
            at_ms,
            signature: String::new(),
        };
        c.signature = self.mac(b"checkpoint", &c.signed_bytes());
        c
    }

    /// Whether `c` was signed with this key (and is in the known format).
    pub fn signed(&self, c: &Checkpoint) -> bool {
        c.format == CHECKPOINT_FORMAT && {
            let want = self.mac(b"checkpoint", &c.signed_bytes());
            // Compare all bytes, whatever the first difference.
            want.len() == c.signature.len()
                && want.bytes().zip(c.signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }
    }
}

/// The format name in every checkpoint.
pub const CHECKPOINT_FORMAT: &str = "xinqiao-audit-checkpoint/1";

/// The head of the chain at one moment, signed: auditors keep these outside the system and
/// check the chain against them (`xinqiao audit verify --checkpoint FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub format: String,
    /// The number of entries (the head's sequence number).
    pub seq: i64,
    /// The head entry's hash.
    pub hash: String,
    pub at_ms: i64,
    /// HMAC-SHA256 under the chain's key, lower-case hex.
    pub signature: String,
}

impl Checkpoint {
    fn signed_bytes(&self) -> Vec<u8> {
        format!("{}|{}|{}|{}", self.format, self.seq, self.hash, self.at_ms).into_bytes()
    }
}

/// Where a chain walk found its first break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's `prev_hash` is not the previous entry's hash (an entry was removed or reordered).
    Link { seq: i64 },
    /// The entry's stored hash does not match its content (the entry was edited).
    Content { seq: i64 },
    /// Sequence numbers skip or repeat.
    Sequence { seq: i64, expected: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Link { seq } | ChainBreak::Content { seq } | ChainBreak::Sequence { seq, .. } => *seq,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ChainBreak::Link { seq } => {
                format!("第{seq}条记录的前序哈希与上一条不符（记录被删除或调换）")
            }
            ChainBreak::Content { seq } => format!("第{seq}条记录的内容与其哈希不符（记录被篡改）"),
            ChainBreak::Sequence { seq, expected } => {
                format!("序号不连续：应为第{expected}条，实际为第{seq}条（记录被删除）")
            }
        }
    }
}

/// Incremental chain checker: feed entries in `seq` order with their stored hash.
#[derive(Debug)]
pub struct ChainWalker {
    expected_seq: i64,
    prev_hash: String,
    key: Option<ChainKey>,
    pub checked: u64,
}

impl Default for ChainWalker {
    fn default() -> Self {
        Self::new(None)
    }
}

impl ChainWalker {
    /// A walker that expects keyed hashes from `key`'s first entry on.
    pub fn new(key: Option<ChainKey>) -> Self {
        Self { expected_seq: 1, prev_hash: GENESIS_HASH.to_owned(), key, checked: 0 }
    }
}

impl ChainWalker {
    pub fn check(&mut self, record: &AuditRecord, stored_hash: &str) -> Result<(), ChainBreak> {
        if record.seq != self.expected_seq {
            return Err(ChainBreak::Sequence { seq: record.seq, expected: self.expected_seq });
        }
        if record.prev_hash != self.prev_hash {
            return Err(ChainBreak::Link { seq: record.seq });
        }
        if record.seal(self.key.as_ref()) != stored_hash {
            return Err(ChainBreak::Content { seq: record.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = stored_hash.to_owned();
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: i64, prev: &str) -> AuditRecord {
        AuditRecord {
            seq,
            at_ms: 1_764_000_000_000 + seq,
            actor_id: "u1".into(),
            actor_name: "admin".into(),
            actor_roles: "sysadmin".into(),
            action: "user.create".into(),
            target: format!("user:{seq}"),
            outcome: Outcome::Success,
            client_addr: "127.0.0.1".into(),
            purpose: String::new(),
            detail: "{}".into(),
            prev_hash: prev.into(),
        }
    }

    fn chain(n: i64) -> Vec<(AuditRecord, String)> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|s| {
                let r = record(s, &prev);
                prev = r.hash();
                (r, prev.clone())
            })
            .collect()
    }

    fn walk(entries: &[(AuditRecord, String)]) -> Result<u64, ChainBreak> {
        let mut w = ChainWalker::default();
        for (r, h) in entries {
            w.check(r, h)?;
        }
        Ok(w.checked)
    }

    #[test]
    fn a_keyed_chain_cannot_be_reforged_without_the_key() {
        let key = ChainKey::new(b"kept-in-secrets-toml".to_vec(), 3);
        let mut prev = GENESIS_HASH.to_owned();
        let mut entries: Vec<(AuditRecord, String)> = (1..=5)
            .map(|s| {
                let r = record(s, &prev);
                prev = r.seal(Some(&key));
                (r, prev.clone())
            })
            .collect();
        let walk_keyed = |e: &[(AuditRecord, String)], k: Option<ChainKey>| {
            let mut w = ChainWalker::new(k);
            e.iter().try_for_each(|(r, h)| w.check(r, h)).map(|_| w.checked)
        };
        assert_eq!(walk_keyed(&entries, Some(key.clone())), Ok(5));
        assert_eq!(entries[1].1, entries[1].0.hash(), "entries before the key stay plain SHA-256");
        // Someone with the database but not the key edits entry 4 and re-hashes the rest with
        // plain SHA-256, as the old chain allowed: caught at entry 4.
        entries[3].0.outcome = Outcome::Failure;
        let mut prev = entries[2].1.clone();
        for (r, h) in entries.iter_mut().skip(3) {
            r.prev_hash = prev.clone();
            *h = r.hash();
            prev = h.clone();
        }
        assert_eq!(walk_keyed(&entries, Some(key.clone())), Err(ChainBreak::Content { seq: 4 }));
        // A different key does not verify either.
        let other = ChainKey::new(b"another".to_vec(), 3);
        assert_eq!(walk_keyed(&chain(5), Some(other)), Err(ChainBreak::Content { seq: 3 }));
    }

    #[test]
    fn checkpoints_are_signed_and_any_change_shows() {
        let key = ChainKey::new(b"kept-in-secrets-toml".to_vec(), 1);
        let c = key.checkpoint(42, "ab12", 1_765_000_000_000);
        assert!(key.signed(&c));
        let text = serde_json::to_string(&c).unwrap();
        let back: Checkpoint = serde_json::from_str(&text).unwrap();
        assert!(key.signed(&back));
        for tampered in [
            Checkpoint { seq: 41, ..c.clone() },
            Checkpoint { hash: "ab13".into(), ..c.clone() },
            Checkpoint { at_ms: 1, ..c.clone() },
            Checkpoint { signature: "00".into(), ..c.clone() },
        ] {
            assert!(!key.signed(&tampered), "{tampered:?}");
        }
        assert!(!ChainKey::new(b"other".to_vec(), 1).signed(&c));
        assert!(!format!("{key:?}").contains("kept"), "Debug never prints the key");
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(walk(&chain(5)), Ok(5));
    }

    #[test]
    fn edit_delete_and_swap_are_found() {
        let mut edited = chain(5);
        edited[2].0.outcome = Outcome::Failure;
        assert_eq!(walk(&edited), Err(ChainBreak::Content { seq: 3 }));

        let mut deleted = chain(5);
        deleted.remove(4);
        deleted.remove(1);
        assert_eq!(walk(&deleted), Err(ChainBreak::Sequence { seq: 3, expected: 2 }));

        let mut relinked = chain(5);
        relinked[3].0.prev_hash = GENESIS_HASH.into();
        assert_eq!(walk(&relinked), Err(ChainBreak::Link { seq: 4 }));
    }

    #[test]
    fn hash_is_stable() {
        // Pinned: changing the canonical encoding would orphan every stored chain.
        let r = record(1, GENESIS_HASH);
        let again = record(1, GENESIS_HASH);
        assert_eq!(r.hash(), again.hash());
        assert_eq!(r.hash().len(), 64);
        assert!(String::from_utf8(r.canonical_bytes()).unwrap().starts_with(r#"{"seq":1,"at_ms":"#));
    }
}
