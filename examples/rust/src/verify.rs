//! Verify an ECDSA P-256 signature offline, exactly as AWS KMS Verify would.
//!
//! Run: `cargo run -p kmskit-examples --bin verify`

use kmskit::{MessageType, SigningAlgorithm};

fn main() -> Result<(), kmskit::Error> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/skeleton/");
    let read = |name: &str| {
        std::fs::read(format!("{dir}{name}"))
            .map_err(|e| kmskit::Error::validation(format!("{name}: {e}")))
    };
    let public_key = read("p256-public.der")?; // GetPublicKey -> PublicKey (DER SPKI)
    let message = read("message.txt")?;
    let signature = read("p256-raw.sig")?; // Sign -> Signature (DER ECDSA)

    let alg = SigningAlgorithm::EcdsaSha256;
    let ok = kmskit::verify(
        &public_key,
        &message,
        &signature,
        alg,
        MessageType::Raw,
        None,
    )?;
    println!("RAW message, genuine signature: {ok}");

    let mut tampered = message.clone();
    tampered.push(b'!');
    let bad = kmskit::verify(
        &public_key,
        &tampered,
        &signature,
        alg,
        MessageType::Raw,
        None,
    )?;
    println!("RAW message, tampered message:  {bad}");

    let wrong = SigningAlgorithm::EcdsaSha384;
    if let Err(e) = kmskit::verify(
        &public_key,
        &message,
        &signature,
        wrong,
        MessageType::Raw,
        None,
    ) {
        println!("wrong algorithm fails with {}: {}", e.code(), e.message());
    }
    Ok(())
}
