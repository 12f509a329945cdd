//! Runs the authorization corpus in `testdata/policy/` (see its README): every decision case
//! through `policy::evaluate_json`, and every malformed/valid document through the parser.
//! The same files run in Python, Node, wasm and Kotlin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::{Path, PathBuf};

use kmskit::policy::{self, Policy, PolicyKind};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/policy")
}

fn files() -> Vec<(String, Value)> {
    let mut out: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("testdata/policy exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Replaces `"@name"` references with the file's `policies[name]`.
fn resolve<'a>(v: &'a Value, policies: &'a Value) -> &'a Value {
    match v.as_str().and_then(|s| s.strip_prefix('@')) {
        Some(name) => policies
            .get(name)
            .unwrap_or_else(|| panic!("unknown policy reference @{name}")),
        None => v,
    }
}

fn policy_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One decision case; `iam_policies` keeps its order, which names the deciding policy.
#[derive(serde::Deserialize)]
struct Case {
    name: String,
    request: Option<Value>,
    key_policy: Option<Value>,
    #[serde(default)]
    iam_policies: Ordered,
    #[serde(default)]
    grants: Vec<Value>,
    expect: Option<Value>,
}

#[derive(Default)]
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = m.next_entry()? {
                    out.push(e);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[test]
fn decision_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, doc) in files() {
        // Read the cases from the file text: a parsed `Value` has lost the key order.
        #[derive(serde::Deserialize)]
        struct CorpusFile {
            #[serde(default)]
            cases: Vec<Case>,
        }
        let text = std::fs::read_to_string(corpus_dir().join(&file)).unwrap();
        let ordered: CorpusFile = serde_json::from_str(&text).unwrap();
        let policies = doc.get("policies").cloned().unwrap_or(Value::Null);
        for case in ordered.cases {
            let (Some(request), Some(expect)) = (&case.request, &case.expect) else {
                continue;
            };
            count += 1;
            let name = &case.name;
            let key_policy = match &case.key_policy {
                None | Some(Value::Null) => None,
                Some(v) => Some(policy_text(resolve(v, &policies))),
            };
            let iam: Vec<String> = case
                .iam_policies
                .0
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), resolve(v, &policies)))
                .collect();
            let got = policy::evaluate_json(
                &request.to_string(),
                key_policy.as_deref(),
                &format!("{{{}}}", iam.join(",")),
                &Value::Array(case.grants.clone()).to_string(),
            );
            let got = match got {
                Ok(e) => e,
                Err(e) => {
                    failures.push(format!("{file} {name}: error {e}"));
                    continue;
                }
            };
            let mut problems = Vec::new();
            if expect["decision"].as_str() != Some(got.decision.as_str()) {
                problems.push(format!(
                    "decision {} (want {})",
                    got.decision.as_str(),
                    expect["decision"]
                ));
            }
            if let Some(src) = expect.get("source")
                && src.as_str() != got.source.as_deref()
            {
                problems.push(format!("source {:?} (want {src})", got.source));
            }
            if let Some(st) = expect.get("statement").filter(|s| !s.is_null()) {
                let idx = got.statement.as_ref().map(|s| s.index as u64);
                if st.get("index").and_then(Value::as_u64) != idx {
                    problems.push(format!("statement {idx:?} (want {st})"));
                }
                if let Some(sid) = st.get("sid")
                    && sid.as_str() != got.statement.as_ref().and_then(|s| s.sid.as_deref())
                {
                    problems.push(format!("sid (want {sid})"));
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{file} {name}: {}\n{}",
                    problems.join("; "),
                    got.explain()
                ));
            }
        }
    }
    assert!(
        count >= 250,
        "the corpus has {count} decision cases; it needs at least 250"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{count} decision cases passed");
}

#[test]
fn malformed_and_valid_documents() {
    let (_, doc) = files()
        .into_iter()
        .find(|(f, _)| f == "malformed.json")
        .expect("malformed.json");
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let text = policy_text(&case["policy"]);
        match Policy::parse(&text, PolicyKind::Key) {
            Ok(_) => failures.push(format!("{}: accepted", case["name"])),
            Err(e) => {
                let want = case["expect_error"].as_str().unwrap();
                if e.code().as_str() != want {
                    failures.push(format!("{}: {e} (want {want})", case["name"]));
                }
            }
        }
    }
    for (i, valid) in doc["valid"].as_array().unwrap().iter().enumerate() {
        let v = valid.get("policy").unwrap_or(valid);
        if let Err(e) = Policy::parse(&policy_text(v), PolicyKind::Key) {
            failures.push(format!("valid[{i}]: rejected: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
