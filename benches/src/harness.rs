//! A minimal timing harness (no criterion: compile time matters more than statistics here).
//!
//! Each measurement: a short warm-up, then the operation in a loop for a fixed wall time; the
//! rate is calls / elapsed seconds (× bytes per call for throughput). The caller repeats
//! measurements over several runs and reports the median.

use std::time::{Duration, Instant};

/// An operation under test. It returns an error if the operation failed or gave a wrong answer
/// (for example a signature that did not verify), which aborts the benchmark.
pub(crate) type Op<'a> = Box<dyn FnMut() -> Result<(), String> + 'a>;

/// Timing settings, from the environment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    /// Wall time of one measurement (env `BENCH_SECONDS`, default 2).
    pub(crate) seconds: f64,
    /// Number of runs; the median is reported (env `RUNS`, default 3).
    pub(crate) runs: usize,
}

impl Settings {
    pub(crate) fn from_env() -> Result<Self, String> {
        let seconds = env_or("BENCH_SECONDS", 2.0_f64)?;
        let runs = env_or("RUNS", 3_usize)?;
        if !(seconds.is_finite() && seconds > 0.0) || runs == 0 {
            return Err("BENCH_SECONDS must be > 0 and RUNS ≥ 1".into());
        }
        Ok(Self { seconds, runs })
    }

    /// The warm-up before each measurement: a tenth of the measurement, at least 0.1 s.
    fn warmup(self) -> Duration {
        Duration::from_secs_f64((self.seconds / 10.0).max(0.1))
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| format!("{name}={v:?} is not a valid value")),
        _ => Ok(default),
    }
}

/// Nanoseconds this thread has spent on a CPU (`/proc/thread-self/schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Runs `op` until `budget` has elapsed (at least once); returns (calls, elapsed seconds).
fn run_for(op: &mut Op<'_>, budget: Duration) -> Result<(u64, f64), String> {
    let start = Instant::now();
    let mut calls = 0_u64;
    loop {
        op()?;
        calls += 1;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return Ok((calls, elapsed.as_secs_f64()));
        }
    }
}

/// One measurement.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Measurement {
    /// Calls per second of wall time × the per-call factor.
    pub(crate) rate: f64,
    /// CPU time / wall time of the timed window (1.0 = never preempted; NaN if unknown).
    pub(crate) cpu_share: f64,
}

/// One measurement: warm-up, then calls per second of wall time over `settings.seconds`, times
/// `per_call` (1 for ops/s; bytes / 1e6 for MB/s). Also records how much of the window the
/// thread actually ran: on a shared machine, a low share means the figure is depressed.
pub(crate) fn measure(
    op: &mut Op<'_>,
    settings: Settings,
    per_call: f64,
) -> Result<Measurement, String> {
    run_for(op, settings.warmup())?;
    let cpu0 = thread_cpu_ns();
    let (calls, secs) = run_for(op, Duration::from_secs_f64(settings.seconds))?;
    let cpu_share = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) => b.saturating_sub(a) as f64 / 1e9 / secs,
        _ => f64::NAN,
    };
    Ok(Measurement {
        rate: per_call * calls as f64 / secs,
        cpu_share,
    })
}

/// Median, min and max of the samples (`None` if there are none).
pub(crate) fn summary(samples: &[f64]) -> Option<Stats> {
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Stats {
        median,
        min: v[0],
        max: v[n - 1],
    })
}

/// Median and range of the runs of one measurement.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stats {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// `1234567.8` → `"1,234,568"`; values under 100 keep three significant digits.
pub(crate) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x.abs() < 100.0 {
        return sig3(x);
    }
    let s = format!("{:.0}", x);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

fn sig3(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let decimals = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_num(1_234_567.8), "1,234,568");
        assert_eq!(fmt_num(999.4), "999");
        assert_eq!(fmt_num(12.345), "12.3");
        assert_eq!(fmt_num(0.5), "0.500");
        assert_eq!(fmt_num(100.0), "100");
    }

    #[test]
    fn median() {
        let s = summary(&[3.0, 1.0, 2.0]);
        assert_eq!(s.map(|s| (s.median, s.min, s.max)), Some((2.0, 1.0, 3.0)));
        let s = summary(&[4.0, 1.0, 2.0, 3.0]);
        assert_eq!(s.map(|s| s.median), Some(2.5));
        assert!(summary(&[]).is_none());
    }
}
