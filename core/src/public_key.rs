//! Public keys as AWS KMS GetPublicKey returns them: DER `SubjectPublicKeyInfo` (RFC 5280
//! §4.1.2.7), or the same wrapped as PEM `PUBLIC KEY` (RFC 7468 §13).
//!
//! Parsing is strict (DER, no trailing bytes) and identifies the [`KeySpec`] from the algorithm
//! and curve OIDs and the key size, so every later step can ask the spec table what is allowed.

use crate::error::{Error, Result};
use crate::spec::{KeyFamily, KeySpec};
use alloc::string::String;
use alloc::vec::Vec;
use der::asn1::{ObjectIdentifier as Oid, UintRef};
use der::{Decode, Reader, SliceReader};
use spki::SubjectPublicKeyInfoRef;

/// Object identifiers of the key types KMS exports.
pub(crate) mod oid {
    use der::asn1::ObjectIdentifier as Oid;
    pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub(crate) const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub(crate) const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub(crate) const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub(crate) const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
    pub(crate) const SECP256K1: Oid = Oid::new_unwrap("1.3.132.0.10");
    /// sm2p256v1 (GM/T 0006); KMS puts it in the EC parameters under id-ecPublicKey.
    pub(crate) const SM2: Oid = Oid::new_unwrap("1.2.156.10197.1.301");
    pub(crate) const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    pub(crate) const ML_DSA_44: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.17");
    pub(crate) const ML_DSA_65: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.18");
    pub(crate) const ML_DSA_87: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.19");
    pub(crate) const ML_KEM_512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.4.1");
    pub(crate) const ML_KEM_768: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.4.2");
    pub(crate) const ML_KEM_1024: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.4.3");
}

/// A parsed public key of a KMS key spec.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    spec: KeySpec,
    spki: Vec<u8>,
    key: Vec<u8>,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PublicKey")
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Parses DER SPKI, or PEM when the input starts with `-----BEGIN` (after whitespace).
    ///
    /// # Errors
    /// `ValidationException` when the bytes are not a public key of a KMS key spec.
    pub fn parse(input: &[u8]) -> Result<Self> {
        let trimmed = trim_ascii_start(input);
        if trimmed.starts_with(b"-----BEGIN") {
            Self::from_pem(trimmed)
        } else {
            Self::from_der(input)
        }
    }

    /// Parses PEM `-----BEGIN PUBLIC KEY-----`.
    ///
    /// # Errors
    /// `ValidationException` for bad PEM, another label, or a bad key inside.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let text = trim_ascii_end(trim_ascii_start(pem));
        let (label, der) = pem_rfc7468::decode_vec(text)
            .map_err(|e| Error::validation(alloc::format!("public key PEM is malformed: {e}")))?;
        if label != "PUBLIC KEY" {
            return Err(Error::validation(alloc::format!(
                "expected PEM label 'PUBLIC KEY' (SubjectPublicKeyInfo), found '{label}'"
            )));
        }
        Self::from_der(&der)
    }

    /// Parses DER `SubjectPublicKeyInfo`, what KMS GetPublicKey returns.
    ///
    /// # Errors
    /// `ValidationException` when the DER is malformed, has trailing bytes, or holds a key that is
    /// not of a KMS key spec (unknown algorithm or curve, RSA modulus not 2048/3072/4096 bits, ...).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| {
            Error::validation(alloc::format!(
                "public key is not DER SubjectPublicKeyInfo: {e}"
            ))
        })?;
        let key = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| Error::validation("public key BIT STRING has unused bits"))?;
        let params = spki.algorithm.parameters;
        let alg = spki.algorithm.oid;
        let spec = if alg == oid::RSA_ENCRYPTION {
            if params.is_some_and(|p| !p.is_null()) {
                return Err(Error::validation("RSA public key parameters must be NULL"));
            }
            rsa_spec(key)?
        } else if alg == oid::EC_PUBLIC_KEY || alg == oid::SM2 {
            let curve = params
                .ok_or_else(|| Error::validation("EC public key has no curve parameters"))?
                .decode_as::<Oid>()
                .map_err(|_| {
                    Error::validation("EC public key parameters must be a named curve OID")
                })?;
            ec_spec(curve, key)?
        } else {
            if params.is_some() {
                return Err(Error::validation(alloc::format!(
                    "public key algorithm {alg} takes no parameters"
                )));
            }
            let (spec, len) = match alg {
                a if a == oid::ED25519 => (KeySpec::EccNistEdwards25519, 32),
                a if a == oid::ML_DSA_44 => (KeySpec::MlDsa44, 1312),
                a if a == oid::ML_DSA_65 => (KeySpec::MlDsa65, 1952),
                a if a == oid::ML_DSA_87 => (KeySpec::MlDsa87, 2592),
                a if a == oid::ML_KEM_512 => (KeySpec::MlKem512, 800),
                a if a == oid::ML_KEM_768 => (KeySpec::MlKem768, 1184),
                a if a == oid::ML_KEM_1024 => (KeySpec::MlKem1024, 1568),
                _ => {
                    return Err(Error::validation(alloc::format!(
                        "public key algorithm {alg} is not one of a KMS key spec"
                    )));
                }
            };
            if key.len() != len {
                return Err(Error::validation(alloc::format!(
                    "{spec} public key must be {len} bytes, got {}",
                    key.len()
                )));
            }
            if spec.info().family == crate::spec::KeyFamily::MlKem {
                check_ml_kem_key(spec, key)?;
            }
            spec
        };
        Ok(Self {
            spec,
            spki: der.to_vec(),
            key: key.to_vec(),
        })
    }

    /// The KMS key spec of this key.
    pub fn spec(&self) -> KeySpec {
        self.spec
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The contents of the `subjectPublicKey` BIT STRING: a SEC1 point for ECC and SM2, a PKCS#1
    /// `RSAPublicKey` for RSA, the raw key for Ed25519, ML-DSA and ML-KEM.
    pub fn key_bytes(&self) -> &[u8] {
        &self.key
    }

    /// The key as PEM `PUBLIC KEY`, 64 columns, `\n` line endings.
    pub fn to_pem(&self) -> String {
        // Encoding into a String cannot fail for a label we chose and bytes we hold.
        pem_rfc7468::encode_string("PUBLIC KEY", pem_rfc7468::LineEnding::LF, &self.spki)
            .unwrap_or_default()
    }
}

fn rsa_spec(key: &[u8]) -> Result<KeySpec> {
    let bad = |_| Error::validation("RSA public key is not a DER RSAPublicKey");
    let mut r = SliceReader::new(key).map_err(bad)?;
    let modulus = r
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let _e = UintRef::decode(r)?;
            Ok(n)
        })
        .map_err(bad)?;
    r.finish().map_err(bad)?;
    let n = modulus.as_bytes();
    let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
    KeySpec::ALL
        .iter()
        .copied()
        .find(|s| s.info().family == KeyFamily::Rsa && s.info().bits as usize == bits)
        .ok_or_else(|| {
            Error::validation(alloc::format!(
                "RSA modulus of {bits} bits is not a KMS key spec (RSA_2048, RSA_3072, RSA_4096)"
            ))
        })
}

fn ec_spec(curve: Oid, point: &[u8]) -> Result<KeySpec> {
    let (spec, field_len) = match curve {
        c if c == oid::SECP256R1 => (KeySpec::EccNistP256, 32),
        c if c == oid::SECP384R1 => (KeySpec::EccNistP384, 48),
        c if c == oid::SECP521R1 => (KeySpec::EccNistP521, 66),
        c if c == oid::SECP256K1 => (KeySpec::EccSecgP256k1, 32),
        c if c == oid::SM2 => (KeySpec::Sm2, 32),
        _ => {
            return Err(Error::validation(alloc::format!(
                "EC curve {curve} is not one of a KMS key spec"
            )));
        }
    };
    let ok = match point.first() {
        Some(0x04) => point.len() == 1 + 2 * field_len,
        Some(0x02 | 0x03) => point.len() == 1 + field_len,
        _ => false,
    };
    if !ok {
        return Err(Error::validation(alloc::format!(
            "{spec} public key is not a SEC1 point of this curve"
        )));
    }
    Ok(spec)
}

/// FIPS 203 §7.2 encapsulation-key check: every coefficient is reduced mod q (the key decodes
/// and re-encodes to itself). Done at parse time so every backend rejects the same keys.
fn check_ml_kem_key(spec: KeySpec, key: &[u8]) -> Result<()> {
    let ok = crate::private_key::with_ml_kem!(spec, |P| {
        Ok::<bool, Error>(
            ml_kem::array::Array::try_from(key)
                .ok()
                .is_some_and(|bytes| ml_kem::EncapsulationKey::<P>::new(&bytes).is_ok()),
        )
    })?;
    if ok {
        Ok(())
    } else {
        Err(Error::validation(alloc::format!(
            "{spec} public key is not a valid encapsulation key (coefficients not reduced mod q)"
        )))
    }
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn trim_ascii_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    &b[..b.len() - n]
}
