//! cargo-fuzz target: `xinqiao::fuzzing::import_table` (the import parsers the command runs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao::fuzzing::import_table(data));
