//! Big-endian byte reading and writing for the message format.

use crate::error::{Error, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// A cursor over bytes; every read returns `None` when the bytes run out.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.array()?))
    }

    /// u16 length, then that many bytes.
    pub(crate) fn bytes16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(usize::from(n))
    }

    /// u16 length, then that many bytes of UTF-8 (`None` also for invalid UTF-8).
    pub(crate) fn str16(&mut self) -> Option<String> {
        String::from_utf8(self.bytes16()?.to_vec()).ok()
    }
}

/// Appends `bytes` with a u16 length prefix.
///
/// # Errors
/// `ValidationException` when `bytes` is longer than 65535 (`what` names the field).
pub(crate) fn put_bytes16(out: &mut Vec<u8>, bytes: &[u8], what: &str) -> Result<()> {
    let n = u16::try_from(bytes.len()).map_err(|_| {
        Error::validation(alloc::format!(
            "{what} is {} bytes; at most 65535 fit in the message format",
            bytes.len()
        ))
    })?;
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// Makes room for `extra` more bytes in a secret buffer without leaving unzeroized copies
/// behind: when the buffer must grow, its bytes move to a new allocation and the old one is
/// wiped. Growth doubles, up to `limit` (unless more is needed).
pub(crate) fn reserve_secret(buf: &mut zeroize::Zeroizing<Vec<u8>>, extra: usize, limit: usize) {
    let needed = buf.len().saturating_add(extra);
    if needed > buf.capacity() {
        let cap = needed
            .max(buf.capacity().saturating_mul(2).min(limit))
            .max(64);
        let mut fresh = zeroize::Zeroizing::new(Vec::with_capacity(cap));
        fresh.extend_from_slice(buf);
        *buf = fresh;
    }
}

/// Appends `data` to a secret buffer (see [`reserve_secret`]).
pub(crate) fn extend_secret(buf: &mut zeroize::Zeroizing<Vec<u8>>, data: &[u8], limit: usize) {
    reserve_secret(buf, data.len(), limit);
    buf.extend_from_slice(data);
}
