//! cargo-fuzz target: `xinqiao_domain::fuzzing::pdf` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao_domain::fuzzing::pdf(data));
