//! Where the writer puts message bytes and the reader puts plaintext: a growing `Vec`, or a
//! caller's buffer of the exact final size.
//!
//! The second exists for bindings that must hand back one buffer of their runtime (a Python
//! `bytes`): writing into it directly spares a message-sized allocation and copy, and on large
//! messages fresh allocations cost more than AES-GCM itself (page faults; BENCHMARKS.md).

use crate::error::{Error, Result};
use alloc::vec::Vec;
use zeroize::Zeroize;

/// An append-only byte destination that can take back what it was given.
pub(crate) trait Sink {
    /// Bytes written so far.
    fn len(&self) -> usize;

    /// Appends `n` bytes and returns them for the caller to fill.
    ///
    /// # Errors
    /// `KMSInternalException` when a fixed buffer has no room (its size was miscomputed).
    fn grow(&mut self, n: usize) -> Result<&mut [u8]>;

    /// The bytes written from `start` on.
    fn since(&self, start: usize) -> &[u8];

    /// Wipes everything from `start` on and forgets it.
    fn wipe_from(&mut self, start: usize);

    /// Appends a copy of `bytes` and returns it, to be transformed in place.
    ///
    /// # Errors
    /// As [`grow`](Self::grow).
    fn append(&mut self, bytes: &[u8]) -> Result<&mut [u8]> {
        let out = self.grow(bytes.len())?;
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Appends `bytes`.
    ///
    /// # Errors
    /// As [`grow`](Self::grow).
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.append(bytes).map(drop)
    }
}

impl Sink for Vec<u8> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn grow(&mut self, n: usize) -> Result<&mut [u8]> {
        let start = Vec::len(self);
        self.resize(start + n, 0);
        Ok(&mut self[start..])
    }

    fn since(&self, start: usize) -> &[u8] {
        &self[start..]
    }

    fn wipe_from(&mut self, start: usize) {
        self[start..].zeroize();
        self.truncate(start);
    }

    fn append(&mut self, bytes: &[u8]) -> Result<&mut [u8]> {
        let start = Vec::len(self);
        self.extend_from_slice(bytes);
        Ok(&mut self[start..])
    }
}

/// A caller's buffer, filled from the front.
pub(crate) struct Fixed<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> Fixed<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Whether every byte of the buffer was written.
    pub(crate) fn is_full(&self) -> bool {
        self.pos == self.buf.len()
    }
}

impl Sink for Fixed<'_> {
    fn len(&self) -> usize {
        self.pos
    }

    fn grow(&mut self, n: usize) -> Result<&mut [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.buf.len())
            .ok_or_else(|| Error::internal("the output buffer is too small"))?;
        let out = &mut self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn since(&self, start: usize) -> &[u8] {
        &self.buf[start..self.pos]
    }

    fn wipe_from(&mut self, start: usize) {
        self.buf[start..].zeroize();
        self.pos = self.pos.min(start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_fills_exactly_and_refuses_more() {
        let mut buf = [0u8; 5];
        let mut s = Fixed::new(&mut buf);
        s.put(b"abc").unwrap();
        s.grow(2).unwrap().copy_from_slice(b"de");
        assert!(s.is_full() && s.since(1) == b"bcde");
        assert!(s.put(b"f").is_err());
        s.wipe_from(1);
        assert_eq!(s.len(), 1);
        assert_eq!(buf, *b"a\0\0\0\0");
    }

    #[test]
    fn vec_wipes_what_it_takes_back() {
        let mut v = b"abc".to_vec();
        Sink::put(&mut v, b"de").unwrap();
        v.wipe_from(2);
        assert_eq!(v, b"ab");
    }
}
