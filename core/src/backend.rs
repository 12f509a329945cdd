//! The crypto backend interface, in the style of rustls' `CryptoProvider`.
//!
//! Core decides *what* KMS does (validation, limits, encodings, key formats); a [`Backend`]
//! only does the math. Two implementations exist: [`AWS_LC`] (aws-lc-rs, the native default)
//! and `RUST_CRYPTO` (RustCrypto: the wasm default, and on native behind the `rust-crypto`
//! feature so that tests run every vector through both). The default is chosen at compile
//! time ([`default`]) and never depends on run-time state, so it cannot panic.
//!
//! Some algorithms have one implementation used by both backends, because aws-lc-rs lacks them:
//! SM2 and SM3 ([`crate::sm2`]), Ed25519ph, ML-DSA signing over an external μ, and ML-KEM
//! decapsulation from the seed-format private key that KMS uses. Backends call those shared
//! modules; `docs/compatibility.md` lists them.
//!
//! Keys cross this interface in one canonical form: [`PrivateKey`] holds PKCS#8 DER as core
//! writes it, [`PublicKey`] holds DER SubjectPublicKeyInfo. Backends parse them per call; the
//! aws-lc backend keeps its last few parsed public keys (verifying with one key again and again
//! is the common case).

use crate::error::Result;
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::spec::{Hash, KeySpec, MacAlgorithm, SigningAlgorithm};
use alloc::boxed::Box;
use core::fmt::Debug;

#[cfg(not(target_arch = "wasm32"))]
mod aws_lc;
#[doc(hidden)]
pub mod common;
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
mod rsa_public;
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
mod rustcrypto;

/// What is being signed or verified, after core has checked its length against the algorithm.
#[derive(Clone, Copy, Debug)]
pub enum Message<'a> {
    /// The message; the algorithm hashes it.
    Raw(&'a [u8]),
    /// A digest of the algorithm's hash; the hashing step is skipped. (For ED25519_PH_SHA_512,
    /// KMS still applies the SHA-512 prehash to it.)
    Digest(&'a [u8]),
    /// The ML-DSA message representative μ (FIPS 204 §6.2).
    ExternalMu(&'a [u8]),
}

/// RSA encryption paddings. KMS uses the two OAEP variants (RSAES_OAEP_SHA_1/256: MGF1 with the
/// same hash, empty label); the Encryption SDK's raw RSA keyring also uses the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RsaPadding {
    /// RSAES-OAEP, SHA-1 and MGF1-SHA-1, empty label.
    OaepSha1,
    /// RSAES-OAEP, SHA-256 and MGF1-SHA-256, empty label.
    OaepSha256,
    /// RSAES-OAEP, SHA-384 and MGF1-SHA-384, empty label.
    OaepSha384,
    /// RSAES-OAEP, SHA-512 and MGF1-SHA-512, empty label.
    OaepSha512,
    /// RSAES-PKCS1-v1_5 (legacy; never used by KMS itself).
    Pkcs1v15,
}

impl RsaPadding {
    /// Every padding, in declaration order.
    pub const ALL: &'static [RsaPadding] = &[
        RsaPadding::OaepSha1,
        RsaPadding::OaepSha256,
        RsaPadding::OaepSha384,
        RsaPadding::OaepSha512,
        RsaPadding::Pkcs1v15,
    ];

    /// The largest plaintext for a modulus of `modulus_bytes` (RFC 8017 §7.1.1, §7.2.1).
    pub const fn max_plaintext(self, modulus_bytes: usize) -> usize {
        let overhead = match self {
            RsaPadding::OaepSha1 => 2 * 20 + 2,
            RsaPadding::OaepSha256 => 2 * 32 + 2,
            RsaPadding::OaepSha384 => 2 * 48 + 2,
            RsaPadding::OaepSha512 => 2 * 64 + 2,
            RsaPadding::Pkcs1v15 => 11,
        };
        modulus_bytes.saturating_sub(overhead)
    }

    /// `ValidationException` when `plaintext_len` exceeds [`Self::max_plaintext`]: both
    /// backends check this before encrypting, with the same words.
    pub(crate) fn check_plaintext(self, modulus_bytes: usize, plaintext_len: usize) -> Result<()> {
        if plaintext_len > self.max_plaintext(modulus_bytes) {
            return Err(crate::error::Error::validation(
                "RSA encryption failed: plaintext too long for the key",
            ));
        }
        Ok(())
    }
}

/// An AES-GCM key (128, 192 or 256 bits, 96-bit nonces, 16-byte tags) set up once and used for
/// many operations, as the frames of an Encryption SDK message are.
pub trait AesGcmKey: Send + Sync {
    /// Encrypts `in_out` in place and returns the 16-byte tag.
    ///
    /// # Errors
    /// `KMSInternalException` on an internal failure (input too long).
    fn seal_in_place(&self, nonce: &[u8; 12], aad: &[u8], in_out: &mut [u8]) -> Result<[u8; 16]>;

    /// Decrypts `ciphertext` into `out` (of the same length) if `tag` verifies.
    ///
    /// # Errors
    /// `InvalidCiphertextException` when the tag does not verify (opaque). `out` may then hold
    /// unverified bytes: the caller must wipe it and never release it.
    fn open_into(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
        out: &mut [u8],
    ) -> Result<()>;
}

/// An incremental hash (SHA-256, SHA-384 or SHA-512), for data that arrives in pieces.
pub trait HashContext: Send {
    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]);
    /// The digest of everything absorbed.
    fn finish(self: Box<Self>) -> alloc::vec::Vec<u8>;
}

/// The math a backend provides. Inputs are already validated by core against the spec table
/// (algorithm fits the key, lengths fit the algorithm), so backends do no KMS-level checks.
///
/// Errors: a key the backend cannot use is `ValidationException`; a failure of the math that
/// must stay opaque (decryption) is `InvalidCiphertextException`; an algorithm a backend does not
/// implement is `UnsupportedOperationException`.
pub trait Backend: Send + Sync + Debug {
    /// A short name for reports and benchmarks (`"aws-lc"`, `"rustcrypto"`).
    fn name(&self) -> &'static str;

    /// Fills `out` with cryptographically secure random bytes.
    ///
    /// # Errors
    /// `KMSInternalException` if the system source fails (or none is available).
    fn fill_random(&self, out: &mut [u8]) -> Result<()>;

    /// Generates a key pair of an asymmetric `spec`, in core's canonical PKCS#8.
    ///
    /// # Errors
    /// `ValidationException` for a symmetric or HMAC spec.
    fn generate_key_pair(&self, spec: KeySpec) -> Result<PrivateKey>;

    /// The DER SubjectPublicKeyInfo of `key`, computed by this backend. Core derives the public
    /// key when it parses a private key; this exists so tests can hold both to the same bytes.
    ///
    /// # Errors
    /// `ValidationException` if this backend rejects the key.
    fn public_key_der(&self, key: &PrivateKey) -> Result<alloc::vec::Vec<u8>>;

    /// Signs `message` with `key` and `algorithm`, as KMS Sign does (DER for ECDSA and SM2).
    ///
    /// # Errors
    /// `ValidationException` if the key is unusable.
    fn sign(
        &self,
        key: &PrivateKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
    ) -> Result<alloc::vec::Vec<u8>>;

    /// Verifies `signature` over `message` with `key` and `algorithm`.
    ///
    /// Returns `Ok(false)` for any signature that does not verify, malformed ones included.
    ///
    /// # Errors
    /// `ValidationException` if the key itself is unusable (for example, not on the curve).
    fn verify(
        &self,
        key: &PublicKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<bool>;

    /// RSA encryption of `plaintext` (already checked against the padding's limit).
    ///
    /// # Errors
    /// `ValidationException` if the key is not an RSA key this backend accepts.
    fn rsa_encrypt(
        &self,
        key: &PublicKey,
        padding: RsaPadding,
        plaintext: &[u8],
    ) -> Result<alloc::vec::Vec<u8>>;

    /// RSA decryption.
    ///
    /// # Errors
    /// `InvalidCiphertextException` when the ciphertext does not decrypt (opaque).
    fn rsa_decrypt(
        &self,
        key: &PrivateKey,
        padding: RsaPadding,
        ciphertext: &[u8],
    ) -> Result<Secret>;

    /// ECDH (NIST SP 800-56A §5.7.1.2): the x-coordinate of `key`·`peer`, fixed length.
    /// `peer` is on the same curve (core checked).
    ///
    /// # Errors
    /// `ValidationException` if the peer key is not a valid point.
    fn ecdh(&self, key: &PrivateKey, peer: &PublicKey) -> Result<Secret>;

    /// ML-KEM encapsulation to `key`: (32-byte shared secret, ciphertext).
    ///
    /// # Errors
    /// `ValidationException` if the key is not a valid encapsulation key.
    fn ml_kem_encapsulate(&self, key: &PublicKey) -> Result<(Secret, alloc::vec::Vec<u8>)>;

    /// ML-KEM decapsulation with FIPS 203 implicit rejection: a ciphertext of the right length
    /// always yields 32 bytes (pseudo-random if it was not made for this key).
    ///
    /// # Errors
    /// `InvalidCiphertextException` only for a ciphertext of the wrong length.
    fn ml_kem_decapsulate(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Secret>;

    /// HMAC (RFC 2104) of `message` under `key`.
    ///
    /// # Errors
    /// None expected; `KMSInternalException` on an internal failure.
    fn hmac(
        &self,
        algorithm: MacAlgorithm,
        key: &[u8],
        message: &[u8],
    ) -> Result<alloc::vec::Vec<u8>>;

    /// AES-GCM encryption (128/192/256-bit key, 96-bit nonce): returns ciphertext ‖ 16-byte tag.
    ///
    /// # Errors
    /// `ValidationException` for a key of another length.
    fn aes_gcm_seal(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<alloc::vec::Vec<u8>>;

    /// AES-GCM decryption of ciphertext ‖ tag; nothing is released unless the tag verifies.
    ///
    /// # Errors
    /// `InvalidCiphertextException` when the tag does not verify (opaque).
    fn aes_gcm_open(
        &self,
        key: &[u8],
        nonce: &[u8; 12],
        aad: &[u8],
        ciphertext_and_tag: &[u8],
    ) -> Result<Secret>;

    /// Sets up an AES-GCM key for many operations (see [`AesGcmKey`]).
    ///
    /// # Errors
    /// `ValidationException` for a key that is not 16, 24 or 32 bytes.
    fn aes_gcm_key(&self, key: &[u8]) -> Result<Box<dyn AesGcmKey>>;

    /// Starts an incremental hash.
    ///
    /// # Errors
    /// `UnsupportedOperationException` for a hash other than SHA-256, SHA-384 and SHA-512.
    fn hash_context(&self, hash: Hash) -> Result<Box<dyn HashContext>>;
}

/// The aws-lc-rs backend (native targets only).
#[cfg(not(target_arch = "wasm32"))]
pub static AWS_LC: &dyn Backend = &aws_lc::AwsLc;

/// The RustCrypto backend (always on wasm32; on native with feature `rust-crypto`).
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
pub static RUST_CRYPTO: &dyn Backend = &rustcrypto::RustCrypto;

/// The backend used when none is given: aws-lc-rs on native targets, RustCrypto on wasm32.
pub fn default() -> &'static dyn Backend {
    #[cfg(not(target_arch = "wasm32"))]
    {
        AWS_LC
    }
    #[cfg(target_arch = "wasm32")]
    {
        RUST_CRYPTO
    }
}

/// The default backend as its concrete type: what the offline functions use, so that a build
/// which calls only some of them (the browser package) links only the code they reach —
/// a `&dyn Backend` would pull in every method through its vtable.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn preferred() -> &'static impl Backend {
    &aws_lc::AwsLc
}

/// The default backend as its concrete type (see the native variant).
#[cfg(target_arch = "wasm32")]
pub(crate) fn preferred() -> &'static impl Backend {
    &rustcrypto::RustCrypto
}

/// Every backend compiled into this build, default first.
pub fn all() -> alloc::vec::Vec<&'static dyn Backend> {
    #[allow(
        unused_mut,
        reason = "only pushed to when rust-crypto is compiled on native"
    )]
    let mut v = alloc::vec![default()];
    #[cfg(all(not(target_arch = "wasm32"), feature = "rust-crypto"))]
    v.push(RUST_CRYPTO);
    v
}
