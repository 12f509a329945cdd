//! The aws-lc-rs backend: native targets.
//!
//! aws-lc-rs has no SM2/SM3, no Ed25519ph, no ML-DSA signing over an external μ and no ML-KEM
//! key import from the seed form; those go through [`super::common`] and [`crate::sm2`]
//! (RustCrypto) — for ML-KEM only the seed expansion does, the decapsulation itself is aws-lc's.

use super::{AesGcmKey, Backend, HashContext, Message, RsaPadding, common};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::spec::{KeyFamily, KeySpec, MacAlgorithm, SignatureScheme, SigningAlgorithm};
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, KeyPair as _};
use aws_lc_rs::{aead, agreement, digest, hmac, kem, rand, rsa};
use zeroize::Zeroizing;

/// Zero-sized handle; see [`super::AWS_LC`].
#[derive(Debug)]
pub(super) struct AwsLc;

fn bad_key(spec: KeySpec) -> Error {
    Error::validation(alloc::format!("{spec} key is not valid"))
}

fn internal(what: &str) -> Error {
    Error::internal(alloc::format!("aws-lc: {what} failed"))
}

fn unsupported(spec: KeySpec, what: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedOperationException,
        alloc::format!("{what} is not available for {spec} keys"),
    )
}

fn digest_alg(hash: crate::spec::Hash) -> &'static digest::Algorithm {
    match hash {
        crate::spec::Hash::Sha384 => &digest::SHA384,
        crate::spec::Hash::Sha512 => &digest::SHA512,
        _ => &digest::SHA256,
    }
}

#[cfg(feature = "std")]
type ParsedKey = alloc::sync::Arc<signature::ParsedPublicKey>;
#[cfg(not(feature = "std"))]
type ParsedKey = signature::ParsedPublicKey;

/// Parses a public key for `alg`. With `std`, the last few parsed keys are kept: verifying
/// with the same KMS key over and over is the common case, and aws-lc's per-key setup (the RSA
/// Montgomery context, the EC point decoding) is a sixth of an RSA-2048 verification.
fn parsed_key(
    alg: &'static dyn signature::VerificationAlgorithm,
    key: &PublicKey,
) -> Result<ParsedKey> {
    #[cfg(feature = "std")]
    {
        use std::sync::{Mutex, PoisonError};
        type Entry = (usize, alloc::vec::Vec<u8>, ParsedKey);
        const CAPACITY: usize = 8;
        static RECENT: Mutex<alloc::vec::Vec<Entry>> = Mutex::new(alloc::vec::Vec::new());
        // the algorithm is a static; its address identifies it
        let id = core::ptr::from_ref(alg).cast::<()>() as usize;
        let spki = key.spki_der();
        {
            let mut recent = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(i) = recent
                .iter()
                .position(|(a, k, _)| *a == id && k.as_slice() == spki)
            {
                let entry = recent.remove(i);
                let found = entry.2.clone();
                recent.insert(0, entry);
                return Ok(found);
            }
        }
        let parsed = alloc::sync::Arc::new(
            signature::ParsedPublicKey::new(alg, spki).map_err(|_| bad_key(key.spec()))?,
        );
        let mut recent = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
        recent.insert(0, (id, spki.to_vec(), parsed.clone()));
        recent.truncate(CAPACITY);
        Ok(parsed)
    }
    #[cfg(not(feature = "std"))]
    {
        signature::ParsedPublicKey::new(alg, key.spki_der()).map_err(|_| bad_key(key.spec()))
    }
}

fn ecdsa_algs(
    spec: KeySpec,
) -> Option<(
    &'static signature::EcdsaSigningAlgorithm,
    &'static signature::EcdsaVerificationAlgorithm,
)> {
    Some(match spec {
        KeySpec::EccNistP256 => (
            &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &signature::ECDSA_P256_SHA256_ASN1,
        ),
        KeySpec::EccNistP384 => (
            &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
            &signature::ECDSA_P384_SHA384_ASN1,
        ),
        KeySpec::EccNistP521 => (
            &signature::ECDSA_P521_SHA512_ASN1_SIGNING,
            &signature::ECDSA_P521_SHA512_ASN1,
        ),
        KeySpec::EccSecgP256k1 => (
            &signature::ECDSA_P256K1_SHA256_ASN1_SIGNING,
            &signature::ECDSA_P256K1_SHA256_ASN1,
        ),
        _ => return None,
    })
}

fn rsa_sign_alg(alg: SigningAlgorithm) -> &'static dyn signature::RsaEncoding {
    match alg {
        SigningAlgorithm::RsassaPssSha256 => &signature::RSA_PSS_SHA256,
        SigningAlgorithm::RsassaPssSha384 => &signature::RSA_PSS_SHA384,
        SigningAlgorithm::RsassaPssSha512 => &signature::RSA_PSS_SHA512,
        SigningAlgorithm::RsassaPkcs1V15Sha384 => &signature::RSA_PKCS1_SHA384,
        SigningAlgorithm::RsassaPkcs1V15Sha512 => &signature::RSA_PKCS1_SHA512,
        _ => &signature::RSA_PKCS1_SHA256,
    }
}

fn rsa_verify_alg(alg: SigningAlgorithm) -> &'static signature::RsaParameters {
    match alg {
        SigningAlgorithm::RsassaPssSha256 => &signature::RSA_PSS_2048_8192_SHA256,
        SigningAlgorithm::RsassaPssSha384 => &signature::RSA_PSS_2048_8192_SHA384,
        SigningAlgorithm::RsassaPssSha512 => &signature::RSA_PSS_2048_8192_SHA512,
        SigningAlgorithm::RsassaPkcs1V15Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        SigningAlgorithm::RsassaPkcs1V15Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        _ => &signature::RSA_PKCS1_2048_8192_SHA256,
    }
}

fn ml_dsa_algs(
    spec: KeySpec,
) -> Option<(
    &'static signature::PqdsaSigningAlgorithm,
    &'static signature::PqdsaVerificationAlgorithm,
)> {
    Some(match spec {
        KeySpec::MlDsa44 => (&signature::ML_DSA_44_SIGNING, &signature::ML_DSA_44),
        KeySpec::MlDsa65 => (&signature::ML_DSA_65_SIGNING, &signature::ML_DSA_65),
        KeySpec::MlDsa87 => (&signature::ML_DSA_87_SIGNING, &signature::ML_DSA_87),
        _ => return None,
    })
}

fn ml_kem_alg(spec: KeySpec) -> Option<&'static kem::Algorithm> {
    Some(match spec {
        KeySpec::MlKem512 => &kem::ML_KEM_512,
        KeySpec::MlKem768 => &kem::ML_KEM_768,
        KeySpec::MlKem1024 => &kem::ML_KEM_1024,
        _ => return None,
    })
}

fn ecdh_alg(spec: KeySpec) -> Option<&'static agreement::Algorithm> {
    Some(match spec {
        KeySpec::EccNistP256 => &agreement::ECDH_P256,
        KeySpec::EccNistP384 => &agreement::ECDH_P384,
        KeySpec::EccNistP521 => &agreement::ECDH_P521,
        _ => return None,
    })
}

fn oaep(padding: RsaPadding) -> Option<&'static rsa::OaepAlgorithm> {
    Some(match padding {
        RsaPadding::OaepSha1 => &rsa::OAEP_SHA1_MGF1SHA1,
        RsaPadding::OaepSha256 => &rsa::OAEP_SHA256_MGF1SHA256,
        RsaPadding::OaepSha384 => &rsa::OAEP_SHA384_MGF1SHA384,
        RsaPadding::OaepSha512 => &rsa::OAEP_SHA512_MGF1SHA512,
        RsaPadding::Pkcs1v15 => return None,
    })
}

fn aead_alg(key: &[u8]) -> Result<&'static aead::Algorithm> {
    match key.len() {
        16 => Ok(&aead::AES_128_GCM),
        24 => Ok(&aead::AES_192_GCM),
        32 => Ok(&aead::AES_256_GCM),
        n => Err(Error::validation(alloc::format!(
            "AES-GCM key must be 16, 24 or 32 bytes, got {n}"
        ))),
    }
}

impl Backend for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc"
    }

    fn fill_random(&self, out: &mut [u8]) -> Result<()> {
        rand::fill(out).map_err(|_| internal("random generation"))
    }

    fn generate_key_pair(&self, spec: KeySpec) -> Result<PrivateKey> {
        let pkcs8: Vec<u8> = match spec.info().family {
            KeyFamily::Rsa => {
                let size = match spec {
                    KeySpec::Rsa2048 => rsa::KeySize::Rsa2048,
                    KeySpec::Rsa3072 => rsa::KeySize::Rsa3072,
                    _ => rsa::KeySize::Rsa4096,
                };
                let kp =
                    rsa::KeyPair::generate(size).map_err(|_| internal("RSA key generation"))?;
                AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&kp)
                    .map_err(|_| internal("RSA key export"))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::Ecc => {
                let (alg, _) = ecdsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                let kp = signature::EcdsaKeyPair::generate(alg)
                    .map_err(|_| internal("EC key generation"))?;
                kp.to_pkcs8v1()
                    .map_err(|_| internal("EC key export"))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::Ed25519 => {
                let kp = signature::Ed25519KeyPair::generate()
                    .map_err(|_| internal("Ed25519 key generation"))?;
                kp.to_pkcs8v1()
                    .map_err(|_| internal("Ed25519 key export"))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::MlDsa => {
                let (alg, _) = ml_dsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                let kp = signature::PqdsaKeyPair::generate(alg)
                    .map_err(|_| internal("ML-DSA key generation"))?;
                kp.to_pkcs8v1()
                    .map_err(|_| internal("ML-DSA key export"))?
                    .as_ref()
                    .to_vec()
            }
            // aws-lc-rs cannot export an ML-KEM key in the seed form KMS uses; a seed from
            // aws-lc's DRBG expanded by core gives the same distribution (FIPS 203 §7.1).
            KeyFamily::MlKem | KeyFamily::Sm2 => {
                return common::generate_from_random_secret(self, spec);
            }
            KeyFamily::Symmetric | KeyFamily::Hmac => {
                return Err(Error::validation(alloc::format!(
                    "{spec} is not a key-pair spec"
                )));
            }
        };
        PrivateKey::from_pkcs8_der(&pkcs8)
    }

    fn public_key_der(&self, key: &PrivateKey) -> Result<Vec<u8>> {
        let spec = key.spec();
        let der = key.pkcs8_der().expose();
        let out = match spec.info().family {
            KeyFamily::Rsa => {
                let kp = rsa::KeyPair::from_pkcs8(der).map_err(|_| bad_key(spec))?;
                kp.public_key()
                    .as_der()
                    .map_err(|_| bad_key(spec))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::Ecc => {
                let (alg, _) = ecdsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                let kp =
                    signature::EcdsaKeyPair::from_pkcs8(alg, der).map_err(|_| bad_key(spec))?;
                kp.public_key()
                    .as_der()
                    .map_err(|_| bad_key(spec))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::Ed25519 => {
                let kp = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                    .map_err(|_| bad_key(spec))?;
                kp.public_key()
                    .as_der()
                    .map_err(|_| bad_key(spec))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::MlDsa => {
                let (alg, _) = ml_dsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                let kp =
                    signature::PqdsaKeyPair::from_pkcs8(alg, der).map_err(|_| bad_key(spec))?;
                kp.public_key()
                    .as_der()
                    .map_err(|_| bad_key(spec))?
                    .as_ref()
                    .to_vec()
            }
            KeyFamily::MlKem => {
                // aws-lc-rs cannot give the encapsulation key of a key imported from bytes; the
                // expanded key holds it (FIPS 203: dk = dk_pke ‖ ek ‖ H(ek) ‖ z, |dk_pke| = 384k).
                let expanded = common::ml_kem_expanded_key(key)?;
                let k = match spec {
                    KeySpec::MlKem512 => 2,
                    KeySpec::MlKem768 => 3,
                    _ => 4,
                };
                let ek = expanded
                    .expose()
                    .get(384 * k..768 * k + 32)
                    .ok_or_else(|| bad_key(spec))?;
                common::spki_der(spec, ek)?
            }
            KeyFamily::Sm2 => crate::sm2::public_key_der(key)?,
            KeyFamily::Symmetric | KeyFamily::Hmac => return Err(bad_key(spec)),
        };
        Ok(out)
    }

    fn sign(
        &self,
        key: &PrivateKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
    ) -> Result<Vec<u8>> {
        let spec = key.spec();
        let der = key.pkcs8_der().expose();
        let info = algorithm.info();
        match info.scheme {
            SignatureScheme::Ecdsa => {
                let (alg, _) = ecdsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                let kp =
                    signature::EcdsaKeyPair::from_pkcs8(alg, der).map_err(|_| bad_key(spec))?;
                let sig = match message {
                    Message::Raw(m) => kp.sign(&rand::SystemRandom::new(), m),
                    Message::Digest(d) => {
                        let d = digest::Digest::import_less_safe(d, digest_alg(info.hash))
                            .map_err(|_| {
                                Error::validation("digest length does not fit the algorithm")
                            })?;
                        kp.sign_digest(&d)
                    }
                    Message::ExternalMu(_) => return Err(unsupported(spec, "EXTERNAL_MU")),
                }
                .map_err(|_| internal("ECDSA signing"))?;
                Ok(sig.as_ref().to_vec())
            }
            SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15 => {
                let kp = rsa::KeyPair::from_pkcs8(der).map_err(|_| bad_key(spec))?;
                let mut sig = vec![0u8; kp.public_modulus_len()];
                let padding = rsa_sign_alg(algorithm);
                match message {
                    Message::Raw(m) => kp.sign(padding, &rand::SystemRandom::new(), m, &mut sig),
                    Message::Digest(d) => {
                        let d = digest::Digest::import_less_safe(d, digest_alg(info.hash))
                            .map_err(|_| {
                                Error::validation("digest length does not fit the algorithm")
                            })?;
                        kp.sign_digest(padding, &d, &mut sig)
                    }
                    Message::ExternalMu(_) => return Err(unsupported(spec, "EXTERNAL_MU")),
                }
                .map_err(|_| internal("RSA signing"))?;
                Ok(sig)
            }
            SignatureScheme::Ed25519 => {
                let Message::Raw(m) = message else {
                    return Err(unsupported(spec, "ED25519_SHA_512 without RAW"));
                };
                let kp = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                    .map_err(|_| bad_key(spec))?;
                Ok(kp.sign(m).as_ref().to_vec())
            }
            SignatureScheme::Ed25519ph => common::ed25519ph_sign(key, message),
            SignatureScheme::MlDsa => match message {
                Message::Raw(m) => {
                    let (alg, _) = ml_dsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                    let kp =
                        signature::PqdsaKeyPair::from_pkcs8(alg, der).map_err(|_| bad_key(spec))?;
                    let mut sig = vec![0u8; alg.signature_len()];
                    let n = kp
                        .sign(m, &mut sig)
                        .map_err(|_| internal("ML-DSA signing"))?;
                    sig.truncate(n);
                    Ok(sig)
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
        let parsed = |alg: &'static dyn signature::VerificationAlgorithm| parsed_key(alg, key);
        let raw_or_digest = |pk: ParsedKey| -> Result<bool> {
            Ok(match message {
                Message::Raw(m) => pk.verify_sig(m, sig).is_ok(),
                Message::Digest(d) => {
                    match digest::Digest::import_less_safe(d, digest_alg(info.hash)) {
                        Ok(d) => pk.verify_digest_sig(&d, sig).is_ok(),
                        Err(_) => false,
                    }
                }
                Message::ExternalMu(_) => return Err(unsupported(spec, "EXTERNAL_MU")),
            })
        };
        match info.scheme {
            SignatureScheme::Ecdsa => {
                let (_, alg) = ecdsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                raw_or_digest(parsed(alg)?)
            }
            SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15 => {
                raw_or_digest(parsed(rsa_verify_alg(algorithm))?)
            }
            SignatureScheme::Ed25519 => {
                let Message::Raw(m) = message else {
                    return Ok(false);
                };
                Ok(parsed(&signature::ED25519)?.verify_sig(m, sig).is_ok())
            }
            SignatureScheme::Ed25519ph => common::ed25519ph_verify(key, message, sig),
            SignatureScheme::MlDsa => match message {
                Message::Raw(m) => {
                    let (_, alg) = ml_dsa_algs(spec).ok_or_else(|| bad_key(spec))?;
                    Ok(parsed(alg)?.verify_sig(m, sig).is_ok())
                }
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
        let spec = key.spec();
        let pk = rsa::PublicEncryptingKey::from_der(key.spki_der()).map_err(|_| bad_key(spec))?;
        padding.check_plaintext(pk.key_size_bytes(), plaintext.len())?;
        let mut out = vec![0u8; pk.key_size_bytes()];
        let n = match oaep(padding) {
            Some(alg) => {
                let k = rsa::OaepPublicEncryptingKey::new(pk).map_err(|_| bad_key(spec))?;
                k.encrypt(alg, plaintext, &mut out, None)
                    .map_err(|_| internal("RSA-OAEP encryption"))?
                    .len()
            }
            None => {
                let k = rsa::Pkcs1PublicEncryptingKey::new(pk).map_err(|_| bad_key(spec))?;
                k.encrypt(plaintext, &mut out)
                    .map_err(|_| internal("RSA PKCS#1 encryption"))?
                    .len()
            }
        };
        out.truncate(n);
        Ok(out)
    }

    fn rsa_decrypt(
        &self,
        key: &PrivateKey,
        padding: RsaPadding,
        ciphertext: &[u8],
    ) -> Result<Secret> {
        let spec = key.spec();
        let sk = rsa::PrivateDecryptingKey::from_pkcs8(key.pkcs8_der().expose())
            .map_err(|_| bad_key(spec))?;
        let mut buf = Zeroizing::new(vec![0u8; sk.key_size_bytes()]);
        let n = match oaep(padding) {
            Some(alg) => {
                let k = rsa::OaepPrivateDecryptingKey::new(sk).map_err(|_| bad_key(spec))?;
                k.decrypt(alg, ciphertext, &mut buf, None).map(|p| p.len())
            }
            None => {
                let k = rsa::Pkcs1PrivateDecryptingKey::new(sk).map_err(|_| bad_key(spec))?;
                k.decrypt(ciphertext, &mut buf).map(|p| p.len())
            }
        }
        .map_err(|_| common::decrypt_failed())?;
        Ok(Secret::from_slice(&buf[..n]))
    }

    fn ecdh(&self, key: &PrivateKey, peer: &PublicKey) -> Result<Secret> {
        let spec = key.spec();
        if spec == KeySpec::Sm2 {
            return crate::sm2::ecdh(key, peer);
        }
        let alg = ecdh_alg(spec).ok_or_else(|| unsupported(spec, "ECDH"))?;
        let sk = agreement::PrivateKey::from_private_key_der(alg, key.pkcs8_der().expose())
            .map_err(|_| bad_key(spec))?;
        let peer_key = agreement::UnparsedPublicKey::new(alg, peer.key_bytes());
        agreement::agree(
            &sk,
            peer_key,
            Error::validation("peer public key is not a valid point"),
            |z| Ok(Secret::from_slice(z)),
        )
    }

    fn ml_kem_encapsulate(&self, key: &PublicKey) -> Result<(Secret, Vec<u8>)> {
        let spec = key.spec();
        let alg = ml_kem_alg(spec).ok_or_else(|| unsupported(spec, "Encapsulate"))?;
        let ek = kem::EncapsulationKey::new(alg, key.key_bytes()).map_err(|_| bad_key(spec))?;
        let (ct, ss) = ek
            .encapsulate()
            .map_err(|_| internal("ML-KEM encapsulation"))?;
        Ok((Secret::from_slice(ss.as_ref()), ct.as_ref().to_vec()))
    }

    fn ml_kem_decapsulate(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Secret> {
        let spec = key.spec();
        let alg = ml_kem_alg(spec).ok_or_else(|| unsupported(spec, "Decapsulate"))?;
        common::check_ml_kem_ciphertext_len(spec, ciphertext)?;
        let expanded = common::ml_kem_expanded_key(key)?;
        let dk = kem::DecapsulationKey::new(alg, expanded.expose()).map_err(|_| bad_key(spec))?;
        let ss = dk
            .decapsulate(kem::Ciphertext::from(ciphertext))
            .map_err(|_| internal("ML-KEM decapsulation"))?;
        Ok(Secret::from_slice(ss.as_ref()))
    }

    fn hmac(&self, algorithm: MacAlgorithm, key: &[u8], message: &[u8]) -> Result<Vec<u8>> {
        let alg = match algorithm {
            MacAlgorithm::HmacSha224 => hmac::HMAC_SHA224,
            MacAlgorithm::HmacSha256 => hmac::HMAC_SHA256,
            MacAlgorithm::HmacSha384 => hmac::HMAC_SHA384,
            MacAlgorithm::HmacSha512 => hmac::HMAC_SHA512,
        };
        Ok(hmac::sign(&hmac::Key::new(alg, key), message)
            .as_ref()
            .to_vec())
    }

    fn aes_gcm_seal(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        let k = aead::LessSafeKey::new(
            aead::UnboundKey::new(aead_alg(key)?, key).map_err(|_| internal("AES key setup"))?,
        );
        let mut buf = Vec::with_capacity(plaintext.len() + 16);
        buf.extend_from_slice(plaintext);
        k.seal_in_place_append_tag(
            aead::Nonce::assume_unique_for_key(*nonce),
            aead::Aad::from(aad),
            &mut buf,
        )
        .map_err(|_| internal("AES-GCM encryption"))?;
        Ok(buf)
    }

    fn aes_gcm_open(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext_and_tag: &[u8],
    ) -> Result<Secret> {
        let k = aead::LessSafeKey::new(
            aead::UnboundKey::new(aead_alg(key)?, key).map_err(|_| internal("AES key setup"))?,
        );
        let mut buf = Zeroizing::new(ciphertext_and_tag.to_vec());
        let plaintext = k
            .open_in_place(
                aead::Nonce::assume_unique_for_key(*nonce),
                aead::Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| common::decrypt_failed())?;
        Ok(Secret::from_slice(plaintext))
    }

    fn aes_gcm_key(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>> {
        let k = aead::LessSafeKey::new(
            aead::UnboundKey::new(aead_alg(key)?, key).map_err(|_| internal("AES key setup"))?,
        );
        Ok(Box::new(GcmKey(k)))
    }

    fn hash_context(&self, hash: crate::spec::Hash) -> Result<Box<dyn HashContext>> {
        use crate::spec::Hash;
        let alg = match hash {
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
            other => {
                return Err(Error::new(
                    ErrorCode::UnsupportedOperationException,
                    alloc::format!("no incremental {other:?} hash"),
                ));
            }
        };
        Ok(Box::new(HashCtx(digest::Context::new(alg))))
    }
}

/// An AES-GCM key of aws-lc, set up once.
struct GcmKey(aead::LessSafeKey);

impl AesGcmKey for GcmKey {
    fn seal_in_place(&self, nonce: &[u8; 12], aad: &[u8], in_out: &mut [u8]) -> Result<[u8; 16]> {
        let tag = self
            .0
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(*nonce),
                aead::Aad::from(aad),
                in_out,
            )
            .map_err(|_| internal("AES-GCM encryption"))?;
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_ref());
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
        self.0
            .open_separate_gather(
                aead::Nonce::assume_unique_for_key(*nonce),
                aead::Aad::from(aad),
                ciphertext,
                tag,
                out,
            )
            .map_err(|_| common::decrypt_failed())
    }
}

/// An incremental aws-lc digest.
struct HashCtx(digest::Context);

impl HashContext for HashCtx {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    fn finish(self: Box<Self>) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
}
