//! IAM wildcard matching: `*` matches any run of characters (also none), `?` exactly one.
//!
//! A pattern is compiled to `u16` tokens so that a `*` or `?` that came from a policy variable
//! (`${*}`, or a context value substituted into the pattern) stays a literal character.

use alloc::vec::Vec;

const STAR: u16 = 0x100;
const ONE: u16 = 0x101;

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Glob {
    tokens: Vec<u16>,
    wild: bool,
}

impl Glob {
    /// Compiles `text`, where every `*` and `?` is a wildcard.
    pub(crate) fn new(text: &str) -> Self {
        let mut g = Glob::empty();
        g.push_pattern(text);
        g
    }

    pub(crate) fn empty() -> Self {
        Glob {
            tokens: Vec::new(),
            wild: false,
        }
    }

    /// Appends text whose `*` and `?` are wildcards.
    pub(crate) fn push_pattern(&mut self, text: &str) {
        for &b in text.as_bytes() {
            let t = match b {
                b'*' => STAR,
                b'?' => ONE,
                _ => u16::from(b),
            };
            self.wild |= t >= STAR;
            self.tokens.push(t);
        }
    }

    /// Appends text matched literally.
    pub(crate) fn push_literal(&mut self, text: &str) {
        self.tokens
            .extend(text.as_bytes().iter().map(|&b| u16::from(b)));
    }

    /// Splits at the first `n - 1` occurrences of the byte `sep` (ARN fields).
    pub(crate) fn split_fields(&self, sep: u8, n: usize) -> Vec<Glob> {
        let mut out = alloc::vec![Glob::empty()];
        for &t in &self.tokens {
            if t == u16::from(sep) && out.len() < n {
                out.push(Glob::empty());
            } else if let Some(last) = out.last_mut() {
                last.tokens.push(t);
                last.wild |= t >= STAR;
            }
        }
        out
    }

    /// True when the pattern is exactly `*`.
    pub(crate) fn is_star(&self) -> bool {
        self.tokens == [STAR]
    }

    /// Whether `s` matches the whole pattern.
    pub(crate) fn matches(&self, s: &str) -> bool {
        let s = s.as_bytes();
        if !self.wild {
            return self.tokens.len() == s.len()
                && self.tokens.iter().zip(s).all(|(&t, &b)| t == u16::from(b));
        }
        matches_tokens(&self.tokens, s)
    }
}

/// Greedy matching with a single backtrack point (the last `*`): linear in practice, and
/// never worse than `O(pattern × text)`.
fn matches_tokens(p: &[u16], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(&STAR) => {
                resume = Some((pi, si));
                pi += 1;
                continue;
            }
            Some(&ONE) => {
                pi += 1;
                si += char_len(s[si]);
                continue;
            }
            Some(&t) if t == u16::from(s[si]) => {
                pi += 1;
                si += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            // Let the last `*` swallow one more character and retry after it.
            Some((star, from)) => {
                let next = from + char_len(s[from]);
                resume = Some((star, next));
                pi = star + 1;
                si = next;
            }
            None => return false,
        }
    }
    p[pi.min(p.len())..].iter().all(|&t| t == STAR)
}

/// `?` matches one character, not one byte.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("*", "anything", true),
            ("kms:get*", "kms:getpublickey", true),
            ("kms:get*", "kms:describekey", false),
            ("kms:*key*", "kms:describekey", true),
            ("kms:*key*", "kms:encrypt", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "aéc", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("alias/*test*", "alias/my-test-key", true),
            ("exact", "exact", true),
            ("exact", "exac", false),
            ("", "", true),
            ("", "x", false),
            ("**", "x", true),
        ];
        for &(p, s, want) in cases {
            assert_eq!(Glob::new(p).matches(s), want, "{p} vs {s}");
        }
    }

    #[test]
    fn literal_star_is_not_a_wildcard() {
        let mut g = Glob::new("a");
        g.push_literal("*");
        assert!(g.matches("a*"));
        assert!(!g.matches("ab"));
    }
}
