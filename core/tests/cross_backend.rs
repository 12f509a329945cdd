//! Cross-backend proof: for every key spec and algorithm, what one backend produces the other
//! accepts, in both directions, and both derive the same public keys and secrets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use kmskit::backend::{self, Backend};
use kmskit::crypto;
use kmskit::spec::{KeyFamily, limits};
use kmskit::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, MacAlgorithm, MessageType, PrivateKey,
    Secret, SigningAlgorithm,
};
use sha2::Digest as _;

fn backends() -> (&'static dyn Backend, &'static dyn Backend) {
    let all = backend::all();
    assert_eq!(
        all.len(),
        2,
        "tests need both backends (feature rust-crypto)"
    );
    (all[0], all[1])
}

fn digest_for(alg: SigningAlgorithm, message: &[u8]) -> Vec<u8> {
    use kmskit::spec::Hash;
    match alg.info().hash {
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        Hash::Sm3 | Hash::Shake256 => Vec::new(),
    }
}

/// Keys generated once per (spec, backend): RSA generation is the slow part.
fn keys(spec: KeySpec) -> Vec<(&'static str, PrivateKey)> {
    let (a, b) = backends();
    let mut v = vec![(a.name(), a.generate_key_pair(spec).unwrap())];
    // RustCrypto RSA-4096 generation is slow; one RSA size through it is enough.
    if spec != KeySpec::Rsa4096 && spec != KeySpec::Rsa3072 {
        v.push((b.name(), b.generate_key_pair(spec).unwrap()));
    }
    v
}

#[test]
fn generated_keys_have_the_same_public_key_on_both_backends() {
    let (a, b) = backends();
    for &spec in KeySpec::ALL.iter().filter(|s| s.is_asymmetric()) {
        for (made_by, key) in keys(spec) {
            assert_eq!(key.spec(), spec);
            for be in [a, b] {
                assert_eq!(
                    be.public_key_der(&key).unwrap(),
                    key.public_key().spki_der(),
                    "{spec} made by {made_by}, public key by {}",
                    be.name()
                );
            }
            // canonical PKCS#8 round-trips byte for byte
            let again = PrivateKey::from_pkcs8_der(key.pkcs8_der().expose()).unwrap();
            assert_eq!(again, key);
            let pem = key.to_pem();
            assert_eq!(PrivateKey::parse(pem.expose()).unwrap(), key);
        }
    }
}

#[test]
fn signatures_cross_verify_in_both_directions() {
    let (a, b) = backends();
    let message = b"cross-backend message";
    for &spec in KeySpec::ALL {
        for &alg in spec.info().signing {
            for (made_by, key) in keys(spec) {
                for &mt in alg.info().message_types {
                    let input = match mt {
                        MessageType::Raw => message.to_vec(),
                        MessageType::Digest if alg == SigningAlgorithm::Sm2dsa => {
                            kmskit::sm2::digest(key.public_key(), message, b"1234567812345678")
                                .unwrap()
                                .to_vec()
                        }
                        MessageType::Digest => digest_for(alg, message),
                        MessageType::ExternalMu => vec![7u8; limits::EXTERNAL_MU_LEN],
                    };
                    for signer in [a, b] {
                        let sig = crypto::sign(signer, &key, alg, mt, &input).unwrap();
                        for verifier in [a, b] {
                            let ok = crypto::verify(
                                verifier,
                                key.public_key(),
                                alg,
                                mt,
                                &input,
                                &sig,
                                None,
                            )
                            .unwrap();
                            assert!(
                                ok,
                                "{spec} {alg} {mt}: key by {made_by}, signed by {}, verified by {}",
                                signer.name(),
                                verifier.name()
                            );
                            let mut bad = sig.clone();
                            let last = bad.len() - 1;
                            bad[last] ^= 1;
                            let ok = crypto::verify(
                                verifier,
                                key.public_key(),
                                alg,
                                mt,
                                &input,
                                &bad,
                                None,
                            )
                            .unwrap();
                            assert!(
                                !ok,
                                "{spec} {alg} {mt}: tampered signature accepted by {}",
                                verifier.name()
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn sm2_raw_equals_digest_of_default_id_and_other_ids_differ() {
    let (a, b) = backends();
    let key = a.generate_key_pair(KeySpec::Sm2).unwrap();
    let msg = b"SM2 message";
    let sig = crypto::sign(b, &key, SigningAlgorithm::Sm2dsa, MessageType::Raw, msg).unwrap();
    let e = kmskit::sm2::digest(
        key.public_key(),
        msg,
        kmskit::sm2::DEFAULT_DISTINGUISHING_ID,
    )
    .unwrap();
    assert!(
        crypto::verify(
            a,
            key.public_key(),
            SigningAlgorithm::Sm2dsa,
            MessageType::Digest,
            &e,
            &sig,
            None
        )
        .unwrap()
    );
    let default_id = Some(&b"1234567812345678"[..]);
    assert!(
        crypto::verify(
            a,
            key.public_key(),
            SigningAlgorithm::Sm2dsa,
            MessageType::Raw,
            msg,
            &sig,
            default_id
        )
        .unwrap()
    );
    let other = Some(&b"alice@example.com"[..]);
    assert!(
        !crypto::verify(
            a,
            key.public_key(),
            SigningAlgorithm::Sm2dsa,
            MessageType::Raw,
            msg,
            &sig,
            other
        )
        .unwrap()
    );
    // sign under another ID by signing its digest
    let e2 = kmskit::sm2::digest(key.public_key(), msg, b"alice@example.com").unwrap();
    let sig2 = crypto::sign(a, &key, SigningAlgorithm::Sm2dsa, MessageType::Digest, &e2).unwrap();
    assert!(
        crypto::verify(
            b,
            key.public_key(),
            SigningAlgorithm::Sm2dsa,
            MessageType::Raw,
            msg,
            &sig2,
            other
        )
        .unwrap()
    );
}

#[test]
fn asymmetric_encryption_crosses_backends() {
    let (a, b) = backends();
    for &spec in KeySpec::ALL {
        for &alg in spec.info().encryption {
            if alg == EncryptionAlgorithm::SymmetricDefault {
                continue;
            }
            let max = crypto::max_plaintext(spec, alg).unwrap();
            for (made_by, key) in keys(spec) {
                for len in [1, max] {
                    let pt = vec![0x5au8; len];
                    for enc in [a, b] {
                        let ct = crypto::encrypt(enc, key.public_key(), alg, &pt).unwrap();
                        for dec in [a, b] {
                            let got = crypto::decrypt(dec, &key, alg, &ct).unwrap();
                            assert_eq!(
                                got.expose(),
                                &pt[..],
                                "{spec} {alg} len {len}: key {made_by}, {} -> {}",
                                enc.name(),
                                dec.name()
                            );
                        }
                        let mut bad = ct.clone();
                        let mid = bad.len() / 2;
                        bad[mid] ^= 0x80;
                        let err = crypto::decrypt(a, &key, alg, &bad).unwrap_err();
                        assert_eq!(
                            err.code().as_str(),
                            "InvalidCiphertextException",
                            "{spec} {alg}"
                        );
                    }
                }
                let err =
                    crypto::encrypt(a, key.public_key(), alg, &vec![0u8; max + 1]).unwrap_err();
                assert_eq!(err.code().as_str(), "ValidationException");
            }
        }
    }
}

/// The backend's RSA paddings, including the Encryption SDK keyring's OAEP-SHA-384/512 and
/// PKCS#1 v1.5, which KMS's own algorithms do not reach: each backend's ciphertext decrypts on
/// both, at the shortest and the longest plaintext, and one byte more is refused.
#[test]
fn every_rsa_padding_crosses_backends() {
    use kmskit::backend::RsaPadding;
    let (a, b) = backends();
    let key = a.generate_key_pair(KeySpec::Rsa2048).unwrap();
    for &padding in RsaPadding::ALL {
        let max = padding.max_plaintext(256);
        for len in [0, max] {
            let pt: Vec<u8> = (0..len).map(|i| (i % 251) as u8 + 1).collect();
            for enc in [a, b] {
                let ct = enc.rsa_encrypt(key.public_key(), padding, &pt).unwrap();
                assert_eq!(ct.len(), 256);
                for dec in [a, b] {
                    let got = dec.rsa_decrypt(&key, padding, &ct).unwrap();
                    assert_eq!(
                        got.expose(),
                        &pt[..],
                        "{padding:?} {len}: {} -> {}",
                        enc.name(),
                        dec.name()
                    );
                }
            }
        }
        for be in [a, b] {
            let err = be
                .rsa_encrypt(key.public_key(), padding, &vec![1; max + 1])
                .unwrap_err();
            assert_eq!(err.code().as_str(), "ValidationException", "{padding:?}");
        }
    }
}

#[test]
fn kms_rsa_oaep_limits() {
    for (spec, sha1, sha256) in [
        (KeySpec::Rsa2048, 214, 190),
        (KeySpec::Rsa3072, 342, 318),
        (KeySpec::Rsa4096, 470, 446),
    ] {
        assert_eq!(
            crypto::max_plaintext(spec, EncryptionAlgorithm::RsaesOaepSha1),
            Some(sha1)
        );
        assert_eq!(
            crypto::max_plaintext(spec, EncryptionAlgorithm::RsaesOaepSha256),
            Some(sha256)
        );
    }
    assert_eq!(
        crypto::max_plaintext(KeySpec::EccNistP256, EncryptionAlgorithm::RsaesOaepSha1),
        None
    );
}

#[test]
fn ecdh_agrees_across_backends() {
    let (a, b) = backends();
    for &spec in KeySpec::ALL
        .iter()
        .filter(|s| !s.info().key_agreement.is_empty())
    {
        let alice = a.generate_key_pair(spec).unwrap();
        let bob = b.generate_key_pair(spec).unwrap();
        let mut secrets: Vec<Secret> = Vec::new();
        for be in [a, b] {
            secrets.push(
                crypto::derive_shared_secret(
                    be,
                    &alice,
                    bob.public_key().spki_der(),
                    KeyAgreementAlgorithm::Ecdh,
                )
                .unwrap(),
            );
            secrets.push(
                crypto::derive_shared_secret(
                    be,
                    &bob,
                    alice.public_key().spki_der(),
                    KeyAgreementAlgorithm::Ecdh,
                )
                .unwrap(),
            );
        }
        let field = match spec {
            KeySpec::EccNistP384 => 48,
            KeySpec::EccNistP521 => 66,
            _ => 32,
        };
        assert_eq!(secrets[0].len(), field, "{spec}");
        assert!(secrets.iter().all(|s| *s == secrets[0]), "{spec}");
    }
    // another curve is a validation error; a spec without agreement is a key-usage error
    let p256 = a.generate_key_pair(KeySpec::EccNistP256).unwrap();
    let p384 = a.generate_key_pair(KeySpec::EccNistP384).unwrap();
    let err = crypto::derive_shared_secret(
        a,
        &p256,
        p384.public_key().spki_der(),
        KeyAgreementAlgorithm::Ecdh,
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "ValidationException");
    let k1 = a.generate_key_pair(KeySpec::EccSecgP256k1).unwrap();
    let err = crypto::derive_shared_secret(
        a,
        &k1,
        k1.public_key().spki_der(),
        KeyAgreementAlgorithm::Ecdh,
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "InvalidKeyUsageException");
}

#[test]
fn ml_kem_crosses_backends_with_implicit_rejection() {
    let (a, b) = backends();
    for spec in [KeySpec::MlKem512, KeySpec::MlKem768, KeySpec::MlKem1024] {
        for (made_by, key) in keys(spec) {
            for enc in [a, b] {
                let (ss, ct) = crypto::encapsulate(enc, key.public_key()).unwrap();
                assert_eq!(ss.len(), 32);
                for dec in [a, b] {
                    let got = crypto::decapsulate(dec, &key, &ct).unwrap();
                    assert_eq!(
                        got,
                        ss,
                        "{spec}: key {made_by}, {} -> {}",
                        enc.name(),
                        dec.name()
                    );
                }
                // implicit rejection: a modified ciphertext gives another 32-byte value, same on both
                let mut bad = ct.clone();
                bad[0] ^= 1;
                let ra = crypto::decapsulate(a, &key, &bad).unwrap();
                let rb = crypto::decapsulate(b, &key, &bad).unwrap();
                assert_eq!(ra.len(), 32);
                assert_ne!(ra, ss);
                assert_eq!(
                    ra, rb,
                    "{spec}: implicit rejection differs between backends"
                );
                let err = crypto::decapsulate(a, &key, &ct[1..]).unwrap_err();
                assert_eq!(err.code().as_str(), "InvalidCiphertextException");
            }
        }
    }
}

#[test]
fn hmac_and_aes_gcm_agree() {
    let (a, b) = backends();
    for spec in [
        KeySpec::Hmac224,
        KeySpec::Hmac256,
        KeySpec::Hmac384,
        KeySpec::Hmac512,
    ] {
        let alg = spec.info().mac[0];
        let key = Secret::new(vec![0x0b; spec.info().bits as usize / 8]);
        let ta = crypto::generate_mac(a, spec, &key, alg, b"message").unwrap();
        let tb = crypto::generate_mac(b, spec, &key, alg, b"message").unwrap();
        assert_eq!(ta, tb, "{spec}");
        crypto::verify_mac(b, spec, &key, alg, b"message", &ta).unwrap();
        let err = crypto::verify_mac(a, spec, &key, alg, b"messagE", &ta).unwrap_err();
        assert_eq!(err.code().as_str(), "KMSInvalidMacException");
        let err = crypto::generate_mac(
            a,
            spec,
            &key,
            MacAlgorithm::ALL
                .iter()
                .copied()
                .find(|m| *m != alg)
                .unwrap(),
            b"m",
        )
        .unwrap_err();
        assert_eq!(err.code().as_str(), "InvalidKeyUsageException");
    }
    for len in [16, 24, 32] {
        let key = vec![7u8; len];
        let nonce = [9u8; 12];
        for (enc, dec) in [(a, b), (b, a)] {
            let ct = enc
                .aes_gcm_seal(&key, &nonce, b"aad", b"plaintext")
                .unwrap();
            assert_eq!(
                dec.aes_gcm_open(&key, &nonce, b"aad", &ct)
                    .unwrap()
                    .expose(),
                b"plaintext"
            );
            let err = dec.aes_gcm_open(&key, &nonce, b"aaD", &ct).unwrap_err();
            assert_eq!(err.code().as_str(), "InvalidCiphertextException");
        }
        assert_eq!(
            a.aes_gcm_seal(&key, &nonce, b"", b"x").unwrap(),
            b.aes_gcm_seal(&key, &nonce, b"", b"x").unwrap()
        );
    }
}

#[test]
fn wrong_algorithm_and_message_type_are_kms_errors() {
    let a = backend::default();
    let key = a.generate_key_pair(KeySpec::EccNistEdwards25519).unwrap();
    let err = crypto::sign(
        a,
        &key,
        SigningAlgorithm::Ed25519Sha512,
        MessageType::Digest,
        &[0u8; 64],
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "ValidationException");
    let err = crypto::sign(
        a,
        &key,
        SigningAlgorithm::Ed25519PhSha512,
        MessageType::Raw,
        b"m",
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "ValidationException");
    let err = crypto::sign(
        a,
        &key,
        SigningAlgorithm::EcdsaSha256,
        MessageType::Raw,
        b"m",
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "InvalidKeyUsageException");
    let mldsa = a.generate_key_pair(KeySpec::MlDsa44).unwrap();
    let err = crypto::sign(
        a,
        &mldsa,
        SigningAlgorithm::MlDsaShake256,
        MessageType::Digest,
        &[0u8; 64],
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "ValidationException");
    let err = crypto::sign(
        a,
        &mldsa,
        SigningAlgorithm::MlDsaShake256,
        MessageType::ExternalMu,
        &[0u8; 63],
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "ValidationException");
    assert!(
        KeySpec::ALL
            .iter()
            .all(|s| s.info().family != KeyFamily::Symmetric || !s.is_asymmetric())
    );
}
