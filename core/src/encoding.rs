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

/// The recovery ID of a secp256k1 signature as given (trying 0 and 1 against the key).
pub(crate) fn secp256k1_recovery_id(
    key: &PublicKey,
    digest: &[u8],
    signature: &[u8],
) -> Result<u8> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    if key.spec() != KeySpec::EccSecgP256k1 {
        return Err(Error::validation(format!(
            "recovery IDs are for ECC_SECG_P256K1 keys, not {}",
            key.spec()
        )));
    }
    if digest.len() != 32 {
        return Err(Error::validation(format!(
            "the digest must be 32 bytes, got {}",
            digest.len()
        )));
    }
    let expected = VerifyingKey::from_sec1_bytes(key.key_bytes())
        .map_err(|_| Error::validation("secp256k1 public key is not a valid point"))?;
    let sig = Signature::from_der(signature).map_err(|_| bad_sig(key.spec()))?;
    // Recovery works on the low-S form; a high-S signature's ID is the other parity.
    let (low, flipped) = match sig.normalize_s() {
        n if n == sig => (sig, false),
        n => (n, true),
    };
    for v in 0u8..2 {
        let Some(id) = RecoveryId::from_byte(v) else {
            continue;
        };
        if VerifyingKey::recover_from_prehash(digest, &low, id).is_ok_and(|k| k == expected) {
            return Ok(if flipped { v ^ 1 } else { v });
        }
    }
    Err(Error::validation(
        "the signature does not belong to this public key and digest",
    ))
}

/// `04‖x‖y` of an ECC/SM2 key (decompressing a compressed point), `None` for other families.
pub(crate) fn sec1_uncompressed(key: &PublicKey) -> Result<Option<Vec<u8>>> {
    use elliptic_curve::sec1::ToSec1Point;
    let spec = key.spec();
    let bad = || Error::validation(format!("{spec} public key is not a valid point"));
    let point = key.key_bytes();
    let out = match spec {
        KeySpec::EccNistP256 => p256::PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad())?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        KeySpec::EccNistP384 => p384::PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad())?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        KeySpec::EccNistP521 => p521::PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad())?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        KeySpec::EccSecgP256k1 => k256::PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad())?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        KeySpec::Sm2 => sm2::PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad())?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        _ => return Ok(None),
    };
    Ok(Some(out))
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
