//! Kotlin and Swift bindings of kmskit (uniffi proc-macros): type conversion and error mapping.
//!
//! Free functions are the offline API (core's `api::FUNCTIONS`) and the policy evaluator; the
//! `Kms` object (module `kms`) is the local KMS, with `kms_operations`; module `envelope` is
//! envelope encryption (AWS Encryption SDK messages): the `Keyring`, `Encryptor` and
//! `Decryptor` objects and `envelope_encrypt`/`envelope_decrypt`.
//!
//! Errors are one enum, `KmsError` (Kotlin: `KmsException`), with one variant per KMS
//! exception name, each carrying the message. uniffi writes acronyms in camel case, so
//! `KMSInternalException` is `KmsException.KmsInternalException` in Kotlin.

use kmskit::offline;
use kmskit::sm2::CiphertextOrder;
use std::panic::{AssertUnwindSafe, catch_unwind};

mod envelope;
mod kms;
mod shapes;
pub use envelope::{
    DecryptFinish, DecryptOptions, DecryptResult, Decryptor, EncryptOptions, Encryptor, Keyring,
    MessageInfo, envelope_decrypt, envelope_encrypt,
};
pub use kms::{Kms, KmsClient, PrincipalPolicy, kms_operations};

uniffi::setup_scaffolding!();

macro_rules! kms_error {
    ($($code:ident,)*) => {
        /// A kmskit error: the variant is the KMS exception name.
        /// Flat: Kotlin and Swift see one exception class per variant whose message is the
        /// kmskit message (`e.message` in Kotlin, `localizedDescription` in Swift).
        #[derive(Debug, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum KmsError {
            $($code(String),)*
        }

        impl From<kmskit::Error> for KmsError {
            fn from(e: kmskit::Error) -> Self {
                let message = e.message().to_string();
                match e.code().as_str() {
                    $(stringify!($code) => KmsError::$code(message),)*
                    other => KmsError::KMSInternalException(format!("{other}: {message}")),
                }
            }
        }

        impl std::fmt::Display for KmsError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(KmsError::$code(message) => f.write_str(message),)*
                }
            }
        }
    };
}

// Must list core's `ErrorCode::ALL`; the Kotlin and Python tests compare the two.
kms_error! {
    AccessDeniedException,
    AlreadyExistsException,
    ConflictException,
    DependencyTimeoutException,
    DisabledException,
    DryRunOperationException,
    ExpiredImportTokenException,
    IncorrectKeyException,
    IncorrectKeyMaterialException,
    InvalidAliasNameException,
    InvalidArnException,
    InvalidCiphertextException,
    InvalidGrantIdException,
    InvalidGrantTokenException,
    InvalidImportTokenException,
    InvalidKeyUsageException,
    InvalidMarkerException,
    KeyUnavailableException,
    KMSInternalException,
    KMSInvalidMacException,
    KMSInvalidSignatureException,
    KMSInvalidStateException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NotFoundException,
    TagException,
    UnsupportedOperationException,
    ValidationException,
}

impl std::error::Error for KmsError {}

/// Runs `f`, turning a kmskit error into `KmsError` and a panic into `KMSInternalException`.
fn guard<T>(f: impl FnOnce() -> kmskit::Result<T>) -> Result<T, KmsError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(KmsError::from),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(KmsError::KMSInternalException(format!(
                "internal error: {what}"
            )))
        }
    }
}

/// Verifies a signature exactly as AWS KMS Verify would.
///
/// `public_key` is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. Returns
/// false for a signature that does not verify; throws `ValidationException` or
/// `InvalidKeyUsageException` for a malformed request.
#[uniffi::export(default(message_type = "RAW", distinguishing_id = None))]
pub fn verify(
    public_key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
    signing_algorithm: String,
    message_type: String,
    distinguishing_id: Option<String>,
) -> Result<bool, KmsError> {
    guard(|| {
        kmskit::verify(
            &public_key,
            &message,
            &signature,
            kmskit::SigningAlgorithm::parse(&signing_algorithm)?,
            kmskit::MessageType::parse(&message_type)?,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })
}

fn key_spec(s: &str) -> kmskit::Result<kmskit::KeySpec> {
    kmskit::KeySpec::parse(s)
}

/// Encrypts to a KMS public key (RSAES_OAEP_SHA_1/256, SM2PKE) so that KMS Decrypt accepts it.
#[uniffi::export]
pub fn encrypt(
    public_key: Vec<u8>,
    plaintext: Vec<u8>,
    encryption_algorithm: String,
) -> Result<Vec<u8>, KmsError> {
    guard(|| {
        offline::encrypt(
            &public_key,
            &plaintext,
            kmskit::EncryptionAlgorithm::parse(&encryption_algorithm)?,
        )
    })
}

/// The raw ECDH secret KMS DeriveSharedSecret returns when the other party holds the matching key.
#[uniffi::export(default(key_agreement_algorithm = "ECDH"))]
pub fn derive_shared_secret(
    private_key: Vec<u8>,
    public_key: Vec<u8>,
    key_agreement_algorithm: String,
) -> Result<Vec<u8>, KmsError> {
    guard(|| {
        offline::derive_shared_secret(
            &private_key,
            &public_key,
            kmskit::KeyAgreementAlgorithm::parse(&key_agreement_algorithm)?,
        )
        .map(kmskit::Secret::into_vec)
    })
}

/// What `encapsulate` returns.
#[derive(Debug, uniffi::Record)]
pub struct Encapsulation {
    /// The 32-byte shared secret.
    pub shared_secret: Vec<u8>,
    /// The ciphertext to send to KMS Decapsulate.
    pub ciphertext: Vec<u8>,
}

/// ML-KEM encapsulation to a KMS public key.
#[uniffi::export]
pub fn encapsulate(public_key: Vec<u8>) -> Result<Encapsulation, KmsError> {
    guard(|| {
        offline::encapsulate(&public_key).map(|(ss, ct)| Encapsulation {
            shared_secret: ss.into_vec(),
            ciphertext: ct,
        })
    })
}

/// What `describe_public_key` returns.
#[derive(Debug, uniffi::Record)]
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
    /// The JSON Web Key as JSON text (EC, RSA, OKP); null for SM2, ML-DSA and ML-KEM.
    pub jwk: Option<String>,
    /// The uncompressed SEC1 point (ECC and SM2 keys).
    pub sec1_uncompressed: Option<Vec<u8>>,
}

/// Key spec, usable algorithms, and the key as PEM, JWK and uncompressed SEC1 point.
#[uniffi::export]
pub fn describe_public_key(public_key: Vec<u8>) -> Result<PublicKeyDescription, KmsError> {
    guard(|| {
        offline::describe_public_key(&public_key).map(|d| PublicKeyDescription {
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
    })
}

/// DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto).
#[uniffi::export]
pub fn der_to_p1363(signature: Vec<u8>, key_spec: String) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::der_to_p1363(&signature, self::key_spec(&key_spec)?))
}

/// Fixed-width r||s -> DER.
#[uniffi::export]
pub fn p1363_to_der(signature: Vec<u8>, key_spec: String) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::p1363_to_der(&signature, self::key_spec(&key_spec)?))
}

/// DER ECDSA signature with s replaced by n - s when s > n/2.
#[uniffi::export]
pub fn normalize_low_s(signature: Vec<u8>, key_spec: String) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::normalize_low_s(&signature, self::key_spec(&key_spec)?))
}

/// The recovery ID (0 or 1) of a secp256k1 signature as given.
#[uniffi::export]
pub fn secp256k1_recovery_id(
    public_key: Vec<u8>,
    digest: Vec<u8>,
    signature: Vec<u8>,
) -> Result<u8, KmsError> {
    guard(|| offline::secp256k1_recovery_id(&public_key, &digest, &signature))
}

/// e = SM3(Z || M) for `distinguishing_id` (default 1234567812345678).
#[uniffi::export(default(distinguishing_id = None))]
pub fn sm2_digest(
    public_key: Vec<u8>,
    message: Vec<u8>,
    distinguishing_id: Option<String>,
) -> Result<Vec<u8>, KmsError> {
    guard(|| {
        offline::sm2_digest(
            &public_key,
            &message,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
        .map(|e| e.to_vec())
    })
}

/// Raw SM2 ciphertext ("C1C3C2" or "C1C2C3") -> DER, as KMS Decrypt takes it.
#[uniffi::export(default(order = "C1C3C2"))]
pub fn sm2_ciphertext_to_der(raw: Vec<u8>, order: String) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::sm2_ciphertext_to_der(&raw, CiphertextOrder::parse(&order)?))
}

/// DER SM2 ciphertext -> raw 04||x||y followed by C3/C2 in `order`.
#[uniffi::export(default(order = "C1C3C2"))]
pub fn sm2_ciphertext_from_der(der: Vec<u8>, order: String) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::sm2_ciphertext_from_der(&der, CiphertextOrder::parse(&order)?))
}

/// The 64-byte ML-DSA mu for MessageType EXTERNAL_MU.
#[uniffi::export]
pub fn ml_dsa_mu(public_key: Vec<u8>, message: Vec<u8>) -> Result<Vec<u8>, KmsError> {
    guard(|| offline::ml_dsa_mu(&public_key, &message).map(|mu| mu.to_vec()))
}

/// One policy statement, named by its source (`key_policy`, `iam:<name>`) and index.
#[derive(Debug, uniffi::Record)]
pub struct PolicyStatement {
    /// `key_policy` or `iam:<name>`.
    pub source: String,
    /// Index in the policy's `Statement` list.
    pub index: u32,
    /// The statement's Sid, if any.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
}

/// An authorization decision and its reasons.
#[derive(Debug, uniffi::Record)]
pub struct PolicyDecision {
    /// `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`.
    pub decision: String,
    /// `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for implicit deny.
    pub source: Option<String>,
    /// The deciding statement, when a statement decided.
    pub statement: Option<PolicyStatement>,
    /// Every statement that applied to the request.
    pub statements: Vec<PolicyStatement>,
    /// A readable account of the decision.
    pub explanation: String,
    /// The whole evaluation as JSON (every step, with the first failing element).
    pub json: String,
}

fn statement(s: kmskit::policy::StatementRef) -> PolicyStatement {
    PolicyStatement {
        source: s.source,
        index: u32::try_from(s.index).unwrap_or(u32::MAX),
        sid: s.sid,
        effect: s.effect.to_string(),
    }
}

fn decision(e: kmskit::policy::Evaluation) -> PolicyDecision {
    let explanation = e.explain();
    let json = e.to_json().to_string();
    PolicyDecision {
        decision: e.decision.as_str().to_string(),
        source: e.source,
        statement: e.statement.map(statement),
        statements: e.statements.into_iter().map(statement).collect(),
        explanation,
        json,
    }
}

/// Decides a KMS request against a key policy, IAM policies and grants, as KMS does.
///
/// Every argument is JSON text: `request` is `{"Action", "Principal", "Resource", "Context"}`;
/// `key_policy` a key policy document (null for actions governed by IAM alone);
/// `iam_policies` an object of policy name -> document; `grants` a list as ListGrants returns.
#[uniffi::export(default(key_policy = None, iam_policies = "{}", grants = "[]"))]
pub fn evaluate(
    request: String,
    key_policy: Option<String>,
    iam_policies: String,
    grants: String,
) -> Result<PolicyDecision, KmsError> {
    guard(|| {
        kmskit::policy::evaluate_json(&request, key_policy.as_deref(), &iam_policies, &grants)
            .map(decision)
    })
}

/// Policies and grants parsed once, to decide many requests.
#[derive(Debug, uniffi::Object)]
pub struct PolicySet(kmskit::policy::PolicySet);

#[uniffi::export]
impl PolicySet {
    /// Parses the key policy (or null), IAM policies and grants, as `evaluate` takes them.
    #[uniffi::constructor(default(key_policy = None, iam_policies = "{}", grants = "[]"))]
    pub fn new(
        key_policy: Option<String>,
        iam_policies: String,
        grants: String,
    ) -> Result<std::sync::Arc<Self>, KmsError> {
        guard(|| {
            kmskit::policy::PolicySet::from_json(key_policy.as_deref(), &iam_policies, &grants)
                .map(|s| std::sync::Arc::new(PolicySet(s)))
        })
    }

    /// Decides one request (JSON text) and explains why.
    pub fn evaluate(&self, request: String) -> Result<PolicyDecision, KmsError> {
        guard(|| self.0.evaluate_json(&request).map(decision))
    }

    /// Decides every request of a JSON list: `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY` each.
    pub fn decide_many(&self, requests: String) -> Result<Vec<String>, KmsError> {
        guard(|| {
            self.0
                .decide_json_batch(&requests)
                .map(|v| v.into_iter().map(str::to_string).collect())
        })
    }
}

/// The names of the public functions every binding exposes (core's list, snake_case).
#[uniffi::export]
pub fn capabilities() -> Vec<String> {
    kmskit::api::FUNCTIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every error code (KMS exception name) kmskit raises.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    kmskit::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test hook: panics inside the guard, to prove a panic becomes `KMSInternalException`.
#[uniffi::export]
pub fn panic_probe() -> Result<(), KmsError> {
    guard(|| -> kmskit::Result<()> {
        #[expect(clippy::panic, reason = "the point of the probe")]
        {
            panic!("panic probe")
        }
    })
}
