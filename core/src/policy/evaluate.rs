//! KMS authorization: key policy + IAM policies + grants, decided as KMS decides
//! (kms-guide-1 §9, kms-guide-2 §6–§7).
//!
//! 1. An explicit Deny in the key policy or in any IAM policy of the caller wins.
//! 2. Allow when the key policy allows the caller itself; or allows the caller's account and
//!    an IAM policy of the caller allows too (delegation); or a grant allows.
//! 3. Across accounts, only the operations KMS permits cross-account can be allowed, and both
//!    the key policy and the caller's IAM policies must allow (an external root needs no IAM).
//! 4. Actions on no key (CreateKey, ListKeys, ...) are governed by IAM alone; the account root
//!    holds them implicitly.
//! 5. Otherwise: implicit deny.

use alloc::string::String;
use alloc::vec::Vec;

use super::actions;
use super::document::{Effect, Pattern, Patterns, Policy, PrincipalEntry, Principals, Statement};
use super::glob::Glob;
use super::grant::{Grant, GrantMiss};
use super::request::{Caller, CallerKind, Request};
use super::variables;

/// The three outcomes of IAM policy evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// Denied by a Deny statement.
    ExplicitDeny,
    /// Nothing allowed the request.
    ImplicitDeny,
}

impl Decision {
    /// `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "ALLOW",
            Decision::ExplicitDeny => "EXPLICIT_DENY",
            Decision::ImplicitDeny => "IMPLICIT_DENY",
        }
    }
}

/// Where a decision came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The key policy.
    KeyPolicy,
    /// The IAM policy at this index.
    Iam(usize),
    /// The grant at this index.
    Grant(usize),
    /// The account root's implicit permission for actions governed by IAM alone.
    AccountRoot,
}

/// A decision and what made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// What decided it (none for an implicit deny).
    pub source: Option<Source>,
    /// The deciding statement's index in its policy, when a statement decided.
    pub statement: Option<usize>,
}

impl Outcome {
    fn new(decision: Decision, source: Source, statement: Option<usize>) -> Self {
        Outcome {
            decision,
            source: Some(source),
            statement,
        }
    }

    const IMPLICIT_DENY: Outcome = Outcome {
        decision: Decision::ImplicitDeny,
        source: None,
        statement: None,
    };

    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }
}

/// An IAM identity policy and its name.
#[derive(Clone, Debug)]
pub struct NamedPolicy {
    /// The policy name (as in `iam:<name>` sources).
    pub name: String,
    /// The policy.
    pub policy: Policy,
}

/// The first element of a statement that did not match the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Miss {
    /// `Principal`/`NotPrincipal` does not name the caller.
    Principal,
    /// `Action`/`NotAction` does not cover the action.
    Action,
    /// `Resource`/`NotResource` does not cover the resource.
    Resource,
    /// The statement has no `Resource`, so it applies to nothing.
    NoResource,
    /// The condition at this index (in the order the statement lists them) does not hold.
    Condition(usize),
    /// An Allow of `kms:RetireGrant` in a key policy, which has no effect.
    RetireGrantInKeyPolicy,
}

/// How one statement related to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It applies; `via_account` when only through the caller's account principal.
    Matched {
        /// The statement named the caller's account, not the caller.
        via_account: bool,
    },
    /// It does not apply.
    Missed(Miss),
}

/// Something the decision depended on beyond single statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// The action cannot be allowed to a principal of another account.
    CrossAccountForbidden,
    /// A key policy statement allowed only the caller's account, and no IAM policy allowed.
    NeedsIamAllow(usize),
    /// A principal of another account needs an IAM Allow in its own account too.
    CrossAccountNeedsIam,
    /// IAM policies were not consulted: the caller is an account root or a service.
    IamNotApplicable,
    /// The action is governed by IAM policies alone.
    IamOnlyAction,
}

/// Receives each step of an evaluation; the fast path records nothing.
pub(crate) trait Trace {
    /// Whether every statement must be visited (no short-circuit on the first Deny).
    const FULL: bool;
    fn statement(&mut self, source: Source, index: usize, verdict: Verdict);
    fn grant(&mut self, index: usize, verdict: Result<bool, GrantMiss>);
    fn note(&mut self, note: Note);
}

pub(crate) struct NoTrace;

impl Trace for NoTrace {
    const FULL: bool = false;
    fn statement(&mut self, _: Source, _: usize, _: Verdict) {}
    fn grant(&mut self, _: usize, _: Result<bool, GrantMiss>) {}
    fn note(&mut self, _: Note) {}
}

/// Decides `request` against a key policy (none for actions governed by IAM alone), the
/// caller's IAM policies and the key's grants.
pub fn decide(
    request: &Request,
    key_policy: Option<&Policy>,
    iam: &[NamedPolicy],
    grants: &[Grant],
) -> Outcome {
    run(request, key_policy, iam, grants, &mut NoTrace)
}

pub(crate) fn run<T: Trace>(
    request: &Request,
    key_policy: Option<&Policy>,
    iam: &[NamedPolicy],
    grants: &[Grant],
    trace: &mut T,
) -> Outcome {
    let caller = request.caller();
    let action = request.action_lower();
    let cross_account = match (caller.account(), request.resource_account()) {
        (Some(c), Some(r)) => c != r,
        _ => false,
    };

    let mut deny: Option<Outcome> = None;
    let (mut direct, mut via_account) = (None, None);
    if let Some(policy) = key_policy {
        for (i, st) in policy.statements().iter().enumerate() {
            let mut verdict = statement_verdict(st, request, true);
            if st.effect == Effect::Allow
                && matches!(verdict, Verdict::Matched { .. })
                && actions::ignored_in_key_policy(action)
            {
                verdict = Verdict::Missed(Miss::RetireGrantInKeyPolicy);
            }
            trace.statement(Source::KeyPolicy, i, verdict);
            let Verdict::Matched { via_account: via } = verdict else {
                continue;
            };
            match st.effect {
                Effect::Deny => {
                    deny.get_or_insert(Outcome::new(
                        Decision::ExplicitDeny,
                        Source::KeyPolicy,
                        Some(i),
                    ));
                    if !T::FULL {
                        return Outcome::new(Decision::ExplicitDeny, Source::KeyPolicy, Some(i));
                    }
                }
                Effect::Allow if via => {
                    via_account.get_or_insert(i);
                }
                Effect::Allow => {
                    direct.get_or_insert(i);
                }
            }
        }
    }

    // The account root and AWS services are not subject to IAM identity policies.
    let iam_applies = !caller.is_root() && caller.kind() != CallerKind::Service;
    let mut iam_allow: Option<(usize, usize)> = None;
    if iam_applies {
        for (p, named) in iam.iter().enumerate() {
            for (i, st) in named.policy.statements().iter().enumerate() {
                let verdict = statement_verdict(st, request, false);
                trace.statement(Source::Iam(p), i, verdict);
                if !matches!(verdict, Verdict::Matched { .. }) {
                    continue;
                }
                match st.effect {
                    Effect::Deny => {
                        deny.get_or_insert(Outcome::new(
                            Decision::ExplicitDeny,
                            Source::Iam(p),
                            Some(i),
                        ));
                        if !T::FULL {
                            return Outcome::new(Decision::ExplicitDeny, Source::Iam(p), Some(i));
                        }
                    }
                    Effect::Allow => {
                        iam_allow.get_or_insert((p, i));
                    }
                }
            }
        }
    } else if !iam.is_empty() {
        trace.note(Note::IamNotApplicable);
    }
    if let Some(d) = deny {
        return d;
    }

    if cross_account && !actions::cross_account(action) {
        trace.note(Note::CrossAccountForbidden);
        return Outcome::IMPLICIT_DENY;
    }
    let iam_outcome =
        iam_allow.map(|(p, i)| Outcome::new(Decision::Allow, Source::Iam(p), Some(i)));

    if key_policy.is_none() {
        trace.note(Note::IamOnlyAction);
        if caller.is_root() {
            return Outcome::new(Decision::Allow, Source::AccountRoot, None);
        }
        return iam_outcome.unwrap_or(Outcome::IMPLICIT_DENY);
    }

    if let Some(i) = direct {
        if !cross_account || caller.is_root() {
            return Outcome::new(Decision::Allow, Source::KeyPolicy, Some(i));
        }
        if let Some(o) = iam_outcome {
            return o;
        }
        trace.note(Note::CrossAccountNeedsIam);
    }
    if let Some(i) = via_account {
        if let Some(o) = iam_outcome {
            return o;
        }
        trace.note(Note::NeedsIamAllow(i));
    }

    for (g, grant) in grants.iter().enumerate() {
        let verdict = grant.allows(request);
        trace.grant(g, verdict);
        match verdict {
            Ok(false) => return Outcome::new(Decision::Allow, Source::Grant(g), None),
            Ok(true) if iam_allow.is_some() => {
                return Outcome::new(Decision::Allow, Source::Grant(g), None);
            }
            _ => {}
        }
    }
    Outcome::IMPLICIT_DENY
}

/// Whether a statement applies to the request, and if not, the first element that failed.
/// Elements are checked in the order a reader checks them: principal, action, resource,
/// conditions.
fn statement_verdict(st: &Statement, request: &Request, key_policy: bool) -> Verdict {
    let mut via_account = false;
    if let Some(p) = &st.principal {
        match principal_via(p, request.caller()) {
            Some(v) => via_account = v,
            None => return Verdict::Missed(Miss::Principal),
        }
    }
    if !covers(&st.actions, request.action_lower(), request, false) {
        return Verdict::Missed(Miss::Action);
    }
    match &st.resources {
        None => return Verdict::Missed(Miss::NoResource),
        Some(r) if !covers(r, request.resource(), request, key_policy) => {
            return Verdict::Missed(Miss::Resource);
        }
        Some(_) => {}
    }
    let context = request.context();
    let hidden = |k: &str| key_policy && actions::iam_only_condition_key(k);
    if let Some(i) = st.conditions.iter().position(|c| !c.holds(context, hidden)) {
        return Verdict::Missed(Miss::Condition(i));
    }
    Verdict::Matched { via_account }
}

/// Whether `Action`/`Resource` patterns (or their `Not...` form) cover `subject`.
fn covers(patterns: &Patterns, subject: &str, request: &Request, key_policy: bool) -> bool {
    let hit = patterns
        .items
        .iter()
        .any(|p| pattern_matches(p, subject, request, key_policy));
    hit != patterns.negated
}

fn pattern_matches(p: &Pattern, subject: &str, request: &Request, key_policy: bool) -> bool {
    match &p.glob {
        // In a key policy, "*" means this key.
        Some(g) if key_policy && g.is_star() => true,
        Some(g) => g.matches(subject),
        None => {
            let mut g = Glob::empty();
            let ok = variables::substitute(&p.raw, request.context(), |piece, pattern| {
                if pattern {
                    g.push_pattern(piece)
                } else {
                    g.push_literal(piece)
                }
            });
            ok && g.matches(subject)
        }
    }
}

/// Whether `Principal` / `NotPrincipal` names the caller: `Some(via_account)`.
fn principal_via(p: &Principals, caller: &Caller) -> Option<bool> {
    if p.negated {
        // NotPrincipal applies to everyone it does not list. It compares identities exactly:
        // a role's ARN does not stand for its sessions here (IAM: name the session ARN).
        let listed = p.entries.iter().any(|e| match e {
            PrincipalEntry::Role { arn, .. } => caller.arn() == arn,
            other => entry_via(other, caller).is_some(),
        });
        return (!listed).then_some(false);
    }
    let mut through_account = None;
    for e in &p.entries {
        match entry_via(e, caller) {
            Some(false) => return Some(false),
            Some(true) => through_account = Some(true),
            None => {}
        }
    }
    through_account
}

/// Whether one principal entry names the caller: `Some(false)` directly, `Some(true)` only
/// as the caller's account principal (the account root ARN means the account, kms-guide-1
/// §8.3: it delegates to IAM, and names the root user itself directly).
pub(crate) fn entry_via(e: &PrincipalEntry, caller: &Caller) -> Option<bool> {
    match e {
        PrincipalEntry::Any => Some(false),
        PrincipalEntry::Account(a) => {
            (caller.account() == Some(a.as_str())).then(|| !caller.is_root())
        }
        PrincipalEntry::Role { account, name, arn } => (caller.arn() == arn
            || caller.role() == Some((account.as_str(), name.as_str())))
        .then_some(false),
        PrincipalEntry::Arn(a) | PrincipalEntry::Other(a) => (caller.arn() == a).then_some(false),
        PrincipalEntry::Service(s) => (caller.kind() == CallerKind::Service
            && caller.arn().eq_ignore_ascii_case(s))
        .then_some(false),
    }
}

/// A trace that keeps every step, for [`super::Evaluation`].
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    pub(crate) statements: Vec<(Source, usize, Verdict)>,
    pub(crate) grants: Vec<(usize, Result<bool, GrantMiss>)>,
    pub(crate) notes: Vec<Note>,
}

impl Trace for Recorder {
    const FULL: bool = true;
    fn statement(&mut self, source: Source, index: usize, verdict: Verdict) {
        self.statements.push((source, index, verdict));
    }
    fn grant(&mut self, index: usize, verdict: Result<bool, GrantMiss>) {
        self.grants.push((index, verdict));
    }
    fn note(&mut self, note: Note) {
        self.notes.push(note);
    }
}
