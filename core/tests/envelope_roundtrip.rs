//! Envelope messages: round trips through every written suite, frame length, size and
//! keyring, on every backend; streaming in pieces; the required-context check; the cache.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

#[path = "envelope_support.rs"]
mod support;

use kmskit::ErrorCode;
use kmskit::envelope::{
    self, AlgorithmSuite, CacheLimits, CachingKeyring, CommitmentPolicy, DecryptOptions,
    DecryptingReader, Decryptor, EncryptOptions, EncryptingWriter, EncryptionContext, Encryptor,
    Keyring, KmsKeyring, MultiKeyring, RawAesKeyring, Release, RsaPadding,
};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use support::*;

const MIB: usize = 1 << 20;

/// The message length kmskit writes: header + frames (+ footer), which pins the framing.
fn expected_body_len(size: usize, fl: usize) -> usize {
    let regular = if size == 0 { 0 } else { (size - 1) / fl };
    let last = size - regular * fl;
    regular * (4 + 12 + fl + 16) + (4 + 4 + 12 + 4 + last + 16)
}

#[test]
fn every_written_suite_frame_length_and_size_round_trips() {
    let kr = aes_keyring("aes-256");
    let cases: &[(u32, &[usize])] = &[
        (1, &[0, 1, 2, 1000]),
        (4096, &[0, 1, 4095, 4096, 4097, 8192, 3 * MIB + 7]),
        (MIB as u32, &[0, 1, MIB, 3 * MIB + 5]),
    ];
    for suite in [
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ] {
        for &(fl, sizes) in cases {
            for &size in sizes {
                for context in [EncryptionContext::new(), multi_ec()] {
                    let pt = plaintext(size);
                    for backend in kmskit::backend::all() {
                        if size > MIB && backend.name() != "aws-lc" {
                            continue; // large sizes once; the backends agree on the small ones
                        }
                        let opts = EncryptOptions {
                            encryption_context: context.clone(),
                            suite: Some(suite),
                            frame_length: fl,
                            backend: Some(backend),
                            ..Default::default()
                        };
                        let m = envelope::encrypt(&pt, &kr, &opts).unwrap();
                        // v2, the suite, and exactly the framing the specification describes
                        assert_eq!(m[0], 2);
                        assert_eq!(u16::from_be_bytes([m[1], m[2]]), suite.id());
                        let footer = if suite.is_signing() { 2 + 103 } else { 0 };
                        let body = expected_body_len(size, fl as usize);
                        assert!(m.len() > body + footer, "{suite} fl {fl} size {size}");
                        let header_len = m.len() - body - footer;
                        // the final frame follows the full regular frames
                        let regular = if size == 0 {
                            0
                        } else {
                            (size - 1) / fl as usize
                        };
                        let final_at = header_len + regular * (4 + 12 + fl as usize + 16);
                        assert_eq!(&m[final_at..final_at + 4], &[0xff; 4], "final frame marker");
                        for dbackend in kmskit::backend::all() {
                            let d = envelope::decrypt(
                                &m,
                                &kr,
                                &DecryptOptions {
                                    encryption_context: Some(context.clone()),
                                    backend: Some(dbackend),
                                    ..Default::default()
                                },
                            )
                            .unwrap();
                            assert!(
                                d.plaintext.expose() == &pt[..],
                                "{suite} fl {fl} size {size}"
                            );
                            assert_eq!(d.suite, suite);
                            assert_eq!(d.frame_length, Some(fl));
                            for (k, v) in &context {
                                assert_eq!(d.encryption_context.get(k), Some(v));
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn in_place_encryption_and_decryption_match_the_one_shot_calls() {
    let kr = aes_keyring("aes-256");
    let ec = multi_ec();
    for suite in [
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ] {
        for (fl, size) in [
            (1, 0),
            (1, 3),
            (7, 7),
            (7, 8),
            (4096, 0),
            (4096, 4096),
            (4096, 10_000),
            (4096, 2 * MIB + 1), // regular frames sealed on several threads
        ] {
            let pt = plaintext(size);
            let opts = EncryptOptions {
                encryption_context: ec.clone(),
                suite: Some(suite),
                frame_length: fl,
                plaintext_length: Some(size as u64),
                ..Default::default()
            };
            let e = Encryptor::new(&kr, &opts).unwrap();
            let len = e.message_length().unwrap();
            assert_eq!(
                len,
                envelope::encrypt(&pt, &kr, &opts).unwrap().len(),
                "{suite} {fl} {size}"
            );
            let mut message = vec![0u8; len];
            e.encrypt_into(&pt, &mut message).unwrap();
            let d = envelope::decrypt(&message, &kr, &DecryptOptions::default()).unwrap();
            assert!(d.plaintext.expose() == &pt[..], "{suite} {fl} {size}");

            assert_eq!(envelope::plaintext_length(&message).unwrap(), size);
            let mut out = vec![0u8; size];
            let info = envelope::decrypt_into(&message, &kr, &DecryptOptions::default(), &mut out)
                .unwrap();
            assert!(out == pt && info.suite == suite && info.frame_length == Some(fl));

            // a tampered message leaves nothing behind in the caller's buffer
            let mut bad = message.clone();
            let at = bad.len() - 20;
            bad[at] ^= 1;
            let mut out = vec![0xAAu8; size];
            let e = envelope::decrypt_into(&bad, &kr, &DecryptOptions::default(), &mut out);
            assert_eq!(e.unwrap_err().code(), ErrorCode::InvalidCiphertextException);
            assert!(
                out.iter().all(|&b| b == 0),
                "{suite} {fl} {size}: not wiped"
            );
        }
    }
    // the wrong buffer size is a validation error, not a partial write
    let opts = EncryptOptions {
        plaintext_length: Some(10),
        ..Default::default()
    };
    let e = Encryptor::new(&kr, &opts).unwrap();
    let mut short = vec![0u8; e.message_length().unwrap() - 1];
    let err = e.encrypt_into(&[0; 10], &mut short).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ValidationException);
    let unannounced = Encryptor::new(&kr, &EncryptOptions::default()).unwrap();
    assert_eq!(unannounced.message_length(), None);
    let m = envelope::encrypt(&[1; 10], &kr, &EncryptOptions::default()).unwrap();
    let err = envelope::decrypt_into(&m, &kr, &DecryptOptions::default(), &mut [0; 9]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ValidationException);
    for cut in [0, 5, m.len() / 2, m.len() - 1] {
        let err = envelope::plaintext_length(&m[..cut]).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::InvalidCiphertextException,
            "cut {cut}"
        );
    }
}

#[test]
fn format_1_suites_round_trip_when_the_policy_forbids_commitment() {
    let kr = aes_keyring("aes-256");
    for &suite in AlgorithmSuite::ALL.iter().filter(|s| !s.is_committing()) {
        let opts = EncryptOptions {
            encryption_context: multi_ec(),
            suite: Some(suite),
            commitment_policy: CommitmentPolicy::ForbidEncryptAllowDecrypt,
            ..Default::default()
        };
        let pt = plaintext(10_000);
        let m = envelope::encrypt(&pt, &kr, &opts).unwrap();
        assert_eq!(&m[..2], &[1, 0x80]);
        let d = envelope::decrypt(
            &m,
            &kr,
            &DecryptOptions {
                commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(d.plaintext.expose(), &pt[..], "{suite}");
        assert_eq!(d.message_id.len(), 16);
    }
    // the default suite of that policy is 0x0378
    let opts = EncryptOptions {
        commitment_policy: CommitmentPolicy::ForbidEncryptAllowDecrypt,
        ..Default::default()
    };
    let m = envelope::encrypt(b"x", &kr, &opts).unwrap();
    assert_eq!(&m[2..4], &[0x03, 0x78]);
}

#[test]
fn keyrings_of_every_kind_round_trip_on_every_backend() {
    let mut keyrings: Vec<(Box<dyn Keyring>, Box<dyn Keyring>)> = Vec::new();
    for name in ["aes-128", "aes-192", "aes-256"] {
        keyrings.push((Box::new(aes_keyring(name)), Box::new(aes_keyring(name))));
    }
    for &padding in RsaPadding::ALL {
        keyrings.push((
            Box::new(rsa_keyring("rsa-2048", padding, false)),
            Box::new(rsa_keyring("rsa-2048", padding, true)),
        ));
    }
    for (enc, dec) in &keyrings {
        for backend in kmskit::backend::all() {
            for suite in [
                AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
                AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
            ] {
                let opts = EncryptOptions {
                    encryption_context: multi_ec(),
                    suite: Some(suite),
                    backend: Some(backend),
                    ..Default::default()
                };
                let m = envelope::encrypt(b"data", &**enc, &opts).unwrap();
                let d = envelope::decrypt(
                    &m,
                    &**dec,
                    &DecryptOptions {
                        backend: Some(backend),
                        ..Default::default()
                    },
                )
                .unwrap_or_else(|e| panic!("{} on {}: {e}", dec.describe(), backend.name()));
                assert_eq!(d.plaintext.expose(), b"data");
            }
        }
    }
}

fn local_kms() -> (Arc<Mutex<kmskit::kms::Kms>>, String) {
    let mut kms = kmskit::kms::Kms::new(kmskit::kms::KmsConfig::default()).unwrap();
    let created = kms.call("CreateKey", "{}").unwrap();
    let v: serde_json::Value = serde_json::from_str(&created).unwrap();
    let arn = v["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    (Arc::new(Mutex::new(kms)), arn)
}

#[test]
fn local_kms_keyring_and_multi_keyring() {
    let (kms, arn) = local_kms();
    let kms_kr = KmsKeyring::new(kms.clone(), &arn);
    let m = envelope::encrypt(
        b"via kms",
        &kms_kr,
        &EncryptOptions {
            encryption_context: multi_ec(),
            ..Default::default()
        },
    )
    .unwrap();
    let d = envelope::decrypt(&m, &kms_kr, &DecryptOptions::default()).unwrap();
    assert_eq!(d.plaintext.expose(), b"via kms");
    assert_eq!(d.encrypted_data_keys[0].provider_id, "kmskit-kms");
    assert_eq!(d.encrypted_data_keys[0].provider_info, arn.as_bytes());

    // KMS generates, raw AES and raw RSA also wrap; each alone decrypts
    let multi = MultiKeyring::new(
        Some(Box::new(KmsKeyring::new(kms.clone(), &arn))),
        vec![
            Box::new(aes_keyring("aes-256")),
            Box::new(rsa_keyring("rsa-2048", RsaPadding::OaepSha256, false)),
        ],
    )
    .unwrap();
    let opts = EncryptOptions {
        suite: Some(AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384),
        ..Default::default()
    };
    let m = envelope::encrypt(b"three ways", &multi, &opts).unwrap();
    let d = envelope::decrypt(&m, &multi, &DecryptOptions::default()).unwrap();
    assert_eq!(d.encrypted_data_keys.len(), 3);
    let alone: Vec<Box<dyn Keyring>> = vec![
        Box::new(KmsKeyring::new(kms.clone(), &arn)),
        Box::new(aes_keyring("aes-256")),
        Box::new(rsa_keyring("rsa-2048", RsaPadding::OaepSha256, true)),
    ];
    for k in &alone {
        let d = envelope::decrypt(&m, &**k, &DecryptOptions::default()).unwrap();
        assert_eq!(d.plaintext.expose(), b"three ways");
    }

    // a keyring that matches nothing says which EDKs it saw and why each was skipped
    let other = RawAesKeyring::new("elsewhere", "k", &[7u8; 32]).unwrap();
    let e = envelope::decrypt(&m, &other, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::IncorrectKeyException);
    for needle in [
        "EDK #1 (kmskit-kms",
        "EDK #2 (kmskit-interop, 'aes-256'",
        "EDK #3",
        "skipped",
    ] {
        assert!(e.message().contains(needle), "{needle}: {e}");
    }
    // same namespace and name, another key: authentication failed, InvalidCiphertext
    let wrong = RawAesKeyring::new(NAMESPACE, "aes-256", &[7u8; 32]).unwrap();
    let e = envelope::decrypt(&m, &wrong, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
    assert!(
        e.message().contains("EDK #2") && e.message().contains("failed"),
        "{e}"
    );
    // a multi-keyring reports every child
    let both = MultiKeyring::new(None, vec![Box::new(other), Box::new(wrong)]).unwrap();
    let e = envelope::decrypt(&m, &both, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
    assert!(e.message().contains("elsewhere/k") && e.message().contains("kmskit-interop/aes-256"));

    // the whole encryption context reaches KMS: a KMS ciphertext is bound to it
    let d = envelope::decrypt(&m, &alone[0], &DecryptOptions::default()).unwrap();
    assert!(d.encryption_context.contains_key(envelope::PUBLIC_KEY_KEY));
}

fn random_chunks(data: &[u8], seed: u64) -> Vec<&[u8]> {
    let mut x = seed | 1;
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = ((x % 9000) as usize + 1).min(rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
    }
    out
}

#[test]
fn streaming_in_pieces_matches_one_shot() {
    let kr = aes_keyring("aes-256");
    let pt = plaintext(200_000);
    for suite in [
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ] {
        let opts = EncryptOptions {
            suite: Some(suite),
            frame_length: 1000,
            encryption_context: multi_ec(),
            ..Default::default()
        };
        // push API, random chunks
        let mut e = Encryptor::new(&kr, &opts).unwrap();
        let mut m = Vec::new();
        for c in random_chunks(&pt, 7) {
            e.update(c, &mut m).unwrap();
            // memory: never more than one frame of plaintext is pending
        }
        e.finish(&mut m).unwrap();
        assert!(e.update(b"more", &mut m).is_err());
        let d = envelope::decrypt(&m, &kr, &DecryptOptions::default()).unwrap();
        assert_eq!(d.plaintext.expose(), &pt[..]);

        // decrypt in random chunks, and byte by byte for the first 5000 bytes
        for seed in [3u64, 11, 12345] {
            let mut dec = Decryptor::new(&kr, DecryptOptions::default());
            let mut out = Vec::new();
            let mut released_before_end = 0;
            for c in random_chunks(&m, seed) {
                dec.update(c, &mut out).unwrap();
                if !dec.is_done() {
                    released_before_end = out.len();
                }
                // per-frame release: what came out is whole frames
                assert_eq!(out.len() % 1000, 0);
            }
            let info = dec.finish(&mut out).unwrap();
            assert_eq!(out, pt);
            assert_eq!(info.suite, suite);
            assert!(released_before_end > 0);
        }
        let mut dec = Decryptor::new(&kr, DecryptOptions::default());
        let mut out = Vec::new();
        for b in &m[..5000] {
            dec.update(std::slice::from_ref(b), &mut out).unwrap();
        }
        dec.update(&m[5000..], &mut out).unwrap();
        dec.finish(&mut out).unwrap();
        assert_eq!(out, pt);

        // after-verification release: nothing until the end
        let mut dec = Decryptor::new(
            &kr,
            DecryptOptions {
                release: Release::AfterVerification,
                ..Default::default()
            },
        );
        let mut out = Vec::new();
        dec.update(&m[..m.len() - 1], &mut out).unwrap();
        assert!(out.is_empty());
        dec.update(&m[m.len() - 1..], &mut out).unwrap();
        dec.finish(&mut out).unwrap();
        assert_eq!(out, pt);
    }
}

#[test]
fn io_adapters_stream_a_large_message() {
    let kr = aes_keyring("aes-256");
    let pt = plaintext(5 * MIB + 123);
    let opts = EncryptOptions {
        suite: Some(AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384),
        ..Default::default()
    };
    let mut w = EncryptingWriter::new(Vec::new(), &kr, &opts).unwrap();
    for c in pt.chunks(10_007) {
        w.write_all(c).unwrap();
    }
    let m = w.finish().unwrap();
    let mut r = DecryptingReader::new(&m[..], &kr, DecryptOptions::default());
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    assert!(out == pt);
    assert_eq!(
        r.message_info().unwrap().suite,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384
    );
    // a truncated message is an InvalidData error carrying the kmskit error
    let mut r = DecryptingReader::new(&m[..m.len() - 10], &kr, DecryptOptions::default());
    let e = r.read_to_end(&mut Vec::new()).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    let inner = e
        .get_ref()
        .unwrap()
        .downcast_ref::<kmskit::Error>()
        .unwrap();
    assert_eq!(inner.code(), ErrorCode::InvalidCiphertextException);
}

#[test]
fn required_encryption_context_is_authenticated_but_not_stored() {
    let kr = aes_keyring("aes-256");
    let context = ec(&[("tenant", "t1"), ("secret-ish", "s")]);
    let opts = EncryptOptions {
        encryption_context: context.clone(),
        required_encryption_context_keys: vec!["secret-ish".into()],
        ..Default::default()
    };
    let m = envelope::encrypt(b"pt", &kr, &opts).unwrap();
    assert!(!m.windows(10).any(|w| w == b"secret-ish"));
    // without the withheld pair: the header (and the raw AES EDK) does not authenticate
    let e = envelope::decrypt(&m, &kr, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
    // with it (and only with the right value)
    let ok = DecryptOptions {
        encryption_context: Some(ec(&[("secret-ish", "s")])),
        required_encryption_context_keys: vec!["secret-ish".into()],
        ..Default::default()
    };
    let d = envelope::decrypt(&m, &kr, &ok).unwrap();
    assert_eq!(d.encryption_context, context);
    let bad = DecryptOptions {
        encryption_context: Some(ec(&[("secret-ish", "x")])),
        ..Default::default()
    };
    assert!(envelope::decrypt(&m, &kr, &bad).is_err());
    // a required key the caller did not supply
    let missing = DecryptOptions {
        encryption_context: Some(ec(&[("tenant", "t1")])),
        required_encryption_context_keys: vec!["secret-ish".into()],
        ..Default::default()
    };
    let e = envelope::decrypt(&m, &kr, &missing).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ValidationException);
    // encrypt: a required key must be in the context
    let e = envelope::encrypt(
        b"pt",
        &kr,
        &EncryptOptions {
            required_encryption_context_keys: vec!["nope".into()],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ValidationException);
}

/// A keyring that counts how often it is asked for a data key.
#[derive(Debug)]
struct Counting(RawAesKeyring, Arc<AtomicUsize>, Arc<AtomicUsize>);

impl Keyring for Counting {
    fn describe(&self) -> String {
        "counting".into()
    }
    fn on_encrypt(
        &self,
        b: &dyn kmskit::backend::Backend,
        m: &mut envelope::EncryptionMaterials,
    ) -> kmskit::Result<()> {
        self.1.fetch_add(1, Ordering::SeqCst);
        self.0.on_encrypt(b, m)
    }
    fn on_decrypt(
        &self,
        b: &dyn kmskit::backend::Backend,
        m: &mut envelope::DecryptionMaterials,
        e: &[envelope::EncryptedDataKey],
    ) -> kmskit::Result<()> {
        self.2.fetch_add(1, Ordering::SeqCst);
        self.0.on_decrypt(b, m, e)
    }
}

static NOW: AtomicU64 = AtomicU64::new(1_000);

fn fake_clock() -> u64 {
    NOW.load(Ordering::SeqCst)
}

#[test]
fn data_key_cache_honours_its_limits() {
    let enc = Arc::new(AtomicUsize::new(0));
    let dec = Arc::new(AtomicUsize::new(0));
    let inner = Counting(aes_keyring("aes-256"), enc.clone(), dec.clone());
    let limits = CacheLimits {
        max_age_ms: 10_000,
        max_messages: 3,
        max_bytes: 1000,
        capacity: 4,
    };
    let cache = CachingKeyring::with_clock(inner, limits, fake_clock).unwrap();
    for suite in [
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ] {
        enc.store(0, Ordering::SeqCst);
        dec.store(0, Ordering::SeqCst);
        cache.clear();
        let opts = EncryptOptions {
            suite: Some(suite),
            encryption_context: multi_ec(),
            ..Default::default()
        };
        let mut messages = Vec::new();
        for _ in 0..7 {
            messages.push(envelope::encrypt(b"small", &cache, &opts).unwrap());
        }
        // 3 messages per data key: 7 messages need 3 data keys
        assert_eq!(enc.load(Ordering::SeqCst), 3);
        for m in &messages {
            let d = envelope::decrypt(m, &cache, &DecryptOptions::default()).unwrap();
            assert_eq!(d.plaintext.expose(), b"small");
        }
        // the same EDKs decrypt from the cache (3 per entry too)
        assert_eq!(dec.load(Ordering::SeqCst), 3);
        // bytes: a 600-byte message and another do not share a key (1000-byte limit)
        enc.store(0, Ordering::SeqCst);
        cache.clear();
        envelope::encrypt(&[0u8; 600], &cache, &opts).unwrap();
        envelope::encrypt(&[0u8; 600], &cache, &opts).unwrap();
        assert_eq!(enc.load(Ordering::SeqCst), 2);
        // another context: another entry
        let other = EncryptOptions {
            encryption_context: ec(&[("x", "y")]),
            ..opts.clone()
        };
        envelope::encrypt(b"a", &cache, &other).unwrap();
        assert_eq!(enc.load(Ordering::SeqCst), 3);
        // age
        envelope::encrypt(b"a", &cache, &other).unwrap();
        assert_eq!(enc.load(Ordering::SeqCst), 3);
        NOW.fetch_add(10_001, Ordering::SeqCst);
        envelope::encrypt(b"a", &cache, &other).unwrap();
        assert_eq!(enc.load(Ordering::SeqCst), 4);
        // unknown length (streaming): the cache is bypassed
        let mut e = Encryptor::new(&cache, &other).unwrap();
        let mut m = Vec::new();
        e.update(b"stream", &mut m).unwrap();
        e.finish(&mut m).unwrap();
        assert_eq!(enc.load(Ordering::SeqCst), 5);
    }
}

#[test]
fn bad_options_are_validation_errors() {
    let kr = aes_keyring("aes-256");
    let cases = [
        EncryptOptions {
            frame_length: 0,
            ..Default::default()
        },
        EncryptOptions {
            suite: Some(AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384),
            ..Default::default()
        },
        EncryptOptions {
            commitment_policy: CommitmentPolicy::ForbidEncryptAllowDecrypt,
            suite: Some(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey),
            ..Default::default()
        },
        EncryptOptions {
            encryption_context: ec(&[("aws-crypto-public-key", "x")]),
            ..Default::default()
        },
    ];
    for opts in &cases {
        let e = envelope::encrypt(b"pt", &kr, opts).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationException, "{opts:?}: {e}");
    }
    // an announced length is enforced, both ways
    let opts = EncryptOptions {
        plaintext_length: Some(3),
        ..Default::default()
    };
    let mut e = Encryptor::new(&kr, &opts).unwrap();
    let mut m = Vec::new();
    assert!(e.update(b"four", &mut m).is_err());
    let mut e = Encryptor::new(&kr, &opts).unwrap();
    e.update(b"tw", &mut m).unwrap();
    assert_eq!(
        e.finish(&mut m).unwrap_err().code(),
        ErrorCode::ValidationException
    );
    for len in [0usize, 8, 31, 33] {
        assert_eq!(
            RawAesKeyring::new("ns", "k", &vec![1; len])
                .unwrap_err()
                .code(),
            ErrorCode::ValidationException
        );
    }
    assert!(RawAesKeyring::new("aws-kms", "k", &[1; 32]).is_err());
    assert!(MultiKeyring::new(None, vec![]).is_err());
    assert_eq!(
        AlgorithmSuite::parse("0x0578").unwrap(),
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384
    );
    assert_eq!(
        AlgorithmSuite::parse("AES_256_GCM_HKDF_SHA512_COMMIT_KEY").unwrap(),
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey
    );
}
