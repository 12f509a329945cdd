//! The raw RSA keyring (ESDK `framework/raw-rsa-keyring.md`): provider ID = key namespace,
//! provider info = key name, ciphertext = RSA encryption of the data key (OAEP with SHA-1,
//! SHA-256, SHA-384 or SHA-512 and MGF1 of the same hash, or PKCS#1 v1.5). The public key
//! encrypts, the private key decrypts.

use super::raw_aes::check_namespace;
use super::{Attempts, DecryptionMaterials, EncryptionMaterials, Keyring, unwrap_failed};
use crate::backend::{Backend, RsaPadding};
use crate::envelope::header::EncryptedDataKey;
use crate::error::{Error, Result};
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::secret::Secret;
use crate::spec::KeyFamily;
use alloc::format;
use alloc::string::String;

/// A raw RSA keyring.
#[derive(Clone, Debug)]
pub struct RawRsaKeyring {
    namespace: String,
    name: String,
    padding: RsaPadding,
    public_key: Option<PublicKey>,
    private_key: Option<PrivateKey>,
}

/// The padding names bindings use: `OAEP_SHA1`, `OAEP_SHA256`, `OAEP_SHA384`, `OAEP_SHA512`,
/// `PKCS1` (the ESDK's `PKCS1`, `OAEP_SHA1_MGF1`, ... are accepted too).
///
/// # Errors
/// `ValidationException` for another name.
pub fn parse_padding(name: &str) -> Result<RsaPadding> {
    let n = name.trim_end_matches("_MGF1");
    Ok(match n {
        "OAEP_SHA1" | "OAEP_SHA_1" => RsaPadding::OaepSha1,
        "OAEP_SHA256" | "OAEP_SHA_256" => RsaPadding::OaepSha256,
        "OAEP_SHA384" | "OAEP_SHA_384" => RsaPadding::OaepSha384,
        "OAEP_SHA512" | "OAEP_SHA_512" => RsaPadding::OaepSha512,
        "PKCS1" | "PKCS1_V1_5" | "PKCS1V15" => RsaPadding::Pkcs1v15,
        other => {
            return Err(Error::validation(format!(
                "unknown RSA padding '{other}'; use OAEP_SHA1, OAEP_SHA256, OAEP_SHA384, OAEP_SHA512 or PKCS1"
            )));
        }
    })
}

impl RawRsaKeyring {
    /// A keyring from PEM or DER keys: a public key (SPKI) to encrypt, a private key (PKCS#8,
    /// or PKCS#1 PEM) to decrypt; with only a private key, its public key encrypts. RSA keys
    /// of 2048, 3072 or 4096 bits.
    ///
    /// # Errors
    /// `ValidationException` for no key, a key that is not RSA, keys that do not match, or the
    /// reserved namespace `aws-kms`.
    pub fn new(
        namespace: &str,
        name: &str,
        public_key: Option<&[u8]>,
        private_key: Option<&[u8]>,
        padding: RsaPadding,
    ) -> Result<Self> {
        check_namespace(namespace, name)?;
        let private_key = private_key.map(PrivateKey::parse).transpose()?;
        let mut public_key = public_key.map(PublicKey::parse).transpose()?;
        if let (Some(p), Some(k)) = (&public_key, &private_key)
            && p != k.public_key()
        {
            return Err(Error::validation(
                "the public key is not the private key's public key",
            ));
        }
        if public_key.is_none() {
            public_key = private_key.as_ref().map(|k| k.public_key().clone());
        }
        let Some(spec) = public_key.as_ref().map(PublicKey::spec) else {
            return Err(Error::validation(
                "a raw RSA keyring needs a public key, a private key, or both",
            ));
        };
        if spec.info().family != KeyFamily::Rsa {
            return Err(Error::validation(format!(
                "a raw RSA keyring needs an RSA key, not {spec}"
            )));
        }
        Ok(Self {
            namespace: namespace.into(),
            name: name.into(),
            padding,
            public_key,
            private_key,
        })
    }

    /// The padding.
    pub fn padding(&self) -> RsaPadding {
        self.padding
    }
}

impl Keyring for RawRsaKeyring {
    fn describe(&self) -> String {
        format!("raw RSA keyring {}/{}", self.namespace, self.name)
    }

    fn on_encrypt(&self, backend: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        let Some(public) = &self.public_key else {
            return Err(Error::validation("this raw RSA keyring has no public key"));
        };
        if m.plaintext_data_key.is_none() {
            let mut k = alloc::vec![0u8; m.suite.key_len()];
            backend.fill_random(&mut k)?;
            m.plaintext_data_key = Some(Secret::new(k));
        }
        let Some(data_key) = &m.plaintext_data_key else {
            return Err(Error::internal("no data key"));
        };
        let ciphertext = backend.rsa_encrypt(public, self.padding, data_key.expose())?;
        m.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: self.namespace.clone(),
            provider_info: self.name.as_bytes().to_vec(),
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
        let mut attempts = Attempts::default();
        for (i, edk) in edks.iter().enumerate() {
            if edk.provider_id != self.namespace {
                attempts.skipped(i, edk, &format!("provider ID is not '{}'", self.namespace));
                continue;
            }
            if edk.provider_info != self.name.as_bytes() {
                attempts.skipped(i, edk, &format!("key name is not '{}'", self.name));
                continue;
            }
            let Some(private) = &self.private_key else {
                attempts.failed(
                    i,
                    edk,
                    &Error::validation("this raw RSA keyring has no private key"),
                );
                continue;
            };
            match backend.rsa_decrypt(private, self.padding, &edk.ciphertext) {
                Ok(k) if k.len() == m.suite.key_len() => {
                    m.plaintext_data_key = Some(k);
                    return Ok(());
                }
                _ => attempts.failed(i, edk, &unwrap_failed()),
            }
        }
        Err(attempts.into_error(&self.describe()))
    }
}
