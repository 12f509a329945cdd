//! Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant
//! (kms-guide-2 §2). Grants take effect at once here, so a grant token is accepted but never
//! needed; the evaluator reads grants through [`super::authz`].

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::Kms;
use super::authz::Authorized;
use super::ids::Accept;
use super::model::{GrantRecord, KeyRecord};
use super::principals::CallerContext;
use super::shapes::*;
use super::state::Op;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{self, GRANT_OPERATIONS, GrantConstraints, Request};
use crate::spec::KeyUsage;

/// Grants per key (kms-guide-2 §2, L10525).
const MAX_GRANTS_PER_KEY: usize = 50_000;
/// Encryption context pairs per constraint, and the longest value (L10724).
const MAX_CONSTRAINT_PAIRS: usize = 8;
const MAX_CONSTRAINT_VALUE: usize = 384;
/// Grant tokens per request and their length (API reference).
const MAX_GRANT_TOKENS: usize = 10;
const MAX_GRANT_TOKEN_LEN: usize = 8192;
/// Tokens carry this prefix, so a made-up token is told apart from one this KMS issued.
const TOKEN_PREFIX: &[u8] = b"kmskit-grant-token\x01";

/// The grant operations a key can be granted, by its usage (kms-guide-2 §2, L10575).
fn operations_for(key: &KeyRecord) -> &'static [&'static str] {
    const COMMON: [&str; 3] = ["CreateGrant", "RetireGrant", "DescribeKey"];
    match (key.usage, key.spec.is_asymmetric()) {
        (KeyUsage::EncryptDecrypt, false) => &[
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo",
        ],
        (KeyUsage::EncryptDecrypt, true) => &[
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "Decrypt",
            "Encrypt",
            "ReEncryptFrom",
            "ReEncryptTo",
            "GetPublicKey",
        ],
        (KeyUsage::SignVerify, _) => &[
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "Sign",
            "Verify",
            "GetPublicKey",
        ],
        (KeyUsage::GenerateVerifyMac, _) => &[
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "GenerateMac",
            "VerifyMac",
        ],
        (KeyUsage::KeyAgreement, _) => &[
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "DeriveSharedSecret",
            "GetPublicKey",
        ],
        (KeyUsage::EncapsulateDecapsulate, _) => {
            &["CreateGrant", "RetireGrant", "DescribeKey", "GetPublicKey"]
        }
        #[allow(
            unreachable_patterns,
            reason = "KeyUsage is non-exhaustive in spirit; keep a safe default"
        )]
        _ => &COMMON,
    }
}

/// Checks `GrantTokens`: at most 10, each a token this KMS issued.
pub(crate) fn check_grant_tokens(tokens: Option<&[String]>) -> Result<()> {
    let Some(tokens) = tokens else { return Ok(()) };
    if tokens.len() > MAX_GRANT_TOKENS {
        return Err(Error::validation(format!(
            "GrantTokens holds at most {MAX_GRANT_TOKENS} tokens"
        )));
    }
    for t in tokens {
        if t.is_empty() || t.len() > MAX_GRANT_TOKEN_LEN {
            return Err(Error::validation(format!(
                "a grant token is 1 to {MAX_GRANT_TOKEN_LEN} characters"
            )));
        }
        let ok = Base64::decode_vec(t).is_ok_and(|b| b.starts_with(TOKEN_PREFIX));
        if !ok {
            return Err(Error::new(
                ErrorCode::InvalidGrantTokenException,
                "The grant token is not valid.",
            ));
        }
    }
    Ok(())
}

fn check_principal(field: &str, principal: &str) -> Result<()> {
    let caller = policy::Caller::parse(principal).map_err(|_| {
        Error::validation(format!(
            "{field} {principal:?} is not a valid principal ARN"
        ))
    })?;
    if principal.contains(":group/") || caller.kind() == policy::CallerKind::Other {
        return Err(Error::validation(format!(
            "{field} {principal:?} is not a valid grantee: use an account, IAM user, IAM role, federated user or assumed-role ARN"
        )));
    }
    Ok(())
}

fn check_constraints(key: &KeyRecord, c: &GrantConstraints) -> Result<()> {
    if key.usage != KeyUsage::EncryptDecrypt || key.spec.is_asymmetric() {
        return Err(Error::validation(
            "Grant constraints are valid only for grants on symmetric encryption KMS keys",
        ));
    }
    for pairs in [&c.encryption_context_equals, &c.encryption_context_subset]
        .into_iter()
        .flatten()
    {
        if pairs.len() > MAX_CONSTRAINT_PAIRS {
            return Err(Error::validation(format!(
                "A grant constraint holds at most {MAX_CONSTRAINT_PAIRS} encryption context pairs"
            )));
        }
        if pairs
            .iter()
            .any(|(k, v)| k.is_empty() || v.chars().count() > MAX_CONSTRAINT_VALUE)
        {
            return Err(Error::validation(format!(
                "Grant constraint keys must not be empty and values are at most {MAX_CONSTRAINT_VALUE} characters"
            )));
        }
    }
    Ok(())
}

/// A child grant (CreateGrant allowed by a grant) may not be wider than its parent: its
/// operations a subset, its constraints as strict or stricter (kms-guide-2 §2, L10879–10921).
fn within_parent(
    parent: &policy::Grant,
    operations: &[String],
    child: Option<&GrantConstraints>,
) -> bool {
    if !operations.iter().all(|o| parent.operations.contains(o)) {
        return false;
    }
    let contains = |outer: &BTreeMap<String, String>, inner: &BTreeMap<String, String>| {
        inner.iter().all(|(k, v)| outer.get(k) == Some(v))
    };
    let empty = GrantConstraints::default();
    let child = child.unwrap_or(&empty);
    match parent.constraints.as_ref() {
        None => true,
        Some(p) => {
            let equals_ok = match (
                &p.encryption_context_equals,
                &child.encryption_context_equals,
            ) {
                (None, _) => true,
                (Some(pe), Some(ce)) => pe == ce,
                (Some(_), None) => false,
            };
            let subset_ok = match &p.encryption_context_subset {
                None => true,
                Some(ps) => {
                    child
                        .encryption_context_subset
                        .as_ref()
                        .is_some_and(|cs| contains(cs, ps))
                        || child
                            .encryption_context_equals
                            .as_ref()
                            .is_some_and(|ce| contains(ce, ps))
                }
            };
            equals_ok && subset_ok
        }
    }
}

fn same_operations(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}

impl Kms {
    fn list_entry(&self, key: &KeyRecord, g: &GrantRecord) -> GrantListEntry {
        GrantListEntry {
            key_id: self.key_arn(&key.region, &key.id),
            grant_id: g.id.clone(),
            name: g.name.clone(),
            creation_date: g.created_ms,
            grantee_principal: g.grantee.clone(),
            retiring_principal: g.retiring.clone(),
            issuing_account: format!("arn:{}:iam::{}:root", self.partition, g.issuing_account),
            operations: g.operations.clone(),
            constraints: g.constraints.clone(),
        }
    }

    /// CreateGrant.
    ///
    /// # Errors
    /// `ValidationException` for operations the key cannot grant, bad principals, names or
    /// constraints; `LimitExceededException` past 50,000 grants; `AccessDeniedException` for
    /// a grant wider than the grant that allowed creating it; the key-state exceptions.
    pub(crate) fn create_grant(
        &mut self,
        region: &str,
        req: CreateGrantRequest,
        authorized: &Authorized,
    ) -> Result<CreateGrantResponse> {
        check_principal("GranteePrincipal", &req.grantee_principal)?;
        if let Some(r) = &req.retiring_principal {
            check_principal("RetiringPrincipal", r)?;
        }
        if let Some(n) = &req.name {
            let ok = !n.is_empty()
                && n.len() <= 256
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b":/_-".contains(&b));
            if !ok {
                return Err(Error::validation(
                    "Name must be 1 to 256 characters of a-z, A-Z, 0-9, :, /, _ and -",
                ));
            }
        }
        let operations = match &req.operations {
            Some(ops) if !ops.is_empty() => ops.clone(),
            _ => {
                return Err(Error::validation(
                    "Operations must list at least one grant operation",
                ));
            }
        };
        let id = self.usable(region, &req.key_id, Accept::Key, Op::CreateGrant)?;
        let key = self.key(region, &id)?;
        let allowed = operations_for(key);
        for op in &operations {
            if !GRANT_OPERATIONS.contains(&op.as_str()) {
                return Err(Error::validation(format!(
                    "{op} is not a grant operation; valid: {}",
                    GRANT_OPERATIONS.join(", ")
                )));
            }
            if !allowed.contains(&op.as_str()) {
                return Err(Error::validation(format!(
                    "{op} is not valid for a {} key with usage {}",
                    key.spec, key.usage
                )));
            }
        }
        let constraints = req
            .constraints
            .clone()
            .filter(|c| *c != GrantConstraints::default());
        if let Some(c) = &constraints {
            check_constraints(key, c)?;
        }
        if let Some(parent) = authorized.grant_for("kms:CreateGrant")
            && !within_parent(parent, &operations, constraints.as_ref())
        {
            return Err(Error::new(
                ErrorCode::AccessDeniedException,
                format!(
                    "Grant {} allows creating only grants with a subset of its operations and constraints at least as strict",
                    parent.grant_id
                ),
            ));
        }
        // A request equal to an existing grant is a retry of it (L10666, L10704).
        if let Some(g) = key.grants.iter().find(|g| {
            g.grantee == req.grantee_principal
                && g.retiring == req.retiring_principal
                && g.name == req.name
                && g.constraints == constraints
                && same_operations(&g.operations, &operations)
        }) {
            let (grant_id, grant_token) = (g.id.clone(), g.token.clone());
            Kms::dry_run(req.dry_run)?;
            return Ok(CreateGrantResponse {
                grant_token,
                grant_id,
            });
        }
        if key.grants.len() >= MAX_GRANTS_PER_KEY {
            return Err(Error::new(
                ErrorCode::LimitExceededException,
                format!("A KMS key can have at most {MAX_GRANTS_PER_KEY} grants"),
            ));
        }
        Kms::dry_run(req.dry_run)?;
        let grant_id: String = self
            .random_bytes::<32>()?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut token = TOKEN_PREFIX.to_vec();
        token.extend_from_slice(&self.random_bytes::<32>()?);
        let grant_token = Base64::encode_string(&token);
        let record = GrantRecord {
            id: grant_id.clone(),
            token: grant_token.clone(),
            name: req.name,
            created_ms: self.now_ms(),
            grantee: req.grantee_principal,
            retiring: req.retiring_principal,
            issuing_account: self.account.clone(),
            operations,
            constraints,
        };
        self.key_mut(region, &id)?.grants.push(record);
        Ok(CreateGrantResponse {
            grant_token,
            grant_id,
        })
    }

    /// ListGrants (any key state), filtered by GrantId and GranteePrincipal.
    ///
    /// # Errors
    /// `NotFoundException`; `ValidationException`/`InvalidMarkerException` for paging.
    pub fn list_grants(&self, region: &str, req: ListGrantsRequest) -> Result<ListGrantsResponse> {
        let id = self.resolve(region, &req.key_id, Accept::Key)?;
        let key = self.key(region, &id)?;
        let items: Vec<GrantListEntry> = key
            .grants
            .iter()
            .filter(|g| req.grant_id.as_ref().is_none_or(|want| *want == g.id))
            .filter(|g| {
                req.grantee_principal
                    .as_ref()
                    .is_none_or(|want| *want == g.grantee)
            })
            .map(|g| self.list_entry(key, g))
            .collect();
        let (grants, next_marker) =
            super::keys::page(items, req.limit, req.marker.as_deref(), 50, 100)?;
        Ok(ListGrantsResponse {
            truncated: next_marker.is_some(),
            grants,
            next_marker,
        })
    }

    /// ListRetirableGrants: the grants of this Region whose retiring principal is the one given.
    ///
    /// # Errors
    /// `ValidationException` for a malformed principal or paging parameters.
    pub fn list_retirable_grants(
        &self,
        region: &str,
        req: ListRetirableGrantsRequest,
    ) -> Result<ListGrantsResponse> {
        check_principal("RetiringPrincipal", &req.retiring_principal)?;
        let mut items = Vec::new();
        for id in self.store.key_ids(region) {
            let Some(key) = self.store.key(region, &id) else {
                continue;
            };
            for g in &key.grants {
                if g.retiring.as_deref() == Some(req.retiring_principal.as_str()) {
                    items.push(self.list_entry(key, g));
                }
            }
        }
        let (grants, next_marker) =
            super::keys::page(items, req.limit, req.marker.as_deref(), 50, 100)?;
        Ok(ListGrantsResponse {
            truncated: next_marker.is_some(),
            grants,
            next_marker,
        })
    }

    /// The (key ID, grant index) a RetireGrant or RevokeGrant names.
    fn find_grant(&self, region: &str, key_id: &str, grant_id: &str) -> Result<(String, usize)> {
        if grant_id.is_empty() || grant_id.len() > 128 {
            return Err(Error::new(
                ErrorCode::InvalidGrantIdException,
                format!("'{grant_id}' is not a valid grant ID"),
            ));
        }
        let id = self.resolve(region, key_id, Accept::Key)?;
        let key = self.key(region, &id)?;
        let index = key
            .grants
            .iter()
            .position(|g| g.id == grant_id)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFoundException,
                    format!("Grant ID {grant_id} not found"),
                )
            })?;
        Ok((id, index))
    }

    /// RetireGrant: by grant token, or by key ARN and grant ID. Allowed to the retiring
    /// principal; to the grantee when it is also the retiring principal or the grant allows
    /// RetireGrant; and to the issuing account (its root, or its principals an IAM policy
    /// allows kms:RetireGrant). An IAM Deny of kms:RetireGrant always applies (L11089–11105).
    ///
    /// # Errors
    /// `ValidationException` when neither form is given; `InvalidGrantTokenException`,
    /// `InvalidGrantIdException`, `NotFoundException`; `AccessDeniedException`.
    pub fn retire_grant(
        &mut self,
        caller: &CallerContext,
        region: &str,
        req: RetireGrantRequest,
    ) -> Result<Empty> {
        let (key_id, index) = match (&req.grant_token, &req.key_id, &req.grant_id) {
            (Some(token), _, _) => {
                check_grant_tokens(Some(core::slice::from_ref(token)))?;
                self.store
                    .key_ids(region)
                    .into_iter()
                    .find_map(|id| {
                        let key = self.store.key(region, &id)?;
                        key.grants
                            .iter()
                            .position(|g| g.token == *token)
                            .map(|i| (id, i))
                    })
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::NotFoundException,
                            "No grant has this grant token",
                        )
                    })?
            }
            (None, Some(k), Some(g)) => self.find_grant(region, k, g)?,
            _ => {
                return Err(Error::validation(
                    "RetireGrant needs GrantToken, or KeyId and GrantId",
                ));
            }
        };
        let key = self.key(region, &key_id)?;
        let grant = &key.grants[index];
        let who = caller.caller();
        let names = |p: &str| policy::names_caller(p, who) == Some(false);
        let iam = self.principals.policies(who);
        let resource = self.key_arn(region, &key_id);
        let request = Request::new(
            "kms:RetireGrant",
            who.clone(),
            &resource,
            caller.context().clone(),
        )?;
        let iam_decision = policy::decide(&request, None, &iam, &[]);
        if iam_decision.decision == policy::Decision::ExplicitDeny {
            return Err(Error::new(
                ErrorCode::AccessDeniedException,
                format!(
                    "User: {} is not authorized to perform: kms:RetireGrant on resource: {resource} with an explicit deny in an identity-based policy",
                    who.arn()
                ),
            ));
        }
        let retiring = grant.retiring.as_deref().is_some_and(names);
        let grantee = names(&grant.grantee)
            && (grant.retiring.as_deref() == Some(grant.grantee.as_str())
                || grant.operations.iter().any(|o| o == "RetireGrant"));
        let issuer = who.account() == Some(grant.issuing_account.as_str())
            && (who.is_root() || iam_decision.is_allowed());
        if !(retiring || grantee || issuer) {
            return Err(Error::new(
                ErrorCode::AccessDeniedException,
                format!(
                    "User: {} is not authorized to perform: kms:RetireGrant on resource: {resource}: only the retiring principal, a grantee the grant lets retire it, or the issuing account can retire a grant",
                    who.arn()
                ),
            ));
        }
        Kms::dry_run(req.dry_run)?;
        self.key_mut(region, &key_id)?.grants.remove(index);
        Ok(Empty {})
    }

    /// RevokeGrant (authorized by kms:RevokeGrant in a policy).
    ///
    /// # Errors
    /// `InvalidGrantIdException`, `NotFoundException`.
    pub fn revoke_grant(&mut self, region: &str, req: RevokeGrantRequest) -> Result<Empty> {
        let (key_id, index) = self.find_grant(region, &req.key_id, &req.grant_id)?;
        Kms::dry_run(req.dry_run)?;
        self.key_mut(region, &key_id)?.grants.remove(index);
        Ok(Empty {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn grant(ops: &[&str], c: Option<GrantConstraints>) -> policy::Grant {
        policy::Grant {
            key_id: "k".into(),
            grant_id: "g".into(),
            name: None,
            creation_date: None,
            grantee_principal: "p".into(),
            retiring_principal: None,
            issuing_account: None,
            operations: ops.iter().map(ToString::to_string).collect(),
            constraints: c,
        }
    }

    fn map(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn child_grants_are_no_wider_than_their_parent() {
        let ops = |o: &[&str]| o.iter().map(ToString::to_string).collect::<Vec<_>>();
        let subset = GrantConstraints {
            encryption_context_subset: map(&[("Dept", "IT")]),
            ..Default::default()
        };
        let parent = grant(&["Decrypt", "CreateGrant"], Some(subset.clone()));
        assert!(within_parent(&parent, &ops(&["Decrypt"]), Some(&subset)));
        assert!(!within_parent(&parent, &ops(&["Encrypt"]), Some(&subset)));
        assert!(!within_parent(&parent, &ops(&["Decrypt"]), None));
        let wider = GrantConstraints {
            encryption_context_subset: map(&[("Dept", "IT"), ("Env", "prod")]),
            ..Default::default()
        };
        assert!(within_parent(&parent, &ops(&["Decrypt"]), Some(&wider)));
        let equals = GrantConstraints {
            encryption_context_equals: map(&[("Dept", "IT")]),
            ..Default::default()
        };
        assert!(
            within_parent(&parent, &ops(&["Decrypt"]), Some(&equals)),
            "Subset -> Equals is stricter"
        );
        let eq_parent = grant(&["Decrypt"], Some(equals.clone()));
        assert!(
            !within_parent(&eq_parent, &ops(&["Decrypt"]), Some(&subset)),
            "Equals -> Subset is wider"
        );
        assert!(within_parent(
            &grant(&["Decrypt"], None),
            &ops(&["Decrypt"]),
            None
        ));
    }
}
