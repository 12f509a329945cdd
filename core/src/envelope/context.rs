//! Encryption-context serialization (ESDK `framework/structures.md#serialization`, and the
//! header's AAD field): a u16 pair count, then the pairs sorted by the UTF-8 bytes of their
//! keys, each key and value u16-length-prefixed. An empty context serializes to no bytes.

use super::wire::Reader;
use crate::error::{Error, ErrorCode, Result};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// An encryption context: string keys to string values. `BTreeMap` iterates in the byte order
/// of the UTF-8 keys, which is the order the format requires.
pub type EncryptionContext = BTreeMap<String, String>;

/// The key under which signing suites carry the signature's public key.
pub const PUBLIC_KEY_KEY: &str = "aws-crypto-public-key";

/// Keys starting with this prefix are reserved for the Encryption SDK.
pub const RESERVED_PREFIX: &str = "aws-crypto-";

/// The canonical bytes of `context`.
///
/// # Errors
/// `ValidationException` for more than 65535 pairs, a key or value over 65535 bytes, or a
/// serialization over 65535 bytes (it must fit the header's u16 AAD length).
pub fn serialize(context: &EncryptionContext) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    if context.is_empty() {
        return Ok(out);
    }
    let count = u16::try_from(context.len())
        .map_err(|_| Error::validation("an encryption context holds at most 65535 pairs"))?;
    out.extend_from_slice(&count.to_be_bytes());
    for (k, v) in context {
        for s in [k, v] {
            let len = u16::try_from(s.len()).map_err(|_| {
                Error::validation("encryption context keys and values are at most 65535 bytes")
            })?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    if out.len() > usize::from(u16::MAX) {
        return Err(Error::validation(format!(
            "the serialized encryption context is {} bytes; at most 65535 fit in a message header",
            out.len()
        )));
    }
    Ok(out)
}

/// Parses the header's AAD field. Pairs in another order are accepted (the header is
/// authenticated as written); duplicate keys, invalid UTF-8, a zero count and trailing bytes
/// are not.
///
/// # Errors
/// `InvalidCiphertextException` for any of the above.
pub fn deserialize(bytes: &[u8]) -> Result<EncryptionContext> {
    let bad = |what: &str| {
        Error::new(
            ErrorCode::InvalidCiphertextException,
            format!("malformed encryption context in the message header: {what}"),
        )
    };
    let mut map = EncryptionContext::new();
    if bytes.is_empty() {
        return Ok(map);
    }
    let mut r = Reader::new(bytes);
    let count = r.u16().ok_or_else(|| bad("truncated"))?;
    if count == 0 {
        return Err(bad(
            "a pair count of 0 (an empty context has no AAD at all)",
        ));
    }
    for _ in 0..count {
        let key = r.str16().ok_or_else(|| bad("truncated or not UTF-8"))?;
        let value = r.str16().ok_or_else(|| bad("truncated or not UTF-8"))?;
        if map.insert(key, value).is_some() {
            return Err(bad("duplicate key"));
        }
    }
    if !r.is_empty() {
        return Err(bad("trailing bytes"));
    }
    Ok(map)
}

/// Refuses caller contexts that use the reserved `aws-crypto-` prefix.
pub(crate) fn check_caller_context(context: &EncryptionContext) -> Result<()> {
    if let Some(k) = context.keys().find(|k| k.starts_with(RESERVED_PREFIX)) {
        return Err(Error::validation(format!(
            "encryption context key '{k}' uses the reserved prefix '{RESERVED_PREFIX}'"
        )));
    }
    Ok(())
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
    fn sorted_length_prefixed_and_round_trips() {
        let c = ec(&[("b", "2"), ("a", "1")]);
        let bytes = serialize(&c).unwrap();
        assert_eq!(bytes, b"\x00\x02\x00\x01a\x00\x011\x00\x01b\x00\x012");
        assert_eq!(deserialize(&bytes).unwrap(), c);
        assert!(serialize(&EncryptionContext::new()).unwrap().is_empty());
        assert!(deserialize(&[]).unwrap().is_empty());
    }

    #[test]
    fn rejects_duplicates_zero_count_and_trailing_bytes() {
        let dup = b"\x00\x02\x00\x01a\x00\x011\x00\x01a\x00\x012";
        assert!(deserialize(dup).is_err());
        assert!(deserialize(b"\x00\x00").is_err());
        assert!(deserialize(b"\x00\x01\x00\x01a\x00\x011x").is_err());
        assert!(deserialize(b"\x00\x01\x00\x05a").is_err());
        // unsorted input is accepted as written
        let unsorted = b"\x00\x02\x00\x01b\x00\x012\x00\x01a\x00\x011";
        assert_eq!(
            deserialize(unsorted).unwrap(),
            ec(&[("a", "1"), ("b", "2")])
        );
    }

    #[test]
    fn reserved_prefix_is_refused() {
        assert!(check_caller_context(&ec(&[("aws-crypto-x", "1")])).is_err());
        assert!(check_caller_context(&ec(&[("aws-cryptox", "1")])).is_ok());
    }
}
