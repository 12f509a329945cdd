//! Key identifiers, ARNs and alias names (Developer Guide "Key identifiers"; API Reference,
//! `KeyId` and `AliasName` parameters).
//!
//! - key ID: a UUID (`1234abcd-12ab-34cd-56ef-1234567890ab`) or, for multi-Region keys,
//!   `mrk-` + 32 hex digits;
//! - key ARN: `arn:<partition>:kms:<region>:<account>:key/<key-id>`;
//! - alias name: `alias/<name>`, 1–256 characters of `[A-Za-z0-9/_-]`; `alias/aws/` is reserved;
//! - alias ARN: `arn:<partition>:kms:<region>:<account>:alias/<name>`.

use crate::error::{Error, ErrorCode, Result};
use alloc::format;
use alloc::string::{String, ToString};

/// What a `KeyId` parameter named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyRef {
    /// A bare key ID.
    Id(String),
    /// A key ARN.
    KeyArn(Arn),
    /// An alias name (`alias/...`).
    AliasName(String),
    /// An alias ARN.
    AliasArn(Arn),
}

/// The parts of a KMS ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    /// The Region.
    pub region: String,
    /// The 12-digit account ID.
    pub account: String,
    /// The key ID (for `key/`) or the alias name including `alias/` (for `alias/`).
    pub resource: String,
}

/// Which identifier forms an operation accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// Key ID or key ARN (management operations).
    Key,
    /// Key ID, key ARN, alias name or alias ARN (cryptographic operations, DescribeKey,
    /// GetPublicKey).
    KeyOrAlias,
}

fn not_found(what: &str) -> Error {
    Error::new(
        ErrorCode::NotFoundException,
        format!("Invalid keyId '{what}'"),
    )
}

/// Whether `id` is a syntactically valid key ID.
pub fn is_key_id(id: &str) -> bool {
    if let Some(hex) = id.strip_prefix("mrk-") {
        return hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    }
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
        })
}

/// Parses `arn:<partition>:kms:<region>:<account>:<key|alias>/<...>`.
///
/// # Errors
/// `InvalidArnException` when the text is not a KMS ARN.
pub fn parse_arn(s: &str) -> Result<(Arn, bool)> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidArnException,
            format!("'{s}' is not a valid KMS ARN"),
        )
    };
    let mut parts = s.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("kms"), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    let valid_partition = matches!(
        partition,
        "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b"
    );
    let valid_region = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let valid_account = is_account_id(account);
    if !valid_partition || !valid_region || !valid_account {
        return Err(invalid());
    }
    let (is_key, resource) = if let Some(id) = resource.strip_prefix("key/") {
        (true, id.to_string())
    } else if resource.starts_with("alias/") {
        (false, resource.to_string())
    } else {
        return Err(invalid());
    };
    Ok((
        Arn {
            partition: partition.to_string(),
            region: region.to_string(),
            account: account.to_string(),
            resource,
        },
        is_key,
    ))
}

/// Parses a `KeyId` parameter as `accept` allows.
///
/// # Errors
/// `NotFoundException` for a malformed key ID or an alias where only keys are accepted;
/// `InvalidArnException` for a malformed ARN; `ValidationException` for an empty value.
pub fn parse_key_ref(s: &str, accept: Accept) -> Result<KeyRef> {
    if s.is_empty() || s.len() > 2048 {
        return Err(Error::validation("KeyId must be 1 to 2048 characters"));
    }
    let parsed = if s.starts_with("arn:") {
        let (arn, is_key) = parse_arn(s)?;
        if is_key {
            if !is_key_id(&arn.resource) {
                return Err(not_found(s));
            }
            KeyRef::KeyArn(arn)
        } else {
            KeyRef::AliasArn(arn)
        }
    } else if s.starts_with("alias/") {
        KeyRef::AliasName(s.to_string())
    } else if is_key_id(s) {
        KeyRef::Id(s.to_string())
    } else {
        return Err(not_found(s));
    };
    if accept == Accept::Key && matches!(parsed, KeyRef::AliasName(_) | KeyRef::AliasArn(_)) {
        return Err(Error::new(
            ErrorCode::NotFoundException,
            format!("Invalid keyId '{s}': this operation takes a key ID or key ARN, not an alias"),
        ));
    }
    Ok(parsed)
}

/// Checks an alias name as CreateAlias / UpdateAlias / DeleteAlias do.
///
/// # Errors
/// `ValidationException` for a malformed name; `InvalidAliasNameException` for the reserved
/// `alias/aws/` prefix (when `creating`).
pub fn check_alias_name(name: &str, creating: bool) -> Result<()> {
    let valid = name.len() <= 256
        && name
            .strip_prefix("alias/")
            .is_some_and(|rest| !rest.is_empty())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'));
    if !valid {
        return Err(Error::validation(format!(
            "AliasName '{name}' must start with 'alias/', be at most 256 characters, and contain only \
             letters, digits, '/', '_' and '-'"
        )));
    }
    if creating && name.starts_with("alias/aws/") {
        return Err(Error::new(
            ErrorCode::InvalidAliasNameException,
            format!("AliasName '{name}': the alias/aws/ prefix is reserved for AWS managed keys"),
        ));
    }
    Ok(())
}

/// Whether `s` is a 12-digit account ID.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A key ARN.
pub fn key_arn(partition: &str, region: &str, account: &str, key_id: &str) -> String {
    format!("arn:{partition}:kms:{region}:{account}:key/{key_id}")
}

/// An alias ARN.
pub fn alias_arn(partition: &str, region: &str, account: &str, alias_name: &str) -> String {
    format!("arn:{partition}:kms:{region}:{account}:{alias_name}")
}

/// Formats 16 random bytes as a key ID (a version-4 UUID), or `mrk-` + 32 hex digits.
pub fn key_id_from(bytes: [u8; 16], multi_region: bool) -> String {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    if multi_region {
        return format!("mrk-{}", hex(&bytes));
    }
    let mut b = bytes;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!(
        "{}-{}-{}-{}-{}",
        hex(&b[..4]),
        hex(&b[4..6]),
        hex(&b[6..8]),
        hex(&b[8..10]),
        hex(&b[10..])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_and_arns() {
        assert!(is_key_id("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(is_key_id("mrk-1234abcd12ab34cd56ef1234567890ab"));
        assert!(!is_key_id("1234ABCD-12ab-34cd-56ef-1234567890ab"));
        assert!(!is_key_id("mrk-1234"));
        let r = parse_key_ref(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            Accept::Key,
        )
        .unwrap();
        assert!(
            matches!(r, KeyRef::KeyArn(a) if a.region == "us-east-1" && a.account == "111122223333")
        );
        assert!(matches!(
            parse_key_ref("alias/x", Accept::KeyOrAlias),
            Ok(KeyRef::AliasName(_))
        ));
        assert_eq!(
            parse_key_ref("alias/x", Accept::Key).unwrap_err().code(),
            ErrorCode::NotFoundException
        );
        assert_eq!(
            parse_key_ref("nope", Accept::KeyOrAlias)
                .unwrap_err()
                .code(),
            ErrorCode::NotFoundException
        );
        assert_eq!(
            parse_key_ref("arn:aws:kms:us-east-1:1:key/x", Accept::Key)
                .unwrap_err()
                .code(),
            ErrorCode::InvalidArnException
        );
        let id = key_id_from([0xab; 16], false);
        assert!(is_key_id(&id), "{id}");
        assert!(is_key_id(&key_id_from([0xab; 16], true)));
    }

    #[test]
    fn alias_names() {
        assert!(check_alias_name("alias/My_Alias-1/x", true).is_ok());
        assert!(check_alias_name("alias/", true).is_err());
        assert!(check_alias_name("my", true).is_err());
        assert!(check_alias_name("alias/a b", true).is_err());
        assert_eq!(
            check_alias_name("alias/aws/s3", true).unwrap_err().code(),
            ErrorCode::InvalidAliasNameException
        );
        assert!(check_alias_name("alias/aws/s3", false).is_ok());
    }
}
