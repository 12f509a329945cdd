//! Reading messages, incrementally (ESDK `client-apis/decrypt.md`): push message bytes in, get
//! plaintext out. Versions 1 and 2, every suite, framed and non-framed bodies.

use super::context::{self, EncryptionContext};
use super::frame;
use super::header::{self, EncryptedDataKey, Header, TAG_LEN};
use super::kdf;
use super::keyring::{DecryptionRequest, Keyring};
use super::signature::Signer;
use super::sink::Sink;
use super::suite::{AlgorithmSuite, CommitmentPolicy};
use super::wire::reserve_secret;
use crate::backend::{self, AesGcmKey, Backend};
use crate::error::{Error, ErrorCode, Result};
use crate::public_key::PublicKey;
use crate::secret::ct_eq;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

/// The default [`DecryptOptions::buffer_limit`]: 64 MiB.
pub const DEFAULT_BUFFER_LIMIT: usize = 64 << 20;

/// When plaintext is released; see [`Decryptor`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Release {
    /// Each frame once its tag verifies (before the footer of a signing suite is checked).
    #[default]
    PerFrame,
    /// Nothing until `finish` confirms the whole message verified; buffers up to the limit.
    AfterVerification,
}

impl Release {
    /// `PER_FRAME` or `AFTER_VERIFICATION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Release::PerFrame => "PER_FRAME",
            Release::AfterVerification => "AFTER_VERIFICATION",
        }
    }

    /// Reads a release mode in any binding's spelling: `PER_FRAME`, `per_frame`, `perFrame`,
    /// `AFTER_VERIFICATION`, `afterVerification`, ...
    ///
    /// # Errors
    /// `ValidationException` naming the valid modes.
    pub fn parse(text: &str) -> Result<Release> {
        let folded: String = text
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "perframe" => Ok(Release::PerFrame),
            "afterverification" => Ok(Release::AfterVerification),
            _ => Err(Error::validation(format!(
                "release must be PER_FRAME or AFTER_VERIFICATION, not {text:?}"
            ))),
        }
    }
}

/// Options of [`decrypt`](super::decrypt) and [`Decryptor`].
#[derive(Clone, Debug)]
pub struct DecryptOptions {
    /// Pairs the caller expects: a pair stored in the message must have this value; a pair
    /// not stored is authenticated (it must be one the encrypting party withheld).
    pub encryption_context: Option<EncryptionContext>,
    /// Keys that `encryption_context` must supply.
    pub required_encryption_context_keys: Vec<String>,
    /// The commitment policy (default: require, so format-1 messages are refused).
    pub commitment_policy: CommitmentPolicy,
    /// Refuse messages with more encrypted data keys than this.
    pub max_encrypted_data_keys: Option<u16>,
    /// When plaintext is released.
    pub release: Release,
    /// The most plaintext held by [`Release::AfterVerification`], and the largest non-framed
    /// body accepted (default 64 MiB).
    pub buffer_limit: usize,
    /// The crypto backend (default: [`backend::default`]).
    pub backend: Option<&'static dyn Backend>,
}

impl Default for DecryptOptions {
    fn default() -> Self {
        Self {
            encryption_context: None,
            required_encryption_context_keys: Vec::new(),
            commitment_policy: CommitmentPolicy::default(),
            max_encrypted_data_keys: None,
            release: Release::default(),
            buffer_limit: DEFAULT_BUFFER_LIMIT,
            backend: None,
        }
    }
}

/// What the header says, released once it has been authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageInfo {
    /// The suite.
    pub suite: AlgorithmSuite,
    /// The stored encryption context plus the caller's authenticated-only pairs.
    pub encryption_context: EncryptionContext,
    /// The message ID (16 bytes in format 1, 32 in format 2).
    pub message_id: Vec<u8>,
    /// The frame length, `None` for a non-framed body.
    pub frame_length: Option<u32>,
    /// The encrypted data keys.
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Header,
    Frames,
    Single,
    Footer,
    Done,
}

/// An incremental message reader: [`update`](Self::update) with message bytes as they come,
/// then [`finish`](Self::finish). After an error it refuses further input.
///
/// # What is released when
/// - Nothing before the header authenticates (and, for committing suites, its commit key
///   matches the data key).
/// - [`Release::PerFrame`] (the default): a frame's plaintext as soon as its tag verifies. The
///   tag proves the frame was made with the message's data key, in this position. For signing
///   suites the footer signature is checked only at the end, so released plaintext is *not yet
///   signature-verified*; and for every suite a truncated message is only detected at the
///   end. A caller who acts on plaintext early must undo that when `update`/`finish` fails.
/// - [`Release::AfterVerification`]: nothing until [`finish`](Self::finish) has confirmed that
///   the whole message verified (final frame seen, footer signature checked, no bytes after
///   the end); plaintext is held meanwhile, up to
///   [`DecryptOptions::buffer_limit`] bytes (`LimitExceededException` beyond).
///
/// Memory: the input buffer holds at most one frame (or the header, or the footer) plus the
/// caller's last chunk. A non-framed body is one AES-GCM block whose tag comes last, so it is
/// buffered whole, up to `buffer_limit`.
pub struct Decryptor<K: Keyring> {
    keyring: K,
    options: DecryptOptions,
    backend: &'static dyn Backend,
    state: State,
    input: Vec<u8>,
    info: Option<MessageInfo>,
    frame_length: u32,
    key: Option<Box<dyn AesGcmKey>>,
    signer: Option<Signer>,
    verification_key: Option<PublicKey>,
    next_seq: u32,
    held: Zeroizing<Vec<u8>>,
    failed: bool,
}

impl<K: Keyring> core::fmt::Debug for Decryptor<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decryptor")
            .field("state", &self.state)
            .field("next_seq", &self.next_seq)
            .finish_non_exhaustive()
    }
}

fn invalid(what: impl core::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidCiphertextException, format!("{what}"))
}

impl<K: Keyring> Decryptor<K> {
    /// A reader that unwraps the data key with `keyring`.
    pub fn new(keyring: K, options: DecryptOptions) -> Self {
        let backend = options.backend.unwrap_or_else(backend::default);
        Self {
            keyring,
            options,
            backend,
            state: State::Header,
            input: Vec::new(),
            info: None,
            frame_length: 0,
            key: None,
            signer: None,
            verification_key: None,
            next_seq: 1,
            held: Zeroizing::new(Vec::new()),
            failed: false,
        }
    }

    /// The header's contents, once the header has been authenticated.
    pub fn message_info(&self) -> Option<&MessageInfo> {
        self.info.as_ref()
    }

    /// Whether the whole message has been read and verified.
    pub fn is_done(&self) -> bool {
        self.state == State::Done && !self.failed
    }

    /// Consumes `bytes` of the message, appending released plaintext to `out`.
    ///
    /// # Errors
    /// `InvalidCiphertextException` for a malformed, modified or wrongly keyed message or bytes
    /// after its end; `LimitExceededException` for too many encrypted data keys or beyond the
    /// buffer limit; the keyring's errors (`IncorrectKeyException`: no data key was for it).
    pub fn update(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.failed {
            return Err(Error::validation(
                "this decryptor has failed; start a new one",
            ));
        }
        let result = self.update_inner(bytes, out);
        if result.is_err() {
            self.fail();
        }
        result
    }

    fn fail(&mut self) {
        self.failed = true;
        self.held.zeroize();
        self.input.clear();
        self.key = None;
    }

    pub(crate) fn update_inner(&mut self, bytes: &[u8], out: &mut impl Sink) -> Result<()> {
        if self.input.is_empty() {
            let used = self.process(bytes, out)?;
            self.input.extend_from_slice(&bytes[used..]);
        } else {
            let mut data = core::mem::take(&mut self.input);
            data.extend_from_slice(bytes);
            let used = self.process(&data, out)?;
            data.drain(..used);
            self.input = data;
        }
        if self.state == State::Done && !self.input.is_empty() {
            return Err(invalid("bytes follow the end of the message"));
        }
        Ok(())
    }

    /// Ends the input: checks the message is complete, releases any held plaintext to `out`,
    /// and returns the header's contents.
    ///
    /// # Errors
    /// `InvalidCiphertextException` for a truncated message; as [`update`](Self::update).
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<MessageInfo> {
        self.finish_inner(out)
    }

    pub(crate) fn finish_inner(&mut self, out: &mut impl Sink) -> Result<MessageInfo> {
        if self.failed {
            return Err(Error::validation(
                "this decryptor has failed; start a new one",
            ));
        }
        if self.state != State::Done || !self.input.is_empty() {
            self.fail();
            return Err(invalid("the message is truncated"));
        }
        let released = out.put(&self.held);
        self.held.zeroize();
        released?;
        self.info
            .clone()
            .ok_or_else(|| Error::internal("no header"))
    }

    /// Handles every complete unit at the start of `data`; returns the bytes used.
    fn process(&mut self, data: &[u8], out: &mut impl Sink) -> Result<usize> {
        let mut pos = 0;
        loop {
            let rest = &data[pos..];
            match self.state {
                State::Header => {
                    let Some((h, n)) = header::parse(rest, self.options.max_encrypted_data_keys)?
                    else {
                        break;
                    };
                    self.open_header(h, &rest[..n])?;
                    pos += n;
                }
                State::Frames => {
                    let Some(f) = frame::parse(rest, self.frame_length, self.next_seq)? else {
                        break;
                    };
                    let kind = if f.is_final {
                        frame::FINAL
                    } else {
                        frame::REGULAR
                    };
                    let aad = self.aad(kind, f.seq, f.ciphertext.len() as u64)?;
                    self.open(&f.iv, &aad, f.ciphertext, &f.tag, out)?;
                    if let Some(s) = &mut self.signer {
                        s.update(&rest[..f.len]);
                    }
                    pos += f.len;
                    self.next_seq = self.next_seq.wrapping_add(1);
                    if f.is_final {
                        self.end_of_body();
                    }
                }
                State::Single => {
                    let Some((iv, len)) = frame::parse_single_prefix(rest)? else {
                        break;
                    };
                    if len > self.options.buffer_limit as u64 {
                        return Err(Error::new(
                            ErrorCode::LimitExceededException,
                            format!(
                                "a non-framed body of {len} bytes exceeds the buffer limit of {}",
                                self.options.buffer_limit
                            ),
                        ));
                    }
                    let len = len as usize;
                    let total = frame::SINGLE_PREFIX + len + TAG_LEN;
                    if rest.len() < total {
                        break;
                    }
                    let ct = &rest[frame::SINGLE_PREFIX..frame::SINGLE_PREFIX + len];
                    let mut tag = [0u8; TAG_LEN];
                    tag.copy_from_slice(&rest[total - TAG_LEN..total]);
                    let aad = self.aad(frame::SINGLE_BLOCK, 1, len as u64)?;
                    self.open(&iv, &aad, ct, &tag, out)?;
                    if let Some(s) = &mut self.signer {
                        s.update(&rest[..total]);
                    }
                    pos += total;
                    self.end_of_body();
                }
                State::Footer => {
                    let mut r = super::wire::Reader::new(rest);
                    let Some(sig) = r.bytes16() else {
                        break;
                    };
                    let signer = self
                        .signer
                        .take()
                        .ok_or_else(|| Error::internal("no signer"))?;
                    let key = self
                        .verification_key
                        .as_ref()
                        .ok_or_else(|| Error::internal("no verification key"))?;
                    signer.verify(self.backend, key, sig)?;
                    pos += r.pos();
                    self.state = State::Done;
                }
                State::Done => break,
            }
        }
        Ok(pos)
    }

    fn end_of_body(&mut self) {
        self.state = if self.signer.is_some() {
            State::Footer
        } else {
            State::Done
        };
    }

    fn aad(&self, kind: &[u8], seq: u32, len: u64) -> Result<frame::Aad> {
        let id = self.info.as_ref().map_or(&[][..], |i| &i.message_id[..]);
        frame::Aad::new(id, kind, seq, len)
    }

    /// Decrypts into `out` (per frame) or the held buffer; nothing is left behind on failure.
    fn open(
        &mut self,
        iv: &[u8; 12],
        aad: &[u8],
        ct: &[u8],
        tag: &[u8; 16],
        out: &mut impl Sink,
    ) -> Result<()> {
        let key = self.key.as_ref().ok_or_else(|| Error::internal("no key"))?;
        let failed = || invalid("a frame of the message body does not authenticate (modified?)");
        match self.options.release {
            Release::PerFrame => {
                let start = out.len();
                let opened = out
                    .grow(ct.len())
                    .and_then(|plain| key.open_into(iv, aad, ct, tag, plain));
                if opened.is_err() {
                    out.wipe_from(start);
                    return Err(failed());
                }
            }
            Release::AfterVerification => {
                let start = self.held.len();
                if start + ct.len() > self.options.buffer_limit {
                    return Err(Error::new(
                        ErrorCode::LimitExceededException,
                        format!(
                            "the message holds more than the buffer limit of {} bytes; use Release::PerFrame",
                            self.options.buffer_limit
                        ),
                    ));
                }
                reserve_secret(&mut self.held, ct.len(), self.options.buffer_limit);
                self.held.resize(start + ct.len(), 0);
                if key
                    .open_into(iv, aad, ct, tag, &mut self.held[start..])
                    .is_err()
                {
                    return Err(failed());
                }
            }
        }
        Ok(())
    }

    fn open_header(&mut self, h: Header, raw: &[u8]) -> Result<()> {
        self.options.commitment_policy.check_decrypt(h.suite)?;
        let mut auth_only = EncryptionContext::new();
        if let Some(expected) = &self.options.encryption_context {
            for (k, v) in expected {
                match h.context.get(k) {
                    Some(stored) if stored == v => {}
                    Some(_) => {
                        return Err(invalid(format!(
                            "the encryption context of the message has another value for '{k}'"
                        )));
                    }
                    None => {
                        auth_only.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        for k in &self.options.required_encryption_context_keys {
            let supplied = self
                .options
                .encryption_context
                .as_ref()
                .is_some_and(|c| c.contains_key(k));
            if !supplied {
                return Err(Error::validation(format!(
                    "required encryption context key '{k}' was not supplied"
                )));
            }
        }
        let mut full = h.context.clone();
        full.extend(auth_only.iter().map(|(k, v)| (k.clone(), v.clone())));
        let request = DecryptionRequest {
            suite: h.suite,
            encryption_context: full.clone(),
            required_encryption_context_keys: auth_only.keys().cloned().collect(),
            encrypted_data_keys: h.edks.clone(),
        };
        let materials = self.keyring.decryption_materials(self.backend, &request)?;
        let data_key = materials
            .plaintext_data_key
            .as_ref()
            .ok_or_else(|| Error::internal("no data key"))?;
        let (aes_key, commitment) = kdf::derive(self.backend, h.suite, data_key, &h.message_id)?;
        if let (Some(mine), Some(theirs)) = (&commitment, &h.commitment)
            && !ct_eq(mine, theirs)
        {
            return Err(invalid(
                "the key commitment in the header does not match the data key",
            ));
        }
        let key = self.backend.aes_gcm_key(aes_key.expose())?;
        let mut aad = h.body.clone();
        aad.extend_from_slice(&context::serialize(&auth_only)?);
        if key
            .open_into(&h.auth_iv, &aad, &[], &h.auth_tag, &mut [])
            .is_err()
        {
            return Err(invalid(
                "the message header does not authenticate (modified, or another encryption context)",
            ));
        }
        self.signer = h
            .suite
            .signature()
            .map(|s| Signer::new(self.backend, s))
            .transpose()?;
        if let Some(s) = &mut self.signer {
            s.update(raw);
        }
        self.verification_key = materials.verification_key.clone();
        self.key = Some(key);
        self.frame_length = h.frame_length;
        self.state = if h.framed {
            State::Frames
        } else {
            State::Single
        };
        self.info = Some(MessageInfo {
            suite: h.suite,
            encryption_context: full,
            message_id: h.message_id,
            frame_length: h.framed.then_some(h.frame_length),
            encrypted_data_keys: h.edks,
        });
        Ok(())
    }
}

/// The plaintext length of a whole message, read from its framing (the header, then each frame's
/// length); nothing is decrypted or authenticated, so the decryption that follows still decides
/// whether the message is genuine.
///
/// # Errors
/// `InvalidCiphertextException` for a malformed or truncated message.
pub(crate) fn plaintext_length(message: &[u8]) -> Result<usize> {
    let truncated = || invalid("the message is truncated");
    let (h, mut pos) = header::parse(message, None)?.ok_or_else(truncated)?;
    if !h.framed {
        let (_, len) = frame::parse_single_prefix(&message[pos..])?.ok_or_else(truncated)?;
        return usize::try_from(len).map_err(|_| invalid("the body is too long"));
    }
    let (mut seq, mut total) = (1u32, 0usize);
    loop {
        let f = frame::parse(&message[pos..], h.frame_length, seq)?.ok_or_else(truncated)?;
        total += f.ciphertext.len();
        pos += f.len;
        if f.is_final {
            return Ok(total);
        }
        seq = seq.wrapping_add(1);
    }
}
