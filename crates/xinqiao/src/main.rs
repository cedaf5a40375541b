//! The `xinqiao` binary: parses the command line and calls the libraries. Any failure is one
//! readable line on stderr and a non-zero exit, never a panic trace.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod draw;
mod r#gen;
mod ids_check;
mod import;
mod import_cases;
mod keys;
mod maintenance;
mod progress;
mod run;

use xinqiao::import_file;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: the bulk import allocates and frees per case on every
/// core, and glibc's arenas were a sixth of its CPU (BENCHMARKS.md, issue 22).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Everything this process writes (database, index, secrets, backups) is its owner's alone.
    xinqiao_web::private::restrict_new_files();
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}
