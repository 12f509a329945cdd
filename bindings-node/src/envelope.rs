//! Envelope encryption (`kmskit::envelope`, the AWS Encryption SDK message format) behind
//! `index.js`'s `envelope` namespace: keyrings, one-shot `encrypt`/`decrypt` and the
//! incremental [`NativeEncryptor`]/[`NativeDecryptor`] that drive its `stream.Transform`s.
//!
//! Conversion only. Every step that can be slow (the keyring's wrapping, RSA, the local KMS,
//! AES-GCM over the data, the footer signature) runs on the libuv thread pool and resolves to
//! an [`EnvelopeOutcome`], whose `code` `index.js` turns into the rejection (as the KMS calls'
//! `Outcome`).

use crate::{NativeKms, map_error, unwind};
use kmskit::envelope::{
    self, AlgorithmSuite, CacheLimits, CachingKeyring, CommitmentPolicy, DecryptOptions, Decryptor,
    EncryptOptions, EncryptionContext, Encryptor, Keyring, KmsKeyring, MessageInfo, MultiKeyring,
    RawAesKeyring, RawRsaKeyring, Release,
};
use napi::bindgen_prelude::{AsyncTask, Buffer, FromNapiValue, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

type Result<T> = napi::Result<T, String>;

fn guard<T>(f: impl FnOnce() -> kmskit::Result<T>) -> Result<T> {
    unwind(f).map_err(|e| map_error(&e))
}

/// A keyring of any kind (internal: `index.js` wraps it in `envelope.RawAesKeyring`, ...).
#[napi(js_name = "_NativeKeyring")]
#[derive(Debug)]
pub struct NativeKeyring {
    inner: Arc<dyn Keyring>,
}

fn whole(name: &str, v: f64) -> kmskit::Result<u64> {
    if v == f64::INFINITY {
        return Ok(u64::MAX);
    }
    if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
        return Err(kmskit::Error::validation(format!(
            "{name} must be a whole number of at least 0 (or Infinity), not {v}"
        )));
    }
    Ok(v as u64)
}

#[napi]
impl NativeKeyring {
    /// `RawAesKeyring::new`.
    #[napi(factory)]
    pub fn raw_aes(
        key_namespace: String,
        key_name: String,
        wrapping_key: Uint8Array,
    ) -> Result<Self> {
        guard(|| RawAesKeyring::new(&key_namespace, &key_name, &wrapping_key)).map(Self::of)
    }

    /// `RawRsaKeyring::new`; keys PEM or DER, `padding` a name of `raw_rsa_padding`.
    #[napi(factory)]
    pub fn raw_rsa(
        key_namespace: String,
        key_name: String,
        public_key: Option<Uint8Array>,
        private_key: Option<Uint8Array>,
        padding: String,
    ) -> Result<Self> {
        guard(|| {
            RawRsaKeyring::new(
                &key_namespace,
                &key_name,
                public_key.as_deref(),
                private_key.as_deref(),
                envelope::raw_rsa_padding(&padding)?,
            )
        })
        .map(Self::of)
    }

    /// `KmsKeyring::new` over the local KMS of a `Kms` object.
    #[napi(factory)]
    pub fn kms(kms: &NativeKms, key_id: String) -> Self {
        Self::of(KmsKeyring::new(Arc::clone(&kms.kms), &key_id))
    }

    /// `MultiKeyring::new`.
    #[napi(factory)]
    pub fn multi(generator: Option<&NativeKeyring>, children: Vec<&NativeKeyring>) -> Result<Self> {
        let boxed = |k: &NativeKeyring| -> Box<dyn Keyring> { Box::new(Arc::clone(&k.inner)) };
        let generator = generator.map(boxed);
        let children = children.into_iter().map(boxed).collect();
        guard(|| MultiKeyring::new(generator, children)).map(Self::of)
    }

    /// `CachingKeyring::new`; absent limits take `CacheLimits::default()`'s.
    #[napi(factory)]
    pub fn caching(
        inner: &NativeKeyring,
        max_age_ms: Option<f64>,
        max_messages: Option<f64>,
        max_bytes: Option<f64>,
        capacity: Option<u32>,
    ) -> Result<Self> {
        guard(|| {
            let d = CacheLimits::default();
            let limits = CacheLimits {
                max_age_ms: max_age_ms.map_or(Ok(d.max_age_ms), |v| whole("maxAgeMs", v))?,
                max_messages: max_messages
                    .map_or(Ok(d.max_messages), |v| whole("maxMessages", v))?,
                max_bytes: max_bytes.map_or(Ok(d.max_bytes), |v| whole("maxBytes", v))?,
                capacity: capacity.map_or(d.capacity, |c| c as usize),
            };
            CachingKeyring::new(Arc::clone(&inner.inner), limits)
        })
        .map(Self::of)
    }

    /// The keyring's description (`Keyring::describe`).
    #[napi]
    pub fn describe(&self) -> String {
        self.inner.describe()
    }
}

impl NativeKeyring {
    fn of(k: impl Keyring + 'static) -> Self {
        Self { inner: Arc::new(k) }
    }
}

// ------------------------------------------------------------------------------ options

/// The options of `encrypt` and `encryptStream` (`EncryptOptions`); `index.js` has checked
/// their JavaScript types.
#[napi(object)]
#[derive(Debug, Default)]
pub struct NativeEncryptOptions {
    /// Stored and authenticated pairs.
    pub encryption_context: Option<HashMap<String, String>>,
    /// `AlgorithmSuite::parse`: `0x0478`, an ESDK name, ...
    pub algorithm_suite: Option<String>,
    /// Plaintext bytes per frame.
    pub frame_length: Option<u32>,
    /// `CommitmentPolicy::parse`.
    pub commitment_policy: Option<String>,
    /// Keys authenticated but not stored.
    pub required_encryption_context_keys: Option<Vec<String>>,
    /// The most encrypted data keys the keyring may make.
    pub max_encrypted_data_keys: Option<u32>,
}

/// The options of `decrypt` and `decryptStream` (`DecryptOptions`).
#[napi(object)]
#[derive(Debug, Default)]
pub struct NativeDecryptOptions {
    /// Pairs the message must hold (or, if not stored, authenticate).
    pub encryption_context: Option<HashMap<String, String>>,
    /// Keys `encryptionContext` must supply.
    pub required_encryption_context_keys: Option<Vec<String>>,
    /// `CommitmentPolicy::parse`.
    pub commitment_policy: Option<String>,
    /// Refuse messages with more encrypted data keys.
    pub max_encrypted_data_keys: Option<u32>,
    /// `Release::parse`: `perFrame` or `afterVerification`.
    pub release: Option<String>,
}

fn context(map: Option<HashMap<String, String>>) -> Option<EncryptionContext> {
    map.map(|m| m.into_iter().collect())
}

fn max_edks(v: Option<u32>) -> kmskit::Result<Option<u16>> {
    v.map(|n| {
        u16::try_from(n).map_err(|_| {
            kmskit::Error::validation(format!(
                "maxEncryptedDataKeys must be at most 65535, not {n}"
            ))
        })
    })
    .transpose()
}

fn policy(p: Option<String>) -> kmskit::Result<CommitmentPolicy> {
    p.map_or(Ok(CommitmentPolicy::default()), |p| {
        CommitmentPolicy::parse(&p)
    })
}

fn encrypt_options(o: NativeEncryptOptions) -> kmskit::Result<EncryptOptions> {
    let d = EncryptOptions::default();
    Ok(EncryptOptions {
        encryption_context: context(o.encryption_context).unwrap_or_default(),
        suite: o
            .algorithm_suite
            .as_deref()
            .map(AlgorithmSuite::parse)
            .transpose()?,
        frame_length: o.frame_length.unwrap_or(d.frame_length),
        commitment_policy: policy(o.commitment_policy)?,
        required_encryption_context_keys: o.required_encryption_context_keys.unwrap_or_default(),
        max_encrypted_data_keys: max_edks(o.max_encrypted_data_keys)?,
        ..d
    })
}

fn decrypt_options(o: NativeDecryptOptions) -> kmskit::Result<DecryptOptions> {
    Ok(DecryptOptions {
        encryption_context: context(o.encryption_context),
        required_encryption_context_keys: o.required_encryption_context_keys.unwrap_or_default(),
        commitment_policy: policy(o.commitment_policy)?,
        max_encrypted_data_keys: max_edks(o.max_encrypted_data_keys)?,
        release: o
            .release
            .as_deref()
            .map_or(Ok(Release::default()), Release::parse)?,
        ..DecryptOptions::default()
    })
}

// ------------------------------------------------------------------------------ tasks

/// What a decrypted message's header says.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct EnvelopeInfo {
    /// The stored pairs plus the caller's authenticated-only ones.
    #[napi(ts_type = "Record<string, string>")]
    pub encryption_context: EncryptionContext,
    /// The suite ID, `0x0478`.
    pub algorithm_suite: String,
    /// The message ID.
    pub message_id: Buffer,
    /// The frame length; absent for a non-framed body.
    pub frame_length: Option<u32>,
}

/// What an envelope task gives: bytes (a message or plaintext) and, once known, the header's
/// contents; or the KMS exception.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct EnvelopeOutcome {
    /// Message bytes (encrypting) or plaintext (decrypting).
    pub bytes: Option<Buffer>,
    /// The header's contents (decrypting), once authenticated.
    pub info: Option<EnvelopeInfo>,
    /// The KMS exception name.
    pub code: Option<String>,
    /// The exception message.
    pub message: Option<String>,
}

/// The header's contents, as a job hands them over.
#[derive(Debug)]
pub struct Header {
    encryption_context: EncryptionContext,
    suite: AlgorithmSuite,
    message_id: Vec<u8>,
    frame_length: Option<u32>,
}

impl From<&MessageInfo> for Header {
    fn from(i: &MessageInfo) -> Self {
        Header {
            encryption_context: i.encryption_context.clone(),
            suite: i.suite,
            message_id: i.message_id.clone(),
            frame_length: i.frame_length,
        }
    }
}

/// What an envelope job computes.
#[derive(Debug, Default)]
pub struct Produced {
    bytes: Vec<u8>,
    info: Option<Header>,
}

type EnvelopeJob = Box<dyn FnOnce() -> kmskit::Result<Produced> + Send>;

/// One envelope step on the libuv thread pool.
pub struct EnvelopeWork(Option<EnvelopeJob>);

impl std::fmt::Debug for EnvelopeWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnvelopeWork")
    }
}

fn work(
    job: impl FnOnce() -> kmskit::Result<Produced> + Send + 'static,
) -> AsyncTask<EnvelopeWork> {
    AsyncTask::new(EnvelopeWork(Some(Box::new(job))))
}

fn info_of(i: Header) -> EnvelopeInfo {
    EnvelopeInfo {
        encryption_context: i.encryption_context,
        algorithm_suite: i.suite.id_hex(),
        message_id: Buffer::from(i.message_id),
        frame_length: i.frame_length,
    }
}

impl Task for EnvelopeWork {
    type Output = kmskit::Result<Produced>;
    type JsValue = EnvelopeOutcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.0.take();
        Ok(unwind(|| match job {
            Some(job) => job(),
            None => Err(kmskit::Error::internal("a task ran twice")),
        }))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<EnvelopeOutcome> {
        Ok(outcome(output))
    }
}

fn outcome(result: kmskit::Result<Produced>) -> EnvelopeOutcome {
    match result {
        Ok(p) => success(Buffer::from(p.bytes), p.info),
        Err(e) => EnvelopeOutcome {
            bytes: None,
            info: None,
            code: Some(e.code().as_str().to_string()),
            message: Some(e.message().to_string()),
        },
    }
}

fn success(bytes: Buffer, info: Option<Header>) -> EnvelopeOutcome {
    EnvelopeOutcome {
        bytes: Some(bytes),
        info: info.map(info_of),
        code: None,
        message: None,
    }
}

/// Where a one-shot call puts its result, allocated once its length is known.
trait Output {
    fn buffer(&mut self, len: usize) -> kmskit::Result<&mut [u8]>;
}

/// A Rust buffer, handed to JS when the task resolves (thread-pool calls).
struct RustOutput(Vec<u8>);

impl Output for RustOutput {
    fn buffer(&mut self, len: usize) -> kmskit::Result<&mut [u8]> {
        self.0 = kmskit_buffers::zeroed(len);
        Ok(&mut self.0)
    }
}

/// A Buffer from Node's own allocator (calls on the JS thread): cheaper than a fresh Rust
/// allocation there, whose pages fault in on every call (~0.3 ms per MiB measured).
struct NodeOutput {
    env: napi::sys::napi_env,
    value: napi::sys::napi_value,
}

impl Output for NodeOutput {
    fn buffer(&mut self, len: usize) -> kmskit::Result<&mut [u8]> {
        let mut data = std::ptr::null_mut();
        // SAFETY: on the JS thread (`env` is this call's), napi_create_buffer makes a Buffer of
        // `len` writable, uninitialized bytes at `data`; nothing else sees it before this call
        // returns it to JS, and Node frees it when JS drops it.
        let status =
            unsafe { napi::sys::napi_create_buffer(self.env, len, &mut data, &mut self.value) };
        if status != napi::sys::Status::napi_ok {
            return Err(kmskit::Error::internal(
                "Node could not allocate the result",
            ));
        }
        if len == 0 || data.is_null() {
            return Ok(&mut []);
        }
        // SAFETY: `data` is valid for `len` bytes while `self` is borrowed (see above); zeroed
        // before it is seen as initialized bytes.
        unsafe {
            std::ptr::write_bytes(data.cast::<u8>(), 0, len);
            Ok(std::slice::from_raw_parts_mut(data.cast::<u8>(), len))
        }
    }
}

fn encrypt_whole(
    plaintext: &[u8],
    keyring: &dyn Keyring,
    options: NativeEncryptOptions,
    out: &mut dyn Output,
) -> kmskit::Result<Option<Header>> {
    let options = encrypt_options(options)?;
    let (encryptor, length) = envelope::encryptor_for(keyring, &options, plaintext.len())?;
    encryptor.encrypt_into(plaintext, out.buffer(length)?)?;
    Ok(None)
}

fn decrypt_whole(
    message: &[u8],
    keyring: &dyn Keyring,
    options: NativeDecryptOptions,
    out: &mut dyn Output,
) -> kmskit::Result<Option<Header>> {
    let options = decrypt_options(options)?;
    let out = out.buffer(envelope::plaintext_length(message)?)?;
    let m = envelope::decrypt_into(message, keyring, &options, out)?;
    Ok(Some(Header::from(&m)))
}

/// Runs `job` on the libuv pool, its output in a Rust buffer.
fn pooled(
    job: impl FnOnce(&mut dyn Output) -> kmskit::Result<Option<Header>> + Send + 'static,
) -> AsyncTask<EnvelopeWork> {
    work(move || {
        let mut out = RustOutput(Vec::new());
        let info = job(&mut out)?;
        Ok(Produced { bytes: out.0, info })
    })
}

/// Runs `job` here, its output written straight into a new Node Buffer.
fn inline(
    env: Env,
    job: impl FnOnce(&mut dyn Output) -> kmskit::Result<Option<Header>>,
) -> EnvelopeOutcome {
    let mut out = NodeOutput {
        env: env.raw(),
        value: std::ptr::null_mut(),
    };
    let info = unwind(|| job(&mut out));
    // SAFETY: `out.value`, when set, is the Buffer made by `NodeOutput::buffer` in this call
    let bytes = info
        .as_ref()
        .ok()
        .and_then(|_| unsafe { Buffer::from_napi_value(out.env, out.value) }.ok());
    match (info, bytes) {
        (Ok(info), Some(bytes)) => success(bytes, info),
        (Err(e), _) => outcome(Err(e)),
        (Ok(_), None) => outcome(Err(kmskit::Error::internal("no result buffer"))),
    }
}

/// Encrypts `plaintext` into one message (`envelope::encrypt`), off the event loop.
#[napi(
    js_name = "_envelopeEncrypt",
    ts_return_type = "Promise<EnvelopeOutcome>"
)]
pub fn envelope_encrypt(
    plaintext: Uint8Array,
    keyring: &NativeKeyring,
    options: NativeEncryptOptions,
) -> AsyncTask<EnvelopeWork> {
    // copied: the work runs on the libuv pool, where JS could change the caller's buffer
    let (plaintext, keyring) = (
        kmskit::Secret::new(kmskit_buffers::copied(&plaintext)),
        Arc::clone(&keyring.inner),
    );
    pooled(move |out| encrypt_whole(plaintext.expose(), &*keyring, options, out))
}

/// `_envelopeEncrypt` on the calling thread, for small inputs (envelope.js decides): no
/// thread-pool round trip and no copy of the input, which JS cannot change meanwhile.
#[napi(js_name = "_envelopeEncryptNow")]
pub fn envelope_encrypt_now(
    env: Env,
    plaintext: Uint8Array,
    keyring: &NativeKeyring,
    options: NativeEncryptOptions,
) -> EnvelopeOutcome {
    inline(env, |out| {
        encrypt_whole(&plaintext, &*keyring.inner, options, out)
    })
}

/// Decrypts one whole message (`envelope::decrypt`), off the event loop.
#[napi(
    js_name = "_envelopeDecrypt",
    ts_return_type = "Promise<EnvelopeOutcome>"
)]
pub fn envelope_decrypt(
    message: Uint8Array,
    keyring: &NativeKeyring,
    options: NativeDecryptOptions,
) -> AsyncTask<EnvelopeWork> {
    let (message, keyring) = (kmskit_buffers::copied(&message), Arc::clone(&keyring.inner));
    pooled(move |out| decrypt_whole(&message, &*keyring, options, out))
}

/// `_envelopeDecrypt` on the calling thread, for small messages (see `_envelopeEncryptNow`).
#[napi(js_name = "_envelopeDecryptNow")]
pub fn envelope_decrypt_now(
    env: Env,
    message: Uint8Array,
    keyring: &NativeKeyring,
    options: NativeDecryptOptions,
) -> EnvelopeOutcome {
    inline(env, |out| {
        decrypt_whole(&message, &*keyring.inner, options, out)
    })
}

// ------------------------------------------------------------------------------ streaming

#[derive(Debug)]
enum EncryptState {
    /// Not started: the keyring is asked at the first step, on the thread pool.
    Pending(Arc<dyn Keyring>, Box<EncryptOptions>),
    Running(Box<Encryptor>),
    Failed,
}

impl EncryptState {
    fn encryptor(&mut self) -> kmskit::Result<&mut Encryptor> {
        if let EncryptState::Pending(keyring, options) = self {
            let started = Encryptor::new(&**keyring, options);
            *self = match started {
                Ok(e) => EncryptState::Running(Box::new(e)),
                Err(e) => {
                    *self = EncryptState::Failed;
                    return Err(e);
                }
            };
        }
        match self {
            EncryptState::Running(e) => Ok(e),
            _ => Err(kmskit::Error::validation(
                "this encryptor has finished or failed; start a new one",
            )),
        }
    }
}

/// An incremental message writer (`envelope::Encryptor`) behind `envelope.encryptStream`
/// (internal). Each step runs on the thread pool; steps must not overlap (a Transform's do not).
#[napi(js_name = "_NativeEncryptor")]
#[derive(Debug)]
pub struct NativeEncryptor {
    state: Arc<Mutex<EncryptState>>,
}

#[napi]
impl NativeEncryptor {
    /// Checks the options; the keyring is asked at the first `update` or `finish`.
    #[napi(constructor)]
    pub fn new(keyring: &NativeKeyring, options: NativeEncryptOptions) -> Result<Self> {
        let options = guard(|| encrypt_options(options))?;
        Ok(Self {
            state: Arc::new(Mutex::new(EncryptState::Pending(
                Arc::clone(&keyring.inner),
                Box::new(options),
            ))),
        })
    }

    /// Encrypts a chunk: resolves to the message bytes now complete (the header first).
    #[napi(ts_return_type = "Promise<EnvelopeOutcome>")]
    pub fn update(&self, chunk: Uint8Array) -> AsyncTask<EnvelopeWork> {
        let (state, chunk) = (Arc::clone(&self.state), kmskit::Secret::from_slice(&chunk));
        work(move || {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            state.encryptor()?.update(chunk.expose(), &mut out)?;
            Ok(Produced {
                bytes: out,
                info: None,
            })
        })
    }

    /// Ends the message: resolves to its last bytes (final frame, footer).
    #[napi(ts_return_type = "Promise<EnvelopeOutcome>")]
    pub fn finish(&self) -> AsyncTask<EnvelopeWork> {
        let state = Arc::clone(&self.state);
        work(move || {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            state.encryptor()?.finish(&mut out)?;
            *state = EncryptState::Failed;
            Ok(Produced {
                bytes: out,
                info: None,
            })
        })
    }
}

#[derive(Debug)]
struct DecryptState {
    decryptor: Decryptor<Arc<dyn Keyring>>,
    /// Whether the header's contents have been handed out.
    told: bool,
}

/// An incremental message reader (`envelope::Decryptor`) behind `envelope.decryptStream`
/// (internal). Plaintext comes out as the `release` option allows.
#[napi(js_name = "_NativeDecryptor")]
#[derive(Debug)]
pub struct NativeDecryptor {
    state: Arc<Mutex<DecryptState>>,
}

#[napi]
impl NativeDecryptor {
    /// A reader unwrapping the data key with `keyring`.
    #[napi(constructor)]
    pub fn new(keyring: &NativeKeyring, options: NativeDecryptOptions) -> Result<Self> {
        let options = guard(|| decrypt_options(options))?;
        Ok(Self {
            state: Arc::new(Mutex::new(DecryptState {
                decryptor: Decryptor::new(Arc::clone(&keyring.inner), options),
                told: false,
            })),
        })
    }

    /// Reads a chunk of the message: resolves to the plaintext released, and to the header's
    /// contents the first time they are known.
    #[napi(ts_return_type = "Promise<EnvelopeOutcome>")]
    pub fn update(&self, chunk: Uint8Array) -> AsyncTask<EnvelopeWork> {
        let (state, chunk) = (Arc::clone(&self.state), chunk.to_vec());
        work(move || {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            state.decryptor.update(&chunk, &mut out)?;
            let info = match state.decryptor.message_info() {
                Some(i) if !state.told => Some(Header::from(i)),
                _ => None,
            };
            state.told |= info.is_some();
            Ok(Produced { bytes: out, info })
        })
    }

    /// Checks the end of the message: resolves to the last plaintext (and the header's
    /// contents if not handed out yet), or rejects (truncated, bad signature, trailing bytes).
    #[napi(ts_return_type = "Promise<EnvelopeOutcome>")]
    pub fn finish(&self) -> AsyncTask<EnvelopeWork> {
        let state = Arc::clone(&self.state);
        work(move || {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            let info = state.decryptor.finish(&mut out)?;
            let info = (!state.told).then(|| Header::from(&info));
            state.told = true;
            Ok(Produced { bytes: out, info })
        })
    }
}
