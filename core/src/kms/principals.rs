//! Who calls the local KMS: the caller of each request, and the IAM identity policies and
//! principal tags kept for the account's principals.
//!
//! A [`Kms`] answers every request for a caller. [`Kms::call`] calls as the account's root,
//! which the default key policy allows, so simple uses need no setup; [`Kms::call_as`] calls
//! as any principal, with its request context (source IP, tags, VPC endpoint, ...).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::Kms;
use crate::error::{Error, Result};
use crate::policy::{Caller, CallerKind, Context, ContextValue, NamedPolicy, Policy, PolicyKind};

/// The caller of a request: a principal and the request context it brings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallerContext {
    caller: Caller,
    context: Context,
}

impl CallerContext {
    /// A caller with an empty request context.
    pub fn new(caller: Caller) -> Self {
        CallerContext {
            caller,
            context: Context::new(),
        }
    }

    /// Reads `{"Principal": ARN, "Context": {key: value, ...}}` (Context optional): the
    /// caller's own condition keys, such as `aws:SourceIp`, `aws:SourceVpce`,
    /// `kms:ViaService`, `aws:MultiFactorAuthPresent`.
    ///
    /// # Errors
    /// `ValidationException` for a malformed principal or context.
    pub fn from_json(text: &str) -> Result<Self> {
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::validation(alloc::format!("The caller is not valid JSON: {e}")))?;
        let obj = v.as_object().ok_or_else(|| {
            Error::validation("The caller must be an object {\"Principal\", \"Context\"}")
        })?;
        if let Some(k) = obj.keys().find(|k| *k != "Principal" && *k != "Context") {
            return Err(Error::validation(alloc::format!(
                "Unknown caller field {k:?}; expected Principal and Context"
            )));
        }
        let principal = obj
            .get("Principal")
            .and_then(|p| p.as_str())
            .ok_or_else(|| Error::validation("The caller needs Principal as a string"))?;
        let mut context = Context::new();
        if let Some(m) = obj.get("Context") {
            let m = m
                .as_object()
                .ok_or_else(|| Error::validation("Context must be an object"))?;
            for (k, v) in m {
                let value = ContextValue::from_json(v).ok_or_else(|| {
                    Error::validation(alloc::format!(
                        "Context value of {k:?} must be a string, number, boolean or a list of them"
                    ))
                })?;
                context.insert(k, value);
            }
        }
        Ok(CallerContext {
            caller: Caller::parse(principal)?,
            context,
        })
    }

    /// Adds a condition key to the caller's request context.
    pub fn with(mut self, key: &str, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// The principal.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The caller's own condition keys.
    pub fn context(&self) -> &Context {
        &self.context
    }
}

/// What the KMS knows about one principal of the account.
#[derive(Clone, Debug, Default)]
pub(crate) struct PrincipalRecord {
    /// The principal as first given (a user or role ARN).
    pub(crate) principal: String,
    /// IAM identity policies, by name, in the order attached.
    pub(crate) policies: Vec<(String, String, Policy)>,
    /// Principal tags (`aws:PrincipalTag/<key>`).
    pub(crate) tags: BTreeMap<String, String>,
}

/// The identity policies and tags of the principals of one account, keyed by the IAM
/// identity that holds them: a user ARN or a role ARN (role sessions use their role's).
#[derive(Clone, Debug, Default)]
pub(crate) struct Principals {
    by_identity: BTreeMap<String, PrincipalRecord>,
}

/// The identity whose policies apply to `caller`: a session's role, else the caller itself.
fn identity_of(caller: &Caller) -> Option<String> {
    match caller.kind() {
        CallerKind::AccountRoot | CallerKind::Service => None,
        CallerKind::Role | CallerKind::AssumedRole => caller
            .role()
            .map(|(account, name)| alloc::format!("role:{account}:{name}")),
        _ => Some(caller.arn().to_string()),
    }
}

impl Principals {
    pub(crate) fn record(&self, caller: &Caller) -> Option<&PrincipalRecord> {
        self.by_identity.get(&identity_of(caller)?)
    }

    /// The identity policies that apply to `caller`, in attachment order.
    pub(crate) fn policies(&self, caller: &Caller) -> Vec<NamedPolicy> {
        self.record(caller)
            .map(|r| {
                r.policies
                    .iter()
                    .map(|(name, _, policy)| NamedPolicy {
                        name: name.clone(),
                        policy: policy.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn entry(&mut self, principal: &str) -> Result<&mut PrincipalRecord> {
        let caller = Caller::parse(principal)?;
        let id = identity_of(&caller).ok_or_else(|| {
            Error::validation(alloc::format!(
                "{principal} cannot hold IAM policies or tags: use an IAM user or role ARN"
            ))
        })?;
        Ok(self
            .by_identity
            .entry(id)
            .or_insert_with(|| PrincipalRecord {
                principal: principal.to_string(),
                ..PrincipalRecord::default()
            }))
    }

    /// Every principal with policies or tags, by identity.
    pub(crate) fn records(&self) -> impl Iterator<Item = &PrincipalRecord> {
        self.by_identity
            .values()
            .filter(|r| !r.policies.is_empty() || !r.tags.is_empty())
    }
}

impl Kms {
    /// Attaches (or replaces) the IAM identity policy `name` of an IAM user or role: what
    /// `iam:PutUserPolicy` / `iam:PutRolePolicy` would do. Sessions of a role get its policies.
    ///
    /// # Errors
    /// `MalformedPolicyDocumentException` for an invalid document; `ValidationException`
    /// for a principal that is not an IAM user or role of some account.
    pub fn put_principal_policy(
        &mut self,
        principal: &str,
        name: &str,
        document: &str,
    ) -> Result<()> {
        if name.is_empty() || name.len() > 128 {
            return Err(Error::validation(
                "The policy name must be 1 to 128 characters",
            ));
        }
        let policy = Policy::parse(document, PolicyKind::Identity)?;
        let record = self.principals.entry(principal)?;
        let text = document.to_string();
        match record.policies.iter_mut().find(|(n, ..)| n == name) {
            Some(slot) => *slot = (name.to_string(), text, policy),
            None => record.policies.push((name.to_string(), text, policy)),
        }
        Ok(())
    }

    /// Detaches the IAM identity policy `name` of a principal; true when it existed.
    ///
    /// # Errors
    /// `ValidationException` for a principal that cannot hold policies.
    pub fn delete_principal_policy(&mut self, principal: &str, name: &str) -> Result<bool> {
        let record = self.principals.entry(principal)?;
        let before = record.policies.len();
        record.policies.retain(|(n, ..)| n != name);
        Ok(record.policies.len() != before)
    }

    /// The names and documents of a principal's IAM identity policies, in order.
    ///
    /// # Errors
    /// `ValidationException` for a malformed principal.
    pub fn principal_policies(&self, principal: &str) -> Result<Vec<(String, String)>> {
        let caller = Caller::parse(principal)?;
        Ok(self
            .principals
            .record(&caller)
            .map(|r| {
                r.policies
                    .iter()
                    .map(|(n, t, _)| (n.clone(), t.clone()))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Sets a principal's tags (`aws:PrincipalTag/<key>` in its requests).
    ///
    /// # Errors
    /// `ValidationException` for a principal that cannot hold tags.
    pub fn set_principal_tags(
        &mut self,
        principal: &str,
        tags: BTreeMap<String, String>,
    ) -> Result<()> {
        self.principals.entry(principal)?.tags = tags;
        Ok(())
    }
}
