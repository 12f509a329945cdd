//! Reading inputs: a path, or `-` for standard input.

use std::io::Read;

/// Reads a whole file, or standard input for `-`.
///
/// # Errors
/// `ValidationException` naming the path when it cannot be read.
pub(crate) fn read(path: &str) -> kmskit::Result<Vec<u8>> {
    let result = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    result.map_err(|e| kmskit::Error::validation(format!("cannot read {path}: {e}")))
}

/// How binary output is written.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Raw,
    Base64,
    Hex,
}

impl Format {
    pub(crate) fn of(base64: bool, hex: bool) -> Self {
        match (base64, hex) {
            (true, _) => Format::Base64,
            (_, true) => Format::Hex,
            _ => Format::Raw,
        }
    }
}

/// Writes `bytes` to `path` (standard output when `None`), raw or as text.
///
/// # Errors
/// `ValidationException` naming the path when it cannot be written.
pub(crate) fn write(bytes: &[u8], path: Option<&str>, format: Format) -> kmskit::Result<()> {
    use std::io::Write;
    let data = match format {
        Format::Raw => bytes.to_vec(),
        Format::Base64 => {
            use base64::Engine as _;
            let mut t = base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into_bytes();
            t.push(b'\n');
            t
        }
        Format::Hex => {
            let mut t = hex::encode(bytes).into_bytes();
            t.push(b'\n');
            t
        }
    };
    let what = path.unwrap_or("standard output");
    let result = match path {
        Some(p) => std::fs::write(p, &data),
        None => std::io::stdout().lock().write_all(&data),
    };
    result.map_err(|e| kmskit::Error::validation(format!("cannot write {what}: {e}")))
}
