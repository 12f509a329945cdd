//! SM2 as AWS KMS uses it (GB/T 32918; GM/T 0003, GM/T 0009), with RustCrypto on every target.
//!
//! - **SM2DSA**: e = SM3(Z ‖ M), Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) with ENTL the
//!   ID's length in *bits* as 2 bytes big-endian. KMS uses the default ID `1234567812345678`
//!   (GM/T 0009) for RAW messages; with MessageType DIGEST the caller supplies e itself.
//!   Signatures are DER `SEQUENCE { INTEGER r, INTEGER s }`.
//! - **SM2PKE**: ciphertexts are DER `SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3,
//!   OCTET STRING C2 }` (GM/T 0009's `SM2Cipher`, i.e. C1C3C2), what OpenSSL ≥ 1.1.1 writes and
//!   KMS accepts. [`ciphertext_to_der`] converts the raw `C1‖C3‖C2` / `C1‖C2‖C3` forms that
//!   Bouncy Castle, sm-crypto and others produce.
//! - **ECDH** (DeriveSharedSecret on SM2 KEY_AGREEMENT keys): the x-coordinate of d·Q.

use crate::backend::Message;
use crate::backend::common::{BackendRng, decrypt_failed};
use crate::error::{Error, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::spec::KeySpec;
use alloc::format;
use alloc::vec::Vec;
use der::asn1::{OctetStringRef, UintRef};
use der::{Decode, Encode, Reader, SliceReader};
use sm3::{Digest, Sm3};

/// The distinguishing ID KMS uses for SM2DSA with MessageType RAW (GM/T 0009-2012).
pub const DEFAULT_DISTINGUISHING_ID: &[u8] = b"1234567812345678";

/// The largest SM2PKE plaintext KMS Encrypt accepts.
pub const MAX_PLAINTEXT: usize = 1024;

// sm2p256v1 curve parameters (GB/T 32918.5), as fixed 32-byte big-endian field elements.
const A: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
const B: [u8; 32] = hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
const GX: [u8; 32] = hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
const GY: [u8; 32] = hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        _ => c - b'a' + 10,
    }
}

fn require_sm2(key: &PublicKey) -> Result<()> {
    if key.spec() == KeySpec::Sm2 {
        Ok(())
    } else {
        Err(Error::key_usage(format!(
            "{} is not an SM2 key",
            key.spec()
        )))
    }
}

fn point(key: &PublicKey) -> Result<sm2::PublicKey> {
    crate::point::public_key::<sm2::Sm2>(key.key_bytes())
        .ok_or_else(|| Error::validation("SM2 public key is not a point on the curve"))
}

/// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), the signer's identity hash.
///
/// # Errors
/// `ValidationException` for a non-SM2 key, an invalid point, or an ID of 8192 bytes or more
/// (ENTL is 16 bits of *bit* length).
pub fn z(public_key: &PublicKey, distinguishing_id: &[u8]) -> Result<[u8; 32]> {
    require_sm2(public_key)?;
    let entl: u16 = distinguishing_id
        .len()
        .checked_mul(8)
        .and_then(|bits| u16::try_from(bits).ok())
        .ok_or_else(|| {
            Error::validation("an SM2 distinguishing ID must be shorter than 8192 bytes")
        })?;
    let q = point(public_key)?;
    let encoded = elliptic_curve::sec1::ToSec1Point::to_sec1_point(&q, false);
    let (Some(x), Some(y)) = (encoded.x(), encoded.y()) else {
        return Err(Error::validation("SM2 public key is the point at infinity"));
    };
    let mut h = Sm3::new();
    h.update(entl.to_be_bytes());
    h.update(distinguishing_id);
    h.update(A);
    h.update(B);
    h.update(GX);
    h.update(GY);
    h.update(x);
    h.update(y);
    Ok(h.finalize().into())
}

/// e = SM3(Z ‖ M): the digest to send KMS with MessageType DIGEST to sign `message` under
/// another distinguishing ID (the guide's `SM2OfflineOperationHelper.calculateSM2Digest`).
///
/// # Errors
/// As [`z`].
pub fn digest(
    public_key: &PublicKey,
    message: &[u8],
    distinguishing_id: &[u8],
) -> Result<[u8; 32]> {
    let z = z(public_key, distinguishing_id)?;
    let mut h = Sm3::new();
    h.update(z);
    h.update(message);
    Ok(h.finalize().into())
}

fn e_of(key: &PublicKey, message: Message<'_>, id: Option<&[u8]>) -> Result<[u8; 32]> {
    match message {
        Message::Raw(m) => digest(key, m, id.unwrap_or(DEFAULT_DISTINGUISHING_ID)),
        Message::Digest(e) => e
            .try_into()
            .map_err(|_| Error::validation("an SM2DSA DIGEST must be 32 bytes (e = SM3(Z || M))")),
        Message::ExternalMu(_) => Err(Error::validation("SM2DSA does not take EXTERNAL_MU")),
    }
}

fn secret_key(key: &PrivateKey) -> Result<sm2::SecretKey> {
    let scalar = key
        .raw_secret()
        .ok_or_else(|| Error::validation("SM2 private key has no scalar"))?;
    sm2::SecretKey::from_slice(scalar.expose())
        .map_err(|_| Error::validation("SM2 private key is not valid"))
}

/// Signs as KMS Sign does with SM2DSA: RAW messages under the default ID, DIGEST taken as e.
/// The nonce is derived deterministically from the key and e (RFC 6979 style), hedging against
/// a weak RNG; signatures are DER.
///
/// # Errors
/// `ValidationException` for a bad key or DIGEST length.
pub(crate) fn sign(key: &PrivateKey, message: Message<'_>) -> Result<Vec<u8>> {
    use signature::hazmat::PrehashSigner;
    let e = e_of(key.public_key(), message, None)?;
    let sk = secret_key(key)?;
    let signer = sm2::dsa::SigningKey::new("", &sk)
        .map_err(|_| Error::validation("SM2 private key is not valid"))?;
    let sig: sm2::dsa::Signature = signer
        .sign_prehash(&e)
        .map_err(|_| Error::internal("SM2 signing failed"))?;
    Ok(sig.to_der().as_bytes().to_vec())
}

/// Verifies an SM2DSA signature (DER). `distinguishing_id` applies to RAW messages (default
/// `1234567812345678`). Any signature that does not verify, malformed ones included, is false.
///
/// # Errors
/// `ValidationException` for a bad key, DIGEST length or ID.
pub(crate) fn verify(
    key: &PublicKey,
    message: Message<'_>,
    distinguishing_id: Option<&[u8]>,
    sig: &[u8],
) -> Result<bool> {
    let e = e_of(key, message, distinguishing_id)?;
    let q = point(key)?;
    let Ok(sig) = sm2::dsa::Signature::from_der(sig) else {
        return Ok(false);
    };
    Ok(verify_e(&q, &e, &sig))
}

/// GB/T 32918.2 §7.1 steps B5–B7 (B1–B2, r and s in [1, n−1], hold for any parsed
/// `Signature`): t = r + s ≠ 0, (x₁, y₁) = [s]G + [t]Q, accept iff r = e + x₁ mod n.
///
/// The double multiplication is variable-time (`double_mul`): verification handles only public
/// values, and the `sm2` crate's own verifier uses a constant-time one, which is much slower —
/// the margin that matters most in the browser.
fn verify_e(q: &sm2::PublicKey, e: &[u8; 32], sig: &sm2::dsa::Signature) -> bool {
    use elliptic_curve::ops::Reduce;
    use sm2::{FieldBytes, Scalar};
    let (r, s) = (*sig.r(), *sig.s());
    let t = r + s;
    if bool::from(t.is_zero()) {
        return false;
    }
    let Some(x1) = crate::double_mul::double_mul::<sm2::Sm2>(&s, &t, q.as_affine()) else {
        return false;
    };
    let e = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(*e));
    r == e + <Scalar as Reduce<FieldBytes>>::reduce(&x1)
}

/// SM2PKE encryption to `key`; DER C1C3C2 output.
///
/// # Errors
/// `ValidationException` for a bad key or a plaintext over [`MAX_PLAINTEXT`] bytes.
pub(crate) fn encrypt<B: crate::backend::Backend + ?Sized>(
    backend: &B,
    key: &PublicKey,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    require_sm2(key)?;
    if plaintext.is_empty() || plaintext.len() > MAX_PLAINTEXT {
        return Err(Error::validation(format!(
            "SM2PKE plaintext must be 1 to {MAX_PLAINTEXT} bytes, got {}",
            plaintext.len()
        )));
    }
    let ek = sm2::pke::EncryptingKey::new_with_mode(point(key)?, sm2::pke::Mode::C1C3C2);
    ek.encrypt_der(&mut BackendRng(backend), plaintext)
        .map_err(|_| Error::internal("SM2 encryption failed"))
}

/// SM2PKE decryption of a DER C1C3C2 ciphertext. Failures are opaque.
///
/// # Errors
/// `InvalidCiphertextException` for anything that does not decrypt.
pub(crate) fn decrypt(key: &PrivateKey, ciphertext: &[u8]) -> Result<Secret> {
    // Strict DER first: trailing bytes or a non-canonical encoding are not KMS ciphertexts.
    let parts = parse_der(ciphertext).map_err(|_| decrypt_failed())?;
    let canonical = encode_der(&parts).map_err(|_| decrypt_failed())?;
    if canonical != ciphertext {
        return Err(decrypt_failed());
    }
    let dk = sm2::pke::DecryptingKey::new_with_mode(
        secret_key(key)?.to_nonzero_scalar(),
        sm2::pke::Mode::C1C3C2,
    );
    dk.decrypt_der(ciphertext)
        .map(Secret::new)
        .map_err(|_| decrypt_failed())
}

/// The SM2 public key's SPKI (already derived by core when the key was parsed).
pub(crate) fn public_key_der(key: &PrivateKey) -> Result<Vec<u8>> {
    let sk = secret_key(key)?;
    spki::EncodePublicKey::to_public_key_der(&sk.public_key())
        .map(|d| d.as_bytes().to_vec())
        .map_err(|_| Error::internal("SM2 public key encoding failed"))
}

/// ECDH on the SM2 curve: the 32-byte x-coordinate of d·Q.
///
/// # Errors
/// `ValidationException` if `peer` is not an SM2 point.
pub(crate) fn ecdh(key: &PrivateKey, peer: &PublicKey) -> Result<Secret> {
    use elliptic_curve::point::AffineCoordinates;
    require_sm2(peer)?;
    let sk = secret_key(key)?;
    let q = point(peer)?;
    let shared = (q.to_projective() * *sk.to_nonzero_scalar()).to_affine();
    Ok(Secret::from_slice(&shared.x()))
}

/// How the parts of a raw (non-DER) SM2 ciphertext are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CiphertextOrder {
    /// C1 ‖ C3 ‖ C2 (GM/T 0003-2012 current; sm-crypto `cipherMode` 1).
    C1C3C2,
    /// C1 ‖ C2 ‖ C3 (the older order; Bouncy Castle's default).
    C1C2C3,
}

impl CiphertextOrder {
    /// Parses `"C1C3C2"` or `"C1C2C3"`.
    ///
    /// # Errors
    /// `ValidationException` for anything else.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "C1C3C2" => Ok(Self::C1C3C2),
            "C1C2C3" => Ok(Self::C1C2C3),
            _ => Err(Error::validation(format!(
                "'{s}' is not a ciphertext order; expected C1C3C2 or C1C2C3"
            ))),
        }
    }
}

/// The parts of an SM2 ciphertext: C1 = (x, y), C3 = SM3 hash, C2 = the masked plaintext.
struct Parts<'a> {
    x: [u8; 32],
    y: [u8; 32],
    c3: &'a [u8],
    c2: &'a [u8],
}

fn fixed32(int: UintRef<'_>) -> Result<[u8; 32]> {
    let b = int.as_bytes();
    if b.len() > 32 {
        return Err(Error::validation(
            "SM2 ciphertext coordinate is longer than 32 bytes",
        ));
    }
    let mut out = [0u8; 32];
    out[32 - b.len()..].copy_from_slice(b);
    Ok(out)
}

fn parse_der(der: &[u8]) -> Result<Parts<'_>> {
    let bad = |_| Error::validation("not a DER SM2 ciphertext (SEQUENCE { x, y, C3, C2 })");
    let mut r = SliceReader::new(der).map_err(bad)?;
    let parts = r
        .sequence(|r| {
            let x = UintRef::decode(r)?;
            let y = UintRef::decode(r)?;
            let c3 = <&OctetStringRef>::decode(r)?;
            let c2 = <&OctetStringRef>::decode(r)?;
            Ok((x, y, c3.as_bytes(), c2.as_bytes()))
        })
        .map_err(bad)?;
    r.finish().map_err(bad)?;
    let (x, y, c3, c2) = parts;
    if c3.len() != 32 {
        return Err(Error::validation(
            "SM2 ciphertext C3 must be a 32-byte SM3 hash",
        ));
    }
    Ok(Parts {
        x: fixed32(x)?,
        y: fixed32(y)?,
        c3,
        c2,
    })
}

fn encode_der(p: &Parts<'_>) -> Result<Vec<u8>> {
    let enc = |e| Error::validation(format!("SM2 ciphertext encoding failed: {e}"));
    let x = UintRef::new(&p.x).map_err(enc)?;
    let y = UintRef::new(&p.y).map_err(enc)?;
    let c3 = OctetStringRef::new(p.c3).map_err(enc)?;
    let c2 = OctetStringRef::new(p.c2).map_err(enc)?;
    let body_len = (x.encoded_len().map_err(enc)?
        + y.encoded_len().map_err(enc)?
        + c3.encoded_len().map_err(enc)?
        + c2.encoded_len().map_err(enc)?)
    .map_err(enc)?;
    let mut out = Vec::new();
    der::Header::new(der::Tag::Sequence, body_len)
        .encode_to_vec(&mut out)
        .map_err(enc)?;
    x.encode_to_vec(&mut out).map_err(enc)?;
    y.encode_to_vec(&mut out).map_err(enc)?;
    c3.encode_to_vec(&mut out).map_err(enc)?;
    c2.encode_to_vec(&mut out).map_err(enc)?;
    Ok(out)
}

fn is_point(x_y: &[u8]) -> bool {
    let mut sec1 = [0u8; 65];
    sec1[0] = 0x04;
    sec1[1..].copy_from_slice(x_y);
    crate::point::public_key::<sm2::Sm2>(&sec1).is_some()
}

/// Converts a raw SM2 ciphertext (C1 as `04‖x‖y` or bare `x‖y`, then C3 and C2 in `order`) into
/// the DER form KMS Decrypt accepts. Whether C1 carries the `04` prefix is detected by checking
/// which reading gives a point on the curve (a leading `04` alone would be ambiguous).
///
/// # Errors
/// `ValidationException` if the input is too short or C1 is not a curve point either way.
pub fn ciphertext_to_der(raw: &[u8], order: CiphertextOrder) -> Result<Vec<u8>> {
    let too_short = || {
        Error::validation(format!(
            "a raw SM2 ciphertext needs C1 (64 or 65 bytes), C3 (32) and C2 (at least 1); got {} bytes",
            raw.len()
        ))
    };
    if raw.len() < 64 + 32 + 1 {
        return Err(too_short());
    }
    let body = if raw[0] == 0x04 && raw.len() > 65 + 32 && is_point(&raw[1..65]) {
        &raw[1..]
    } else if is_point(&raw[..64]) {
        raw
    } else {
        return Err(Error::validation(
            "raw SM2 ciphertext does not start with a curve point C1",
        ));
    };
    let (c1, rest) = body.split_at(64);
    let (c3, c2) = match order {
        CiphertextOrder::C1C3C2 => rest.split_at(32),
        CiphertextOrder::C1C2C3 => {
            let (c2, c3) = rest.split_at(rest.len() - 32);
            (c3, c2)
        }
    };
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x.copy_from_slice(&c1[..32]);
    y.copy_from_slice(&c1[32..]);
    encode_der(&Parts { x, y, c3, c2 })
}

/// Converts a DER SM2 ciphertext into the raw form `04‖x‖y` followed by C3/C2 in `order`.
///
/// # Errors
/// `ValidationException` if the input is not a strict DER SM2 ciphertext.
pub fn ciphertext_from_der(der: &[u8], order: CiphertextOrder) -> Result<Vec<u8>> {
    let p = parse_der(der)?;
    let mut out = Vec::with_capacity(65 + p.c3.len() + p.c2.len());
    out.push(0x04);
    out.extend_from_slice(&p.x);
    out.extend_from_slice(&p.y);
    match order {
        CiphertextOrder::C1C3C2 => {
            out.extend_from_slice(p.c3);
            out.extend_from_slice(p.c2);
        }
        CiphertextOrder::C1C2C3 => {
            out.extend_from_slice(p.c2);
            out.extend_from_slice(p.c3);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use signature::hazmat::{PrehashSigner, PrehashVerifier};

    /// kmskit's variable-time verification against the `sm2` crate's constant-time one: the
    /// same verdict on genuine, tampered and edge-case signatures.
    #[test]
    fn vartime_verify_agrees_with_the_sm2_crate() {
        for i in 0u8..48 {
            let d: [u8; 32] = Sm3::digest([b'k', i]).into();
            let sk = sm2::SecretKey::from_slice(&d).unwrap();
            let q = sk.public_key();
            let signer = sm2::dsa::SigningKey::new("", &sk).unwrap();
            let reference = sm2::dsa::VerifyingKey::new("", q).unwrap();
            let e: [u8; 32] = Sm3::digest([b'e', i]).into();
            let sig: sm2::dsa::Signature = signer.sign_prehash(&e).unwrap();
            let (r, s) = (sig.r().to_bytes(), sig.s().to_bytes());
            let mut other_e = e;
            other_e[usize::from(i) % 32] ^= 1 << (i % 8);
            let swapped = sm2::dsa::Signature::from_scalars(s, r).unwrap();
            // s = n − r makes t = r + s = 0, which B5 rejects
            let minus_r = -*sig.r();
            let zero_t = sm2::dsa::Signature::from_scalars(r, minus_r.to_bytes()).unwrap();
            for (e, sig, expect) in [
                (&e, &sig, Some(true)),
                (&other_e, &sig, Some(false)),
                (&e, &swapped, None),
                (&e, &zero_t, Some(false)),
            ] {
                let ours = verify_e(&q, e, sig);
                assert_eq!(ours, reference.verify_prehash(e, sig).is_ok(), "key {i}");
                if let Some(expect) = expect {
                    assert_eq!(ours, expect, "key {i}");
                }
            }
        }
    }
}
