//! Imported key material (BYOK) through the KMS JSON protocol: GetParametersForImport,
//! ImportKeyMaterial, DeleteImportedKeyMaterial. Material is made and wrapped by the OpenSSL
//! CLI exactly as the Developer Guide's commands do (`openssl rand`, `openssl genpkey | openssl
//! pkcs8 -topk8`, `openssl pkeyutl -encrypt` with OAEP or SM2, `openssl enc
//! -id-aes256-wrap-pad -iv A65959A6`), and what the imported key does is checked against
//! OpenSSL again (HMAC tags, public keys, signatures, RSA-OAEP ciphertexts).
//!
//! OpenSSL 3 (`openssl` on PATH) is required: without it these tests fail, they do not skip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::kms::{DAY_MS, DEFAULT_START_MS, Kms, KmsConfig};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ------------------------------------------------------------------------------------ helpers

const REGION: &str = "us-east-1";

fn kms() -> Kms {
    Kms::new(KmsConfig {
        start_time_ms: Some(DEFAULT_START_MS),
        ..KmsConfig::default()
    })
    .unwrap()
}

fn try_call(kms: &mut Kms, op: &str, req: &Value) -> Result<Value, String> {
    kms.call(op, &req.to_string())
        .map(|s| serde_json::from_str(&s).unwrap())
        .map_err(|e| e.code().as_str().to_string())
}

fn call(kms: &mut Kms, op: &str, req: Value) -> Value {
    kms.call(op, &req.to_string())
        .map(|s| serde_json::from_str(&s).unwrap())
        .unwrap_or_else(|e| panic!("{op} {req}: {e}"))
}

fn err(kms: &mut Kms, op: &str, req: Value) -> String {
    match try_call(kms, op, &req) {
        Ok(v) => panic!("{op} {req} succeeded: {v}"),
        Err(code) => code,
    }
}

fn b64(b: &[u8]) -> String {
    Base64::encode_string(b)
}

fn unb64(v: &Value) -> Vec<u8> {
    Base64::decode_vec(v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))).unwrap()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn create_external(kms: &mut Kms, spec: &str, usage: Option<&str>) -> String {
    let mut req = json!({"Origin": "EXTERNAL", "KeySpec": spec});
    if let Some(u) = usage {
        req["KeyUsage"] = json!(u);
    }
    let meta = call(kms, "CreateKey", req);
    assert_eq!(meta["KeyMetadata"]["KeyState"], "PendingImport");
    assert_eq!(meta["KeyMetadata"]["Enabled"], false);
    assert_eq!(meta["KeyMetadata"]["Origin"], "EXTERNAL");
    meta["KeyMetadata"]["KeyId"].as_str().unwrap().to_string()
}

fn create_aws(kms: &mut Kms) -> String {
    call(kms, "CreateKey", json!({}))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

fn describe(kms: &mut Kms, id: &str) -> Value {
    call(kms, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone()
}

fn state(kms: &mut Kms, id: &str) -> String {
    describe(kms, id)["KeyState"].as_str().unwrap().to_string()
}

fn now_secs(kms: &Kms) -> f64 {
    kms.now_ms() as f64 / 1000.0
}

/// A temporary directory, removed on drop. Its paths contain no white space.
struct Dir(PathBuf);

impl Dir {
    fn new(label: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kmskit-import-{}-{label}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let dir = Self(dir);
        assert!(!dir.path("x").contains(char::is_whitespace));
        dir
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl <args>` (split at white space); its status and stdout.
fn try_openssl(args: &str) -> Result<Vec<u8>, String> {
    let out = Command::new("openssl")
        .args(args.split_whitespace())
        .output()
        .unwrap_or_else(|e| panic!("the OpenSSL CLI is required for these tests: {e}"));
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "openssl {args} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs `openssl <args>`; panics (never skips) when it is missing or fails.
fn openssl(args: &str) -> Vec<u8> {
    try_openssl(args).unwrap_or_else(|e| panic!("{e}"))
}

/// The import parameters: (wrapping public key DER, import token, the response).
fn parameters(kms: &mut Kms, id: &str, spec: &str, algorithm: &str) -> (Vec<u8>, Vec<u8>, Value) {
    let r = call(
        kms,
        "GetParametersForImport",
        json!({"KeyId": id, "WrappingAlgorithm": algorithm, "WrappingKeySpec": spec}),
    );
    (unb64(&r["PublicKey"]), unb64(&r["ImportToken"]), r)
}

/// `openssl pkeyutl -encrypt` options of the Developer Guide's wrapping commands.
const OAEP_SHA1: &str = "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1";
const OAEP_SHA1_MGF1: &str =
    "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1";
const OAEP_SHA256: &str =
    "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256";

/// Wraps the file `material` with the wrapping public key `public` (DER) by the OpenSSL CLI,
/// following the Developer Guide's procedure for `algorithm`.
fn wrap(dir: &Dir, public: &[u8], algorithm: &str, material: &str) -> Vec<u8> {
    let wk = dir.write("WrappingPublicKey.bin", public);
    let out = dir.path("EncryptedKeyMaterial.bin");
    let pkeyutl = |input: &str, output: &str, opts: &str| {
        openssl(&format!(
            "pkeyutl -encrypt -in {input} -out {output} -inkey {wk} -keyform DER -pubin {opts}"
        ));
    };
    match algorithm {
        "RSAES_OAEP_SHA_1" => pkeyutl(material, &out, OAEP_SHA1),
        "RSAES_OAEP_SHA_256" => pkeyutl(material, &out, OAEP_SHA256),
        "SM2PKE" => pkeyutl(material, &out, ""),
        "RSA_AES_KEY_WRAP_SHA_1" | "RSA_AES_KEY_WRAP_SHA_256" => {
            let aes = dir.path("aes-key.bin");
            openssl(&format!("rand -out {aes} 32"));
            let aes_hex = hex(&std::fs::read(&aes).unwrap());
            let kw = dir.path("key-material-wrapped.bin");
            openssl(&format!(
                "enc -id-aes256-wrap-pad -K {aes_hex} -iv A65959A6 -in {material} -out {kw}"
            ));
            let aes_wrapped = dir.path("aes-key-wrapped.bin");
            let opts = if algorithm.ends_with("SHA_1") {
                OAEP_SHA1_MGF1
            } else {
                OAEP_SHA256
            };
            pkeyutl(&aes, &aes_wrapped, opts);
            let mut all = std::fs::read(&aes_wrapped).unwrap();
            all.extend_from_slice(&std::fs::read(&kw).unwrap());
            std::fs::write(&out, &all).unwrap();
        }
        other => panic!("no wrapping procedure for {other}"),
    }
    std::fs::read(&out).unwrap()
}

/// `openssl rand -out <name> <n>`: random material; returns its path.
fn rand_material(dir: &Dir, name: &str, n: usize) -> String {
    let p = dir.path(name);
    openssl(&format!("rand -out {p} {n}"));
    p
}

/// A private key by `openssl genpkey`, as PKCS#8 DER (`openssl pkcs8 -topk8 -outform der
/// -nocrypt`); returns its path.
fn genpkey(dir: &Dir, name: &str, spec: &str) -> String {
    let pem = dir.path(&format!("{name}.pem"));
    let der = dir.path(&format!("{name}.der"));
    let opts = match spec {
        "RSA_2048" | "RSA_3072" | "RSA_4096" => format!(
            "-algorithm rsa -pkeyopt rsa_keygen_bits:{}",
            spec.trim_start_matches("RSA_")
        ),
        "ECC_NIST_P256" => "-algorithm ec -pkeyopt ec_paramgen_curve:P-256".into(),
        "ECC_NIST_P384" => "-algorithm ec -pkeyopt ec_paramgen_curve:P-384".into(),
        "ECC_NIST_P521" => "-algorithm ec -pkeyopt ec_paramgen_curve:P-521".into(),
        "ECC_SECG_P256K1" => "-algorithm ec -pkeyopt ec_paramgen_curve:secp256k1".into(),
        "SM2" => "-algorithm ec -pkeyopt ec_paramgen_curve:sm2".into(),
        other => panic!("{other}"),
    };
    openssl(&format!("genpkey {opts} -out {pem}"));
    openssl(&format!(
        "pkcs8 -topk8 -in {pem} -outform der -nocrypt -out {der}"
    ));
    der
}

/// `openssl pkey -pubout -outform DER` of a PKCS#8 DER private key.
fn public_der_of(private_der: &str) -> Vec<u8> {
    openssl(&format!(
        "pkey -in {private_der} -inform DER -pubout -outform DER"
    ))
}

/// Writes a DER public key as PEM (for `openssl dgst -verify`); returns the PEM's path.
fn public_pem(dir: &Dir, der: &[u8]) -> String {
    let der_path = dir.write("pub.der", der);
    let pem = dir.path("pub.pem");
    openssl(&format!(
        "pkey -pubin -inform DER -in {der_path} -out {pem}"
    ));
    pem
}

/// Gets parameters, wraps `material` by OpenSSL, and imports it with `expiry`'s fields.
fn import_file(
    kms: &mut Kms,
    dir: &Dir,
    id: &str,
    (spec, algorithm): (&str, &str),
    material: &str,
    expiry: &Value,
) -> Result<Value, String> {
    let (public, token, _) = parameters(kms, id, spec, algorithm);
    let wrapped = wrap(dir, &public, algorithm, material);
    let mut req = json!({
        "KeyId": id,
        "ImportToken": b64(&token),
        "EncryptedKeyMaterial": b64(&wrapped),
    });
    for (k, v) in expiry.as_object().unwrap() {
        req[k] = v.clone();
    }
    try_call(kms, "ImportKeyMaterial", &req)
}

fn no_expiry() -> Value {
    json!({"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
}

const OAEP256: (&str, &str) = ("RSA_2048", "RSAES_OAEP_SHA_256");

fn encrypt(kms: &mut Kms, id: &str, plaintext: &[u8]) -> Vec<u8> {
    let r = call(
        kms,
        "Encrypt",
        json!({"KeyId": id, "Plaintext": b64(plaintext)}),
    );
    unb64(&r["CiphertextBlob"])
}

fn decrypt(kms: &mut Kms, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    try_call(kms, "Decrypt", &json!({"CiphertextBlob": b64(ciphertext)}))
        .map(|r| unb64(&r["Plaintext"]))
}

// ------------------------------------------------------------------------------------ tests

#[test]
fn symmetric_material_under_every_rsa_wrapping_algorithm() {
    let dir = Dir::new("sym");
    let cases = [
        ("RSAES_OAEP_SHA_1", "RSA_2048"),
        ("RSAES_OAEP_SHA_256", "RSA_3072"),
        ("RSA_AES_KEY_WRAP_SHA_1", "RSA_2048"),
        ("RSA_AES_KEY_WRAP_SHA_256", "RSA_4096"),
    ];
    for (algorithm, spec) in cases {
        let mut k = kms();
        let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
        let arn = k.key_arn(REGION, &id);
        let enc = json!({"KeyId": id, "Plaintext": b64(b"x")});
        assert_eq!(err(&mut k, "Encrypt", enc), "KMSInvalidStateException");
        let (public, token, r) = parameters(&mut k, &id, spec, algorithm);
        assert_eq!(r["KeyId"], arn.as_str());
        assert_eq!(token.len(), 32);
        let valid_to = (DEFAULT_START_MS + DAY_MS) as f64 / 1000.0;
        assert_eq!(r["ParametersValidTo"].as_f64().unwrap(), valid_to);
        // the wrapping key is an RSA key of the requested size
        let wk = dir.write("wk.der", &public);
        let text = openssl(&format!("pkey -pubin -inform DER -in {wk} -noout -text"));
        let bits = spec.trim_start_matches("RSA_");
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains(&format!("({bits} bit)")), "{spec}: {text}");

        let material = rand_material(&dir, "PlaintextKeyMaterial.bin", 32);
        let wrapped = wrap(&dir, &public, algorithm, &material);
        let req = json!({
            "KeyId": arn,
            "ImportToken": b64(&token),
            "EncryptedKeyMaterial": b64(&wrapped),
            "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
        });
        let r = call(&mut k, "ImportKeyMaterial", req);
        assert_eq!(r["KeyId"], arn.as_str(), "{algorithm}");
        assert_eq!(r["KeyMaterialId"].as_str().unwrap().len(), 64);
        let m = describe(&mut k, &id);
        assert_eq!(m["KeyState"], "Enabled", "{algorithm}");
        assert_eq!(m["Enabled"], true);
        assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE");
        assert!(m.get("ValidTo").is_none());
        assert_eq!(m["CurrentKeyMaterialId"], r["KeyMaterialId"]);

        let ct = encrypt(&mut k, &id, b"imported symmetric material");
        assert_eq!(
            decrypt(&mut k, &ct).unwrap(),
            b"imported symmetric material"
        );
    }
}

#[test]
fn hmac_material_gives_the_tags_openssl_computes() {
    let dir = Dir::new("hmac");
    let mut k = kms();
    let message = b"message to authenticate";
    let msg_path = dir.write("msg", message);
    for (spec, bytes, mac_alg, digest, algorithm) in [
        (
            "HMAC_224",
            28,
            "HMAC_SHA_224",
            "sha224",
            "RSAES_OAEP_SHA_256",
        ),
        ("HMAC_256", 32, "HMAC_SHA_256", "sha256", "RSAES_OAEP_SHA_1"),
        (
            "HMAC_384",
            48,
            "HMAC_SHA_384",
            "sha384",
            "RSAES_OAEP_SHA_256",
        ),
        (
            "HMAC_512",
            64,
            "HMAC_SHA_512",
            "sha512",
            "RSA_AES_KEY_WRAP_SHA_256",
        ),
    ] {
        let id = create_external(&mut k, spec, Some("GENERATE_VERIFY_MAC"));
        let how = ("RSA_2048", algorithm);
        // material of another length is refused
        for n in [bytes - 1, bytes + 1] {
            let wrong = rand_material(&dir, "wrong.bin", n);
            let e = import_file(&mut k, &dir, &id, how, &wrong, &no_expiry()).unwrap_err();
            assert_eq!(e, "IncorrectKeyMaterialException", "{spec} with {n} bytes");
        }
        let path = rand_material(&dir, &format!("{spec}_PlaintextKey.bin"), bytes);
        import_file(&mut k, &dir, &id, how, &path, &no_expiry()).unwrap();
        let req = json!({"KeyId": id, "Message": b64(message), "MacAlgorithm": mac_alg});
        let mac = unb64(&call(&mut k, "GenerateMac", req)["Mac"]);
        let key_hex = hex(&std::fs::read(&path).unwrap());
        let theirs = openssl(&format!(
            "dgst -{digest} -mac HMAC -macopt hexkey:{key_hex} -binary {msg_path}"
        ));
        assert_eq!(mac, theirs, "{spec}");
        let req = json!({"KeyId": id, "Message": b64(message), "MacAlgorithm": mac_alg,
                         "Mac": b64(&theirs)});
        assert_eq!(call(&mut k, "VerifyMac", req)["MacValid"], true);
    }
}

#[test]
fn rsa_private_keys_with_rsa_aes_key_wrap() {
    let dir = Dir::new("rsa");
    let mut k = kms();
    // signing: RSA_2048 under RSA_AES_KEY_WRAP_SHA_256 with a 4096-bit wrapping key
    let id = create_external(&mut k, "RSA_2048", Some("SIGN_VERIFY"));
    // RSAES_OAEP_* cannot carry an RSA private key
    for algorithm in ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] {
        let req =
            json!({"KeyId": id, "WrappingAlgorithm": algorithm, "WrappingKeySpec": "RSA_4096"});
        assert_eq!(
            err(&mut k, "GetParametersForImport", req),
            "ValidationException"
        );
    }
    let key = genpkey(&dir, "RSA_2048_PrivateKey", "RSA_2048");
    let how = ("RSA_4096", "RSA_AES_KEY_WRAP_SHA_256");
    import_file(&mut k, &dir, &id, how, &key, &no_expiry()).unwrap();
    let public = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": id}))["PublicKey"]);
    assert_eq!(public, public_der_of(&key));
    let message = b"signed by an imported RSA key";
    let req = json!({"KeyId": id, "Message": b64(message), "MessageType": "RAW",
                     "SigningAlgorithm": "RSASSA_PSS_SHA_256"});
    let sig = unb64(&call(&mut k, "Sign", req)["Signature"]);
    let pem = public_pem(&dir, &public);
    let (sig, msg) = (dir.write("sig", &sig), dir.write("msg", message));
    let verified = openssl(&format!(
        "dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
         -verify {pem} -signature {sig} {msg}"
    ));
    assert!(String::from_utf8_lossy(&verified).contains("Verified OK"));

    // a key of another size is not this key's material
    let id2 = create_external(&mut k, "RSA_3072", Some("ENCRYPT_DECRYPT"));
    let how = ("RSA_2048", "RSA_AES_KEY_WRAP_SHA_1");
    let e = import_file(&mut k, &dir, &id2, how, &key, &no_expiry()).unwrap_err();
    assert_eq!(e, "IncorrectKeyMaterialException");
    // encryption: RSA_3072 under RSA_AES_KEY_WRAP_SHA_1; OpenSSL encrypts, KMS decrypts
    let key3 = genpkey(&dir, "RSA_3072_PrivateKey", "RSA_3072");
    import_file(&mut k, &dir, &id2, how, &key3, &no_expiry()).unwrap();
    let public3 = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": id2}))["PublicKey"]);
    assert_eq!(public3, public_der_of(&key3));
    let pub3 = dir.write("pub3.der", &public3);
    let msg = dir.write("plain", b"to an imported RSA key");
    let ct = dir.path("rsa-ct");
    openssl(&format!(
        "pkeyutl -encrypt -pubin -inkey {pub3} -keyform DER -in {msg} -out {ct} {OAEP_SHA256}"
    ));
    let req = json!({"KeyId": id2, "CiphertextBlob": b64(&dir.read("rsa-ct")),
                     "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"});
    let r = call(&mut k, "Decrypt", req);
    assert_eq!(unb64(&r["Plaintext"]), b"to an imported RSA key");
}

#[test]
fn ecc_private_keys_under_each_algorithm() {
    let dir = Dir::new("ecc");
    let mut k = kms();
    for (spec, signing, digest, how) in [
        ("ECC_NIST_P256", "ECDSA_SHA_256", "sha256", OAEP256),
        (
            "ECC_NIST_P384",
            "ECDSA_SHA_384",
            "sha384",
            ("RSA_2048", "RSAES_OAEP_SHA_1"),
        ),
        (
            "ECC_NIST_P521",
            "ECDSA_SHA_512",
            "sha512",
            ("RSA_4096", "RSAES_OAEP_SHA_256"),
        ),
        (
            "ECC_SECG_P256K1",
            "ECDSA_SHA_256",
            "sha256",
            ("RSA_3072", "RSA_AES_KEY_WRAP_SHA_256"),
        ),
        (
            "ECC_NIST_P521",
            "ECDSA_SHA_512",
            "sha512",
            ("RSA_2048", "RSA_AES_KEY_WRAP_SHA_1"),
        ),
        (
            "ECC_NIST_P256",
            "ECDSA_SHA_256",
            "sha256",
            ("SM2", "SM2PKE"),
        ),
    ] {
        let id = create_external(&mut k, spec, Some("SIGN_VERIFY"));
        let key = genpkey(&dir, spec, spec);
        import_file(&mut k, &dir, &id, how, &key, &no_expiry())
            .unwrap_or_else(|e| panic!("{spec} {how:?}: {e}"));
        let public = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": id}))["PublicKey"]);
        assert_eq!(public, public_der_of(&key), "{spec}");
        let message = format!("signed by an imported {spec} key");
        let req = json!({"KeyId": id, "Message": b64(message.as_bytes()),
                         "SigningAlgorithm": signing});
        let sig = unb64(&call(&mut k, "Sign", req)["Signature"]);
        let pem = public_pem(&dir, &public);
        let (sig, msg) = (dir.write("sig", &sig), dir.write("msg", message.as_bytes()));
        let verified = openssl(&format!(
            "dgst -{digest} -verify {pem} -signature {sig} {msg}"
        ));
        assert!(
            String::from_utf8_lossy(&verified).contains("Verified OK"),
            "{spec}"
        );
    }
}

#[test]
fn p521_does_not_fit_rsa_2048_oaep() {
    // The guide: ECC_NIST_P521 material cannot be wrapped with RSAES_OAEP_* under RSA_2048
    // (its PKCS#8 is longer than an OAEP block carries); OpenSSL itself refuses.
    let dir = Dir::new("p521");
    let mut k = kms();
    let id = create_external(&mut k, "ECC_NIST_P521", Some("SIGN_VERIFY"));
    let key = genpkey(&dir, "p521", "ECC_NIST_P521");
    let (public, _, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
    let wk = dir.write("wk.der", &public);
    let out = dir.path("x");
    let r = try_openssl(&format!(
        "pkeyutl -encrypt -in {key} -inkey {wk} -keyform DER -pubin {OAEP_SHA256} -out {out}"
    ));
    assert!(r.is_err(), "a P-521 PKCS#8 key fits no RSA-2048 OAEP block");
}

#[test]
fn sm2_private_key_with_sm2pke() {
    let dir = Dir::new("sm2");
    let mut k = kms();
    let id = create_external(&mut k, "SM2", Some("SIGN_VERIFY"));
    let (public, _, _) = parameters(&mut k, &id, "SM2", "SM2PKE");
    let wk = dir.write("wk.der", &public);
    let text = openssl(&format!("pkey -pubin -inform DER -in {wk} -noout -text"));
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("SM2"),
        "the wrapping key is an SM2 key: {text}"
    );
    let key = genpkey(&dir, "SM2_PrivateKey", "SM2");
    import_file(&mut k, &dir, &id, ("SM2", "SM2PKE"), &key, &no_expiry()).unwrap();
    let got = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": id}))["PublicKey"]);
    assert_eq!(got, public_der_of(&key));
    // the imported key signs, and its signature verifies
    let req = json!({"KeyId": id, "Message": b64(b"sm2"), "SigningAlgorithm": "SM2DSA"});
    let sig = call(&mut k, "Sign", req)["Signature"].clone();
    let req = json!({"KeyId": id, "Message": b64(b"sm2"), "SigningAlgorithm": "SM2DSA",
                     "Signature": sig});
    assert_eq!(call(&mut k, "Verify", req)["SignatureValid"], true);
    // SM2 material under RSAES_OAEP_SHA_256 works too (the guide's table)
    let id2 = create_external(&mut k, "SM2", Some("SIGN_VERIFY"));
    import_file(&mut k, &dir, &id2, OAEP256, &key, &no_expiry()).unwrap();
    let got2 = unb64(&call(&mut k, "GetPublicKey", json!({"KeyId": id2}))["PublicKey"]);
    assert_eq!(got2, got);
}

#[test]
fn get_parameters_for_import_validation() {
    let mut k = kms();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let gp = |k: &mut Kms, key: &str, alg: &str, spec: &str| {
        let req = json!({"KeyId": key, "WrappingAlgorithm": alg, "WrappingKeySpec": spec});
        try_call(k, "GetParametersForImport", &req).map(|_| "ok".to_string())
    };
    let gp_err = |k: &mut Kms, key: &str, alg: &str, spec: &str| gp(k, key, alg, spec).unwrap_err();
    const V: &str = "ValidationException";
    // RSAES_PKCS1_V1_5 is no longer supported (since 2023-10-10)
    assert_eq!(gp_err(&mut k, &id, "RSAES_PKCS1_V1_5", "RSA_2048"), V);
    // algorithm and wrapping key spec must belong together
    assert_eq!(gp_err(&mut k, &id, "SM2PKE", "RSA_2048"), V);
    assert_eq!(gp_err(&mut k, &id, "RSAES_OAEP_SHA_256", "SM2"), V);
    assert_eq!(gp_err(&mut k, &id, "RSA_AES_KEY_WRAP_SHA_1", "SM2"), V);
    // SM2 wrapping is for asymmetric material
    assert_eq!(gp_err(&mut k, &id, "SM2PKE", "SM2"), V);
    // unknown names, missing fields
    assert_eq!(gp_err(&mut k, &id, "RSAES_OAEP_SHA_512", "RSA_2048"), V);
    assert_eq!(gp_err(&mut k, &id, "RSAES_OAEP_SHA_256", "RSA_1024"), V);
    let req = json!({"KeyId": id, "WrappingKeySpec": "RSA_2048"});
    assert_eq!(err(&mut k, "GetParametersForImport", req), V);
    // key ID or ARN, never an alias
    call(
        &mut k,
        "CreateAlias",
        json!({"AliasName": "alias/imported", "TargetKeyId": id}),
    );
    let nf = "NotFoundException";
    assert_eq!(
        gp_err(&mut k, "alias/imported", "RSAES_OAEP_SHA_256", "RSA_2048"),
        nf
    );
    let missing = "1234abcd-12ab-34cd-56ef-1234567890ab";
    assert_eq!(
        gp_err(&mut k, missing, "RSAES_OAEP_SHA_256", "RSA_2048"),
        nf
    );
    // only EXTERNAL keys
    let aws = create_aws(&mut k);
    let unsupported = "UnsupportedOperationException";
    assert_eq!(
        gp_err(&mut k, &aws, "RSAES_OAEP_SHA_256", "RSA_2048"),
        unsupported
    );
    // every call gives new parameters
    let arn = k.key_arn(REGION, &id);
    let (pa, ta, _) = parameters(&mut k, &arn, "RSA_2048", "RSAES_OAEP_SHA_256");
    let (pb, tb, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
    assert_ne!(pa, pb);
    assert_ne!(ta, tb);
    // pending deletion: KMSInvalidStateException for EXTERNAL keys, UnsupportedOperation for
    // the others
    call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": aws, "PendingWindowInDays": 7}),
    );
    let invalid = "KMSInvalidStateException";
    assert_eq!(
        gp_err(&mut k, &id, "RSAES_OAEP_SHA_256", "RSA_2048"),
        invalid
    );
    assert_eq!(
        gp_err(&mut k, &aws, "RSAES_OAEP_SHA_256", "RSA_2048"),
        unsupported
    );
}

#[test]
fn import_tokens_are_bound_expire_and_are_used_once() {
    let dir = Dir::new("tokens");
    let mut k = kms();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let other = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let material = rand_material(&dir, "m.bin", 32);
    let import = |k: &mut Kms, token: &[u8], wrapped: &[u8]| {
        let req = json!({"KeyId": id, "ImportToken": b64(token),
                         "EncryptedKeyMaterial": b64(wrapped),
                         "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"});
        try_call(k, "ImportKeyMaterial", &req)
    };
    const INVALID_TOKEN: &str = "InvalidImportTokenException";
    const INVALID_CT: &str = "InvalidCiphertextException";

    // a token of another key
    let (pub_other, token_other, _) = parameters(&mut k, &other, "RSA_2048", "RSAES_OAEP_SHA_256");
    let wrapped_other = wrap(&dir, &pub_other, "RSAES_OAEP_SHA_256", &material);
    assert_eq!(
        import(&mut k, &token_other, &wrapped_other).unwrap_err(),
        INVALID_TOKEN
    );
    // tokens that were never issued
    assert_eq!(
        import(&mut k, &[7u8; 32], &wrapped_other).unwrap_err(),
        INVALID_TOKEN
    );
    assert_eq!(
        import(&mut k, b"short", &wrapped_other).unwrap_err(),
        INVALID_TOKEN
    );

    // material wrapped under another wrapping key, or damaged, does not unwrap
    let (public, token, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
    assert_eq!(
        import(&mut k, &token, &wrapped_other).unwrap_err(),
        INVALID_CT
    );
    let mut wrapped = wrap(&dir, &public, "RSAES_OAEP_SHA_256", &material);
    wrapped[10] ^= 1;
    assert_eq!(import(&mut k, &token, &wrapped).unwrap_err(), INVALID_CT);
    assert_eq!(
        import(&mut k, &token, &wrapped[1..]).unwrap_err(),
        INVALID_CT
    );
    // another wrapping algorithm than the token's (SHA-1 OAEP for a SHA-256 token)
    let wk = dir.write("wk.der", &public);
    let out = dir.path("sha1.bin");
    openssl(&format!(
        "pkeyutl -encrypt -in {material} -out {out} -inkey {wk} -keyform DER -pubin {OAEP_SHA1}"
    ));
    assert_eq!(
        import(&mut k, &token, &dir.read("sha1.bin")).unwrap_err(),
        INVALID_CT
    );
    // failures do not use the token up; success does
    wrapped[10] ^= 1;
    import(&mut k, &token, &wrapped).unwrap();
    assert_eq!(import(&mut k, &token, &wrapped).unwrap_err(), INVALID_TOKEN);

    // 24 hours: expired at the end (the token is no longer accepted)
    let (public, token, r) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_1");
    let valid_to_ms = (r["ParametersValidTo"].as_f64().unwrap() * 1000.0) as i64;
    assert_eq!(valid_to_ms, k.now_ms() + DAY_MS);
    let wrapped = wrap(&dir, &public, "RSAES_OAEP_SHA_1", &material);
    k.advance_ms(DAY_MS);
    let expired = "ExpiredImportTokenException";
    assert_eq!(import(&mut k, &token, &wrapped).unwrap_err(), expired);
    // ... and still valid a millisecond before
    let (public, token, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_1");
    let wrapped = wrap(&dir, &public, "RSAES_OAEP_SHA_1", &material);
    k.advance_ms(DAY_MS - 1);
    import(&mut k, &token, &wrapped).unwrap();

    // RSA_AES_KEY_WRAP: a damaged AES-wrapped part, or a missing one, does not unwrap
    let (public, token, _) = parameters(&mut k, &id, "RSA_2048", "RSA_AES_KEY_WRAP_SHA_256");
    let mut wrapped = wrap(&dir, &public, "RSA_AES_KEY_WRAP_SHA_256", &material);
    assert_eq!(
        import(&mut k, &token, &wrapped[..256]).unwrap_err(),
        INVALID_CT
    );
    let last = wrapped.len() - 1;
    wrapped[last] ^= 1;
    assert_eq!(import(&mut k, &token, &wrapped).unwrap_err(), INVALID_CT);
    wrapped[last] ^= 1;
    import(&mut k, &token, &wrapped).unwrap();
}

#[test]
fn only_the_same_material_can_be_imported_again() {
    let dir = Dir::new("reimport");
    let mut k = kms();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let x = rand_material(&dir, "x.bin", 32);
    let y = rand_material(&dir, "y.bin", 32);
    const INCORRECT: &str = "IncorrectKeyMaterialException";
    let first = import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    let ct = encrypt(&mut k, &id, b"before");
    // re-importing the same material (while Enabled) changes the expiration
    let valid_to = now_secs(&k) + 10.0 * 86400.0;
    let expiry = json!({"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": valid_to});
    let how = ("RSA_2048", "RSA_AES_KEY_WRAP_SHA_256");
    let again = import_file(&mut k, &dir, &id, how, &x, &expiry).unwrap();
    assert_eq!(again["KeyMaterialId"], first["KeyMaterialId"]);
    let m = describe(&mut k, &id);
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    assert_eq!(m["ValidTo"].as_f64().unwrap(), valid_to);
    assert_eq!(m["KeyState"], "Enabled");
    // other material never, before or after deleting the material
    let e = import_file(&mut k, &dir, &id, OAEP256, &y, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    call(&mut k, "DeleteImportedKeyMaterial", json!({"KeyId": id}));
    let e = import_file(&mut k, &dir, &id, OAEP256, &y, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    assert_eq!(state(&mut k, &id), "PendingImport");
    let how = ("RSA_3072", "RSAES_OAEP_SHA_1");
    import_file(&mut k, &dir, &id, how, &x, &no_expiry()).unwrap();
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"before");

    // asymmetric: another key is not the same material
    let id = create_external(&mut k, "ECC_NIST_P256", Some("SIGN_VERIFY"));
    let a = genpkey(&dir, "a", "ECC_NIST_P256");
    let b = genpkey(&dir, "b", "ECC_NIST_P256");
    import_file(&mut k, &dir, &id, OAEP256, &a, &no_expiry()).unwrap();
    let e = import_file(&mut k, &dir, &id, OAEP256, &b, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    // the same key encoded without its optional public key is the same material
    let sec1 = dir.path("a-sec1.der");
    let no_pub = dir.path("a-nopub.der");
    openssl(&format!(
        "ec -in {a} -inform DER -no_public -outform DER -out {sec1}"
    ));
    openssl(&format!(
        "pkcs8 -topk8 -in {sec1} -inform DER -outform DER -nocrypt -out {no_pub}"
    ));
    assert_ne!(std::fs::read(&no_pub).unwrap(), std::fs::read(&a).unwrap());
    import_file(&mut k, &dir, &id, OAEP256, &no_pub, &no_expiry()).unwrap();
    // a key on another curve is not material of this key spec; random bytes are no key
    let id2 = create_external(&mut k, "ECC_NIST_P256", Some("SIGN_VERIFY"));
    let c = genpkey(&dir, "c", "ECC_NIST_P384");
    let e = import_file(&mut k, &dir, &id2, OAEP256, &c, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    let junk = rand_material(&dir, "junk", 100);
    let e = import_file(&mut k, &dir, &id2, OAEP256, &junk, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    // symmetric material for an asymmetric key, and a private key for a symmetric key
    let e = import_file(&mut k, &dir, &id2, OAEP256, &x, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
    let sym = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let e = import_file(&mut k, &dir, &sym, OAEP256, &a, &no_expiry()).unwrap_err();
    assert_eq!(e, INCORRECT);
}

#[test]
fn expiration_model_and_valid_to() {
    let dir = Dir::new("expiry");
    let mut k = kms();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let x = rand_material(&dir, "x.bin", 32);
    let now = now_secs(&k);
    let day = 86400.0;
    for (expiry, why) in [
        (
            json!({}),
            "KEY_MATERIAL_EXPIRES is the default and needs ValidTo",
        ),
        (
            json!({"ExpirationModel": "KEY_MATERIAL_EXPIRES"}),
            "ValidTo missing",
        ),
        (json!({"ValidTo": now}), "ValidTo not in the future"),
        (json!({"ValidTo": now - day}), "ValidTo in the past"),
        (
            json!({"ValidTo": now + 365.0 * day + 1.0}),
            "more than 365 days",
        ),
        (
            json!({"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "ValidTo": now + day}),
            "ValidTo with KEY_MATERIAL_DOES_NOT_EXPIRE",
        ),
        (json!({"ExpirationModel": "NEVER"}), "unknown model"),
    ] {
        let e = import_file(&mut k, &dir, &id, OAEP256, &x, &expiry).unwrap_err();
        assert_eq!(e, "ValidationException", "{why}");
    }
    assert_eq!(state(&mut k, &id), "PendingImport");
    // exactly 365 days is allowed
    let expiry = json!({"ValidTo": now + 365.0 * day});
    import_file(&mut k, &dir, &id, OAEP256, &x, &expiry).unwrap();
    // then one day
    let expiry = json!({"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": now + day});
    import_file(&mut k, &dir, &id, OAEP256, &x, &expiry).unwrap();
    let m = describe(&mut k, &id);
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    assert_eq!(m["ValidTo"].as_f64().unwrap(), now + day);
    let ct = encrypt(&mut k, &id, b"short-lived");
    k.advance_ms(DAY_MS - 1);
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"short-lived");
    k.advance_ms(1);
    let m = describe(&mut k, &id);
    assert_eq!(m["KeyState"], "PendingImport");
    assert_eq!(m["Enabled"], false);
    assert!(
        m.get("ValidTo").is_none() && m.get("ExpirationModel").is_none(),
        "{m}"
    );
    assert!(m.get("CurrentKeyMaterialId").is_none(), "{m}");
    assert_eq!(
        decrypt(&mut k, &ct).unwrap_err(),
        "KMSInvalidStateException"
    );
    let enc = json!({"KeyId": id, "Plaintext": b64(b"x")});
    assert_eq!(err(&mut k, "Encrypt", enc), "KMSInvalidStateException");
    // re-importing the same material brings the key and its ciphertexts back
    import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"short-lived");
    k.advance_ms(400 * DAY_MS);
    assert_eq!(state(&mut k, &id), "Enabled");

    // asymmetric keys expire the same way
    let e = create_external(&mut k, "ECC_NIST_P384", Some("SIGN_VERIFY"));
    let key = genpkey(&dir, "p384", "ECC_NIST_P384");
    let expiry = json!({"ValidTo": now_secs(&k) + 3600.0});
    import_file(&mut k, &dir, &e, OAEP256, &key, &expiry).unwrap();
    let sign = json!({"KeyId": e, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_384"});
    call(&mut k, "Sign", sign.clone());
    k.advance_ms(3_600_000);
    assert_eq!(err(&mut k, "Sign", sign), "KMSInvalidStateException");
    let get = json!({"KeyId": e});
    assert_eq!(err(&mut k, "GetPublicKey", get), "KMSInvalidStateException");
}

#[test]
fn delete_imported_key_material() {
    let dir = Dir::new("delete");
    let mut k = kms();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let arn = k.key_arn(REGION, &id);
    // no material yet: no effect
    let r = call(&mut k, "DeleteImportedKeyMaterial", json!({"KeyId": id}));
    assert_eq!(r["KeyId"], arn.as_str());
    assert!(r.get("KeyMaterialId").is_none());
    assert_eq!(state(&mut k, &id), "PendingImport");

    let x = rand_material(&dir, "x.bin", 32);
    let imported = import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    let ct = encrypt(&mut k, &id, b"kept");
    // key ID or ARN only
    call(
        &mut k,
        "CreateAlias",
        json!({"AliasName": "alias/byok", "TargetKeyId": id}),
    );
    let req = json!({"KeyId": "alias/byok"});
    assert_eq!(
        err(&mut k, "DeleteImportedKeyMaterial", req),
        "NotFoundException"
    );
    let req = json!({"KeyId": id, "GrantTokens": []});
    assert_eq!(
        err(&mut k, "DeleteImportedKeyMaterial", req),
        "ValidationException"
    );
    let r = call(&mut k, "DeleteImportedKeyMaterial", json!({"KeyId": arn}));
    assert_eq!(r["KeyMaterialId"], imported["KeyMaterialId"]);
    let m = describe(&mut k, &id);
    assert_eq!(m["KeyState"], "PendingImport");
    assert!(m.get("ExpirationModel").is_none());
    assert_eq!(
        decrypt(&mut k, &ct).unwrap_err(),
        "KMSInvalidStateException"
    );
    let req = json!({"KeyId": id});
    assert_eq!(err(&mut k, "EnableKey", req), "KMSInvalidStateException");
    import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"kept");

    // a disabled key: deleting makes it PendingImport; importing enables it
    call(&mut k, "DisableKey", json!({"KeyId": id}));
    call(&mut k, "DeleteImportedKeyMaterial", json!({"KeyId": id}));
    assert_eq!(state(&mut k, &id), "PendingImport");
    import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    assert_eq!(state(&mut k, &id), "Enabled");
    // re-importing into a disabled key (to change the expiration) keeps it disabled
    call(&mut k, "DisableKey", json!({"KeyId": id}));
    import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    assert_eq!(state(&mut k, &id), "Disabled");

    // pending deletion: the material can be deleted (the key stays PendingDeletion), nothing
    // can be imported; after cancelling, the key waits for its material
    let (public, token, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
    let wrapped = wrap(&dir, &public, "RSAES_OAEP_SHA_256", &x);
    let import = json!({"KeyId": id, "ImportToken": b64(&token),
                        "EncryptedKeyMaterial": b64(&wrapped),
                        "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"});
    call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    let e = err(&mut k, "ImportKeyMaterial", import.clone());
    assert_eq!(e, "KMSInvalidStateException");
    call(&mut k, "DeleteImportedKeyMaterial", json!({"KeyId": id}));
    assert_eq!(state(&mut k, &id), "PendingDeletion");
    call(&mut k, "CancelKeyDeletion", json!({"KeyId": id}));
    assert_eq!(state(&mut k, &id), "PendingImport");
    call(&mut k, "ImportKeyMaterial", import);
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"kept");

    // keys with KMS material: UnsupportedOperationException (also pending deletion)
    let aws = create_aws(&mut k);
    let unsupported = "UnsupportedOperationException";
    let req = json!({"KeyId": aws});
    assert_eq!(
        err(&mut k, "DeleteImportedKeyMaterial", req.clone()),
        unsupported
    );
    call(&mut k, "ScheduleKeyDeletion", json!({"KeyId": aws}));
    assert_eq!(err(&mut k, "DeleteImportedKeyMaterial", req), unsupported);
    let req = json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"});
    assert_eq!(
        err(&mut k, "DeleteImportedKeyMaterial", req),
        "NotFoundException"
    );
}

#[test]
fn symmetric_ciphertext_is_bound_to_the_key_not_the_material() {
    let dir = Dir::new("binding");
    let mut k = kms();
    let x = rand_material(&dir, "x.bin", 32);
    let a = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let b = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let ia = import_file(&mut k, &dir, &a, OAEP256, &x, &no_expiry()).unwrap();
    let ib = import_file(&mut k, &dir, &b, OAEP256, &x, &no_expiry()).unwrap();
    // the material ID depends on the key too
    assert_ne!(ia["KeyMaterialId"], ib["KeyMaterialId"]);
    let ct = encrypt(&mut k, &a, b"for key A");
    // B holds the same material but is not the ciphertext's key
    let req = json!({"KeyId": b, "CiphertextBlob": b64(&ct)});
    assert_eq!(err(&mut k, "Decrypt", req.clone()), "IncorrectKeyException");
    let r = call(&mut k, "Decrypt", json!({"CiphertextBlob": b64(&ct)}));
    assert_eq!(r["KeyId"], k.key_arn(REGION, &a).as_str());
    // once A is deleted nothing decrypts it, although B has the same material
    call(
        &mut k,
        "ScheduleKeyDeletion",
        json!({"KeyId": a, "PendingWindowInDays": 7}),
    );
    k.advance_ms(7 * DAY_MS);
    assert_eq!(decrypt(&mut k, &ct).unwrap_err(), "NotFoundException");
    assert_eq!(err(&mut k, "Decrypt", req), "IncorrectKeyException");
    let ct_b = encrypt(&mut k, &b, b"for key B");
    assert_eq!(decrypt(&mut k, &ct_b).unwrap(), b"for key B");

    // HMAC material is portable: two keys with the same material give the same tags
    let hk = rand_material(&dir, "h.bin", 64);
    let h1 = create_external(&mut k, "HMAC_512", Some("GENERATE_VERIFY_MAC"));
    let h2 = create_external(&mut k, "HMAC_512", Some("GENERATE_VERIFY_MAC"));
    import_file(&mut k, &dir, &h1, OAEP256, &hk, &no_expiry()).unwrap();
    let how = ("RSA_2048", "RSA_AES_KEY_WRAP_SHA_1");
    import_file(&mut k, &dir, &h2, how, &hk, &no_expiry()).unwrap();
    let mac = |k: &mut Kms, id: &str| {
        let req = json!({"KeyId": id, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_512"});
        call(k, "GenerateMac", req)["Mac"].clone()
    };
    assert_eq!(mac(&mut k, &h1), mac(&mut k, &h2));
}

#[test]
fn reimport_after_expiry_in_deterministic_mode() {
    // A seeded KMS (the DRBG draws wrapping keys and tokens) imports as well, and the material
    // version survives expiry and re-import.
    let dir = Dir::new("seeded");
    let mut k = Kms::new(KmsConfig {
        seed: Some(b"import tests".to_vec()),
        ..KmsConfig::default()
    })
    .unwrap();
    let id = create_external(&mut k, "SYMMETRIC_DEFAULT", None);
    let x = rand_material(&dir, "x.bin", 32);
    let expiry = json!({"ValidTo": now_secs(&k) + 60.0});
    let how = ("RSA_2048", "RSA_AES_KEY_WRAP_SHA_256");
    let first = import_file(&mut k, &dir, &id, how, &x, &expiry).unwrap();
    let ct = encrypt(&mut k, &id, b"seeded");
    k.advance_ms(60_000);
    assert_eq!(state(&mut k, &id), "PendingImport");
    let how = ("RSA_2048", "RSAES_OAEP_SHA_1");
    let again = import_file(&mut k, &dir, &id, how, &x, &no_expiry()).unwrap();
    assert_eq!(first["KeyMaterialId"], again["KeyMaterialId"]);
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"seeded");
}

#[test]
fn import_operations_are_listed() {
    let ops = kmskit::kms::operations();
    for op in [
        "GetParametersForImport",
        "ImportKeyMaterial",
        "DeleteImportedKeyMaterial",
    ] {
        assert!(ops.contains(&op), "{op}");
    }
    assert!(ops.windows(2).all(|w| w[0] < w[1]), "OPERATIONS is sorted");
}

#[test]
fn multi_region_replicas_take_only_the_primary_material() {
    let dir = Dir::new("mrk");
    let mut k = kms();
    let west = "us-west-2";
    let req = json!({"Origin": "EXTERNAL", "MultiRegion": true});
    let id = call(&mut k, "CreateKey", req)["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.starts_with("mrk-"));
    let x = rand_material(&dir, "x.bin", 32);
    let y = rand_material(&dir, "y.bin", 32);
    let primary = import_file(&mut k, &dir, &id, OAEP256, &x, &no_expiry()).unwrap();
    let ct = encrypt(&mut k, &id, b"from the primary");
    let req = json!({"KeyId": id, "ReplicaRegion": west});
    let r = call(&mut k, "ReplicateKey", req);
    assert_eq!(r["ReplicaKeyMetadata"]["KeyState"], "PendingImport");

    let call_in = |k: &mut Kms, op: &str, req: &Value| {
        k.call_in(west, op, &req.to_string())
            .map(|s| serde_json::from_str::<Value>(&s).unwrap())
            .map_err(|e| e.code().as_str().to_string())
    };
    let import_west = |k: &mut Kms, material: &str| {
        let req = json!({"KeyId": id, "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
                         "WrappingKeySpec": "RSA_2048"});
        let p = call_in(k, "GetParametersForImport", &req).unwrap();
        let wrapped = wrap(
            &dir,
            &unb64(&p["PublicKey"]),
            "RSAES_OAEP_SHA_256",
            material,
        );
        let req = json!({"KeyId": id, "ImportToken": p["ImportToken"],
                         "EncryptedKeyMaterial": b64(&wrapped),
                         "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"});
        call_in(k, "ImportKeyMaterial", &req)
    };
    // a token of the primary is not the replica's
    let (public, token, _) = parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
    let wrapped = wrap(&dir, &public, "RSAES_OAEP_SHA_256", &x);
    let req = json!({"KeyId": id, "ImportToken": b64(&token),
                     "EncryptedKeyMaterial": b64(&wrapped),
                     "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"});
    let e = call_in(&mut k, "ImportKeyMaterial", &req).unwrap_err();
    assert_eq!(e, "InvalidImportTokenException");
    // other material is refused; the primary's material makes the replica usable
    let e = import_west(&mut k, &y).unwrap_err();
    assert_eq!(e, "IncorrectKeyMaterialException");
    let replica = import_west(&mut k, &x).unwrap();
    assert_eq!(replica["KeyMaterialId"], primary["KeyMaterialId"]);
    let r = call_in(&mut k, "Decrypt", &json!({"CiphertextBlob": b64(&ct)})).unwrap();
    assert_eq!(unb64(&r["Plaintext"]), b"from the primary");
    // deleting the replica's material leaves the primary alone
    call_in(&mut k, "DeleteImportedKeyMaterial", &json!({"KeyId": id})).unwrap();
    let r = call_in(&mut k, "DescribeKey", &json!({"KeyId": id})).unwrap();
    assert_eq!(r["KeyMetadata"]["KeyState"], "PendingImport");
    assert_eq!(state(&mut k, &id), "Enabled");
    assert_eq!(decrypt(&mut k, &ct).unwrap(), b"from the primary");
}

#[test]
fn china_regions_have_no_rsa_aes_key_wrap() {
    let mut k = Kms::new(KmsConfig {
        partition: "aws-cn".into(),
        region: "cn-north-1".into(),
        start_time_ms: Some(DEFAULT_START_MS),
        ..KmsConfig::default()
    })
    .unwrap();
    let id = create_external(&mut k, "ECC_NIST_P256", Some("SIGN_VERIFY"));
    for algorithm in ["RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"] {
        let req =
            json!({"KeyId": id, "WrappingAlgorithm": algorithm, "WrappingKeySpec": "RSA_2048"});
        assert_eq!(
            err(&mut k, "GetParametersForImport", req),
            "ValidationException"
        );
    }
    let (_, _, r) = parameters(&mut k, &id, "SM2", "SM2PKE");
    assert!(
        r["KeyId"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws-cn:kms:cn-north-1:")
    );
    parameters(&mut k, &id, "RSA_2048", "RSAES_OAEP_SHA_256");
}
