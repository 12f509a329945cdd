//! Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases (Developer Guide "Aliases").

use super::Kms;
use super::ids::{self, Accept};
use super::model::{AliasRecord, KeyManager};
use super::shapes::{
    AliasListEntry, AliasRequest, DeleteAliasRequest, Empty, ListAliasesResponse, ListRequest,
};
use super::state::Op;
use crate::error::{Error, ErrorCode, Result};
use crate::spec::KeyFamily;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

/// Aliases per key.
pub(crate) const MAX_ALIASES_PER_KEY: usize = 50;

fn kind(f: KeyFamily) -> &'static str {
    match f {
        KeyFamily::Symmetric => "symmetric",
        KeyFamily::Hmac => "HMAC",
        _ => "asymmetric",
    }
}

impl Kms {
    fn aliases_of(&self, region: &str, id: &str) -> usize {
        self.store
            .aliases(region)
            .iter()
            .filter(|a| a.target == id)
            .count()
    }

    /// CreateAlias.
    ///
    /// # Errors
    /// `ValidationException` / `InvalidAliasNameException` for the name; `AlreadyExistsException`;
    /// `NotFoundException`; `KMSInvalidStateException` (target pending deletion);
    /// `LimitExceededException` (50 aliases per key).
    pub fn create_alias(&mut self, region: &str, req: AliasRequest) -> Result<Empty> {
        ids::check_alias_name(&req.alias_name, true)?;
        let id = self.usable(region, &req.target_key_id, Accept::Key, Op::Modify)?;
        if self.key(region, &id)?.manager != KeyManager::Customer {
            return Err(Error::validation(
                "an alias can only point to a customer managed key",
            ));
        }
        if self.store.alias(region, &req.alias_name).is_some() {
            return Err(Error::new(
                ErrorCode::AlreadyExistsException,
                format!(
                    "An alias with the name {} already exists",
                    self.alias_arn(region, &req.alias_name)
                ),
            ));
        }
        if self.aliases_of(region, &id) >= MAX_ALIASES_PER_KEY {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!("a key can have at most {MAX_ALIASES_PER_KEY} aliases"),
            ));
        }
        let now = self.now_ms();
        self.store.put_alias(
            region,
            AliasRecord {
                name: req.alias_name,
                target: id,
                created_ms: now,
                updated_ms: now,
            },
        );
        Ok(Empty {})
    }

    /// UpdateAlias: points an alias at another key of the same type and key usage.
    ///
    /// # Errors
    /// `NotFoundException`; `ValidationException` when the keys differ in type or usage;
    /// `KMSInvalidStateException` when the new key is pending deletion.
    pub fn update_alias(&mut self, region: &str, req: AliasRequest) -> Result<Empty> {
        ids::check_alias_name(&req.alias_name, true)?;
        let alias = self
            .store
            .alias(region, &req.alias_name)
            .cloned()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFoundException,
                    format!(
                        "Alias {} is not found.",
                        self.alias_arn(region, &req.alias_name)
                    ),
                )
            })?;
        let new_id = self.usable(region, &req.target_key_id, Accept::Key, Op::Modify)?;
        let new = self.key(region, &new_id)?;
        if let Some(old) = self.store.key(region, &alias.target)
            && (kind(old.spec.info().family) != kind(new.spec.info().family)
                || old.usage != new.usage)
        {
            return Err(Error::validation(format!(
                "the alias points to a {} {} key; the new key must be of the same type and key usage, \
                     not a {} {} key",
                kind(old.spec.info().family),
                old.usage,
                kind(new.spec.info().family),
                new.usage
            )));
        }
        if self.aliases_of(region, &new_id) >= MAX_ALIASES_PER_KEY {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!("a key can have at most {MAX_ALIASES_PER_KEY} aliases"),
            ));
        }
        let now = self.now_ms();
        self.store.put_alias(
            region,
            AliasRecord {
                target: new_id,
                updated_ms: now,
                ..alias
            },
        );
        Ok(Empty {})
    }

    /// DeleteAlias.
    ///
    /// # Errors
    /// `NotFoundException`.
    pub fn delete_alias(&mut self, region: &str, req: DeleteAliasRequest) -> Result<Empty> {
        ids::check_alias_name(&req.alias_name, false)?;
        if self.store.remove_alias(region, &req.alias_name).is_none() {
            return Err(Error::new(
                ErrorCode::NotFoundException,
                format!(
                    "Alias {} is not found.",
                    self.alias_arn(region, &req.alias_name)
                ),
            ));
        }
        Ok(Empty {})
    }

    /// ListAliases, optionally of one key (paged; Limit 1–100, default 50).
    ///
    /// # Errors
    /// `NotFoundException` for an unknown KeyId; `InvalidMarkerException`.
    pub fn list_aliases(&self, region: &str, req: ListRequest) -> Result<ListAliasesResponse> {
        let only = match &req.key_id {
            Some(k) => Some(self.resolve(region, k, Accept::Key)?),
            None => None,
        };
        let all: Vec<AliasListEntry> = self
            .store
            .aliases(region)
            .into_iter()
            .filter(|a| only.as_ref().is_none_or(|id| &a.target == id))
            .map(|a| AliasListEntry {
                alias_arn: self.alias_arn(region, &a.name),
                alias_name: a.name,
                target_key_id: a.target.to_string(),
                creation_date: a.created_ms,
                last_updated_date: a.updated_ms,
            })
            .collect();
        let (aliases, next_marker) =
            super::keys::page(all, req.limit, req.marker.as_deref(), 50, 100)?;
        Ok(ListAliasesResponse {
            truncated: next_marker.is_some(),
            aliases,
            next_marker,
        })
    }
}
