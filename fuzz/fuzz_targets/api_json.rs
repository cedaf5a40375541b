//! cargo-fuzz target: every JSON request body of the API (`xinqiao_web::api::fuzzing::api_json`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao_web::api::fuzzing::api_json(data));
