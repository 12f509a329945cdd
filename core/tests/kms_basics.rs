//! The local KMS through its JSON protocol (`Kms::call`), as any binding or server uses it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::kms::{DAY_MS, Kms, KmsConfig};
use serde_json::{Value, json};

fn kms() -> Kms {
    Kms::new(KmsConfig {
        seed: Some(b"kms tests".to_vec()),
        ..KmsConfig::default()
    })
    .unwrap()
}

fn call(kms: &mut Kms, op: &str, req: Value) -> Value {
    let out = kms
        .call(op, &req.to_string())
        .unwrap_or_else(|e| panic!("{op}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn err(kms: &mut Kms, op: &str, req: Value) -> String {
    match kms.call(op, &req.to_string()) {
        Ok(v) => panic!("{op} succeeded: {v}"),
        Err(e) => e.code().as_str().to_string(),
    }
}

fn b64(b: &[u8]) -> String {
    Base64::encode_string(b)
}

fn unb64(v: &Value) -> Vec<u8> {
    Base64::decode_vec(v.as_str().unwrap()).unwrap()
}

fn create(kms: &mut Kms, req: Value) -> String {
    call(kms, "CreateKey", req)["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn symmetric_encrypt_decrypt_with_context() {
    let mut k = kms();
    let meta = call(&mut k, "CreateKey", json!({}));
    let m = &meta["KeyMetadata"];
    assert_eq!(m["KeySpec"], "SYMMETRIC_DEFAULT");
    assert_eq!(m["KeyUsage"], "ENCRYPT_DECRYPT");
    assert_eq!(m["KeyState"], "Enabled");
    assert_eq!(m["Enabled"], true);
    assert_eq!(m["Origin"], "AWS_KMS");
    assert_eq!(m["EncryptionAlgorithms"], json!(["SYMMETRIC_DEFAULT"]));
    assert_eq!(m["AWSAccountId"], "111122223333");
    let id = m["KeyId"].as_str().unwrap();
    assert!(m["Arn"].as_str().unwrap().ends_with(&format!(":key/{id}")));
    let ctx = json!({"purpose": "test", "app": "kmskit"});
    let enc = call(
        &mut k,
        "Encrypt",
        json!({"KeyId": id, "Plaintext": b64(b"hello"), "EncryptionContext": ctx}),
    );
    assert_eq!(enc["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
    let blob = enc["CiphertextBlob"].clone();
    // symmetric Decrypt needs no KeyId; the context must match exactly (order does not matter)
    let dec = call(
        &mut k,
        "Decrypt",
        json!({"CiphertextBlob": blob, "EncryptionContext": {"app": "kmskit", "purpose": "test"}}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"hello");
    assert_eq!(dec["KeyId"], m["Arn"]);
    for wrong in [
        json!({}),
        json!({"purpose": "Test", "app": "kmskit"}),
        json!({"purpose": "test"}),
    ] {
        assert_eq!(
            err(
                &mut k,
                "Decrypt",
                json!({"CiphertextBlob": blob, "EncryptionContext": wrong})
            ),
            "InvalidCiphertextException"
        );
    }
    // a flipped bit anywhere is InvalidCiphertextException
    let raw = unb64(&blob);
    for i in [0, 5, raw.len() / 2, raw.len() - 1] {
        let mut bad = raw.clone();
        bad[i] ^= 1;
        let code = err(
            &mut k,
            "Decrypt",
            json!({"CiphertextBlob": b64(&bad), "EncryptionContext": ctx}),
        );
        assert!(
            code == "InvalidCiphertextException" || code == "NotFoundException",
            "{i}: {code}"
        );
    }
    // another key named: IncorrectKeyException
    let other = create(&mut k, json!({}));
    assert_eq!(
        err(
            &mut k,
            "Decrypt",
            json!({"CiphertextBlob": blob, "KeyId": other, "EncryptionContext": ctx})
        ),
        "IncorrectKeyException"
    );
    // limits
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(&[0u8; 4097])})
        ),
        "ValidationException"
    );
}

#[test]
fn rotation_keeps_old_ciphertexts_decryptable() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    let mut blobs = Vec::new();
    for i in 0..4u8 {
        let enc = call(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(&[i])}),
        );
        blobs.push(enc["CiphertextBlob"].clone());
        call(&mut k, "RotateKeyOnDemand", json!({"KeyId": id}));
    }
    for (i, blob) in blobs.iter().enumerate() {
        let dec = call(&mut k, "Decrypt", json!({"CiphertextBlob": blob}));
        assert_eq!(unb64(&dec["Plaintext"]), [i as u8]);
    }
    let rotations = call(&mut k, "ListKeyRotations", json!({"KeyId": id}));
    assert_eq!(rotations["Rotations"].as_array().unwrap().len(), 4);
    assert_eq!(rotations["Rotations"][0]["RotationType"], "ON_DEMAND");
    // automatic rotation, driven by the clock
    call(
        &mut k,
        "EnableKeyRotation",
        json!({"KeyId": id, "RotationPeriodInDays": 90}),
    );
    let status = call(&mut k, "GetKeyRotationStatus", json!({"KeyId": id}));
    assert_eq!(status["KeyRotationEnabled"], true);
    assert_eq!(status["RotationPeriodInDays"], 90);
    k.advance_ms(91 * DAY_MS);
    let rotations = call(&mut k, "ListKeyRotations", json!({"KeyId": id}));
    assert_eq!(rotations["Rotations"].as_array().unwrap().len(), 5);
    assert_eq!(rotations["Rotations"][4]["RotationType"], "AUTOMATIC");
    assert_eq!(
        unb64(&call(&mut k, "Decrypt", json!({"CiphertextBlob": blobs[0]}))["Plaintext"]),
        [0]
    );
    assert_eq!(
        err(
            &mut k,
            "EnableKeyRotation",
            json!({"KeyId": id, "RotationPeriodInDays": 89})
        ),
        "ValidationException"
    );
    for _ in 0..6 {
        call(&mut k, "RotateKeyOnDemand", json!({"KeyId": id}));
    }
    assert_eq!(
        err(&mut k, "RotateKeyOnDemand", json!({"KeyId": id})),
        "LimitExceededException"
    );
    let ecc = create(
        &mut k,
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
    );
    assert_eq!(
        err(&mut k, "EnableKeyRotation", json!({"KeyId": ecc})),
        "UnsupportedOperationException"
    );
}

#[test]
fn deletion_follows_the_clock_and_cancel_disables() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    call(
        &mut k,
        "CreateAlias",
        json!({"AliasName": "alias/doomed", "TargetKeyId": id}),
    );
    assert_eq!(
        err(
            &mut k,
            "ScheduleKeyDeletion",
            json!({"KeyId": id, "PendingWindowInDays": 6})
        ),
        "ValidationException"
    );
    let r = call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(r["KeyState"], "PendingDeletion");
    assert_eq!(r["PendingWindowInDays"], 7);
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x")})
        ),
        "KMSInvalidStateException"
    );
    call(&mut k, "CancelKeyDeletion", json!({"KeyId": id}));
    let m = call(&mut k, "DescribeKey", json!({"KeyId": id}));
    assert_eq!(m["KeyMetadata"]["KeyState"], "Disabled");
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": "alias/doomed", "Plaintext": b64(b"x")})
        ),
        "DisabledException"
    );
    call(&mut k, "EnableKey", json!({"KeyId": id}));
    call(
        &mut k,
        "Encrypt",
        json!({"KeyId": "alias/doomed", "Plaintext": b64(b"x")}),
    );
    call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    k.advance_ms(7 * DAY_MS - 1);
    call(&mut k, "DescribeKey", json!({"KeyId": id}));
    k.advance_ms(2);
    assert_eq!(
        err(&mut k, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    assert!(
        call(&mut k, "ListAliases", json!({}))["Aliases"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn aliases_and_tags() {
    let mut k = kms();
    let a = create(
        &mut k,
        json!({"Tags": [{"TagKey": "team", "TagValue": "blue"}]}),
    );
    let b = create(&mut k, json!({}));
    let hmac = create(
        &mut k,
        json!({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}),
    );
    call(
        &mut k,
        "CreateAlias",
        json!({"AliasName": "alias/app", "TargetKeyId": a}),
    );
    assert_eq!(
        err(
            &mut k,
            "CreateAlias",
            json!({"AliasName": "alias/app", "TargetKeyId": b})
        ),
        "AlreadyExistsException"
    );
    assert_eq!(
        err(
            &mut k,
            "CreateAlias",
            json!({"AliasName": "alias/aws/s3", "TargetKeyId": b})
        ),
        "InvalidAliasNameException"
    );
    assert_eq!(
        err(
            &mut k,
            "CreateAlias",
            json!({"AliasName": "app", "TargetKeyId": b})
        ),
        "ValidationException"
    );
    // aliases work in crypto operations and DescribeKey, not in management operations
    call(
        &mut k,
        "Encrypt",
        json!({"KeyId": "alias/app", "Plaintext": b64(b"x")}),
    );
    assert_eq!(
        call(&mut k, "DescribeKey", json!({"KeyId": "alias/app"}))["KeyMetadata"]["KeyId"],
        a
    );
    let alias_arn = "arn:aws:kms:us-east-1:111122223333:alias/app";
    assert_eq!(
        call(&mut k, "DescribeKey", json!({"KeyId": alias_arn}))["KeyMetadata"]["KeyId"],
        a
    );
    assert_eq!(
        err(&mut k, "DisableKey", json!({"KeyId": "alias/app"})),
        "NotFoundException"
    );
    // UpdateAlias only between keys of the same type and usage
    call(
        &mut k,
        "UpdateAlias",
        json!({"AliasName": "alias/app", "TargetKeyId": b}),
    );
    assert_eq!(
        call(&mut k, "DescribeKey", json!({"KeyId": "alias/app"}))["KeyMetadata"]["KeyId"],
        b
    );
    assert_eq!(
        err(
            &mut k,
            "UpdateAlias",
            json!({"AliasName": "alias/app", "TargetKeyId": hmac})
        ),
        "ValidationException"
    );
    let listed = call(&mut k, "ListAliases", json!({"KeyId": b}));
    assert_eq!(listed["Aliases"][0]["AliasArn"], alias_arn);
    call(&mut k, "DeleteAlias", json!({"AliasName": "alias/app"}));
    assert_eq!(
        err(&mut k, "DeleteAlias", json!({"AliasName": "alias/app"})),
        "NotFoundException"
    );
    // tags
    call(
        &mut k,
        "TagResource",
        json!({"KeyId": a, "Tags": [{"TagKey": "team", "TagValue": "red"}, {"TagKey": "env", "TagValue": ""}]}),
    );
    let tags = call(&mut k, "ListResourceTags", json!({"KeyId": a}));
    assert_eq!(
        tags["Tags"],
        json!([{"TagKey": "env", "TagValue": ""}, {"TagKey": "team", "TagValue": "red"}])
    );
    call(
        &mut k,
        "UntagResource",
        json!({"KeyId": a, "TagKeys": ["env", "absent"]}),
    );
    assert_eq!(
        call(&mut k, "ListResourceTags", json!({"KeyId": a}))["Tags"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let many: Vec<Value> = (0..50)
        .map(|i| json!({"TagKey": format!("k{i}"), "TagValue": "v"}))
        .collect();
    assert_eq!(
        err(&mut k, "TagResource", json!({"KeyId": a, "Tags": many})),
        "LimitExceededException"
    );
    assert_eq!(
        err(
            &mut k,
            "TagResource",
            json!({"KeyId": a, "Tags": [{"TagKey": "aws:x", "TagValue": "v"}]})
        ),
        "TagException"
    );
    // key policy
    let p = call(
        &mut k,
        "GetKeyPolicy",
        json!({"KeyId": a, "PolicyName": "default"}),
    );
    assert!(
        p["Policy"]
            .as_str()
            .unwrap()
            .contains("arn:aws:iam::111122223333:root")
    );
    assert_eq!(
        call(&mut k, "ListKeyPolicies", json!({"KeyId": a}))["PolicyNames"],
        json!(["default"])
    );
    assert_eq!(
        err(
            &mut k,
            "PutKeyPolicy",
            json!({"KeyId": a, "Policy": "not json"})
        ),
        "MalformedPolicyDocumentException"
    );
    assert_eq!(
        err(
            &mut k,
            "PutKeyPolicy",
            json!({"KeyId": a, "Policy": format!("{{\"x\":\"{}\"}}", "a".repeat(32_768))})
        ),
        "LimitExceededException"
    );
}

#[test]
fn asymmetric_keys_make_kms_compatible_bytes() {
    let mut k = kms();
    for (spec, alg) in [
        ("RSA_2048", "RSASSA_PSS_SHA_256"),
        ("ECC_NIST_P256", "ECDSA_SHA_256"),
        ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
        ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512"),
        ("ML_DSA_65", "ML_DSA_SHAKE_256"),
        ("SM2", "SM2DSA"),
    ] {
        let id = create(&mut k, json!({"KeySpec": spec, "KeyUsage": "SIGN_VERIFY"}));
        let sig = call(
            &mut k,
            "Sign",
            json!({"KeyId": id, "Message": b64(b"msg"), "SigningAlgorithm": alg}),
        );
        let pk = call(&mut k, "GetPublicKey", json!({"KeyId": id}));
        assert_eq!(pk["KeySpec"], spec);
        assert_eq!(pk["KeyUsage"], "SIGN_VERIFY");
        // the offline API (what a browser would run) verifies the KMS signature
        let ok = kmskit::offline::verify(
            &unb64(&pk["PublicKey"]),
            b"msg",
            &unb64(&sig["Signature"]),
            kmskit::SigningAlgorithm::parse(alg).unwrap(),
            kmskit::MessageType::Raw,
            None,
        )
        .unwrap();
        assert!(ok, "{spec}");
        let v = call(
            &mut k,
            "Verify",
            json!({"KeyId": id, "Message": b64(b"msg"), "Signature": sig["Signature"], "SigningAlgorithm": alg}),
        );
        assert_eq!(v["SignatureValid"], true);
        assert_eq!(
            err(
                &mut k,
                "Verify",
                json!({"KeyId": id, "Message": b64(b"msX"), "Signature": sig["Signature"], "SigningAlgorithm": alg})
            ),
            "KMSInvalidSignatureException"
        );
        assert_eq!(
            err(
                &mut k,
                "Encrypt",
                json!({"KeyId": id, "Plaintext": b64(b"x")})
            ),
            "InvalidKeyUsageException"
        );
    }
    // RSA encryption: the public key encrypts offline, KMS decrypts
    let rsa = create(
        &mut k,
        json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}),
    );
    let pk = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": rsa}))["PublicKey"]);
    let ct = kmskit::offline::encrypt(
        &pk,
        b"offline",
        kmskit::EncryptionAlgorithm::RsaesOaepSha256,
    )
    .unwrap();
    let dec = call(
        &mut k,
        "Decrypt",
        json!({"KeyId": rsa, "CiphertextBlob": b64(&ct), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"offline");
    assert_eq!(
        err(
            &mut k,
            "Decrypt",
            json!({"CiphertextBlob": b64(&ct), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
        ),
        "InvalidCiphertextException"
    );
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": rsa, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256", "EncryptionContext": {"a": "b"}})
        ),
        "ValidationException"
    );
    let enc = call(
        &mut k,
        "Encrypt",
        json!({"KeyId": rsa, "Plaintext": b64(b"kms"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}),
    );
    let dec = call(
        &mut k,
        "Decrypt",
        json!({"KeyId": rsa, "CiphertextBlob": enc["CiphertextBlob"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"kms");
    assert_eq!(
        err(
            &mut k,
            "Sign",
            json!({"KeyId": rsa, "Message": b64(b"m"), "SigningAlgorithm": "RSASSA_PSS_SHA_256"})
        ),
        "InvalidKeyUsageException"
    );
    let sym = create(&mut k, json!({}));
    assert_eq!(
        err(&mut k, "GetPublicKey", json!({"KeyId": sym})),
        "UnsupportedOperationException"
    );
}

#[test]
fn data_keys_macs_agreement_and_kem() {
    let mut k = kms();
    let sym = create(&mut k, json!({}));
    let dk = call(
        &mut k,
        "GenerateDataKey",
        json!({"KeyId": sym, "KeySpec": "AES_256", "EncryptionContext": {"f": "1"}}),
    );
    assert_eq!(unb64(&dk["Plaintext"]).len(), 32);
    let back = call(
        &mut k,
        "Decrypt",
        json!({"CiphertextBlob": dk["CiphertextBlob"], "EncryptionContext": {"f": "1"}}),
    );
    assert_eq!(back["Plaintext"], dk["Plaintext"]);
    let no_pt = call(
        &mut k,
        "GenerateDataKeyWithoutPlaintext",
        json!({"KeyId": sym, "NumberOfBytes": 64}),
    );
    assert!(no_pt.get("Plaintext").is_none());
    assert_eq!(
        unb64(
            &call(
                &mut k,
                "Decrypt",
                json!({"CiphertextBlob": no_pt["CiphertextBlob"]})
            )["Plaintext"]
        )
        .len(),
        64
    );
    assert_eq!(
        err(&mut k, "GenerateDataKey", json!({"KeyId": sym})),
        "ValidationException"
    );
    assert_eq!(
        err(
            &mut k,
            "GenerateDataKey",
            json!({"KeyId": sym, "KeySpec": "AES_256", "NumberOfBytes": 32})
        ),
        "ValidationException"
    );
    assert_eq!(
        err(
            &mut k,
            "GenerateDataKey",
            json!({"KeyId": sym, "NumberOfBytes": 1025})
        ),
        "ValidationException"
    );
    // data key pairs: the private key comes back encrypted and in plaintext
    let pair = call(
        &mut k,
        "GenerateDataKeyPair",
        json!({"KeyId": sym, "KeyPairSpec": "ECC_NIST_P256"}),
    );
    let private = unb64(&pair["PrivateKeyPlaintext"]);
    let parsed = kmskit::PrivateKey::from_pkcs8_der(&private).unwrap();
    assert_eq!(parsed.public_key().spki_der(), unb64(&pair["PublicKey"]));
    let dec = call(
        &mut k,
        "Decrypt",
        json!({"CiphertextBlob": pair["PrivateKeyCiphertextBlob"]}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), private);
    assert_eq!(
        err(
            &mut k,
            "GenerateDataKeyPair",
            json!({"KeyId": sym, "KeyPairSpec": "ML_DSA_44"})
        ),
        "ValidationException"
    );
    // MACs
    let mac_key = create(
        &mut k,
        json!({"KeySpec": "HMAC_384", "KeyUsage": "GENERATE_VERIFY_MAC"}),
    );
    let mac = call(
        &mut k,
        "GenerateMac",
        json!({"KeyId": mac_key, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_384"}),
    );
    assert_eq!(unb64(&mac["Mac"]).len(), 48);
    let ok = call(
        &mut k,
        "VerifyMac",
        json!({"KeyId": mac_key, "Message": b64(b"m"), "Mac": mac["Mac"], "MacAlgorithm": "HMAC_SHA_384"}),
    );
    assert_eq!(ok["MacValid"], true);
    assert_eq!(
        err(
            &mut k,
            "VerifyMac",
            json!({"KeyId": mac_key, "Message": b64(b"n"), "Mac": mac["Mac"], "MacAlgorithm": "HMAC_SHA_384"})
        ),
        "KMSInvalidMacException"
    );
    assert_eq!(
        err(
            &mut k,
            "GenerateMac",
            json!({"KeyId": mac_key, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256"})
        ),
        "InvalidKeyUsageException"
    );
    // key agreement: KMS and an offline party derive the same secret
    let ka = create(
        &mut k,
        json!({"KeySpec": "ECC_NIST_P384", "KeyUsage": "KEY_AGREEMENT"}),
    );
    let kms_public = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": ka}))["PublicKey"]);
    let mine = kmskit::backend::default()
        .generate_key_pair(kmskit::KeySpec::EccNistP384)
        .unwrap();
    let from_kms = call(
        &mut k,
        "DeriveSharedSecret",
        json!({"KeyId": ka, "KeyAgreementAlgorithm": "ECDH", "PublicKey": b64(mine.public_key().spki_der())}),
    );
    let offline = kmskit::offline::derive_shared_secret(
        mine.pkcs8_der().expose(),
        &kms_public,
        kmskit::KeyAgreementAlgorithm::Ecdh,
    )
    .unwrap();
    assert_eq!(unb64(&from_kms["SharedSecret"]), offline.expose());
    assert_eq!(from_kms["KeyOrigin"], "AWS_KMS");
    // ML-KEM: offline encapsulation, KMS decapsulation (and the reverse)
    let kem = create(
        &mut k,
        json!({"KeySpec": "ML_KEM_768", "KeyUsage": "ENCAPSULATE_DECAPSULATE"}),
    );
    let kem_public = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": kem}))["PublicKey"]);
    let (ss, ct) = kmskit::offline::encapsulate(&kem_public).unwrap();
    let d = call(
        &mut k,
        "Decapsulate",
        json!({"KeyId": kem, "SharedSecretCiphertextBlob": b64(&ct), "EncapsulationAlgorithm": "ML_KEM"}),
    );
    assert_eq!(unb64(&d["SharedSecret"]), ss.expose());
    let e = call(
        &mut k,
        "Encapsulate",
        json!({"KeyId": kem, "EncapsulationAlgorithm": "ML_KEM"}),
    );
    assert_eq!(unb64(&e["SharedSecretCiphertextBlob"]).len(), 1088);
    let d = call(
        &mut k,
        "Decapsulate",
        json!({"KeyId": kem, "SharedSecretCiphertextBlob": e["SharedSecretCiphertextBlob"], "EncapsulationAlgorithm": "ML_KEM"}),
    );
    assert_eq!(d["SharedSecret"], e["SharedSecret"]);
    assert_eq!(
        err(
            &mut k,
            "Decapsulate",
            json!({"KeyId": kem, "SharedSecretCiphertextBlob": b64(&ct[1..]), "EncapsulationAlgorithm": "ML_KEM"})
        ),
        "InvalidCiphertextException"
    );
    // random
    assert_eq!(
        unb64(&call(&mut k, "GenerateRandom", json!({"NumberOfBytes": 17}))["Plaintext"]).len(),
        17
    );
    assert_eq!(
        err(&mut k, "GenerateRandom", json!({"NumberOfBytes": 0})),
        "ValidationException"
    );
}

#[test]
fn deterministic_mode_repeats_exactly() {
    let run = || {
        let mut k = kms();
        let id = create(&mut k, json!({}));
        let enc = call(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"same")}),
        );
        let ec = create(
            &mut k,
            json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
        );
        let pk = call(&mut k, "GetPublicKey", json!({"KeyId": ec}));
        let rsa = create(
            &mut k,
            json!({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}),
        );
        let rsa_pk = call(&mut k, "GetPublicKey", json!({"KeyId": rsa}));
        (
            id,
            enc["CiphertextBlob"].clone(),
            pk["PublicKey"].clone(),
            rsa_pk["PublicKey"].clone(),
        )
    };
    assert_eq!(run(), run());
    let mut other = Kms::new(KmsConfig {
        seed: Some(b"other seed".to_vec()),
        ..KmsConfig::default()
    })
    .unwrap();
    assert_ne!(create(&mut other, json!({})), run().0);
}

#[test]
fn dry_run_and_request_validation() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x"), "DryRun": true})
        ),
        "DryRunOperationException"
    );
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x"), "Bogus": 1})
        ),
        "ValidationException"
    );
    assert_eq!(
        err(&mut k, "Encrypt", json!({"Plaintext": b64(b"x")})),
        "ValidationException"
    );
    assert_eq!(
        err(&mut k, "Encrypt", json!({"KeyId": id, "Plaintext": "!!"})),
        "ValidationException"
    );
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Plaintext": b64(b"x")})
        ),
        "NotFoundException"
    );
    assert_eq!(
        err(
            &mut k,
            "Encrypt",
            json!({"KeyId": "arn:aws:kms:eu-west-1:111122223333:key/".to_string() + &id, "Plaintext": b64(b"x")})
        ),
        "NotFoundException"
    );
    assert_eq!(
        err(&mut k, "NoSuchOperation", json!({})),
        "UnsupportedOperationException"
    );
    assert_eq!(
        err(
            &mut k,
            "CreateKey",
            json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"})
        ),
        "ValidationException"
    );
    assert_eq!(
        err(&mut k, "CreateKey", json!({"KeySpec": "RSA_2048"})),
        "ValidationException"
    );
    // TrentService.<Operation> names work too
    assert!(k.call("TrentService.ListKeys", "{}").unwrap().contains(&id));
}
