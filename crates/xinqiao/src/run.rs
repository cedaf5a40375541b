//! `serve` and `demo`: start the platform and stop it gracefully on Ctrl-C or SIGTERM.

use anyhow::{Context, Result};
use std::process::ExitCode;
use tokio::net::TcpListener;
use xinqiao_web::tasks::Mode;
use xinqiao_web::{AppState, Application, Config};

/// Logs go to stderr; the filter comes from the configuration (`log`, `XINQIAO_LOG`).
pub fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    eprintln!("正在停止：完成进行中的请求后退出……");
}

/// Binds, announces the address and serves until a signal arrives; then drains the requests in
/// flight and stops the background tasks (each within its bound).
pub async fn run(state: AppState) -> Result<ExitCode> {
    let addr = state.config.addr;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("无法监听 {addr}"))?;
    let local = listener.local_addr()?;
    println!("心桥已启动：http://{local}  （Ctrl-C 停止）");
    let app = Application::build(state.clone(), listener, Mode::Run).await?;
    app.run_until(shutdown_signal()).await.context("服务异常退出")?;
    state.store.close().await;
    println!("已停止。");
    Ok(ExitCode::SUCCESS)
}
