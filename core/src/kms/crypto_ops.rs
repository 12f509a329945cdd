//! The cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey*,
//! GenerateDataKeyPair*, Sign, Verify, GenerateMac, VerifyMac, DeriveSharedSecret, Encapsulate,
//! Decapsulate, GetPublicKey, GenerateRandom.
//!
//! Symmetric ciphertexts use [`super::ciphertext`]; asymmetric ones are the raw RSA-OAEP or DER
//! SM2PKE bytes KMS returns (so they decrypt outside KMS too). The checks on algorithms and
//! message lengths are [`crate::crypto`]'s, shared with the offline API.

use super::Kms;
use super::ciphertext;
use super::context::{self, EncryptionContext};
use super::ids::Accept;
use super::model::{KeyMaterial, KeyRecord};
use super::shapes::*;
use super::state::Op;
use crate::crypto;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::Secret;
use crate::spec::{
    DataKeyPairSpec, DataKeySpec, EncryptionAlgorithm, KeyAgreementAlgorithm,
    KeyEncapsulationAlgorithm, KeyFamily, KeySpec, KeyUsage, MacAlgorithm, MessageType,
    SigningAlgorithm, limits, names,
};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

fn usage_error(arn: &str, key: &KeyRecord, op: &str) -> Error {
    Error::key_usage(format!(
        "{arn} key usage is {} which is not valid for {op}.",
        key.usage
    ))
}

fn check_plaintext(p: &[u8], max: usize) -> Result<()> {
    if p.is_empty() || p.len() > max {
        return Err(Error::validation(format!(
            "Plaintext must be 1 to {max} bytes, got {}",
            p.len()
        )));
    }
    Ok(())
}

fn no_context(ctx: &Option<Context>, spec: KeySpec) -> Result<()> {
    if ctx.as_ref().is_some_and(|c| !c.is_empty()) {
        return Err(Error::validation(format!(
            "EncryptionContext is not supported with {spec} keys; it applies to symmetric encryption keys"
        )));
    }
    Ok(())
}

fn secret_of(key: &KeyRecord) -> Result<(&[u8; 32], &Secret)> {
    match key.current().map(|m| (&m.id, &m.material)) {
        Some((id, KeyMaterial::Secret(s))) => Ok((id, s)),
        _ => Err(Error::internal("the key has no symmetric material")),
    }
}

fn pair_of(key: &KeyRecord) -> Result<&crate::PrivateKey> {
    match key.current().map(|m| &m.material) {
        Some(KeyMaterial::Pair(p)) => Ok(p),
        _ => Err(Error::internal("the key has no key pair")),
    }
}

fn algorithm_or_default(a: &Option<String>) -> Result<EncryptionAlgorithm> {
    EncryptionAlgorithm::parse(a.as_deref().unwrap_or("SYMMETRIC_DEFAULT"))
}

impl Kms {
    /// The key for a cryptographic operation: resolved (aliases allowed), in a usable state.
    fn crypto_key(&self, region: &str, key_id: &str, op: Op) -> Result<(String, String)> {
        let id = self.usable(region, key_id, Accept::KeyOrAlias, op)?;
        let arn = self.key_arn(region, &id);
        Ok((id, arn))
    }

    /// Encrypts under a symmetric key's current material (the kmskit blob).
    fn seal(
        &mut self,
        region: &str,
        id: &str,
        context: &EncryptionContext,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        let nonce = self.random_bytes::<{ ciphertext::NONCE_LEN }>()?;
        let key = self.key(region, id)?;
        let (material_id, secret) = secret_of(key)?;
        let header = ciphertext::header(id, material_id)?;
        let aad = ciphertext::aad(&header, &context::serialize(context)?);
        let body = self
            .backend
            .aes_gcm_seal(secret.expose(), &nonce, &aad, plaintext)?;
        let mut blob = header;
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&body);
        Ok(blob)
    }

    /// Encrypts `plaintext` with `id` (symmetric or asymmetric) as Encrypt does.
    fn encrypt_with(
        &mut self,
        region: &str,
        id: &str,
        algorithm: EncryptionAlgorithm,
        context: &Option<Context>,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        let key = self.key(region, id)?;
        let arn = self.key_arn(region, id);
        if key.usage != KeyUsage::EncryptDecrypt {
            return Err(usage_error(&arn, key, "Encrypt"));
        }
        let spec = key.spec;
        if !spec.info().encryption.contains(&algorithm) {
            return Err(Error::key_usage(format!(
                "{algorithm} is not valid for {spec} keys; valid encryption algorithms: {}",
                names(spec.info().encryption, EncryptionAlgorithm::as_str).join(", ")
            )));
        }
        if spec == KeySpec::SymmetricDefault {
            check_plaintext(plaintext, limits::MAX_SYMMETRIC_PLAINTEXT)?;
            let ctx = context.clone().unwrap_or_default();
            self.seal(region, id, &ctx, plaintext)
        } else {
            no_context(context, spec)?;
            let public = pair_of(key)?.public_key().clone();
            crypto::encrypt(self.backend, &public, algorithm, plaintext)
        }
    }

    /// Decrypts as Decrypt does; returns (key ID, plaintext, algorithm, material ID).
    fn decrypt_with(
        &self,
        region: &str,
        blob: &[u8],
        key_id: Option<&str>,
        algorithm: &Option<String>,
        context: &Option<Context>,
    ) -> Result<(String, Secret, EncryptionAlgorithm, Option<[u8; 32]>)> {
        let algorithm = algorithm_or_default(algorithm)?;
        let requested = match key_id {
            Some(k) => Some(self.crypto_key(region, k, Op::SymmetricCrypto)?.0),
            None => None,
        };
        if let Ok(parsed) = ciphertext::parse(blob) {
            if requested.as_ref().is_some_and(|req| req != &parsed.key_id) {
                return Err(Error::new(
                    ErrorCode::IncorrectKeyException,
                    "The key ID in the request does not identify a CMK that can perform this operation.",
                ));
            }
            let id = match requested {
                Some(id) => id,
                None => {
                    self.crypto_key(region, &parsed.key_id, Op::SymmetricCrypto)?
                        .0
                }
            };
            let key = self.key(region, &id)?;
            if key.spec != KeySpec::SymmetricDefault || key.usage != KeyUsage::EncryptDecrypt {
                return Err(ciphertext_error());
            }
            if algorithm != EncryptionAlgorithm::SymmetricDefault {
                return Err(Error::key_usage(format!(
                    "{algorithm} is not valid for SYMMETRIC_DEFAULT keys"
                )));
            }
            let version = key
                .version(&parsed.material_id)
                .ok_or_else(ciphertext_error)?;
            let KeyMaterial::Secret(secret) = &version.material else {
                return Err(ciphertext_error());
            };
            let ctx = context.clone().unwrap_or_default();
            let aad = ciphertext::aad(parsed.header, &context::serialize(&ctx)?);
            let mut body = Vec::with_capacity(parsed.body.len());
            body.extend_from_slice(parsed.body);
            let plaintext = self
                .backend
                .aes_gcm_open(secret.expose(), &parsed.nonce, &aad, &body)
                .map_err(|_| ciphertext_error())?;
            return Ok((id, plaintext, algorithm, Some(parsed.material_id)));
        }
        // Not a symmetric blob: an asymmetric ciphertext needs the key named.
        let Some(id) = requested else {
            return Err(ciphertext_error());
        };
        let key = self.key(region, &id)?;
        let arn = self.key_arn(region, &id);
        if key.usage != KeyUsage::EncryptDecrypt {
            return Err(usage_error(&arn, key, "Decrypt"));
        }
        if key.spec == KeySpec::SymmetricDefault {
            return Err(ciphertext_error());
        }
        no_context(context, key.spec)?;
        let plaintext = crypto::decrypt(self.backend, pair_of(key)?, algorithm, blob)?;
        Ok((id, plaintext, algorithm, key.current().map(|m| m.id)))
    }

    /// Encrypt.
    ///
    /// # Errors
    /// `InvalidKeyUsageException`, `ValidationException`, state exceptions, `DryRunOperationException`.
    pub fn encrypt(&mut self, region: &str, mut req: EncryptRequest) -> Result<EncryptResponse> {
        // wiped on every path out of here (the caller's copy is moved in)
        let plaintext = zeroize::Zeroizing::new(core::mem::take(&mut req.plaintext));
        let (id, arn) = self.crypto_key(region, &req.key_id, Op::SymmetricCrypto)?;
        let algorithm = algorithm_or_default(&req.encryption_algorithm)?;
        if req.dry_run == Some(true) {
            // validate as far as possible without consuming randomness
            let key = self.key(region, &id)?;
            if key.usage != KeyUsage::EncryptDecrypt {
                return Err(usage_error(&arn, key, "Encrypt"));
            }
            return Kms::dry_run(req.dry_run).map(|_| EncryptResponse::default());
        }
        let ciphertext_blob =
            self.encrypt_with(region, &id, algorithm, &req.encryption_context, &plaintext)?;
        Ok(EncryptResponse {
            ciphertext_blob,
            key_id: arn,
            encryption_algorithm: algorithm.as_str().to_string(),
        })
    }

    /// Decrypt. Symmetric ciphertexts name their key (KeyId is optional, and must match);
    /// asymmetric ones need KeyId.
    ///
    /// # Errors
    /// `InvalidCiphertextException` (also for a wrong encryption context, with nothing said
    /// about why), `IncorrectKeyException`, `InvalidKeyUsageException`, state exceptions.
    pub fn decrypt(&mut self, region: &str, req: DecryptRequest) -> Result<DecryptResponse> {
        let ignore_ciphertext = req
            .dry_run_modifiers
            .as_ref()
            .is_some_and(|m| m.iter().any(|x| x == "IGNORE_CIPHERTEXT"));
        if req.dry_run == Some(true) && ignore_ciphertext {
            if let Some(k) = &req.key_id {
                self.crypto_key(region, k, Op::SymmetricCrypto)?;
            }
            return Kms::dry_run(req.dry_run).map(|_| DecryptResponse::default());
        }
        let blob = req
            .ciphertext_blob
            .as_deref()
            .ok_or_else(|| Error::validation("CiphertextBlob is required"))?;
        let (id, plaintext, algorithm, material) = self.decrypt_with(
            region,
            blob,
            req.key_id.as_deref(),
            &req.encryption_algorithm,
            &req.encryption_context,
        )?;
        Kms::dry_run(req.dry_run)?;
        Ok(DecryptResponse {
            key_id: self.key_arn(region, &id),
            plaintext: plaintext.into_vec(),
            encryption_algorithm: algorithm.as_str().to_string(),
            key_material_id: material.map(|m| super::keys::hex_id(&m)),
        })
    }

    /// ReEncrypt: decrypts with the source key and encrypts under the destination key, without
    /// exposing the plaintext.
    ///
    /// # Errors
    /// As Decrypt and Encrypt.
    pub fn re_encrypt(&mut self, region: &str, req: ReEncryptRequest) -> Result<ReEncryptResponse> {
        let (source, plaintext, source_alg, _) = self.decrypt_with(
            region,
            &req.ciphertext_blob,
            req.source_key_id.as_deref(),
            &req.source_encryption_algorithm,
            &req.source_encryption_context,
        )?;
        let (dest, dest_arn) =
            self.crypto_key(region, &req.destination_key_id, Op::SymmetricCrypto)?;
        let dest_alg = algorithm_or_default(&req.destination_encryption_algorithm)?;
        Kms::dry_run(req.dry_run)?;
        let ciphertext_blob = self.encrypt_with(
            region,
            &dest,
            dest_alg,
            &req.destination_encryption_context,
            plaintext.expose(),
        )?;
        Ok(ReEncryptResponse {
            ciphertext_blob,
            source_key_id: self.key_arn(region, &source),
            key_id: dest_arn,
            source_encryption_algorithm: source_alg.as_str().to_string(),
            destination_encryption_algorithm: dest_alg.as_str().to_string(),
        })
    }

    fn symmetric_key(&self, region: &str, key_id: &str, op: &str) -> Result<(String, String)> {
        let (id, arn) = self.crypto_key(region, key_id, Op::SymmetricCrypto)?;
        let key = self.key(region, &id)?;
        if key.spec != KeySpec::SymmetricDefault || key.usage != KeyUsage::EncryptDecrypt {
            return Err(Error::key_usage(format!(
                "{arn} is a {} key; {op} needs a symmetric encryption key (SYMMETRIC_DEFAULT)",
                key.spec
            )));
        }
        Ok((id, arn))
    }

    /// GenerateDataKey (with `with_plaintext`) and GenerateDataKeyWithoutPlaintext.
    ///
    /// # Errors
    /// `ValidationException` unless exactly one of KeySpec (AES_128, AES_256) and NumberOfBytes
    /// (1–1024) is given; `InvalidKeyUsageException` for a non-symmetric key.
    pub fn generate_data_key(
        &mut self,
        region: &str,
        req: GenerateDataKeyRequest,
        with_plaintext: bool,
    ) -> Result<GenerateDataKeyResponse> {
        let op = if with_plaintext {
            "GenerateDataKey"
        } else {
            "GenerateDataKeyWithoutPlaintext"
        };
        let (id, arn) = self.symmetric_key(region, &req.key_id, op)?;
        let len = match (&req.key_spec, req.number_of_bytes) {
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "specify either KeySpec or NumberOfBytes, not both",
                ));
            }
            (Some(s), None) => match DataKeySpec::parse(s)? {
                DataKeySpec::Aes256 => 32,
                DataKeySpec::Aes128 => 16,
            },
            (None, Some(n)) if (1..=1024).contains(&n) => n as usize,
            (None, Some(n)) => {
                return Err(Error::validation(format!(
                    "NumberOfBytes must be 1 to 1024, got {n}"
                )));
            }
            (None, None) => {
                return Err(Error::validation(
                    "Please specify either number of bytes or key spec.",
                ));
            }
        };
        Kms::dry_run(req.dry_run)?;
        let data_key = Secret::new(self.random_vec(len)?);
        let ctx = req.encryption_context.unwrap_or_default();
        let ciphertext_blob = self.seal(region, &id, &ctx, data_key.expose())?;
        Ok(GenerateDataKeyResponse {
            ciphertext_blob,
            plaintext: with_plaintext.then(|| data_key.into_vec()),
            key_id: arn,
        })
    }

    /// GenerateDataKeyPair (with `with_plaintext`) and ...WithoutPlaintext: a new key pair whose
    /// private key (PKCS#8 DER) is encrypted under a symmetric key.
    ///
    /// # Errors
    /// `ValidationException` for a KeyPairSpec KMS does not offer; `InvalidKeyUsageException`.
    pub fn generate_data_key_pair(
        &mut self,
        region: &str,
        req: GenerateDataKeyPairRequest,
        with_plaintext: bool,
    ) -> Result<GenerateDataKeyPairResponse> {
        let op = if with_plaintext {
            "GenerateDataKeyPair"
        } else {
            "GenerateDataKeyPairWithoutPlaintext"
        };
        let (id, arn) = self.symmetric_key(region, &req.key_id, op)?;
        let pair_spec = DataKeyPairSpec::parse(&req.key_pair_spec)?;
        let spec = KeySpec::parse(pair_spec.as_str())?;
        Kms::dry_run(req.dry_run)?;
        let pair = self.generate_pair(spec)?;
        let ctx = req.encryption_context.unwrap_or_default();
        let private_key_ciphertext_blob =
            self.seal(region, &id, &ctx, pair.pkcs8_der().expose())?;
        Ok(GenerateDataKeyPairResponse {
            private_key_ciphertext_blob,
            private_key_plaintext: with_plaintext.then(|| pair.pkcs8_der().expose().to_vec()),
            public_key: pair.public_key().spki_der().to_vec(),
            key_id: arn,
            key_pair_spec: pair_spec.as_str().to_string(),
        })
    }

    fn usage_key(
        &self,
        region: &str,
        key_id: &str,
        usage: KeyUsage,
        op: &str,
    ) -> Result<(String, String)> {
        let (id, arn) = self.crypto_key(region, key_id, Op::AsymmetricCrypto)?;
        let key = self.key(region, &id)?;
        if key.usage != usage {
            return Err(usage_error(&arn, key, op));
        }
        Ok((id, arn))
    }

    /// Sign.
    ///
    /// # Errors
    /// `InvalidKeyUsageException`, `ValidationException` (message type and length), state
    /// exceptions.
    pub fn sign(&mut self, region: &str, req: SignRequest) -> Result<SignResponse> {
        let (id, arn) = self.usage_key(region, &req.key_id, KeyUsage::SignVerify, "Sign")?;
        let algorithm = SigningAlgorithm::parse(&req.signing_algorithm)?;
        let message_type = MessageType::parse(req.message_type.as_deref().unwrap_or("RAW"))?;
        let key = pair_of(self.key(region, &id)?)?;
        crypto::check_signing_input(key.spec(), algorithm, message_type, &req.message)?;
        Kms::dry_run(req.dry_run)?;
        let signature = crypto::sign(self.backend, key, algorithm, message_type, &req.message)?;
        Ok(SignResponse {
            key_id: arn,
            signature,
            signing_algorithm: algorithm.as_str().to_string(),
        })
    }

    /// Verify: `KMSInvalidSignatureException` when the signature does not verify.
    ///
    /// # Errors
    /// As Sign, and `KMSInvalidSignatureException`.
    pub fn verify(&mut self, region: &str, req: VerifyRequest) -> Result<VerifyResponse> {
        let (id, arn) = self.usage_key(region, &req.key_id, KeyUsage::SignVerify, "Verify")?;
        let algorithm = SigningAlgorithm::parse(&req.signing_algorithm)?;
        let message_type = MessageType::parse(req.message_type.as_deref().unwrap_or("RAW"))?;
        let public = pair_of(self.key(region, &id)?)?.public_key().clone();
        crypto::check_signing_input(public.spec(), algorithm, message_type, &req.message)?;
        Kms::dry_run(req.dry_run)?;
        if !crypto::verify(
            self.backend,
            &public,
            algorithm,
            message_type,
            &req.message,
            &req.signature,
            None,
        )? {
            return Err(Error::new(
                ErrorCode::KMSInvalidSignatureException,
                "the signature is not valid",
            ));
        }
        Ok(VerifyResponse {
            key_id: arn,
            signature_valid: true,
            signing_algorithm: algorithm.as_str().to_string(),
        })
    }

    fn mac_key(
        &self,
        region: &str,
        key_id: &str,
        op: &str,
    ) -> Result<(String, String, KeySpec, Secret)> {
        let (id, arn) = self.usage_key(region, key_id, KeyUsage::GenerateVerifyMac, op)?;
        let key = self.key(region, &id)?;
        let (_, secret) = secret_of(key)?;
        Ok((id, arn, key.spec, secret.clone()))
    }

    /// GenerateMac.
    ///
    /// # Errors
    /// `InvalidKeyUsageException`, `ValidationException`, state exceptions.
    pub fn generate_mac(
        &mut self,
        region: &str,
        req: GenerateMacRequest,
    ) -> Result<GenerateMacResponse> {
        let (_, arn, spec, secret) = self.mac_key(region, &req.key_id, "GenerateMac")?;
        let algorithm = MacAlgorithm::parse(&req.mac_algorithm)?;
        let mac = crypto::generate_mac(self.backend, spec, &secret, algorithm, &req.message)?;
        Kms::dry_run(req.dry_run)?;
        Ok(GenerateMacResponse {
            mac,
            mac_algorithm: algorithm.as_str().to_string(),
            key_id: arn,
        })
    }

    /// VerifyMac: `KMSInvalidMacException` when the MAC does not verify.
    ///
    /// # Errors
    /// As GenerateMac, and `KMSInvalidMacException`.
    pub fn verify_mac(&mut self, region: &str, req: VerifyMacRequest) -> Result<VerifyMacResponse> {
        let (_, arn, spec, secret) = self.mac_key(region, &req.key_id, "VerifyMac")?;
        let algorithm = MacAlgorithm::parse(&req.mac_algorithm)?;
        // validate before DryRun, compare after
        crypto::generate_mac(self.backend, spec, &secret, algorithm, &req.message)?;
        Kms::dry_run(req.dry_run)?;
        crypto::verify_mac(
            self.backend,
            spec,
            &secret,
            algorithm,
            &req.message,
            &req.mac,
        )?;
        Ok(VerifyMacResponse {
            key_id: arn,
            mac_valid: true,
            mac_algorithm: algorithm.as_str().to_string(),
        })
    }

    /// DeriveSharedSecret: ECDH with the key's private half.
    ///
    /// # Errors
    /// `InvalidKeyUsageException` (usage not KEY_AGREEMENT), `ValidationException`.
    pub fn derive_shared_secret(
        &mut self,
        region: &str,
        req: DeriveSharedSecretRequest,
    ) -> Result<DeriveSharedSecretResponse> {
        let (id, arn) = self.usage_key(
            region,
            &req.key_id,
            KeyUsage::KeyAgreement,
            "DeriveSharedSecret",
        )?;
        let algorithm = KeyAgreementAlgorithm::parse(&req.key_agreement_algorithm)?;
        let key = self.key(region, &id)?;
        let origin = key.origin.as_str().to_string();
        let pair = pair_of(key)?;
        let peer = crate::PublicKey::parse(&req.public_key)?;
        if peer.spec() != pair.spec() {
            return Err(Error::validation(format!(
                "the public key is {}, but the KMS key is {}; both must be on the same curve",
                peer.spec(),
                pair.spec()
            )));
        }
        Kms::dry_run(req.dry_run)?;
        let secret = crypto::derive_shared_secret(self.backend, pair, &req.public_key, algorithm)?;
        Ok(DeriveSharedSecretResponse {
            key_id: arn,
            shared_secret: secret.into_vec(),
            key_agreement_algorithm: algorithm.as_str().to_string(),
            key_origin: origin,
        })
    }

    /// Encapsulate (ML-KEM).
    ///
    /// # Errors
    /// `InvalidKeyUsageException` (usage not ENCAPSULATE_DECAPSULATE), `ValidationException`.
    pub fn encapsulate(
        &mut self,
        region: &str,
        req: EncapsulateRequest,
    ) -> Result<EncapsulateResponse> {
        let (id, arn) = self.usage_key(
            region,
            &req.key_id,
            KeyUsage::EncapsulateDecapsulate,
            "Encapsulate",
        )?;
        let algorithm = KeyEncapsulationAlgorithm::parse(&req.encapsulation_algorithm)?;
        let public = pair_of(self.key(region, &id)?)?.public_key().clone();
        Kms::dry_run(req.dry_run)?;
        let (secret, ct) = crypto::encapsulate(self.backend, &public)?;
        Ok(EncapsulateResponse {
            key_id: arn,
            shared_secret: secret.into_vec(),
            shared_secret_ciphertext_blob: ct,
            encapsulation_algorithm: algorithm.as_str().to_string(),
        })
    }

    /// Decapsulate (ML-KEM, FIPS 203 implicit rejection).
    ///
    /// # Errors
    /// `InvalidCiphertextException` for a ciphertext of the wrong length; `InvalidKeyUsageException`.
    pub fn decapsulate(
        &mut self,
        region: &str,
        req: DecapsulateRequest,
    ) -> Result<DecapsulateResponse> {
        let (id, arn) = self.usage_key(
            region,
            &req.key_id,
            KeyUsage::EncapsulateDecapsulate,
            "Decapsulate",
        )?;
        let algorithm = KeyEncapsulationAlgorithm::parse(&req.encapsulation_algorithm)?;
        let key = pair_of(self.key(region, &id)?)?;
        let secret = crypto::decapsulate(self.backend, key, &req.shared_secret_ciphertext_blob)?;
        Kms::dry_run(req.dry_run)?;
        Ok(DecapsulateResponse {
            key_id: arn,
            shared_secret: secret.into_vec(),
            encapsulation_algorithm: algorithm.as_str().to_string(),
        })
    }

    /// GetPublicKey (asymmetric keys only).
    ///
    /// # Errors
    /// `UnsupportedOperationException` for symmetric and HMAC keys; state exceptions.
    pub fn get_public_key(&self, region: &str, req: KeyIdRequest) -> Result<GetPublicKeyResponse> {
        let (id, arn) = self.crypto_key(region, &req.key_id, Op::AsymmetricCrypto)?;
        let key = self.key(region, &id)?;
        if matches!(
            key.spec.info().family,
            KeyFamily::Symmetric | KeyFamily::Hmac
        ) {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{arn} is a {} key; only asymmetric keys have a public key",
                    key.spec
                ),
            ));
        }
        let info = key.spec.info();
        let list = |usage: KeyUsage, v: Vec<String>| (key.usage == usage).then_some(v);
        Ok(GetPublicKeyResponse {
            key_id: arn,
            public_key: pair_of(key)?.public_key().spki_der().to_vec(),
            customer_master_key_spec: key.spec.as_str().to_string(),
            key_spec: key.spec.as_str().to_string(),
            key_usage: key.usage.as_str().to_string(),
            encryption_algorithms: list(
                KeyUsage::EncryptDecrypt,
                names(info.encryption, |a| a.as_str()),
            ),
            signing_algorithms: list(KeyUsage::SignVerify, names(info.signing, |a| a.as_str())),
            key_agreement_algorithms: list(
                KeyUsage::KeyAgreement,
                names(info.key_agreement, |a| a.as_str()),
            ),
            encapsulation_algorithms: list(
                KeyUsage::EncapsulateDecapsulate,
                names(info.key_encapsulation, |a| a.as_str()),
            ),
        })
    }

    /// GenerateRandom (1–1024 bytes).
    ///
    /// # Errors
    /// `ValidationException` for another length; `UnsupportedOperationException` for a custom
    /// key store.
    pub fn generate_random(
        &mut self,
        req: GenerateRandomRequest,
    ) -> Result<GenerateRandomResponse> {
        if req.custom_key_store_id.is_some() {
            return Err(Error::new(
                ErrorCode::UnsupportedOperationException,
                "custom key stores are not available in the local KMS",
            ));
        }
        let n = req
            .number_of_bytes
            .ok_or_else(|| Error::validation("NumberOfBytes is required"))?;
        if !(1..=1024).contains(&n) {
            return Err(Error::validation(format!(
                "NumberOfBytes must be 1 to 1024, got {n}"
            )));
        }
        Ok(GenerateRandomResponse {
            plaintext: self.random_vec(n as usize)?,
        })
    }
}

fn ciphertext_error() -> Error {
    Error::new(
        ErrorCode::InvalidCiphertextException,
        "the ciphertext is not valid for this key, or its encryption context does not match",
    )
}
