//! `kmskit.envelope`'s native half: keyrings as opaque handles, one-shot encrypt/decrypt and
//! the incremental encryptor/decryptor behind the Python streaming helpers. Conversion only;
//! every decision is core's (`kmskit::envelope`).

use crate::{KmsNative, guard, guard_detached};
use kmskit::envelope::{
    self, AlgorithmSuite, CacheLimits, CachingKeyring, CommitmentPolicy, DecryptOptions, Decryptor,
    EncryptOptions, EncryptionContext, Encryptor, Keyring, KmsKeyring, MessageInfo, MultiKeyring,
    RawAesKeyring, RawRsaKeyring, Release,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::{Arc, Mutex, PoisonError};

/// A keyring (any kind): what `kmskit.envelope`'s keyring classes hold.
#[pyclass(frozen, module = "kmskit._kmskit")]
pub(crate) struct KeyringNative {
    inner: Arc<dyn Keyring>,
}

fn keyring(inner: impl Keyring + 'static) -> KeyringNative {
    KeyringNative {
        inner: Arc::new(inner),
    }
}

#[pymethods]
impl KeyringNative {
    /// A raw AES keyring (ESDK-compatible): namespace, name, a 16/24/32-byte wrapping key.
    #[staticmethod]
    fn raw_aes(
        py: Python<'_>,
        namespace: &str,
        name: &str,
        wrapping_key: Vec<u8>,
    ) -> PyResult<Self> {
        guard(py, || RawAesKeyring::new(namespace, name, &wrapping_key)).map(keyring)
    }

    /// A raw RSA keyring: PEM or DER keys (public to encrypt, private to decrypt).
    #[staticmethod]
    #[pyo3(signature = (namespace, name, public_key, private_key, padding))]
    fn raw_rsa(
        py: Python<'_>,
        namespace: &str,
        name: &str,
        public_key: Option<Vec<u8>>,
        private_key: Option<Vec<u8>>,
        padding: &str,
    ) -> PyResult<Self> {
        guard(py, || {
            let padding = envelope::raw_rsa_padding(padding)?;
            RawRsaKeyring::new(
                namespace,
                name,
                public_key.as_deref(),
                private_key.as_deref(),
                padding,
            )
        })
        .map(keyring)
    }

    /// A keyring wrapping data keys with a key of a local KMS.
    #[staticmethod]
    fn kms(kms: &KmsNative, key_id: &str) -> Self {
        keyring(KmsKeyring::new(Arc::clone(&kms.inner), key_id))
    }

    /// A multi-keyring: the generator makes the data key, every child wraps it too.
    #[staticmethod]
    #[pyo3(signature = (generator, children))]
    fn multi(
        py: Python<'_>,
        generator: Option<PyRef<'_, KeyringNative>>,
        children: Vec<PyRef<'_, KeyringNative>>,
    ) -> PyResult<Self> {
        let boxed = |k: &KeyringNative| -> Box<dyn Keyring> { Box::new(Arc::clone(&k.inner)) };
        let generator = generator.as_deref().map(boxed);
        let children = children.iter().map(|c| boxed(c)).collect();
        guard(py, || MultiKeyring::new(generator, children)).map(keyring)
    }

    /// A data-key cache in front of `inner` (limits: age in ms, messages, bytes, entries).
    #[staticmethod]
    fn caching(
        py: Python<'_>,
        inner: &KeyringNative,
        max_age_ms: u64,
        max_messages: u64,
        max_bytes: u64,
        capacity: usize,
    ) -> PyResult<Self> {
        let limits = CacheLimits {
            max_age_ms,
            max_messages,
            max_bytes,
            capacity,
        };
        guard(py, || CachingKeyring::new(Arc::clone(&inner.inner), limits)).map(keyring)
    }

    /// Core's defaults of `CachingKeyring`: (max_age_ms, max_messages, max_bytes, capacity).
    #[staticmethod]
    fn cache_defaults() -> (u64, u64, u64, usize) {
        let d = CacheLimits::default();
        (d.max_age_ms, d.max_messages, d.max_bytes, d.capacity)
    }

    /// What the keyring is, for messages and `repr`.
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

fn suite_of(text: Option<&str>) -> kmskit::Result<Option<AlgorithmSuite>> {
    text.map(AlgorithmSuite::parse).transpose()
}

fn policy_of(text: Option<&str>) -> kmskit::Result<CommitmentPolicy> {
    text.map_or(Ok(CommitmentPolicy::default()), CommitmentPolicy::parse)
}

#[allow(
    clippy::too_many_arguments,
    reason = "the flat keyword arguments of envelope.encrypt"
)]
fn encrypt_options(
    encryption_context: EncryptionContext,
    suite: Option<&str>,
    frame_length: u32,
    commitment_policy: Option<&str>,
    required_keys: Vec<String>,
    max_encrypted_data_keys: Option<u16>,
    plaintext_length: Option<u64>,
) -> kmskit::Result<EncryptOptions> {
    Ok(EncryptOptions {
        encryption_context,
        suite: suite_of(suite)?,
        frame_length,
        commitment_policy: policy_of(commitment_policy)?,
        required_encryption_context_keys: required_keys,
        max_encrypted_data_keys,
        plaintext_length,
        ..EncryptOptions::default()
    })
}

fn decrypt_options(
    encryption_context: Option<EncryptionContext>,
    required_keys: Vec<String>,
    commitment_policy: Option<&str>,
    max_encrypted_data_keys: Option<u16>,
    release: Option<&str>,
) -> kmskit::Result<DecryptOptions> {
    Ok(DecryptOptions {
        encryption_context,
        required_encryption_context_keys: required_keys,
        commitment_policy: policy_of(commitment_policy)?,
        max_encrypted_data_keys,
        release: release.map_or(Ok(Release::default()), Release::parse)?,
        ..DecryptOptions::default()
    })
}

/// What a decrypted message says: (encryption context, suite "0x0478", message ID, frame
/// length or None).
type Info = (EncryptionContext, String, Vec<u8>, Option<u32>);

fn info(m: &MessageInfo) -> Info {
    (
        m.encryption_context.clone(),
        m.suite.id_hex(),
        m.message_id.clone(),
        m.frame_length,
    )
}

/// One-shot encryption (`envelope::encrypt`); the message.
#[pyfunction(name = "_envelope_encrypt")]
#[pyo3(signature = (plaintext, keyring, encryption_context, suite, frame_length, commitment_policy, required_keys, max_encrypted_data_keys))]
#[allow(
    clippy::too_many_arguments,
    reason = "the flat keyword arguments of envelope.encrypt"
)]
pub(crate) fn envelope_encrypt<'py>(
    py: Python<'py>,
    plaintext: &[u8],
    keyring: &KeyringNative,
    encryption_context: EncryptionContext,
    suite: Option<&str>,
    frame_length: u32,
    commitment_policy: Option<&str>,
    required_keys: Vec<String>,
    max_encrypted_data_keys: Option<u16>,
) -> PyResult<Bound<'py, PyBytes>> {
    let kr = Arc::clone(&keyring.inner);
    let (encryptor, length) = guard_detached(py, || {
        let options = encrypt_options(
            encryption_context,
            suite,
            frame_length,
            commitment_policy,
            required_keys,
            max_encrypted_data_keys,
            None,
        )?;
        envelope::encryptor_for(&kr, &options, plaintext.len())
    })?;
    // the message is written straight into the `bytes` object: no second message-sized buffer
    new_bytes(py, length, |out| {
        guard_detached(py, || encryptor.encrypt_into(plaintext, out))
    })
}

/// One-shot decryption (`envelope::decrypt`): (plaintext, info).
#[pyfunction(name = "_envelope_decrypt")]
#[pyo3(signature = (message, keyring, encryption_context, required_keys, commitment_policy, max_encrypted_data_keys))]
pub(crate) fn envelope_decrypt<'py>(
    py: Python<'py>,
    message: &[u8],
    keyring: &KeyringNative,
    encryption_context: Option<EncryptionContext>,
    required_keys: Vec<String>,
    commitment_policy: Option<&str>,
    max_encrypted_data_keys: Option<u16>,
) -> PyResult<(Bound<'py, PyBytes>, Info)> {
    let kr = Arc::clone(&keyring.inner);
    let options = guard(py, || {
        decrypt_options(
            encryption_context,
            required_keys,
            commitment_policy,
            max_encrypted_data_keys,
            None,
        )
    })?;
    let length = guard(py, || envelope::plaintext_length(message))?;
    // the plaintext is written straight into the `bytes` object, zeroed again on any failure
    let mut info = None;
    let plaintext = new_bytes(py, length, |out| {
        let m = guard_detached(py, || envelope::decrypt_into(message, &kr, &options, out))?;
        info = Some((
            m.encryption_context,
            m.suite.id_hex(),
            m.message_id,
            m.frame_length,
        ));
        Ok(())
    })?;
    let info = guard(py, || {
        info.ok_or_else(|| kmskit::Error::internal("no message info"))
    })?;
    Ok((plaintext, info))
}

/// The incremental encryptor (`envelope::Encryptor`) behind `encrypt_stream`.
#[pyclass(frozen, module = "kmskit._kmskit")]
pub(crate) struct EncryptorNative {
    inner: Mutex<Encryptor>,
}

#[pymethods]
impl EncryptorNative {
    #[new]
    #[pyo3(signature = (keyring, encryption_context, suite, frame_length, commitment_policy, required_keys, max_encrypted_data_keys, plaintext_length))]
    #[allow(
        clippy::too_many_arguments,
        reason = "the flat keyword arguments of encrypt_stream"
    )]
    fn new(
        py: Python<'_>,
        keyring: &KeyringNative,
        encryption_context: EncryptionContext,
        suite: Option<&str>,
        frame_length: u32,
        commitment_policy: Option<&str>,
        required_keys: Vec<String>,
        max_encrypted_data_keys: Option<u16>,
        plaintext_length: Option<u64>,
    ) -> PyResult<Self> {
        let kr = Arc::clone(&keyring.inner);
        let encryptor = guard_detached(py, || {
            let options = encrypt_options(
                encryption_context,
                suite,
                frame_length,
                commitment_policy,
                required_keys,
                max_encrypted_data_keys,
                plaintext_length,
            )?;
            Encryptor::new(&kr, &options)
        })?;
        Ok(Self {
            inner: Mutex::new(encryptor),
        })
    }

    /// Plaintext in; the message bytes ready so far out.
    fn update<'py>(&self, py: Python<'py>, plaintext: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let out = guard_detached(py, || {
            let mut out = Vec::new();
            let mut e = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            e.update(plaintext, &mut out).map(|()| out)
        })?;
        Ok(PyBytes::new(py, &out))
    }

    /// The rest of the message.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let out = guard_detached(py, || {
            let mut out = Vec::new();
            let mut e = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            e.finish(&mut out).map(|()| out)
        })?;
        Ok(PyBytes::new(py, &out))
    }
}

/// The incremental decryptor (`envelope::Decryptor`) behind `decrypt_stream`.
#[pyclass(frozen, module = "kmskit._kmskit")]
pub(crate) struct DecryptorNative {
    inner: Mutex<Decryptor<Arc<dyn Keyring>>>,
}

#[pymethods]
impl DecryptorNative {
    #[new]
    #[pyo3(signature = (keyring, encryption_context, required_keys, commitment_policy, max_encrypted_data_keys, release))]
    fn new(
        py: Python<'_>,
        keyring: &KeyringNative,
        encryption_context: Option<EncryptionContext>,
        required_keys: Vec<String>,
        commitment_policy: Option<&str>,
        max_encrypted_data_keys: Option<u16>,
        release: Option<&str>,
    ) -> PyResult<Self> {
        let options = guard(py, || {
            decrypt_options(
                encryption_context,
                required_keys,
                commitment_policy,
                max_encrypted_data_keys,
                release,
            )
        })?;
        Ok(Self {
            inner: Mutex::new(Decryptor::new(Arc::clone(&keyring.inner), options)),
        })
    }

    /// Message bytes in; the plaintext released so far out (only verified frames).
    fn update<'py>(&self, py: Python<'py>, message: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let out = guard_detached(py, || {
            let mut out = Vec::new();
            let mut d = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            d.update(message, &mut out).map(|()| out)
        })?;
        Ok(PyBytes::new(py, &out))
    }

    /// The rest of the plaintext and what the message says, once all of it verified.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyBytes>, Info)> {
        let (out, m) = guard_detached(py, || {
            let mut out = Vec::new();
            let mut d = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            d.finish(&mut out).map(|m| (out, info(&m)))
        })?;
        Ok((PyBytes::new(py, &out), m))
    }
}

/// A new `bytes` of `len` bytes, zeroed, then filled by `fill` (which writes every byte or
/// fails): `PyBytes::new_with`, except that a large buffer is marked for huge pages before its
/// first write (`kmskit_buffers`).
fn new_bytes<'py>(
    py: Python<'py>,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> PyResult<Bound<'py, PyBytes>> {
    let size = guard(py, || {
        pyo3::ffi::Py_ssize_t::try_from(len)
            .map_err(|_| kmskit::Error::validation("the result exceeds Python's size limit"))
    })?;
    // SAFETY: PyBytes_FromStringAndSize(NULL, n) returns a new reference to a `bytes` with n
    // writable, uninitialized bytes, or NULL with an exception set (`from_owned_ptr_or_err`).
    // Nothing else can see the object until it is returned, so we may write through the
    // pointer: first as `MaybeUninit` (the hint), then zeroed, then as bytes.
    unsafe {
        let object = pyo3::ffi::PyBytes_FromStringAndSize(std::ptr::null(), size);
        let bytes = Bound::from_owned_ptr_or_err(py, object)?.cast_into_unchecked::<PyBytes>();
        let data = pyo3::ffi::PyBytes_AsString(object).cast::<u8>();
        if data.is_null() {
            return Err(PyErr::fetch(py));
        }
        kmskit_buffers::prefer_huge_pages(std::slice::from_raw_parts_mut(data.cast(), len));
        std::ptr::write_bytes(data, 0, len);
        fill(std::slice::from_raw_parts_mut(data, len))?;
        Ok(bytes)
    }
}
