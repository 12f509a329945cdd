//! Key derivation (ESDK `client-apis/key-derivation.md`): HKDF (RFC 5869) over the backend's
//! HMAC.
//!
//! - Identity-KDF suites (`0x0014/0x0046/0x0078`) use the data key as the AES key.
//! - Other format-1 suites: salt = zeros of the hash length, info = suite ID ‖ message ID.
//! - Committing suites: one extract with salt = message ID; the AES key is expanded with
//!   info = suite ID ‖ `DERIVEKEY`, the 32-byte commit key with info = `COMMITKEY`.

use super::header::COMMIT_LEN;
use super::suite::AlgorithmSuite;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::spec::{Hash, MacAlgorithm};
use alloc::vec::Vec;
use zeroize::Zeroizing;

fn mac(hash: Hash) -> Result<MacAlgorithm> {
    match hash {
        Hash::Sha256 => Ok(MacAlgorithm::HmacSha256),
        Hash::Sha384 => Ok(MacAlgorithm::HmacSha384),
        Hash::Sha512 => Ok(MacAlgorithm::HmacSha512),
        _ => Err(Error::internal("HKDF hash")),
    }
}

/// HKDF-Extract: PRK = HMAC(salt, IKM); an empty salt means zeros of the hash length.
fn extract(backend: &dyn Backend, hash: Hash, salt: &[u8], ikm: &[u8]) -> Result<Secret> {
    let zeros = alloc::vec![0u8; hash.output_len()];
    let salt = if salt.is_empty() { &zeros[..] } else { salt };
    Ok(Secret::new(backend.hmac(mac(hash)?, salt, ikm)?))
}

/// HKDF-Expand of `len` bytes.
fn expand(
    backend: &dyn Backend,
    hash: Hash,
    prk: &Secret,
    info: &[u8],
    len: usize,
) -> Result<Secret> {
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut block = Zeroizing::new(Vec::new());
    let mut counter = 1u8;
    while out.len() < len {
        let mut input = Zeroizing::new(Vec::with_capacity(block.len() + info.len() + 1));
        input.extend_from_slice(&block);
        input.extend_from_slice(info);
        input.push(counter);
        *block = backend.hmac(mac(hash)?, prk.expose(), &input)?;
        let take = (len - out.len()).min(block.len());
        out.extend_from_slice(&block[..take]);
        counter = counter
            .checked_add(1)
            .ok_or_else(|| Error::internal("HKDF output too long"))?;
    }
    Ok(Secret::from_slice(&out))
}

/// The AES key of a message, and for committing suites its commit key.
///
/// # Errors
/// `InvalidCiphertextException` if the data key has the wrong length for the suite.
pub(crate) fn derive(
    backend: &dyn Backend,
    suite: AlgorithmSuite,
    data_key: &Secret,
    message_id: &[u8],
) -> Result<(Secret, Option<[u8; COMMIT_LEN]>)> {
    if data_key.len() != suite.key_len() {
        return Err(Error::new(
            crate::error::ErrorCode::InvalidCiphertextException,
            alloc::format!(
                "the data key is {} bytes; suite {suite} needs {}",
                data_key.len(),
                suite.key_len()
            ),
        ));
    }
    let Some(hash) = suite.kdf() else {
        return Ok((data_key.clone(), None));
    };
    let id = suite.id().to_be_bytes();
    if suite.is_committing() {
        let prk = extract(backend, hash, message_id, data_key.expose())?;
        let mut info = Vec::with_capacity(11);
        info.extend_from_slice(&id);
        info.extend_from_slice(b"DERIVEKEY");
        let key = expand(backend, hash, &prk, &info, suite.key_len())?;
        let commit = expand(backend, hash, &prk, b"COMMITKEY", COMMIT_LEN)?;
        let mut c = [0u8; COMMIT_LEN];
        c.copy_from_slice(commit.expose());
        Ok((key, Some(c)))
    } else {
        let prk = extract(backend, hash, &[], data_key.expose())?;
        let mut info = Vec::with_capacity(2 + message_id.len());
        info.extend_from_slice(&id);
        info.extend_from_slice(message_id);
        Ok((expand(backend, hash, &prk, &info, suite.key_len())?, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5869_case_1_sha256() {
        // RFC 5869 Appendix A.1
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0u8..=0x0c).collect();
        let info: Vec<u8> = (0xf0u8..=0xf9).collect();
        for b in crate::backend::all() {
            let prk = extract(b, Hash::Sha256, &salt, &ikm).unwrap();
            let okm = expand(b, Hash::Sha256, &prk, &info, 42).unwrap();
            assert_eq!(
                okm.expose(),
                [
                    0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64, 0xd0,
                    0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0,
                    0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87,
                    0x18, 0x58, 0x65
                ]
            );
        }
    }
}
