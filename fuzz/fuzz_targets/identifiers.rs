//! cargo-fuzz target: `xinqiao_domain::fuzzing::identifiers` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao_domain::fuzzing::identifiers(data));
