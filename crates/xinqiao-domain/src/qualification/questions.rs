//! 题库: the written test's question bank — 法律法规 and 业务流程 single- and multiple-choice items
//! with citations and an explanation for every option, and situational-judgement items written
//! from the seed's cases with every option scored and explained.
//!
//! The shipped bank (`data/question-bank.toml`) is a set of examples for the bureau to review
//! (`example = true` on every item, `verified = false` on the bank). Citations name a law by its
//! id in `data/laws.toml`; an article is given only where it is certain.

use super::framework::Framework;
use super::is_code;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The bank shipped with Xinqiao.
pub const QUESTION_BANK_TOML: &str = include_str!("../../data/question-bank.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    SingleChoice,
    MultipleChoice,
    SituationalJudgement,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::SingleChoice, ItemKind::MultipleChoice, ItemKind::SituationalJudgement];

    pub fn code(self) -> &'static str {
        match self {
            ItemKind::SingleChoice => "single_choice",
            ItemKind::MultipleChoice => "multiple_choice",
            ItemKind::SituationalJudgement => "situational_judgement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::SingleChoice => "单选题",
            ItemKind::MultipleChoice => "多选题",
            ItemKind::SituationalJudgement => "情境判断题",
        }
    }

    pub fn is_choice(self) -> bool {
        self != ItemKind::SituationalJudgement
    }
}

/// A citation: a law of `data/laws.toml` by id, and the article when it is certain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cite {
    pub law: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// "A", "B" …
    pub key: String,
    pub text: String,
    /// Choice items: whether this option is (one of) the right answer(s).
    #[serde(default)]
    pub correct: bool,
    /// Situational-judgement items: 0 … the bank's `sjt_max_score`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// Why this option is right, wrong, or worth its score.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub dimension: String,
    pub criterion: String,
    /// The item's full marks.
    pub points: u32,
    pub stem: String,
    #[serde(default)]
    pub citations: Vec<Cite>,
    /// An example awaiting the bureau's review.
    pub example: bool,
    pub options: Vec<ChoiceOption>,
}

impl Item {
    pub fn option(&self, key: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.key == key)
    }

    /// The keys of the correct options (choice items).
    pub fn correct_keys(&self) -> BTreeSet<&str> {
        self.options.iter().filter(|o| o.correct).map(|o| o.key.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    pub version: String,
    pub title: String,
    pub source: String,
    pub verified: bool,
    pub note: String,
    /// The best score of a situational-judgement option.
    pub sjt_max_score: u8,
    pub items: Vec<Item>,
}

fn bad(code: &'static str, message: String) -> FieldError {
    FieldError::new("question_bank", code, message)
}

impl QuestionBank {
    /// The shipped example bank, checked against the shipped framework.
    pub fn shipped() -> Self {
        let bank = Self::from_toml(QUESTION_BANK_TOML).expect("the shipped question bank is valid (tested)");
        bank.check_against(&Framework::shipped()).expect("the shipped bank fits the shipped framework (tested)");
        bank
    }

    pub fn from_toml(text: &str) -> Result<Self, FieldError> {
        let bank: QuestionBank =
            toml::from_str(text).map_err(|e| bad("bad_toml", format!("题库文件格式有误：{}", e.message())))?;
        bank.validate()?;
        Ok(bank)
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Items per kind.
    pub fn count_by_kind(&self) -> BTreeMap<ItemKind, usize> {
        let mut out = BTreeMap::new();
        for i in &self.items {
            *out.entry(i.kind).or_insert(0) += 1;
        }
        out
    }

    /// Items per dimension code.
    pub fn count_by_dimension(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for i in &self.items {
            *out.entry(i.dimension.as_str()).or_insert(0) += 1;
        }
        out
    }

    /// The bank's own rules (see each message).
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.version.trim().is_empty() {
            return Err(bad("empty_field", "题库须有版本号".into()));
        }
        if self.sjt_max_score == 0 {
            return Err(bad("bad_max_score", "情境判断题的最高分须大于 0".into()));
        }
        if self.items.is_empty() {
            return Err(bad("empty_bank", "题库中没有题目".into()));
        }
        let mut ids = BTreeSet::new();
        for item in &self.items {
            if !is_code(&item.id) {
                return Err(bad("bad_id", format!("题目编号“{}”须为小写英文字母、数字和下划线", item.id)));
            }
            if !ids.insert(item.id.as_str()) {
                return Err(bad("duplicate_id", format!("题目编号“{}”重复", item.id)));
            }
            self.validate_item(item)?;
        }
        Ok(())
    }

    fn validate_item(&self, item: &Item) -> Result<(), FieldError> {
        let id = &item.id;
        if item.stem.trim().is_empty() || item.points == 0 {
            return Err(bad("empty_field", format!("题目“{id}”缺少题干或分值")));
        }
        if item.options.len() < 2 {
            return Err(bad("too_few_options", format!("题目“{id}”至少要有两个选项")));
        }
        let mut keys = BTreeSet::new();
        for o in &item.options {
            if o.key.trim().is_empty() || !keys.insert(o.key.as_str()) {
                return Err(bad("bad_option_key", format!("题目“{id}”的选项标号“{}”为空或重复", o.key)));
            }
            if o.text.trim().is_empty() || o.explanation.trim().is_empty() {
                return Err(bad("unexplained_option", format!("题目“{id}”的选项 {} 缺少内容或解析", o.key)));
            }
        }
        if item.citations.iter().any(|c| c.law.trim().is_empty()) {
            return Err(bad("bad_citation", format!("题目“{id}”的引用缺少法规")));
        }
        let correct = item.options.iter().filter(|o| o.correct).count();
        match item.kind {
            ItemKind::SingleChoice | ItemKind::MultipleChoice => {
                if item.options.iter().any(|o| o.score.is_some()) {
                    return Err(bad("score_on_choice", format!("选择题“{id}”的选项不应设分值，请用 correct 标明答案")));
                }
                if item.citations.is_empty() {
                    return Err(bad("no_citation", format!("选择题“{id}”须注明法规依据")));
                }
                if item.kind == ItemKind::SingleChoice && correct != 1 {
                    return Err(bad("bad_answer", format!("单选题“{id}”须恰有一个正确选项，实有 {correct} 个")));
                }
                if item.kind == ItemKind::MultipleChoice && correct < 2 {
                    return Err(bad("bad_answer", format!("多选题“{id}”至少须有两个正确选项，实有 {correct} 个")));
                }
            }
            ItemKind::SituationalJudgement => {
                if correct > 0 {
                    return Err(bad("correct_on_sjt", format!("情境判断题“{id}”按分值计分，不应标明 correct")));
                }
                let max = self.sjt_max_score;
                if let Some(o) = item.options.iter().find(|o| o.score.is_none_or(|s| s > max)) {
                    return Err(bad(
                        "unscored_option",
                        format!("情境判断题“{id}”的选项 {} 须有 0 至 {max} 分的分值", o.key),
                    ));
                }
                if !item.options.iter().any(|o| o.score == Some(max)) {
                    return Err(bad("no_best_option", format!("情境判断题“{id}”没有得满分（{max} 分）的选项")));
                }
            }
        }
        Ok(())
    }

    /// Every item's dimension and criterion exist in the framework, the criterion under that
    /// dimension.
    pub fn check_against(&self, framework: &Framework) -> Result<(), FieldError> {
        for item in &self.items {
            match framework.criterion(&item.criterion) {
                Some((d, _)) if d.code == item.dimension => {}
                Some((d, _)) => {
                    return Err(bad(
                        "criterion_elsewhere",
                        format!(
                            "题目“{}”的指标“{}”属于维度“{}”，不属于“{}”",
                            item.id, item.criterion, d.code, item.dimension
                        ),
                    ));
                }
                None => {
                    return Err(bad(
                        "unknown_criterion",
                        format!("题目“{}”的指标“{}”不在框架 {} 版中", item.id, item.criterion, framework.version),
                    ));
                }
            }
        }
        Ok(())
    }
}
