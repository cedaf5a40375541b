//! cargo-fuzz target: `xinqiao::fuzzing::import_cases` (the import parsers the command runs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao::fuzzing::import_cases(data));
