//! # quorum-sandbox
//!
//! A local, Turnkey-compatible API (`/public/v1/...`) and a demo platform backend
//! (`/platform/...`) for quorum-kit: it verifies stamps as Turnkey does, enforces root quorum
//! and policies, derives and signs with real wallets, encrypts export bundles with its own
//! enclave signer key, and keeps everything in SQLite. See `README.md` for endpoints and
//! environment variables.

/// Writes a line to stderr, ignoring failures (a closed pipe must not kill the server).
macro_rules! log_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod api;
pub mod config;
pub mod enclave;
pub mod engine;
pub mod error;
pub mod faults;
pub mod frame;
pub mod model;
pub mod platform;
pub mod policy;
pub mod routes;
pub mod security;
pub mod soft_passkey;
pub mod store;
pub mod webauthn;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use config::Config;
pub use error::ApiError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// Binding the port failed.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    /// Opening the data directory failed.
    #[error("cannot open the data directory: {0}")]
    Store(#[from] ApiError),
    /// A startup task panicked or was cancelled.
    #[error("startup failed: {0}")]
    Join(String),
}

/// A running sandbox.
#[derive(Debug)]
pub struct RunningServer {
    /// The bound address.
    pub addr: SocketAddr,
    /// The export frame's address, when it is served.
    pub frame_addr: Option<SocketAddr>,
    frame_task: Option<tokio::task::JoinHandle<()>>,
    /// The data directory.
    pub data_dir: PathBuf,
    /// The parent organization.
    pub parent_org_id: String,
    /// The token admin routes require (also in `<data>/admin-token`).
    pub admin_token: security::AdminToken,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    cosigner: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// `http://127.0.0.1:<port>`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// Stops the co-signer and the server and waits for them.
    pub async fn stop(mut self) {
        if let Some(t) = self.frame_task.take() {
            t.abort();
        }
        self.cosigner.abort();
        let _ = (&mut self.cosigner).await;
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }

    /// Waits until the server ends (it runs until [`RunningServer::stop`] or an error).
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
    }
}

/// Starts the sandbox: binds, opens (or initializes) the data directory, starts the co-signer.
///
/// # Errors
/// [`StartError`] when the port or the data directory is unusable.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let origins = if config.origins.is_empty() {
        vec![format!("http://localhost:{}", addr.port())]
    } else {
        config.origins.clone()
    };
    let rp = webauthn::RelyingParty {
        origins,
        rp_id: config.rp_id.clone(),
    };
    let data_dir = config.data_dir.clone();
    let engine = tokio::task::spawn_blocking(move || engine::Engine::open(&data_dir, rp))
        .await
        .map_err(|e| StartError::Join(e.to_string()))??;
    let engine = Arc::new(engine);
    let platform = Arc::new(
        platform::Platform::new(engine.clone()).with_min_pending_ms(config.cosigner_delay_ms),
    );
    let parent_org_id = engine.parent_org_id.clone();
    let token_dir = config.data_dir.clone();
    let admin_token =
        tokio::task::spawn_blocking(move || security::AdminToken::load_or_create(&token_dir))
            .await
            .map_err(|e| StartError::Join(e.to_string()))??;
    // The isolated export frame: its own listener, its own origin (127.0.0.1, another site).
    let frame = match config.frame_port {
        Some(port) => {
            let l = tokio::net::TcpListener::bind(SocketAddr::new(
                std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                port,
            ))
            .await?;
            let frame_addr = l.local_addr()?;
            let app = frame::router(
                config.www_dir.clone(),
                config.pkg_dir.clone(),
                engine.rp.origins.clone(),
            );
            let task = tokio::spawn(async move {
                if let Err(e) = axum::serve(l, app).await {
                    log_line!("export frame server error: {e}");
                }
            });
            Some((frame_addr, task))
        }
        None => None,
    };
    let frame_origin = frame
        .as_ref()
        .map(|(a, _)| format!("http://127.0.0.1:{}", a.port()));
    let export_frame_url = frame_origin.as_ref().map(|o| format!("{o}/export-frame/"));
    let state = Arc::new(api::AppState {
        page_csp: security::page_csp(frame_origin.as_deref()),
        export_frame_url,
        engine,
        platform: platform.clone(),
        www_dir: config.www_dir.clone(),
        pkg_dir: config.pkg_dir.clone(),
        log_requests: config.log_requests,
        faults: Arc::default(),
        admin_token: admin_token.clone(),
    });
    let interval = Duration::from_millis(config.cosigner_interval_ms.max(10));
    let cosigner = tokio::spawn(async move {
        loop {
            tokio::time::sleep(interval).await;
            let p = platform.clone();
            match tokio::task::spawn_blocking(move || p.cosign_once()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => log_line!("co-signer: {e}"),
                Err(e) => log_line!("co-signer task: {e}"),
            }
        }
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = api::router(state);
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = rx.await;
        };
        let listener = faults::FaultListener(listener);
        if let Err(e) = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<faults::ConnHandle>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        {
            log_line!("server error: {e}");
        }
    });
    let (frame_task, frame_addr) = match frame {
        Some((a, t)) => (Some(t), Some(a)),
        None => (None, None),
    };
    Ok(RunningServer {
        addr,
        frame_addr,
        frame_task,
        data_dir: config.data_dir,
        parent_org_id,
        admin_token,
        shutdown: Some(tx),
        server,
        cosigner,
    })
}
