//! Envelope encryption in the AWS Encryption SDK message format.
//!
//! A message holds data encrypted under a fresh data key, and that data key wrapped by one or
//! more [keyrings](Keyring). kmskit writes format 2 with the committing suites `0x0478` (the
//! default) and `0x0578` (plus an ECDSA P-384 signature), and reads every suite of formats 1
//! and 2, framed and non-framed, so messages go both ways between kmskit and the official
//! Encryption SDKs (raw AES and raw RSA keyrings are byte-compatible with theirs).
//!
//! Implemented from the ESDK specification (`awslabs/aws-encryption-sdk-specification`):
//! `data-format/message-header.md`, `message-body.md`, `message-body-aad.md`,
//! `message-footer.md`, `client-apis/{encrypt,decrypt,key-derivation}.md`,
//! `framework/{algorithm-suites,raw-aes-keyring,raw-rsa-keyring,multi-keyring,caching-cmm}.md`.
//!
//! - One shot: [`encrypt`] and [`decrypt`]. Nothing is returned from a message that fails
//!   any check.
//! - Incremental, `no_std`: [`Encryptor`] and [`Decryptor`] take bytes in and give bytes out,
//!   with memory bounded by the frame length; [`Decryptor`] documents what is released
//!   before a signed message's footer is checked, and [`Release::AfterVerification`].
//! - `std::io`: [`EncryptingWriter`] and [`DecryptingReader`].
//! - Keyrings: [`RawAesKeyring`], [`RawRsaKeyring`], [`KmsKeyring`] (a local [`Kms`] key,
//!   provider ID `kmskit-kms`), [`MultiKeyring`]; a data-key cache, [`CachingKeyring`].
//!
//! Errors: `InvalidCiphertextException` for a malformed, truncated or modified message, a wrong
//! commitment or a mismatched encryption context; `IncorrectKeyException` when no encrypted
//! data key is for the keyring; `LimitExceededException` for too many encrypted data keys;
//! `ValidationException` for bad options.
//!
//! [`Kms`]: crate::kms::Kms

#[cfg(feature = "std")]
mod cache;
mod context;
mod decrypt;
mod encrypt;
mod frame;
mod header;
mod kdf;
mod keyring;
mod parallel;
mod signature;
mod sink;
#[cfg(feature = "std")]
mod stream;
mod suite;
mod wire;

pub use crate::backend::RsaPadding;
#[cfg(feature = "std")]
pub use cache::{CacheLimits, CachingKeyring};
pub use context::{
    EncryptionContext, PUBLIC_KEY_KEY, RESERVED_PREFIX, deserialize as deserialize_context,
    serialize as serialize_context,
};
pub use decrypt::{DEFAULT_BUFFER_LIMIT, DecryptOptions, Decryptor, MessageInfo, Release};
pub use encrypt::{DEFAULT_FRAME_LENGTH, EncryptOptions, Encryptor};
pub use header::EncryptedDataKey;
pub use keyring::raw_rsa_padding;
pub use keyring::{
    DecryptionMaterials, DecryptionRequest, EncryptionMaterials, EncryptionRequest,
    KMS_PROVIDER_ID, Keyring, KmsHandle, KmsKeyring, MultiKeyring, RawAesKeyring, RawRsaKeyring,
    default_decryption_materials, default_encryption_materials,
};
#[cfg(feature = "std")]
pub use stream::{DecryptingReader, EncryptingWriter};
pub use suite::{AlgorithmSuite, CommitmentPolicy};

use crate::error::{Error, Result};
use crate::secret::Secret;
use alloc::vec::Vec;

/// A decrypted message.
#[derive(Debug)]
#[non_exhaustive]
pub struct Decrypted {
    /// The plaintext (zeroized on drop).
    pub plaintext: Secret,
    /// The encryption context: the stored pairs (with `aws-crypto-public-key` for signing
    /// suites) plus the caller's authenticated-only pairs.
    pub encryption_context: EncryptionContext,
    /// The suite.
    pub suite: AlgorithmSuite,
    /// The message ID.
    pub message_id: Vec<u8>,
    /// The frame length, `None` for a non-framed body.
    pub frame_length: Option<u32>,
    /// The encrypted data keys of the message.
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
}

/// Encrypts `plaintext` into one message.
///
/// # Errors
/// As [`Encryptor::new`]: `ValidationException` for bad options, `LimitExceededException`,
/// the keyring's errors.
pub fn encrypt(
    plaintext: &[u8],
    keyring: &dyn Keyring,
    options: &EncryptOptions,
) -> Result<Vec<u8>> {
    let (e, length) = encryptor_for(keyring, options, plaintext.len())?;
    let mut out = alloc::vec![0u8; length];
    e.encrypt_into(plaintext, &mut out)?;
    Ok(out)
}

/// Starts the one-shot encryption of `plaintext_length` bytes: the encryptor (the length
/// announced) and the exact message length, for [`Encryptor::encrypt_into`] into a buffer the
/// caller allocates (what the Python and Node bindings do with their runtimes' buffers).
///
/// # Errors
/// As [`Encryptor::new`].
pub fn encryptor_for(
    keyring: &dyn Keyring,
    options: &EncryptOptions,
    plaintext_length: usize,
) -> Result<(Encryptor, usize)> {
    let mut options = options.clone();
    options.plaintext_length = Some(plaintext_length as u64);
    let e = Encryptor::new(keyring, &options)?;
    let length = e
        .message_length()
        .ok_or_else(|| Error::validation("the message would be too long for this platform"))?;
    Ok((e, length))
}

/// The plaintext length of a whole message, from its framing alone: the size of the buffer
/// [`decrypt_into`] fills. Nothing is authenticated here.
///
/// # Errors
/// `InvalidCiphertextException` for a malformed or truncated message.
pub fn plaintext_length(message: &[u8]) -> Result<usize> {
    decrypt::plaintext_length(message)
}

/// [`decrypt`] into the caller's buffer of exactly [`plaintext_length`] bytes (for bindings
/// that return plaintext in a buffer of their own runtime). On any error the buffer is zeroed.
///
/// # Errors
/// As [`decrypt`]; `ValidationException` for a buffer of another length.
pub fn decrypt_into(
    message: &[u8],
    keyring: &dyn Keyring,
    options: &DecryptOptions,
    out: &mut [u8],
) -> Result<MessageInfo> {
    let result = decrypt_into_inner(message, keyring, options, out);
    if result.is_err() {
        zeroize::Zeroize::zeroize(out);
    }
    result
}

fn decrypt_into_inner(
    message: &[u8],
    keyring: &dyn Keyring,
    options: &DecryptOptions,
    out: &mut [u8],
) -> Result<MessageInfo> {
    if plaintext_length(message)? != out.len() {
        return Err(Error::validation(
            "decrypt_into needs a buffer of plaintext_length(message) bytes",
        ));
    }
    let mut options = options.clone();
    options.release = Release::PerFrame;
    let mut d = Decryptor::new(keyring, options);
    let mut sink = sink::Fixed::new(out);
    d.update_inner(message, &mut sink)?;
    let info = d.finish_inner(&mut sink)?;
    if sink.is_full() {
        Ok(info)
    } else {
        Err(Error::internal(
            "the plaintext is shorter than its framing said",
        ))
    }
}

/// Decrypts one whole message; nothing is returned unless every check passes.
///
/// # Errors
/// As [`Decryptor::update`] and [`Decryptor::finish`].
pub fn decrypt(
    message: &[u8],
    keyring: &dyn Keyring,
    options: &DecryptOptions,
) -> Result<Decrypted> {
    let mut options = options.clone();
    // the plaintext goes into a buffer of its own that is wiped on error: per-frame release
    // into it is the same as holding it, without the buffer limit
    options.release = Release::PerFrame;
    let mut d = Decryptor::new(keyring, options);
    // the plaintext is shorter than the message: reserving that much means no reallocation
    // ever leaves a copy behind
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(message.len()));
    d.update(message, &mut out)?;
    let info = d.finish(&mut out)?;
    Ok(Decrypted {
        plaintext: Secret::new(core::mem::take(&mut *out)),
        encryption_context: info.encryption_context,
        suite: info.suite,
        message_id: info.message_id,
        frame_length: info.frame_length,
        encrypted_data_keys: info.encrypted_data_keys,
    })
}
