//! Envelope messages that must fail: flipped bits in header, body and footer, truncation, a
//! wrong encryption context, a wrong commit key, too many EDKs, trailing bytes, refused
//! suites. Each fails with a typed error, and nothing is released.

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
    self, AlgorithmSuite, CommitmentPolicy, DecryptOptions, Decryptor, EncryptOptions,
    MultiKeyring, RawAesKeyring, Release,
};
use support::*;

struct Case {
    suite: AlgorithmSuite,
    message: Vec<u8>,
    /// Offsets where the body starts and the footer starts.
    body_at: usize,
    footer_at: usize,
}

fn header_len(m: &[u8]) -> usize {
    // parse just enough of a v2/v1 header to find its end
    let v2 = m[0] == 2;
    let mut p = if v2 { 1 + 2 + 32 } else { 2 + 2 + 16 };
    let aad = usize::from(u16::from_be_bytes([m[p], m[p + 1]]));
    p += 2 + aad;
    let count = u16::from_be_bytes([m[p], m[p + 1]]);
    p += 2;
    for _ in 0..count * 3 {
        p += 2 + usize::from(u16::from_be_bytes([m[p], m[p + 1]]));
    }
    p += 1 + 4; // content type, frame length
    if v2 { p + 32 + 16 } else { p + 5 + 12 + 16 }
}

fn cases() -> Vec<Case> {
    let kr = aes_keyring("aes-256");
    let mut out = Vec::new();
    for (suite, policy) in [
        (
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
            CommitmentPolicy::default(),
        ),
        (
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
            CommitmentPolicy::default(),
        ),
        (
            AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
            CommitmentPolicy::ForbidEncryptAllowDecrypt,
        ),
    ] {
        let opts = EncryptOptions {
            suite: Some(suite),
            frame_length: 64,
            encryption_context: multi_ec(),
            commitment_policy: policy,
            ..Default::default()
        };
        let message = envelope::encrypt(&plaintext(300), &kr, &opts).unwrap();
        let body_at = header_len(&message);
        let footer_at = if suite.is_signing() {
            message.len() - 2 - 103
        } else {
            message.len()
        };
        out.push(Case {
            suite,
            message,
            body_at,
            footer_at,
        });
    }
    out
}

fn allow_v1() -> DecryptOptions {
    DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..Default::default()
    }
}

/// Decrypts with both the one-shot API and the after-verification streaming mode; both must
/// fail and release nothing. Returns the error code.
fn must_fail(message: &[u8], what: &str) -> ErrorCode {
    let kr = aes_keyring("aes-256");
    let e = envelope::decrypt(message, &kr, &allow_v1())
        .map(|_| ())
        .expect_err(what);
    let mut d = Decryptor::new(
        &kr,
        DecryptOptions {
            release: Release::AfterVerification,
            ..allow_v1()
        },
    );
    let mut out = Vec::new();
    let streamed = d
        .update(message, &mut out)
        .and_then(|()| d.finish(&mut out).map(|_| ()));
    assert!(streamed.is_err(), "{what}: streaming accepted it");
    assert!(
        out.is_empty(),
        "{what}: streaming released {} bytes",
        out.len()
    );
    e.code()
}

#[test]
fn every_flipped_bit_position_sampled_fails() {
    for c in cases() {
        let m = &c.message;
        // the whole header, byte by byte (one bit each, rotating)
        for pos in 0..c.body_at {
            let mut bad = m.clone();
            bad[pos] ^= 1 << (pos % 8);
            let code = must_fail(&bad, &format!("{} header byte {pos}", c.suite));
            // flips in an EDK's provider ID or key name make it "not for this keyring"
            assert!(
                matches!(
                    code,
                    ErrorCode::InvalidCiphertextException | ErrorCode::IncorrectKeyException
                ),
                "{} header byte {pos}: {code}",
                c.suite
            );
        }
        // the body, every 5th byte, and the footer, every byte
        let positions = (c.body_at..c.footer_at)
            .step_by(5)
            .chain(c.footer_at..m.len())
            .chain([m.len() - 1]);
        for pos in positions {
            let mut bad = m.clone();
            bad[pos] ^= 0x80 >> (pos % 8);
            let code = must_fail(&bad, &format!("{} byte {pos}", c.suite));
            assert_eq!(
                code,
                ErrorCode::InvalidCiphertextException,
                "{} byte {pos}",
                c.suite
            );
        }
    }
}

#[test]
fn every_truncation_fails_and_so_do_trailing_bytes() {
    for c in cases() {
        let m = &c.message;
        for len in (0..m.len()).step_by(3).chain([m.len() - 1]) {
            let code = must_fail(&m[..len], &format!("{} truncated to {len}", c.suite));
            assert_eq!(code, ErrorCode::InvalidCiphertextException);
        }
        let mut long = m.clone();
        long.push(0);
        assert_eq!(
            must_fail(&long, "trailing byte"),
            ErrorCode::InvalidCiphertextException
        );
        let mut twice = m.clone();
        twice.extend_from_slice(m);
        assert_eq!(
            must_fail(&twice, "two messages"),
            ErrorCode::InvalidCiphertextException
        );
    }
}

#[test]
fn wrong_encryption_context_fails() {
    let kr = aes_keyring("aes-256");
    let m = envelope::encrypt(
        b"pt",
        &kr,
        &EncryptOptions {
            encryption_context: ec(&[("k", "v")]),
            ..Default::default()
        },
    )
    .unwrap();
    for expected in [ec(&[("k", "other")]), ec(&[("k", "v"), ("extra", "x")])] {
        let e = envelope::decrypt(
            &m,
            &kr,
            &DecryptOptions {
                encryption_context: Some(expected.clone()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.code(),
            ErrorCode::InvalidCiphertextException,
            "{expected:?}"
        );
    }
}

#[test]
fn a_commit_key_that_does_not_match_is_refused() {
    for c in cases().into_iter().filter(|c| c.suite.is_committing()) {
        // the commit key is the 32 bytes before the header tag
        let at = c.body_at - 16 - 32;
        let mut bad = c.message.clone();
        bad[at + 5] ^= 0x10;
        let kr = aes_keyring("aes-256");
        let e = envelope::decrypt(&bad, &kr, &DecryptOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
        assert!(e.message().contains("commitment"), "{e}");
    }
}

#[test]
fn too_many_encrypted_data_keys() {
    let kr = |n: u8| -> Box<dyn envelope::Keyring> {
        Box::new(RawAesKeyring::new("ns", &format!("k{n}"), &[n; 32]).unwrap())
    };
    let multi = MultiKeyring::new(Some(kr(1)), vec![kr(2), kr(3)]).unwrap();
    let m = envelope::encrypt(b"pt", &multi, &EncryptOptions::default()).unwrap();
    let limited = DecryptOptions {
        max_encrypted_data_keys: Some(2),
        ..Default::default()
    };
    let e = envelope::decrypt(&m, &multi, &limited).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceededException);
    let ok = DecryptOptions {
        max_encrypted_data_keys: Some(3),
        ..Default::default()
    };
    assert!(envelope::decrypt(&m, &multi, &ok).is_ok());
    let e = envelope::encrypt(
        b"pt",
        &multi,
        &EncryptOptions {
            max_encrypted_data_keys: Some(2),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceededException);
    // the limit applies as soon as the count is read, before the keys arrive
    let mut d = Decryptor::new(&multi, limited);
    let at = header_len(&m);
    let mut out = Vec::new();
    // version, suite ID, message ID, an empty AAD: the EDK count comes next
    let count_at = 1 + 2 + 32 + 2 + 1;
    let e = d.update(&m[..count_at + 1], &mut out).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceededException);
    assert!(at > count_at);
}

#[test]
fn format_1_messages_need_an_explicit_policy() {
    let c = cases().pop().unwrap();
    assert!(!c.suite.is_committing());
    let kr = aes_keyring("aes-256");
    let e = envelope::decrypt(&c.message, &kr, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
    assert!(envelope::decrypt(&c.message, &kr, &allow_v1()).is_ok());
}

#[test]
fn signed_messages_release_frames_early_only_per_frame() {
    // a signing suite with a bad footer: per-frame release hands out the (tag-verified) frames,
    // then fails at the footer; after-verification release hands out nothing
    let c = cases().remove(1);
    assert!(c.suite.is_signing());
    let mut bad = c.message.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let kr = aes_keyring("aes-256");
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    let mut out = Vec::new();
    let e = d.update(&bad, &mut out).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCiphertextException);
    assert_eq!(
        out,
        plaintext(300),
        "per-frame mode released every frame before the footer"
    );
    let mut d = Decryptor::new(
        &kr,
        DecryptOptions {
            release: Release::AfterVerification,
            ..Default::default()
        },
    );
    let mut out = Vec::new();
    assert!(d.update(&bad, &mut out).is_err());
    assert!(out.is_empty());
    // the buffer limit of that mode
    let mut d = Decryptor::new(
        &kr,
        DecryptOptions {
            release: Release::AfterVerification,
            buffer_limit: 100,
            ..Default::default()
        },
    );
    let e = d.update(&c.message, &mut out).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceededException);
    assert!(out.is_empty());
}

#[test]
fn garbage_is_invalid_ciphertext() {
    let kr = aes_keyring("aes-256");
    for m in [
        &b""[..],
        b"\x00",
        b"\x03abc",
        b"\x02\x99\x99",
        b"hello world, not a message",
    ] {
        let e = envelope::decrypt(m, &kr, &DecryptOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidCiphertextException, "{m:?}");
    }
}
