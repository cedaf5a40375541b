//! What each sealed part of a case is bound to (the associated data of its encryption).

/// What a case's sealed narrative is bound to (its tracking code, without dashes).
pub(crate) fn narrative_aad(code: &str) -> String {
    format!("narrative:{code}")
}

/// What a case's sealed identity is bound to.
pub(crate) fn identity_aad(code: &str) -> String {
    format!("identity:{code}")
}

/// What a case's sealed demand (诉求) is bound to.
pub(crate) fn demand_aad(code: &str) -> String {
    format!("demand:{code}")
}
