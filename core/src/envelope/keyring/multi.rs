//! The multi-keyring (ESDK `framework/multi-keyring.md`): a generator keyring makes and wraps
//! the data key, every child wraps it too; on decrypt the generator and then each child is
//! tried until one unwraps the data key.

use super::{DecryptionMaterials, EncryptionMaterials, Keyring};
use crate::backend::Backend;
use crate::envelope::header::EncryptedDataKey;
use crate::error::{Error, ErrorCode, Result};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// A generator keyring and child keyrings.
#[derive(Debug)]
pub struct MultiKeyring {
    generator: Option<Box<dyn Keyring>>,
    children: Vec<Box<dyn Keyring>>,
}

impl MultiKeyring {
    /// A multi-keyring. Without a generator it can decrypt, and encrypt only when another
    /// keyring has made the data key (as a child of another multi-keyring).
    ///
    /// # Errors
    /// `ValidationException` when there is neither a generator nor a child.
    pub fn new(
        generator: Option<Box<dyn Keyring>>,
        children: Vec<Box<dyn Keyring>>,
    ) -> Result<Self> {
        if generator.is_none() && children.is_empty() {
            return Err(Error::validation(
                "a multi-keyring needs a generator or at least one child",
            ));
        }
        Ok(Self {
            generator,
            children,
        })
    }

    fn all(&self) -> impl Iterator<Item = &dyn Keyring> {
        self.generator
            .iter()
            .chain(self.children.iter())
            .map(|k| &**k)
    }
}

impl Keyring for MultiKeyring {
    fn describe(&self) -> String {
        let names: Vec<String> = self.all().map(|k| k.describe()).collect();
        format!("multi-keyring [{}]", names.join(", "))
    }

    fn on_encrypt(&self, backend: &dyn Backend, m: &mut EncryptionMaterials) -> Result<()> {
        match &self.generator {
            Some(g) => g.on_encrypt(backend, m)?,
            None if m.plaintext_data_key.is_none() => {
                return Err(Error::validation(
                    "a multi-keyring without a generator cannot make a data key",
                ));
            }
            None => {}
        }
        if m.plaintext_data_key.is_none() {
            return Err(Error::internal("the generator made no data key"));
        }
        for child in &self.children {
            child.on_encrypt(backend, m)?;
        }
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
        let mut failures: Vec<Error> = Vec::new();
        for k in self.all() {
            match k.on_decrypt(backend, m, edks) {
                Ok(()) if m.plaintext_data_key.is_some() => return Ok(()),
                Ok(()) => {}
                Err(e) => failures.push(e),
            }
        }
        // the most telling code: a failure other than "not my key" wins
        let code = failures
            .iter()
            .map(Error::code)
            .find(|c| *c != ErrorCode::IncorrectKeyException)
            .unwrap_or(ErrorCode::IncorrectKeyException);
        let lines: Vec<&str> = failures.iter().map(Error::message).collect();
        Err(Error::new(
            code,
            format!(
                "no keyring of the multi-keyring decrypted a data key: {}",
                lines.join(" | ")
            ),
        ))
    }
}
