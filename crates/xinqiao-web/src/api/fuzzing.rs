//! The API's JSON bodies on arbitrary bytes, for the cargo-fuzz target `api_json` and a short run
//! in the tests: every body becomes its request type or is answered 400/422 through the same
//! mapping as [`crate::extract::ApiJson`], never a panic; an intake form that decodes is also
//! validated.

use crate::extract::json_error;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::IntakeForm;

fn decode<T: DeserializeOwned>(data: &[u8]) -> Option<T> {
    match axum::Json::<T>::from_bytes(data) {
        Ok(axum::Json(v)) => Some(v),
        Err(rejection) => {
            let err = json_error(&rejection);
            assert!(matches!(err.status(), StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY), "{err:?}");
            assert!(!err.to_string().is_empty());
            None
        }
    }
}

/// Decodes `data` as every request body the API takes.
pub fn api_json(data: &[u8]) {
    use super::{accounts, calendar, cases, knowledge, qualification, qualification_roster};
    decode::<accounts::TokenRequest>(data);
    decode::<accounts::CreateUser>(data);
    decode::<accounts::UpdateUser>(data);
    decode::<calendar::NoticeUpload>(data);
    decode::<cases::RatingRequest>(data);
    decode::<cases::SettlementAnswer>(data);
    decode::<knowledge::LintRequest>(data);
    decode::<qualification::Answers>(data);
    decode::<qualification::AppealRequest>(data);
    decode::<qualification::DiscussionRequest>(data);
    decode::<qualification::DrawRequest>(data);
    decode::<qualification::EvidenceRequest>(data);
    decode::<qualification::FrameworkRevision>(data);
    decode::<qualification::ParamsDoc>(data);
    decode::<qualification::ScoresRequest>(data);
    decode::<qualification_roster::StateChange>(data);
    decode::<crate::qualification::dossier::DossierInput>(data);
    decode::<crate::qualification::review::ReviewInput>(data);
    if let Some(form) = decode::<IntakeForm>(data) {
        let today = Date::from_ymd(2026, 5, 20).expect("a date");
        let _ = form.validate(today);
    }
}

#[cfg(test)]
mod tests {
    use xinqiao_domain::fuzzing::mutations;

    #[test]
    fn json_bodies_never_panic() {
        let mut seeds: Vec<Vec<u8>> = [
            r#"{"username":"officer.li","password":"x"}"#,
            r#"{"kind":"complaint","enterprise_name":"苏州姑苏示例健身管理有限公司","uscc":"91110000600037341L","industry":"R","region_code":"320508","narrative":"健身房关门","amount":"5000","demand":"退款","name":"李秀英","mobile":"13812345678","address":"苏州市姑苏区人民路88号"}"#,
            r#"{"rating":5,"comment":"\u00e5\ud83d\ude00"}"#,
            r#"{"answers":[{"id":"q1","choice":2}],"scores":{"a":1.5e308},"roles":["officer"]}"#,
            r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        seeds.push(b"{\"year\":2026,\"days\":[\"2026-01-01\"],\"text\":\"\xE4\xBD\"}".to_vec());
        let tokens: [&[u8]; 8] = [b"{", b"}", b"[", b"\"", b":", b"null", b"-1e999", b"\\u0000"];
        mutations(&seeds, &tokens, 3_000, super::api_json);
    }
}
