//! Tags (TagResource, UntagResource, ListResourceTags) and key policies (GetKeyPolicy,
//! PutKeyPolicy, ListKeyPolicies).

use super::Kms;
use super::ids::Accept;
use super::shapes::{
    Empty, GetKeyPolicyRequest, GetKeyPolicyResponse, ListKeyPoliciesResponse, ListRequest,
    ListResourceTagsResponse, PutKeyPolicyRequest, Tag, TagResourceRequest, UntagResourceRequest,
};
use super::state::Op;
use crate::error::{Error, ErrorCode, Result};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Tags per key.
pub(crate) const MAX_TAGS: usize = 50;

fn tag_error(what: String) -> Error {
    Error::new(ErrorCode::TagException, what)
}

/// Merges `new` into `existing` (a repeated key replaces the value), checking each tag.
///
/// # Errors
/// `TagException` for a key of 0 or more than 128 characters, a value over 256 characters, or
/// the reserved `aws:` prefix; `LimitExceededException` for more than 50 tags.
pub(crate) fn validate(
    new: &[Tag],
    existing: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut merged = existing.clone();
    for t in new {
        let len = t.tag_key.chars().count();
        if len == 0 || len > 128 {
            return Err(tag_error(format!(
                "TagKey '{}' must be 1 to 128 characters",
                t.tag_key
            )));
        }
        if t.tag_value.chars().count() > 256 {
            return Err(tag_error(format!(
                "the value of tag '{}' must be at most 256 characters",
                t.tag_key
            )));
        }
        if t.tag_key.to_ascii_lowercase().starts_with("aws:") {
            return Err(tag_error(format!(
                "TagKey '{}': the aws: prefix is reserved",
                t.tag_key
            )));
        }
        merged.insert(t.tag_key.clone(), t.tag_value.clone());
    }
    if merged.len() > MAX_TAGS {
        return Err(Error::new(
            ErrorCode::LimitExceededException,
            format!(
                "a key can have at most {MAX_TAGS} tags; this request would give it {}",
                merged.len()
            ),
        ));
    }
    Ok(merged)
}

/// The only key policy name.
pub(crate) const POLICY_NAME: &str = "default";

fn check_policy_name(name: Option<&str>) -> Result<()> {
    match name {
        None | Some(POLICY_NAME) => Ok(()),
        Some(other) => Err(Error::new(
            ErrorCode::NotFoundException,
            format!("No such policy exists: '{other}'; the only key policy is named 'default'"),
        )),
    }
}

impl Kms {
    /// TagResource: adds or replaces tags.
    ///
    /// # Errors
    /// `TagException`, `LimitExceededException`, `KMSInvalidStateException`.
    pub fn tag_resource(&mut self, region: &str, req: TagResourceRequest) -> Result<Empty> {
        if req.tags.is_empty() {
            return Err(Error::validation("Tags must contain at least one tag"));
        }
        let id = self.usable(region, &req.key_id, Accept::Key, Op::Modify)?;
        let merged = validate(&req.tags, &self.key(region, &id)?.tags)?;
        self.key_mut(region, &id)?.tags = merged;
        Ok(Empty {})
    }

    /// UntagResource: removes tags (absent keys are ignored).
    ///
    /// # Errors
    /// `ValidationException` for an empty list; `KMSInvalidStateException`.
    pub fn untag_resource(&mut self, region: &str, req: UntagResourceRequest) -> Result<Empty> {
        if req.tag_keys.is_empty() {
            return Err(Error::validation(
                "TagKeys must contain at least one tag key",
            ));
        }
        let id = self.usable(region, &req.key_id, Accept::Key, Op::Modify)?;
        let key = self.key_mut(region, &id)?;
        for k in &req.tag_keys {
            key.tags.remove(k);
        }
        Ok(Empty {})
    }

    /// ListResourceTags (paged; Limit 1–50).
    ///
    /// # Errors
    /// `NotFoundException`, `InvalidMarkerException`.
    pub fn list_resource_tags(
        &self,
        region: &str,
        req: ListRequest,
    ) -> Result<ListResourceTagsResponse> {
        let key_id = req
            .key_id
            .as_deref()
            .ok_or_else(|| Error::validation("KeyId is required"))?;
        let id = self.resolve(region, key_id, Accept::Key)?;
        let all: Vec<Tag> = self
            .key(region, &id)?
            .tags
            .iter()
            .map(|(k, v)| Tag {
                tag_key: k.clone(),
                tag_value: v.clone(),
            })
            .collect();
        let (tags, next_marker) = super::keys::page(all, req.limit, req.marker.as_deref(), 50, 50)?;
        Ok(ListResourceTagsResponse {
            truncated: next_marker.is_some(),
            tags,
            next_marker,
        })
    }

    /// GetKeyPolicy.
    ///
    /// # Errors
    /// `NotFoundException` for a policy name other than `default`.
    pub fn get_key_policy(
        &self,
        region: &str,
        req: GetKeyPolicyRequest,
    ) -> Result<GetKeyPolicyResponse> {
        check_policy_name(req.policy_name.as_deref())?;
        let id = self.resolve(region, &req.key_id, Accept::Key)?;
        Ok(GetKeyPolicyResponse {
            policy: self.key(region, &id)?.policy.clone(),
            policy_name: POLICY_NAME.into(),
        })
    }

    /// PutKeyPolicy.
    ///
    /// # Errors
    /// `MalformedPolicyDocumentException`, `LimitExceededException` (over 32 KB).
    pub fn put_key_policy(&mut self, region: &str, req: PutKeyPolicyRequest) -> Result<Empty> {
        check_policy_name(req.policy_name.as_deref())?;
        let id = self.resolve(region, &req.key_id, Accept::Key)?;
        super::keys::check_policy(&req.policy)?;
        self.key_mut(region, &id)?.policy = req.policy;
        Ok(Empty {})
    }

    /// ListKeyPolicies: always `["default"]`.
    ///
    /// # Errors
    /// `NotFoundException`.
    pub fn list_key_policies(
        &self,
        region: &str,
        req: ListRequest,
    ) -> Result<ListKeyPoliciesResponse> {
        let key_id = req
            .key_id
            .as_deref()
            .ok_or_else(|| Error::validation("KeyId is required"))?;
        self.resolve(region, key_id, Accept::Key)?;
        Ok(ListKeyPoliciesResponse {
            policy_names: alloc::vec![POLICY_NAME.into()],
            truncated: false,
        })
    }
}
