//! Policy documents: parsing, validation and the compiled form the evaluator walks.
//!
//! A key policy and an IAM identity policy share the language; they differ in that a key
//! policy needs `Principal` (an identity policy may not have one), is limited to 32 KB and to
//! the characters KMS accepts (kms-guide-1 §8.2), and reads `"Resource": "*"` as "this key".

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::condition::{Condition, SetOp};
use super::glob::Glob;
use super::request::{Arn, is_account_id};
use super::variables;
use crate::error::{Error, ErrorCode, Result};

/// The largest key policy KMS accepts, in bytes.
pub const MAX_KEY_POLICY_BYTES: usize = 32 * 1024;

/// Which kind of document a policy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// A key policy (resource policy of one KMS key).
    Key,
    /// An IAM identity policy attached to a principal.
    Identity,
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

impl Effect {
    /// `"Allow"` or `"Deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A problem in a document that does not make it invalid, such as a `"*"` principal in an
/// Allow statement without a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// A stable name: `PrincipalWildcardWithoutCondition`, `StatementWithoutResource`, ...
    pub code: &'static str,
    /// The statement's index.
    pub statement: usize,
    /// What is wrong and why it matters.
    pub message: String,
}

/// A parsed, validated policy document, compiled for evaluation.
#[derive(Clone, Debug)]
pub struct Policy {
    kind: PolicyKind,
    version: Option<String>,
    id: Option<String>,
    statements: Vec<Statement>,
    findings: Vec<Finding>,
}

/// One statement.
#[derive(Clone, Debug)]
pub(crate) struct Statement {
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<Principals>,
    pub(crate) actions: Patterns,
    /// None when the statement has neither `Resource` nor `NotResource`: it applies to nothing.
    pub(crate) resources: Option<Patterns>,
    pub(crate) conditions: Vec<Condition>,
}

/// `Action`/`Resource` patterns, or their `Not...` form.
#[derive(Clone, Debug)]
pub(crate) struct Patterns {
    pub(crate) negated: bool,
    pub(crate) items: Vec<Pattern>,
}

#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub(crate) raw: String,
    /// None when the pattern holds policy variables, substituted per request.
    pub(crate) glob: Option<Glob>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug)]
pub(crate) struct Principals {
    pub(crate) negated: bool,
    pub(crate) entries: Vec<PrincipalEntry>,
}

/// One principal a statement names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    Any,
    /// The account principal: `arn:aws:iam::ACCT:root` or `ACCT`.
    Account(String),
    /// A role: matches the role and every session of it.
    Role {
        account: String,
        name: String,
        arn: String,
    },
    /// A user, session or federated user ARN, matched exactly.
    Arn(String),
    /// A service principal, such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// A `Federated` or `CanonicalUser` principal, matched exactly.
    Other(String),
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorCode::MalformedPolicyDocumentException, msg)
}

impl Policy {
    /// Parses and validates a policy document from its JSON text.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Policy> {
        if kind == PolicyKind::Key {
            check_key_policy_text(text)?;
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| malformed(format!("The policy is not valid JSON: {e}")))?;
        Policy::from_value(&value, kind)
    }

    /// Parses and validates a policy document already read as JSON. Key policies are checked
    /// for size and characters on their compact serialization.
    pub fn from_json(value: &Value, kind: PolicyKind) -> Result<Policy> {
        if kind == PolicyKind::Key {
            check_key_policy_text(&value.to_string())?;
        }
        Policy::from_value(value, kind)
    }

    fn from_value(value: &Value, kind: PolicyKind) -> Result<Policy> {
        if kind == PolicyKind::Key {
            // JSON escapes (`\u0001`) must not smuggle in characters the raw text may not hold.
            check_key_policy_strings(value)?;
        }
        let Value::Object(top) = value else {
            return Err(malformed("The policy must be a JSON object"));
        };
        for key in top.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(malformed(format!(
                    "Unknown policy element {key:?}; expected Version, Id, Statement"
                )));
            }
        }
        let version = match top.get("Version") {
            None => None,
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => Some(v.clone()),
            Some(v) => {
                return Err(malformed(format!(
                    "Version {v} is not supported; use \"2012-10-17\""
                )));
            }
        };
        let id = match top.get("Id") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(_) => return Err(malformed("Id must be a string")),
        };
        let variables = version.as_deref() == Some("2012-10-17");
        let statements: Vec<&Value> = match top.get("Statement") {
            Some(Value::Array(list)) if !list.is_empty() => list.iter().collect(),
            Some(s @ Value::Object(_)) => alloc::vec![s],
            Some(_) => {
                return Err(malformed(
                    "Statement must be an object or a non-empty list of objects",
                ));
            }
            None => return Err(malformed("The policy has no Statement")),
        };
        let mut policy = Policy {
            kind,
            version,
            id,
            statements: Vec::new(),
            findings: Vec::new(),
        };
        for (i, s) in statements.into_iter().enumerate() {
            let st = Statement::parse(s, kind, variables)
                .map_err(|e| malformed(format!("Statement {i}: {}", e.message())))?;
            policy.findings.extend(st.findings(kind, i));
            policy.statements.push(st);
        }
        Ok(policy)
    }

    /// Whether this is a key policy or an identity policy.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The `Version` element, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The `Id` element, if any.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// How many statements the policy has.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    /// The `Sid` of statement `index`, if it has one.
    pub fn sid(&self, index: usize) -> Option<&str> {
        self.statements.get(index).and_then(|s| s.sid.as_deref())
    }

    /// Warnings about statements that are valid but probably not what was meant.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub(crate) fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// Size and character rules of key policies (kms-guide-1 §8.2): at most 32 KB of printable
/// ASCII, printable Latin-1, tab, LF and CR.
fn check_key_policy_text(text: &str) -> Result<()> {
    if text.len() > MAX_KEY_POLICY_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceededException,
            format!(
                "The key policy is {} bytes; the limit is {MAX_KEY_POLICY_BYTES}",
                text.len()
            ),
        ));
    }
    check_chars(text)
}

fn check_chars(s: &str) -> Result<()> {
    match s.chars().find(|&c| !allowed_char(c)) {
        Some(c) => Err(malformed(format!(
            "The key policy contains the character U+{:04X}, which key policies do not allow",
            c as u32
        ))),
        None => Ok(()),
    }
}

fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{ff}')
}

fn check_key_policy_strings(v: &Value) -> Result<()> {
    match v {
        Value::String(s) => check_chars(s),
        Value::Array(items) => items.iter().try_for_each(check_key_policy_strings),
        Value::Object(m) => m.iter().try_for_each(|(k, v)| {
            check_chars(k)?;
            check_key_policy_strings(v)
        }),
        _ => Ok(()),
    }
}

impl Statement {
    fn parse(v: &Value, kind: PolicyKind, variables: bool) -> Result<Statement> {
        let Value::Object(m) = v else {
            return Err(malformed("a statement must be a JSON object"));
        };
        for key in m.keys() {
            if !matches!(
                key.as_str(),
                "Sid"
                    | "Effect"
                    | "Principal"
                    | "NotPrincipal"
                    | "Action"
                    | "NotAction"
                    | "Resource"
                    | "NotResource"
                    | "Condition"
            ) {
                return Err(malformed(format!("unknown element {key:?}")));
            }
        }
        let sid = match m.get("Sid") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(malformed("Sid must be a string")),
        };
        let effect = match m.get("Effect").and_then(Value::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            Some(other) => {
                return Err(malformed(format!(
                    "Effect {other:?} must be \"Allow\" or \"Deny\""
                )));
            }
            None => return Err(malformed("Effect is required")),
        };
        let principal = match (m.get("Principal"), m.get("NotPrincipal")) {
            (Some(_), Some(_)) => {
                return Err(malformed("Principal and NotPrincipal cannot both appear"));
            }
            (Some(p), None) => Some(Principals {
                negated: false,
                entries: parse_principal(p)?,
            }),
            (None, Some(p)) => Some(Principals {
                negated: true,
                entries: parse_principal(p)?,
            }),
            (None, None) => None,
        };
        match (kind, &principal) {
            (PolicyKind::Key, None) => {
                return Err(malformed(
                    "a key policy statement needs Principal or NotPrincipal",
                ));
            }
            (PolicyKind::Identity, Some(_)) => {
                return Err(malformed(
                    "an identity policy statement cannot have Principal or NotPrincipal",
                ));
            }
            _ => {}
        }
        let actions = match (m.get("Action"), m.get("NotAction")) {
            (Some(_), Some(_)) => return Err(malformed("Action and NotAction cannot both appear")),
            (Some(a), None) => patterns(a, "Action", false, false, check_action)?,
            (None, Some(a)) => patterns(a, "NotAction", true, false, check_action)?,
            (None, None) => return Err(malformed("Action or NotAction is required")),
        };
        let resources = match (m.get("Resource"), m.get("NotResource")) {
            (Some(_), Some(_)) => {
                return Err(malformed("Resource and NotResource cannot both appear"));
            }
            (Some(r), None) => Some(patterns(r, "Resource", false, variables, check_resource)?),
            (None, Some(r)) => Some(patterns(r, "NotResource", true, variables, check_resource)?),
            (None, None) => None,
        };
        let mut conditions = Vec::new();
        match m.get("Condition") {
            None => {}
            Some(Value::Object(ops)) => {
                for (op, block) in ops {
                    Condition::parse_block(op, block, variables, &mut conditions)?;
                }
            }
            Some(_) => return Err(malformed("Condition must be an object of operators")),
        }
        for c in &conditions {
            let k = c.key_lower();
            if c.set() == SetOp::ForAllValues
                && (k.starts_with("kms:encryptioncontext:") || k.starts_with("aws:requesttag/"))
            {
                return Err(malformed(format!(
                    "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key ({}) matches requests without the specified encryption context or tag or with an unspecified one. To fix, remove ForAllValues.",
                    c.key()
                )));
            }
        }
        Ok(Statement {
            sid,
            effect,
            principal,
            actions,
            resources,
            conditions,
        })
    }

    fn findings(&self, kind: PolicyKind, index: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut note = |code: &'static str, message: String| {
            out.push(Finding {
                code,
                statement: index,
                message,
            })
        };
        let open_principal = self
            .principal
            .as_ref()
            .is_some_and(|p| !p.negated && p.entries.contains(&PrincipalEntry::Any));
        if self.effect == Effect::Allow && open_principal && self.conditions.is_empty() {
            note("PrincipalWildcardWithoutCondition", "Principal \"*\" in an Allow statement without a Condition allows every identity in every AWS account".into());
        }
        if self.resources.is_none() {
            note(
                "StatementWithoutResource",
                "The statement has no Resource element, so it applies to nothing".into(),
            );
        }
        if kind == PolicyKind::Key {
            for p in &self.actions.items {
                let a = p.raw.to_ascii_lowercase();
                if !self.actions.negated && super::actions::iam_only(&a) {
                    note(
                        "IamOnlyActionInKeyPolicy",
                        format!(
                            "{} is controlled only by IAM policies; it has no effect in a key policy",
                            p.raw
                        ),
                    );
                }
                if !self.actions.negated && self.effect == Effect::Allow && a == "kms:retiregrant" {
                    note("RetireGrantInKeyPolicy", "kms:RetireGrant has no effect in a key policy Allow; retiring is governed by the grant".into());
                }
            }
            for c in &self.conditions {
                if super::actions::iam_only_condition_key(c.key_lower()) {
                    note(
                        "IamOnlyConditionKeyInKeyPolicy",
                        format!(
                            "{} is only available in IAM policies; in a key policy it is always absent",
                            c.key()
                        ),
                    );
                }
            }
        }
        for c in &self.conditions {
            let k = c.key_lower();
            let multi = matches!(
                k,
                "kms:encryptioncontextkeys"
                    | "kms:grantoperations"
                    | "kms:resourcealiases"
                    | "aws:tagkeys"
                    | "aws:calledvia"
                    | "aws:principalorgpaths"
            );
            if c.set() != SetOp::None && !multi && k.starts_with("kms:") {
                note(
                    "SetOperatorOnSingleValuedKey",
                    format!(
                        "{} applies a set operator to {}, which is single-valued",
                        c.operator(),
                        c.key()
                    ),
                );
            }
        }
        out
    }
}

/// Reads a string or a non-empty list of strings.
fn strings<'a>(v: &'a Value, element: &str) -> Result<Vec<&'a str>> {
    let bad = || {
        malformed(format!(
            "{element} must be a string or a non-empty list of strings"
        ))
    };
    match v {
        Value::String(s) => Ok(alloc::vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() => {
            items.iter().map(|i| i.as_str().ok_or_else(bad)).collect()
        }
        _ => Err(bad()),
    }
}

fn patterns(
    v: &Value,
    element: &str,
    negated: bool,
    variables: bool,
    check: fn(&str) -> bool,
) -> Result<Patterns> {
    let mut items = Vec::new();
    for raw in strings(v, element)? {
        if !check(raw) {
            return Err(malformed(format!("{element} {raw:?} is not valid")));
        }
        // Actions compare case-insensitively; resources (ARNs) case-sensitively.
        let text = if element.ends_with("Action") {
            raw.to_ascii_lowercase()
        } else {
            raw.to_owned()
        };
        let glob = (!variables || !variables::has_variables(&text)).then(|| Glob::new(&text));
        items.push(Pattern {
            raw: raw.to_owned(),
            glob,
        });
    }
    Ok(Patterns { negated, items })
}

fn check_action(a: &str) -> bool {
    a == "*"
        || a.split_once(':').is_some_and(|(svc, name)| {
            !svc.is_empty()
                && !name.is_empty()
                && svc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
        })
}

fn check_resource(r: &str) -> bool {
    r == "*" || (r.starts_with("arn:") && r.split(':').count() >= 6)
}

fn parse_principal(v: &Value) -> Result<Vec<PrincipalEntry>> {
    match v {
        Value::String(s) if s == "*" => Ok(alloc::vec![PrincipalEntry::Any]),
        Value::Object(m) if !m.is_empty() => {
            let mut out = Vec::new();
            for (kind, ids) in m {
                for id in strings(ids, &format!("Principal {kind}"))? {
                    out.push(match kind.as_str() {
                        "AWS" => aws_principal(id)?,
                        "Service" if id == "*" => PrincipalEntry::Any,
                        "Service" if id.contains('.') && !id.contains(['*', '?', ':', ' ']) => PrincipalEntry::Service(id.to_owned()),
                        "Federated" | "CanonicalUser" if !id.is_empty() && !id.contains('*') => PrincipalEntry::Other(id.to_owned()),
                        "Service" | "Federated" | "CanonicalUser" => return Err(malformed(format!("invalid {kind} principal {id:?}"))),
                        _ => return Err(malformed(format!("unknown principal type {kind:?}; expected AWS, Service, Federated or CanonicalUser"))),
                    });
                }
            }
            Ok(out)
        }
        _ => Err(malformed(
            "Principal must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}",
        )),
    }
}

pub(crate) fn aws_principal(id: &str) -> Result<PrincipalEntry> {
    if id == "*" {
        return Ok(PrincipalEntry::Any);
    }
    if is_account_id(id) {
        return Ok(PrincipalEntry::Account(id.to_owned()));
    }
    let bad = || {
        malformed(format!(
            "invalid principal {id:?}: use \"*\", an account ID, or an IAM/STS ARN without wildcards"
        ))
    };
    if id.contains(['*', '?']) {
        return Err(bad());
    }
    let arn = Arn::parse(id).ok_or_else(bad)?;
    if !is_account_id(arn.account) || !arn.region.is_empty() {
        return Err(bad());
    }
    let r = arn.resource;
    Ok(match arn.service {
        "iam" if r == "root" => PrincipalEntry::Account(arn.account.to_owned()),
        "iam" if r.starts_with("role/") && r.len() > 5 => PrincipalEntry::Role {
            account: arn.account.to_owned(),
            name: r.rsplit('/').next().unwrap_or_default().to_owned(),
            arn: id.to_owned(),
        },
        "iam" if r.starts_with("user/") && r.len() > 5 => PrincipalEntry::Arn(id.to_owned()),
        "sts" if r.starts_with("assumed-role/") || r.starts_with("federated-user/") => {
            PrincipalEntry::Arn(id.to_owned())
        }
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Policy> {
        Policy::parse(text, PolicyKind::Key)
    }

    #[test]
    fn default_key_policy() {
        let p = parse(r#"{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#).unwrap();
        assert_eq!(p.statement_count(), 1);
        assert_eq!(p.sid(0), Some("Enable IAM User Permissions"));
        assert_eq!(
            p.statements()[0].principal.as_ref().unwrap().entries,
            [PrincipalEntry::Account("111122223333".into())]
        );
        assert!(p.findings().is_empty());
    }

    #[test]
    fn rejections() {
        for (doc, why) in [
            (r#"{"Statement":[]}"#, "empty statements"),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Extra":1}}"#,
                "unknown element",
            ),
            (
                r#"{"Statement":{"Effect":"allow","Principal":"*","Action":"kms:*","Resource":"*"}}"#,
                "effect case",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#,
                "no principal",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"kms:*","Resource":"*"}}"#,
                "wildcard principal",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContext:a":"b"}}}}"#,
                "overly permissive",
            ),
            (
                r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}"#,
                "version",
            ),
            ("not json", "json"),
            (
                "{\"Statement\":{\"Sid\":\"\u{100}\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}",
                "character",
            ),
        ] {
            let err = parse(doc).expect_err(why);
            assert_eq!(
                err.code(),
                ErrorCode::MalformedPolicyDocumentException,
                "{why}: {err}"
            );
        }
    }

    #[test]
    fn findings_and_identity_rules() {
        let p = parse(r#"{"Statement":{"Sid":"open door","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:CreateKey"]}}"#).unwrap();
        let codes: Vec<_> = p.findings().iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "PrincipalWildcardWithoutCondition",
                "StatementWithoutResource",
                "IamOnlyActionInKeyPolicy"
            ]
        );
        assert!(Policy::parse(r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}"#, PolicyKind::Identity).is_err());
        assert!(
            Policy::parse(
                r#"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#,
                PolicyKind::Identity
            )
            .is_ok()
        );
    }
}
