//! Kotlin and Swift bindings of kmskit (uniffi proc-macros): type conversion and error mapping.
//!
//! Errors are one enum, `KmsError` (Kotlin: `KmsException`), with one variant per KMS
//! exception name, each carrying the message. uniffi writes acronyms in camel case, so
//! `KMSInternalException` is `KmsException.KmsInternalException` in Kotlin.

use std::panic::{AssertUnwindSafe, catch_unwind};

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
