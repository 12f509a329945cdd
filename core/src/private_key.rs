//! Private keys in one canonical form: PKCS#8 DER (RFC 5208/5958) as core writes it.
//!
//! Any common encoding is accepted (PKCS#8 DER or PEM, PKCS#1 `RSA PRIVATE KEY`, SEC1
//! `EC PRIVATE KEY`, ML-DSA/ML-KEM seed, expanded or both forms) and re-encoded canonically,
//! so that every backend, binding and key blob sees the same bytes for the same key:
//!
//! | family | canonical PKCS#8 `privateKey` contents |
//! |---|---|
//! | RSA | PKCS#1 `RSAPrivateKey`, two primes with CRT values |
//! | ECC, SM2 | SEC1 `ECPrivateKey` with the public key `[1]`, curve OID in the algorithm |
//! | Ed25519 | `OCTET STRING` of the 32-byte seed (RFC 8410, version 1) |
//! | ML-DSA | `[0] IMPLICIT OCTET STRING` of the 32-byte seed ξ (the "seed" choice) |
//! | ML-KEM | `[0] IMPLICIT OCTET STRING` of the 64-byte seed d‖z, as KMS's GenerateDataKeyPair |
//!
//! The public key is derived once, at parse time, with RustCrypto (compiled on every target).

use crate::error::{Error, Result};
use crate::public_key::{PublicKey, oid};
use crate::secret::Secret;
use crate::spec::KeySpec;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use der::asn1::{ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber};
use pkcs8::{DecodePrivateKey, EncodePrivateKey, PrivateKeyInfoRef};
use spki::EncodePublicKey;
use zeroize::Zeroizing;

/// A private key of an asymmetric KMS key spec, with its public key.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    pkcs8: Secret,
    public: PublicKey,
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("spec", &self.public.spec())
            .finish_non_exhaustive()
    }
}

fn invalid(what: impl core::fmt::Display) -> Error {
    Error::validation(format!("private key is not valid: {what}"))
}

impl PrivateKey {
    /// Parses a private key: PEM (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`) when the
    /// input starts with `-----BEGIN`, otherwise PKCS#8 DER.
    ///
    /// # Errors
    /// `ValidationException` when the input is not a private key of a KMS key spec.
    pub fn parse(input: &[u8]) -> Result<Self> {
        Self::parse_impl::<false>(input)
    }

    /// As [`parse`](Self::parse), for key agreement: only ECC_NIST_* and SM2 keys. Other keys
    /// are `InvalidKeyUsageException`, and their parsers are not even linked in (this keeps
    /// the browser package small).
    ///
    /// # Errors
    /// `ValidationException` for malformed input; `InvalidKeyUsageException` for another family.
    pub fn parse_ec(input: &[u8]) -> Result<Self> {
        Self::parse_impl::<true>(input)
    }

    fn parse_impl<const EC_ONLY: bool>(input: &[u8]) -> Result<Self> {
        let trimmed = trim_ascii(input);
        if trimmed.starts_with(b"-----BEGIN") {
            Self::from_pem_impl::<EC_ONLY>(trimmed)
        } else {
            Self::from_pkcs8_impl::<EC_ONLY>(input)
        }
    }

    /// Parses PEM: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1), or `EC PRIVATE KEY` /
    /// `SM2 PRIVATE KEY` (SEC1, as OpenSSL 3 writes SM2 keys).
    ///
    /// # Errors
    /// `ValidationException` for bad PEM, another label, or a bad key inside.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::from_pem_impl::<false>(pem)
    }

    fn from_pem_impl<const EC_ONLY: bool>(pem: &[u8]) -> Result<Self> {
        let (label, der) = pem_rfc7468::decode_vec(trim_ascii(pem))
            .map_err(|e| invalid(format_args!("malformed PEM: {e}")))?;
        let der = Zeroizing::new(der);
        match label {
            "PRIVATE KEY" => Self::from_pkcs8_impl::<EC_ONLY>(&der),
            "RSA PRIVATE KEY" if EC_ONLY => Err(no_agreement("RSA")),
            "RSA PRIVATE KEY" => {
                use pkcs1::DecodeRsaPrivateKey;
                let key = rsa::RsaPrivateKey::from_pkcs1_der(&der).map_err(invalid)?;
                Self::from_pkcs8_der(key.to_pkcs8_der().map_err(invalid)?.as_bytes())
            }
            // OpenSSL 3 writes SEC1 SM2 keys under their own label
            "EC PRIVATE KEY" | "SM2 PRIVATE KEY" => Self::from_sec1_der(&der),
            other => Err(invalid(format_args!(
                "PEM label '{other}' is not PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
            ))),
        }
    }

    /// Parses PKCS#8 DER `PrivateKeyInfo` / `OneAsymmetricKey` and re-encodes it canonically.
    ///
    /// # Errors
    /// `ValidationException` when the DER is malformed or the key is not of a KMS key spec.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        Self::from_pkcs8_impl::<false>(der)
    }

    fn from_pkcs8_impl<const EC_ONLY: bool>(der: &[u8]) -> Result<Self> {
        let info = PrivateKeyInfoRef::from_der(der).map_err(invalid)?;
        let alg = info.algorithm.oid;
        let inner = info.private_key.as_bytes();
        if EC_ONLY && alg != oid::EC_PUBLIC_KEY && alg != oid::SM2 {
            return Err(no_agreement(match alg {
                a if a == oid::RSA_ENCRYPTION => "RSA",
                a if a == oid::ED25519 => "Ed25519",
                _ => "this",
            }));
        }
        if alg == oid::RSA_ENCRYPTION {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(invalid)?;
            return rsa_key(&key);
        }
        if alg == oid::EC_PUBLIC_KEY || alg == oid::SM2 {
            let curve = match info.algorithm.parameters {
                Some(p) => p.decode_as::<Oid>().map_err(invalid)?,
                None if alg == oid::SM2 => oid::SM2,
                None => {
                    // The curve may sit in the ECPrivateKey's [0] parameters instead.
                    let ec = sec1::EcPrivateKey::from_der(inner).map_err(invalid)?;
                    ec.parameters
                        .and_then(|p| p.named_curve())
                        .ok_or_else(|| invalid("EC key names no curve"))?
                }
            };
            return ec_from_sec1(curve, inner);
        }
        if info.algorithm.parameters.is_some() {
            return Err(invalid(format_args!("algorithm {alg} takes no parameters")));
        }
        match alg {
            a if a == oid::ED25519 => {
                ed25519_key(inner, info.public_key.and_then(|k| k.as_bytes()))
            }
            a if a == oid::ML_DSA_44 => ml_dsa_key(KeySpec::MlDsa44, inner),
            a if a == oid::ML_DSA_65 => ml_dsa_key(KeySpec::MlDsa65, inner),
            a if a == oid::ML_DSA_87 => ml_dsa_key(KeySpec::MlDsa87, inner),
            a if a == oid::ML_KEM_512 => ml_kem_key(KeySpec::MlKem512, inner),
            a if a == oid::ML_KEM_768 => ml_kem_key(KeySpec::MlKem768, inner),
            a if a == oid::ML_KEM_1024 => ml_kem_key(KeySpec::MlKem1024, inner),
            _ => Err(invalid(format_args!(
                "algorithm {alg} is not one of a KMS key spec"
            ))),
        }
    }

    /// Parses SEC1 `ECPrivateKey` DER whose `[0]` parameters name the curve.
    ///
    /// # Errors
    /// `ValidationException` when malformed or on a curve of no KMS key spec.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self> {
        let ec = sec1::EcPrivateKey::from_der(der).map_err(invalid)?;
        let curve = ec
            .parameters
            .and_then(|p| p.named_curve())
            .ok_or_else(|| invalid("SEC1 EC key names no curve; use PKCS#8"))?;
        ec_from_sec1(curve, der)
    }

    /// Builds a key from its raw secret: an EC/SM2 scalar (big-endian, field length), an
    /// Ed25519 seed (32 bytes), an ML-DSA seed ξ (32 bytes) or an ML-KEM seed d‖z (64 bytes).
    /// Not for RSA (use PKCS#8).
    ///
    /// # Errors
    /// `ValidationException` for a wrong length, an out-of-range scalar, or an RSA/symmetric spec.
    pub fn from_raw_secret(spec: KeySpec, secret: &[u8]) -> Result<Self> {
        match spec {
            KeySpec::EccNistP256
            | KeySpec::EccNistP384
            | KeySpec::EccNistP521
            | KeySpec::EccSecgP256k1
            | KeySpec::Sm2 => ec_key(spec, secret),
            KeySpec::EccNistEdwards25519 => {
                let seed: [u8; 32] = secret
                    .try_into()
                    .map_err(|_| invalid("Ed25519 seed must be 32 bytes"))?;
                ed25519_from_seed(&Zeroizing::new(seed))
            }
            KeySpec::MlDsa44 | KeySpec::MlDsa65 | KeySpec::MlDsa87 => {
                ml_dsa_from_seed(spec, secret)
            }
            KeySpec::MlKem512 | KeySpec::MlKem768 | KeySpec::MlKem1024 => {
                ml_kem_from_seed(spec, secret)
            }
            other => Err(invalid(format_args!(
                "{other} keys are not built from a raw secret"
            ))),
        }
    }

    /// The KMS key spec.
    pub fn spec(&self) -> KeySpec {
        self.public.spec()
    }

    /// The canonical PKCS#8 DER.
    pub fn pkcs8_der(&self) -> &Secret {
        &self.pkcs8
    }

    /// The canonical PKCS#8 as PEM `PRIVATE KEY`.
    pub fn to_pem(&self) -> Secret {
        let pem = pem_rfc7468::encode_string(
            "PRIVATE KEY",
            pem_rfc7468::LineEnding::LF,
            self.pkcs8.expose(),
        )
        .unwrap_or_default();
        Secret::new(String::into_bytes(pem))
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The raw secret inside the canonical PKCS#8, for the families that have one: the EC/SM2
    /// scalar, the Ed25519 seed, the ML-DSA seed ξ, the ML-KEM seed d‖z. `None` for RSA.
    pub fn raw_secret(&self) -> Option<Secret> {
        let info = PrivateKeyInfoRef::from_der(self.pkcs8.expose()).ok()?;
        let inner = info.private_key.as_bytes();
        match self.spec().info().family {
            crate::spec::KeyFamily::Ecc | crate::spec::KeyFamily::Sm2 => {
                let ec = sec1::EcPrivateKey::from_der(inner).ok()?;
                Some(Secret::from_slice(ec.private_key))
            }
            crate::spec::KeyFamily::Ed25519 => Some(Secret::from_slice(
                <&OctetStringRef>::from_der(inner).ok()?.as_bytes(),
            )),
            crate::spec::KeyFamily::MlDsa | crate::spec::KeyFamily::MlKem => {
                // canonical: [0] IMPLICIT OCTET STRING
                let (tag_len, body) = inner.split_at_checked(2)?;
                (tag_len[0] == 0x80).then(|| Secret::from_slice(body))
            }
            _ => None,
        }
    }
}

fn no_agreement(family: &str) -> Error {
    Error::key_usage(format!(
        "{family} private keys do not support key agreement; use an ECC_NIST_P256/P384/P521 or SM2 key"
    ))
}

fn finish(spec_check: KeySpec, pkcs8: Vec<u8>, spki: &[u8]) -> Result<PrivateKey> {
    let public = PublicKey::from_der(spki)?;
    if public.spec() != spec_check {
        return Err(invalid(format_args!(
            "derived public key is {}, expected {spec_check}",
            public.spec()
        )));
    }
    Ok(PrivateKey {
        pkcs8: Secret::new(pkcs8),
        public,
    })
}

fn rsa_key(key: &rsa::RsaPrivateKey) -> Result<PrivateKey> {
    use rsa::traits::PublicKeyParts;
    let bits = key.n().bits();
    let spec = KeySpec::ALL
        .iter()
        .copied()
        .find(|s| s.info().family == crate::spec::KeyFamily::Rsa && s.info().bits == bits)
        .ok_or_else(|| {
            invalid(format_args!(
                "RSA modulus of {bits} bits is not a KMS key spec"
            ))
        })?;
    let pkcs8 = key.to_pkcs8_der().map_err(invalid)?;
    let spki = key.to_public_key().to_public_key_der().map_err(invalid)?;
    finish(spec, pkcs8.as_bytes().to_vec(), spki.as_bytes())
}

/// An EC key from SEC1 `ECPrivateKey` DER on `curve`; a public key inside must match.
fn ec_from_sec1(curve: Oid, sec1_der: &[u8]) -> Result<PrivateKey> {
    let ec = sec1::EcPrivateKey::from_der(sec1_der).map_err(invalid)?;
    if let Some(p) = ec.parameters.and_then(|p| p.named_curve())
        && p != curve
    {
        return Err(invalid("ECPrivateKey parameters name another curve"));
    }
    let spec = match curve {
        c if c == oid::SECP256R1 => KeySpec::EccNistP256,
        c if c == oid::SECP384R1 => KeySpec::EccNistP384,
        c if c == oid::SECP521R1 => KeySpec::EccNistP521,
        c if c == oid::SECP256K1 => KeySpec::EccSecgP256k1,
        c if c == oid::SM2 => KeySpec::Sm2,
        _ => {
            return Err(invalid(format_args!(
                "EC curve {curve} is not one of a KMS key spec"
            )));
        }
    };
    let key = ec_key(spec, ec.private_key)?;
    if ec
        .public_key
        .is_some_and(|given| given != key.public.key_bytes())
    {
        return Err(invalid(
            "the public key inside does not match the private key",
        ));
    }
    Ok(key)
}

/// An EC/SM2 key of `spec` from its big-endian scalar.
fn ec_key(spec: KeySpec, scalar: &[u8]) -> Result<PrivateKey> {
    match spec {
        KeySpec::EccNistP256 => ec_canonical::<p256::NistP256>(spec, oid::SECP256R1, scalar),
        KeySpec::EccNistP384 => ec_canonical::<p384::NistP384>(spec, oid::SECP384R1, scalar),
        KeySpec::EccNistP521 => ec_canonical::<p521::NistP521>(spec, oid::SECP521R1, scalar),
        KeySpec::EccSecgP256k1 => ec_canonical::<k256::Secp256k1>(spec, oid::SECP256K1, scalar),
        KeySpec::Sm2 => ec_canonical::<sm2::Sm2>(spec, oid::SM2, scalar),
        other => Err(invalid(format_args!("{other} is not an EC key spec"))),
    }
}

/// The scalar's key on curve `C`: its public point is the one curve-specific step (a
/// constant-time multiplication); the DER is written by [`ec_encode`] for every curve alike.
fn ec_canonical<C>(spec: KeySpec, curve: Oid, scalar: &[u8]) -> Result<PrivateKey>
where
    C: elliptic_curve::CurveArithmetic,
    elliptic_curve::AffinePoint<C>: elliptic_curve::sec1::ToSec1Point<C>,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
{
    use elliptic_curve::sec1::ToSec1Point;
    let sk = elliptic_curve::SecretKey::<C>::from_slice(scalar)
        .map_err(|_| invalid("EC private scalar is out of range or of the wrong length"))?;
    let point = sk.public_key().as_affine().to_sec1_point(false);
    ec_encode(
        spec,
        curve,
        &Zeroizing::new(sk.to_bytes()),
        point.as_bytes(),
    )
}

/// Canonical PKCS#8 and SPKI of an EC/SM2 key, byte for byte as `elliptic-curve`'s
/// `to_pkcs8_der`/`to_public_key_der` write them: id-ecPublicKey with the curve OID as
/// parameters, an `ECPrivateKey` without `[0]` parameters and with the uncompressed point `[1]`.
fn ec_encode(spec: KeySpec, curve: Oid, scalar: &[u8], point: &[u8]) -> Result<PrivateKey> {
    let algorithm = spki::AlgorithmIdentifierRef {
        oid: oid::EC_PUBLIC_KEY,
        parameters: Some((&curve).into()),
    };
    let ec = sec1::EcPrivateKey {
        private_key: scalar,
        parameters: None,
        public_key: Some(point),
    };
    let ec = Zeroizing::new(ec.to_der().map_err(invalid)?);
    let info = PrivateKeyInfoRef::new(algorithm, OctetStringRef::new(&ec).map_err(invalid)?);
    let pkcs8 = der::SecretDocument::encode_msg(&info).map_err(invalid)?;
    let spki = spki::SubjectPublicKeyInfoRef {
        algorithm,
        subject_public_key: der::asn1::BitStringRef::from_bytes(point).map_err(invalid)?,
    };
    finish(
        spec,
        pkcs8.as_bytes().to_vec(),
        &spki.to_der().map_err(invalid)?,
    )
}

fn ed25519_key(inner: &[u8], given_public: Option<&[u8]>) -> Result<PrivateKey> {
    let seed: [u8; 32] = <&OctetStringRef>::from_der(inner)
        .map_err(invalid)?
        .as_bytes()
        .try_into()
        .map_err(|_| invalid("Ed25519 private key must be 32 bytes"))?;
    let key = ed25519_from_seed(&Zeroizing::new(seed))?;
    if given_public.is_some_and(|p| p != key.public.key_bytes()) {
        return Err(invalid(
            "the public key inside does not match the private key",
        ));
    }
    Ok(key)
}

fn ed25519_from_seed(seed: &[u8; 32]) -> Result<PrivateKey> {
    let sk = ed25519_dalek::SigningKey::from_bytes(seed);
    let spki = sk.verifying_key().to_public_key_der().map_err(invalid)?;
    let inner = OctetStringRef::new(seed)
        .map_err(invalid)?
        .to_der()
        .map_err(invalid)?;
    let pkcs8 = pkcs8_document(oid::ED25519, &inner)?;
    finish(KeySpec::EccNistEdwards25519, pkcs8, spki.as_bytes())
}

/// PKCS#8 v1 with no algorithm parameters around `inner` (the `privateKey` OCTET STRING value).
fn pkcs8_document(alg: Oid, inner: &[u8]) -> Result<Vec<u8>> {
    let info = PrivateKeyInfoRef::new(
        spki::AlgorithmIdentifier {
            oid: alg,
            parameters: None,
        },
        OctetStringRef::new(inner).map_err(invalid)?,
    );
    info.to_der().map_err(invalid)
}

/// The `[0] IMPLICIT OCTET STRING` seed choice of the ML-DSA / ML-KEM private key.
fn seed_choice(seed: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(seed.len() + 2);
    v.push(0x80);
    v.push(seed.len() as u8);
    v.extend_from_slice(seed);
    v
}

/// (seed, expanded key) of an ML-DSA/ML-KEM private key; either may be absent.
type SeedAndExpanded<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// Splits the ML-DSA/ML-KEM private-key CHOICE: `seed [0]`, `expandedKey OCTET STRING`, or
/// `both SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING }`. Returns (seed, expanded).
fn pq_choice(inner: &[u8]) -> Result<SeedAndExpanded<'_>> {
    let mut r = SliceReader::new(inner).map_err(invalid)?;
    let header = der::Header::peek(&r).map_err(invalid)?;
    let out = match header.tag() {
        Tag::ContextSpecific {
            number: TagNumber(0),
            constructed: false,
        } => {
            let h = der::Header::decode(&mut r).map_err(invalid)?;
            let seed = r.read_slice(h.length()).map_err(invalid)?;
            (Some(seed), None)
        }
        Tag::OctetString => {
            let e = <&OctetStringRef>::decode(&mut r).map_err(invalid)?;
            (None, Some(e.as_bytes()))
        }
        Tag::Sequence => r
            .sequence(|r| {
                let s = <&OctetStringRef>::decode(r)?;
                let e = <&OctetStringRef>::decode(r)?;
                Ok::<_, der::Error>((Some(s.as_bytes()), Some(e.as_bytes())))
            })
            .map_err(invalid)?,
        _ => return Err(invalid("unknown ML-DSA/ML-KEM private key encoding")),
    };
    r.finish().map_err(invalid)?;
    Ok(out)
}

fn ml_dsa_key(spec: KeySpec, inner: &[u8]) -> Result<PrivateKey> {
    let (seed, expanded) = pq_choice(inner)?;
    let seed = seed.ok_or_else(|| {
        invalid("ML-DSA private keys must include the 32-byte seed (the expanded-only form cannot be re-encoded)")
    })?;
    let key = ml_dsa_from_seed(spec, seed)?;
    if let Some(expanded) = expanded
        && expanded != ml_dsa_expanded(spec, seed)?.as_slice()
    {
        return Err(invalid("ML-DSA seed and expanded key do not agree"));
    }
    Ok(key)
}

macro_rules! with_ml_dsa {
    ($spec:expr, |$P:ident| $body:expr) => {
        match $spec {
            KeySpec::MlDsa44 => {
                type $P = ml_dsa::MlDsa44;
                $body
            }
            KeySpec::MlDsa65 => {
                type $P = ml_dsa::MlDsa65;
                $body
            }
            KeySpec::MlDsa87 => {
                type $P = ml_dsa::MlDsa87;
                $body
            }
            other => Err($crate::error::Error::validation(alloc::format!(
                "{other} is not an ML-DSA spec"
            ))),
        }
    };
}
pub(crate) use with_ml_dsa;

fn ml_dsa_seed(seed: &[u8]) -> Result<ml_dsa::Seed> {
    ml_dsa::Seed::try_from(seed).map_err(|_| invalid("ML-DSA seed must be 32 bytes"))
}

fn ml_dsa_from_seed(spec: KeySpec, seed: &[u8]) -> Result<PrivateKey> {
    let xi = ml_dsa_seed(seed)?;
    let spki = with_ml_dsa!(spec, |P| {
        let sk = ml_dsa::SigningKey::<P>::from_seed(&xi);
        signature::Keypair::verifying_key(&sk)
            .to_public_key_der()
            .map_err(invalid)
    })?;
    let alg = match spec {
        KeySpec::MlDsa44 => oid::ML_DSA_44,
        KeySpec::MlDsa65 => oid::ML_DSA_65,
        _ => oid::ML_DSA_87,
    };
    finish(
        spec,
        pkcs8_document(alg, &seed_choice(seed))?,
        spki.as_bytes(),
    )
}

fn ml_dsa_expanded(spec: KeySpec, seed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let xi = ml_dsa_seed(seed)?;
    with_ml_dsa!(spec, |P| {
        let sk = ml_dsa::ExpandedSigningKey::<P>::from_seed(&xi);
        #[allow(
            deprecated,
            reason = "the expanded form is checked against the seed, then dropped"
        )]
        let expanded = sk.to_expanded();
        Ok(Zeroizing::new(expanded.to_vec()))
    })
}

macro_rules! with_ml_kem {
    ($spec:expr, |$P:ident| $body:expr) => {
        match $spec {
            KeySpec::MlKem512 => {
                type $P = ml_kem::MlKem512;
                $body
            }
            KeySpec::MlKem768 => {
                type $P = ml_kem::MlKem768;
                $body
            }
            KeySpec::MlKem1024 => {
                type $P = ml_kem::MlKem1024;
                $body
            }
            other => Err($crate::error::Error::validation(alloc::format!(
                "{other} is not an ML-KEM spec"
            ))),
        }
    };
}
pub(crate) use with_ml_kem;

fn ml_kem_key(spec: KeySpec, inner: &[u8]) -> Result<PrivateKey> {
    let (seed, expanded) = pq_choice(inner)?;
    let seed = seed.ok_or_else(|| {
        invalid("ML-KEM private keys must include the 64-byte seed, as KMS writes them")
    })?;
    let key = ml_kem_from_seed(spec, seed)?;
    if let Some(expanded) = expanded
        && expanded != ml_kem_expanded(spec, seed)?.as_slice()
    {
        return Err(invalid("ML-KEM seed and expanded key do not agree"));
    }
    Ok(key)
}

pub(crate) fn ml_kem_seed(seed: &[u8]) -> Result<ml_kem::Seed> {
    ml_kem::Seed::try_from(seed).map_err(|_| invalid("ML-KEM seed must be 64 bytes"))
}

fn ml_kem_from_seed(spec: KeySpec, seed: &[u8]) -> Result<PrivateKey> {
    use ml_kem::KeyExport;
    let s = ml_kem_seed(seed)?;
    let ek = with_ml_kem!(spec, |P| {
        let dk = ml_kem::DecapsulationKey::<P>::from_seed(s);
        Ok(dk.encapsulation_key().to_bytes().to_vec())
    })?;
    let alg = match spec {
        KeySpec::MlKem512 => oid::ML_KEM_512,
        KeySpec::MlKem768 => oid::ML_KEM_768,
        _ => oid::ML_KEM_1024,
    };
    let spki = spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifier {
            oid: alg,
            parameters: None,
        },
        subject_public_key: der::asn1::BitStringRef::from_bytes(&ek).map_err(invalid)?,
    }
    .to_der()
    .map_err(invalid)?;
    finish(spec, pkcs8_document(alg, &seed_choice(seed))?, &spki)
}

fn ml_kem_expanded(spec: KeySpec, seed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    #[allow(
        deprecated,
        reason = "the expanded form is checked against the seed, then dropped"
    )]
    use ml_kem::ExpandedKeyEncoding;
    let s = ml_kem_seed(seed)?;
    with_ml_kem!(spec, |P| {
        let dk = ml_kem::DecapsulationKey::<P>::from_seed(s);
        #[allow(
            deprecated,
            reason = "the expanded form is checked against the seed, then dropped"
        )]
        let expanded = dk.to_expanded_bytes();
        Ok(Zeroizing::new(expanded.to_vec()))
    })
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let end = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    if start + end >= b.len() {
        &[]
    } else {
        &b[start..b.len() - end]
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    /// `ec_encode` writes what `elliptic-curve` writes for the same key, on every curve.
    #[test]
    fn ec_encoding_matches_elliptic_curve() {
        macro_rules! check {
            ($curve:ident, $spec:expr) => {
                for i in 1u8..=3 {
                    let len = $spec.info().bits.div_ceil(8) as usize;
                    let scalar = alloc::vec![i; len];
                    let sk = $curve::SecretKey::from_slice(&scalar).unwrap();
                    let key = PrivateKey::from_raw_secret($spec, &scalar).unwrap();
                    assert_eq!(key.pkcs8_der().expose(), sk.to_pkcs8_der().unwrap().as_bytes());
                    let spki = sk.public_key().to_public_key_der().unwrap();
                    assert_eq!(key.public_key().spki_der(), spki.as_bytes(), "{}", $spec);
                }
            };
        }
        check!(p256, KeySpec::EccNistP256);
        check!(p384, KeySpec::EccNistP384);
        check!(k256, KeySpec::EccSecgP256k1);
        check!(sm2, KeySpec::Sm2);
        // P-521's scalar is 66 bytes with 521 bits: keep the top byte at most 1
        let mut scalar = alloc::vec![7u8; 66];
        scalar[0] = 1;
        let sk = p521::SecretKey::from_slice(&scalar).unwrap();
        let key = PrivateKey::from_raw_secret(KeySpec::EccNistP521, &scalar).unwrap();
        assert_eq!(
            key.pkcs8_der().expose(),
            sk.to_pkcs8_der().unwrap().as_bytes()
        );
    }
}
