//! Node.js bindings of kmskit: type conversion and error mapping only.
//!
//! Errors are thrown as `Error` objects whose `code` is the KMS exception name; `index.js`
//! copies it to `name` as well. A panic becomes `KMSInternalException`.

use kmskit::offline;
use kmskit::sm2::CiphertextOrder;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;
use std::panic::{AssertUnwindSafe, catch_unwind};

type Result<T> = napi::Result<T, String>;

fn map_error(e: &kmskit::Error) -> napi::Error<String> {
    napi::Error::new(e.code().as_str().to_string(), e.message().to_string())
}

/// Runs `f`, turning a kmskit error into a JS error and a panic into `KMSInternalException`.
fn guard<T>(f: impl FnOnce() -> kmskit::Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(map_error(&e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(map_error(&kmskit::Error::internal(format!(
                "internal error: {what}"
            ))))
        }
    }
}

/// Verifies a signature exactly as AWS KMS Verify would.
///
/// `publicKey` is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. Returns
/// `false` for a signature that does not verify; throws an Error whose `code`/`name` is
/// `ValidationException` or `InvalidKeyUsageException` for a malformed request.
#[napi]
pub fn verify(
    public_key: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    signing_algorithm: String,
    message_type: Option<String>,
    distinguishing_id: Option<String>,
) -> Result<bool> {
    guard(|| {
        kmskit::verify(
            &public_key,
            &message,
            &signature,
            kmskit::SigningAlgorithm::parse(&signing_algorithm)?,
            kmskit::MessageType::parse(message_type.as_deref().unwrap_or("RAW"))?,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })
}

/// Encrypts to a KMS public key (RSAES_OAEP_SHA_1/256, SM2PKE) so that KMS Decrypt accepts it.
#[napi]
pub fn encrypt(
    public_key: Uint8Array,
    plaintext: Uint8Array,
    encryption_algorithm: String,
) -> Result<Buffer> {
    guard(|| {
        offline::encrypt(
            &public_key,
            &plaintext,
            kmskit::EncryptionAlgorithm::parse(&encryption_algorithm)?,
        )
    })
    .map(Buffer::from)
}

/// The raw ECDH secret KMS DeriveSharedSecret returns when the other party holds the matching key.
/// `privateKey` is PKCS#8 DER or PEM; `publicKey` the KMS key's DER SPKI or PEM.
#[napi]
pub fn derive_shared_secret(
    private_key: Uint8Array,
    public_key: Uint8Array,
    key_agreement_algorithm: Option<String>,
) -> Result<Buffer> {
    guard(|| {
        offline::derive_shared_secret(
            &private_key,
            &public_key,
            kmskit::KeyAgreementAlgorithm::parse(
                key_agreement_algorithm.as_deref().unwrap_or("ECDH"),
            )?,
        )
    })
    .map(|s| Buffer::from(s.expose()))
}

/// What `encapsulate` returns.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct Encapsulation {
    /// The 32-byte shared secret.
    pub shared_secret: Buffer,
    /// The ciphertext to send to KMS Decapsulate.
    pub ciphertext: Buffer,
}

/// ML-KEM encapsulation to a KMS public key.
#[napi]
pub fn encapsulate(public_key: Uint8Array) -> Result<Encapsulation> {
    guard(|| offline::encapsulate(&public_key)).map(|(ss, ct)| Encapsulation {
        shared_secret: Buffer::from(ss.expose()),
        ciphertext: Buffer::from(ct),
    })
}

/// What `describePublicKey` returns.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct PublicKeyDescription {
    /// The KMS key spec.
    pub key_spec: String,
    /// The key usages KMS allows for the spec.
    pub key_usages: Vec<String>,
    /// Encryption algorithms (ENCRYPT_DECRYPT keys).
    pub encryption_algorithms: Vec<String>,
    /// Signing algorithms (SIGN_VERIFY keys).
    pub signing_algorithms: Vec<String>,
    /// Key agreement algorithms (KEY_AGREEMENT keys).
    pub key_agreement_algorithms: Vec<String>,
    /// Key encapsulation algorithms (ENCAPSULATE_DECAPSULATE keys).
    pub key_encapsulation_algorithms: Vec<String>,
    /// PEM `PUBLIC KEY`.
    pub pem: String,
    /// The JSON Web Key as JSON text (EC, RSA, OKP), absent for SM2, ML-DSA and ML-KEM.
    pub jwk: Option<String>,
    /// The uncompressed SEC1 point (ECC and SM2 keys).
    pub sec1_uncompressed: Option<Buffer>,
}

/// Key spec, usable algorithms, and the key as PEM, JWK and uncompressed SEC1 point.
#[napi]
pub fn describe_public_key(public_key: Uint8Array) -> Result<PublicKeyDescription> {
    guard(|| offline::describe_public_key(&public_key)).map(|d| PublicKeyDescription {
        key_spec: d.key_spec.as_str().to_string(),
        key_usages: d.key_usages,
        encryption_algorithms: d.encryption_algorithms,
        signing_algorithms: d.signing_algorithms,
        key_agreement_algorithms: d.key_agreement_algorithms,
        key_encapsulation_algorithms: d.key_encapsulation_algorithms,
        pem: d.pem,
        jwk: d.jwk,
        sec1_uncompressed: d.sec1_uncompressed.map(Buffer::from),
    })
}

/// DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto).
#[napi(js_name = "derToP1363")]
pub fn der_to_p1363(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::der_to_p1363(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// Fixed-width r||s -> DER.
#[napi(js_name = "p1363ToDer")]
pub fn p1363_to_der(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::p1363_to_der(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// DER ECDSA signature with s replaced by n - s when s > n/2.
#[napi]
pub fn normalize_low_s(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::normalize_low_s(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// The recovery ID (0 or 1) of a secp256k1 signature as given.
#[napi(js_name = "secp256k1RecoveryId")]
pub fn secp256k1_recovery_id(
    public_key: Uint8Array,
    digest: Uint8Array,
    signature: Uint8Array,
) -> Result<u32> {
    guard(|| offline::secp256k1_recovery_id(&public_key, &digest, &signature)).map(u32::from)
}

/// e = SM3(Z || M) for `distinguishingId` (default 1234567812345678).
#[napi(js_name = "sm2Digest")]
pub fn sm2_digest(
    public_key: Uint8Array,
    message: Uint8Array,
    distinguishing_id: Option<String>,
) -> Result<Buffer> {
    guard(|| {
        offline::sm2_digest(
            &public_key,
            &message,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })
    .map(|e| Buffer::from(e.to_vec()))
}

/// Raw SM2 ciphertext (order "C1C3C2" by default, or "C1C2C3") -> DER, as KMS Decrypt takes it.
#[napi(js_name = "sm2CiphertextToDer")]
pub fn sm2_ciphertext_to_der(raw: Uint8Array, order: Option<String>) -> Result<Buffer> {
    guard(|| {
        offline::sm2_ciphertext_to_der(
            &raw,
            CiphertextOrder::parse(order.as_deref().unwrap_or("C1C3C2"))?,
        )
    })
    .map(Buffer::from)
}

/// DER SM2 ciphertext -> raw 04||x||y followed by C3/C2 in `order`.
#[napi(js_name = "sm2CiphertextFromDer")]
pub fn sm2_ciphertext_from_der(der: Uint8Array, order: Option<String>) -> Result<Buffer> {
    guard(|| {
        offline::sm2_ciphertext_from_der(
            &der,
            CiphertextOrder::parse(order.as_deref().unwrap_or("C1C3C2"))?,
        )
    })
    .map(Buffer::from)
}

/// The 64-byte ML-DSA mu for MessageType EXTERNAL_MU.
#[napi]
pub fn ml_dsa_mu(public_key: Uint8Array, message: Uint8Array) -> Result<Buffer> {
    guard(|| offline::ml_dsa_mu(&public_key, &message)).map(|mu| Buffer::from(mu.to_vec()))
}

/// The names of the public functions every binding exposes (core's list, snake_case).
#[napi]
pub fn capabilities() -> Vec<String> {
    kmskit::api::FUNCTIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every error code (KMS exception name) kmskit throws.
#[napi]
pub fn error_codes() -> Vec<String> {
    kmskit::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test hook: panics inside the guard, to prove a panic becomes `KMSInternalException`.
#[napi(js_name = "_panicProbe")]
pub fn panic_probe() -> Result<()> {
    guard(|| -> kmskit::Result<()> {
        #[expect(clippy::panic, reason = "the point of the probe")]
        {
            panic!("panic probe")
        }
    })
}
