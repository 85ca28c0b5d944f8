//! `quorum-sandbox`: the local Turnkey-compatible API and demo platform backend.
//! Listens on 127.0.0.1:8787 (`PORT` overrides); see `README.md`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = quorum_sandbox::Config::from_env();
    let server = match quorum_sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("quorum-sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "quorum-sandbox listening on http://localhost:{} (parent organization {}, data {})",
        server.addr.port(),
        server.parent_org_id,
        server.data_dir.display()
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
