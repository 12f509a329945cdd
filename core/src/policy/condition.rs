//! The `Condition` element: every IAM condition operator, `...IfExists`, `Null`, and the
//! `ForAnyValue:` / `ForAllValues:` set operators.
//!
//! Semantics (IAM User Guide, "Condition operators" and "Multivalued context keys"):
//! - several values for one key are ORed; several keys and several operators are ANDed;
//! - a key absent from the request fails a positive operator and satisfies a negated one
//!   (`StringNotEquals`, `NotIpAddress`, ...), unless `IfExists` makes it satisfy any operator;
//! - `ForAnyValue:` needs one request value to satisfy the operator (an empty set fails),
//!   `ForAllValues:` needs every one to (an empty set passes);
//! - a plain operator on a multi-valued key asks whether any request value matches.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::glob::Glob;
use super::request::{Context, scalar_text};
use super::scalar::{self, Cidr};
use super::variables;
use crate::error::{Error, ErrorCode, Result};

/// Operator families: how one request value is compared with one policy value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The comparison of the numeric and date families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// (name, family, comparison, negated)
const OPERATORS: &[(&str, Family, Cmp, bool)] = &[
    ("StringEquals", Family::String, Cmp::Eq, false),
    ("StringNotEquals", Family::String, Cmp::Eq, true),
    (
        "StringEqualsIgnoreCase",
        Family::StringIgnoreCase,
        Cmp::Eq,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Family::StringIgnoreCase,
        Cmp::Eq,
        true,
    ),
    ("StringLike", Family::StringLike, Cmp::Eq, false),
    ("StringNotLike", Family::StringLike, Cmp::Eq, true),
    ("NumericEquals", Family::Numeric, Cmp::Eq, false),
    ("NumericNotEquals", Family::Numeric, Cmp::Eq, true),
    ("NumericLessThan", Family::Numeric, Cmp::Lt, false),
    ("NumericLessThanEquals", Family::Numeric, Cmp::Le, false),
    ("NumericGreaterThan", Family::Numeric, Cmp::Gt, false),
    ("NumericGreaterThanEquals", Family::Numeric, Cmp::Ge, false),
    ("DateEquals", Family::Date, Cmp::Eq, false),
    ("DateNotEquals", Family::Date, Cmp::Eq, true),
    ("DateLessThan", Family::Date, Cmp::Lt, false),
    ("DateLessThanEquals", Family::Date, Cmp::Le, false),
    ("DateGreaterThan", Family::Date, Cmp::Gt, false),
    ("DateGreaterThanEquals", Family::Date, Cmp::Ge, false),
    ("Bool", Family::Bool, Cmp::Eq, false),
    ("BinaryEquals", Family::Binary, Cmp::Eq, false),
    ("IpAddress", Family::Ip, Cmp::Eq, false),
    ("NotIpAddress", Family::Ip, Cmp::Eq, true),
    ("ArnEquals", Family::Arn, Cmp::Eq, false),
    ("ArnLike", Family::Arn, Cmp::Eq, false),
    ("ArnNotEquals", Family::Arn, Cmp::Eq, true),
    ("ArnNotLike", Family::Arn, Cmp::Eq, true),
    ("Null", Family::Null, Cmp::Eq, false),
];

/// A set operator prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SetOp {
    None,
    ForAnyValue,
    ForAllValues,
}

/// Policy values, read once for their operator family.
#[derive(Clone, Debug)]
enum Values {
    /// String and ARN families: the text, and its compiled form when it has no variables
    /// (a glob for StringLike, six field globs for ARNs, lower case for IgnoreCase).
    Text(Vec<Text>),
    Number(Vec<f64>),
    Date(Vec<i64>),
    Bool(Vec<bool>),
    Binary(Vec<Vec<u8>>),
    Ip(Vec<Cidr>),
}

#[derive(Clone, Debug)]
struct Text {
    raw: String,
    /// None when the value holds policy variables, which are substituted per request.
    compiled: Option<Compiled>,
}

#[derive(Clone, Debug)]
enum Compiled {
    Exact(String),
    Lower(String),
    Glob(Glob),
    Arn(Vec<Glob>),
}

/// One operator applied to one condition key.
#[derive(Clone, Debug)]
pub(crate) struct Condition {
    operator: String,
    key: String,
    key_lower: String,
    family: Family,
    cmp: Cmp,
    negated: bool,
    set: SetOp,
    if_exists: bool,
    values: Values,
}

fn malformed(msg: String) -> Error {
    Error::new(ErrorCode::MalformedPolicyDocumentException, msg)
}

impl Condition {
    /// Reads one `"Operator": {"key": value(s)}` entry into one condition per key.
    pub(crate) fn parse_block(
        operator: &str,
        block: &serde_json::Value,
        variables: bool,
        out: &mut Vec<Condition>,
    ) -> Result<()> {
        let (set, rest) = if let Some(r) = operator.strip_prefix("ForAnyValue:") {
            (SetOp::ForAnyValue, r)
        } else if let Some(r) = operator.strip_prefix("ForAllValues:") {
            (SetOp::ForAllValues, r)
        } else {
            (SetOp::None, operator)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) if b != "Null" => (b, true),
            _ => (rest, false),
        };
        let &(_, family, cmp, negated) = OPERATORS
            .iter()
            .find(|(name, ..)| *name == base)
            .ok_or_else(|| malformed(format!("Unknown condition operator {operator:?}")))?;
        if family == Family::Null && set != SetOp::None {
            return Err(malformed(format!(
                "{operator:?}: Null takes no set operator"
            )));
        }
        let serde_json::Value::Object(keys) = block else {
            return Err(malformed(format!(
                "Condition operator {operator:?} must map condition keys to values"
            )));
        };
        if keys.is_empty() {
            return Err(malformed(format!(
                "Condition operator {operator:?} names no condition key"
            )));
        }
        for (key, value) in keys {
            if key.is_empty() {
                return Err(malformed(format!(
                    "{operator:?} has an empty condition key"
                )));
            }
            let raw: Vec<String> = match value {
                serde_json::Value::Array(items) if !items.is_empty() => items.iter().map(scalar_text).collect::<Option<_>>(),
                serde_json::Value::Array(_) => None,
                v => scalar_text(v).map(|t| alloc::vec![t]),
            }
            .ok_or_else(|| malformed(format!("{operator:?} {key:?}: values must be strings, numbers or booleans (or a non-empty list of them)")))?;
            let bad = |v: &str, what: &str| {
                malformed(format!("{operator:?} {key:?}: {v:?} is not {what}"))
            };
            let values = match family {
                Family::Numeric => Values::Number(
                    raw.iter()
                        .map(|v| scalar::number(v).ok_or_else(|| bad(v, "a number")))
                        .collect::<Result<_>>()?,
                ),
                Family::Date => Values::Date(
                    raw.iter()
                        .map(|v| scalar::date_ms(v).ok_or_else(|| bad(v, "a date")))
                        .collect::<Result<_>>()?,
                ),
                Family::Bool | Family::Null => Values::Bool(
                    raw.iter()
                        .map(|v| scalar::boolean(v).ok_or_else(|| bad(v, "true or false")))
                        .collect::<Result<_>>()?,
                ),
                Family::Binary => Values::Binary(
                    raw.iter()
                        .map(|v| decode_base64(v).ok_or_else(|| bad(v, "base64")))
                        .collect::<Result<_>>()?,
                ),
                Family::Ip => Values::Ip(
                    raw.iter()
                        .map(|v| {
                            Cidr::parse(v).ok_or_else(|| bad(v, "an IP address or CIDR range"))
                        })
                        .collect::<Result<_>>()?,
                ),
                Family::String | Family::StringIgnoreCase | Family::StringLike | Family::Arn => {
                    Values::Text(
                        raw.into_iter()
                            .map(|raw| {
                                let compiled = (!variables || !variables::has_variables(&raw))
                                    .then(|| compile(family, &raw));
                                Text { raw, compiled }
                            })
                            .collect(),
                    )
                }
            };
            out.push(Condition {
                operator: operator.to_owned(),
                key: key.clone(),
                key_lower: key.to_lowercase(),
                family,
                cmp,
                negated,
                set,
                if_exists,
                values,
            });
        }
        Ok(())
    }

    /// The operator as written (`ForAnyValue:StringLike`).
    pub(crate) fn operator(&self) -> &str {
        &self.operator
    }

    /// The condition key as written.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    pub(crate) fn key_lower(&self) -> &str {
        &self.key_lower
    }

    pub(crate) fn set(&self) -> SetOp {
        self.set
    }

    /// Evaluates against the request context. `hidden` keys count as absent.
    pub(crate) fn holds(&self, context: &Context, hidden: impl Fn(&str) -> bool) -> bool {
        let value = if hidden(&self.key_lower) {
            None
        } else {
            context.lookup(&self.key_lower)
        };
        if self.family == Family::Null {
            let Values::Bool(wants_absent) = &self.values else {
                return false;
            };
            return wants_absent.iter().any(|&absent| absent == value.is_none());
        }
        let Some(value) = value else {
            return self.if_exists
                || match self.set {
                    SetOp::ForAnyValue => false,
                    SetOp::ForAllValues => true,
                    SetOp::None => self.negated,
                };
        };
        let values = value.as_slice();
        let matches = |v: &String| self.any_value_matches(v, context);
        match self.set {
            SetOp::None => self.negated != values.iter().any(matches),
            SetOp::ForAnyValue => values.iter().any(|v| self.negated != matches(v)),
            SetOp::ForAllValues => values.iter().all(|v| self.negated != matches(v)),
        }
    }

    /// Whether request value `v` equals (likes, ...) any of the policy values.
    fn any_value_matches(&self, v: &str, context: &Context) -> bool {
        match &self.values {
            Values::Number(ps) => {
                scalar::number(v).is_some_and(|n| ps.iter().any(|&p| compare(self.cmp, n, p)))
            }
            Values::Date(ps) => {
                scalar::date_ms(v).is_some_and(|d| ps.iter().any(|&p| compare(self.cmp, d, p)))
            }
            Values::Bool(ps) => scalar::boolean(v).is_some_and(|b| ps.contains(&b)),
            Values::Binary(ps) => decode_base64(v).is_some_and(|b| ps.contains(&b)),
            Values::Ip(ps) => ps.iter().any(|c| c.contains(v)),
            Values::Text(ps) => ps.iter().any(|p| match &p.compiled {
                Some(c) => compiled_matches(c, v),
                None => substituted(self.family, &p.raw, context)
                    .is_some_and(|c| compiled_matches(&c, v)),
            }),
        }
    }
}

fn compare<T: PartialOrd>(cmp: Cmp, request: T, policy: T) -> bool {
    match cmp {
        Cmp::Eq => request == policy,
        Cmp::Lt => request < policy,
        Cmp::Le => request <= policy,
        Cmp::Gt => request > policy,
        Cmp::Ge => request >= policy,
    }
}

fn compile(family: Family, raw: &str) -> Compiled {
    match family {
        Family::StringIgnoreCase => Compiled::Lower(raw.to_lowercase()),
        Family::StringLike => Compiled::Glob(Glob::new(raw)),
        Family::Arn => Compiled::Arn(arn_fields(&Glob::new(raw))),
        _ => Compiled::Exact(raw.to_owned()),
    }
}

/// Compiles a value with variables for this request; None when a variable is unresolved.
fn substituted(family: Family, raw: &str, context: &Context) -> Option<Compiled> {
    match family {
        Family::StringLike | Family::Arn => {
            let mut g = Glob::empty();
            let ok = variables::substitute(raw, context, |piece, pattern| {
                if pattern {
                    g.push_pattern(piece)
                } else {
                    g.push_literal(piece)
                }
            });
            ok.then(|| {
                if family == Family::Arn {
                    Compiled::Arn(arn_fields(&g))
                } else {
                    Compiled::Glob(g)
                }
            })
        }
        _ => {
            let mut s = String::new();
            variables::substitute(raw, context, |piece, _| s.push_str(piece)).then(
                || match family {
                    Family::StringIgnoreCase => Compiled::Lower(s.to_lowercase()),
                    _ => Compiled::Exact(s),
                },
            )
        }
    }
}

fn compiled_matches(c: &Compiled, v: &str) -> bool {
    match c {
        Compiled::Exact(p) => p == v,
        Compiled::Lower(p) => {
            if v.is_ascii() && p.is_ascii() {
                p.eq_ignore_ascii_case(v)
            } else {
                *p == v.to_lowercase()
            }
        }
        Compiled::Glob(g) => g.matches(v),
        Compiled::Arn(fields) => {
            // ArnEquals and ArnLike alike compare the six ARN fields one by one, with
            // wildcards inside a field; a value that is not an ARN matches neither.
            let parts = v.splitn(6, ':');
            fields.len() == 6
                && v.starts_with("arn:")
                && v.split(':').count() >= 6
                && fields.iter().zip(parts).all(|(f, part)| f.matches(part))
        }
    }
}

/// Splits a compiled ARN pattern into its six fields at the first five `:`.
fn arn_fields(g: &Glob) -> Vec<Glob> {
    g.split_fields(b':', 6)
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    base64ct::Base64::decode_vec(s.trim()).ok()
}

use base64ct::Encoding as _;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::request::ContextValue;
    use serde_json::json;

    fn cond(op: &str, key: &str, values: serde_json::Value) -> Condition {
        let mut out = Vec::new();
        Condition::parse_block(op, &json!({ key: values }), true, &mut out).unwrap();
        out.pop().unwrap()
    }

    fn ctx(pairs: &[(&str, ContextValue)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(k, v.clone());
        }
        c
    }

    fn holds(c: &Condition, context: &Context) -> bool {
        c.holds(context, |_| false)
    }

    #[test]
    fn missing_keys() {
        let empty = Context::new();
        assert!(!holds(&cond("StringEquals", "k", json!("v")), &empty));
        assert!(holds(&cond("StringNotEquals", "k", json!("v")), &empty));
        assert!(holds(
            &cond("StringEqualsIfExists", "k", json!("v")),
            &empty
        ));
        assert!(!holds(
            &cond("ForAnyValue:StringEquals", "k", json!("v")),
            &empty
        ));
        assert!(holds(
            &cond("ForAllValues:StringEquals", "k", json!("v")),
            &empty
        ));
        assert!(holds(&cond("Null", "k", json!(true)), &empty));
        assert!(!holds(&cond("Null", "k", json!("false")), &empty));
        assert!(holds(
            &cond("NotIpAddress", "aws:SourceIp", json!("10.0.0.0/8")),
            &empty
        ));
    }

    #[test]
    fn sets() {
        let keys = ctx(&[(
            "kms:EncryptionContextKeys",
            ContextValue::Many(alloc::vec!["a".into(), "b".into()]),
        )]);
        assert!(holds(
            &cond(
                "ForAllValues:StringEquals",
                "kms:EncryptionContextKeys",
                json!(["a", "b", "c"])
            ),
            &keys
        ));
        assert!(!holds(
            &cond(
                "ForAllValues:StringEquals",
                "kms:EncryptionContextKeys",
                json!(["a"])
            ),
            &keys
        ));
        assert!(holds(
            &cond(
                "ForAnyValue:StringEquals",
                "kms:EncryptionContextKeys",
                json!(["a"])
            ),
            &keys
        ));
        assert!(holds(
            &cond(
                "ForAnyValue:StringNotEquals",
                "kms:EncryptionContextKeys",
                json!(["a"])
            ),
            &keys
        ));
        assert!(!holds(
            &cond(
                "ForAllValues:StringNotEquals",
                "kms:EncryptionContextKeys",
                json!(["a"])
            ),
            &keys
        ));
        assert!(holds(
            &cond("StringEquals", "kms:encryptioncontextkeys", json!("b")),
            &keys
        ));
        assert!(!holds(
            &cond("StringNotEquals", "kms:EncryptionContextKeys", json!("b")),
            &keys
        ));
        let none = ctx(&[("kms:EncryptionContextKeys", ContextValue::Many(Vec::new()))]);
        assert!(holds(
            &cond("Null", "kms:EncryptionContextKeys", json!(true)),
            &none
        ));
    }

    #[test]
    fn families() {
        let c = ctx(&[
            ("n", "90".into()),
            ("t", "2026-06-01T00:00:00Z".into()),
            ("b", "true".into()),
            ("ip", "203.0.113.7".into()),
            (
                "arn",
                "arn:aws:cloudtrail:us-west-2:111122223333:trail/finance".into(),
            ),
            ("s", "Hello".into()),
            ("bin", "aGVsbG8=".into()),
        ]);
        let cases: &[(&str, &str, serde_json::Value, bool)] = &[
            ("NumericEquals", "n", json!(90), true),
            ("NumericLessThan", "n", json!("90"), false),
            ("NumericLessThanEquals", "n", json!("90.0"), true),
            ("NumericGreaterThan", "n", json!([100, 50]), true),
            ("NumericNotEquals", "n", json!([90, 91]), false),
            ("DateGreaterThan", "t", json!("2026-01-01"), true),
            ("DateLessThan", "t", json!(1767225600), false),
            ("Bool", "b", json!(true), true),
            ("Bool", "b", json!("TRUE"), true),
            ("Bool", "b", json!("false"), false),
            (
                "IpAddress",
                "ip",
                json!(["10.0.0.0/8", "203.0.113.0/24"]),
                true,
            ),
            ("NotIpAddress", "ip", json!("203.0.113.0/24"), false),
            (
                "ArnEquals",
                "arn",
                json!("arn:aws:cloudtrail:*:111122223333:trail/*"),
                true,
            ),
            (
                "ArnLike",
                "arn",
                json!("arn:aws:cloudtrail:us-west-2:111122223333:trail/fin*"),
                true,
            ),
            ("ArnNotLike", "arn", json!("arn:aws:s3:*:*:*"), true),
            ("ArnEquals", "s", json!("*"), false),
            ("StringEqualsIgnoreCase", "s", json!("HELLO"), true),
            ("StringEquals", "s", json!("hello"), false),
            ("StringLike", "s", json!("H?llo*"), true),
            ("StringNotLike", "s", json!("h*"), true),
            ("BinaryEquals", "bin", json!("aGVsbG8="), true),
        ];
        for (op, key, v, want) in cases {
            assert_eq!(
                holds(&cond(op, key, v.clone()), &c),
                *want,
                "{op} {key} {v}"
            );
        }
    }

    #[test]
    fn variables_in_values() {
        let c = ctx(&[
            ("aws:username", "alice".into()),
            ("kms:EncryptionContext:owner", "alice".into()),
            ("lit", "a*".into()),
        ]);
        assert!(holds(
            &cond(
                "StringEquals",
                "kms:EncryptionContext:owner",
                json!("${aws:username}")
            ),
            &c
        ));
        assert!(!holds(
            &cond(
                "StringEquals",
                "kms:EncryptionContext:owner",
                json!("${aws:userid}")
            ),
            &c
        ));
        assert!(holds(&cond("StringLike", "lit", json!("a${*}")), &c));
        let star = ctx(&[("lit", "ab".into())]);
        assert!(!holds(&cond("StringLike", "lit", json!("a${*}")), &star));
    }

    #[test]
    fn bad_operators_and_values() {
        for (op, v) in [
            ("StringEqualz", json!("x")),
            ("ForSomeValue:StringEquals", json!("x")),
            ("NumericEquals", json!("ten")),
            ("DateEquals", json!("soon")),
            ("Bool", json!("yes")),
            ("IpAddress", json!("10.0.0.0/40")),
            ("NullIfExists", json!(true)),
            ("StringEquals", json!([])),
            ("StringEquals", json!({"a": 1})),
        ] {
            let mut out = Vec::new();
            let err = Condition::parse_block(op, &json!({ "k": v }), true, &mut out).unwrap_err();
            assert_eq!(
                err.code(),
                ErrorCode::MalformedPolicyDocumentException,
                "{op}"
            );
        }
    }
}
