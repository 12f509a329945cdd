//! Live interoperability with the OpenSSL 3 CLI, on every backend: keys that kmskit generates
//! are written as PEM (`PrivateKey::to_pem`, `PublicKey::to_pem`) and OpenSSL checks what kmskit
//! made, and kmskit checks what OpenSSL made:
//!
//! - signatures (RSA PSS and PKCS#1 v1.5, ECDSA on every curve, Ed25519, SM2DSA with the
//!   default and a custom distinguishing ID), RAW and DIGEST, in both directions;
//! - RSAES-OAEP (SHA-1, SHA-256) and SM2PKE ciphertexts, in both directions;
//! - ECDH shared secrets (P-256/384/521; SM2 through explicit curve parameters, see
//!   [`sm2_ecdh_by_openssl`]).
//!
//! Not covered here because OpenSSL 3.0 lacks them: Ed25519ph and ML-DSA (the golden vectors in
//! `testdata/offline/` cover them with the JDK and Python `cryptography`).
//!
//! Skips (with a note on stderr) only when no `openssl` binary can be run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use kmskit::backend::{self, Backend};
use kmskit::spec::{Hash, SignatureScheme};
use kmskit::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, MessageType, PrivateKey, SigningAlgorithm,
    crypto, offline,
};
use sha2::Digest as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

const MESSAGE: &[u8] = b"kmskit <-> openssl interop message\n";
const DEFAULT_ID: &str = "1234567812345678";
const CUSTOM_ID: &str = "ALICE123@YAHOO.COM";

// ---------------------------------------------------------------------------------------------
// OpenSSL and temp-dir plumbing

fn have_openssl() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("note: no runnable `openssl` binary; skipping the OpenSSL interop tests");
        }
        ok
    })
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kmskit-openssl-{}-{label}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `bytes` to `name` in the directory; returns the path as a string for arguments.
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        path_str(&p)
    }

    fn path(&self, name: &str) -> String {
        path_str(&self.0.join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn path_str(p: &Path) -> String {
    p.to_str().expect("temp paths are UTF-8").to_owned()
}

/// Runs `openssl args...`: Ok(stdout) on success, Err(stderr) otherwise.
fn openssl(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("openssl").args(args).output().unwrap();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "openssl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn openssl_ok(args: &[&str]) -> Vec<u8> {
    openssl(args).unwrap_or_else(|e| panic!("{e}"))
}

/// Writes a kmskit key pair as PEM files: (private key path, public key path).
fn write_key(dir: &TempDir, name: &str, key: &PrivateKey) -> (String, String) {
    (
        dir.write(&format!("{name}.pem"), key.to_pem().expose()),
        dir.write(
            &format!("{name}.pub.pem"),
            key.public_key().to_pem().as_bytes(),
        ),
    )
}

/// One key pair per (backend, spec), generated once: RSA generation is slow.
fn key(b: &dyn Backend, spec: KeySpec) -> PrivateKey {
    static KEYS: OnceLock<Mutex<HashMap<(&'static str, KeySpec), PrivateKey>>> = OnceLock::new();
    let mut keys = KEYS.get_or_init(Default::default).lock().unwrap();
    keys.entry((b.name(), spec))
        .or_insert_with(|| b.generate_key_pair(spec).unwrap())
        .clone()
}

fn md(alg: SigningAlgorithm) -> &'static str {
    match alg.info().hash {
        Hash::Sha256 => "sha256",
        Hash::Sha384 => "sha384",
        Hash::Sha512 => "sha512",
        Hash::Sm3 => "sm3",
        Hash::Shake256 => panic!("no OpenSSL 3.0 digest for {alg}"),
    }
}

fn digest(alg: SigningAlgorithm, message: &[u8]) -> Vec<u8> {
    match alg.info().hash {
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        Hash::Sm3 | Hash::Shake256 => panic!("no plain digest for {alg}"),
    }
}

/// OpenSSL options selecting the KMS padding of an RSA algorithm (`flag`: -sigopt / -pkeyopt).
/// For PSS, `rsa_pss_saltlen:digest` also makes OpenSSL's verification insist on a salt of the
/// hash length, as KMS uses.
fn rsa_opts(alg: SigningAlgorithm, flag: &'static str) -> Vec<String> {
    match alg.info().scheme {
        SignatureScheme::RsaPss => vec![
            flag.into(),
            "rsa_padding_mode:pss".into(),
            flag.into(),
            "rsa_pss_saltlen:digest".into(),
            flag.into(),
            format!("rsa_mgf1_md:{}", md(alg)),
        ],
        SignatureScheme::RsaPkcs1v15 => vec![flag.into(), "rsa_padding_mode:pkcs1".into()],
        _ => Vec::new(),
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------------
// Signatures

/// kmskit signs RAW and DIGEST, OpenSSL verifies; OpenSSL signs RAW and DIGEST, kmskit verifies
/// (each signature both as RAW of the message and as DIGEST of its hash).
fn signatures_interoperate(spec: KeySpec, alg: SigningAlgorithm) {
    for b in backend::all() {
        let label = format!("{} {spec} {alg}", b.name());
        let dir = TempDir::new("sig");
        let key = key(b, spec);
        let (sk, pk) = write_key(&dir, "k", &key);
        let msg = dir.write("msg", MESSAGE);
        let dig_bytes = digest(alg, MESSAGE);
        let dig = dir.write("digest", &dig_bytes);
        let md_flag = format!("-{}", md(alg));
        let sigopts = rsa_opts(alg, "-sigopt");
        let pkeyopts = {
            let mut v = vec!["-pkeyopt".to_owned(), format!("digest:{}", md(alg))];
            v.extend(rsa_opts(alg, "-pkeyopt"));
            v
        };

        // kmskit -> OpenSSL
        for (mt, input) in [
            (MessageType::Raw, MESSAGE),
            (MessageType::Digest, &dig_bytes),
        ] {
            let sig = crypto::sign(b, &key, alg, mt, input).unwrap();
            let sigf = dir.write("kmskit.sig", &sig);
            let mut raw_check = vec![md_flag.as_str(), "-verify", pk.as_str()];
            raw_check.extend(strs(&sigopts));
            raw_check.extend(["-signature", sigf.as_str(), msg.as_str()]);
            let mut digest_check = vec![
                "pkeyutl", "-verify", "-pubin", "-inkey", &pk, "-in", &dig, "-sigfile", &sigf,
            ];
            digest_check.extend(strs(&pkeyopts));
            let mut dgst = vec!["dgst"];
            dgst.extend(raw_check);
            for check in [dgst, digest_check] {
                if let Err(e) = openssl(&check) {
                    panic!("{label}: OpenSSL rejects kmskit's {mt} signature: {e}");
                }
            }
        }

        // OpenSSL -> kmskit
        let mut raw_sign = vec!["dgst", md_flag.as_str(), "-sign", sk.as_str()];
        raw_sign.extend(strs(&sigopts));
        raw_sign.push(msg.as_str());
        let mut digest_sign = vec!["pkeyutl", "-sign", "-inkey", &sk, "-in", &dig];
        digest_sign.extend(strs(&pkeyopts));
        for (how, args) in [("dgst -sign", raw_sign), ("pkeyutl -sign", digest_sign)] {
            let sig = openssl_ok(&args);
            let public = key.public_key().spki_der();
            for (mt, input) in [
                (MessageType::Raw, MESSAGE),
                (MessageType::Digest, &dig_bytes),
            ] {
                let ok = offline::verify_with(b, public, input, &sig, alg, mt, None).unwrap();
                assert!(
                    ok,
                    "{label}: kmskit rejects OpenSSL's {how} signature as {mt}"
                );
            }
            let tampered =
                offline::verify_with(b, public, b"other", &sig, alg, MessageType::Raw, None);
            assert_eq!(tampered, Ok(false), "{label}: tampered message verifies");
        }
    }
}

#[test]
fn rsa_signatures_interoperate() {
    if !have_openssl() {
        return;
    }
    for &alg in KeySpec::Rsa2048.info().signing {
        signatures_interoperate(KeySpec::Rsa2048, alg);
    }
    // One larger modulus, with the algorithm whose encoding depends on it the most.
    signatures_interoperate(KeySpec::Rsa3072, SigningAlgorithm::RsassaPssSha512);
}

#[test]
fn ecdsa_signatures_interoperate() {
    if !have_openssl() {
        return;
    }
    for spec in [
        KeySpec::EccNistP256,
        KeySpec::EccNistP384,
        KeySpec::EccNistP521,
        KeySpec::EccSecgP256k1,
    ] {
        for &alg in spec.info().signing {
            signatures_interoperate(spec, alg);
        }
    }
}

#[test]
fn ed25519_signatures_interoperate() {
    if !have_openssl() {
        return;
    }
    let alg = SigningAlgorithm::Ed25519Sha512;
    for b in backend::all() {
        let dir = TempDir::new("ed25519");
        let key = key(b, KeySpec::EccNistEdwards25519);
        let (sk, pk) = write_key(&dir, "k", &key);
        let msg = dir.write("msg", MESSAGE);
        let sig = crypto::sign(b, &key, alg, MessageType::Raw, MESSAGE).unwrap();
        let sigf = dir.write("kmskit.sig", &sig);
        openssl(&[
            "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", &pk, "-in", &msg, "-sigfile", &sigf,
        ])
        .unwrap_or_else(|e| panic!("{}: OpenSSL rejects kmskit's Ed25519: {e}", b.name()));
        let theirs = openssl_ok(&["pkeyutl", "-sign", "-rawin", "-inkey", &sk, "-in", &msg]);
        // Ed25519 is deterministic: both must produce the very same bytes.
        assert_eq!(theirs, sig, "{}: Ed25519 signatures differ", b.name());
        let public = key.public_key().spki_der();
        assert_eq!(
            offline::verify_with(b, public, MESSAGE, &theirs, alg, MessageType::Raw, None),
            Ok(true),
            "{}",
            b.name()
        );
    }
}

#[test]
fn sm2_signatures_interoperate() {
    if !have_openssl() {
        return;
    }
    let alg = SigningAlgorithm::Sm2dsa;
    for b in backend::all() {
        let label = b.name();
        let dir = TempDir::new("sm2sig");
        let key = key(b, KeySpec::Sm2);
        let public = key.public_key().spki_der().to_vec();
        let (sk, pk) = write_key(&dir, "k", &key);
        let msg = dir.write("msg", MESSAGE);
        let distid = |id: &str| format!("distid:{id}");

        // kmskit -> OpenSSL: RAW uses the default ID; DIGEST of sm2_digest under a custom ID.
        let sig = crypto::sign(b, &key, alg, MessageType::Raw, MESSAGE).unwrap();
        let sigf = dir.write("raw.sig", &sig);
        let d = distid(DEFAULT_ID);
        openssl(&[
            "dgst",
            "-sm3",
            "-verify",
            &pk,
            "-sigopt",
            &d,
            "-signature",
            &sigf,
            &msg,
        ])
        .unwrap_or_else(|e| panic!("{label}: OpenSSL rejects kmskit's SM2 RAW: {e}"));
        assert!(
            openssl(&["dgst", "-sm3", "-verify", &pk, "-signature", &sigf, &msg]).is_err(),
            "{label}: kmskit's SM2 RAW verifies under OpenSSL's empty default ID"
        );
        let e = offline::sm2_digest(&public, MESSAGE, Some(CUSTOM_ID.as_bytes())).unwrap();
        let sig = crypto::sign(b, &key, alg, MessageType::Digest, &e).unwrap();
        let sigf = dir.write("digest.sig", &sig);
        let c = distid(CUSTOM_ID);
        openssl(&[
            "dgst",
            "-sm3",
            "-verify",
            &pk,
            "-sigopt",
            &c,
            "-signature",
            &sigf,
            &msg,
        ])
        .unwrap_or_else(|e| panic!("{label}: OpenSSL rejects kmskit's SM2 custom-ID: {e}"));

        // OpenSSL -> kmskit
        let verify = |sig: &[u8], id: Option<&str>| {
            offline::verify_with(
                b,
                &public,
                MESSAGE,
                sig,
                alg,
                MessageType::Raw,
                id.map(str::as_bytes),
            )
            .unwrap()
        };
        let theirs = openssl_ok(&["dgst", "-sm3", "-sign", &sk, "-sigopt", &d, &msg]);
        assert!(verify(&theirs, None), "{label}: OpenSSL default-ID SM2");
        assert!(
            !verify(&theirs, Some(CUSTOM_ID)),
            "{label}: wrong ID verifies"
        );
        let e = offline::sm2_digest(&public, MESSAGE, None).unwrap();
        let ok = offline::verify_with(b, &public, &e, &theirs, alg, MessageType::Digest, None);
        assert_eq!(ok, Ok(true), "{label}: OpenSSL SM2 as DIGEST");
        let theirs = openssl_ok(&["dgst", "-sm3", "-sign", &sk, "-sigopt", &c, &msg]);
        assert!(
            verify(&theirs, Some(CUSTOM_ID)),
            "{label}: OpenSSL custom-ID SM2"
        );
        assert!(
            !verify(&theirs, None),
            "{label}: custom-ID signature verifies under the default"
        );
        // OpenSSL 3.0's own default is the empty ID, not KMS's.
        let theirs = openssl_ok(&["dgst", "-sm3", "-sign", &sk, &msg]);
        assert!(
            !verify(&theirs, None),
            "{label}: empty-ID signature verifies under the default"
        );
        assert!(verify(&theirs, Some("")), "{label}: empty-ID signature");
        // A signature over e computed by kmskit, made by OpenSSL's pkeyutl.
        let ef = dir.write("e", &offline::sm2_digest(&public, MESSAGE, None).unwrap());
        let theirs = openssl_ok(&["pkeyutl", "-sign", "-inkey", &sk, "-in", &ef]);
        assert!(
            verify(&theirs, None),
            "{label}: OpenSSL pkeyutl over kmskit's e"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Encryption

fn oaep_opts(alg: EncryptionAlgorithm) -> [&'static str; 6] {
    let md = match alg {
        EncryptionAlgorithm::RsaesOaepSha1 => "sha1",
        EncryptionAlgorithm::RsaesOaepSha256 => "sha256",
        other => panic!("{other} is not RSA-OAEP"),
    };
    let (oaep, mgf1) = if md == "sha1" {
        ("rsa_oaep_md:sha1", "rsa_mgf1_md:sha1")
    } else {
        ("rsa_oaep_md:sha256", "rsa_mgf1_md:sha256")
    };
    [
        "-pkeyopt",
        "rsa_padding_mode:oaep",
        "-pkeyopt",
        oaep,
        "-pkeyopt",
        mgf1,
    ]
}

/// kmskit encrypts → OpenSSL decrypts; OpenSSL encrypts → kmskit decrypts (short and
/// maximum-length plaintexts).
fn encryption_interoperates(spec: KeySpec, alg: EncryptionAlgorithm, rounds: usize) {
    for b in backend::all() {
        let label = format!("{} {spec} {alg}", b.name());
        let dir = TempDir::new("enc");
        let key = key(b, spec);
        let (sk, pk) = write_key(&dir, "k", &key);
        let opts: Vec<&str> = if spec == KeySpec::Sm2 {
            Vec::new()
        } else {
            oaep_opts(alg).to_vec()
        };
        let max = crypto::max_plaintext(spec, alg).unwrap();
        let long: Vec<u8> = (0..max).map(|i| (i * 31 + 7) as u8).collect();
        for round in 0..rounds {
            let short = format!("plaintext {round}").into_bytes();
            for pt in [short.as_slice(), long.as_slice()] {
                let ct = offline::encrypt_with(b, key.public_key().spki_der(), pt, alg).unwrap();
                let ctf = dir.write("kmskit.ct", &ct);
                let mut args = vec!["pkeyutl", "-decrypt", "-inkey", &sk, "-in", &ctf];
                args.extend(&opts);
                let got = openssl(&args)
                    .unwrap_or_else(|e| panic!("{label}: OpenSSL cannot decrypt kmskit's: {e}"));
                assert_eq!(got, pt, "{label}: OpenSSL decrypts kmskit's to other bytes");

                let ptf = dir.write("pt", pt);
                let out = dir.path("openssl.ct");
                let mut args = vec![
                    "pkeyutl", "-encrypt", "-pubin", "-inkey", &pk, "-in", &ptf, "-out", &out,
                ];
                args.extend(&opts);
                openssl_ok(&args);
                let ct = std::fs::read(&out).unwrap();
                let got = crypto::decrypt(b, &key, alg, &ct)
                    .unwrap_or_else(|e| panic!("{label}: kmskit cannot decrypt OpenSSL's: {e}"));
                assert_eq!(
                    got.expose(),
                    pt,
                    "{label}: kmskit decrypts OpenSSL's to other bytes"
                );
            }
        }
    }
}

#[test]
fn rsa_oaep_interoperates() {
    if !have_openssl() {
        return;
    }
    for alg in [
        EncryptionAlgorithm::RsaesOaepSha1,
        EncryptionAlgorithm::RsaesOaepSha256,
    ] {
        encryption_interoperates(KeySpec::Rsa2048, alg, 2);
    }
    encryption_interoperates(KeySpec::Rsa3072, EncryptionAlgorithm::RsaesOaepSha256, 1);
}

#[test]
fn sm2pke_interoperates() {
    if !have_openssl() {
        return;
    }
    // Several rounds: C1's coordinates vary in DER length.
    encryption_interoperates(KeySpec::Sm2, EncryptionAlgorithm::Sm2pke, 8);
}

// ---------------------------------------------------------------------------------------------
// ECDH

const G_P256: &str = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const G_SM2: &str = "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";

fn replace_once(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let at: Vec<usize> = haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "the generator must appear exactly once");
    let mut out = haystack[..at[0]].to_vec();
    out.extend_from_slice(with);
    out.extend_from_slice(&haystack[at[0] + needle.len()..]);
    out
}

/// ECDH by OpenSSL on a curve given by explicit parameters whose generator is the peer's point.
///
/// OpenSSL 3.0 refuses `pkeyutl -derive` on SM2 keys, and recognizes SM2 even when its
/// parameters are spelled out; with another generator (the peer's point: it has order n, the
/// cofactor being 1) the curve is no longer "SM2" to OpenSSL and its generic ECDH runs. d·Q does
/// not depend on which generator the parameters name.
fn sm2_ecdh_by_openssl(dir: &TempDir, a: &PrivateKey, b: &PrivateKey, generator: &str) -> Vec<u8> {
    let (a_sk, _) = write_key(dir, "a", a);
    let (_, b_pk) = write_key(dir, "b", b);
    let g = hex::decode(generator).unwrap();
    let q_b = b.public_key().key_bytes();
    assert_eq!(q_b.len(), g.len(), "uncompressed point");
    let priv_explicit = openssl_ok(&[
        "ec",
        "-in",
        &a_sk,
        "-param_enc",
        "explicit",
        "-outform",
        "DER",
    ]);
    let peer_explicit = openssl_ok(&[
        "ec",
        "-pubin",
        "-in",
        &b_pk,
        "-param_enc",
        "explicit",
        "-outform",
        "DER",
    ]);
    let a_x = dir.write("a-explicit.der", &replace_once(&priv_explicit, &g, q_b));
    let b_x = dir.write("b-explicit.der", &replace_once(&peer_explicit, &g, q_b));
    openssl_ok(&[
        "pkeyutl",
        "-derive",
        "-keyform",
        "DER",
        "-inkey",
        &a_x,
        "-peerform",
        "DER",
        "-peerkey",
        &b_x,
    ])
}

#[test]
fn ecdh_matches_openssl_derive() {
    if !have_openssl() {
        return;
    }
    let alg = KeyAgreementAlgorithm::Ecdh;
    for b in backend::all() {
        for spec in [
            KeySpec::EccNistP256,
            KeySpec::EccNistP384,
            KeySpec::EccNistP521,
        ] {
            let dir = TempDir::new("ecdh");
            let mine = key(b, spec);
            let theirs = b.generate_key_pair(spec).unwrap();
            let (sk, _) = write_key(&dir, "mine", &mine);
            let (_, peer) = write_key(&dir, "theirs", &theirs);
            let want = openssl_ok(&["pkeyutl", "-derive", "-inkey", &sk, "-peerkey", &peer]);
            let got = offline::derive_shared_secret_with(
                b,
                mine.pkcs8_der().expose(),
                theirs.public_key().spki_der(),
                alg,
            )
            .unwrap();
            assert_eq!(got.expose(), want, "{} {spec}", b.name());
            if spec == KeySpec::EccNistP256 {
                // The explicit-parameters route must agree with the plain one before SM2 uses it.
                let via = sm2_ecdh_by_openssl(&dir, &mine, &theirs, G_P256);
                assert_eq!(via, want, "explicit-parameter ECDH differs on P-256");
            }
        }
        let dir = TempDir::new("ecdh-sm2");
        let mine = key(b, KeySpec::Sm2);
        let theirs = b.generate_key_pair(KeySpec::Sm2).unwrap();
        let want = sm2_ecdh_by_openssl(&dir, &mine, &theirs, G_SM2);
        let got = offline::derive_shared_secret_with(
            b,
            mine.pkcs8_der().expose(),
            theirs.public_key().spki_der(),
            alg,
        )
        .unwrap();
        assert_eq!(got.expose(), want, "{} SM2", b.name());
    }
}

/// Private keys that OpenSSL generates parse in kmskit to the public key OpenSSL derives, and
/// kmskit's canonical PKCS#8 reads back in OpenSSL as the same key.
#[test]
fn private_key_formats_interoperate() {
    if !have_openssl() {
        return;
    }
    let dir = TempDir::new("keys");
    let gens: [(&str, &[&str]); 7] = [
        (
            "rsa",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
        (
            "p256",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "p384",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        (
            "p521",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        ),
        (
            "k256",
            &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:secp256k1",
            ],
        ),
        ("ed25519", &["-algorithm", "ED25519"]),
        ("sm2", &["-algorithm", "SM2"]),
    ];
    for (name, args) in gens {
        let path = dir.path(&format!("{name}.pem"));
        let mut a = vec!["genpkey"];
        a.extend(args);
        a.extend(["-out", path.as_str()]);
        openssl_ok(&a);
        let pem = std::fs::read(&path).unwrap();
        let key = PrivateKey::parse(&pem).unwrap_or_else(|e| panic!("{name}: {e}"));
        let spki = openssl_ok(&["pkey", "-in", &path, "-pubout", "-outform", "DER"]);
        assert_eq!(key.public_key().spki_der(), spki, "{name}: public key");
        // kmskit's PKCS#8 back through OpenSSL: same public key.
        let again = dir.write(&format!("{name}.kmskit.pem"), key.to_pem().expose());
        let spki2 = openssl_ok(&["pkey", "-in", &again, "-pubout", "-outform", "DER"]);
        assert_eq!(
            spki2, spki,
            "{name}: kmskit's PKCS#8 is another key to OpenSSL"
        );
        // The traditional forms too: PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`.
        let (trad, label) = match name {
            "ed25519" => continue,
            "rsa" => (
                openssl_ok(&["pkey", "-in", &path, "-traditional"]),
                "RSA PRIVATE KEY",
            ),
            "sm2" => {
                // OpenSSL 3.0 labels SEC1 SM2 keys "SM2 PRIVATE KEY"; test the SEC1 DER itself.
                let der = openssl_ok(&["ec", "-in", &path, "-outform", "DER"]);
                let k2 = PrivateKey::from_sec1_der(&der)
                    .unwrap_or_else(|e| panic!("{name} SEC1 DER: {e}"));
                assert_eq!(k2, key, "{name}: SEC1 DER");
                continue;
            }
            _ => (openssl_ok(&["ec", "-in", &path]), "EC PRIVATE KEY"),
        };
        assert!(
            String::from_utf8_lossy(&trad).contains(&format!("BEGIN {label}")),
            "{name}: OpenSSL wrote no {label}"
        );
        let k2 = PrivateKey::parse(&trad).unwrap_or_else(|e| panic!("{name} {label}: {e}"));
        assert_eq!(k2, key, "{name}: {label}");
    }
}
