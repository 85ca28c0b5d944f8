//! The local Turnkey-compatible sandbox (being built: see issue 3).

fn main() {}
