//! WebAssembly bindings of kmskit (browser and Node): type conversion and error mapping only.
//!
//! Errors are thrown as JS `Error` objects whose `name` and `code` are the KMS exception name.
//! The wasm build uses `panic = "abort"`: kmskit's core denies `unwrap`/`panic` so no panic is
//! expected; if one happened anyway it surfaces as a `WebAssembly.RuntimeError`, never as
//! undefined behaviour (see docs/compatibility.md).

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
