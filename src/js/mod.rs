//! The npm API (wasm-bindgen facade). It converts at the edge (serde-wasm-bindgen) and holds
//! no logic: every function forwards to the core or the browser layer. Names and option
//! objects mirror Turnkey's JavaScript SDK so an app can swap imports.
//!
//! Errors are thrown as JavaScript `Error`s whose `name` is stable (see [`error`]). Every argument
//! is type-checked at the edge ([`input`]): a wrong type is an `InvalidInputError` naming the
//! parameter, and an optional option given as `undefined` or `null` is absent.

#[cfg(feature = "browser")]
pub mod client;
pub mod crypto;
#[cfg(feature = "ui")]
pub mod elements;
pub mod error;
#[cfg(feature = "ui")]
pub mod export_frame;
#[cfg(feature = "ui")]
mod export_relay;
#[cfg(feature = "browser")]
pub mod export_target;
pub mod input;
#[cfg(feature = "browser")]
pub mod passkey;
#[cfg(feature = "browser")]
pub mod session;
