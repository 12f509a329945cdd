//! Encryption context: authenticated, never ambiguous.
//!
//! KMS binds the encryption context to a symmetric ciphertext as additional authenticated data.
//! kmskit serializes it canonically, as the AWS Encryption SDK does: a 2-byte pair count, then
//! the pairs sorted by the UTF-8 bytes of the key, each key and value 2-byte length-prefixed.
//! Unlike a separator-free concatenation, `{"ab": "c"}` and `{"a": "bc"}` can never collide.

use crate::error::{Error, Result};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// An encryption context: string keys to string values (order does not matter).
pub type EncryptionContext = BTreeMap<String, String>;

/// The canonical bytes of `context` (empty for an empty context).
///
/// # Errors
/// `ValidationException` if there are more than 65535 pairs or a key or value is longer than
/// 65535 bytes.
pub fn serialize(context: &EncryptionContext) -> Result<Vec<u8>> {
    if context.is_empty() {
        return Ok(Vec::new());
    }
    let too_big = || Error::validation("encryption context is too large");
    let mut out = Vec::new();
    out.extend_from_slice(
        &u16::try_from(context.len())
            .map_err(|_| too_big())?
            .to_be_bytes(),
    );
    // BTreeMap<String, _> iterates in byte order of the UTF-8 keys
    for (k, v) in context {
        for s in [k, v] {
            out.extend_from_slice(&u16::try_from(s.len()).map_err(|_| too_big())?.to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    Ok(out)
}

/// Parses canonical bytes back into a context (for the Encryption SDK message format).
///
/// # Errors
/// `ValidationException` for truncated, unsorted or duplicated input, or invalid UTF-8.
pub fn deserialize(bytes: &[u8]) -> Result<EncryptionContext> {
    let bad = || Error::validation("malformed serialized encryption context");
    let mut map = EncryptionContext::new();
    if bytes.is_empty() {
        return Ok(map);
    }
    let take = |b: &mut &[u8], n: usize| -> Result<Vec<u8>> {
        if b.len() < n {
            return Err(bad());
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head.to_vec())
    };
    let mut rest = bytes;
    let count = u16::from_be_bytes(take(&mut rest, 2)?.try_into().map_err(|_| bad())?);
    let mut last: Option<String> = None;
    for _ in 0..count {
        let mut pair = [String::new(), String::new()];
        for s in &mut pair {
            let len =
                u16::from_be_bytes(take(&mut rest, 2)?.try_into().map_err(|_| bad())?) as usize;
            *s = String::from_utf8(take(&mut rest, len)?).map_err(|_| bad())?;
        }
        let [k, v] = pair;
        if last.as_ref().is_some_and(|l| l.as_bytes() >= k.as_bytes()) {
            return Err(bad());
        }
        last = Some(k.clone());
        map.insert(k, v);
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn ec(pairs: &[(&str, &str)]) -> EncryptionContext {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn canonical_and_unambiguous() {
        let a = serialize(&ec(&[("ab", "c")])).unwrap();
        let b = serialize(&ec(&[("a", "bc")])).unwrap();
        assert_ne!(a, b);
        assert_eq!(a, [0, 1, 0, 2, b'a', b'b', 0, 1, b'c']);
        let order = serialize(&ec(&[("b", "2"), ("a", "1")])).unwrap();
        assert_eq!(deserialize(&order).unwrap(), ec(&[("a", "1"), ("b", "2")]));
        assert!(serialize(&EncryptionContext::new()).unwrap().is_empty());
        assert!(deserialize(&order[..order.len() - 1]).is_err());
    }
}
