//! The parts of the `xinqiao` command that read outside files — the directory imports (CSV or
//! XLSX) and the case import (CSV) — as a library, so the fuzz targets in `fuzz/` and the tests
//! can drive the same code the command runs.

#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod import_cases;
pub mod progress;
