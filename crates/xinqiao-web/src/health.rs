//! What is degraded right now, for `/readyz` and `/metrics`: storage (a write failed for want of
//! space, a read-only directory, an I/O error), the search index, the roll-ups follower. Each
//! component is marked when something fails and cleared when it works again — by the next
//! successful write, the follower's next good step, or `/readyz` probing the database itself.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A part of the platform that can be degraded while the rest serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    /// The database takes no writes (full disk, read-only, I/O error) or does not answer.
    Storage,
    /// The full-text index cannot be updated (its writer failed, or it lags behind).
    Search,
    /// The roll-ups follower cannot apply changes.
    Insights,
}

impl Component {
    pub const ALL: [Component; 3] = [Component::Storage, Component::Search, Component::Insights];

    pub fn code(self) -> &'static str {
        match self {
            Component::Storage => "storage",
            Component::Search => "search",
            Component::Insights => "insights",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Component::Storage => "数据存储",
            Component::Search => "全文检索",
            Component::Insights => "统计汇总",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Since when, and why, a component is degraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    pub since_ms: i64,
    /// Chinese, for people; never personal data.
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Health {
    troubles: Mutex<BTreeMap<Component, Trouble>>,
    /// Times each component went from working to degraded.
    episodes: [AtomicU64; 3],
}

impl Health {
    /// Marks `component` degraded (keeping the first `since` of an ongoing episode).
    pub fn degraded(&self, component: Component, now_ms: i64, reason: impl Into<String>) {
        let reason = reason.into();
        let mut t = self.troubles.lock().unwrap_or_else(|e| e.into_inner());
        match t.get_mut(&component) {
            Some(trouble) => trouble.reason = reason,
            None => {
                tracing::warn!(component = component.code(), "component degraded");
                self.episodes[component.index()].fetch_add(1, Ordering::Relaxed);
                t.insert(component, Trouble { since_ms: now_ms, reason });
            }
        }
    }

    /// Marks `component` working again.
    pub fn recovered(&self, component: Component) {
        if self.troubles.lock().unwrap_or_else(|e| e.into_inner()).remove(&component).is_some() {
            tracing::info!(component = component.code(), "component recovered");
        }
    }

    pub fn trouble(&self, component: Component) -> Option<Trouble> {
        self.troubles.lock().unwrap_or_else(|e| e.into_inner()).get(&component).cloned()
    }

    /// Every degraded component, in a fixed order.
    pub fn troubles(&self) -> Vec<(Component, Trouble)> {
        self.troubles.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(c, t)| (*c, t.clone())).collect()
    }

    pub fn episodes(&self, component: Component) -> u64 {
        self.episodes[component.index()].load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_episode_keeps_its_start_and_counts_once() {
        let h = Health::default();
        h.degraded(Component::Search, 10, "索引写入失败");
        h.degraded(Component::Search, 20, "仍然失败");
        assert_eq!(h.trouble(Component::Search), Some(Trouble { since_ms: 10, reason: "仍然失败".into() }));
        assert_eq!(h.episodes(Component::Search), 1);
        h.recovered(Component::Search);
        assert!(h.troubles().is_empty());
        h.degraded(Component::Search, 30, "again");
        assert_eq!(h.episodes(Component::Search), 2);
    }
}
