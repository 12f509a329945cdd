//! Multi-Region keys between the Regions of one account: ReplicateKey, UpdatePrimaryRegion,
//! and the upkeep that keeps related keys related (shared material versions, deletion of a
//! primary after its replicas).
//!
//! Related multi-Region keys share their key ID, every key-material version, key spec, key
//! usage, origin and rotation settings; each has its own description, key policy, tags,
//! enabled state, aliases and grants. The topology (which Region is primary, which hold
//! replicas) is one [`MultiRegionSet`] per key ID in the store, so every related key's
//! `MultiRegionConfiguration` shows the same picture.
//!
//! Timing. In AWS KMS a new replica is `Creating` for a few seconds before it becomes `Enabled`
//! (or `PendingImport`), and UpdatePrimaryRegion leaves both keys `Updating` for a few seconds.
//! The local KMS has no replication lag: ReplicateKey returns the replica already `Enabled` (or
//! `PendingImport`) and UpdatePrimaryRegion swaps the roles before it returns. The transient
//! states are therefore never observable here and are not simulated (the state table still
//! knows them, for records that arrive in those states).

use super::ids::Accept;
use super::model::{KeyManager, KeyRecord, KeyState, MultiRegionSet, Origin};
use super::shapes::{
    Empty, ReplicateKeyRequest, ReplicateKeyResponse, Tag, UpdatePrimaryRegionRequest,
};
use super::state::{self, Op};
use super::{DAY_MS, Kms};
use crate::error::{Error, ErrorCode, Result};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

fn unsupported(message: String) -> Error {
    Error::new(ErrorCode::UnsupportedOperationException, message)
}

impl Kms {
    /// The topology of `id` when the key `id` in `region` is its primary.
    ///
    /// # Errors
    /// `UnsupportedOperationException` for a single-Region key or a replica.
    fn primary_set(&self, region: &str, id: &str, what: &str) -> Result<MultiRegionSet> {
        let arn = self.key_arn(region, id);
        let key = self.key(region, id)?;
        let set = match self.store.multi_region(id) {
            Some(set) if key.multi_region => set,
            _ => {
                return Err(unsupported(format!(
                    "{arn} is not a multi-Region key; {what}"
                )));
            }
        };
        if set.primary != region {
            return Err(unsupported(format!(
                "{arn} is a multi-Region replica key; {what} (the primary key is in {})",
                set.primary
            )));
        }
        Ok(set.clone())
    }

    /// Whether the key `id` in `region` is a multi-Region replica (not the primary).
    pub(crate) fn is_replica(&self, region: &str, id: &str) -> bool {
        self.store
            .multi_region(id)
            .is_some_and(|set| set.primary != region)
    }

    /// ReplicateKey: creates a replica of the multi-Region primary key `KeyId` (called in the
    /// primary's Region) in `ReplicaRegion`.
    ///
    /// The replica has the primary's key ID, every material version (so it decrypts
    /// ciphertext made by any related key, including ciphertext older than the replica), spec,
    /// usage, origin and rotation settings; its description, policy (the default key policy
    /// when none is given) and tags come from the request. It is `Enabled` when the call
    /// returns — or `PendingImport`, without material, when the primary's origin is EXTERNAL:
    /// KMS never copies imported material, which must be imported into each replica; the
    /// replica remembers the digest of the primary's material so that only the same material
    /// can be imported into it.
    ///
    /// # Errors
    /// - `ValidationException` for a malformed `ReplicaRegion` or description;
    ///   `MalformedPolicyDocumentException`, `LimitExceededException`, `TagException` for the
    ///   policy and tags;
    /// - `NotFoundException` when `KeyId` is not a key of this Region;
    /// - `UnsupportedOperationException` when the key is not multi-Region or is a replica;
    /// - `DisabledException`, `KMSInvalidStateException` when the primary is not usable
    ///   (disabled, pending deletion, pending import);
    /// - `AlreadyExistsException` when `ReplicaRegion` already holds a related key (the
    ///   primary, or a replica — also one pending deletion: cancel its deletion or wait).
    pub fn replicate_key(
        &mut self,
        region: &str,
        req: ReplicateKeyRequest,
    ) -> Result<ReplicateKeyResponse> {
        super::check_region(&req.replica_region)?;
        let description = req.description.clone().unwrap_or_default();
        if description.chars().count() > super::keys::MAX_DESCRIPTION {
            return Err(Error::validation(format!(
                "Description must be at most {} characters",
                super::keys::MAX_DESCRIPTION
            )));
        }
        let policy = match req.policy.clone() {
            Some(p) => {
                super::keys::check_policy(&p)?;
                p
            }
            None => super::keys::default_policy(&self.partition, &self.account),
        };
        let tags = super::tags::validate(req.tags.as_deref().unwrap_or(&[]), &BTreeMap::new())?;

        let id = self.resolve(region, &req.key_id, Accept::Key)?;
        let mut set = self.primary_set(
            region,
            &id,
            "only a multi-Region primary key can be replicated",
        )?;
        let arn = self.key_arn(region, &id);
        let primary = self.key(region, &id)?;
        state::check(Op::ReplicateKey, primary, &arn)?;
        let target = req.replica_region.as_str();
        if target == set.primary
            || set.replicas.iter().any(|r| r == target)
            || self.store.key(target, &id).is_some()
        {
            return Err(Error::new(
                ErrorCode::AlreadyExistsException,
                format!(
                    "{} already exists: Region {target} already has a key related to {arn}",
                    self.key_arn(target, &id)
                ),
            ));
        }

        let external = primary.origin == Origin::External;
        let record = KeyRecord {
            id: id.clone(),
            region: target.to_string(),
            created_ms: self.now_ms(),
            description,
            spec: primary.spec,
            usage: primary.usage,
            origin: primary.origin,
            manager: KeyManager::Customer,
            state: if external {
                KeyState::PendingImport
            } else {
                KeyState::Enabled
            },
            deletion_ms: None,
            pending_window_days: None,
            policy,
            tags,
            rotation: primary.rotation.clone(),
            materials: if external {
                Vec::new()
            } else {
                primary.materials.clone()
            },
            imported: None,
            imported_digest: primary.imported_digest,
            import_parameters: Vec::new(),
            grants: Vec::new(),
            multi_region: true,
        };
        set.replicas.push(target.to_string());
        self.store.set_multi_region(&id, Some(set));
        let metadata = self.metadata(&record);
        let replica_policy = record.policy.clone();
        let replica_tags = record
            .tags
            .iter()
            .map(|(k, v)| Tag {
                tag_key: k.clone(),
                tag_value: v.clone(),
            })
            .collect();
        self.store.put_key(record);
        Ok(ReplicateKeyResponse {
            replica_key_metadata: metadata,
            replica_policy,
            replica_tags,
        })
    }

    /// UpdatePrimaryRegion: the replica in `PrimaryRegion` becomes the primary and the primary
    /// `KeyId` (called in its Region) becomes a replica. Key IDs, ARNs, material and the
    /// independent properties of both keys do not change; every related key's
    /// `MultiRegionConfiguration` shows the new primary. The swap is complete when the call
    /// returns (no `Updating` state; see the module documentation).
    ///
    /// # Errors
    /// - `ValidationException` for a malformed `PrimaryRegion`;
    /// - `NotFoundException` when `KeyId` is not a key of this Region, or `PrimaryRegion` holds
    ///   no replica of it;
    /// - `UnsupportedOperationException` when the key is not multi-Region or is a replica, or
    ///   `PrimaryRegion` is already the primary Region;
    /// - `DisabledException`, `KMSInvalidStateException` unless both keys are `Enabled` (or
    ///   `Updating`).
    pub fn update_primary_region(
        &mut self,
        region: &str,
        req: UpdatePrimaryRegionRequest,
    ) -> Result<Empty> {
        super::check_region(&req.primary_region)?;
        let id = self.resolve(region, &req.key_id, Accept::Key)?;
        let mut set = self.primary_set(
            region,
            &id,
            "UpdatePrimaryRegion must be called on the current primary key",
        )?;
        let arn = self.key_arn(region, &id);
        let target = req.primary_region.as_str();
        if target == set.primary {
            return Err(unsupported(format!(
                "{arn} is already the primary key; PrimaryRegion must be a Region with a replica key"
            )));
        }
        let slot = set.replicas.iter().position(|r| r == target);
        let (Some(slot), Some(replica)) = (slot, self.store.key(target, &id)) else {
            return Err(Error::new(
                ErrorCode::NotFoundException,
                format!("Region {target} has no replica key of {arn}"),
            ));
        };
        state::check(Op::UpdatePrimaryRegion, self.key(region, &id)?, &arn)?;
        state::check(Op::UpdatePrimaryRegion, replica, &self.key_arn(target, &id))?;
        // the old primary takes the new primary's place in the replica list
        set.replicas[slot] = set.primary.clone();
        set.primary = target.to_string();
        self.store.set_multi_region(&id, Some(set));
        Ok(Empty {})
    }

    /// After `rotate_now` appended a version to the key `id` in `region`: when that key is a
    /// multi-Region primary, copies the version (and the next automatic rotation date) to every
    /// replica, so that related keys keep identical material.
    pub(crate) fn share_new_version(&mut self, region: &str, id: &str) -> Result<()> {
        let Some(set) = self.store.multi_region(id).cloned() else {
            return Ok(());
        };
        if set.primary != region {
            return Ok(());
        }
        let key = self.key(region, id)?;
        let (Some(version), next_ms) = (key.current().cloned(), key.rotation.next_ms) else {
            return Ok(());
        };
        for r in &set.replicas {
            if let Some(replica) = self.store.key_mut(r, id)
                && !replica.materials.iter().any(|m| m.id == version.id)
            {
                replica.materials.push(version.clone());
                replica.rotation.next_ms = next_ms;
            }
        }
        Ok(())
    }

    /// After the key `id` in `region` was deleted (its deletion was due at `at`): removes it
    /// from its multi-Region set. When it was the last replica of a primary waiting in
    /// `PendingReplicaDeletion`, the primary's waiting period starts then: it becomes
    /// `PendingDeletion` with `DeletionDate` = `at` + its window (and is deleted at once if the
    /// clock is already past that).
    pub(crate) fn forget_deleted_key(&mut self, region: &str, id: &str, at: i64) -> Result<()> {
        let Some(mut set) = self.store.multi_region(id).cloned() else {
            return Ok(());
        };
        if set.primary == region {
            // A primary is only ever deleted without replicas (with replicas it waits in
            // PendingReplicaDeletion, which has no DeletionDate). Should a store hold a deleted
            // primary with replicas anyway, the first replica takes over rather than leaving
            // them pointing at a key that no longer exists.
            if set.replicas.is_empty() {
                self.store.set_multi_region(id, None);
            } else {
                set.primary = set.replicas.remove(0);
                self.store.set_multi_region(id, Some(set));
            }
            return Ok(());
        }
        set.replicas.retain(|r| r != region);
        let last = set.replicas.is_empty();
        let primary_region = set.primary.clone();
        self.store.set_multi_region(id, Some(set));
        if !last {
            return Ok(());
        }
        let Some(primary) = self.store.key_mut(&primary_region, id) else {
            return Ok(());
        };
        if primary.state != KeyState::PendingReplicaDeletion {
            return Ok(());
        }
        let days = primary.pending_window_days.unwrap_or(30);
        let due = at.saturating_add(i64::from(days) * DAY_MS);
        primary.state = KeyState::PendingDeletion;
        primary.deletion_ms = Some(due);
        if due <= self.now_ms() {
            self.delete_key_now(&primary_region, id, due)?;
        }
        Ok(())
    }
}
