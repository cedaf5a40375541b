//! The `xinqiao` command as an operator uses it: the real binary, run as a child process.

mod cli;
mod draw;
mod durability;
mod import;
