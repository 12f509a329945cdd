//! The key-state × operation table (Developer Guide "Key states of AWS KMS keys"; digest in
//! `../shared/reference/kms-guide-1.md` §5.2), with KMS's exception names and messages.

use super::model::{KeyRecord, KeyState, Origin};
use crate::error::{Error, ErrorCode, Result};
use alloc::format;

/// Operations grouped by how they treat key states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, GenerateDataKeyPair*.
    SymmetricCrypto,
    /// Sign, Verify, GenerateMac, VerifyMac, GetPublicKey, DeriveSharedSecret, Encapsulate,
    /// Decapsulate.
    AsymmetricCrypto,
    /// CreateGrant.
    CreateGrant,
    /// ReplicateKey.
    ReplicateKey,
    /// UpdatePrimaryRegion.
    UpdatePrimaryRegion,
    /// EnableKey, DisableKey.
    EnableDisable,
    /// EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand.
    ChangeRotation,
    /// ScheduleKeyDeletion.
    ScheduleDeletion,
    /// CancelKeyDeletion.
    CancelDeletion,
    /// CreateAlias (as the target), TagResource, UntagResource, UpdateKeyDescription, and
    /// UpdateAlias's new target.
    Modify,
    /// GetParametersForImport.
    GetParametersForImport,
    /// ImportKeyMaterial.
    ImportKeyMaterial,
    /// DeleteImportedKeyMaterial.
    DeleteImportedKeyMaterial,
    /// DescribeKey, Get/PutKeyPolicy, ListResourceTags, GetKeyRotationStatus, ... (any state).
    Any,
}

fn disabled(arn: &str) -> Error {
    Error::new(ErrorCode::DisabledException, format!("{arn} is disabled."))
}

fn invalid_state(arn: &str, what: &str) -> Error {
    Error::new(
        ErrorCode::KMSInvalidStateException,
        format!("{arn} is {what}."),
    )
}

/// Whether `key` (with ARN `arn`) is in a state that allows `op`.
///
/// # Errors
/// The exception and message KMS uses for that state and operation.
pub fn check(op: Op, key: &KeyRecord, arn: &str) -> Result<()> {
    use KeyState::*;
    let s = key.state;
    let pending_deletion = || {
        invalid_state(
            arn,
            if s == PendingReplicaDeletion {
                "pending replica deletion"
            } else {
                "pending deletion"
            },
        )
    };
    match (op, s) {
        (Op::Any, _) => Ok(()),
        (_, Creating) if op != Op::ScheduleDeletion && op != Op::Modify => {
            Err(invalid_state(arn, "creating"))
        }
        (Op::CancelDeletion, PendingDeletion | PendingReplicaDeletion) => Ok(()),
        (Op::CancelDeletion, _) => Err(invalid_state(arn, "not pending deletion")),
        (Op::ScheduleDeletion, PendingDeletion | PendingReplicaDeletion) => Err(pending_deletion()),
        (Op::ScheduleDeletion, Updating) => Err(invalid_state(arn, "updating")),
        (Op::ScheduleDeletion, _) => Ok(()),
        (Op::Modify, PendingDeletion | PendingReplicaDeletion) => Err(pending_deletion()),
        (Op::Modify, _) => Ok(()),
        (Op::DeleteImportedKeyMaterial, Updating) => Err(invalid_state(arn, "updating")),
        (Op::DeleteImportedKeyMaterial, _) => Ok(()),
        (_, PendingDeletion | PendingReplicaDeletion) => Err(pending_deletion()),
        (Op::GetParametersForImport, Updating) => Err(invalid_state(arn, "updating")),
        (Op::GetParametersForImport | Op::ImportKeyMaterial, _) => Ok(()),
        (Op::EnableDisable, PendingImport) => Err(invalid_state(arn, "pending import")),
        (Op::EnableDisable, Updating) => Err(invalid_state(arn, "updating")),
        (Op::EnableDisable, _) => Ok(()),
        (Op::ChangeRotation, _) if key.origin != Origin::AwsKms => Err(Error::new(
            ErrorCode::UnsupportedOperationException,
            format!(
                "{arn} origin is {} which is not valid for this operation.",
                key.origin
            ),
        )),
        (Op::ChangeRotation, Disabled) => Err(disabled(arn)),
        (Op::ChangeRotation, Unavailable) => Err(invalid_state(arn, "unavailable")),
        (Op::ChangeRotation, _) => Ok(()),
        (Op::ReplicateKey, Updating) => Err(invalid_state(arn, "updating")),
        (_, Disabled) => Err(disabled(arn)),
        (_, PendingImport) => Err(invalid_state(arn, "pending import")),
        (Op::CreateGrant, Unavailable) => Ok(()),
        (_, Unavailable) => Err(invalid_state(arn, "unavailable")),
        (_, Enabled | Updating) => Ok(()),
        (_, Creating) => Err(invalid_state(arn, "creating")),
    }
}
