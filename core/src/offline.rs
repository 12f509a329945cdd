//! Offline operations: what AWS KMS Verify does, without KMS.
//!
//! The checks here are KMS's, in KMS's order: the key must be of a KMS key spec, the algorithm
//! must be one the spec allows (`InvalidKeyUsageException` otherwise), the message type must be
//! one the algorithm accepts, and the message length must fit it (`ValidationException`).
//! Only then does the backend do the math.

use crate::backend::{self, Backend, Message};
use crate::error::{Error, Result};
use crate::public_key::PublicKey;
use crate::spec::{MessageType, SigningAlgorithm, limits};
use alloc::format;

/// Verifies a signature exactly as AWS KMS `Verify` would, with the default backend.
///
/// `public_key` is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. A
/// well-formed request whose signature does not verify returns `Ok(false)`.
/// `distinguishing_id` is for SM2DSA with RAW messages (default `1234567812345678`).
///
/// # Errors
/// - `ValidationException`: the key is malformed or of no KMS key spec; the message type does
///   not fit the algorithm; a RAW message over 4096 bytes; a DIGEST of the wrong length; a
///   distinguishing ID where none applies.
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
        backend::default(),
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
pub fn verify_with(
    backend: &dyn Backend,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    distinguishing_id: Option<&[u8]>,
) -> Result<bool> {
    let key = PublicKey::parse(public_key)?;
    let msg = check_signing_input(&key, algorithm, message_type, message)?;
    if distinguishing_id.is_some() {
        return Err(Error::validation(format!(
            "a distinguishing ID applies only to SM2DSA with MessageType RAW, not {algorithm} with {message_type}"
        )));
    }
    backend.verify(&key, algorithm, msg, signature)
}

/// Checks `algorithm` and `message_type` against the key's spec and the message length
/// against the algorithm, as KMS Sign and Verify do.
///
/// # Errors
/// `InvalidKeyUsageException` or `ValidationException`, as [`verify`].
pub fn check_signing_input<'m>(
    key: &PublicKey,
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    message: &'m [u8],
) -> Result<Message<'m>> {
    let spec = key.spec();
    if !spec.info().signing.contains(&algorithm) {
        let allowed = crate::spec::names(spec.info().signing, SigningAlgorithm::as_str);
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
        return Err(Error::validation(format!(
            "MessageType {message_type} is not valid with {algorithm}"
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
