//! The system CSPRNG as a `rand_core` 0.6 RNG, for the curve and HPKE crates.
//!
//! Written here rather than taken from `rand_core::OsRng` because that one is built on getrandom
//! 0.2, whose `wasm32` backend links the standard library and so rules out the `no_std` crypto
//! entry. This is the same thin adapter over getrandom 0.3 (`crypto.getRandomValues` in browsers
//! and Node, the OS generator natively).

use core::num::NonZeroU32;

use rand_core::{CryptoRng, RngCore};

/// The operating system's (or the browser's) cryptographically secure RNG.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemRng;

impl RngCore for SystemRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }

    /// Fills `dest`, or stops the program: without secure randomness there must be no keys, and
    /// the curve crates call this infallible method (as with `rand_core::OsRng`, which panics too).
    #[allow(clippy::panic)]
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if let Err(error) = getrandom::fill(dest) {
            panic!("no secure randomness: {error}");
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        getrandom::fill(dest).map_err(|error| {
            // rand_core 0.6 carries a non-zero code without `std`: the OS error's, else the largest.
            let code = error.raw_os_error().map_or(u32::MAX, i32::unsigned_abs);
            rand_core::Error::from(NonZeroU32::new(code).unwrap_or(NonZeroU32::MIN))
        })
    }
}

impl CryptoRng for SystemRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_with_fresh_bytes() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        SystemRng.fill_bytes(&mut a);
        SystemRng.try_fill_bytes(&mut b).unwrap();
        assert_ne!(a, [0u8; 32]);
        assert_ne!(a, b);
        assert_ne!(SystemRng.next_u64(), SystemRng.next_u64());
    }
}
