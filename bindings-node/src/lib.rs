//! Node.js bindings of kmskit: type conversion and error mapping only.
//!
//! Errors are thrown as `Error` objects whose `code` is the KMS exception name; `index.js`
//! copies it to `name` as well. A panic becomes `KMSInternalException`.
//!
//! The local KMS is [`NativeKms`]: JSON text in and out, run on the libuv thread pool (so a
//! slow operation such as RSA key generation does not block the event loop). `index.js` builds
//! the public `Kms` class on it (one method per core operation, bytes and dates converted by
//! field name).

pub mod envelope;

use kmskit::kms::{self, Kms, KmsConfig, snapshot};
use kmskit::offline;
use kmskit::sm2::CiphertextOrder;
use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

type Result<T> = napi::Result<T, String>;

fn map_error(e: &kmskit::Error) -> napi::Error<String> {
    napi::Error::new(e.code().as_str().to_string(), e.message().to_string())
}

/// Runs `f`, turning a panic into `KMSInternalException`.
fn unwind<T>(f: impl FnOnce() -> kmskit::Result<T>) -> kmskit::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(kmskit::Error::internal(format!("internal error: {what}")))
    })
}

/// Runs `f`, turning a kmskit error into a JS error and a panic into `KMSInternalException`.
fn guard<T>(f: impl FnOnce() -> kmskit::Result<T>) -> Result<T> {
    unwind(f).map_err(|e| map_error(&e))
}

/// Verifies a signature exactly as AWS KMS Verify would.
///
/// `publicKey` is what GetPublicKey returns (DER SubjectPublicKeyInfo) or its PEM. Returns
/// `false` for a signature that does not verify; throws an Error whose `code`/`name` is
/// `ValidationException` or `InvalidKeyUsageException` for a malformed request.
#[napi]
pub fn verify(
    public_key: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    signing_algorithm: String,
    message_type: Option<String>,
    distinguishing_id: Option<String>,
) -> Result<bool> {
    guard(|| {
        kmskit::verify(
            &public_key,
            &message,
            &signature,
            kmskit::SigningAlgorithm::parse(&signing_algorithm)?,
            kmskit::MessageType::parse(message_type.as_deref().unwrap_or("RAW"))?,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })
}

/// Encrypts to a KMS public key (RSAES_OAEP_SHA_1/256, SM2PKE) so that KMS Decrypt accepts it.
#[napi]
pub fn encrypt(
    public_key: Uint8Array,
    plaintext: Uint8Array,
    encryption_algorithm: String,
) -> Result<Buffer> {
    guard(|| {
        offline::encrypt(
            &public_key,
            &plaintext,
            kmskit::EncryptionAlgorithm::parse(&encryption_algorithm)?,
        )
    })
    .map(Buffer::from)
}

/// The raw ECDH secret KMS DeriveSharedSecret returns when the other party holds the matching key.
/// `privateKey` is PKCS#8 DER or PEM; `publicKey` the KMS key's DER SPKI or PEM.
#[napi]
pub fn derive_shared_secret(
    private_key: Uint8Array,
    public_key: Uint8Array,
    key_agreement_algorithm: Option<String>,
) -> Result<Buffer> {
    guard(|| {
        offline::derive_shared_secret(
            &private_key,
            &public_key,
            kmskit::KeyAgreementAlgorithm::parse(
                key_agreement_algorithm.as_deref().unwrap_or("ECDH"),
            )?,
        )
    })
    .map(|s| Buffer::from(s.expose()))
}

/// What `encapsulate` returns.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct Encapsulation {
    /// The 32-byte shared secret.
    pub shared_secret: Buffer,
    /// The ciphertext to send to KMS Decapsulate.
    pub ciphertext: Buffer,
}

/// ML-KEM encapsulation to a KMS public key.
#[napi]
pub fn encapsulate(public_key: Uint8Array) -> Result<Encapsulation> {
    guard(|| offline::encapsulate(&public_key)).map(|(ss, ct)| Encapsulation {
        shared_secret: Buffer::from(ss.expose()),
        ciphertext: Buffer::from(ct),
    })
}

/// What `describePublicKey` returns.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct PublicKeyDescription {
    /// The KMS key spec.
    pub key_spec: String,
    /// The key usages KMS allows for the spec.
    pub key_usages: Vec<String>,
    /// Encryption algorithms (ENCRYPT_DECRYPT keys).
    pub encryption_algorithms: Vec<String>,
    /// Signing algorithms (SIGN_VERIFY keys).
    pub signing_algorithms: Vec<String>,
    /// Key agreement algorithms (KEY_AGREEMENT keys).
    pub key_agreement_algorithms: Vec<String>,
    /// Key encapsulation algorithms (ENCAPSULATE_DECAPSULATE keys).
    pub key_encapsulation_algorithms: Vec<String>,
    /// PEM `PUBLIC KEY`.
    pub pem: String,
    /// The JSON Web Key as JSON text (EC, RSA, OKP), absent for SM2, ML-DSA and ML-KEM.
    pub jwk: Option<String>,
    /// The uncompressed SEC1 point (ECC and SM2 keys).
    pub sec1_uncompressed: Option<Buffer>,
}

/// Key spec, usable algorithms, and the key as PEM, JWK and uncompressed SEC1 point.
#[napi]
pub fn describe_public_key(public_key: Uint8Array) -> Result<PublicKeyDescription> {
    guard(|| offline::describe_public_key(&public_key)).map(|d| PublicKeyDescription {
        key_spec: d.key_spec.as_str().to_string(),
        key_usages: d.key_usages,
        encryption_algorithms: d.encryption_algorithms,
        signing_algorithms: d.signing_algorithms,
        key_agreement_algorithms: d.key_agreement_algorithms,
        key_encapsulation_algorithms: d.key_encapsulation_algorithms,
        pem: d.pem,
        jwk: d.jwk,
        sec1_uncompressed: d.sec1_uncompressed.map(Buffer::from),
    })
}

/// DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto).
#[napi(js_name = "derToP1363")]
pub fn der_to_p1363(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::der_to_p1363(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// Fixed-width r||s -> DER.
#[napi(js_name = "p1363ToDer")]
pub fn p1363_to_der(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::p1363_to_der(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// DER ECDSA signature with s replaced by n - s when s > n/2.
#[napi]
pub fn normalize_low_s(signature: Uint8Array, key_spec: String) -> Result<Buffer> {
    guard(|| offline::normalize_low_s(&signature, kmskit::KeySpec::parse(&key_spec)?))
        .map(Buffer::from)
}

/// The recovery ID (0 or 1) of a secp256k1 signature as given.
#[napi(js_name = "secp256k1RecoveryId")]
pub fn secp256k1_recovery_id(
    public_key: Uint8Array,
    digest: Uint8Array,
    signature: Uint8Array,
) -> Result<u32> {
    guard(|| offline::secp256k1_recovery_id(&public_key, &digest, &signature)).map(u32::from)
}

/// e = SM3(Z || M) for `distinguishingId` (default 1234567812345678).
#[napi(js_name = "sm2Digest")]
pub fn sm2_digest(
    public_key: Uint8Array,
    message: Uint8Array,
    distinguishing_id: Option<String>,
) -> Result<Buffer> {
    guard(|| {
        offline::sm2_digest(
            &public_key,
            &message,
            distinguishing_id.as_deref().map(str::as_bytes),
        )
    })
    .map(|e| Buffer::from(e.to_vec()))
}

/// Raw SM2 ciphertext (order "C1C3C2" by default, or "C1C2C3") -> DER, as KMS Decrypt takes it.
#[napi(js_name = "sm2CiphertextToDer")]
pub fn sm2_ciphertext_to_der(raw: Uint8Array, order: Option<String>) -> Result<Buffer> {
    guard(|| {
        offline::sm2_ciphertext_to_der(
            &raw,
            CiphertextOrder::parse(order.as_deref().unwrap_or("C1C3C2"))?,
        )
    })
    .map(Buffer::from)
}

/// DER SM2 ciphertext -> raw 04||x||y followed by C3/C2 in `order`.
#[napi(js_name = "sm2CiphertextFromDer")]
pub fn sm2_ciphertext_from_der(der: Uint8Array, order: Option<String>) -> Result<Buffer> {
    guard(|| {
        offline::sm2_ciphertext_from_der(
            &der,
            CiphertextOrder::parse(order.as_deref().unwrap_or("C1C3C2"))?,
        )
    })
    .map(Buffer::from)
}

/// The 64-byte ML-DSA mu for MessageType EXTERNAL_MU.
#[napi]
pub fn ml_dsa_mu(public_key: Uint8Array, message: Uint8Array) -> Result<Buffer> {
    guard(|| offline::ml_dsa_mu(&public_key, &message)).map(|mu| Buffer::from(mu.to_vec()))
}

/// Decides a KMS request against a key policy, IAM policies and grants, as KMS does (JSON text
/// in, the evaluation as JSON text out; `index.js` takes and returns objects).
#[napi]
pub fn evaluate(
    request: String,
    key_policy: Option<String>,
    iam_policies: Option<String>,
    grants: Option<String>,
) -> Result<String> {
    guard(|| {
        kmskit::policy::evaluate_json(
            &request,
            key_policy.as_deref(),
            iam_policies.as_deref().unwrap_or("{}"),
            grants.as_deref().unwrap_or("[]"),
        )
        .map(|e| e.to_json().to_string())
    })
}

/// A key policy, IAM policies and grants parsed once (`kmskit::policy::PolicySet`), behind
/// `index.js`'s `PolicySet` class (internal: use `PolicySet`). JSON text in and out.
#[napi(js_name = "_NativePolicySet")]
#[derive(Debug)]
pub struct NativePolicySet {
    set: kmskit::policy::PolicySet,
}

#[napi]
impl NativePolicySet {
    /// Parses the documents (`PolicySet::from_json`): a key policy (none for actions governed
    /// by IAM alone), an object of IAM policy name -> document, in order, and a grant list.
    #[napi(constructor)]
    pub fn new(
        key_policy: Option<String>,
        iam_policies: Option<String>,
        grants: Option<String>,
    ) -> Result<Self> {
        guard(|| {
            kmskit::policy::PolicySet::from_json(
                key_policy.as_deref(),
                iam_policies.as_deref().unwrap_or("{}"),
                grants.as_deref().unwrap_or("[]"),
            )
        })
        .map(|set| NativePolicySet { set })
    }

    /// The evaluation of one request as JSON text (`Evaluation::to_json`).
    #[napi]
    pub fn evaluate(&self, request: String) -> Result<String> {
        guard(|| {
            self.set
                .evaluate_json(&request)
                .map(|e| e.to_json().to_string())
        })
    }

    /// The decision of each request of a JSON list (`PolicySet::decide_json_batch`).
    #[napi]
    pub fn decide_many(&self, requests: String) -> Result<Vec<&'static str>> {
        guard(|| self.set.decide_json_batch(&requests))
    }
}

/// The names of the public functions every binding exposes (core's list, snake_case).
#[napi]
pub fn capabilities() -> Vec<String> {
    kmskit::api::FUNCTIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every error code (KMS exception name) kmskit throws.
#[napi]
pub fn error_codes() -> Vec<String> {
    kmskit::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test hook: panics inside the guard, to prove a panic becomes `KMSInternalException`.
#[napi(js_name = "_panicProbe")]
pub fn panic_probe() -> Result<()> {
    guard(|| -> kmskit::Result<()> {
        #[expect(clippy::panic, reason = "the point of the probe")]
        {
            panic!("panic probe")
        }
    })
}

// ------------------------------------------------------------------------------ local KMS

/// The local KMS behind `index.js`'s `Kms` class (internal: use `Kms`).
///
/// Views made with `withRegion` share one `Kms` (one account, every Region's keys).
#[napi(js_name = "_NativeKms")]
#[derive(Debug)]
pub struct NativeKms {
    kms: Arc<Mutex<Kms>>,
    /// The Region of calls; `None`: the KMS's default Region.
    region: Option<String>,
    /// Who calls (`{"Principal", "Context"}`, checked); `None`: the account root.
    caller: Option<kmskit::kms::CallerContext>,
}

/// What a task gives: text (a JSON response) or bytes, or the KMS exception (`code`,
/// `message`). A task cannot reject with a custom `code`, so `index.js` turns an error outcome
/// into the rejection.
#[napi(object)]
#[allow(missing_debug_implementations, reason = "napi's Buffer has no Debug")]
pub struct Outcome {
    /// Text: the JSON response body.
    pub response: Option<String>,
    /// Bytes: a snapshot, key blob or container.
    pub bytes: Option<Buffer>,
    /// The KMS exception name.
    pub code: Option<String>,
    /// The exception message.
    pub message: Option<String>,
}

/// What a task computes off the event loop.
#[derive(Debug)]
pub enum Done {
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

type Job = Box<dyn FnOnce() -> kmskit::Result<Done> + Send>;

/// One piece of work on the libuv thread pool (a KMS call, a snapshot, a container).
pub struct Work(Option<Job>);

impl std::fmt::Debug for Work {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Work")
    }
}

fn work(job: impl FnOnce() -> kmskit::Result<Done> + Send + 'static) -> AsyncTask<Work> {
    AsyncTask::new(Work(Some(Box::new(job))))
}

/// The KMS; a panic in an earlier call (already reported as `KMSInternalException`) does not
/// make it unusable.
fn lock(kms: &Mutex<Kms>) -> MutexGuard<'_, Kms> {
    kms.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Task for Work {
    type Output = kmskit::Result<Done>;
    type JsValue = Outcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.0.take();
        Ok(unwind(|| match job {
            Some(job) => job(),
            None => Err(kmskit::Error::internal("a task ran twice")),
        }))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Outcome> {
        let mut out = Outcome {
            response: None,
            bytes: None,
            code: None,
            message: None,
        };
        match output {
            Ok(Done::Text(t)) => out.response = Some(t),
            Ok(Done::Bytes(b)) => out.bytes = Some(Buffer::from(b)),
            Err(e) => {
                out.code = Some(e.code().as_str().to_string());
                out.message = Some(e.message().to_string());
            }
        }
        Ok(out)
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn config(
    account_id: Option<String>,
    region: Option<String>,
    partition: Option<String>,
    seed: Option<Uint8Array>,
    start_time_ms: Option<i64>,
) -> KmsConfig {
    let defaults = KmsConfig::default();
    KmsConfig {
        account_id: account_id.unwrap_or(defaults.account_id),
        region: region.unwrap_or(defaults.region),
        partition: partition.unwrap_or(defaults.partition),
        seed: seed.map(|s| s.to_vec()),
        start_time_ms,
    }
}

impl NativeKms {
    fn of(kms: Kms) -> Self {
        Self {
            kms: Arc::new(Mutex::new(kms)),
            region: None,
            caller: None,
        }
    }
}

#[napi]
impl NativeKms {
    /// A KMS (`KmsConfig`; `None` fields take core's defaults).
    #[napi(constructor)]
    pub fn new(
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Uint8Array>,
        start_time_ms: Option<i64>,
    ) -> Result<Self> {
        let config = config(account_id, region, partition, seed, start_time_ms);
        Ok(Self::of(guard(|| Kms::new(config))?))
    }

    /// A KMS restored from a snapshot (`Kms::from_snapshot`; the snapshot names the account,
    /// partition and default Region).
    #[napi(factory)]
    pub fn from_snapshot(
        snapshot: Uint8Array,
        seed: Option<Uint8Array>,
        start_time_ms: Option<i64>,
    ) -> Result<Self> {
        let config = config(None, None, None, seed, start_time_ms);
        Ok(Self::of(guard(|| Kms::from_snapshot(config, &snapshot))?))
    }

    /// A KMS made from a seed file (`Kms::from_seed`).
    #[napi(factory)]
    pub fn from_seed(
        seed_file: Uint8Array,
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Uint8Array>,
        start_time_ms: Option<i64>,
    ) -> Result<Self> {
        let config = config(account_id, region, partition, seed, start_time_ms);
        Ok(Self::of(guard(|| Kms::from_seed(config, &seed_file))?))
    }

    /// The same KMS, calling in `region`.
    #[napi]
    pub fn with_region(&self, region: String) -> NativeKms {
        NativeKms {
            kms: Arc::clone(&self.kms),
            region: Some(region),
            caller: self.caller.clone(),
        }
    }

    /// The same KMS and Region, calling as the caller `{"Principal": ARN, "Context": {...}}`
    /// (JSON text; `kms::CallerContext::from_json`).
    #[napi]
    pub fn as_caller(&self, caller: String) -> Result<NativeKms> {
        let caller = guard(|| kmskit::kms::CallerContext::from_json(&caller))?;
        Ok(NativeKms {
            kms: Arc::clone(&self.kms),
            region: self.region.clone(),
            caller: Some(caller),
        })
    }

    /// Who this view calls as: the principal ARN, or `null` for the account root.
    #[napi]
    pub fn principal(&self) -> Option<String> {
        self.caller.as_ref().map(|c| c.caller().arn().to_string())
    }

    /// Attaches (or replaces) an IAM identity policy of a user or role.
    #[napi]
    pub fn put_principal_policy(
        &self,
        principal: String,
        name: String,
        document: String,
    ) -> Result<()> {
        guard(|| lock(&self.kms).put_principal_policy(&principal, &name, &document))
    }

    /// Detaches an IAM identity policy; whether it was attached.
    #[napi]
    pub fn delete_principal_policy(&self, principal: String, name: String) -> Result<bool> {
        guard(|| lock(&self.kms).delete_principal_policy(&principal, &name))
    }

    /// A principal's IAM identity policies, `[[name, document], ...]` in attachment order.
    #[napi]
    pub fn principal_policies(&self, principal: String) -> Result<Vec<Vec<String>>> {
        guard(|| lock(&self.kms).principal_policies(&principal))
            .map(|list| list.into_iter().map(|(n, d)| vec![n, d]).collect())
    }

    /// Sets a principal's tags (`aws:PrincipalTag/<key>`).
    #[napi]
    pub fn set_principal_tags(
        &self,
        principal: String,
        tags: HashMap<String, String>,
    ) -> Result<()> {
        guard(|| lock(&self.kms).set_principal_tags(&principal, tags.into_iter().collect()))
    }

    /// The evaluation behind the last AccessDeniedException (`Evaluation::to_json` text).
    #[napi]
    pub fn last_denial(&self) -> Option<String> {
        lock(&self.kms)
            .last_denial()
            .map(|e| e.to_json().to_string())
    }

    /// The Region of this view's calls.
    #[napi]
    pub fn region(&self) -> String {
        match &self.region {
            Some(r) => r.clone(),
            None => lock(&self.kms).region().to_string(),
        }
    }

    /// The account ID.
    #[napi]
    pub fn account_id(&self) -> String {
        lock(&self.kms).account_id().to_string()
    }

    /// The partition.
    #[napi]
    pub fn partition(&self) -> String {
        lock(&self.kms).partition().to_string()
    }

    /// Runs `operation` with a KMS JSON request body, off the event loop; resolves to an
    /// [`Outcome`] with the JSON response.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn call(&self, operation: String, request: String) -> AsyncTask<Work> {
        let (kms, region, caller) = (
            Arc::clone(&self.kms),
            self.region.clone(),
            self.caller.clone(),
        );
        work(move || {
            let mut kms = lock(&kms);
            let region = region.unwrap_or_else(|| kms.region().to_string());
            match &caller {
                Some(caller) => kms.call_as(caller, &region, &operation, &request),
                None => kms.call_in(&region, &operation, &request),
            }
            .map(Done::Text)
        })
    }

    /// The snapshot (`Kms::export_snapshot`), as bytes.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn export_snapshot(&self) -> AsyncTask<Work> {
        let kms = Arc::clone(&self.kms);
        work(move || Ok(Done::Bytes(lock(&kms).export_snapshot()?.expose().to_vec())))
    }

    /// The key blob of `key_id` in this view's Region (`Kms::export_key_blob`), as bytes.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn export_key_blob(&self, key_id: String) -> AsyncTask<Work> {
        let (kms, region) = (Arc::clone(&self.kms), self.region.clone());
        work(move || {
            let kms = lock(&kms);
            let region = region.unwrap_or_else(|| kms.region().to_string());
            Ok(Done::Bytes(
                kms.export_key_blob(&region, &key_id)?.expose().to_vec(),
            ))
        })
    }

    /// Adds the key of a key blob (`Kms::import_key_blob`); the JSON text of its KeyMetadata.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn import_key_blob(&self, key_blob: Uint8Array) -> AsyncTask<Work> {
        let (kms, blob) = (Arc::clone(&self.kms), key_blob.to_vec());
        work(move || {
            let meta = lock(&kms).import_key_blob(&blob)?;
            serde_json::to_string(&meta)
                .map(Done::Text)
                .map_err(|e| kmskit::Error::internal(format!("KeyMetadata encoding: {e}")))
        })
    }

    /// The encrypted container of `plaintext` (`kms::snapshot::encrypt_with_*`): under `key`
    /// (32 bytes), or under `passphrase` with Argon2id (`m_cost_kib`, `t_cost`, `p_cost`,
    /// default core's interactive parameters). `salt` and `nonce` make it reproducible (test
    /// vectors only).
    #[napi(ts_return_type = "Promise<Outcome>")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a flat native signature; index.js has the options object"
    )]
    pub fn seal(
        plaintext: Uint8Array,
        key: Option<Uint8Array>,
        passphrase: Option<Uint8Array>,
        m_cost_kib: Option<u32>,
        t_cost: Option<u32>,
        p_cost: Option<u32>,
        salt: Option<Uint8Array>,
        nonce: Option<Uint8Array>,
    ) -> AsyncTask<Work> {
        let plaintext = plaintext.to_vec();
        let key = key.map(|k| k.to_vec());
        let passphrase = passphrase.map(|p| p.to_vec());
        let (salt, nonce) = (salt.map(|s| s.to_vec()), nonce.map(|n| n.to_vec()));
        work(move || {
            let options = snapshot::SealOptions {
                key: key.as_deref(),
                passphrase: passphrase.as_deref(),
                argon2: snapshot::Argon2Params::from_parts(m_cost_kib, t_cost, p_cost),
                salt: salt.as_deref(),
                nonce: nonce.as_deref(),
            };
            let sealed = snapshot::seal(&plaintext, &options)?;
            Ok(Done::Bytes(sealed))
        })
    }

    /// The plaintext of an encrypted container (`kms::snapshot::decrypt_with_*`).
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn unseal(
        container: Uint8Array,
        key: Option<Uint8Array>,
        passphrase: Option<Uint8Array>,
    ) -> AsyncTask<Work> {
        let container = container.to_vec();
        let (key, passphrase) = (key.map(|k| k.to_vec()), passphrase.map(|p| p.to_vec()));
        work(move || {
            let plain = snapshot::unseal(&container, key.as_deref(), passphrase.as_deref())?;
            Ok(Done::Bytes(plain.expose().to_vec()))
        })
    }

    /// What a container's header says (`kms::snapshot::inspect`), as JSON text:
    /// `{"kdf": "key"|"argon2id", "argon2": {...}?, "plaintextLength": n}`.
    #[napi]
    pub fn inspect_sealed(container: Uint8Array) -> Result<String> {
        let info = guard(|| snapshot::inspect(&container))?;
        let out = match info.kdf {
            snapshot::Kdf::Key => serde_json::json!({
                "kdf": "key", "plaintextLength": info.plaintext_len,
            }),
            snapshot::Kdf::Argon2id(p) => serde_json::json!({
                "kdf": "argon2id",
                "argon2": {"mCostKib": p.m_cost_kib, "tCost": p.t_cost, "pCost": p.p_cost},
                "plaintextLength": info.plaintext_len,
            }),
        };
        Ok(out.to_string())
    }

    /// The KMS clock (ms since the Unix epoch).
    #[napi]
    pub fn now_ms(&self) -> i64 {
        lock(&self.kms).now_ms()
    }

    /// Sets the clock.
    #[napi]
    pub fn set_time_ms(&self, ms: i64) {
        lock(&self.kms).set_time_ms(ms);
    }

    /// Moves the clock by `ms`.
    #[napi]
    pub fn advance_ms(&self, ms: i64) {
        lock(&self.kms).advance_ms(ms);
    }

    /// Every operation core implements, with its method name: `[["CreateKey", "createKey"], ...]`.
    #[napi]
    pub fn operations() -> Vec<Vec<String>> {
        kms::operations()
            .iter()
            .map(|op| vec![op.to_string(), kms::camel_case(op)])
            .collect()
    }

    /// Fields holding base64 blobs (`kmskit::kms::shapes::BLOB_FIELDS`).
    #[napi]
    pub fn blob_fields() -> Vec<String> {
        strings(kms::shapes::BLOB_FIELDS)
    }

    /// Fields holding epoch-second timestamps (`TIMESTAMP_FIELDS`).
    #[napi]
    pub fn timestamp_fields() -> Vec<String> {
        strings(kms::shapes::TIMESTAMP_FIELDS)
    }

    /// Fields holding caller-keyed maps, not converted inside (`MAP_FIELDS`).
    #[napi]
    pub fn map_fields() -> Vec<String> {
        strings(kms::shapes::MAP_FIELDS)
    }
}
