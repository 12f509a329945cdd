//! The message body (ESDK `data-format/message-body.md`, `message-body-aad.md`).
//!
//! - Regular frame: u32 sequence number ‖ IV ‖ ciphertext (frame length) ‖ tag.
//! - Final frame: `FF FF FF FF` ‖ u32 sequence number ‖ IV ‖ u32 length ‖ ciphertext ‖ tag.
//! - Non-framed body: IV ‖ u64 length ‖ ciphertext ‖ tag.
//!
//! Sequence numbers start at 1. The IV of frame *n* is *n* as a u32, left-padded with zeros
//! to 12 bytes (a non-framed body uses 1). The AAD of each is message ID ‖ one of the three
//! body-AAD strings ‖ u32 sequence number ‖ u64 plaintext length.

use super::header::{IV_LEN, TAG_LEN, malformed};
use super::sink::Sink;
use crate::backend::AesGcmKey;
use crate::error::Result;

/// Body AAD content of a regular frame.
pub(crate) const REGULAR: &[u8] = b"AWSKMSEncryptionClient Frame";
/// Body AAD content of the final frame.
pub(crate) const FINAL: &[u8] = b"AWSKMSEncryptionClient Final Frame";
/// Body AAD content of a non-framed body.
pub(crate) const SINGLE_BLOCK: &[u8] = b"AWSKMSEncryptionClient Single Block";
/// The marker that opens the final frame.
pub(crate) const FINAL_MARKER: u32 = 0xFFFF_FFFF;
/// Bytes a regular frame adds to its plaintext: sequence number, IV, tag.
pub(crate) const REGULAR_OVERHEAD: u64 = 4 + IV_LEN as u64 + TAG_LEN as u64;
/// Bytes the final frame adds: marker, sequence number, IV, length, tag.
pub(crate) const FINAL_OVERHEAD: u64 = 4 + 4 + IV_LEN as u64 + 4 + TAG_LEN as u64;
/// The largest non-framed ciphertext (2^36 − 32 bytes, the AES-GCM limit).
pub(crate) const MAX_NON_FRAMED: u64 = (1 << 36) - 32;

/// The body AAD, built on the stack: it is needed once per frame, and a heap allocation per
/// 4 KiB frame was measurable next to AES-GCM itself.
pub(crate) struct Aad {
    buf: [u8; Aad::CAPACITY],
    len: usize,
}

impl Aad {
    /// A v2 message ID (32 bytes), the longest body-AAD string, a u32 and a u64.
    const CAPACITY: usize = 32 + SINGLE_BLOCK.len() + 12;

    /// Message ID ‖ `kind` ‖ u32 sequence number ‖ u64 plaintext length.
    ///
    /// # Errors
    /// `KMSInternalException` for a message ID longer than a v2 one (the header parser never
    /// produces one).
    pub(crate) fn new(message_id: &[u8], kind: &[u8], seq: u32, len: u64) -> Result<Self> {
        let mut buf = [0u8; Self::CAPACITY];
        let total = message_id.len() + kind.len() + 12;
        let mut parts = buf
            .get_mut(..total)
            .ok_or_else(|| crate::error::Error::internal("message ID too long"))?;
        for part in [message_id, kind, &seq.to_be_bytes(), &len.to_be_bytes()] {
            let (head, tail) = parts.split_at_mut(part.len());
            head.copy_from_slice(part);
            parts = tail;
        }
        Ok(Self { buf, len: total })
    }
}

impl core::ops::Deref for Aad {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The IV of frame `seq`.
pub(crate) fn iv(seq: u32) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    iv[IV_LEN - 4..].copy_from_slice(&seq.to_be_bytes());
    iv
}

/// Appends frame `seq` (final or regular) encrypting `plaintext` to `out`; returns where the
/// frame starts in `out`.
pub(crate) fn seal(
    key: &dyn AesGcmKey,
    message_id: &[u8],
    seq: u32,
    is_final: bool,
    plaintext: &[u8],
    out: &mut impl Sink,
) -> Result<usize> {
    let start = out.len();
    let len = u32::try_from(plaintext.len()).map_err(|_| crate::error::Error::internal("frame"))?;
    let nonce = iv(seq);
    if is_final {
        out.put(&FINAL_MARKER.to_be_bytes())?;
    }
    out.put(&seq.to_be_bytes())?;
    out.put(&nonce)?;
    if is_final {
        out.put(&len.to_be_bytes())?;
    }
    let kind = if is_final { FINAL } else { REGULAR };
    let aad = Aad::new(message_id, kind, seq, u64::from(len))?;
    let sealed = out
        .append(plaintext)
        .and_then(|body| key.seal_in_place(&nonce, &aad, body));
    match sealed {
        Ok(tag) => {
            out.put(&tag)?;
            Ok(start)
        }
        Err(e) => {
            out.wipe_from(start);
            Err(e)
        }
    }
}

/// A frame found in the input.
#[derive(Debug)]
pub(crate) struct FrameRef<'a> {
    pub(crate) is_final: bool,
    pub(crate) seq: u32,
    pub(crate) iv: [u8; IV_LEN],
    pub(crate) ciphertext: &'a [u8],
    pub(crate) tag: [u8; TAG_LEN],
    /// The frame's length in the input.
    pub(crate) len: usize,
}

/// Parses the next frame: `Ok(None)` when more bytes are needed.
///
/// # Errors
/// `InvalidCiphertextException` for a sequence number other than `expected`, an IV other than
/// the one the specification prescribes, or a final frame longer than the frame length.
pub(crate) fn parse(
    bytes: &[u8],
    frame_length: u32,
    expected: u32,
) -> Result<Option<FrameRef<'_>>> {
    let mut r = super::wire::Reader::new(bytes);
    macro_rules! need {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    let first = need!(r.u32());
    let is_final = first == FINAL_MARKER;
    let seq = if is_final { need!(r.u32()) } else { first };
    if seq != expected {
        return Err(malformed(alloc::format!(
            "frame sequence number {seq} where {expected} was expected"
        )));
    }
    let iv = need!(r.array::<IV_LEN>());
    if iv != self::iv(seq) {
        return Err(malformed(alloc::format!(
            "frame {seq} has an unexpected IV"
        )));
    }
    let len = if is_final {
        let n = need!(r.u32());
        if n > frame_length {
            return Err(malformed(alloc::format!(
                "final frame of {n} bytes exceeds the frame length {frame_length}"
            )));
        }
        n
    } else {
        frame_length
    };
    let ciphertext = need!(r.take(len as usize));
    let tag = need!(r.array::<TAG_LEN>());
    Ok(Some(FrameRef {
        is_final,
        seq,
        iv,
        ciphertext,
        tag,
        len: r.pos(),
    }))
}

/// A non-framed body's prefix: its IV and ciphertext length (`Ok(None)`: need more bytes).
///
/// # Errors
/// `InvalidCiphertextException` for a length over 2^36 − 32 or an unexpected IV.
pub(crate) fn parse_single_prefix(bytes: &[u8]) -> Result<Option<([u8; IV_LEN], u64)>> {
    let mut r = super::wire::Reader::new(bytes);
    let (Some(iv), Some(len)) = (r.array::<IV_LEN>(), r.u64()) else {
        return Ok(None);
    };
    if iv != self::iv(1) {
        return Err(malformed("the non-framed body has an unexpected IV"));
    }
    if len > MAX_NON_FRAMED {
        return Err(malformed("non-framed body longer than 2^36 - 32 bytes"));
    }
    Ok(Some((iv, len)))
}

/// Size of the non-framed prefix (IV ‖ u64 length).
pub(crate) const SINGLE_PREFIX: usize = IV_LEN + 8;
