//! The public surface every binding must expose, by name (snake_case).
//!
//! Each binding's test suite lists what it really exports and compares it with [`FUNCTIONS`]
//! (in its own casing), so a capability added here and forgotten in a binding fails the suite.

/// Free functions of the offline API, in snake_case.
pub const FUNCTIONS: &[&str] = &[
    // this list itself, so every runtime can run the parity check
    "capabilities",
    // the catalogue of error codes (KMS exception names), for drift checks
    "error_codes",
    // offline operations
    "verify",
];
