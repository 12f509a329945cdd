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
