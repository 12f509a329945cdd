//! The local-KMS keyring: wraps the data key with a symmetric key of a [`Kms`], the way the
//! ESDK's AWS KMS keyring uses AWS KMS (`framework/aws-kms/aws-kms-keyring.md`):
//! GenerateDataKey (or Encrypt, when another keyring generated the data key) and Decrypt, each
//! with the message's whole encryption context.
//!
//! Its provider ID is `kmskit-kms`, not `aws-kms`: its ciphertexts are kmskit's, which AWS KMS
//! cannot decrypt. Provider info is the key ARN, as with `aws-kms`.

use super::{Attempts, DecryptionMaterials, EncryptionMaterials, Keyring};
use crate::backend::Backend;
use crate::envelope::context::EncryptionContext;
use crate::envelope::header::EncryptedDataKey;
use crate::error::{Error, Result};
use crate::kms::Kms;
use crate::kms::shapes::{DecryptRequest, EncryptRequest, GenerateDataKeyRequest};
use crate::secret::Secret;
use alloc::format;
use alloc::string::{String, ToString};

/// The provider ID of the local-KMS keyring.
pub const PROVIDER_ID: &str = "kmskit-kms";

/// Shared access to a [`Kms`], whose operations need `&mut`. Implemented for
/// `std::sync::Mutex<Kms>` and `Arc` of it (feature `std`); `no_std` callers implement it over
/// their own lock.
pub trait KmsHandle: Send + Sync {
    /// Runs `f` with exclusive access to the KMS.
    ///
    /// # Errors
    /// What `f` returns.
    fn with_kms(&self, f: &mut dyn FnMut(&mut Kms) -> Result<()>) -> Result<()>;
}

#[cfg(feature = "std")]
impl KmsHandle for std::sync::Mutex<Kms> {
    fn with_kms(&self, f: &mut dyn FnMut(&mut Kms) -> Result<()>) -> Result<()> {
        let mut kms = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut kms)
    }
}

impl<T: KmsHandle + ?Sized> KmsHandle for alloc::sync::Arc<T> {
    fn with_kms(&self, f: &mut dyn FnMut(&mut Kms) -> Result<()>) -> Result<()> {
        (**self).with_kms(f)
    }
}

impl<T: KmsHandle + ?Sized> KmsHandle for &T {
    fn with_kms(&self, f: &mut dyn FnMut(&mut Kms) -> Result<()>) -> Result<()> {
        (**self).with_kms(f)
    }
}

/// A keyring over a key of a local [`Kms`].
pub struct KmsKeyring<H: KmsHandle> {
    kms: H,
    key_id: String,
}

impl<H: KmsHandle> core::fmt::Debug for KmsKeyring<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KmsKeyring")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The Region in a key ARN, if `id` is one.
fn region_of(id: &str) -> Option<&str> {
    let mut parts = id.split(':');
    (parts.next() == Some("arn"))
        .then(|| parts.nth(2))
        .flatten()
}

fn context_for_kms(ec: &EncryptionContext) -> Option<EncryptionContext> {
    (!ec.is_empty()).then(|| ec.clone())
}

impl<H: KmsHandle> KmsKeyring<H> {
    /// A keyring for `key_id` (key ID, key ARN, alias name or alias ARN) of the KMS behind
    /// `kms`. With a key ARN, decryption tries only encrypted data keys of that ARN.
    pub fn new(kms: H, key_id: &str) -> Self {
        Self {
            kms,
            key_id: key_id.to_string(),
        }
    }

    fn region(&self, kms: &Kms, id: &str) -> String {
        region_of(id)
            .or_else(|| region_of(&self.key_id))
            .unwrap_or(kms.region())
            .to_string()
    }
}

impl<H: KmsHandle> Keyring for KmsKeyring<H> {
    fn describe(&self) -> String {
        format!("local-KMS keyring {}", self.key_id)
    }

    fn on_encrypt(&self, _backend: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        let key_len = m.suite.key_len();
        let mut edk = None;
        let mut generated = None;
        let context = context_for_kms(&m.encryption_context);
        let existing = m.plaintext_data_key.as_ref();
        self.kms.with_kms(&mut |kms| {
            let region = self.region(kms, &self.key_id);
            if let Some(data_key) = existing {
                let r = kms.encrypt(
                    &region,
                    EncryptRequest {
                        key_id: self.key_id.clone(),
                        plaintext: data_key.expose().to_vec(),
                        encryption_context: context.clone(),
                        ..Default::default()
                    },
                )?;
                edk = Some((r.key_id, r.ciphertext_blob));
            } else {
                let r = kms.generate_data_key(
                    &region,
                    GenerateDataKeyRequest {
                        key_id: self.key_id.clone(),
                        encryption_context: context.clone(),
                        number_of_bytes: Some(key_len as u32),
                        ..Default::default()
                    },
                    true,
                )?;
                generated = r.plaintext.map(Secret::new);
                edk = Some((r.key_id, r.ciphertext_blob));
            }
            Ok(())
        })?;
        let Some((arn, ciphertext)) = edk else {
            return Err(Error::internal("KMS returned nothing"));
        };
        if m.plaintext_data_key.is_none() {
            match generated {
                Some(k) if k.len() == key_len => m.plaintext_data_key = Some(k),
                _ => return Err(Error::internal("GenerateDataKey returned no plaintext")),
            }
        }
        m.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: PROVIDER_ID.to_string(),
            provider_info: arn.into_bytes(),
            ciphertext,
        });
        Ok(())
    }

    fn on_decrypt(
        &self,
        _backend: &dyn Backend,
        m: &mut DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<()> {
        if m.plaintext_data_key.is_some() {
            return Ok(());
        }
        let mut attempts = Attempts::default();
        let context = context_for_kms(&m.encryption_context);
        for (i, edk) in edks.iter().enumerate() {
            if edk.provider_id != PROVIDER_ID {
                attempts.skipped(i, edk, &format!("provider ID is not '{PROVIDER_ID}'"));
                continue;
            }
            let Ok(arn) = core::str::from_utf8(&edk.provider_info) else {
                attempts.skipped(i, edk, "provider info is not a key ARN");
                continue;
            };
            if self.key_id.starts_with("arn:")
                && !self.key_id.contains(":alias/")
                && arn != self.key_id
            {
                attempts.skipped(i, edk, &format!("key ARN is not {}", self.key_id));
                continue;
            }
            let mut plaintext = None;
            let result = self.kms.with_kms(&mut |kms| {
                let region = self.region(kms, arn);
                let r = kms.decrypt(
                    &region,
                    DecryptRequest {
                        ciphertext_blob: Some(edk.ciphertext.clone()),
                        encryption_context: context.clone(),
                        key_id: Some(self.key_id.clone()),
                        ..Default::default()
                    },
                )?;
                plaintext = Some(Secret::new(r.plaintext));
                Ok(())
            });
            match (result, plaintext) {
                (Ok(()), Some(k)) if k.len() == m.suite.key_len() => {
                    m.plaintext_data_key = Some(k);
                    return Ok(());
                }
                (Err(e), _) => attempts.failed(i, edk, &e),
                (Ok(()), _) => attempts.failed(i, edk, &super::unwrap_failed()),
            }
        }
        Err(attempts.into_error(&self.describe()))
    }
}
