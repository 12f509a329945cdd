//! KMS-checked cryptographic operations on keys: what KMS Sign, Verify, Encrypt, Decrypt,
//! DeriveSharedSecret, Encapsulate, Decapsulate, GenerateMac and VerifyMac do once the key has
//! been found, authorized and found in a usable state.
//!
//! Every function checks the request against the spec table the way KMS does, then hands the
//! math to a [`Backend`]. The offline API ([`crate::offline`]) and the local KMS both call
//! these, so a rule lives in exactly one place.

use crate::backend::{Backend, Message, RsaPadding};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::{Secret, ct_eq};
use crate::spec::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeyFamily, KeySpec, MacAlgorithm, MessageType,
    SignatureScheme, SigningAlgorithm, limits, names,
};
use alloc::format;
use alloc::vec::Vec;

/// Checks `algorithm` and `message_type` against the key's spec and the message length
/// against the algorithm, as KMS Sign and Verify do.
///
/// # Errors
/// - `InvalidKeyUsageException`: the algorithm is not one the spec allows.
/// - `ValidationException`: a message type the algorithm does not take; a RAW message of 0 or
///   more than 4096 bytes; a DIGEST of the wrong length; an EXTERNAL_MU that is not 64 bytes.
pub fn check_signing_input<'m>(
    spec: KeySpec,
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    message: &'m [u8],
) -> Result<Message<'m>> {
    if !spec.info().signing.contains(&algorithm) {
        let allowed = names(spec.info().signing, SigningAlgorithm::as_str);
        return Err(Error::key_usage(if allowed.is_empty() {
            format!("{spec} keys cannot sign or verify; {algorithm} does not apply")
        } else {
            format!(
                "{algorithm} is not valid for {spec} keys; valid signing algorithms: {}",
                allowed.join(", ")
            )
        }));
    }
    let info = algorithm.info();
    if !info.message_types.contains(&message_type) {
        let allowed = names(info.message_types, MessageType::as_str);
        return Err(Error::validation(format!(
            "MessageType {message_type} is not valid with {algorithm}; use {}",
            allowed.join(" or ")
        )));
    }
    match message_type {
        MessageType::Raw if message.is_empty() || message.len() > limits::MAX_RAW_MESSAGE => {
            Err(Error::validation(format!(
                "a RAW message must be 1 to {} bytes, got {}; hash a longer one and use MessageType DIGEST",
                limits::MAX_RAW_MESSAGE,
                message.len()
            )))
        }
        MessageType::Raw => Ok(Message::Raw(message)),
        MessageType::Digest if message.len() != info.hash.output_len() => {
            Err(Error::validation(format!(
                "a DIGEST for {algorithm} must be {} bytes, got {}",
                info.hash.output_len(),
                message.len()
            )))
        }
        MessageType::Digest => Ok(Message::Digest(message)),
        MessageType::ExternalMu if message.len() != limits::EXTERNAL_MU_LEN => {
            Err(Error::validation(format!(
                "an EXTERNAL_MU message must be {} bytes, got {}",
                limits::EXTERNAL_MU_LEN,
                message.len()
            )))
        }
        MessageType::ExternalMu => Ok(Message::ExternalMu(message)),
    }
}

fn check_distinguishing_id(
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    id: Option<&[u8]>,
) -> Result<()> {
    if id.is_some() && !(algorithm == SigningAlgorithm::Sm2dsa && message_type == MessageType::Raw)
    {
        return Err(Error::validation(format!(
            "a distinguishing ID applies only to SM2DSA with MessageType RAW, not {algorithm} with {message_type}"
        )));
    }
    Ok(())
}

/// KMS Sign: signs `message` with `key`. SM2DSA RAW messages use the default distinguishing ID,
/// as KMS does (KMS takes no ID; sign a [`crate::sm2::digest`] with DIGEST for another one).
///
/// # Errors
/// As [`check_signing_input`], and `ValidationException` for an unusable key.
pub fn sign<B: Backend + ?Sized>(
    backend: &B,
    key: &PrivateKey,
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    message: &[u8],
) -> Result<Vec<u8>> {
    let msg = check_signing_input(key.spec(), algorithm, message_type, message)?;
    backend.sign(key, algorithm, msg)
}

/// KMS Verify, offline: `Ok(false)` for a signature that does not verify.
/// `distinguishing_id` applies to SM2DSA with RAW messages (default `1234567812345678`).
///
/// # Errors
/// As [`check_signing_input`]; `ValidationException` for a distinguishing ID where none applies.
pub fn verify<B: Backend + ?Sized>(
    backend: &B,
    key: &PublicKey,
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    message: &[u8],
    signature: &[u8],
    distinguishing_id: Option<&[u8]>,
) -> Result<bool> {
    let msg = check_signing_input(key.spec(), algorithm, message_type, message)?;
    check_distinguishing_id(algorithm, message_type, distinguishing_id)?;
    if algorithm.info().scheme == SignatureScheme::Sm2 {
        return crate::sm2::verify(key, msg, distinguishing_id, signature);
    }
    backend.verify(key, algorithm, msg, signature)
}

fn check_encryption(spec: KeySpec, algorithm: EncryptionAlgorithm) -> Result<()> {
    if spec.info().encryption.contains(&algorithm) {
        return Ok(());
    }
    let allowed = names(spec.info().encryption, EncryptionAlgorithm::as_str);
    Err(Error::key_usage(if allowed.is_empty() {
        format!("{spec} keys cannot encrypt or decrypt; {algorithm} does not apply")
    } else {
        format!(
            "{algorithm} is not valid for {spec} keys; valid encryption algorithms: {}",
            allowed.join(", ")
        )
    }))
}

fn rsa_padding(algorithm: EncryptionAlgorithm) -> Option<RsaPadding> {
    match algorithm {
        EncryptionAlgorithm::RsaesOaepSha1 => Some(RsaPadding::OaepSha1),
        EncryptionAlgorithm::RsaesOaepSha256 => Some(RsaPadding::OaepSha256),
        _ => None,
    }
}

/// The largest plaintext KMS Encrypt accepts for `spec` and `algorithm` (None if the pair is
/// not valid): RSA-OAEP `k − 2·hLen − 2` (214/190, 342/318, 470/446), SM2PKE 1024, symmetric 4096.
pub fn max_plaintext(spec: KeySpec, algorithm: EncryptionAlgorithm) -> Option<usize> {
    if !spec.info().encryption.contains(&algorithm) {
        return None;
    }
    Some(match (spec.info().family, rsa_padding(algorithm)) {
        (KeyFamily::Rsa, Some(p)) => p.max_plaintext(spec.info().bits as usize / 8),
        (KeyFamily::Sm2, _) => crate::sm2::MAX_PLAINTEXT,
        _ => limits::MAX_SYMMETRIC_PLAINTEXT,
    })
}

/// KMS Encrypt with an asymmetric key's public half: RSAES_OAEP_SHA_1/256 or SM2PKE (DER).
/// The output is what KMS Decrypt accepts.
///
/// # Errors
/// `InvalidKeyUsageException` for an algorithm the spec does not allow (SYMMETRIC_DEFAULT
/// included: it needs the local KMS); `ValidationException` for an empty or over-long plaintext.
pub fn encrypt<B: Backend + ?Sized>(
    backend: &B,
    key: &PublicKey,
    algorithm: EncryptionAlgorithm,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let spec = key.spec();
    check_encryption(spec, algorithm)?;
    let max = max_plaintext(spec, algorithm).unwrap_or(0);
    if plaintext.is_empty() || plaintext.len() > max {
        return Err(Error::validation(format!(
            "plaintext for {algorithm} with {spec} must be 1 to {max} bytes, got {}",
            plaintext.len()
        )));
    }
    match rsa_padding(algorithm) {
        Some(p) => backend.rsa_encrypt(key, p, plaintext),
        None => crate::sm2::encrypt(backend, key, plaintext),
    }
}

/// KMS Decrypt with an asymmetric key's private half. Failures are opaque.
///
/// # Errors
/// `InvalidKeyUsageException` for an algorithm the spec does not allow;
/// `InvalidCiphertextException` for anything that does not decrypt.
pub fn decrypt<B: Backend + ?Sized>(
    backend: &B,
    key: &PrivateKey,
    algorithm: EncryptionAlgorithm,
    ciphertext: &[u8],
) -> Result<Secret> {
    check_encryption(key.spec(), algorithm)?;
    match rsa_padding(algorithm) {
        Some(p) => backend.rsa_decrypt(key, p, ciphertext),
        None => crate::sm2::decrypt(key, ciphertext),
    }
}

/// KMS DeriveSharedSecret: ECDH (SP 800-56A §5.7.1.2) between `key` and the peer's public key
/// (DER SPKI or PEM) on the same curve. Returns the raw shared secret (the x-coordinate).
///
/// # Errors
/// `InvalidKeyUsageException` for a spec without key agreement; `ValidationException` for a
/// malformed peer key or one on another curve.
pub fn derive_shared_secret<B: Backend + ?Sized>(
    backend: &B,
    key: &PrivateKey,
    peer_public_key: &[u8],
    algorithm: KeyAgreementAlgorithm,
) -> Result<Secret> {
    let spec = key.spec();
    if !spec.info().key_agreement.contains(&algorithm) {
        return Err(Error::key_usage(format!(
            "{spec} keys do not support key agreement; use ECC_NIST_P256/P384/P521 or SM2"
        )));
    }
    let peer = PublicKey::parse(peer_public_key)?;
    if peer.spec() != spec {
        return Err(Error::validation(format!(
            "the peer public key is {}, but the key is {spec}; both must be on the same curve",
            peer.spec()
        )));
    }
    backend.ecdh(key, &peer)
}

fn check_kem(spec: KeySpec) -> Result<()> {
    if spec.info().key_encapsulation.is_empty() {
        return Err(Error::key_usage(format!(
            "{spec} keys cannot encapsulate; use ML_KEM_512, ML_KEM_768 or ML_KEM_1024"
        )));
    }
    Ok(())
}

/// KMS Encapsulate: (32-byte shared secret, ciphertext) for an ML-KEM public key.
///
/// # Errors
/// `InvalidKeyUsageException` for a non-ML-KEM key.
pub fn encapsulate<B: Backend + ?Sized>(backend: &B, key: &PublicKey) -> Result<(Secret, Vec<u8>)> {
    check_kem(key.spec())?;
    backend.ml_kem_encapsulate(key)
}

/// KMS Decapsulate, with FIPS 203 implicit rejection: any ciphertext of the right length
/// yields 32 bytes.
///
/// # Errors
/// `InvalidKeyUsageException` for a non-ML-KEM key; `InvalidCiphertextException` for a
/// ciphertext of the wrong length.
pub fn decapsulate<B: Backend + ?Sized>(
    backend: &B,
    key: &PrivateKey,
    ciphertext: &[u8],
) -> Result<Secret> {
    check_kem(key.spec())?;
    backend.ml_kem_decapsulate(key, ciphertext)
}

fn check_mac(spec: KeySpec, algorithm: MacAlgorithm, key: &[u8], message: &[u8]) -> Result<()> {
    if !spec.info().mac.contains(&algorithm) {
        let allowed = names(spec.info().mac, MacAlgorithm::as_str);
        return Err(Error::key_usage(if allowed.is_empty() {
            format!("{spec} keys cannot generate MACs")
        } else {
            format!(
                "{algorithm} is not valid for {spec} keys; use {}",
                allowed.join(", ")
            )
        }));
    }
    if key.len() * 8 != spec.info().bits as usize {
        return Err(Error::validation(format!(
            "an {spec} key must be {} bytes",
            spec.info().bits / 8
        )));
    }
    if message.is_empty() || message.len() > limits::MAX_RAW_MESSAGE {
        return Err(Error::validation(format!(
            "a MAC message must be 1 to {} bytes, got {}",
            limits::MAX_RAW_MESSAGE,
            message.len()
        )));
    }
    Ok(())
}

/// KMS GenerateMac with HMAC key material of `spec`.
///
/// # Errors
/// `InvalidKeyUsageException` for a MAC algorithm the spec does not allow;
/// `ValidationException` for a key of the wrong size or a message outside 1–4096 bytes.
pub fn generate_mac<B: Backend + ?Sized>(
    backend: &B,
    spec: KeySpec,
    key: &Secret,
    algorithm: MacAlgorithm,
    message: &[u8],
) -> Result<Vec<u8>> {
    check_mac(spec, algorithm, key.expose(), message)?;
    backend.hmac(algorithm, key.expose(), message)
}

/// KMS VerifyMac: compares in constant time.
///
/// # Errors
/// As [`generate_mac`], and `KMSInvalidMacException` when the MAC does not verify.
pub fn verify_mac<B: Backend + ?Sized>(
    backend: &B,
    spec: KeySpec,
    key: &Secret,
    algorithm: MacAlgorithm,
    message: &[u8],
    mac: &[u8],
) -> Result<()> {
    let expected = generate_mac(backend, spec, key, algorithm, message)?;
    if ct_eq(&expected, mac) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::KMSInvalidMacException,
            "the MAC does not verify",
        ))
    }
}
