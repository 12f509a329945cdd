//! The encrypted container, version 1 (docs/formats.md, "Encrypted container"):
//!
//! ```text
//! magic      4   "KMKE"
//! version    1   0x01
//! kdf        1   0x00: the caller's 32-byte key; 0x01: Argon2id (v0x13) of a passphrase
//! m_cost     4   } Argon2id only: memory in KiB, iterations, lanes (big-endian u32)
//! t_cost     4   }
//! p_cost     4   }
//! salt       16  } Argon2id only
//! nonce      12  AES-GCM nonce
//! body       n+16 AES-256-GCM ciphertext ‖ tag; AAD = every byte before the body
//! ```
//! Any bit flipped anywhere, a wrong key and a wrong passphrase are all
//! `InvalidCiphertextException`, and nothing is released unless the tag verifies.

use crate::backend;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::Secret;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The magic bytes.
pub const MAGIC: [u8; 4] = *b"KMKE";
/// The container version this build writes and reads.
pub const VERSION: u8 = 1;
/// The length of a wrapping key (AES-256).
pub const KEY_LEN: usize = 32;
/// The length of the Argon2id salt.
pub const SALT_LEN: usize = 16;
/// The length of the AES-GCM nonce.
pub const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const KDF_KEY: u8 = 0;
const KDF_ARGON2ID: u8 = 1;

/// Argon2id cost parameters (RFC 9106). The output is always 32 bytes, Argon2 version 0x13,
/// with no secret key and no associated data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Params {
    /// Memory in KiB (at least 8 × `p_cost`, at most [`Argon2Params::MAX_M_COST`]).
    pub m_cost_kib: u32,
    /// Iterations (1 to [`Argon2Params::MAX_T_COST`]).
    pub t_cost: u32,
    /// Lanes (1 to [`Argon2Params::MAX_P_COST`]); computed one after another.
    pub p_cost: u32,
}

impl Argon2Params {
    /// OWASP's recommendation for interactive use: 19 MiB, 2 iterations, 1 lane.
    pub const INTERACTIVE: Argon2Params = Argon2Params {
        m_cost_kib: 19 * 1024,
        t_cost: 2,
        p_cost: 1,
    };
    /// The cheapest parameters Argon2 allows (8 KiB, 1 iteration, 1 lane): for tests only.
    pub const TEST_ONLY_INSECURE: Argon2Params = Argon2Params {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };
    /// The most memory a container may ask for: 2 GiB (a reader refuses more, so that a
    /// hostile container cannot exhaust memory).
    pub const MAX_M_COST: u32 = 2 * 1024 * 1024;
    /// The most iterations a container may ask for.
    pub const MAX_T_COST: u32 = 64;
    /// The most lanes a container may ask for.
    pub const MAX_P_COST: u32 = 64;

    fn check(self) -> Option<argon2::Params> {
        let ok = (1..=Self::MAX_P_COST).contains(&self.p_cost)
            && (1..=Self::MAX_T_COST).contains(&self.t_cost)
            && self.m_cost_kib <= Self::MAX_M_COST
            && self.m_cost_kib >= 8 * self.p_cost;
        if !ok {
            return None;
        }
        argon2::Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(KEY_LEN)).ok()
    }
}

impl Default for Argon2Params {
    fn default() -> Self {
        Self::INTERACTIVE
    }
}

impl Argon2Params {
    /// The parameters a binding's options name, the defaults standing in for those left out;
    /// `None` when none is named (so [`seal`] can refuse Argon2 parameters with a key).
    pub fn from_parts(
        m_cost_kib: Option<u32>,
        t_cost: Option<u32>,
        p_cost: Option<u32>,
    ) -> Option<Self> {
        if m_cost_kib.is_none() && t_cost.is_none() && p_cost.is_none() {
            return None;
        }
        let d = Self::default();
        Some(Self {
            m_cost_kib: m_cost_kib.unwrap_or(d.m_cost_kib),
            t_cost: t_cost.unwrap_or(d.t_cost),
            p_cost: p_cost.unwrap_or(d.p_cost),
        })
    }
}

/// How a container's key is obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kdf {
    /// The caller's 32-byte key, used as is.
    Key,
    /// Argon2id of a passphrase with these parameters.
    Argon2id(Argon2Params),
}

/// What [`inspect`] reads from a container's header (nothing is decrypted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealedInfo {
    /// The key derivation.
    pub kdf: Kdf,
    /// The plaintext's length in bytes.
    pub plaintext_len: usize,
}

fn invalid() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the data is not a kmskit encrypted container, or the key or passphrase is wrong",
    )
}

fn wrapping_key(key: &[u8]) -> Result<&[u8]> {
    if key.len() != KEY_LEN {
        return Err(Error::validation(alloc::format!(
            "the wrapping key must be {KEY_LEN} bytes, got {}",
            key.len()
        )));
    }
    Ok(key)
}

fn derive(passphrase: &[u8], params: argon2::Params, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(passphrase, salt, out.as_mut())
        .map_err(|e| match e {
            argon2::Error::OutOfMemory => {
                Error::internal("not enough memory for the Argon2id parameters")
            }
            _ => Error::validation("the passphrase cannot be used with Argon2id"),
        })?;
    Ok(out)
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    backend::default().fill_random(&mut out)?;
    Ok(out)
}

fn seal_body(
    mut header: Vec<u8>,
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    header.extend_from_slice(nonce);
    let body = backend::default().aes_gcm_seal(key, nonce, &header, plaintext)?;
    header.extend_from_slice(&body);
    Ok(header)
}

/// Encrypts `plaintext` (a snapshot or key blob, or any bytes) under a 32-byte key, with a
/// random nonce.
///
/// # Errors
/// `ValidationException` for a key that is not 32 bytes; `KMSInternalException` if the
/// random source fails.
pub fn encrypt_with_key(plaintext: &[u8], key: &[u8]) -> Result<Vec<u8>> {
    encrypt_with_key_and_nonce(plaintext, key, &random()?)
}

/// [`encrypt_with_key`] with the caller's nonce: for reproducible test vectors only. A nonce
/// must never be used twice with the same key.
///
/// # Errors
/// As [`encrypt_with_key`].
pub fn encrypt_with_key_and_nonce(
    plaintext: &[u8],
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    let key = wrapping_key(key)?;
    let mut header = Vec::with_capacity(6 + NONCE_LEN + plaintext.len() + TAG_LEN);
    header.extend_from_slice(&MAGIC);
    header.push(VERSION);
    header.push(KDF_KEY);
    seal_body(header, key, nonce, plaintext)
}

/// Encrypts `plaintext` under a key derived from `passphrase` (its bytes as given; bindings
/// pass UTF-8, without normalization) with Argon2id, a random salt and a random nonce.
///
/// # Errors
/// `ValidationException` for an empty passphrase or parameters out of range;
/// `KMSInternalException` if the random source or the memory allocation fails.
pub fn encrypt_with_passphrase(
    plaintext: &[u8],
    passphrase: &[u8],
    params: Argon2Params,
) -> Result<Vec<u8>> {
    encrypt_with_passphrase_salt_and_nonce(plaintext, passphrase, params, &random()?, &random()?)
}

/// [`encrypt_with_passphrase`] with the caller's salt and nonce: for reproducible test vectors
/// only.
///
/// # Errors
/// As [`encrypt_with_passphrase`].
pub fn encrypt_with_passphrase_salt_and_nonce(
    plaintext: &[u8],
    passphrase: &[u8],
    params: Argon2Params,
    salt: &[u8; SALT_LEN],
    nonce: &[u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    if passphrase.is_empty() {
        return Err(Error::validation("the passphrase must not be empty"));
    }
    let Some(argon) = params.check() else {
        return Err(Error::validation(alloc::format!(
            "Argon2id parameters m={} KiB, t={}, p={} are out of range (p 1-{}, t 1-{}, m 8*p to {} KiB)",
            params.m_cost_kib,
            params.t_cost,
            params.p_cost,
            Argon2Params::MAX_P_COST,
            Argon2Params::MAX_T_COST,
            Argon2Params::MAX_M_COST
        )));
    };
    let key = derive(passphrase, argon, salt)?;
    let mut header = Vec::with_capacity(34 + NONCE_LEN + plaintext.len() + TAG_LEN);
    header.extend_from_slice(&MAGIC);
    header.push(VERSION);
    header.push(KDF_ARGON2ID);
    header.extend_from_slice(&params.m_cost_kib.to_be_bytes());
    header.extend_from_slice(&params.t_cost.to_be_bytes());
    header.extend_from_slice(&params.p_cost.to_be_bytes());
    header.extend_from_slice(salt);
    seal_body(header, key.as_ref(), nonce, plaintext)
}

struct Parsed<'a> {
    kdf: Kdf,
    salt: &'a [u8],
    nonce: [u8; NONCE_LEN],
    header: &'a [u8],
    body: &'a [u8],
}

fn be32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(b);
    u32::from_be_bytes(a)
}

fn parse(blob: &[u8]) -> Result<Parsed<'_>> {
    if blob.len() < 6 || blob[..4] != MAGIC || blob[4] != VERSION {
        return Err(invalid());
    }
    let (kdf, salt, at) = match blob[5] {
        KDF_KEY => (Kdf::Key, &blob[6..6], 6),
        KDF_ARGON2ID if blob.len() >= 34 => {
            let params = Argon2Params {
                m_cost_kib: be32(&blob[6..10]),
                t_cost: be32(&blob[10..14]),
                p_cost: be32(&blob[14..18]),
            };
            params.check().ok_or_else(invalid)?;
            (Kdf::Argon2id(params), &blob[18..34], 34)
        }
        _ => return Err(invalid()),
    };
    if blob.len() < at + NONCE_LEN + TAG_LEN {
        return Err(invalid());
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&blob[at..at + NONCE_LEN]);
    Ok(Parsed {
        kdf,
        salt,
        nonce,
        header: &blob[..at + NONCE_LEN],
        body: &blob[at + NONCE_LEN..],
    })
}

/// Reads a container's header: which key derivation it uses and the plaintext's length.
///
/// # Errors
/// `InvalidCiphertextException` when `blob` is not a version-1 container.
pub fn inspect(blob: &[u8]) -> Result<SealedInfo> {
    let p = parse(blob)?;
    Ok(SealedInfo {
        kdf: p.kdf,
        plaintext_len: p.body.len() - TAG_LEN,
    })
}

fn open(p: &Parsed<'_>, key: &[u8]) -> Result<Secret> {
    backend::default()
        .aes_gcm_open(key, &p.nonce, p.header, p.body)
        .map_err(|_| invalid())
}

/// Decrypts a container made with [`encrypt_with_key`].
///
/// # Errors
/// `ValidationException` for a key that is not 32 bytes; `InvalidCiphertextException` for a
/// wrong key, a passphrase container, or any change to the container.
pub fn decrypt_with_key(blob: &[u8], key: &[u8]) -> Result<Secret> {
    let key = wrapping_key(key)?;
    let p = parse(blob)?;
    if p.kdf != Kdf::Key {
        return Err(invalid());
    }
    open(&p, key)
}

/// Decrypts a container made with [`encrypt_with_passphrase`].
///
/// # Errors
/// `InvalidCiphertextException` for a wrong passphrase, a key container, or any change to the
/// container (parameters over the limits included); `KMSInternalException` if the memory
/// Argon2id asks for cannot be allocated.
pub fn decrypt_with_passphrase(blob: &[u8], passphrase: &[u8]) -> Result<Secret> {
    let p = parse(blob)?;
    let Kdf::Argon2id(params) = p.kdf else {
        return Err(invalid());
    };
    let argon = params.check().ok_or_else(invalid)?;
    let key = derive(passphrase, argon, p.salt).map_err(|e| {
        if e.code() == ErrorCode::KMSInternalException {
            e
        } else {
            invalid()
        }
    })?;
    open(&p, key.as_ref())
}

/// How a binding asks to seal: a key or a passphrase (with Argon2id parameters), and for
/// reproducible test vectors only, the nonce (and salt). One place decides which of the
/// `encrypt_with_*` functions that is, so every binding offers the same options.
#[derive(Clone, Copy, Debug, Default)]
pub struct SealOptions<'a> {
    /// A 32-byte wrapping key.
    pub key: Option<&'a [u8]>,
    /// A passphrase (bindings pass its UTF-8 bytes).
    pub passphrase: Option<&'a [u8]>,
    /// Argon2id parameters (passphrase only; default [`Argon2Params::default`]).
    pub argon2: Option<Argon2Params>,
    /// The salt (passphrase only; with `nonce`).
    pub salt: Option<&'a [u8]>,
    /// The nonce.
    pub nonce: Option<&'a [u8]>,
}

fn fixed<const N: usize>(what: &str, bytes: &[u8]) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        Error::validation(alloc::format!(
            "the {what} must be {N} bytes, not {}",
            bytes.len()
        ))
    })
}

/// Seals `plaintext` as `options` say.
///
/// # Errors
/// `ValidationException` unless exactly one of key and passphrase is given, for Argon2
/// parameters or a salt with a key, for a salt without a nonce (or the reverse, with a
/// passphrase) and for wrong lengths; as the `encrypt_with_*` functions otherwise.
pub fn seal(plaintext: &[u8], options: &SealOptions<'_>) -> Result<Vec<u8>> {
    let nonce = options
        .nonce
        .map(|n| fixed::<NONCE_LEN>("nonce", n))
        .transpose()?;
    match (options.key, options.passphrase) {
        (Some(key), None) => {
            if options.argon2.is_some() || options.salt.is_some() {
                return Err(Error::validation(
                    "Argon2 parameters and a salt go with a passphrase, not a key",
                ));
            }
            match nonce {
                Some(nonce) => encrypt_with_key_and_nonce(plaintext, key, &nonce),
                None => encrypt_with_key(plaintext, key),
            }
        }
        (None, Some(passphrase)) => {
            let params = options.argon2.unwrap_or_default();
            match (options.salt, nonce) {
                (Some(salt), Some(nonce)) => encrypt_with_passphrase_salt_and_nonce(
                    plaintext,
                    passphrase,
                    params,
                    &fixed::<SALT_LEN>("salt", salt)?,
                    &nonce,
                ),
                (None, None) => encrypt_with_passphrase(plaintext, passphrase, params),
                _ => Err(Error::validation("give both salt and nonce, or neither")),
            }
        }
        _ => Err(Error::validation("give either a key or a passphrase")),
    }
}

/// Opens a container with its key or its passphrase (exactly one).
///
/// # Errors
/// `ValidationException` unless exactly one is given; as the `decrypt_with_*` functions.
pub fn unseal(blob: &[u8], key: Option<&[u8]>, passphrase: Option<&[u8]>) -> Result<Secret> {
    match (key, passphrase) {
        (Some(key), None) => decrypt_with_key(blob, key),
        (None, Some(passphrase)) => decrypt_with_passphrase(blob, passphrase),
        _ => Err(Error::validation("give either a key or a passphrase")),
    }
}
