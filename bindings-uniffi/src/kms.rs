//! The local KMS (`kmskit::kms::Kms`) as a uniffi object: one account, keys in any Region,
//! a settable clock, deterministic mode, snapshots, IAM principals and grants.
//!
//! Every method converts types and maps errors; core decides everything else. The core KMS
//! sits behind a mutex, so one `Kms` may be shared between threads.

use crate::{KmsError, PolicyDecision, decision, guard};
use kmskit::kms::shapes::{self, *};
use kmskit::kms::{self, CallerContext, KmsConfig};
use kmskit::policy::Caller;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The JSON operation names the local KMS implements (`TrentService.<Operation>`).
#[uniffi::export]
pub fn kms_operations() -> Vec<String> {
    kms::operations().iter().map(|s| s.to_string()).collect()
}

/// One IAM identity policy of a principal.
#[derive(Debug, uniffi::Record)]
pub struct PrincipalPolicy {
    /// The policy name.
    pub name: String,
    /// The policy document, as given.
    pub document: String,
}

/// A local AWS KMS: one account in one partition, with keys in any number of Regions.
///
/// `call*` speak the KMS JSON protocol: the operation name (`Encrypt`) and the request body as
/// JSON text (blobs in base64); the response body comes back as JSON text.
#[derive(Debug, uniffi::Object)]
pub struct Kms(Mutex<kms::Kms>);

/// A configuration with core's defaults for every argument not given.
fn config(
    account_id: Option<String>,
    region: Option<String>,
    partition: Option<String>,
    seed: Option<Vec<u8>>,
    start_time_ms: Option<i64>,
) -> KmsConfig {
    let defaults = KmsConfig::default();
    KmsConfig {
        account_id: account_id.unwrap_or(defaults.account_id),
        region: region.unwrap_or(defaults.region),
        partition: partition.unwrap_or(defaults.partition),
        seed: seed.or(defaults.seed),
        start_time_ms: start_time_ms.or(defaults.start_time_ms),
    }
}

fn wrap(kms: kms::Kms) -> Arc<Kms> {
    Arc::new(Kms(Mutex::new(kms)))
}

impl Kms {
    /// The core KMS. A panic inside core (caught by `guard`) poisons the mutex; the state is
    /// still the core's own, as the other bindings treat it.
    fn lock(&self) -> MutexGuard<'_, kms::Kms> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Lets an envelope `Keyring.kms` share this KMS (core's `KmsKeyring` locks it per call).
impl kmskit::envelope::KmsHandle for Kms {
    fn with_kms(
        &self,
        f: &mut dyn FnMut(&mut kms::Kms) -> kmskit::Result<()>,
    ) -> kmskit::Result<()> {
        f(&mut self.lock())
    }
}

#[uniffi::export]
impl Kms {
    /// A KMS with an in-memory store. Unset arguments take core's defaults: account
    /// `111122223333`, Region `us-east-1`, partition `aws`, the system's randomness (a `seed`
    /// makes every random byte repeatable) and the system clock (`start_time_ms` fixes it;
    /// in deterministic mode it starts at 2026-01-01T00:00:00Z).
    ///
    /// Throws `ValidationException` for a malformed account ID, Region or partition.
    #[uniffi::constructor(default(
        account_id = None,
        region = None,
        partition = None,
        seed = None,
        start_time_ms = None
    ))]
    pub fn new(
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> Result<Arc<Self>, KmsError> {
        let config = config(account_id, region, partition, seed, start_time_ms);
        guard(|| kms::Kms::new(config)).map(wrap)
    }

    /// A KMS restored from a snapshot (`export_snapshot`): the snapshot gives the account,
    /// partition, default Region, keys, aliases and principals; `seed` and `start_time_ms` the
    /// randomness and the clock.
    #[uniffi::constructor(default(seed = None, start_time_ms = None))]
    pub fn from_snapshot(
        snapshot: Vec<u8>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> Result<Arc<Self>, KmsError> {
        let config = config(None, None, None, seed, start_time_ms);
        guard(|| kms::Kms::from_snapshot(config, &snapshot)).map(wrap)
    }

    /// A KMS made from a seed file (docs/formats.md, "Seed file"); `AccountId`, `Partition`
    /// and `Region` in the file replace the arguments.
    #[uniffi::constructor(default(
        account_id = None,
        region = None,
        partition = None,
        seed = None,
        start_time_ms = None
    ))]
    pub fn from_seed(
        seed_file: Vec<u8>,
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> Result<Arc<Self>, KmsError> {
        let config = config(account_id, region, partition, seed, start_time_ms);
        guard(|| kms::Kms::from_seed(config, &seed_file)).map(wrap)
    }

    /// Calls `operation` in the default Region as the account root; returns the JSON response.
    pub fn call(&self, operation: String, request_json: String) -> Result<String, KmsError> {
        guard(|| self.lock().call(&operation, &request_json))
    }

    /// `call` in another Region of the same account.
    pub fn call_in(
        &self,
        region: String,
        operation: String,
        request_json: String,
    ) -> Result<String, KmsError> {
        guard(|| self.lock().call_in(&region, &operation, &request_json))
    }

    /// `call` as `caller_json`, `{"Principal": ARN, "Context": {...}}`, in `region` (the
    /// default Region when null). The key policy, the caller's IAM policies and the key's
    /// grants decide; `AccessDeniedException` when they do not allow it (`last_denial`
    /// explains why).
    #[uniffi::method(default(region = None))]
    pub fn call_as(
        &self,
        caller_json: String,
        operation: String,
        request_json: String,
        region: Option<String>,
    ) -> Result<String, KmsError> {
        guard(|| {
            let caller = CallerContext::from_json(&caller_json)?;
            let mut kms = self.lock();
            let region = region.unwrap_or_else(|| kms.region().to_string());
            kms.call_as(&caller, &region, &operation, &request_json)
        })
    }

    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.lock().now_ms()
    }

    /// Sets the clock (fixing it). What is due by then happens on the next call.
    pub fn set_time_ms(&self, ms: i64) {
        self.lock().set_time_ms(ms);
    }

    /// Moves the clock forward by `ms`.
    pub fn advance_ms(&self, ms: i64) {
        self.lock().advance_ms(ms);
    }

    /// The account ID.
    pub fn account_id(&self) -> String {
        self.lock().account_id().to_string()
    }

    /// The default Region.
    pub fn region(&self) -> String {
        self.lock().region().to_string()
    }

    /// The partition.
    pub fn partition(&self) -> String {
        self.lock().partition().to_string()
    }

    /// The snapshot: canonical JSON of the whole state, key material in plaintext.
    pub fn export_snapshot(&self) -> Result<Vec<u8>, KmsError> {
        guard(|| self.lock().export_snapshot().map(kmskit::Secret::into_vec))
    }

    /// The key blob of `key_id` (key ID, ARN, alias name or alias ARN) in `region`.
    pub fn export_key_blob(&self, region: String, key_id: String) -> Result<Vec<u8>, KmsError> {
        guard(|| {
            self.lock()
                .export_key_blob(&region, &key_id)
                .map(kmskit::Secret::into_vec)
        })
    }

    /// Adds the key of a key blob (in the Region it names) with its aliases; returns its
    /// KeyMetadata as JSON text, as DescribeKey writes it.
    pub fn import_key_blob(&self, key_blob: Vec<u8>) -> Result<String, KmsError> {
        guard(|| {
            let metadata = self.lock().import_key_blob(&key_blob)?;
            serde_json::to_string(&metadata)
                .map_err(|e| kmskit::Error::internal(format!("KeyMetadata encoding: {e}")))
        })
    }

    /// Attaches (or replaces) the IAM identity policy `name` of an IAM user or role.
    pub fn put_principal_policy(
        &self,
        principal: String,
        name: String,
        document: String,
    ) -> Result<(), KmsError> {
        guard(|| {
            self.lock()
                .put_principal_policy(&principal, &name, &document)
        })
    }

    /// Detaches the IAM identity policy `name` of a principal; true when it existed.
    pub fn delete_principal_policy(
        &self,
        principal: String,
        name: String,
    ) -> Result<bool, KmsError> {
        guard(|| self.lock().delete_principal_policy(&principal, &name))
    }

    /// A principal's IAM identity policies, in the order attached.
    pub fn principal_policies(&self, principal: String) -> Result<Vec<PrincipalPolicy>, KmsError> {
        guard(|| {
            self.lock().principal_policies(&principal).map(|list| {
                list.into_iter()
                    .map(|(name, document)| PrincipalPolicy { name, document })
                    .collect()
            })
        })
    }

    /// Sets a principal's tags (`aws:PrincipalTag/<key>` in its requests).
    pub fn set_principal_tags(
        &self,
        principal: String,
        tags: HashMap<String, String>,
    ) -> Result<(), KmsError> {
        guard(|| {
            self.lock()
                .set_principal_tags(&principal, tags.into_iter().collect())
        })
    }

    /// The evaluation behind the most recent AccessDeniedException, if any.
    pub fn last_denial(&self) -> Option<PolicyDecision> {
        self.lock().last_denial().cloned().map(decision)
    }
}

/// A caller of one [`Kms`]: who calls (the account root unless a principal is given) and in
/// which Region. Its methods are the KMS operations with typed requests and responses (the
/// records of `shapes.rs`), authorized and run exactly as `call_as` runs their JSON.
#[derive(Debug, uniffi::Object)]
pub struct KmsClient {
    kms: Arc<Kms>,
    caller: CallerContext,
    region: String,
}

#[uniffi::export]
impl Kms {
    /// A typed client of this KMS. `caller_json` is `{"Principal": ARN, "Context": {...}}` as
    /// in `call_as` (null: the account root); `region` null is the default Region.
    ///
    /// Throws `ValidationException` for a malformed caller.
    #[uniffi::method(default(caller_json = None, region = None))]
    pub fn client(
        self: Arc<Self>,
        caller_json: Option<String>,
        region: Option<String>,
    ) -> Result<Arc<KmsClient>, KmsError> {
        guard(|| {
            let (caller, region) = {
                let kms = self.lock();
                let caller = match &caller_json {
                    Some(json) => CallerContext::from_json(json)?,
                    None => CallerContext::new(Caller::root(kms.partition(), kms.account_id())),
                };
                (caller, region.unwrap_or_else(|| kms.region().to_string()))
            };
            Ok(Arc::new(KmsClient {
                kms: Arc::clone(&self),
                caller,
                region,
            }))
        })
    }
}

impl KmsClient {
    fn run<Req: serde::Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        operation: &str,
        request: &Req,
    ) -> Result<Resp, KmsError> {
        guard(|| {
            self.kms
                .lock()
                .call_typed(&self.caller, &self.region, operation, request)
        })
    }
}

/// The typed operations: `method(Operation, Request) -> Response;` and, for operations whose
/// response body is empty, `method(Operation, Request);`.
macro_rules! typed_operations {
    (
        returning { $($(#[$d:meta])* $m:ident($op:literal, $req:ty) -> $resp:ty;)* }
        empty { $($(#[$ed:meta])* $em:ident($eop:literal, $ereq:ty);)* }
    ) => {
        #[uniffi::export]
        impl KmsClient {
            /// The Region this client calls.
            pub fn region(&self) -> String {
                self.region.clone()
            }
            $(
                $(#[$d])*
                pub fn $m(&self, request: $req) -> Result<$resp, KmsError> {
                    self.run($op, &request)
                }
            )*
            $(
                $(#[$ed])*
                pub fn $em(&self, request: $ereq) -> Result<(), KmsError> {
                    self.run::<_, shapes::Empty>($eop, &request).map(drop)
                }
            )*
        }
    };
}

typed_operations! {
    returning {
        /// CreateKey.
        create_key("CreateKey", CreateKeyRequest) -> KeyMetadataResponse;
        /// DescribeKey.
        describe_key("DescribeKey", KeyIdRequest) -> KeyMetadataResponse;
        /// ListKeys.
        list_keys("ListKeys", ListRequest) -> ListKeysResponse;
        /// ScheduleKeyDeletion.
        schedule_key_deletion("ScheduleKeyDeletion", ScheduleKeyDeletionRequest) -> ScheduleKeyDeletionResponse;
        /// CancelKeyDeletion.
        cancel_key_deletion("CancelKeyDeletion", KeyIdRequest) -> KeyIdResponse;
        /// ListAliases.
        list_aliases("ListAliases", ListRequest) -> ListAliasesResponse;
        /// ListResourceTags.
        list_resource_tags("ListResourceTags", ListRequest) -> ListResourceTagsResponse;
        /// GetKeyPolicy.
        get_key_policy("GetKeyPolicy", GetKeyPolicyRequest) -> GetKeyPolicyResponse;
        /// ListKeyPolicies.
        list_key_policies("ListKeyPolicies", ListRequest) -> ListKeyPoliciesResponse;
        /// Encrypt.
        encrypt("Encrypt", EncryptRequest) -> EncryptResponse;
        /// Decrypt.
        decrypt("Decrypt", DecryptRequest) -> DecryptResponse;
        /// ReEncrypt.
        re_encrypt("ReEncrypt", ReEncryptRequest) -> ReEncryptResponse;
        /// GenerateDataKey.
        generate_data_key("GenerateDataKey", GenerateDataKeyRequest) -> GenerateDataKeyResponse;
        /// GenerateDataKeyWithoutPlaintext (`plaintext` is null).
        generate_data_key_without_plaintext("GenerateDataKeyWithoutPlaintext", GenerateDataKeyRequest) -> GenerateDataKeyResponse;
        /// GenerateDataKeyPair.
        generate_data_key_pair("GenerateDataKeyPair", GenerateDataKeyPairRequest) -> GenerateDataKeyPairResponse;
        /// GenerateDataKeyPairWithoutPlaintext (`private_key_plaintext` is null).
        generate_data_key_pair_without_plaintext("GenerateDataKeyPairWithoutPlaintext", GenerateDataKeyPairRequest) -> GenerateDataKeyPairResponse;
        /// Sign.
        sign("Sign", SignRequest) -> SignResponse;
        /// Verify: `signature_valid` true, or `KMSInvalidSignatureException`.
        verify("Verify", VerifyRequest) -> VerifyResponse;
        /// GenerateMac.
        generate_mac("GenerateMac", GenerateMacRequest) -> GenerateMacResponse;
        /// VerifyMac: `mac_valid` true, or `KMSInvalidMacException`.
        verify_mac("VerifyMac", VerifyMacRequest) -> VerifyMacResponse;
        /// DeriveSharedSecret.
        derive_shared_secret("DeriveSharedSecret", DeriveSharedSecretRequest) -> DeriveSharedSecretResponse;
        /// Encapsulate (ML-KEM).
        encapsulate("Encapsulate", EncapsulateRequest) -> EncapsulateResponse;
        /// Decapsulate (ML-KEM).
        decapsulate("Decapsulate", DecapsulateRequest) -> DecapsulateResponse;
        /// GetPublicKey.
        get_public_key("GetPublicKey", KeyIdRequest) -> GetPublicKeyResponse;
        /// GenerateRandom.
        generate_random("GenerateRandom", GenerateRandomRequest) -> GenerateRandomResponse;
        /// GetKeyRotationStatus.
        get_key_rotation_status("GetKeyRotationStatus", KeyIdRequest) -> GetKeyRotationStatusResponse;
        /// RotateKeyOnDemand.
        rotate_key_on_demand("RotateKeyOnDemand", KeyIdRequest) -> KeyIdResponse;
        /// ListKeyRotations.
        list_key_rotations("ListKeyRotations", ListRequest) -> ListKeyRotationsResponse;
        /// ReplicateKey.
        replicate_key("ReplicateKey", ReplicateKeyRequest) -> ReplicateKeyResponse;
        /// GetParametersForImport.
        get_parameters_for_import("GetParametersForImport", GetParametersForImportRequest) -> GetParametersForImportResponse;
        /// ImportKeyMaterial.
        import_key_material("ImportKeyMaterial", ImportKeyMaterialRequest) -> ImportKeyMaterialResponse;
        /// DeleteImportedKeyMaterial.
        delete_imported_key_material("DeleteImportedKeyMaterial", DeleteImportedKeyMaterialRequest) -> DeleteImportedKeyMaterialResponse;
        /// CreateGrant.
        create_grant("CreateGrant", CreateGrantRequest) -> CreateGrantResponse;
        /// ListGrants.
        list_grants("ListGrants", ListGrantsRequest) -> ListGrantsResponse;
        /// ListRetirableGrants.
        list_retirable_grants("ListRetirableGrants", ListRetirableGrantsRequest) -> ListGrantsResponse;
    }
    empty {
        /// EnableKey.
        enable_key("EnableKey", KeyIdRequest);
        /// DisableKey.
        disable_key("DisableKey", KeyIdRequest);
        /// UpdateKeyDescription.
        update_key_description("UpdateKeyDescription", UpdateKeyDescriptionRequest);
        /// CreateAlias.
        create_alias("CreateAlias", AliasRequest);
        /// UpdateAlias.
        update_alias("UpdateAlias", AliasRequest);
        /// DeleteAlias.
        delete_alias("DeleteAlias", DeleteAliasRequest);
        /// TagResource.
        tag_resource("TagResource", TagResourceRequest);
        /// UntagResource.
        untag_resource("UntagResource", UntagResourceRequest);
        /// PutKeyPolicy.
        put_key_policy("PutKeyPolicy", PutKeyPolicyRequest);
        /// EnableKeyRotation.
        enable_key_rotation("EnableKeyRotation", EnableKeyRotationRequest);
        /// DisableKeyRotation.
        disable_key_rotation("DisableKeyRotation", KeyIdRequest);
        /// UpdatePrimaryRegion.
        update_primary_region("UpdatePrimaryRegion", UpdatePrimaryRegionRequest);
        /// RetireGrant.
        retire_grant("RetireGrant", RetireGrantRequest);
        /// RevokeGrant.
        revoke_grant("RevokeGrant", RevokeGrantRequest);
    }
}
