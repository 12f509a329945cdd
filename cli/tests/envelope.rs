//! `kmskit encrypt` / `kmskit decrypt` with keyrings: AWS Encryption SDK messages through files
//! and pipes, interoperable with what the official Python SDK wrote (testdata/envelope).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("envelope-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn kmskit(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmskit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let out = kmskit(args, stdin);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn fails(args: &[&str]) -> String {
    let out = kmskit(args, None);
    assert_eq!(out.status.code(), Some(2), "{args:?} did not fail");
    String::from_utf8(out.stderr).unwrap()
}

fn plaintext(n: usize) -> Vec<u8> {
    (0..n).map(|i| ((31 * i + 7) & 0xFF) as u8).collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn files_round_trip_and_failures_leave_no_output() {
    let d = dir("aes");
    let key = d.join("k.bin");
    std::fs::write(&key, [7u8; 32]).unwrap();
    let data = plaintext(300_000);
    std::fs::write(d.join("data"), &data).unwrap();
    let (enc, out) = (d.join("data.enc"), d.join("data.out"));
    for suite in ["0x0478", "0x0578"] {
        ok(
            &[
                "encrypt",
                "--aes-key",
                s(&key),
                "--key-namespace",
                "ns",
                "--key-name",
                "k1",
                "--encryption-context",
                "app=x",
                "--encryption-context",
                "tier=1",
                "--suite",
                suite,
                "--frame-length",
                "1000",
                s(&d.join("data")),
                "-o",
                s(&enc),
            ],
            None,
        );
        let message = std::fs::read(&enc).unwrap();
        assert_eq!(
            &message[..3],
            &[2, u8::from_str_radix(&suite[2..4], 16).unwrap(), 0x78]
        );
        ok(
            &[
                "decrypt",
                "--aes-key",
                s(&key),
                "--key-namespace",
                "ns",
                "--key-name",
                "k1",
                "--encryption-context",
                "app=x",
                s(&enc),
                "-o",
                s(&out),
            ],
            None,
        );
        assert_eq!(std::fs::read(&out).unwrap(), data, "{suite}");
    }
    std::fs::remove_file(&out).unwrap();
    // wrong context, wrong key name, a flipped bit: an error, and no output file at all
    let err = fails(&[
        "decrypt",
        "--aes-key",
        s(&key),
        "--key-namespace",
        "ns",
        "--key-name",
        "k1",
        "--encryption-context",
        "app=y",
        s(&enc),
        "-o",
        s(&out),
    ]);
    assert!(
        err.starts_with("error: InvalidCiphertextException"),
        "{err}"
    );
    let err = fails(&[
        "decrypt",
        "--aes-key",
        s(&key),
        "--key-namespace",
        "ns",
        "--key-name",
        "k2",
        s(&enc),
        "-o",
        s(&out),
    ]);
    assert!(err.starts_with("error: IncorrectKeyException"), "{err}");
    let mut bad = std::fs::read(&enc).unwrap();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    std::fs::write(d.join("bad.enc"), &bad).unwrap();
    let err = fails(&[
        "decrypt",
        "--aes-key",
        s(&key),
        "--key-namespace",
        "ns",
        "--key-name",
        "k1",
        s(&d.join("bad.enc")),
        "-o",
        s(&out),
    ]);
    assert!(
        err.starts_with("error: InvalidCiphertextException"),
        "{err}"
    );
    assert!(!out.exists(), "a failed decryption left {}", out.display());
    assert!(
        std::fs::read_dir(&d).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial"))
    );
    // bad options
    assert!(fails(&["encrypt", s(&d.join("data"))]).contains("keyring"));
    assert!(
        fails(&[
            "encrypt",
            "--aes-key",
            s(&key),
            "--encryption-context",
            "novalue",
            s(&d.join("data"))
        ])
        .starts_with("error: ValidationException")
    );
    assert!(
        fails(&[
            "encrypt",
            "--aes-key",
            s(&key),
            "--suite",
            "0x0178",
            s(&d.join("data"))
        ])
        .starts_with("error: ValidationException")
    );
}

#[test]
fn pipes_and_rsa_keys() {
    let d = dir("rsa");
    let keys: Value =
        serde_json::from_slice(&std::fs::read(root().join("testdata/envelope/keys.json")).unwrap())
            .unwrap();
    let (public, private) = (d.join("public.pem"), d.join("private.pem"));
    std::fs::write(&public, keys["rsa-2048"]["public_pem"].as_str().unwrap()).unwrap();
    std::fs::write(&private, keys["rsa-2048"]["private_pem"].as_str().unwrap()).unwrap();
    let data = plaintext(5000);
    let message = ok(
        &[
            "encrypt",
            "--rsa-key",
            s(&public),
            "--padding",
            "OAEP_SHA512",
            "--key-name",
            "r",
            "-",
        ],
        Some(&data),
    );
    let back = ok(
        &[
            "decrypt",
            "--rsa-key",
            s(&private),
            "--padding",
            "OAEP_SHA512",
            "--key-name",
            "r",
            "--release",
            "AFTER_VERIFICATION",
            "-",
        ],
        Some(&message),
    );
    assert_eq!(back, data);
}

#[test]
fn messages_of_the_official_python_sdk_decrypt() {
    let d = dir("interop");
    let base = root().join("testdata/envelope");
    let keys: Value =
        serde_json::from_slice(&std::fs::read(base.join("keys.json")).unwrap()).unwrap();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(base.join("esdk-python/manifest.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for v in manifest["vectors"].as_array().unwrap() {
        let spec = &v["keyrings"][0];
        if spec["type"] != "raw-aes" || v["commitment_policy"] != "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
        {
            continue;
        }
        let name = spec["key"].as_str().unwrap();
        let key = d.join(name);
        std::fs::write(
            &key,
            hex::decode(keys[name]["hex"].as_str().unwrap()).unwrap(),
        )
        .unwrap();
        let file = base.join("esdk-python").join(v["file"].as_str().unwrap());
        let mut args = vec![
            "decrypt".to_string(),
            "--aes-key".into(),
            s(&key).into(),
            "--key-namespace".into(),
            "kmskit-interop".into(),
        ];
        for (k, val) in v["encryption_context"].as_object().unwrap() {
            args.push("--encryption-context".into());
            args.push(format!("{k}={}", val.as_str().unwrap()));
        }
        args.push(s(&file).into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let plain = ok(&args, None);
        assert_eq!(
            plain,
            plaintext(v["plaintext_size"].as_u64().unwrap() as usize),
            "{}",
            v["name"]
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} vectors");
}

#[test]
fn a_local_kms_key_from_a_state_file() {
    let d = dir("kms");
    let state = d.join("kms.json");
    let created = ok(&["kms", "CreateKey", "--state", s(&state)], None);
    let key: Value = serde_json::from_slice(&created).unwrap();
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap();
    ok(
        &[
            "kms",
            "CreateAlias",
            "--state",
            s(&state),
            "--json",
            &format!(r#"{{"AliasName": "alias/files", "TargetKeyId": "{key_id}"}}"#),
        ],
        None,
    );
    let data = plaintext(10_000);
    let message = ok(
        &[
            "encrypt",
            "--kms-state",
            s(&state),
            "--key-id",
            "alias/files",
            "--encryption-context",
            "a=b",
            "-",
        ],
        Some(&data),
    );
    assert!(message.windows(10).any(|w| w == b"kmskit-kms"));
    let back = ok(
        &["decrypt", "--kms-state", s(&state), "--key-id", key_id, "-"],
        Some(&message),
    );
    assert_eq!(back, data);
    // the key disabled in the state: the data key cannot be unwrapped
    ok(
        &[
            "kms",
            "DisableKey",
            "--state",
            s(&state),
            "--json",
            &format!(r#"{{"KeyId": "{key_id}"}}"#),
        ],
        None,
    );
    let out = kmskit(
        &["decrypt", "--kms-state", s(&state), "--key-id", key_id, "-"],
        Some(&message),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DisabledException"));
}
