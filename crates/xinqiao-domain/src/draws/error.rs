//! What can be wrong with a draw task, its randomness or a published draw file: one enum, a stable
//! machine code per variant (`code()`) and a Chinese message for the supervisor or the public.

use super::task::RiskClass;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("“{field}”不能为空")]
    EmptyField { field: &'static str },
    #[error("“{field}”含有控制字符（如换行、制表符），请删除后再提交")]
    ControlCharacter { field: &'static str },
    #[error("抽查对象名录为空，无法抽取")]
    PoolEmpty,
    #[error("执法检查人员名录为空，无法选派")]
    NoInspectors,
    #[error("统一社会信用代码“{uscc}”无效：{message}")]
    BadUscc { uscc: String, message: String },
    #[error("统一社会信用代码“{uscc}”在名录中重复出现")]
    DuplicateUscc { uscc: String },
    #[error("抽查对象名录须按统一社会信用代码升序排列，第 {position} 条“{uscc}”顺序不对")]
    PoolNotCanonical { position: usize, uscc: String },
    #[error("执法证号“{cert_no}”无效：不能为空，也不能含有空白或控制字符")]
    BadCertNo { cert_no: String },
    #[error("执法证号“{cert_no}”在人员名录中重复出现")]
    DuplicateInspector { cert_no: String },
    #[error("执法人员名录须按执法证号升序排列，第 {position} 条“{cert_no}”顺序不对")]
    InspectorsNotCanonical { position: usize, cert_no: String },
    #[error("每个检查对象至少须选派 2 名执法人员（行政处罚法要求两名以上执法人员），当前设置为 {given} 名")]
    TooFewInspectorsPerTarget { given: u32 },
    #[error("执法人员名录只有 {available} 人，少于每个检查对象所需的 {needed} 人")]
    InspectorsFewerThanTeam { available: usize, needed: u32 },
    #[error("每名执法人员最多检查的对象数须至少为 1")]
    MaxPerInspectorZero,
    #[error("{risk}类的抽查比例须在 0‰ 至 1000‰ 之间，当前为 {permille}‰")]
    RatioOutOfRange { risk: RiskClass, permille: u32 },
    #[error("名录中有{risk}类对象，但任务没有设定{risk}类的抽查比例或户数")]
    MissingSampling { risk: RiskClass },
    #[error("回避或轮换记录引用了名录中没有的{what}“{value}”")]
    UnknownInExclusion { what: &'static str, value: String },
    #[error("回避与轮换记录须按执法证号、统一社会信用代码、原因升序排列且不重复，第 {position} 条顺序不对或重复")]
    ExclusionsNotCanonical { position: usize },
    #[error("没有公布随机数来源，无法抽取")]
    NoSources,
    #[error("随机数来源名称“{name}”重复")]
    DuplicateSource { name: String },
    #[error("随机数来源“{name}”尚未录入开奖结果，不能抽取")]
    SourceValueMissing { name: String },
    #[error("随机数来源“{name}”的值“{value}”无效：{reason}")]
    SourceValueInvalid { name: String, value: String, reason: &'static str },
    #[error("抽取数量 {count} 超过了名录中的 {pool} 个")]
    CountExceedsPool { count: usize, pool: usize },
    #[error("名录或抽取数量超出上限（至多 {max} 个）")]
    TooLarge { max: u64 },
    #[error("抽取文件格式有误：{0}")]
    BadDocument(String),
    #[error("不支持的抽取文件版本“{0}”（本程序支持 xinqiao-draw/1）")]
    UnsupportedFormat(String),
    #[error("文件中没有公布的抽取结果，无从核对")]
    NothingToVerify,
    #[error("检查结果类别数据有误：{0}")]
    BadData(String),
}

impl DrawError {
    /// A stable, machine-readable code (for the API's `{"error":{"code","message"}}`).
    pub fn code(&self) -> &'static str {
        match self {
            DrawError::EmptyField { .. } => "draw_empty_field",
            DrawError::ControlCharacter { .. } => "draw_control_character",
            DrawError::PoolEmpty => "draw_pool_empty",
            DrawError::NoInspectors => "draw_no_inspectors",
            DrawError::BadUscc { .. } => "draw_bad_uscc",
            DrawError::DuplicateUscc { .. } => "draw_duplicate_uscc",
            DrawError::PoolNotCanonical { .. } => "draw_pool_not_canonical",
            DrawError::BadCertNo { .. } => "draw_bad_cert_no",
            DrawError::DuplicateInspector { .. } => "draw_duplicate_inspector",
            DrawError::InspectorsNotCanonical { .. } => "draw_inspectors_not_canonical",
            DrawError::TooFewInspectorsPerTarget { .. } => "draw_too_few_inspectors_per_target",
            DrawError::InspectorsFewerThanTeam { .. } => "draw_inspectors_fewer_than_team",
            DrawError::MaxPerInspectorZero => "draw_max_per_inspector_zero",
            DrawError::RatioOutOfRange { .. } => "draw_ratio_out_of_range",
            DrawError::MissingSampling { .. } => "draw_missing_sampling",
            DrawError::UnknownInExclusion { .. } => "draw_unknown_in_exclusion",
            DrawError::ExclusionsNotCanonical { .. } => "draw_exclusions_not_canonical",
            DrawError::NoSources => "draw_no_sources",
            DrawError::DuplicateSource { .. } => "draw_duplicate_source",
            DrawError::SourceValueMissing { .. } => "draw_source_value_missing",
            DrawError::SourceValueInvalid { .. } => "draw_source_value_invalid",
            DrawError::CountExceedsPool { .. } => "draw_count_exceeds_pool",
            DrawError::TooLarge { .. } => "draw_too_large",
            DrawError::BadDocument(_) => "draw_bad_document",
            DrawError::UnsupportedFormat(_) => "draw_unsupported_format",
            DrawError::NothingToVerify => "draw_nothing_to_verify",
            DrawError::BadData(_) => "draw_bad_data",
        }
    }
}
