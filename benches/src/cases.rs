//! What is measured through kmskit: KMS Sign/Verify via `kmskit::crypto::{sign, verify}` and
//! AES-256-GCM via `Backend::aes_gcm_seal`, on each backend, with the same keys and inputs.

use crate::harness::Op;
use kmskit::backend::Backend;
use kmskit::{KeySpec, MessageType, PrivateKey, SigningAlgorithm as Alg, crypto};
use std::hint::black_box;

/// The message signed and verified: 64 bytes, as in the peers' benchmarks.
pub(crate) const MESSAGE: [u8; 64] = {
    let mut m = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        m[i] = i as u8;
        i += 1;
    }
    m
};

/// Units of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    OpsPerSec,
    MegabytesPerSec,
}

impl Unit {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Unit::OpsPerSec => "ops/s",
            Unit::MegabytesPerSec => "MB/s",
        }
    }
}

/// One kind of measured call.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Sign(KeySpec, Alg, MessageType),
    Verify(KeySpec, Alg, MessageType),
    /// AES-256-GCM encryption of a buffer of this many bytes.
    Seal(usize),
}

/// A row of the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Case {
    pub(crate) label: &'static str,
    pub(crate) kind: Kind,
    /// The key of the `openssl speed` result to compare with, if any.
    pub(crate) peer: Option<&'static str>,
    /// A footnote marker when the peer does not do exactly the same thing.
    pub(crate) peer_note: &'static str,
}

impl Case {
    pub(crate) fn unit(&self) -> Unit {
        match self.kind {
            Kind::Seal(_) => Unit::MegabytesPerSec,
            _ => Unit::OpsPerSec,
        }
    }

    fn per_call(&self) -> f64 {
        match self.kind {
            Kind::Seal(len) => len as f64 / 1e6,
            _ => 1.0,
        }
    }
}

const fn case(
    label: &'static str,
    kind: Kind,
    peer: Option<&'static str>,
    peer_note: &'static str,
) -> Case {
    Case {
        label,
        kind,
        peer,
        peer_note,
    }
}

use KeySpec as S;
use MessageType::{Digest, Raw};

/// Every row, in table order.
#[rustfmt::skip]
pub(crate) const CASES: &[Case] = &[
    case("RSA-2048 PKCS#1 v1.5 SHA-256 sign", Kind::Sign(S::Rsa2048, Alg::RsassaPkcs1V15Sha256, Raw), Some("rsa2048 sign"), ""),
    case("RSA-2048 PKCS#1 v1.5 SHA-256 verify", Kind::Verify(S::Rsa2048, Alg::RsassaPkcs1V15Sha256, Raw), Some("rsa2048 verify"), ""),
    case("RSA-2048 PSS SHA-256 sign", Kind::Sign(S::Rsa2048, Alg::RsassaPssSha256, Raw), Some("rsa2048 sign"), " ¹"),
    case("RSA-2048 PSS SHA-256 verify", Kind::Verify(S::Rsa2048, Alg::RsassaPssSha256, Raw), Some("rsa2048 verify"), " ¹"),
    case("ECDSA P-256 sign", Kind::Sign(S::EccNistP256, Alg::EcdsaSha256, Raw), Some("ecdsap256 sign"), ""),
    case("ECDSA P-256 sign, DIGEST", Kind::Sign(S::EccNistP256, Alg::EcdsaSha256, Digest), Some("ecdsap256 sign"), ""),
    case("ECDSA P-256 verify", Kind::Verify(S::EccNistP256, Alg::EcdsaSha256, Raw), Some("ecdsap256 verify"), ""),
    case("ECDSA P-256 verify, DIGEST", Kind::Verify(S::EccNistP256, Alg::EcdsaSha256, Digest), Some("ecdsap256 verify"), ""),
    case("ECDSA P-384 sign", Kind::Sign(S::EccNistP384, Alg::EcdsaSha384, Raw), Some("ecdsap384 sign"), ""),
    case("ECDSA P-384 verify", Kind::Verify(S::EccNistP384, Alg::EcdsaSha384, Raw), Some("ecdsap384 verify"), ""),
    case("ECDSA secp256k1 sign", Kind::Sign(S::EccSecgP256k1, Alg::EcdsaSha256, Raw), None, ""),
    case("ECDSA secp256k1 verify", Kind::Verify(S::EccSecgP256k1, Alg::EcdsaSha256, Raw), None, ""),
    case("Ed25519 sign", Kind::Sign(S::EccNistEdwards25519, Alg::Ed25519Sha512, Raw), Some("ed25519 sign"), ""),
    case("Ed25519 verify", Kind::Verify(S::EccNistEdwards25519, Alg::Ed25519Sha512, Raw), Some("ed25519 verify"), ""),
    case("SM2DSA sign (SM3, default ID)", Kind::Sign(S::Sm2, Alg::Sm2dsa, Raw), Some("sm2 sign"), " ²"),
    case("SM2DSA verify (SM3, default ID)", Kind::Verify(S::Sm2, Alg::Sm2dsa, Raw), Some("sm2 verify"), " ²"),
    case("ML-DSA-65 sign", Kind::Sign(S::MlDsa65, Alg::MlDsaShake256, Raw), None, ""),
    case("ML-DSA-65 verify", Kind::Verify(S::MlDsa65, Alg::MlDsaShake256, Raw), None, ""),
    case("AES-256-GCM encrypt, 16 KiB", Kind::Seal(16 * 1024), Some("aes-256-gcm 16384"), " ³"),
    case("AES-256-GCM encrypt, 1 MiB", Kind::Seal(1024 * 1024), Some("aes-256-gcm 1048576"), " ³"),
];

/// Footnotes for the `peer_note` markers.
pub(crate) const FOOTNOTES: &[&str] = &[
    "¹ `openssl speed rsa2048` signs/verifies with PKCS#1 v1.5; the PSS rows are compared with it (the padding costs a few hashes, noise next to the modular exponentiation).",
    "² SM2 is one implementation shared by both kmskit backends (RustCrypto `sm2`, `kmskit::sm2`); aws-lc-rs has no SM2. OpenSSL's row is `EVP_DigestSign/Verify` with SM3 and its own ID, Z computed per call, like KMS RAW.",
    "³ kmskit: one `Backend::aes_gcm_seal` call per buffer (key setup, a fresh output `Vec`, the 16-byte tag). OpenSSL: `EVP_EncryptUpdate` over the buffer with one long-lived context (`-evp aes-256-gcm`; the 1 MiB size via `-bytes 1048576`).",
];

/// Keys and signatures shared by all measurements: one key per spec, generated by the aws-lc
/// backend in kmskit's canonical PKCS#8, used by both backends.
#[derive(Debug)]
pub(crate) struct Fixtures {
    keys: Vec<(KeySpec, PrivateKey, Vec<u8>)>,
    digest: Vec<u8>,
    aes_key: [u8; 32],
    buffers: Vec<Vec<u8>>,
}

fn signing_alg(spec: KeySpec) -> Alg {
    match spec {
        S::Rsa2048 => Alg::RsassaPkcs1V15Sha256,
        S::EccNistP384 => Alg::EcdsaSha384,
        S::EccNistEdwards25519 => Alg::Ed25519Sha512,
        S::Sm2 => Alg::Sm2dsa,
        S::MlDsa65 => Alg::MlDsaShake256,
        _ => Alg::EcdsaSha256,
    }
}

impl Fixtures {
    pub(crate) fn new(generator: &'static dyn Backend) -> Result<Self, String> {
        let mut specs: Vec<KeySpec> = Vec::new();
        for c in CASES {
            if let Kind::Sign(s, _, _) | Kind::Verify(s, _, _) = c.kind
                && !specs.contains(&s)
            {
                specs.push(s);
            }
        }
        let mut keys = Vec::new();
        for spec in specs {
            let key = generator
                .generate_key_pair(spec)
                .map_err(|e| format!("generating a {spec} key: {e}"))?;
            // A signature over MESSAGE for the verify rows (the PSS rows sign their own).
            let sig = crypto::sign(generator, &key, signing_alg(spec), Raw, &MESSAGE)
                .map_err(|e| format!("signing with {spec}: {e}"))?;
            keys.push((spec, key, sig));
        }
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &MESSAGE)
            .as_ref()
            .to_vec();
        let mut aes_key = [0u8; 32];
        generator
            .fill_random(&mut aes_key)
            .map_err(|e| format!("random: {e}"))?;
        let buffers = CASES
            .iter()
            .filter_map(|c| match c.kind {
                Kind::Seal(len) => Some((0..len).map(|i| i as u8).collect()),
                _ => None,
            })
            .collect();
        Ok(Self {
            keys,
            digest,
            aes_key,
            buffers,
        })
    }

    pub(crate) fn key(&self, spec: KeySpec) -> Result<&PrivateKey, String> {
        self.keys
            .iter()
            .find(|(s, _, _)| *s == spec)
            .map(|(_, k, _)| k)
            .ok_or_else(|| format!("no {spec} key"))
    }

    /// The aws-lc signature over MESSAGE made with the spec's first algorithm.
    pub(crate) fn signature(&self, spec: KeySpec) -> Result<&[u8], String> {
        self.keys
            .iter()
            .find(|(s, _, _)| *s == spec)
            .map(|(_, _, sig)| sig.as_slice())
            .ok_or_else(|| format!("no {spec} signature"))
    }

    fn input(&self, mt: MessageType) -> &[u8] {
        match mt {
            Digest => &self.digest,
            _ => &MESSAGE,
        }
    }

    fn buffer(&self, len: usize) -> Result<&[u8], String> {
        self.buffers
            .iter()
            .find(|b| b.len() == len)
            .map(|b| b.as_slice())
            .ok_or_else(|| format!("no {len}-byte buffer"))
    }

    pub(crate) fn digest(&self) -> &[u8] {
        &self.digest
    }

    pub(crate) fn aes_key(&self) -> &[u8; 32] {
        &self.aes_key
    }
}

/// Builds the timed closure for `case` on `backend`, after checking once that it gives a
/// correct answer (a signature made by `backend` verifies on aws-lc, and the reverse).
pub(crate) fn make_op<'a>(
    case: &Case,
    backend: &'static dyn Backend,
    fx: &'a Fixtures,
) -> Result<Op<'a>, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("{} on {}: {what}: {e}", case.label, backend.name())
    };
    match case.kind {
        Kind::Sign(spec, alg, mt) => {
            let key = fx.key(spec)?;
            let input = fx.input(mt);
            let sig = crypto::sign(backend, key, alg, mt, input).map_err(|e| fail("sign", &e))?;
            let check = crypto::verify(
                kmskit::backend::AWS_LC,
                key.public_key(),
                alg,
                mt,
                input,
                &sig,
                None,
            )
            .map_err(|e| fail("verify on aws-lc", &e))?;
            if !check {
                return Err(fail("check", &"the signature does not verify on aws-lc"));
            }
            Ok(Box::new(move || {
                let sig = crypto::sign(backend, key, alg, mt, black_box(input))
                    .map_err(|e| e.to_string())?;
                black_box(sig);
                Ok(())
            }))
        }
        Kind::Verify(spec, alg, mt) => {
            let key = fx.key(spec)?;
            let input = fx.input(mt);
            // The verify rows check a signature made by the other backend where they differ.
            let sig = if alg == signing_alg(spec) {
                fx.signature(spec)?.to_vec()
            } else {
                crypto::sign(kmskit::backend::AWS_LC, key, alg, Raw, &MESSAGE)
                    .map_err(|e| fail("sign on aws-lc", &e))?
            };
            let public = key.public_key();
            let once = crypto::verify(backend, public, alg, mt, input, &sig, None)
                .map_err(|e| fail("verify", &e))?;
            if !once {
                return Err(fail("check", &"a valid signature does not verify"));
            }
            Ok(Box::new(move || {
                let ok = crypto::verify(backend, public, alg, mt, black_box(input), &sig, None)
                    .map_err(|e| e.to_string())?;
                if black_box(ok) {
                    Ok(())
                } else {
                    Err("a valid signature stopped verifying".into())
                }
            }))
        }
        Kind::Seal(len) => {
            let key = fx.aes_key();
            let plaintext = fx.buffer(len)?;
            let nonce = [7u8; 12];
            let ct = backend
                .aes_gcm_seal(key, &nonce, &[], plaintext)
                .map_err(|e| fail("seal", &e))?;
            let back = kmskit::backend::AWS_LC
                .aes_gcm_open(key, &nonce, &[], &ct)
                .map_err(|e| fail("open on aws-lc", &e))?;
            if back.expose() != plaintext {
                return Err(fail("check", &"AES-GCM round trip mismatch"));
            }
            Ok(Box::new(move || {
                let ct = backend
                    .aes_gcm_seal(key, &nonce, &[], black_box(plaintext))
                    .map_err(|e| e.to_string())?;
                black_box(ct);
                Ok(())
            }))
        }
    }
}

/// Measures `case` on `backend` once (warm-up + one timed window).
pub(crate) fn measure(
    case: &Case,
    backend: &'static dyn Backend,
    fx: &Fixtures,
    settings: crate::harness::Settings,
) -> Result<crate::harness::Measurement, String> {
    let mut op = make_op(case, backend, fx)?;
    crate::harness::measure(&mut op, settings, case.per_call())
}
