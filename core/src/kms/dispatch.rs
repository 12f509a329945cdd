//! The KMS JSON protocol: operation name + request body in, response body out.

use super::Kms;
use super::principals::CallerContext;
use super::shapes::*;
use crate::error::{Error, ErrorCode, Result};
use alloc::format;
use alloc::string::String;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The operations [`call`] implements, by KMS API name.
pub(super) const OPERATIONS: &[&str] = &[
    "CancelKeyDeletion",
    "CreateAlias",
    "CreateGrant",
    "CreateKey",
    "Decapsulate",
    "Decrypt",
    "DeleteAlias",
    "DeleteImportedKeyMaterial",
    "DeriveSharedSecret",
    "DescribeKey",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "Encapsulate",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GenerateRandom",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "GetParametersForImport",
    "GetPublicKey",
    "ImportKeyMaterial",
    "ListAliases",
    "ListGrants",
    "ListKeyPolicies",
    "ListKeyRotations",
    "ListKeys",
    "ListResourceTags",
    "ListRetirableGrants",
    "PutKeyPolicy",
    "ReEncrypt",
    "ReplicateKey",
    "RetireGrant",
    "RevokeGrant",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "Sign",
    "TagResource",
    "UntagResource",
    "UpdateAlias",
    "UpdateKeyDescription",
    "UpdatePrimaryRegion",
    "Verify",
    "VerifyMac",
];

fn parse<T: DeserializeOwned>(operation: &str, body: &str) -> Result<T> {
    let body = if body.trim().is_empty() { "{}" } else { body };
    serde_json::from_str(body).map_err(|e| {
        Error::validation(format!(
            "1 validation error detected in the {operation} request: {e}"
        ))
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::internal(format!("response encoding failed: {e}")))
}

/// Runs `operation` (`Encrypt` or `TrentService.Encrypt`) with a JSON body.
pub(super) fn call(
    kms: &mut Kms,
    caller: &CallerContext,
    region: &str,
    operation: &str,
    body: &str,
) -> Result<String> {
    let op = operation.strip_prefix("TrentService.").unwrap_or(operation);
    let authorized = kms.authorize(caller, region, op, body)?;
    macro_rules! run {
        ($req:ty, |$r:ident| $e:expr) => {{
            let $r: $req = parse(op, body)?;
            to_json(&$e?)
        }};
    }
    match op {
        "CreateKey" => run!(CreateKeyRequest, |r| kms.create_key(region, r)),
        "DescribeKey" => run!(KeyIdRequest, |r| kms.describe_key(region, r)),
        "ListKeys" => run!(ListRequest, |r| kms.list_keys(region, r)),
        "EnableKey" => run!(KeyIdRequest, |r| kms.enable_key(region, r)),
        "DisableKey" => run!(KeyIdRequest, |r| kms.disable_key(region, r)),
        "UpdateKeyDescription" => run!(UpdateKeyDescriptionRequest, |r| kms
            .update_key_description(region, r)),
        "ScheduleKeyDeletion" => run!(ScheduleKeyDeletionRequest, |r| kms
            .schedule_key_deletion(region, r)),
        "CancelKeyDeletion" => run!(KeyIdRequest, |r| kms.cancel_key_deletion(region, r)),
        "CreateAlias" => run!(AliasRequest, |r| kms.create_alias(region, r)),
        "UpdateAlias" => run!(AliasRequest, |r| kms.update_alias(region, r)),
        "DeleteAlias" => run!(DeleteAliasRequest, |r| kms.delete_alias(region, r)),
        "ListAliases" => run!(ListRequest, |r| kms.list_aliases(region, r)),
        "TagResource" => run!(TagResourceRequest, |r| kms.tag_resource(region, r)),
        "UntagResource" => run!(UntagResourceRequest, |r| kms.untag_resource(region, r)),
        "ListResourceTags" => run!(ListRequest, |r| kms.list_resource_tags(region, r)),
        "GetKeyPolicy" => run!(GetKeyPolicyRequest, |r| kms.get_key_policy(region, r)),
        "PutKeyPolicy" => run!(PutKeyPolicyRequest, |r| kms.put_key_policy(region, r)),
        "ListKeyPolicies" => run!(ListRequest, |r| kms.list_key_policies(region, r)),
        "Encrypt" => run!(EncryptRequest, |r| kms.encrypt(region, r)),
        "Decrypt" => run!(DecryptRequest, |r| kms.decrypt(region, r)),
        "ReEncrypt" => run!(ReEncryptRequest, |r| kms.re_encrypt(region, r)),
        "GenerateDataKey" => run!(GenerateDataKeyRequest, |r| kms
            .generate_data_key(region, r, true)),
        "GenerateDataKeyWithoutPlaintext" => {
            run!(GenerateDataKeyRequest, |r| kms
                .generate_data_key(region, r, false))
        }
        "GenerateDataKeyPair" => run!(GenerateDataKeyPairRequest, |r| kms
            .generate_data_key_pair(region, r, true)),
        "GenerateDataKeyPairWithoutPlaintext" => {
            run!(GenerateDataKeyPairRequest, |r| kms
                .generate_data_key_pair(region, r, false))
        }
        "Sign" => run!(SignRequest, |r| kms.sign(region, r)),
        "Verify" => run!(VerifyRequest, |r| kms.verify(region, r)),
        "GenerateMac" => run!(GenerateMacRequest, |r| kms.generate_mac(region, r)),
        "VerifyMac" => run!(VerifyMacRequest, |r| kms.verify_mac(region, r)),
        "DeriveSharedSecret" => run!(DeriveSharedSecretRequest, |r| kms
            .derive_shared_secret(region, r)),
        "Encapsulate" => run!(EncapsulateRequest, |r| kms.encapsulate(region, r)),
        "Decapsulate" => run!(DecapsulateRequest, |r| kms.decapsulate(region, r)),
        "GetPublicKey" => run!(KeyIdRequest, |r| kms.get_public_key(region, r)),
        "GenerateRandom" => run!(GenerateRandomRequest, |r| kms.generate_random(r)),
        "EnableKeyRotation" => run!(EnableKeyRotationRequest, |r| kms
            .enable_key_rotation(region, r)),
        "DisableKeyRotation" => run!(KeyIdRequest, |r| kms.disable_key_rotation(region, r)),
        "GetKeyRotationStatus" => run!(KeyIdRequest, |r| kms.get_key_rotation_status(region, r)),
        "RotateKeyOnDemand" => run!(KeyIdRequest, |r| kms.rotate_key_on_demand(region, r)),
        "ListKeyRotations" => run!(ListRequest, |r| kms.list_key_rotations(region, r)),
        "ReplicateKey" => run!(ReplicateKeyRequest, |r| kms.replicate_key(region, r)),
        "UpdatePrimaryRegion" => run!(UpdatePrimaryRegionRequest, |r| kms
            .update_primary_region(region, r)),
        "GetParametersForImport" => run!(GetParametersForImportRequest, |r| kms
            .get_parameters_for_import(region, r)),
        "ImportKeyMaterial" => run!(ImportKeyMaterialRequest, |r| kms
            .import_key_material(region, r)),
        "DeleteImportedKeyMaterial" => run!(DeleteImportedKeyMaterialRequest, |r| kms
            .delete_imported_key_material(region, r)),
        "CreateGrant" => run!(CreateGrantRequest, |r| kms.create_grant(
            region,
            r,
            &authorized
        )),
        "ListGrants" => run!(ListGrantsRequest, |r| kms.list_grants(region, r)),
        "ListRetirableGrants" => run!(ListRetirableGrantsRequest, |r| kms
            .list_retirable_grants(region, r)),
        "RetireGrant" => run!(RetireGrantRequest, |r| kms.retire_grant(caller, region, r)),
        "RevokeGrant" => run!(RevokeGrantRequest, |r| kms.revoke_grant(region, r)),
        _ => Err(Error::new(
            ErrorCode::UnsupportedOperationException,
            format!(
                "'{operation}' is not a KMS operation kmskit implements; see kmskit::kms::operations()"
            ),
        )),
    }
}
