//! `kmskit encrypt` / `kmskit decrypt` with a keyring: files and pipes in the AWS Encryption SDK
//! message format (`kmskit::envelope`), streamed with memory bounded by the frame length.

use kmskit::envelope::{
    self, AlgorithmSuite, DecryptOptions, Decryptor, EncryptOptions, EncryptionContext, Encryptor,
    Keyring, KmsKeyring, RawAesKeyring, RawRsaKeyring, Release,
};
use kmskit::kms::{Kms, KmsConfig};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// How the data key is wrapped: exactly one of a raw AES key, a raw RSA key or a local KMS key.
#[derive(clap::Args, Debug)]
pub(crate) struct KeyringArgs {
    /// A raw AES wrapping key file (16, 24 or 32 bytes, e.g. `openssl rand -out k.bin 32`):
    /// the Encryption SDK's raw AES keyring.
    #[arg(long, value_name = "FILE", group = "keyring")]
    pub(crate) aes_key: Option<String>,
    /// A raw RSA key file, PEM or DER: the public key to encrypt, the private key to decrypt
    /// (the Encryption SDK's raw RSA keyring).
    #[arg(long, value_name = "FILE", group = "keyring")]
    pub(crate) rsa_key: Option<String>,
    /// The raw RSA keyring's padding: OAEP_SHA1, OAEP_SHA256, OAEP_SHA384, OAEP_SHA512, PKCS1.
    #[arg(long, default_value = "OAEP_SHA256", value_name = "PADDING")]
    pub(crate) padding: String,
    /// The raw keyrings' key namespace (the SDK's provider ID); must match on decryption.
    #[arg(long, default_value = "kmskit", value_name = "NAMESPACE")]
    pub(crate) key_namespace: String,
    /// The raw keyrings' key name (default: the key file's name); must match on decryption.
    #[arg(long, value_name = "NAME")]
    pub(crate) key_name: Option<String>,
    /// A local KMS state file (a snapshot, as `kmskit kms --state` keeps it) whose key wraps
    /// the data key (GenerateDataKey / Decrypt with the encryption context).
    #[arg(long, value_name = "FILE", group = "keyring", requires = "key_id")]
    pub(crate) kms_state: Option<String>,
    /// The local KMS key (key ID, ARN or alias) with --kms-state.
    #[arg(long, value_name = "KEY")]
    pub(crate) key_id: Option<String>,
}

impl KeyringArgs {
    fn name(&self, path: &str) -> String {
        self.key_name.clone().unwrap_or_else(|| {
            Path::new(path)
                .file_name()
                .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
        })
    }

    /// The keyring: for encryption (`encrypting`) an RSA key file is the public key.
    fn build(&self, encrypting: bool) -> kmskit::Result<Box<dyn Keyring>> {
        if let Some(path) = &self.aes_key {
            let key = zeroize::Zeroizing::new(crate::io::read(path)?);
            return Ok(Box::new(RawAesKeyring::new(
                &self.key_namespace,
                &self.name(path),
                &key,
            )?));
        }
        if let Some(path) = &self.rsa_key {
            let key = zeroize::Zeroizing::new(crate::io::read(path)?);
            let padding = envelope::raw_rsa_padding(&self.padding)?;
            let (public, private) = if encrypting {
                (Some(&key[..]), None)
            } else {
                (None, Some(&key[..]))
            };
            return Ok(Box::new(RawRsaKeyring::new(
                &self.key_namespace,
                &self.name(path),
                public,
                private,
                padding,
            )?));
        }
        if let (Some(path), Some(key_id)) = (&self.kms_state, &self.key_id) {
            let snapshot = crate::io::read(path)?;
            let kms = Kms::from_snapshot(KmsConfig::default(), &snapshot)?;
            return Ok(Box::new(KmsKeyring::new(
                std::sync::Mutex::new(kms),
                key_id,
            )));
        }
        Err(kmskit::Error::validation(
            "give a keyring: --aes-key FILE, --rsa-key FILE, or --kms-state FILE --key-id KEY",
        ))
    }
}

/// `k=v` pairs into an encryption context.
pub(crate) fn context(pairs: &[String]) -> kmskit::Result<EncryptionContext> {
    let mut out = EncryptionContext::new();
    for pair in pairs {
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            kmskit::Error::validation(format!("--encryption-context {pair:?} is not KEY=VALUE"))
        })?;
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(kmskit::Error::validation(format!(
                "--encryption-context names {k:?} twice"
            )));
        }
    }
    Ok(out)
}

fn io_err(what: &str, e: &std::io::Error) -> kmskit::Error {
    kmskit::Error::validation(format!("cannot {what}: {e}"))
}

/// The input, and its length when it is a file.
fn open(path: &str) -> kmskit::Result<(Box<dyn Read>, Option<u64>)> {
    if path == "-" {
        return Ok((Box::new(std::io::stdin().lock()), None));
    }
    let file = File::open(path).map_err(|e| io_err(&format!("read {path}"), &e))?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok((
        Box::new(std::io::BufReader::with_capacity(1 << 16, file)),
        len,
    ))
}

/// Where output goes: standard output, or a file written beside its path and renamed over it
/// only once everything succeeded (so a failed decryption leaves no partial plaintext file).
enum Sink {
    Stdout(std::io::StdoutLock<'static>),
    File {
        tmp: PathBuf,
        path: PathBuf,
        /// `None` once committed.
        file: Option<std::io::BufWriter<File>>,
    },
}

impl Sink {
    fn create(path: Option<&str>) -> kmskit::Result<Sink> {
        let Some(path) = path.filter(|p| *p != "-") else {
            return Ok(Sink::Stdout(std::io::stdout().lock()));
        };
        let path = PathBuf::from(path);
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".kmskit-partial");
        let tmp = path.with_file_name(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&tmp)
            .map_err(|e| io_err(&format!("write {}", tmp.display()), &e))?;
        Ok(Sink::File {
            tmp,
            path,
            file: Some(std::io::BufWriter::with_capacity(1 << 16, file)),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> kmskit::Result<()> {
        let r = match self {
            Sink::Stdout(s) => s.write_all(bytes),
            Sink::File { file: Some(f), .. } => f.write_all(bytes),
            Sink::File { file: None, .. } => Ok(()),
        };
        r.map_err(|e| io_err("write the output", &e))
    }

    fn commit(&mut self) -> kmskit::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush().map_err(|e| io_err("write the output", &e)),
            Sink::File { tmp, path, file } => {
                let Some(f) = file.take() else { return Ok(()) };
                let f = f
                    .into_inner()
                    .map_err(|e| io_err("write the output", e.error()))?;
                f.sync_all().map_err(|e| io_err("write the output", &e))?;
                std::fs::rename(&*tmp, &*path)
                    .map_err(|e| io_err(&format!("write {}", path.display()), &e))
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // An uncommitted file is partial output: remove it.
        if let Sink::File {
            tmp, file: Some(_), ..
        } = self
        {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A progress bar on standard error for inputs over 1 MiB, drawn only on a terminal.
fn progress(len: Option<u64>, what: &str) -> indicatif::ProgressBar {
    match len {
        Some(n) if n > 1 << 20 => {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(n),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            bar
        }
        _ => indicatif::ProgressBar::hidden(),
    }
}

/// Copies `src` through `step` (which appends output for each chunk) into `sink`.
fn pump(
    src: &mut dyn Read,
    sink: &mut Sink,
    bar: &indicatif::ProgressBar,
    mut step: impl FnMut(&[u8], &mut Vec<u8>) -> kmskit::Result<()>,
) -> kmskit::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    let mut out = Vec::new();
    loop {
        let n = src
            .read(&mut buf)
            .map_err(|e| io_err("read the input", &e))?;
        if n == 0 {
            return Ok(());
        }
        step(&buf[..n], &mut out)?;
        sink.write(&out)?;
        zeroize::Zeroize::zeroize(&mut out);
        out.clear();
        bar.inc(n as u64);
    }
}

/// What `kmskit encrypt` with a keyring was given.
pub(crate) struct EncryptArgs<'a> {
    pub(crate) keyring: &'a KeyringArgs,
    pub(crate) context: &'a [String],
    pub(crate) suite: Option<&'a str>,
    pub(crate) frame_length: u32,
    pub(crate) input: &'a str,
    pub(crate) output: Option<&'a str>,
}

/// Encrypts a file or standard input into one message.
///
/// # Errors
/// Bad options (`ValidationException`), the keyring's errors, unreadable/unwritable files.
pub(crate) fn encrypt(a: &EncryptArgs<'_>) -> kmskit::Result<()> {
    let keyring = a.keyring.build(true)?;
    let (mut src, len) = open(a.input)?;
    let options = EncryptOptions {
        encryption_context: context(a.context)?,
        suite: a.suite.map(AlgorithmSuite::parse).transpose()?,
        frame_length: a.frame_length,
        plaintext_length: len,
        ..EncryptOptions::default()
    };
    let mut encryptor = Encryptor::new(&*keyring, &options)?;
    let mut sink = Sink::create(a.output)?;
    let bar = progress(len, "encrypting");
    pump(&mut *src, &mut sink, &bar, |chunk, out| {
        encryptor.update(chunk, out)
    })?;
    let mut out = Vec::new();
    encryptor.finish(&mut out)?;
    sink.write(&out)?;
    bar.finish_and_clear();
    sink.commit()
}

/// Decrypts a message from a file or standard input. Into a file, the plaintext appears only
/// once the whole message verified; to standard output, frames are written as each verifies
/// (with `release` AFTER_VERIFICATION, nothing before the end).
///
/// # Errors
/// `InvalidCiphertextException` for any modified, truncated or mismatched message;
/// `IncorrectKeyException` when the keyring has none of its data keys.
pub(crate) fn decrypt(
    keyring: &KeyringArgs,
    expected: &[String],
    release: &str,
    input: &str,
    output: Option<&str>,
) -> kmskit::Result<()> {
    let keyring = keyring.build(false)?;
    let (mut src, len) = open(input)?;
    let options = DecryptOptions {
        encryption_context: if expected.is_empty() {
            None
        } else {
            Some(context(expected)?)
        },
        release: Release::parse(release)?,
        ..DecryptOptions::default()
    };
    let mut decryptor = Decryptor::new(keyring, options);
    let mut sink = Sink::create(output)?;
    let bar = progress(len, "decrypting");
    pump(&mut *src, &mut sink, &bar, |chunk, out| {
        decryptor.update(chunk, out)
    })?;
    let mut out = zeroize::Zeroizing::new(Vec::new());
    decryptor.finish(&mut out)?;
    sink.write(&out)?;
    bar.finish_and_clear();
    sink.commit()
}
