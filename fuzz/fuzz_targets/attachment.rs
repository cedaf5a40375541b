//! cargo-fuzz target: `xinqiao_domain::fuzzing::attachment` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao_domain::fuzzing::attachment(data));
