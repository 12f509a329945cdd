//! The footer signature of signing suites (ESDK `data-format/message-footer.md`): ECDSA over
//! header ‖ body, DER-encoded, behind a u16 length. The public key travels in the encryption
//! context under `aws-crypto-public-key` as base64 of the compressed SEC1 point.

use super::suite::SuiteSignature;
use crate::backend::{Backend, HashContext, Message};
use crate::error::{Error, ErrorCode, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::spec::KeySpec;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::Encoding as _;
use elliptic_curve::sec1::ToSec1Point;
use spki::EncodePublicKey;

fn bad_key() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the message's signing public key (aws-crypto-public-key) is not a valid point",
    )
}

/// base64 of the compressed point of `key`'s public key.
pub(crate) fn encode_public_key(key: &PrivateKey) -> Result<String> {
    let point = key.public_key().key_bytes();
    let bad = || Error::internal("signing key is not a valid point");
    let compressed = match key.spec() {
        KeySpec::EccNistP256 => crate::point::public_key::<p256::NistP256>(point)
            .ok_or_else(bad)?
            .to_sec1_point(true)
            .as_bytes()
            .to_vec(),
        KeySpec::EccNistP384 => crate::point::public_key::<p384::NistP384>(point)
            .ok_or_else(bad)?
            .to_sec1_point(true)
            .as_bytes()
            .to_vec(),
        _ => return Err(bad()),
    };
    Ok(base64ct::Base64::encode_string(&compressed))
}

/// The public key from its encryption-context form.
pub(crate) fn decode_public_key(spec: KeySpec, text: &str) -> Result<PublicKey> {
    let point = base64ct::Base64::decode_vec(text).map_err(|_| bad_key())?;
    let der = match spec {
        KeySpec::EccNistP256 => crate::point::public_key::<p256::NistP256>(&point)
            .ok_or_else(bad_key)?
            .to_public_key_der(),
        KeySpec::EccNistP384 => crate::point::public_key::<p384::NistP384>(&point)
            .ok_or_else(bad_key)?
            .to_public_key_der(),
        _ => return Err(bad_key()),
    }
    .map_err(|_| bad_key())?;
    PublicKey::from_der(der.as_bytes()).map_err(|_| bad_key())
}

/// Hashes everything the signature covers, as it streams past.
pub(crate) struct Signer {
    sig: SuiteSignature,
    hash: Box<dyn HashContext>,
}

impl core::fmt::Debug for Signer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("sig", &self.sig)
            .finish_non_exhaustive()
    }
}

impl Signer {
    pub(crate) fn new(backend: &dyn Backend, sig: SuiteSignature) -> Result<Self> {
        Ok(Self {
            sig,
            hash: backend.hash_context(sig.hash)?,
        })
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.hash.update(data);
    }

    /// The footer's length: what [`sign`](Self::sign) writes.
    pub(crate) fn footer_len(&self) -> usize {
        2 + self.sig.static_len
    }

    /// The footer (u16 length ‖ DER signature). Like the ESDK, re-signs until the signature
    /// has the suite's usual length (low-S form), so every message of a suite has the same
    /// footer size.
    pub(crate) fn sign(self, backend: &dyn Backend, key: &PrivateKey) -> Result<Vec<u8>> {
        let digest = self.hash.finish();
        let mut last = Vec::new();
        for _ in 0..64 {
            let der = backend.sign(key, self.sig.algorithm, Message::Digest(&digest))?;
            last = crate::encoding::normalize_low_s(&der, self.sig.spec)?;
            if last.len() == self.sig.static_len {
                break;
            }
        }
        let mut out = Vec::with_capacity(2 + last.len());
        let len = u16::try_from(last.len()).map_err(|_| Error::internal("signature length"))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&last);
        Ok(out)
    }

    /// Checks `signature` (the footer without its length) against everything hashed.
    pub(crate) fn verify(
        self,
        backend: &dyn Backend,
        key: &PublicKey,
        signature: &[u8],
    ) -> Result<()> {
        let digest = self.hash.finish();
        if backend.verify(key, self.sig.algorithm, Message::Digest(&digest), signature)? {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InvalidCiphertextException,
                "the message signature does not verify",
            ))
        }
    }
}
