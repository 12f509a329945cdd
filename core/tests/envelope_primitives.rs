//! The backend primitives added for envelope messages, on every backend: a reusable AES-GCM
//! key and incremental SHA-2 hashing. Each is held to the one-shot primitives and to known
//! answers, and the backends to each other.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use kmskit::spec::Hash;

#[test]
fn aes_gcm_key_matches_one_shot_aes_gcm_and_rejects_tampering() {
    let nonce = [9u8; 12];
    let aad = b"header bytes";
    let pt: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    for len in [16usize, 24, 32] {
        let key: Vec<u8> = (0..len as u8).collect();
        let mut outputs = Vec::new();
        for b in kmskit::backend::all() {
            let k = b.aes_gcm_key(&key).unwrap();
            let mut buf = pt.clone();
            let tag = k.seal_in_place(&nonce, aad, &mut buf).unwrap();
            let mut joined = buf.clone();
            joined.extend_from_slice(&tag);
            assert_eq!(
                joined,
                b.aes_gcm_seal(&key, &nonce, aad, &pt).unwrap(),
                "{}",
                b.name()
            );
            let mut out = vec![0u8; buf.len()];
            k.open_into(&nonce, aad, &buf, &tag, &mut out).unwrap();
            assert_eq!(out, pt);
            // empty plaintext: a bare tag (header authentication)
            let t = k.seal_in_place(&nonce, aad, &mut []).unwrap();
            k.open_into(&nonce, aad, &[], &t, &mut []).unwrap();
            let mut bad = t;
            bad[0] ^= 1;
            assert!(k.open_into(&nonce, aad, &[], &bad, &mut []).is_err());
            let mut ct = buf.clone();
            ct[500] ^= 4;
            let e = k.open_into(&nonce, aad, &ct, &tag, &mut out).unwrap_err();
            assert_eq!(e.code(), kmskit::ErrorCode::InvalidCiphertextException);
            assert!(
                k.open_into(&nonce, b"other aad", &buf, &tag, &mut out)
                    .is_err()
            );
            outputs.push(joined);
        }
        assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    }
    for b in kmskit::backend::all() {
        assert_eq!(
            b.aes_gcm_key(&[0u8; 20]).err().map(|e| e.code()),
            Some(kmskit::ErrorCode::ValidationException)
        );
    }
}

#[test]
fn incremental_hashes_match_known_answers() {
    // FIPS 180-2 "abc" examples, fed in pieces
    let cases = [
        (
            Hash::Sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            Hash::Sha384,
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
        ),
        (
            Hash::Sha512,
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
    ];
    for b in kmskit::backend::all() {
        for (hash, expected) in cases {
            let mut h = b.hash_context(hash).unwrap();
            h.update(b"a");
            h.update(b"");
            h.update(b"bc");
            assert_eq!(hex::encode(h.finish()), expected, "{} {hash:?}", b.name());
        }
        assert!(b.hash_context(Hash::Sm3).is_err());
    }
}
