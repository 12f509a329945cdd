//! Envelope encryption in the AWS Encryption SDK message format (`kmskit::envelope`) as uniffi
//! types: a `Keyring` object (raw AES, raw RSA, local KMS, multi, caching), one-shot
//! `envelope_encrypt`/`envelope_decrypt`, and `Encryptor`/`Decryptor` objects for data that
//! comes in chunks.
//!
//! Conversion and error mapping only; every decision is core's. Errors are `KmsError`
//! (`InvalidCiphertextException` for a modified, truncated or mismatched message).

use crate::kms::Kms;
use crate::{KmsError, guard};
use kmskit::envelope::{
    self, AlgorithmSuite, CacheLimits, CachingKeyring, CommitmentPolicy, Decrypted,
    Decryptor as CoreDecryptor, EncryptionContext, Encryptor as CoreEncryptor,
    Keyring as CoreKeyring, KmsKeyring, MultiKeyring, RawAesKeyring, RawRsaKeyring, Release,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A keyring: wraps data keys on encryption and unwraps them on decryption.
///
/// Make one with a constructor (`rawAes`, `rawRsa`, `kms`, `multi`, `caching`); keyrings are
/// immutable and may be shared between threads and messages.
#[derive(Debug, uniffi::Object)]
pub struct Keyring(Arc<dyn CoreKeyring>);

fn keyring(inner: impl CoreKeyring + 'static) -> Arc<Keyring> {
    Arc::new(Keyring(Arc::new(inner)))
}

#[uniffi::export]
impl Keyring {
    /// The ESDK's raw AES keyring: a 16/24/32-byte wrapping key named by `namespace` and `name`
    /// (both must match on decryption; the namespace `aws-kms` is reserved).
    #[uniffi::constructor]
    pub fn raw_aes(
        namespace: String,
        name: String,
        wrapping_key: Vec<u8>,
    ) -> Result<Arc<Self>, KmsError> {
        guard(|| RawAesKeyring::new(&namespace, &name, &wrapping_key)).map(keyring)
    }

    /// The ESDK's raw RSA keyring: `public_key` (to encrypt) and/or `private_key` (to decrypt),
    /// PEM or DER; `padding` `OAEP_SHA1`, `OAEP_SHA256` (default), `OAEP_SHA384`, `OAEP_SHA512`
    /// or `PKCS1`.
    #[uniffi::constructor(default(public_key = None, private_key = None, padding = "OAEP_SHA256"))]
    pub fn raw_rsa(
        namespace: String,
        name: String,
        public_key: Option<Vec<u8>>,
        private_key: Option<Vec<u8>>,
        padding: String,
    ) -> Result<Arc<Self>, KmsError> {
        guard(|| {
            let padding = envelope::raw_rsa_padding(&padding)?;
            RawRsaKeyring::new(
                &namespace,
                &name,
                public_key.as_deref(),
                private_key.as_deref(),
                padding,
            )
        })
        .map(keyring)
    }

    /// Wraps data keys with `key_id` (key ID, ARN, alias name or alias ARN) of a local `Kms`,
    /// as the root of its account (GenerateDataKey, Encrypt, Decrypt with the message's
    /// encryption context). Provider ID `kmskit-kms`; the keyring shares the `Kms`.
    #[uniffi::constructor]
    pub fn kms(kms: Arc<Kms>, key_id: String) -> Arc<Self> {
        keyring(KmsKeyring::new(kms, &key_id))
    }

    /// A multi-keyring: `generator` makes (and wraps) the data key, each child wraps it as
    /// well; any one of them decrypts. Without a generator it decrypts, and encrypts only as
    /// a child of another multi-keyring. `ValidationException` when given no keyring at all.
    #[uniffi::constructor(default(generator = None, children = []))]
    pub fn multi(
        generator: Option<Arc<Keyring>>,
        children: Vec<Arc<Keyring>>,
    ) -> Result<Arc<Self>, KmsError> {
        let boxed = |k: &Keyring| -> Box<dyn CoreKeyring> { Box::new(Arc::clone(&k.0)) };
        let generator = generator.as_deref().map(boxed);
        let children = children.iter().map(|c| boxed(c)).collect();
        guard(|| MultiKeyring::new(generator, children)).map(keyring)
    }

    /// Reuses data keys of `inner` across messages within limits: age in milliseconds,
    /// messages and plaintext bytes per data key, entries. Unset limits are core's defaults
    /// (five minutes, 2^32 messages, no byte limit, 64 entries).
    #[uniffi::constructor(default(
        max_age_ms = None,
        max_messages = None,
        max_bytes = None,
        capacity = None
    ))]
    pub fn caching(
        inner: Arc<Keyring>,
        max_age_ms: Option<u64>,
        max_messages: Option<u64>,
        max_bytes: Option<u64>,
        capacity: Option<u32>,
    ) -> Result<Arc<Self>, KmsError> {
        let d = CacheLimits::default();
        let limits = CacheLimits {
            max_age_ms: max_age_ms.unwrap_or(d.max_age_ms),
            max_messages: max_messages.unwrap_or(d.max_messages),
            max_bytes: max_bytes.unwrap_or(d.max_bytes),
            capacity: capacity.map_or(d.capacity, |c| c as usize),
        };
        guard(|| CachingKeyring::new(Arc::clone(&inner.0), limits)).map(keyring)
    }

    /// What the keyring is, e.g. `raw AES keyring ns/name`.
    pub fn describe(&self) -> String {
        self.0.describe()
    }
}

/// Options of `envelope_encrypt` and `Encryptor`; every field has a default.
#[derive(Debug, Clone, uniffi::Record)]
pub struct EncryptOptions {
    /// Stored in the message (except `required_encryption_context_keys`) and authenticated.
    /// Keys starting with `aws-crypto-` are reserved.
    #[uniffi(default)]
    pub encryption_context: HashMap<String, String>,
    /// `0x0478` (default: AES-256-GCM, HKDF-SHA512, key commitment), `0x0578` (plus an ECDSA
    /// P-384 signature), or an ESDK suite name.
    #[uniffi(default)]
    pub algorithm_suite: Option<String>,
    /// Plaintext bytes per frame.
    #[uniffi(default = 4096)]
    pub frame_length: u32,
    /// `REQUIRE_ENCRYPT_REQUIRE_DECRYPT` (default), `REQUIRE_ENCRYPT_ALLOW_DECRYPT` or
    /// `FORBID_ENCRYPT_ALLOW_DECRYPT`.
    #[uniffi(default)]
    pub commitment_policy: Option<String>,
    /// Keys of the encryption context authenticated but not stored: the decrypting party
    /// supplies their pairs.
    #[uniffi(default)]
    pub required_encryption_context_keys: Vec<String>,
    /// Fail when the keyring makes more encrypted data keys than this.
    #[uniffi(default)]
    pub max_encrypted_data_keys: Option<u16>,
}

/// Options of `envelope_decrypt` and `Decryptor`; every field has a default.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DecryptOptions {
    /// When given, every stored pair given must match, and the pairs not stored must be the
    /// ones the encrypting party withheld.
    #[uniffi(default)]
    pub encryption_context: Option<HashMap<String, String>>,
    /// Keys whose pairs `encryption_context` must supply.
    #[uniffi(default)]
    pub required_encryption_context_keys: Vec<String>,
    /// As `EncryptOptions.commitment_policy`; `REQUIRE_ENCRYPT_ALLOW_DECRYPT` reads the
    /// non-committing suites (message format 1).
    #[uniffi(default)]
    pub commitment_policy: Option<String>,
    /// Refuse messages with more encrypted data keys than this (`LimitExceededException`).
    #[uniffi(default)]
    pub max_encrypted_data_keys: Option<u16>,
    /// `Decryptor` only: `PER_FRAME` (default) releases each frame once its tag verifies;
    /// `AFTER_VERIFICATION` holds the plaintext (up to 64 MiB) until `finish` has checked the
    /// signature of a signed suite. One-shot decryption releases nothing before that anyway.
    #[uniffi(default)]
    pub release: Option<String>,
}

/// A decrypted message.
#[derive(Debug, uniffi::Record)]
pub struct DecryptResult {
    /// The plaintext.
    pub plaintext: Vec<u8>,
    /// The stored pairs (`aws-crypto-public-key` for signing suites) plus the caller's
    /// authenticated-only pairs.
    pub encryption_context: HashMap<String, String>,
    /// The suite, e.g. `0x0478`.
    pub algorithm_suite: String,
    /// The message ID.
    pub message_id: Vec<u8>,
    /// The frame length; null for a non-framed message.
    pub frame_length: Option<u32>,
}

/// What a message streamed through a `Decryptor` says, once all of it verified.
#[derive(Debug, uniffi::Record)]
pub struct MessageInfo {
    /// As `DecryptResult.encryption_context`.
    pub encryption_context: HashMap<String, String>,
    /// The suite, e.g. `0x0478`.
    pub algorithm_suite: String,
    /// The message ID.
    pub message_id: Vec<u8>,
    /// The frame length; null for a non-framed message.
    pub frame_length: Option<u32>,
}

/// What `Decryptor.finish` returns: the rest of the plaintext and the message's info.
#[derive(Debug, uniffi::Record)]
pub struct DecryptFinish {
    /// Plaintext not returned by `update` yet.
    pub plaintext: Vec<u8>,
    /// What the message says.
    pub info: MessageInfo,
}

fn suite_name(suite: AlgorithmSuite) -> String {
    suite.id_hex()
}

fn policy(text: Option<&str>) -> kmskit::Result<CommitmentPolicy> {
    text.map_or(Ok(CommitmentPolicy::default()), CommitmentPolicy::parse)
}

fn context(map: HashMap<String, String>) -> EncryptionContext {
    map.into_iter().collect()
}

fn encrypt_options(
    o: EncryptOptions,
    plaintext_length: Option<u64>,
) -> kmskit::Result<envelope::EncryptOptions> {
    Ok(envelope::EncryptOptions {
        encryption_context: context(o.encryption_context),
        suite: o
            .algorithm_suite
            .as_deref()
            .map(AlgorithmSuite::parse)
            .transpose()?,
        frame_length: o.frame_length,
        commitment_policy: policy(o.commitment_policy.as_deref())?,
        required_encryption_context_keys: o.required_encryption_context_keys,
        max_encrypted_data_keys: o.max_encrypted_data_keys,
        plaintext_length,
        ..envelope::EncryptOptions::default()
    })
}

fn decrypt_options(o: DecryptOptions) -> kmskit::Result<envelope::DecryptOptions> {
    Ok(envelope::DecryptOptions {
        encryption_context: o.encryption_context.map(context),
        required_encryption_context_keys: o.required_encryption_context_keys,
        commitment_policy: policy(o.commitment_policy.as_deref())?,
        max_encrypted_data_keys: o.max_encrypted_data_keys,
        release: o
            .release
            .as_deref()
            .map_or(Ok(Release::default()), Release::parse)?,
        ..envelope::DecryptOptions::default()
    })
}

/// Encrypts `plaintext` into one message in the AWS Encryption SDK format.
#[uniffi::export(default(options))]
pub fn envelope_encrypt(
    plaintext: Vec<u8>,
    keyring: Arc<Keyring>,
    options: EncryptOptions,
) -> Result<Vec<u8>, KmsError> {
    guard(|| {
        let options = encrypt_options(options, Some(plaintext.len() as u64))?;
        envelope::encrypt(&plaintext, &keyring.0, &options)
    })
}

/// Decrypts one whole message; nothing is returned unless all of it verifies.
#[uniffi::export(default(options))]
pub fn envelope_decrypt(
    message: Vec<u8>,
    keyring: Arc<Keyring>,
    options: DecryptOptions,
) -> Result<DecryptResult, KmsError> {
    guard(|| {
        let options = decrypt_options(options)?;
        let d: Decrypted = envelope::decrypt(&message, &keyring.0, &options)?;
        Ok(DecryptResult {
            encryption_context: d.encryption_context.into_iter().collect(),
            algorithm_suite: suite_name(d.suite),
            message_id: d.message_id,
            frame_length: d.frame_length,
            plaintext: d.plaintext.into_vec(),
        })
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // a panic inside core (caught by `guard`) poisons the mutex; the state is still core's
    // own, as the Python binding treats it
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Encrypts a message chunk by chunk: `update` returns the message bytes ready so far,
/// `finish` the rest. Memory stays bounded by the frame length.
#[derive(Debug, uniffi::Object)]
pub struct Encryptor(Mutex<CoreEncryptor>);

#[uniffi::export]
impl Encryptor {
    /// Starts a message (the keyring is asked for its data key now). `plaintext_length`, if
    /// known, is enforced and lets a caching keyring count bytes.
    #[uniffi::constructor(default(plaintext_length = None, options))]
    pub fn new(
        keyring: Arc<Keyring>,
        options: EncryptOptions,
        plaintext_length: Option<u64>,
    ) -> Result<Arc<Self>, KmsError> {
        guard(|| {
            let options = encrypt_options(options, plaintext_length)?;
            CoreEncryptor::new(&keyring.0, &options)
        })
        .map(|e| Arc::new(Encryptor(Mutex::new(e))))
    }

    /// Plaintext in; the message bytes ready so far out.
    pub fn update(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, KmsError> {
        guard(|| {
            let mut out = Vec::new();
            lock(&self.0).update(&plaintext, &mut out).map(|()| out)
        })
    }

    /// The rest of the message.
    pub fn finish(&self) -> Result<Vec<u8>, KmsError> {
        guard(|| {
            let mut out = Vec::new();
            lock(&self.0).finish(&mut out).map(|()| out)
        })
    }
}

/// Decrypts a message chunk by chunk: `update` returns plaintext of frames whose tag
/// verified, `finish` the rest and the message's info once the whole message verified.
///
/// For a signed suite (`0x0578`), frames are released before the footer's signature is
/// checked unless `DecryptOptions.release` is `AFTER_VERIFICATION`.
#[derive(Debug, uniffi::Object)]
pub struct Decryptor(Mutex<CoreDecryptor<Arc<dyn CoreKeyring>>>);

#[uniffi::export]
impl Decryptor {
    /// A decryptor for one message.
    #[uniffi::constructor(default(options))]
    pub fn new(keyring: Arc<Keyring>, options: DecryptOptions) -> Result<Arc<Self>, KmsError> {
        guard(|| decrypt_options(options)).map(|options| {
            Arc::new(Decryptor(Mutex::new(CoreDecryptor::new(
                Arc::clone(&keyring.0),
                options,
            ))))
        })
    }

    /// Message bytes in; the plaintext released so far out.
    pub fn update(&self, message: Vec<u8>) -> Result<Vec<u8>, KmsError> {
        guard(|| {
            let mut out = Vec::new();
            lock(&self.0).update(&message, &mut out).map(|()| out)
        })
    }

    /// The rest of the plaintext and the message's info; `InvalidCiphertextException` for a
    /// truncated or modified message.
    pub fn finish(&self) -> Result<DecryptFinish, KmsError> {
        guard(|| {
            let mut out = Vec::new();
            let m = lock(&self.0).finish(&mut out)?;
            Ok(DecryptFinish {
                plaintext: out,
                info: MessageInfo {
                    encryption_context: m.encryption_context.into_iter().collect(),
                    algorithm_suite: suite_name(m.suite),
                    message_id: m.message_id,
                    frame_length: m.frame_length,
                },
            })
        })
    }
}
