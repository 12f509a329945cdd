//! Writing messages, incrementally (ESDK `client-apis/encrypt.md`): push plaintext in, get
//! message bytes out. At most one frame of plaintext is held, whatever the message length.
//!
//! The writer always frames its output. A plaintext that is an exact multiple of the frame
//! length ends in a full final frame (what the specification recommends; the ESDK for Python
//! writes an empty one instead, and both are read).

use super::context::{self, EncryptionContext};
use super::frame;
use super::header::{self, COMMIT_LEN, HeaderFields, IV_LEN};
use super::kdf;
use super::keyring::{EncryptionRequest, Keyring};
use super::parallel;
use super::signature::Signer;
use super::sink::{Fixed, Sink};
use super::suite::{AlgorithmSuite, CommitmentPolicy};
use crate::backend::{self, AesGcmKey, Backend};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The default frame length.
pub const DEFAULT_FRAME_LENGTH: u32 = 4096;

/// Options of [`encrypt`](super::encrypt) and [`Encryptor`].
#[derive(Clone, Debug)]
pub struct EncryptOptions {
    /// The encryption context, stored in the message (except the required keys below) and
    /// authenticated. Keys starting with `aws-crypto-` are reserved.
    pub encryption_context: EncryptionContext,
    /// The suite; `None` is the policy's default (0x0478).
    pub suite: Option<AlgorithmSuite>,
    /// Plaintext bytes per frame (1 to 2^32 − 1; default 4096).
    pub frame_length: u32,
    /// The commitment policy (default: require).
    pub commitment_policy: CommitmentPolicy,
    /// Keys of `encryption_context` authenticated but not stored: the decrypting party must
    /// supply their pairs (the ESDK's required-encryption-context CMM).
    pub required_encryption_context_keys: Vec<String>,
    /// Fail when the keyring makes more encrypted data keys than this.
    pub max_encrypted_data_keys: Option<u16>,
    /// The plaintext length, if known: enforced, and needed by the data-key cache.
    pub plaintext_length: Option<u64>,
    /// The crypto backend (default: [`backend::default`]).
    pub backend: Option<&'static dyn Backend>,
}

impl Default for EncryptOptions {
    fn default() -> Self {
        Self {
            encryption_context: EncryptionContext::new(),
            suite: None,
            frame_length: DEFAULT_FRAME_LENGTH,
            commitment_policy: CommitmentPolicy::default(),
            required_encryption_context_keys: Vec::new(),
            max_encrypted_data_keys: None,
            plaintext_length: None,
            backend: None,
        }
    }
}

/// An incremental message writer: [`update`](Self::update) with plaintext as it comes, then
/// [`finish`](Self::finish). Each call appends message bytes to `out`; the header comes with
/// the first call. After an error the encryptor refuses further input.
pub struct Encryptor {
    backend: &'static dyn Backend,
    suite: AlgorithmSuite,
    message_id: Vec<u8>,
    frame_length: u32,
    key: Box<dyn AesGcmKey>,
    next_seq: u32,
    pending: Zeroizing<Vec<u8>>,
    header: Option<Vec<u8>>,
    signer: Option<Signer>,
    signing_key: Option<PrivateKey>,
    context: EncryptionContext,
    written: u64,
    expected: Option<u64>,
    done: bool,
}

impl core::fmt::Debug for Encryptor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Encryptor")
            .field("suite", &self.suite)
            .field("frame_length", &self.frame_length)
            .field("next_seq", &self.next_seq)
            .finish_non_exhaustive()
    }
}

fn done_error() -> Error {
    Error::validation("this encryptor has finished or failed; start a new one")
}

impl Encryptor {
    /// Gets encryption materials from `keyring` and prepares the header.
    ///
    /// # Errors
    /// `ValidationException` for a bad option (frame length 0, a suite the commitment policy
    /// forbids, a reserved or missing encryption-context key); `LimitExceededException` for
    /// more encrypted data keys than allowed; the keyring's errors.
    pub fn new(keyring: &dyn Keyring, options: &EncryptOptions) -> Result<Self> {
        let backend = options.backend.unwrap_or_else(backend::default);
        if options.frame_length == 0 {
            return Err(Error::validation(
                "frame length must be 1 to 4294967295 (non-framed messages are not written)",
            ));
        }
        let suite = options
            .suite
            .unwrap_or(options.commitment_policy.default_suite());
        options.commitment_policy.check_encrypt(suite)?;
        context::check_caller_context(&options.encryption_context)?;
        for k in &options.required_encryption_context_keys {
            if !options.encryption_context.contains_key(k) {
                return Err(Error::validation(format!(
                    "required encryption context key '{k}' is not in the encryption context"
                )));
            }
        }
        let request = EncryptionRequest {
            suite,
            encryption_context: options.encryption_context.clone(),
            required_encryption_context_keys: options.required_encryption_context_keys.clone(),
            plaintext_length: options.plaintext_length,
        };
        let materials = keyring.encryption_materials(backend, &request)?;
        if materials.suite != suite {
            return Err(Error::internal("the keyring changed the suite"));
        }
        if let Some(max) = options.max_encrypted_data_keys
            && materials.encrypted_data_keys.len() > usize::from(max)
        {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!(
                    "the keyring made {} encrypted data keys; the limit is {max}",
                    materials.encrypted_data_keys.len()
                ),
            ));
        }
        let data_key = materials
            .plaintext_data_key
            .as_ref()
            .ok_or_else(|| Error::internal("no data key"))?;
        let mut message_id = alloc::vec![0u8; suite.message_id_len()];
        backend.fill_random(&mut message_id)?;
        let (aes_key, commitment) = kdf::derive(backend, suite, data_key, &message_id)?;
        let key = backend.aes_gcm_key(aes_key.expose())?;

        let mut stored = materials.encryption_context.clone();
        let mut auth_only = EncryptionContext::new();
        for k in &materials.required_encryption_context_keys {
            if let Some((k, v)) = stored.remove_entry(k) {
                auth_only.insert(k, v);
            }
        }
        let body = header::serialize_body(&HeaderFields {
            suite,
            message_id: &message_id,
            context: &stored,
            edks: &materials.encrypted_data_keys,
            frame_length: options.frame_length,
            commitment: commitment.as_ref().map(|c: &[u8; COMMIT_LEN]| c),
        })?;
        let mut aad = body.clone();
        aad.extend_from_slice(&context::serialize(&auth_only)?);
        let tag = key.seal_in_place(&[0u8; IV_LEN], &aad, &mut [])?;
        let mut header_bytes = body;
        if suite.message_version() == 1 {
            header_bytes.extend_from_slice(&[0u8; IV_LEN]);
        }
        header_bytes.extend_from_slice(&tag);

        let mut signer = suite
            .signature()
            .map(|s| Signer::new(backend, s))
            .transpose()?;
        if let Some(s) = &mut signer {
            s.update(&header_bytes);
        }
        Ok(Self {
            backend,
            suite,
            message_id,
            frame_length: options.frame_length,
            key,
            next_seq: 1,
            pending: Zeroizing::new(Vec::new()),
            header: Some(header_bytes),
            signer,
            signing_key: materials.signing_key.clone(),
            context: materials.encryption_context.clone(),
            written: 0,
            expected: options.plaintext_length,
            done: false,
        })
    }

    /// The message's suite.
    pub fn suite(&self) -> AlgorithmSuite {
        self.suite
    }

    /// The whole encryption context (with the signing public key, for signing suites).
    pub fn encryption_context(&self) -> &EncryptionContext {
        &self.context
    }

    /// The exact length of the whole message, when the plaintext length was announced
    /// ([`EncryptOptions::plaintext_length`]) and nothing has been written yet.
    pub fn message_length(&self) -> Option<usize> {
        let header = self.header.as_ref()?;
        let plaintext = self.expected?;
        let frame = u64::from(self.frame_length);
        // regular frames go out while more plaintext follows them; the final frame holds the rest
        let regular = plaintext.saturating_sub(1) / frame;
        let last = plaintext - regular * frame;
        let body = regular
            .checked_mul(frame + frame::REGULAR_OVERHEAD)?
            .checked_add(last + frame::FINAL_OVERHEAD)?;
        let footer = self.signer.as_ref().map_or(0, Signer::footer_len);
        usize::try_from(body)
            .ok()?
            .checked_add(header.len())?
            .checked_add(footer)
    }

    /// Writes the whole message for `plaintext` into `out`, which must be exactly
    /// [`message_length`](Self::message_length) bytes: for bindings that return the message in
    /// a buffer of their own runtime, written in place.
    ///
    /// # Errors
    /// `ValidationException` when the plaintext length was not announced or `out` is not the
    /// message's length; as [`update`](Self::update) and [`finish`](Self::finish). After an
    /// error past the length check `out` is zeroed.
    pub fn encrypt_into(mut self, plaintext: &[u8], out: &mut [u8]) -> Result<()> {
        if self.message_length() != Some(out.len()) {
            return Err(Error::validation(
                "encrypt_into needs the announced plaintext length and a buffer of message_length() bytes",
            ));
        }
        let mut sink = Fixed::new(out);
        let mut result = self
            .seal_leading_frames(plaintext, &mut sink)
            .and_then(|rest| self.update_inner(rest, &mut sink))
            .and_then(|()| self.finish_inner(&mut sink));
        if result.is_ok() && !sink.is_full() {
            result = Err(Error::internal("the message is shorter than computed"));
        }
        if result.is_err() {
            sink.wipe_from(0);
        }
        result
    }

    /// For a large one-shot message: writes the header and every regular frame, sealed on
    /// several threads (`parallel`), and returns the plaintext left for the final frame. Small
    /// messages, and platforms without threads, return all of `plaintext` untouched.
    fn seal_leading_frames<'p>(
        &mut self,
        plaintext: &'p [u8],
        out: &mut Fixed<'_>,
    ) -> Result<&'p [u8]> {
        let fl = self.frame_length as usize;
        // regular frames are those followed by more plaintext; the final frame holds the rest
        let regular = plaintext.len().saturating_sub(1) / fl;
        let threads = parallel::threads_for(regular * fl);
        let last_seq = u32::try_from(regular)
            .ok()
            .and_then(|r| self.next_seq.checked_add(r));
        if threads < 2
            || last_seq.is_none_or(|s| s == frame::FINAL_MARKER)
            || !self.pending.is_empty()
        {
            return Ok(plaintext);
        }
        self.emit_header(out)?;
        let (body, rest) = plaintext.split_at(regular * fl);
        let start = out.len();
        let region = out.grow(regular * (fl + frame::REGULAR_OVERHEAD as usize))?;
        parallel::seal_regular(
            &*self.key,
            &self.message_id,
            self.next_seq,
            fl,
            body,
            region,
            threads,
        )?;
        if let Some(s) = &mut self.signer {
            s.update(out.since(start));
        }
        self.next_seq += regular as u32;
        self.written = body.len() as u64;
        Ok(rest)
    }

    fn emit_header(&mut self, out: &mut impl Sink) -> Result<()> {
        if let Some(h) = self.header.take() {
            out.put(&h)?;
        }
        Ok(())
    }

    fn emit_frame(&mut self, is_final: bool, plaintext: &[u8], out: &mut impl Sink) -> Result<()> {
        let seq = self.next_seq;
        if seq == frame::FINAL_MARKER {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                "the message would need more than 2^32 - 2 frames; use a larger frame length",
            ));
        }
        let start = frame::seal(&*self.key, &self.message_id, seq, is_final, plaintext, out)?;
        if let Some(s) = &mut self.signer {
            s.update(out.since(start));
        }
        self.next_seq += 1;
        Ok(())
    }

    /// Encrypts `plaintext`, appending every complete frame to `out`.
    ///
    /// # Errors
    /// `ValidationException` after `finish` or an earlier error, or beyond the announced
    /// plaintext length; `LimitExceededException` past 2^32 − 2 frames.
    pub fn update(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.done {
            return Err(done_error());
        }
        let result = self.update_inner(plaintext, out);
        if result.is_err() {
            self.done = true;
        }
        result
    }

    fn update_inner(&mut self, mut input: &[u8], out: &mut impl Sink) -> Result<()> {
        self.emit_header(out)?;
        self.written = self.written.saturating_add(input.len() as u64);
        if let Some(n) = self.expected
            && self.written > n
        {
            return Err(Error::validation(format!(
                "more plaintext than the announced {n} bytes"
            )));
        }
        let fl = self.frame_length as usize;
        // a full frame goes out only once more plaintext is known to follow it
        while self.pending.len() + input.len() > fl {
            if self.pending.is_empty() {
                let (now, rest) = input.split_at(fl);
                self.emit_frame(false, now, out)?;
                input = rest;
            } else {
                let take = fl - self.pending.len();
                let (now, rest) = input.split_at(take);
                super::wire::extend_secret(&mut self.pending, now, fl);
                input = rest;
                let full = core::mem::take(&mut *self.pending);
                let full = Zeroizing::new(full);
                self.emit_frame(false, &full, out)?;
            }
        }
        super::wire::extend_secret(&mut self.pending, input, fl);
        Ok(())
    }

    /// Writes the final frame and, for signing suites, the footer.
    ///
    /// # Errors
    /// `ValidationException` when called twice, after an error, or when the plaintext was
    /// shorter than announced.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        if self.done {
            return Err(done_error());
        }
        self.finish_inner(out)
    }

    fn finish_inner(&mut self, out: &mut impl Sink) -> Result<()> {
        self.done = true;
        self.emit_header(out)?;
        if let Some(n) = self.expected
            && self.written != n
        {
            return Err(Error::validation(format!(
                "{} bytes of plaintext where {n} were announced",
                self.written
            )));
        }
        let last = core::mem::take(&mut *self.pending);
        let last = Zeroizing::new(last);
        self.emit_frame(true, &last, out)?;
        if let Some(s) = self.signer.take() {
            let key = self
                .signing_key
                .as_ref()
                .ok_or_else(|| Error::internal("no signing key"))?;
            out.put(&s.sign(self.backend, key)?)?;
        }
        Ok(())
    }
}
