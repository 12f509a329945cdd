//! `kmskit demo`: an end-to-end walk-through on embedded data, printing each step.
//!
//! The embedded key and signatures are the OpenSSL-made vectors of `testdata/skeleton/`
//! (a P-256 key as KMS GetPublicKey returns it, and ECDSA_SHA_256 signatures as KMS Sign
//! returns them), so the demo needs no network, no files and no AWS account. It ends with a
//! local KMS in deterministic mode: a signature made by it and checked offline, a request
//! denied, explained, then allowed by a grant, and a file encrypted in the AWS Encryption SDK
//! format under one of its keys.

use kmskit::kms::{CallerContext, Kms, KmsConfig};
use kmskit::policy::Caller;
use kmskit::{KeySpec, MessageType, PublicKey, SigningAlgorithm};
use serde_json::{Value, json};
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
    local_kms(&mut say)?;
    say("Done: every step above ran offline, with the same checks and bytes as AWS KMS.".into())?;
    Ok(())
}

/// One call of the local KMS's JSON protocol; the response as JSON.
fn call(
    kms: &mut Kms,
    caller: Option<&CallerContext>,
    op: &str,
    body: Value,
) -> kmskit::Result<Value> {
    let body = body.to_string();
    let out = match caller {
        Some(c) => kms.call_as(c, "us-east-1", op, &body)?,
        None => kms.call(op, &body)?,
    };
    serde_json::from_str(&out).map_err(|e| kmskit::Error::internal(format!("{op}: {e}")))
}

fn field<'a>(v: &'a Value, name: &str) -> kmskit::Result<&'a str> {
    v[name]
        .as_str()
        .ok_or_else(|| kmskit::Error::internal(format!("the response has no {name}")))
}

/// Steps 5 and 6: a local KMS (deterministic), its signature checked offline, and who may call.
fn local_kms(say: &mut dyn FnMut(String) -> kmskit::Result<()>) -> kmskit::Result<()> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut kms = Kms::new(KmsConfig {
        seed: Some(b"kmskit demo".to_vec()),
        ..KmsConfig::default()
    })?;
    say("5. A local KMS (deterministic mode), answering the KMS JSON protocol:".into())?;
    let key = call(
        &mut kms,
        None,
        "CreateKey",
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
    )?;
    let key_id = field(&key["KeyMetadata"], "KeyId")?.to_string();
    say(format!(
        "   CreateKey ECC_NIST_P256 -> {}",
        field(&key["KeyMetadata"], "Arn")?
    ))?;
    let message = b"transfer 100 EUR to alice";
    let signed = call(
        &mut kms,
        None,
        "Sign",
        json!({"KeyId": key_id, "Message": b64.encode(message), "SigningAlgorithm": "ECDSA_SHA_256"}),
    )?;
    let public = call(&mut kms, None, "GetPublicKey", json!({"KeyId": key_id}))?;
    let decode = |v: &str| {
        b64.decode(v)
            .map_err(|_| kmskit::Error::internal("bad base64"))
    };
    let signature = decode(field(&signed, "Signature")?)?;
    let spki = decode(field(&public, "PublicKey")?)?;
    let valid = kmskit::verify(
        &spki,
        message,
        &signature,
        SigningAlgorithm::EcdsaSha256,
        MessageType::Raw,
        None,
    )?;
    say(format!(
        "   Sign -> {}-byte DER signature; verified offline with GetPublicKey's key -> valid: {valid}",
        signature.len()
    ))?;
    // a symmetric key: what it encrypted before a rotation still decrypts after it
    let sym = call(
        &mut kms,
        None,
        "CreateKey",
        json!({"Description": "demo data key"}),
    )?;
    let sym_id = field(&sym["KeyMetadata"], "KeyId")?.to_string();
    let context = json!({"purpose": "demo"});
    let sealed = call(
        &mut kms,
        None,
        "Encrypt",
        json!({"KeyId": sym_id, "Plaintext": b64.encode(b"card 4111-1111"), "EncryptionContext": context}),
    )?;
    call(
        &mut kms,
        None,
        "RotateKeyOnDemand",
        json!({"KeyId": sym_id}),
    )?;
    let rotations = call(&mut kms, None, "ListKeyRotations", json!({"KeyId": sym_id}))?;
    let opened = call(
        &mut kms,
        None,
        "Decrypt",
        json!({"CiphertextBlob": field(&sealed, "CiphertextBlob")?, "EncryptionContext": context}),
    )?;
    say(format!(
        "   CreateKey SYMMETRIC_DEFAULT, Encrypt, RotateKeyOnDemand ({} rotation), Decrypt the old ciphertext -> {:?}",
        rotations["Rotations"].as_array().map_or(0, Vec::len),
        String::from_utf8_lossy(&decode(field(&opened, "Plaintext")?)?)
    ))?;
    match call(
        &mut kms,
        None,
        "Decrypt",
        json!({"CiphertextBlob": field(&sealed, "CiphertextBlob")?, "EncryptionContext": {"purpose": "other"}}),
    ) {
        Err(e) => say(format!(
            "   the same ciphertext with another encryption context -> {}",
            e.code()
        ))?,
        Ok(_) => say("   another encryption context -> unexpectedly accepted".into())?,
    }
    say(String::new())?;

    say("6. Who may call: key policy + IAM policies + grants, decided as KMS decides:".into())?;
    let alice = "arn:aws:iam::111122223333:user/alice";
    let caller = CallerContext::new(Caller::parse(alice)?);
    let sign = json!({"KeyId": key_id, "Message": b64.encode(message), "SigningAlgorithm": "ECDSA_SHA_256"});
    match call(&mut kms, Some(&caller), "Sign", sign.clone()) {
        Err(e) => say(format!("   alice signs -> {}: {}", e.code(), e.message()))?,
        Ok(_) => say("   alice signs -> unexpectedly allowed".into())?,
    }
    if let Some(why) = kms.last_denial() {
        for line in why.explain().lines() {
            say(format!("      {line}"))?;
        }
    }
    let grant = call(
        &mut kms,
        None,
        "CreateGrant",
        json!({"KeyId": key_id, "GranteePrincipal": alice, "Operations": ["Sign"]}),
    )?;
    say(format!(
        "   CreateGrant Sign for alice -> GrantId {}…",
        &field(&grant, "GrantId")?[..16]
    ))?;
    let ok = call(&mut kms, Some(&caller), "Sign", sign)?;
    say(format!(
        "   alice signs -> allowed by the grant ({} signature bytes)",
        decode(field(&ok, "Signature")?)?.len()
    ))?;
    say(String::new())?;
    envelope_step(kms, say)
}

/// Step 7: a file encrypted in the AWS Encryption SDK format under a local-KMS key.
fn envelope_step(
    kms: Kms,
    say: &mut dyn FnMut(String) -> kmskit::Result<()>,
) -> kmskit::Result<()> {
    use kmskit::envelope::{self, DecryptOptions, EncryptOptions, KmsKeyring};
    say(
        "7. Envelope encryption of a file (AWS Encryption SDK format) under a local-KMS key:"
            .into(),
    )?;
    let kms = std::sync::Mutex::new(kms);
    let created = {
        let mut k = kms
            .lock()
            .map_err(|_| kmskit::Error::internal("the demo KMS lock"))?;
        let out = k.call("CreateKey", r#"{"Description": "envelope demo"}"#)?;
        serde_json::from_str::<Value>(&out).map_err(|e| kmskit::Error::internal(e.to_string()))?
    };
    let key_id = field(&created["KeyMetadata"], "KeyId")?.to_string();
    let keyring = KmsKeyring::new(&kms, &key_id);
    let file: Vec<u8> = (0..100_000u32)
        .flat_map(|i| format!("row {i},ok\n").into_bytes())
        .take(100_000)
        .collect();
    let context: envelope::EncryptionContext =
        [("file".to_string(), "report.csv".to_string())].into();
    let options = EncryptOptions {
        encryption_context: context.clone(),
        ..EncryptOptions::default()
    };
    let message = envelope::encrypt(&file, &keyring, &options)?;
    say(format!(
        "   report.csv: {} bytes -> a {}-byte message (suite 0x0478, frames of 4096 bytes, the data key wrapped by KMS)",
        file.len(),
        message.len()
    ))?;
    let expect = DecryptOptions {
        encryption_context: Some(context),
        ..DecryptOptions::default()
    };
    let back = envelope::decrypt(&message, &keyring, &expect)?;
    say(format!(
        "   decrypted -> identical to the file: {}",
        back.plaintext.expose() == file.as_slice()
    ))?;
    let mut tampered = message.clone();
    let last = tampered.len() - 100;
    tampered[last] ^= 1;
    match envelope::decrypt(&tampered, &keyring, &expect) {
        Err(e) => say(format!("   one flipped bit -> {}", e.code()))?,
        Ok(_) => say("   one flipped bit -> unexpectedly accepted".into())?,
    }
    say(String::new())
}
