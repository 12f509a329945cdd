//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`, and
//! the escapes `${*}`, `${?}`, `${$}` (a literal `*`, `?`, `$`).
//!
//! IAM substitutes them in `Resource` and in the values of string and ARN conditions, and only
//! in policies of `"Version": "2012-10-17"`.

use super::request::{Context, ContextValue};

/// Whether `text` contains a `${...}` variable.
pub(crate) fn has_variables(text: &str) -> bool {
    text.find("${").is_some_and(|i| text[i..].contains('}'))
}

/// Walks `text`, handing `emit` each piece and whether it is policy text (`true`: its `*` and
/// `?` are wildcards) or substituted (`false`: literal). Returns false, having emitted part of
/// the text, when a variable names an absent or multi-valued key and has no default: such a
/// value matches nothing.
pub(crate) fn substitute(text: &str, context: &Context, mut emit: impl FnMut(&str, bool)) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        emit(&rest[..start], true);
        let inner = rest[start + 2..start + len].trim();
        rest = &rest[start + len + 1..];
        match inner {
            "*" | "?" | "$" => emit(inner, false),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => (k.trim(), quoted(d.trim())),
                    None => (inner, None),
                };
                match context.get(key) {
                    Some(ContextValue::One(v)) => emit(v, false),
                    _ => match default {
                        Some(d) => emit(d, false),
                        None => return false,
                    },
                }
            }
        }
    }
    emit(rest, true);
    true
}

fn quoted(s: &str) -> Option<&str> {
    s.strip_prefix('\'')?.strip_suffix('\'')
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn render(text: &str, ctx: &Context) -> Option<String> {
        let mut out = String::new();
        substitute(text, ctx, |piece, _| out.push_str(piece)).then_some(out)
    }

    #[test]
    fn substitution() {
        let ctx = Context::new()
            .with("aws:username", "alice")
            .with("aws:PrincipalTag/Team", "blue");
        assert_eq!(
            render("home/${aws:username}/*", &ctx).as_deref(),
            Some("home/alice/*")
        );
        assert_eq!(
            render("${aws:principaltag/team}", &ctx).as_deref(),
            Some("blue")
        );
        assert_eq!(render("a${*}b${?}c${$}", &ctx).as_deref(), Some("a*b?c$"));
        assert_eq!(
            render("${aws:userid, 'nobody'}", &ctx).as_deref(),
            Some("nobody")
        );
        assert_eq!(render("${aws:userid}", &ctx), None);
        assert_eq!(
            render("no variables", &ctx).as_deref(),
            Some("no variables")
        );
        assert_eq!(
            render("unterminated ${x", &ctx).as_deref(),
            Some("unterminated ${x")
        );
        assert!(has_variables("${x}") && !has_variables("$x") && !has_variables("${x"));
    }
}
