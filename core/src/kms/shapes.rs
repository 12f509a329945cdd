//! Request and response shapes of the KMS JSON API (`TrentService.<Operation>`), with the API's
//! field names (PascalCase). Blobs are bytes here and base64 strings in JSON; timestamps are
//! milliseconds here and epoch seconds (numbers) in JSON, as the AWS JSON 1.1 protocol writes
//! them. Unknown request fields are rejected (`ValidationException`), so typos do not pass
//! silently.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// serde for blobs: base64 in JSON.
pub mod b64 {
    use alloc::string::String;
    use alloc::vec::Vec;
    use base64ct::{Base64, Encoding};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes bytes as base64.
    ///
    /// # Errors
    /// Never, beyond the serializer's own.
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Base64::encode_string(v))
    }

    /// Deserializes base64 into bytes.
    ///
    /// # Errors
    /// For text that is not base64.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        Base64::decode_vec(&text)
            .map_err(|_| serde::de::Error::custom("a blob is not valid base64"))
    }

    /// serde for optional blobs.
    pub mod option {
        use super::*;

        /// Serializes an optional blob.
        ///
        /// # Errors
        /// Never, beyond the serializer's own.
        pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(b) => super::serialize(b, s),
                None => s.serialize_none(),
            }
        }

        /// Deserializes an optional blob.
        ///
        /// # Errors
        /// For text that is not base64.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(text) => Base64::decode_vec(&text)
                    .map(Some)
                    .map_err(|_| serde::de::Error::custom("a blob is not valid base64")),
                None => Ok(None),
            }
        }
    }
}

/// serde for timestamps: epoch seconds (a number) in JSON, milliseconds here.
pub mod epoch {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes milliseconds as fractional seconds.
    ///
    /// # Errors
    /// Never, beyond the serializer's own.
    pub fn serialize<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*ms as f64 / 1000.0)
    }

    /// Deserializes seconds into milliseconds.
    ///
    /// # Errors
    /// For a non-number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let secs = f64::deserialize(d)?;
        Ok((secs * 1000.0) as i64)
    }

    /// serde for optional timestamps.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes an optional timestamp.
        ///
        /// # Errors
        /// Never, beyond the serializer's own.
        pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(ms) => super::serialize(ms, s),
                None => s.serialize_none(),
            }
        }

        /// Deserializes an optional timestamp.
        ///
        /// # Errors
        /// For a non-number.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            Ok(Option::<f64>::deserialize(d)?.map(|secs| (secs * 1000.0) as i64))
        }
    }
}

/// Fields whose JSON values are base64 blobs, in any operation (for bindings that convert
/// them to native bytes).
pub const BLOB_FIELDS: &[&str] = &[
    "AttestationDocument",
    "CiphertextBlob",
    "CiphertextForRecipient",
    "EncryptedKeyMaterial",
    "ImportToken",
    "Mac",
    "Message",
    "Plaintext",
    "PrivateKeyCiphertextBlob",
    "PrivateKeyPlaintext",
    "PublicKey",
    "SharedSecret",
    "SharedSecretCiphertextBlob",
    "Signature",
];

/// Fields whose JSON values are timestamps (epoch seconds), in any operation.
pub const TIMESTAMP_FIELDS: &[&str] = &[
    "CreationDate",
    "DeletionDate",
    "LastUpdatedDate",
    "NextRotationDate",
    "OnDemandRotationStartDate",
    "ParametersValidTo",
    "RotationDate",
    "ValidTo",
];

/// Fields whose JSON values are maps with caller-chosen keys (encryption contexts and grant
/// constraints), in any operation. Converters of [`BLOB_FIELDS`] and [`TIMESTAMP_FIELDS`] must
/// not look inside them: `{"EncryptionContext": {"Message": "order 42"}}` holds text.
pub const MAP_FIELDS: &[&str] = &[
    "DestinationEncryptionContext",
    "EncryptionContext",
    "EncryptionContextEquals",
    "EncryptionContextSubset",
    "SourceEncryptionContext",
];

/// A tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Tag {
    /// The tag key.
    pub tag_key: String,
    /// The tag value (may be empty).
    pub tag_value: String,
}

/// An encryption context in requests.
pub type Context = BTreeMap<String, String>;

/// `MultiRegionKey`: a key of a multi-Region set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MultiRegionKey {
    /// The key ARN.
    pub arn: String,
    /// The Region.
    pub region: String,
}

/// `MultiRegionConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MultiRegionConfiguration {
    /// `PRIMARY` or `REPLICA`.
    pub multi_region_key_type: String,
    /// The primary key.
    pub primary_key: MultiRegionKey,
    /// The replica keys.
    pub replica_keys: Vec<MultiRegionKey>,
}

/// `KeyMetadata`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(
    missing_docs,
    reason = "the fields are KMS's KeyMetadata, documented in the API Reference"
)]
pub struct KeyMetadata {
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    pub key_id: String,
    pub arn: String,
    #[serde(with = "epoch")]
    pub creation_date: i64,
    pub enabled: bool,
    pub description: String,
    pub key_usage: String,
    pub key_state: String,
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub deletion_date: Option<i64>,
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub valid_to: Option<i64>,
    pub origin: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expiration_model: Option<String>,
    pub key_manager: String,
    pub customer_master_key_spec: String,
    pub key_spec: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encryption_algorithms: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signing_algorithms: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_agreement_algorithms: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mac_algorithms: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encapsulation_algorithms: Option<Vec<String>>,
    pub multi_region: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub multi_region_configuration: Option<MultiRegionConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pending_deletion_window_in_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub current_key_material_id: Option<String>,
}

macro_rules! shape {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        #[allow(missing_docs, reason = "fields are the KMS API's, documented in the API Reference")]
        pub struct $name { $($body)* }
    };
}

// ---------------------------------------------------------------------------- keys

shape!(
    /// CreateKey request.
    CreateKeyRequest {
        #[serde(default)] pub policy: Option<String>,
        #[serde(default)] pub description: Option<String>,
        #[serde(default)] pub key_usage: Option<String>,
        #[serde(default)] pub customer_master_key_spec: Option<String>,
        #[serde(default)] pub key_spec: Option<String>,
        #[serde(default)] pub origin: Option<String>,
        #[serde(default)] pub custom_key_store_id: Option<String>,
        #[serde(default)] pub bypass_policy_lockout_safety_check: Option<bool>,
        #[serde(default)] pub tags: Option<Vec<Tag>>,
        #[serde(default)] pub multi_region: Option<bool>,
        #[serde(default)] pub xks_key_id: Option<String>,
    }
);

/// A response holding `KeyMetadata` (CreateKey, DescribeKey).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadataResponse {
    /// The key's metadata.
    pub key_metadata: KeyMetadata,
}

shape!(
    /// A request naming only a key (and optional grant tokens).
    KeyIdRequest {
        pub key_id: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
    }
);

shape!(
    /// A response with only the key ARN.
    KeyIdResponse {
        pub key_id: String,
    }
);

shape!(
    /// An empty response.
    Empty {}
);

shape!(
    /// Paging parameters (ListKeys, ListAliases with KeyId, ListResourceTags, ...).
    ListRequest {
        #[serde(default)] pub key_id: Option<String>,
        #[serde(default)] pub limit: Option<u32>,
        #[serde(default)] pub marker: Option<String>,
        #[serde(default)] pub include_key_material: Option<String>,
    }
);

/// One entry of ListKeys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyListEntry {
    /// Key ID.
    pub key_id: String,
    /// Key ARN.
    pub key_arn: String,
}

shape!(
    /// ListKeys response.
    ListKeysResponse {
        pub keys: Vec<KeyListEntry>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub next_marker: Option<String>,
        pub truncated: bool,
    }
);

shape!(
    /// UpdateKeyDescription request.
    UpdateKeyDescriptionRequest {
        pub key_id: String,
        pub description: String,
    }
);

shape!(
    /// ScheduleKeyDeletion request.
    ScheduleKeyDeletionRequest {
        pub key_id: String,
        #[serde(default)] pub pending_window_in_days: Option<u32>,
    }
);

shape!(
    /// ScheduleKeyDeletion response.
    ScheduleKeyDeletionResponse {
        pub key_id: String,
        #[serde(with = "epoch::option", skip_serializing_if = "Option::is_none", default)]
        pub deletion_date: Option<i64>,
        pub key_state: String,
        pub pending_window_in_days: u32,
    }
);

// ---------------------------------------------------------------------------- aliases

shape!(
    /// CreateAlias / UpdateAlias request.
    AliasRequest {
        pub alias_name: String,
        pub target_key_id: String,
    }
);

shape!(
    /// DeleteAlias request.
    DeleteAliasRequest {
        pub alias_name: String,
    }
);

/// One alias of ListAliases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasListEntry {
    /// `alias/...`.
    pub alias_name: String,
    /// The alias ARN.
    pub alias_arn: String,
    /// The key ID it points to.
    pub target_key_id: String,
    /// Creation date.
    #[serde(with = "epoch")]
    pub creation_date: i64,
    /// Last update.
    #[serde(with = "epoch")]
    pub last_updated_date: i64,
}

shape!(
    /// ListAliases response.
    ListAliasesResponse {
        pub aliases: Vec<AliasListEntry>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub next_marker: Option<String>,
        pub truncated: bool,
    }
);

// ---------------------------------------------------------------------------- tags

shape!(
    /// TagResource request.
    TagResourceRequest {
        pub key_id: String,
        pub tags: Vec<Tag>,
    }
);

shape!(
    /// UntagResource request.
    UntagResourceRequest {
        pub key_id: String,
        pub tag_keys: Vec<String>,
    }
);

shape!(
    /// ListResourceTags response.
    ListResourceTagsResponse {
        pub tags: Vec<Tag>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub next_marker: Option<String>,
        pub truncated: bool,
    }
);

// ---------------------------------------------------------------------------- rotation

shape!(
    /// EnableKeyRotation request.
    EnableKeyRotationRequest {
        pub key_id: String,
        #[serde(default)] pub rotation_period_in_days: Option<u32>,
    }
);

shape!(
    /// GetKeyRotationStatus response.
    GetKeyRotationStatusResponse {
        pub key_rotation_enabled: bool,
        pub key_id: String,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub rotation_period_in_days: Option<u32>,
        #[serde(with = "epoch::option", skip_serializing_if = "Option::is_none", default)]
        pub next_rotation_date: Option<i64>,
        #[serde(with = "epoch::option", skip_serializing_if = "Option::is_none", default)]
        pub on_demand_rotation_start_date: Option<i64>,
    }
);

/// One entry of ListKeyRotations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationsListEntry {
    /// Key ARN.
    pub key_id: String,
    /// When the rotation happened.
    #[serde(with = "epoch")]
    pub rotation_date: i64,
    /// AUTOMATIC or ON_DEMAND.
    pub rotation_type: String,
    /// The material version it created.
    pub key_material_id: String,
}

shape!(
    /// ListKeyRotations response.
    ListKeyRotationsResponse {
        pub rotations: Vec<RotationsListEntry>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub next_marker: Option<String>,
        pub truncated: bool,
    }
);

// ---------------------------------------------------------------------------- key policies

shape!(
    /// GetKeyPolicy request.
    GetKeyPolicyRequest {
        pub key_id: String,
        #[serde(default)] pub policy_name: Option<String>,
    }
);

shape!(
    /// GetKeyPolicy response.
    GetKeyPolicyResponse {
        pub policy: String,
        pub policy_name: String,
    }
);

shape!(
    /// PutKeyPolicy request.
    PutKeyPolicyRequest {
        pub key_id: String,
        #[serde(default)] pub policy_name: Option<String>,
        pub policy: String,
        #[serde(default)] pub bypass_policy_lockout_safety_check: Option<bool>,
    }
);

shape!(
    /// ListKeyPolicies response.
    ListKeyPoliciesResponse {
        pub policy_names: Vec<String>,
        pub truncated: bool,
    }
);

// ---------------------------------------------------------------------------- cryptography

shape!(
    /// Encrypt request.
    EncryptRequest {
        pub key_id: String,
        #[serde(with = "b64")] pub plaintext: Vec<u8>,
        #[serde(default)] pub encryption_context: Option<Context>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub encryption_algorithm: Option<String>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// Encrypt response.
    EncryptResponse {
        #[serde(with = "b64")] pub ciphertext_blob: Vec<u8>,
        pub key_id: String,
        pub encryption_algorithm: String,
    }
);

shape!(
    /// Decrypt request.
    DecryptRequest {
        #[serde(with = "b64::option", default)] pub ciphertext_blob: Option<Vec<u8>>,
        #[serde(default)] pub encryption_context: Option<Context>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub key_id: Option<String>,
        #[serde(default)] pub encryption_algorithm: Option<String>,
        #[serde(default)] pub dry_run: Option<bool>,
        #[serde(default)] pub dry_run_modifiers: Option<Vec<String>>,
    }
);

shape!(
    /// Decrypt response.
    DecryptResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub plaintext: Vec<u8>,
        pub encryption_algorithm: String,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub key_material_id: Option<String>,
    }
);

shape!(
    /// ReEncrypt request.
    ReEncryptRequest {
        #[serde(with = "b64")] pub ciphertext_blob: Vec<u8>,
        #[serde(default)] pub source_encryption_context: Option<Context>,
        #[serde(default)] pub source_key_id: Option<String>,
        pub destination_key_id: String,
        #[serde(default)] pub destination_encryption_context: Option<Context>,
        #[serde(default)] pub source_encryption_algorithm: Option<String>,
        #[serde(default)] pub destination_encryption_algorithm: Option<String>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// ReEncrypt response.
    ReEncryptResponse {
        #[serde(with = "b64")] pub ciphertext_blob: Vec<u8>,
        pub source_key_id: String,
        pub key_id: String,
        pub source_encryption_algorithm: String,
        pub destination_encryption_algorithm: String,
    }
);

shape!(
    /// GenerateDataKey and GenerateDataKeyWithoutPlaintext request.
    GenerateDataKeyRequest {
        pub key_id: String,
        #[serde(default)] pub encryption_context: Option<Context>,
        #[serde(default)] pub number_of_bytes: Option<u32>,
        #[serde(default)] pub key_spec: Option<String>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// GenerateDataKey (and, without `Plaintext`, GenerateDataKeyWithoutPlaintext) response.
    GenerateDataKeyResponse {
        #[serde(with = "b64")] pub ciphertext_blob: Vec<u8>,
        #[serde(with = "b64::option", skip_serializing_if = "Option::is_none", default)]
        pub plaintext: Option<Vec<u8>>,
        pub key_id: String,
    }
);

shape!(
    /// GenerateDataKeyPair(WithoutPlaintext) request.
    GenerateDataKeyPairRequest {
        #[serde(default)] pub encryption_context: Option<Context>,
        pub key_id: String,
        pub key_pair_spec: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// GenerateDataKeyPair(WithoutPlaintext) response.
    GenerateDataKeyPairResponse {
        #[serde(with = "b64")] pub private_key_ciphertext_blob: Vec<u8>,
        #[serde(with = "b64::option", skip_serializing_if = "Option::is_none", default)]
        pub private_key_plaintext: Option<Vec<u8>>,
        #[serde(with = "b64")] pub public_key: Vec<u8>,
        pub key_id: String,
        pub key_pair_spec: String,
    }
);

shape!(
    /// Sign request.
    SignRequest {
        pub key_id: String,
        #[serde(with = "b64")] pub message: Vec<u8>,
        #[serde(default)] pub message_type: Option<String>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        pub signing_algorithm: String,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// Sign response.
    SignResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub signature: Vec<u8>,
        pub signing_algorithm: String,
    }
);

shape!(
    /// Verify request.
    VerifyRequest {
        pub key_id: String,
        #[serde(with = "b64")] pub message: Vec<u8>,
        #[serde(default)] pub message_type: Option<String>,
        #[serde(with = "b64")] pub signature: Vec<u8>,
        pub signing_algorithm: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// Verify response.
    VerifyResponse {
        pub key_id: String,
        pub signature_valid: bool,
        pub signing_algorithm: String,
    }
);

shape!(
    /// GenerateMac request.
    GenerateMacRequest {
        #[serde(with = "b64")] pub message: Vec<u8>,
        pub key_id: String,
        pub mac_algorithm: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// GenerateMac response.
    GenerateMacResponse {
        #[serde(with = "b64")] pub mac: Vec<u8>,
        pub mac_algorithm: String,
        pub key_id: String,
    }
);

shape!(
    /// VerifyMac request.
    VerifyMacRequest {
        #[serde(with = "b64")] pub message: Vec<u8>,
        pub key_id: String,
        pub mac_algorithm: String,
        #[serde(with = "b64")] pub mac: Vec<u8>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// VerifyMac response.
    VerifyMacResponse {
        pub key_id: String,
        pub mac_valid: bool,
        pub mac_algorithm: String,
    }
);

shape!(
    /// DeriveSharedSecret request.
    DeriveSharedSecretRequest {
        pub key_id: String,
        pub key_agreement_algorithm: String,
        #[serde(with = "b64")] pub public_key: Vec<u8>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// DeriveSharedSecret response.
    DeriveSharedSecretResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub shared_secret: Vec<u8>,
        pub key_agreement_algorithm: String,
        pub key_origin: String,
    }
);

shape!(
    /// Encapsulate request.
    EncapsulateRequest {
        pub key_id: String,
        pub encapsulation_algorithm: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// Encapsulate response.
    EncapsulateResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub shared_secret: Vec<u8>,
        #[serde(with = "b64")] pub shared_secret_ciphertext_blob: Vec<u8>,
        pub encapsulation_algorithm: String,
    }
);

shape!(
    /// Decapsulate request.
    DecapsulateRequest {
        pub key_id: String,
        #[serde(with = "b64")] pub shared_secret_ciphertext_blob: Vec<u8>,
        pub encapsulation_algorithm: String,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// Decapsulate response.
    DecapsulateResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub shared_secret: Vec<u8>,
        pub encapsulation_algorithm: String,
    }
);

shape!(
    /// GetPublicKey response.
    GetPublicKeyResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub public_key: Vec<u8>,
        pub customer_master_key_spec: String,
        pub key_spec: String,
        pub key_usage: String,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub encryption_algorithms: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub signing_algorithms: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub key_agreement_algorithms: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub encapsulation_algorithms: Option<Vec<String>>,
    }
);

shape!(
    /// GenerateRandom request.
    GenerateRandomRequest {
        #[serde(default)] pub number_of_bytes: Option<u32>,
        #[serde(default)] pub custom_key_store_id: Option<String>,
    }
);

shape!(
    /// GenerateRandom response.
    GenerateRandomResponse {
        #[serde(with = "b64")] pub plaintext: Vec<u8>,
    }
);

// ---------------------------------------------------------------------------- import

shape!(
    /// GetParametersForImport request.
    GetParametersForImportRequest {
        pub key_id: String,
        pub wrapping_algorithm: String,
        pub wrapping_key_spec: String,
    }
);

shape!(
    /// GetParametersForImport response.
    GetParametersForImportResponse {
        pub key_id: String,
        #[serde(with = "b64")] pub import_token: Vec<u8>,
        #[serde(with = "b64")] pub public_key: Vec<u8>,
        #[serde(with = "epoch")] pub parameters_valid_to: i64,
    }
);

shape!(
    /// ImportKeyMaterial request.
    ImportKeyMaterialRequest {
        pub key_id: String,
        #[serde(with = "b64")] pub import_token: Vec<u8>,
        #[serde(with = "b64")] pub encrypted_key_material: Vec<u8>,
        #[serde(with = "epoch::option", default)] pub valid_to: Option<i64>,
        #[serde(default)] pub expiration_model: Option<String>,
    }
);

shape!(
    /// ImportKeyMaterial response.
    ImportKeyMaterialResponse {
        pub key_id: String,
        pub key_material_id: String,
    }
);

shape!(
    /// DeleteImportedKeyMaterial request.
    DeleteImportedKeyMaterialRequest {
        pub key_id: String,
    }
);

shape!(
    /// DeleteImportedKeyMaterial response.
    DeleteImportedKeyMaterialResponse {
        pub key_id: String,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub key_material_id: Option<String>,
    }
);

// ---------------------------------------------------------------------------- multi-Region

shape!(
    /// ReplicateKey request.
    ReplicateKeyRequest {
        pub key_id: String,
        pub replica_region: String,
        #[serde(default)] pub policy: Option<String>,
        #[serde(default)] pub bypass_policy_lockout_safety_check: Option<bool>,
        #[serde(default)] pub description: Option<String>,
        #[serde(default)] pub tags: Option<Vec<Tag>>,
    }
);

/// ReplicateKey response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReplicateKeyResponse {
    /// The replica's metadata.
    pub replica_key_metadata: KeyMetadata,
    /// The replica's key policy.
    pub replica_policy: String,
    /// The replica's tags.
    pub replica_tags: Vec<Tag>,
}

shape!(
    /// UpdatePrimaryRegion request.
    UpdatePrimaryRegionRequest {
        pub key_id: String,
        pub primary_region: String,
    }
);

// ---------------------------------------------------------------------------- grants

pub use crate::policy::GrantConstraints;

shape!(
    /// CreateGrant request.
    CreateGrantRequest {
        pub key_id: String,
        pub grantee_principal: String,
        #[serde(default)] pub retiring_principal: Option<String>,
        #[serde(default)] pub operations: Option<Vec<String>>,
        #[serde(default)] pub constraints: Option<GrantConstraints>,
        #[serde(default)] pub grant_tokens: Option<Vec<String>>,
        #[serde(default)] pub name: Option<String>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// CreateGrant response.
    CreateGrantResponse {
        pub grant_token: String,
        pub grant_id: String,
    }
);

shape!(
    /// ListGrants request.
    ListGrantsRequest {
        pub key_id: String,
        #[serde(default)] pub limit: Option<u32>,
        #[serde(default)] pub marker: Option<String>,
        #[serde(default)] pub grant_id: Option<String>,
        #[serde(default)] pub grantee_principal: Option<String>,
    }
);

shape!(
    /// ListRetirableGrants request.
    ListRetirableGrantsRequest {
        pub retiring_principal: String,
        #[serde(default)] pub limit: Option<u32>,
        #[serde(default)] pub marker: Option<String>,
    }
);

/// One grant, as ListGrants and ListRetirableGrants return it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantListEntry {
    /// The key ARN.
    pub key_id: String,
    /// The grant ID.
    pub grant_id: String,
    /// The grant's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// When it was created.
    #[serde(with = "epoch")]
    pub creation_date: i64,
    /// The grantee.
    pub grantee_principal: String,
    /// Who may retire it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retiring_principal: Option<String>,
    /// `arn:aws:iam::ACCOUNT:root` of the account that created it.
    pub issuing_account: String,
    /// The operations it allows.
    pub operations: Vec<String>,
    /// Its encryption context constraints.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub constraints: Option<GrantConstraints>,
}

shape!(
    /// ListGrants / ListRetirableGrants response.
    ListGrantsResponse {
        pub grants: Vec<GrantListEntry>,
        #[serde(skip_serializing_if = "Option::is_none", default)] pub next_marker: Option<String>,
        pub truncated: bool,
    }
);

shape!(
    /// RetireGrant request: a grant token, or the key ARN and grant ID.
    RetireGrantRequest {
        #[serde(default)] pub grant_token: Option<String>,
        #[serde(default)] pub key_id: Option<String>,
        #[serde(default)] pub grant_id: Option<String>,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);

shape!(
    /// RevokeGrant request.
    RevokeGrantRequest {
        pub key_id: String,
        pub grant_id: String,
        #[serde(default)] pub dry_run: Option<bool>,
    }
);
