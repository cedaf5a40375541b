//! How the insights pages name what they count: categories and regions (`Names`), industries,
//! shares and amounts. Shared by the dashboard, the warnings, the campaigns and the public
//! statistics.

use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::insights::Axis;
use xinqiao_domain::insights::Taxonomy;
use xinqiao_domain::insights::taxonomy::{UNCLASSIFIED, UNCLASSIFIED_LABEL};

pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// Names for the view's codes.
pub struct Names {
    pub taxonomy: std::sync::Arc<Taxonomy>,
    pub regions: std::collections::HashMap<String, String>,
    pub enterprises: std::collections::HashMap<String, String>,
}

impl Names {
    /// The taxonomy in force and the bureaus' names by region code; enterprise names are added
    /// by whoever needs them.
    pub async fn load(state: &AppState) -> Result<Self, AppError> {
        Ok(Self {
            taxonomy: state.taxonomy().await?,
            regions: state.store.list_orgs().await?.into_iter().map(|o| (o.region_code, o.name)).collect(),
            enterprises: Default::default(),
        })
    }

    pub fn category(&self, code: &str) -> String {
        if code == UNCLASSIFIED || code.is_empty() {
            return UNCLASSIFIED_LABEL.to_owned();
        }
        self.taxonomy.entry(Axis::Nature, code).map_or_else(|| code.to_owned(), |e| e.label.clone())
    }

    pub fn region(&self, code: &str) -> String {
        match self.regions.get(code) {
            Some(name) => format!("{name}（{code}）"),
            None => code.to_owned(),
        }
    }
}

pub fn industry_name(code: &str) -> String {
    match Industry::parse(code) {
        Ok(i) => format!("{} {}", i.code(), i.label()),
        Err(_) => "未注明".to_owned(),
    }
}
