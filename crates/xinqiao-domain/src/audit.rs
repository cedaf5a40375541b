//! The audit trail's record and its hash chain. Each entry's SHA-256 covers a canonical encoding
//! of its fields and the previous entry's hash, so any edit, deletion or reordering breaks the
//! chain at the first entry touched.

use serde::Serialize;
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

    /// Lower-case hex SHA-256 of the canonical bytes.
    pub fn hash(&self) -> String {
        let digest = Sha256::digest(self.canonical_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
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
    pub checked: u64,
}

impl Default for ChainWalker {
    fn default() -> Self {
        Self { expected_seq: 1, prev_hash: GENESIS_HASH.to_owned(), checked: 0 }
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
        if record.hash() != stored_hash {
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
