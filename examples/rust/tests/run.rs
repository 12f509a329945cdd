//! The Rust example runs and prints what it promises.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

#[test]
fn verify_example_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_verify"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("genuine signature: true"));
    assert!(text.contains("tampered message:  false"));
    assert!(text.contains("InvalidKeyUsageException"));
}
