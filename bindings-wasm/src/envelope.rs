//! Envelope encryption (`kmskit::envelope`, the AWS Encryption SDK message format) as the
//! namespace object `envelope` of the package (wasm-bindgen's `js_namespace` on exports):
//! `new envelope.RawAesKeyring({...})`, `await envelope.encrypt(bytes, { keyring })`,
//! `envelope.encryptStream(options)` (a `TransformStream`).
//!
//! Conversion only: options objects are read by field name and checked for their JavaScript
//! types; every default and every check of a value is core's. As the local KMS, the work is
//! synchronous: `encrypt`/`decrypt` return Promises already settled, and a stream step runs
//! when the stream calls it. `CachingKeyring` is not here: core's data-key cache needs `std`
//! (a clock and a lock), which this build of core leaves out.

use crate::local::{LocalKms, describe};
use crate::map_error;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use kmskit::envelope::{
    self, AlgorithmSuite, CommitmentPolicy, DecryptOptions, Decryptor, EncryptOptions,
    EncryptionContext, Encryptor, Keyring, KmsKeyring, MultiKeyring, RawAesKeyring, RawRsaKeyring,
    Release,
};
use std::sync::Arc;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;

/// The option shapes, shared with the Node package (envelope-types.d.ts there).
#[wasm_bindgen(typescript_custom_section)]
const ENVELOPE_TYPES: &str = include_str!("../../bindings-node/envelope-types.d.ts");

// `envelope` is a value (wasm-bindgen's namespace object); this merges the names of its classes
// as types, so that `envelope.RawAesKeyring` is a type too, as in the Node package.
#[wasm_bindgen(typescript_custom_section)]
const ENVELOPE_NAMESPACE: &str = r#"
export declare namespace envelope {
  type RawAesKeyring = envelope__RawAesKeyring
  type RawRsaKeyring = envelope__RawRsaKeyring
  type KmsKeyring = envelope__KmsKeyring
  type MultiKeyring = envelope__MultiKeyring
  /** Any keyring of `envelope`. */
  type Keyring = RawAesKeyring | RawRsaKeyring | KmsKeyring | MultiKeyring
  interface EncryptOptions extends EnvelopeEncryptOptions { keyring: Keyring }
  interface DecryptOptions extends EnvelopeDecryptOptions { keyring: Keyring }
}
"#;

fn invalid(message: impl Into<String>) -> JsValue {
    map_error(&kmskit::Error::validation(message))
}

fn guard<T>(r: kmskit::Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| map_error(&e))
}

// ------------------------------------------------------------------------------ reading options

/// Checks that `o` is an object whose defined fields are all in `allowed`.
fn fields(what: &str, o: &JsValue, allowed: &[&str]) -> Result<(), JsValue> {
    if !o.is_object() || Array::is_array(o) || o.is_instance_of::<Uint8Array>() {
        return Err(invalid(format!(
            "{what} must be an object, not {}",
            describe(o)
        )));
    }
    for k in Object::keys(o.unchecked_ref::<Object>()) {
        let k = k.as_string().unwrap_or_default();
        if !allowed.contains(&k.as_str()) && !Reflect::get(o, &k.as_str().into())?.is_undefined() {
            return Err(invalid(format!(
                "{k} is not an option of {what} ({})",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

/// A field, `None` when undefined or null.
fn field(o: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    let v = Reflect::get(o, &name.into())?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

fn text(name: &str, v: &JsValue) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| invalid(format!("{name} must be a string, not {}", describe(v))))
}

fn opt_text(o: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    field(o, name)?.map(|v| text(name, &v)).transpose()
}

fn bytes(name: &str, v: &JsValue) -> Result<Vec<u8>, JsValue> {
    v.dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| invalid(format!("{name} must be a Uint8Array, not {}", describe(v))))
}

/// A key: PEM text or DER bytes.
fn key(o: &JsValue, name: &str) -> Result<Option<Vec<u8>>, JsValue> {
    field(o, name)?
        .map(|v| match v.as_string() {
            Some(pem) => Ok(pem.into_bytes()),
            None => bytes(name, &v),
        })
        .transpose()
}

fn whole(o: &JsValue, name: &str, max: f64) -> Result<Option<f64>, JsValue> {
    field(o, name)?
        .map(|v| match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=max).contains(&n) => Ok(n),
            _ => Err(invalid(format!(
                "{name} must be a whole number from 0 to {max}, not {}",
                describe(&v)
            ))),
        })
        .transpose()
}

fn context(o: &JsValue, name: &str) -> Result<Option<EncryptionContext>, JsValue> {
    let Some(v) = field(o, name)? else {
        return Ok(None);
    };
    if !v.is_object() || Array::is_array(&v) || v.is_instance_of::<Uint8Array>() {
        return Err(invalid(format!(
            "{name} must be an object of strings, not {}",
            describe(&v)
        )));
    }
    let mut out = EncryptionContext::new();
    for entry in Object::entries(v.unchecked_ref::<Object>()) {
        let pair: Array = entry.unchecked_into();
        let k = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let value = value.as_string().ok_or_else(|| {
            invalid(format!(
                "{name}['{k}'] must be a string, not {}",
                describe(&value)
            ))
        })?;
        out.insert(k, value);
    }
    Ok(Some(out))
}

fn strings(o: &JsValue, name: &str) -> Result<Vec<String>, JsValue> {
    let Some(v) = field(o, name)? else {
        return Ok(Vec::new());
    };
    let list = v
        .dyn_ref::<Array>()
        .ok_or_else(|| invalid(format!("{name} must be an array of strings")))?;
    list.iter()
        .map(|s| {
            s.as_string()
                .ok_or_else(|| invalid(format!("{name} must be an array of strings")))
        })
        .collect()
}

/// A suite: its ID as text (`0x0478`), an ESDK name, or the ID as a number.
fn suite(o: &JsValue) -> Result<Option<AlgorithmSuite>, JsValue> {
    let Some(v) = field(o, "algorithmSuite")? else {
        return Ok(None);
    };
    let name = match v.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=65535.0).contains(&n) => {
            format!("0x{:04x}", n as u16)
        }
        _ => text("algorithmSuite", &v)?,
    };
    guard(AlgorithmSuite::parse(&name)).map(Some)
}

fn policy(o: &JsValue) -> Result<CommitmentPolicy, JsValue> {
    opt_text(o, "commitmentPolicy")?.map_or(Ok(CommitmentPolicy::default()), |p| {
        guard(CommitmentPolicy::parse(&p))
    })
}

fn max_edks(o: &JsValue) -> Result<Option<u16>, JsValue> {
    whole(o, "maxEncryptedDataKeys", 4_294_967_295.0)?
        .map(|n| {
            u16::try_from(n as u64).map_err(|_| {
                invalid(format!(
                    "maxEncryptedDataKeys must be at most 65535, not {n}"
                ))
            })
        })
        .transpose()
}

/// The keyring of an options object: any class of this module.
fn keyring_of(o: &JsValue) -> Result<Arc<dyn Keyring>, JsValue> {
    let v = Reflect::get(o, &"keyring".into())?;
    let not = || {
        invalid(format!(
            "keyring must be an envelope keyring (RawAesKeyring, RawRsaKeyring, KmsKeyring, MultiKeyring), not {}",
            describe(&v)
        ))
    };
    keyring_value(&v).ok_or_else(not)
}

/// The keyring behind a keyring object, through its `_keyring()` handle (the object itself
/// stays usable: only the fresh handle is taken over).
fn keyring_value(v: &JsValue) -> Option<Arc<dyn Keyring>> {
    if !v.is_object() {
        return None;
    }
    let f: Function = Reflect::get(v, &"_keyring".into()).ok()?.dyn_into().ok()?;
    let handle = f.call0(v).ok()?;
    KeyringHandle::try_from_js_value(handle).ok().map(|h| h.0)
}

const ENCRYPT: &[&str] = &[
    "keyring",
    "encryptionContext",
    "algorithmSuite",
    "frameLength",
    "commitmentPolicy",
    "requiredEncryptionContextKeys",
    "maxEncryptedDataKeys",
];
const DECRYPT: &[&str] = &[
    "keyring",
    "encryptionContext",
    "requiredEncryptionContextKeys",
    "commitmentPolicy",
    "maxEncryptedDataKeys",
    "release",
];

fn encrypt_options(o: &JsValue) -> Result<(Arc<dyn Keyring>, EncryptOptions), JsValue> {
    fields("the encrypt options", o, ENCRYPT)?;
    let keyring = keyring_of(o)?;
    let d = EncryptOptions::default();
    let options = EncryptOptions {
        encryption_context: context(o, "encryptionContext")?.unwrap_or_default(),
        suite: suite(o)?,
        frame_length: whole(o, "frameLength", 4_294_967_295.0)?
            .map_or(d.frame_length, |n| n as u32),
        commitment_policy: policy(o)?,
        required_encryption_context_keys: strings(o, "requiredEncryptionContextKeys")?,
        max_encrypted_data_keys: max_edks(o)?,
        ..d
    };
    Ok((keyring, options))
}

fn decrypt_options(o: &JsValue) -> Result<(Arc<dyn Keyring>, DecryptOptions), JsValue> {
    fields("the decrypt options", o, DECRYPT)?;
    let keyring = keyring_of(o)?;
    let options = DecryptOptions {
        encryption_context: context(o, "encryptionContext")?,
        required_encryption_context_keys: strings(o, "requiredEncryptionContextKeys")?,
        commitment_policy: policy(o)?,
        max_encrypted_data_keys: max_edks(o)?,
        release: opt_text(o, "release")?
            .map_or(Ok(Release::default()), |r| guard(Release::parse(&r)))?,
        ..DecryptOptions::default()
    };
    Ok((keyring, options))
}

// ------------------------------------------------------------------------------ keyrings

/// A keyring taken out of a keyring object (internal).
#[wasm_bindgen(js_name = _EnvelopeKeyring, skip_typescript)]
#[derive(Debug)]
pub struct KeyringHandle(Arc<dyn Keyring>);

macro_rules! keyring_methods {
    ($rust:ident, $js:ident) => {
        #[wasm_bindgen(js_namespace = envelope, js_class = $js)]
        impl $rust {
            /// What the keyring is, as errors name it.
            #[wasm_bindgen(js_name = toString)]
            pub fn describe(&self) -> String {
                self.inner.describe()
            }

            /// The keyring, for `encrypt`/`decrypt` (internal).
            #[wasm_bindgen(js_name = _keyring, skip_typescript)]
            pub fn handle(&self) -> KeyringHandle {
                KeyringHandle(Arc::clone(&self.inner))
            }
        }
    };
}

/// A raw AES keyring (the ESDK's): a 16, 24 or 32-byte wrapping key named by namespace and name.
#[wasm_bindgen(js_namespace = envelope, js_name = RawAesKeyring)]
#[derive(Debug)]
pub struct RawAesKeyringJs {
    inner: Arc<dyn Keyring>,
}

#[wasm_bindgen(js_namespace = envelope, js_class = RawAesKeyring)]
impl RawAesKeyringJs {
    /// `{ keyNamespace, keyName, wrappingKey }`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "RawAesKeyringOptions")] options: JsValue,
    ) -> Result<RawAesKeyringJs, JsValue> {
        fields(
            "RawAesKeyring",
            &options,
            &["keyNamespace", "keyName", "wrappingKey"],
        )?;
        let get = |name| Reflect::get(&options, &JsValue::from_str(name));
        let keyring = RawAesKeyring::new(
            &text("keyNamespace", &get("keyNamespace")?)?,
            &text("keyName", &get("keyName")?)?,
            &bytes("wrappingKey", &get("wrappingKey")?)?,
        );
        Ok(Self {
            inner: Arc::new(guard(keyring)?),
        })
    }
}
keyring_methods!(RawAesKeyringJs, RawAesKeyring);

/// A raw RSA keyring (the ESDK's): a public key to encrypt, a private key to decrypt.
#[wasm_bindgen(js_namespace = envelope, js_name = RawRsaKeyring)]
#[derive(Debug)]
pub struct RawRsaKeyringJs {
    inner: Arc<dyn Keyring>,
}

#[wasm_bindgen(js_namespace = envelope, js_class = RawRsaKeyring)]
impl RawRsaKeyringJs {
    /// `{ keyNamespace, keyName, publicKey?, privateKey?, padding = 'OAEP_SHA256' }`; keys PEM
    /// text or DER bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "RawRsaKeyringOptions")] options: JsValue,
    ) -> Result<RawRsaKeyringJs, JsValue> {
        fields(
            "RawRsaKeyring",
            &options,
            &[
                "keyNamespace",
                "keyName",
                "publicKey",
                "privateKey",
                "padding",
            ],
        )?;
        let get = |name| Reflect::get(&options, &JsValue::from_str(name));
        let padding = opt_text(&options, "padding")?;
        let padding = guard(envelope::raw_rsa_padding(
            padding.as_deref().unwrap_or("OAEP_SHA256"),
        ))?;
        let (public, private) = (key(&options, "publicKey")?, key(&options, "privateKey")?);
        let keyring = RawRsaKeyring::new(
            &text("keyNamespace", &get("keyNamespace")?)?,
            &text("keyName", &get("keyName")?)?,
            public.as_deref(),
            private.as_deref(),
            padding,
        );
        Ok(Self {
            inner: Arc::new(guard(keyring)?),
        })
    }
}
keyring_methods!(RawRsaKeyringJs, RawRsaKeyring);

/// A keyring over a key of a local `Kms` (provider ID `kmskit-kms`).
#[wasm_bindgen(js_namespace = envelope, js_name = KmsKeyring)]
#[derive(Debug)]
pub struct KmsKeyringJs {
    inner: Arc<dyn Keyring>,
}

#[wasm_bindgen(js_namespace = envelope, js_class = KmsKeyring)]
impl KmsKeyringJs {
    /// The key `keyId` (key ID, ARN or alias) of `kms`.
    #[wasm_bindgen(constructor)]
    pub fn new(kms: &LocalKms, #[wasm_bindgen(js_name = keyId)] key_id: &str) -> KmsKeyringJs {
        Self {
            inner: Arc::new(KmsKeyring::new(kms.handle(), key_id)),
        }
    }
}
keyring_methods!(KmsKeyringJs, KmsKeyring);

/// One generator (makes the data key) and children (each wraps it too); decrypts with any.
#[wasm_bindgen(js_namespace = envelope, js_name = MultiKeyring)]
#[derive(Debug)]
pub struct MultiKeyringJs {
    inner: Arc<dyn Keyring>,
}

#[wasm_bindgen(js_namespace = envelope, js_class = MultiKeyring)]
impl MultiKeyringJs {
    /// `{ generator?, children? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(
            unchecked_param_type = "{ generator?: envelope.Keyring | null, children?: envelope.Keyring[] }"
        )]
        options: JsValue,
    ) -> Result<MultiKeyringJs, JsValue> {
        fields("MultiKeyring", &options, &["generator", "children"])?;
        let one = |name: String, v: &JsValue| -> Result<Box<dyn Keyring>, JsValue> {
            keyring_value(v)
                .map(|k| Box::new(k) as Box<dyn Keyring>)
                .ok_or_else(|| {
                    invalid(format!(
                        "{name} must be an envelope keyring, not {}",
                        describe(v)
                    ))
                })
        };
        let generator = field(&options, "generator")?
            .map(|g| one("generator".into(), &g))
            .transpose()?;
        let children = match field(&options, "children")? {
            None => Vec::new(),
            Some(v) => v
                .dyn_ref::<Array>()
                .ok_or_else(|| invalid("children must be an array of keyrings"))?
                .iter()
                .enumerate()
                .map(|(i, k)| one(format!("children[{i}]"), &k))
                .collect::<Result<_, _>>()?,
        };
        Ok(Self {
            inner: Arc::new(guard(MultiKeyring::new(generator, children))?),
        })
    }
}
keyring_methods!(MultiKeyringJs, MultiKeyring);

// ------------------------------------------------------------------------------ one shot

fn settled(f: impl FnOnce() -> Result<JsValue, JsValue>) -> Promise {
    match f() {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e),
    }
}

/// The header's contents as `{ encryptionContext, algorithmSuite, messageId, frameLength }`.
fn header(
    target: &Object,
    context: &EncryptionContext,
    suite: AlgorithmSuite,
    message_id: &[u8],
    frame_length: Option<u32>,
) -> Result<(), JsValue> {
    let ec = Object::new();
    for (k, v) in context {
        Reflect::set(&ec, &k.as_str().into(), &v.as_str().into())?;
    }
    Reflect::set(target, &"encryptionContext".into(), &ec)?;
    Reflect::set(target, &"algorithmSuite".into(), &suite.id_hex().into())?;
    Reflect::set(target, &"messageId".into(), &Uint8Array::from(message_id))?;
    Reflect::set(
        target,
        &"frameLength".into(),
        &frame_length.map_or(JsValue::NULL, JsValue::from),
    )?;
    Ok(())
}

/// Encrypts `plaintext` into one message.
#[wasm_bindgen(js_namespace = envelope, js_name = encrypt, unchecked_return_type = "Promise<Uint8Array>")]
pub fn envelope_encrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] plaintext: JsValue,
    #[wasm_bindgen(unchecked_param_type = "envelope.EncryptOptions")] options: JsValue,
) -> Promise {
    settled(|| {
        let data = kmskit::Secret::new(bytes("plaintext", &plaintext)?);
        let (keyring, options) = encrypt_options(&options)?;
        let message = guard(envelope::encrypt(data.expose(), &*keyring, &options))?;
        Ok(Uint8Array::from(&message[..]).into())
    })
}

/// Decrypts one whole message; nothing is returned unless every check passed.
#[wasm_bindgen(js_namespace = envelope, js_name = decrypt, unchecked_return_type = "Promise<EnvelopeDecryptResult>")]
pub fn envelope_decrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "envelope.DecryptOptions")] options: JsValue,
) -> Promise {
    settled(|| {
        let data = bytes("message", &message)?;
        let (keyring, options) = decrypt_options(&options)?;
        let d = guard(envelope::decrypt(&data, &*keyring, &options))?;
        let out = Object::new();
        Reflect::set(
            &out,
            &"plaintext".into(),
            &Uint8Array::from(d.plaintext.expose()),
        )?;
        header(
            &out,
            &d.encryption_context,
            d.suite,
            &d.message_id,
            d.frame_length,
        )?;
        Ok(out.into())
    })
}

// ------------------------------------------------------------------------------ streaming

/// `new TransformStream(transformer)`.
fn transform_stream(transformer: JsValue) -> Result<JsValue, JsValue> {
    let ctor: Function = Reflect::get(&js_sys::global(), &"TransformStream".into())?
        .dyn_into()
        .map_err(|_| invalid("this JavaScript environment has no TransformStream"))?;
    Reflect::construct(&ctor, &Array::of1(&transformer))
}

/// `controller.enqueue(bytes)`, for non-empty output.
fn enqueue(controller: &JsValue, out: &[u8]) -> Result<(), JsValue> {
    if out.is_empty() {
        return Ok(());
    }
    let f: Function = Reflect::get(controller, &"enqueue".into())?.dyn_into()?;
    f.call1(controller, &Uint8Array::from(out))?;
    Ok(())
}

/// The transformer of `encryptStream` (internal): `TransformStream` calls `transform` per chunk
/// and `flush` at the end.
#[wasm_bindgen(js_name = _EncryptTransformer, skip_typescript)]
#[derive(Debug)]
pub struct EncryptTransformer {
    encryptor: Encryptor,
}

#[wasm_bindgen(js_class = _EncryptTransformer)]
impl EncryptTransformer {
    /// Encrypts one chunk.
    pub fn transform(&mut self, chunk: JsValue, controller: JsValue) -> Result<(), JsValue> {
        let chunk = kmskit::Secret::new(bytes("chunk", &chunk)?);
        let mut out = Vec::new();
        guard(self.encryptor.update(chunk.expose(), &mut out))?;
        enqueue(&controller, &out)
    }

    /// Ends the message.
    pub fn flush(&mut self, controller: JsValue) -> Result<(), JsValue> {
        let mut out = Vec::new();
        guard(self.encryptor.finish(&mut out))?;
        enqueue(&controller, &out)
    }
}

/// The transformer of `decryptStream` (internal).
#[wasm_bindgen(js_name = _DecryptTransformer, skip_typescript)]
#[derive(Debug)]
pub struct DecryptTransformer {
    decryptor: Decryptor<Arc<dyn Keyring>>,
}

#[wasm_bindgen(js_class = _DecryptTransformer)]
impl DecryptTransformer {
    /// Reads one chunk of the message, passing on the plaintext released.
    pub fn transform(&mut self, chunk: JsValue, controller: JsValue) -> Result<(), JsValue> {
        let chunk = bytes("chunk", &chunk)?;
        let mut out = zeroize::Zeroizing::new(Vec::new());
        guard(self.decryptor.update(&chunk, &mut out))?;
        enqueue(&controller, &out)
    }

    /// Checks the end of the message.
    pub fn flush(&mut self, controller: JsValue) -> Result<(), JsValue> {
        let mut out = zeroize::Zeroizing::new(Vec::new());
        guard(self.decryptor.finish(&mut out))?;
        enqueue(&controller, &out)
    }
}

/// A `TransformStream` from plaintext chunks (`Uint8Array`) to one message. The keyring runs
/// now: bad options and keyring errors throw here; later errors error the stream.
#[wasm_bindgen(
    js_namespace = envelope,
    js_name = encryptStream,
    unchecked_return_type = "TransformStream<Uint8Array, Uint8Array>"
)]
pub fn encrypt_stream(
    #[wasm_bindgen(unchecked_param_type = "envelope.EncryptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (keyring, options) = encrypt_options(&options)?;
    let encryptor = guard(Encryptor::new(&*keyring, &options))?;
    transform_stream(EncryptTransformer { encryptor }.into())
}

/// A `TransformStream` from message chunks to plaintext, released as `release` allows; a bad
/// message errors the stream. Bad options throw here.
#[wasm_bindgen(
    js_namespace = envelope,
    js_name = decryptStream,
    unchecked_return_type = "TransformStream<Uint8Array, Uint8Array>"
)]
pub fn decrypt_stream(
    #[wasm_bindgen(unchecked_param_type = "envelope.DecryptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (keyring, options) = decrypt_options(&options)?;
    transform_stream(
        DecryptTransformer {
            decryptor: Decryptor::new(keyring, options),
        }
        .into(),
    )
}
