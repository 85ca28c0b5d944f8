//! The sandbox's policy language: any source parses to an expression or a typed error, and every
//! parsed expression evaluates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_sandbox::policy::{Context, eval, mentions_approvers, parse};

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let Ok(expr) = parse(&source) else { return };
    let _ = mentions_approvers(&expr);
    let approvers = ["user-1".to_owned(), "platform".to_owned()];
    for ctx in [
        Context::default(),
        Context {
            activity_type: "ACTIVITY_TYPE_EXPORT_WALLET",
            wallet_id: Some("wallet-1"),
            approvers: &approvers,
        },
    ] {
        let _ = eval(&expr, &ctx);
    }
});
