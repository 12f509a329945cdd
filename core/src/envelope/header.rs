//! The message header (ESDK `data-format/message-header.md`), versions 1 and 2.
//!
//! Version 2: version `02`, suite ID, 32-byte message ID, AAD (u16 length + serialized
//! encryption context), encrypted data keys (u16 count, then each provider ID, provider info
//! and ciphertext u16-length-prefixed), content type, u32 frame length, the 32-byte commit key;
//! then a 16-byte tag (the IV is all zeros and not written).
//!
//! Version 1: version `01`, type `80`, suite ID, 16-byte message ID, AAD, encrypted data keys,
//! content type, 4 reserved zero bytes, IV length (12), u32 frame length; then a 12-byte IV and
//! a 16-byte tag.

use super::context::{self, EncryptionContext};
use super::suite::AlgorithmSuite;
use super::wire::{Reader, put_bytes16};
use crate::error::{Error, ErrorCode, Result};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// An encrypted data key: the data key wrapped by one keyring.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EncryptedDataKey {
    /// Who wrapped it: a raw keyring's namespace, or `kmskit-kms`, `aws-kms`, ...
    pub provider_id: String,
    /// Provider-specific: a raw key's name (and, for AES, the wrapping IV), a key ARN, ...
    pub provider_info: Vec<u8>,
    /// The wrapped data key.
    pub ciphertext: Vec<u8>,
}

/// The length of the IV of every suite.
pub(crate) const IV_LEN: usize = 12;
/// The length of the tag of every suite.
pub(crate) const TAG_LEN: usize = 16;
/// The length of the commit key of the committing suites.
pub(crate) const COMMIT_LEN: usize = 32;

const CONTENT_NON_FRAMED: u8 = 1;
const CONTENT_FRAMED: u8 = 2;

/// A parsed header, with the bytes that header authentication covers.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) suite: AlgorithmSuite,
    pub(crate) message_id: Vec<u8>,
    pub(crate) context: EncryptionContext,
    pub(crate) edks: Vec<EncryptedDataKey>,
    pub(crate) framed: bool,
    pub(crate) frame_length: u32,
    pub(crate) commitment: Option<[u8; COMMIT_LEN]>,
    /// The header body as written: the AAD of header authentication.
    pub(crate) body: Vec<u8>,
    pub(crate) auth_iv: [u8; IV_LEN],
    pub(crate) auth_tag: [u8; TAG_LEN],
}

pub(crate) fn malformed(what: impl core::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        format!("malformed message: {what}"),
    )
}

/// What the writer puts in a header body.
#[derive(Debug)]
pub(crate) struct HeaderFields<'a> {
    pub(crate) suite: AlgorithmSuite,
    pub(crate) message_id: &'a [u8],
    pub(crate) context: &'a EncryptionContext,
    pub(crate) edks: &'a [EncryptedDataKey],
    pub(crate) frame_length: u32,
    pub(crate) commitment: Option<&'a [u8; COMMIT_LEN]>,
}

/// Serializes a framed header body.
///
/// # Errors
/// `ValidationException` when a field does not fit its length prefix.
pub(crate) fn serialize_body(f: &HeaderFields<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    let v2 = f.suite.message_version() == 2;
    if v2 {
        out.push(2);
    } else {
        out.extend_from_slice(&[1, 0x80]);
    }
    out.extend_from_slice(&f.suite.id().to_be_bytes());
    out.extend_from_slice(f.message_id);
    put_bytes16(
        &mut out,
        &context::serialize(f.context)?,
        "the serialized encryption context",
    )?;
    let count = u16::try_from(f.edks.len())
        .map_err(|_| Error::validation("a message holds at most 65535 encrypted data keys"))?;
    out.extend_from_slice(&count.to_be_bytes());
    for edk in f.edks {
        put_bytes16(&mut out, edk.provider_id.as_bytes(), "a key provider ID")?;
        put_bytes16(&mut out, &edk.provider_info, "a key provider info")?;
        put_bytes16(&mut out, &edk.ciphertext, "an encrypted data key")?;
    }
    out.push(CONTENT_FRAMED);
    if !v2 {
        out.extend_from_slice(&[0, 0, 0, 0, IV_LEN as u8]);
    }
    out.extend_from_slice(&f.frame_length.to_be_bytes());
    if let Some(c) = f.commitment {
        out.extend_from_slice(c);
    }
    Ok(out)
}

/// Parses a header from the start of `bytes`: `Ok(None)` when more bytes are needed, else the
/// header and its length (authentication included). Fails as early as the bytes allow.
///
/// # Errors
/// `InvalidCiphertextException` for a malformed header; `LimitExceededException` for more
/// encrypted data keys than `max_edks`.
pub(crate) fn parse(bytes: &[u8], max_edks: Option<u16>) -> Result<Option<(Header, usize)>> {
    let mut r = Reader::new(bytes);
    macro_rules! need {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    let version = need!(r.u8());
    if version != 1 && version != 2 {
        return Err(malformed(format!(
            "version byte 0x{version:02x} is not 0x01 or 0x02 (not an Encryption SDK message?)"
        )));
    }
    if version == 1 {
        let ty = need!(r.u8());
        if ty != 0x80 {
            return Err(malformed(format!("message type 0x{ty:02x} is not 0x80")));
        }
    }
    let id = need!(r.u16());
    let suite = AlgorithmSuite::from_id(id)
        .ok_or_else(|| malformed(format!("unknown algorithm suite 0x{id:04x}")))?;
    if suite.message_version() != version {
        return Err(malformed(format!(
            "suite {suite} belongs to message format {}, not {version}",
            suite.message_version()
        )));
    }
    let message_id = need!(r.take(suite.message_id_len())).to_vec();
    let aad = need!(r.bytes16());
    let context = context::deserialize(aad)?;
    let count = need!(r.u16());
    if count == 0 {
        return Err(malformed("no encrypted data keys"));
    }
    if let Some(max) = max_edks
        && count > max
    {
        return Err(Error::new(
            ErrorCode::LimitExceededException,
            format!("the message has {count} encrypted data keys; the limit is {max}"),
        ));
    }
    let mut edks = Vec::with_capacity(usize::from(count.min(64)));
    for _ in 0..count {
        let provider_id = String::from_utf8(need!(r.bytes16()).to_vec())
            .map_err(|_| malformed("a key provider ID is not UTF-8"))?;
        let provider_info = need!(r.bytes16()).to_vec();
        let ciphertext = need!(r.bytes16()).to_vec();
        edks.push(EncryptedDataKey {
            provider_id,
            provider_info,
            ciphertext,
        });
    }
    let content_type = need!(r.u8());
    let framed = match content_type {
        CONTENT_FRAMED => true,
        CONTENT_NON_FRAMED => false,
        other => return Err(malformed(format!("content type {other} is not 1 or 2"))),
    };
    if version == 1 {
        if need!(r.array::<4>()) != [0; 4] {
            return Err(malformed("reserved bytes are not zero"));
        }
        let iv_len = need!(r.u8());
        if usize::from(iv_len) != IV_LEN {
            return Err(malformed(format!("IV length {iv_len} is not 12")));
        }
    }
    let frame_length = need!(r.u32());
    if framed && frame_length == 0 {
        return Err(malformed("framed content with a frame length of 0"));
    }
    if !framed && frame_length != 0 {
        return Err(malformed("non-framed content with a nonzero frame length"));
    }
    let commitment = if suite.is_committing() {
        Some(need!(r.array::<COMMIT_LEN>()))
    } else {
        None
    };
    let body_len = r.pos();
    let auth_iv = if version == 1 {
        need!(r.array::<IV_LEN>())
    } else {
        [0; IV_LEN]
    };
    let auth_tag = need!(r.array::<TAG_LEN>());
    let total = r.pos();
    let body = bytes
        .get(..body_len)
        .ok_or_else(|| Error::internal("header length"))?
        .to_vec();
    Ok(Some((
        Header {
            suite,
            message_id,
            context,
            edks,
            framed,
            frame_length,
            commitment,
            body,
            auth_iv,
            auth_tag,
        },
        total,
    )))
}
