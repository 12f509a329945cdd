//! Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey,
//! UpdateKeyDescription, ScheduleKeyDeletion, CancelKeyDeletion, and KeyMetadata.

use super::ids::Accept;
use super::model::{
    KeyManager, KeyMaterial, KeyRecord, KeyState, MaterialVersion, MultiRegionKeyType, Origin,
    Rotation,
};
use super::shapes::{
    CreateKeyRequest, Empty, KeyIdRequest, KeyIdResponse, KeyListEntry, KeyMetadata,
    KeyMetadataResponse, ListKeysResponse, ListRequest, MultiRegionConfiguration, MultiRegionKey,
    ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse, UpdateKeyDescriptionRequest,
};
use super::state::Op;
use super::{DAY_MS, Kms};
use crate::error::{Error, ErrorCode, Result};
use crate::secret::Secret;
use crate::spec::{KeyFamily, KeySpec, KeyUsage, names};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The longest key policy KMS accepts (bytes).
/// The longest description (characters).
pub(crate) const MAX_DESCRIPTION: usize = 8192;

/// The key policy KMS installs when CreateKey has none (`key-default-1`): the account's root
/// may do everything, which also enables IAM policies for the key.
pub(crate) fn default_policy(partition: &str, account: &str) -> String {
    format!(
        r#"{{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {{
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {{
      "AWS" : "arn:{partition}:iam::{account}:root"
    }},
    "Action" : "kms:*",
    "Resource" : "*"
  }} ]
}}"#
    )
}

/// The account whose default key policy `policy` is, byte for byte, if it is one.
pub(crate) fn default_policy_account<'a>(partition: &str, policy: &'a str) -> Option<&'a str> {
    let start = policy.find(&format!("arn:{partition}:iam::"))? + partition.len() + 10;
    let account = policy.get(start..start + 12)?;
    (default_policy(partition, account) == policy).then_some(account)
}

/// Checks a key policy document's size and that it is a JSON object (the policy language
/// itself is checked by the authorization layer).
///
/// # Errors
/// `LimitExceededException` over 32 KB; `MalformedPolicyDocumentException` for non-JSON.
pub(crate) fn check_policy(policy: &str) -> Result<()> {
    crate::policy::Policy::parse(policy, crate::policy::PolicyKind::Key).map(|_| ())
}

fn check_description(d: &str) -> Result<()> {
    if d.chars().count() > MAX_DESCRIPTION {
        return Err(Error::validation(format!(
            "Description must be at most {MAX_DESCRIPTION} characters"
        )));
    }
    Ok(())
}

impl Kms {
    /// KeyMetadata as DescribeKey returns it.
    pub(crate) fn metadata(&self, key: &KeyRecord) -> KeyMetadata {
        let info = key.spec.info();
        let list = |usage: KeyUsage, v: alloc::vec::Vec<String>| (key.usage == usage).then_some(v);
        let multi_region_configuration = key.multi_region.then(|| {
            self.store
                .multi_region(&key.id)
                .map(|set| MultiRegionConfiguration {
                    multi_region_key_type: if set.primary == key.region {
                        MultiRegionKeyType::Primary
                    } else {
                        MultiRegionKeyType::Replica
                    }
                    .as_str()
                    .to_string(),
                    primary_key: MultiRegionKey {
                        arn: self.key_arn(&set.primary, &key.id),
                        region: set.primary.clone(),
                    },
                    replica_keys: set
                        .replicas
                        .iter()
                        .map(|r| MultiRegionKey {
                            arn: self.key_arn(r, &key.id),
                            region: r.clone(),
                        })
                        .collect(),
                })
        });
        KeyMetadata {
            aws_account_id: self.account.clone(),
            key_id: key.id.clone(),
            arn: self.key_arn(&key.region, &key.id),
            creation_date: key.created_ms,
            enabled: key.state == KeyState::Enabled,
            description: key.description.clone(),
            key_usage: key.usage.as_str().to_string(),
            key_state: key.state.as_str().to_string(),
            deletion_date: key.deletion_ms,
            valid_to: key.imported.as_ref().and_then(|i| i.valid_to_ms),
            origin: key.origin.as_str().to_string(),
            expiration_model: key
                .imported
                .as_ref()
                .map(|i| i.expiration_model.as_str().to_string()),
            key_manager: key.manager.as_str().to_string(),
            customer_master_key_spec: key.spec.as_str().to_string(),
            key_spec: key.spec.as_str().to_string(),
            encryption_algorithms: list(
                KeyUsage::EncryptDecrypt,
                names(info.encryption, |a| a.as_str()),
            ),
            signing_algorithms: list(KeyUsage::SignVerify, names(info.signing, |a| a.as_str())),
            key_agreement_algorithms: list(
                KeyUsage::KeyAgreement,
                names(info.key_agreement, |a| a.as_str()),
            ),
            mac_algorithms: list(KeyUsage::GenerateVerifyMac, names(info.mac, |a| a.as_str())),
            encapsulation_algorithms: list(
                KeyUsage::EncapsulateDecapsulate,
                names(info.key_encapsulation, |a| a.as_str()),
            ),
            multi_region: key.multi_region,
            multi_region_configuration: multi_region_configuration.flatten(),
            // Only a primary waiting for its replicas shows its window (DescribeKey reference).
            pending_deletion_window_in_days: (key.state == KeyState::PendingReplicaDeletion)
                .then_some(key.pending_window_days)
                .flatten(),
            current_key_material_id: key.current().map(|m| hex_id(&m.id)),
        }
    }

    /// New key material for `spec`.
    pub(crate) fn new_material(&mut self, spec: KeySpec) -> Result<KeyMaterial> {
        Ok(match spec.info().family {
            KeyFamily::Symmetric | KeyFamily::Hmac => {
                KeyMaterial::Secret(Secret::new(self.random_vec(spec.info().bits as usize / 8)?))
            }
            _ => KeyMaterial::Pair(self.generate_pair(spec)?),
        })
    }

    /// CreateKey.
    ///
    /// # Errors
    /// `ValidationException` for invalid or incompatible parameters; `UnsupportedOperationException`
    /// for custom key stores; `MalformedPolicyDocumentException`, `LimitExceededException`,
    /// `TagException` for the policy and tags.
    pub fn create_key(
        &mut self,
        region: &str,
        req: CreateKeyRequest,
    ) -> Result<KeyMetadataResponse> {
        let spec_name = match (&req.key_spec, &req.customer_master_key_spec) {
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "specify KeySpec or CustomerMasterKeySpec (deprecated), not both",
                ));
            }
            (Some(s), None) | (None, Some(s)) => s.as_str(),
            (None, None) => "SYMMETRIC_DEFAULT",
        };
        let spec = KeySpec::parse(spec_name)?;
        let usage = match &req.key_usage {
            Some(u) => KeyUsage::parse(u)?,
            None if spec == KeySpec::SymmetricDefault => KeyUsage::EncryptDecrypt,
            None => {
                return Err(Error::validation(format!(
                    "KeyUsage is required for {spec} keys"
                )));
            }
        };
        if !spec.allows_usage(usage) {
            let allowed = names(spec.info().usages, |u| u.as_str());
            return Err(Error::validation(format!(
                "KeyUsage {usage} is not valid for KeySpec {spec}; valid: {}",
                allowed.join(", ")
            )));
        }
        let origin = match &req.origin {
            Some(o) => Origin::parse(o)?,
            None => Origin::AwsKms,
        };
        if matches!(origin, Origin::AwsCloudhsm | Origin::ExternalKeyStore)
            || req.custom_key_store_id.is_some()
        {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                "custom key stores (AWS_CLOUDHSM, EXTERNAL_KEY_STORE) are not available in the local KMS",
            ));
        }
        if req.xks_key_id.is_some() {
            return Err(Error::validation(
                "XksKeyId applies only to external key stores",
            ));
        }
        let description = req.description.clone().unwrap_or_default();
        check_description(&description)?;
        let policy = match req.policy.clone() {
            Some(p) => {
                check_policy(&p)?;
                p
            }
            None => default_policy(&self.partition, &self.account),
        };
        let tags = super::tags::validate(req.tags.as_deref().unwrap_or(&[]), &BTreeMap::new())?;
        let multi_region = req.multi_region.unwrap_or(false);
        // Keys brought in from elsewhere (key blobs, snapshots of a same-seed Kms) may hold
        // the ID the generator would draw next: draw again rather than overwrite them.
        let id = loop {
            let id = super::ids::key_id_from(self.random_bytes::<16>()?, multi_region);
            if self.store.key(region, &id).is_none() && self.store.multi_region(&id).is_none() {
                break id;
            }
        };
        let now = self.now_ms();
        let (state, materials) = if origin == Origin::External {
            (KeyState::PendingImport, Vec::new())
        } else {
            let material = self.new_material(spec)?;
            let version = MaterialVersion {
                id: self.random_bytes::<32>()?,
                created_ms: now,
                rotation: None,
                material,
            };
            (KeyState::Enabled, alloc::vec![version])
        };
        let record = KeyRecord {
            id: id.clone(),
            region: region.to_string(),
            created_ms: now,
            description,
            spec,
            usage,
            origin,
            manager: KeyManager::Customer,
            state,
            deletion_ms: None,
            pending_window_days: None,
            policy,
            tags,
            rotation: Rotation {
                period_days: 365,
                ..Rotation::default()
            },
            materials,
            imported: None,
            imported_digest: None,
            import_parameters: Vec::new(),
            grants: Vec::new(),
            multi_region,
        };
        if multi_region {
            self.store.set_multi_region(
                &id,
                Some(super::model::MultiRegionSet {
                    primary: region.to_string(),
                    replicas: Vec::new(),
                }),
            );
        }
        let metadata = self.metadata(&record);
        self.store.put_key(record);
        Ok(KeyMetadataResponse {
            key_metadata: metadata,
        })
    }

    /// DescribeKey.
    ///
    /// # Errors
    /// `NotFoundException` and the identifier errors.
    pub fn describe_key(&self, region: &str, req: KeyIdRequest) -> Result<KeyMetadataResponse> {
        let id = self.resolve(region, &req.key_id, Accept::KeyOrAlias)?;
        Ok(KeyMetadataResponse {
            key_metadata: self.metadata(self.key(region, &id)?),
        })
    }

    /// ListKeys (paged by `Limit` and `Marker`).
    ///
    /// # Errors
    /// `ValidationException` for a Limit outside 1–1000; `InvalidMarkerException`.
    pub fn list_keys(&self, region: &str, req: ListRequest) -> Result<ListKeysResponse> {
        let all: Vec<KeyListEntry> = self
            .store
            .key_ids(region)
            .into_iter()
            .map(|id| KeyListEntry {
                key_arn: self.key_arn(region, &id),
                key_id: id,
            })
            .collect();
        let (keys, next_marker) = page(all, req.limit, req.marker.as_deref(), 100, 1000)?;
        Ok(ListKeysResponse {
            truncated: next_marker.is_some(),
            keys,
            next_marker,
        })
    }

    /// EnableKey.
    ///
    /// # Errors
    /// `KMSInvalidStateException` for pending deletion/import, creating or updating keys.
    pub fn enable_key(&mut self, region: &str, req: KeyIdRequest) -> Result<Empty> {
        let id = self.usable(region, &req.key_id, Accept::Key, Op::EnableDisable)?;
        let key = self.key_mut(region, &id)?;
        if key.state == KeyState::Disabled {
            key.state = KeyState::Enabled;
        }
        Ok(Empty {})
    }

    /// DisableKey.
    ///
    /// # Errors
    /// As [`Kms::enable_key`].
    pub fn disable_key(&mut self, region: &str, req: KeyIdRequest) -> Result<Empty> {
        let id = self.usable(region, &req.key_id, Accept::Key, Op::EnableDisable)?;
        let key = self.key_mut(region, &id)?;
        if key.state == KeyState::Enabled {
            key.state = KeyState::Disabled;
        }
        Ok(Empty {})
    }

    /// UpdateKeyDescription.
    ///
    /// # Errors
    /// `KMSInvalidStateException` for keys pending deletion; `ValidationException`.
    pub fn update_key_description(
        &mut self,
        region: &str,
        req: UpdateKeyDescriptionRequest,
    ) -> Result<Empty> {
        check_description(&req.description)?;
        let id = self.usable(region, &req.key_id, Accept::Key, Op::Modify)?;
        self.key_mut(region, &id)?.description = req.description;
        Ok(Empty {})
    }

    /// ScheduleKeyDeletion: 7–30 days (default 30). A multi-Region primary with replicas waits
    /// in PendingReplicaDeletion, without a DeletionDate, until its replicas are gone.
    ///
    /// # Errors
    /// `ValidationException` for a window outside 7–30; `KMSInvalidStateException`.
    pub fn schedule_key_deletion(
        &mut self,
        region: &str,
        req: ScheduleKeyDeletionRequest,
    ) -> Result<ScheduleKeyDeletionResponse> {
        let days = req.pending_window_in_days.unwrap_or(30);
        if !(7..=30).contains(&days) {
            return Err(Error::validation(format!(
                "PendingWindowInDays must be 7 to 30, got {days}"
            )));
        }
        let id = self.usable(region, &req.key_id, Accept::Key, Op::ScheduleDeletion)?;
        let has_replicas = self
            .store
            .multi_region(&id)
            .is_some_and(|set| set.primary == region && !set.replicas.is_empty());
        let now = self.now_ms();
        let arn = self.key_arn(region, &id);
        let key = self.key_mut(region, &id)?;
        key.pending_window_days = Some(days);
        key.rotation.enabled_before_deletion = Some(key.rotation.enabled);
        key.rotation.enabled = false;
        if has_replicas {
            key.state = KeyState::PendingReplicaDeletion;
            key.deletion_ms = None;
        } else {
            key.state = KeyState::PendingDeletion;
            key.deletion_ms = Some(now + i64::from(days) * DAY_MS);
        }
        Ok(ScheduleKeyDeletionResponse {
            key_id: arn,
            deletion_date: key.deletion_ms,
            key_state: key.state.as_str().to_string(),
            pending_window_in_days: days,
        })
    }

    /// CancelKeyDeletion: the key returns to Disabled; rotation returns to its earlier setting.
    ///
    /// # Errors
    /// `KMSInvalidStateException` when the key is not pending deletion.
    pub fn cancel_key_deletion(
        &mut self,
        region: &str,
        req: KeyIdRequest,
    ) -> Result<KeyIdResponse> {
        let id = self.usable(region, &req.key_id, Accept::Key, Op::CancelDeletion)?;
        let arn = self.key_arn(region, &id);
        let key = self.key_mut(region, &id)?;
        key.state = if key.materials.is_empty() && key.origin == Origin::External {
            KeyState::PendingImport
        } else {
            KeyState::Disabled
        };
        key.deletion_ms = None;
        key.pending_window_days = None;
        if let Some(enabled) = key.rotation.enabled_before_deletion.take() {
            key.rotation.enabled = enabled;
        }
        Ok(KeyIdResponse { key_id: arn })
    }
}

/// A material version ID as KMS prints KeyMaterialId: 64 lowercase hex digits.
pub(crate) fn hex_id(id: &[u8; 32]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Pages `items`: `marker` is the index to start at (as text); returns the page and the next
/// marker when there is more.
///
/// # Errors
/// `ValidationException` for a limit outside 1–`max`; `InvalidMarkerException` for a marker
/// that is not one this KMS issued.
pub(crate) fn page<T>(
    items: Vec<T>,
    limit: Option<u32>,
    marker: Option<&str>,
    default: u32,
    max: u32,
) -> Result<(Vec<T>, Option<String>)> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(Error::validation(format!(
            "Limit must be 1 to {max}, got {limit}"
        )));
    }
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|&i| i <= items.len())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidMarkerException,
                    format!("'{m}' is not a valid marker"),
                )
            })?,
    };
    let end = start.saturating_add(limit as usize).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((
        items.into_iter().skip(start).take(end - start).collect(),
        next,
    ))
}
