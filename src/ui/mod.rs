//! The UI layer: Leptos components for sign-up, transaction approval with its
//! pending-platform-approval states, and wallet export (DESIGN "The UI layer").
//!
//! Each component is a small state machine (one `enum` of its states, named as the custom
//! element's `state` attribute), built only on the passkey, client and bundle layers through the
//! [`Wallet`] trait: no component calls `fetch` or WebAuthn itself. Components are usable two ways:
//! - from Rust, as Leptos components ([`SignUp`], [`ApproveTransaction`], [`ExportWallet`]) with
//!   [`install_document_styles`] for their CSS;
//! - from any framework, as the custom elements `<quorum-sign-up>`, `<quorum-approve-transaction>`
//!   and `<quorum-export-wallet>` (see `crate::js::elements`).
//!
//! Theming: every colour, radius, font, spacing, shadow and focus ring is a `--qk-*` custom property
//! with a default; [`Theme`] picks light, dark or `prefers-color-scheme`. Strings come from
//! [`strings`] (English, Spanish, German, Arabic; overridable per key at run time).

mod common;
pub mod format;
pub mod frame;
pub mod strings;
pub mod theme;
mod wallet;

pub mod approve_transaction;
pub mod export_wallet;
pub mod sign_up;

pub use approve_transaction::{ApproveState, ApproveTransaction, PendingEvent};
pub use common::Failure;
pub use export_wallet::{ExportState, ExportWallet};
pub use sign_up::{SignUp, SignUpState};
pub use strings::{set_locale, set_strings};
pub use theme::{Theme, install_document_styles};
pub use wallet::{
    ExportedBundle, ReasonHook, SignUpHook, SignedUp, StandardWallet, UiError, Wallet,
    WalletConfig, WalletRef,
};
