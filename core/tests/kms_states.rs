//! The key-state × operation table of the KMS Developer Guide ("Key states of AWS KMS keys"),
//! as data: every row is an operation, every column a key state, every cell the outcome.
//! Unavailable (custom key stores) and the transient Creating/Updating states cannot arise in
//! the local KMS and have no column.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::kms::{Kms, KmsConfig};
use serde_json::{Value, json};

const STATES: [&str; 4] = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"];

/// Which key an operation runs on.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Symmetric,
    Ecc,
    Hmac,
    Agreement,
    Kem,
}

const OK: &str = "ok";
const DIS: &str = "DisabledException";
const INV: &str = "KMSInvalidStateException";
const UNS: &str = "UnsupportedOperationException";

/// (operation, key kind, [Enabled, Disabled, PendingDeletion, PendingImport]).
const TABLE: &[(&str, Kind, [&str; 4])] = &[
    ("Encrypt", Kind::Symmetric, [OK, DIS, INV, INV]),
    ("Decrypt", Kind::Symmetric, [OK, DIS, INV, INV]),
    ("ReEncrypt", Kind::Symmetric, [OK, DIS, INV, INV]),
    ("GenerateDataKey", Kind::Symmetric, [OK, DIS, INV, INV]),
    (
        "GenerateDataKeyWithoutPlaintext",
        Kind::Symmetric,
        [OK, DIS, INV, INV],
    ),
    ("GenerateDataKeyPair", Kind::Symmetric, [OK, DIS, INV, INV]),
    (
        "GenerateDataKeyPairWithoutPlaintext",
        Kind::Symmetric,
        [OK, DIS, INV, INV],
    ),
    ("Sign", Kind::Ecc, [OK, DIS, INV, INV]),
    ("Verify", Kind::Ecc, [OK, DIS, INV, INV]),
    ("GetPublicKey", Kind::Ecc, [OK, DIS, INV, INV]),
    ("GenerateMac", Kind::Hmac, [OK, DIS, INV, INV]),
    ("VerifyMac", Kind::Hmac, [OK, DIS, INV, INV]),
    ("DeriveSharedSecret", Kind::Agreement, [OK, DIS, INV, INV]),
    ("Encapsulate", Kind::Kem, [OK, DIS, INV, INV]),
    ("Decapsulate", Kind::Kem, [OK, DIS, INV, INV]),
    ("EnableKey", Kind::Symmetric, [OK, OK, INV, INV]),
    ("DisableKey", Kind::Symmetric, [OK, OK, INV, INV]),
    // rotation: symmetric AWS_KMS keys only; the PendingImport column is an EXTERNAL key
    ("EnableKeyRotation", Kind::Symmetric, [OK, DIS, INV, UNS]),
    ("DisableKeyRotation", Kind::Symmetric, [OK, DIS, INV, UNS]),
    ("RotateKeyOnDemand", Kind::Symmetric, [OK, DIS, INV, UNS]),
    ("GetKeyRotationStatus", Kind::Symmetric, [OK, OK, OK, UNS]),
    ("ListKeyRotations", Kind::Symmetric, [OK, OK, OK, UNS]),
    ("ScheduleKeyDeletion", Kind::Symmetric, [OK, OK, INV, OK]),
    ("CancelKeyDeletion", Kind::Symmetric, [INV, INV, OK, INV]),
    ("CreateAlias", Kind::Symmetric, [OK, OK, INV, OK]),
    ("TagResource", Kind::Symmetric, [OK, OK, INV, OK]),
    ("UntagResource", Kind::Symmetric, [OK, OK, INV, OK]),
    ("UpdateKeyDescription", Kind::Symmetric, [OK, OK, INV, OK]),
    ("DescribeKey", Kind::Symmetric, [OK, OK, OK, OK]),
    ("GetKeyPolicy", Kind::Symmetric, [OK, OK, OK, OK]),
    ("PutKeyPolicy", Kind::Symmetric, [OK, OK, OK, OK]),
    ("ListKeyPolicies", Kind::Symmetric, [OK, OK, OK, OK]),
    ("ListResourceTags", Kind::Symmetric, [OK, OK, OK, OK]),
    ("ListAliases", Kind::Symmetric, [OK, OK, OK, OK]),
];

fn b64(b: &[u8]) -> String {
    Base64::encode_string(b)
}

fn call(kms: &mut Kms, op: &str, req: &Value) -> Result<Value, String> {
    kms.call(op, &req.to_string())
        .map(|s| serde_json::from_str(&s).unwrap())
        .map_err(|e| e.code().as_str().to_string())
}

fn create(kms: &mut Kms, kind: Kind, external: bool) -> String {
    let mut req = match kind {
        Kind::Symmetric => json!({}),
        Kind::Ecc => json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
        Kind::Hmac => json!({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}),
        Kind::Agreement => json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"}),
        Kind::Kem => json!({"KeySpec": "ML_KEM_768", "KeyUsage": "ENCAPSULATE_DECAPSULATE"}),
    };
    if external {
        req["Origin"] = json!("EXTERNAL");
    }
    call(kms, "CreateKey", &req).unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Inputs made while the key was Enabled (ciphertexts, signatures, MACs).
struct Made {
    ciphertext: Value,
    signature: Value,
    mac: Value,
    peer: Value,
    kem_ciphertext: Value,
}

fn make_inputs(kms: &mut Kms, id: &str, kind: Kind) -> Made {
    let mut made = Made {
        ciphertext: json!(null),
        signature: json!(null),
        mac: json!(null),
        peer: json!(null),
        kem_ciphertext: json!(null),
    };
    match kind {
        Kind::Symmetric => {
            made.ciphertext = call(
                kms,
                "Encrypt",
                &json!({"KeyId": id, "Plaintext": b64(b"x")}),
            )
            .unwrap()["CiphertextBlob"]
                .clone();
        }
        Kind::Ecc => {
            made.signature = call(
                kms,
                "Sign",
                &json!({"KeyId": id, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256"}),
            )
            .unwrap()["Signature"]
                .clone();
        }
        Kind::Hmac => {
            made.mac = call(
                kms,
                "GenerateMac",
                &json!({"KeyId": id, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256"}),
            )
            .unwrap()["Mac"]
                .clone();
        }
        Kind::Agreement => {
            let other = kmskit::backend::default()
                .generate_key_pair(kmskit::KeySpec::EccNistP256)
                .unwrap();
            made.peer = json!(b64(other.public_key().spki_der()));
        }
        Kind::Kem => {
            made.kem_ciphertext = call(
                kms,
                "Encapsulate",
                &json!({"KeyId": id, "EncapsulationAlgorithm": "ML_KEM"}),
            )
            .unwrap()["SharedSecretCiphertextBlob"]
                .clone();
        }
    }
    made
}

fn request(op: &str, id: &str, made: &Made, other_key: &str) -> Value {
    let m = b64(b"m");
    match op {
        "Encrypt" => json!({"KeyId": id, "Plaintext": b64(b"x")}),
        "Decrypt" => json!({"CiphertextBlob": made.ciphertext}),
        "ReEncrypt" => json!({"CiphertextBlob": made.ciphertext, "DestinationKeyId": other_key}),
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
            json!({"KeyId": id, "KeySpec": "AES_256"})
        }
        "GenerateDataKeyPair" | "GenerateDataKeyPairWithoutPlaintext" => {
            json!({"KeyId": id, "KeyPairSpec": "ECC_NIST_P256"})
        }
        "Sign" => json!({"KeyId": id, "Message": m, "SigningAlgorithm": "ECDSA_SHA_256"}),
        "Verify" => {
            json!({"KeyId": id, "Message": m, "Signature": made.signature, "SigningAlgorithm": "ECDSA_SHA_256"})
        }
        "GenerateMac" => json!({"KeyId": id, "Message": m, "MacAlgorithm": "HMAC_SHA_256"}),
        "VerifyMac" => {
            json!({"KeyId": id, "Message": m, "Mac": made.mac, "MacAlgorithm": "HMAC_SHA_256"})
        }
        "DeriveSharedSecret" => {
            json!({"KeyId": id, "KeyAgreementAlgorithm": "ECDH", "PublicKey": made.peer})
        }
        "Encapsulate" => json!({"KeyId": id, "EncapsulationAlgorithm": "ML_KEM"}),
        "Decapsulate" => {
            json!({"KeyId": id, "SharedSecretCiphertextBlob": made.kem_ciphertext, "EncapsulationAlgorithm": "ML_KEM"})
        }
        "CreateAlias" => {
            json!({"AliasName": format!("alias/state-{}", &id[..8]), "TargetKeyId": id})
        }
        "TagResource" => json!({"KeyId": id, "Tags": [{"TagKey": "k", "TagValue": "v"}]}),
        "UntagResource" => json!({"KeyId": id, "TagKeys": ["k"]}),
        "UpdateKeyDescription" => json!({"KeyId": id, "Description": "d"}),
        "PutKeyPolicy" => {
            // the default policy: root may call PutKeyPolicy again (the lockout check)
            let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
            json!({"KeyId": id, "Policy": policy})
        }
        "ListAliases" => json!({"KeyId": id}),
        "EnableKeyRotation" => json!({"KeyId": id, "RotationPeriodInDays": 365}),
        "ScheduleKeyDeletion" => json!({"KeyId": id, "PendingWindowInDays": 7}),
        _ => json!({"KeyId": id}),
    }
}

#[test]
fn key_state_table() {
    let mut failures = Vec::new();
    for &(op, kind, expected) in TABLE {
        for (col, state) in STATES.iter().enumerate() {
            if *state == "PendingImport" && !matches!(kind, Kind::Symmetric | Kind::Ecc) {
                continue;
            }
            let mut kms = Kms::new(KmsConfig {
                seed: Some(b"state table".to_vec()),
                ..KmsConfig::default()
            })
            .unwrap();
            let other_key = create(&mut kms, Kind::Symmetric, false);
            let external = *state == "PendingImport";
            let id = create(&mut kms, kind, external);
            // a PendingImport key cannot make inputs: a twin of the same kind makes them
            let maker = if external {
                create(&mut kms, kind, false)
            } else {
                id.clone()
            };
            let made = make_inputs(&mut kms, &maker, kind);
            match *state {
                "Disabled" => {
                    call(&mut kms, "DisableKey", &json!({"KeyId": id})).unwrap();
                }
                "PendingDeletion" => {
                    call(
                        &mut kms,
                        "ScheduleKeyDeletion",
                        &json!({"KeyId": id, "PendingWindowInDays": 7}),
                    )
                    .unwrap();
                }
                _ => {}
            }
            let got = match call(&mut kms, op, &request(op, &id, &made, &other_key)) {
                Ok(_) => OK.to_string(),
                Err(code) => code,
            };
            // a Decrypt/ReEncrypt of the twin's ciphertext names the twin, not this key
            let want = if external && matches!(op, "Decrypt" | "ReEncrypt") {
                OK
            } else {
                expected[col]
            };
            if got != want {
                failures.push(format!("{op} on a {state} key: got {got}, want {want}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
