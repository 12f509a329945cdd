//! Key-pair generation from a caller-supplied source of random bytes.
//!
//! Backends generate keys with their own random source; the local KMS in deterministic mode
//! needs the same keys from the same seed, so key generation can also draw from any `fill`
//! function: a scalar in [1, n-1] by rejection sampling (ECC, SM2), a seed (Ed25519, ML-DSA,
//! ML-KEM), or RSA primes from RustCrypto's generator.

use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use crate::spec::{KeyFamily, KeySpec};
use alloc::format;
use core::convert::Infallible;
use zeroize::Zeroizing;

/// A source of random bytes.
pub type Fill<'a> = &'a mut dyn FnMut(&mut [u8]) -> Result<()>;

/// Generates a key pair of `spec` from `fill`.
///
/// # Errors
/// `ValidationException` for a symmetric or HMAC spec; the source's error if it fails.
pub fn generate_with(spec: KeySpec, fill: Fill<'_>) -> Result<PrivateKey> {
    match spec.info().family {
        KeyFamily::Rsa => rsa_with(spec, fill),
        KeyFamily::Symmetric | KeyFamily::Hmac => {
            Err(Error::validation(format!("{spec} is not a key-pair spec")))
        }
        _ => from_random_secret(spec, fill),
    }
}

/// ECC, SM2, Ed25519, ML-DSA and ML-KEM keys from uniformly random secret bytes.
pub(crate) fn from_random_secret(spec: KeySpec, fill: Fill<'_>) -> Result<PrivateKey> {
    let len = match spec {
        KeySpec::EccNistP384 => 48,
        KeySpec::EccNistP521 => 66,
        KeySpec::MlKem512 | KeySpec::MlKem768 | KeySpec::MlKem1024 => 64,
        KeySpec::EccNistP256
        | KeySpec::EccSecgP256k1
        | KeySpec::Sm2
        | KeySpec::EccNistEdwards25519
        | KeySpec::MlDsa44
        | KeySpec::MlDsa65
        | KeySpec::MlDsa87 => 32,
        other => {
            return Err(Error::validation(format!(
                "{other} keys are not generated from a seed"
            )));
        }
    };
    let mut secret = Zeroizing::new(alloc::vec![0u8; len]);
    for _ in 0..128 {
        fill(&mut secret)?;
        // A P-521 scalar has 521 bits: clear the top 7 of the 66 bytes.
        if spec == KeySpec::EccNistP521 {
            secret[0] &= 0x01;
        }
        match PrivateKey::from_raw_secret(spec, &secret) {
            Ok(key) => return Ok(key),
            // an out-of-range scalar: draw again (probability < 2^-32 per draw on these curves)
            Err(e) if e.code() == ErrorCode::ValidationException => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::internal(
        "key generation did not find a valid scalar",
    ))
}

/// An RNG for RustCrypto over `fill`: a failure is recorded and reported after the operation.
struct FillRng<'a, 'b> {
    fill: &'a mut Fill<'b>,
    failed: Option<Error>,
}

impl rand_core::TryRng for FillRng<'_, '_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Infallible> {
        if let Err(e) = (self.fill)(dst) {
            self.failed.get_or_insert(e);
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for FillRng<'_, '_> {}

fn rsa_with(spec: KeySpec, mut fill: Fill<'_>) -> Result<PrivateKey> {
    use pkcs8::EncodePrivateKey;
    let mut rng = FillRng {
        fill: &mut fill,
        failed: None,
    };
    let key = rsa::RsaPrivateKey::new(&mut rng, spec.info().bits as usize)
        .map_err(|_| Error::internal("RSA key generation failed"))?;
    if let Some(e) = rng.failed {
        return Err(e);
    }
    let der = key
        .to_pkcs8_der()
        .map_err(|_| Error::internal("RSA key encoding failed"))?;
    PrivateKey::from_pkcs8_der(der.as_bytes())
}
