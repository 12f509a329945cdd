//! The markdown report.

use crate::cases::{Case, FOOTNOTES, Unit};
use crate::harness::{Settings, Stats, fmt_num, summary};
use crate::machine::Facts;
use crate::overhead::Row;
use crate::{Samples, openssl};
use std::fmt::Write as _;

/// Rows with a target: aws-lc backend ≥ 0.9× openssl.
const TARGETS: &[&str] = &[
    "ECDSA P-256 verify, DIGEST",
    "ECDSA P-256 verify",
    "RSA-2048 PKCS#1 v1.5 SHA-256 verify",
    "AES-256-GCM encrypt, 16 KiB",
    "AES-256-GCM encrypt, 1 MiB",
];
const TARGET_RATIO: f64 = 0.9;

/// Everything the report needs.
#[derive(Debug)]
pub(crate) struct Report<'a> {
    pub(crate) settings: Settings,
    pub(crate) facts: &'a Facts,
    pub(crate) cases: &'a [&'a Case],
    pub(crate) rows: &'a [&'a Row],
    pub(crate) samples: &'a Samples,
    pub(crate) openssl_seconds: Option<u64>,
    pub(crate) peer_keys: &'a [&'a str],
    pub(crate) filter: Option<&'a str>,
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "—".into(),
    }
}

fn cell(s: Option<Stats>) -> String {
    s.map_or_else(|| "—".into(), |s| fmt_num(s.median))
}

fn range(s: Option<Stats>) -> String {
    s.map_or_else(
        || "—".into(),
        |s| format!("{}–{}", fmt_num(s.min), fmt_num(s.max)),
    )
}

impl Report<'_> {
    fn runs(&self, i: usize, backend: usize) -> &[crate::harness::Measurement] {
        self.samples
            .kmskit
            .get(i)
            .and_then(|b| b.get(backend))
            .map_or(&[], |v| v.as_slice())
    }

    fn kmskit(&self, i: usize, backend: usize) -> Option<Stats> {
        summary(
            &self
                .runs(i, backend)
                .iter()
                .map(|m| m.rate)
                .collect::<Vec<_>>(),
        )
    }

    /// kmskit / openssl, run by run (each pair measured minutes apart at most).
    fn run_ratios(&self, i: usize, backend: usize) -> Vec<f64> {
        let Some(key) = self.cases.get(i).and_then(|c| c.peer) else {
            return Vec::new();
        };
        self.runs(i, backend)
            .iter()
            .zip(&self.samples.openssl)
            .filter_map(|(m, r)| r.get(key).map(|p| m.rate / p))
            .collect()
    }

    /// The lowest CPU share of the case's measurements on `backend`.
    fn min_share(&self, i: usize, backend: usize) -> String {
        let s = summary(
            &self
                .runs(i, backend)
                .iter()
                .map(|m| m.cpu_share)
                .collect::<Vec<_>>(),
        );
        s.map_or_else(|| "—".into(), |s| format!("{:.2}", s.min))
    }

    fn peer(&self, case: &Case) -> Option<Stats> {
        let key = case.peer?;
        let v: Vec<f64> = self
            .samples
            .openssl
            .iter()
            .filter_map(|r: &openssl::Results| r.get(key).copied())
            .collect();
        summary(&v)
    }

    fn case_index(&self, label: &str) -> Option<usize> {
        self.cases.iter().position(|c| c.label == label)
    }

    pub(crate) fn render(&self) -> String {
        let mut o = String::new();
        self.header(&mut o);
        self.main_table(&mut o);
        self.targets(&mut o);
        self.breakdown(&mut o);
        self.spread(&mut o);
        o
    }

    fn header(&self, o: &mut String) {
        let f = self.facts;
        let s = self.settings;
        let _ = writeln!(o, "## kmskit-bench, {}\n", f.date_utc);
        let mut env = format!("BENCH_SECONDS={} RUNS={}", s.seconds, s.runs);
        if let Some(filter) = self.filter {
            let _ = write!(env, " BENCH_FILTER={filter:?}");
        }
        if self.openssl_seconds.is_none() {
            env.push_str(" BENCH_OPENSSL=0");
        }
        let _ = writeln!(
            o,
            "- Command: `{env} cargo run --release -p kmskit-benches --bin kmskit-bench` (from the repository root)"
        );
        if let Some(secs) = self.openssl_seconds {
            let _ = writeln!(
                o,
                "- Peer, run by kmskit-bench once per run after that run's kmskit measurements:"
            );
            for args in openssl::commands(secs, self.peer_keys) {
                let _ = writeln!(o, "  `openssl {}`", args.join(" "));
            }
        }
        let _ = writeln!(
            o,
            "- Machine: nproc {}; CPU {}; load average (1/5/15 min) {} at start, {} at end",
            f.nproc,
            f.cpu,
            f.load_start.as_deref().unwrap_or("?"),
            f.load_end.as_deref().unwrap_or("?"),
        );
        let _ = writeln!(
            o,
            "- Software: {}; {}; kmskit {} (release profile: opt-level 3, codegen-units 16, no target-cpu flags)",
            f.openssl.as_deref().unwrap_or("openssl: not found"),
            f.rustc.as_deref().unwrap_or("rustc: unknown"),
            f.commit.as_deref().unwrap_or("commit unknown"),
        );
        let _ = writeln!(
            o,
            "- Method: one thread, wall clock. Each figure is the median of {} runs; a run times each \
             operation for {} s after a {} s warm-up. Sign/verify go through `kmskit::crypto::sign`/`verify` \
             (KMS input checks + backend) with `MessageType::Raw` and a 64-byte message unless the row says \
             DIGEST; both backends use the same keys (generated once, kmskit's canonical PKCS#8) and verify \
             the same signatures. AES rows call `Backend::aes_gcm_seal` (MB/s = 10⁶ bytes/s). `openssl speed` \
             signs precomputed digests, so the DIGEST rows are its like-for-like comparison.\n",
            s.runs,
            s.seconds,
            (s.seconds / 10.0).max(0.1),
        );
    }

    fn main_table(&self, o: &mut String) {
        let _ = writeln!(
            o,
            "| operation | kmskit aws-lc | kmskit rustcrypto | openssl CLI | ratio aws-lc/openssl | ratio rustcrypto/openssl |"
        );
        let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|");
        for (i, case) in self.cases.iter().enumerate() {
            let (a, r, p) = (self.kmskit(i, 0), self.kmskit(i, 1), self.peer(case));
            let peer = match p {
                Some(_) => format!("{}{}", cell(p), case.peer_note),
                None if case.peer.is_some() => "—".into(),
                None => "— (n/a in OpenSSL 3.0)".into(),
            };
            let _ = writeln!(
                o,
                "| {} ({}) | {} | {} | {} | {} | {} |",
                case.label,
                case.unit().label(),
                cell(a),
                cell(r),
                peer,
                ratio(a.map(|s| s.median), p.map(|s| s.median)),
                ratio(r.map(|s| s.median), p.map(|s| s.median)),
            );
        }
        let _ = writeln!(o);
        for note in FOOTNOTES {
            let marker = note.split_whitespace().next().unwrap_or_default();
            if self.cases.iter().any(|c| c.peer_note.contains(marker)) {
                let _ = writeln!(o, "{note}  ");
            }
        }
        let _ = writeln!(o);
    }

    fn targets(&self, o: &mut String) {
        let mut lines = Vec::new();
        for label in TARGETS {
            let Some(i) = self.case_index(label) else {
                continue;
            };
            let (Some(a), Some(p)) = (self.kmskit(i, 0), self.peer(self.cases[i])) else {
                continue;
            };
            let r = a.median / p.median;
            let verdict = if r >= TARGET_RATIO {
                "met".to_string()
            } else {
                format!(
                    "**missed** by {:.0} % of the target ({:.0} % below openssl)",
                    (1.0 - r / TARGET_RATIO) * 100.0,
                    (1.0 - r) * 100.0
                )
            };
            let per_run: Vec<String> = self
                .run_ratios(i, 0)
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect();
            lines.push(format!(
                "- {label}: {r:.2}× — {verdict} (run by run: {})",
                per_run.join(", ")
            ));
        }
        if !lines.is_empty() {
            let _ = writeln!(
                o,
                "### Targets: aws-lc backend ≥ {TARGET_RATIO:.2}× openssl\n"
            );
            for l in lines {
                let _ = writeln!(o, "{l}");
            }
            let _ = writeln!(o);
        }
    }

    fn breakdown(&self, o: &mut String) {
        if self.rows.is_empty() {
            return;
        }
        let _ = writeln!(
            o,
            "### Where a call's time goes: per-call key setup vs the math\n\n\
             The backends get keys as kmskit's canonical DER and set them up on every call. \
             The same library calls the backend makes, timed directly: **fresh key** = key setup + \
             operation per call (what the backend does; ≈ the kmskit call when kmskit's own layer is \
             cheap), **parsed once** = the operation with one key set up outside the loop, **setup \
             alone** = the setup call by itself. **Key cost** = (fresh − parsed once) / fresh: the share \
             of a call that a cached key would save (it exceeds setup alone when the library also builds \
             per-key state lazily on first use). µs per call, medians; the last column is the row's \
             ratio to openssl with the key parsed once.\n"
        );
        let _ = writeln!(
            o,
            "| operation | backend | per-call key setup | kmskit call µs | fresh key µs | parsed once µs | setup alone µs | key cost | parsed once vs openssl |"
        );
        let _ = writeln!(o, "|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (i, row) in self.rows.iter().enumerate() {
            let Some(samples) = self.samples.overhead.get(i) else {
                continue;
            };
            let med = |f: fn(&crate::overhead::Sample) -> f64| {
                summary(&samples.iter().map(f).collect::<Vec<_>>()).map(|s| s.median)
            };
            let (setup, math, fresh) =
                (med(|s| s.setup_us), med(|s| s.math_us), med(|s| s.fresh_us));
            let b = usize::from(row.backend == "rustcrypto");
            let idx = self.case_index(row.case_label);
            let case = idx.map(|i| self.cases[i]);
            // µs per call ↔ rate: ops/s = 1e6/µs; MB/s = bytes/µs.
            let convert = |v: f64, unit: Unit| match unit {
                Unit::OpsPerSec => 1e6 / v,
                Unit::MegabytesPerSec => row.bytes as f64 / v,
            };
            let call = case.and_then(|c| {
                idx.and_then(|i| self.kmskit(i, b))
                    .map(|s| convert(s.median, c.unit()))
            });
            let key_cost = match (fresh, math) {
                (Some(f), Some(m)) => format!("{:.0} %", 100.0 * (f - m) / f),
                _ => "—".into(),
            };
            let vs_peer = match (case, math) {
                (Some(c), Some(m)) => {
                    ratio(Some(convert(m, c.unit())), self.peer(c).map(|p| p.median))
                }
                _ => "—".into(),
            };
            let us = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| format!("{v:.2}"));
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.case_label,
                row.backend,
                row.setup,
                us(call),
                us(fresh),
                us(math),
                us(setup),
                key_cost,
                vs_peer,
            );
        }
        let _ = writeln!(o);
    }

    fn spread(&self, o: &mut String) {
        let _ = writeln!(
            o,
            "### Noise: min–max over the {} runs, run-by-run ratios, CPU share\n\n\
             CPU share = CPU time the benchmark thread got / wall time of the timed window \
             (`/proc/thread-self/schedstat`); below about 0.95 the machine was busy and the figure \
             is depressed. Ratios of the same run pair measurements taken a few minutes apart.\n",
            self.settings.runs
        );
        if !self.samples.openssl_cpu.is_empty() {
            let per_run: Vec<String> = self
                .samples
                .openssl_cpu
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|x| format!("{x:.2}"))
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .collect();
            let _ = writeln!(
                o,
                "openssl speed CPU share (per command, per run): {}\n",
                per_run.join("; ")
            );
        }
        let _ = writeln!(
            o,
            "| operation | kmskit aws-lc | kmskit rustcrypto | openssl CLI | aws-lc/openssl by run | rustcrypto/openssl by run | lowest CPU share aws-lc, rustcrypto |\n\
             |---|---:|---:|---:|---:|---:|---:|"
        );
        let by_run = |v: Vec<f64>| {
            if v.is_empty() {
                "—".to_string()
            } else {
                v.iter()
                    .map(|r| format!("{r:.2}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        for (i, case) in self.cases.iter().enumerate() {
            let _ = writeln!(
                o,
                "| {} ({}) | {} | {} | {} | {} | {} | {}, {} |",
                case.label,
                case.unit().label(),
                range(self.kmskit(i, 0)),
                range(self.kmskit(i, 1)),
                range(self.peer(case)),
                by_run(self.run_ratios(i, 0)),
                by_run(self.run_ratios(i, 1)),
                self.min_share(i, 0),
                self.min_share(i, 1),
            );
        }
        let _ = writeln!(o);
    }
}
