//! kmskit's symmetric ciphertext blob, version 1 (specified in docs/formats.md).
//!
//! ```text
//! magic      4  "KMK" 0x01
//! key id     1 + n  length-prefixed ASCII key ID (a UUID or mrk-…)
//! material   32 the key-material version ID (rotation keeps every version)
//! nonce      12 AES-GCM nonce
//! body       ciphertext ‖ 16-byte tag (AES-256-GCM)
//! ```
//! The AAD is everything before the nonce followed by the canonical encryption context, so the
//! key ID, the material version and the context are all authenticated. The key ID — not the
//! key material — identifies the key: a key re-created with the same imported material has a
//! new ID and cannot decrypt (as in KMS), and symmetric Decrypt needs no KeyId.

use crate::error::{Error, ErrorCode, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// The magic bytes, which also carry the format version.
pub const MAGIC: [u8; 4] = *b"KMK\x01";
/// The length of a material version ID.
pub const MATERIAL_ID_LEN: usize = 32;
/// The length of the AES-GCM nonce.
pub const NONCE_LEN: usize = 12;
/// The length of the AES-GCM tag.
pub const TAG_LEN: usize = 16;

/// A parsed blob (borrowing its input).
#[derive(Debug)]
pub struct Blob<'a> {
    /// The key ID of the key that encrypted it.
    pub key_id: String,
    /// The key-material version.
    pub material_id: [u8; MATERIAL_ID_LEN],
    /// The bytes authenticated besides the context (magic, key ID, material ID).
    pub header: &'a [u8],
    /// The nonce.
    pub nonce: [u8; NONCE_LEN],
    /// Ciphertext and tag.
    pub body: &'a [u8],
}

fn invalid() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the ciphertext is not a valid ciphertext blob",
    )
}

/// The header (magic, key ID, material ID) of a new blob.
///
/// # Errors
/// `KMSInternalException` for a key ID over 255 bytes (never the case for KMS key IDs).
pub fn header(key_id: &str, material_id: &[u8; MATERIAL_ID_LEN]) -> Result<Vec<u8>> {
    let len = u8::try_from(key_id.len()).map_err(|_| Error::internal("key ID too long"))?;
    let mut h = Vec::with_capacity(4 + 1 + key_id.len() + MATERIAL_ID_LEN);
    h.extend_from_slice(&MAGIC);
    h.push(len);
    h.extend_from_slice(key_id.as_bytes());
    h.extend_from_slice(material_id);
    Ok(h)
}

/// Parses a blob.
///
/// # Errors
/// `InvalidCiphertextException` for anything that is not a version-1 kmskit blob.
pub fn parse(blob: &[u8]) -> Result<Blob<'_>> {
    if blob.len() < 5 || blob[..4] != MAGIC {
        return Err(invalid());
    }
    let id_len = blob[4] as usize;
    let header_len = 5 + id_len + MATERIAL_ID_LEN;
    if blob.len() < header_len + NONCE_LEN + TAG_LEN {
        return Err(invalid());
    }
    let key_id = core::str::from_utf8(&blob[5..5 + id_len]).map_err(|_| invalid())?;
    if !super::ids::is_key_id(key_id) {
        return Err(invalid());
    }
    let mut material_id = [0u8; MATERIAL_ID_LEN];
    material_id.copy_from_slice(&blob[5 + id_len..header_len]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&blob[header_len..header_len + NONCE_LEN]);
    Ok(Blob {
        key_id: String::from(key_id),
        material_id,
        header: &blob[..header_len],
        nonce,
        body: &blob[header_len + NONCE_LEN..],
    })
}

/// AAD = header ‖ canonical encryption context.
pub fn aad(header: &[u8], context: &[u8]) -> Vec<u8> {
    let mut a = Vec::with_capacity(header.len() + context.len());
    a.extend_from_slice(header);
    a.extend_from_slice(context);
    a
}
