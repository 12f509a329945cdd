//! The canonical JSON writer of the key blob and the snapshot (docs/formats.md, "Canonical
//! JSON"): objects keep the field order the format defines, two-space indentation, `": "`
//! between name and value, one trailing newline, integers only, and strings escaped as
//! serde_json escapes them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters
//! as `\u00xx`, everything else as UTF-8).
//!
//! Written by hand rather than through serde so that the bytes are fixed by this file alone,
//! and so that secret material is only ever copied into buffers that are wiped: the output
//! grows by explicit reallocation that zeroizes the old buffer.

use crate::secret::Secret;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

/// A JSON value of the canonical form.
#[derive(Debug)]
pub(crate) enum J {
    Bool(bool),
    Int(i64),
    Str(String),
    /// A string holding secret material (base64): wiped when dropped.
    Secret(Zeroizing<String>),
    Arr(Vec<J>),
    /// An object with the format's fixed field names, in order.
    Obj(Vec<(&'static str, J)>),
    /// An object with free names (tags), in the order given (callers sort).
    Map(Vec<(String, J)>),
}

impl J {
    pub(crate) fn str(s: &str) -> J {
        J::Str(String::from(s))
    }
}

/// An output buffer that wipes every buffer it outgrows.
struct Out {
    buf: Vec<u8>,
}

impl Out {
    fn push(&mut self, bytes: &[u8]) {
        if self.buf.capacity() - self.buf.len() < bytes.len() {
            let need = self.buf.len() + bytes.len();
            let cap = need.max(self.buf.capacity().saturating_mul(2)).max(1024);
            let mut grown = Vec::with_capacity(cap);
            grown.extend_from_slice(&self.buf);
            self.buf.zeroize();
            self.buf = grown;
        }
        self.buf.extend_from_slice(bytes);
    }

    fn indent(&mut self, level: usize) {
        self.push(b"\n");
        for _ in 0..level {
            self.push(b"  ");
        }
    }

    fn string(&mut self, s: &str) {
        self.push(b"\"");
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: Option<&[u8]> = match b {
                b'"' => Some(b"\\\""),
                b'\\' => Some(b"\\\\"),
                0x08 => Some(b"\\b"),
                0x0c => Some(b"\\f"),
                b'\n' => Some(b"\\n"),
                b'\r' => Some(b"\\r"),
                b'\t' => Some(b"\\t"),
                _ => None,
            };
            if escape.is_some() || b < 0x20 {
                self.push(&bytes[start..i]);
                start = i + 1;
                match escape {
                    Some(e) => self.push(e),
                    None => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        self.push(&[
                            b'\\',
                            b'u',
                            b'0',
                            b'0',
                            HEX[usize::from(b >> 4)],
                            HEX[usize::from(b & 0xf)],
                        ]);
                    }
                }
            }
        }
        self.push(&bytes[start..]);
        self.push(b"\"");
    }

    fn value(&mut self, v: &J, level: usize) {
        match v {
            J::Bool(true) => self.push(b"true"),
            J::Bool(false) => self.push(b"false"),
            J::Int(n) => {
                let text = alloc::format!("{n}");
                self.push(text.as_bytes());
            }
            J::Str(s) => self.string(s),
            J::Secret(s) => self.string(s),
            J::Arr(items) if items.is_empty() => self.push(b"[]"),
            J::Arr(items) => {
                self.push(b"[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(b",");
                    }
                    self.indent(level + 1);
                    self.value(item, level + 1);
                }
                self.indent(level);
                self.push(b"]");
            }
            J::Obj(fields) => self.object(fields.iter().map(|(k, v)| (*k, v)), level),
            J::Map(fields) => self.object(fields.iter().map(|(k, v)| (k.as_str(), v)), level),
        }
    }

    fn object<'a>(
        &mut self,
        fields: impl ExactSizeIterator<Item = (&'a str, &'a J)>,
        level: usize,
    ) {
        if fields.len() == 0 {
            self.push(b"{}");
            return;
        }
        self.push(b"{");
        for (i, (name, value)) in fields.enumerate() {
            if i > 0 {
                self.push(b",");
            }
            self.indent(level + 1);
            self.string(name);
            self.push(b": ");
            self.value(value, level + 1);
        }
        self.indent(level);
        self.push(b"}");
    }
}

/// The canonical bytes of `value`, with a trailing newline.
pub(crate) fn write(value: &J) -> Secret {
    let mut out = Out { buf: Vec::new() };
    out.value(value, 0);
    out.push(b"\n");
    Secret::new(out.buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_layout_and_escapes() {
        let v = J::Obj(alloc::vec![
            ("a", J::Int(-5)),
            ("b", J::str("q\"\\\n\u{1}é/")),
            ("c", J::Arr(alloc::vec![])),
            ("d", J::Map(alloc::vec![])),
            ("e", J::Arr(alloc::vec![J::Bool(true), J::Bool(false)])),
        ]);
        let out = write(&v);
        assert_eq!(
            core::str::from_utf8(out.expose()).unwrap(),
            "{\n  \"a\": -5,\n  \"b\": \"q\\\"\\\\\\n\\u0001é/\",\n  \"c\": [],\n  \"d\": {},\n  \"e\": [\n    true,\n    false\n  ]\n}\n"
        );
        // serde_json reads it back to the same string
        let back: serde_json::Value = serde_json::from_slice(out.expose()).unwrap();
        assert_eq!(back["b"], "q\"\\\n\u{1}é/");
    }
}
