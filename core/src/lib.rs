#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod api;
pub mod backend;
pub mod crypto;
mod double_mul;
mod encoding;
pub mod envelope;
pub mod error;
pub mod keygen;
pub mod kms;
pub mod offline;
mod point;
pub mod policy;
pub mod private_key;
pub mod public_key;
pub mod secret;
pub mod sm2;
pub mod spec;

// The public interface is:
pub use error::{Error, ErrorCode, Result};
pub use offline::verify;
pub use private_key::PrivateKey;
pub use public_key::PublicKey;
pub use secret::Secret;
pub use spec::{
    EncryptionAlgorithm, KeyAgreementAlgorithm, KeyEncapsulationAlgorithm, KeySpec, KeyUsage,
    MacAlgorithm, MessageType, SigningAlgorithm,
};
