//! Xinqiao's HTTP face: the JSON API under `/api/v1` (described at `/api/openapi.json`) and the
//! server-rendered Chinese pages. Each feature is a module exposing `router()`; they are merged
//! in `build_app`. `serve` takes an already-bound listener so tests start the real app on port 0.

mod account;
mod admin;
pub mod annual_report;
pub mod api;
mod api_user;
mod assets;
mod audit;
pub mod auth;
pub mod calendar;
mod caller;
pub(crate) mod case_access;
pub mod cases;
pub mod check;
pub mod confidential;
pub mod config;
pub mod dates;
pub mod deferred;
pub mod demo;
pub mod download;
pub mod error;
mod extract;
pub mod guide;
pub mod health;
mod home;
pub mod incidents;
pub mod insights;
mod inspections;
pub mod integrity;
pub mod keyring;
pub mod knowledge;
mod layout;
pub mod ledger;
pub mod limits;
mod masking_review;
pub mod open311;
mod ops;
pub mod pages;
pub mod private;
mod qa_rows;
pub mod qualification;
pub mod scope;
pub mod search;
pub mod secrets;
mod security;
pub mod tasks;
pub mod text;
mod workbench;

pub use config::Config;
pub use secrets::Secrets;
pub use xinqiao_store as store;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use xinqiao_domain::calendar::Calendar;
use xinqiao_domain::deadlines::Rules;
use xinqiao_domain::privacy::Detector;
use xinqiao_store::Store;

/// What every handler can reach. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub secrets: Arc<Secrets>,
    pub metrics: Arc<ops::Metrics>,
    /// What is degraded now (`/readyz`, `/metrics`).
    pub health: Arc<health::Health>,
    /// Every background task of this node (see `tasks`).
    pub tasks: Arc<tasks::Supervisor>,
    /// The PII detector, built on first use (jieba's dictionary takes a moment to load).
    detector: Arc<tokio::sync::OnceCell<Arc<Detector>>>,
    /// Submissions waiting for the intake writer (group commit), started on first use.
    intake: Arc<tokio::sync::OnceCell<cases::intake::Queue>>,
    /// The full-text index in the data directory, opened on first use.
    search: Arc<tokio::sync::OnceCell<Arc<xinqiao_search::SearchIndex>>>,
    /// One updater of the index at a time.
    search_turn: Arc<tokio::sync::Mutex<()>>,
    /// Whether this node has read the edited synonyms since it started.
    synonyms_loaded: Arc<std::sync::atomic::AtomicBool>,
    /// The working-day calendar: the shipped notices and any loaded since (see `calendar`).
    calendar: Arc<std::sync::RwLock<Arc<Calendar>>>,
    /// Which stored notices `calendar` holds.
    calendar_revision: Arc<calendar::Revision>,
    pub rules: Arc<Rules>,
    /// The taxonomy, the category model and the dashboards' copy of the roll-ups.
    pub(crate) insights: Arc<insights::Insights>,
    /// Per-client budgets of posts without an account.
    pub(crate) limiter: Arc<limits::Limiter>,
}

impl AppState {
    /// The application on `store`; audit entries are sealed with the secrets' chain key when the
    /// file has one (see `Secrets::ensure_audit_key`).
    pub fn new(store: Store, config: Config, secrets: Secrets) -> Self {
        let store = match secrets.chain_key() {
            Some(k) if store.chain_key().is_none() => store.with_chain_key(k),
            _ => store,
        };
        Self {
            store,
            config: Arc::new(config),
            secrets: Arc::new(secrets),
            metrics: Arc::default(),
            health: Arc::default(),
            tasks: Arc::default(),
            detector: Arc::default(),
            intake: Arc::default(),
            search: Arc::default(),
            search_turn: Arc::default(),
            synonyms_loaded: Arc::default(),
            calendar: Arc::new(std::sync::RwLock::new(Arc::new(Calendar::builtin()))),
            calendar_revision: Arc::default(),
            rules: Arc::new(Rules::builtin()),
            insights: Arc::default(),
            limiter: Arc::default(),
        }
    }

    /// The application's clock (the store's: one clock for rows and pages).
    pub fn clock(&self) -> &xinqiao_store::clock::Clock {
        self.store.clock()
    }

    /// Now, in epoch milliseconds, by the application's clock.
    pub fn now_ms(&self) -> i64 {
        self.store.now_ms()
    }

    /// Today in China Standard Time, by the application's clock.
    pub fn today(&self) -> xinqiao_domain::calendar::Date {
        self.store.clock().today()
    }

    /// The working-day calendar as this node knows it now.
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the working-day calendar (a notice was loaded here or on another node).
    pub(crate) fn set_calendar(&self, calendar: Calendar) {
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(calendar);
    }

    /// The intake writer's queue.
    pub async fn intake_queue(&self) -> &cases::intake::Queue {
        self.intake.get_or_init(|| async { cases::intake::Queue::start(self) }).await
    }

    /// The full-text index (opened in the data directory on first use).
    pub async fn search_index(&self) -> Result<Arc<xinqiao_search::SearchIndex>, error::AppError> {
        self.search_index_with(xinqiao_search::IndexOptions::default()).await
    }

    /// This node's index, opened with `options` if it is not open yet (an import asks for more
    /// writer threads); one that is already open is returned as it is. All openers go through the
    /// one cell, so two writers never race for the index's lock.
    pub async fn search_index_with(
        &self,
        options: xinqiao_search::IndexOptions,
    ) -> Result<Arc<xinqiao_search::SearchIndex>, error::AppError> {
        let dir = self.config.data_dir.join("search-index");
        self.search
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || xinqiao_search::SearchIndex::open_with(&dir, &options))
                    .await
                    .map_err(|e| error::AppError::Internal(format!("search index: {e}")))?
                    .map(Arc::new)
                    .map_err(|e| error::AppError::Internal(format!("search index: {e}")))
            })
            .await
            .cloned()
    }

    /// Uses `index` as this node's full-text index instead of the one in the data directory
    /// (tests; false when an index is already in use).
    pub fn use_search_index(&self, index: Arc<xinqiao_search::SearchIndex>) -> bool {
        self.search.set(index).is_ok()
    }

    pub(crate) fn synonyms_loaded(&self) -> bool {
        self.synonyms_loaded.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn mark_synonyms_loaded(&self) {
        self.synonyms_loaded.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The turn to update the index.
    pub async fn search_turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.search_turn.lock().await
    }

    /// Loads the detector's dictionary, holding nothing else of the state meanwhile (a node
    /// stopped during the load lets go of its index and database at once).
    async fn warm_detector(self) -> Result<(), tasks::TaskError> {
        let cell = self.detector.clone();
        drop(self);
        cell.get_or_init(|| async {
            Arc::new(tokio::task::spawn_blocking(Detector::new).await.expect("the detector builds"))
        })
        .await;
        Ok(())
    }

    pub async fn detector(&self) -> Arc<Detector> {
        self.detector
            .get_or_init(|| async {
                Arc::new(tokio::task::spawn_blocking(Detector::new).await.expect("the detector builds"))
            })
            .await
            .clone()
    }
}

/// Why the platform could not start; each says what to do in one line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Store(#[from] xinqiao_store::StoreError),
    #[error("无法写入内置的法规库与示例问答：{0}")]
    Seed(String),
    #[error("无法读取已导入的节假日安排：{0}")]
    Calendar(String),
    #[error("数据库不能写入：{0}")]
    NotWritable(&'static str),
    #[error("{0}")]
    Keys(String),
}

/// Everything before serving: the database connection and its migrations, then the secrets
/// (created only for an empty database, and otherwise checked against the keys it records).
pub async fn prepare(config: Config) -> Result<AppState, StartError> {
    private::restrict_new_files();
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|source| config::ConfigError::DataDir { path: config.data_dir.clone(), source })?;
    // Whatever an earlier version or another umask left readable is closed.
    private::secure_tree(&config.data_dir)
        .map_err(|source| config::ConfigError::DataDir { path: config.data_dir.clone(), source })?;
    // The database first: when it cannot be reached, nothing is written anywhere.
    let store = Store::connect(&config.effective_database_url()).await?;
    let ran = store.migrate().await?;
    // A server that cannot write serves nobody: say why now rather than failing each request.
    if let Err(e) = store.probe_write().await {
        return Err(match e.outage() {
            Some(o) => StartError::NotWritable(o.condition()),
            None => StartError::Store(e),
        });
    }
    tracing::info!(backend = store.backend().name(), migrations_applied = ran, "database ready");
    let mut secrets = keyring::open_secrets(&config.data_dir, &store).await.map_err(StartError::Keys)?;
    secrets.ensure_audit_key(&config.data_dir, store.audit_head_seq().await? + 1)?;
    let state = AppState::new(store, config, secrets);
    knowledge::seed_registry(&state).await.map_err(|e| StartError::Seed(e.to_string()))?;
    Ok(state)
}

/// How long requests in flight may take to finish once shutdown began.
pub const DRAIN_BOUND: std::time::Duration = std::time::Duration::from_secs(30);
/// How long background tasks may take to stop once the requests were drained.
pub const WORKERS_BOUND: std::time::Duration = std::time::Duration::from_secs(10);

/// The running platform as `serve` (and every test) builds it: the state, its background tasks
/// started under the supervisor, the router, and the listener it will serve on.
pub struct Application {
    state: AppState,
    listener: TcpListener,
    router: Router,
}

impl Application {
    /// Reads the stored holiday notices, starts every background task (in `mode`) and builds
    /// the router for `listener`.
    pub async fn build(state: AppState, listener: TcpListener, mode: tasks::Mode) -> Result<Self, StartError> {
        calendar::refresh(&state).await.map_err(|e| StartError::Calendar(e.to_string()))?;
        state.tasks.set_mode(mode);
        for task in background_tasks() {
            state.tasks.spawn(&state, task);
        }
        if state.store.follows_hosts() {
            state.tasks.spawn(&state, database_hosts());
        }
        let router = build_app(state.clone());
        Ok(Self { state, listener, router })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves; then stops accepting, lets the requests in flight
    /// finish (at most `DRAIN_BOUND`), and stops the background tasks (at most `WORKERS_BOUND`).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Self { state, listener, router } = self;
        let (began_tx, began_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = began_tx.send(());
        };
        let server = serve(listener, router, signal);
        let bound = async move {
            if began_rx.await.is_ok() {
                tokio::time::sleep(DRAIN_BOUND).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let served = tokio::select! {
            r = server => r,
            _ = bound => {
                tracing::warn!("requests still in flight after the drain bound were abandoned");
                Ok(())
            }
        };
        state.tasks.shutdown(WORKERS_BOUND).await;
        served
    }
}

/// Every follower, timer and one-off job that a running node has, in one list.
fn background_tasks() -> Vec<tasks::Task> {
    vec![
        calendar::follower(calendar::FOLLOW_EVERY),
        audit::checkpoint_timer(),
        cases::odr::settlement_timer(),
        search::follower(),
        insights::follower(),
        insights::scanner(),
        cases::privacy::upgrade_task(),
        deferred::service::reminder_task(),
        annual_report::service::reminder_task(),
        confidential::service::destruction_task(),
        ledger::service::retention_task(),
        incidents::reminders::timer(),
        // The detector's dictionary loads in the background: start-up does not wait for it.
        tasks::Task::once("detector", |state: AppState| state.warm_detector()),
    ]
}

/// On several PostgreSQL hosts: the watcher that follows the primary (see the store's
/// `failover`), stopped with the other workers.
fn database_hosts() -> tasks::Task {
    tasks::Task::worker("database_hosts", |state: AppState, mut stop: tasks::Stop| async move {
        tokio::select! {
            _ = state.store.follow_primary() => {}
            _ = stop.stopped() => {}
        }
    })
}

/// The whole application as one router.
pub fn build_app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(auth::router())
        .merge(account::router())
        .merge(admin::router())
        .merge(calendar::router())
        .merge(audit::router())
        .merge(cases::router())
        .merge(inspections::router())
        .merge(incidents::public::router())
        .merge(incidents::router())
        .merge(insights::router())
        .merge(qualification::router())
        .merge(knowledge::router())
        .merge(open311::router())
        .merge(integrity::router())
        .merge(guide::router())
        .merge(deferred::router())
        .merge(annual_report::router())
        .merge(confidential::router())
        .merge(ledger::router())
        .merge(ops::router())
        .merge(assets::router())
        .merge(home::router())
        .merge(workbench::router())
        .merge(api::router())
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            // The payload may quote request data: it is not logged.
            tracing::error!("a request handler panicked");
            pages::error_page(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误，请稍后再试。")
        }))
        .layer(middleware::from_fn_with_state(state.clone(), limits::middleware))
        .layer(middleware::from_fn_with_state(state.clone(), ops::track))
        .layer(middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
