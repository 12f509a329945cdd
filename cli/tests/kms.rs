//! `kmskit kms <Operation>`: the local KMS's JSON protocol on the command line, with its state
//! kept in a snapshot file between runs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A fresh directory under the target directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("kms-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn kmskit(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmskit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs `kmskit kms OP --json REQ ARGS...`; the parsed response.
fn ok(op: &str, req: &Value, args: &[&str]) -> Value {
    let body = req.to_string();
    let mut all = vec!["kms", op, "--json", &body];
    all.extend_from_slice(args);
    let out = kmskit(&all, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{op}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a call that must fail; its standard error.
fn fails(op: &str, req: &Value, args: &[&str]) -> String {
    let body = req.to_string();
    let mut all = vec!["kms", op, "--json", &body];
    all.extend_from_slice(args);
    let out = kmskit(&all, None);
    assert_eq!(out.status.code(), Some(2), "{op} did not fail: {out:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn help_lists_every_operation_with_an_example() {
    let out = kmskit(&["kms", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Examples:\n  kmskit kms CreateKey --state kms.json"));
    for op in kmskit::kms::operations() {
        assert!(
            help.split_whitespace().any(|w| w == *op),
            "{op} missing from kmskit kms --help"
        );
    }
}

#[test]
fn state_file_carries_keys_between_runs() {
    let d = dir("state");
    let state = d.join("kms.json");
    let s = state.to_str().unwrap();
    let key = ok("CreateKey", &json!({"Description": "cli"}), &["--state", s]);
    let id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_string();
    assert_eq!(key["KeyMetadata"]["KeyState"], "Enabled");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the snapshot holds key material");
    }
    ok(
        "CreateAlias",
        &json!({"AliasName": "alias/cli", "TargetKeyId": id}),
        &["--state", s],
    );
    let enc = ok(
        "Encrypt",
        &json!({"KeyId": "alias/cli", "Plaintext": "aGVsbG8=", "EncryptionContext": {"a": "b"}}),
        &["--state", s],
    );
    assert!(enc["KeyId"].as_str().unwrap().ends_with(&id));
    let dec = ok(
        "Decrypt",
        &json!({"CiphertextBlob": enc["CiphertextBlob"], "EncryptionContext": {"a": "b"}}),
        &["--state", s],
    );
    assert_eq!(dec["Plaintext"], "aGVsbG8=");
    let keys = ok("ListKeys", &json!({}), &["--state", s]);
    assert_eq!(keys["Keys"].as_array().unwrap().len(), 1);
    // without the state, a new empty KMS
    let keys = ok("ListKeys", &json!({}), &[]);
    assert_eq!(keys["Keys"], json!([]));
    let err = fails(
        "Decrypt",
        &json!({"CiphertextBlob": enc["CiphertextBlob"]}),
        &[],
    );
    assert!(err.starts_with("error: NotFoundException: "), "{err}");
}

#[test]
fn regions_of_one_state() {
    let d = dir("regions");
    let s = d.join("kms.json");
    let s = s.to_str().unwrap();
    let eu = ok(
        "CreateKey",
        &json!({}),
        &["--state", s, "--region", "eu-west-1"],
    );
    assert!(
        eu["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:kms:eu-west-1:111122223333:key/")
    );
    // the state's default Region is the first call's
    let listed = ok("ListKeys", &json!({}), &["--state", s]);
    assert_eq!(listed["Keys"].as_array().unwrap().len(), 1);
    let us = ok(
        "ListKeys",
        &json!({}),
        &["--state", s, "--region", "us-east-1"],
    );
    assert_eq!(us["Keys"], json!([]));
}

#[test]
fn deterministic_mode_repeats_and_states_do_not_collide() {
    let a = ok("CreateKey", &json!({}), &["--seed", "cli"]);
    let b = ok("CreateKey", &json!({}), &["--seed", "cli"]);
    assert_eq!(a, b);
    assert_eq!(a["KeyMetadata"]["CreationDate"], json!(1_767_225_600.0));
    let c = ok("CreateKey", &json!({}), &["--seed", "other"]);
    assert_ne!(a["KeyMetadata"]["KeyId"], c["KeyMetadata"]["KeyId"]);
    let random = ok(
        "GenerateRandom",
        &json!({"NumberOfBytes": 16}),
        &["--seed", "cli"],
    );
    assert_eq!(
        random,
        ok(
            "GenerateRandom",
            &json!({"NumberOfBytes": 16}),
            &["--seed", "cli"]
        )
    );

    // with a state, each run draws on from the snapshot: a second key gets a new ID
    let d = dir("seeded");
    let s = d.join("kms.json");
    let s = s.to_str().unwrap();
    let first = ok("CreateKey", &json!({}), &["--state", s, "--seed", "cli"]);
    let second = ok("CreateKey", &json!({}), &["--state", s, "--seed", "cli"]);
    assert_eq!(first, a);
    assert_ne!(
        first["KeyMetadata"]["KeyId"],
        second["KeyMetadata"]["KeyId"]
    );
}

#[test]
fn the_clock_deletes_scheduled_keys() {
    let d = dir("clock");
    let s = d.join("kms.json");
    let s = s.to_str().unwrap();
    let t0 = "1800000000";
    let id = ok("CreateKey", &json!({}), &["--state", s, "--time", t0])["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();
    let r = ok(
        "ScheduleKeyDeletion",
        &json!({"KeyId": id, "PendingWindowInDays": 7}),
        &["--state", s, "--time", t0],
    );
    assert_eq!(r["DeletionDate"], json!(1_800_000_000.0 + 7.0 * 86_400.0));
    let six_days = (1_800_000_000 + 6 * 86_400).to_string();
    let m = ok(
        "DescribeKey",
        &json!({"KeyId": id}),
        &["--state", s, "--time", &six_days],
    );
    assert_eq!(m["KeyMetadata"]["KeyState"], "PendingDeletion");
    let eight_days = (1_800_000_000 + 8 * 86_400).to_string();
    let err = fails(
        "DescribeKey",
        &json!({"KeyId": id}),
        &["--state", s, "--time", &eight_days],
    );
    assert!(err.starts_with("error: NotFoundException: "), "{err}");
    // and the deletion was saved
    assert_eq!(
        ok("ListKeys", &json!({}), &["--state", s])["Keys"],
        json!([])
    );
}

#[test]
fn operation_names_bodies_and_errors() {
    // AWS CLI and boto3 spellings of the operation
    for op in ["generate-random", "generate_random", "GenerateRandom"] {
        let r = ok(op, &json!({"NumberOfBytes": 8}), &[]);
        assert_eq!(r["Plaintext"].as_str().unwrap().len(), 12, "{op}");
    }
    // the body on standard input and from a file
    let out = kmskit(
        &["kms", "GenerateRandom", "--json", "-"],
        Some(r#"{"NumberOfBytes": 3}"#),
    );
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["Plaintext"].as_str().unwrap().len(), 4);
    let d = dir("body");
    let body = d.join("req.json");
    std::fs::write(
        &body,
        r#"{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}"#,
    )
    .unwrap();
    let file_arg = format!("file://{}", body.display());
    let out = kmskit(&["kms", "CreateKey", "--json", &file_arg], None);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["KeyMetadata"]["KeySpec"], "HMAC_256");
    // errors: the KMS exception name, exit status 2
    let err = fails("CreateKey", &json!({"Descripton": "typo"}), &[]);
    assert!(err.starts_with("error: ValidationException: "), "{err}");
    let err = fails("ConnectCustomKeyStore", &json!({}), &[]);
    assert!(
        err.starts_with("error: UnsupportedOperationException: "),
        "{err}"
    );
    let err = fails("ListKeys", &json!({}), &["--region", "Not A Region"]);
    assert!(err.starts_with("error: ValidationException: "), "{err}");
    let err = fails("ListKeys", &json!({}), &["--account-id", "12"]);
    assert!(err.starts_with("error: ValidationException: "), "{err}");
    let d = dir("bad-state");
    let bad = d.join("kms.json");
    std::fs::write(&bad, "{}").unwrap();
    let err = fails("ListKeys", &json!({}), &["--state", bad.to_str().unwrap()]);
    assert!(err.starts_with("error: ValidationException: "), "{err}");
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "{}",
        "a bad state is left alone"
    );
}

#[test]
fn sign_and_verify_across_runs() {
    let d = dir("sign");
    let s = d.join("kms.json");
    let s = s.to_str().unwrap();
    let id = ok(
        "CreateKey",
        &json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
        &["--state", s],
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();
    let sig = ok(
        "Sign",
        &json!({"KeyId": id, "Message": "bWVzc2FnZQ==", "SigningAlgorithm": "ECDSA_SHA_256"}),
        &["--state", s],
    );
    let v = ok(
        "Verify",
        &json!({"KeyId": id, "Message": "bWVzc2FnZQ==", "Signature": sig["Signature"],
                "SigningAlgorithm": "ECDSA_SHA_256"}),
        &["--state", s],
    );
    assert_eq!(v["SignatureValid"], true);
}

#[test]
fn principals_call_with_their_iam_policies_and_denials_are_explained() {
    let d = dir("principal");
    let state = d.join("kms.json");
    let state = state.to_str().unwrap();
    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
    let key = ok("CreateKey", &json!({}), &["--state", state, "--seed", "p"]);
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_string();
    let enc = json!({"KeyId": key_id, "Plaintext": "aGk="});
    // denied: KMS's message first, then the explanation
    let err = fails("Encrypt", &enc, &["--state", state, "--principal", ALICE]);
    let mut lines = err.lines();
    assert!(
        lines.next().unwrap().starts_with(&format!(
            "error: AccessDeniedException: User: {ALICE} is not authorized to perform: kms:Encrypt"
        )),
        "{err}"
    );
    assert!(lines.next().is_some(), "no explanation: {err}");

    let document = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}]}"#;
    let put = kmskit(
        &[
            "principal",
            "put-policy",
            "--state",
            state,
            "--principal",
            ALICE,
            "--name",
            "enc",
            "--document",
            "-",
        ],
        Some(document),
    );
    assert_eq!(put.status.code(), Some(0), "{put:?}");
    let got = kmskit(
        &[
            "principal",
            "get-policies",
            "--state",
            state,
            "--principal",
            ALICE,
        ],
        None,
    );
    let policies: Value = serde_json::from_slice(&got.stdout).unwrap();
    assert_eq!(policies["enc"]["Statement"][0]["Action"], "kms:Encrypt");

    let inside = r#"{"aws:SourceIp": "192.0.2.10"}"#;
    let out = ok(
        "Encrypt",
        &enc,
        &["--state", state, "--principal", ALICE, "--context", inside],
    );
    assert!(out["CiphertextBlob"].is_string());
    let outside = r#"{"aws:SourceIp": "203.0.113.10"}"#;
    fails(
        "Encrypt",
        &enc,
        &["--state", state, "--principal", ALICE, "--context", outside],
    );
    // grants made through the CLI work for their grantee
    let grant = ok(
        "CreateGrant",
        &json!({"KeyId": key_id, "GranteePrincipal": "arn:aws:iam::111122223333:user/bob", "Operations": ["Encrypt"]}),
        &["--state", state],
    );
    assert_eq!(grant["GrantId"].as_str().unwrap().len(), 64);
    ok(
        "Encrypt",
        &enc,
        &[
            "--state",
            state,
            "--principal",
            "arn:aws:iam::111122223333:user/bob",
        ],
    );

    let del = kmskit(
        &[
            "principal",
            "delete-policy",
            "--state",
            state,
            "--principal",
            ALICE,
            "--name",
            "enc",
        ],
        None,
    );
    assert_eq!(del.status.code(), Some(0), "{del:?}");
    let again = kmskit(
        &[
            "principal",
            "delete-policy",
            "--state",
            state,
            "--principal",
            ALICE,
            "--name",
            "enc",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&again.stderr).starts_with("error: NotFoundException"));
    let tags = kmskit(
        &[
            "principal",
            "set-tags",
            "--state",
            state,
            "--principal",
            ALICE,
            "--tags",
            "[1]",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&tags.stderr).starts_with("error: ValidationException"));
    fails(
        "Encrypt",
        &enc,
        &["--state", state, "--principal", ALICE, "--context", inside],
    );
}
