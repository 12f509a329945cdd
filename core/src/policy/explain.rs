//! A decision with its reasons: which source decided, which statements matched, and for each
//! statement that did not apply, the first element that failed.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde::Serialize;

use super::document::Policy;
use super::evaluate::{
    self, Decision, Miss, NamedPolicy, Note, Outcome, Recorder, Source, Verdict,
};
use super::grant::{Grant, GrantMiss};
use super::request::Request;

/// A statement, named by its source and index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatementRef {
    /// `key_policy` or `iam:<name>`.
    pub source: String,
    /// The statement's index in its policy's `Statement` list.
    pub index: usize,
    /// Its `Sid`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: &'static str,
}

/// How one statement or grant fared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Step {
    /// `key_policy`, `iam:<name>` or `grant:<GrantId>`.
    pub source: String,
    /// Statement index (grants: their position in the list).
    pub index: usize,
    /// The statement's Sid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny` (grants always allow).
    pub effect: &'static str,
    /// Whether it applied to the request.
    pub matched: bool,
    /// It applied only through the caller's account principal (delegation to IAM).
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub via_account: bool,
    /// The first element that did not match: `Principal`, `Action`, `Resource`, `Condition`,
    /// or for grants `KeyId`, `GranteePrincipal`, `Operations`, `Constraints`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<&'static str>,
    /// A readable account of the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The full result of [`super::evaluate`]: the decision and everything that led to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Evaluation {
    /// The decision.
    #[serde(serialize_with = "decision_name")]
    pub decision: Decision,
    /// `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; none for implicit deny.
    pub source: Option<String>,
    /// The deciding statement, when a statement decided.
    pub statement: Option<StatementRef>,
    /// Every statement that applied to the request, in evaluation order.
    pub statements: Vec<StatementRef>,
    /// Every statement and grant looked at, with why it did or did not apply.
    pub steps: Vec<Step>,
    /// Rules beyond single statements that shaped the decision.
    pub notes: Vec<String>,
}

fn decision_name<S: serde::Serializer>(d: &Decision, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.as_str())
}

/// Decides `request` and records why.
pub fn evaluate(
    request: &Request,
    key_policy: Option<&Policy>,
    iam: &[NamedPolicy],
    grants: &[Grant],
) -> Evaluation {
    let mut rec = Recorder::default();
    let outcome = evaluate::run(request, key_policy, iam, grants, &mut rec);
    Names {
        key_policy,
        iam,
        grants,
    }
    .evaluation(request, outcome, rec)
}

struct Names<'a> {
    key_policy: Option<&'a Policy>,
    iam: &'a [NamedPolicy],
    grants: &'a [Grant],
}

impl Names<'_> {
    fn source(&self, s: Source) -> String {
        match s {
            Source::KeyPolicy => "key_policy".into(),
            Source::Iam(i) => format!("iam:{}", self.iam.get(i).map_or("", |p| p.name.as_str())),
            Source::Grant(i) => format!(
                "grant:{}",
                self.grants.get(i).map_or("", |g| g.grant_id.as_str())
            ),
            Source::AccountRoot => "account_root".into(),
        }
    }

    fn policy(&self, s: Source) -> Option<&Policy> {
        match s {
            Source::KeyPolicy => self.key_policy,
            Source::Iam(i) => self.iam.get(i).map(|p| &p.policy),
            _ => None,
        }
    }

    fn statement_ref(&self, s: Source, index: usize) -> StatementRef {
        let policy = self.policy(s);
        StatementRef {
            source: self.source(s),
            index,
            sid: policy.and_then(|p| p.sid(index)).map(ToString::to_string),
            effect: policy
                .and_then(|p| p.statements().get(index))
                .map_or("Allow", |st| st.effect.as_str()),
        }
    }

    fn evaluation(&self, request: &Request, outcome: Outcome, rec: Recorder) -> Evaluation {
        let mut steps = Vec::new();
        let mut statements = Vec::new();
        for &(source, index, verdict) in &rec.statements {
            let r = self.statement_ref(source, index);
            let (matched, via_account, failed, detail) = match verdict {
                Verdict::Matched { via_account } => (true, via_account, None, None),
                Verdict::Missed(miss) => {
                    let (failed, detail) = self.miss(source, index, miss, request);
                    (false, false, Some(failed), Some(detail))
                }
            };
            if matched {
                statements.push(r.clone());
            }
            steps.push(Step {
                source: r.source,
                index,
                sid: r.sid,
                effect: r.effect,
                matched,
                via_account,
                failed,
                detail,
            });
        }
        for &(index, verdict) in &rec.grants {
            let grant = &self.grants[index];
            let (matched, via_account, failed, detail) = match verdict {
                Ok(via) => (true, via, None, None),
                Err(miss) => (
                    false,
                    false,
                    Some(miss.as_str()),
                    Some(grant_detail(grant, miss, request)),
                ),
            };
            steps.push(Step {
                source: self.source(Source::Grant(index)),
                index,
                sid: grant.name.clone(),
                effect: "Allow",
                matched,
                via_account,
                failed,
                detail,
            });
        }
        let notes = rec.notes.iter().map(|n| self.note(*n, request)).collect();
        Evaluation {
            decision: outcome.decision,
            source: outcome.source.map(|s| self.source(s)),
            statement: outcome
                .source
                .zip(outcome.statement)
                .map(|(s, i)| self.statement_ref(s, i)),
            statements,
            steps,
            notes,
        }
    }

    fn miss(
        &self,
        source: Source,
        index: usize,
        miss: Miss,
        request: &Request,
    ) -> (&'static str, String) {
        let st = self.policy(source).and_then(|p| p.statements().get(index));
        match miss {
            Miss::Principal => (
                "Principal",
                format!("does not name {}", request.caller().arn()),
            ),
            Miss::Action => ("Action", format!("does not cover {}", request.action())),
            Miss::Resource => ("Resource", format!("does not cover {}", request.resource())),
            Miss::NoResource => (
                "Resource",
                "the statement has no Resource, so it applies to nothing".into(),
            ),
            Miss::RetireGrantInKeyPolicy => (
                "Action",
                "an Allow of kms:RetireGrant has no effect in a key policy".into(),
            ),
            Miss::Condition(i) => {
                let Some(c) = st.and_then(|s| s.conditions.get(i)) else {
                    return ("Condition", String::new());
                };
                let hidden = source == Source::KeyPolicy
                    && super::actions::iam_only_condition_key(c.key_lower());
                let actual = match request.context().lookup(c.key_lower()) {
                    _ if hidden => "is only available in IAM policies, so it is absent here".into(),
                    Some(super::request::ContextValue::One(v)) => format!("request value {v:?}"),
                    Some(super::request::ContextValue::Many(v)) => format!("request values {v:?}"),
                    None => "is absent from the request".into(),
                };
                (
                    "Condition",
                    format!("{} {} {actual}", c.operator(), c.key()),
                )
            }
        }
    }

    fn note(&self, note: Note, request: &Request) -> String {
        match note {
            Note::CrossAccountForbidden => format!(
                "{} cannot be used by a principal of another account ({} on a key of {})",
                request.action(),
                request.caller().account().unwrap_or("?"),
                request.resource_account().unwrap_or("?")
            ),
            Note::NeedsIamAllow(i) => format!(
                "key_policy statement {i} allows the account {}, which delegates to IAM, but no IAM policy of the caller allows {}",
                request.caller().account().unwrap_or("?"),
                request.action()
            ),
            Note::CrossAccountNeedsIam => {
                "the key policy allows this principal of another account, but its own account's IAM policies must allow too, and none did".into()
            }
            Note::IamNotApplicable => "IAM policies do not apply to an account root or an AWS service principal".into(),
            Note::IamOnlyAction => format!("{} is governed by IAM policies alone", request.action()),
        }
    }
}

fn grant_detail(grant: &Grant, miss: GrantMiss, request: &Request) -> String {
    match miss {
        GrantMiss::KeyId => format!("is for {}, not {}", grant.key_id, request.resource()),
        GrantMiss::GranteePrincipal => format!(
            "grantee {} is not {}",
            grant.grantee_principal,
            request.caller().arn()
        ),
        GrantMiss::Operations => {
            format!("{} is not among {:?}", request.action(), grant.operations)
        }
        GrantMiss::Constraints => {
            "the request's encryption context does not meet the grant's constraint".into()
        }
    }
}

impl Evaluation {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// A readable account of the decision, one line per statement and grant.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let by = match (&self.source, &self.statement) {
            (_, Some(s)) => format!(" by {} statement {}{}", s.source, s.index, sid_text(&s.sid)),
            (Some(src), None) => format!(" by {src}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "{}{by}", self.decision.as_str());
        for step in &self.steps {
            let what = if step.source.starts_with("grant:") {
                step.source.clone()
            } else {
                format!(
                    "{}[{}]{} {}",
                    step.source,
                    step.index,
                    sid_text(&step.sid),
                    step.effect
                )
            };
            let _ = match (step.matched, &step.failed) {
                (true, _) if step.via_account => writeln!(
                    out,
                    "  {what}: applies through the caller's account principal (needs an IAM Allow)"
                ),
                (true, _) => writeln!(out, "  {what}: applies"),
                (false, failed) => writeln!(
                    out,
                    "  {what}: does not apply - {} {}",
                    failed.unwrap_or(""),
                    step.detail.as_deref().unwrap_or("")
                ),
            };
        }
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if self.steps.is_empty() && self.notes.is_empty() {
            let _ = writeln!(out, "  no statement or grant applies");
        }
        out
    }

    /// The evaluation as JSON (PascalCase fields, as in KMS shapes), plus an `Explanation`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(m) = v.as_object_mut() {
            m.insert("Explanation".into(), self.explain().into());
        }
        v
    }
}

fn sid_text(sid: &Option<String>) -> String {
    sid.as_ref()
        .map(|s| format!(" ({s:?})"))
        .unwrap_or_default()
}
