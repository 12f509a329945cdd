//! Every request is authorized before it runs, as KMS authorizes it: the permissions the
//! operation needs (kms-guide-2 §8), each decided by [`crate::policy`] over the key policy,
//! the caller's IAM identity policies and the key's grants, with the condition keys KMS fills
//! from the key and the request (kms-guide-2 §4).
//!
//! A permission whose key cannot be found is not decided here: the operation then fails with
//! the error KMS gives for a missing key (NotFoundException), as KMS does for its own account.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::ids::{self, Accept, KeyRef};
use super::model::KeyRecord;
use super::principals::CallerContext;
use super::{Kms, ciphertext};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{
    self, Context, ContextValue, Decision, Grant, GrantConstraints, NamedPolicy, Outcome, Policy,
    PolicyKind, Request, Source,
};

/// What one permission is on.
enum Target {
    /// A key, as the request names it (`KeyId`, ...).
    Key(String),
    /// The key a symmetric ciphertext names (Decrypt or ReEncrypt without a key ID).
    Ciphertext(Vec<u8>),
    /// An alias (IAM policies alone govern alias resources).
    Alias(String),
    /// No particular resource (`"Resource": "*"`): IAM policies alone.
    Account,
}

/// One permission a request needs: an action on a target, with request condition keys.
struct Need {
    action: &'static str,
    target: Target,
    context: Vec<(String, ContextValue)>,
}

/// The decision behind each permission the request needed (CreateGrant reads where its
/// permission came from: a grant limits the grants it can create).
#[derive(Debug, Default)]
pub(crate) struct Authorized {
    pub(crate) outcomes: Vec<(&'static str, Outcome, Option<Vec<Grant>>)>,
}

impl Authorized {
    /// The grant that allowed `action`, if a grant did.
    pub(crate) fn grant_for(&self, action: &str) -> Option<&Grant> {
        self.outcomes
            .iter()
            .find_map(|(a, o, grants)| match (o.source, grants) {
                (Some(Source::Grant(i)), Some(g)) if *a == action => g.get(i),
                _ => None,
            })
    }
}

fn text<'a>(body: &'a Value, field: &str) -> Option<&'a str> {
    body.get(field).and_then(Value::as_str)
}

/// `kms:EncryptionContext:<k>` and `kms:EncryptionContextKeys` from an encryption context.
fn encryption_context(out: &mut Vec<(String, ContextValue)>, ec: Option<&Value>) {
    let Some(Value::Object(m)) = ec else { return };
    let mut keys = Vec::new();
    for (k, v) in m {
        if let Some(v) = v.as_str() {
            out.push((format!("kms:EncryptionContext:{k}"), v.into()));
            keys.push(k.clone());
        }
    }
    out.push(("kms:EncryptionContextKeys".into(), ContextValue::Many(keys)));
}

fn param(out: &mut Vec<(String, ContextValue)>, body: &Value, field: &str, key: &str) {
    match body.get(field) {
        Some(Value::String(s)) => out.push((key.into(), s.as_str().into())),
        Some(Value::Bool(b)) => out.push((key.into(), (*b).into())),
        Some(Value::Number(n)) => out.push((key.into(), n.to_string().into())),
        _ => {}
    }
}

fn tags(out: &mut Vec<(String, ContextValue)>, body: &Value) {
    let Some(Value::Array(list)) = body.get("Tags") else {
        return;
    };
    let mut keys = Vec::new();
    for t in list {
        if let (Some(k), Some(v)) = (text(t, "TagKey"), text(t, "TagValue")) {
            out.push((format!("aws:RequestTag/{k}"), v.into()));
            keys.push(k.to_owned());
        }
    }
    out.push(("aws:TagKeys".into(), ContextValue::Many(keys)));
}

fn key_need(
    action: &'static str,
    key: Option<&str>,
    context: Vec<(String, ContextValue)>,
) -> Vec<Need> {
    match key {
        Some(k) => alloc::vec![Need {
            action,
            target: Target::Key(k.to_owned()),
            context
        }],
        // A missing KeyId is the operation's ValidationException to raise.
        None => Vec::new(),
    }
}

/// The permissions `op` needs for this request body.
fn needs(kms: &Kms, region: &str, op: &str, body: &Value) -> Vec<Need> {
    let key = text(body, "KeyId");
    let mut cx = Vec::new();
    let action: &'static str = match op {
        "CreateKey" => {
            param(&mut cx, body, "KeySpec", "kms:KeySpec");
            param(&mut cx, body, "CustomerMasterKeySpec", "kms:KeySpec");
            param(&mut cx, body, "KeyUsage", "kms:KeyUsage");
            param(&mut cx, body, "Origin", "kms:KeyOrigin");
            param(&mut cx, body, "MultiRegion", "kms:MultiRegion");
            param(
                &mut cx,
                body,
                "BypassPolicyLockoutSafetyCheck",
                "kms:BypassPolicyLockoutSafetyCheck",
            );
            tags(&mut cx, body);
            let mut out = alloc::vec![Need {
                action: "kms:CreateKey",
                target: Target::Account,
                context: cx.clone()
            }];
            // Tagging at creation needs kms:TagResource from IAM (kms-guide-2 §1, L10379).
            if body
                .get("Tags")
                .is_some_and(|t| t.as_array().is_some_and(|a| !a.is_empty()))
            {
                out.push(Need {
                    action: "kms:TagResource",
                    target: Target::Account,
                    context: cx,
                });
            }
            return out;
        }
        "ListKeys" | "ListAliases" | "GenerateRandom" | "ListRetirableGrants" => {
            let action = match op {
                "ListKeys" => "kms:ListKeys",
                "ListAliases" => "kms:ListAliases",
                "GenerateRandom" => "kms:GenerateRandom",
                _ => "kms:ListRetirableGrants",
            };
            return alloc::vec![Need {
                action,
                target: Target::Account,
                context: cx
            }];
        }
        "CreateAlias" | "UpdateAlias" | "DeleteAlias" => {
            let Some(alias) = text(body, "AliasName") else {
                return Vec::new();
            };
            let action = match op {
                "CreateAlias" => "kms:CreateAlias",
                "UpdateAlias" => "kms:UpdateAlias",
                _ => "kms:DeleteAlias",
            };
            let mut out = alloc::vec![Need {
                action,
                target: Target::Alias(alias.to_owned()),
                context: Vec::new()
            }];
            // The alias's current key (UpdateAlias, DeleteAlias), then the new one.
            if op != "CreateAlias"
                && let Some(a) = kms.store.alias(region, alias)
            {
                out.push(Need {
                    action,
                    target: Target::Key(a.target.clone()),
                    context: Vec::new(),
                });
            }
            if let Some(t) = text(body, "TargetKeyId") {
                out.push(Need {
                    action,
                    target: Target::Key(t.to_owned()),
                    context: Vec::new(),
                });
            }
            return out;
        }
        "Decrypt" => {
            encryption_context(&mut cx, body.get("EncryptionContext"));
            param(
                &mut cx,
                body,
                "EncryptionAlgorithm",
                "kms:EncryptionAlgorithm",
            );
            let target = match key {
                Some(k) => Target::Key(k.to_owned()),
                None => match blob(body, "CiphertextBlob") {
                    Some(b) => Target::Ciphertext(b),
                    None => return Vec::new(),
                },
            };
            return alloc::vec![Need {
                action: "kms:Decrypt",
                target,
                context: cx
            }];
        }
        "ReEncrypt" => {
            let mut from = Vec::new();
            encryption_context(&mut from, body.get("SourceEncryptionContext"));
            param(
                &mut from,
                body,
                "SourceEncryptionAlgorithm",
                "kms:EncryptionAlgorithm",
            );
            let mut to = Vec::new();
            encryption_context(&mut to, body.get("DestinationEncryptionContext"));
            param(
                &mut to,
                body,
                "DestinationEncryptionAlgorithm",
                "kms:EncryptionAlgorithm",
            );
            let source = match (text(body, "SourceKeyId"), blob(body, "CiphertextBlob")) {
                (Some(k), _) => Some(Target::Key(k.to_owned())),
                (None, Some(b)) => Some(Target::Ciphertext(b)),
                (None, None) => None,
            };
            let source_id = source.as_ref().and_then(|t| target_key_id(kms, region, t));
            let dest = text(body, "DestinationKeyId");
            let dest_id = dest.and_then(|d| kms.resolve(region, d, Accept::KeyOrAlias).ok());
            let same = source_id.is_some() && source_id == dest_id;
            from.push(("kms:ReEncryptOnSameKey".into(), same.into()));
            to.push(("kms:ReEncryptOnSameKey".into(), same.into()));
            let mut out = Vec::new();
            if let Some(t) = source {
                out.push(Need {
                    action: "kms:ReEncryptFrom",
                    target: t,
                    context: from,
                });
            }
            if let Some(d) = dest {
                out.push(Need {
                    action: "kms:ReEncryptTo",
                    target: Target::Key(d.to_owned()),
                    context: to,
                });
            }
            return out;
        }
        "Encrypt" => {
            encryption_context(&mut cx, body.get("EncryptionContext"));
            param(
                &mut cx,
                body,
                "EncryptionAlgorithm",
                "kms:EncryptionAlgorithm",
            );
            "kms:Encrypt"
        }
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
            encryption_context(&mut cx, body.get("EncryptionContext"));
            if op == "GenerateDataKey" {
                "kms:GenerateDataKey"
            } else {
                "kms:GenerateDataKeyWithoutPlaintext"
            }
        }
        "GenerateDataKeyPair" | "GenerateDataKeyPairWithoutPlaintext" => {
            encryption_context(&mut cx, body.get("EncryptionContext"));
            param(&mut cx, body, "KeyPairSpec", "kms:DataKeyPairSpec");
            if op == "GenerateDataKeyPair" {
                "kms:GenerateDataKeyPair"
            } else {
                "kms:GenerateDataKeyPairWithoutPlaintext"
            }
        }
        "Sign" | "Verify" => {
            param(&mut cx, body, "SigningAlgorithm", "kms:SigningAlgorithm");
            param(&mut cx, body, "MessageType", "kms:MessageType");
            if op == "Sign" {
                "kms:Sign"
            } else {
                "kms:Verify"
            }
        }
        "GenerateMac" | "VerifyMac" => {
            param(&mut cx, body, "MacAlgorithm", "kms:MacAlgorithm");
            if op == "GenerateMac" {
                "kms:GenerateMac"
            } else {
                "kms:VerifyMac"
            }
        }
        "DeriveSharedSecret" => {
            param(
                &mut cx,
                body,
                "KeyAgreementAlgorithm",
                "kms:KeyAgreementAlgorithm",
            );
            "kms:DeriveSharedSecret"
        }
        "PutKeyPolicy" => {
            param(
                &mut cx,
                body,
                "BypassPolicyLockoutSafetyCheck",
                "kms:BypassPolicyLockoutSafetyCheck",
            );
            "kms:PutKeyPolicy"
        }
        "TagResource" => {
            tags(&mut cx, body);
            "kms:TagResource"
        }
        "UntagResource" => {
            if let Some(Value::Array(keys)) = body.get("TagKeys") {
                let keys = keys
                    .iter()
                    .filter_map(Value::as_str)
                    .map(ToOwned::to_owned)
                    .collect();
                cx.push(("aws:TagKeys".into(), ContextValue::Many(keys)));
            }
            "kms:UntagResource"
        }
        "EnableKeyRotation" => {
            let days = body
                .get("RotationPeriodInDays")
                .and_then(Value::as_u64)
                .unwrap_or(365);
            cx.push(("kms:RotationPeriodInDays".into(), days.to_string().into()));
            "kms:EnableKeyRotation"
        }
        "ScheduleKeyDeletion" => {
            let days = body
                .get("PendingWindowInDays")
                .and_then(Value::as_u64)
                .unwrap_or(30);
            cx.push((
                "kms:ScheduleKeyDeletionPendingWindowInDays".into(),
                days.to_string().into(),
            ));
            "kms:ScheduleKeyDeletion"
        }
        "GetParametersForImport" => {
            param(&mut cx, body, "WrappingAlgorithm", "kms:WrappingAlgorithm");
            param(&mut cx, body, "WrappingKeySpec", "kms:WrappingKeySpec");
            "kms:GetParametersForImport"
        }
        "ImportKeyMaterial" => {
            param(&mut cx, body, "ExpirationModel", "kms:ExpirationModel");
            param(&mut cx, body, "ValidTo", "kms:ValidTo");
            "kms:ImportKeyMaterial"
        }
        "ReplicateKey" => {
            param(&mut cx, body, "ReplicaRegion", "kms:ReplicaRegion");
            "kms:ReplicateKey"
        }
        "UpdatePrimaryRegion" => {
            param(&mut cx, body, "PrimaryRegion", "kms:PrimaryRegion");
            "kms:UpdatePrimaryRegion"
        }
        "CreateGrant" => {
            if let Some(Value::Array(ops)) = body.get("Operations") {
                let ops = ops
                    .iter()
                    .filter_map(Value::as_str)
                    .map(ToOwned::to_owned)
                    .collect();
                cx.push(("kms:GrantOperations".into(), ContextValue::Many(ops)));
            }
            param(&mut cx, body, "GranteePrincipal", "kms:GranteePrincipal");
            param(&mut cx, body, "RetiringPrincipal", "kms:RetiringPrincipal");
            if let Some(Value::Object(c)) = body.get("Constraints") {
                for (kind, pairs) in c {
                    cx.push(("kms:GrantConstraintType".into(), kind.as_str().into()));
                    encryption_context(&mut cx, Some(pairs));
                }
            }
            "kms:CreateGrant"
        }
        "ListGrants" => "kms:ListGrants",
        "RevokeGrant" => "kms:RevokeGrant",
        "DescribeKey" => "kms:DescribeKey",
        "GetPublicKey" => "kms:GetPublicKey",
        "EnableKey" => "kms:EnableKey",
        "DisableKey" => "kms:DisableKey",
        "DisableKeyRotation" => "kms:DisableKeyRotation",
        "GetKeyRotationStatus" => "kms:GetKeyRotationStatus",
        "RotateKeyOnDemand" => "kms:RotateKeyOnDemand",
        "ListKeyRotations" => "kms:ListKeyRotations",
        "CancelKeyDeletion" => "kms:CancelKeyDeletion",
        "UpdateKeyDescription" => "kms:UpdateKeyDescription",
        "GetKeyPolicy" => "kms:GetKeyPolicy",
        "ListKeyPolicies" => "kms:ListKeyPolicies",
        "ListResourceTags" => "kms:ListResourceTags",
        "DeleteImportedKeyMaterial" => "kms:DeleteImportedKeyMaterial",
        "Encapsulate" => "kms:Encapsulate",
        "Decapsulate" => "kms:Decapsulate",
        // RetireGrant is decided by the grant's own rules (grants.rs); unknown operations fail
        // in dispatch.
        _ => return Vec::new(),
    };
    key_need(action, key, cx)
}

fn blob(body: &Value, field: &str) -> Option<Vec<u8>> {
    use base64ct::Encoding as _;
    base64ct::Base64::decode_vec(text(body, field)?).ok()
}

/// The key ID a target resolves to in `region`, if it exists.
fn target_key_id(kms: &Kms, region: &str, target: &Target) -> Option<String> {
    match target {
        Target::Key(k) => kms.resolve(region, k, Accept::KeyOrAlias).ok(),
        Target::Ciphertext(b) => {
            let id = ciphertext::parse(b).ok()?.key_id;
            kms.store.key(region, &id).map(|_| id)
        }
        Target::Alias(_) | Target::Account => None,
    }
}

/// The alias name a request used for its key, if it named one (`kms:RequestAlias`).
fn request_alias(key_ref: &str) -> Option<String> {
    match ids::parse_key_ref(key_ref, Accept::KeyOrAlias).ok()? {
        KeyRef::AliasName(name) => Some(name),
        KeyRef::AliasArn(arn) => Some(arn.resource),
        _ => None,
    }
}

/// The condition keys KMS takes from the key itself (kms-guide-2 §8 "STD").
fn key_context(kms: &Kms, region: &str, key: &KeyRecord, out: &mut Context) {
    out.insert("kms:KeySpec", key.spec.as_str());
    out.insert("kms:CustomerMasterKeySpec", key.spec.as_str());
    out.insert("kms:KeyUsage", key.usage.as_str());
    out.insert("kms:CustomerMasterKeyUsage", key.usage.as_str());
    out.insert("kms:KeyOrigin", key.origin.as_str());
    out.insert("kms:MultiRegion", key.multi_region);
    if key.multi_region
        && let Some(set) = kms.store.multi_region(&key.id)
    {
        let kind = if set.primary == key.region {
            "PRIMARY"
        } else {
            "REPLICA"
        };
        out.insert("kms:MultiRegionKeyType", kind);
    }
    let aliases: Vec<String> = kms
        .store
        .aliases(region)
        .into_iter()
        .filter(|a| a.target == key.id)
        .map(|a| a.name)
        .collect();
    out.insert("kms:ResourceAliases", ContextValue::Many(aliases));
    for (k, v) in &key.tags {
        out.insert(&format!("aws:ResourceTag/{k}"), v.as_str());
    }
}

/// A key's grants in the shape the evaluator reads.
pub(crate) fn grants_of(kms: &Kms, key: &KeyRecord) -> Vec<Grant> {
    key.grants
        .iter()
        .map(|g| Grant {
            key_id: kms.key_arn(&key.region, &key.id),
            grant_id: g.id.clone(),
            name: g.name.clone(),
            creation_date: None,
            grantee_principal: g.grantee.clone(),
            retiring_principal: g.retiring.clone(),
            issuing_account: Some(format!(
                "arn:{}:iam::{}:root",
                kms.partition, g.issuing_account
            )),
            operations: g.operations.clone(),
            constraints: g
                .constraints
                .clone()
                .filter(|c| *c != GrantConstraints::default()),
        })
        .collect()
}

impl Kms {
    /// The compiled key policy of a key (parsed once per policy text).
    fn key_policy(&mut self, region: &str, key: &KeyRecord) -> Result<Policy> {
        let slot = (region.to_owned(), key.id.clone());
        if let Some((text, policy)) = self.policy_cache.get(&slot)
            && *text == key.policy
        {
            return Ok(policy.clone());
        }
        let policy = Policy::parse(&key.policy, PolicyKind::Key)?;
        self.policy_cache
            .insert(slot, (key.policy.clone(), policy.clone()));
        Ok(policy)
    }

    /// The request context every permission of this caller starts from.
    fn caller_context(&self, caller: &CallerContext) -> Context {
        let mut cx = caller.context().clone();
        if let Some(record) = self.principals.record(caller.caller()) {
            for (k, v) in &record.tags {
                let key = format!("aws:PrincipalTag/{k}");
                if cx.get(&key).is_none() {
                    cx.insert(&key, v.as_str());
                }
            }
        }
        if cx.get("aws:CurrentTime").is_none() && cx.get("aws:EpochTime").is_none() {
            cx.insert(
                "aws:EpochTime",
                (self.now_ms().div_euclid(1000)).to_string(),
            );
        }
        cx
    }

    /// Authorizes `op` for `caller`, or fails with AccessDeniedException.
    pub(crate) fn authorize(
        &mut self,
        caller: &CallerContext,
        region: &str,
        op: &str,
        body: &str,
    ) -> Result<Authorized> {
        let Ok(body) =
            serde_json::from_str::<Value>(if body.trim().is_empty() { "{}" } else { body })
        else {
            // The operation reports malformed JSON as a ValidationException.
            return Ok(Authorized::default());
        };
        // Every operation that takes grant tokens checks them the same way.
        if let Some(Value::Array(tokens)) = body.get("GrantTokens") {
            let tokens: Vec<String> = tokens
                .iter()
                .filter_map(Value::as_str)
                .map(ToOwned::to_owned)
                .collect();
            super::grants::check_grant_tokens(Some(&tokens))?;
        }
        let iam = self.principals.policies(caller.caller());
        let mut authorized = Authorized::default();
        for need in needs(self, region, op, &body) {
            let mut cx = self.caller_context(caller);
            for (k, v) in need.context {
                cx.insert(&k, v);
            }
            let (resource, key_policy, grants) = match &need.target {
                Target::Account => (
                    format!("arn:{}:kms:{region}:{}:*", self.partition, self.account),
                    None,
                    None,
                ),
                Target::Alias(name) => (self.alias_arn(region, name), None, None),
                Target::Key(_) | Target::Ciphertext(_) => {
                    let Some(id) = target_key_id(self, region, &need.target) else {
                        continue;
                    };
                    let key = self.key(region, &id)?.clone();
                    key_context(self, region, &key, &mut cx);
                    if let Target::Key(k) = &need.target
                        && let Some(alias) = request_alias(k)
                    {
                        cx.insert("kms:RequestAlias", alias);
                    }
                    let policy = self.key_policy(region, &key)?;
                    (
                        self.key_arn(region, &id),
                        Some(policy),
                        Some(grants_of(self, &key)),
                    )
                }
            };
            let request = Request::new(need.action, caller.caller().clone(), &resource, cx)?;
            let grant_list = grants.as_deref().unwrap_or(&[]);
            let outcome = policy::decide(&request, key_policy.as_ref(), &iam, grant_list);
            if !outcome.is_allowed() {
                let evaluation = policy::evaluate(&request, key_policy.as_ref(), &iam, grant_list);
                let err = access_denied(&request, &evaluation);
                self.last_denial = Some(evaluation);
                return Err(err);
            }
            authorized.outcomes.push((need.action, outcome, grants));
        }
        if matches!(op, "CreateKey" | "PutKeyPolicy") {
            self.lockout_check(caller, region, op, &body, &iam)?;
        }
        Ok(authorized)
    }

    /// The policy lockout safety check: a new key policy must let the caller call
    /// PutKeyPolicy later, unless BypassPolicyLockoutSafetyCheck is set (kms-guide-1 §8).
    fn lockout_check(
        &mut self,
        caller: &CallerContext,
        region: &str,
        op: &str,
        body: &Value,
        iam: &[NamedPolicy],
    ) -> Result<()> {
        if body
            .get("BypassPolicyLockoutSafetyCheck")
            .and_then(Value::as_bool)
            == Some(true)
        {
            return Ok(());
        }
        let Some(document) = text(body, "Policy") else {
            return Ok(());
        };
        // An invalid document is the operation's MalformedPolicyDocumentException.
        let Ok(new_policy) = Policy::parse(document, PolicyKind::Key) else {
            return Ok(());
        };
        let mut cx = self.caller_context(caller);
        let resource = match (op, text(body, "KeyId")) {
            ("PutKeyPolicy", Some(k)) => match self.resolve(region, k, Accept::Key) {
                Ok(id) => {
                    let key = self.key(region, &id)?.clone();
                    key_context(self, region, &key, &mut cx);
                    self.key_arn(region, &id)
                }
                Err(_) => return Ok(()),
            },
            _ => self.key_arn(region, "00000000-0000-0000-0000-000000000000"),
        };
        let request = Request::new("kms:PutKeyPolicy", caller.caller().clone(), &resource, cx)?;
        if policy::decide(&request, Some(&new_policy), iam, &[]).is_allowed() {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::MalformedPolicyDocumentException,
            "The new key policy will not allow you to update the key policy in the future.",
        ))
    }

    /// The full evaluation behind the most recent AccessDeniedException, for explaining it.
    pub fn last_denial(&self) -> Option<&policy::Evaluation> {
        self.last_denial.as_ref()
    }
}

/// KMS's AccessDeniedException message for a denied request.
fn access_denied(request: &Request, evaluation: &policy::Evaluation) -> Error {
    let why = match (evaluation.decision, evaluation.source.as_deref()) {
        (Decision::ExplicitDeny, Some("key_policy")) => {
            "with an explicit deny in a resource-based policy".to_string()
        }
        (Decision::ExplicitDeny, _) => {
            "with an explicit deny in an identity-based policy".to_string()
        }
        _ if evaluation
            .notes
            .iter()
            .any(|n| n.contains("delegates to IAM") || n.contains("governed by IAM")) =>
        {
            format!(
                "because no identity-based policy allows the {} action",
                request.action()
            )
        }
        _ => format!(
            "because no resource-based policy allows the {} action",
            request.action()
        ),
    };
    Error::new(
        ErrorCode::AccessDeniedException,
        format!(
            "User: {} is not authorized to perform: {} on resource: {} {why}",
            request.caller().arn(),
            request.action(),
            request.resource()
        ),
    )
}
