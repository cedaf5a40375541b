//! The checks a task must pass before it is committed (and again before it is drawn or verified):
//! text fields, parameters, canonical order of the pool, the inspectors and the exclusions, and
//! the sources. At reveal, every source must also hold a readable value.

use super::error::DrawError;
use super::results::MIN_INSPECTORS_PER_TARGET;
use super::rfc3797::{self, MAX_ENTRIES};
use super::task::{DrawTask, RiskClass, Sampling};
use crate::ids::Uscc;
use std::collections::{BTreeSet, HashSet};

fn text(field: &'static str, value: &str, required: bool) -> Result<(), DrawError> {
    if required && value.trim().is_empty() {
        return Err(DrawError::EmptyField { field });
    }
    if value.chars().any(char::is_control) {
        return Err(DrawError::ControlCharacter { field });
    }
    Ok(())
}

impl DrawTask {
    /// Everything that must hold when the task is committed. Source values are not required.
    pub fn validate(&self) -> Result<(), DrawError> {
        text("任务编号", &self.id, true)?;
        text("任务名称", &self.title, true)?;
        text("抽查范围", &self.scope, false)?;
        for item in &self.items {
            text("抽查事项", item, true)?;
        }
        self.validate_parameters()?;
        self.validate_pool()?;
        self.validate_inspectors()?;
        self.validate_exclusions()?;
        self.validate_sources()
    }

    fn validate_parameters(&self) -> Result<(), DrawError> {
        let p = &self.parameters;
        if p.inspectors_per_target < MIN_INSPECTORS_PER_TARGET {
            return Err(DrawError::TooFewInspectorsPerTarget { given: p.inspectors_per_target });
        }
        if p.max_targets_per_inspector == 0 {
            return Err(DrawError::MaxPerInspectorZero);
        }
        for (&risk, &rule) in &p.sampling {
            if let Sampling::Permille(permille) = rule
                && permille > 1000
            {
                return Err(DrawError::RatioOutOfRange { risk, permille });
            }
        }
        Ok(())
    }

    fn validate_pool(&self) -> Result<(), DrawError> {
        if self.targets.is_empty() {
            return Err(DrawError::PoolEmpty);
        }
        if self.targets.len() as u64 > MAX_ENTRIES {
            return Err(DrawError::TooLarge { max: MAX_ENTRIES });
        }
        let mut classes = BTreeSet::new();
        for (i, t) in self.targets.iter().enumerate() {
            match Uscc::parse(&t.uscc) {
                Ok(parsed) if parsed.as_str() == t.uscc => {}
                Ok(_) => {
                    let message = "须写成18位大写、不含空格的规范形式".to_owned();
                    return Err(DrawError::BadUscc { uscc: t.uscc.clone(), message });
                }
                Err(e) => return Err(DrawError::BadUscc { uscc: t.uscc.clone(), message: e.message }),
            }
            text("企业名称", &t.name, true)?;
            if i > 0 {
                let prev = &self.targets[i - 1].uscc;
                if *prev == t.uscc {
                    return Err(DrawError::DuplicateUscc { uscc: t.uscc.clone() });
                }
                if *prev > t.uscc {
                    return Err(DrawError::PoolNotCanonical { position: i + 1, uscc: t.uscc.clone() });
                }
            }
            classes.insert(t.risk);
        }
        if let Some(&risk) = classes.iter().find(|r| !self.parameters.sampling.contains_key(r)) {
            return Err(DrawError::MissingSampling { risk });
        }
        Ok(())
    }

    fn validate_inspectors(&self) -> Result<(), DrawError> {
        if self.inspectors.is_empty() {
            return Err(DrawError::NoInspectors);
        }
        for (i, p) in self.inspectors.iter().enumerate() {
            if p.cert_no.is_empty() || p.cert_no.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(DrawError::BadCertNo { cert_no: p.cert_no.clone() });
            }
            text("执法人员姓名", &p.name, true)?;
            text("执法人员所在单位", &p.unit, false)?;
            if i > 0 {
                let prev = &self.inspectors[i - 1].cert_no;
                if *prev == p.cert_no {
                    return Err(DrawError::DuplicateInspector { cert_no: p.cert_no.clone() });
                }
                if *prev > p.cert_no {
                    return Err(DrawError::InspectorsNotCanonical { position: i + 1, cert_no: p.cert_no.clone() });
                }
            }
        }
        let needed = self.parameters.inspectors_per_target;
        if (self.inspectors.len() as u64) < u64::from(needed) {
            return Err(DrawError::InspectorsFewerThanTeam { available: self.inspectors.len(), needed });
        }
        Ok(())
    }

    fn validate_exclusions(&self) -> Result<(), DrawError> {
        for (i, e) in self.exclusions.iter().enumerate() {
            if self.inspectors.binary_search_by(|p| p.cert_no.cmp(&e.inspector)).is_err() {
                return Err(DrawError::UnknownInExclusion { what: "执法证号", value: e.inspector.clone() });
            }
            if self.targets.binary_search_by(|t| t.uscc.cmp(&e.uscc)).is_err() {
                return Err(DrawError::UnknownInExclusion { what: "统一社会信用代码", value: e.uscc.clone() });
            }
            if i > 0 && self.exclusions[i - 1] >= *e {
                return Err(DrawError::ExclusionsNotCanonical { position: i + 1 });
            }
        }
        Ok(())
    }

    fn validate_sources(&self) -> Result<(), DrawError> {
        if self.sources.is_empty() {
            return Err(DrawError::NoSources);
        }
        let mut names = HashSet::new();
        for s in &self.sources {
            text("随机数来源名称", &s.name, true)?;
            text("随机数来源说明", &s.description, true)?;
            if !names.insert(s.name.trim()) {
                return Err(DrawError::DuplicateSource { name: s.name.clone() });
            }
        }
        Ok(())
    }

    /// The RFC 3797 key from the revealed source values; an error names the first source without a
    /// value or with a value that cannot be read as announced.
    pub fn key(&self) -> Result<String, DrawError> {
        let mut pairs = Vec::with_capacity(self.sources.len());
        for s in &self.sources {
            let value = s.value.as_deref().ok_or_else(|| DrawError::SourceValueMissing { name: s.name.clone() })?;
            pairs.push((s.kind, value));
        }
        rfc3797::key(pairs).map_err(|(i, reason)| DrawError::SourceValueInvalid {
            name: self.sources[i].name.clone(),
            value: self.sources[i].value.clone().unwrap_or_default(),
            reason,
        })
    }

    /// How many targets each risk class present in the pool contributes, in class order.
    pub fn planned_counts(&self) -> Vec<(RiskClass, usize, usize)> {
        RiskClass::ALL
            .into_iter()
            .filter_map(|risk| {
                let eligible = self.targets.iter().filter(|t| t.risk == risk).count();
                let rule = self.parameters.sampling.get(&risk)?;
                Some((risk, eligible, rule.count_for(eligible)))
            })
            .collect()
    }
}
