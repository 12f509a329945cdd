//! Multi-Region keys between the Regions of one local KMS (`Kms::call_in`): ReplicateKey,
//! UpdatePrimaryRegion, shared material and rotation, and the deletion of related keys.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::Secret;
use kmskit::kms::model::{ExpirationModel, Imported, KeyMaterial, KeyState, MaterialVersion};
use kmskit::kms::{DAY_MS, KeyStore, Kms, KmsConfig, MemoryStore};
use serde_json::{Value, json};

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";
const AP: &str = "ap-southeast-2";

fn kms() -> Kms {
    Kms::new(KmsConfig {
        seed: Some(b"kms multi-Region tests".to_vec()),
        ..KmsConfig::default()
    })
    .unwrap()
}

fn call(kms: &mut Kms, region: &str, op: &str, req: Value) -> Value {
    let out = kms
        .call_in(region, op, &req.to_string())
        .unwrap_or_else(|e| panic!("{op} in {region}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn err(kms: &mut Kms, region: &str, op: &str, req: Value) -> String {
    match kms.call_in(region, op, &req.to_string()) {
        Ok(v) => panic!("{op} in {region} succeeded: {v}"),
        Err(e) => e.code().as_str().to_string(),
    }
}

fn b64(b: &[u8]) -> String {
    Base64::encode_string(b)
}

fn unb64(v: &Value) -> Vec<u8> {
    Base64::decode_vec(v.as_str().unwrap()).unwrap()
}

fn create_mrk(kms: &mut Kms, req: Value) -> String {
    let mut req = req;
    req["MultiRegion"] = json!(true);
    call(kms, US, "CreateKey", req)["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

fn replicate(kms: &mut Kms, id: &str, to: &str) -> Value {
    call(
        kms,
        US,
        "ReplicateKey",
        json!({"KeyId": id, "ReplicaRegion": to}),
    )
}

fn describe(kms: &mut Kms, region: &str, id: &str) -> Value {
    call(kms, region, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone()
}

fn arn(region: &str, id: &str) -> String {
    format!("arn:aws:kms:{region}:111122223333:key/{id}")
}

fn encrypt(kms: &mut Kms, region: &str, id: &str, plaintext: &[u8]) -> Value {
    call(
        kms,
        region,
        "Encrypt",
        json!({"KeyId": id, "Plaintext": b64(plaintext), "EncryptionContext": {"k": "v"}}),
    )["CiphertextBlob"]
        .clone()
}

fn decrypt(kms: &mut Kms, region: &str, blob: &Value) -> Value {
    call(
        kms,
        region,
        "Decrypt",
        json!({"CiphertextBlob": blob, "EncryptionContext": {"k": "v"}}),
    )
}

/// The (primary Region, replica Regions) that DescribeKey shows in `region`.
fn topology(kms: &mut Kms, region: &str, id: &str) -> (String, String, Vec<String>) {
    let m = describe(kms, region, id);
    let c = &m["MultiRegionConfiguration"];
    let primary = c["PrimaryKey"]["Region"].as_str().unwrap().to_string();
    assert_eq!(c["PrimaryKey"]["Arn"], arn(&primary, id));
    let replicas = c["ReplicaKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let region = r["Region"].as_str().unwrap().to_string();
            assert_eq!(r["Arn"], arn(&region, id));
            region
        })
        .collect();
    (
        c["MultiRegionKeyType"].as_str().unwrap().to_string(),
        primary,
        replicas,
    )
}

#[test]
fn replicas_in_two_regions_cross_decrypt() {
    let mut k = kms();
    let id = create_mrk(
        &mut k,
        json!({"Description": "primary", "Tags": [{"TagKey": "t", "TagValue": "p"}]}),
    );
    assert!(id.starts_with("mrk-"));
    // ciphertext from before any replica existed
    let early = encrypt(&mut k, US, &id, b"before replication");

    k.advance_ms(1000);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"eu","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    let out = call(
        &mut k,
        US,
        "ReplicateKey",
        json!({
            "KeyId": arn(US, &id),
            "ReplicaRegion": EU,
            "Description": "replica in Europe",
            "Policy": policy,
            "BypassPolicyLockoutSafetyCheck": true,
            "Tags": [{"TagKey": "site", "TagValue": "eu"}],
        }),
    );
    let m = &out["ReplicaKeyMetadata"];
    assert_eq!(m["KeyId"], id.as_str());
    assert_eq!(m["Arn"], arn(EU, &id));
    assert_eq!(m["KeyState"], "Enabled");
    assert_eq!(m["Enabled"], true);
    assert_eq!(m["Description"], "replica in Europe");
    assert_eq!(m["MultiRegion"], true);
    assert_eq!(m["KeySpec"], "SYMMETRIC_DEFAULT");
    assert_eq!(m["KeyUsage"], "ENCRYPT_DECRYPT");
    assert_eq!(m["Origin"], "AWS_KMS");
    assert_eq!(
        m["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "REPLICA"
    );
    assert_eq!(m["MultiRegionConfiguration"]["PrimaryKey"]["Region"], US);
    assert_eq!(
        m["MultiRegionConfiguration"]["ReplicaKeys"],
        json!([{"Arn": arn(EU, &id), "Region": EU}])
    );
    assert_eq!(out["ReplicaPolicy"], policy);
    assert_eq!(
        out["ReplicaTags"],
        json!([{"TagKey": "site", "TagValue": "eu"}])
    );
    // the replica is a key of its own Region, created now
    let primary = describe(&mut k, US, &id);
    assert_eq!(
        m["CreationDate"].as_f64().unwrap() - primary["CreationDate"].as_f64().unwrap(),
        1.0
    );
    assert_eq!(m["CurrentKeyMaterialId"], primary["CurrentKeyMaterialId"]);
    let listed = call(&mut k, EU, "ListKeys", json!({}));
    assert_eq!(
        listed["Keys"],
        json!([{"KeyId": id, "KeyArn": arn(EU, &id)}])
    );

    // without Description, Policy and Tags: empty, the default key policy, none
    let out = replicate(&mut k, &id, AP);
    assert_eq!(out["ReplicaKeyMetadata"]["Description"], "");
    assert_eq!(out["ReplicaTags"], json!([]));
    let default_policy: Value =
        serde_json::from_str(out["ReplicaPolicy"].as_str().unwrap()).unwrap();
    assert_eq!(default_policy["Id"], "key-default-1");
    assert_eq!(
        default_policy["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );

    // every related key shows the same topology
    for region in [US, EU, AP] {
        let (kind, primary, replicas) = topology(&mut k, region, &id);
        assert_eq!(kind, if region == US { "PRIMARY" } else { "REPLICA" });
        assert_eq!(primary, US);
        assert_eq!(replicas, [EU, AP]);
    }

    // any related key decrypts any related key's ciphertext, in both directions
    let mut blobs = vec![(US.to_string(), b"before replication".to_vec(), early)];
    for region in [US, EU, AP] {
        let text = format!("from {region}").into_bytes();
        blobs.push((
            region.to_string(),
            text.clone(),
            encrypt(&mut k, region, &id, &text),
        ));
    }
    for (from, text, blob) in &blobs {
        for to in [US, EU, AP] {
            let dec = decrypt(&mut k, to, blob);
            assert_eq!(unb64(&dec["Plaintext"]), *text, "{from} -> {to}");
            // Decrypt answers with the key ARN of the Region it ran in
            assert_eq!(dec["KeyId"], arn(to, &id));
        }
    }
    // ReEncrypt across the set: a blob from Europe, re-encrypted in Asia, decrypts at home
    let re = call(
        &mut k,
        AP,
        "ReEncrypt",
        json!({"CiphertextBlob": blobs[2].2, "SourceEncryptionContext": {"k": "v"},
               "DestinationKeyId": id, "DestinationEncryptionContext": {"k": "v"}}),
    );
    assert_eq!(
        unb64(&decrypt(&mut k, US, &re["CiphertextBlob"])["Plaintext"]),
        b"from eu-west-1"
    );

    // independent properties: description, tags, policy, enabled state, aliases
    assert_eq!(describe(&mut k, US, &id)["Description"], "primary");
    let tags = |k: &mut Kms, region: &str| {
        call(k, region, "ListResourceTags", json!({"KeyId": id}))["Tags"].clone()
    };
    assert_eq!(tags(&mut k, US), json!([{"TagKey": "t", "TagValue": "p"}]));
    assert_eq!(
        tags(&mut k, EU),
        json!([{"TagKey": "site", "TagValue": "eu"}])
    );
    call(
        &mut k,
        EU,
        "UpdateKeyDescription",
        json!({"KeyId": id, "Description": "changed"}),
    );
    assert_eq!(describe(&mut k, US, &id)["Description"], "primary");
    assert_eq!(
        call(&mut k, EU, "GetKeyPolicy", json!({"KeyId": id}))["Policy"],
        policy
    );
    assert_ne!(
        call(&mut k, US, "GetKeyPolicy", json!({"KeyId": id}))["Policy"],
        policy
    );
    call(&mut k, US, "DisableKey", json!({"KeyId": id}));
    assert_eq!(
        err(
            &mut k,
            US,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x")})
        ),
        "DisabledException"
    );
    // a replica stays usable while its primary is disabled
    assert_eq!(describe(&mut k, EU, &id)["KeyState"], "Enabled");
    let blob = encrypt(&mut k, EU, &id, b"primary disabled");
    assert_eq!(
        unb64(&decrypt(&mut k, AP, &blob)["Plaintext"]),
        b"primary disabled"
    );
    call(&mut k, US, "EnableKey", json!({"KeyId": id}));
    call(
        &mut k,
        EU,
        "CreateAlias",
        json!({"AliasName": "alias/shared", "TargetKeyId": id}),
    );
    let blob = encrypt(&mut k, EU, "alias/shared", b"via alias");
    assert_eq!(
        unb64(&decrypt(&mut k, US, &blob)["Plaintext"]),
        b"via alias"
    );
    assert_eq!(
        err(
            &mut k,
            US,
            "Encrypt",
            json!({"KeyId": "alias/shared", "Plaintext": b64(b"x")})
        ),
        "NotFoundException"
    );
}

#[test]
fn asymmetric_and_hmac_replicas_share_their_keys() {
    let mut k = kms();
    let ecc = create_mrk(
        &mut k,
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
    );
    let rsa = create_mrk(
        &mut k,
        json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}),
    );
    let hmac = create_mrk(
        &mut k,
        json!({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}),
    );
    for id in [&ecc, &rsa, &hmac] {
        let out = replicate(&mut k, id, EU);
        let primary = describe(&mut k, US, id);
        let m = &out["ReplicaKeyMetadata"];
        for field in [
            "KeySpec",
            "KeyUsage",
            "Origin",
            "SigningAlgorithms",
            "EncryptionAlgorithms",
            "MacAlgorithms",
        ] {
            assert_eq!(m[field], primary[field], "{field}");
        }
    }
    // the same public key in every Region
    for id in [&ecc, &rsa] {
        let a = call(&mut k, US, "GetPublicKey", json!({"KeyId": id}));
        let b = call(&mut k, EU, "GetPublicKey", json!({"KeyId": id}));
        assert_eq!(a["PublicKey"], b["PublicKey"]);
        assert_eq!(a["KeyId"], arn(US, id));
        assert_eq!(b["KeyId"], arn(EU, id));
    }
    // signed in Europe, verified at the primary
    let sig = call(
        &mut k,
        EU,
        "Sign",
        json!({"KeyId": ecc, "Message": b64(b"msg"), "SigningAlgorithm": "ECDSA_SHA_256"}),
    );
    let ok = call(
        &mut k,
        US,
        "Verify",
        json!({"KeyId": ecc, "Message": b64(b"msg"), "Signature": sig["Signature"],
               "SigningAlgorithm": "ECDSA_SHA_256"}),
    );
    assert_eq!(ok["SignatureValid"], true);
    // RSA ciphertext made at the primary decrypts in the replica
    let enc = call(
        &mut k,
        US,
        "Encrypt",
        json!({"KeyId": rsa, "Plaintext": b64(b"rsa"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
    );
    let dec = call(
        &mut k,
        EU,
        "Decrypt",
        json!({"KeyId": rsa, "CiphertextBlob": enc["CiphertextBlob"],
               "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"rsa");
    // the same MAC in every Region
    let mac = |k: &mut Kms, region: &str| {
        call(
            k,
            region,
            "GenerateMac",
            json!({"KeyId": hmac, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256"}),
        )["Mac"]
            .clone()
    };
    let (a, b) = (mac(&mut k, US), mac(&mut k, EU));
    assert_eq!(a, b);
    let v = call(
        &mut k,
        EU,
        "VerifyMac",
        json!({"KeyId": hmac, "Message": b64(b"m"), "Mac": a, "MacAlgorithm": "HMAC_SHA_256"}),
    );
    assert_eq!(v["MacValid"], true);
}

#[test]
fn rotation_happens_on_the_primary_and_reaches_the_replicas() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    let before = encrypt(&mut k, EU, &id, b"v1");
    call(
        &mut k,
        US,
        "EnableKeyRotation",
        json!({"KeyId": id, "RotationPeriodInDays": 90}),
    );
    // a replica created after rotation was enabled shares the setting
    replicate(&mut k, &id, AP);
    for region in [US, EU, AP] {
        let s = call(&mut k, region, "GetKeyRotationStatus", json!({"KeyId": id}));
        assert_eq!(s["KeyRotationEnabled"], true, "{region}");
        assert_eq!(s["RotationPeriodInDays"], 90, "{region}");
    }
    // replicas cannot manage rotation
    for region in [EU, AP] {
        for op in [
            "EnableKeyRotation",
            "DisableKeyRotation",
            "RotateKeyOnDemand",
        ] {
            assert_eq!(
                err(&mut k, region, op, json!({"KeyId": id})),
                "UnsupportedOperationException",
                "{op} in {region}"
            );
        }
    }
    let rotations = |k: &mut Kms, region: &str| {
        call(k, region, "ListKeyRotations", json!({"KeyId": id}))["Rotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["KeyMaterialId"].as_str().unwrap().to_string(),
                    r["RotationType"].as_str().unwrap().to_string(),
                    r["RotationDate"].as_f64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    // one automatic rotation, once, with one new version shared by every related key
    k.advance_ms(90 * DAY_MS);
    let at_primary = rotations(&mut k, US);
    assert_eq!(at_primary.len(), 1);
    assert_eq!(at_primary[0].1, "AUTOMATIC");
    for region in [EU, AP] {
        assert_eq!(rotations(&mut k, region), at_primary, "{region}");
    }
    let current = describe(&mut k, US, &id)["CurrentKeyMaterialId"].clone();
    assert_eq!(current.as_str().unwrap(), at_primary[0].0);
    for region in [EU, AP] {
        assert_eq!(
            describe(&mut k, region, &id)["CurrentKeyMaterialId"],
            current
        );
        let s = call(&mut k, region, "GetKeyRotationStatus", json!({"KeyId": id}));
        assert_eq!(
            s["NextRotationDate"],
            call(&mut k, US, "GetKeyRotationStatus", json!({"KeyId": id}))["NextRotationDate"]
        );
    }
    // new material in Asia, old material from Europe: both decrypt everywhere
    let after = encrypt(&mut k, AP, &id, b"v2");
    for region in [US, EU, AP] {
        assert_eq!(unb64(&decrypt(&mut k, region, &before)["Plaintext"]), b"v1");
        assert_eq!(unb64(&decrypt(&mut k, region, &after)["Plaintext"]), b"v2");
    }
    // on-demand rotation at the primary reaches the replicas too
    call(&mut k, US, "RotateKeyOnDemand", json!({"KeyId": id}));
    let at_primary = rotations(&mut k, US);
    assert_eq!(at_primary.len(), 2);
    assert_eq!(at_primary[1].1, "ON_DEMAND");
    for region in [EU, AP] {
        assert_eq!(rotations(&mut k, region), at_primary, "{region}");
    }
    let latest = encrypt(&mut k, EU, &id, b"v3");
    assert_eq!(unb64(&decrypt(&mut k, US, &latest)["Plaintext"]), b"v3");
    // a disabled replica still receives the new versions
    call(&mut k, EU, "DisableKey", json!({"KeyId": id}));
    k.advance_ms(90 * DAY_MS);
    assert_eq!(rotations(&mut k, US).len(), 3);
    assert_eq!(rotations(&mut k, EU), rotations(&mut k, US));
    // disabling rotation at the primary stops it everywhere
    call(&mut k, US, "DisableKeyRotation", json!({"KeyId": id}));
    let s = call(&mut k, AP, "GetKeyRotationStatus", json!({"KeyId": id}));
    assert_eq!(s["KeyRotationEnabled"], false);
    k.advance_ms(365 * DAY_MS);
    for region in [US, EU, AP] {
        assert_eq!(rotations(&mut k, region).len(), 3, "{region}");
    }
}

#[test]
fn update_primary_region_swaps_roles() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({"Description": "first primary"}));
    call(
        &mut k,
        US,
        "ReplicateKey",
        json!({"KeyId": id, "ReplicaRegion": EU, "Description": "first replica"}),
    );
    replicate(&mut k, &id, AP);
    let us_before = describe(&mut k, US, &id);
    let eu_before = describe(&mut k, EU, &id);
    let eu_policy = call(&mut k, EU, "GetKeyPolicy", json!({"KeyId": id}))["Policy"].clone();
    let blob = encrypt(&mut k, AP, &id, b"across the swap");

    let out = call(
        &mut k,
        US,
        "UpdatePrimaryRegion",
        json!({"KeyId": arn(US, &id), "PrimaryRegion": EU}),
    );
    assert_eq!(out, json!({}));
    for region in [US, EU, AP] {
        let (kind, primary, replicas) = topology(&mut k, region, &id);
        assert_eq!(
            kind,
            if region == EU { "PRIMARY" } else { "REPLICA" },
            "{region}"
        );
        assert_eq!(primary, EU);
        assert_eq!(replicas, [US, AP], "{region}");
    }
    // identities, material and independent properties did not change
    let us_after = describe(&mut k, US, &id);
    let eu_after = describe(&mut k, EU, &id);
    for field in [
        "Arn",
        "KeyState",
        "Description",
        "CreationDate",
        "CurrentKeyMaterialId",
    ] {
        assert_eq!(us_after[field], us_before[field], "{field}");
        assert_eq!(eu_after[field], eu_before[field], "{field}");
    }
    assert_eq!(
        call(&mut k, EU, "GetKeyPolicy", json!({"KeyId": id}))["Policy"],
        eu_policy
    );
    for region in [US, EU, AP] {
        assert_eq!(
            unb64(&decrypt(&mut k, region, &blob)["Plaintext"]),
            b"across the swap"
        );
    }
    // rotation and replication are now managed in Europe
    assert_eq!(
        err(&mut k, US, "RotateKeyOnDemand", json!({"KeyId": id})),
        "UnsupportedOperationException"
    );
    assert_eq!(
        err(
            &mut k,
            US,
            "ReplicateKey",
            json!({"KeyId": id, "ReplicaRegion": "sa-east-1"})
        ),
        "UnsupportedOperationException"
    );
    call(&mut k, EU, "RotateKeyOnDemand", json!({"KeyId": id}));
    let current = describe(&mut k, EU, &id)["CurrentKeyMaterialId"].clone();
    assert_ne!(current, eu_before["CurrentKeyMaterialId"]);
    assert_eq!(describe(&mut k, US, &id)["CurrentKeyMaterialId"], current);
    assert_eq!(describe(&mut k, AP, &id)["CurrentKeyMaterialId"], current);
    call(
        &mut k,
        EU,
        "ReplicateKey",
        json!({"KeyId": id, "ReplicaRegion": "sa-east-1"}),
    );
    let (_, primary, replicas) = topology(&mut k, "sa-east-1", &id);
    assert_eq!(primary, EU);
    assert_eq!(replicas, [US, AP, "sa-east-1"]);
    assert_eq!(
        describe(&mut k, "sa-east-1", &id)["CurrentKeyMaterialId"],
        current
    );
    // and back again
    call(
        &mut k,
        EU,
        "UpdatePrimaryRegion",
        json!({"KeyId": id, "PrimaryRegion": US}),
    );
    let (_, primary, replicas) = topology(&mut k, AP, &id);
    assert_eq!(primary, US);
    assert_eq!(replicas, [EU, AP, "sa-east-1"]);
}

#[test]
fn replicate_key_errors() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    let single = call(&mut k, US, "CreateKey", json!({}))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();
    let rep = |k: &mut Kms, region: &str, req: Value| err(k, region, "ReplicateKey", req);

    // not a multi-Region key; a replica
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": single, "ReplicaRegion": AP})),
        "UnsupportedOperationException"
    );
    assert_eq!(
        rep(&mut k, EU, json!({"KeyId": id, "ReplicaRegion": AP})),
        "UnsupportedOperationException"
    );
    // a related key already in that Region: the primary's own Region, a replica's
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": id, "ReplicaRegion": US})),
        "AlreadyExistsException"
    );
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": id, "ReplicaRegion": EU})),
        "AlreadyExistsException"
    );
    // unknown keys; a key of another Region; aliases are not accepted
    assert_eq!(
        rep(
            &mut k,
            US,
            json!({"KeyId": "mrk-00000000000000000000000000000000", "ReplicaRegion": AP})
        ),
        "NotFoundException"
    );
    assert_eq!(
        rep(
            &mut k,
            AP,
            json!({"KeyId": arn(US, &id), "ReplicaRegion": "sa-east-1"})
        ),
        "NotFoundException"
    );
    call(
        &mut k,
        US,
        "CreateAlias",
        json!({"AliasName": "alias/mrk", "TargetKeyId": id}),
    );
    assert_eq!(
        rep(
            &mut k,
            US,
            json!({"KeyId": "alias/mrk", "ReplicaRegion": AP})
        ),
        "NotFoundException"
    );
    // request validation
    for bad in [
        json!({"KeyId": id}),
        json!({"KeyId": id, "ReplicaRegion": ""}),
        json!({"KeyId": id, "ReplicaRegion": "EU-WEST-1"}),
        json!({"KeyId": id, "ReplicaRegion": "eu west 1"}),
        json!({"KeyId": id, "ReplicaRegion": AP, "Description": "d".repeat(8193)}),
        json!({"KeyId": id, "ReplicaRegion": AP, "Unknown": 1}),
    ] {
        assert_eq!(rep(&mut k, US, bad.clone()), "ValidationException", "{bad}");
    }
    assert_eq!(
        rep(
            &mut k,
            US,
            json!({"KeyId": id, "ReplicaRegion": AP, "Policy": "not json"})
        ),
        "MalformedPolicyDocumentException"
    );
    assert_eq!(
        rep(
            &mut k,
            US,
            json!({"KeyId": id, "ReplicaRegion": AP,
                               "Tags": [{"TagKey": "aws:x", "TagValue": "y"}]})
        ),
        "TagException"
    );
    // nothing was created by the failed calls
    let (_, _, replicas) = topology(&mut k, US, &id);
    assert_eq!(replicas, [EU]);
    assert_eq!(
        err(&mut k, AP, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );

    // the primary's key state
    call(&mut k, US, "DisableKey", json!({"KeyId": id}));
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": id, "ReplicaRegion": AP})),
        "DisabledException"
    );
    call(&mut k, US, "EnableKey", json!({"KeyId": id}));
    let lone = create_mrk(&mut k, json!({}));
    call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": lone, "PendingWindowInDays": 7}),
    );
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": lone, "ReplicaRegion": AP})),
        "KMSInvalidStateException"
    );
    call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(
        describe(&mut k, US, &id)["KeyState"],
        "PendingReplicaDeletion"
    );
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": id, "ReplicaRegion": AP})),
        "KMSInvalidStateException"
    );
    let external = create_mrk(&mut k, json!({"Origin": "EXTERNAL"}));
    assert_eq!(describe(&mut k, US, &external)["KeyState"], "PendingImport");
    assert_eq!(
        rep(&mut k, US, json!({"KeyId": external, "ReplicaRegion": AP})),
        "KMSInvalidStateException"
    );
}

#[test]
fn update_primary_region_errors() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    replicate(&mut k, &id, AP);
    let single = call(&mut k, US, "CreateKey", json!({}))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();
    let upd = |k: &mut Kms, region: &str, key: &str, to: &str| {
        err(
            k,
            region,
            "UpdatePrimaryRegion",
            json!({"KeyId": key, "PrimaryRegion": to}),
        )
    };
    assert_eq!(
        upd(&mut k, US, &single, EU),
        "UnsupportedOperationException"
    );
    // called on a replica rather than the primary
    assert_eq!(upd(&mut k, EU, &id, AP), "UnsupportedOperationException");
    // the primary's own Region; a Region without a replica
    assert_eq!(upd(&mut k, US, &id, US), "UnsupportedOperationException");
    assert_eq!(upd(&mut k, US, &id, "sa-east-1"), "NotFoundException");
    assert_eq!(
        upd(&mut k, US, "mrk-00000000000000000000000000000000", EU),
        "NotFoundException"
    );
    assert_eq!(upd(&mut k, US, &id, "Not a Region"), "ValidationException");
    assert_eq!(
        err(&mut k, US, "UpdatePrimaryRegion", json!({"KeyId": id})),
        "ValidationException"
    );
    // both keys must be Enabled
    call(&mut k, US, "DisableKey", json!({"KeyId": id}));
    assert_eq!(upd(&mut k, US, &id, EU), "DisabledException");
    call(&mut k, US, "EnableKey", json!({"KeyId": id}));
    call(&mut k, EU, "DisableKey", json!({"KeyId": id}));
    assert_eq!(upd(&mut k, US, &id, EU), "DisabledException");
    call(&mut k, EU, "EnableKey", json!({"KeyId": id}));
    call(
        &mut k,
        AP,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(upd(&mut k, US, &id, AP), "KMSInvalidStateException");
    // nothing changed
    for region in [US, EU, AP] {
        let (_, primary, replicas) = topology(&mut k, region, &id);
        assert_eq!(primary, US);
        assert_eq!(replicas, [EU, AP]);
    }
    // a primary pending replica deletion cannot hand over
    call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(upd(&mut k, US, &id, EU), "KMSInvalidStateException");
    call(&mut k, US, "CancelKeyDeletion", json!({"KeyId": id}));
    call(&mut k, US, "EnableKey", json!({"KeyId": id}));
    call(
        &mut k,
        US,
        "UpdatePrimaryRegion",
        json!({"KeyId": id, "PrimaryRegion": EU}),
    );
    assert_eq!(topology(&mut k, AP, &id).1, EU);
}

#[test]
fn a_primary_with_replicas_is_deleted_after_its_last_replica() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    replicate(&mut k, &id, AP);
    call(
        &mut k,
        US,
        "CreateAlias",
        json!({"AliasName": "alias/p", "TargetKeyId": id}),
    );
    call(
        &mut k,
        EU,
        "CreateAlias",
        json!({"AliasName": "alias/r", "TargetKeyId": id}),
    );
    let blob = encrypt(&mut k, US, &id, b"survives in Asia");

    let out = call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(out["KeyState"], "PendingReplicaDeletion");
    assert_eq!(out["PendingWindowInDays"], 7);
    assert!(out.get("DeletionDate").is_none());
    let m = describe(&mut k, US, &id);
    assert_eq!(m["KeyState"], "PendingReplicaDeletion");
    assert_eq!(m["PendingDeletionWindowInDays"], 7);
    assert!(m.get("DeletionDate").is_none());
    assert_eq!(
        err(
            &mut k,
            US,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x")})
        ),
        "KMSInvalidStateException"
    );
    // the replicas are unaffected until they are scheduled themselves
    assert_eq!(describe(&mut k, EU, &id)["KeyState"], "Enabled");
    k.advance_ms(60 * DAY_MS);
    assert_eq!(
        describe(&mut k, US, &id)["KeyState"],
        "PendingReplicaDeletion"
    );

    let t0 = k.now_ms();
    let out = call(
        &mut k,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(out["KeyState"], "PendingDeletion");
    assert_eq!(
        out["DeletionDate"].as_f64().unwrap(),
        ((t0 + 7 * DAY_MS) / 1000) as f64
    );
    k.advance_ms(DAY_MS);
    call(
        &mut k,
        AP,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 10}),
    );

    // day 7: Europe's replica is gone and leaves the set; Asia remains
    k.advance_ms(6 * DAY_MS);
    assert_eq!(
        err(&mut k, EU, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    assert_eq!(
        call(&mut k, EU, "ListAliases", json!({}))["Aliases"],
        json!([])
    );
    for region in [US, AP] {
        let (_, primary, replicas) = topology(&mut k, region, &id);
        assert_eq!(primary, US);
        assert_eq!(replicas, [AP]);
    }
    assert_eq!(
        describe(&mut k, US, &id)["KeyState"],
        "PendingReplicaDeletion"
    );
    // cancelled, the last replica keeps the primary waiting
    call(&mut k, AP, "CancelKeyDeletion", json!({"KeyId": id}));
    call(&mut k, AP, "EnableKey", json!({"KeyId": id}));
    assert_eq!(
        unb64(&decrypt(&mut k, AP, &blob)["Plaintext"]),
        b"survives in Asia"
    );
    k.advance_ms(30 * DAY_MS);
    assert_eq!(
        describe(&mut k, US, &id)["KeyState"],
        "PendingReplicaDeletion"
    );

    // the last replica's deletion starts the primary's own 7 days
    let t1 = k.now_ms();
    call(
        &mut k,
        AP,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    k.advance_ms(7 * DAY_MS);
    assert_eq!(
        err(&mut k, AP, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    let m = describe(&mut k, US, &id);
    assert_eq!(m["KeyState"], "PendingDeletion");
    assert_eq!(
        m["DeletionDate"].as_f64().unwrap(),
        ((t1 + 14 * DAY_MS) / 1000) as f64
    );
    assert_eq!(m["MultiRegionConfiguration"]["ReplicaKeys"], json!([]));
    k.advance_ms(7 * DAY_MS - 1);
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "PendingDeletion");
    k.advance_ms(1);
    assert_eq!(
        err(&mut k, US, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    assert_eq!(
        call(&mut k, US, "ListAliases", json!({}))["Aliases"],
        json!([])
    );
    assert_eq!(
        err(
            &mut k,
            US,
            "Decrypt",
            json!({"CiphertextBlob": blob, "EncryptionContext": {"k": "v"}})
        ),
        "NotFoundException"
    );
}

#[test]
fn deleting_a_primary_with_replicas_takes_at_least_fourteen_days() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    let t0 = k.now_ms();
    call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    call(
        &mut k,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    k.advance_ms(7 * DAY_MS - 1);
    assert_eq!(describe(&mut k, EU, &id)["KeyState"], "PendingDeletion");
    assert_eq!(
        describe(&mut k, US, &id)["KeyState"],
        "PendingReplicaDeletion"
    );
    k.advance_ms(1);
    assert_eq!(
        err(&mut k, EU, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    let m = describe(&mut k, US, &id);
    assert_eq!(m["KeyState"], "PendingDeletion");
    assert_eq!(
        m["DeletionDate"].as_f64().unwrap(),
        ((t0 + 14 * DAY_MS) / 1000) as f64
    );
    k.advance_ms(7 * DAY_MS - 1);
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "PendingDeletion");
    k.advance_ms(1);
    assert_eq!(
        err(&mut k, US, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );

    // a clock that jumps past both dates at once deletes both, and the dates still hold
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    replicate(&mut k, &id, EU);
    call(
        &mut k,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    call(
        &mut k,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    k.advance_ms(13 * DAY_MS);
    assert_eq!(
        err(&mut k, EU, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "PendingDeletion");
    let mut k2 = kms();
    let id2 = create_mrk(&mut k2, json!({}));
    replicate(&mut k2, &id2, EU);
    call(
        &mut k2,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": id2, "PendingWindowInDays": 7}),
    );
    call(
        &mut k2,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id2, "PendingWindowInDays": 7}),
    );
    k2.advance_ms(14 * DAY_MS);
    assert_eq!(
        err(&mut k2, US, "DescribeKey", json!({"KeyId": id2})),
        "NotFoundException"
    );
    assert_eq!(
        err(&mut k2, EU, "DescribeKey", json!({"KeyId": id2})),
        "NotFoundException"
    );
    // a primary without replicas is deleted on its own schedule
    let solo = create_mrk(&mut k2, json!({}));
    let out = call(
        &mut k2,
        US,
        "ScheduleKeyDeletion",
        json!({"KeyId": solo, "PendingWindowInDays": 7}),
    );
    assert_eq!(out["KeyState"], "PendingDeletion");
    k2.advance_ms(7 * DAY_MS);
    assert_eq!(
        err(&mut k2, US, "DescribeKey", json!({"KeyId": solo})),
        "NotFoundException"
    );
}

#[test]
fn a_deleted_replica_region_can_be_replicated_into_again() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({}));
    call(
        &mut k,
        US,
        "ReplicateKey",
        json!({"KeyId": id, "ReplicaRegion": EU, "Description": "old", "Tags": [{"TagKey": "a", "TagValue": "b"}]}),
    );
    let blob = encrypt(&mut k, EU, &id, b"made by the old replica");
    call(&mut k, US, "RotateKeyOnDemand", json!({"KeyId": id}));
    call(
        &mut k,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    // while the replica is pending deletion, its Region is taken
    assert_eq!(
        err(
            &mut k,
            US,
            "ReplicateKey",
            json!({"KeyId": id, "ReplicaRegion": EU})
        ),
        "AlreadyExistsException"
    );
    // a pending-deletion replica still receives new versions
    call(&mut k, US, "RotateKeyOnDemand", json!({"KeyId": id}));
    k.advance_ms(7 * DAY_MS);
    assert_eq!(
        err(&mut k, EU, "DescribeKey", json!({"KeyId": id})),
        "NotFoundException"
    );
    assert_eq!(topology(&mut k, US, &id).2, Vec::<String>::new());
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "Enabled");

    let out = replicate(&mut k, &id, EU);
    let m = &out["ReplicaKeyMetadata"];
    assert_eq!(m["Arn"], arn(EU, &id));
    assert_eq!(m["KeyState"], "Enabled");
    // new independent properties, identical shared ones
    assert_eq!(m["Description"], "");
    assert_eq!(out["ReplicaTags"], json!([]));
    assert_eq!(
        m["CurrentKeyMaterialId"],
        describe(&mut k, US, &id)["CurrentKeyMaterialId"]
    );
    assert_eq!(
        call(&mut k, EU, "ListKeyRotations", json!({"KeyId": id}))["Rotations"],
        call(&mut k, US, "ListKeyRotations", json!({"KeyId": id}))["Rotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r["KeyId"] = json!(arn(EU, &id));
                r
            })
            .collect::<Value>()
    );
    // the new replica decrypts what the deleted one made
    assert_eq!(
        unb64(&decrypt(&mut k, EU, &blob)["Plaintext"]),
        b"made by the old replica"
    );
}

/// A KMS whose `us-east-1` holds a multi-Region EXTERNAL key whose material was imported (set
/// up through the store, so that the test does not depend on the import operations).
fn kms_with_imported_primary() -> (Kms, String) {
    let mut k = kms();
    let id = create_mrk(
        &mut k,
        json!({"Origin": "EXTERNAL", "Description": "imported"}),
    );
    let mut store = MemoryStore::default();
    let mut key = k.store().key(US, &id).unwrap().clone();
    assert_eq!(key.state, KeyState::PendingImport);
    key.state = KeyState::Enabled;
    key.materials.push(MaterialVersion {
        id: [7; 32],
        created_ms: k.now_ms(),
        rotation: None,
        material: KeyMaterial::Secret(Secret::new(vec![0x42; 32])),
    });
    key.imported = Some(Imported {
        expiration_model: ExpirationModel::KeyMaterialDoesNotExpire,
        valid_to_ms: None,
    });
    key.imported_digest = Some([9; 32]);
    store.set_multi_region(&id, k.store().multi_region(&id).cloned());
    store.put_key(key);
    let k = Kms::with_store(
        KmsConfig {
            seed: Some(b"kms multi-Region tests".to_vec()),
            ..KmsConfig::default()
        },
        Box::new(store),
    )
    .unwrap();
    (k, id)
}

#[test]
fn replicas_of_imported_keys_wait_for_their_own_material() {
    let (mut k, id) = kms_with_imported_primary();
    let blob = encrypt(&mut k, US, &id, b"imported");
    let out = replicate(&mut k, &id, EU);
    let m = &out["ReplicaKeyMetadata"];
    assert_eq!(m["Origin"], "EXTERNAL");
    assert_eq!(m["KeyState"], "PendingImport");
    assert_eq!(m["Enabled"], false);
    assert!(m.get("CurrentKeyMaterialId").is_none());
    assert!(m.get("ExpirationModel").is_none());
    assert_eq!(
        m["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "REPLICA"
    );
    // the material was not copied: the replica cannot be used or enabled yet
    assert_eq!(
        err(
            &mut k,
            EU,
            "Decrypt",
            json!({"CiphertextBlob": blob, "EncryptionContext": {"k": "v"}})
        ),
        "KMSInvalidStateException"
    );
    assert_eq!(
        err(&mut k, EU, "EnableKey", json!({"KeyId": id})),
        "KMSInvalidStateException"
    );
    // imported keys do not rotate, in any Region
    assert_eq!(
        err(&mut k, EU, "RotateKeyOnDemand", json!({"KeyId": id})),
        "UnsupportedOperationException"
    );
    // the primary is unaffected; it remembers its material's digest, and so does the replica
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "Enabled");
    assert_eq!(
        k.store().key(EU, &id).unwrap().imported_digest,
        Some([9; 32])
    );
    assert!(k.store().key(EU, &id).unwrap().materials.is_empty());
    // a PendingImport replica can still be managed and deleted; the set forgets it
    call(
        &mut k,
        EU,
        "TagResource",
        json!({"KeyId": id, "Tags": [{"TagKey": "a", "TagValue": "b"}]}),
    );
    call(
        &mut k,
        EU,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    k.advance_ms(7 * DAY_MS);
    assert_eq!(topology(&mut k, US, &id).2, Vec::<String>::new());
    // and UpdatePrimaryRegion refuses a replica without material
    replicate(&mut k, &id, AP);
    assert_eq!(
        err(
            &mut k,
            US,
            "UpdatePrimaryRegion",
            json!({"KeyId": id, "PrimaryRegion": AP})
        ),
        "KMSInvalidStateException"
    );
}

#[test]
fn operations_are_listed() {
    let ops = kmskit::kms::operations();
    assert!(ops.contains(&"ReplicateKey"));
    assert!(ops.contains(&"UpdatePrimaryRegion"));
    assert!(ops.windows(2).all(|w| w[0] < w[1]));
}

/// Imports `material` into the key `id` in `region` (RSA_2048 wrapping key,
/// RSAES_OAEP_SHA_256, wrapped by kmskit's offline RSA encryption).
fn import(
    kms: &mut Kms,
    region: &str,
    id: &str,
    material: &[u8],
    valid_to: Option<f64>,
) -> Result<Value, String> {
    let params = call(
        kms,
        region,
        "GetParametersForImport",
        json!({"KeyId": id, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"}),
    );
    let wrapped = kmskit::offline::encrypt(
        &unb64(&params["PublicKey"]),
        material,
        kmskit::EncryptionAlgorithm::RsaesOaepSha256,
    )
    .unwrap();
    let mut req = json!({
        "KeyId": id,
        "ImportToken": params["ImportToken"],
        "EncryptedKeyMaterial": b64(&wrapped),
        "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
    });
    if let Some(t) = valid_to {
        req["ExpirationModel"] = json!("KEY_MATERIAL_EXPIRES");
        req["ValidTo"] = json!(t);
    }
    kms.call_in(region, "ImportKeyMaterial", &req.to_string())
        .map(|s| serde_json::from_str(&s).unwrap())
        .map_err(|e| e.code().as_str().to_string())
}

#[test]
fn imported_material_is_imported_into_each_replica() {
    let mut k = kms();
    let id = create_mrk(&mut k, json!({"Origin": "EXTERNAL"}));
    let material = [0x5a; 32];
    import(&mut k, US, &id, &material, None).unwrap();
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "Enabled");
    let blob = encrypt(&mut k, US, &id, b"imported primary");

    let out = replicate(&mut k, &id, EU);
    assert_eq!(out["ReplicaKeyMetadata"]["KeyState"], "PendingImport");
    assert_eq!(out["ReplicaKeyMetadata"]["Origin"], "EXTERNAL");
    assert_eq!(
        err(
            &mut k,
            EU,
            "Decrypt",
            json!({"CiphertextBlob": blob, "EncryptionContext": {"k": "v"}})
        ),
        "KMSInvalidStateException"
    );
    // only the primary's material can be imported into the replica
    assert_eq!(
        import(&mut k, EU, &id, &[0x17; 32], None).unwrap_err(),
        "IncorrectKeyMaterialException"
    );
    assert_eq!(describe(&mut k, EU, &id)["KeyState"], "PendingImport");
    // the same material, with its own expiration
    let valid_to = (k.now_ms() / 1000 + 10 * 86_400) as f64;
    import(&mut k, EU, &id, &material, Some(valid_to)).unwrap();
    let eu = describe(&mut k, EU, &id);
    assert_eq!(eu["KeyState"], "Enabled");
    assert_eq!(eu["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    let us = describe(&mut k, US, &id);
    assert_eq!(us["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE");
    assert_eq!(eu["CurrentKeyMaterialId"], us["CurrentKeyMaterialId"]);
    // related keys with the same material interoperate both ways
    assert_eq!(
        unb64(&decrypt(&mut k, EU, &blob)["Plaintext"]),
        b"imported primary"
    );
    let back = encrypt(&mut k, EU, &id, b"imported replica");
    assert_eq!(
        unb64(&decrypt(&mut k, US, &back)["Plaintext"]),
        b"imported replica"
    );
    // the replica's material expires on its own; the primary keeps its material
    k.advance_ms(10 * DAY_MS);
    assert_eq!(describe(&mut k, EU, &id)["KeyState"], "PendingImport");
    assert_eq!(describe(&mut k, US, &id)["KeyState"], "Enabled");
    assert_eq!(
        unb64(&decrypt(&mut k, US, &back)["Plaintext"]),
        b"imported replica"
    );
    // a replica that was never given material can become primary only once it has it
    replicate(&mut k, &id, AP);
    assert_eq!(
        err(
            &mut k,
            US,
            "UpdatePrimaryRegion",
            json!({"KeyId": id, "PrimaryRegion": AP})
        ),
        "KMSInvalidStateException"
    );
    import(&mut k, AP, &id, &material, None).unwrap();
    call(
        &mut k,
        US,
        "UpdatePrimaryRegion",
        json!({"KeyId": id, "PrimaryRegion": AP}),
    );
    assert_eq!(topology(&mut k, EU, &id).1, AP);
    assert_eq!(
        unb64(&decrypt(&mut k, AP, &back)["Plaintext"]),
        b"imported replica"
    );
}
