//! Where the local KMS keeps its keys: a [`KeyStore`] trait and the in-memory [`MemoryStore`].
//!
//! The engine reads and writes whole records through this trait, so a durable store (a file,
//! a database) can replace the in-memory one without touching any operation.

use super::model::{AliasRecord, KeyRecord, MultiRegionSet};
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Debug;

/// Storage of key records, aliases and multi-Region topology, per Region.
pub trait KeyStore: Send + Debug {
    /// The key `id` in `region`.
    fn key(&self, region: &str, id: &str) -> Option<&KeyRecord>;
    /// The key `id` in `region`, for changing it.
    fn key_mut(&mut self, region: &str, id: &str) -> Option<&mut KeyRecord>;
    /// Stores (or replaces) a key.
    fn put_key(&mut self, key: KeyRecord);
    /// Removes a key, returning it.
    fn remove_key(&mut self, region: &str, id: &str) -> Option<KeyRecord>;
    /// Every key ID in `region`, in a stable order.
    fn key_ids(&self, region: &str) -> Vec<String>;
    /// Every Region that has keys or aliases.
    fn regions(&self) -> Vec<String>;
    /// The alias `name` in `region`.
    fn alias(&self, region: &str, name: &str) -> Option<&AliasRecord>;
    /// Stores (or replaces) an alias.
    fn put_alias(&mut self, region: &str, alias: AliasRecord);
    /// Removes an alias.
    fn remove_alias(&mut self, region: &str, name: &str) -> Option<AliasRecord>;
    /// Every alias in `region`, by name.
    fn aliases(&self, region: &str) -> Vec<AliasRecord>;
    /// The topology of the multi-Region key `id`.
    fn multi_region(&self, id: &str) -> Option<&MultiRegionSet>;
    /// Stores (or, with `None`, removes) the topology of a multi-Region key.
    fn set_multi_region(&mut self, id: &str, set: Option<MultiRegionSet>);
}

#[derive(Clone, Debug, Default)]
struct Region {
    keys: BTreeMap<String, KeyRecord>,
    aliases: BTreeMap<String, AliasRecord>,
}

/// The in-memory store.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    regions: BTreeMap<String, Region>,
    multi_region: BTreeMap<String, MultiRegionSet>,
}

impl KeyStore for MemoryStore {
    fn key(&self, region: &str, id: &str) -> Option<&KeyRecord> {
        self.regions.get(region)?.keys.get(id)
    }

    fn key_mut(&mut self, region: &str, id: &str) -> Option<&mut KeyRecord> {
        self.regions.get_mut(region)?.keys.get_mut(id)
    }

    fn put_key(&mut self, key: KeyRecord) {
        let region = self.regions.entry(key.region.clone()).or_default();
        region.keys.insert(key.id.clone(), key);
    }

    fn remove_key(&mut self, region: &str, id: &str) -> Option<KeyRecord> {
        self.regions.get_mut(region)?.keys.remove(id)
    }

    fn key_ids(&self, region: &str) -> Vec<String> {
        self.regions
            .get(region)
            .map(|r| r.keys.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn regions(&self) -> Vec<String> {
        self.regions.keys().cloned().collect()
    }

    fn alias(&self, region: &str, name: &str) -> Option<&AliasRecord> {
        self.regions.get(region)?.aliases.get(name)
    }

    fn put_alias(&mut self, region: &str, alias: AliasRecord) {
        let r = self.regions.entry(region.to_string()).or_default();
        r.aliases.insert(alias.name.clone(), alias);
    }

    fn remove_alias(&mut self, region: &str, name: &str) -> Option<AliasRecord> {
        self.regions.get_mut(region)?.aliases.remove(name)
    }

    fn aliases(&self, region: &str) -> Vec<AliasRecord> {
        self.regions
            .get(region)
            .map(|r| r.aliases.values().cloned().collect())
            .unwrap_or_default()
    }

    fn multi_region(&self, id: &str) -> Option<&MultiRegionSet> {
        self.multi_region.get(id)
    }

    fn set_multi_region(&mut self, id: &str, set: Option<MultiRegionSet>) {
        match set {
            Some(s) => {
                self.multi_region.insert(id.to_string(), s);
            }
            None => {
                self.multi_region.remove(id);
            }
        }
    }
}
