//! The walking-skeleton vectors (OpenSSL-made, `testdata/skeleton/`) on every backend.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use kmskit::backend;
use kmskit::offline::verify_with;
use kmskit::{MessageType, SigningAlgorithm};
use serde_json::Value;

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/skeleton/vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn key_bytes(v: &Value, name: &str) -> Vec<u8> {
    let (name, pem) = match name.strip_suffix(":pem") {
        Some(n) => (n, true),
        None => (name, false),
    };
    let k = &v["keys"][name];
    if pem {
        k["pem"].as_str().unwrap().as_bytes().to_vec()
    } else {
        hex::decode(k["der_hex"].as_str().unwrap()).unwrap()
    }
}

#[test]
fn skeleton_vectors_on_every_backend() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for b in backend::all() {
        for c in cases {
            let name = c["name"].as_str().unwrap();
            let key = key_bytes(&v, c["key"].as_str().unwrap());
            let msg = hex::decode(c["message_hex"].as_str().unwrap()).unwrap();
            let sig = hex::decode(c["signature_hex"].as_str().unwrap()).unwrap();
            let alg = SigningAlgorithm::parse(c["algorithm"].as_str().unwrap()).unwrap();
            let mt = MessageType::parse(c["message_type"].as_str().unwrap()).unwrap();
            let got = verify_with(b, &key, &msg, &sig, alg, mt, None);
            match &c["expect"] {
                Value::Bool(want) => assert_eq!(got, Ok(*want), "{}: {name}", b.name()),
                Value::String(code) => {
                    let err = got.expect_err(name);
                    assert_eq!(err.code().as_str(), code, "{}: {name}: {err}", b.name());
                }
                other => panic!("bad expect {other}"),
            }
        }
    }
}

#[test]
fn both_backends_are_compiled_for_tests() {
    let names: Vec<_> = backend::all().iter().map(|b| b.name()).collect();
    assert_eq!(names, ["aws-lc", "rustcrypto"]);
}
