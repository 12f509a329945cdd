//! Encodings around KMS output: ECDSA/SM2 signatures as DER or IEEE P1363, low-S
//! normalization, secp256k1 recovery IDs, SEC1 points and JSON Web Keys.
//!
//! Parsing goes through the RustCrypto signature types, which accept only strict DER with
//! `0 < r, s < n`, so a malformed signature is an error, never a silent misreading.

use crate::error::{Error, Result};
use crate::public_key::PublicKey;
use crate::spec::{KeyFamily, KeySpec};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64UrlUnpadded, Encoding};

fn bad_sig(spec: KeySpec) -> Error {
    Error::validation(format!("not a valid {spec} signature"))
}

fn no_ecdsa(spec: KeySpec) -> Error {
    Error::validation(format!("{spec} keys do not make ECDSA or SM2 signatures"))
}

macro_rules! by_curve {
    ($spec:expr, |$Sig:ident| $body:expr) => {
        match $spec {
            KeySpec::EccNistP256 => {
                type $Sig = p256::ecdsa::Signature;
                $body
            }
            KeySpec::EccNistP384 => {
                type $Sig = p384::ecdsa::Signature;
                $body
            }
            KeySpec::EccNistP521 => {
                type $Sig = p521::ecdsa::Signature;
                $body
            }
            KeySpec::EccSecgP256k1 => {
                type $Sig = k256::ecdsa::Signature;
                $body
            }
            KeySpec::Sm2 => {
                type $Sig = sm2::dsa::Signature;
                $body
            }
            other => Err(no_ecdsa(other)),
        }
    };
}

/// DER `SEQUENCE { r, s }` → fixed-width `r‖s`.
pub(crate) fn der_to_p1363(signature: &[u8], spec: KeySpec) -> Result<Vec<u8>> {
    by_curve!(spec, |Sig| Sig::from_der(signature)
        .map(|s| s.to_bytes().to_vec())
        .map_err(|_| bad_sig(spec)))
}

/// Fixed-width `r‖s` → DER `SEQUENCE { r, s }`.
pub(crate) fn p1363_to_der(signature: &[u8], spec: KeySpec) -> Result<Vec<u8>> {
    by_curve!(spec, |Sig| Sig::from_slice(signature)
        .map(|s| s.to_der().as_bytes().to_vec())
        .map_err(|_| bad_sig(spec)))
}

/// DER in, DER out, with s replaced by n − s when s > n/2.
pub(crate) fn normalize_low_s(signature: &[u8], spec: KeySpec) -> Result<Vec<u8>> {
    if spec == KeySpec::Sm2 {
        return Err(Error::key_usage(
            "low-S normalization applies to ECDSA; an SM2 signature with s replaced does not verify",
        ));
    }
    macro_rules! low_s {
        ($sig:ty) => {
            <$sig>::from_der(signature)
                .map(|s| s.normalize_s().to_der().as_bytes().to_vec())
                .map_err(|_| bad_sig(spec))
        };
    }
    match spec {
        KeySpec::EccNistP256 => low_s!(p256::ecdsa::Signature),
        KeySpec::EccNistP384 => low_s!(p384::ecdsa::Signature),
        KeySpec::EccNistP521 => low_s!(p521::ecdsa::Signature),
        KeySpec::EccSecgP256k1 => low_s!(k256::ecdsa::Signature),
        other => Err(no_ecdsa(other)),
    }
}

/// The recovery ID of a secp256k1 signature as given: the parity of y(R), plus 2 when x(R) ≥ n,
/// where R = [z·s⁻¹]G + [r·s⁻¹]Q is the signature's nonce point — the point verification
/// computes, so no square root is needed. For a high-S signature R is the negated nonce point,
/// so its ID is the other parity, as for the same signature with s taken as given.
pub(crate) fn secp256k1_recovery_id(
    key: &PublicKey,
    digest: &[u8],
    signature: &[u8],
) -> Result<u8> {
    use elliptic_curve::ops::{MulByGeneratorVartime, Reduce};
    use elliptic_curve::point::AffineCoordinates;
    use k256::{FieldBytes, ProjectivePoint, Scalar};
    if key.spec() != KeySpec::EccSecgP256k1 {
        return Err(Error::validation(format!(
            "recovery IDs are for ECC_SECG_P256K1 keys, not {}",
            key.spec()
        )));
    }
    let Ok(z) = <&[u8; 32]>::try_from(digest) else {
        return Err(Error::validation(format!(
            "the digest must be 32 bytes, got {}",
            digest.len()
        )));
    };
    let q = crate::point::public_key::<k256::Secp256k1>(key.key_bytes())
        .ok_or_else(|| Error::validation("secp256k1 public key is not a valid point"))?;
    let sig = k256::ecdsa::Signature::from_der(signature).map_err(|_| bad_sig(key.spec()))?;
    let (r, s) = sig.split_scalars();
    let z = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(*z));
    let s_inv = Option::<Scalar>::from(s.invert_vartime()).ok_or_else(|| bad_sig(key.spec()))?;
    let nonce_point = ProjectivePoint::mul_by_generator_and_mul_add_vartime(
        &(z * s_inv),
        &(*r * s_inv),
        &q.to_projective(),
    );
    let at_infinity = bool::from(elliptic_curve::Group::is_identity(&nonce_point));
    let nonce_point = nonce_point.to_affine();
    let x = nonce_point.x();
    if at_infinity || <Scalar as Reduce<FieldBytes>>::reduce(&x) != *r {
        return Err(Error::validation(
            "the signature does not belong to this public key and digest",
        ));
    }
    let x_reduced = x != r.to_bytes();
    Ok(u8::from(bool::from(nonce_point.y_is_odd())) | u8::from(x_reduced) << 1)
}

/// `04‖x‖y` of an ECC/SM2 key (decompressing a compressed point), `None` for other families.
pub(crate) fn sec1_uncompressed(key: &PublicKey) -> Result<Option<Vec<u8>>> {
    fn uncompressed<C>(point: &[u8]) -> Option<Vec<u8>>
    where
        C: crate::point::Curve,
        elliptic_curve::AffinePoint<C>: elliptic_curve::sec1::ToSec1Point<C>,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    {
        use elliptic_curve::sec1::ToSec1Point;
        let key = crate::point::public_key::<C>(point)?;
        Some(key.as_affine().to_sec1_point(false).as_bytes().to_vec())
    }
    let spec = key.spec();
    let point = key.key_bytes();
    let out = match spec {
        KeySpec::EccNistP256 => uncompressed::<p256::NistP256>(point),
        KeySpec::EccNistP384 => uncompressed::<p384::NistP384>(point),
        KeySpec::EccNistP521 => uncompressed::<p521::NistP521>(point),
        KeySpec::EccSecgP256k1 => uncompressed::<k256::Secp256k1>(point),
        KeySpec::Sm2 => uncompressed::<sm2::Sm2>(point),
        _ => return Ok(None),
    };
    out.map(Some)
        .ok_or_else(|| Error::validation(format!("{spec} public key is not a valid point")))
}

/// A JSON Web Key, or `None` where there is no standard one (SM2, ML-DSA, ML-KEM).
pub(crate) fn jwk(key: &PublicKey, sec1: Option<&[u8]>) -> Result<Option<String>> {
    let b64 = Base64UrlUnpadded::encode_string;
    let spec = key.spec();
    Ok(Some(match spec.info().family {
        KeyFamily::Ecc => {
            let crv = match spec {
                KeySpec::EccNistP256 => "P-256",
                KeySpec::EccNistP384 => "P-384",
                KeySpec::EccNistP521 => "P-521",
                _ => "secp256k1", // RFC 8812
            };
            let Some(point) = sec1 else { return Ok(None) };
            let n = (point.len() - 1) / 2;
            format!(
                r#"{{"kty":"EC","crv":"{crv}","x":"{}","y":"{}"}}"#,
                b64(&point[1..1 + n]),
                b64(&point[1 + n..])
            )
        }
        KeyFamily::Rsa => {
            use der::{Decode, Reader};
            let bad = |_| Error::validation("RSA public key is not a DER RSAPublicKey");
            let mut r = der::SliceReader::new(key.key_bytes()).map_err(bad)?;
            let (n, e) = r
                .sequence(|r| {
                    Ok((
                        der::asn1::UintRef::decode(r)?,
                        der::asn1::UintRef::decode(r)?,
                    ))
                })
                .map_err(bad)?;
            format!(
                r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#,
                b64(n.as_bytes()),
                b64(e.as_bytes())
            )
        }
        KeyFamily::Ed25519 => format!(
            r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
            b64(key.key_bytes())
        ),
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    /// Against `k256`'s recoverable signing, an implementation independent of the one above:
    /// its ID for the low-S signature, the other parity for the same signature with n − s.
    #[test]
    fn secp256k1_recovery_id_matches_k256() {
        use k256::ecdsa::{Signature, SigningKey};
        use sha2::Digest as _;
        use spki::EncodePublicKey as _;
        let mut parities = [0; 2];
        for i in 1u8..=32 {
            let sk = SigningKey::from_slice(&[i; 32]).unwrap();
            let spki = sk.verifying_key().to_public_key_der().unwrap();
            let key = PublicKey::from_der(spki.as_bytes()).unwrap();
            let digest = sha2::Sha256::digest([i]);
            let (sig, id) = sk.sign_prehash_recoverable(&digest);
            let got = secp256k1_recovery_id(&key, &digest, sig.to_der().as_bytes()).unwrap();
            assert_eq!(got, id.to_byte(), "key {i}");
            let (r, s) = sig.split_scalars();
            let high = Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap();
            let got = secp256k1_recovery_id(&key, &digest, high.to_der().as_bytes()).unwrap();
            assert_eq!(got, id.to_byte() ^ 1, "key {i}, high S");
            parities[usize::from(id.to_byte() & 1)] += 1;
        }
        assert!(parities[0] > 0 && parities[1] > 0, "{parities:?}");
    }
}
