//! Randomness and time for the local KMS, both injectable so that deterministic mode can make
//! every run identical: key IDs, key material, IVs and import tokens come from a seeded
//! HMAC_DRBG (NIST SP 800-90A, SHA-256), and the clock is set by the caller.

use crate::backend::Backend;
use crate::error::Result;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// HMAC_DRBG with SHA-256 (SP 800-90A §10.1.2), without reseeding: for reproducible test runs,
/// not for production secrets.
#[derive(Clone)]
pub struct HmacDrbg {
    k: [u8; 32],
    v: [u8; 32],
}

impl core::fmt::Debug for HmacDrbg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacDrbg { .. }")
    }
}

fn hmac(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes keys of any length, so this never fails.
    let Ok(mut m) = <HmacSha256 as KeyInit>::new_from_slice(key) else {
        return [0u8; 32];
    };
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

impl HmacDrbg {
    /// Instantiates the DRBG from `seed` (entropy ‖ nonce ‖ personalization, all in one).
    pub fn new(seed: &[u8]) -> Self {
        let mut d = Self {
            k: [0u8; 32],
            v: [1u8; 32],
        };
        d.update(Some(seed));
        d
    }

    fn update(&mut self, data: Option<&[u8]>) {
        let data = data.unwrap_or(&[]);
        self.k = hmac(&self.k, &[&self.v, &[0x00], data]);
        self.v = hmac(&self.k, &[&self.v]);
        if !data.is_empty() {
            self.k = hmac(&self.k, &[&self.v, &[0x01], data]);
            self.v = hmac(&self.k, &[&self.v]);
        }
    }

    /// Fills `out`.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(32) {
            self.v = hmac(&self.k, &[&self.v]);
            chunk.copy_from_slice(&self.v[..chunk.len()]);
        }
        self.update(None);
    }
}

/// Where the local KMS gets random bytes.
#[derive(Debug)]
pub enum Randomness {
    /// The backend's cryptographic random source.
    System,
    /// A seeded DRBG (deterministic mode).
    Seeded(HmacDrbg),
}

impl Randomness {
    /// Fills `out`.
    ///
    /// # Errors
    /// `KMSInternalException` if the system source fails.
    pub fn fill(&mut self, backend: &dyn Backend, out: &mut [u8]) -> Result<()> {
        match self {
            Randomness::System => backend.fill_random(out),
            Randomness::Seeded(d) => {
                d.fill(out);
                Ok(())
            }
        }
    }

    /// Whether this is the seeded (deterministic) source.
    pub fn is_seeded(&self) -> bool {
        matches!(self, Randomness::Seeded(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drbg_is_deterministic_and_seed_sensitive() {
        let mut a = HmacDrbg::new(b"seed");
        let mut b = HmacDrbg::new(b"seed");
        let mut c = HmacDrbg::new(b"seee");
        let (mut x, mut y, mut z) = ([0u8; 40], [0u8; 40], [0u8; 40]);
        a.fill(&mut x);
        b.fill(&mut y);
        c.fill(&mut z);
        assert_eq!(x, y);
        assert_ne!(x, z);
        let mut x2 = [0u8; 40];
        a.fill(&mut x2);
        assert_ne!(x, x2);
    }
}
