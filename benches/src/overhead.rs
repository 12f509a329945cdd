//! Where the time of a kmskit call goes. The backends get keys in kmskit's canonical form
//! (PKCS#8 DER, SPKI DER) and set them up on every call: parse, validate, and whatever the
//! library derives from a key (public point, Montgomery contexts, expanded key). Here the same
//! library calls the backend makes are timed three ways:
//!
//! - "fresh key": set up the key and use it once, per call (what the backend does);
//! - "key parsed once": the same operation with one key set up outside the loop;
//! - "setup alone": the key setup call alone.
//!
//! "fresh key" ≈ the kmskit call shows kmskit's own layer is cheap; "fresh key" − "key parsed
//! once" is the per-call key cost (it can exceed "setup alone" when the library builds per-key
//! state lazily on first use).

use crate::cases::{Fixtures, MESSAGE};
use crate::harness::{Op, Settings, measure};
use kmskit::KeySpec;
use std::hint::black_box;

/// One breakdown row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row {
    /// Label; also the label of the matching main-table case.
    pub(crate) case_label: &'static str,
    /// `"aws-lc"`, `"rustcrypto"`, or `"shared"` (one implementation for both).
    pub(crate) backend: &'static str,
    /// The per-call key setup (library calls).
    pub(crate) setup: &'static str,
    /// Bytes per call for throughput rows (0 for ops).
    pub(crate) bytes: usize,
}

/// The rows, in order.
#[rustfmt::skip]
pub(crate) const ROWS: &[Row] = &[
    row("ECDSA P-256 verify", "aws-lc", "`ParsedPublicKey::new` (SPKI)"),
    row("ECDSA P-256 verify, DIGEST", "aws-lc", "`ParsedPublicKey::new` (SPKI)"),
    row("RSA-2048 PKCS#1 v1.5 SHA-256 verify", "aws-lc", "`ParsedPublicKey::new` (SPKI)"),
    row("ECDSA P-256 sign", "aws-lc", "`EcdsaKeyPair::from_pkcs8`"),
    row("RSA-2048 PKCS#1 v1.5 SHA-256 sign", "aws-lc", "`rsa::KeyPair::from_pkcs8`"),
    row("Ed25519 sign", "aws-lc", "`Ed25519KeyPair::from_pkcs8_maybe_unchecked`"),
    row("ML-DSA-65 sign", "aws-lc", "`PqdsaKeyPair::from_pkcs8`"),
    Row {
        case_label: "AES-256-GCM encrypt, 16 KiB",
        backend: "aws-lc",
        setup: "`UnboundKey::new` + `LessSafeKey::new`",
        bytes: 16 * 1024,
    },
    row("ECDSA P-256 sign", "rustcrypto", "`raw_secret()` + `SigningKey::from_slice`"),
    row("ECDSA P-256 verify", "rustcrypto", "`VerifyingKey::from_sec1_bytes`"),
    row("Ed25519 sign", "rustcrypto", "`raw_secret()` + `SigningKey::from_bytes`"),
    row("RSA-2048 PKCS#1 v1.5 SHA-256 sign", "rustcrypto", "`RsaPrivateKey::from_pkcs8_der`"),
    row("RSA-2048 PKCS#1 v1.5 SHA-256 verify", "rustcrypto", "`RsaPublicKey::from_public_key_der`"),
    row("ML-DSA-65 sign", "rustcrypto", "`raw_secret()` + `ExpandedSigningKey::from_seed`"),
    row("SM2DSA sign (SM3, default ID)", "shared", "`raw_secret()` + `sm2::dsa::SigningKey::new`"),
    row("SM2DSA verify (SM3, default ID)", "shared", "`PublicKey::from_sec1_bytes` + `VerifyingKey::new`"),
];

const fn row(case_label: &'static str, backend: &'static str, setup: &'static str) -> Row {
    Row {
        case_label,
        backend,
        setup,
        bytes: 0,
    }
}

fn ok<T>(r: Result<T, impl std::fmt::Debug>, what: &str) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {e:?}"))
}

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(format!("{what} failed"))
    }
}

/// An RNG for the RustCrypto APIs that take one: aws-lc's DRBG (the RustCrypto backend uses the
/// operating system's; both are far cheaper than the signing they feed).
struct OsRng;

impl rand_core::TryRng for OsRng {
    type Error = aws_lc_rs::error::Unspecified;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        aws_lc_rs::rand::fill(dst)
    }
}

impl rand_core::TryCryptoRng for OsRng {}

/// The three timed closures of a row.
struct Ops<'a> {
    setup: Op<'a>,
    math: Op<'a>,
    fresh: Op<'a>,
}

/// Builds the three closures from a key setup and a use of the key.
fn ops3<'a, K: 'a>(
    setup: impl Fn() -> Result<K, String> + Clone + 'a,
    use_key: impl FnMut(&K) -> Result<(), String> + Clone + 'a,
) -> Result<Ops<'a>, String> {
    let key = setup()?;
    let (setup2, mut use2, mut use3) = (setup.clone(), use_key.clone(), use_key);
    // Check once that the operation succeeds.
    use2(&key)?;
    Ok(Ops {
        setup: Box::new(move || {
            black_box(setup()?);
            Ok(())
        }),
        math: Box::new(move || use2(black_box(&key))),
        fresh: Box::new(move || {
            let k = setup2()?;
            use3(black_box(&k))
        }),
    })
}

fn ops<'a>(row: &Row, fx: &'a Fixtures) -> Result<Ops<'a>, String> {
    use aws_lc_rs::signature as sig;
    let msg: &'static [u8] = &MESSAGE;
    match (row.backend, row.case_label) {
        ("aws-lc", label) if label.starts_with("ECDSA P-256 verify") => {
            let spki = fx.key(KeySpec::EccNistP256)?.public_key().spki_der();
            let s = fx.signature(KeySpec::EccNistP256)?;
            let alg = &sig::ECDSA_P256_SHA256_ASN1;
            let setup = move || ok(sig::ParsedPublicKey::new(alg, black_box(spki)), "parse");
            if label.ends_with("DIGEST") {
                let d = ok(
                    aws_lc_rs::digest::Digest::import_less_safe(
                        fx.digest(),
                        &aws_lc_rs::digest::SHA256,
                    ),
                    "digest",
                )?;
                ops3(setup, move |pk: &sig::ParsedPublicKey| {
                    check(pk.verify_digest_sig(black_box(&d), s).is_ok(), "verify")
                })
            } else {
                ops3(setup, move |pk: &sig::ParsedPublicKey| {
                    check(pk.verify_sig(black_box(msg), s).is_ok(), "verify")
                })
            }
        }
        ("aws-lc", "RSA-2048 PKCS#1 v1.5 SHA-256 verify") => {
            let spki = fx.key(KeySpec::Rsa2048)?.public_key().spki_der();
            let s = fx.signature(KeySpec::Rsa2048)?;
            let alg = &sig::RSA_PKCS1_2048_8192_SHA256;
            ops3(
                move || ok(sig::ParsedPublicKey::new(alg, black_box(spki)), "parse"),
                move |pk: &sig::ParsedPublicKey| {
                    check(pk.verify_sig(black_box(msg), s).is_ok(), "verify")
                },
            )
        }
        ("aws-lc", "ECDSA P-256 sign") => {
            let der = fx.key(KeySpec::EccNistP256)?.pkcs8_der().expose();
            let alg = &sig::ECDSA_P256_SHA256_ASN1_SIGNING;
            let rng = aws_lc_rs::rand::SystemRandom::new();
            ops3(
                move || ok(sig::EcdsaKeyPair::from_pkcs8(alg, black_box(der)), "parse"),
                move |kp: &sig::EcdsaKeyPair| {
                    black_box(ok(kp.sign(&rng, black_box(msg)), "sign")?);
                    Ok(())
                },
            )
        }
        ("aws-lc", "RSA-2048 PKCS#1 v1.5 SHA-256 sign") => {
            let der = fx.key(KeySpec::Rsa2048)?.pkcs8_der().expose();
            let rng = aws_lc_rs::rand::SystemRandom::new();
            let mut out = vec![0u8; 256];
            ops3(
                move || ok(aws_lc_rs::rsa::KeyPair::from_pkcs8(black_box(der)), "parse"),
                move |kp: &aws_lc_rs::rsa::KeyPair| {
                    ok(
                        kp.sign(&sig::RSA_PKCS1_SHA256, &rng, black_box(msg), &mut out),
                        "sign",
                    )?;
                    black_box(&out);
                    Ok(())
                },
            )
        }
        ("aws-lc", "Ed25519 sign") => {
            let der = fx.key(KeySpec::EccNistEdwards25519)?.pkcs8_der().expose();
            ops3(
                move || {
                    ok(
                        sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(black_box(der)),
                        "parse",
                    )
                },
                move |kp: &sig::Ed25519KeyPair| {
                    black_box(kp.sign(black_box(msg)));
                    Ok(())
                },
            )
        }
        ("aws-lc", "ML-DSA-65 sign") => {
            let der = fx.key(KeySpec::MlDsa65)?.pkcs8_der().expose();
            let alg = &sig::ML_DSA_65_SIGNING;
            let mut out = vec![0u8; alg.signature_len()];
            ops3(
                move || ok(sig::PqdsaKeyPair::from_pkcs8(alg, black_box(der)), "parse"),
                move |kp: &sig::PqdsaKeyPair| {
                    ok(kp.sign(black_box(msg), &mut out), "sign")?;
                    black_box(&out);
                    Ok(())
                },
            )
        }
        ("aws-lc", "AES-256-GCM encrypt, 16 KiB") => {
            use aws_lc_rs::aead;
            let key = fx.aes_key();
            let plaintext: Vec<u8> = (0..row.bytes).map(|i| i as u8).collect();
            let mut buf = Vec::with_capacity(row.bytes + 16);
            ops3(
                move || {
                    ok(aead::UnboundKey::new(&aead::AES_256_GCM, key), "AES key")
                        .map(aead::LessSafeKey::new)
                },
                move |k: &aead::LessSafeKey| {
                    buf.clear();
                    buf.extend_from_slice(&plaintext);
                    ok(
                        k.seal_in_place_append_tag(
                            aead::Nonce::assume_unique_for_key([7u8; 12]),
                            aead::Aad::empty(),
                            &mut buf,
                        ),
                        "seal",
                    )?;
                    black_box(&buf);
                    Ok(())
                },
            )
        }
        ("rustcrypto", "ECDSA P-256 sign") => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            let key = fx.key(KeySpec::EccNistP256)?;
            let ph = fx.digest();
            ops3(
                move || {
                    let scalar = black_box(key).raw_secret().ok_or("no scalar")?;
                    ok(
                        p256::ecdsa::SigningKey::from_slice(scalar.expose()),
                        "scalar",
                    )
                },
                move |sk: &p256::ecdsa::SigningKey| {
                    let s: p256::ecdsa::Signature = ok(sk.sign_prehash(black_box(ph)), "sign")?;
                    black_box(s.to_der());
                    Ok(())
                },
            )
        }
        ("rustcrypto", "ECDSA P-256 verify") => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let point = fx.key(KeySpec::EccNistP256)?.public_key().key_bytes();
            let s = ok(
                p256::ecdsa::Signature::from_der(fx.signature(KeySpec::EccNistP256)?),
                "DER signature",
            )?
            .normalize_s();
            let ph = fx.digest();
            ops3(
                move || {
                    ok(
                        p256::ecdsa::VerifyingKey::from_sec1_bytes(black_box(point)),
                        "parse",
                    )
                },
                move |vk: &p256::ecdsa::VerifyingKey| {
                    check(vk.verify_prehash(black_box(ph), &s).is_ok(), "verify")
                },
            )
        }
        ("rustcrypto", "Ed25519 sign") => {
            use ed25519_dalek::Signer;
            let key = fx.key(KeySpec::EccNistEdwards25519)?;
            ops3(
                move || {
                    let seed = black_box(key).raw_secret().ok_or("no seed")?;
                    let seed: [u8; 32] = ok(seed.expose().try_into(), "seed length")?;
                    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
                },
                move |sk: &ed25519_dalek::SigningKey| {
                    black_box(sk.sign(black_box(msg)));
                    Ok(())
                },
            )
        }
        ("rustcrypto", "RSA-2048 PKCS#1 v1.5 SHA-256 sign") => {
            use rsa::pkcs8::DecodePrivateKey;
            use rsa::signature::hazmat::PrehashSigner;
            let der = fx.key(KeySpec::Rsa2048)?.pkcs8_der().expose();
            let ph = fx.digest();
            ops3(
                move || {
                    let sk = ok(rsa::RsaPrivateKey::from_pkcs8_der(black_box(der)), "parse")?;
                    Ok(rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(sk))
                },
                move |signer: &rsa::pkcs1v15::SigningKey<rsa::sha2::Sha256>| {
                    black_box(ok(signer.sign_prehash(black_box(ph)), "sign")?);
                    Ok(())
                },
            )
        }
        ("rustcrypto", "RSA-2048 PKCS#1 v1.5 SHA-256 verify") => {
            use rsa::pkcs8::DecodePublicKey;
            use rsa::signature::hazmat::PrehashVerifier;
            let spki = fx.key(KeySpec::Rsa2048)?.public_key().spki_der();
            let s = ok(
                rsa::pkcs1v15::Signature::try_from(fx.signature(KeySpec::Rsa2048)?),
                "RSA signature",
            )?;
            let ph = fx.digest();
            ops3(
                move || {
                    let pk = ok(
                        rsa::RsaPublicKey::from_public_key_der(black_box(spki)),
                        "parse",
                    )?;
                    Ok(rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(pk))
                },
                move |vk: &rsa::pkcs1v15::VerifyingKey<rsa::sha2::Sha256>| {
                    check(vk.verify_prehash(black_box(ph), &s).is_ok(), "verify")
                },
            )
        }
        ("rustcrypto", "ML-DSA-65 sign") => {
            let key = fx.key(KeySpec::MlDsa65)?;
            ops3(
                move || {
                    let seed = black_box(key).raw_secret().ok_or("no seed")?;
                    let xi = ok(ml_dsa::Seed::try_from(seed.expose()), "seed length")?;
                    Ok(ml_dsa::ExpandedSigningKey::<ml_dsa::MlDsa65>::from_seed(
                        &xi,
                    ))
                },
                // Randomized, as the backend signs: the number of rejection-sampling rounds
                // then varies per call as it does in the kmskit call (a deterministic signature
                // of one fixed message would always take the same number of rounds).
                move |sk: &ml_dsa::ExpandedSigningKey<ml_dsa::MlDsa65>| {
                    black_box(ok(
                        sk.sign_randomized(black_box(msg), &[], &mut OsRng),
                        "sign",
                    )?);
                    Ok(())
                },
            )
        }
        ("shared", "SM2DSA sign (SM3, default ID)") => {
            use sm2::dsa::signature::hazmat::PrehashSigner;
            let key = fx.key(KeySpec::Sm2)?;
            let public = key.public_key();
            ops3(
                move || {
                    let scalar = black_box(key).raw_secret().ok_or("no scalar")?;
                    let sk = ok(sm2::SecretKey::from_slice(scalar.expose()), "scalar")?;
                    ok(sm2::dsa::SigningKey::new("", &sk), "signing key")
                },
                move |sk: &sm2::dsa::SigningKey| {
                    let e = kmskit::sm2::digest(
                        public,
                        black_box(msg),
                        kmskit::sm2::DEFAULT_DISTINGUISHING_ID,
                    )
                    .map_err(|e| e.to_string())?;
                    let s: sm2::dsa::Signature = ok(sk.sign_prehash(&e), "sign")?;
                    black_box(s.to_der());
                    Ok(())
                },
            )
        }
        ("shared", "SM2DSA verify (SM3, default ID)") => {
            use sm2::dsa::signature::hazmat::PrehashVerifier;
            let public = fx.key(KeySpec::Sm2)?.public_key();
            let s = ok(
                sm2::dsa::Signature::from_der(fx.signature(KeySpec::Sm2)?),
                "DER signature",
            )?;
            ops3(
                move || {
                    let p = ok(
                        sm2::PublicKey::from_sec1_bytes(black_box(public).key_bytes()),
                        "point",
                    )?;
                    ok(sm2::dsa::VerifyingKey::new("", p), "verifying key")
                },
                move |vk: &sm2::dsa::VerifyingKey| {
                    let e = kmskit::sm2::digest(
                        public,
                        black_box(msg),
                        kmskit::sm2::DEFAULT_DISTINGUISHING_ID,
                    )
                    .map_err(|e| e.to_string())?;
                    check(vk.verify_prehash(&e, &s).is_ok(), "verify")
                },
            )
        }
        (b, l) => Err(format!("no breakdown for {l} on {b}")),
    }
}

/// One row, measured once: µs per call of (setup alone, math with the key parsed once, fresh
/// key per call).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    pub(crate) setup_us: f64,
    pub(crate) math_us: f64,
    pub(crate) fresh_us: f64,
}

pub(crate) fn measure_row(row: &Row, fx: &Fixtures, settings: Settings) -> Result<Sample, String> {
    let mut o = ops(row, fx)?;
    Ok(Sample {
        setup_us: 1e6 / measure(&mut o.setup, settings, 1.0)?.rate,
        math_us: 1e6 / measure(&mut o.math, settings, 1.0)?.rate,
        fresh_us: 1e6 / measure(&mut o.fresh, settings, 1.0)?.rate,
    })
}
