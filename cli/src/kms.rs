//! `kmskit kms <Operation>`: one operation of the local KMS's JSON protocol, with the state
//! optionally kept in a snapshot file between runs.

use kmskit::kms::{self, Kms, KmsConfig};
use std::io::Read;
use std::path::Path;

/// What `kmskit kms` was given.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) operation: String,
    pub(crate) json: String,
    pub(crate) state: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) account_id: Option<String>,
    pub(crate) seed: Option<String>,
    pub(crate) time: Option<f64>,
    pub(crate) principal: Option<String>,
    pub(crate) context: Option<String>,
}

/// The text `kmskit principal --help` ends with.
pub(crate) const PRINCIPAL_HELP: &str = "Examples:
  kmskit principal put-policy --state kms.json --principal arn:aws:iam::111122223333:user/alice \\
      --name use-keys --document '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}]}'
  kmskit kms Encrypt --state kms.json --principal arn:aws:iam::111122223333:user/alice \\
      --json '{\"KeyId\": \"alias/app\", \"Plaintext\": \"aGk=\"}'

The policies and tags are kept in the state file with the keys (a snapshot), and decide, with
the key policies and grants, what `kmskit kms --principal ARN` may do.";

/// The text `kmskit kms --help` ends with: an example and every operation.
pub(crate) fn help() -> String {
    let mut text = String::from(
        "Examples:
  kmskit kms CreateKey --state kms.json
  kmskit kms Encrypt --state kms.json --json '{\"KeyId\": \"<key id>\", \"Plaintext\": \"aGVsbG8=\"}'
  kmskit kms create-key --seed demo --json '{\"KeySpec\": \"ECC_NIST_P256\", \"KeyUsage\": \"SIGN_VERIFY\"}'
  echo '{\"NumberOfBytes\": 16}' | kmskit kms GenerateRandom --json -

The request and the response are the bodies of the AWS KMS JSON protocol: blobs are base64,
timestamps epoch seconds. The operation is the API name (Encrypt), or the AWS CLI's
(encrypt, generate-data-key) or boto3's (generate_data_key) name of it.
With --state FILE the KMS (every key of every Region, with aliases and tags) is read from
FILE when it exists and written back after the call: a plaintext snapshot holding key
material, created with mode 0600. A snapshot carries neither the clock nor the import
parameters of GetParametersForImport (so ImportKeyMaterial cannot follow it in another run).
The clock is the system clock unless --time or --seed (which starts it at
2026-01-01T00:00:00Z) fixes it.

Operations:
",
    );
    let ops = kms::operations();
    for row in ops.chunks(3) {
        let line: Vec<String> = row.iter().map(|op| format!("{op:<38}")).collect();
        text.push_str("  ");
        text.push_str(line.concat().trim_end());
        text.push('\n');
    }
    text
}

/// The operation `name` names: an operation name as given (`Encrypt`, `TrentService.Encrypt`),
/// or the snake_case or kebab-case of one; anything else goes to the KMS as it is (which
/// answers `UnsupportedOperationException`).
fn operation(name: &str) -> String {
    let wanted = name.replace('-', "_");
    kms::operations()
        .iter()
        .find(|op| **op == name || kms::snake_case(op) == wanted)
        .map_or_else(|| name.to_string(), |op| (*op).to_string())
}

/// The request body: the text, `-` for standard input, `file://PATH` for a file.
pub(crate) fn body(json: &str) -> kmskit::Result<String> {
    if json == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| kmskit::Error::validation(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    if let Some(path) = json.strip_prefix("file://") {
        return std::fs::read_to_string(path)
            .map_err(|e| kmskit::Error::validation(format!("cannot read {path}: {e}")));
    }
    Ok(json.to_string())
}

/// Runs the request; returns the response body, pretty-printed.
///
/// # Errors
/// The operation's KMS exception; `ValidationException` for unreadable or unwritable files
/// and malformed snapshots.
pub(crate) fn run(req: Request) -> kmskit::Result<String> {
    let body = body(&req.json)?;
    let defaults = KmsConfig::default();
    let config = KmsConfig {
        account_id: req.account_id.unwrap_or(defaults.account_id),
        region: req.region.clone().unwrap_or(defaults.region),
        partition: defaults.partition,
        seed: req.seed.map(String::into_bytes),
        start_time_ms: req.time.map(|s| (s * 1000.0).round() as i64),
    };
    let mut kms = match req.state.as_deref() {
        Some(path) if Path::new(path).exists() => {
            let snapshot = std::fs::read(path)
                .map_err(|e| kmskit::Error::validation(format!("cannot read {path}: {e}")))?;
            Kms::from_snapshot(config, &snapshot)?
        }
        _ => Kms::new(config)?,
    };
    let operation = operation(&req.operation);
    let region = req
        .region
        .clone()
        .unwrap_or_else(|| kms.region().to_string());
    let result = match &req.principal {
        Some(principal) => {
            let caller = serde_json::json!({
                "Principal": principal,
                "Context": match &req.context {
                    Some(c) => serde_json::from_str(c).map_err(|e| {
                        kmskit::Error::validation(format!("--context is not JSON: {e}"))
                    })?,
                    None => serde_json::json!({}),
                },
            });
            let caller = kms::CallerContext::from_json(&caller.to_string())?;
            kms.call_as(&caller, &region, &operation, &body)
        }
        None => kms.call_in(&region, &operation, &body),
    };
    // A denial says why, after KMS's own message.
    let result = result.map_err(|e| match kms.last_denial() {
        Some(why) if e.code() == kmskit::ErrorCode::AccessDeniedException => {
            kmskit::Error::new(e.code(), format!("{}\n{}", e.message(), why.explain()))
        }
        _ => e,
    });
    // saved whatever the outcome: a failed call may still have applied what the clock made due
    if let Some(path) = req.state.as_deref() {
        save(path, kms.export_snapshot()?.expose())?;
    }
    let response = result?;
    Ok(match serde_json::from_str::<serde_json::Value>(&response) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or(response),
        Err(_) => response,
    })
}

/// Loads the state file (a new KMS when it does not exist), applies `change`, saves it back.
///
/// # Errors
/// What `change` returns; `ValidationException` for unreadable or unwritable files.
pub(crate) fn principal(
    path: &str,
    change: impl FnOnce(&mut Kms) -> kmskit::Result<Option<serde_json::Value>>,
) -> kmskit::Result<Option<String>> {
    let mut kms = if Path::new(path).exists() {
        let snapshot = std::fs::read(path)
            .map_err(|e| kmskit::Error::validation(format!("cannot read {path}: {e}")))?;
        Kms::from_snapshot(KmsConfig::default(), &snapshot)?
    } else {
        Kms::new(KmsConfig::default())?
    };
    let out = change(&mut kms)?;
    save(path, kms.export_snapshot()?.expose())?;
    Ok(out.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()))
}

/// Writes the snapshot next to `path` and renames it over `path`, readable by the owner only.
fn save(path: &str, snapshot: &[u8]) -> kmskit::Result<()> {
    use std::io::Write;
    let fail = |e: std::io::Error| kmskit::Error::validation(format!("cannot write {path}: {e}"));
    let tmp = format!("{path}.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(fail)?;
    file.write_all(snapshot).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(fail)
}
