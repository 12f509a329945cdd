//! Facts about the machine and build, for the report header.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The header facts.
#[derive(Debug)]
pub(crate) struct Facts {
    pub(crate) date_utc: String,
    pub(crate) nproc: String,
    pub(crate) cpu: String,
    pub(crate) openssl: Option<String>,
    pub(crate) rustc: Option<String>,
    pub(crate) commit: Option<String>,
    /// Load averages when the run started and when it ended (other work on the machine).
    pub(crate) load_start: Option<String>,
    pub(crate) load_end: Option<String>,
}

fn run(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// CPU model name, family/model and the flags that matter for this code.
fn cpu() -> String {
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return "unknown (no /proc/cpuinfo)".into();
    };
    let field = |name: &str| {
        info.lines()
            .find(|l| l.split(':').next().map(str::trim) == Some(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    };
    let model = field("model name").unwrap_or_else(|| "unknown".into());
    let family = field("cpu family").unwrap_or_default();
    let number = field("model").unwrap_or_default();
    let mhz = field("cpu MHz").unwrap_or_default();
    let flags = field("flags").unwrap_or_default();
    let have: Vec<&str> = [
        "aes",
        "pclmulqdq",
        "avx2",
        "avx512f",
        "avx512ifma",
        "vaes",
        "vpclmulqdq",
        "sha_ni",
        "adx",
        "bmi2",
        "hypervisor",
    ]
    .into_iter()
    .filter(|f| flags.split_whitespace().any(|x| x == *f))
    .collect();
    format!(
        "\"{model}\" (cpu family {family}, model {number}, {mhz} MHz; flags: {})",
        have.join(" ")
    )
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The 1/5/15-minute load averages from /proc/loadavg ("3.75 3.32 2.51").
pub(crate) fn loadavg() -> Option<String> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        s / 3600,
        s / 60 % 60
    )
}

impl Facts {
    pub(crate) fn collect() -> Self {
        let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let commit = run("git", &["-C", repo, "rev-parse", "--short", "HEAD"]).map(|c| {
            let dirty =
                run("git", &["-C", repo, "status", "--porcelain"]).is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{c} + uncommitted changes")
            } else {
                c
            }
        });
        Self {
            date_utc: now_utc(),
            nproc: std::thread::available_parallelism()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "?".into()),
            cpu: cpu(),
            openssl: crate::openssl::version(),
            rustc: run("rustc", &["--version"]),
            commit,
            load_start: loadavg(),
            load_end: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil(0), (1970, 1, 1));
        assert_eq!(super::civil(19_782), (2024, 2, 29));
        assert_eq!(super::civil(20_454), (2026, 1, 1));
    }
}
