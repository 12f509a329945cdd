//! Key rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
//! RotateKeyOnDemand, ListKeyRotations (Developer Guide "Rotating AWS KMS keys").
//!
//! Only symmetric encryption keys with origin AWS_KMS rotate. Rotation appends a material
//! version and never drops one, so every ciphertext stays decryptable; Encrypt uses the newest.
//! Automatic rotation happens one period after it was enabled, then every period (the local
//! clock decides; see [`Kms::tick`]).

use super::ids::Accept;
use super::model::{KeyState, Origin, RotationType};
use super::shapes::{
    Empty, EnableKeyRotationRequest, GetKeyRotationStatusResponse, KeyIdRequest, KeyIdResponse,
    ListKeyRotationsResponse, ListRequest, RotationsListEntry,
};
use super::state::Op;
use super::{DAY_MS, Kms};
use crate::error::{Error, ErrorCode, Result};
use crate::spec::KeySpec;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

/// The most on-demand rotations per key.
pub(crate) const MAX_ON_DEMAND: u32 = 10;

impl Kms {
    fn rotatable(
        &self,
        region: &str,
        key_id: &str,
        op: Op,
    ) -> Result<(alloc::string::String, alloc::string::String)> {
        let id = self.resolve(region, key_id, Accept::Key)?;
        let arn = self.key_arn(region, &id);
        let key = self.key(region, &id)?;
        if key.spec != KeySpec::SymmetricDefault {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{arn} is a {} key; only symmetric encryption keys rotate",
                    key.spec
                ),
            ));
        }
        if key.origin != Origin::AwsKms {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{arn} origin is {} which is not valid for this operation.",
                    key.origin
                ),
            ));
        }
        if op != Op::Any {
            super::state::check(op, key, &arn)?;
        }
        if let Some(set) = self.store.multi_region(&id)
            && set.primary != region
            && op != Op::Any
        {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{arn} is a multi-Region replica; manage rotation on the primary key in {}",
                    set.primary
                ),
            ));
        }
        Ok((id, arn))
    }

    /// EnableKeyRotation (RotationPeriodInDays 90–2560, default 365). The first rotation is one
    /// period from now.
    ///
    /// # Errors
    /// `ValidationException` for the period; `UnsupportedOperationException` for keys that do
    /// not rotate; state exceptions.
    pub fn enable_key_rotation(
        &mut self,
        region: &str,
        req: EnableKeyRotationRequest,
    ) -> Result<Empty> {
        let days = req.rotation_period_in_days.unwrap_or(365);
        if !(90..=2560).contains(&days) {
            return Err(Error::validation(format!(
                "RotationPeriodInDays must be 90 to 2560, got {days}"
            )));
        }
        let (id, _) = self.rotatable(region, &req.key_id, Op::ChangeRotation)?;
        let now = self.now_ms();
        let key = self.key_mut(region, &id)?;
        key.rotation.enabled = true;
        key.rotation.period_days = days;
        key.rotation.next_ms = Some(now + i64::from(days) * DAY_MS);
        self.sync_rotation(region, &id)?;
        Ok(Empty {})
    }

    /// DisableKeyRotation.
    ///
    /// # Errors
    /// As [`Kms::enable_key_rotation`].
    pub fn disable_key_rotation(&mut self, region: &str, req: KeyIdRequest) -> Result<Empty> {
        let (id, _) = self.rotatable(region, &req.key_id, Op::ChangeRotation)?;
        let key = self.key_mut(region, &id)?;
        key.rotation.enabled = false;
        key.rotation.next_ms = None;
        self.sync_rotation(region, &id)?;
        Ok(Empty {})
    }

    /// Copies the primary's rotation settings to its replicas (a shared property).
    fn sync_rotation(&mut self, region: &str, id: &str) -> Result<()> {
        let Some(set) = self.store.multi_region(id).cloned() else {
            return Ok(());
        };
        let rotation = self.key(region, id)?.rotation.clone();
        for r in set.replicas {
            if let Some(k) = self.store.key_mut(&r, id) {
                k.rotation = rotation.clone();
            }
        }
        Ok(())
    }

    /// GetKeyRotationStatus.
    ///
    /// # Errors
    /// `UnsupportedOperationException` for keys that do not rotate.
    pub fn get_key_rotation_status(
        &self,
        region: &str,
        req: KeyIdRequest,
    ) -> Result<GetKeyRotationStatusResponse> {
        let (id, arn) = self.rotatable(region, &req.key_id, Op::Any)?;
        let key = self.key(region, &id)?;
        let enabled = key.rotation.enabled && key.state != KeyState::PendingDeletion;
        Ok(GetKeyRotationStatusResponse {
            key_rotation_enabled: enabled,
            key_id: arn,
            rotation_period_in_days: enabled.then_some(key.rotation.period_days),
            next_rotation_date: if enabled { key.rotation.next_ms } else { None },
            on_demand_rotation_start_date: None,
        })
    }

    /// RotateKeyOnDemand: at most 10 per key; independent of the automatic schedule.
    ///
    /// # Errors
    /// `LimitExceededException` after 10; as [`Kms::enable_key_rotation`] otherwise.
    pub fn rotate_key_on_demand(
        &mut self,
        region: &str,
        req: KeyIdRequest,
    ) -> Result<KeyIdResponse> {
        let (id, arn) = self.rotatable(region, &req.key_id, Op::ChangeRotation)?;
        if self.key(region, &id)?.rotation.on_demand_count >= MAX_ON_DEMAND {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!("{arn} has been rotated on demand {MAX_ON_DEMAND} times, the most allowed"),
            ));
        }
        self.rotate_now(region, &id, RotationType::OnDemand)?;
        self.key_mut(region, &id)?.rotation.on_demand_count += 1;
        // replicas share the count (`rotate_now` copied the new version to them)
        if let Some(set) = self.store.multi_region(&id).cloned() {
            for r in set.replicas {
                if let Some(k) = self.store.key_mut(&r, &id) {
                    k.rotation.on_demand_count += 1;
                }
            }
        }
        Ok(KeyIdResponse { key_id: arn })
    }

    /// ListKeyRotations: the completed rotations, oldest first (paged; Limit 1–1000, default 100).
    ///
    /// # Errors
    /// `UnsupportedOperationException` for keys that do not rotate; `InvalidMarkerException`.
    pub fn list_key_rotations(
        &self,
        region: &str,
        req: ListRequest,
    ) -> Result<ListKeyRotationsResponse> {
        let key_id = req
            .key_id
            .as_deref()
            .ok_or_else(|| Error::validation("KeyId is required"))?;
        let (id, arn) = self.rotatable(region, key_id, Op::Any)?;
        let all: Vec<RotationsListEntry> = self
            .key(region, &id)?
            .materials
            .iter()
            .filter_map(|m| {
                m.rotation.map(|kind| RotationsListEntry {
                    key_id: arn.clone(),
                    rotation_date: m.created_ms,
                    rotation_type: kind.as_str().to_string(),
                    key_material_id: super::keys::hex_id(&m.id),
                })
            })
            .collect();
        let (rotations, next_marker) =
            super::keys::page(all, req.limit, req.marker.as_deref(), 100, 1000)?;
        Ok(ListKeyRotationsResponse {
            truncated: next_marker.is_some(),
            rotations,
            next_marker,
        })
    }
}
