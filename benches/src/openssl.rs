//! The peer: the `openssl speed` CLI, run in the same process run and parsed from its
//! machine-readable (`-mr`) output.
//!
//! `-mr` lines used (OpenSSL 3.x; values are per second of wall time with `-elapsed`):
//! - `+F2:k:bits:sign/s:verify/s` (RSA), `+F4:k:bits:sign/s:verify/s` (ECDSA),
//! - `+F6:k:bits:name:sign/s:verify/s` (EdDSA), `+F7:k:bits:name:sign/s:verify/s` (SM2),
//! - `+H:size:size:...` then `+F:k:name:bytes/s:bytes/s:...` (ciphers, one value per size).
//!
//! `openssl speed` signs and verifies precomputed digests (RSA: PKCS#1 v1.5; ECDSA: a 20-byte
//! buffer as the digest), except Ed25519 and SM2, which go through `EVP_DigestSign` (SM2 with
//! SM3 and Z computed each call). Its cipher rows stream `EVP_EncryptUpdate` over a buffer with
//! one context (no per-buffer key setup, IV or tag).

use std::collections::BTreeMap;
use std::process::Command;

/// Peer results of one run: key (`"rsa2048 sign"`, `"aes-256-gcm 16384"`, ...) → value
/// (ops/s, or MB/s = 10⁶ bytes/s for ciphers).
pub(crate) type Results = BTreeMap<String, f64>;

/// The `openssl speed` invocations, as argument lists after `openssl`, limited to those that
/// produce one of `needed` (result keys such as `"rsa2048 verify"`). With every row selected
/// these are exactly: the five public-key algorithms in one command, `-evp aes-256-gcm`, and
/// the same with `-bytes 1048576`.
pub(crate) fn commands(seconds: u64, needed: &[&str]) -> Vec<Vec<String>> {
    let base = |extra: &[&str]| {
        let mut v: Vec<String> = ["speed", "-elapsed", "-seconds", &seconds.to_string(), "-mr"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let wants = |prefix: &str| needed.iter().any(|k| k.starts_with(prefix));
    let mut cmds = Vec::new();
    let algs: Vec<&str> = ["rsa2048", "ecdsap256", "ecdsap384", "ed25519", "sm2"]
        .into_iter()
        .filter(|a| wants(&format!("{a} ")))
        .collect();
    if !algs.is_empty() {
        cmds.push(base(&algs));
    }
    if wants("aes-256-gcm 16384") {
        cmds.push(base(&["-evp", "aes-256-gcm"]));
    }
    if wants("aes-256-gcm 1048576") {
        // Not a default block size; one extra size so the 1 MiB row has a like-for-like peer.
        cmds.push(base(&["-bytes", "1048576", "-evp", "aes-256-gcm"]));
    }
    cmds
}

/// `openssl version`, if the CLI is there.
pub(crate) fn version() -> Option<String> {
    let out = Command::new("openssl").arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// CPU seconds used by this process's waited-for children (`/proc/self/stat` cutime + cstime;
/// the kernel reports them in USER_HZ = 100 ticks per second).
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(13)?.parse::<u64>().ok()? + f.get(14)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Runs every command once and parses the results; also returns, per command, the CPU time /
/// wall time of the openssl process (1.0 = it never waited for a CPU).
pub(crate) fn run(seconds: u64, needed: &[&str]) -> Result<(Results, Vec<f64>), String> {
    let mut results = Results::new();
    let mut shares = Vec::new();
    for args in commands(seconds, needed) {
        eprintln!("   openssl {}", args.join(" "));
        let cpu0 = children_cpu_seconds();
        let t0 = std::time::Instant::now();
        let out = Command::new("openssl")
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "openssl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let wall = t0.elapsed().as_secs_f64();
        shares.push(match (cpu0, children_cpu_seconds()) {
            (Some(a), Some(b)) => (b - a) / wall,
            _ => f64::NAN,
        });
        parse(&String::from_utf8_lossy(&out.stdout), &mut results)?;
    }
    for (k, v) in &results {
        eprintln!("   openssl {k:<28} {}", crate::harness::fmt_num(*v));
    }
    Ok((results, shares))
}

fn num(s: Option<&&str>) -> Result<f64, String> {
    s.ok_or("short -mr line")?
        .parse::<f64>()
        .map_err(|e| format!("bad number in -mr output: {e}"))
}

/// Parses `-mr` output into `results`.
pub(crate) fn parse(stdout: &str, results: &mut Results) -> Result<(), String> {
    let mut sizes: Vec<u64> = Vec::new();
    for line in stdout.lines() {
        let f: Vec<&str> = line.trim().split(':').collect();
        let Some(tag) = f.first() else { continue };
        match *tag {
            "+F2" => {
                let bits = f.get(2).ok_or("short +F2 line")?;
                results.insert(format!("rsa{bits} sign"), num(f.get(3))?);
                results.insert(format!("rsa{bits} verify"), num(f.get(4))?);
            }
            "+F4" => {
                let bits = f.get(2).ok_or("short +F4 line")?;
                results.insert(format!("ecdsap{bits} sign"), num(f.get(3))?);
                results.insert(format!("ecdsap{bits} verify"), num(f.get(4))?);
            }
            "+F6" | "+F7" => {
                let name = match f.get(3).ok_or("short +F6/+F7 line")?.to_ascii_lowercase() {
                    n if n.contains("sm2") => "sm2".to_string(),
                    n => n,
                };
                results.insert(format!("{name} sign"), num(f.get(4))?);
                results.insert(format!("{name} verify"), num(f.get(5))?);
            }
            "+H" => {
                sizes = f[1..]
                    .iter()
                    .map(|s| s.parse().map_err(|e| format!("bad +H size: {e}")))
                    .collect::<Result<_, String>>()?;
            }
            "+F" => {
                let name = f.get(2).ok_or("short +F line")?.to_ascii_lowercase();
                for (i, size) in sizes.iter().enumerate() {
                    let bytes_per_s = num(f.get(3 + i))?;
                    results.insert(format!("{name} {size}"), bytes_per_s / 1e6);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mr_output() {
        let out = "+DT:rsa2048:2\n+F2:2:2048:3900.000000:53791.000000\n\
                   +F4:3:256:50652.000000:19930.000000\n+F4:6:384:1205.0:1542.0\n\
                   +F6:0:253:Ed25519:29505.000000:11930.000000\n\
                   +F7:0:256:CurveSM2:3668.000000:3744.000000\n\
                   +H:16:64:256:1024:8192:16384\n\
                   +F:25:AES-256-GCM:37442640.00:168352128.00:632491520.00:1429278922.77:3274842112.00:3093266432.00\n";
        let mut r = Results::new();
        assert!(parse(out, &mut r).is_ok());
        assert_eq!(r.get("rsa2048 verify"), Some(&53791.0));
        assert_eq!(r.get("ecdsap256 sign"), Some(&50652.0));
        assert_eq!(r.get("ecdsap384 verify"), Some(&1542.0));
        assert_eq!(r.get("ed25519 verify"), Some(&11930.0));
        assert_eq!(r.get("sm2 sign"), Some(&3668.0));
        assert_eq!(r.get("aes-256-gcm 16384"), Some(&3093.266432));
    }

    #[test]
    fn commands_follow_the_selection() {
        let all: Vec<&str> = crate::cases::CASES.iter().filter_map(|c| c.peer).collect();
        let cmds = commands(2, &all);
        assert_eq!(cmds.len(), 3);
        assert_eq!(
            cmds[0].join(" "),
            "speed -elapsed -seconds 2 -mr rsa2048 ecdsap256 ecdsap384 ed25519 sm2"
        );
        assert_eq!(
            cmds[1].join(" "),
            "speed -elapsed -seconds 2 -mr -evp aes-256-gcm"
        );
        let some = commands(1, &["rsa2048 verify"]);
        assert_eq!(some.len(), 1);
        assert_eq!(some[0].join(" "), "speed -elapsed -seconds 1 -mr rsa2048");
    }
}
