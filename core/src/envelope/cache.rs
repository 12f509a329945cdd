//! A data-key cache (the ESDK's caching CMM, `framework/caching-cmm.md`): for workloads that
//! encrypt many small messages, reuse one data key (and its encrypted data keys, and for
//! signing suites its signing key) within limits, instead of asking the keyring each time.
//!
//! Encryption materials are reused for the same suite, encryption context and required keys,
//! while the entry is younger than `max_age_ms`, has protected at most `max_messages`
//! messages and `max_bytes` bytes. The byte count needs the plaintext length up front
//! ([`EncryptOptions::plaintext_length`](super::EncryptOptions::plaintext_length), which the
//! one-shot [`encrypt`](super::encrypt) sets): without it the cache is bypassed. Decryption
//! materials are reused for the same suite, encryption context and encrypted data keys.
//!
//! Reuse weakens isolation between messages (one data key protects several); keep the limits
//! small. Requires feature `std` (a lock and a clock).

use super::context;
use super::header::EncryptedDataKey;
use super::keyring::{
    DecryptionMaterials, DecryptionRequest, EncryptionMaterials, EncryptionRequest, Keyring,
};
use super::wire::put_bytes16;
use crate::backend::Backend;
use crate::error::{Error, Result};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use std::sync::{Mutex, PoisonError};

/// Limits of cached materials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheLimits {
    /// How long an entry may be used, in milliseconds.
    pub max_age_ms: u64,
    /// How many messages one data key may protect.
    pub max_messages: u64,
    /// How many plaintext bytes one data key may protect.
    pub max_bytes: u64,
    /// How many entries the cache holds (the oldest goes first).
    pub capacity: usize,
}

impl Default for CacheLimits {
    /// Five minutes, 2^32 messages (the ESDK's default), no byte limit, 64 entries.
    fn default() -> Self {
        Self {
            max_age_ms: 300_000,
            max_messages: 1 << 32,
            max_bytes: u64::MAX,
            capacity: 64,
        }
    }
}

#[derive(Debug)]
struct Entry<M> {
    key: Vec<u8>,
    materials: M,
    created_ms: u64,
    messages: u64,
    bytes: u64,
}

#[derive(Debug, Default)]
struct State {
    encrypt: Vec<Entry<EncryptionMaterials>>,
    decrypt: Vec<Entry<DecryptionMaterials>>,
}

/// A keyring wrapper that caches the materials of `inner`. See the module documentation.
pub struct CachingKeyring<K: Keyring> {
    inner: K,
    limits: CacheLimits,
    clock: fn() -> u64,
    state: Mutex<State>,
}

impl<K: Keyring> core::fmt::Debug for CachingKeyring<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CachingKeyring")
            .field("inner", &self.inner)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

fn system_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn request_key(
    suite: u16,
    ec: &context::EncryptionContext,
    required: &[String],
    edks: &[EncryptedDataKey],
) -> Result<Vec<u8>> {
    let mut k = Vec::new();
    k.extend_from_slice(&suite.to_be_bytes());
    put_bytes16(&mut k, &context::serialize(ec)?, "context")?;
    let mut required = required.to_vec();
    required.sort();
    for r in &required {
        put_bytes16(&mut k, r.as_bytes(), "key")?;
    }
    k.push(0xff);
    let mut edks = edks.to_vec();
    edks.sort();
    for e in &edks {
        put_bytes16(&mut k, e.provider_id.as_bytes(), "provider ID")?;
        put_bytes16(&mut k, &e.provider_info, "provider info")?;
        put_bytes16(&mut k, &e.ciphertext, "EDK")?;
    }
    Ok(k)
}

impl<K: Keyring> CachingKeyring<K> {
    /// Caches the materials of `inner` within `limits`, timed by the system clock.
    ///
    /// # Errors
    /// `ValidationException` for a zero capacity or zero message limit.
    pub fn new(inner: K, limits: CacheLimits) -> Result<Self> {
        Self::with_clock(inner, limits, system_ms)
    }

    /// As [`new`](Self::new), with a clock returning milliseconds (tests, deterministic runs).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_clock(inner: K, limits: CacheLimits, clock: fn() -> u64) -> Result<Self> {
        if limits.capacity == 0 || limits.max_messages == 0 {
            return Err(Error::validation(
                "a data-key cache needs a capacity and a message limit of at least 1",
            ));
        }
        Ok(Self {
            inner,
            limits,
            clock,
            state: Mutex::new(State::default()),
        })
    }

    /// Drops every cached entry.
    pub fn clear(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.encrypt.clear();
        s.decrypt.clear();
    }

    /// The number of cached (encrypt, decrypt) entries.
    pub fn len(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (s.encrypt.len(), s.decrypt.len())
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    fn fresh<M>(&self, now: u64, e: &Entry<M>) -> bool {
        now.saturating_sub(e.created_ms) < self.limits.max_age_ms
    }
}

impl<K: Keyring> Keyring for CachingKeyring<K> {
    fn describe(&self) -> String {
        format!("caching {}", self.inner.describe())
    }

    fn on_encrypt(&self, backend: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        self.inner.on_encrypt(backend, m)
    }

    fn on_decrypt(
        &self,
        backend: &dyn Backend,
        m: &mut DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<()> {
        self.inner.on_decrypt(backend, m, edks)
    }

    fn encryption_materials(
        &self,
        backend: &dyn Backend,
        request: &EncryptionRequest,
    ) -> Result<EncryptionMaterials> {
        let Some(len) = request.plaintext_length else {
            return self.inner.encryption_materials(backend, request);
        };
        if len > self.limits.max_bytes {
            return self.inner.encryption_materials(backend, request);
        }
        let key = request_key(
            request.suite.id(),
            &request.encryption_context,
            &request.required_encryption_context_keys,
            &[],
        )?;
        let now = (self.clock)();
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.encrypt.retain(|e| self.fresh(now, e));
        if let Some(i) = s.encrypt.iter().position(|e| e.key == key) {
            let e = &mut s.encrypt[i];
            let within = e.messages < self.limits.max_messages
                && e.bytes.saturating_add(len) <= self.limits.max_bytes;
            if within {
                e.messages += 1;
                e.bytes = e.bytes.saturating_add(len);
                return Ok(e.materials.clone());
            }
            s.encrypt.remove(i);
        }
        let materials = self.inner.encryption_materials(backend, request)?;
        if s.encrypt.len() >= self.limits.capacity {
            s.encrypt.remove(0);
        }
        s.encrypt.push(Entry {
            key,
            materials: materials.clone(),
            created_ms: now,
            messages: 1,
            bytes: len,
        });
        Ok(materials)
    }

    fn decryption_materials(
        &self,
        backend: &dyn Backend,
        request: &DecryptionRequest,
    ) -> Result<DecryptionMaterials> {
        let key = request_key(
            request.suite.id(),
            &request.encryption_context,
            &request.required_encryption_context_keys,
            &request.encrypted_data_keys,
        )?;
        let now = (self.clock)();
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.decrypt.retain(|e| self.fresh(now, e));
        if let Some(i) = s.decrypt.iter().position(|e| e.key == key) {
            let e = &mut s.decrypt[i];
            if e.messages < self.limits.max_messages {
                e.messages += 1;
                return Ok(e.materials.clone());
            }
            s.decrypt.remove(i);
        }
        let materials = self.inner.decryption_materials(backend, request)?;
        if s.decrypt.len() >= self.limits.capacity {
            s.decrypt.remove(0);
        }
        s.decrypt.push(Entry {
            key,
            materials: materials.clone(),
            created_ms: now,
            messages: 1,
            bytes: 0,
        });
        Ok(materials)
    }
}
