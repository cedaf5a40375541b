//! What a staff member may see: their own bureau and every bureau below it in the tree (a
//! national or provincial account sees its whole tree; an account without a bureau sees none).
//! Every staff page, export and API that reads cases, statistics, warnings, campaigns,
//! assessments or certificates asks this, never the whole database.

use crate::AppState;
use crate::error::AppError;
use xinqiao_store::orgs::Org;

/// The bureaus under one bureau, itself included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Org ids, the root first.
    pub org_ids: Vec<String>,
    /// Their region codes (GB/T 2260), sorted.
    pub regions: Vec<String>,
    /// The root has no parent: the whole platform.
    pub everything: bool,
}

impl Scope {
    /// The bureau `root` and every bureau below it.
    pub fn below(orgs: &[Org], root: &str) -> Self {
        let Some(top) = orgs.iter().find(|o| o.id == root) else { return Self::default() };
        let mut ids = vec![top.id.clone()];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i].clone();
            ids.extend(orgs.iter().filter(|o| o.parent_id.as_deref() == Some(parent.as_str())).map(|o| o.id.clone()));
            i += 1;
        }
        let mut regions: Vec<String> =
            orgs.iter().filter(|o| ids.contains(&o.id)).map(|o| o.region_code.clone()).collect();
        regions.sort();
        regions.dedup();
        Self {
            org_ids: ids,
            regions,
            everything: top.parent_id.is_none() && orgs.iter().all(|o| o.parent_id.is_some() || o.id == top.id),
        }
    }

    /// What the person with bureau `org` sees (nothing without a bureau).
    pub async fn of_org(state: &AppState, org: Option<&str>) -> Result<Self, AppError> {
        match org {
            Some(id) => Ok(Self::below(&state.store.list_orgs().await?, id)),
            None => Ok(Self::default()),
        }
    }

    /// The scope of the bureau with region code `region`, if there is one.
    pub async fn of_region(state: &AppState, region: &str) -> Result<Option<Self>, AppError> {
        let orgs = state.store.list_orgs().await?;
        Ok(orgs.iter().find(|o| o.region_code == region).map(|o| Self::below(&orgs, &o.id)))
    }

    pub fn is_empty(&self) -> bool {
        self.org_ids.is_empty()
    }

    pub fn has_org(&self, id: &str) -> bool {
        self.org_ids.iter().any(|o| o == id)
    }

    pub fn has_region(&self, code: &str) -> bool {
        self.regions.binary_search_by(|r| r.as_str().cmp(code)).is_ok()
    }
}

impl crate::auth::Staff {
    /// The bureaus this staff member sees.
    pub async fn scope(&self, state: &AppState) -> Result<Scope, AppError> {
        Scope::of_org(state, self.user().org_id.as_deref()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, region: &str, parent: Option<&str>) -> Org {
        Org { id: id.into(), region_code: region.into(), name: id.into(), parent_id: parent.map(Into::into) }
    }

    #[test]
    fn a_bureau_sees_itself_and_below_never_beside_or_above() {
        let orgs = vec![
            org("js", "320000", None),
            org("sz", "320500", Some("js")),
            org("gs", "320508", Some("sz")),
            org("wz", "320506", Some("sz")),
            org("zj", "330000", None),
        ];
        let sz = Scope::below(&orgs, "sz");
        assert_eq!(sz.regions, ["320500", "320506", "320508"]);
        assert!(sz.has_region("320508") && !sz.has_region("320000") && !sz.has_region("330000"));
        assert!(!sz.everything);
        let gs = Scope::below(&orgs, "gs");
        assert_eq!(gs.org_ids, ["gs"]);
        assert!(!gs.has_org("wz"));
        assert!(!Scope::below(&orgs, "js").everything, "another province beside it");
        assert!(Scope::below(&orgs[..4], "js").everything, "the only root: the whole platform");
        assert!(Scope::below(&orgs, "nope").is_empty());
    }
}
