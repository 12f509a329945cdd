//! The raw AES keyring (ESDK `framework/raw-aes-keyring.md`), byte-compatible with the
//! ESDK's raw AES keyrings and `RawMasterKey`s of the same namespace, name and key.
//!
//! - provider ID = key namespace;
//! - provider info = key name ‖ u32 tag length in bits (128) ‖ u32 IV length (12) ‖ IV;
//! - ciphertext = AES-GCM(wrapping key, IV, AAD = serialized encryption context, data key) ‖ tag.

use super::{Attempts, DecryptionMaterials, EncryptionMaterials, Keyring, unwrap_failed};
use crate::backend::Backend;
use crate::envelope::context;
use crate::envelope::header::{EncryptedDataKey, IV_LEN, TAG_LEN};
use crate::error::{Error, Result};
use crate::secret::Secret;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The namespace reserved for AWS KMS keyrings, refused by raw keyrings.
pub(crate) const RESERVED_NAMESPACE: &str = "aws-kms";

/// A raw AES keyring: a 128-, 192- or 256-bit wrapping key with a namespace and a name.
#[derive(Clone)]
pub struct RawAesKeyring {
    namespace: String,
    name: String,
    key: Secret,
}

impl core::fmt::Debug for RawAesKeyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RawAesKeyring")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("key", &self.key)
            .finish()
    }
}

pub(crate) fn check_namespace(namespace: &str, name: &str) -> Result<()> {
    if namespace == RESERVED_NAMESPACE {
        return Err(Error::validation(
            "the key namespace 'aws-kms' is reserved for AWS KMS keyrings",
        ));
    }
    if namespace.len() > usize::from(u16::MAX) || name.len() > usize::from(u16::MAX) - 20 {
        return Err(Error::validation("key namespace or name is too long"));
    }
    Ok(())
}

impl RawAesKeyring {
    /// A keyring wrapping with `wrapping_key` (16, 24 or 32 bytes).
    ///
    /// # Errors
    /// `ValidationException` for another key length or the reserved namespace `aws-kms`.
    pub fn new(namespace: &str, name: &str, wrapping_key: &[u8]) -> Result<Self> {
        if ![16, 24, 32].contains(&wrapping_key.len()) {
            return Err(Error::validation(format!(
                "a raw AES wrapping key is 16, 24 or 32 bytes, got {}",
                wrapping_key.len()
            )));
        }
        check_namespace(namespace, name)?;
        Ok(Self {
            namespace: namespace.into(),
            name: name.into(),
            key: Secret::from_slice(wrapping_key),
        })
    }

    /// The key namespace (the provider ID).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn info_len(&self) -> usize {
        self.name.len() + 8 + IV_LEN
    }

    /// Whether `edk` names this key; `Err` says why not.
    fn matches<'e>(&self, edk: &'e EncryptedDataKey) -> core::result::Result<&'e [u8], String> {
        if edk.provider_id != self.namespace {
            return Err(format!("provider ID is not '{}'", self.namespace));
        }
        let info = &edk.provider_info;
        if info.len() != self.info_len() || !info.starts_with(self.name.as_bytes()) {
            return Err(format!("key name is not '{}'", self.name));
        }
        let rest = &info[self.name.len()..];
        if rest[..8] != [0, 0, 0, 128, 0, 0, 0, IV_LEN as u8] {
            return Err(String::from("tag or IV length is not 128 bits / 12 bytes"));
        }
        Ok(&rest[8..])
    }
}

impl Keyring for RawAesKeyring {
    fn describe(&self) -> String {
        format!("raw AES keyring {}/{}", self.namespace, self.name)
    }

    fn on_encrypt(&self, backend: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        if m.plaintext_data_key.is_none() {
            let mut k = alloc::vec![0u8; m.suite.key_len()];
            backend.fill_random(&mut k)?;
            m.plaintext_data_key = Some(Secret::new(k));
        }
        let Some(data_key) = &m.plaintext_data_key else {
            return Err(Error::internal("no data key"));
        };
        let mut iv = [0u8; IV_LEN];
        backend.fill_random(&mut iv)?;
        let aad = context::serialize(&m.encryption_context)?;
        let ciphertext = backend.aes_gcm_seal(self.key.expose(), &iv, &aad, data_key.expose())?;
        let mut info = Vec::with_capacity(self.info_len());
        info.extend_from_slice(self.name.as_bytes());
        info.extend_from_slice(&((TAG_LEN as u32) * 8).to_be_bytes());
        info.extend_from_slice(&(IV_LEN as u32).to_be_bytes());
        info.extend_from_slice(&iv);
        m.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: self.namespace.clone(),
            provider_info: info,
            ciphertext,
        });
        Ok(())
    }

    fn on_decrypt(
        &self,
        backend: &dyn Backend,
        m: &mut DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<()> {
        if m.plaintext_data_key.is_some() {
            return Ok(());
        }
        let aad = context::serialize(&m.encryption_context)?;
        let mut attempts = Attempts::default();
        for (i, edk) in edks.iter().enumerate() {
            let iv = match self.matches(edk) {
                Ok(iv) => iv,
                Err(why) => {
                    attempts.skipped(i, edk, &why);
                    continue;
                }
            };
            let mut nonce = [0u8; IV_LEN];
            nonce.copy_from_slice(iv);
            if edk.ciphertext.len() != m.suite.key_len() + TAG_LEN {
                attempts.failed(i, edk, &unwrap_failed());
                continue;
            }
            match backend.aes_gcm_open(self.key.expose(), &nonce, &aad, &edk.ciphertext) {
                Ok(k) => {
                    m.plaintext_data_key = Some(k);
                    return Ok(());
                }
                Err(_) => attempts.failed(i, edk, &unwrap_failed()),
            }
        }
        Err(attempts.into_error(&self.describe()))
    }
}
