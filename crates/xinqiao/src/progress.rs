//! Progress on stderr for long-running commands, shown only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A spinner with elapsed time, for work whose size is unknown. Stops when dropped.
pub struct Spinner {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Spinner {
    pub fn start(message: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { stop: None };
        }
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        let message = message.to_owned();
        tokio::spawn(async move {
            let start = Instant::now();
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut i = 0;
            loop {
                eprint!("\r{} {message} {:.1}s", frames[i % frames.len()], start.elapsed().as_secs_f32());
                let _ = std::io::stderr().flush();
                i += 1;
                tokio::select! {
                    _ = &mut rx => break,
                    _ = tokio::time::sleep(Duration::from_millis(120)) => {}
                }
            }
            eprint!("\r\x1b[2K");
        });
        Self { stop: Some(tx) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// A counter `done/total` with a bar, for work of known size.
pub fn bar(label: &str, done: u64, total: u64) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    const WIDTH: u64 = 30;
    let filled = (done.min(total) * WIDTH).checked_div(total).unwrap_or(WIDTH) as usize;
    eprint!("\r{label} [{}{}] {done}/{total}", "█".repeat(filled), "·".repeat(WIDTH as usize - filled));
    let _ = std::io::stderr().flush();
    if done >= total {
        eprintln!();
    }
}
