//! Secret bytes: zeroized on drop, redacted in `Debug`, compared in constant time.
//!
//! Private keys, data keys, shared secrets and decrypted plaintext live in [`Secret`]. There is
//! no `Display`, and `Debug` prints only the length. Copies handed to Python or JavaScript are
//! outside Rust's reach and are not zeroized (see docs/compatibility.md).

use alloc::vec::Vec;
use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Secret bytes.
#[derive(Clone, Default)]
pub struct Secret(Vec<u8>);

impl Zeroize for Secret {
    /// Wipes the bytes and the spare capacity, then empties the vector. Not zeroize's own
    /// `Vec<u8>` impl: that wipes element by element (one volatile byte store at a time, ~7 GB/s
    /// here), which made dropping a decrypted megabyte cost more than decrypting it; the slice
    /// impls fill in bulk.
    fn zeroize(&mut self) {
        self.0.as_mut_slice().zeroize();
        self.0.spare_capacity_mut().zeroize();
        self.0.clear();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

impl Secret {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Copies `bytes`.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

    /// The secret bytes. Keep the borrow short; never log them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The length in bytes (not secret).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Hands the bytes over to the caller, who becomes responsible for them.
    pub fn into_vec(mut self) -> Vec<u8> {
        core::mem::take(&mut self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.0.len())
    }
}

impl PartialEq for Secret {
    /// Constant time in the contents (the lengths are not secret).
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for Secret {}

impl From<Vec<u8>> for Secret {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}

/// Constant-time equality of two byte strings (MAC tags, commitments). Lengths are public.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::from_slice(b"hunter2");
        let text = alloc::format!("{s:?}");
        assert_eq!(text, "Secret([REDACTED; 7 bytes])");
    }

    #[test]
    fn equality_and_into_vec() {
        assert_eq!(Secret::from_slice(b"ab"), Secret::from_slice(b"ab"));
        assert_ne!(Secret::from_slice(b"ab"), Secret::from_slice(b"ac"));
        assert_eq!(Secret::from_slice(b"xy").into_vec(), b"xy");
        assert!(ct_eq(b"tag", b"tag") && !ct_eq(b"tag", b"tab") && !ct_eq(b"t", b"tag"));
    }
}
