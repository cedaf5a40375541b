//! cargo-fuzz target: the masker's public API (`Detector::detect`, `Detector::mask`) on arbitrary
//! text, through `xinqiao_domain::fuzzing::masker`.
#![no_main]

use std::sync::LazyLock;
use xinqiao_domain::privacy::Detector;

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| xinqiao_domain::fuzzing::masker(&DETECTOR, data));
