//! Algorithm suites and the commitment policy (ESDK specification, `framework/algorithm-suites.md`
//! and `client-apis/client.md`).

use crate::error::{Error, ErrorCode, Result};
use crate::spec::{Hash, KeySpec, SigningAlgorithm};

/// An Encryption SDK algorithm suite: the two-byte ID written in every message header.
///
/// Every suite uses AES-GCM with 12-byte IVs and 16-byte tags. Names follow the ESDK's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AlgorithmSuite {
    /// `0x0014` AES_128_GCM_IV12_TAG16_NO_KDF (message format 1; read only by default policy).
    Aes128GcmIv12Tag16NoKdf,
    /// `0x0046` AES_192_GCM_IV12_TAG16_NO_KDF.
    Aes192GcmIv12Tag16NoKdf,
    /// `0x0078` AES_256_GCM_IV12_TAG16_NO_KDF.
    Aes256GcmIv12Tag16NoKdf,
    /// `0x0114` AES_128_GCM_IV12_TAG16_HKDF_SHA256.
    Aes128GcmIv12Tag16HkdfSha256,
    /// `0x0146` AES_192_GCM_IV12_TAG16_HKDF_SHA256.
    Aes192GcmIv12Tag16HkdfSha256,
    /// `0x0178` AES_256_GCM_IV12_TAG16_HKDF_SHA256.
    Aes256GcmIv12Tag16HkdfSha256,
    /// `0x0214` AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256.
    Aes128GcmIv12Tag16HkdfSha256EcdsaP256,
    /// `0x0346` AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384.
    Aes192GcmIv12Tag16HkdfSha384EcdsaP384,
    /// `0x0378` AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384.
    Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
    /// `0x0478` AES_256_GCM_HKDF_SHA512_COMMIT_KEY (message format 2; the default).
    Aes256GcmHkdfSha512CommitKey,
    /// `0x0578` AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 (message format 2).
    Aes256GcmHkdfSha512CommitKeyEcdsaP384,
}

/// The signature algorithm of a signing suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SuiteSignature {
    pub(crate) spec: KeySpec,
    pub(crate) algorithm: SigningAlgorithm,
    pub(crate) hash: Hash,
    /// The DER signature length the ESDK writes (it re-signs until the length is this).
    pub(crate) static_len: usize,
}

impl AlgorithmSuite {
    /// Every suite, in ID order.
    pub const ALL: &'static [AlgorithmSuite] = &[
        AlgorithmSuite::Aes128GcmIv12Tag16NoKdf,
        AlgorithmSuite::Aes192GcmIv12Tag16NoKdf,
        AlgorithmSuite::Aes256GcmIv12Tag16NoKdf,
        AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256,
        AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha256,
        AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256,
        AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256,
        AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384,
        AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ];

    /// The two-byte suite ID.
    pub const fn id(self) -> u16 {
        match self {
            AlgorithmSuite::Aes128GcmIv12Tag16NoKdf => 0x0014,
            AlgorithmSuite::Aes192GcmIv12Tag16NoKdf => 0x0046,
            AlgorithmSuite::Aes256GcmIv12Tag16NoKdf => 0x0078,
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256 => 0x0114,
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha256 => 0x0146,
            AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256 => 0x0178,
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => 0x0214,
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => 0x0346,
            AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => 0x0378,
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey => 0x0478,
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => 0x0578,
        }
    }

    /// The suite with this ID, if kmskit knows it.
    pub fn from_id(id: u16) -> Option<AlgorithmSuite> {
        Self::ALL.iter().copied().find(|s| s.id() == id)
    }

    /// The ID as bindings show it: `0x0478` (what [`AlgorithmSuite::parse`] reads back).
    pub fn id_hex(self) -> alloc::string::String {
        alloc::format!("0x{:04X}", self.id())
    }

    /// The ESDK name, e.g. `AES_256_GCM_HKDF_SHA512_COMMIT_KEY`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AlgorithmSuite::Aes128GcmIv12Tag16NoKdf => "AES_128_GCM_IV12_TAG16_NO_KDF",
            AlgorithmSuite::Aes192GcmIv12Tag16NoKdf => "AES_192_GCM_IV12_TAG16_NO_KDF",
            AlgorithmSuite::Aes256GcmIv12Tag16NoKdf => "AES_256_GCM_IV12_TAG16_NO_KDF",
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256 => "AES_128_GCM_IV12_TAG16_HKDF_SHA256",
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha256 => "AES_192_GCM_IV12_TAG16_HKDF_SHA256",
            AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256 => "AES_256_GCM_IV12_TAG16_HKDF_SHA256",
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => {
                "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256"
            }
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => {
                "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"
            }
            AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => {
                "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"
            }
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey => "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => {
                "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
            }
        }
    }

    /// Looks a suite up by its ESDK name or its ID in hex (`"0x0478"`, `"0478"`).
    ///
    /// # Errors
    /// `ValidationException` for an unknown name or ID.
    pub fn parse(text: &str) -> Result<AlgorithmSuite> {
        let hex = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .unwrap_or(text);
        Self::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
            .or_else(|| {
                u16::from_str_radix(hex, 16)
                    .ok()
                    .and_then(AlgorithmSuite::from_id)
            })
            .ok_or_else(|| Error::validation(alloc::format!("unknown algorithm suite '{text}'")))
    }

    /// The message format version this suite is written in (1, or 2 for committing suites).
    pub const fn message_version(self) -> u8 {
        if self.is_committing() { 2 } else { 1 }
    }

    /// Whether the suite commits to its data key (message format 2).
    pub const fn is_committing(self) -> bool {
        matches!(
            self,
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey
                | AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384
        )
    }

    /// Whether messages of this suite end in an ECDSA signature.
    pub const fn is_signing(self) -> bool {
        matches!(
            self,
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256
                | AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384
                | AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384
                | AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384
        )
    }

    /// The AES key length in bytes (also the data key length).
    pub const fn key_len(self) -> usize {
        match self {
            AlgorithmSuite::Aes128GcmIv12Tag16NoKdf
            | AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256
            | AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => 16,
            AlgorithmSuite::Aes192GcmIv12Tag16NoKdf
            | AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha256
            | AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => 24,
            _ => 32,
        }
    }

    /// The HKDF hash, or `None` for the identity KDF (the data key is the AES key).
    pub(crate) const fn kdf(self) -> Option<Hash> {
        match self {
            AlgorithmSuite::Aes128GcmIv12Tag16NoKdf
            | AlgorithmSuite::Aes192GcmIv12Tag16NoKdf
            | AlgorithmSuite::Aes256GcmIv12Tag16NoKdf => None,
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256
            | AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha256
            | AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256
            | AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => Some(Hash::Sha256),
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384
            | AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => Some(Hash::Sha384),
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey
            | AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => Some(Hash::Sha512),
        }
    }

    /// The footer signature, for signing suites.
    pub(crate) const fn signature(self) -> Option<SuiteSignature> {
        match self {
            AlgorithmSuite::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => Some(SuiteSignature {
                spec: KeySpec::EccNistP256,
                algorithm: SigningAlgorithm::EcdsaSha256,
                hash: Hash::Sha256,
                static_len: 71,
            }),
            AlgorithmSuite::Aes192GcmIv12Tag16HkdfSha384EcdsaP384
            | AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384
            | AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => Some(SuiteSignature {
                spec: KeySpec::EccNistP384,
                algorithm: SigningAlgorithm::EcdsaSha384,
                hash: Hash::Sha384,
                static_len: 103,
            }),
            _ => None,
        }
    }

    /// The message ID length: 16 bytes in format 1, 32 in format 2.
    pub(crate) const fn message_id_len(self) -> usize {
        if self.is_committing() { 32 } else { 16 }
    }
}

impl core::fmt::Display for AlgorithmSuite {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "0x{:04X} ({})", self.id(), self.as_str())
    }
}

/// Whether messages must commit to their data key (ESDK `CommitmentPolicy`).
///
/// The default, [`RequireEncryptRequireDecrypt`](Self::RequireEncryptRequireDecrypt), writes
/// and reads only committing suites (format 2). The other two exist for migrating from
/// format 1 and must be chosen explicitly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CommitmentPolicy {
    /// Encrypt with committing suites only; decrypt only messages of committing suites.
    #[default]
    RequireEncryptRequireDecrypt,
    /// Encrypt with committing suites only; decrypt any suite.
    RequireEncryptAllowDecrypt,
    /// Encrypt with non-committing suites only (format 1); decrypt any suite.
    ForbidEncryptAllowDecrypt,
}

impl CommitmentPolicy {
    /// The ESDK name, e.g. `REQUIRE_ENCRYPT_REQUIRE_DECRYPT`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CommitmentPolicy::RequireEncryptRequireDecrypt => "REQUIRE_ENCRYPT_REQUIRE_DECRYPT",
            CommitmentPolicy::RequireEncryptAllowDecrypt => "REQUIRE_ENCRYPT_ALLOW_DECRYPT",
            CommitmentPolicy::ForbidEncryptAllowDecrypt => "FORBID_ENCRYPT_ALLOW_DECRYPT",
        }
    }

    /// Looks a policy up by its ESDK name in any binding's spelling
    /// (`REQUIRE_ENCRYPT_REQUIRE_DECRYPT`, `requireEncryptRequireDecrypt`, ...).
    ///
    /// # Errors
    /// `ValidationException` for an unknown name.
    pub fn parse(text: &str) -> Result<CommitmentPolicy> {
        let fold = |t: &str| -> alloc::string::String {
            t.chars()
                .filter(|c| *c != '_' && *c != '-')
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let wanted = fold(text);
        [
            CommitmentPolicy::RequireEncryptRequireDecrypt,
            CommitmentPolicy::RequireEncryptAllowDecrypt,
            CommitmentPolicy::ForbidEncryptAllowDecrypt,
        ]
        .into_iter()
        .find(|p| fold(p.as_str()) == wanted)
        .ok_or_else(|| Error::validation(alloc::format!("unknown commitment policy '{text}'")))
    }

    /// The suite used when the caller names none: 0x0478 unless committing is forbidden, then
    /// 0x0378 (the ESDK's default for that policy).
    pub const fn default_suite(self) -> AlgorithmSuite {
        match self {
            CommitmentPolicy::ForbidEncryptAllowDecrypt => {
                AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384
            }
            _ => AlgorithmSuite::Aes256GcmHkdfSha512CommitKey,
        }
    }

    pub(crate) fn check_encrypt(self, suite: AlgorithmSuite) -> Result<()> {
        let ok = match self {
            CommitmentPolicy::ForbidEncryptAllowDecrypt => !suite.is_committing(),
            _ => suite.is_committing(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::validation(alloc::format!(
                "commitment policy {} does not allow encrypting with suite {suite}",
                self.as_str()
            )))
        }
    }

    pub(crate) fn check_decrypt(self, suite: AlgorithmSuite) -> Result<()> {
        if self == CommitmentPolicy::RequireEncryptRequireDecrypt && !suite.is_committing() {
            return Err(Error::new(
                ErrorCode::InvalidCiphertextException,
                alloc::format!(
                    "the message uses suite {suite}, which does not commit to its key; commitment policy {} requires a committing suite",
                    self.as_str()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_and_release_modes_read_in_every_binding_spelling() {
        for text in [
            "REQUIRE_ENCRYPT_ALLOW_DECRYPT",
            "requireEncryptAllowDecrypt",
            "require-encrypt-allow-decrypt",
        ] {
            assert_eq!(
                CommitmentPolicy::parse(text).ok(),
                Some(CommitmentPolicy::RequireEncryptAllowDecrypt)
            );
        }
        assert!(CommitmentPolicy::parse("sometimes").is_err());
        assert!(CommitmentPolicy::parse("").is_err());
        use crate::envelope::Release;
        assert_eq!(
            Release::parse("afterVerification").ok(),
            Some(Release::AfterVerification)
        );
        assert_eq!(Release::parse("PER_FRAME").ok(), Some(Release::PerFrame));
        assert!(Release::parse("later").is_err());
        for suite in AlgorithmSuite::ALL {
            assert_eq!(AlgorithmSuite::parse(&suite.id_hex()).ok(), Some(*suite));
        }
        assert_eq!(
            AlgorithmSuite::Aes256GcmHkdfSha512CommitKey.id_hex(),
            "0x0478"
        );
    }
}
