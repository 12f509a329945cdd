//! Node.js bindings of kmskit: type conversion and error mapping only.
//!
//! Errors are thrown as `Error` objects whose `code` is the KMS exception name; `index.js`
//! copies it to `name` as well. A panic becomes `KMSInternalException`.

use napi::bindgen_prelude::Uint8Array;
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
