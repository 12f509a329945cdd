//! `kmskit-bench`: kmskit Sign/Verify and AES-256-GCM throughput on both backends, with the
//! `openssl speed` CLI run in the same process run as the peer, printed as a markdown report.
//!
//! ```text
//! cargo run --release -p kmskit-benches --bin kmskit-bench
//! ```
//!
//! Environment: `BENCH_SECONDS` (wall time per measurement, default 2), `RUNS` (default 3; the
//! median is reported), `BENCH_FILTER` (only rows whose label contains it, case-insensitive),
//! `BENCH_OPENSSL=0` (skip the peer). Progress goes to stderr, the report to stdout.

mod cases;
mod harness;
mod machine;
mod openssl;
mod overhead;
mod report;

use harness::Settings;
use kmskit::backend::Backend;
use std::process::ExitCode;

/// Every measured sample, by run.
#[derive(Debug, Default)]
pub(crate) struct Samples {
    /// Per case (index into the selected cases), per backend: one measurement per run.
    pub(crate) kmskit: Vec<[Vec<harness::Measurement>; 2]>,
    /// Per breakdown row: one sample per run.
    pub(crate) overhead: Vec<Vec<overhead::Sample>>,
    /// One result map per run.
    pub(crate) openssl: Vec<openssl::Results>,
    /// Per run, per openssl command: CPU time / wall time of the openssl process.
    pub(crate) openssl_cpu: Vec<Vec<f64>>,
}

/// The two backends, in column order.
pub(crate) fn backends() -> [&'static dyn Backend; 2] {
    [kmskit::backend::AWS_LC, kmskit::backend::RUST_CRYPTO]
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kmskit-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let settings = Settings::from_env()?;
    let filter = std::env::var("BENCH_FILTER")
        .ok()
        .filter(|f| !f.is_empty())
        .map(|f| f.to_lowercase());
    let selected = |label: &str| {
        filter
            .as_ref()
            .is_none_or(|f| label.to_lowercase().contains(f))
    };
    let with_openssl = std::env::var("BENCH_OPENSSL").map_or(true, |v| v != "0");
    let openssl_seconds = settings.seconds.ceil().max(1.0) as u64;

    let cases: Vec<&cases::Case> = cases::CASES.iter().filter(|c| selected(c.label)).collect();
    let peer_keys: Vec<&str> = cases.iter().filter_map(|c| c.peer).collect();
    let rows: Vec<&overhead::Row> = overhead::ROWS
        .iter()
        .filter(|r| selected(r.case_label))
        .collect();

    eprintln!(
        "kmskit-bench: {} rows × 2 backends, {} breakdown rows, {} run(s) of {} s each{}",
        cases.len(),
        rows.len(),
        settings.runs,
        settings.seconds,
        if with_openssl {
            ", plus openssl speed"
        } else {
            ""
        }
    );
    let mut facts = machine::Facts::collect();
    if with_openssl && facts.openssl.is_none() {
        return Err("the openssl CLI is not on PATH (set BENCH_OPENSSL=0 to skip it)".into());
    }
    eprintln!("generating keys …");
    let fx = cases::Fixtures::new(kmskit::backend::AWS_LC)?;

    let mut samples = Samples {
        kmskit: cases.iter().map(|_| Default::default()).collect(),
        overhead: rows.iter().map(|_| Vec::new()).collect(),
        openssl: Vec::new(),
        openssl_cpu: Vec::new(),
    };
    for run in 1..=settings.runs {
        eprintln!("== run {run}/{}", settings.runs);
        for (i, case) in cases.iter().enumerate() {
            for (b, backend) in backends().into_iter().enumerate() {
                let v = cases::measure(case, backend, &fx, settings)?;
                eprintln!(
                    "   {:<40} {:>10}: {:>12} {:<5} (CPU share {:.2})",
                    case.label,
                    backend.name(),
                    harness::fmt_num(v.rate),
                    case.unit().label(),
                    v.cpu_share
                );
                samples.kmskit[i][b].push(v);
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let s = overhead::measure_row(row, &fx, settings)?;
            eprintln!(
                "   breakdown {:<36} {:>10}: fresh key {:>9.2} µs, parsed once {:>9.2} µs, setup alone {:>9.2} µs",
                row.case_label, row.backend, s.fresh_us, s.math_us, s.setup_us
            );
            samples.overhead[i].push(s);
        }
        if with_openssl {
            let (results, cpu) = openssl::run(openssl_seconds, &peer_keys)?;
            samples.openssl.push(results);
            samples.openssl_cpu.push(cpu);
        }
    }

    facts.load_end = machine::loadavg();
    let report = report::Report {
        settings,
        facts: &facts,
        cases: &cases,
        rows: &rows,
        samples: &samples,
        openssl_seconds: with_openssl.then_some(openssl_seconds),
        peer_keys: &peer_keys,
        filter: filter.as_deref(),
    };
    print!("{}", report.render());
    Ok(())
}
