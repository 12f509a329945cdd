//! The offline SDK: verify, encrypt and derive exactly as AWS KMS does, without KMS.
//!
//! Public keys are what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. Each
//! function checks the request as KMS would (see [`crate::crypto`]) and raises the KMS
//! exception KMS would raise. The `*_with` variants take an explicit [`Backend`].
//!
//! Beside the KMS operations sit the helpers people need around KMS output: signature
//! encodings (DER ↔ IEEE P1363 for JOSE/WebCrypto, low-S, secp256k1 recovery IDs), the SM2
//! digest and ciphertext conversions, the ML-DSA external μ, and a description of a public key
//! (spec, algorithms, PEM, JWK, SEC1 point).

use crate::backend::{self, Backend};
use crate::crypto;
use crate::error::{Error, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::sm2::CiphertextOrder;
use crate::spec::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeyFamily, KeySpec, MessageType, SigningAlgorithm,
    names,
};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Verifies a signature exactly as AWS KMS `Verify` would, with the default backend.
///
/// A well-formed request whose signature does not verify returns `Ok(false)`.
/// `distinguishing_id` is for SM2DSA with RAW messages (default `1234567812345678`).
///
/// # Errors
/// - `ValidationException`: the key is malformed or of no KMS key spec; the message type does
///   not fit the algorithm; a RAW message of 0 or more than 4096 bytes; a DIGEST of the wrong
///   length; a distinguishing ID where none applies.
/// - `InvalidKeyUsageException`: the algorithm is not one the key's spec allows.
pub fn verify(
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    distinguishing_id: Option<&[u8]>,
) -> Result<bool> {
    verify_with(
        backend::preferred(),
        public_key,
        message,
        signature,
        algorithm,
        message_type,
        distinguishing_id,
    )
}

/// [`verify`] with an explicit backend.
///
/// # Errors
/// As [`verify`].
pub fn verify_with<B: Backend + ?Sized>(
    backend: &B,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    distinguishing_id: Option<&[u8]>,
) -> Result<bool> {
    let key = PublicKey::parse(public_key)?;
    crypto::verify(
        backend,
        &key,
        algorithm,
        message_type,
        message,
        signature,
        distinguishing_id,
    )
}

/// Encrypts to a KMS public key so that KMS Decrypt accepts the result: RSAES_OAEP_SHA_1,
/// RSAES_OAEP_SHA_256 (raw modulus-length output) or SM2PKE (DER C1C3C2).
///
/// # Errors
/// `InvalidKeyUsageException` for an algorithm the key's spec does not allow;
/// `ValidationException` for a malformed key or a plaintext outside KMS's limits
/// (RSA: 214/190, 342/318, 470/446 bytes; SM2PKE: 1024).
pub fn encrypt(
    public_key: &[u8],
    plaintext: &[u8],
    algorithm: EncryptionAlgorithm,
) -> Result<Vec<u8>> {
    encrypt_with(backend::preferred(), public_key, plaintext, algorithm)
}

/// [`encrypt`] with an explicit backend.
///
/// # Errors
/// As [`encrypt`].
pub fn encrypt_with<B: Backend + ?Sized>(
    backend: &B,
    public_key: &[u8],
    plaintext: &[u8],
    algorithm: EncryptionAlgorithm,
) -> Result<Vec<u8>> {
    crypto::encrypt(
        backend,
        &PublicKey::parse(public_key)?,
        algorithm,
        plaintext,
    )
}

/// The shared secret KMS DeriveSharedSecret returns when the other party holds the matching
/// key: ECDH between `private_key` (PKCS#8 DER/PEM, e.g. from GenerateDataKeyPair) and a KMS
/// key's `public_key` (ECC_NIST_P256/P384/P521 or SM2).
///
/// # Errors
/// `InvalidKeyUsageException` for a spec without key agreement; `ValidationException` for
/// malformed keys or keys on different curves.
pub fn derive_shared_secret(
    private_key: &[u8],
    public_key: &[u8],
    algorithm: KeyAgreementAlgorithm,
) -> Result<Secret> {
    derive_shared_secret_with(backend::preferred(), private_key, public_key, algorithm)
}

/// [`derive_shared_secret`] with an explicit backend.
///
/// # Errors
/// As [`derive_shared_secret`].
pub fn derive_shared_secret_with<B: Backend + ?Sized>(
    backend: &B,
    private_key: &[u8],
    public_key: &[u8],
    algorithm: KeyAgreementAlgorithm,
) -> Result<Secret> {
    let key = PrivateKey::parse_ec(private_key)?;
    crypto::derive_shared_secret(backend, &key, public_key, algorithm)
}

/// ML-KEM encapsulation to a KMS public key: (32-byte shared secret, ciphertext). KMS
/// Decapsulate turns the ciphertext into the same shared secret.
///
/// # Errors
/// `InvalidKeyUsageException` for a key that is not ML-KEM; `ValidationException` for a
/// malformed key.
pub fn encapsulate(public_key: &[u8]) -> Result<(Secret, Vec<u8>)> {
    encapsulate_with(backend::preferred(), public_key)
}

/// [`encapsulate`] with an explicit backend.
///
/// # Errors
/// As [`encapsulate`].
pub fn encapsulate_with<B: Backend + ?Sized>(
    backend: &B,
    public_key: &[u8],
) -> Result<(Secret, Vec<u8>)> {
    crypto::encapsulate(backend, &PublicKey::parse(public_key)?)
}

/// What a public key is and how it can be used, in the shapes other tools want.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKeyDescription {
    /// The KMS key spec.
    pub key_spec: KeySpec,
    /// The key usages KMS allows for the spec.
    pub key_usages: Vec<String>,
    /// Encryption algorithms (for ENCRYPT_DECRYPT keys of this spec).
    pub encryption_algorithms: Vec<String>,
    /// Signing algorithms (for SIGN_VERIFY keys of this spec).
    pub signing_algorithms: Vec<String>,
    /// Key agreement algorithms (for KEY_AGREEMENT keys of this spec).
    pub key_agreement_algorithms: Vec<String>,
    /// Key encapsulation algorithms (for ENCAPSULATE_DECAPSULATE keys of this spec).
    pub key_encapsulation_algorithms: Vec<String>,
    /// The key as PEM `PUBLIC KEY`.
    pub pem: String,
    /// The key as a JSON Web Key (RFC 7517/7518/8037): EC (P-256/P-384/P-521, and secp256k1 as
    /// RFC 8812), RSA and OKP (Ed25519). `None` for SM2, ML-DSA and ML-KEM (no standard JWK).
    pub jwk: Option<String>,
    /// The uncompressed SEC1 point `04‖x‖y` (ECC and SM2 keys): what Ethereum addresses and
    /// WebCrypto's "raw" format use.
    pub sec1_uncompressed: Option<Vec<u8>>,
}

/// Describes a public key: spec, usable algorithms, PEM, JWK and SEC1 point.
///
/// # Errors
/// `ValidationException` for a malformed key.
pub fn describe_public_key(public_key: &[u8]) -> Result<PublicKeyDescription> {
    let key = PublicKey::parse(public_key)?;
    let spec = key.spec();
    let info = spec.info();
    let sec1_uncompressed = crate::encoding::sec1_uncompressed(&key)?;
    Ok(PublicKeyDescription {
        key_spec: spec,
        key_usages: names(info.usages, |u| u.as_str()),
        encryption_algorithms: names(info.encryption, EncryptionAlgorithm::as_str),
        signing_algorithms: names(info.signing, SigningAlgorithm::as_str),
        key_agreement_algorithms: names(info.key_agreement, KeyAgreementAlgorithm::as_str),
        key_encapsulation_algorithms: names(info.key_encapsulation, |a| a.as_str()),
        pem: key.to_pem(),
        jwk: crate::encoding::jwk(&key, sec1_uncompressed.as_deref())?,
        sec1_uncompressed,
    })
}

/// Converts a DER ECDSA signature (what KMS Sign returns) into IEEE P1363 `r‖s`, each
/// left-padded to the curve's size (32, 48 or 66 bytes): what JOSE (ES256/384/512) and
/// WebCrypto expect. Also for SM2 signatures.
///
/// # Errors
/// `ValidationException` for a malformed signature or a spec without ECDSA/SM2.
pub fn der_to_p1363(signature: &[u8], key_spec: KeySpec) -> Result<Vec<u8>> {
    crate::encoding::der_to_p1363(signature, key_spec)
}

/// Converts an IEEE P1363 `r‖s` signature into DER (what KMS Verify takes).
///
/// # Errors
/// `ValidationException` for a signature of the wrong length or out-of-range values.
pub fn p1363_to_der(signature: &[u8], key_spec: KeySpec) -> Result<Vec<u8>> {
    crate::encoding::p1363_to_der(signature, key_spec)
}

/// Normalizes a DER ECDSA signature to low-S (s ≤ n/2), as Bitcoin and Ethereum require. KMS
/// returns high-S signatures about half the time; both forms verify. DER in, DER out.
///
/// # Errors
/// `ValidationException` for a malformed signature; `InvalidKeyUsageException` for a spec
/// without ECDSA (SM2 signatures have no such symmetry).
pub fn normalize_low_s(signature: &[u8], key_spec: KeySpec) -> Result<Vec<u8>> {
    crate::encoding::normalize_low_s(signature, key_spec)
}

/// The recovery ID (0 or 1) of a secp256k1 signature over a 32-byte `digest` for
/// `public_key`: the `v` an Ethereum transaction needs (add 27, or 2·chainId+35). It is the ID
/// of the signature *as given*: normalize to low-S first, as Ethereum requires, because
/// normalizing flips it.
///
/// # Errors
/// `ValidationException` if the key is not secp256k1, the digest is not 32 bytes, or the
/// signature does not belong to the key and digest.
pub fn secp256k1_recovery_id(public_key: &[u8], digest: &[u8], signature: &[u8]) -> Result<u8> {
    crate::encoding::secp256k1_recovery_id(&PublicKey::parse(public_key)?, digest, signature)
}

/// The SM2 digest e = SM3(Z ‖ M) to send KMS with MessageType DIGEST so that the signature is
/// made under `distinguishing_id` (default `1234567812345678`), as the guide's
/// `SM2OfflineOperationHelper.calculateSM2Digest`.
///
/// # Errors
/// `ValidationException` for a non-SM2 or malformed key, or an ID of 8192 bytes or more.
pub fn sm2_digest(
    public_key: &[u8],
    message: &[u8],
    distinguishing_id: Option<&[u8]>,
) -> Result<[u8; 32]> {
    let key = PublicKey::parse(public_key)?;
    if key.spec() != KeySpec::Sm2 {
        return Err(Error::validation(format!(
            "sm2_digest needs an SM2 key, not {}",
            key.spec()
        )));
    }
    crate::sm2::digest(
        &key,
        message,
        distinguishing_id.unwrap_or(crate::sm2::DEFAULT_DISTINGUISHING_ID),
    )
}

/// Converts a raw SM2 ciphertext (C1 with or without `04`, then C3/C2 in `order`) into the DER
/// form KMS Decrypt accepts.
///
/// # Errors
/// `ValidationException` for input that is not a raw SM2 ciphertext.
pub fn sm2_ciphertext_to_der(raw: &[u8], order: CiphertextOrder) -> Result<Vec<u8>> {
    crate::sm2::ciphertext_to_der(raw, order)
}

/// Converts a DER SM2 ciphertext (KMS Encrypt's output) into raw `04‖x‖y` + C3/C2 in `order`.
///
/// # Errors
/// `ValidationException` for input that is not a strict DER SM2 ciphertext.
pub fn sm2_ciphertext_from_der(der: &[u8], order: CiphertextOrder) -> Result<Vec<u8>> {
    crate::sm2::ciphertext_from_der(der, order)
}

/// The 64-byte ML-DSA message representative μ of `message` for `public_key` (FIPS 204 §6.2,
/// empty context): what KMS signs with MessageType EXTERNAL_MU. Signing μ gives the same kind
/// of signature as signing the message with RAW.
///
/// # Errors
/// `ValidationException` for a key that is not ML-DSA.
pub fn ml_dsa_mu(public_key: &[u8], message: &[u8]) -> Result<[u8; 64]> {
    let key = PublicKey::parse(public_key)?;
    if key.spec().info().family != KeyFamily::MlDsa {
        return Err(Error::validation(format!(
            "ml_dsa_mu needs an ML-DSA key, not {}",
            key.spec()
        )));
    }
    Ok(backend::common::ml_dsa_mu(key.key_bytes(), message))
}
