//! What the local KMS stores: key records, key material versions, aliases.

use crate::private_key::PrivateKey;
use crate::secret::Secret;
use crate::spec::{KeySpec, KeyUsage, kms_enum};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

kms_enum! {
    /// `KeyState` (Developer Guide "Key states of AWS KMS keys").
    KeyState {
        Creating = "Creating",
        Enabled = "Enabled",
        Disabled = "Disabled",
        PendingDeletion = "PendingDeletion",
        PendingImport = "PendingImport",
        PendingReplicaDeletion = "PendingReplicaDeletion",
        Unavailable = "Unavailable",
        Updating = "Updating",
    }
}

kms_enum! {
    /// `Origin`: where the key material came from.
    Origin {
        AwsKms = "AWS_KMS",
        External = "EXTERNAL",
        AwsCloudhsm = "AWS_CLOUDHSM",
        ExternalKeyStore = "EXTERNAL_KEY_STORE",
    }
}

kms_enum! {
    /// `KeyManager`.
    KeyManager {
        Aws = "AWS",
        Customer = "CUSTOMER",
    }
}

kms_enum! {
    /// `ExpirationModel` of imported key material.
    ExpirationModel {
        KeyMaterialExpires = "KEY_MATERIAL_EXPIRES",
        KeyMaterialDoesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }
}

kms_enum! {
    /// `RotationType` in ListKeyRotations.
    RotationType {
        Automatic = "AUTOMATIC",
        OnDemand = "ON_DEMAND",
    }
}

kms_enum! {
    /// `MultiRegionKeyType`.
    MultiRegionKeyType {
        Primary = "PRIMARY",
        Replica = "REPLICA",
    }
}

kms_enum! {
    /// `WrappingKeySpec` of GetParametersForImport.
    WrappingKeySpec {
        Rsa2048 = "RSA_2048",
        Rsa3072 = "RSA_3072",
        Rsa4096 = "RSA_4096",
        Sm2 = "SM2",
    }
}

kms_enum! {
    /// `AlgorithmSpec` (wrapping algorithm) of GetParametersForImport.
    WrappingAlgorithm {
        RsaesPkcs1V15 = "RSAES_PKCS1_V1_5",
        RsaesOaepSha1 = "RSAES_OAEP_SHA_1",
        RsaesOaepSha256 = "RSAES_OAEP_SHA_256",
        RsaAesKeyWrapSha1 = "RSA_AES_KEY_WRAP_SHA_1",
        RsaAesKeyWrapSha256 = "RSA_AES_KEY_WRAP_SHA_256",
        Sm2pke = "SM2PKE",
    }
}

/// A key's material: AES-256 or HMAC bytes, or a key pair.
#[derive(Clone, Debug)]
pub enum KeyMaterial {
    /// SYMMETRIC_DEFAULT (32 bytes) and HMAC keys (28/32/48/64 bytes).
    Secret(Secret),
    /// Asymmetric keys (canonical PKCS#8 with the public key).
    Pair(PrivateKey),
}

/// One version of a key's material. Rotation appends versions; none is ever dropped while the
/// key lives, so every old ciphertext stays decryptable.
#[derive(Clone, Debug)]
pub struct MaterialVersion {
    /// The version's ID (64 hex digits as `KeyMaterialId`).
    pub id: [u8; 32],
    /// When this version was created (ms since the Unix epoch).
    pub created_ms: i64,
    /// How this version came to be, if by rotation.
    pub rotation: Option<RotationType>,
    /// The material.
    pub material: KeyMaterial,
}

/// Rotation settings of a symmetric AWS_KMS key.
#[derive(Clone, Debug, Default)]
pub struct Rotation {
    /// Whether automatic rotation is enabled.
    pub enabled: bool,
    /// The period in days (90–2560; 365 by default).
    pub period_days: u32,
    /// When the next automatic rotation is due.
    pub next_ms: Option<i64>,
    /// How many on-demand rotations were made (at most 10).
    pub on_demand_count: u32,
    /// The setting to restore when a scheduled deletion is cancelled.
    pub enabled_before_deletion: Option<bool>,
}

/// Imported key material: how long it lasts and what it was (to refuse other material).
#[derive(Clone, Debug)]
pub struct Imported {
    /// `ExpirationModel`.
    pub expiration_model: ExpirationModel,
    /// `ValidTo` (ms), for KEY_MATERIAL_EXPIRES.
    pub valid_to_ms: Option<i64>,
}

/// Import parameters handed out by GetParametersForImport, valid for 24 hours.
#[derive(Clone, Debug)]
pub struct ImportParameters {
    /// The import token (opaque to the caller).
    pub token: [u8; 32],
    /// The wrapping key pair; the caller gets its public half.
    pub wrapping_key: PrivateKey,
    /// The wrapping algorithm the caller chose.
    pub algorithm: WrappingAlgorithm,
    /// When the parameters expire (ms).
    pub valid_to_ms: i64,
}

/// Everything KMS keeps about one key in one Region.
#[derive(Clone, Debug)]
pub struct KeyRecord {
    /// The key ID.
    pub id: String,
    /// The Region.
    pub region: String,
    /// Creation time (ms).
    pub created_ms: i64,
    /// Description.
    pub description: String,
    /// Key spec.
    pub spec: KeySpec,
    /// Key usage.
    pub usage: KeyUsage,
    /// Origin.
    pub origin: Origin,
    /// Key manager.
    pub manager: KeyManager,
    /// Key state.
    pub state: KeyState,
    /// When deletion is due (PendingDeletion).
    pub deletion_ms: Option<i64>,
    /// The waiting period of a scheduled deletion.
    pub pending_window_days: Option<u32>,
    /// The key policy (JSON text, as given).
    pub policy: String,
    /// Tags, by tag key.
    pub tags: BTreeMap<String, String>,
    /// Rotation settings.
    pub rotation: Rotation,
    /// Material versions, oldest first; the last is current. Empty while PendingImport.
    pub materials: Vec<MaterialVersion>,
    /// For EXTERNAL keys with material: its expiration; and a digest of the first material
    /// ever imported, because only that material may be imported again.
    pub imported: Option<Imported>,
    /// SHA-256 of the imported material (kept after DeleteImportedKeyMaterial).
    pub imported_digest: Option<[u8; 32]>,
    /// Outstanding import parameters.
    pub import_parameters: Vec<ImportParameters>,
    /// Whether this is a multi-Region key.
    pub multi_region: bool,
    /// The key's grants, oldest first.
    pub grants: Vec<GrantRecord>,
}

/// One grant on a key (kms-guide-2 §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRecord {
    /// 64 lowercase hex digits.
    pub id: String,
    /// The grant token CreateGrant returned (not secret).
    pub token: String,
    /// The friendly name, if any.
    pub name: Option<String>,
    /// Creation time (ms).
    pub created_ms: i64,
    /// Who the grant is for.
    pub grantee: String,
    /// Who may retire it.
    pub retiring: Option<String>,
    /// The account that created the grant.
    pub issuing_account: String,
    /// The operations it allows, as given (`Decrypt`, ...).
    pub operations: Vec<String>,
    /// Encryption context constraints.
    pub constraints: Option<crate::policy::GrantConstraints>,
}

impl KeyRecord {
    /// The current material version, if any.
    pub fn current(&self) -> Option<&MaterialVersion> {
        self.materials.last()
    }

    /// The version with `id`.
    pub fn version(&self, id: &[u8; 32]) -> Option<&MaterialVersion> {
        self.materials.iter().find(|m| &m.id == id)
    }
}

/// An alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasRecord {
    /// `alias/...`.
    pub name: String,
    /// The key ID it points to.
    pub target: String,
    /// Creation time (ms).
    pub created_ms: i64,
    /// Last update time (ms).
    pub updated_ms: i64,
}

/// The Regions of one multi-Region key and which is primary (shared by all of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiRegionSet {
    /// The primary's Region.
    pub primary: String,
    /// The replicas' Regions, in creation order.
    pub replicas: Vec<String>,
}
