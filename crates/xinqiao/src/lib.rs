//! The parts of the `xinqiao` command that read outside files — the directory imports (CSV or
//! XLSX) and the case import (CSV) — as a library (parsing only; the commands that store live in
//! the binary), so the fuzz targets in `fuzz/` and the tests
//! can drive the same code the command runs.

#![forbid(unsafe_code)]

pub mod case_rows;
#[doc(hidden)]
pub mod fuzzing;
pub mod import_file;
pub mod tables;
