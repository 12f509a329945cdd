//! Authorization decisions per second, native, one thread: the scenario of issue 7's
//! benchmark — the default key policy (which delegates to IAM) plus one IAM policy with two
//! conditions — decided for an allowed and a denied request.
//!
//! Prints rows in the peers' TSV format (`peer\toperation\tvalue\tunit`, as
//! `../shared/bench-peers/benchlib.py` writes them), so `benches/python/py_peers.py` can put
//! them in the same table. `BENCH_SECONDS` (default 2) per row.

use kmskit::policy::{Context, PolicySet, Request};
use std::hint::black_box;
use std::time::{Duration, Instant};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const APP: &str = "arn:aws:iam::111122223333:role/app";
const KEY_POLICY: &str = include_str!("../../python/key-policy.json");
const IAM_POLICY: &str = include_str!("../../python/iam-policy.json");

fn request(department: &str) -> String {
    format!(
        r#"{{"Action": "kms:Decrypt", "Principal": "{APP}", "Resource": "{KEY}",
            "Context": {{"kms:EncryptionContext:department": "{department}",
                         "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}}"#
    )
}

/// Calls `f` for `seconds` of wall time after a short warm-up; `per_call` decisions each.
fn rate(seconds: f64, per_call: f64, mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(100) {
        f();
    }
    let (start, mut n) = (Instant::now(), 0u64);
    loop {
        f();
        n += 1;
        let t = start.elapsed().as_secs_f64();
        if t >= seconds {
            return per_call * n as f64 / t;
        }
    }
}

fn main() -> kmskit::Result<()> {
    let seconds: f64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let iam = format!(r#"{{"app-policy": {IAM_POLICY}}}"#);
    let set = PolicySet::from_json(Some(KEY_POLICY), &iam, "[]")?;
    let (allow_text, deny_text) = (request("finance"), request("hr"));
    let allow = set.evaluate_json(&allow_text)?;
    let deny = set.evaluate_json(&deny_text)?;
    assert!(
        allow.is_allowed() && !deny.is_allowed(),
        "the scenario must allow one and deny the other"
    );
    let to_request = |text: &str| -> kmskit::Result<Request> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| kmskit::Error::validation(e.to_string()))?;
        let mut cx = Context::new();
        for (k, x) in v["Context"].as_object().into_iter().flatten() {
            cx.insert(k, x.as_str().unwrap_or_default());
        }
        Request::new(
            v["Action"].as_str().unwrap_or_default(),
            kmskit::policy::Caller::parse(v["Principal"].as_str().unwrap_or_default())?,
            v["Resource"].as_str().unwrap_or_default(),
            cx,
        )
    };
    let (a, d) = (to_request(&allow_text)?, to_request(&deny_text)?);
    assert!(set.decide(&a).is_allowed() && !set.decide(&d).is_allowed());
    let peer = format!("kmskit {} native", env!("CARGO_PKG_VERSION"));
    let row = |op: &str, v: f64| println!("{peer}\t{op}\t{v:.6}\tdecisions/s");
    row(
        "decide, pre-parsed PolicySet + Request",
        rate(seconds, 2.0, || {
            black_box(set.decide(black_box(&a)));
            black_box(set.decide(black_box(&d)));
        }),
    );
    row(
        "evaluate_json, request as JSON text (with explanation)",
        rate(seconds, 2.0, || {
            black_box(set.evaluate_json(black_box(&allow_text)).ok());
            black_box(set.evaluate_json(black_box(&deny_text)).ok());
        }),
    );
    let batch = format!(
        "[{}]",
        [allow_text.as_str(), deny_text.as_str()]
            .repeat(500)
            .join(",")
    );
    row(
        "decide_json_batch x1000",
        rate(seconds, 1000.0, || {
            black_box(set.decide_json_batch(black_box(&batch)).ok());
        }),
    );
    Ok(())
}
