//! `std::io` adapters over [`Encryptor`] and [`Decryptor`] (feature `std`).
//!
//! Errors surface as `std::io::Error`s of kind `InvalidData` whose inner error is the
//! [`kmskit::Error`](crate::Error) (`err.get_ref()` then `downcast_ref::<kmskit::Error>()`).

use super::decrypt::{DecryptOptions, Decryptor, MessageInfo};
use super::encrypt::{EncryptOptions, Encryptor};
use super::keyring::Keyring;
use crate::error::{Error, Result};
use alloc::vec::Vec;
use std::io::{self, Read, Write};
use zeroize::Zeroizing;

fn io_error(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Encrypts what is written to it, writing the message to an inner writer. Call
/// [`finish`](Self::finish): dropping it unfinished leaves a truncated message (which every
/// reader refuses).
#[derive(Debug)]
pub struct EncryptingWriter<W: Write> {
    encryptor: Encryptor,
    inner: W,
    out: Vec<u8>,
}

impl<W: Write> EncryptingWriter<W> {
    /// Starts a message to `inner`.
    ///
    /// # Errors
    /// As [`Encryptor::new`].
    pub fn new(inner: W, keyring: &dyn Keyring, options: &EncryptOptions) -> Result<Self> {
        Ok(Self {
            encryptor: Encryptor::new(keyring, options)?,
            inner,
            out: Vec::new(),
        })
    }

    fn flush_out(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }

    /// Ends the message (final frame, footer), flushes and returns the inner writer.
    ///
    /// # Errors
    /// The encryptor's or the inner writer's errors.
    pub fn finish(mut self) -> io::Result<W> {
        self.encryptor.finish(&mut self.out).map_err(io_error)?;
        self.flush_out()?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for EncryptingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.encryptor
            .update(buf, &mut self.out)
            .map_err(io_error)?;
        self.flush_out()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_out()?;
        self.inner.flush()
    }
}

/// The input chunk size of [`DecryptingReader`].
const CHUNK: usize = 64 * 1024;

/// Decrypts the message read from an inner reader. Reads return plaintext as the
/// [`Release`](super::Release) option allows; the end of the plaintext (a read of 0) comes only
/// after the whole message has verified, and a bad message is an error instead.
#[derive(Debug)]
pub struct DecryptingReader<R: Read, K: Keyring> {
    decryptor: Decryptor<K>,
    inner: R,
    chunk: Vec<u8>,
    ready: Zeroizing<Vec<u8>>,
    pos: usize,
    info: Option<MessageInfo>,
    eof: bool,
}

impl<R: Read, K: Keyring> DecryptingReader<R, K> {
    /// Reads a message from `inner`, unwrapping its data key with `keyring`.
    pub fn new(inner: R, keyring: K, options: DecryptOptions) -> Self {
        Self {
            decryptor: Decryptor::new(keyring, options),
            inner,
            chunk: alloc::vec![0u8; CHUNK],
            ready: Zeroizing::new(Vec::new()),
            pos: 0,
            info: None,
            eof: false,
        }
    }

    /// The header's contents, once it has been authenticated.
    pub fn message_info(&self) -> Option<&MessageInfo> {
        self.info.as_ref().or(self.decryptor.message_info())
    }

    fn fill(&mut self) -> io::Result<()> {
        self.ready.clear();
        self.pos = 0;
        while self.ready.is_empty() && !self.eof {
            let n = loop {
                match self.inner.read(&mut self.chunk) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if n == 0 {
                self.eof = true;
                let info = self.decryptor.finish(&mut self.ready).map_err(io_error)?;
                self.info = Some(info);
            } else {
                self.decryptor
                    .update(&self.chunk[..n], &mut self.ready)
                    .map_err(io_error)?;
            }
        }
        Ok(())
    }
}

impl<R: Read, K: Keyring> Read for DecryptingReader<R, K> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.ready.len() {
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.ready.len() - self.pos);
        buf[..n].copy_from_slice(&self.ready[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
