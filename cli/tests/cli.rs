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
    assert!(text.contains("verified offline with GetPublicKey's key -> valid: true"));
    assert!(text.contains("alice signs -> AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Sign"));
    assert!(text.contains("alice signs -> allowed by the grant"));
    assert!(text.contains("Decrypt the old ciphertext -> \"card 4111-1111\""));
    assert!(text.contains("another encryption context -> InvalidCiphertextException"));
    assert!(text.contains("decrypted -> identical to the file: true"));
    assert!(text.contains("one flipped bit -> InvalidCiphertextException"));
    assert!(!text.contains("unexpectedly"));
}

#[test]
fn help_shows_examples() {
    let out = kmskit(&["verify", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kmskit-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn openssl(args: &[&str]) -> Output {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl CLI");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn encrypt_output_decrypts_with_openssl() {
    let d = tmpdir("encrypt");
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        &p("rsa.pem"),
    ]);
    openssl(&[
        "pkey",
        "-in",
        &p("rsa.pem"),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        &p("rsa.der"),
    ]);
    std::fs::write(p("secret.txt"), b"top secret").unwrap();
    let out = kmskit(&[
        "encrypt",
        "--public-key",
        &p("rsa.der"),
        "--algorithm",
        "RSAES_OAEP_SHA_256",
        "-o",
        &p("ct.bin"),
        &p("secret.txt"),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::metadata(p("ct.bin")).unwrap().len(), 256);
    let plain = openssl(&[
        "pkeyutl",
        "-decrypt",
        "-inkey",
        &p("rsa.pem"),
        "-in",
        &p("ct.bin"),
        "-pkeyopt",
        "rsa_padding_mode:oaep",
        "-pkeyopt",
        "rsa_oaep_md:sha256",
        "-pkeyopt",
        "rsa_mgf1_md:sha256",
    ]);
    assert_eq!(plain.stdout, b"top secret");
    // over KMS's limit for RSA_2048 with OAEP SHA-256 (190 bytes)
    std::fs::write(p("big.txt"), [b'x'; 191]).unwrap();
    let out = kmskit(&[
        "encrypt",
        "--public-key",
        &p("rsa.der"),
        "--algorithm",
        "RSAES_OAEP_SHA_256",
        &p("big.txt"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ValidationException"));
}

#[test]
fn derive_matches_openssl_and_pubkey_describes() {
    let d = tmpdir("derive");
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    for who in ["a", "b"] {
        openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-out",
            &p(&format!("{who}.pem")),
        ]);
        openssl(&[
            "pkey",
            "-in",
            &p(&format!("{who}.pem")),
            "-pubout",
            "-out",
            &p(&format!("{who}.pub")),
        ]);
    }
    let expected = openssl(&[
        "pkeyutl",
        "-derive",
        "-inkey",
        &p("a.pem"),
        "-peerkey",
        &p("b.pub"),
    ])
    .stdout;
    let out = kmskit(&[
        "derive",
        "--private-key",
        &p("a.pem"),
        "--public-key",
        &p("b.pub"),
        "--hex",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        hex_string(&expected)
    );
    let out = kmskit(&["pubkey", &p("b.pub")]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["KeySpec"], "ECC_NIST_P384");
    assert_eq!(json["Jwk"]["crv"], "P-384");
    assert_eq!(json["SigningAlgorithms"][0], "ECDSA_SHA_384");
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
