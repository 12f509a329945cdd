//! The local KMS as the JS class `Kms`, in the style of the AWS SDK v3's `KMS` client:
//! `await kms.encrypt({ KeyId, Plaintext })`. Conversion only: request objects become KMS JSON
//! protocol bodies (bytes as base64, `Date` as epoch seconds) and responses come back with
//! `Uint8Array` and `Date`, by field name with core's `BLOB_FIELDS`, `TIMESTAMP_FIELDS` and
//! `MAP_FIELDS`. Every decision is core's.
//!
//! The methods return Promises, as the SDK's do, but the work is synchronous: it runs on the
//! calling thread before the Promise is returned (settled), so calls happen in call order.
//!
//! The per-operation methods (`createKey`, ...) are made at start-up from core's operation list
//! (`kmskit::kms::operations()`), so they cannot drift from it: each is a `Proxy` of `_send`
//! whose `apply` trap passes the receiver and the operation name on.

use crate::map_error;
use crate::policy::{Decision, json_text};
use base64ct::{Base64, Encoding};
use js_sys::{Array, Date, Function, JsString, Object, Promise, Proxy, Reflect, Uint8Array};
use kmskit::kms::{self, Kms, KmsConfig, shapes, snapshot};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use wasm_bindgen::prelude::*;

/// The types of the local KMS, shared with the Node package (kms-types.d.ts there).
#[wasm_bindgen(typescript_custom_section)]
const KMS_TYPES: &str = include_str!("../../bindings-node/kms-types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const KMS_MERGE: &str = r#"
/** The operations of `Kms`: one method per KMS operation kmskit implements. */
export interface Kms extends KmsOperations {}
"#;

/// A `ValidationException` error object (for requests that cannot be converted).
fn invalid(message: impl Into<String>) -> JsValue {
    map_error(&kmskit::Error::validation(message))
}

/// What all views (`withRegion`) of one KMS share.
#[derive(Debug)]
struct Shared {
    kms: Kms,
    /// Whether the clock follows `Date.now()` (no `startTime`, no `seed`, and neither
    /// `setTime` nor `advance` called): wasm32 has no system clock for core to read.
    live_clock: bool,
}

impl Shared {
    fn tick_clock(&mut self) {
        if self.live_clock {
            self.kms.set_time_ms(Date::now() as i64);
        }
    }
}

/// The state all views of one KMS share, behind a lock: `Send + Sync`, as core's `KmsHandle`
/// (the envelope `KmsKeyring`) needs. wasm32 runs one thread, so the lock is never contended.
#[derive(Debug)]
pub(crate) struct SharedKms(Mutex<Shared>);

impl SharedKms {
    /// The state (a panic while it was held cannot happen on wasm, which aborts).
    fn borrow(&self) -> MutexGuard<'_, Shared> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn borrow_mut(&self) -> MutexGuard<'_, Shared> {
        self.borrow()
    }
}

impl kmskit::envelope::KmsHandle for SharedKms {
    fn with_kms(&self, f: &mut dyn FnMut(&mut Kms) -> kmskit::Result<()>) -> kmskit::Result<()> {
        let mut shared = self.borrow_mut();
        shared.tick_clock();
        f(&mut shared.kms)
    }
}

/// A local AWS KMS: one account with keys in every Region, in memory. Its methods are the KMS
/// operations in camelCase, as on the AWS SDK v3's `KMS` client; they return Promises (the
/// work itself is synchronous).
#[wasm_bindgen(js_name = Kms)]
#[derive(Debug)]
pub struct LocalKms {
    shared: Arc<SharedKms>,
    /// The Region of calls; `None`: the KMS's default Region.
    region: Option<String>,
    /// Who calls; `None`: the account root.
    caller: Option<kms::CallerContext>,
}

/// A string field of the configuration, if present.
fn config_string(config: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    let v = Reflect::get(config, &name.into())?;
    if v.is_undefined() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid(format!("{name} must be a string, not {}", describe(&v))))
}

/// Milliseconds since the Unix epoch of a Date or a number of milliseconds.
fn millis(name: &str, v: &JsValue) -> Result<i64, JsValue> {
    let ms = match v.dyn_ref::<Date>() {
        Some(d) => d.get_time(),
        None => v.as_f64().ok_or_else(|| {
            invalid(format!(
                "{name} must be a Date or a number of milliseconds, not {}",
                describe(v)
            ))
        })?,
    };
    if !ms.is_finite() {
        return Err(invalid(format!("{name} is not a valid time")));
    }
    Ok(ms.trunc() as i64)
}

pub(crate) fn describe(v: &JsValue) -> String {
    if v.is_null() {
        return "null".into();
    }
    if Array::is_array(v) {
        return "an array".into();
    }
    if v.is_object() {
        let name = Reflect::get(v, &"constructor".into())
            .and_then(|c| Reflect::get(&c, &"name".into()))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "object".into());
        return format!("a {name}");
    }
    format!("a {}", v.js_typeof().as_string().unwrap_or_default())
}

/// Runs `f`, settling a Promise with its outcome.
fn promise(f: impl FnOnce() -> Result<JsValue, JsValue>) -> Promise {
    match f() {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e),
    }
}

// ------------------------------------------------------------------------------ conversion

fn listed(list: &[&str], key: &str) -> bool {
    list.contains(&key)
}

/// A request value to its JSON protocol form. `key` is its field name; `in_map`: inside an
/// encryption context, whose keys are the caller's and whose values are text.
fn to_wire(value: &JsValue, key: &str, in_map: bool) -> Result<JsValue, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(value.clone());
    }
    if !in_map && listed(shapes::BLOB_FIELDS, key) {
        return match value.dyn_ref::<Uint8Array>() {
            Some(bytes) => Ok(Base64::encode_string(&bytes.to_vec()).into()),
            None => Err(invalid(format!(
                "{key} must be a Uint8Array, not {}; text is not encoded implicitly: pass \
                 new TextEncoder().encode(text)",
                describe(value)
            ))),
        };
    }
    if !in_map && listed(shapes::TIMESTAMP_FIELDS, key) {
        return match value.dyn_ref::<Date>() {
            Some(d) if d.get_time().is_nan() => Err(invalid(format!("{key} is an invalid Date"))),
            Some(d) => Ok(JsValue::from_f64(d.get_time() / 1000.0)),
            None => Ok(value.clone()),
        };
    }
    if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<Date>() {
        return Err(invalid(format!(
            "{key}: {} where KMS takes none",
            describe(value)
        )));
    }
    if Array::is_array(value) {
        let out = Array::new();
        for v in Array::from(value).iter() {
            out.push(&to_wire(&v, key, in_map)?);
        }
        return Ok(out.into());
    }
    if value.is_object() {
        let out = Object::new();
        for entry in Object::entries(value.unchecked_ref::<Object>()).iter() {
            let entry = Array::from(&entry);
            let (k, v) = (entry.get(0), entry.get(1));
            if v.is_undefined() {
                continue;
            }
            let name = k.as_string().unwrap_or_default();
            let inner = in_map || listed(shapes::MAP_FIELDS, &name);
            Reflect::set(&out, &k, &to_wire(&v, &name, inner)?)?;
        }
        return Ok(out.into());
    }
    Ok(value.clone())
}

/// A parsed JSON response value to JavaScript, in place: blobs to `Uint8Array`, timestamps
/// to `Date`.
fn from_wire(value: JsValue, key: &str, in_map: bool) -> Result<JsValue, JsValue> {
    if !in_map
        && listed(shapes::BLOB_FIELDS, key)
        && let Some(text) = value.as_string()
    {
        let bytes = Base64::decode_vec(&text)
            .map_err(|_| invalid(format!("{key} in the response is not base64")))?;
        return Ok(Uint8Array::from(bytes.as_slice()).into());
    }
    if !in_map
        && listed(shapes::TIMESTAMP_FIELDS, key)
        && let Some(secs) = value.as_f64()
    {
        return Ok(Date::new(&JsValue::from_f64((secs * 1000.0).round())).into());
    }
    if Array::is_array(&value) {
        let array = Array::from(&value);
        for (i, v) in array.iter().enumerate() {
            array.set(i as u32, from_wire(v, key, in_map)?);
        }
    } else if value.is_object() {
        for k in Object::keys(value.unchecked_ref::<Object>()).iter() {
            let name = k.as_string().unwrap_or_default();
            let inner = in_map || listed(shapes::MAP_FIELDS, &name);
            let v = Reflect::get(&value, &k)?;
            Reflect::set(&value, &k, &from_wire(v, &name, inner)?)?;
        }
    }
    Ok(value)
}

// ------------------------------------------------------------------------------ the class

const ALL_FIELDS: &[&str] = &["accountId", "region", "partition", "seed", "startTime"];

/// The `KmsConfig` of a configuration object (only `allowed` fields), and whether the clock
/// follows `Date.now()`: wasm32 has no system clock for core, so without a start time and
/// outside deterministic mode the binding supplies it (as core's system clock on native).
fn parse_config(config: Option<JsValue>, allowed: &[&str]) -> Result<(KmsConfig, bool), JsValue> {
    let config = match config {
        Some(c) if !c.is_undefined() => c,
        _ => Object::new().into(),
    };
    if !config.is_object() {
        return Err(invalid(format!(
            "the Kms configuration must be an object, not {}",
            describe(&config)
        )));
    }
    for k in Object::keys(config.unchecked_ref::<Object>()).iter() {
        let name = k.as_string().unwrap_or_default();
        if !allowed.contains(&name.as_str()) && !Reflect::get(&config, &k)?.is_undefined() {
            return Err(invalid(format!(
                "{name} is not a configuration field here ({})",
                allowed.join(", ")
            )));
        }
    }
    let defaults = KmsConfig::default();
    let seed = Reflect::get(&config, &"seed".into())?;
    let seed = if seed.is_undefined() {
        None
    } else {
        let bytes = seed.dyn_ref::<Uint8Array>().ok_or_else(|| {
            invalid(format!(
                "seed must be a Uint8Array, not {}",
                describe(&seed)
            ))
        })?;
        Some(bytes.to_vec())
    };
    let start = Reflect::get(&config, &"startTime".into())?;
    let start_time_ms = if start.is_undefined() {
        None
    } else {
        Some(millis("startTime", &start)?)
    };
    let live_clock = start_time_ms.is_none() && seed.is_none();
    let start_time_ms = start_time_ms.or(live_clock.then(|| Date::now() as i64));
    let config = KmsConfig {
        account_id: config_string(&config, "accountId")?.unwrap_or(defaults.account_id),
        region: config_string(&config, "region")?.unwrap_or(defaults.region),
        partition: config_string(&config, "partition")?.unwrap_or(defaults.partition),
        seed,
        start_time_ms,
    };
    Ok((config, live_clock))
}

/// Bytes of an argument: a Uint8Array, or (`text`) a string as its UTF-8 bytes.
fn bytes_of(name: &str, v: &JsValue, text: bool) -> Result<Vec<u8>, JsValue> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    match v.as_string() {
        Some(s) if text => Ok(s.into_bytes()),
        _ => Err(invalid(format!(
            "{name} must be a Uint8Array{}, not {}",
            if text { " or a string" } else { "" },
            describe(v)
        ))),
    }
}

/// The options of `Kms.seal` / `Kms.unseal`, as bytes (core's `snapshot::SealOptions` borrows them).
struct SealOptions {
    key: Option<Vec<u8>>,
    passphrase: Option<Vec<u8>>,
    argon2: Option<snapshot::Argon2Params>,
    salt: Option<Vec<u8>>,
    nonce: Option<Vec<u8>>,
}

impl SealOptions {
    fn parse(options: &JsValue, allowed: &[&str]) -> Result<SealOptions, JsValue> {
        if !options.is_object() {
            return Err(invalid(format!(
                "the options must be an object with a key or a passphrase, not {}",
                describe(options)
            )));
        }
        for k in Object::keys(options.unchecked_ref::<Object>()).iter() {
            let name = k.as_string().unwrap_or_default();
            if !allowed.contains(&name.as_str()) && !Reflect::get(options, &k)?.is_undefined() {
                return Err(invalid(format!(
                    "{name} is not an option here ({})",
                    allowed.join(", ")
                )));
            }
        }
        let field = |name: &str, text: bool| -> Result<Option<Vec<u8>>, JsValue> {
            let v = Reflect::get(options, &name.into())?;
            if v.is_undefined() {
                Ok(None)
            } else {
                bytes_of(name, &v, text).map(Some)
            }
        };
        let a = Reflect::get(options, &"argon2".into())?;
        let argon2 = if a.is_undefined() {
            None
        } else {
            if !a.is_object() {
                return Err(invalid(format!(
                    "argon2 must be {{ mCostKib, tCost, pCost }}, not {}",
                    describe(&a)
                )));
            }
            let mut parts = [None; 3];
            for (name, slot) in ["mCostKib", "tCost", "pCost"].into_iter().zip(&mut parts) {
                let v = Reflect::get(&a, &name.into())?;
                if v.is_undefined() {
                    continue;
                }
                match v.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                        *slot = Some(n as u32);
                    }
                    _ => {
                        return Err(invalid(format!(
                            "argon2.{name} must be a whole number, not {}",
                            describe(&v)
                        )));
                    }
                }
            }
            let [m, t, p] = parts;
            snapshot::Argon2Params::from_parts(m, t, p)
        };
        Ok(SealOptions {
            key: field("key", false)?,
            passphrase: field("passphrase", true)?,
            argon2,
            salt: field("salt", false)?,
            nonce: field("nonce", false)?,
        })
    }

    fn seal(&self, plaintext: &[u8]) -> kmskit::Result<Vec<u8>> {
        snapshot::seal(
            plaintext,
            &snapshot::SealOptions {
                key: self.key.as_deref(),
                passphrase: self.passphrase.as_deref(),
                argon2: self.argon2,
                salt: self.salt.as_deref(),
                nonce: self.nonce.as_deref(),
            },
        )
    }
}

impl LocalKms {
    /// The shared state, for the envelope `KmsKeyring`.
    pub(crate) fn handle(&self) -> Arc<SharedKms> {
        Arc::clone(&self.shared)
    }

    fn of(kms: kmskit::Result<Kms>, live_clock: bool) -> Result<LocalKms, JsValue> {
        let kms = kms.map_err(|e| map_error(&e))?;
        Ok(LocalKms {
            shared: Arc::new(SharedKms(Mutex::new(Shared { kms, live_clock }))),
            region: None,
            caller: None,
        })
    }

    /// Calls `operation` with a JSON body in this view's Region.
    fn call_json(&self, operation: &str, request: &str) -> Result<String, JsValue> {
        let mut shared = self.shared.borrow_mut();
        shared.tick_clock();
        let region = self
            .region
            .clone()
            .unwrap_or_else(|| shared.kms.region().to_string());
        let out = match &self.caller {
            Some(caller) => shared.kms.call_as(caller, &region, operation, request),
            None => shared.kms.call_in(&region, operation, request),
        };
        out.map_err(|e| {
            let error = map_error(&e);
            // An AccessDeniedException carries why (as in the Node package).
            if e.code() == kmskit::ErrorCode::AccessDeniedException
                && let Some(why) = shared.kms.last_denial()
            {
                let decision: JsValue = Decision::of(why.clone()).into();
                let _ = Reflect::set(&error, &"decision".into(), &decision);
            }
            error
        })
    }

    /// A principal ARN argument.
    fn principal_arg(name: &str, v: &JsValue) -> Result<String, JsValue> {
        v.as_string()
            .ok_or_else(|| invalid(format!("{name} must be an ARN string, not {}", describe(v))))
    }
}

#[wasm_bindgen(js_class = Kms)]
impl LocalKms {
    /// A local KMS. `config`: `{ accountId, region, partition, seed, startTime }`, all optional.
    /// Throws `ValidationException` for a malformed account ID, Region or partition.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "KmsConfig")] config: Option<JsValue>,
    ) -> Result<LocalKms, JsValue> {
        let (config, live_clock) = parse_config(config, ALL_FIELDS)?;
        LocalKms::of(Kms::new(config), live_clock)
    }

    /// A KMS restored from a snapshot (bytes, or its text). The snapshot names the account,
    /// partition and default Region; `config` gives the clock and the seed.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] snapshot: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "KmsRestoreConfig")] config: Option<JsValue>,
    ) -> Result<LocalKms, JsValue> {
        let snapshot = bytes_of("snapshot", &snapshot, true)?;
        let (config, live_clock) = parse_config(config, &["seed", "startTime"])?;
        LocalKms::of(Kms::from_snapshot(config, &snapshot), live_clock)
    }

    /// A KMS made from a seed file (docs/formats.md, "Seed file"; bytes or text).
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(
        #[wasm_bindgen(js_name = seedFile, unchecked_param_type = "Uint8Array | string")]
        seed_file: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "KmsConfig")] config: Option<JsValue>,
    ) -> Result<LocalKms, JsValue> {
        let seed_file = bytes_of("seedFile", &seed_file, true)?;
        let (config, live_clock) = parse_config(config, ALL_FIELDS)?;
        LocalKms::of(Kms::from_seed(config, &seed_file), live_clock)
    }

    /// Encrypts bytes (a snapshot, a key blob, anything) into kmskit's container: under a
    /// 32-byte `key`, or under a `passphrase` with Argon2id (`argon2: { mCostKib, tCost,
    /// pCost }`). `nonce` (and `salt`) make it reproducible: for test vectors only.
    #[wasm_bindgen(unchecked_return_type = "Promise<Uint8Array>")]
    pub fn seal(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] plaintext: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SealOptions")] options: JsValue,
    ) -> Promise {
        promise(|| {
            let plaintext = bytes_of("plaintext", &plaintext, false)?;
            let o =
                SealOptions::parse(&options, &["key", "passphrase", "argon2", "salt", "nonce"])?;
            o.seal(&plaintext)
                .map(|b| Uint8Array::from(b.as_slice()).into())
                .map_err(|e| map_error(&e))
        })
    }

    /// The plaintext of a container, with its `key` or `passphrase`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Uint8Array>")]
    pub fn unseal(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] container: JsValue,
        #[wasm_bindgen(unchecked_param_type = "UnsealOptions")] options: JsValue,
    ) -> Promise {
        promise(|| {
            let container = bytes_of("container", &container, false)?;
            let o = SealOptions::parse(&options, &["key", "passphrase"])?;
            let plain = snapshot::unseal(&container, o.key.as_deref(), o.passphrase.as_deref())
                .map_err(|e| map_error(&e))?;
            Ok(Uint8Array::from(plain.expose()).into())
        })
    }

    /// What a container's header says: `{ kdf: 'key' | 'argon2id', argon2?, plaintextLength }`.
    #[wasm_bindgen(js_name = inspectSealed, unchecked_return_type = "SealedInfo")]
    pub fn inspect_sealed(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] container: JsValue,
    ) -> Result<JsValue, JsValue> {
        let container = bytes_of("container", &container, false)?;
        let info = snapshot::inspect(&container).map_err(|e| map_error(&e))?;
        let out = Object::new();
        let set = |o: &Object, k: &str, v: JsValue| Reflect::set(o, &k.into(), &v);
        match info.kdf {
            snapshot::Kdf::Key => {
                set(&out, "kdf", "key".into())?;
            }
            snapshot::Kdf::Argon2id(p) => {
                set(&out, "kdf", "argon2id".into())?;
                let a = Object::new();
                set(&a, "mCostKib", p.m_cost_kib.into())?;
                set(&a, "tCost", p.t_cost.into())?;
                set(&a, "pCost", p.p_cost.into())?;
                set(&out, "argon2", a.into())?;
            }
        }
        set(&out, "plaintextLength", (info.plaintext_len as f64).into())?;
        Ok(out.into())
    }

    /// The snapshot of the whole KMS (every Region): canonical JSON bytes holding key material
    /// in plaintext (`Kms.seal` encrypts it).
    #[wasm_bindgen(js_name = exportSnapshot, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn export_snapshot(&self) -> Promise {
        promise(|| {
            let snap = self.shared.borrow().kms.export_snapshot();
            let snap = snap.map_err(|e| map_error(&e))?;
            Ok(Uint8Array::from(snap.expose()).into())
        })
    }

    /// The key blob of one key (ID, ARN or alias) in this object's Region, with its aliases.
    #[wasm_bindgen(js_name = exportKeyBlob, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn export_key_blob(
        &self,
        #[wasm_bindgen(js_name = keyId, unchecked_param_type = "string")] key_id: JsValue,
    ) -> Promise {
        promise(|| {
            let key_id = key_id.as_string().ok_or_else(|| {
                invalid(format!("keyId must be a string, not {}", describe(&key_id)))
            })?;
            let region = self.region();
            let blob = self.shared.borrow().kms.export_key_blob(&region, &key_id);
            let blob = blob.map_err(|e| map_error(&e))?;
            Ok(Uint8Array::from(blob.expose()).into())
        })
    }

    /// Adds the key of a key blob (in the Region it names); resolves to its KeyMetadata.
    #[wasm_bindgen(js_name = importKeyBlob, unchecked_return_type = "Promise<KeyMetadata>")]
    pub fn import_key_blob(
        &self,
        #[wasm_bindgen(js_name = keyBlob, unchecked_param_type = "Uint8Array | string")]
        key_blob: JsValue,
    ) -> Promise {
        promise(|| {
            let blob = bytes_of("keyBlob", &key_blob, true)?;
            let mut shared = self.shared.borrow_mut();
            shared.tick_clock();
            let meta = shared
                .kms
                .import_key_blob(&blob)
                .map_err(|e| map_error(&e))?;
            let text = serde_json::to_string(&meta)
                .map_err(|e| map_error(&kmskit::Error::internal(format!("KeyMetadata: {e}"))))?;
            from_wire(js_sys::JSON::parse(&text)?, "KeyMetadata", false)
        })
    }

    /// The same KMS (account, keys, clock) with calls in `region`.
    #[wasm_bindgen(js_name = withRegion)]
    pub fn with_region(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] region: JsValue,
    ) -> Result<LocalKms, JsValue> {
        let region = region.as_string().ok_or_else(|| {
            invalid(format!(
                "region must be a string, not {}",
                describe(&region)
            ))
        })?;
        Ok(LocalKms {
            shared: Arc::clone(&self.shared),
            region: Some(region),
            caller: self.caller.clone(),
        })
    }

    /// The same KMS and Region, calling as `principal` (an IAM user, role, assumed-role
    /// session or account ARN) with the request `context` it brings (`{ 'aws:SourceIp':
    /// '192.0.2.1' }`, ...). Requests are authorized by the key policy, the principal's IAM
    /// policies and the key's grants; a denial rejects with an `AccessDeniedException` whose
    /// `decision` explains it.
    #[wasm_bindgen(js_name = asPrincipal)]
    pub fn as_principal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] context: JsValue,
    ) -> Result<LocalKms, JsValue> {
        let principal = Self::principal_arg("principal", &principal)?;
        let context = if context.is_undefined() {
            Object::new().into()
        } else if context.is_object() && !Array::is_array(&context) {
            context
        } else {
            return Err(invalid(format!(
                "context must be an object of condition keys, not {}",
                describe(&context)
            )));
        };
        let caller = Object::new();
        Reflect::set(&caller, &"Principal".into(), &principal.into())?;
        Reflect::set(&caller, &"Context".into(), &context)?;
        let caller = kms::CallerContext::from_json(&json_text(&caller.into())?)
            .map_err(|e| map_error(&e))?;
        Ok(LocalKms {
            shared: Arc::clone(&self.shared),
            region: self.region.clone(),
            caller: Some(caller),
        })
    }

    /// Who this object calls as: a principal ARN, or null for the account root.
    #[wasm_bindgen(getter, unchecked_return_type = "string | null")]
    pub fn principal(&self) -> JsValue {
        match &self.caller {
            Some(c) => c.caller().arn().into(),
            None => JsValue::NULL,
        }
    }

    /// Attaches (or replaces) an IAM identity policy of a user or role (an object or its JSON
    /// text); a role's sessions get it.
    #[wasm_bindgen(js_name = putPrincipalPolicy, unchecked_return_type = "Promise<void>")]
    pub fn put_principal_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string")] document: JsValue,
    ) -> Promise {
        promise(|| {
            let principal = Self::principal_arg("principal", &principal)?;
            let name = name
                .as_string()
                .ok_or_else(|| invalid("name must be a string"))?;
            let document = json_text(&document)?;
            let mut shared = self.shared.borrow_mut();
            shared
                .kms
                .put_principal_policy(&principal, &name, &document)
                .map_err(|e| map_error(&e))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Detaches an IAM identity policy; resolves to whether it was attached.
    #[wasm_bindgen(js_name = deletePrincipalPolicy, unchecked_return_type = "Promise<boolean>")]
    pub fn delete_principal_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        promise(|| {
            let principal = Self::principal_arg("principal", &principal)?;
            let name = name
                .as_string()
                .ok_or_else(|| invalid("name must be a string"))?;
            let mut shared = self.shared.borrow_mut();
            let removed = shared
                .kms
                .delete_principal_policy(&principal, &name)
                .map_err(|e| map_error(&e))?;
            Ok(removed.into())
        })
    }

    /// A principal's IAM identity policies: `{ name: documentText }` in attachment order.
    #[wasm_bindgen(
        js_name = getPrincipalPolicies,
        unchecked_return_type = "Promise<Record<string, string>>"
    )]
    pub fn get_principal_policies(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
    ) -> Promise {
        promise(|| {
            let principal = Self::principal_arg("principal", &principal)?;
            let list = self
                .shared
                .borrow()
                .kms
                .principal_policies(&principal)
                .map_err(|e| map_error(&e))?;
            let out = Object::new();
            for (name, document) in list {
                Reflect::set(&out, &name.into(), &document.into())?;
            }
            Ok(out.into())
        })
    }

    /// Sets a principal's tags (`aws:PrincipalTag/<key>` in its requests).
    #[wasm_bindgen(js_name = setPrincipalTags, unchecked_return_type = "Promise<void>")]
    pub fn set_principal_tags(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] tags: JsValue,
    ) -> Promise {
        promise(|| {
            let principal = Self::principal_arg("principal", &principal)?;
            if !tags.is_object() || Array::is_array(&tags) {
                return Err(invalid(format!(
                    "tags must be an object, not {}",
                    describe(&tags)
                )));
            }
            let mut map = std::collections::BTreeMap::new();
            for entry in Object::entries(tags.unchecked_ref::<Object>()).iter() {
                let pair: Array = entry.unchecked_into();
                let (k, v) = (pair.get(0).as_string(), pair.get(1).as_string());
                match (k, v) {
                    (Some(k), Some(v)) => {
                        map.insert(k, v);
                    }
                    _ => return Err(invalid("tag keys and values must be strings")),
                }
            }
            self.shared
                .borrow_mut()
                .kms
                .set_principal_tags(&principal, map)
                .map_err(|e| map_error(&e))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Why the last AccessDeniedException of this KMS was raised (a `Decision`), or null.
    #[wasm_bindgen(js_name = lastDenial, unchecked_return_type = "Promise<Decision | null>")]
    pub fn last_denial(&self) -> Promise {
        let why = self.shared.borrow().kms.last_denial().cloned();
        let out: JsValue = match why {
            Some(e) => Decision::of(e).into(),
            None => JsValue::NULL,
        };
        Promise::resolve(&out)
    }

    /// The Region of this object's calls.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        match &self.region {
            Some(r) => r.clone(),
            None => self.shared.borrow().kms.region().to_string(),
        }
    }

    /// The account ID.
    #[wasm_bindgen(getter, js_name = accountId)]
    pub fn account_id(&self) -> String {
        self.shared.borrow().kms.account_id().to_string()
    }

    /// The partition.
    #[wasm_bindgen(getter)]
    pub fn partition(&self) -> String {
        self.shared.borrow().kms.partition().to_string()
    }

    /// The raw KMS JSON protocol: `call('Encrypt', '{"KeyId":"…","Plaintext":"aGk="}')`
    /// resolves to the JSON response text (the body defaults to `{}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
        #[wasm_bindgen(js_name = requestJson, unchecked_optional_param_type = "string")]
        request_json: JsValue,
    ) -> Promise {
        let request_json = if request_json.is_undefined() {
            JsValue::from("{}")
        } else {
            request_json
        };
        promise(|| match (operation.as_string(), request_json.as_string()) {
            (Some(op), Some(body)) => self.call_json(&op, &body).map(JsValue::from),
            _ => Err(invalid("call(operation, requestJson) takes two strings")),
        })
    }

    /// One operation with a request object (the per-operation methods call this).
    #[wasm_bindgen(js_name = _send, skip_typescript)]
    pub fn send(&self, operation: String, input: JsValue) -> Promise {
        promise(|| {
            let input = if input.is_undefined() || input.is_null() {
                Object::new().into()
            } else {
                input
            };
            if !input.is_object()
                || Array::is_array(&input)
                || input.is_instance_of::<Uint8Array>()
                || input.is_instance_of::<Date>()
            {
                return Err(invalid(format!(
                    "the {operation} request must be an object, not {}",
                    describe(&input)
                )));
            }
            let wire = to_wire(&input, "", false)?;
            let body: String = js_sys::JSON::stringify(&wire)
                .map_err(|_| invalid(format!("the {operation} request is not JSON-serializable")))?
                .into();
            let out = self.call_json(&operation, &body)?;
            let parsed = js_sys::JSON::parse(&out)?;
            from_wire(parsed, "", false)
        })
    }

    /// The KMS clock.
    #[wasm_bindgen(unchecked_return_type = "Promise<Date>")]
    pub fn now(&self) -> Promise {
        let mut shared = self.shared.borrow_mut();
        shared.tick_clock();
        let now: JsValue = Date::new(&JsValue::from_f64(shared.kms.now_ms() as f64)).into();
        Promise::resolve(&now)
    }

    /// Sets the KMS clock (a Date, or ms since the Unix epoch); what fell due happens on the
    /// next call.
    #[wasm_bindgen(js_name = setTime, unchecked_return_type = "Promise<void>")]
    pub fn set_time(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Date | number")] time: JsValue,
    ) -> Promise {
        promise(|| {
            let ms = millis("time", &time)?;
            let mut shared = self.shared.borrow_mut();
            shared.live_clock = false;
            shared.kms.set_time_ms(ms);
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Moves the KMS clock forward by `ms` milliseconds.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn advance(&self, #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue) -> Promise {
        promise(|| {
            let ms = millis("ms", &ms)?;
            let mut shared = self.shared.borrow_mut();
            shared.tick_clock();
            shared.live_clock = false;
            shared.kms.advance_ms(ms);
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Adds one method per core operation to `Kms.prototype` (see the module documentation).
pub(crate) fn install_operations() -> Result<(), JsValue> {
    let probe: JsValue = LocalKms::of(Kms::new(KmsConfig::default()), false)?.into();
    let proto = Object::get_prototype_of(&probe);
    let send: Function = Reflect::get(&proto, &"_send".into())?.dyn_into()?;
    for op in kms::operations() {
        let operation = JsValue::from(*op);
        let apply = Closure::<dyn Fn(Function, JsValue, Array) -> Result<JsValue, JsValue>>::new(
            move |target: Function, this: JsValue, args: Array| {
                target.call2(&this, &operation, &args.get(0))
            },
        );
        let handler = Object::new();
        Reflect::set(&handler, &"apply".into(), apply.as_ref())?;
        // the trap lives as long as the class: for the page's or process's lifetime
        apply.forget();
        let name = JsString::from(kms::camel_case(op));
        if Reflect::has(&proto, &name)? {
            return Err(js_sys::Error::new(&format!(
                "kmskit: the operation {op} would replace Kms.{}",
                kms::camel_case(op)
            ))
            .into());
        }
        let method = Proxy::new(&send, &handler);
        let descriptor = Object::new();
        Reflect::set(&descriptor, &"value".into(), &method)?;
        Reflect::set(&descriptor, &"writable".into(), &JsValue::TRUE)?;
        Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE)?;
        Object::define_property(&proto, &name, &descriptor);
    }
    Ok(())
}

/// Every operation core implements, with its method name: `[["CreateKey", "createKey"], ...]`.
#[wasm_bindgen(js_name = _kmsOperations, unchecked_return_type = "[string, string][]")]
pub fn kms_operations() -> Array {
    kms::operations()
        .iter()
        .map(|op| Array::of2(&JsValue::from(*op), &JsValue::from(kms::camel_case(op))))
        .collect()
}
