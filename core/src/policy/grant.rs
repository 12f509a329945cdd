//! Grants as the evaluator reads them: the `ListGrants` shape, and whether one grant allows a
//! request (kms-guide-2 §2).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::actions;
use super::document::PrincipalEntry;
use super::request::{Caller, CallerKind, Request};

/// A grant, in the shape `ListGrants` returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Grant {
    /// The key ARN the grant is for.
    pub key_id: String,
    /// The grant ID (64 hex characters in KMS).
    pub grant_id: String,
    /// The grant's friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Creation time; the evaluator ignores it (accepted in any form boto3 may hand back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<serde_json::Value>,
    /// Who the grant is for.
    pub grantee_principal: String,
    /// Who may retire the grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring_principal: Option<String>,
    /// `arn:aws:iam::ACCT:root` of the account that created the grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_account: Option<String>,
    /// The operations it allows (`Decrypt`, `ReEncryptFrom`, ...).
    pub operations: Vec<String>,
    /// Encryption context constraints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<GrantConstraints>,
}

/// `EncryptionContextEquals` / `EncryptionContextSubset`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GrantConstraints {
    /// The request's encryption context must contain these pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
    /// The request's encryption context must be exactly these pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
}

/// Why a grant does not allow a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantMiss {
    /// The grant is for another key.
    KeyId,
    /// The grantee is not the caller.
    GranteePrincipal,
    /// The action is not among the grant's operations.
    Operations,
    /// The request's encryption context does not meet the constraint.
    Constraints,
}

impl GrantMiss {
    /// The grant field that did not match.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantMiss::KeyId => "KeyId",
            GrantMiss::GranteePrincipal => "GranteePrincipal",
            GrantMiss::Operations => "Operations",
            GrantMiss::Constraints => "Constraints",
        }
    }
}

impl Grant {
    /// Whether this grant allows `request`: `Ok(via_account)` — `via_account` when the grantee
    /// is the caller's account principal, which an IAM policy must then delegate — or the
    /// first field that does not match.
    pub(crate) fn allows(&self, request: &Request) -> Result<bool, GrantMiss> {
        if !same_key(&self.key_id, request.resource()) {
            return Err(GrantMiss::KeyId);
        }
        let via_account = grantee_via(&self.grantee_principal, request.caller())
            .ok_or(GrantMiss::GranteePrincipal)?;
        let action = request.action();
        let operation = action
            .strip_prefix("kms:")
            .or_else(|| action.strip_prefix("KMS:"))
            .unwrap_or("");
        let Some(op) = self
            .operations
            .iter()
            .find(|o| o.eq_ignore_ascii_case(operation))
        else {
            return Err(GrantMiss::Operations);
        };
        if !actions::constraints_ignored(op) && !self.constraints_hold(request) {
            return Err(GrantMiss::Constraints);
        }
        Ok(via_account)
    }

    fn constraints_hold(&self, request: &Request) -> bool {
        let Some(c) = &self.constraints else {
            return true;
        };
        let context: BTreeMap<&str, &str> = request.context().encryption_context().collect();
        let subset_ok = c.encryption_context_subset.as_ref().is_none_or(|want| {
            want.iter()
                .all(|(k, v)| context.get(k.as_str()) == Some(&v.as_str()))
        });
        let equals_ok = c.encryption_context_equals.as_ref().is_none_or(|want| {
            want.len() == context.len()
                && want
                    .iter()
                    .all(|(k, v)| context.get(k.as_str()) == Some(&v.as_str()))
        });
        subset_ok && equals_ok
    }
}

/// A grant's KeyId is a key ARN; accept a bare key ID for the same key too.
fn same_key(grant_key: &str, resource: &str) -> bool {
    grant_key == resource
        || resource
            .rsplit_once(":key/")
            .is_some_and(|(_, id)| id == grant_key)
}

/// Whether a grantee names the caller: `Some(false)` directly (its ARN, its role, its account
/// when the caller is the account's root), `Some(true)` through its account principal.
pub(crate) fn grantee_via(grantee: &str, caller: &Caller) -> Option<bool> {
    if grantee == caller.arn() {
        return Some(false);
    }
    match super::document::aws_principal(grantee) {
        Ok(entry) => super::evaluate::entry_via(&entry, caller),
        // Service principals and service-instance forms are compared exactly.
        Err(_) => (caller.kind() == CallerKind::Service
            && grantee.eq_ignore_ascii_case(caller.arn()))
        .then_some(false)
        .or_else(|| super::evaluate::entry_via(&PrincipalEntry::Other(grantee.into()), caller)),
    }
}
