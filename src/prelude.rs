//! The `alloc` items that the standard prelude would bring, imported by the modules the `no_std`
//! crypto entry compiles (with `std` they are the same items).

pub use alloc::borrow::ToOwned;
pub use alloc::format;
pub use alloc::string::{String, ToString};
pub use alloc::vec::Vec;
