//! `quorum-sandbox`: the local Turnkey-compatible API and demo platform backend.
//! Listens on 127.0.0.1:8787 (`PORT` overrides); see `README.md`.

use std::io::Write as _;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = quorum_sandbox::Config::from_env();
    let server = match quorum_sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "quorum-sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Write errors (a reader that closed stdout) are ignored: the server keeps running.
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "quorum-sandbox listening on http://localhost:{} (parent organization {}, data {})",
        server.addr.port(),
        server.parent_org_id,
        server.data_dir.display()
    );
    if let Some(frame) = server.frame_addr {
        let _ = writeln!(
            out,
            "export frame on http://127.0.0.1:{}/export-frame/",
            frame.port()
        );
    }
    let _ = writeln!(
        out,
        "platform API key: {} (set QUORUM_SANDBOX_LOG=1 to log requests)",
        server.data_dir.join("platform-api-key.json").display()
    );
    let terminate = async {
        #[cfg(unix)]
        {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
                return;
            }
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    server.stop().await;
    std::process::ExitCode::SUCCESS
}
