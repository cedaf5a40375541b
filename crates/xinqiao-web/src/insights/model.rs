//! What the insights pages share on one node: the taxonomy in force, the category model trained
//! on officers' confirmed cases, and the in-memory copy of the roll-ups (refreshed from the rows
//! the change-log follower touched since the last refresh).

use crate::AppState;
use crate::error::AppError;
use std::sync::{Arc, RwLock};
use xinqiao_domain::insights::{Axis, Cube, Evaluation, NaiveBayes, Taxonomy, evaluate, suggest, tokens};

/// The settings key of a bureau's edited taxonomy (TOML text).
pub const TAXONOMY_SETTING: &str = "insights.taxonomy";
/// How many of the newest confirmed cases train the model.
const TRAINING_CASES: i64 = 20_000;
/// Every n-th confirmed case is held out to measure the suggestions.
const HOLDOUT_EVERY: usize = 5;

#[derive(Default)]
pub struct Insights {
    taxonomy: RwLock<Option<Arc<Taxonomy>>>,
    model: RwLock<Option<Arc<Trained>>>,
    pub(crate) cube: tokio::sync::RwLock<CubeCopy>,
    /// One refresh of the cube at a time.
    pub(crate) refresh_turn: tokio::sync::Mutex<()>,
    /// The public statistics as last computed (epoch ms), so a busy public page costs little.
    pub(crate) publication: tokio::sync::Mutex<std::collections::HashMap<String, (i64, Arc<super::Publication>)>>,
}

impl std::fmt::Debug for Insights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insights").finish_non_exhaustive()
    }
}

/// The model with its measured accuracy.
pub struct Trained {
    pub model: NaiveBayes,
    pub evaluation: Evaluation,
    pub trained_at: i64,
}

/// The roll-up rows as this node last read them; `seq` is the newest row position read, and
/// `generation` the roll-ups' generation they belong to (a rebuild moves it on).
#[derive(Default)]
pub struct CubeCopy {
    pub cube: Cube,
    pub seq: i64,
    pub generation: i64,
}

/// The categories suggested for a new case.
#[derive(Debug, Clone, Default)]
pub struct Suggested {
    pub nature: Option<String>,
    pub subject: Option<String>,
}

impl AppState {
    /// The taxonomy in force: the bureau's edited one, else the shipped one.
    pub async fn taxonomy(&self) -> Result<Arc<Taxonomy>, AppError> {
        if let Some(t) = self.insights.taxonomy.read().expect("taxonomy lock").clone() {
            return Ok(t);
        }
        let edited: Option<String> = self.store.setting(TAXONOMY_SETTING).await?;
        let t = match edited.as_deref().map(Taxonomy::from_toml) {
            Some(Ok(t)) => t,
            Some(Err(e)) => {
                tracing::warn!(error = %e, "the edited taxonomy does not parse; using the shipped one");
                Taxonomy::shipped()
            }
            None => Taxonomy::shipped(),
        };
        let t = Arc::new(t);
        *self.insights.taxonomy.write().expect("taxonomy lock") = Some(t.clone());
        Ok(t)
    }

    /// Forgets the cached taxonomy (after a supervisor edited it).
    pub(crate) fn reload_taxonomy(&self) {
        *self.insights.taxonomy.write().expect("taxonomy lock") = None;
    }

    /// The model trained on confirmed cases, trained on first use.
    pub async fn category_model(&self) -> Result<Arc<Trained>, AppError> {
        if let Some(m) = self.insights.model.read().expect("model lock").clone() {
            return Ok(m);
        }
        self.retrain_categories().await
    }

    /// Trains the model anew on the newest confirmed cases (their masked narratives).
    pub async fn retrain_categories(&self) -> Result<Arc<Trained>, AppError> {
        let examples = self.store.confirmed_categories(TRAINING_CASES).await?;
        let detector = self.detector().await;
        let now = self.now_ms();
        let trained = tokio::task::spawn_blocking(move || {
            let labelled: Vec<(Vec<String>, String)> =
                examples.into_iter().map(|(text, label)| (tokens(detector.jieba(), &text), label)).collect();
            let evaluation = evaluate(&labelled, HOLDOUT_EVERY);
            Trained { model: NaiveBayes::train(labelled), evaluation, trained_at: now }
        })
        .await
        .map_err(|e| AppError::Internal(format!("training: {e}")))?;
        let trained = Arc::new(trained);
        *self.insights.model.write().expect("model lock") = Some(trained.clone());
        Ok(trained)
    }

    /// Suggests a problem nature and a goods/service category for a masked narrative.
    pub async fn suggest_categories(&self, text: &str) -> Suggested {
        let (Ok(taxonomy), Ok(model)) = (self.taxonomy().await, self.category_model().await) else {
            return Suggested::default();
        };
        let detector = self.detector().await;
        let toks = tokens(detector.jieba(), text);
        Suggested {
            nature: suggest(&taxonomy, Axis::Nature, Some(&model.model), &toks, text).map(|s| s.code),
            subject: suggest(&taxonomy, Axis::Subject, None, &toks, text).map(|s| s.code),
        }
    }
}
