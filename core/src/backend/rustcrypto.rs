//! The RustCrypto backend: wasm32 always, native with feature `rust-crypto`.

use super::{Backend, Message};
use crate::error::{Error, ErrorCode, Result};
use crate::public_key::PublicKey;
use crate::spec::{KeySpec, SigningAlgorithm};
use sha2::Digest as _;

/// Zero-sized handle; see [`super::RUST_CRYPTO`].
#[derive(Debug)]
pub(super) struct RustCrypto;

/// ECDSA verification over a prehash on one curve. High-S signatures are normalized first:
/// KMS emits them, and `(r, s)` verifies exactly when `(r, n - s)` does.
macro_rules! ecdsa_verify {
    ($curve:ident, $point:expr, $prehash:expr, $sig:expr) => {{
        use $curve::ecdsa::signature::hazmat::PrehashVerifier;
        let vk = $curve::ecdsa::VerifyingKey::from_sec1_bytes($point)
            .map_err(|_| Error::validation("EC public key is not a point on its curve"))?;
        match $curve::ecdsa::Signature::from_der($sig) {
            Ok(sig) => vk.verify_prehash($prehash, &sig.normalize_s()).is_ok(),
            Err(_) => false,
        }
    }};
}

impl Backend for RustCrypto {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn verify(
        &self,
        key: &PublicKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
        sig: &[u8],
    ) -> Result<bool> {
        let digest;
        let prehash = match message {
            Message::Raw(m) => {
                digest = sha2::Sha256::digest(m);
                digest.as_slice()
            }
            Message::Digest(d) => d,
            Message::ExternalMu(_) => return Err(unsupported(key.spec(), algorithm)),
        };
        let ok = match (key.spec(), algorithm) {
            (KeySpec::EccNistP256, SigningAlgorithm::EcdsaSha256) => {
                ecdsa_verify!(p256, key.key_bytes(), prehash, sig)
            }
            (spec, alg) => return Err(unsupported(spec, alg)),
        };
        Ok(ok)
    }
}

fn unsupported(spec: KeySpec, alg: SigningAlgorithm) -> Error {
    Error::new(
        ErrorCode::UnsupportedOperationException,
        alloc::format!("the rustcrypto backend does not implement {alg} with {spec}"),
    )
}
