//! The application's one clock. "Now" and "today" come from here and nowhere else: the system
//! clock in `serve`, a pinned clock that starts on a chosen instant (and can be moved on) in
//! tests, so that no test depends on where today's date falls.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;
use xinqiao_domain::calendar::Date;

#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
enum Inner {
    System,
    /// Starts at `start_ms` when created and runs with real time, plus whatever `advance` added.
    Pinned {
        start_ms: i64,
        started: Instant,
        offset_ms: AtomicI64,
    },
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(Inner::System))
    }

    /// A clock that reads `start_ms` (epoch milliseconds) now and runs on from there.
    pub fn starting_at(start_ms: i64) -> Self {
        Self(Arc::new(Inner::Pinned { start_ms, started: Instant::now(), offset_ms: AtomicI64::new(0) }))
    }

    /// A clock that starts at 10:00 China Standard Time on `day`.
    pub fn starting_on(day: Date) -> Self {
        Self::starting_at(day.start_ms() + 10 * 3_600_000)
    }

    /// Epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        match &*self.0 {
            Inner::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
            Inner::Pinned { start_ms, started, offset_ms } => {
                start_ms + started.elapsed().as_millis() as i64 + offset_ms.load(Ordering::Relaxed)
            }
        }
    }

    /// Today in China Standard Time.
    pub fn today(&self) -> Date {
        Date::of_epoch_ms(self.now_ms())
    }

    /// Moves a pinned clock on by `ms` (tests); the system clock cannot be moved and says so.
    pub fn advance(&self, ms: i64) -> bool {
        match &*self.0 {
            Inner::System => false,
            Inner::Pinned { offset_ms, .. } => {
                offset_ms.fetch_add(ms, Ordering::Relaxed);
                true
            }
        }
    }

    pub fn is_system(&self) -> bool {
        matches!(&*self.0, Inner::System)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_starts_where_it_is_told_and_moves_on() {
        let day = Date::parse("2028-12-27").unwrap();
        let clock = Clock::starting_on(day);
        assert_eq!(clock.today(), day);
        let before = clock.now_ms();
        assert!(clock.advance(3 * 86_400_000));
        assert_eq!(clock.today(), Date(day.0 + 3));
        assert!(clock.now_ms() >= before + 3 * 86_400_000);
        let copy = clock.clone();
        copy.advance(86_400_000);
        assert_eq!(clock.today(), Date(day.0 + 4), "clones share one clock");
        assert!(!Clock::system().advance(1));
    }
}
