//! Imported key material (BYOK): GetParametersForImport, ImportKeyMaterial,
//! DeleteImportedKeyMaterial (Developer Guide "Importing key material"; digest in
//! `../shared/reference/kms-guide-2.md` §15).
//!
//! GetParametersForImport hands out a fresh wrapping key pair and a 32-byte import token, valid
//! for 24 hours and bound to one key and one wrapping algorithm. ImportKeyMaterial unwraps with
//! the matching private key:
//!
//! - `RSAES_OAEP_SHA_1` / `RSAES_OAEP_SHA_256`: RSA-OAEP (MGF1 with the same hash, empty label)
//!   of the material;
//! - `RSA_AES_KEY_WRAP_SHA_1` / `RSA_AES_KEY_WRAP_SHA_256`: RSA-OAEP of a 32-byte AES key (exactly
//!   the modulus length) followed by AES-256 key wrap with padding (RFC 5649) of the material;
//! - `SM2PKE`: SM2 public-key encryption (DER `SM2Cipher`) of the material.
//!
//! A key is bound to the first material ever imported into it: only that material (compared by
//! digest, of the canonical form for private keys) can come back after it expired or was
//! deleted, and the material version ID is derived from the key ID and the material, so a
//! re-import restores the same version and old ciphertexts decrypt again.

use super::ids::Accept;
use super::model::{
    ExpirationModel, ImportParameters, Imported, KeyMaterial, KeyRecord, KeyState, MaterialVersion,
    Origin, WrappingAlgorithm, WrappingKeySpec,
};
use super::shapes::{
    DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse,
    GetParametersForImportRequest, GetParametersForImportResponse, ImportKeyMaterialRequest,
    ImportKeyMaterialResponse,
};
use super::state::{self, Op};
use super::{DAY_MS, Kms};
use crate::error::{Error, ErrorCode, Result};
use crate::secret::{Secret, ct_eq};
use crate::spec::{EncryptionAlgorithm, KeyFamily, KeySpec};
use alloc::format;
use alloc::string::String;
use sha2::{Digest, Sha256};

/// How long import parameters (wrapping key and import token) stay valid.
pub(crate) const PARAMETERS_VALIDITY_MS: i64 = DAY_MS;
/// The latest `ValidTo` ImportKeyMaterial accepts, after the request.
pub(crate) const MAX_VALID_TO_MS: i64 = 365 * DAY_MS;
/// The length of the AES key of the RSA_AES_KEY_WRAP_* algorithms.
const AES_KEY_LEN: usize = 32;
/// Bytes of the import token that carry its expiry (the rest is random).
const TOKEN_TIME_LEN: usize = 8;

fn validation(msg: impl Into<String>) -> Error {
    Error::validation(msg.into())
}

fn incorrect_material(msg: impl Into<String>) -> Error {
    Error::new(ErrorCode::IncorrectKeyMaterialException, msg.into())
}

fn invalid_ciphertext() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the encrypted key material could not be decrypted with the wrapping key and algorithm of the import token",
    )
}

fn invalid_token() -> Error {
    Error::new(
        ErrorCode::InvalidImportTokenException,
        "the import token is not valid for this KMS key",
    )
}

/// The key spec of the wrapping key pair, after checking that the wrapping key spec and
/// algorithm belong together.
fn wrapping_key_spec(
    spec: WrappingKeySpec,
    algorithm: WrappingAlgorithm,
    partition: &str,
) -> Result<KeySpec> {
    use WrappingAlgorithm as A;
    if algorithm == A::RsaesPkcs1V15 {
        return Err(validation(
            "WrappingAlgorithm RSAES_PKCS1_V1_5 is no longer supported (since 2023-10-10); use \
             RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1",
        ));
    }
    let sm2_algorithm = algorithm == A::Sm2pke;
    let key_spec = match spec {
        WrappingKeySpec::Rsa2048 => KeySpec::Rsa2048,
        WrappingKeySpec::Rsa3072 => KeySpec::Rsa3072,
        WrappingKeySpec::Rsa4096 => KeySpec::Rsa4096,
        WrappingKeySpec::Sm2 => KeySpec::Sm2,
    };
    if (key_spec == KeySpec::Sm2) != sm2_algorithm {
        return Err(validation(format!(
            "WrappingAlgorithm {algorithm} is not valid with WrappingKeySpec {spec}; SM2PKE goes \
             with the SM2 wrapping key spec, the RSA* algorithms with RSA_2048, RSA_3072 or RSA_4096"
        )));
    }
    if partition == "aws-cn" && matches!(algorithm, A::RsaAesKeyWrapSha1 | A::RsaAesKeyWrapSha256) {
        return Err(validation(format!(
            "WrappingAlgorithm {algorithm} is not supported in the China Regions"
        )));
    }
    Ok(key_spec)
}

/// Whether material of a key of `spec` can be wrapped with `algorithm` (the Developer Guide's
/// table "Select a wrapping algorithm").
fn check_algorithm_for_material(spec: KeySpec, algorithm: WrappingAlgorithm) -> Result<()> {
    use WrappingAlgorithm as A;
    let family = spec.info().family;
    let ok = match algorithm {
        // RSA private keys do not fit in an RSA-OAEP block
        A::RsaesOaepSha1 | A::RsaesOaepSha256 => family != KeyFamily::Rsa,
        // documented "for all supported imported key material types"
        A::RsaAesKeyWrapSha1 | A::RsaAesKeyWrapSha256 => true,
        // SM2 wrapping keys are for asymmetric material only
        A::Sm2pke => !matches!(family, KeyFamily::Symmetric | KeyFamily::Hmac),
        A::RsaesPkcs1V15 => false,
    };
    if ok {
        Ok(())
    } else {
        Err(validation(format!(
            "WrappingAlgorithm {algorithm} cannot wrap the key material of {spec} keys"
        )))
    }
}

/// The origin check of the import operations (the state table's footnote 9).
fn check_external(key: &KeyRecord, arn: &str) -> Result<()> {
    if key.origin == Origin::External {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::UnsupportedOperationException,
        format!(
            "{arn} origin is {} which is not valid for this operation.",
            key.origin
        ),
    ))
}

/// The material as the key keeps it, and its canonical bytes (what the digest covers).
fn parse_material(spec: KeySpec, raw: &Secret) -> Result<(KeyMaterial, Secret)> {
    let info = spec.info();
    match info.family {
        KeyFamily::Symmetric | KeyFamily::Hmac => {
            let want = info.bits as usize / 8;
            if raw.len() != want {
                return Err(incorrect_material(format!(
                    "key material for {spec} keys must be {want} bytes, got {}",
                    raw.len()
                )));
            }
            Ok((KeyMaterial::Secret(raw.clone()), raw.clone()))
        }
        _ => {
            let key = crate::PrivateKey::from_pkcs8_der(raw.expose()).map_err(|e| {
                incorrect_material(format!(
                    "key material for {spec} keys must be a PKCS#8 private key: {}",
                    e.message()
                ))
            })?;
            if key.spec() != spec {
                return Err(incorrect_material(format!(
                    "the imported private key is a {} key; this KMS key is {spec}",
                    key.spec()
                )));
            }
            let canonical = key.pkcs8_der().clone();
            Ok((KeyMaterial::Pair(key), canonical))
        }
    }
}

/// The digest that identifies imported material: SHA-256 of its canonical form (the raw bytes
/// of symmetric and HMAC material, the canonical PKCS#8 of a private key). Snapshot seeds
/// record EXTERNAL keys' material the same way.
pub(crate) fn material_digest(canonical: &[u8]) -> [u8; 32] {
    Sha256::digest(canonical).into()
}

/// The material version ID of imported material: derived from the key ID and the material's
/// digest (KMS: "based on the KMS key ID and the imported key material"), so that re-importing
/// the same material restores the same version and the ciphertexts made under it decrypt again.
pub(crate) fn material_id(key_id: &str, digest: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"kmskit imported key material id\0");
    h.update(key_id.as_bytes());
    h.update([0u8]);
    h.update(digest);
    h.finalize().into()
}

/// RFC 5649 AES-256 key unwrap with padding.
fn aes_kwp_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Secret> {
    use aes_kw::KeyInit;
    let kwp = aes_kw::KwpAes256::new_from_slice(kek).map_err(|_| invalid_ciphertext())?;
    if wrapped.len() < 16 || !wrapped.len().is_multiple_of(8) {
        return Err(invalid_ciphertext());
    }
    let mut buf = zeroize::Zeroizing::new(alloc::vec![0u8; wrapped.len() - 8]);
    let out = kwp
        .unwrap_key(wrapped, &mut buf)
        .map_err(|_| invalid_ciphertext())?;
    Ok(Secret::from_slice(out))
}

impl Kms {
    /// The key of an import operation: resolved (key ID or ARN only), EXTERNAL, and in a state
    /// that allows `op`.
    fn import_key(&self, region: &str, key_id: &str, op: Op) -> Result<(String, String)> {
        let id = self.resolve(region, key_id, Accept::Key)?;
        let arn = self.key_arn(region, &id);
        let key = self.key(region, &id)?;
        check_external(key, &arn)?;
        let pending_deletion = matches!(
            key.state,
            KeyState::PendingDeletion | KeyState::PendingReplicaDeletion
        );
        // DeleteImportedKeyMaterial succeeds on keys pending deletion (state table).
        if !(op == Op::DeleteImportedKeyMaterial && pending_deletion) {
            state::check(op, key, &arn)?;
        }
        Ok((id, arn))
    }

    /// The digest of the material this key is bound to: the one first imported into it, or its
    /// current material, or the material of another Region's key of its multi-Region set.
    fn bound_digest(&self, region: &str, id: &str) -> Option<[u8; 32]> {
        let key = self.store.key(region, id)?;
        if let Some(d) = key.imported_digest {
            return Some(d);
        }
        if let Some(current) = key.current() {
            return Some(material_digest(match &current.material {
                KeyMaterial::Secret(s) => s.expose(),
                KeyMaterial::Pair(p) => p.pkcs8_der().expose(),
            }));
        }
        let set = self.store.multi_region(id)?;
        core::iter::once(&set.primary)
            .chain(set.replicas.iter())
            .filter(|r| r.as_str() != region)
            .find_map(|r| self.store.key(r, id).and_then(|k| k.imported_digest))
    }

    /// GetParametersForImport: a new wrapping public key and import token for an EXTERNAL key.
    ///
    /// # Errors
    /// `ValidationException` for an unknown or unsupported wrapping key spec or algorithm, a
    /// mismatched pair, or an algorithm that cannot wrap this key's material;
    /// `UnsupportedOperationException` for keys whose origin is not EXTERNAL;
    /// `KMSInvalidStateException` for keys pending deletion; `NotFoundException`.
    pub fn get_parameters_for_import(
        &mut self,
        region: &str,
        req: GetParametersForImportRequest,
    ) -> Result<GetParametersForImportResponse> {
        let spec = WrappingKeySpec::parse(&req.wrapping_key_spec)?;
        let algorithm = WrappingAlgorithm::parse(&req.wrapping_algorithm)?;
        let pair_spec = wrapping_key_spec(spec, algorithm, &self.partition)?;
        let (id, arn) = self.import_key(region, &req.key_id, Op::GetParametersForImport)?;
        check_algorithm_for_material(self.key(region, &id)?.spec, algorithm)?;

        let wrapping_key = self.generate_pair(pair_spec)?;
        let public_key = wrapping_key.public_key().spki_der().to_vec();
        let valid_to_ms = self.now_ms().saturating_add(PARAMETERS_VALIDITY_MS);
        let mut token = self.random_bytes::<32>()?;
        token[..TOKEN_TIME_LEN].copy_from_slice(&valid_to_ms.to_be_bytes());
        self.key_mut(region, &id)?
            .import_parameters
            .push(ImportParameters {
                token,
                wrapping_key,
                algorithm,
                valid_to_ms,
            });
        Ok(GetParametersForImportResponse {
            key_id: arn,
            import_token: token.to_vec(),
            public_key,
            parameters_valid_to: valid_to_ms,
        })
    }

    /// The import parameters that issued `token` for the key `id`.
    ///
    /// # Errors
    /// `ExpiredImportTokenException` for a token of this KMS whose 24 hours are over;
    /// `InvalidImportTokenException` for any other token this key did not issue.
    fn import_parameters(&self, region: &str, id: &str, token: &[u8]) -> Result<ImportParameters> {
        let now = self.now_ms();
        let key = self.key(region, id)?;
        if let Some(p) = key
            .import_parameters
            .iter()
            .find(|p| ct_eq(&p.token, token))
        {
            if p.valid_to_ms <= now {
                return Err(expired_token());
            }
            return Ok(p.clone());
        }
        // Expired parameters are dropped by the clock; the token still carries its expiry.
        let expiry = token
            .get(..TOKEN_TIME_LEN)
            .and_then(|b| <[u8; TOKEN_TIME_LEN]>::try_from(b).ok())
            .map(i64::from_be_bytes);
        match expiry {
            Some(t)
                if token.len() == 32
                    && t <= now
                    && t >= key.created_ms.saturating_add(PARAMETERS_VALIDITY_MS) =>
            {
                Err(expired_token())
            }
            _ => Err(invalid_token()),
        }
    }

    /// Unwraps `wrapped` with import parameters.
    fn unwrap_material(&self, params: &ImportParameters, wrapped: &[u8]) -> Result<Secret> {
        use WrappingAlgorithm as A;
        let key = &params.wrapping_key;
        let decrypt = |algorithm: EncryptionAlgorithm, ct: &[u8]| {
            crate::crypto::decrypt(self.backend, key, algorithm, ct)
                .map_err(|_| invalid_ciphertext())
        };
        match params.algorithm {
            A::RsaesOaepSha1 => decrypt(EncryptionAlgorithm::RsaesOaepSha1, wrapped),
            A::RsaesOaepSha256 => decrypt(EncryptionAlgorithm::RsaesOaepSha256, wrapped),
            A::Sm2pke => decrypt(EncryptionAlgorithm::Sm2pke, wrapped),
            A::RsaAesKeyWrapSha1 | A::RsaAesKeyWrapSha256 => {
                let oaep = if params.algorithm == A::RsaAesKeyWrapSha1 {
                    EncryptionAlgorithm::RsaesOaepSha1
                } else {
                    EncryptionAlgorithm::RsaesOaepSha256
                };
                let k = key.spec().info().bits as usize / 8;
                if wrapped.len() <= k {
                    return Err(invalid_ciphertext());
                }
                let (rsa_part, kwp_part) = wrapped.split_at(k);
                let aes_key = decrypt(oaep, rsa_part)?;
                if aes_key.len() != AES_KEY_LEN {
                    return Err(invalid_ciphertext());
                }
                aes_kwp_unwrap(aes_key.expose(), kwp_part)
            }
            A::RsaesPkcs1V15 => Err(invalid_token()),
        }
    }

    /// ImportKeyMaterial: imports (or re-imports the same) material into an EXTERNAL key.
    ///
    /// # Errors
    /// `ValidationException` for a bad ExpirationModel/ValidTo combination or a ValidTo not in
    /// the next 365 days; `UnsupportedOperationException` for keys whose origin is not
    /// EXTERNAL; `KMSInvalidStateException`; `InvalidImportTokenException` and
    /// `ExpiredImportTokenException` for the token; `InvalidCiphertextException` when the
    /// material does not unwrap; `IncorrectKeyMaterialException` for material that is not valid
    /// for the key spec or not the material imported before.
    pub fn import_key_material(
        &mut self,
        region: &str,
        req: ImportKeyMaterialRequest,
    ) -> Result<ImportKeyMaterialResponse> {
        let now = self.now_ms();
        let model = match &req.expiration_model {
            Some(m) => ExpirationModel::parse(m)?,
            None => ExpirationModel::KeyMaterialExpires,
        };
        let valid_to_ms = match (model, req.valid_to) {
            (ExpirationModel::KeyMaterialExpires, None) => {
                return Err(validation(
                    "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES",
                ));
            }
            (ExpirationModel::KeyMaterialExpires, Some(t)) => {
                if t <= now {
                    return Err(validation("ValidTo must be in the future"));
                }
                if t > now.saturating_add(MAX_VALID_TO_MS) {
                    return Err(validation(
                        "ValidTo must be at most 365 days after the request",
                    ));
                }
                Some(t)
            }
            (ExpirationModel::KeyMaterialDoesNotExpire, Some(_)) => {
                return Err(validation(
                    "ValidTo is not valid when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE",
                ));
            }
            (ExpirationModel::KeyMaterialDoesNotExpire, None) => None,
        };
        let (id, arn) = self.import_key(region, &req.key_id, Op::ImportKeyMaterial)?;
        let params = self.import_parameters(region, &id, &req.import_token)?;
        let raw = self.unwrap_material(&params, &req.encrypted_key_material)?;
        let spec = self.key(region, &id)?.spec;
        let (material, canonical) = parse_material(spec, &raw)?;
        let digest = material_digest(canonical.expose());
        if let Some(bound) = self.bound_digest(region, &id)
            && !ct_eq(&bound, &digest)
        {
            return Err(incorrect_material(
                "the key material is not the material previously imported into this KMS key",
            ));
        }
        let key = self.key_mut(region, &id)?;
        // Material that is still there (a re-import to change the expiration) stays as it is.
        if key.materials.is_empty() {
            key.materials.push(MaterialVersion {
                id: material_id(&id, &digest),
                created_ms: now,
                rotation: None,
                material,
            });
        }
        let version_id = key.current().map(|m| m.id).unwrap_or_default();
        key.imported = Some(Imported {
            expiration_model: model,
            valid_to_ms,
        });
        key.imported_digest = Some(digest);
        key.import_parameters
            .retain(|p| !ct_eq(&p.token, &params.token));
        if key.state == KeyState::PendingImport {
            key.state = KeyState::Enabled;
        }
        Ok(ImportKeyMaterialResponse {
            key_id: arn,
            key_material_id: super::keys::hex_id(&version_id),
        })
    }

    /// DeleteImportedKeyMaterial: drops the material (the key becomes PendingImport, or stays
    /// PendingDeletion); the key stays bound to that material.
    ///
    /// # Errors
    /// `UnsupportedOperationException` for keys whose origin is not EXTERNAL;
    /// `KMSInvalidStateException` for keys being created or updated; `NotFoundException`.
    pub fn delete_imported_key_material(
        &mut self,
        region: &str,
        req: DeleteImportedKeyMaterialRequest,
    ) -> Result<DeleteImportedKeyMaterialResponse> {
        let (id, arn) = self.import_key(region, &req.key_id, Op::DeleteImportedKeyMaterial)?;
        let key = self.key_mut(region, &id)?;
        let key_material_id = key.current().map(|m| super::keys::hex_id(&m.id));
        key.materials.clear();
        key.imported = None;
        if !matches!(
            key.state,
            KeyState::PendingDeletion | KeyState::PendingReplicaDeletion
        ) {
            key.state = KeyState::PendingImport;
        }
        Ok(DeleteImportedKeyMaterialResponse {
            key_id: arn,
            key_material_id,
        })
    }
}

fn expired_token() -> Error {
    Error::new(
        ErrorCode::ExpiredImportTokenException,
        "the import token has expired; call GetParametersForImport for new parameters",
    )
}
