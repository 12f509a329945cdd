//! Helpers shared by the `envelope_*` tests (included with `#[path]`; as a test crate of its
//! own it has no tests).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers; each test crate uses a different subset"
)]

use kmskit::envelope::{EncryptionContext, RawAesKeyring, RawRsaKeyring, RsaPadding};
use std::path::PathBuf;

/// The plaintext of every vector: byte i is (31 i + 7) mod 256 (as in make_vectors.py).
pub(crate) fn plaintext(size: usize) -> Vec<u8> {
    (0..size)
        .map(|i| (31usize.wrapping_mul(i) + 7) as u8)
        .collect()
}

pub(crate) fn ec(pairs: &[(&str, &str)]) -> EncryptionContext {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

pub(crate) fn multi_ec() -> EncryptionContext {
    ec(&[
        ("purpose", "kmskit interop"),
        ("tenant", "ex\u{e4}mple"),
        ("a", "1"),
        ("zz-\u{2603}", "snow"),
    ])
}

pub(crate) fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/envelope")
}

pub(crate) fn keys() -> serde_json::Value {
    let text = std::fs::read_to_string(testdata().join("keys.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub(crate) const NAMESPACE: &str = "kmskit-interop";

pub(crate) fn aes_keyring(name: &str) -> RawAesKeyring {
    let keys = keys();
    let key = hex::decode(keys[name]["hex"].as_str().unwrap()).unwrap();
    RawAesKeyring::new(NAMESPACE, name, &key).unwrap()
}

pub(crate) fn rsa_keyring(name: &str, padding: RsaPadding, private: bool) -> RawRsaKeyring {
    let keys = keys();
    let public = keys[name]["public_pem"].as_str().unwrap().as_bytes();
    let private_pem = keys[name]["private_pem"].as_str().unwrap().as_bytes();
    if private {
        RawRsaKeyring::new(NAMESPACE, name, None, Some(private_pem), padding).unwrap()
    } else {
        RawRsaKeyring::new(NAMESPACE, name, Some(public), None, padding).unwrap()
    }
}

/// A keyring from a manifest entry (`{"type": "raw-aes"|"raw-rsa", "key", "padding"}`).
pub(crate) fn keyring_from(v: &serde_json::Value) -> Box<dyn kmskit::envelope::Keyring> {
    let key = v["key"].as_str().unwrap();
    match v["type"].as_str().unwrap() {
        "raw-aes" => Box::new(aes_keyring(key)),
        "raw-rsa" => {
            let padding =
                kmskit::envelope::raw_rsa_padding(v["padding"].as_str().unwrap()).unwrap();
            Box::new(rsa_keyring(key, padding, true))
        }
        other => panic!("unknown keyring type {other}"),
    }
}

pub(crate) fn context_from(v: &serde_json::Value) -> EncryptionContext {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}
