//! Authorization: the IAM policy language, and key policy + IAM policies + grants evaluated
//! as KMS evaluates them, with an explanation of every decision.
//!
//! ```
//! use kmskit::policy::{self, Caller, Context, Policy, PolicyKind, Request};
//!
//! let key_policy = Policy::parse(r#"{"Version": "2012-10-17", "Statement": [{
//!     "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
//!     "Action": "kms:Decrypt", "Resource": "*",
//!     "Condition": {"StringEquals": {"kms:EncryptionContext:purpose": "test"}}}]}"#,
//!     PolicyKind::Key)?;
//! let request = Request::new(
//!     "kms:Decrypt",
//!     Caller::parse("arn:aws:sts::111122223333:assumed-role/app/worker-1")?,
//!     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
//!     Context::new().with("kms:EncryptionContext:purpose", "test"),
//! )?;
//! let decision = policy::evaluate(&request, Some(&key_policy), &[], &[]);
//! assert!(decision.is_allowed());
//! assert_eq!(decision.source.as_deref(), Some("key_policy"));
//! # Ok::<(), kmskit::Error>(())
//! ```
//!
//! Evaluation is pure: the request carries its time (`aws:CurrentTime`) and every other
//! condition key; nothing is read from a clock or a service.

mod actions;
mod condition;
mod document;
mod evaluate;
mod explain;
mod glob;
mod grant;
mod request;
mod scalar;
mod variables;

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};

// The public interface is:
pub use actions::{GRANT_OPERATIONS, iam_only};
pub use document::{Effect, Finding, MAX_KEY_POLICY_BYTES, Policy, PolicyKind};
pub use evaluate::{Decision, Miss, NamedPolicy, Note, Outcome, Source, Verdict, decide};
pub use explain::{Evaluation, StatementRef, Step, evaluate};
pub use grant::{Grant, GrantConstraints, GrantMiss};
pub use request::{Caller, CallerKind, Context, ContextValue, Request};

/// Whether a principal as a grant names it (`Some(via_account)`) covers `caller`.
pub(crate) use grant::grantee_via as names_caller;

/// A key policy, IAM policies and grants parsed once, to decide many requests.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    key_policy: Option<Policy>,
    iam: Vec<NamedPolicy>,
    grants: Vec<Grant>,
}

impl PolicySet {
    /// Bundles parsed policies and grants.
    pub fn new(key_policy: Option<Policy>, iam: Vec<NamedPolicy>, grants: Vec<Grant>) -> Self {
        PolicySet {
            key_policy,
            iam,
            grants,
        }
    }

    /// Reads the JSON forms the bindings pass: a key policy document (or none, for actions
    /// governed by IAM alone), an object of IAM policy name → document (kept in its order;
    /// each document an object or its JSON text), and a list of grants as `ListGrants`
    /// returns them.
    pub fn from_json(
        key_policy: Option<&str>,
        iam_policies: &str,
        grants: &str,
    ) -> Result<PolicySet> {
        let key_policy = match key_policy.map(str::trim) {
            None | Some("") | Some("null") => None,
            Some(text) => Some(document_from_text(text, PolicyKind::Key)?),
        };
        let iam = match iam_policies.trim() {
            "" | "null" => Vec::new(),
            text => {
                let OrderedMap(entries) = serde_json::from_str(text).map_err(|e| {
                    Error::validation(alloc::format!(
                        "iam_policies must be an object of name -> policy document: {e}"
                    ))
                })?;
                entries
                    .into_iter()
                    .map(|(name, doc)| {
                        let policy = match &doc {
                            serde_json::Value::String(t) => Policy::parse(t, PolicyKind::Identity),
                            v => Policy::from_json(v, PolicyKind::Identity),
                        }
                        .map_err(|e| {
                            Error::new(
                                e.code(),
                                alloc::format!("IAM policy {name:?}: {}", e.message()),
                            )
                        })?;
                        Ok(NamedPolicy { name, policy })
                    })
                    .collect::<Result<_>>()?
            }
        };
        let grants = match grants.trim() {
            "" | "null" => Vec::new(),
            text => serde_json::from_str(text).map_err(|e| {
                Error::validation(alloc::format!(
                    "grants must be a list of grants as ListGrants returns them: {e}"
                ))
            })?,
        };
        Ok(PolicySet {
            key_policy,
            iam,
            grants,
        })
    }

    /// Decides one request (no explanation: the fast path).
    pub fn decide(&self, request: &Request) -> Outcome {
        decide(request, self.key_policy.as_ref(), &self.iam, &self.grants)
    }

    /// Decides one request and records why.
    pub fn evaluate(&self, request: &Request) -> Evaluation {
        evaluate(request, self.key_policy.as_ref(), &self.iam, &self.grants)
    }

    /// Decides one request given as JSON text and records why.
    pub fn evaluate_json(&self, request: &str) -> Result<Evaluation> {
        let request: serde_json::Value = serde_json::from_str(request)
            .map_err(|e| Error::validation(alloc::format!("The request is not valid JSON: {e}")))?;
        Ok(self.evaluate(&Request::from_json(&request)?))
    }

    /// Decides every request of a JSON list; returns `ALLOW`/`EXPLICIT_DENY`/`IMPLICIT_DENY`.
    pub fn decide_json_batch(&self, requests: &str) -> Result<Vec<&'static str>> {
        let list: Vec<serde_json::Value> = serde_json::from_str(requests)
            .map_err(|e| Error::validation(alloc::format!("requests must be a JSON list: {e}")))?;
        list.iter()
            .map(|r| Ok(self.decide(&Request::from_json(r)?).decision.as_str()))
            .collect()
    }

    /// The key policy, if any.
    pub fn key_policy(&self) -> Option<&Policy> {
        self.key_policy.as_ref()
    }

    /// The IAM policies, in order.
    pub fn iam_policies(&self) -> &[NamedPolicy] {
        &self.iam
    }

    /// The grants.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }
}

/// A policy document given as JSON text, or as a JSON string holding the text.
fn document_from_text(text: &str, kind: PolicyKind) -> Result<Policy> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(inner)) => Policy::parse(&inner, kind),
        _ => Policy::parse(text, kind),
    }
}

/// A JSON object read with its keys in document order (IAM policies are consulted in the
/// order given, which names the deciding policy).
struct OrderedMap(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for OrderedMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedMap;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> core::result::Result<OrderedMap, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// `evaluate` over JSON text, as every binding calls it.
pub fn evaluate_json(
    request: &str,
    key_policy: Option<&str>,
    iam_policies: &str,
    grants: &str,
) -> Result<Evaluation> {
    PolicySet::from_json(key_policy, iam_policies, grants)?.evaluate_json(request)
}
