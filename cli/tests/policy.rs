//! `kmskit policy explain|validate` as a user runs them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kmskit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kmskit"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p: PathBuf = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const KEY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
const DENY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoProd","Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:stage":"prod"}}}]}"#;
const APP_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:111122223333:key/*"}]}"#;

fn request(stage: &str) -> String {
    format!(
        r#"{{"Action":"kms:Decrypt","Principal":"arn:aws:iam::111122223333:role/app","Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","Context":{{"kms:EncryptionContext:stage":"{stage}"}}}}"#
    )
}

#[test]
fn explain_allows_denies_and_says_why() {
    let dir = tempdir();
    let kp = write(&dir, "kp.json", KEY_POLICY);
    let app = write(&dir, "app.json", APP_POLICY);
    let deny = write(&dir, "deny.json", DENY_POLICY);
    let dev = write(&dir, "dev.json", &request("dev"));
    let prod = write(&dir, "prod.json", &request("prod"));
    let iam_app = format!("app={app}");
    let iam_deny = format!("guard={deny}");

    let out = kmskit(&[
        "policy",
        "explain",
        "--policy",
        &kp,
        "--iam",
        &iam_app,
        "--iam",
        &iam_deny,
        "--request",
        &dev,
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("ALLOW by iam:app statement 0"), "{text}");
    assert!(text.contains("iam:guard[0] (\"NoProd\") Deny: does not apply - Condition StringEquals kms:EncryptionContext:stage"), "{text}");

    let out = kmskit(&[
        "policy",
        "explain",
        "--policy",
        &kp,
        "--iam",
        &iam_app,
        "--iam",
        &iam_deny,
        "--request",
        &prod,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Decision"], "EXPLICIT_DENY");
    assert_eq!(v["Source"], "iam:guard");
    assert_eq!(v["Statement"]["Sid"], "NoProd");

    // no IAM policy: the key policy only delegates to IAM
    let out = kmskit(&["policy", "explain", "--policy", &kp, "--request", &dev]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("delegates to IAM")
    );

    // bad input is a typed error, exit 2
    let out = kmskit(&["policy", "explain", "--policy", &app, "--request", &dev]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: MalformedPolicyDocumentException")
    );
}

#[test]
fn validate_lists_findings() {
    let dir = tempdir();
    let open = write(
        &dir,
        "open.json",
        r#"{"Statement":{"Sid":"open","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}}"#,
    );
    let out = kmskit(&["policy", "validate", &open]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["Findings"][0]["Code"],
        "PrincipalWildcardWithoutCondition"
    );
    let app = write(&dir, "app.json", APP_POLICY);
    assert_eq!(
        kmskit(&["policy", "validate", "--identity", &app])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(kmskit(&["policy", "validate", &app]).status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "kmskit-cli-policy-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}
