//! The independent golden vectors of `testdata/offline/vectors.json` (made by the OpenSSL 3 CLI,
//! Python `cryptography` and the JDK; see `testdata/offline/README.md`) through the offline API
//! on every backend: verify, encrypt → decrypt, decrypt of OpenSSL ciphertexts, ECDH, ML-KEM
//! decapsulation, the SM2 digest and ciphertext conversions, the ML-DSA μ and the ECDSA
//! signature encodings.
//!
//! Each test collects every mismatch before failing, so one run lists all of them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use kmskit::backend;
use kmskit::crypto;
use kmskit::offline;
use kmskit::sm2::CiphertextOrder;
use kmskit::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, MessageType, PrivateKey,
    PublicKey, SigningAlgorithm,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::OnceLock;

fn vectors() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/offline/vectors.json"
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

fn cases(section: &str) -> &'static [Value] {
    vectors()[section]
        .as_array()
        .unwrap_or_else(|| panic!("vectors.json has no section {section}"))
}

fn s<'a>(c: &'a Value, field: &str) -> &'a str {
    c[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} missing in {c}"))
}

fn hex_field(c: &Value, field: &str) -> Vec<u8> {
    hex::decode(s(c, field)).unwrap()
}

/// A key reference: `name` (DER SubjectPublicKeyInfo) or `name:pem` (its PEM).
fn public_key(reference: &str) -> Vec<u8> {
    let (name, pem) = match reference.strip_suffix(":pem") {
        Some(n) => (n, true),
        None => (reference, false),
    };
    let k = &vectors()["keys"][name];
    assert!(k.is_object(), "no key {name}");
    if pem {
        s(k, "pem").as_bytes().to_vec()
    } else {
        hex_field(k, "der_hex")
    }
}

fn private_pem(name: &str) -> &'static str {
    s(&vectors()["keys"][name], "private_pem")
}

fn private_key(name: &str) -> PrivateKey {
    PrivateKey::parse(private_pem(name).as_bytes())
        .unwrap_or_else(|e| panic!("private key {name}: {e}"))
}

/// Compares a result with the vector's `expect`: `true` → `Ok` that `ok` accepts, `false` →
/// `Ok(false)` (verify only), a string → an error with that KMS exception name.
fn check<T: Debug>(
    failures: &mut Vec<String>,
    label: &str,
    expect: &Value,
    got: kmskit::Result<T>,
    ok: impl FnOnce(&T) -> Result<(), String>,
) {
    match (expect, got) {
        (Value::String(code), Err(e)) if e.code().as_str() == code => {}
        (Value::String(code), Err(e)) => failures.push(format!("{label}: want {code}, got {e}")),
        (Value::String(code), Ok(v)) => {
            let shown: String = format!("{v:?}").chars().take(80).collect();
            failures.push(format!("{label}: want {code}, got Ok({shown})"));
        }
        (Value::Bool(_), Ok(v)) => {
            if let Err(why) = ok(&v) {
                failures.push(format!("{label}: {why}"));
            }
        }
        (Value::Bool(_), Err(e)) => failures.push(format!("{label}: want success, got {e}")),
        (other, _) => panic!("{label}: bad expect {other}"),
    }
}

fn finish(section: &str, checked: usize, failures: &[String]) {
    assert!(checked > 0, "{section}: nothing checked");
    assert!(
        failures.is_empty(),
        "{section}: {} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn both_backends_are_compiled_for_tests() {
    let names: Vec<_> = backend::all().iter().map(|b| b.name()).collect();
    assert_eq!(names, ["aws-lc", "rustcrypto"]);
}

#[test]
fn keys_parse_to_their_spec_and_private_keys_match() {
    let keys = vectors()["keys"].as_object().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, k) in keys {
        let der = hex_field(k, "der_hex");
        let Some(spec) = k["spec"].as_str() else {
            // the deliberately malformed key
            checked += 1;
            if PublicKey::parse(&der).is_ok() {
                failures.push(format!("{name}: malformed key parsed"));
            }
            continue;
        };
        let spec = KeySpec::parse(spec).unwrap();
        for input in [der.clone(), s(k, "pem").as_bytes().to_vec()] {
            checked += 1;
            match offline::describe_public_key(&input) {
                Ok(d) if d.key_spec == spec => {
                    if PublicKey::parse(d.pem.as_bytes()).unwrap().spki_der() != der {
                        failures.push(format!("{name}: describe's PEM is another key"));
                    }
                }
                Ok(d) => failures.push(format!("{name}: spec {} instead of {spec}", d.key_spec)),
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        if k.get("private_pem").is_none() {
            continue;
        }
        checked += 1;
        match PrivateKey::parse(private_pem(name).as_bytes()) {
            Ok(key) => {
                if key.spec() != spec || key.public_key().spki_der() != der {
                    failures.push(format!(
                        "{name}: private key's public half differs from der_hex"
                    ));
                }
                for b in backend::all() {
                    match b.public_key_der(&key) {
                        Ok(d) if d == der => {}
                        Ok(_) => failures.push(format!("{name}: {} derives another key", b.name())),
                        Err(e) => failures.push(format!("{name}: {}: {e}", b.name())),
                    }
                }
            }
            Err(e) => failures.push(format!("{name}: private_pem: {e}")),
        }
    }
    finish("keys", checked, &failures);
}

#[test]
fn verify_cases_on_every_backend() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in backend::all() {
        for c in cases("verify") {
            let label = format!("{} / {}", b.name(), s(c, "name"));
            let id = c.get("distinguishing_id").map(|v| v.as_str().unwrap());
            let got = offline::verify_with(
                b,
                &public_key(s(c, "key")),
                &hex_field(c, "message_hex"),
                &hex_field(c, "signature_hex"),
                SigningAlgorithm::parse(s(c, "algorithm")).unwrap(),
                MessageType::parse(s(c, "message_type")).unwrap(),
                id.map(str::as_bytes),
            );
            checked += 1;
            let expect = &c["expect"];
            check(&mut failures, &label, expect, got, |&v| {
                if Value::Bool(v) == *expect {
                    Ok(())
                } else {
                    Err(format!("want {expect}, got {v}"))
                }
            });
        }
    }
    finish("verify", checked, &failures);
}

#[test]
fn encrypt_cases_round_trip_on_every_backend() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in backend::all() {
        for c in cases("encrypt") {
            let label = format!("{} / {}", b.name(), s(c, "name"));
            let key_ref = s(c, "key");
            let alg = EncryptionAlgorithm::parse(s(c, "algorithm")).unwrap();
            let plaintext = hex_field(c, "plaintext_hex");
            let got = offline::encrypt_with(b, &public_key(key_ref), &plaintext, alg);
            checked += 1;
            check(&mut failures, &label, &c["expect"], got, |ct| {
                // Decrypt with the test private key, on every backend.
                let key = private_key(key_ref.trim_end_matches(":pem"));
                if key.spec().info().family == kmskit::spec::KeyFamily::Rsa
                    && ct.len() != key.spec().info().bits as usize / 8
                {
                    return Err(format!("RSA ciphertext of {} bytes", ct.len()));
                }
                for d in backend::all() {
                    match crypto::decrypt(d, &key, alg, ct) {
                        Ok(pt) if pt.expose() == plaintext.as_slice() => {}
                        Ok(_) => return Err(format!("{} decrypts to other bytes", d.name())),
                        Err(e) => return Err(format!("{} cannot decrypt: {e}", d.name())),
                    }
                }
                Ok(())
            });
        }
    }
    finish("encrypt", checked, &failures);
}

#[test]
fn decrypt_cases_of_openssl_ciphertexts_on_every_backend() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in backend::all() {
        for c in cases("decrypt") {
            let label = format!("{} / {}", b.name(), s(c, "name"));
            let key = private_key(s(c, "key"));
            let alg = EncryptionAlgorithm::parse(s(c, "algorithm")).unwrap();
            let got = crypto::decrypt(b, &key, alg, &hex_field(c, "ciphertext_hex"));
            checked += 1;
            check(&mut failures, &label, &c["expect"], got, |pt| {
                let want = hex_field(c, "plaintext_hex");
                if pt.expose() == want.as_slice() {
                    Ok(())
                } else {
                    Err(format!(
                        "decrypts to {} instead of {}",
                        hex::encode(pt.expose()),
                        hex::encode(&want)
                    ))
                }
            });
        }
    }
    finish("decrypt", checked, &failures);
}

#[test]
fn derive_shared_secret_cases_on_every_backend() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in backend::all() {
        for c in cases("derive_shared_secret") {
            let label = format!("{} / {}", b.name(), s(c, "name"));
            let got = offline::derive_shared_secret_with(
                b,
                private_pem(s(c, "private_key")).as_bytes(),
                &public_key(s(c, "public_key")),
                KeyAgreementAlgorithm::parse(s(c, "algorithm")).unwrap(),
            );
            checked += 1;
            check(&mut failures, &label, &c["expect"], got, |secret| {
                let want = hex_field(c, "shared_secret_hex");
                if secret.expose() == want.as_slice() {
                    Ok(())
                } else {
                    Err(format!(
                        "derives {} instead of {}",
                        hex::encode(secret.expose()),
                        hex::encode(&want)
                    ))
                }
            });
        }
    }
    finish("derive_shared_secret", checked, &failures);
}

#[test]
fn decapsulate_cases_on_every_backend() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for b in backend::all() {
        for c in cases("decapsulate") {
            let label = format!("{} / {}", b.name(), s(c, "name"));
            let key = private_key(s(c, "key"));
            let got = crypto::decapsulate(b, &key, &hex_field(c, "ciphertext_hex"));
            checked += 1;
            check(&mut failures, &label, &c["expect"], got, |secret| {
                let want = hex_field(c, "shared_secret_hex");
                if secret.expose() == want.as_slice() {
                    Ok(())
                } else {
                    Err(format!(
                        "decapsulates to {} instead of {}",
                        hex::encode(secret.expose()),
                        hex::encode(&want)
                    ))
                }
            });
        }
        // Encapsulate to every ML-KEM key of the file; its private key must decapsulate.
        for (name, k) in vectors()["keys"].as_object().unwrap() {
            let is_kem = k["spec"]
                .as_str()
                .is_some_and(|spec| spec.starts_with("ML_KEM_"));
            if !is_kem {
                continue;
            }
            checked += 1;
            let label = format!("{} / encapsulate to {name}", b.name());
            match offline::encapsulate_with(b, &public_key(name)) {
                Ok((secret, ct)) => match crypto::decapsulate(b, &private_key(name), &ct) {
                    Ok(again) if again == secret => {}
                    other => failures.push(format!("{label}: decapsulates to {other:?}")),
                },
                Err(e) => failures.push(format!("{label}: {e}")),
            }
        }
    }
    finish("decapsulate", checked, &failures);
}

#[test]
fn sm2_digest_cases() {
    let mut failures = Vec::new();
    for c in cases("sm2_digest") {
        let id = c.get("distinguishing_id").map(|v| v.as_str().unwrap());
        let got = offline::sm2_digest(
            &public_key(s(c, "key")),
            &hex_field(c, "message_hex"),
            id.map(str::as_bytes),
        );
        match got {
            Ok(e) if e.as_slice() == hex_field(c, "digest_hex") => {}
            other => failures.push(format!("{}: got {other:?}", s(c, "name"))),
        }
    }
    finish("sm2_digest", cases("sm2_digest").len(), &failures);
}

#[test]
fn sm2_ciphertext_conversion_cases() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in cases("sm2_ciphertext") {
        let name = s(c, "name");
        let der = hex_field(c, "der_hex");
        for (order, field) in [
            (CiphertextOrder::C1C3C2, "c1c3c2_hex"),
            (CiphertextOrder::C1C2C3, "c1c2c3_hex"),
        ] {
            let raw = hex_field(c, field);
            checked += 3;
            match offline::sm2_ciphertext_from_der(&der, order) {
                Ok(r) if r == raw => {}
                other => failures.push(format!("{name}: from_der {order:?}: {other:?}")),
            }
            match offline::sm2_ciphertext_to_der(&raw, order) {
                Ok(d) if d == der => {}
                other => failures.push(format!("{name}: to_der {order:?}: {other:?}")),
            }
            // C1 without the 04 prefix, as some libraries write it.
            match offline::sm2_ciphertext_to_der(&raw[1..], order) {
                Ok(d) if d == der => {}
                other => failures.push(format!("{name}: to_der {order:?} without 04: {other:?}")),
            }
        }
    }
    finish("sm2_ciphertext", checked, &failures);
}

#[test]
fn ml_dsa_mu_cases() {
    let mut failures = Vec::new();
    for c in cases("ml_dsa_mu") {
        match offline::ml_dsa_mu(&public_key(s(c, "key")), &hex_field(c, "message_hex")) {
            Ok(mu) if mu.as_slice() == hex_field(c, "mu_hex") => {}
            other => failures.push(format!("{}: got {other:?}", s(c, "name"))),
        }
    }
    finish("ml_dsa_mu", cases("ml_dsa_mu").len(), &failures);
}

#[test]
fn ecdsa_encoding_cases() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in cases("ecdsa_encodings") {
        let name = s(c, "name");
        let spec = KeySpec::parse(s(c, "key_spec")).unwrap();
        let der = hex_field(c, "der_hex");
        let p1363 = hex_field(c, "p1363_hex");
        checked += 2;
        match offline::der_to_p1363(&der, spec) {
            Ok(v) if v == p1363 => {}
            other => failures.push(format!("{name}: der_to_p1363: {other:?}")),
        }
        match offline::p1363_to_der(&p1363, spec) {
            Ok(v) if v == der => {}
            other => failures.push(format!("{name}: p1363_to_der: {other:?}")),
        }
        checked += 1;
        match (c.get("low_s_der_hex"), offline::normalize_low_s(&der, spec)) {
            (Some(want), Ok(v)) if v == hex::decode(want.as_str().unwrap()).unwrap() => {}
            (None, Err(e)) if e.code().as_str() == "InvalidKeyUsageException" => {}
            (want, got) => failures.push(format!(
                "{name}: normalize_low_s: want {want:?}, got {got:?}"
            )),
        }
    }
    finish("ecdsa_encodings", checked, &failures);
}

/// Not an independent vector (no tool here recovers secp256k1 public keys), but a property of
/// the OpenSSL signatures: the recovery ID is 0 or 1, and flipping s flips it.
#[test]
fn secp256k1_recovery_id_flips_with_s() {
    let find = |name: &str| {
        cases("verify")
            .iter()
            .find(|c| s(c, "name") == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let hi = find("ECDSA_SHA_256 secp256k1 RAW, high-S form");
    let lo = find("ECDSA_SHA_256 secp256k1 RAW, low-S form");
    let key = public_key("secp256k1");
    let digest = {
        use sha2::Digest as _;
        sha2::Sha256::digest(hex_field(hi, "message_hex")).to_vec()
    };
    let a = offline::secp256k1_recovery_id(&key, &digest, &hex_field(hi, "signature_hex")).unwrap();
    let b = offline::secp256k1_recovery_id(&key, &digest, &hex_field(lo, "signature_hex")).unwrap();
    assert!(a <= 1 && b <= 1 && a != b, "high-S {a}, low-S {b}");
    let other = public_key("secp256k1-other");
    let e = offline::secp256k1_recovery_id(&other, &digest, &hex_field(lo, "signature_hex"))
        .unwrap_err();
    assert_eq!(e.code().as_str(), "ValidationException");
}

/// The vectors cover every (spec, signing algorithm, message type) and every encryption and key
/// agreement pair that KMS allows, with a positive case made by an independent tool.
#[test]
fn vectors_cover_every_kms_combination() {
    let spec_of = |key_ref: &str| {
        let name = key_ref.trim_end_matches(":pem");
        KeySpec::parse(s(&vectors()["keys"][name], "spec")).unwrap()
    };
    let positive = |c: &&Value| c["expect"] == Value::Bool(true);
    let signed: BTreeSet<(KeySpec, SigningAlgorithm, MessageType)> = cases("verify")
        .iter()
        .filter(positive)
        .map(|c| {
            (
                spec_of(s(c, "key")),
                SigningAlgorithm::parse(s(c, "algorithm")).unwrap(),
                MessageType::parse(s(c, "message_type")).unwrap(),
            )
        })
        .collect();
    let encrypted: BTreeSet<(KeySpec, EncryptionAlgorithm)> = cases("decrypt")
        .iter()
        .filter(positive)
        .map(|c| {
            (
                spec_of(s(c, "key")),
                EncryptionAlgorithm::parse(s(c, "algorithm")).unwrap(),
            )
        })
        .collect();
    let agreed: BTreeSet<KeySpec> = cases("derive_shared_secret")
        .iter()
        .filter(positive)
        .map(|c| spec_of(s(c, "private_key")))
        .collect();
    let decapsulated: BTreeSet<KeySpec> = cases("decapsulate")
        .iter()
        .filter(positive)
        .map(|c| spec_of(s(c, "key")))
        .collect();
    let mut missing = Vec::new();
    for &spec in KeySpec::ALL.iter().filter(|s| s.is_asymmetric()) {
        let info = spec.info();
        for &alg in info.signing {
            for &mt in alg.info().message_types {
                if !signed.contains(&(spec, alg, mt)) {
                    missing.push(format!("verify {spec} {alg} {mt}"));
                }
            }
        }
        for &alg in info.encryption {
            if !encrypted.contains(&(spec, alg)) {
                missing.push(format!("decrypt {spec} {alg}"));
            }
        }
        if spec.allows_usage(KeyUsage::KeyAgreement) && !agreed.contains(&spec) {
            missing.push(format!("derive {spec}"));
        }
        // Python cryptography has no ML-KEM-512; the cross-backend tests cover it.
        if spec.allows_usage(KeyUsage::EncapsulateDecapsulate)
            && spec != KeySpec::MlKem512
            && !decapsulated.contains(&spec)
        {
            missing.push(format!("decapsulate {spec}"));
        }
    }
    assert!(missing.is_empty(), "not covered: {missing:?}");
}
