//! WebAssembly bindings of kmskit (browser and Node): type conversion and error mapping only.
//!
//! Errors are thrown as JS `Error` objects whose `name` and `code` are the KMS exception name.
//! The wasm build uses `panic = "abort"`: kmskit's core denies `unwrap`/`panic` so no panic is
//! expected; if one happened anyway it surfaces as a `WebAssembly.RuntimeError`, never as
//! undefined behaviour (see docs/compatibility.md).
//!
//! The local KMS is the class `Kms` ([`local`]): one method per operation of core's list,
//! request objects converted to the KMS JSON protocol and back by field name. Authorization
//! (`evaluate`, the classes `PolicySet` and `Decision`) is [`policy`].

// envelope encryption: its KmsKeyring takes a local `Kms`
#[cfg(feature = "kms")]
pub mod envelope;
#[cfg(feature = "kms")]
pub mod local;
#[cfg(feature = "kms")]
pub mod policy;

use kmskit::offline;
use kmskit::sm2::CiphertextOrder;

// talc in place of std's dlmalloc: smaller code in the package (BENCHMARKS.md, "wasm package
// size") and faster allocation; wasm here is single-threaded (no `atomics`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use wasm_bindgen::prelude::*;

fn map_error(e: &kmskit::Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(e.code().as_str());
    // `code` as on Node's errors; setting a property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().as_str().into());
    err.into()
}

fn guard<T>(r: kmskit::Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| map_error(&e))
}

/// Verifies a signature exactly as AWS KMS Verify would.
///
/// `publicKey` is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. Returns
/// `false` for a signature that does not verify; throws an Error whose `name`/`code` is
/// `ValidationException` or `InvalidKeyUsageException` for a malformed request.
#[wasm_bindgen]
pub fn verify(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    #[wasm_bindgen(js_name = signingAlgorithm)] signing_algorithm: &str,
    #[wasm_bindgen(js_name = messageType)] message_type: Option<String>,
    #[wasm_bindgen(js_name = distinguishingId)] distinguishing_id: Option<String>,
) -> Result<bool, JsValue> {
    guard((|| {
        kmskit::verify(
            public_key,
            message,
            signature,
            kmskit::SigningAlgorithm::parse(signing_algorithm)?,
            kmskit::MessageType::parse(message_type.as_deref().unwrap_or("RAW"))?,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })())
}

fn key_spec(s: &str) -> Result<kmskit::KeySpec, JsValue> {
    guard(kmskit::KeySpec::parse(s))
}

fn order(o: Option<String>) -> Result<CiphertextOrder, JsValue> {
    guard(CiphertextOrder::parse(o.as_deref().unwrap_or("C1C3C2")))
}

/// Encrypts to a KMS public key (RSAES_OAEP_SHA_1/256, SM2PKE) so that KMS Decrypt accepts it.
#[wasm_bindgen]
pub fn encrypt(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    plaintext: &[u8],
    #[wasm_bindgen(js_name = encryptionAlgorithm)] encryption_algorithm: &str,
) -> Result<Vec<u8>, JsValue> {
    let alg = guard(kmskit::EncryptionAlgorithm::parse(encryption_algorithm))?;
    guard(offline::encrypt(public_key, plaintext, alg))
}

/// The raw ECDH secret KMS DeriveSharedSecret returns when the other party holds the matching key.
#[wasm_bindgen(js_name = deriveSharedSecret)]
pub fn derive_shared_secret(
    #[wasm_bindgen(js_name = privateKey)] private_key: &[u8],
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    #[wasm_bindgen(js_name = keyAgreementAlgorithm)] key_agreement_algorithm: Option<String>,
) -> Result<Vec<u8>, JsValue> {
    let alg = guard(kmskit::KeyAgreementAlgorithm::parse(
        key_agreement_algorithm.as_deref().unwrap_or("ECDH"),
    ))?;
    guard(offline::derive_shared_secret(private_key, public_key, alg)).map(|s| s.into_vec())
}

/// What `encapsulate` returns (read-only fields).
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug)]
pub struct Encapsulation {
    /// The 32-byte shared secret.
    #[wasm_bindgen(readonly, js_name = sharedSecret)]
    pub shared_secret: Vec<u8>,
    /// The ciphertext to send to KMS Decapsulate.
    #[wasm_bindgen(readonly)]
    pub ciphertext: Vec<u8>,
}

/// ML-KEM encapsulation to a KMS public key.
#[wasm_bindgen]
pub fn encapsulate(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
) -> Result<Encapsulation, JsValue> {
    let (ss, ct) = guard(offline::encapsulate(public_key))?;
    Ok(Encapsulation {
        shared_secret: ss.into_vec(),
        ciphertext: ct,
    })
}

/// What `describePublicKey` returns (read-only fields).
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug)]
pub struct PublicKeyDescription {
    /// The KMS key spec.
    #[wasm_bindgen(readonly, js_name = keySpec)]
    pub key_spec: String,
    /// The key usages KMS allows for the spec.
    #[wasm_bindgen(readonly, js_name = keyUsages)]
    pub key_usages: Vec<String>,
    /// Encryption algorithms (ENCRYPT_DECRYPT keys).
    #[wasm_bindgen(readonly, js_name = encryptionAlgorithms)]
    pub encryption_algorithms: Vec<String>,
    /// Signing algorithms (SIGN_VERIFY keys).
    #[wasm_bindgen(readonly, js_name = signingAlgorithms)]
    pub signing_algorithms: Vec<String>,
    /// Key agreement algorithms (KEY_AGREEMENT keys).
    #[wasm_bindgen(readonly, js_name = keyAgreementAlgorithms)]
    pub key_agreement_algorithms: Vec<String>,
    /// Key encapsulation algorithms (ENCAPSULATE_DECAPSULATE keys).
    #[wasm_bindgen(readonly, js_name = keyEncapsulationAlgorithms)]
    pub key_encapsulation_algorithms: Vec<String>,
    /// PEM `PUBLIC KEY`.
    #[wasm_bindgen(readonly)]
    pub pem: String,
    /// The JSON Web Key as JSON text (EC, RSA, OKP); absent for SM2, ML-DSA and ML-KEM.
    #[wasm_bindgen(readonly)]
    pub jwk: Option<String>,
    /// The uncompressed SEC1 point (ECC and SM2 keys).
    #[wasm_bindgen(readonly, js_name = sec1Uncompressed)]
    pub sec1_uncompressed: Option<Vec<u8>>,
}

/// Key spec, usable algorithms, and the key as PEM, JWK and uncompressed SEC1 point.
#[wasm_bindgen(js_name = describePublicKey)]
pub fn describe_public_key(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
) -> Result<PublicKeyDescription, JsValue> {
    let d = guard(offline::describe_public_key(public_key))?;
    Ok(PublicKeyDescription {
        key_spec: d.key_spec.as_str().to_string(),
        key_usages: d.key_usages,
        encryption_algorithms: d.encryption_algorithms,
        signing_algorithms: d.signing_algorithms,
        key_agreement_algorithms: d.key_agreement_algorithms,
        key_encapsulation_algorithms: d.key_encapsulation_algorithms,
        pem: d.pem,
        jwk: d.jwk,
        sec1_uncompressed: d.sec1_uncompressed,
    })
}

/// DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto).
#[wasm_bindgen(js_name = derToP1363)]
pub fn der_to_p1363(
    signature: &[u8],
    #[wasm_bindgen(js_name = keySpec)] spec: &str,
) -> Result<Vec<u8>, JsValue> {
    guard(offline::der_to_p1363(signature, key_spec(spec)?))
}

/// Fixed-width r||s -> DER.
#[wasm_bindgen(js_name = p1363ToDer)]
pub fn p1363_to_der(
    signature: &[u8],
    #[wasm_bindgen(js_name = keySpec)] spec: &str,
) -> Result<Vec<u8>, JsValue> {
    guard(offline::p1363_to_der(signature, key_spec(spec)?))
}

/// DER ECDSA signature with s replaced by n - s when s > n/2.
#[wasm_bindgen(js_name = normalizeLowS)]
pub fn normalize_low_s(
    signature: &[u8],
    #[wasm_bindgen(js_name = keySpec)] spec: &str,
) -> Result<Vec<u8>, JsValue> {
    guard(offline::normalize_low_s(signature, key_spec(spec)?))
}

/// The recovery ID (0 or 1) of a secp256k1 signature as given.
#[wasm_bindgen(js_name = secp256k1RecoveryId)]
pub fn secp256k1_recovery_id(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> Result<u8, JsValue> {
    guard(offline::secp256k1_recovery_id(
        public_key, digest, signature,
    ))
}

/// e = SM3(Z || M) for `distinguishingId` (default 1234567812345678).
#[wasm_bindgen(js_name = sm2Digest)]
pub fn sm2_digest(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    message: &[u8],
    #[wasm_bindgen(js_name = distinguishingId)] distinguishing_id: Option<String>,
) -> Result<Vec<u8>, JsValue> {
    guard(offline::sm2_digest(
        public_key,
        message,
        distinguishing_id.as_deref().map(str::as_bytes),
    ))
    .map(|e| e.to_vec())
}

/// Raw SM2 ciphertext (order "C1C3C2" by default, or "C1C2C3") -> DER, as KMS Decrypt takes it.
#[wasm_bindgen(js_name = sm2CiphertextToDer)]
pub fn sm2_ciphertext_to_der(raw: &[u8], order_name: Option<String>) -> Result<Vec<u8>, JsValue> {
    guard(offline::sm2_ciphertext_to_der(raw, order(order_name)?))
}

/// DER SM2 ciphertext -> raw 04||x||y followed by C3/C2 in `order`.
#[wasm_bindgen(js_name = sm2CiphertextFromDer)]
pub fn sm2_ciphertext_from_der(der: &[u8], order_name: Option<String>) -> Result<Vec<u8>, JsValue> {
    guard(offline::sm2_ciphertext_from_der(der, order(order_name)?))
}

/// The 64-byte ML-DSA mu for MessageType EXTERNAL_MU.
#[wasm_bindgen(js_name = mlDsaMu)]
pub fn ml_dsa_mu(
    #[wasm_bindgen(js_name = publicKey)] public_key: &[u8],
    message: &[u8],
) -> Result<Vec<u8>, JsValue> {
    guard(offline::ml_dsa_mu(public_key, message)).map(|mu| mu.to_vec())
}

/// The names of the public functions every binding exposes (core's list, snake_case).
#[wasm_bindgen]
pub fn capabilities() -> Vec<String> {
    kmskit::api::FUNCTIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every error code (KMS exception name) kmskit throws.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    kmskit::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test hook: panics, to prove a panic surfaces as a catchable JS exception.
#[wasm_bindgen(js_name = _panicProbe)]
pub fn panic_probe() {
    #[expect(clippy::panic, reason = "the point of the probe")]
    {
        panic!("panic probe")
    }
}

/// Module start-up (at load in Node, in `init()` on the web): the per-operation methods of `Kms`.
#[cfg(feature = "kms")]
#[wasm_bindgen(start, js_name = _start, skip_typescript)]
fn start() -> Result<(), JsValue> {
    local::install_operations()
}
