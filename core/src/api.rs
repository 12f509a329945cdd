//! The public surface every binding must expose, by name (snake_case).
//!
//! Each binding's test suite lists what it really exports and compares it with [`FUNCTIONS`]
//! (in its own casing), so a capability added here and forgotten in a binding fails the suite.

/// Free functions of the offline API, in snake_case.
pub const FUNCTIONS: &[&str] = &[
    // this list itself, and the error catalogue, so every runtime can run its drift checks
    "capabilities",
    "error_codes",
    // offline operations (KMS semantics)
    "verify",
    "encrypt",
    "derive_shared_secret",
    "encapsulate",
    "describe_public_key",
    // encodings around KMS output
    "der_to_p1363",
    "p1363_to_der",
    "normalize_low_s",
    "secp256k1_recovery_id",
    "sm2_digest",
    "sm2_ciphertext_to_der",
    "sm2_ciphertext_from_der",
    "ml_dsa_mu",
    // authorization: key policy + IAM policies + grants, explained
    "evaluate",
];
