//! A local KMS: the key operations of the AWS KMS API, with KMS's request and response shapes,
//! key states, identifiers and exceptions.
//!
//! A [`Kms`] is one AWS account in one partition, with keys in any number of Regions (multi-
//! Region keys replicate between them). It keeps keys in a [`KeyStore`] (in memory by default),
//! takes time from a settable clock, and in deterministic mode draws every random byte (key IDs,
//! key material, IVs, import tokens) from a seeded DRBG, so that tests and demos repeat exactly.
//!
//! Every operation is available typed (`kms.encrypt(&region, request)`) and through
//! [`Kms::call`], which speaks the KMS JSON protocol bodies (`TrentService.<Operation>`):
//! `call("Encrypt", r#"{"KeyId": "...", "Plaintext": "aGk="}"#)`.

pub mod ciphertext;
pub mod context;
pub mod ids;
pub mod model;
pub mod random;
pub mod shapes;
pub mod snapshot;
pub mod state;
pub mod store;

mod aliases;
mod authz;
mod crypto_ops;
mod dispatch;
mod grants;
mod import;
mod keys;
mod multi_region;
mod principals;
mod rotation;
mod tags;

use crate::backend::{self, Backend};
use crate::error::{Error, ErrorCode, Result};
use crate::spec::KeySpec;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ids::{Accept, KeyRef};
use model::{KeyRecord, KeyState};
pub use principals::CallerContext;
use random::{HmacDrbg, Randomness};
pub use store::{KeyStore, MemoryStore};

/// The account used when none is configured (the one AWS documentation uses).
pub const DEFAULT_ACCOUNT: &str = "111122223333";
/// The Region used when none is configured.
pub const DEFAULT_REGION: &str = "us-east-1";
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// How to build a [`Kms`].
#[derive(Clone, Debug)]
pub struct KmsConfig {
    /// The 12-digit account ID (default `111122223333`).
    pub account_id: String,
    /// The default Region of calls (default `us-east-1`).
    pub region: String,
    /// The partition (default `aws`).
    pub partition: String,
    /// Deterministic mode: every random byte comes from a DRBG seeded with these bytes.
    pub seed: Option<Vec<u8>>,
    /// The clock's start (ms since the Unix epoch). Without it the clock is the system clock
    /// (`std`), or 2026-01-01T00:00:00Z without `std` and in deterministic mode.
    pub start_time_ms: Option<i64>,
}

impl Default for KmsConfig {
    fn default() -> Self {
        Self {
            account_id: DEFAULT_ACCOUNT.to_string(),
            region: DEFAULT_REGION.to_string(),
            partition: "aws".to_string(),
            seed: None,
            start_time_ms: None,
        }
    }
}

/// 2026-01-01T00:00:00Z: the clock's start when there is no system clock to read.
pub const DEFAULT_START_MS: i64 = 1_767_225_600_000;

#[derive(Debug)]
enum Clock {
    #[cfg(feature = "std")]
    System,
    Fixed(i64),
}

/// The local KMS. See the module documentation.
#[derive(Debug)]
pub struct Kms {
    account: String,
    partition: String,
    region: String,
    store: Box<dyn KeyStore>,
    clock: Clock,
    random: Randomness,
    backend: &'static dyn Backend,
    /// IAM identity policies and tags of the account's principals.
    principals: principals::Principals,
    /// Compiled key policies, by (Region, key ID), with the text they were compiled from.
    policy_cache: alloc::collections::BTreeMap<(String, String), (String, crate::policy::Policy)>,
    /// The evaluation behind the last AccessDeniedException.
    last_denial: Option<crate::policy::Evaluation>,
}

impl Kms {
    /// A KMS with an in-memory store.
    ///
    /// # Errors
    /// `ValidationException` for a malformed account ID, Region or partition.
    pub fn new(config: KmsConfig) -> Result<Self> {
        Self::with_store(config, Box::new(MemoryStore::default()))
    }

    /// A KMS over `store`.
    ///
    /// # Errors
    /// As [`Kms::new`].
    pub fn with_store(config: KmsConfig, store: Box<dyn KeyStore>) -> Result<Self> {
        if !ids::is_account_id(&config.account_id) {
            return Err(Error::validation("account_id must be 12 digits"));
        }
        check_region(&config.region)?;
        if !matches!(
            config.partition.as_str(),
            "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b"
        ) {
            return Err(Error::validation(format!(
                "'{}' is not an AWS partition",
                config.partition
            )));
        }
        let clock = match config.start_time_ms {
            Some(ms) => Clock::Fixed(ms),
            #[cfg(feature = "std")]
            None if config.seed.is_none() => Clock::System,
            None => Clock::Fixed(DEFAULT_START_MS),
        };
        let random = match &config.seed {
            Some(seed) => Randomness::Seeded(HmacDrbg::new(seed)),
            None => Randomness::System,
        };
        Ok(Self {
            account: config.account_id,
            partition: config.partition,
            region: config.region,
            store,
            clock,
            random,
            backend: backend::default(),
            principals: principals::Principals::default(),
            policy_cache: alloc::collections::BTreeMap::new(),
            last_denial: None,
        })
    }

    /// The account ID.
    pub fn account_id(&self) -> &str {
        &self.account
    }

    /// The default Region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The partition.
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match self.clock {
            #[cfg(feature = "std")]
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or(0),
            Clock::Fixed(ms) => ms,
        }
    }

    /// Sets the clock (switching to a fixed clock). Scheduled deletions, expirations and
    /// rotations that are due by then happen on the next call.
    pub fn set_time_ms(&mut self, ms: i64) {
        self.clock = Clock::Fixed(ms);
    }

    /// Moves the clock forward by `ms`.
    pub fn advance_ms(&mut self, ms: i64) {
        let now = self.now_ms();
        self.clock = Clock::Fixed(now.saturating_add(ms));
    }

    /// Whether this KMS is deterministic (seeded).
    pub fn is_deterministic(&self) -> bool {
        self.random.is_seeded()
    }

    /// The store (for snapshots and inspection).
    pub fn store(&self) -> &dyn KeyStore {
        self.store.as_ref()
    }

    /// The key ARN of `id` in `region`.
    pub fn key_arn(&self, region: &str, id: &str) -> String {
        ids::key_arn(&self.partition, region, &self.account, id)
    }

    pub(crate) fn alias_arn(&self, region: &str, name: &str) -> String {
        ids::alias_arn(&self.partition, region, &self.account, name)
    }

    pub(crate) fn random_bytes<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        self.random.fill(self.backend, &mut out)?;
        Ok(out)
    }

    pub(crate) fn random_vec(&mut self, n: usize) -> Result<Vec<u8>> {
        let mut out = alloc::vec![0u8; n];
        self.random.fill(self.backend, &mut out)?;
        Ok(out)
    }

    /// Generates a key pair: the backend's own generator, or the seeded DRBG in deterministic
    /// mode.
    pub(crate) fn generate_pair(&mut self, spec: KeySpec) -> Result<crate::PrivateKey> {
        match &mut self.random {
            Randomness::System => self.backend.generate_key_pair(spec),
            Randomness::Seeded(drbg) => {
                crate::keygen::generate_with(spec, &mut |buf: &mut [u8]| {
                    drbg.fill(buf);
                    Ok(())
                })
            }
        }
    }

    /// Resolves a `KeyId` parameter in `region` to a key ID.
    ///
    /// # Errors
    /// `NotFoundException` when no such key or alias exists here; the parse errors of
    /// [`ids::parse_key_ref`].
    pub(crate) fn resolve(&self, region: &str, key_id: &str, accept: Accept) -> Result<String> {
        let not_found = |what: String| Error::new(ErrorCode::NotFoundException, what);
        let key_not_found =
            |id: &str| not_found(format!("Key '{}' does not exist", self.key_arn(region, id)));
        let check_arn = |arn: &ids::Arn| -> Result<()> {
            if arn.region != region
                || arn.account != self.account
                || arn.partition != self.partition
            {
                return Err(not_found(format!(
                    "{key_id} does not exist in this account and Region ({region})"
                )));
            }
            Ok(())
        };
        let id = match ids::parse_key_ref(key_id, accept)? {
            KeyRef::Id(id) => id,
            KeyRef::KeyArn(arn) => {
                check_arn(&arn)?;
                arn.resource
            }
            KeyRef::AliasName(name) => self.alias_target(region, &name)?,
            KeyRef::AliasArn(arn) => {
                check_arn(&arn)?;
                self.alias_target(region, &arn.resource)?
            }
        };
        if self.store.key(region, &id).is_none() {
            return Err(key_not_found(&id));
        }
        Ok(id)
    }

    fn alias_target(&self, region: &str, name: &str) -> Result<String> {
        self.store
            .alias(region, name)
            .map(|a| a.target.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFoundException,
                    format!("Alias {} is not found.", self.alias_arn(region, name)),
                )
            })
    }

    /// The key `id` (which [`Kms::resolve`] found).
    pub(crate) fn key(&self, region: &str, id: &str) -> Result<&KeyRecord> {
        self.store.key(region, id).ok_or_else(|| {
            Error::new(
                ErrorCode::NotFoundException,
                format!("Key '{}' does not exist", self.key_arn(region, id)),
            )
        })
    }

    pub(crate) fn key_mut(&mut self, region: &str, id: &str) -> Result<&mut KeyRecord> {
        let arn = self.key_arn(region, id);
        self.store.key_mut(region, id).ok_or_else(|| {
            Error::new(
                ErrorCode::NotFoundException,
                format!("Key '{arn}' does not exist"),
            )
        })
    }

    /// Resolves and checks the key state for `op`.
    pub(crate) fn usable(
        &self,
        region: &str,
        key_id: &str,
        accept: Accept,
        op: state::Op,
    ) -> Result<String> {
        let id = self.resolve(region, key_id, accept)?;
        let key = self.key(region, &id)?;
        state::check(op, key, &self.key_arn(region, &id))?;
        Ok(id)
    }

    /// Raises `DryRunOperationException` when `dry_run` is set: the request would have succeeded.
    pub(crate) fn dry_run(dry_run: Option<bool>) -> Result<()> {
        if dry_run == Some(true) {
            return Err(Error::new(
                ErrorCode::DryRunOperationException,
                "The request would have succeeded, but the DryRun option is set.",
            ));
        }
        Ok(())
    }

    /// Applies what the clock says is due: deletions whose date passed, imported material that
    /// expired, automatic rotations, and expired import parameters.
    pub(crate) fn tick(&mut self) -> Result<()> {
        let now = self.now_ms();
        for region in self.store.regions() {
            for id in self.store.key_ids(&region) {
                let Some(key) = self.store.key(&region, &id) else {
                    continue;
                };
                if key.state == KeyState::PendingDeletion
                    && let Some(due) = key.deletion_ms.filter(|&d| d <= now)
                {
                    self.delete_key_now(&region, &id, due)?;
                    continue;
                }
                let expired = key
                    .imported
                    .as_ref()
                    .and_then(|i| i.valid_to_ms)
                    .is_some_and(|t| t <= now);
                // a multi-Region replica never rotates by itself: its primary's rotation
                // copies the new version to it (see `rotate_now`)
                let rotate_due = key.state == KeyState::Enabled
                    && !self.is_replica(&region, &id)
                    && key.rotation.enabled
                    && key.rotation.next_ms.is_some_and(|t| t <= now);
                let params_expired = key.import_parameters.iter().any(|p| p.valid_to_ms <= now);
                if expired || params_expired {
                    let key = self.key_mut(&region, &id)?;
                    key.import_parameters.retain(|p| p.valid_to_ms > now);
                    if expired {
                        key.materials.clear();
                        key.imported = None;
                        if key.state != KeyState::PendingDeletion
                            && key.state != KeyState::PendingReplicaDeletion
                        {
                            key.state = KeyState::PendingImport;
                        }
                    }
                }
                if rotate_due {
                    self.rotate_now(&region, &id, model::RotationType::Automatic)?;
                }
            }
        }
        Ok(())
    }

    /// Deletes a key and its aliases (the end of its waiting period, which was due at `due`).
    /// A deleted multi-Region key leaves its set; the last replica's deletion starts the
    /// waiting period of a primary pending replica deletion.
    fn delete_key_now(&mut self, region: &str, id: &str, due: i64) -> Result<()> {
        self.store.remove_key(region, id);
        for alias in self.store.aliases(region) {
            if alias.target == id {
                self.store.remove_alias(region, &alias.name);
            }
        }
        self.forget_deleted_key(region, id, due)
    }

    /// Appends a new material version to a symmetric key (automatic or on-demand rotation).
    pub(crate) fn rotate_now(
        &mut self,
        region: &str,
        id: &str,
        kind: model::RotationType,
    ) -> Result<()> {
        let now = self.now_ms();
        let material = crate::secret::Secret::new(self.random_vec(32)?);
        let version_id = self.random_bytes::<32>()?;
        let key = self.key_mut(region, id)?;
        key.materials.push(model::MaterialVersion {
            id: version_id,
            created_ms: now,
            rotation: Some(kind),
            material: model::KeyMaterial::Secret(material),
        });
        if kind == model::RotationType::Automatic {
            let period = i64::from(key.rotation.period_days) * DAY_MS;
            let mut next = key.rotation.next_ms.unwrap_or(now);
            while next <= now {
                next += period;
            }
            key.rotation.next_ms = Some(next);
        }
        // a multi-Region primary's new version reaches every replica before it is used
        self.share_new_version(region, id)
    }

    /// Calls `operation` in the default Region with a KMS JSON request body; returns the
    /// JSON response body.
    ///
    /// # Errors
    /// The operation's KMS exception; `ValidationException` for an unknown operation or a
    /// request that is not valid JSON of the operation's shape; `UnsupportedOperationException`
    /// for KMS operations kmskit does not implement.
    pub fn call(&mut self, operation: &str, request_json: &str) -> Result<String> {
        let region = self.region.clone();
        self.call_in(&region, operation, request_json)
    }

    /// [`Kms::call`] in another Region of the same account.
    ///
    /// # Errors
    /// As [`Kms::call`].
    pub fn call_in(&mut self, region: &str, operation: &str, request_json: &str) -> Result<String> {
        let root = CallerContext::new(crate::policy::Caller::root(&self.partition, &self.account));
        self.call_as(&root, region, operation, request_json)
    }

    /// [`Kms::call_in`] for `caller`: the request is authorized as KMS authorizes it, by the
    /// key policy, the caller's IAM identity policies ([`Kms::put_principal_policy`]) and the
    /// key's grants. [`Kms::call`] calls as the account root.
    ///
    /// # Errors
    /// As [`Kms::call`], and `AccessDeniedException` when the caller is not allowed
    /// ([`Kms::last_denial`] then explains why).
    pub fn call_as(
        &mut self,
        caller: &CallerContext,
        region: &str,
        operation: &str,
        request_json: &str,
    ) -> Result<String> {
        check_region(region)?;
        self.tick()?;
        dispatch::call(self, caller, region, operation, request_json)
    }

    /// [`Kms::call_as`] with typed [`shapes`]: `request` becomes the KMS JSON body (unset
    /// optional fields left out, as an SDK leaves them out) and the response body is parsed
    /// into `Resp`, so a typed call is authorized and dispatched exactly as a JSON one. For
    /// callers that hold the shapes as values, such as the Kotlin/Swift records.
    ///
    /// ```
    /// use kmskit::kms::{CallerContext, Kms, KmsConfig, shapes::*};
    /// use kmskit::policy::Caller;
    /// let mut kms = Kms::new(KmsConfig::default()).unwrap();
    /// let root = CallerContext::new(Caller::root(kms.partition(), kms.account_id()));
    /// let created: KeyMetadataResponse = kms
    ///     .call_typed(&root, "us-east-1", "CreateKey", &CreateKeyRequest::default())
    ///     .unwrap();
    /// let encrypted: EncryptResponse = kms
    ///     .call_typed(&root, "us-east-1", "Encrypt", &EncryptRequest {
    ///         key_id: created.key_metadata.key_id,
    ///         plaintext: b"hello".to_vec(),
    ///         ..EncryptRequest::default()
    ///     })
    ///     .unwrap();
    /// assert!(!encrypted.ciphertext_blob.is_empty());
    /// ```
    ///
    /// # Errors
    /// As [`Kms::call_as`]; `ValidationException` when `Resp` is not the operation's response.
    pub fn call_typed<Req, Resp>(
        &mut self,
        caller: &CallerContext,
        region: &str,
        operation: &str,
        request: &Req,
    ) -> Result<Resp>
    where
        Req: serde::Serialize,
        Resp: serde::de::DeserializeOwned,
    {
        let mut body = serde_json::to_value(request)
            .map_err(|e| Error::internal(format!("request encoding failed: {e}")))?;
        if let serde_json::Value::Object(fields) = &mut body {
            fields.retain(|_, v| !v.is_null());
        }
        let response = self.call_as(caller, region, operation, &body.to_string())?;
        serde_json::from_str(&response).map_err(|e| {
            Error::validation(format!(
                "the {operation} response does not have the requested shape: {e}"
            ))
        })
    }
}

fn check_region(region: &str) -> Result<()> {
    let ok = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(format!(
            "'{region}' is not a valid AWS Region"
        )))
    }
}

/// The JSON operation names kmskit implements.
pub fn operations() -> &'static [&'static str] {
    dispatch::OPERATIONS
}

/// The client method name of `operation` in the AWS SDKs' snake_case (boto3's `xform_name`):
/// `GenerateDataKeyPairWithoutPlaintext` → `generate_data_key_pair_without_plaintext`. Bindings
/// name their per-operation methods with it, so every binding derives the same names from
/// [`operations`].
pub fn snake_case(operation: &str) -> String {
    let chars: Vec<char> = operation.chars().collect();
    let mut out = String::with_capacity(operation.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The client method name of `operation` in the AWS SDKs' camelCase (JavaScript v3, Kotlin,
/// Swift: the operation name with its first letter in lower case): `GenerateDataKeyPair` →
/// `generateDataKeyPair`.
pub fn camel_case(operation: &str) -> String {
    let mut out = String::with_capacity(operation.len());
    let mut chars = operation.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_lowercase());
    }
    out.extend(chars);
    out
}

// Every binding keeps a `Kms` behind a mutex shared between threads: it must stay `Send`.
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Kms>();
};
