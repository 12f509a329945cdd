//! An authorization request: the action, the caller, the resource and the request context
//! (condition keys and their values).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::actions;
use super::scalar;
use crate::error::{Error, Result};

/// What kind of identity a caller is, read from its ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallerKind {
    /// The account principal `arn:aws:iam::ACCT:root` (the account's root user).
    AccountRoot,
    /// An IAM user.
    User,
    /// An IAM role ARN, taken to mean a session of that role.
    Role,
    /// An STS assumed-role session.
    AssumedRole,
    /// An STS federated user.
    FederatedUser,
    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    Service,
    /// Any other ARN with an account field.
    Other,
}

/// The principal making a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    arn: String,
    kind: CallerKind,
    account: Option<String>,
    /// For a role or an assumed-role session: the role's account and name (not its path).
    role: Option<(String, String)>,
    partition: String,
}

impl Caller {
    /// Reads a principal: an IAM/STS ARN, a 12-digit account ID (the account principal) or a
    /// service principal name.
    pub fn parse(principal: &str) -> Result<Caller> {
        let bad = || {
            Error::validation(format!(
                "Principal {principal:?} is not a valid principal ARN, account ID or service principal"
            ))
        };
        if is_account_id(principal) {
            return Ok(Caller::root("aws", principal));
        }
        if !principal.starts_with("arn:") {
            if principal.contains('.') && !principal.contains(':') && !principal.contains('*') {
                return Ok(Caller {
                    arn: principal.to_owned(),
                    kind: CallerKind::Service,
                    account: None,
                    role: None,
                    partition: String::new(),
                });
            }
            return Err(bad());
        }
        let arn = Arn::parse(principal).ok_or_else(bad)?;
        if !is_account_id(arn.account) {
            return Err(bad());
        }
        let (kind, role) = match (arn.service, arn.resource) {
            ("iam", "root") => return Ok(Caller::root(arn.partition, arn.account)),
            ("iam", r) if r.starts_with("user/") => (CallerKind::User, None),
            ("iam", r) if r.starts_with("role/") => {
                let name = r.rsplit('/').next().unwrap_or_default();
                (CallerKind::Role, Some(name))
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                let mut parts = r.splitn(3, '/').skip(1);
                match (parts.next(), parts.next()) {
                    (Some(role), Some(session)) if !role.is_empty() && !session.is_empty() => {
                        (CallerKind::AssumedRole, Some(role))
                    }
                    _ => return Err(bad()),
                }
            }
            ("sts", r) if r.starts_with("federated-user/") => (CallerKind::FederatedUser, None),
            _ => (CallerKind::Other, None),
        };
        Ok(Caller {
            arn: principal.to_owned(),
            kind,
            account: Some(arn.account.to_owned()),
            role: role.map(|r| (arn.account.to_owned(), r.to_owned())),
            partition: arn.partition.to_owned(),
        })
    }

    /// The account principal of `account` in `partition`.
    pub fn root(partition: &str, account: &str) -> Caller {
        Caller {
            arn: format!("arn:{partition}:iam::{account}:root"),
            kind: CallerKind::AccountRoot,
            account: Some(account.to_owned()),
            role: None,
            partition: partition.to_owned(),
        }
    }

    /// The caller's ARN (for a service principal, its name).
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// What kind of identity this is.
    pub fn kind(&self) -> CallerKind {
        self.kind
    }

    /// The caller's account, if it has one (service principals do not).
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// Whether this is the account principal (the root user) of its account.
    pub fn is_root(&self) -> bool {
        self.kind == CallerKind::AccountRoot
    }

    /// For a role or role session: (account, role name).
    pub(crate) fn role(&self) -> Option<(&str, &str)> {
        self.role.as_ref().map(|(a, r)| (a.as_str(), r.as_str()))
    }

    /// `aws:PrincipalArn`: a session is represented by its role's ARN.
    fn principal_arn(&self) -> Option<String> {
        match (self.kind, &self.role) {
            (CallerKind::AssumedRole, Some((acct, role))) => {
                Some(format!("arn:{}:iam::{acct}:role/{role}", self.partition))
            }
            (CallerKind::Service, _) => None,
            _ => Some(self.arn.clone()),
        }
    }

    fn principal_type(&self) -> Option<&'static str> {
        Some(match self.kind {
            CallerKind::AccountRoot => "Account",
            CallerKind::User => "User",
            CallerKind::Role | CallerKind::AssumedRole => "AssumedRole",
            CallerKind::FederatedUser => "FederatedUser",
            CallerKind::Service | CallerKind::Other => return None,
        })
    }
}

/// A 12-digit AWS account ID.
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The six fields of an ARN; the resource may itself contain `:`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arn<'a> {
    pub(crate) partition: &'a str,
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) resource: &'a str,
}

impl<'a> Arn<'a> {
    pub(crate) fn parse(s: &'a str) -> Option<Arn<'a>> {
        let mut it = s.splitn(6, ':');
        if it.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: it.next()?,
            service: it.next()?,
            region: it.next()?,
            account: it.next()?,
            resource: it.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }
}

/// One condition key's value in a request: single-valued, or a set (a multi-valued key such as
/// `kms:EncryptionContextKeys`; an empty set counts as absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    /// A single value.
    One(String),
    /// A multi-valued key's values.
    Many(Vec<String>),
}

impl ContextValue {
    pub(crate) fn as_slice(&self) -> &[String] {
        match self {
            ContextValue::One(v) => core::slice::from_ref(v),
            ContextValue::Many(v) => v,
        }
    }

    /// Reads a JSON value: a string, number or boolean, or a list of them.
    pub fn from_json(v: &serde_json::Value) -> Option<ContextValue> {
        match v {
            serde_json::Value::Array(items) => items
                .iter()
                .map(scalar_text)
                .collect::<Option<Vec<_>>>()
                .map(ContextValue::Many),
            other => scalar_text(other).map(ContextValue::One),
        }
    }
}

impl From<&str> for ContextValue {
    fn from(v: &str) -> Self {
        ContextValue::One(v.to_owned())
    }
}

impl From<String> for ContextValue {
    fn from(v: String) -> Self {
        ContextValue::One(v)
    }
}

impl From<bool> for ContextValue {
    fn from(v: bool) -> Self {
        ContextValue::One(if v { "true" } else { "false" }.to_owned())
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(v: Vec<String>) -> Self {
        ContextValue::Many(v)
    }
}

/// The text of a JSON scalar as a policy compares it: numbers as written, booleans as
/// `true`/`false`.
pub(crate) fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    key: String,
    lower: String,
    value: ContextValue,
}

/// The request context: condition keys (case-insensitive names) and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<Entry>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (replacing a value under the same key in any letter case).
    pub fn insert(&mut self, key: &str, value: impl Into<ContextValue>) {
        let lower = key.to_lowercase();
        let value = value.into();
        match self.entries.iter_mut().find(|e| e.lower == lower) {
            Some(e) => {
                e.key = key.to_owned();
                e.value = value;
            }
            None => self.entries.push(Entry {
                key: key.to_owned(),
                lower,
                value,
            }),
        }
    }

    /// Builder form of [`insert`](Self::insert).
    pub fn with(mut self, key: &str, value: impl Into<ContextValue>) -> Self {
        self.insert(key, value);
        self
    }

    /// Looks a key up by its lower-case name; an empty set counts as absent.
    pub(crate) fn lookup(&self, lower: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|e| e.lower == lower)
            .map(|e| &e.value)
            .filter(|v| !matches!(v, ContextValue::Many(m) if m.is_empty()))
    }

    /// Looks a key up by name in any letter case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.lookup(&key.to_lowercase())
    }

    fn contains_lower(&self, lower: &str) -> bool {
        self.entries.iter().any(|e| e.lower == lower)
    }

    fn insert_default(&mut self, key: &str, value: impl Into<ContextValue>) {
        if !self.contains_lower(&key.to_lowercase()) {
            self.insert(key, value);
        }
    }

    /// The request's encryption context, from `kms:EncryptionContext:<key>` entries, with each
    /// key in the case it was given.
    pub(crate) fn encryption_context(&self) -> impl Iterator<Item = (&str, &str)> {
        const PREFIX: &str = "kms:encryptioncontext:";
        self.entries
            .iter()
            .filter_map(|e| match (&e.value, e.key.split_at_checked(PREFIX.len())) {
                (ContextValue::One(v), Some((prefix, key)))
                    if prefix.eq_ignore_ascii_case(PREFIX) =>
                {
                    Some((key, v.as_str()))
                }
                _ => None,
            })
    }

    /// Every key and value, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }
}

/// An authorization request, ready to evaluate many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    action: String,
    action_lower: String,
    caller: Caller,
    resource: String,
    resource_account: Option<String>,
    context: Context,
}

impl Request {
    /// Builds a request. The context is completed as KMS completes it: `aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username` and `kms:CallerAccount`
    /// from the caller; `aws:CurrentTime` and `aws:EpochTime` from each other; and the
    /// defaults of absent request parameters (`kms:EncryptionAlgorithm` = `SYMMETRIC_DEFAULT`
    /// for Encrypt, ...). Keys given in `context` are kept as given.
    pub fn new(
        action: &str,
        caller: Caller,
        resource: &str,
        mut context: Context,
    ) -> Result<Request> {
        let Some((service, name)) = action.split_once(':') else {
            return Err(Error::validation(format!(
                "Action {action:?} must look like \"kms:Decrypt\""
            )));
        };
        if service.is_empty() || name.is_empty() || action.contains(['*', '?']) {
            return Err(Error::validation(format!(
                "Action {action:?} must name one action, like \"kms:Decrypt\""
            )));
        }
        if resource.is_empty() {
            return Err(Error::validation("Resource must not be empty"));
        }
        if let Some(arn) = caller.principal_arn() {
            context.insert_default("aws:PrincipalArn", arn);
        }
        if let Some(acct) = caller.account() {
            context.insert_default("aws:PrincipalAccount", acct);
            context.insert_default("kms:CallerAccount", acct);
        }
        if let Some(t) = caller.principal_type() {
            context.insert_default("aws:PrincipalType", t);
        }
        if caller.kind == CallerKind::User {
            let name = caller.arn.rsplit('/').next().unwrap_or_default().to_owned();
            context.insert_default("aws:username", name);
        }
        complete_times(&mut context);
        let action_lower = action.to_ascii_lowercase();
        for &(key, value) in actions::parameter_defaults(&action_lower) {
            context.insert_default(key, value);
        }
        let resource_account = Arn::parse(resource)
            .map(|a| a.account)
            .filter(|a| is_account_id(a))
            .map(ToOwned::to_owned);
        Ok(Request {
            action: action.to_owned(),
            action_lower,
            caller,
            resource: resource.to_owned(),
            resource_account,
            context,
        })
    }

    /// Reads the JSON request shape `{"Action", "Principal", "Resource", "Context"}`.
    pub fn from_json(v: &serde_json::Value) -> Result<Request> {
        let obj = v
            .as_object()
            .ok_or_else(|| Error::validation("The request must be a JSON object"))?;
        for key in obj.keys() {
            if !["Action", "Principal", "Resource", "Context"].contains(&key.as_str()) {
                return Err(Error::validation(format!(
                    "Unknown request field {key:?}; expected Action, Principal, Resource, Context"
                )));
            }
        }
        let text = |k: &str| -> Result<&str> {
            obj.get(k)
                .and_then(|v| v.as_str())
                .ok_or_else(|| Error::validation(format!("The request needs {k} as a string")))
        };
        let caller = Caller::parse(text("Principal")?)?;
        let resource = match obj.get("Resource") {
            None => "*",
            Some(_) => text("Resource")?,
        };
        let mut context = Context::new();
        match obj.get("Context") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(m)) => {
                for (k, v) in m {
                    let value = ContextValue::from_json(v).ok_or_else(|| {
                        Error::validation(format!("Context value of {k:?} must be a string, number, boolean or a list of them"))
                    })?;
                    context.insert(k, value);
                }
            }
            Some(_) => return Err(Error::validation("Context must be an object")),
        }
        Request::new(text("Action")?, caller, resource, context)
    }

    /// The action, as given (`kms:Decrypt`).
    pub fn action(&self) -> &str {
        &self.action
    }

    pub(crate) fn action_lower(&self) -> &str {
        &self.action_lower
    }

    /// The caller.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The resource ARN (or `*`).
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The account that owns the resource: from its ARN, else the caller's.
    pub fn resource_account(&self) -> Option<&str> {
        self.resource_account.as_deref().or(self.caller.account())
    }

    /// The completed request context.
    pub fn context(&self) -> &Context {
        &self.context
    }
}

/// Fills `aws:CurrentTime` from `aws:EpochTime` or the other way round.
fn complete_times(context: &mut Context) {
    let current = context.get("aws:CurrentTime").and_then(|v| match v {
        ContextValue::One(s) => scalar::date_ms(s),
        ContextValue::Many(_) => None,
    });
    let epoch = context.get("aws:EpochTime").and_then(|v| match v {
        ContextValue::One(s) => scalar::date_ms(s),
        ContextValue::Many(_) => None,
    });
    if let (Some(ms), None) = (current, epoch) {
        context.insert("aws:EpochTime", (ms.div_euclid(1000)).to_string());
    }
    if let (None, Some(ms)) = (current, epoch) {
        context.insert("aws:CurrentTime", scalar::format_iso8601(ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers() {
        let c = Caller::parse("arn:aws:sts::111122223333:assumed-role/app/session-1").unwrap();
        assert_eq!(c.kind(), CallerKind::AssumedRole);
        assert_eq!(c.role(), Some(("111122223333", "app")));
        assert_eq!(
            c.principal_arn().as_deref(),
            Some("arn:aws:iam::111122223333:role/app")
        );
        let r = Caller::parse("111122223333").unwrap();
        assert!(r.is_root());
        assert_eq!(r.arn(), "arn:aws:iam::111122223333:root");
        let s = Caller::parse("cloudtrail.amazonaws.com").unwrap();
        assert_eq!((s.kind(), s.account()), (CallerKind::Service, None));
        let role = Caller::parse("arn:aws:iam::111122223333:role/path/to/app").unwrap();
        assert_eq!(role.role(), Some(("111122223333", "app")));
        for bad in [
            "",
            "bob",
            "arn:aws:iam::1111:user/x",
            "arn:aws:sts::111122223333:assumed-role/app",
        ] {
            assert!(Caller::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn context_completion() {
        let caller = Caller::parse("arn:aws:iam::111122223333:user/alice").unwrap();
        let ctx = Context::new()
            .with("aws:CurrentTime", "2026-01-01T00:00:00Z")
            .with("kms:EncryptionContext:AppName", "x");
        let r = Request::new(
            "kms:Encrypt",
            caller,
            "arn:aws:kms:us-east-1:111122223333:key/k",
            ctx,
        )
        .unwrap();
        let c = r.context();
        assert_eq!(c.get("AWS:USERNAME"), Some(&"alice".into()));
        assert_eq!(c.get("aws:epochtime"), Some(&"1767225600".into()));
        assert_eq!(
            c.get("kms:EncryptionAlgorithm"),
            Some(&"SYMMETRIC_DEFAULT".into())
        );
        assert_eq!(c.get("kms:CallerAccount"), Some(&"111122223333".into()));
        assert_eq!(
            c.encryption_context().collect::<Vec<_>>(),
            [("AppName", "x")]
        );
        assert_eq!(r.resource_account(), Some("111122223333"));
    }
}
