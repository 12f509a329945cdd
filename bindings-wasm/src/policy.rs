//! Authorization: `evaluate`, the class `PolicySet` (a `kmskit::policy::PolicySet`) and the
//! class `Decision` (a `kmskit::policy::Evaluation`), as in the Node package. Conversion only:
//! documents, requests and grants go to core as JSON text (text as it is, anything else
//! through `JSON.stringify`, which keeps the IAM policies' order, embeds documents given as
//! text as JSON strings, which core reads as policy text, and writes a `Date` as ISO 8601);
//! the parts of a decision come back from core's JSON, field names in camelCase.

use crate::local::describe;
use crate::{guard, map_error};
use js_sys::JSON;
use kmskit::policy::{self, Evaluation};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The types of authorization, shared with the Node package (policy-types.d.ts there).
#[wasm_bindgen(typescript_custom_section)]
const POLICY_TYPES: &str = include_str!("../../bindings-node/policy-types.d.ts");

fn invalid(message: impl Into<String>) -> JsValue {
    map_error(&kmskit::Error::validation(message))
}

/// A JSON argument: text as it is, anything else through `JSON.stringify`.
pub(crate) fn json_text(v: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    let text = JSON::stringify(v).map_err(|e| {
        let why = js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        invalid(format!("not JSON-serializable: {why}"))
    })?;
    text.as_string()
        .ok_or_else(|| invalid("an argument is not a JSON value"))
}

/// An optional JSON argument: `undefined` and `null` are none.
fn optional_json(v: &JsValue) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        json_text(v).map(Some)
    }
}

/// PascalCase field names (core's JSON) to camelCase, at any depth.
fn camel_case(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let first = chars.next().map(|c| c.to_ascii_lowercase());
                    (first.into_iter().chain(chars).collect(), camel_case(v))
                })
                .collect(),
        ),
        other => other,
    }
}

fn to_js(v: &Value) -> Result<JsValue, JsValue> {
    JSON::parse(&v.to_string())
}

/// An authorization decision and everything that led to it. Made by `evaluate` and
/// `PolicySet.evaluate`; `JSON.stringify` gives core's evaluation (`toJSON()`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Decision(Evaluation);

impl Decision {
    /// The decision behind a local KMS's AccessDeniedException.
    pub(crate) fn of(evaluation: Evaluation) -> Decision {
        Decision(evaluation)
    }

    /// One field of core's evaluation, in camelCase.
    fn part(&self, field: &str) -> Result<JsValue, JsValue> {
        let mut all = serde_json::to_value(&self.0)
            .map_err(|e| map_error(&kmskit::Error::internal(format!("evaluation: {e}"))))?;
        to_js(&camel_case(all[field].take()))
    }
}

#[wasm_bindgen]
impl Decision {
    /// `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`.
    #[wasm_bindgen(getter, unchecked_return_type = "DecisionName")]
    pub fn decision(&self) -> String {
        self.0.decision.as_str().to_string()
    }

    /// Whether the decision is `ALLOW`.
    #[wasm_bindgen(getter)]
    pub fn allowed(&self) -> bool {
        self.0.is_allowed()
    }

    /// `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for an implicit deny.
    #[wasm_bindgen(getter, unchecked_return_type = "string | null")]
    pub fn source(&self) -> JsValue {
        self.0
            .source
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from)
    }

    /// The deciding statement, when a statement decided.
    #[wasm_bindgen(getter, unchecked_return_type = "StatementRef | null")]
    pub fn statement(&self) -> Result<JsValue, JsValue> {
        self.part("Statement")
    }

    /// Every statement that applied to the request, in evaluation order.
    #[wasm_bindgen(getter, unchecked_return_type = "StatementRef[]")]
    pub fn statements(&self) -> Result<JsValue, JsValue> {
        self.part("Statements")
    }

    /// Every statement and grant looked at, with why it did or did not apply.
    #[wasm_bindgen(getter, unchecked_return_type = "PolicyStep[]")]
    pub fn steps(&self) -> Result<JsValue, JsValue> {
        self.part("Steps")
    }

    /// Rules beyond single statements that shaped the decision.
    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.0.notes.clone()
    }

    /// A readable account: one line per statement and grant, and why.
    pub fn explain(&self) -> String {
        self.0.explain()
    }

    /// Core's evaluation (field names as in KMS shapes), with `Explanation`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PolicyEvaluation")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.to_json())
    }
}

/// Decides a KMS request as KMS does: the key policy (null for actions governed by IAM
/// alone), the caller's IAM policies (name -> document, consulted in order) and the grants
/// (as ListGrants returns them). Each an object or its JSON text. Throws
/// `MalformedPolicyDocumentException` for a malformed document, `ValidationException` for a
/// malformed request or grant.
#[wasm_bindgen]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "PolicyRequest | string")] request: JsValue,
    #[wasm_bindgen(js_name = keyPolicy, unchecked_optional_param_type = "JsonDocument | null")]
    key_policy: JsValue,
    #[wasm_bindgen(js_name = iamPolicies, unchecked_optional_param_type = "IamPolicies | null")]
    iam_policies: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyGrant[] | string | null")]
    grants: JsValue,
) -> Result<Decision, JsValue> {
    let request = json_text(&request)?;
    let set = PolicySet::new(key_policy, iam_policies, grants)?;
    guard(set.0.evaluate_json(&request)).map(Decision)
}

/// A key policy, IAM policies and grants parsed once, to decide many requests fast.
#[wasm_bindgen]
#[derive(Debug)]
pub struct PolicySet(policy::PolicySet);

#[wasm_bindgen]
impl PolicySet {
    /// Parses the documents; throws `MalformedPolicyDocumentException` or
    /// `ValidationException`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = keyPolicy, unchecked_optional_param_type = "JsonDocument | null")]
        key_policy: JsValue,
        #[wasm_bindgen(
            js_name = iamPolicies,
            unchecked_optional_param_type = "IamPolicies | null"
        )]
        iam_policies: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PolicyGrant[] | string | null")]
        grants: JsValue,
    ) -> Result<PolicySet, JsValue> {
        let key_policy = optional_json(&key_policy)?;
        let iam = optional_json(&iam_policies)?;
        let grants = optional_json(&grants)?;
        guard(policy::PolicySet::from_json(
            key_policy.as_deref(),
            iam.as_deref().unwrap_or("{}"),
            grants.as_deref().unwrap_or("[]"),
        ))
        .map(PolicySet)
    }

    /// The decision for one request, with its explanation.
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyRequest | string")] request: JsValue,
    ) -> Result<Decision, JsValue> {
        guard(self.0.evaluate_json(&json_text(&request)?)).map(Decision)
    }

    /// Just the decision.
    #[wasm_bindgen(unchecked_return_type = "DecisionName")]
    pub fn decide(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyRequest | string")] request: JsValue,
    ) -> Result<String, JsValue> {
        let mut decisions = self.decide_texts(&[json_text(&request)?])?;
        Ok(decisions.remove(0))
    }

    /// The decision for each request, in one call. A list (any iterable object), not the JSON
    /// text of one.
    #[wasm_bindgen(js_name = decideMany, unchecked_return_type = "DecisionName[]")]
    pub fn decide_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Iterable<PolicyRequest | string> & object")]
        requests: JsValue,
    ) -> Result<Vec<String>, JsValue> {
        let items = match requests.is_object() {
            true => js_sys::try_iter(&requests)?,
            false => None,
        }
        .ok_or_else(|| {
            invalid(format!(
                "requests must be a list, not {}",
                describe(&requests)
            ))
        })?;
        let mut texts = Vec::new();
        for item in items {
            texts.push(json_text(&item?)?);
        }
        self.decide_texts(&texts)
    }
}

impl PolicySet {
    /// The requests' texts as one JSON list, decided in one call. A text holding more than one
    /// request (`{...},{...}`) would shift every decision after it, so the count must match.
    fn decide_texts(&self, texts: &[String]) -> Result<Vec<String>, JsValue> {
        let decisions = guard(self.0.decide_json_batch(&format!("[{}]", texts.join(","))))?;
        if decisions.len() != texts.len() {
            return Err(invalid(format!(
                "{} requests given, but their JSON text holds {}",
                texts.len(),
                decisions.len()
            )));
        }
        Ok(decisions.into_iter().map(str::to_string).collect())
    }
}
