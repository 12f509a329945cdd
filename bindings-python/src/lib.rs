//! Python bindings of kmskit: type conversion and error mapping only.
//!
//! The native module is `kmskit._kmskit`; `python/kmskit/__init__.py` re-exports it with the
//! exception classes of `kmskit._errors`, one per KMS exception name.

mod envelope;

use kmskit::kms::{self, Kms, KmsConfig, snapshot};
use kmskit::offline;
use kmskit::sm2::CiphertextOrder;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyModule};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Converts a kmskit error into the `kmskit` exception class named by its code.
fn map_error(py: Python<'_>, e: &kmskit::Error) -> PyErr {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let class = ERRORS
        .get_or_try_init(py, || py.import("kmskit._errors").map(Bound::unbind))
        .and_then(|m| m.bind(py).getattr(e.code().as_str()));
    match class.and_then(|c| c.call1((e.message(),))) {
        Ok(instance) => PyErr::from_value(instance),
        Err(import_failure) => PyRuntimeError::new_err(format!("{e} ({import_failure})")),
    }
}

/// Runs `f`, turning a kmskit error into its exception and a panic into
/// `KMSInternalException`, so no panic unwinds into the interpreter.
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> kmskit::Result<T>) -> PyResult<T> {
    finish(py, catch_unwind(AssertUnwindSafe(f)))
}

/// [`guard`] with the interpreter released while `f` runs (other Python threads go on).
fn guard_detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> kmskit::Result<T> + Send,
) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    finish(py, outcome)
}

/// The exception (or value) of what [`guard`] caught.
fn finish<T>(py: Python<'_>, outcome: std::thread::Result<kmskit::Result<T>>) -> PyResult<T> {
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(map_error(py, &e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(map_error(
                py,
                &kmskit::Error::internal(format!("internal error: {what}")),
            ))
        }
    }
}

fn text_or_bytes(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.extract::<String>() {
            Ok(s) => Ok(Some(s.into_bytes())),
            Err(_) => v.extract::<Vec<u8>>().map(Some),
        },
    }
}

/// Verifies a signature exactly as AWS KMS Verify would. See `kmskit.verify`.
#[pyfunction]
#[pyo3(signature = (public_key, message, signature, signing_algorithm, message_type = "RAW", distinguishing_id = None))]
fn verify(
    py: Python<'_>,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
    signing_algorithm: &str,
    message_type: &str,
    distinguishing_id: Option<&Bound<'_, PyAny>>,
) -> PyResult<bool> {
    let id = text_or_bytes(distinguishing_id)?;
    guard(py, || {
        kmskit::verify(
            public_key,
            message,
            signature,
            kmskit::SigningAlgorithm::parse(signing_algorithm)?,
            kmskit::MessageType::parse(message_type)?,
            id.as_deref(),
        )
    })
}

/// Encrypts to a KMS public key so that KMS Decrypt accepts the result.
#[pyfunction]
fn encrypt<'py>(
    py: Python<'py>,
    public_key: &[u8],
    plaintext: &[u8],
    encryption_algorithm: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let ct = guard(py, || {
        offline::encrypt(
            public_key,
            plaintext,
            kmskit::EncryptionAlgorithm::parse(encryption_algorithm)?,
        )
    })?;
    Ok(PyBytes::new(py, &ct))
}

/// The shared secret KMS DeriveSharedSecret returns for the matching key.
#[pyfunction]
#[pyo3(signature = (private_key, public_key, key_agreement_algorithm = "ECDH"))]
fn derive_shared_secret<'py>(
    py: Python<'py>,
    private_key: &[u8],
    public_key: &[u8],
    key_agreement_algorithm: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let secret = guard(py, || {
        offline::derive_shared_secret(
            private_key,
            public_key,
            kmskit::KeyAgreementAlgorithm::parse(key_agreement_algorithm)?,
        )
    })?;
    Ok(PyBytes::new(py, secret.expose()))
}

/// ML-KEM encapsulation to a KMS public key: (shared_secret, ciphertext).
#[pyfunction]
fn encapsulate<'py>(
    py: Python<'py>,
    public_key: &[u8],
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (secret, ct) = guard(py, || offline::encapsulate(public_key))?;
    Ok((PyBytes::new(py, secret.expose()), PyBytes::new(py, &ct)))
}

/// What `describe_public_key` returns.
#[pyclass(frozen, get_all, module = "kmskit._kmskit")]
struct PublicKeyDescription {
    key_spec: String,
    key_usages: Vec<String>,
    encryption_algorithms: Vec<String>,
    signing_algorithms: Vec<String>,
    key_agreement_algorithms: Vec<String>,
    key_encapsulation_algorithms: Vec<String>,
    pem: String,
    jwk: Option<Py<PyAny>>,
    sec1_uncompressed: Option<Py<PyBytes>>,
}

#[pymethods]
impl PublicKeyDescription {
    fn __repr__(&self) -> String {
        format!("PublicKeyDescription(key_spec={:?}, ...)", self.key_spec)
    }
}

/// Describes a public key: spec, usable algorithms, PEM, JWK and SEC1 point.
#[pyfunction]
fn describe_public_key(py: Python<'_>, public_key: &[u8]) -> PyResult<PublicKeyDescription> {
    let d = guard(py, || offline::describe_public_key(public_key))?;
    let jwk = match &d.jwk {
        Some(text) => Some(py.import("json")?.call_method1("loads", (text,))?.unbind()),
        None => None,
    };
    Ok(PublicKeyDescription {
        key_spec: d.key_spec.as_str().to_string(),
        key_usages: d.key_usages,
        encryption_algorithms: d.encryption_algorithms,
        signing_algorithms: d.signing_algorithms,
        key_agreement_algorithms: d.key_agreement_algorithms,
        key_encapsulation_algorithms: d.key_encapsulation_algorithms,
        pem: d.pem,
        jwk,
        sec1_uncompressed: d.sec1_uncompressed.map(|b| PyBytes::new(py, &b).unbind()),
    })
}

/// DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto).
#[pyfunction]
fn der_to_p1363<'py>(
    py: Python<'py>,
    signature: &[u8],
    key_spec: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = guard(py, || {
        offline::der_to_p1363(signature, kmskit::KeySpec::parse(key_spec)?)
    })?;
    Ok(PyBytes::new(py, &out))
}

/// Fixed-width r||s -> DER.
#[pyfunction]
fn p1363_to_der<'py>(
    py: Python<'py>,
    signature: &[u8],
    key_spec: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = guard(py, || {
        offline::p1363_to_der(signature, kmskit::KeySpec::parse(key_spec)?)
    })?;
    Ok(PyBytes::new(py, &out))
}

/// DER ECDSA signature normalized to low-S.
#[pyfunction]
fn normalize_low_s<'py>(
    py: Python<'py>,
    signature: &[u8],
    key_spec: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = guard(py, || {
        offline::normalize_low_s(signature, kmskit::KeySpec::parse(key_spec)?)
    })?;
    Ok(PyBytes::new(py, &out))
}

/// The recovery ID (0 or 1) of a secp256k1 signature as given.
#[pyfunction]
fn secp256k1_recovery_id(
    py: Python<'_>,
    public_key: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> PyResult<u8> {
    guard(py, || {
        offline::secp256k1_recovery_id(public_key, digest, signature)
    })
}

/// e = SM3(Z || M) for `distinguishing_id` (default 1234567812345678).
#[pyfunction]
#[pyo3(signature = (public_key, message, distinguishing_id = None))]
fn sm2_digest<'py>(
    py: Python<'py>,
    public_key: &[u8],
    message: &[u8],
    distinguishing_id: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let id = text_or_bytes(distinguishing_id)?;
    let e = guard(py, || {
        offline::sm2_digest(public_key, message, id.as_deref())
    })?;
    Ok(PyBytes::new(py, &e))
}

/// Raw SM2 ciphertext (C1C3C2 or C1C2C3) -> DER, as KMS Decrypt takes it.
#[pyfunction]
#[pyo3(signature = (raw, order = "C1C3C2"))]
fn sm2_ciphertext_to_der<'py>(
    py: Python<'py>,
    raw: &[u8],
    order: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = guard(py, || {
        offline::sm2_ciphertext_to_der(raw, CiphertextOrder::parse(order)?)
    })?;
    Ok(PyBytes::new(py, &out))
}

/// DER SM2 ciphertext -> raw 04||x||y followed by C3/C2 in `order`.
#[pyfunction]
#[pyo3(signature = (der, order = "C1C3C2"))]
fn sm2_ciphertext_from_der<'py>(
    py: Python<'py>,
    der: &[u8],
    order: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = guard(py, || {
        offline::sm2_ciphertext_from_der(der, CiphertextOrder::parse(order)?)
    })?;
    Ok(PyBytes::new(py, &out))
}

/// The 64-byte ML-DSA mu for MessageType EXTERNAL_MU.
#[pyfunction]
fn ml_dsa_mu<'py>(
    py: Python<'py>,
    public_key: &[u8],
    message: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let mu = guard(py, || offline::ml_dsa_mu(public_key, message))?;
    Ok(PyBytes::new(py, &mu))
}

/// The names of the public functions every binding exposes (core's list).
#[pyfunction]
fn capabilities() -> Vec<&'static str> {
    kmskit::api::FUNCTIONS.to_vec()
}

/// Every error code (KMS exception name) kmskit raises.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    kmskit::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Decides a request against a key policy, IAM policies and grants (all JSON text); returns
/// the evaluation as JSON text. `kmskit.evaluate` wraps it in a `Decision`.
#[pyfunction]
#[pyo3(signature = (request, key_policy = None, iam_policies = "{}", grants = "[]"))]
fn evaluate(
    py: Python<'_>,
    request: &str,
    key_policy: Option<&str>,
    iam_policies: &str,
    grants: &str,
) -> PyResult<String> {
    guard(py, || {
        kmskit::policy::evaluate_json(request, key_policy, iam_policies, grants)
            .map(|e| e.to_json().to_string())
    })
}

/// A key policy, IAM policies and grants parsed once (`kmskit.PolicySet` wraps it).
#[pyclass(frozen, module = "kmskit._kmskit")]
struct PolicySetNative(kmskit::policy::PolicySet);

#[pymethods]
impl PolicySetNative {
    #[new]
    #[pyo3(signature = (key_policy = None, iam_policies = "{}", grants = "[]"))]
    fn new(
        py: Python<'_>,
        key_policy: Option<&str>,
        iam_policies: &str,
        grants: &str,
    ) -> PyResult<Self> {
        guard(py, || {
            kmskit::policy::PolicySet::from_json(key_policy, iam_policies, grants)
                .map(PolicySetNative)
        })
    }

    /// The evaluation of one request (JSON text in, JSON text out).
    fn evaluate(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        guard(py, || {
            self.0
                .evaluate_json(request)
                .map(|e| e.to_json().to_string())
        })
    }

    /// The decisions for a JSON list of requests.
    fn decide_many(&self, py: Python<'_>, requests: &str) -> PyResult<Vec<&'static str>> {
        guard(py, || self.0.decide_json_batch(requests))
    }
}

/// The local KMS (`kmskit::kms::Kms`) behind a mutex: one account, its keys in every Region.
///
/// The Python class `kmskit.Kms` wraps it with boto3-style methods; this class only moves
/// JSON text across (`call`) and the clock. Calls release the interpreter while they run.
#[pyclass(frozen, module = "kmskit._kmskit")]
struct KmsNative {
    /// Shared with the local-KMS keyrings made from it (`envelope.KmsKeyring`).
    inner: Arc<Mutex<Kms>>,
}

impl KmsNative {
    /// The KMS; a panic in an earlier call (already reported as `KMSInternalException`)
    /// does not make it unusable.
    fn lock(&self) -> MutexGuard<'_, Kms> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn of(kms: Kms) -> Self {
        Self {
            inner: Arc::new(Mutex::new(kms)),
        }
    }
}

/// `inspect_sealed`'s answer: kdf, Argon2 (m_cost_kib, t_cost, p_cost), plaintext length.
type SealedHeader = (&'static str, Option<(u32, u32, u32)>, usize);

/// A configuration: core's defaults where a value is not given.
fn kms_config(
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
        seed,
        start_time_ms,
    }
}

#[pymethods]
impl KmsNative {
    #[new]
    #[pyo3(signature = (account_id = None, region = None, partition = None, seed = None, start_time_ms = None))]
    fn new(
        py: Python<'_>,
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> PyResult<Self> {
        let config = kms_config(account_id, region, partition, seed, start_time_ms);
        Ok(Self::of(guard(py, || Kms::new(config))?))
    }

    /// A KMS restored from a snapshot (`Kms::from_snapshot`).
    #[staticmethod]
    #[pyo3(signature = (snapshot, seed = None, start_time_ms = None))]
    fn from_snapshot(
        py: Python<'_>,
        snapshot: Vec<u8>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> PyResult<Self> {
        let config = kms_config(None, None, None, seed, start_time_ms);
        Ok(Self::of(guard_detached(py, || {
            Kms::from_snapshot(config, &snapshot)
        })?))
    }

    /// A KMS made from a seed file (`Kms::from_seed`).
    #[staticmethod]
    #[pyo3(signature = (seed_file, account_id = None, region = None, partition = None, seed = None, start_time_ms = None))]
    fn from_seed(
        py: Python<'_>,
        seed_file: Vec<u8>,
        account_id: Option<String>,
        region: Option<String>,
        partition: Option<String>,
        seed: Option<Vec<u8>>,
        start_time_ms: Option<i64>,
    ) -> PyResult<Self> {
        let config = kms_config(account_id, region, partition, seed, start_time_ms);
        Ok(Self::of(guard_detached(py, || {
            Kms::from_seed(config, &seed_file)
        })?))
    }

    /// The snapshot (`Kms::export_snapshot`): canonical JSON bytes with plaintext key material.
    fn export_snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let snapshot = guard_detached(py, || self.lock().export_snapshot())?;
        Ok(PyBytes::new(py, snapshot.expose()))
    }

    /// The key blob of `key_id` in `region` (`Kms::export_key_blob`).
    fn export_key_blob<'py>(
        &self,
        py: Python<'py>,
        region: &str,
        key_id: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let blob = guard_detached(py, || self.lock().export_key_blob(region, key_id))?;
        Ok(PyBytes::new(py, blob.expose()))
    }

    /// Adds the key of a key blob (`Kms::import_key_blob`); its KeyMetadata as JSON text.
    fn import_key_blob(&self, py: Python<'_>, key_blob: Vec<u8>) -> PyResult<String> {
        guard_detached(py, || {
            let meta = self.lock().import_key_blob(&key_blob)?;
            serde_json::to_string(&meta)
                .map_err(|e| kmskit::Error::internal(format!("KeyMetadata encoding: {e}")))
        })
    }

    /// Seals bytes into the encrypted container (`kms::snapshot::seal`).
    #[staticmethod]
    #[pyo3(signature = (plaintext, key = None, passphrase = None, m_cost_kib = None, t_cost = None, p_cost = None, salt = None, nonce = None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "a flat native signature; _kms.py has keywords"
    )]
    fn seal<'py>(
        py: Python<'py>,
        plaintext: Vec<u8>,
        key: Option<Vec<u8>>,
        passphrase: Option<Vec<u8>>,
        m_cost_kib: Option<u32>,
        t_cost: Option<u32>,
        p_cost: Option<u32>,
        salt: Option<Vec<u8>>,
        nonce: Option<Vec<u8>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let sealed = guard_detached(py, || {
            let options = snapshot::SealOptions {
                key: key.as_deref(),
                passphrase: passphrase.as_deref(),
                argon2: snapshot::Argon2Params::from_parts(m_cost_kib, t_cost, p_cost),
                salt: salt.as_deref(),
                nonce: nonce.as_deref(),
            };
            snapshot::seal(&plaintext, &options)
        })?;
        Ok(PyBytes::new(py, &sealed))
    }

    /// Opens a container with its key or passphrase (`kms::snapshot::unseal`).
    #[staticmethod]
    #[pyo3(signature = (container, key = None, passphrase = None))]
    fn unseal<'py>(
        py: Python<'py>,
        container: Vec<u8>,
        key: Option<Vec<u8>>,
        passphrase: Option<Vec<u8>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let plain = guard_detached(py, || {
            snapshot::unseal(&container, key.as_deref(), passphrase.as_deref())
        })?;
        Ok(PyBytes::new(py, plain.expose()))
    }

    /// A container's header (`kms::snapshot::inspect`): (kdf, (m_cost_kib, t_cost, p_cost) or
    /// None, plaintext length).
    #[staticmethod]
    fn inspect_sealed(py: Python<'_>, container: Vec<u8>) -> PyResult<SealedHeader> {
        let info = guard(py, || snapshot::inspect(&container))?;
        Ok(match info.kdf {
            snapshot::Kdf::Key => ("key", None, info.plaintext_len),
            snapshot::Kdf::Argon2id(p) => (
                "argon2id",
                Some((p.m_cost_kib, p.t_cost, p.p_cost)),
                info.plaintext_len,
            ),
        })
    }

    /// Runs `operation` in `region` (the default Region when `None`) with a KMS JSON request
    /// body, as the caller `{"Principal", "Context"}` (JSON; the account root when `None`);
    /// returns the JSON response body.
    #[pyo3(signature = (region, operation, request_json, caller_json = None))]
    fn call(
        &self,
        py: Python<'_>,
        region: Option<&str>,
        operation: &str,
        request_json: &str,
        caller_json: Option<&str>,
    ) -> PyResult<String> {
        guard_detached(py, || {
            let mut kms = self.lock();
            let region = region.map_or_else(|| kms.region().to_string(), str::to_string);
            match caller_json {
                Some(c) => {
                    let caller = kms::CallerContext::from_json(c)?;
                    kms.call_as(&caller, &region, operation, request_json)
                }
                None => kms.call_in(&region, operation, request_json),
            }
        })
    }

    /// Attaches (or replaces) an IAM identity policy of a user or role (`Kms::put_principal_policy`).
    fn put_principal_policy(
        &self,
        py: Python<'_>,
        principal: &str,
        name: &str,
        document: &str,
    ) -> PyResult<()> {
        guard_detached(py, || {
            self.lock().put_principal_policy(principal, name, document)
        })
    }

    /// Detaches an IAM identity policy; whether it was attached.
    fn delete_principal_policy(
        &self,
        py: Python<'_>,
        principal: &str,
        name: &str,
    ) -> PyResult<bool> {
        guard_detached(py, || self.lock().delete_principal_policy(principal, name))
    }

    /// A principal's IAM identity policies: (name, document) in attachment order.
    fn principal_policies(
        &self,
        py: Python<'_>,
        principal: &str,
    ) -> PyResult<Vec<(String, String)>> {
        guard_detached(py, || self.lock().principal_policies(principal))
    }

    /// Sets a principal's tags (`aws:PrincipalTag/<key>`).
    fn set_principal_tags(
        &self,
        py: Python<'_>,
        principal: &str,
        tags: std::collections::BTreeMap<String, String>,
    ) -> PyResult<()> {
        guard_detached(py, || self.lock().set_principal_tags(principal, tags))
    }

    /// The evaluation behind the last AccessDeniedException, as JSON (`Evaluation::to_json`).
    fn last_denial(&self, py: Python<'_>) -> Option<String> {
        py.detach(|| self.lock().last_denial().map(|e| e.to_json().to_string()))
    }

    /// The account ID.
    #[getter]
    fn account_id(&self, py: Python<'_>) -> String {
        py.detach(|| self.lock().account_id().to_string())
    }

    /// The default Region.
    #[getter]
    fn region(&self, py: Python<'_>) -> String {
        py.detach(|| self.lock().region().to_string())
    }

    /// The partition.
    #[getter]
    fn partition(&self, py: Python<'_>) -> String {
        py.detach(|| self.lock().partition().to_string())
    }

    /// Whether every random byte comes from the seed.
    #[getter]
    fn deterministic(&self, py: Python<'_>) -> bool {
        py.detach(|| self.lock().is_deterministic())
    }

    /// The KMS clock, in milliseconds since the Unix epoch.
    fn now_ms(&self, py: Python<'_>) -> i64 {
        py.detach(|| self.lock().now_ms())
    }

    /// Sets the clock (it stays there until set or advanced again).
    fn set_time_ms(&self, py: Python<'_>, ms: i64) {
        py.detach(|| self.lock().set_time_ms(ms));
    }

    /// Moves the clock by `ms` (then fixed).
    fn advance_ms(&self, py: Python<'_>, ms: i64) {
        py.detach(|| self.lock().advance_ms(ms));
    }

    /// Each implemented operation with its client method name: `("GenerateDataKey",
    /// "generate_data_key")`, ... (core's `kms::operations()` and `kms::snake_case`).
    #[staticmethod]
    fn operations() -> Vec<(&'static str, String)> {
        kms::operations()
            .iter()
            .map(|&op| (op, kms::snake_case(op)))
            .collect()
    }

    /// The JSON fields (at any depth) whose values are base64 blobs.
    #[classattr]
    #[pyo3(name = "BLOB_FIELDS")]
    fn blob_fields() -> Vec<&'static str> {
        kms::shapes::BLOB_FIELDS.to_vec()
    }

    /// The JSON fields whose values are caller-keyed maps (encryption contexts): converters
    /// must not look inside them.
    #[classattr]
    #[pyo3(name = "MAP_FIELDS")]
    fn map_fields() -> Vec<&'static str> {
        kms::shapes::MAP_FIELDS.to_vec()
    }

    /// The JSON fields (at any depth) whose values are timestamps in epoch seconds.
    #[classattr]
    #[pyo3(name = "TIMESTAMP_FIELDS")]
    fn timestamp_fields() -> Vec<&'static str> {
        kms::shapes::TIMESTAMP_FIELDS.to_vec()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        py.detach(|| {
            let kms = self.lock();
            format!(
                "KmsNative(account_id={:?}, region={:?}, partition={:?})",
                kms.account_id(),
                kms.region(),
                kms.partition()
            )
        })
    }
}

/// Test hook: panics inside the guard, to prove a panic becomes `KMSInternalException`.
#[pyfunction]
fn _panic_probe(py: Python<'_>) -> PyResult<()> {
    guard(py, || -> kmskit::Result<()> {
        #[expect(clippy::panic, reason = "the point of the probe")]
        {
            panic!("panic probe")
        }
    })
}

#[pymodule]
fn _kmskit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PublicKeyDescription>()?;
    m.add_class::<KmsNative>()?;
    m.add_class::<envelope::KeyringNative>()?;
    m.add_class::<envelope::EncryptorNative>()?;
    m.add_class::<envelope::DecryptorNative>()?;
    m.add_function(wrap_pyfunction!(envelope::envelope_encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(envelope::envelope_decrypt, m)?)?;
    m.add_class::<PolicySetNative>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(derive_shared_secret, m)?)?;
    m.add_function(wrap_pyfunction!(encapsulate, m)?)?;
    m.add_function(wrap_pyfunction!(describe_public_key, m)?)?;
    m.add_function(wrap_pyfunction!(der_to_p1363, m)?)?;
    m.add_function(wrap_pyfunction!(p1363_to_der, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_low_s, m)?)?;
    m.add_function(wrap_pyfunction!(secp256k1_recovery_id, m)?)?;
    m.add_function(wrap_pyfunction!(sm2_digest, m)?)?;
    m.add_function(wrap_pyfunction!(sm2_ciphertext_to_der, m)?)?;
    m.add_function(wrap_pyfunction!(sm2_ciphertext_from_der, m)?)?;
    m.add_function(wrap_pyfunction!(ml_dsa_mu, m)?)?;
    m.add_function(wrap_pyfunction!(capabilities, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_probe, m)?)?;
    Ok(())
}
