//! Algorithms both backends share, because aws-lc-rs lacks them: Ed25519ph, ML-DSA over an
//! external μ, ML-KEM seed expansion, key generation from a random secret (SM2, ML-KEM), and the
//! glue (an RNG adapter over a backend, opaque decryption errors). All RustCrypto, all targets.

use super::{Backend, Message};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::{PrivateKey, with_ml_dsa};
use crate::public_key::{PublicKey, oid};
use crate::spec::KeySpec;
use alloc::format;
use alloc::vec::Vec;
use der::Encode;
use sha2::Digest as _;
use zeroize::Zeroizing;

/// The opaque error of a failed decryption or authentication (nothing about why).
pub(crate) fn decrypt_failed() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the ciphertext is not valid for this key, or it was modified",
    )
}

/// A RustCrypto RNG drawing from a backend's `fill_random`.
pub(crate) struct BackendRng<'a, B: Backend + ?Sized>(pub(crate) &'a B);

impl<B: Backend + ?Sized> rand_core::TryRng for BackendRng<'_, B> {
    type Error = Error;

    fn try_next_u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.0.fill_random(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.0.fill_random(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<()> {
        self.0.fill_random(dst)
    }
}

impl<B: Backend + ?Sized> rand_core::TryCryptoRng for BackendRng<'_, B> {}

/// DER SubjectPublicKeyInfo with no algorithm parameters around a raw public key.
pub(crate) fn spki_der(spec: KeySpec, raw: &[u8]) -> Result<Vec<u8>> {
    let alg = match spec {
        KeySpec::EccNistEdwards25519 => oid::ED25519,
        KeySpec::MlDsa44 => oid::ML_DSA_44,
        KeySpec::MlDsa65 => oid::ML_DSA_65,
        KeySpec::MlDsa87 => oid::ML_DSA_87,
        KeySpec::MlKem512 => oid::ML_KEM_512,
        KeySpec::MlKem768 => oid::ML_KEM_768,
        KeySpec::MlKem1024 => oid::ML_KEM_1024,
        other => return Err(Error::internal(format!("{other} has algorithm parameters"))),
    };
    let bits = der::asn1::BitStringRef::from_bytes(raw)
        .map_err(|e| Error::internal(format!("SPKI encoding: {e}")))?;
    spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifier {
            oid: alg,
            parameters: None,
        },
        subject_public_key: bits,
    }
    .to_der()
    .map_err(|e| Error::internal(format!("SPKI encoding: {e}")))
}

/// Generates an ECC, SM2, Ed25519, ML-DSA or ML-KEM key pair from the backend's randomness.
pub(crate) fn generate_from_random_secret<B: Backend + ?Sized>(
    backend: &B,
    spec: KeySpec,
) -> Result<PrivateKey> {
    crate::keygen::from_random_secret(spec, &mut |buf: &mut [u8]| backend.fill_random(buf))
}

/// The expanded ML-KEM decapsulation key (FIPS 203 `dk`) of a seed-form private key.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn ml_kem_expanded_key(key: &PrivateKey) -> Result<crate::secret::Secret> {
    #[allow(
        deprecated,
        reason = "aws-lc-rs imports ML-KEM keys only in the expanded form"
    )]
    use ml_kem::ExpandedKeyEncoding;
    let seed = key
        .raw_secret()
        .ok_or_else(|| Error::validation("ML-KEM private key has no seed"))?;
    let s = crate::private_key::ml_kem_seed(seed.expose())?;
    crate::private_key::with_ml_kem!(key.spec(), |P| {
        let dk = ml_kem::DecapsulationKey::<P>::from_seed(s);
        #[allow(
            deprecated,
            reason = "aws-lc-rs imports ML-KEM keys only in the expanded form"
        )]
        let expanded = dk.to_expanded_bytes();
        Ok(crate::secret::Secret::from_slice(&expanded))
    })
}

/// KMS Decapsulate: a ciphertext of the wrong length is `InvalidCiphertextException`.
pub(crate) fn check_ml_kem_ciphertext_len(spec: KeySpec, ciphertext: &[u8]) -> Result<()> {
    let want = match spec {
        KeySpec::MlKem512 => 768,
        KeySpec::MlKem768 => 1088,
        _ => 1568,
    };
    if ciphertext.len() == want {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidCiphertextException,
            format!(
                "an {spec} ciphertext must be {want} bytes, got {}",
                ciphertext.len()
            ),
        ))
    }
}

fn ed25519_keys(key: &PrivateKey) -> Result<ed25519_dalek::SigningKey> {
    let seed = key
        .raw_secret()
        .ok_or_else(|| Error::validation("Ed25519 private key has no seed"))?;
    let seed: [u8; 32] = seed
        .expose()
        .try_into()
        .map_err(|_| Error::validation("Ed25519 seed must be 32 bytes"))?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&Zeroizing::new(seed)))
}

/// ED25519_PH_SHA_512: KMS takes a 64-byte DIGEST and "still performs the SHA-512 prehash", so
/// this is Ed25519ph (RFC 8032 §5.1, empty context) over the caller's digest as the message.
pub(crate) fn ed25519ph_sign(key: &PrivateKey, message: Message<'_>) -> Result<Vec<u8>> {
    let Message::Digest(m) = message else {
        return Err(Error::validation(
            "ED25519_PH_SHA_512 requires MessageType DIGEST",
        ));
    };
    let sk = ed25519_keys(key)?;
    let sig = sk
        .sign_prehashed(sha2::Sha512::new().chain_update(m), None)
        .map_err(|_| Error::internal("Ed25519ph signing failed"))?;
    Ok(sig.to_bytes().to_vec())
}

/// Verifies an ED25519_PH_SHA_512 signature (see [`ed25519ph_sign`]).
pub(crate) fn ed25519ph_verify(key: &PublicKey, message: Message<'_>, sig: &[u8]) -> Result<bool> {
    let Message::Digest(m) = message else {
        return Ok(false);
    };
    let raw: [u8; 32] = key
        .key_bytes()
        .try_into()
        .map_err(|_| Error::validation("Ed25519 public key must be 32 bytes"))?;
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&raw)
        .map_err(|_| Error::validation("Ed25519 public key is not a valid point"))?;
    let Ok(sig) = ed25519_dalek::Signature::from_slice(sig) else {
        return Ok(false);
    };
    Ok(vk
        .verify_prehashed(sha2::Sha512::new().chain_update(m), None, &sig)
        .is_ok())
}

/// The ML-DSA message representative μ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64):
/// pure ML-DSA with an empty context (FIPS 204 Algorithm 2 step 10, Algorithm 7 step 6), what
/// KMS signs for RAW and what it expects for EXTERNAL_MU.
pub(crate) fn ml_dsa_mu(public_key: &[u8], message: &[u8]) -> [u8; 64] {
    use shake::{ExtendableOutput, Update, XofReader};
    let mut tr = [0u8; 64];
    shake::Shake256::default()
        .chain(public_key)
        .finalize_xof()
        .read(&mut tr);
    let mut mu = [0u8; 64];
    shake::Shake256::default()
        .chain(tr)
        .chain([0u8, 0u8])
        .chain(message)
        .finalize_xof()
        .read(&mut mu);
    mu
}

type Mu = hybrid_array::Array<u8, hybrid_array::sizes::U64>;

fn mu_array(mu: &[u8]) -> Result<Mu> {
    Mu::try_from(mu).map_err(|_| Error::validation("EXTERNAL_MU must be 64 bytes"))
}

/// ML-DSA signing over an externally computed μ (hedged: fresh randomness per signature).
pub(crate) fn ml_dsa_sign_mu(
    backend: &dyn Backend,
    key: &PrivateKey,
    mu: &[u8],
) -> Result<Vec<u8>> {
    let mu = mu_array(mu)?;
    let seed = key
        .raw_secret()
        .ok_or_else(|| Error::validation("ML-DSA private key has no seed"))?;
    let xi = ml_dsa::Seed::try_from(seed.expose())
        .map_err(|_| Error::validation("ML-DSA seed must be 32 bytes"))?;
    with_ml_dsa!(key.spec(), |P| {
        let sk = ml_dsa::ExpandedSigningKey::<P>::from_seed(&xi);
        sk.sign_mu_randomized(&mu, &mut BackendRng(backend))
            .map(|s| s.encode().to_vec())
            .map_err(|_| Error::internal("ML-DSA signing failed"))
    })
}

/// Verifies an ML-DSA signature over an externally computed μ.
pub(crate) fn ml_dsa_verify_mu(key: &PublicKey, mu: &[u8], sig: &[u8]) -> Result<bool> {
    let mu = mu_array(mu)?;
    with_ml_dsa!(key.spec(), |P| {
        let Ok(enc) = ml_dsa::EncodedVerifyingKey::<P>::try_from(key.key_bytes()) else {
            return Err(Error::validation("ML-DSA public key has the wrong length"));
        };
        let vk = ml_dsa::VerifyingKey::<P>::decode(&enc);
        let Ok(sig_enc) = ml_dsa::EncodedSignature::<P>::try_from(sig) else {
            return Ok(false);
        };
        Ok(match ml_dsa::Signature::<P>::decode(&sig_enc) {
            Some(s) => vk.verify_mu(&mu, &s),
            None => false,
        })
    })
}
