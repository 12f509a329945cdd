//! The key blob, the snapshot, their encrypted container, and the seed file
//! (specified in docs/formats.md, "Key blob and snapshot", "Encrypted container", "Seed file").
//!
//! - A **snapshot** is the whole state of a [`Kms`]: its account, partition and default Region,
//!   every key of every Region (metadata, policy, tags, rotation and import state, every
//!   key-material version), every alias and the multi-Region topology. It is canonical JSON:
//!   [`Kms::export_snapshot`] of the same state is the same bytes, and
//!   [`Kms::from_snapshot`] → [`Kms::export_snapshot`] gives back the bytes it was given.
//! - A **key blob** is one key in one Region with its aliases (and, for a multi-Region key, the
//!   topology): [`Kms::export_key_blob`], [`Kms::import_key_blob`].
//! - Both are plaintext (they hold key material); [`encrypt_with_key`] and
//!   [`encrypt_with_passphrase`] wrap any bytes in an AES-256-GCM container, under a 32-byte
//!   key or a key derived from a passphrase with Argon2id; [`decrypt_with_key`] and
//!   [`decrypt_with_passphrase`] open it.
//! - A **seed file** is a hand-written JSON description of keys of fixed IDs, with optional
//!   supplied material: [`Kms::from_seed`].
//!
//! Not carried: outstanding import parameters (GetParametersForImport's 24-hour wrapping keys
//! and tokens: call it again after a restore), the clock and the random generator (they come
//! from the [`KmsConfig`] the snapshot is restored with).

mod doc;
mod json;
mod sealed;
mod seed;

pub use doc::{FORMAT_VERSION, KEY_FORMAT, SNAPSHOT_FORMAT};
pub use sealed::{
    Argon2Params, KEY_LEN, Kdf, MAGIC, NONCE_LEN, SALT_LEN, SealOptions, SealedInfo,
    VERSION as CONTAINER_VERSION, decrypt_with_key, decrypt_with_passphrase, encrypt_with_key,
    encrypt_with_key_and_nonce, encrypt_with_passphrase, encrypt_with_passphrase_salt_and_nonce,
    inspect, seal, unseal,
};

use super::model::{AliasRecord, KeyRecord, MultiRegionSet};
use super::shapes::KeyMetadata;
use super::{KeyStore, Kms, KmsConfig, MemoryStore};
use crate::error::{Error, ErrorCode, Result};
use crate::secret::Secret;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use doc::{AliasDoc, KeyDoc, MultiRegionDoc, bad};
use json::J;
use serde::Deserialize;
use sha2::Digest;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotDoc {
    #[allow(dead_code, reason = "checked by doc::check_header")]
    format: String,
    #[allow(dead_code, reason = "checked by doc::check_header")]
    version: u32,
    account_id: String,
    partition: String,
    region: String,
    keys: Vec<KeyDoc>,
    aliases: Vec<AliasDoc>,
    multi_region_keys: Vec<MultiRegionDoc>,
    #[serde(default)]
    principals: Vec<PrincipalDoc>,
}

/// A principal's IAM identity policies and tags (written only when some are set).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrincipalDoc {
    principal: String,
    #[serde(default)]
    policies: Vec<PolicyDoc>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyDoc {
    name: String,
    document: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyBlobDoc {
    #[allow(dead_code, reason = "checked by doc::check_header")]
    format: String,
    #[allow(dead_code, reason = "checked by doc::check_header")]
    version: u32,
    key: KeyDoc,
    aliases: Vec<AliasDoc>,
    multi_region: Option<MultiRegionDoc>,
}

fn already_exists(what: String) -> Error {
    Error::new(ErrorCode::AlreadyExistsException, what)
}

/// What a snapshot or key blob restores, checked as a whole before anything is stored.
struct Contents {
    keys: Vec<KeyRecord>,
    aliases: Vec<(String, AliasRecord)>,
    sets: BTreeMap<String, MultiRegionSet>,
}

/// Checks aliases against the keys they point to (same Region) and each other.
fn check_aliases(
    docs: &[AliasDoc],
    keys: &BTreeSet<(String, String)>,
    path: &str,
) -> Result<Vec<(String, AliasRecord)>> {
    let mut out = Vec::with_capacity(docs.len());
    let mut names = BTreeSet::new();
    let mut per_key: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let alias = doc::alias_record(&p, d)?;
        if !names.insert((d.region.as_str(), d.alias_name.as_str())) {
            return Err(bad(
                &format!("{p}.alias_name"),
                format_args!("{} is listed twice in {}", d.alias_name, d.region),
            ));
        }
        if !keys.contains(&(d.region.clone(), d.target_key_id.clone())) {
            return Err(bad(
                &format!("{p}.target_key_id"),
                format_args!("no key {} in {}", d.target_key_id, d.region),
            ));
        }
        let n = per_key
            .entry((d.region.as_str(), d.target_key_id.as_str()))
            .or_default();
        *n += 1;
        if *n > super::aliases::MAX_ALIASES_PER_KEY {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!(
                    "{p}: a key can have at most {} aliases",
                    super::aliases::MAX_ALIASES_PER_KEY
                ),
            ));
        }
        out.push((d.region.clone(), alias));
    }
    Ok(out)
}

impl Contents {
    /// Checks a snapshot's keys, aliases and topology against each other.
    fn of_snapshot(d: SnapshotDoc) -> Result<Self> {
        let mut keys = Vec::with_capacity(d.keys.len());
        let mut names = BTreeSet::new();
        let mut regions_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (i, k) in d.keys.into_iter().enumerate() {
            let p = format!("keys[{i}]");
            let key = doc::key_record(&p, k)?;
            if !names.insert((key.region.clone(), key.id.clone())) {
                return Err(bad(
                    &format!("{p}.key_id"),
                    format_args!("{} is listed twice in {}", key.id, key.region),
                ));
            }
            let regions = regions_of.entry(key.id.clone()).or_default();
            regions.push(key.region.clone());
            if !key.multi_region && regions.len() > 1 {
                return Err(bad(
                    &format!("{p}.key_id"),
                    format_args!(
                        "{} is in more than one Region but is not a multi-Region key",
                        key.id
                    ),
                ));
            }
            keys.push(key);
        }
        let aliases = check_aliases(&d.aliases, &names, "aliases")?;
        let mut sets = BTreeMap::new();
        for (i, m) in d.multi_region_keys.iter().enumerate() {
            let p = format!("multi_region_keys[{i}]");
            let Some(id) = m.key_id.as_deref() else {
                return Err(bad(&format!("{p}.key_id"), "is required"));
            };
            if !id.starts_with("mrk-") || !super::ids::is_key_id(id) {
                return Err(bad(
                    &format!("{p}.key_id"),
                    format_args!("'{id}' is not a multi-Region key ID"),
                ));
            }
            if !regions_of.contains_key(id) {
                return Err(bad(&format!("{p}.key_id"), format_args!("no key {id}")));
            }
            let set = doc::multi_region_set(&p, m)?;
            if sets.insert(String::from(id), set).is_some() {
                return Err(bad(
                    &format!("{p}.key_id"),
                    format_args!("{id} is listed twice"),
                ));
            }
        }
        for (i, key) in keys.iter().enumerate() {
            if key.multi_region
                && !sets
                    .get(&key.id)
                    .is_some_and(|s| doc::set_has(s, &key.region))
            {
                return Err(bad(
                    &format!("keys[{i}]"),
                    format_args!(
                        "multi-Region key {} in {} is not in multi_region_keys",
                        key.id, key.region
                    ),
                ));
            }
        }
        Ok(Self {
            keys,
            aliases,
            sets,
        })
    }

    /// Checks that nothing here exists in `store` yet.
    ///
    /// # Errors
    /// `AlreadyExistsException` naming the key, alias or topology.
    fn check_absent(&self, store: &dyn KeyStore) -> Result<()> {
        for k in &self.keys {
            if store.key(&k.region, &k.id).is_some() {
                return Err(already_exists(format!(
                    "key {} already exists in {}",
                    k.id, k.region
                )));
            }
        }
        for (region, a) in &self.aliases {
            if store.alias(region, &a.name).is_some() {
                return Err(already_exists(format!(
                    "an alias named {} already exists in {region}",
                    a.name
                )));
            }
        }
        Ok(())
    }

    fn store_into(self, store: &mut dyn KeyStore) {
        for k in self.keys {
            store.put_key(k);
        }
        for (region, a) in self.aliases {
            store.put_alias(&region, a);
        }
        for (id, set) in self.sets {
            store.set_multi_region(&id, Some(set));
        }
    }
}

fn parse<'a, T: Deserialize<'a>>(what: &str, bytes: &'a [u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| bad(what, e))
}

impl Kms {
    /// The snapshot of this KMS: canonical JSON (docs/formats.md). It contains every key's
    /// material in plaintext; encrypt it with [`encrypt_with_key`] or
    /// [`encrypt_with_passphrase`] before it leaves the process.
    ///
    /// State is exported as stored: a deletion or rotation that is due but that no call has
    /// applied yet is applied by the first call after a restore.
    ///
    /// # Errors
    /// None at present; `Result` leaves room for stores that can fail.
    pub fn export_snapshot(&self) -> Result<Secret> {
        let mut regions = self.store.regions();
        regions.sort();
        regions.dedup();
        let mut keys = Vec::new();
        let mut aliases = Vec::new();
        let mut mrk_ids = BTreeSet::new();
        for region in &regions {
            let mut ids = self.store.key_ids(region);
            ids.sort();
            for id in ids {
                if let Some(key) = self.store.key(region, &id) {
                    if key.multi_region {
                        mrk_ids.insert(id.clone());
                    }
                    keys.push(doc::key_json(key));
                }
            }
            let mut list = self.store.aliases(region);
            list.sort_by(|a, b| a.name.cmp(&b.name));
            aliases.extend(list.iter().map(|a| doc::alias_json(region, a)));
        }
        let sets = mrk_ids
            .iter()
            .filter_map(|id| {
                self.store
                    .multi_region(id)
                    .map(|set| doc::multi_region_json(Some(id), set))
            })
            .collect();
        let mut root = alloc::vec![
            ("format", J::str(SNAPSHOT_FORMAT)),
            ("version", J::Int(i64::from(FORMAT_VERSION))),
            ("account_id", J::str(&self.account)),
            ("partition", J::str(&self.partition)),
            ("region", J::str(&self.region)),
            ("keys", J::Arr(keys)),
            ("aliases", J::Arr(aliases)),
            ("multi_region_keys", J::Arr(sets)),
        ];
        let principals: Vec<J> = self
            .principals
            .records()
            .map(|r| {
                let policies = r
                    .policies
                    .iter()
                    .map(|(name, text, _)| {
                        J::Obj(alloc::vec![
                            ("name", J::str(name)),
                            ("document", J::str(text))
                        ])
                    })
                    .collect();
                let tags = r.tags.iter().map(|(k, v)| (k.clone(), J::str(v))).collect();
                J::Obj(alloc::vec![
                    ("principal", J::str(&r.principal)),
                    ("policies", J::Arr(policies)),
                    ("tags", J::Map(tags)),
                ])
            })
            .collect();
        if !principals.is_empty() {
            root.push(("principals", J::Arr(principals)));
        }
        let root = J::Obj(root);
        Ok(json::write(&root))
    }

    /// A KMS restored from a snapshot, with an in-memory store.
    ///
    /// The snapshot's account ID, partition and default Region replace those of `config`;
    /// `config` supplies the clock (`start_time_ms`) and the random source. In deterministic
    /// mode the generator is seeded with `config.seed` ‖ `"\0kmskit-snapshot\0"` ‖
    /// SHA-256(`snapshot`), so that a restored KMS repeats exactly yet never draws again the
    /// key IDs and material that the snapshot's KMS drew from the same seed.
    ///
    /// # Errors
    /// `ValidationException` naming the field for anything malformed or inconsistent (and the
    /// KMS exception for checks KMS makes itself: `MalformedPolicyDocumentException`,
    /// `TagException`, `LimitExceededException`), including another format or version.
    pub fn from_snapshot(config: KmsConfig, snapshot: &[u8]) -> Result<Kms> {
        Self::from_snapshot_with_store(config, Box::new(MemoryStore::default()), snapshot)
    }

    /// [`Kms::from_snapshot`] into `store`, which may already hold other keys.
    ///
    /// # Errors
    /// As [`Kms::from_snapshot`]; `AlreadyExistsException` when `store` already holds one of
    /// the snapshot's keys or aliases (nothing is stored then).
    pub fn from_snapshot_with_store(
        config: KmsConfig,
        store: Box<dyn KeyStore>,
        snapshot: &[u8],
    ) -> Result<Kms> {
        doc::check_header(snapshot, SNAPSHOT_FORMAT)?;
        let d: SnapshotDoc = parse(SNAPSHOT_FORMAT, snapshot)?;
        let seed = config.seed.map(|mut s| {
            s.extend_from_slice(b"\0kmskit-snapshot\0");
            s.extend_from_slice(&sha2::Sha256::digest(snapshot));
            s
        });
        let config = KmsConfig {
            account_id: d.account_id.clone(),
            region: d.region.clone(),
            partition: d.partition.clone(),
            seed,
            start_time_ms: config.start_time_ms,
        };
        let mut kms = Kms::with_store(config, store)?;
        for (i, p) in d.principals.iter().enumerate() {
            let at = |e: Error| doc::at(&format!("principals[{i}]"), e);
            for policy in &p.policies {
                kms.put_principal_policy(&p.principal, &policy.name, &policy.document)
                    .map_err(at)?;
            }
            kms.set_principal_tags(&p.principal, p.tags.clone())
                .map_err(at)?;
        }
        let contents = Contents::of_snapshot(d)?;
        contents.check_absent(kms.store.as_ref())?;
        for id in contents.sets.keys() {
            if kms.store.multi_region(id).is_some() {
                return Err(already_exists(format!(
                    "the multi-Region key {id} already exists"
                )));
            }
        }
        contents.store_into(kms.store.as_mut());
        Ok(kms)
    }

    /// The key blob of one key: `key_id` (key ID, key ARN, alias name or alias ARN) in
    /// `region`, with its aliases there and, for a multi-Region key, its topology. Canonical
    /// JSON holding the key material in plaintext.
    ///
    /// # Errors
    /// `NotFoundException` and the identifier errors of the key operations.
    pub fn export_key_blob(&self, region: &str, key_id: &str) -> Result<Secret> {
        super::check_region(region)?;
        let id = self.resolve(region, key_id, super::ids::Accept::KeyOrAlias)?;
        let key = self.key(region, &id)?;
        let mut aliases = self.store.aliases(region);
        aliases.retain(|a| a.target == id);
        aliases.sort_by(|a, b| a.name.cmp(&b.name));
        let mut root = alloc::vec![
            ("format", J::str(KEY_FORMAT)),
            ("version", J::Int(i64::from(FORMAT_VERSION))),
            ("key", doc::key_json(key)),
            (
                "aliases",
                J::Arr(aliases.iter().map(|a| doc::alias_json(region, a)).collect()),
            ),
        ];
        if key.multi_region
            && let Some(set) = self.store.multi_region(&id)
        {
            root.push(("multi_region", doc::multi_region_json(None, set)));
        }
        Ok(json::write(&J::Obj(root)))
    }

    /// Adds the key of a key blob (in the Region it names) with its aliases. Ciphertexts,
    /// signatures and MACs made with the key before its export work with it again.
    ///
    /// For a multi-Region key, the blob's topology is stored when this KMS has none for the
    /// key ID, and must equal this KMS's otherwise; importing the blobs of a primary and its
    /// replicas one by one rebuilds the multi-Region key.
    ///
    /// # Errors
    /// `AlreadyExistsException` when the key ID exists in that Region (or, for a
    /// single-Region key, in any Region) or one of the aliases exists; `ValidationException`
    /// naming the field for anything malformed; nothing is changed on error.
    pub fn import_key_blob(&mut self, key_blob: &[u8]) -> Result<KeyMetadata> {
        doc::check_header(key_blob, KEY_FORMAT)?;
        let d: KeyBlobDoc = parse(KEY_FORMAT, key_blob)?;
        let mut key = doc::key_record("key", d.key)?;
        // A key moved to another account with its old account's default policy gets the new
        // account's, so the new root can use it; any other policy is kept as it is.
        if let Some(old) = super::keys::default_policy_account(&self.partition, &key.policy)
            && old != self.account
        {
            key.policy = super::keys::default_policy(&self.partition, &self.account);
        }
        let mut names = BTreeSet::new();
        names.insert((key.region.clone(), key.id.clone()));
        let aliases = check_aliases(&d.aliases, &names, "aliases")?;
        let set = match (&d.multi_region, key.multi_region) {
            (None, false) => None,
            (Some(_), false) => {
                return Err(bad(
                    "multi_region",
                    "only a multi-Region key has a multi-Region topology",
                ));
            }
            (None, true) => return Err(bad("multi_region", "is required for a multi-Region key")),
            (Some(m), true) => {
                if m.key_id.as_ref().is_some_and(|id| *id != key.id) {
                    return Err(bad("multi_region.key_id", "is not the key's ID"));
                }
                let set = doc::multi_region_set("multi_region", m)?;
                if !doc::set_has(&set, &key.region) {
                    return Err(bad(
                        "multi_region",
                        format_args!("does not name the key's Region {}", key.region),
                    ));
                }
                Some(set)
            }
        };
        if self.store.key(&key.region, &key.id).is_some() {
            return Err(already_exists(format!(
                "Key '{}' already exists",
                self.key_arn(&key.region, &key.id)
            )));
        }
        if !key.multi_region {
            for region in self.store.regions() {
                if self.store.key(&region, &key.id).is_some() {
                    return Err(already_exists(format!(
                        "Key '{}' already exists",
                        self.key_arn(&region, &key.id)
                    )));
                }
            }
        }
        if let Some(set) = &set
            && let Some(existing) = self.store.multi_region(&key.id)
            && existing != set
        {
            return Err(bad(
                "multi_region",
                format_args!(
                    "differs from the topology of {} in this KMS (primary {}, replicas [{}])",
                    key.id,
                    existing.primary,
                    existing.replicas.join(", ")
                ),
            ));
        }
        for (region, a) in &aliases {
            if self.store.alias(region, &a.name).is_some() {
                return Err(already_exists(format!(
                    "An alias with the name {} already exists",
                    self.alias_arn(region, &a.name)
                )));
            }
        }
        for (region, a) in aliases {
            self.store.put_alias(&region, a);
        }
        if let Some(set) = set {
            self.store.set_multi_region(&key.id, Some(set));
        }
        let metadata = self.metadata(&key);
        self.store.put_key(key);
        Ok(metadata)
    }

    /// A KMS made from a seed file (docs/formats.md, "Seed file"): keys of fixed IDs with
    /// aliases and optional supplied material. Keys without material get generated material
    /// (repeatable in deterministic mode). `AccountId`, `Partition` and `Region` in the file
    /// replace those of `config`.
    ///
    /// # Errors
    /// `ValidationException` naming the field (for example `Keys[2].Material`) for anything
    /// malformed; the KMS exception where CreateKey or CreateAlias has one for the same check
    /// (`MalformedPolicyDocumentException`, `TagException`, `InvalidAliasNameException`,
    /// `AlreadyExistsException`, `LimitExceededException`, `UnsupportedOperationException`).
    pub fn from_seed(config: KmsConfig, seed_json: &[u8]) -> Result<Kms> {
        seed::build(config, seed_json)
    }
}
