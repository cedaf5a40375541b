//! Why the store refused a change that was valid in itself: the state it found was not the one
//! the change expected (someone else changed the case first, a name is taken …). One enum per
//! feature, carried by `StoreError::Conflict`; the web says each in Chinese with a stable code
//! in one place (`xinqiao-web/src/error.rs`). The ledger, incidents, Open311, integrity and
//! deferred-acceptance modules keep their own typed errors.

/// A conflict, by feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Case(CaseConflict),
    Knowledge(KnowledgeConflict),
    Qualification(QualificationConflict),
    Inspection(InspectionConflict),
    Warning(WarningConflict),
    Account(AccountConflict),
    Org(OrgConflict),
    /// A unique constraint no operation names: the constraint (or the database's message).
    Unique(String),
}

/// Changes to cases (status, clock, files, settlement, merge, ties).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseConflict {
    /// Someone else changed the case's status between reading it and this change.
    ChangedMeanwhile,
    /// The case has ended: nothing more can be added to it.
    Closed,
    /// The workflow does not allow this action in the case's status.
    NotAllowed,
    /// The clock is already paused (a second pause) or not paused (a resume).
    PauseState,
    /// The report to merge into is not an open report, or is the same one.
    MergeTarget,
    /// The case was rated already (or is not closed).
    AlreadyRated,
    /// The case would carry more files than allowed.
    TooManyFiles,
    /// The masking was confirmed already.
    MaskingConfirmed,
    /// No open settlement proposal to answer.
    NoOpenProposal,
    /// The officer stepped aside from this case already.
    AlreadyRecused,
    /// A tie override was granted for this case already.
    OverrideGranted,
    /// The enterprise takes part in online dispute resolution already.
    AlreadyInOdr,
    /// A closure of this case waits for the supervisor's review already (审核办结).
    ClosurePending,
    /// No closure of this case waits for review (decided meanwhile, or never asked).
    NoPendingClosure,
}

/// Q&A entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnowledgeConflict {
    /// Someone saved a newer version since the editor read it.
    VersionChanged,
    /// The entry's status changed since it was read.
    StatusChanged,
}

/// 评审员 assessments, frameworks and certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualificationConflict {
    AssessmentClosed,
    AlreadyAppealed,
    TestSubmitted,
    PanelDrawn,
    NotOnPanel,
    FrameworkVersionTaken,
    CertificateNumberTaken,
    ReinstatementPending,
}

/// 双随机 draws and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionConflict {
    /// The task was drawn (or closed) already.
    AlreadyDrawn,
    /// The results were published already.
    ResultsPublished,
}

/// Early warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningConflict {
    /// Someone else changed the warning's status first.
    ChangedMeanwhile,
}

/// Accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountConflict {
    UsernameTaken,
}

/// Bureaus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgConflict {
    /// The region already has a bureau.
    RegionTaken,
}

impl Conflict {
    /// The typed conflict a unique constraint stands for (PostgreSQL names the constraint;
    /// SQLite says `UNIQUE constraint failed: table.column`).
    pub fn of_constraint(constraint: &str) -> Conflict {
        let c = constraint;
        if c.contains("qual_frameworks") {
            Conflict::Qualification(QualificationConflict::FrameworkVersionTaken)
        } else if c.contains("qual_certificates") {
            Conflict::Qualification(QualificationConflict::CertificateNumberTaken)
        } else if c.contains("odr_enterprises") {
            Conflict::Case(CaseConflict::AlreadyInOdr)
        } else if c.contains("case_recusals") {
            Conflict::Case(CaseConflict::AlreadyRecused)
        } else if c.contains("case_closure_requests") {
            Conflict::Case(CaseConflict::ClosurePending)
        } else if c.contains("case_tie_overrides") {
            Conflict::Case(CaseConflict::OverrideGranted)
        } else if c.contains("username") || c.contains("users") {
            Conflict::Account(AccountConflict::UsernameTaken)
        } else if c.contains("region_code") || c.contains("orgs") {
            Conflict::Org(OrgConflict::RegionTaken)
        } else {
            Conflict::Unique(c.to_owned())
        }
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::Unique(c) => write!(f, "unique:{c}"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl From<CaseConflict> for crate::StoreError {
    fn from(c: CaseConflict) -> Self {
        crate::StoreError::Conflict(Conflict::Case(c))
    }
}

impl From<KnowledgeConflict> for crate::StoreError {
    fn from(c: KnowledgeConflict) -> Self {
        crate::StoreError::Conflict(Conflict::Knowledge(c))
    }
}

impl From<QualificationConflict> for crate::StoreError {
    fn from(c: QualificationConflict) -> Self {
        crate::StoreError::Conflict(Conflict::Qualification(c))
    }
}

impl From<InspectionConflict> for crate::StoreError {
    fn from(c: InspectionConflict) -> Self {
        crate::StoreError::Conflict(Conflict::Inspection(c))
    }
}

impl From<WarningConflict> for crate::StoreError {
    fn from(c: WarningConflict) -> Self {
        crate::StoreError::Conflict(Conflict::Warning(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_name_their_conflicts() {
        assert_eq!(Conflict::of_constraint("users_username_key"), Conflict::Account(AccountConflict::UsernameTaken));
        assert_eq!(
            Conflict::of_constraint("UNIQUE constraint failed: users.username"),
            Conflict::Account(AccountConflict::UsernameTaken)
        );
        assert_eq!(Conflict::of_constraint("orgs_region_code_key"), Conflict::Org(OrgConflict::RegionTaken));
        assert_eq!(
            Conflict::of_constraint("qual_frameworks_pkey"),
            Conflict::Qualification(QualificationConflict::FrameworkVersionTaken)
        );
        assert_eq!(Conflict::of_constraint("odr_enterprises_pkey"), Conflict::Case(CaseConflict::AlreadyInOdr));
        assert_eq!(
            Conflict::of_constraint("UNIQUE constraint failed: case_closure_requests.case_id"),
            Conflict::Case(CaseConflict::ClosurePending)
        );
        assert_eq!(Conflict::of_constraint("case_closure_requests_open"), Conflict::Case(CaseConflict::ClosurePending));
        assert_eq!(Conflict::of_constraint("x_key"), Conflict::Unique("x_key".into()));
    }

    /// No store module raises a conflict as a string any more.
    #[test]
    fn no_conflict_is_a_string() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (n, line) in text.lines().enumerate() {
                        if line.contains("StoreError::Conflict(\"")
                            || line.contains("Conflict(\"") && line.contains(".into()")
                        {
                            found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "string conflicts:\n{}", found.join("\n"));
    }
}
