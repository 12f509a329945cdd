//! One error type for all of kmskit: a stable [`ErrorCode`] named after the AWS KMS exception
//! that KMS raises in the same situation, plus a human-readable message.
//!
//! Bindings branch on [`ErrorCode::as_str`], never on the message text. Messages name the
//! problem but never contain secret material, and crypto failures stay opaque (which input was
//! wrong is said; why the math failed is not).

use alloc::string::String;
use core::fmt;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// The KMS exception name of an [`Error`]. `as_str()` is stable across releases.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order: the catalogue each binding mirrors.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The KMS exception name, e.g. `"ValidationException"`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => stringify!($variant),)* }
            }

            /// Looks a code up by its KMS exception name.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $(stringify!($variant) => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    /// The caller is not authorized (IAM, key policy or grant).
    AccessDeniedException,
    /// A resource with this name already exists (alias, grant name).
    AlreadyExistsException,
    /// The request conflicts with the current state of a resource.
    ConflictException,
    /// The system timed out while trying to fulfil the request.
    DependencyTimeoutException,
    /// The key is disabled.
    DisabledException,
    /// DryRun: the request would have succeeded.
    DryRunOperationException,
    /// The import token has expired.
    ExpiredImportTokenException,
    /// The key given does not match the key that encrypted the ciphertext.
    IncorrectKeyException,
    /// The imported key material differs from the material imported before.
    IncorrectKeyMaterialException,
    /// The alias name is not valid.
    InvalidAliasNameException,
    /// The ARN is not valid.
    InvalidArnException,
    /// The ciphertext, or its encryption context, is not valid.
    InvalidCiphertextException,
    /// The grant ID is not valid.
    InvalidGrantIdException,
    /// The grant token is not valid.
    InvalidGrantTokenException,
    /// The import token is not valid or belongs to another key.
    InvalidImportTokenException,
    /// The key usage, or the algorithm for the key spec, does not fit the operation.
    InvalidKeyUsageException,
    /// The pagination marker is not valid.
    InvalidMarkerException,
    /// The key is not available right now.
    KeyUnavailableException,
    /// An internal error; also what a caught panic becomes at a binding boundary.
    KMSInternalException,
    /// The MAC does not verify.
    KMSInvalidMacException,
    /// The signature does not verify.
    KMSInvalidSignatureException,
    /// The key is in a state that does not allow the operation.
    KMSInvalidStateException,
    /// A quota was exceeded.
    LimitExceededException,
    /// The policy document is not valid.
    MalformedPolicyDocumentException,
    /// The resource does not exist.
    NotFoundException,
    /// A tag is not valid.
    TagException,
    /// The operation is not supported for this key or in this configuration.
    UnsupportedOperationException,
    /// An input is malformed or out of range.
    ValidationException,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kmskit error: a KMS exception [`code`](Error::code) and a [`message`](Error::message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Creates an error with the given code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The KMS exception this error corresponds to.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message (no secrets, no crypto internals).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `ValidationException` with `message`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ValidationException, message)
    }

    /// `InvalidKeyUsageException` with `message`.
    pub fn key_usage(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidKeyUsageException, message)
    }

    /// `KMSInternalException` with `message`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::KMSInternalException, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl core::error::Error for Error {}

/// `Result` with kmskit's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_by_name() {
        for &code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
            assert!(code.as_str().ends_with("Exception"), "{code}");
        }
        assert_eq!(ErrorCode::from_name("Nope"), None);
    }

    #[test]
    fn display_names_code_and_message() {
        let e = Error::validation("bad key");
        assert_eq!(alloc::format!("{e}"), "ValidationException: bad key");
    }
}
