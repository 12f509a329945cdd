//! Key blobs, snapshots, the encrypted container and seed files (docs/formats.md), and the
//! golden files in testdata/kms/ that every binding must reproduce byte for byte.
//!
//! Regenerate the golden files with `KMSKIT_REGENERATE=1 cargo test -p kmskit --test
//! kms_snapshot golden` (testdata/kms/make.sh).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::kms::snapshot::{
    self, Argon2Params, FORMAT_VERSION, KEY_FORMAT, Kdf, SNAPSHOT_FORMAT, SealedInfo,
};
use kmskit::kms::{CallerContext, DAY_MS, DEFAULT_START_MS, KeyStore, Kms, KmsConfig, MemoryStore};
use kmskit::policy::Caller;
use kmskit::{ErrorCode, MacAlgorithm, PrivateKey};
use serde_json::{Value, json};
use std::path::PathBuf;

// ------------------------------------------------------------------------------- helpers

fn call(kms: &mut Kms, op: &str, req: Value) -> Value {
    let out = kms
        .call(op, &req.to_string())
        .unwrap_or_else(|e| panic!("{op}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn call_in(kms: &mut Kms, region: &str, op: &str, req: Value) -> Value {
    let out = kms
        .call_in(region, op, &req.to_string())
        .unwrap_or_else(|e| panic!("{op} in {region}: {e}"));
    serde_json::from_str(&out).unwrap()
}

fn err_code(kms: &mut Kms, op: &str, req: Value) -> ErrorCode {
    match kms.call(op, &req.to_string()) {
        Ok(v) => panic!("{op} succeeded: {v}"),
        Err(e) => e.code(),
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

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

fn seeded(seed: &[u8]) -> KmsConfig {
    KmsConfig {
        seed: Some(seed.to_vec()),
        start_time_ms: Some(DEFAULT_START_MS),
        ..KmsConfig::default()
    }
}

/// The error of a `Result`, which must be one.
fn error_of<T>(r: kmskit::Result<T>) -> kmskit::Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

// ------------------------------------------------------------------------------- golden files

/// The configuration the golden files are made with.
const GOLDEN_SEED: &[u8] = b"kmskit testdata/kms";
/// The wrapping key of `snapshot.key.enc`: bytes 0x00..0x1f.
const WRAPPING_KEY: [u8; 32] = {
    let mut k = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        k[i] = i as u8;
        i += 1;
    }
    k
};
const KEY_NONCE: [u8; 12] = [
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
];
const PASSPHRASE: &str = "correct horse battery staple";
const SALT: [u8; 16] = [
    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
];
const PASSPHRASE_NONCE: [u8; 12] = [
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb,
];
const GOLDEN_ARGON2: Argon2Params = Argon2Params {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

const APP_KEY: &str = "11111111-1111-4111-8111-111111111111";
const DISABLED_KEY: &str = "22222222-2222-4222-8222-222222222222";
const HMAC_KEY: &str = "33333333-3333-4333-8333-333333333333";
const EC_KEY: &str = "44444444-4444-4444-8444-444444444444";
const RSA_KEY: &str = "55555555-5555-4555-8555-555555555555";
const IMPORTED_KEY: &str = "88888888-8888-4888-8888-888888888888";
const PENDING_IMPORT_KEY: &str = "99999999-9999-4999-8999-999999999999";
const MRK: &str = "mrk-0123456789abcdef0123456789abcdef";

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/kms")
}

fn seed_file() -> Vec<u8> {
    std::fs::read(testdata().join("seed.json")).unwrap()
}

fn golden_kms() -> Kms {
    Kms::from_seed(seeded(GOLDEN_SEED), &seed_file()).unwrap()
}

/// The calls that turn the seeded KMS into the state of `snapshot-after-calls.json`.
fn golden_calls(kms: &mut Kms) {
    kms.advance_ms(DAY_MS);
    call(kms, "RotateKeyOnDemand", json!({"KeyId": APP_KEY}));
    call(
        kms,
        "ScheduleKeyDeletion",
        json!({"KeyId": DISABLED_KEY, "PendingWindowInDays": 7}),
    );
    let id = create(
        kms,
        json!({"KeySpec": "HMAC_512", "KeyUsage": "GENERATE_VERIFY_MAC",
               "Description": "made by a call", "Tags": [{"TagKey": "a\"b", "TagValue": "line\nbreak"}]}),
    );
    call(
        kms,
        "CreateAlias",
        json!({"AliasName": "alias/created", "TargetKeyId": id}),
    );
}

fn check_golden(name: &str, bytes: &[u8]) {
    let path = testdata().join(name);
    if std::env::var("KMSKIT_REGENERATE").as_deref() == Ok("1") {
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let committed = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (KMSKIT_REGENERATE=1 writes it)", path.display()));
    if committed != bytes {
        match (std::str::from_utf8(&committed), std::str::from_utf8(bytes)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name} differs from the committed file"),
            _ => panic!("{name} differs from the committed file"),
        }
    }
}

fn hex(b: &[u8]) -> String {
    hex::encode(b)
}

#[test]
fn golden_files_are_reproduced_byte_for_byte() {
    let mut kms = golden_kms();
    let snap = kms.export_snapshot().unwrap();
    check_golden("snapshot.json", snap.expose());
    let key_blob = kms.export_key_blob("us-east-1", "alias/signing").unwrap();
    check_golden("key.json", key_blob.expose());
    let replica_blob = kms.export_key_blob("eu-west-1", MRK).unwrap();
    check_golden("key-replica.json", replica_blob.expose());
    let sealed =
        snapshot::encrypt_with_key_and_nonce(snap.expose(), &WRAPPING_KEY, &KEY_NONCE).unwrap();
    check_golden("snapshot.key.enc", &sealed);
    let sealed_pw = snapshot::encrypt_with_passphrase_salt_and_nonce(
        snap.expose(),
        PASSPHRASE.as_bytes(),
        GOLDEN_ARGON2,
        &SALT,
        &PASSPHRASE_NONCE,
    )
    .unwrap();
    check_golden("snapshot.passphrase.enc", &sealed_pw);
    golden_calls(&mut kms);
    let after = kms.export_snapshot().unwrap();
    check_golden("snapshot-after-calls.json", after.expose());

    let manifest = json!({
        "description": "kmskit golden files: every binding reproduces these bytes (docs/formats.md)",
        "regenerate": "KMSKIT_REGENERATE=1 cargo test -p kmskit --test kms_snapshot golden (testdata/kms/make.sh)",
        "config": {"seed_utf8": std::str::from_utf8(GOLDEN_SEED).unwrap(), "start_time_ms": DEFAULT_START_MS},
        "files": {
            "seed.json": "input (hand-written): the seed file",
            "snapshot.json": "Kms::from_seed(config, seed.json).export_snapshot()",
            "key.json": "export_key_blob(\"us-east-1\", \"alias/signing\") of that KMS",
            "key-replica.json": format!("export_key_blob(\"eu-west-1\", \"{MRK}\") of that KMS"),
            "snapshot.key.enc": "encrypt_with_key_and_nonce(snapshot.json, wrapping_key_hex, key_nonce_hex)",
            "snapshot.passphrase.enc": "encrypt_with_passphrase_salt_and_nonce(snapshot.json, passphrase, argon2, salt_hex, passphrase_nonce_hex)",
            "snapshot-after-calls.json": "the same KMS after `calls` (JSON protocol, default Region), then export_snapshot()",
        },
        "wrapping_key_hex": hex(&WRAPPING_KEY),
        "key_nonce_hex": hex(&KEY_NONCE),
        "passphrase": PASSPHRASE,
        "argon2": {"m_cost_kib": GOLDEN_ARGON2.m_cost_kib, "t_cost": GOLDEN_ARGON2.t_cost, "p_cost": GOLDEN_ARGON2.p_cost},
        "salt_hex": hex(&SALT),
        "passphrase_nonce_hex": hex(&PASSPHRASE_NONCE),
        "calls": [
            {"advance_ms": DAY_MS},
            {"operation": "RotateKeyOnDemand", "request": {"KeyId": APP_KEY}},
            {"operation": "ScheduleKeyDeletion", "request": {"KeyId": DISABLED_KEY, "PendingWindowInDays": 7}},
            {"operation": "CreateKey", "request": {"KeySpec": "HMAC_512", "KeyUsage": "GENERATE_VERIFY_MAC",
               "Description": "made by a call", "Tags": [{"TagKey": "a\"b", "TagValue": "line\nbreak"}]}},
            {"operation": "CreateAlias", "request": {"AliasName": "alias/created", "TargetKeyId": "<KeyId of the CreateKey response>"}},
        ],
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap();
    text.push('\n');
    check_golden("manifest.json", text.as_bytes());

    // the committed files read back to themselves
    for name in ["snapshot.json", "snapshot-after-calls.json"] {
        let bytes = std::fs::read(testdata().join(name)).unwrap();
        let restored = Kms::from_snapshot(KmsConfig::default(), &bytes).unwrap();
        assert_eq!(
            restored.export_snapshot().unwrap().expose(),
            &bytes[..],
            "{name}"
        );
    }
    let snap_file = std::fs::read(testdata().join("snapshot.json")).unwrap();
    let enc = std::fs::read(testdata().join("snapshot.key.enc")).unwrap();
    assert_eq!(
        snapshot::decrypt_with_key(&enc, &WRAPPING_KEY)
            .unwrap()
            .expose(),
        &snap_file[..]
    );
    let enc = std::fs::read(testdata().join("snapshot.passphrase.enc")).unwrap();
    assert_eq!(
        snapshot::decrypt_with_passphrase(&enc, PASSPHRASE.as_bytes())
            .unwrap()
            .expose(),
        &snap_file[..]
    );
    for (name, region, id) in [
        ("key.json", "us-east-1", EC_KEY),
        ("key-replica.json", "eu-west-1", MRK),
    ] {
        let bytes = std::fs::read(testdata().join(name)).unwrap();
        let mut other = Kms::new(KmsConfig::default()).unwrap();
        other.import_key_blob(&bytes).unwrap();
        assert_eq!(
            other.export_key_blob(region, id).unwrap().expose(),
            &bytes[..],
            "{name}"
        );
    }
}

// ------------------------------------------------------------------------------- seed files

#[test]
fn seed_file_keys_use_the_supplied_material() {
    let mut kms = golden_kms();
    let seed: Value = json_of(&seed_file());
    let keys = seed["Keys"].as_array().unwrap();
    let backend = kmskit::backend::default();

    // symmetric: the current version is the last one given; the earlier one still decrypts
    let versions: Vec<Vec<u8>> = keys[0]["Material"]
        .as_array()
        .unwrap()
        .iter()
        .map(unb64)
        .collect();
    let enc = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": "alias/app-data", "Plaintext": b64(b"seeded")}),
    );
    let blob = unb64(&enc["CiphertextBlob"]);
    let parsed = kmskit::kms::ciphertext::parse(&blob).unwrap();
    assert_eq!(parsed.key_id, APP_KEY);
    let aad = kmskit::kms::ciphertext::aad(parsed.header, &[]);
    let plain = backend
        .aes_gcm_open(&versions[1], &parsed.nonce, &aad, parsed.body)
        .unwrap();
    assert_eq!(plain.expose(), b"seeded");
    let snap = json_of(kms.export_snapshot().unwrap().expose());
    let app = snap["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key_id"] == APP_KEY)
        .unwrap();
    assert_eq!(app["materials"].as_array().unwrap().len(), 2);
    assert_eq!(app["materials"][1]["rotation_type"], "AUTOMATIC");
    let v1_id: [u8; 32] = hex::decode(app["materials"][0]["key_material_id"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let header = kmskit::kms::ciphertext::header(APP_KEY, &v1_id).unwrap();
    let nonce = [7u8; 12];
    let mut old = header.clone();
    old.extend_from_slice(&nonce);
    old.extend_from_slice(
        &backend
            .aes_gcm_seal(&versions[0], &nonce, &header, b"made with v1")
            .unwrap(),
    );
    let dec = call(&mut kms, "Decrypt", json!({"CiphertextBlob": b64(&old)}));
    assert_eq!(unb64(&dec["Plaintext"]), b"made with v1");
    let status = call(&mut kms, "GetKeyRotationStatus", json!({"KeyId": APP_KEY}));
    assert_eq!(status["KeyRotationEnabled"], true);
    assert_eq!(status["RotationPeriodInDays"], 180);
    assert_eq!(
        status["NextRotationDate"].as_f64().unwrap(),
        (DEFAULT_START_MS + 180 * DAY_MS) as f64 / 1000.0
    );
    let tags = call(&mut kms, "ListResourceTags", json!({"KeyId": APP_KEY}));
    assert_eq!(tags["Tags"].as_array().unwrap().len(), 2);

    // HMAC: the supplied key
    let mac = call(
        &mut kms,
        "GenerateMac",
        json!({"KeyId": "alias/mac", "Message": b64(b"msg"), "MacAlgorithm": "HMAC_SHA_256"}),
    );
    let expected = backend
        .hmac(
            MacAlgorithm::HmacSha256,
            &unb64(&keys[2]["Material"]),
            b"msg",
        )
        .unwrap();
    assert_eq!(unb64(&mac["Mac"]), expected);

    // asymmetric: the public key of the supplied PEM (SEC1 and PKCS#8)
    for (id, i) in [(EC_KEY, 3), (RSA_KEY, 4)] {
        let pem = keys[i]["Material"].as_str().unwrap();
        let private = PrivateKey::parse(pem.as_bytes()).unwrap();
        let public = call(&mut kms, "GetPublicKey", json!({"KeyId": id}));
        assert_eq!(unb64(&public["PublicKey"]), private.public_key().spki_der());
    }
    // a policy object is stored as compact JSON with sorted members
    let policy = call(&mut kms, "GetKeyPolicy", json!({"KeyId": EC_KEY}));
    assert!(
        policy["Policy"]
            .as_str()
            .unwrap()
            .starts_with(r#"{"Statement":[{"Action":"kms:*","#)
    );
    let aliases = call(&mut kms, "ListAliases", json!({"KeyId": EC_KEY}));
    assert_eq!(aliases["Aliases"].as_array().unwrap().len(), 2);

    // states and origins
    let describe = |kms: &mut Kms, id: &str| call(kms, "DescribeKey", json!({"KeyId": id}));
    assert_eq!(
        describe(&mut kms, DISABLED_KEY)["KeyMetadata"]["KeyState"],
        "Disabled"
    );
    let imported = describe(&mut kms, IMPORTED_KEY);
    assert_eq!(imported["KeyMetadata"]["Origin"], "EXTERNAL");
    assert_eq!(imported["KeyMetadata"]["KeyState"], "Enabled");
    assert_eq!(
        imported["KeyMetadata"]["ExpirationModel"],
        "KEY_MATERIAL_DOES_NOT_EXPIRE"
    );
    let enc = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": IMPORTED_KEY, "Plaintext": b64(b"x")}),
    );
    let parsed_blob = unb64(&enc["CiphertextBlob"]);
    let p = kmskit::kms::ciphertext::parse(&parsed_blob).unwrap();
    let aad = kmskit::kms::ciphertext::aad(p.header, &[]);
    assert_eq!(
        backend
            .aes_gcm_open(&unb64(&keys[7]["Material"]), &p.nonce, &aad, p.body)
            .unwrap()
            .expose(),
        b"x"
    );
    assert_eq!(
        describe(&mut kms, PENDING_IMPORT_KEY)["KeyMetadata"]["KeyState"],
        "PendingImport"
    );

    // multi-Region: replicas share the material; aliases per Region
    let enc = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": "alias/global", "Plaintext": b64(b"everywhere")}),
    );
    for region in ["eu-west-1", "ap-southeast-2"] {
        let dec = call_in(
            &mut kms,
            region,
            "Decrypt",
            json!({"CiphertextBlob": enc["CiphertextBlob"], "KeyId": MRK}),
        );
        assert_eq!(unb64(&dec["Plaintext"]), b"everywhere");
        let d = call_in(&mut kms, region, "DescribeKey", json!({"KeyId": MRK}));
        let config = &d["KeyMetadata"]["MultiRegionConfiguration"];
        assert_eq!(config["MultiRegionKeyType"], "REPLICA");
        assert_eq!(config["PrimaryKey"]["Region"], "us-east-1");
    }
    let d = call_in(
        &mut kms,
        "eu-west-1",
        "DescribeKey",
        json!({"KeyId": "alias/global"}),
    );
    assert_eq!(d["KeyMetadata"]["KeyId"], MRK);
    let none = kms.call_in(
        "ap-southeast-2",
        "DescribeKey",
        &json!({"KeyId": "alias/global"}).to_string(),
    );
    assert_eq!(none.unwrap_err().code(), ErrorCode::NotFoundException);
}

#[test]
fn seed_files_are_deterministic_when_seeded() {
    let a = golden_kms().export_snapshot().unwrap();
    let b = golden_kms().export_snapshot().unwrap();
    assert_eq!(a, b);
    let c = Kms::from_seed(seeded(b"another seed"), &seed_file())
        .unwrap()
        .export_snapshot()
        .unwrap();
    assert_ne!(a, c);
    // but the supplied material is the same
    let ja = json_of(a.expose());
    let jc = json_of(c.expose());
    let material = |j: &Value, id: &str| {
        j["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key_id"] == id)
            .unwrap()["materials"][0]["material"]
            .clone()
    };
    assert_eq!(material(&ja, HMAC_KEY), material(&jc, HMAC_KEY));
    assert_ne!(material(&ja, DISABLED_KEY), material(&jc, DISABLED_KEY));
    // the seed's AccountId and Region replace the config's
    let kms = Kms::from_seed(
        KmsConfig::default(),
        br#"{"AccountId": "444455556666", "Region": "eu-central-1", "Keys": [
             {"KeyId": "12345678-1234-4123-8123-123456789012"}]}"#,
    )
    .unwrap();
    assert_eq!(kms.account_id(), "444455556666");
    assert_eq!(kms.region(), "eu-central-1");
    assert!(
        kms.store()
            .key("eu-central-1", "12345678-1234-4123-8123-123456789012")
            .is_some()
    );
}

#[test]
fn seed_file_errors_name_the_field() {
    let id = "12345678-1234-4123-8123-123456789012";
    let cases: Vec<(Value, ErrorCode, &str)> = vec![
        (
            json!({"Keys": [{"KeyId": "nope"}]}),
            ErrorCode::ValidationException,
            "Keys[0].KeyId",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Colour": "red"}]}),
            ErrorCode::ValidationException,
            "unknown field `Colour`",
        ),
        (
            json!({"Keys": [{"KeyId": id}, {"KeyId": id}]}),
            ErrorCode::AlreadyExistsException,
            "Keys[1].KeyId",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "AES_128"}]}),
            ErrorCode::ValidationException,
            "Keys[0].KeySpec",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "RSA_2048"}]}),
            ErrorCode::ValidationException,
            "Keys[0].KeyUsage",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"}]}),
            ErrorCode::ValidationException,
            "Keys[0].KeyUsage",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Material": "AAAA"}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Material": "not base64!"}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Material": []}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "HMAC_256", "Material": b64(&[1; 16])}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "HMAC_256", "Material": [b64(&[1; 32]), b64(&[2; 32])]}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY",
                           "Material": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}]}),
            ErrorCode::ValidationException,
            "Keys[0].Material",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Policy": "{not json"}]}),
            ErrorCode::MalformedPolicyDocumentException,
            "Keys[0].Policy",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Policy": 5}]}),
            ErrorCode::MalformedPolicyDocumentException,
            "Keys[0].Policy",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Tags": [{"TagKey": "aws:x", "TagValue": "y"}]}]}),
            ErrorCode::TagException,
            "Keys[0].Tags",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Aliases": ["alias/aws/s3"]}]}),
            ErrorCode::InvalidAliasNameException,
            "Keys[0].Aliases[0]",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Aliases": ["alias/a", "alias/a"]}]}),
            ErrorCode::AlreadyExistsException,
            "Keys[0].Aliases[1]",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Region": "Mars"}]}),
            ErrorCode::ValidationException,
            "Keys[0].Region",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Origin": "AWS_CLOUDHSM"}]}),
            ErrorCode::UnsupportedOperationException,
            "Keys[0].Origin",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Origin": "EXTERNAL", "Enabled": true}]}),
            ErrorCode::ValidationException,
            "Keys[0].Enabled",
        ),
        (
            json!({"Keys": [{"KeyId": id, "KeySpec": "HMAC_256", "EnableKeyRotation": true}]}),
            ErrorCode::UnsupportedOperationException,
            "Keys[0].EnableKeyRotation",
        ),
        (
            json!({"Keys": [{"KeyId": id, "EnableKeyRotation": true, "RotationPeriodInDays": 30}]}),
            ErrorCode::ValidationException,
            "Keys[0].RotationPeriodInDays",
        ),
        (
            json!({"Keys": [{"KeyId": id, "RotationPeriodInDays": 100}]}),
            ErrorCode::ValidationException,
            "Keys[0].RotationPeriodInDays",
        ),
        (
            json!({"Keys": [{"KeyId": id, "ReplicaRegions": ["eu-west-1"]}]}),
            ErrorCode::ValidationException,
            "Keys[0].ReplicaRegions",
        ),
        (
            json!({"Keys": [{"KeyId": MRK, "ReplicaRegions": ["us-east-1"]}]}),
            ErrorCode::ValidationException,
            "Keys[0].ReplicaRegions[0]",
        ),
        (
            json!({"Keys": [{"KeyId": id, "Description": "x".repeat(8193)}]}),
            ErrorCode::ValidationException,
            "Keys[0].Description",
        ),
        (
            json!({"Keys": [], "Aliases": [{"AliasName": "alias/x", "TargetKeyId": id}]}),
            ErrorCode::NotFoundException,
            "Aliases[0].TargetKeyId",
        ),
        (
            json!({"Keys": [{"KeyId": id}], "Aliases": [{"AliasName": "alias/x", "TargetKeyId": id, "Region": "eu-west-1"}]}),
            ErrorCode::NotFoundException,
            "Aliases[0].TargetKeyId",
        ),
        (
            json!({"AccountId": "12"}),
            ErrorCode::ValidationException,
            "account_id",
        ),
        (json!([]), ErrorCode::ValidationException, "seed file"),
    ];
    for (seed, code, field) in cases {
        let e = error_of(Kms::from_seed(
            KmsConfig::default(),
            seed.to_string().as_bytes(),
        ));
        assert_eq!(e.code(), code, "{seed}: {e}");
        assert!(
            e.message().contains(field),
            "{seed}: '{e}' does not name {field}"
        );
    }
    // material of another spec
    let ed = PrivateKey::parse(
        kmskit::keygen::generate_with(kmskit::KeySpec::EccNistEdwards25519, &mut |b| {
            b.fill(9);
            Ok(())
        })
        .unwrap()
        .to_pem()
        .expose(),
    )
    .unwrap();
    let pem = String::from_utf8(ed.to_pem().expose().to_vec()).unwrap();
    let seed = json!({"Keys": [{"KeyId": id, "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY", "Material": pem}]});
    let e = error_of(Kms::from_seed(
        KmsConfig::default(),
        seed.to_string().as_bytes(),
    ));
    assert_eq!(e.code(), ErrorCode::ValidationException);
    assert!(
        e.message().contains("Keys[0].Material") && e.message().contains("ECC_NIST_EDWARDS25519"),
        "{e}"
    );
    // the same key as base64 PKCS#8 DER is accepted for its own spec
    let seed = json!({"Keys": [{"KeyId": id, "KeySpec": "ECC_NIST_EDWARDS25519", "KeyUsage": "SIGN_VERIFY",
                                "Material": b64(ed.pkcs8_der().expose())}]});
    let mut kms = Kms::from_seed(KmsConfig::default(), seed.to_string().as_bytes()).unwrap();
    let public = call(&mut kms, "GetPublicKey", json!({"KeyId": id}));
    assert_eq!(unb64(&public["PublicKey"]), ed.public_key().spki_der());
}

// ------------------------------------------------------------------------------- snapshots

#[test]
fn snapshot_round_trip_is_byte_identical_and_keeps_every_key_working() {
    let mut kms = Kms::new(seeded(b"snapshot round trip")).unwrap();
    let sym = create(&mut kms, json!({"Description": "tab\there"}));
    call(
        &mut kms,
        "CreateAlias",
        json!({"AliasName": "alias/sym", "TargetKeyId": sym}),
    );
    let enc_v1 = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": sym, "Plaintext": b64(b"v1"), "EncryptionContext": {"k": "v"}}),
    );
    call(
        &mut kms,
        "EnableKeyRotation",
        json!({"KeyId": sym, "RotationPeriodInDays": 90}),
    );
    call(&mut kms, "RotateKeyOnDemand", json!({"KeyId": sym}));
    let enc_v2 = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": sym, "Plaintext": b64(b"v2")}),
    );
    let hmac = create(
        &mut kms,
        json!({"KeySpec": "HMAC_384", "KeyUsage": "GENERATE_VERIFY_MAC",
               "Tags": [{"TagKey": "z", "TagValue": ""}, {"TagKey": "a", "TagValue": "1"}]}),
    );
    let mac = call(
        &mut kms,
        "GenerateMac",
        json!({"KeyId": hmac, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_384"}),
    );
    let ec = create(
        &mut kms,
        json!({"KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY"}),
    );
    let sig = call(
        &mut kms,
        "Sign",
        json!({"KeyId": ec, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_384"}),
    );
    let rsa = create(
        &mut kms,
        json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}),
    );
    let rsa_enc = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": rsa, "Plaintext": b64(b"r"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
    );
    let agree = create(
        &mut kms,
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"}),
    );
    let peer = create(
        &mut kms,
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"}),
    );
    let peer_pub = call(&mut kms, "GetPublicKey", json!({"KeyId": peer}))["PublicKey"].clone();
    let shared = call(
        &mut kms,
        "DeriveSharedSecret",
        json!({"KeyId": agree, "KeyAgreementAlgorithm": "ECDH", "PublicKey": peer_pub}),
    );
    let kem = create(
        &mut kms,
        json!({"KeySpec": "ML_KEM_768", "KeyUsage": "ENCAPSULATE_DECAPSULATE"}),
    );
    let encap = call(
        &mut kms,
        "Encapsulate",
        json!({"KeyId": kem, "EncapsulationAlgorithm": "ML_KEM"}),
    );
    let sm2 = create(
        &mut kms,
        json!({"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}),
    );
    let sm2_sig = call(
        &mut kms,
        "Sign",
        json!({"KeyId": sm2, "Message": b64(b"m"), "SigningAlgorithm": "SM2DSA"}),
    );
    let doomed = create(&mut kms, json!({}));
    call(
        &mut kms,
        "ScheduleKeyDeletion",
        json!({"KeyId": doomed, "PendingWindowInDays": 7}),
    );
    let external = create(&mut kms, json!({"Origin": "EXTERNAL"}));
    call(&mut kms, "DisableKey", json!({"KeyId": ec}));
    call(&mut kms, "EnableKey", json!({"KeyId": ec}));
    let mrk = create(&mut kms, json!({"MultiRegion": true}));
    call(
        &mut kms,
        "ReplicateKey",
        json!({"KeyId": mrk, "ReplicaRegion": "eu-north-1"}),
    );
    call_in(
        &mut kms,
        "eu-north-1",
        "CreateAlias",
        json!({"AliasName": "alias/north", "TargetKeyId": mrk}),
    );
    let mrk_enc = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": mrk, "Plaintext": b64(b"mrk")}),
    );

    let snap = kms.export_snapshot().unwrap();
    let doc = json_of(snap.expose());
    assert_eq!(doc["format"], SNAPSHOT_FORMAT);
    assert_eq!(doc["version"], FORMAT_VERSION);
    assert_eq!(doc["keys"].as_array().unwrap().len(), 12);
    assert_eq!(
        doc["multi_region_keys"][0]["replica_regions"],
        json!(["eu-north-1"])
    );

    // restored with a system clock and system randomness: the same state, the same bytes
    let mut back = Kms::from_snapshot(
        KmsConfig {
            start_time_ms: Some(kms.now_ms()),
            ..KmsConfig::default()
        },
        snap.expose(),
    )
    .unwrap();
    assert!(!back.is_deterministic());
    assert_eq!(back.export_snapshot().unwrap(), snap);
    for id in [&sym, &hmac, &ec, &rsa, &doomed, &external, &mrk] {
        assert_eq!(
            call(&mut back, "DescribeKey", json!({"KeyId": id})),
            call(&mut kms, "DescribeKey", json!({"KeyId": id})),
            "{id}"
        );
    }
    // every old ciphertext, signature and MAC still works
    let dec = call(
        &mut back,
        "Decrypt",
        json!({"CiphertextBlob": enc_v1["CiphertextBlob"], "EncryptionContext": {"k": "v"}}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"v1");
    let dec = call(
        &mut back,
        "Decrypt",
        json!({"CiphertextBlob": enc_v2["CiphertextBlob"]}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"v2");
    let dec = call(
        &mut back,
        "Decrypt",
        json!({"CiphertextBlob": mrk_enc["CiphertextBlob"]}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"mrk");
    let dec = call_in(
        &mut back,
        "eu-north-1",
        "Decrypt",
        json!({"CiphertextBlob": mrk_enc["CiphertextBlob"], "KeyId": "alias/north"}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"mrk");
    let v = call(
        &mut back,
        "VerifyMac",
        json!({"KeyId": hmac, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_384", "Mac": mac["Mac"]}),
    );
    assert_eq!(v["MacValid"], true);
    let v = call(
        &mut back,
        "Verify",
        json!({"KeyId": ec, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_384", "Signature": sig["Signature"]}),
    );
    assert_eq!(v["SignatureValid"], true);
    let v = call(
        &mut back,
        "Verify",
        json!({"KeyId": sm2, "Message": b64(b"m"), "SigningAlgorithm": "SM2DSA", "Signature": sm2_sig["Signature"]}),
    );
    assert_eq!(v["SignatureValid"], true);
    let dec = call(
        &mut back,
        "Decrypt",
        json!({"KeyId": rsa, "CiphertextBlob": rsa_enc["CiphertextBlob"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"r");
    let again = call(
        &mut back,
        "DeriveSharedSecret",
        json!({"KeyId": agree, "KeyAgreementAlgorithm": "ECDH", "PublicKey": peer_pub}),
    );
    assert_eq!(again["SharedSecret"], shared["SharedSecret"]);
    let decap = call(
        &mut back,
        "Decapsulate",
        json!({"KeyId": kem, "EncapsulationAlgorithm": "ML_KEM",
               "SharedSecretCiphertextBlob": encap["SharedSecretCiphertextBlob"]}),
    );
    assert_eq!(decap["SharedSecret"], encap["SharedSecret"]);
    let rotations = call(&mut back, "ListKeyRotations", json!({"KeyId": sym}));
    assert_eq!(rotations["Rotations"][0]["RotationType"], "ON_DEMAND");
    // the scheduled deletion still happens at its date
    back.advance_ms(7 * DAY_MS);
    assert_eq!(
        err_code(&mut back, "DescribeKey", json!({"KeyId": doomed})),
        ErrorCode::NotFoundException
    );
}

#[test]
fn a_restored_deterministic_kms_repeats_but_never_redraws_ids() {
    let mut kms = Kms::new(seeded(b"redraw")).unwrap();
    let first = create(&mut kms, json!({}));
    let snap = kms.export_snapshot().unwrap();
    let mut a = Kms::from_snapshot(seeded(b"redraw"), snap.expose()).unwrap();
    let mut b = Kms::from_snapshot(seeded(b"redraw"), snap.expose()).unwrap();
    let next_a = create(&mut a, json!({}));
    let next_b = create(&mut b, json!({}));
    assert_eq!(next_a, next_b, "restores repeat exactly");
    assert_ne!(
        next_a, first,
        "the restored DRBG does not redraw the snapshot's key IDs"
    );
    assert!(a.store().key("us-east-1", &first).is_some());
    assert_eq!(a.store().key_ids("us-east-1").len(), 2);
}

#[test]
fn snapshot_documents_are_checked() {
    let kms = golden_kms();
    let snap = kms.export_snapshot().unwrap();
    let good = json_of(snap.expose());
    let restore =
        |doc: &Value| Kms::from_snapshot(KmsConfig::default(), doc.to_string().as_bytes());
    assert!(
        restore(&good).is_ok(),
        "compact JSON of the same document is accepted"
    );

    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, ErrorCode, &str)> = vec![
        (
            |d| d["format"] = json!("kmskit-key"),
            ErrorCode::ValidationException,
            "format",
        ),
        (
            |d| d["version"] = json!(2),
            ErrorCode::ValidationException,
            "version 2 is not supported",
        ),
        (
            |d| {
                d.as_object_mut().unwrap().remove("version");
            },
            ErrorCode::ValidationException,
            "version",
        ),
        (
            |d| d["extra"] = json!(1),
            ErrorCode::ValidationException,
            "unknown field `extra`",
        ),
        (
            |d| d["account_id"] = json!("1"),
            ErrorCode::ValidationException,
            "account_id",
        ),
        (
            |d| d["keys"][0]["key_id"] = json!("x"),
            ErrorCode::ValidationException,
            "keys[0].key_id",
        ),
        (
            |d| d["keys"][0]["key_spec"] = json!("AES"),
            ErrorCode::ValidationException,
            "keys[0].key_spec",
        ),
        (
            |d| d["keys"][0]["key_state"] = json!("Sleeping"),
            ErrorCode::ValidationException,
            "keys[0].key_state",
        ),
        (
            |d| d["keys"][0]["policy"] = json!("[]"),
            ErrorCode::MalformedPolicyDocumentException,
            "keys[0].policy",
        ),
        (
            |d| d["keys"][0]["materials"][0]["material"] = json!("AAAA"),
            ErrorCode::ValidationException,
            "keys[0].materials[0].material",
        ),
        (
            |d| d["keys"][0]["materials"][0]["key_material_id"] = json!("AB"),
            ErrorCode::ValidationException,
            "keys[0].materials[0].key_material_id",
        ),
        (
            |d| d["keys"][0]["materials"] = json!([]),
            ErrorCode::ValidationException,
            "keys[0].materials",
        ),
        (
            |d| {
                let k = d["keys"][0].clone();
                d["keys"].as_array_mut().unwrap().push(k);
            },
            ErrorCode::ValidationException,
            "is listed twice",
        ),
        (
            |d| d["keys"][0]["rotation"]["period_in_days"] = json!(1),
            ErrorCode::ValidationException,
            "keys[0].rotation.period_in_days",
        ),
        (
            |d| d["keys"][2]["multi_region"] = json!(true),
            ErrorCode::ValidationException,
            "keys[2].multi_region",
        ),
        (
            |d| {
                d["keys"][0]["imported"] =
                    json!({"expiration_model": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
            },
            ErrorCode::ValidationException,
            "keys[0].imported",
        ),
        (
            |d| d["aliases"][0]["target_key_id"] = json!("00000000-0000-4000-8000-000000000000"),
            ErrorCode::ValidationException,
            "aliases[0].target_key_id",
        ),
        (
            |d| d["multi_region_keys"] = json!([]),
            ErrorCode::ValidationException,
            "not in multi_region_keys",
        ),
        (
            |d| d["multi_region_keys"][0]["replica_regions"] = json!(["us-east-1"]),
            ErrorCode::ValidationException,
            "multi_region_keys[0].replica_regions[0]",
        ),
    ];
    for (edit, code, what) in cases {
        let mut doc = good.clone();
        edit(&mut doc);
        let e = match restore(&doc) {
            Ok(_) => panic!("{what}: accepted"),
            Err(e) => e,
        };
        assert_eq!(e.code(), code, "{what}: {e}");
        assert!(e.message().contains(what), "'{e}' does not mention {what}");
    }
    // asymmetric material of another spec
    let mut doc = good.clone();
    let keys = doc["keys"].as_array_mut().unwrap();
    let rsa = keys.iter().position(|k| k["key_id"] == RSA_KEY).unwrap();
    let ec = keys.iter().position(|k| k["key_id"] == EC_KEY).unwrap();
    keys[rsa]["materials"] = keys[ec]["materials"].clone();
    let e = error_of(restore(&doc));
    assert!(
        e.message().contains("is ECC_NIST_P256, not RSA_2048"),
        "{e}"
    );
    assert!(
        error_of(Kms::from_snapshot(KmsConfig::default(), b"not json"))
            .message()
            .contains(SNAPSHOT_FORMAT)
    );
    // into a store that already holds one of the keys: nothing stored
    let mut store = MemoryStore::default();
    let existing = kms.store().key("us-east-1", HMAC_KEY).unwrap().clone();
    store.put_key(existing);
    let e = error_of(Kms::from_snapshot_with_store(
        KmsConfig::default(),
        Box::new(store),
        snap.expose(),
    ));
    assert_eq!(e.code(), ErrorCode::AlreadyExistsException);
}

// ------------------------------------------------------------------------------- key blobs

#[test]
fn key_blobs_move_keys_between_kms_instances() {
    let mut source = golden_kms();
    let sig = call(
        &mut source,
        "Sign",
        json!({"KeyId": "alias/signing", "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256"}),
    );
    let enc = call(
        &mut source,
        "Encrypt",
        json!({"KeyId": APP_KEY, "Plaintext": b64(b"moved")}),
    );
    let blob = source
        .export_key_blob("us-east-1", "alias/signing")
        .unwrap();
    let doc = json_of(blob.expose());
    assert_eq!(doc["format"], KEY_FORMAT);
    assert_eq!(doc["key"]["key_id"], EC_KEY);
    assert_eq!(doc["aliases"].as_array().unwrap().len(), 2);
    assert!(doc.get("multi_region").is_none());

    let mut target = Kms::new(KmsConfig {
        account_id: "444455556666".into(),
        ..seeded(b"target")
    })
    .unwrap();
    let meta = target.import_key_blob(blob.expose()).unwrap();
    assert_eq!(meta.key_id, EC_KEY);
    assert_eq!(
        meta.arn,
        format!("arn:aws:kms:us-east-1:444455556666:key/{EC_KEY}")
    );
    // The key keeps its policy, which names the source account's root: the target's root
    // is denied, the source account's root (calling across accounts) is allowed.
    let verify = json!({"KeyId": meta.arn, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256", "Signature": sig["Signature"]}).to_string();
    let e = error_of(target.call("Verify", &verify));
    assert_eq!(e.code(), ErrorCode::AccessDeniedException);
    let source_root = CallerContext::new(Caller::parse("arn:aws:iam::111122223333:root").unwrap());
    let v = json_of(
        target
            .call_as(&source_root, "us-east-1", "Verify", &verify)
            .unwrap()
            .as_bytes(),
    );
    assert_eq!(v["SignatureValid"], true);
    // twice: AlreadyExistsException
    let e = error_of(target.import_key_blob(blob.expose()));
    assert_eq!(e.code(), ErrorCode::AlreadyExistsException);

    // an alias name taken in the target: AlreadyExistsException, and nothing imported
    let app = source.export_key_blob("us-east-1", APP_KEY).unwrap();
    let other = create(&mut target, json!({}));
    call(
        &mut target,
        "CreateAlias",
        json!({"AliasName": "alias/app-data", "TargetKeyId": other}),
    );
    let e = error_of(target.import_key_blob(app.expose()));
    assert_eq!(e.code(), ErrorCode::AlreadyExistsException);
    assert!(target.store().key("us-east-1", APP_KEY).is_none());
    call(
        &mut target,
        "DeleteAlias",
        json!({"AliasName": "alias/app-data"}),
    );
    target.import_key_blob(app.expose()).unwrap();
    let dec = call(
        &mut target,
        "Decrypt",
        json!({"CiphertextBlob": enc["CiphertextBlob"]}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"moved");
    let status = call(
        &mut target,
        "GetKeyRotationStatus",
        json!({"KeyId": APP_KEY}),
    );
    assert_eq!(status["RotationPeriodInDays"], 180);
    // a single-Region key ID that exists in another Region
    let mut moved = json_of(blob.expose());
    moved["key"]["region"] = json!("eu-west-3");
    moved["aliases"] = json!([]);
    let e = error_of(target.import_key_blob(moved.to_string().as_bytes()));
    assert_eq!(e.code(), ErrorCode::AlreadyExistsException);

    // a multi-Region key rebuilt Region by Region
    let mut fresh = Kms::new(KmsConfig::default()).unwrap();
    for region in ["eu-west-1", "us-east-1", "ap-southeast-2"] {
        let b = source.export_key_blob(region, MRK).unwrap();
        fresh.import_key_blob(b.expose()).unwrap();
    }
    let mut expected = source.export_snapshot().unwrap();
    let mut got = fresh.export_snapshot().unwrap();
    let only_mrk = |s: &mut kmskit::Secret| {
        let mut j = json_of(s.expose());
        j["keys"]
            .as_array_mut()
            .unwrap()
            .retain(|k| k["key_id"] == MRK);
        j["aliases"]
            .as_array_mut()
            .unwrap()
            .retain(|a| a["target_key_id"] == MRK);
        j
    };
    assert_eq!(only_mrk(&mut got), only_mrk(&mut expected));
    let d = call_in(
        &mut fresh,
        "eu-west-1",
        "DescribeKey",
        json!({"KeyId": "alias/global"}),
    );
    assert_eq!(
        d["KeyMetadata"]["MultiRegionConfiguration"]["ReplicaKeys"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // a blob whose topology disagrees with the KMS's
    let mut b = json_of(source.export_key_blob("eu-west-1", MRK).unwrap().expose());
    b["multi_region"]["replica_regions"] = json!(["eu-west-1"]);
    b["aliases"] = json!([]);
    b["key"]["region"] = json!("eu-west-1");
    let mut half = Kms::new(KmsConfig::default()).unwrap();
    half.import_key_blob(source.export_key_blob("us-east-1", MRK).unwrap().expose())
        .unwrap();
    let e = error_of(half.import_key_blob(b.to_string().as_bytes()));
    assert_eq!(e.code(), ErrorCode::ValidationException);
    assert!(e.message().contains("multi_region"), "{e}");
    // a snapshot is not a key blob, and the reverse
    let e = error_of(half.import_key_blob(source.export_snapshot().unwrap().expose()));
    assert!(e.message().contains("kmskit-snapshot"), "{e}");
    let e = error_of(Kms::from_snapshot(KmsConfig::default(), blob.expose()));
    assert!(e.message().contains("kmskit-key"), "{e}");
    // unknown keys and aliases
    let e = error_of(source.export_key_blob("us-east-1", "alias/none"));
    assert_eq!(e.code(), ErrorCode::NotFoundException);
}

// ------------------------------------------------------------------------------- encrypted form

#[test]
fn the_encrypted_container_authenticates_everything() {
    let plaintext = golden_kms().export_snapshot().unwrap();
    let key = [0x42u8; 32];
    let a = snapshot::encrypt_with_key(plaintext.expose(), &key).unwrap();
    let b = snapshot::encrypt_with_key(plaintext.expose(), &key).unwrap();
    assert_ne!(a, b, "random nonces");
    assert_eq!(&a[..6], b"KMKE\x01\x00");
    assert_eq!(a.len(), 6 + 12 + plaintext.len() + 16);
    assert_eq!(
        snapshot::inspect(&a).unwrap(),
        SealedInfo {
            kdf: Kdf::Key,
            plaintext_len: plaintext.len()
        }
    );
    assert_eq!(snapshot::decrypt_with_key(&a, &key).unwrap(), plaintext);
    let invalid = ErrorCode::InvalidCiphertextException;
    assert_eq!(
        error_of(snapshot::decrypt_with_key(&a, &[0x43; 32])).code(),
        invalid
    );
    assert_eq!(
        error_of(snapshot::decrypt_with_passphrase(&a, b"pw")).code(),
        invalid
    );
    assert_eq!(
        error_of(snapshot::decrypt_with_key(&a, &[0; 31])).code(),
        ErrorCode::ValidationException
    );
    assert_eq!(
        error_of(snapshot::encrypt_with_key(b"x", &[0; 33])).code(),
        ErrorCode::ValidationException
    );
    // every bit of a small container, and truncations
    let small = snapshot::encrypt_with_key(b"tiny", &key).unwrap();
    for i in 0..small.len() * 8 {
        let mut bad = small.clone();
        bad[i / 8] ^= 1 << (i % 8);
        assert_eq!(
            error_of(snapshot::decrypt_with_key(&bad, &key)).code(),
            invalid,
            "bit {i}"
        );
    }
    for n in 0..small.len() {
        assert_eq!(
            error_of(snapshot::decrypt_with_key(&small[..n], &key)).code(),
            invalid,
            "{n}"
        );
    }
    let empty = snapshot::encrypt_with_key(b"", &key).unwrap();
    assert!(snapshot::decrypt_with_key(&empty, &key).unwrap().is_empty());

    // passphrases
    let cheap = Argon2Params::TEST_ONLY_INSECURE;
    let p = snapshot::encrypt_with_passphrase(b"secret state", b"pass phrase", cheap).unwrap();
    assert_eq!(&p[..6], b"KMKE\x01\x01");
    assert_eq!(&p[6..18], &[0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert_eq!(snapshot::inspect(&p).unwrap().kdf, Kdf::Argon2id(cheap));
    assert_eq!(
        snapshot::decrypt_with_passphrase(&p, b"pass phrase")
            .unwrap()
            .expose(),
        b"secret state"
    );
    assert_eq!(
        error_of(snapshot::decrypt_with_passphrase(&p, b"pass phrasE")).code(),
        invalid
    );
    assert_eq!(
        error_of(snapshot::decrypt_with_passphrase(&p, b"")).code(),
        invalid
    );
    assert_eq!(
        error_of(snapshot::decrypt_with_key(&p, &key)).code(),
        invalid
    );
    for i in [0, 4, 5, 9, 13, 17, 18, 33, 34, 45, 46, p.len() - 1] {
        let mut bad = p.clone();
        bad[i] ^= 0x01;
        assert_eq!(
            error_of(snapshot::decrypt_with_passphrase(&bad, b"pass phrase")).code(),
            invalid,
            "byte {i}"
        );
    }
    // a hostile header asking for 4 GiB is refused before any work
    let mut hostile = p.clone();
    hostile[6..10].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        error_of(snapshot::decrypt_with_passphrase(&hostile, b"pass phrase")).code(),
        invalid
    );
    assert_eq!(error_of(snapshot::inspect(&hostile)).code(), invalid);
    // parameter and passphrase checks
    for params in [
        Argon2Params {
            m_cost_kib: 7,
            t_cost: 1,
            p_cost: 1,
        },
        Argon2Params {
            m_cost_kib: 64,
            t_cost: 0,
            p_cost: 1,
        },
        Argon2Params {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 0,
        },
        Argon2Params {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 9,
        },
        Argon2Params {
            m_cost_kib: Argon2Params::MAX_M_COST + 1,
            t_cost: 1,
            p_cost: 1,
        },
        Argon2Params {
            m_cost_kib: 64,
            t_cost: Argon2Params::MAX_T_COST + 1,
            p_cost: 1,
        },
    ] {
        assert_eq!(
            error_of(snapshot::encrypt_with_passphrase(b"x", b"pw", params)).code(),
            ErrorCode::ValidationException,
            "{params:?}"
        );
    }
    assert_eq!(
        error_of(snapshot::encrypt_with_passphrase(b"x", b"", cheap)).code(),
        ErrorCode::ValidationException
    );
    // the default (OWASP interactive) parameters
    assert_eq!(
        Argon2Params::default(),
        Argon2Params {
            m_cost_kib: 19456,
            t_cost: 2,
            p_cost: 1
        }
    );
    let d = snapshot::encrypt_with_passphrase(
        b"default",
        "pässwörd".as_bytes(),
        Argon2Params::default(),
    )
    .unwrap();
    assert_eq!(
        snapshot::decrypt_with_passphrase(&d, "pässwörd".as_bytes())
            .unwrap()
            .expose(),
        b"default"
    );
}

#[test]
fn argon2id_matches_the_rfc_9106_construction() {
    // The container key is Argon2id(v=0x13, m, t, p, output 32, no secret, no AD); checked
    // against an independent implementation, Python `cryptography` 48 (OpenSSL's Argon2id):
    //   Argon2id(salt=b"somesaltsomesalt", length=32, iterations=2, lanes=1,
    //            memory_cost=64).derive(b"password").hex()
    let sealed = snapshot::encrypt_with_passphrase_salt_and_nonce(
        b"",
        b"password",
        Argon2Params {
            m_cost_kib: 64,
            t_cost: 2,
            p_cost: 1,
        },
        b"somesaltsomesalt",
        &[0; 12],
    )
    .unwrap();
    // AES-256-GCM of the empty plaintext under the derived key: the tag alone
    let key = hex::decode(ARGON2ID_REFERENCE_KEY_HEX).unwrap();
    let header = &sealed[..sealed.len() - 16];
    let tag = kmskit::backend::default()
        .aes_gcm_seal(&key, &[0; 12], header, b"")
        .unwrap();
    assert_eq!(&sealed[sealed.len() - 16..], &tag[..]);
}

/// Argon2id("password", "somesaltsomesalt", m=64 KiB, t=2, p=1, 32 bytes).
const ARGON2ID_REFERENCE_KEY_HEX: &str =
    "1a98fba8e6394425c9bdc333a9c750aaf811df070f5fb4a5788e1cf4db5793a1";

#[test]
fn seeded_imported_material_can_be_deleted_and_imported_again() {
    let mut kms = golden_kms();
    let material = unb64(&json_of(&seed_file())["Keys"][7]["Material"]);
    let before = call(
        &mut kms,
        "Encrypt",
        json!({"KeyId": IMPORTED_KEY, "Plaintext": b64(b"kept")}),
    );
    let first_id = call(&mut kms, "DescribeKey", json!({"KeyId": IMPORTED_KEY}))["KeyMetadata"]
        ["CurrentKeyMaterialId"]
        .clone();
    call(
        &mut kms,
        "DeleteImportedKeyMaterial",
        json!({"KeyId": IMPORTED_KEY}),
    );
    let params = call(
        &mut kms,
        "GetParametersForImport",
        json!({"KeyId": IMPORTED_KEY, "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
               "WrappingKeySpec": "RSA_2048"}),
    );
    let wrapping = kmskit::PublicKey::parse(&unb64(&params["PublicKey"])).unwrap();
    let wrapped = kmskit::crypto::encrypt(
        kmskit::backend::default(),
        &wrapping,
        kmskit::EncryptionAlgorithm::RsaesOaepSha256,
        &material,
    )
    .unwrap();
    call(
        &mut kms,
        "ImportKeyMaterial",
        json!({"KeyId": IMPORTED_KEY, "ImportToken": params["ImportToken"],
               "EncryptedKeyMaterial": b64(&wrapped), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}),
    );
    let again = call(&mut kms, "DescribeKey", json!({"KeyId": IMPORTED_KEY}));
    assert_eq!(again["KeyMetadata"]["CurrentKeyMaterialId"], first_id);
    let dec = call(
        &mut kms,
        "Decrypt",
        json!({"CiphertextBlob": before["CiphertextBlob"]}),
    );
    assert_eq!(unb64(&dec["Plaintext"]), b"kept");
    // outstanding import parameters are not part of a snapshot
    call(
        &mut kms,
        "GetParametersForImport",
        json!({"KeyId": PENDING_IMPORT_KEY, "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
               "WrappingKeySpec": "RSA_2048"}),
    );
    let snap = kms.export_snapshot().unwrap();
    let back = Kms::from_snapshot(KmsConfig::default(), snap.expose()).unwrap();
    assert!(
        back.store()
            .key("us-east-1", PENDING_IMPORT_KEY)
            .unwrap()
            .import_parameters
            .is_empty()
    );
    assert_eq!(back.export_snapshot().unwrap(), snap);
}

#[test]
fn seal_options_pick_one_way_and_refuse_mixtures() {
    use snapshot::{SealOptions, seal, unseal};
    let key = [7u8; 32];
    let cheap = Argon2Params {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    let by_key = seal(
        b"data",
        &SealOptions {
            key: Some(&key),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(unseal(&by_key, Some(&key), None).unwrap().expose(), b"data");
    let fixed = SealOptions {
        key: Some(&key),
        nonce: Some(&[1; 12]),
        ..Default::default()
    };
    assert_eq!(
        seal(b"data", &fixed).unwrap(),
        seal(b"data", &fixed).unwrap()
    );
    let by_pass = SealOptions {
        passphrase: Some(b"pw"),
        argon2: Some(cheap),
        ..Default::default()
    };
    let sealed = seal(b"data", &by_pass).unwrap();
    assert_eq!(
        unseal(&sealed, None, Some(b"pw")).unwrap().expose(),
        b"data"
    );
    assert_eq!(
        error_of(unseal(&sealed, None, Some(b"other"))).code(),
        ErrorCode::InvalidCiphertextException
    );
    let bad: [SealOptions; 6] = [
        SealOptions::default(),
        SealOptions {
            key: Some(&key),
            passphrase: Some(b"pw"),
            ..Default::default()
        },
        SealOptions {
            key: Some(&key),
            argon2: Some(cheap),
            ..Default::default()
        },
        SealOptions {
            key: Some(&key),
            nonce: Some(&[1; 11]),
            ..Default::default()
        },
        SealOptions {
            salt: Some(&[0; 16]),
            ..by_pass
        },
        SealOptions {
            salt: Some(&[0; 15]),
            nonce: Some(&[0; 12]),
            ..by_pass
        },
    ];
    for options in bad {
        assert_eq!(
            error_of(seal(b"x", &options)).code(),
            ErrorCode::ValidationException,
            "{options:?}"
        );
    }
    assert_eq!(
        error_of(unseal(&sealed, Some(&key), Some(b"pw"))).code(),
        ErrorCode::ValidationException
    );
}
