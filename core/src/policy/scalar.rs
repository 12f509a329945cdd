//! Typed readings of condition values: numbers, dates, booleans, IP ranges and base64.
//!
//! Policies and request contexts carry every value as text; each operator family reads the
//! text its own way. A policy value that does not read is a malformed policy; a context value
//! that does not read simply does not match.

use alloc::vec::Vec;

/// A number, as `Numeric*` operators read it: an integer or decimal, optionally signed.
pub(crate) fn number(s: &str) -> Option<f64> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits != ".";
    if !ok {
        return None;
    }
    t.parse().ok()
}

/// `true`/`false` in any letter case, as `Bool` reads them.
pub(crate) fn boolean(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A point in time in milliseconds since the Unix epoch, as `Date*` operators read it:
/// ISO 8601 (`2026-01-01`, `2026-01-01T10:00Z`, `2026-01-01T10:00:00.5+02:00`) or epoch
/// seconds (`1767225600`, `1767225600.25`).
pub(crate) fn date_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.contains('-') || s.starts_with('-') {
        let secs = number(s)?;
        return Some((secs * 1000.0) as i64);
    }
    let b = s.as_bytes();
    let num = |r: core::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(ms);
    }
    let time = rest.strip_prefix(['T', 't', ' '])?;
    let tb = time.as_bytes();
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    if tb.get(2) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    ms += (hour * 3600 + minute * 60) * 1000;
    let mut i = 5;
    if tb.get(i) == Some(&b':') {
        let sec = num(17..19)?;
        if sec > 60 {
            return None;
        }
        ms += sec * 1000;
        i = 8;
        if tb.get(i) == Some(&b'.') {
            let frac_start = i + 1;
            let mut end = frac_start;
            while tb.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == frac_start {
                return None;
            }
            let mut frac = 0i64;
            for (k, d) in tb[frac_start..end].iter().take(3).enumerate() {
                frac += i64::from(d - b'0') * [100, 10, 1][k];
            }
            ms += frac;
            i = end;
        }
    }
    let zone = &time[i..];
    let offset_ms = match zone.as_bytes() {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let h = i64::from(h1 - b'0') * 10 + i64::from(h2 - b'0');
            let m = i64::from(m1 - b'0') * 10 + i64::from(m2 - b'0');
            let off = (h * 60 + m) * 60_000;
            if *sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    Some(ms - offset_ms)
}

/// Formats epoch milliseconds as `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn format_iso8601(ms: i64) -> alloc::string::String {
    let days = ms.div_euclid(86_400_000);
    let secs = ms.rem_euclid(86_400_000) / 1000;
    let (y, m, d) = civil_from_days(days);
    alloc::format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An IPv4 or IPv6 network, as `IpAddress` reads it (`203.0.113.0/24`, `2001:db8::/32`, or a
/// bare address meaning one host).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    v6: bool,
    addr: u128,
    prefix: u8,
}

impl Cidr {
    pub(crate) fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (s, None),
        };
        let (v6, addr) = match ipv4(ip) {
            Some(a) => (false, u128::from(a)),
            None => (true, ipv6(ip)?),
        };
        let max = if v6 { 128 } else { 32 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 3 => {
                p.parse::<u8>().ok().filter(|&p| p <= max)?
            }
            Some(_) => return None,
            None => max,
        };
        Some(Cidr { v6, addr, prefix })
    }

    /// Whether the address `ip` (no prefix) lies inside this network.
    pub(crate) fn contains(&self, ip: &str) -> bool {
        let Some(other) = Cidr::parse(ip) else {
            return false;
        };
        let bits = if self.v6 { 128 } else { 32 };
        if other.v6 != self.v6 || other.prefix != bits {
            return false;
        }
        let shift = u32::from(bits - self.prefix);
        shift == u32::from(bits) || other.addr.checked_shr(shift) == self.addr.checked_shr(shift)
    }
}

fn ipv4(s: &str) -> Option<u32> {
    let mut out = 0u32;
    let mut n = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out = out << 8 | u32::from(part.parse::<u8>().ok()?);
        n += 1;
    }
    (n == 4).then_some(out)
}

fn ipv6(s: &str) -> Option<u128> {
    if !s.contains(':') {
        return None;
    }
    let groups = |part: &str| -> Option<Vec<u16>> {
        if part.is_empty() {
            return Some(Vec::new());
        }
        let mut out = Vec::new();
        let pieces: Vec<&str> = part.split(':').collect();
        for (i, g) in pieces.iter().enumerate() {
            // A trailing dotted quad fills the last two groups (`::ffff:192.0.2.1`).
            if i == pieces.len() - 1 && g.contains('.') {
                let v4 = ipv4(g)?;
                out.push((v4 >> 16) as u16);
                out.push(v4 as u16);
            } else {
                if g.is_empty() || g.len() > 4 {
                    return None;
                }
                out.push(u16::from_str_radix(g, 16).ok()?);
            }
        }
        Some(out)
    };
    let words = match s.split_once("::") {
        Some((head, tail)) => {
            let (h, t) = (groups(head)?, groups(tail)?);
            if h.len() + t.len() > 7 || tail.contains("::") {
                return None;
            }
            let mut w = h;
            w.resize(8 - t.len(), 0);
            w.extend(t);
            w
        }
        None => groups(s)?,
    };
    (words.len() == 8).then(|| words.iter().fold(0u128, |a, &w| a << 16 | u128::from(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number("90"), Some(90.0));
        assert_eq!(number("1546257599.0"), Some(1546257599.0));
        assert_eq!(number("-1.5"), Some(-1.5));
        for bad in ["", "abc", "1e5", ".", "1.2.3", "0x10", "NaN"] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        let jan1 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        for s in [
            "2026-01-01",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00Z",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01T02:00:00+02:00",
            "2025-12-31T19:00:00-0500",
            "1767225600",
            "1767225600.0",
        ] {
            assert_eq!(date_ms(s), Some(jan1), "{s}");
        }
        assert_eq!(date_ms("2026-01-01T00:00:00.25Z"), Some(jan1 + 250));
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "yesterday",
            "2026-01-01T25:00:00Z",
            "2026-1-1",
        ] {
            assert_eq!(date_ms(bad), None, "{bad}");
        }
        assert_eq!(format_iso8601(jan1), "2026-01-01T00:00:00Z");
        assert_eq!(
            date_ms("2024-02-29T12:34:56Z")
                .map(format_iso8601)
                .as_deref(),
            Some("2024-02-29T12:34:56Z")
        );
    }

    #[test]
    fn cidrs() {
        let cases: &[(&str, &str, bool)] = &[
            ("203.0.113.0/24", "203.0.113.7", true),
            ("203.0.113.0/24", "203.0.114.7", false),
            ("203.0.113.7", "203.0.113.7", true),
            ("0.0.0.0/0", "8.8.8.8", true),
            ("2001:db8::/32", "2001:db8:1::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("2001:DB8::/32", "2001:db8::5", true),
            ("::/0", "::1", true),
            ("203.0.113.0/24", "2001:db8::1", false),
            ("::ffff:203.0.113.0/120", "::ffff:203.0.113.9", true),
        ];
        for &(net, ip, want) in cases {
            assert_eq!(
                Cidr::parse(net).map(|c| c.contains(ip)),
                Some(want),
                "{net} {ip}"
            );
        }
        for bad in [
            "203.0.113.0/33",
            "256.0.0.1",
            "1.2.3",
            "2001:db8::/129",
            "1:2:3:4:5:6:7:8:9",
            "1.2.3.4/",
            "x",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }
}
