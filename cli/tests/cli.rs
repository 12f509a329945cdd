//! The `kmskit` binary against the OpenSSL-made vectors in testdata/skeleton/.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/skeleton")
        .join(name)
}

fn kmskit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kmskit"))
        .args(args)
        .output()
        .unwrap()
}

fn verify(key: &str, sig: &str, alg: &str, mt: &str, msg: &str) -> Output {
    let (k, s, m) = (data(key), data(sig), data(msg));
    kmskit(&[
        "verify",
        "--public-key",
        k.to_str().unwrap(),
        "--signature",
        s.to_str().unwrap(),
        "--algorithm",
        alg,
        "--message-type",
        mt,
        m.to_str().unwrap(),
    ])
}

#[test]
fn verify_accepts_openssl_signatures() {
    for key in ["p256-public.der", "p256-public.pem"] {
        let out = verify(key, "p256-raw.sig", "ECDSA_SHA_256", "RAW", "message.txt");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "Signature valid"
        );
    }
    let out = verify(
        "p256-public.der",
        "p256-digest.sig",
        "ECDSA_SHA_256",
        "DIGEST",
        "message.sha256",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn verify_rejects_wrong_key_and_wrong_message() {
    let out = verify(
        "p256-other-public.der",
        "p256-raw.sig",
        "ECDSA_SHA_256",
        "RAW",
        "message.txt",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Signature invalid"
    );
    let out = verify(
        "p256-public.der",
        "p256-raw.sig",
        "ECDSA_SHA_256",
        "RAW",
        "message.sha256",
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn verify_errors_name_the_kms_exception() {
    let out = verify(
        "p256-public.der",
        "p256-raw.sig",
        "ECDSA_SHA_384",
        "RAW",
        "message.txt",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: InvalidKeyUsageException: "));
    let out = verify(
        "message.txt",
        "p256-raw.sig",
        "ECDSA_SHA_256",
        "RAW",
        "message.txt",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ValidationException"));
}

#[test]
fn verify_reads_the_message_from_stdin() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmskit"))
        .args(["verify", "--public-key"])
        .arg(data("p256-public.der"))
        .arg("--signature")
        .arg(data("p256-raw.sig"))
        .args(["--algorithm", "ECDSA_SHA_256", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(data("message.txt")).unwrap())
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn demo_runs_end_to_end() {
    let out = kmskit(&["demo"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("recognised key spec: ECC_NIST_P256"));
    assert!(text.contains("MessageType RAW"));
    assert!(text.contains("-> valid: true"));
    assert!(text.contains("tampered message -> valid: false"));
    assert!(text.contains("InvalidKeyUsageException"));
    assert!(!text.contains("unexpectedly"));
}

#[test]
fn help_shows_examples() {
    let out = kmskit(&["verify", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}
