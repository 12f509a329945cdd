//! The RustCrypto backend: wasm32 always, native with feature `rust-crypto`.
//!
//! Every operation hashes RAW messages itself and then uses the prehash APIs, so RAW and
//! DIGEST share one path, exactly as KMS describes DIGEST ("KMS skips the hashing step").

use super::common::{self, BackendRng};
use super::rsa_public::RsaPublicKey;
use super::{AesGcmKey, Backend, HashContext, Message, RsaPadding};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::{PrivateKey, with_ml_dsa, with_ml_kem};
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::spec::{Hash, KeyFamily, KeySpec, MacAlgorithm, SignatureScheme, SigningAlgorithm};
use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;
use core::convert::Infallible;
use pkcs8::DecodePrivateKey;
use sha2::Digest as _;

/// Zero-sized handle; see [`super::RUST_CRYPTO`].
#[derive(Debug)]
pub(super) struct RustCrypto;

fn bad_key(spec: KeySpec) -> Error {
    Error::validation(format!("{spec} key is not valid"))
}

fn unsupported(spec: KeySpec, what: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedOperationException,
        format!("{what} is not available for {spec} keys"),
    )
}

/// An infallible RNG for RustCrypto APIs that demand one (`rsa`, `ml-kem`): a failure of the
/// source is recorded and turned into an error after the operation, whose output is dropped.
struct CheckedRng<'a> {
    backend: &'a dyn Backend,
    failed: bool,
}

impl<'a> CheckedRng<'a> {
    fn new(backend: &'a dyn Backend) -> Self {
        Self {
            backend,
            failed: false,
        }
    }

    fn check(&self) -> Result<()> {
        if self.failed {
            Err(Error::internal("the random source failed"))
        } else {
            Ok(())
        }
    }
}

impl rand_core::TryRng for CheckedRng<'_> {
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
        if self.backend.fill_random(dst).is_err() {
            self.failed = true;
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for CheckedRng<'_> {}

/// The prehash of `message` for `hash` (RAW is hashed here, DIGEST is taken as is).
fn prehash(hash: Hash, message: Message<'_>) -> Result<Vec<u8>> {
    match message {
        Message::Raw(m) => Ok(match hash {
            Hash::Sha256 => sha2::Sha256::digest(m).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(m).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(m).to_vec(),
            Hash::Sm3 | Hash::Shake256 => {
                return Err(Error::internal("prehash is not defined for SM3/SHAKE here"));
            }
        }),
        Message::Digest(d) => Ok(d.to_vec()),
        Message::ExternalMu(_) => Err(Error::validation("EXTERNAL_MU applies to ML-DSA only")),
    }
}

macro_rules! ecdsa_sign {
    ($curve:ident, $backend:expr, $key:expr, $prehash:expr) => {{
        use signature::hazmat::RandomizedPrehashSigner;
        let scalar = $key.raw_secret().ok_or_else(|| bad_key($key.spec()))?;
        let sk = $curve::ecdsa::SigningKey::from_slice(scalar.expose())
            .map_err(|_| bad_key($key.spec()))?;
        let sig: $curve::ecdsa::Signature = sk
            .sign_prehash_with_rng(&mut BackendRng($backend), $prehash)
            .map_err(|_| Error::internal("ECDSA signing failed"))?;
        sig.to_der().as_bytes().to_vec()
    }};
}

/// ECDSA verification on P-256 with the variable-time `double_mul`: ~1.6× the `ecdsa`
/// crate's path in wasm, where P-256 is the common case. High-S signatures verify, as in KMS,
/// which emits them: x([u₁]G + [u₂]Q) is the same for s and n − s.
fn p256_verify(point: &[u8], prehash: &[u8], sig: &[u8]) -> Result<bool> {
    let pk = crate::point::public_key::<p256::NistP256>(point)
        .ok_or_else(|| Error::validation("EC public key is not a point on its curve"))?;
    Ok(match p256::ecdsa::Signature::from_der(sig) {
        Ok(sig) => {
            let (r, s) = sig.split_scalars();
            crate::double_mul::ecdsa_verify::<p256::NistP256>(pk.as_affine(), prehash, &r, &s)
        }
        Err(_) => false,
    })
}

/// ECDSA verification by the `ecdsa` crate, with the curve crate's own linear combination
/// (secp256k1's has the endomorphism speed-up): P-384, P-521 and secp256k1. For P-384/P-521
/// `double_mul` would be faster, but each curve's copy of it costs ~3 KB of the gzipped wasm
/// package (BENCHMARKS.md, "wasm package size"). High-S signatures are normalized first: KMS
/// emits them, and `(r, s)` verifies exactly when `(r, n − s)` does.
macro_rules! ecdsa_verify {
    ($curve:ident, $curve_type:ident, $point:expr, $prehash:expr, $sig:expr) => {{
        use signature::hazmat::PrehashVerifier;
        let vk = crate::point::public_key::<$curve::$curve_type>($point)
            .map($curve::ecdsa::VerifyingKey::from)
            .ok_or_else(|| Error::validation("EC public key is not a point on its curve"))?;
        match $curve::ecdsa::Signature::from_der($sig) {
            Ok(sig) => vk.verify_prehash($prehash, &sig.normalize_s()).is_ok(),
            Err(_) => false,
        }
    }};
}

macro_rules! ecdh {
    ($curve:ident, $curve_type:ident, $key:expr, $peer:expr) => {{
        let scalar = $key.raw_secret().ok_or_else(|| bad_key($key.spec()))?;
        let sk =
            $curve::SecretKey::from_slice(scalar.expose()).map_err(|_| bad_key($key.spec()))?;
        let pk = crate::point::public_key::<$curve::$curve_type>($peer.key_bytes())
            .ok_or_else(|| Error::validation("peer public key is not a valid point"))?;
        let shared = $curve::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
        Secret::from_slice(shared.raw_secret_bytes())
    }};
}

fn rsa_private(key: &PrivateKey) -> Result<rsa::RsaPrivateKey> {
    rsa::RsaPrivateKey::from_pkcs8_der(key.pkcs8_der().expose()).map_err(|_| bad_key(key.spec()))
}

macro_rules! with_sha {
    ($hash:expr, |$D:ident| $body:expr) => {
        match $hash {
            Hash::Sha384 => {
                type $D = sha2::Sha384;
                $body
            }
            Hash::Sha512 => {
                type $D = sha2::Sha512;
                $body
            }
            _ => {
                type $D = sha2::Sha256;
                $body
            }
        }
    };
}

fn rsa_sign(
    backend: &dyn Backend,
    key: &PrivateKey,
    algorithm: SigningAlgorithm,
    ph: &[u8],
) -> Result<Vec<u8>> {
    use signature::SignatureEncoding;
    use signature::hazmat::{PrehashSigner, RandomizedPrehashSigner};
    let sk = rsa_private(key)?;
    let info = algorithm.info();
    let failed = |_| Error::internal("RSA signing failed");
    with_sha!(info.hash, |D| match info.scheme {
        SignatureScheme::RsaPss => rsa::pss::SigningKey::<D>::new(sk)
            .sign_prehash_with_rng(&mut BackendRng(backend), ph)
            .map(|s| s.to_vec())
            .map_err(failed),
        _ => rsa::pkcs1v15::SigningKey::<D>::new(sk)
            .sign_prehash(ph)
            .map(|s| s.to_vec())
            .map_err(failed),
    })
}

/// RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2) that reports bad padding as an error, with
/// the padding scanned in constant time. Used only by the Encryption SDK's raw RSA keyring.
fn pkcs1v15_decrypt(
    key: &rsa::RsaPrivateKey,
    rng: &mut CheckedRng<'_>,
    ciphertext: &[u8],
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    use subtle::{ConditionallySelectable, ConstantTimeEq};
    let k = key.size();
    if k < 11 || ciphertext.len() != k {
        return None;
    }
    let c = rsa::BoxedUint::from_be_slice(ciphertext, key.n_bits_precision()).ok()?;
    let m = rsa::hazmat::rsa_decrypt_and_check(key, Some(rng), &c).ok()?;
    let m = zeroize::Zeroizing::new(m.to_be_bytes());
    // EM = 0x00 ‖ 0x02 ‖ PS (≥ 8 non-zero bytes) ‖ 0x00 ‖ M, left-padded to k bytes.
    let mut em = zeroize::Zeroizing::new(alloc::vec![0u8; k]);
    let start = k.checked_sub(m.len())?;
    em[start..].copy_from_slice(&m);
    let mut valid = em[0].ct_eq(&0) & em[1].ct_eq(&2);
    let mut found = subtle::Choice::from(0);
    let mut index = 0u32;
    for (i, &b) in em.iter().enumerate().skip(2) {
        let is_zero = b.ct_eq(&0);
        let first = is_zero & !found;
        index.conditional_assign(&(i as u32), first);
        found |= is_zero;
    }
    valid &= found & !(index.ct_eq(&0)) & subtle::Choice::from(u8::from(index >= 10));
    if bool::from(valid) {
        Some(em[index as usize + 1..].to_vec())
    } else {
        None
    }
}

impl Backend for RustCrypto {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn fill_random(&self, out: &mut [u8]) -> Result<()> {
        #[cfg(feature = "getrandom")]
        {
            getrandom::fill(out).map_err(|e| Error::internal(format!("random source failed: {e}")))
        }
        #[cfg(not(feature = "getrandom"))]
        {
            let _ = out;
            Err(Error::internal(
                "no random source: build kmskit with the `getrandom` feature or pass one explicitly",
            ))
        }
    }

    fn generate_key_pair(&self, spec: KeySpec) -> Result<PrivateKey> {
        match spec.info().family {
            KeyFamily::Rsa => {
                crate::keygen::generate_with(spec, &mut |buf: &mut [u8]| self.fill_random(buf))
            }
            KeyFamily::Symmetric | KeyFamily::Hmac => {
                Err(Error::validation(format!("{spec} is not a key-pair spec")))
            }
            _ => common::generate_from_random_secret(self, spec),
        }
    }

    fn public_key_der(&self, key: &PrivateKey) -> Result<Vec<u8>> {
        use spki::EncodePublicKey;
        let spec = key.spec();
        let der = |r: spki::Result<der::Document>| {
            r.map(|d| d.as_bytes().to_vec()).map_err(|_| bad_key(spec))
        };
        let scalar = || key.raw_secret().ok_or_else(|| bad_key(spec));
        match spec {
            KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096 => {
                der(rsa_private(key)?.to_public_key().to_public_key_der())
            }
            KeySpec::EccNistP256 => der(p256::SecretKey::from_slice(scalar()?.expose())
                .map_err(|_| bad_key(spec))?
                .public_key()
                .to_public_key_der()),
            KeySpec::EccNistP384 => der(p384::SecretKey::from_slice(scalar()?.expose())
                .map_err(|_| bad_key(spec))?
                .public_key()
                .to_public_key_der()),
            KeySpec::EccNistP521 => der(p521::SecretKey::from_slice(scalar()?.expose())
                .map_err(|_| bad_key(spec))?
                .public_key()
                .to_public_key_der()),
            KeySpec::EccSecgP256k1 => der(k256::SecretKey::from_slice(scalar()?.expose())
                .map_err(|_| bad_key(spec))?
                .public_key()
                .to_public_key_der()),
            KeySpec::Sm2 => crate::sm2::public_key_der(key),
            KeySpec::EccNistEdwards25519 => {
                let seed: [u8; 32] = scalar()?.expose().try_into().map_err(|_| bad_key(spec))?;
                der(ed25519_dalek::SigningKey::from_bytes(&seed)
                    .verifying_key()
                    .to_public_key_der())
            }
            KeySpec::MlDsa44 | KeySpec::MlDsa65 | KeySpec::MlDsa87 => {
                let xi = ml_dsa::Seed::try_from(scalar()?.expose()).map_err(|_| bad_key(spec))?;
                with_ml_dsa!(spec, |P| der(signature::Keypair::verifying_key(
                    &ml_dsa::SigningKey::<P>::from_seed(&xi)
                )
                .to_public_key_der()))
            }
            KeySpec::MlKem512 | KeySpec::MlKem768 | KeySpec::MlKem1024 => {
                use ml_kem::KeyExport;
                let s = crate::private_key::ml_kem_seed(scalar()?.expose())?;
                let ek = with_ml_kem!(spec, |P| Ok(ml_kem::DecapsulationKey::<P>::from_seed(s)
                    .encapsulation_key()
                    .to_bytes()
                    .to_vec()))?;
                common::spki_der(spec, &ek)
            }
            _ => Err(bad_key(spec)),
        }
    }

    fn sign(
        &self,
        key: &PrivateKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
    ) -> Result<Vec<u8>> {
        let spec = key.spec();
        let info = algorithm.info();
        match info.scheme {
            SignatureScheme::Ecdsa => {
                let ph = prehash(info.hash, message)?;
                Ok(match spec {
                    KeySpec::EccNistP256 => ecdsa_sign!(p256, self, key, &ph),
                    KeySpec::EccNistP384 => ecdsa_sign!(p384, self, key, &ph),
                    KeySpec::EccNistP521 => ecdsa_sign!(p521, self, key, &ph),
                    KeySpec::EccSecgP256k1 => ecdsa_sign!(k256, self, key, &ph),
                    _ => return Err(bad_key(spec)),
                })
            }
            SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15 => {
                rsa_sign(self, key, algorithm, &prehash(info.hash, message)?)
            }
            SignatureScheme::Ed25519 => {
                use signature::Signer;
                let Message::Raw(m) = message else {
                    return Err(unsupported(spec, "ED25519_SHA_512 without RAW"));
                };
                let seed = key.raw_secret().ok_or_else(|| bad_key(spec))?;
                let seed: [u8; 32] = seed.expose().try_into().map_err(|_| bad_key(spec))?;
                let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
                Ok(sk.sign(m).to_bytes().to_vec())
            }
            SignatureScheme::Ed25519ph => common::ed25519ph_sign(key, message),
            SignatureScheme::MlDsa => match message {
                Message::Raw(m) => {
                    let seed = key.raw_secret().ok_or_else(|| bad_key(spec))?;
                    let xi = ml_dsa::Seed::try_from(seed.expose()).map_err(|_| bad_key(spec))?;
                    with_ml_dsa!(spec, |P| {
                        ml_dsa::ExpandedSigningKey::<P>::from_seed(&xi)
                            .sign_randomized(m, &[], &mut BackendRng(self))
                            .map(|s| s.encode().to_vec())
                            .map_err(|_| Error::internal("ML-DSA signing failed"))
                    })
                }
                Message::ExternalMu(mu) => common::ml_dsa_sign_mu(self, key, mu),
                Message::Digest(_) => Err(unsupported(spec, "ML-DSA with DIGEST")),
            },
            SignatureScheme::Sm2 => crate::sm2::sign(key, message),
        }
    }

    fn verify(
        &self,
        key: &PublicKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
        sig: &[u8],
    ) -> Result<bool> {
        let spec = key.spec();
        let info = algorithm.info();
        match info.scheme {
            SignatureScheme::Ecdsa => {
                let ph = prehash(info.hash, message)?;
                let point = key.key_bytes();
                Ok(match spec {
                    KeySpec::EccNistP256 => p256_verify(point, &ph, sig)?,
                    KeySpec::EccNistP384 => ecdsa_verify!(p384, NistP384, point, &ph, sig),
                    KeySpec::EccNistP521 => ecdsa_verify!(p521, NistP521, point, &ph, sig),
                    KeySpec::EccSecgP256k1 => ecdsa_verify!(k256, Secp256k1, point, &ph, sig),
                    _ => return Err(bad_key(spec)),
                })
            }
            SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15 => {
                let ph = prehash(info.hash, message)?;
                RsaPublicKey::parse(key)?.verify(info.scheme, info.hash, &ph, sig)
            }
            SignatureScheme::Ed25519 => {
                let Message::Raw(m) = message else {
                    return Ok(false);
                };
                let raw: [u8; 32] = key.key_bytes().try_into().map_err(|_| bad_key(spec))?;
                let vk = ed25519_dalek::VerifyingKey::from_bytes(&raw)
                    .map_err(|_| Error::validation("Ed25519 public key is not a valid point"))?;
                let Ok(sig) = ed25519_dalek::Signature::from_slice(sig) else {
                    return Ok(false);
                };
                Ok(vk.verify_strict(m, &sig).is_ok())
            }
            SignatureScheme::Ed25519ph => common::ed25519ph_verify(key, message, sig),
            SignatureScheme::MlDsa => match message {
                Message::Raw(m) => with_ml_dsa!(spec, |P| {
                    let enc = ml_dsa::EncodedVerifyingKey::<P>::try_from(key.key_bytes())
                        .map_err(|_| bad_key(spec))?;
                    let vk = ml_dsa::VerifyingKey::<P>::decode(&enc);
                    let Ok(sig_enc) = ml_dsa::EncodedSignature::<P>::try_from(sig) else {
                        return Ok(false);
                    };
                    Ok(ml_dsa::Signature::<P>::decode(&sig_enc)
                        .is_some_and(|s| vk.verify_with_context(m, &[], &s)))
                }),
                Message::ExternalMu(mu) => common::ml_dsa_verify_mu(key, mu, sig),
                Message::Digest(_) => Err(unsupported(spec, "ML-DSA with DIGEST")),
            },
            SignatureScheme::Sm2 => crate::sm2::verify(key, message, None, sig),
        }
    }

    fn rsa_encrypt(
        &self,
        key: &PublicKey,
        padding: RsaPadding,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        RsaPublicKey::parse(key)?.encrypt(padding, plaintext, self)
    }

    fn rsa_decrypt(
        &self,
        key: &PrivateKey,
        padding: RsaPadding,
        ciphertext: &[u8],
    ) -> Result<Secret> {
        let sk = rsa_private(key)?;
        let mut rng = CheckedRng::new(self);
        let out = match padding {
            RsaPadding::OaepSha1 => {
                sk.decrypt_blinded(&mut rng, rsa::Oaep::<sha1::Sha1>::new(), ciphertext)
            }
            RsaPadding::OaepSha256 => {
                sk.decrypt_blinded(&mut rng, rsa::Oaep::<sha2::Sha256>::new(), ciphertext)
            }
            RsaPadding::OaepSha384 => {
                sk.decrypt_blinded(&mut rng, rsa::Oaep::<sha2::Sha384>::new(), ciphertext)
            }
            RsaPadding::OaepSha512 => {
                sk.decrypt_blinded(&mut rng, rsa::Oaep::<sha2::Sha512>::new(), ciphertext)
            }
            // rsa's own PKCS#1 v1.5 decryption does "implicit rejection" (synthetic plaintext on
            // bad padding); aws-lc returns an error, and so must this backend.
            RsaPadding::Pkcs1v15 => {
                pkcs1v15_decrypt(&sk, &mut rng, ciphertext).ok_or(rsa::Error::Decryption)
            }
        }
        .map(Secret::new)
        .map_err(|_| common::decrypt_failed())?;
        rng.check()?;
        Ok(out)
    }

    fn ecdh(&self, key: &PrivateKey, peer: &PublicKey) -> Result<Secret> {
        Ok(match key.spec() {
            KeySpec::EccNistP256 => ecdh!(p256, NistP256, key, peer),
            KeySpec::EccNistP384 => ecdh!(p384, NistP384, key, peer),
            KeySpec::EccNistP521 => ecdh!(p521, NistP521, key, peer),
            KeySpec::Sm2 => return crate::sm2::ecdh(key, peer),
            spec => return Err(unsupported(spec, "ECDH")),
        })
    }

    fn ml_kem_encapsulate(&self, key: &PublicKey) -> Result<(Secret, Vec<u8>)> {
        let spec = key.spec();
        let mut m = ml_kem::B32::default();
        self.fill_random(&mut m)?;
        with_ml_kem!(spec, |P| {
            let bytes =
                ml_kem::array::Array::try_from(key.key_bytes()).map_err(|_| bad_key(spec))?;
            let ek = ml_kem::EncapsulationKey::<P>::new(&bytes).map_err(|_| bad_key(spec))?;
            let (ct, ss) = ek.encapsulate_deterministic(&m);
            Ok((Secret::from_slice(&ss), ct.to_vec()))
        })
    }

    fn ml_kem_decapsulate(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Secret> {
        use ml_kem::kem::Decapsulate;
        let spec = key.spec();
        common::check_ml_kem_ciphertext_len(spec, ciphertext)?;
        let seed = key.raw_secret().ok_or_else(|| bad_key(spec))?;
        let s = crate::private_key::ml_kem_seed(seed.expose())?;
        with_ml_kem!(spec, |P| {
            let dk = ml_kem::DecapsulationKey::<P>::from_seed(s);
            let ct =
                ml_kem::array::Array::try_from(ciphertext).map_err(|_| common::decrypt_failed())?;
            Ok(Secret::from_slice(&dk.decapsulate(&ct)))
        })
    }

    fn hmac(&self, algorithm: MacAlgorithm, key: &[u8], message: &[u8]) -> Result<Vec<u8>> {
        use hmac::{KeyInit, Mac};
        macro_rules! mac {
            ($d:ty) => {{
                let mut m = <hmac::Hmac<$d> as KeyInit>::new_from_slice(key)
                    .map_err(|_| Error::internal("HMAC key setup failed"))?;
                m.update(message);
                m.finalize().into_bytes().to_vec()
            }};
        }
        Ok(match algorithm {
            MacAlgorithm::HmacSha224 => mac!(sha2::Sha224),
            MacAlgorithm::HmacSha256 => mac!(sha2::Sha256),
            MacAlgorithm::HmacSha384 => mac!(sha2::Sha384),
            MacAlgorithm::HmacSha512 => mac!(sha2::Sha512),
        })
    }

    fn aes_gcm_seal(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        let n = aes_gcm::Nonce::from(*nonce);
        let failed = |_| Error::internal("AES-GCM encryption failed");
        match key.len() {
            16 => aes_gcm::Aes128Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .encrypt(&n, payload)
                .map_err(failed),
            24 => Aes192Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .encrypt(&n, payload)
                .map_err(failed),
            32 => aes_gcm::Aes256Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .encrypt(&n, payload)
                .map_err(failed),
            n => Err(Error::validation(format!(
                "AES-GCM key must be 16, 24 or 32 bytes, got {n}"
            ))),
        }
    }

    fn aes_gcm_open(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext_and_tag: &[u8],
    ) -> Result<Secret> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let payload = Payload {
            msg: ciphertext_and_tag,
            aad,
        };
        let n = aes_gcm::Nonce::from(*nonce);
        let out = match key.len() {
            16 => aes_gcm::Aes128Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .decrypt(&n, payload),
            24 => Aes192Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .decrypt(&n, payload),
            32 => aes_gcm::Aes256Gcm::new_from_slice(key)
                .map_err(|_| Error::internal("AES key setup"))?
                .decrypt(&n, payload),
            n => {
                return Err(Error::validation(format!(
                    "AES-GCM key must be 16, 24 or 32 bytes, got {n}"
                )));
            }
        };
        out.map(Secret::new).map_err(|_| common::decrypt_failed())
    }

    fn aes_gcm_key(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>> {
        use aes_gcm::aead::KeyInit;
        let setup = |_| Error::internal("AES key setup");
        Ok(Box::new(match key.len() {
            16 => GcmKey::Aes128(aes_gcm::Aes128Gcm::new_from_slice(key).map_err(setup)?),
            24 => GcmKey::Aes192(Aes192Gcm::new_from_slice(key).map_err(setup)?),
            32 => GcmKey::Aes256(aes_gcm::Aes256Gcm::new_from_slice(key).map_err(setup)?),
            n => {
                return Err(Error::validation(format!(
                    "AES-GCM key must be 16, 24 or 32 bytes, got {n}"
                )));
            }
        }))
    }

    fn hash_context(&self, hash: Hash) -> Result<Box<dyn HashContext>> {
        Ok(Box::new(match hash {
            Hash::Sha256 => HashCtx::Sha256(sha2::Sha256::new()),
            Hash::Sha384 => HashCtx::Sha384(sha2::Sha384::new()),
            Hash::Sha512 => HashCtx::Sha512(sha2::Sha512::new()),
            other => {
                return Err(Error::new(
                    ErrorCode::UnsupportedOperationException,
                    format!("no incremental {other:?} hash"),
                ));
            }
        }))
    }
}

/// A RustCrypto AES-GCM key, set up once.
enum GcmKey {
    Aes128(aes_gcm::Aes128Gcm),
    Aes192(Aes192Gcm),
    Aes256(aes_gcm::Aes256Gcm),
}

impl AesGcmKey for GcmKey {
    fn seal_in_place(&self, nonce: &[u8; 12], aad: &[u8], in_out: &mut [u8]) -> Result<[u8; 16]> {
        use aes_gcm::aead::AeadInOut;
        let n = aes_gcm::Nonce::from(*nonce);
        let tag = match self {
            GcmKey::Aes128(k) => k.encrypt_inout_detached(&n, aad, in_out.into()),
            GcmKey::Aes192(k) => k.encrypt_inout_detached(&n, aad, in_out.into()),
            GcmKey::Aes256(k) => k.encrypt_inout_detached(&n, aad, in_out.into()),
        }
        .map_err(|_| Error::internal("AES-GCM encryption failed"))?;
        let mut out = [0u8; 16];
        out.copy_from_slice(&tag);
        Ok(out)
    }

    fn open_into(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
        out: &mut [u8],
    ) -> Result<()> {
        use aes_gcm::aead::AeadInOut;
        use aes_gcm::aead::inout::InOutBuf;
        let n = aes_gcm::Nonce::from(*nonce);
        let t = aes_gcm::Tag::from(*tag);
        let buf = InOutBuf::new(ciphertext, out)
            .map_err(|_| Error::internal("AES-GCM output length differs from the input"))?;
        match self {
            GcmKey::Aes128(k) => k.decrypt_inout_detached(&n, aad, buf, &t),
            GcmKey::Aes192(k) => k.decrypt_inout_detached(&n, aad, buf, &t),
            GcmKey::Aes256(k) => k.decrypt_inout_detached(&n, aad, buf, &t),
        }
        .map_err(|_| common::decrypt_failed())
    }
}

/// An incremental RustCrypto SHA-2 hash.
enum HashCtx {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl HashContext for HashCtx {
    fn update(&mut self, data: &[u8]) {
        match self {
            HashCtx::Sha256(h) => h.update(data),
            HashCtx::Sha384(h) => h.update(data),
            HashCtx::Sha512(h) => h.update(data),
        }
    }

    fn finish(self: Box<Self>) -> Vec<u8> {
        match *self {
            HashCtx::Sha256(h) => h.finalize().to_vec(),
            HashCtx::Sha384(h) => h.finalize().to_vec(),
            HashCtx::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

type Aes192Gcm = aes_gcm::AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>;
