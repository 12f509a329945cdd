//! `kmskit policy`: evaluate and validate key policies, IAM policies and grants offline.

use std::process::ExitCode;

use kmskit::policy::{self, Policy, PolicyKind};

use crate::io;

pub(crate) const EXPLAIN_HELP: &str = "Examples:
  kmskit policy explain --policy key-policy.json --request request.json
  kmskit policy explain --policy key-policy.json --iam app=app-policy.json --grants grants.json \\
      --request request.json --json

request.json: {\"Action\": \"kms:Decrypt\", \"Principal\": \"arn:aws:iam::111122223333:role/app\",
  \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-...\",
  \"Context\": {\"kms:EncryptionContext:purpose\": \"test\", \"aws:SourceIp\": \"203.0.113.7\"}}
Without --policy the action is taken as one governed by IAM alone (kms:CreateKey, ...).
Exit status 0: ALLOW, 1: denied (explicitly or implicitly), 2: error.";

/// `kmskit policy explain`.
pub(crate) fn explain(
    policy_file: Option<&str>,
    iam: &[String],
    grants_file: Option<&str>,
    request_file: &str,
    json: bool,
) -> kmskit::Result<ExitCode> {
    let key_policy = policy_file.map(text).transpose()?;
    // Kept in command-line order: the order names the deciding IAM policy.
    let mut entries = Vec::new();
    for entry in iam {
        let (name, file) = entry.split_once('=').ok_or_else(|| {
            kmskit::Error::validation(format!("--iam {entry:?} must be NAME=FILE"))
        })?;
        let doc = serde_json::Value::String(text(file)?);
        entries.push(format!("{}:{doc}", serde_json::Value::from(name)));
    }
    let iam_text = format!("{{{}}}", entries.join(","));
    let grants = grants_file
        .map(text)
        .transpose()?
        .unwrap_or_else(|| "[]".into());
    let evaluation = policy::evaluate_json(
        &text(request_file)?,
        key_policy.as_deref(),
        &iam_text,
        &grants,
    )?;
    if json {
        println!("{:#}", evaluation.to_json());
    } else {
        print!("{}", evaluation.explain());
    }
    Ok(if evaluation.is_allowed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `kmskit policy validate`: parse a document and list its findings as JSON.
pub(crate) fn validate(file: &str, identity: bool) -> kmskit::Result<ExitCode> {
    let kind = if identity {
        PolicyKind::Identity
    } else {
        PolicyKind::Key
    };
    let parsed = Policy::parse(&text(file)?, kind)?;
    let findings: Vec<_> = parsed
        .findings()
        .iter()
        .map(
            |f| serde_json::json!({"Code": f.code, "Statement": f.statement, "Message": f.message}),
        )
        .collect();
    println!(
        "{:#}",
        serde_json::json!({"Valid": true, "Statements": parsed.statement_count(), "Findings": findings})
    );
    Ok(ExitCode::SUCCESS)
}

fn text(path: &str) -> kmskit::Result<String> {
    String::from_utf8(io::read(path)?)
        .map_err(|_| kmskit::Error::validation(format!("{path} is not UTF-8 text")))
}
