//! `kmskit demo`: an end-to-end walk-through on embedded data, printing each step.
//!
//! The embedded key and signatures are the OpenSSL-made vectors of `testdata/skeleton/`
//! (a P-256 key as KMS GetPublicKey returns it, and ECDSA_SHA_256 signatures as KMS Sign
//! returns them), so the demo needs no network, no files and no AWS account.

use kmskit::{KeySpec, MessageType, PublicKey, SigningAlgorithm};
use std::io::Write;

const PUBLIC_KEY: &[u8] = include_bytes!("../../testdata/skeleton/p256-public.der");
const MESSAGE: &[u8] = include_bytes!("../../testdata/skeleton/message.txt");
const SIG_RAW: &[u8] = include_bytes!("../../testdata/skeleton/p256-raw.sig");
const SIG_DIGEST: &[u8] = include_bytes!("../../testdata/skeleton/p256-digest.sig");
const DIGEST: &[u8] = include_bytes!("../../testdata/skeleton/message.sha256");

fn out_err(e: std::io::Error) -> kmskit::Error {
    kmskit::Error::internal(format!("cannot write the demo output: {e}"))
}

/// Runs the demo, writing to `w`.
///
/// # Errors
/// Any kmskit error (none is expected on the embedded data) or a write failure.
pub(crate) fn run(w: &mut dyn Write) -> kmskit::Result<()> {
    let mut say = |s: String| writeln!(w, "{s}").map_err(out_err);
    say("kmskit demo — AWS KMS semantics, offline".into())?;
    say(String::new())?;

    say("1. The KMS key-spec table (what CreateKey/DescribeKey would allow):".into())?;
    for spec in [
        KeySpec::EccNistP256,
        KeySpec::Rsa2048,
        KeySpec::Sm2,
        KeySpec::MlDsa65,
    ] {
        let info = spec.info();
        let usages: Vec<_> = info.usages.iter().map(|u| u.as_str()).collect();
        let signing: Vec<_> = info.signing.iter().map(|a| a.as_str()).collect();
        say(format!(
            "   {spec:<16} usages {:<40} signing {}",
            usages.join(","),
            signing.join(",")
        ))?;
    }
    say(String::new())?;

    let key = PublicKey::parse(PUBLIC_KEY)?;
    say(format!(
        "2. A public key as GetPublicKey returns it ({} bytes of DER SubjectPublicKeyInfo)",
        PUBLIC_KEY.len()
    ))?;
    say(format!("   recognised key spec: {}", key.spec()))?;
    for line in key.to_pem().lines() {
        say(format!("   {line}"))?;
    }
    say(String::new())?;

    let alg = SigningAlgorithm::EcdsaSha256;
    say(format!("3. Verify, exactly as KMS Verify does ({alg}):"))?;
    let raw = kmskit::verify(PUBLIC_KEY, MESSAGE, SIG_RAW, alg, MessageType::Raw, None)?;
    say(format!(
        "   MessageType RAW    message {:?} -> valid: {raw}",
        String::from_utf8_lossy(MESSAGE)
    ))?;
    let digest = kmskit::verify(
        PUBLIC_KEY,
        DIGEST,
        SIG_DIGEST,
        alg,
        MessageType::Digest,
        None,
    )?;
    say(format!(
        "   MessageType DIGEST SHA-256 of the message -> valid: {digest}"
    ))?;
    let mut tampered = MESSAGE.to_vec();
    tampered.push(b'!');
    let bad = kmskit::verify(PUBLIC_KEY, &tampered, SIG_RAW, alg, MessageType::Raw, None)?;
    say(format!("   tampered message -> valid: {bad}"))?;
    let twice = kmskit::verify(PUBLIC_KEY, DIGEST, SIG_DIGEST, alg, MessageType::Raw, None)?;
    say(format!(
        "   a digest sent as RAW (hashed twice, a classic mistake) -> valid: {twice}"
    ))?;
    say(String::new())?;

    say("4. Requests KMS would reject raise the KMS exception:".into())?;
    for (what, result) in [
        (
            "ECDSA_SHA_384 with a P-256 key",
            kmskit::verify(
                PUBLIC_KEY,
                MESSAGE,
                SIG_RAW,
                SigningAlgorithm::EcdsaSha384,
                MessageType::Raw,
                None,
            ),
        ),
        (
            "a 31-byte DIGEST",
            kmskit::verify(
                PUBLIC_KEY,
                &DIGEST[..31],
                SIG_RAW,
                alg,
                MessageType::Digest,
                None,
            ),
        ),
        (
            "a key that is not DER",
            kmskit::verify(b"not a key", MESSAGE, SIG_RAW, alg, MessageType::Raw, None),
        ),
    ] {
        match result {
            Err(e) => say(format!("   {what} -> {}", e))?,
            Ok(v) => say(format!("   {what} -> unexpectedly returned {v}"))?,
        }
    }
    say(String::new())?;
    say("Done: every step above ran offline, with the same checks and bytes as AWS KMS.".into())?;
    Ok(())
}
