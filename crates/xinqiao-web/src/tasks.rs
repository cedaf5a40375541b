//! Background work under one supervisor: every follower (search index, roll-ups, calendar),
//! timer (settlement windows, warnings, audit checkpoints), worker (the intake writer) and
//! one-off job (warming the detector, retraining the category model) is started here, restarted
//! with back-off when it panics, reported in `/readyz` and `/metrics` (name, state, restarts,
//! last error — a fixed description, never personal data), and stopped on shutdown.
//!
//! Tests that need determinism start the app with [`Mode::Manual`]: periodic tasks are then
//! registered but only run when a test drives one with [`Supervisor::run_once`].

use crate::AppState;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::{AbortHandle, JoinHandle};

/// What a step of a task says when it fails: a fixed description for `/readyz`, never the
/// error's text (which may quote data). The detail goes to the log where the step fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError(pub &'static str);

type StepFuture = Pin<Box<dyn Future<Output = Result<(), TaskError>> + Send>>;
type Step = Arc<dyn Fn(AppState) -> StepFuture + Send + Sync>;
type WorkerFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type WorkerFn = Arc<dyn Fn(AppState, Stop) -> WorkerFuture + Send + Sync>;

/// How a task runs.
#[derive(Clone)]
enum Work {
    /// A step every `period` (the first at once, or after one period).
    Every { period: Duration, at_once: bool, step: Step },
    /// One step, then done.
    Once(Step),
    /// A long-running loop that returns when told to stop.
    Worker(WorkerFn),
}

/// A task to start: a name (unique; starting another of the same name replaces it), what it
/// does, and its back-off after a panic.
#[derive(Clone)]
pub struct Task {
    name: &'static str,
    work: Work,
    backoff: Backoff,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Task {
    /// `step` every `period`, the first at once.
    pub fn every<F, Fut>(name: &'static str, period: Duration, step: F) -> Self
    where
        F: Fn(AppState) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), TaskError>> + Send + 'static,
    {
        let step: Step = Arc::new(move |s| Box::pin(step(s)));
        Self { name, work: Work::Every { period, at_once: true, step }, backoff: Backoff::default() }
    }

    /// The first step after one period instead of at once.
    pub fn after_first_period(mut self) -> Self {
        if let Work::Every { at_once, .. } = &mut self.work {
            *at_once = false;
        }
        self
    }

    /// `step` once.
    pub fn once<F, Fut>(name: &'static str, step: F) -> Self
    where
        F: Fn(AppState) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), TaskError>> + Send + 'static,
    {
        let step: Step = Arc::new(move |s| Box::pin(step(s)));
        Self { name, work: Work::Once(step), backoff: Backoff::default() }
    }

    /// A loop that runs until `Stop` fires (and is started again if it panics).
    pub fn worker<F, Fut>(name: &'static str, run: F) -> Self
    where
        F: Fn(AppState, Stop) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let run: WorkerFn = Arc::new(move |s, stop| Box::pin(run(s, stop)));
        Self { name, work: Work::Worker(run), backoff: Backoff::default() }
    }

    /// The wait after a panic: `first`, doubling up to `max`.
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = Backoff { first, max };
        self
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// The wait before a panicked task starts again: `first`, then doubling, at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { first: Duration::from_secs(1), max: Duration::from_secs(300) }
    }
}

impl Backoff {
    /// The wait after the `n`th panic in a row (1-based).
    pub fn delay(self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first.saturating_mul(factor).min(self.max)
    }
}

/// Whether periodic tasks run by themselves (`serve`, most tests) or only when driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Run,
    Manual,
}

/// Where a task is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Started, waiting for its next step or working.
    Running,
    /// Registered; runs only when driven (`Mode::Manual`).
    Manual,
    /// It panicked and waits (back-off) to be started again.
    Restarting,
    /// A one-off task that finished.
    Done,
    /// Stopped (shutdown, or replaced).
    Stopped,
}

impl TaskState {
    pub fn code(self) -> &'static str {
        match self {
            TaskState::Running => "running",
            TaskState::Manual => "manual",
            TaskState::Restarting => "restarting",
            TaskState::Done => "done",
            TaskState::Stopped => "stopped",
        }
    }

    fn label(self) -> &'static str {
        match self {
            TaskState::Running => "运行中",
            TaskState::Manual => "手动运行",
            TaskState::Restarting => "异常中止，等待重启",
            TaskState::Done => "已完成",
            TaskState::Stopped => "已停止",
        }
    }
}

/// What `/readyz` and `/metrics` say about one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    pub name: &'static str,
    pub state: TaskState,
    /// Times it was started again after a panic.
    pub restarts: u64,
    /// Steps that finished (well or not).
    pub runs: u64,
    /// Steps that failed.
    pub failures: u64,
    /// The last failure's description (fixed text, no personal data).
    pub last_error: Option<&'static str>,
}

impl TaskReport {
    /// One line for `/readyz`.
    pub fn line(&self) -> String {
        let mut s =
            format!("task {}: {}（{}，已重启 {} 次", self.name, self.state.code(), self.state.label(), self.restarts);
        if let Some(e) = self.last_error {
            s.push_str("，最近错误：");
            s.push_str(e);
        }
        s.push('）');
        s
    }
}

/// Tells a worker to stop.
#[derive(Debug, Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Resolves once shutdown began.
    pub async fn stopped(&mut self) {
        let _ = self.0.wait_for(|s| *s).await;
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }
}

type Shared = Arc<Mutex<TaskReport>>;

struct Entry {
    task: Task,
    report: Shared,
    /// The supervising loop, and the run it supervises now.
    handle: Option<JoinHandle<()>>,
    current: Arc<Mutex<Option<AbortHandle>>>,
}

/// Every background task of one node.
pub struct Supervisor {
    mode: Mutex<Mode>,
    entries: Mutex<BTreeMap<&'static str, Entry>>,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor").field("tasks", &self.report().len()).finish_non_exhaustive()
    }
}

impl Default for Supervisor {
    fn default() -> Self {
        Self { mode: Mutex::new(Mode::Run), entries: Mutex::default(), stop: watch::channel(false).0 }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Supervisor {
    /// Whether periodic tasks started from now on run by themselves.
    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.mode) = mode;
    }

    pub fn mode(&self) -> Mode {
        *lock(&self.mode)
    }

    /// Starts `task` for `state` (replacing a running task of the same name). After shutdown
    /// began nothing starts: the task is recorded as stopped.
    pub fn spawn(&self, state: &AppState, task: Task) {
        let manual = self.mode() == Mode::Manual && matches!(task.work, Work::Every { .. });
        self.start(state, task, manual);
    }

    /// Starts `task` running by itself whatever the mode (a test that wants one follower).
    pub fn spawn_running(&self, state: &AppState, task: Task) {
        self.start(state, task, false);
    }

    fn start(&self, state: &AppState, task: Task, manual: bool) {
        let name = task.name;
        let initial = if manual { TaskState::Manual } else { TaskState::Running };
        let report = Arc::new(Mutex::new(TaskReport {
            name,
            state: initial,
            restarts: 0,
            runs: 0,
            failures: 0,
            last_error: None,
        }));
        let current = Arc::new(Mutex::new(None));
        let mut entries = lock(&self.entries);
        if let Some(old) = entries.remove(name) {
            abort(&old);
            lock(&old.report).state = TaskState::Stopped;
        }
        let handle = if *self.stop.borrow() {
            lock(&report).state = TaskState::Stopped;
            None
        } else if manual {
            None
        } else {
            let stop = Stop(self.stop.subscribe());
            Some(tokio::spawn(supervise(state.clone(), task.clone(), report.clone(), current.clone(), stop)))
        };
        entries.insert(name, Entry { task, report, handle, current });
    }

    /// Runs one step of the periodic or one-off task `name` now, in the caller's time (tests,
    /// and operators' commands). A panic in the step is reported like one in the background.
    pub async fn run_once(&self, state: &AppState, name: &str) -> Result<(), TaskError> {
        let (step, report) = {
            let entries = lock(&self.entries);
            let entry = entries.get(name).ok_or(TaskError("没有这个后台任务"))?;
            let step = match &entry.task.work {
                Work::Every { step, .. } | Work::Once(step) => step.clone(),
                Work::Worker(_) => return Err(TaskError("常驻任务不能单独运行一次")),
            };
            (step, entry.report.clone())
        };
        match tokio::spawn(step(state.clone())).await {
            Ok(result) => {
                record(&report, &result);
                result
            }
            Err(_) => {
                let mut r = lock(&report);
                r.failures += 1;
                r.last_error = Some(PANICKED);
                Err(TaskError(PANICKED))
            }
        }
    }

    /// Every task, by name.
    pub fn report(&self) -> Vec<TaskReport> {
        lock(&self.entries).values().map(|e| lock(&e.report).clone()).collect()
    }

    /// Stops every task: workers are told to stop and finish what they hold; whatever has not
    /// stopped after `bound` is aborted. Returns the names of the tasks that had to be aborted.
    pub async fn shutdown(&self, bound: Duration) -> Vec<&'static str> {
        self.stop.send_replace(true);
        let handles: Vec<(&'static str, JoinHandle<()>)> =
            lock(&self.entries).values_mut().filter_map(|e| e.handle.take().map(|h| (e.task.name, h))).collect();
        let deadline = tokio::time::Instant::now() + bound;
        let mut aborted = Vec::new();
        for (name, mut h) in handles {
            if tokio::time::timeout_at(deadline, &mut h).await.is_err() {
                h.abort();
                aborted.push(name);
            }
        }
        for e in lock(&self.entries).values() {
            abort(e);
            let mut r = lock(&e.report);
            if r.state != TaskState::Done {
                r.state = TaskState::Stopped;
            }
        }
        if !aborted.is_empty() {
            tracing::warn!(tasks = ?aborted, "background tasks did not stop in time and were aborted");
        }
        aborted
    }
}

/// What a panic leaves as the last error (the payload may quote data: it is not kept).
const PANICKED: &str = "任务异常中止（panic）";

fn abort(e: &Entry) {
    if let Some(h) = &e.handle {
        h.abort();
    }
    if let Some(h) = lock(&e.current).take() {
        h.abort();
    }
}

fn record(report: &Shared, result: &Result<(), TaskError>) {
    let mut r = lock(report);
    r.runs += 1;
    if let Err(e) = result {
        r.failures += 1;
        r.last_error = Some(e.0);
    }
}

/// Runs `task` until shutdown, starting it again with back-off after each panic.
async fn supervise(state: AppState, task: Task, report: Shared, current: Arc<Mutex<Option<AbortHandle>>>, stop: Stop) {
    let mut panics_in_a_row = 0u32;
    loop {
        let run = tokio::spawn(run(state.clone(), task.work.clone(), report.clone(), stop.clone()));
        *lock(&current) = Some(run.abort_handle());
        let outcome = run.await;
        *lock(&current) = None;
        match outcome {
            Ok(Finished::Stopped) => {
                lock(&report).state = TaskState::Stopped;
                return;
            }
            Ok(Finished::Done) => {
                lock(&report).state = TaskState::Done;
                return;
            }
            _ if stop.is_stopped() => {
                lock(&report).state = TaskState::Stopped;
                return;
            }
            // A step had succeeded since the last start: back-off starts over.
            Ok(Finished::Panicked { ran_well }) => {
                if ran_well {
                    panics_in_a_row = 0;
                }
                panics_in_a_row += 1;
            }
            Err(e) if e.is_panic() => panics_in_a_row += 1,
            Err(_) => {
                lock(&report).state = TaskState::Stopped;
                return;
            }
        }
        let delay = task.backoff.delay(panics_in_a_row);
        {
            let mut r = lock(&report);
            r.restarts += 1;
            r.failures += 1;
            r.last_error = Some(PANICKED);
            r.state = TaskState::Restarting;
        }
        tracing::error!(task = task.name, retry_in_ms = delay.as_millis() as u64, "a background task panicked");
        let mut wait = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = wait.stopped() => {
                lock(&report).state = TaskState::Stopped;
                return;
            }
        }
        lock(&report).state = TaskState::Running;
    }
}

enum Finished {
    Stopped,
    Done,
    /// A step panicked; `ran_well` when a step had succeeded since this run started.
    Panicked {
        ran_well: bool,
    },
}

/// One run of a task. Each step runs in a task of its own so that a panic is caught here.
async fn run(state: AppState, work: Work, report: Shared, mut stop: Stop) -> Finished {
    match work {
        Work::Once(step) => match guarded(tokio::spawn(step(state))).await {
            Ok(result) => {
                record(&report, &result);
                Finished::Done
            }
            Err(_) => Finished::Panicked { ran_well: false },
        },
        Work::Worker(run) => {
            let _ = run(state, stop.clone()).await;
            Finished::Stopped
        }
        Work::Every { period, at_once, step } => {
            let start = if at_once { tokio::time::Instant::now() } else { tokio::time::Instant::now() + period };
            let mut tick = tokio::time::interval_at(start, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut ran_well = false;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.stopped() => return Finished::Stopped,
                }
                match guarded(tokio::spawn(step(state.clone()))).await {
                    Ok(result) => {
                        ran_well |= result.is_ok();
                        record(&report, &result);
                    }
                    Err(_) => return Finished::Panicked { ran_well },
                }
            }
        }
    }
}

/// Awaits a step's task, aborting it when the run itself is aborted (shutdown past its bound),
/// so that no step outlives its supervisor holding the state.
async fn guarded<T>(handle: JoinHandle<T>) -> Result<T, tokio::task::JoinError> {
    struct AbortOnDrop(AbortHandle);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let _guard = AbortOnDrop(handle.abort_handle());
    handle.await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_bound() {
        let b = Backoff { first: Duration::from_secs(1), max: Duration::from_secs(60) };
        let waits: Vec<u64> = (1..=8).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(b.delay(200), Duration::from_secs(60), "no overflow after many panics");
    }

    #[test]
    fn a_readiness_line_names_the_task_and_its_last_error_only() {
        let r = TaskReport {
            name: "search",
            state: TaskState::Restarting,
            restarts: 2,
            runs: 5,
            failures: 3,
            last_error: Some(PANICKED),
        };
        assert_eq!(
            r.line(),
            "task search: restarting（异常中止，等待重启，已重启 2 次，最近错误：任务异常中止（panic））"
        );
    }
}
