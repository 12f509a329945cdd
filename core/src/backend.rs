//! The crypto backend interface, in the style of rustls' `CryptoProvider`.
//!
//! Core decides *what* KMS does (validation, limits, encodings); a [`Backend`] only does the
//! math. Two implementations exist: [`AWS_LC`] (aws-lc-rs, the native default) and
//! `RUST_CRYPTO` (RustCrypto, the wasm default, and on native behind the `rust-crypto`
//! feature so tests run every vector through both). The default is chosen at compile time
//! ([`default`]) and never depends on run-time state, so it cannot panic.

use crate::error::Result;
use crate::public_key::PublicKey;
use crate::spec::SigningAlgorithm;
use core::fmt::Debug;

#[cfg(not(target_arch = "wasm32"))]
mod aws_lc;
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
mod rustcrypto;

/// What is being signed or verified, after core has checked its length against the algorithm.
#[derive(Clone, Copy, Debug)]
pub enum Message<'a> {
    /// The message; the algorithm hashes it.
    Raw(&'a [u8]),
    /// A digest of the algorithm's hash; the hashing step is skipped.
    Digest(&'a [u8]),
    /// The ML-DSA message representative μ.
    ExternalMu(&'a [u8]),
}

/// The math a backend provides. Inputs are already validated against the spec table.
pub trait Backend: Send + Sync + Debug {
    /// A short name for reports and benchmarks (`"aws-lc"`, `"rustcrypto"`).
    fn name(&self) -> &'static str;

    /// Verifies `signature` over `message` with `key` and `algorithm`.
    ///
    /// Returns `Ok(false)` for any signature that does not verify, malformed ones included.
    ///
    /// # Errors
    /// `ValidationException` if the key itself is unusable (for example, not on the curve), and
    /// `UnsupportedOperationException` if this backend lacks the algorithm.
    fn verify(
        &self,
        key: &PublicKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<bool>;
}

/// The aws-lc-rs backend (native targets only).
#[cfg(not(target_arch = "wasm32"))]
pub static AWS_LC: &dyn Backend = &aws_lc::AwsLc;

/// The RustCrypto backend (always on wasm32; on native with feature `rust-crypto`).
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
pub static RUST_CRYPTO: &dyn Backend = &rustcrypto::RustCrypto;

/// The backend used when none is given: aws-lc-rs on native targets, RustCrypto on wasm32.
pub fn default() -> &'static dyn Backend {
    #[cfg(not(target_arch = "wasm32"))]
    {
        AWS_LC
    }
    #[cfg(target_arch = "wasm32")]
    {
        RUST_CRYPTO
    }
}

/// Every backend compiled into this build, default first.
pub fn all() -> alloc::vec::Vec<&'static dyn Backend> {
    #[allow(
        unused_mut,
        reason = "only pushed to when rust-crypto is compiled on native"
    )]
    let mut v = alloc::vec![default()];
    #[cfg(all(not(target_arch = "wasm32"), feature = "rust-crypto"))]
    v.push(RUST_CRYPTO);
    v
}
