//! Keyrings: what wraps and unwraps the data key of a message (ESDK
//! `framework/keyring-interface.md`), and the default materials manager around them
//! (`framework/default-cmm.md`).
//!
//! A keyring's [`on_encrypt`](Keyring::on_encrypt) generates the data key if there is none
//! yet and adds an encrypted data key; [`on_decrypt`](Keyring::on_decrypt) tries the message's
//! encrypted data keys that are its own. When none works, the error lists every encrypted data
//! key with the reason it was skipped or failed (never secret material).

mod kms;
mod multi;
mod raw_aes;
mod raw_rsa;

pub use kms::{KmsHandle, KmsKeyring, PROVIDER_ID as KMS_PROVIDER_ID};
pub use multi::MultiKeyring;
pub use raw_aes::RawAesKeyring;
pub use raw_rsa::{RawRsaKeyring, parse_padding as raw_rsa_padding};

use super::context::{EncryptionContext, PUBLIC_KEY_KEY};
use super::header::EncryptedDataKey;
use super::signature;
use super::suite::AlgorithmSuite;
use crate::backend::Backend;
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// What a message is encrypted with: the data key and its encrypted copies.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EncryptionMaterials {
    /// The suite of the message.
    pub suite: AlgorithmSuite,
    /// The whole encryption context: the caller's, plus the signing public key for signing
    /// suites. Keyrings bind their wrapping to it.
    pub encryption_context: EncryptionContext,
    /// Keys of `encryption_context` that are authenticated but not stored in the message.
    pub required_encryption_context_keys: Vec<String>,
    /// The data key (`suite.key_len()` bytes), once a keyring has generated it.
    pub plaintext_data_key: Option<Secret>,
    /// One entry per keyring that wrapped the data key.
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
    pub(crate) signing_key: Option<PrivateKey>,
}

/// What a message is decrypted with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecryptionMaterials {
    /// The suite of the message.
    pub suite: AlgorithmSuite,
    /// The message's encryption context, with any authenticated-only pairs the caller supplied.
    pub encryption_context: EncryptionContext,
    /// Keys of `encryption_context` that were supplied by the caller, not stored.
    pub required_encryption_context_keys: Vec<String>,
    /// The data key, once a keyring has unwrapped it.
    pub plaintext_data_key: Option<Secret>,
    pub(crate) verification_key: Option<PublicKey>,
}

/// A request for encryption materials.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EncryptionRequest {
    /// The suite of the message.
    pub suite: AlgorithmSuite,
    /// The caller's encryption context (no reserved keys).
    pub encryption_context: EncryptionContext,
    /// Keys to authenticate without storing them in the message.
    pub required_encryption_context_keys: Vec<String>,
    /// The plaintext length, when known in advance (the data-key cache needs it).
    pub plaintext_length: Option<u64>,
}

/// A request for decryption materials.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecryptionRequest {
    /// The suite of the message.
    pub suite: AlgorithmSuite,
    /// The message's encryption context plus the caller's authenticated-only pairs.
    pub encryption_context: EncryptionContext,
    /// Keys of `encryption_context` that the caller supplied.
    pub required_encryption_context_keys: Vec<String>,
    /// The message's encrypted data keys.
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
}

/// Wraps and unwraps data keys. Implementations must not leak why unwrapping failed beyond
/// "authentication failed" (no crypto internals) and never put key material in errors.
pub trait Keyring: core::fmt::Debug + Send + Sync {
    /// A short description for error messages, e.g. `raw AES keyring ns/name`.
    fn describe(&self) -> String;

    /// Generates the data key if `materials` has none, and adds an encrypted data key.
    ///
    /// # Errors
    /// As the keyring's wrapping operation.
    fn on_encrypt(&self, backend: &dyn Backend, materials: &mut EncryptionMaterials) -> Result<()>;

    /// Sets the data key from one of `edks`, unless `materials` already has one.
    ///
    /// # Errors
    /// `IncorrectKeyException` when no encrypted data key is for this keyring,
    /// `InvalidCiphertextException` when those that are fail; the message lists each.
    fn on_decrypt(
        &self,
        backend: &dyn Backend,
        materials: &mut DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<()>;

    /// The default materials manager: for signing suites a new signing key, whose public key
    /// joins the encryption context; then [`on_encrypt`](Self::on_encrypt). Caching keyrings
    /// override this.
    ///
    /// # Errors
    /// As `on_encrypt`; `KMSInternalException` if the keyring left no data key.
    fn encryption_materials(
        &self,
        backend: &dyn Backend,
        request: &EncryptionRequest,
    ) -> Result<EncryptionMaterials> {
        default_encryption_materials(self, backend, request)
    }

    /// The default materials manager for decryption: the verification key from the encryption
    /// context, then [`on_decrypt`](Self::on_decrypt).
    ///
    /// # Errors
    /// As `on_decrypt`; `InvalidCiphertextException` for a missing or misplaced public key.
    fn decryption_materials(
        &self,
        backend: &dyn Backend,
        request: &DecryptionRequest,
    ) -> Result<DecryptionMaterials> {
        default_decryption_materials(self, backend, request)
    }
}

impl<K: Keyring + ?Sized> Keyring for alloc::boxed::Box<K> {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn on_encrypt(&self, b: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        (**self).on_encrypt(b, m)
    }
    fn on_decrypt(
        &self,
        b: &dyn Backend,
        m: &mut DecryptionMaterials,
        e: &[EncryptedDataKey],
    ) -> Result<()> {
        (**self).on_decrypt(b, m, e)
    }
    fn encryption_materials(
        &self,
        b: &dyn Backend,
        r: &EncryptionRequest,
    ) -> Result<EncryptionMaterials> {
        (**self).encryption_materials(b, r)
    }
    fn decryption_materials(
        &self,
        b: &dyn Backend,
        r: &DecryptionRequest,
    ) -> Result<DecryptionMaterials> {
        (**self).decryption_materials(b, r)
    }
}

impl<K: Keyring + ?Sized> Keyring for alloc::sync::Arc<K> {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn on_encrypt(&self, b: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        (**self).on_encrypt(b, m)
    }
    fn on_decrypt(
        &self,
        b: &dyn Backend,
        m: &mut DecryptionMaterials,
        e: &[EncryptedDataKey],
    ) -> Result<()> {
        (**self).on_decrypt(b, m, e)
    }
    fn encryption_materials(
        &self,
        b: &dyn Backend,
        r: &EncryptionRequest,
    ) -> Result<EncryptionMaterials> {
        (**self).encryption_materials(b, r)
    }
    fn decryption_materials(
        &self,
        b: &dyn Backend,
        r: &DecryptionRequest,
    ) -> Result<DecryptionMaterials> {
        (**self).decryption_materials(b, r)
    }
}

impl<K: Keyring + ?Sized> Keyring for &K {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn on_encrypt(&self, b: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        (**self).on_encrypt(b, m)
    }
    fn on_decrypt(
        &self,
        b: &dyn Backend,
        m: &mut DecryptionMaterials,
        e: &[EncryptedDataKey],
    ) -> Result<()> {
        (**self).on_decrypt(b, m, e)
    }
    fn encryption_materials(
        &self,
        b: &dyn Backend,
        r: &EncryptionRequest,
    ) -> Result<EncryptionMaterials> {
        (**self).encryption_materials(b, r)
    }
    fn decryption_materials(
        &self,
        b: &dyn Backend,
        r: &DecryptionRequest,
    ) -> Result<DecryptionMaterials> {
        (**self).decryption_materials(b, r)
    }
}

/// The default CMM's GetEncryptionMaterials over `keyring`.
///
/// # Errors
/// As [`Keyring::encryption_materials`].
pub fn default_encryption_materials<K: Keyring + ?Sized>(
    keyring: &K,
    backend: &dyn Backend,
    request: &EncryptionRequest,
) -> Result<EncryptionMaterials> {
    let mut context = request.encryption_context.clone();
    let signing_key = match request.suite.signature() {
        Some(sig) => {
            let key = backend.generate_key_pair(sig.spec)?;
            context.insert(
                PUBLIC_KEY_KEY.to_string(),
                signature::encode_public_key(&key)?,
            );
            Some(key)
        }
        None => None,
    };
    let mut materials = EncryptionMaterials {
        suite: request.suite,
        encryption_context: context,
        required_encryption_context_keys: request.required_encryption_context_keys.clone(),
        plaintext_data_key: None,
        encrypted_data_keys: Vec::new(),
        signing_key,
    };
    keyring.on_encrypt(backend, &mut materials)?;
    match &materials.plaintext_data_key {
        Some(k) if k.len() == request.suite.key_len() => {}
        _ => {
            return Err(Error::internal(format!(
                "{} produced no data key of {} bytes",
                keyring.describe(),
                request.suite.key_len()
            )));
        }
    }
    if materials.encrypted_data_keys.is_empty() {
        return Err(Error::internal(format!(
            "{} produced no encrypted data key",
            keyring.describe()
        )));
    }
    Ok(materials)
}

/// The default CMM's DecryptMaterials over `keyring`.
///
/// # Errors
/// As [`Keyring::decryption_materials`].
pub fn default_decryption_materials<K: Keyring + ?Sized>(
    keyring: &K,
    backend: &dyn Backend,
    request: &DecryptionRequest,
) -> Result<DecryptionMaterials> {
    let public = request.encryption_context.get(PUBLIC_KEY_KEY);
    let verification_key = match (request.suite.signature(), public) {
        (Some(sig), Some(text)) => Some(signature::decode_public_key(sig.spec, text)?),
        (Some(_), None) => {
            return Err(Error::new(
                ErrorCode::InvalidCiphertextException,
                format!(
                    "suite {} signs, but the encryption context has no {PUBLIC_KEY_KEY}",
                    request.suite
                ),
            ));
        }
        (None, Some(_)) => {
            return Err(Error::new(
                ErrorCode::InvalidCiphertextException,
                format!(
                    "suite {} does not sign, but the encryption context has {PUBLIC_KEY_KEY}",
                    request.suite
                ),
            ));
        }
        (None, None) => None,
    };
    let mut materials = DecryptionMaterials {
        suite: request.suite,
        encryption_context: request.encryption_context.clone(),
        required_encryption_context_keys: request.required_encryption_context_keys.clone(),
        plaintext_data_key: None,
        verification_key,
    };
    keyring.on_decrypt(backend, &mut materials, &request.encrypted_data_keys)?;
    if materials.plaintext_data_key.is_none() {
        return Err(Error::new(
            ErrorCode::IncorrectKeyException,
            format!("{} unwrapped no data key", keyring.describe()),
        ));
    }
    Ok(materials)
}

/// A readable name for an encrypted data key: its provider ID and the printable start of its
/// provider info (a raw AES keyring's info ends in binary).
pub(crate) fn describe_edk(index: usize, edk: &EncryptedDataKey) -> String {
    let printable = edk
        .provider_info
        .iter()
        .take_while(|b| b.is_ascii_graphic() || **b == b' ')
        .count()
        .min(120);
    let shown = String::from_utf8_lossy(&edk.provider_info[..printable]);
    let rest = edk.provider_info.len() - printable;
    if rest == 0 {
        format!("EDK #{} ({}, '{shown}')", index + 1, edk.provider_id)
    } else {
        format!(
            "EDK #{} ({}, '{shown}' + {rest} bytes)",
            index + 1,
            edk.provider_id
        )
    }
}

/// The record of one keyring's decryption attempts.
#[derive(Debug, Default)]
pub(crate) struct Attempts {
    lines: Vec<String>,
    /// The code of the first failure of an EDK that was for this keyring.
    failure: Option<ErrorCode>,
}

impl Attempts {
    /// An EDK that is not for this keyring.
    pub(crate) fn skipped(&mut self, index: usize, edk: &EncryptedDataKey, why: &str) {
        self.lines
            .push(format!("{}: skipped, {why}", describe_edk(index, edk)));
    }

    /// An EDK for this keyring that did not unwrap.
    pub(crate) fn failed(&mut self, index: usize, edk: &EncryptedDataKey, error: &Error) {
        self.failure.get_or_insert(error.code());
        self.lines.push(format!(
            "{}: failed, {}: {}",
            describe_edk(index, edk),
            error.code(),
            error.message()
        ));
    }

    /// The error when nothing unwrapped: `IncorrectKeyException` when no EDK was this
    /// keyring's, else the first failure's code (`InvalidCiphertextException` for a bad tag).
    pub(crate) fn into_error(self, keyring: &str) -> Error {
        let code = self.failure.unwrap_or(ErrorCode::IncorrectKeyException);
        Error::new(
            code,
            format!(
                "{keyring} could not decrypt any encrypted data key: {}",
                self.lines.join("; ")
            ),
        )
    }
}

/// The error of an unwrapping that failed authentication, without saying why.
pub(crate) fn unwrap_failed() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "authentication failed (another wrapping key, another encryption context, or modified)",
    )
}
