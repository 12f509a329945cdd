//! The aws-lc-rs backend: native targets.

use super::{Backend, Message};
use crate::error::{Error, ErrorCode, Result};
use crate::public_key::PublicKey;
use crate::spec::{KeySpec, SigningAlgorithm};
use aws_lc_rs::{digest, signature};

/// Zero-sized handle; see [`super::AWS_LC`].
#[derive(Debug)]
pub(super) struct AwsLc;

impl Backend for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc"
    }

    fn verify(
        &self,
        key: &PublicKey,
        algorithm: SigningAlgorithm,
        message: Message<'_>,
        sig: &[u8],
    ) -> Result<bool> {
        let (alg, hash): (&'static dyn signature::VerificationAlgorithm, _) =
            match (key.spec(), algorithm) {
                (KeySpec::EccNistP256, SigningAlgorithm::EcdsaSha256) => {
                    (&signature::ECDSA_P256_SHA256_ASN1, &digest::SHA256)
                }
                (KeySpec::EccNistP384, SigningAlgorithm::EcdsaSha384) => {
                    (&signature::ECDSA_P384_SHA384_ASN1, &digest::SHA384)
                }
                (KeySpec::EccNistP521, SigningAlgorithm::EcdsaSha512) => {
                    (&signature::ECDSA_P521_SHA512_ASN1, &digest::SHA512)
                }
                (KeySpec::EccSecgP256k1, SigningAlgorithm::EcdsaSha256) => {
                    (&signature::ECDSA_P256K1_SHA256_ASN1, &digest::SHA256)
                }
                (spec, alg) => return Err(unsupported(spec, alg)),
            };
        let parsed = signature::ParsedPublicKey::new(alg, key.spki_der()).map_err(|_| {
            Error::validation(alloc::format!("{} public key is invalid", key.spec()))
        })?;
        let ok = match message {
            Message::Raw(m) => parsed.verify_sig(m, sig).is_ok(),
            Message::Digest(d) => match digest::Digest::import_less_safe(d, hash) {
                Ok(d) => parsed.verify_digest_sig(&d, sig).is_ok(),
                Err(_) => false,
            },
            Message::ExternalMu(_) => return Err(unsupported(key.spec(), algorithm)),
        };
        Ok(ok)
    }
}

fn unsupported(spec: KeySpec, alg: SigningAlgorithm) -> Error {
    Error::new(
        ErrorCode::UnsupportedOperationException,
        alloc::format!("the aws-lc backend does not implement {alg} with {spec}"),
    )
}
