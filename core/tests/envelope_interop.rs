//! Interoperability with the official AWS Encryption SDK for Python, both directions.
//!
//! - `testdata/envelope/esdk-python/`: messages the Python SDK wrote (make_vectors.py);
//!   kmskit decrypts each, on every backend, and each of them tampered must fail.
//! - `testdata/envelope/kmskit/`: messages kmskit wrote, which check_with_esdk.py decrypts
//!   with the Python SDK. `KMSKIT_WRITE_ENVELOPE_VECTORS=1 cargo test -p kmskit --test
//!   envelope_interop` rewrites them; every run decrypts the committed ones with kmskit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

#[path = "envelope_support.rs"]
mod support;

use kmskit::ErrorCode;
use kmskit::envelope::{
    self, AlgorithmSuite, CommitmentPolicy, DecryptOptions, EncryptOptions, Keyring, MultiKeyring,
    RsaPadding,
};
use serde_json::{Value, json};
use support::*;

fn manifest(dir: &str) -> Value {
    let text = std::fs::read_to_string(testdata().join(dir).join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn check_vector(dir: &str, v: &Value) {
    let name = v["name"].as_str().unwrap();
    let message = std::fs::read(testdata().join(dir).join(v["file"].as_str().unwrap())).unwrap();
    let expected = plaintext(v["plaintext_size"].as_u64().unwrap() as usize);
    let context = context_from(&v["encryption_context"]);
    let suite = AlgorithmSuite::parse(v["suite"].as_str().unwrap()).unwrap();
    let policy = if suite.is_committing() {
        CommitmentPolicy::RequireEncryptRequireDecrypt
    } else {
        CommitmentPolicy::RequireEncryptAllowDecrypt
    };
    for keyring_spec in v["keyrings"].as_array().unwrap() {
        let keyring = keyring_from(keyring_spec);
        for backend in kmskit::backend::all() {
            let options = DecryptOptions {
                commitment_policy: policy,
                encryption_context: Some(context.clone()),
                backend: Some(backend),
                ..Default::default()
            };
            let d = envelope::decrypt(&message, &*keyring, &options)
                .unwrap_or_else(|e| panic!("{name} on {}: {e}", backend.name()));
            assert_eq!(d.plaintext.expose(), &expected[..], "{name}");
            // in place, framed or not: the framing gives the length, decrypt_into fills it
            assert_eq!(
                envelope::plaintext_length(&message).unwrap(),
                expected.len(),
                "{name}"
            );
            let mut out = vec![0u8; expected.len()];
            let info = envelope::decrypt_into(&message, &*keyring, &options, &mut out).unwrap();
            assert!(out == expected && info.suite == suite, "{name}");
            assert_eq!(d.suite, suite, "{name}");
            for (k, val) in &context {
                assert_eq!(d.encryption_context.get(k), Some(val), "{name}");
            }
            assert_eq!(
                d.encryption_context.contains_key(envelope::PUBLIC_KEY_KEY),
                suite.is_signing(),
                "{name}"
            );
            let fl = v["frame_length"].as_u64().unwrap();
            assert_eq!(
                d.frame_length.map(u64::from),
                (fl != 0).then_some(fl),
                "{name}"
            );
        }
        // the default policy refuses format-1 messages
        if !suite.is_committing() {
            let e = envelope::decrypt(&message, &*keyring, &DecryptOptions::default()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidCiphertextException, "{name}");
        }
        // tampered: one flipped bit in the middle, and the last byte
        for pos in [message.len() / 2, message.len() - 1] {
            let mut bad = message.clone();
            bad[pos] ^= 0x01;
            let options = DecryptOptions {
                commitment_policy: policy,
                ..Default::default()
            };
            assert!(
                envelope::decrypt(&bad, &*keyring, &options).is_err(),
                "{name}: flip at {pos} accepted"
            );
        }
    }
}

#[test]
fn decrypts_every_python_sdk_vector() {
    let m = manifest("esdk-python");
    let vectors = m["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 60, "{} vectors", vectors.len());
    for v in vectors {
        check_vector("esdk-python", v);
    }
}

/// What kmskit writes for the Python SDK to read: both committing suites, raw AES (all key
/// sizes) and raw RSA (all paddings), frame lengths 1, 4096 and 1 MiB, sizes 0, 1, one frame,
/// ~10 KB, empty and multi-pair contexts, a multi-keyring message, and two format-1 suites.
fn kmskit_vectors() -> Vec<Value> {
    let mut out = Vec::new();
    let aes = json!({"type": "raw-aes", "key": "aes-256"});
    for suite in ["0x0478", "0x0578"] {
        for (fl, sizes) in [
            (1u64, &[0usize, 1, 20][..]),
            (4096, &[0, 1, 4096, 10000][..]),
            (1 << 20, &[0, 1, 10000][..]),
        ] {
            for &size in sizes {
                for ec in [json!({}), serde_json::to_value(multi_ec()).unwrap()] {
                    out.push(
                        json!({"keyrings": [aes], "suite": suite, "frame_length": fl,
                        "plaintext_size": size, "encryption_context": ec}),
                    );
                }
            }
        }
    }
    for key in ["aes-128", "aes-192"] {
        out.push(
            json!({"keyrings": [{"type": "raw-aes", "key": key}], "suite": "0x0478",
            "frame_length": 4096, "plaintext_size": 100, "encryption_context": multi_ec()}),
        );
    }
    for padding in [
        "OAEP_SHA1",
        "OAEP_SHA256",
        "OAEP_SHA384",
        "OAEP_SHA512",
        "PKCS1",
    ] {
        for suite in ["0x0478", "0x0578"] {
            out.push(
                json!({"keyrings": [{"type": "raw-rsa", "key": "rsa-2048", "padding": padding}],
                "suite": suite, "frame_length": 4096, "plaintext_size": 100,
                "encryption_context": multi_ec()}),
            );
        }
    }
    // format 1, which kmskit writes only under ForbidEncryptAllowDecrypt
    for suite in ["0x0178", "0x0378"] {
        out.push(
            json!({"keyrings": [aes], "suite": suite, "frame_length": 4096,
            "plaintext_size": 5000, "encryption_context": multi_ec()}),
        );
    }
    out.push(
        json!({"keyrings": [aes, {"type": "raw-rsa", "key": "rsa-2048", "padding": "OAEP_SHA256"}],
        "suite": "0x0578", "frame_length": 4096, "plaintext_size": 300,
        "encryption_context": multi_ec()}),
    );
    out
}

fn write_kmskit_vectors() {
    let dir = testdata().join("kmskit");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "bin") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let mut entries = Vec::new();
    for (i, mut v) in kmskit_vectors().into_iter().enumerate() {
        let keyrings: Vec<Box<dyn Keyring>> = v["keyrings"]
            .as_array()
            .unwrap()
            .iter()
            .map(keyring_from)
            .collect();
        let mut it = keyrings.into_iter();
        let first = it.next().unwrap();
        let rest: Vec<_> = it.collect();
        let keyring: Box<dyn Keyring> = if rest.is_empty() {
            first
        } else {
            Box::new(MultiKeyring::new(Some(first), rest).unwrap())
        };
        let suite = AlgorithmSuite::parse(v["suite"].as_str().unwrap()).unwrap();
        let size = v["plaintext_size"].as_u64().unwrap() as usize;
        let fl = v["frame_length"].as_u64().unwrap() as u32;
        let options = EncryptOptions {
            encryption_context: context_from(&v["encryption_context"]),
            suite: Some(suite),
            frame_length: fl,
            commitment_policy: if suite.is_committing() {
                CommitmentPolicy::RequireEncryptRequireDecrypt
            } else {
                CommitmentPolicy::ForbidEncryptAllowDecrypt
            },
            ..Default::default()
        };
        let message = envelope::encrypt(&plaintext(size), &*keyring, &options).unwrap();
        let first = &v["keyrings"][0];
        let label = match first.get("padding") {
            Some(p) => format!(
                "{}-{}",
                first["key"].as_str().unwrap(),
                p.as_str().unwrap().to_lowercase()
            ),
            None => first["key"].as_str().unwrap().to_string(),
        };
        let name = format!(
            "{i:03}-{:04x}-{label}-fl{fl}-{size}b-ec{}",
            suite.id(),
            options.encryption_context.len()
        );
        std::fs::write(dir.join(format!("{name}.bin")), &message).unwrap();
        v["name"] = json!(name);
        v["file"] = json!(format!("{name}.bin"));
        entries.push(v);
    }
    let manifest = json!({
        "comment": "Messages written by kmskit; check_with_esdk.py decrypts each with the official AWS Encryption SDK for Python. Plaintext byte i = (31*i + 7) mod 256; keys in ../keys.json, namespace 'kmskit-interop'.",
        "source": "kmskit core/tests/envelope_interop.rs",
        "command": "KMSKIT_WRITE_ENVELOPE_VECTORS=1 cargo test -p kmskit --features std --test envelope_interop",
        "namespace": NAMESPACE,
        "keys": "../keys.json",
        "vectors": entries,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap();
    text.push('\n');
    std::fs::write(dir.join("manifest.json"), text).unwrap();
}

#[test]
fn kmskit_vectors_decrypt_with_kmskit() {
    if std::env::var_os("KMSKIT_WRITE_ENVELOPE_VECTORS").is_some() {
        write_kmskit_vectors();
    }
    let m = manifest("kmskit");
    let vectors = m["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), kmskit_vectors().len());
    for v in vectors {
        check_vector("kmskit", v);
    }
}

#[test]
fn rsa_keyring_public_only_cannot_decrypt_and_says_so() {
    let enc = rsa_keyring("rsa-2048", RsaPadding::OaepSha256, false);
    let m = envelope::encrypt(b"hi", &enc, &EncryptOptions::default()).unwrap();
    let e = envelope::decrypt(&m, &enc, &DecryptOptions::default()).unwrap_err();
    assert!(e.message().contains("no private key"), "{e}");
    let dec = rsa_keyring("rsa-2048", RsaPadding::OaepSha256, true);
    let d = envelope::decrypt(&m, &dec, &DecryptOptions::default()).unwrap();
    assert_eq!(d.plaintext.expose(), b"hi");
}
