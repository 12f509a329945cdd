//! The key object (one `KeyRecord`), the alias object and the multi-Region object of the key
//! blob and the snapshot, in both directions: records to canonical JSON, and parsed JSON back
//! to records with every field checked (docs/formats.md, "Key blob and snapshot").

use super::json::J;
use crate::error::{Error, Result};
use crate::kms::ids;
use crate::kms::model::{
    AliasRecord, ExpirationModel, GrantRecord, Imported, KeyManager, KeyMaterial, KeyRecord,
    KeyState, MaterialVersion, MultiRegionSet, Origin, Rotation, RotationType,
};
use crate::private_key::PrivateKey;
use crate::secret::Secret;
use crate::spec::{KeyFamily, KeySpec, KeyUsage};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64, Encoding};
use core::fmt;
use serde::Deserialize;
use zeroize::Zeroizing;

/// `format` of a snapshot.
pub const SNAPSHOT_FORMAT: &str = "kmskit-snapshot";
/// `format` of a key blob.
pub const KEY_FORMAT: &str = "kmskit-key";
/// The version of both formats this build writes (and the only one it reads).
pub const FORMAT_VERSION: u32 = 1;

/// A `ValidationException` whose message starts with the field's path.
pub(crate) fn bad(path: &str, what: impl fmt::Display) -> Error {
    Error::validation(format!("{path}: {what}"))
}

/// Re-labels an error with the field's path, keeping its code.
pub(crate) fn at(path: &str, e: Error) -> Error {
    Error::new(e.code(), format!("{path}: {}", e.message()))
}

/// A JSON string holding secret material (base64 or PEM), wiped when dropped. Deserializing
/// copies the text straight into this buffer (serde_json hands over a borrowed slice when the
/// string has no escapes, as base64 never has).
pub(crate) struct SecretText(pub(crate) Zeroizing<String>);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText([REDACTED])")
    }
}

struct SecretTextVisitor;

impl serde::de::Visitor<'_> for SecretTextVisitor {
    type Value = SecretText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<SecretText, E> {
        Ok(SecretText(Zeroizing::new(String::from(v))))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> core::result::Result<SecretText, E> {
        Ok(SecretText(Zeroizing::new(v)))
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        d.deserialize_str(SecretTextVisitor)
    }
}

/// Decodes standard padded base64 into a [`Secret`].
pub(crate) fn unbase64(path: &str, text: &str) -> Result<Secret> {
    Base64::decode_vec(text.trim())
        .map(Secret::new)
        .map_err(|_| bad(path, "is not valid base64"))
}

/// The length (bytes) of symmetric and HMAC material of `spec`: 32 for SYMMETRIC_DEFAULT, and
/// the spec's size for HMAC keys (ImportKeyMaterial accepts exactly that length too).
pub(crate) fn secret_len(spec: KeySpec) -> Option<usize> {
    let info = spec.info();
    match info.family {
        KeyFamily::Symmetric | KeyFamily::Hmac => Some(info.bits as usize / 8),
        _ => None,
    }
}

/// Turns decoded material into [`KeyMaterial`] of `spec`: raw bytes for symmetric and HMAC
/// specs, PKCS#8 DER for asymmetric ones.
pub(crate) fn material_of(path: &str, spec: KeySpec, bytes: Secret) -> Result<KeyMaterial> {
    if let Some(want) = secret_len(spec) {
        if bytes.len() != want {
            return Err(bad(
                path,
                format_args!(
                    "{spec} key material must be {want} bytes, got {}",
                    bytes.len()
                ),
            ));
        }
        return Ok(KeyMaterial::Secret(bytes));
    }
    let key = PrivateKey::from_pkcs8_der(bytes.expose()).map_err(|e| at(path, e))?;
    check_pair_spec(path, spec, &key)?;
    Ok(KeyMaterial::Pair(key))
}

pub(crate) fn check_pair_spec(path: &str, spec: KeySpec, key: &PrivateKey) -> Result<()> {
    if key.spec() != spec {
        return Err(bad(
            path,
            format_args!("the private key is {}, not {spec}", key.spec()),
        ));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(path: &str, text: &str) -> Result<[u8; 32]> {
    let b = text.as_bytes();
    let lower_hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    if b.len() != 64 || !b.iter().all(|&c| lower_hex(c)) {
        return Err(bad(path, "must be 64 lowercase hex digits"));
    }
    let nibble = |c: u8| {
        if c.is_ascii_digit() {
            c - b'0'
        } else {
            c - b'a' + 10
        }
    };
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        *o = (nibble(pair[0]) << 4) | nibble(pair[1]);
    }
    Ok(out)
}

// ------------------------------------------------------------------------------- writing

fn material_json(m: &MaterialVersion) -> J {
    let bytes = match &m.material {
        KeyMaterial::Secret(s) => s.expose(),
        KeyMaterial::Pair(k) => k.pkcs8_der().expose(),
    };
    let mut f = alloc::vec![
        ("key_material_id", J::Str(hex(&m.id))),
        ("creation_date", J::Int(m.created_ms)),
    ];
    if let Some(r) = m.rotation {
        f.push(("rotation_type", J::str(r.as_str())));
    }
    f.push((
        "material",
        J::Secret(Zeroizing::new(Base64::encode_string(bytes))),
    ));
    J::Obj(f)
}

/// The key object.
pub(crate) fn key_json(key: &KeyRecord) -> J {
    let mut f = alloc::vec![
        ("key_id", J::str(&key.id)),
        ("region", J::str(&key.region)),
        ("creation_date", J::Int(key.created_ms)),
        ("description", J::str(&key.description)),
        ("key_spec", J::str(key.spec.as_str())),
        ("key_usage", J::str(key.usage.as_str())),
        ("origin", J::str(key.origin.as_str())),
        ("key_manager", J::str(key.manager.as_str())),
        ("key_state", J::str(key.state.as_str())),
    ];
    if let Some(d) = key.deletion_ms {
        f.push(("deletion_date", J::Int(d)));
    }
    if let Some(w) = key.pending_window_days {
        f.push(("pending_window_in_days", J::Int(i64::from(w))));
    }
    f.push(("policy", J::str(&key.policy)));
    f.push((
        "tags",
        J::Map(
            key.tags
                .iter()
                .map(|(k, v)| (k.clone(), J::str(v)))
                .collect(),
        ),
    ));
    f.push(("multi_region", J::Bool(key.multi_region)));
    let r = &key.rotation;
    let mut rotation = alloc::vec![
        ("enabled", J::Bool(r.enabled)),
        ("period_in_days", J::Int(i64::from(r.period_days))),
    ];
    if let Some(n) = r.next_ms {
        rotation.push(("next_rotation_date", J::Int(n)));
    }
    rotation.push(("on_demand_count", J::Int(i64::from(r.on_demand_count))));
    if let Some(b) = r.enabled_before_deletion {
        rotation.push(("enabled_before_deletion", J::Bool(b)));
    }
    f.push(("rotation", J::Obj(rotation)));
    if let Some(imp) = &key.imported {
        let mut i = alloc::vec![("expiration_model", J::str(imp.expiration_model.as_str()))];
        if let Some(v) = imp.valid_to_ms {
            i.push(("valid_to", J::Int(v)));
        }
        f.push(("imported", J::Obj(i)));
    }
    if let Some(d) = &key.imported_digest {
        f.push(("imported_material_digest", J::Str(hex(d))));
    }
    f.push((
        "materials",
        J::Arr(key.materials.iter().map(material_json).collect()),
    ));
    // Written only when there are some, so documents of keys without grants stay as they were.
    if !key.grants.is_empty() {
        f.push((
            "grants",
            J::Arr(key.grants.iter().map(grant_json).collect()),
        ));
    }
    J::Obj(f)
}

fn pairs_json(pairs: &BTreeMap<String, String>) -> J {
    J::Map(pairs.iter().map(|(k, v)| (k.clone(), J::str(v))).collect())
}

/// One grant of a key.
fn grant_json(g: &GrantRecord) -> J {
    let mut f = alloc::vec![
        ("grant_id", J::str(&g.id)),
        ("grant_token", J::str(&g.token))
    ];
    if let Some(n) = &g.name {
        f.push(("name", J::str(n)));
    }
    f.push(("creation_date", J::Int(g.created_ms)));
    f.push(("grantee_principal", J::str(&g.grantee)));
    if let Some(r) = &g.retiring {
        f.push(("retiring_principal", J::str(r)));
    }
    f.push(("issuing_account", J::str(&g.issuing_account)));
    f.push((
        "operations",
        J::Arr(g.operations.iter().map(|o| J::str(o)).collect()),
    ));
    if let Some(c) = &g.constraints {
        let mut cf = Vec::new();
        if let Some(e) = &c.encryption_context_equals {
            cf.push(("encryption_context_equals", pairs_json(e)));
        }
        if let Some(s) = &c.encryption_context_subset {
            cf.push(("encryption_context_subset", pairs_json(s)));
        }
        f.push(("constraints", J::Obj(cf)));
    }
    J::Obj(f)
}

/// The alias object.
pub(crate) fn alias_json(region: &str, a: &AliasRecord) -> J {
    J::Obj(alloc::vec![
        ("alias_name", J::str(&a.name)),
        ("region", J::str(region)),
        ("target_key_id", J::str(&a.target)),
        ("creation_date", J::Int(a.created_ms)),
        ("last_updated_date", J::Int(a.updated_ms)),
    ])
}

/// The multi-Region object (`key_id` only in the snapshot's list).
pub(crate) fn multi_region_json(id: Option<&str>, set: &MultiRegionSet) -> J {
    let mut f = Vec::new();
    if let Some(id) = id {
        f.push(("key_id", J::str(id)));
    }
    f.push(("primary_region", J::str(&set.primary)));
    f.push((
        "replica_regions",
        J::Arr(set.replicas.iter().map(|r| J::str(r)).collect()),
    ));
    J::Obj(f)
}

// ------------------------------------------------------------------------------- reading

/// The first two fields of either document, read before the strict parse so that a document
/// of another format or version gets a clear error.
#[derive(Deserialize)]
pub(crate) struct Header {
    pub(crate) format: Option<String>,
    pub(crate) version: Option<u64>,
}

/// Checks `format` and `version`.
///
/// # Errors
/// `ValidationException` for anything but `format` = `expected`, `version` = 1.
pub(crate) fn check_header(bytes: &[u8], expected: &str) -> Result<()> {
    let h: Header = serde_json::from_slice(bytes).map_err(|e| bad(expected, e))?;
    match h.format.as_deref() {
        Some(f) if f == expected => {}
        Some(other) => {
            return Err(bad("format", format_args!("'{other}' is not '{expected}'")));
        }
        None => {
            return Err(bad(
                "format",
                format_args!("missing; expected '{expected}'"),
            ));
        }
    }
    match h.version {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        Some(v) => Err(bad(
            "version",
            format_args!(
                "{expected} version {v} is not supported; this build reads version {FORMAT_VERSION}"
            ),
        )),
        None => Err(bad("version", "missing")),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaterialDoc {
    key_material_id: String,
    creation_date: i64,
    rotation_type: Option<String>,
    material: SecretText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RotationDoc {
    enabled: bool,
    period_in_days: u32,
    next_rotation_date: Option<i64>,
    on_demand_count: u32,
    enabled_before_deletion: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportedDoc {
    expiration_model: String,
    valid_to: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyDoc {
    key_id: String,
    region: String,
    creation_date: i64,
    description: String,
    key_spec: String,
    key_usage: String,
    origin: String,
    key_manager: String,
    key_state: String,
    deletion_date: Option<i64>,
    pending_window_in_days: Option<u32>,
    policy: String,
    tags: BTreeMap<String, String>,
    multi_region: bool,
    rotation: RotationDoc,
    imported: Option<ImportedDoc>,
    imported_material_digest: Option<String>,
    materials: Vec<MaterialDoc>,
    #[serde(default)]
    grants: Vec<GrantDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrantDoc {
    grant_id: String,
    grant_token: String,
    name: Option<String>,
    creation_date: i64,
    grantee_principal: String,
    retiring_principal: Option<String>,
    issuing_account: String,
    operations: Vec<String>,
    constraints: Option<ConstraintsDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConstraintsDoc {
    encryption_context_equals: Option<BTreeMap<String, String>>,
    encryption_context_subset: Option<BTreeMap<String, String>>,
}

/// Checks a grant object.
fn grant_record(p: &str, d: GrantDoc) -> Result<GrantRecord> {
    if d.grant_id.len() != 64
        || !d
            .grant_id
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(bad(
            &format!("{p}.grant_id"),
            "must be 64 lowercase hex digits",
        ));
    }
    for (field, principal) in core::iter::once(("grantee_principal", &d.grantee_principal)).chain(
        d.retiring_principal
            .as_ref()
            .map(|r| ("retiring_principal", r)),
    ) {
        crate::policy::Caller::parse(principal).map_err(|e| at(&format!("{p}.{field}"), e))?;
    }
    if !ids::is_account_id(&d.issuing_account) {
        return Err(bad(
            &format!("{p}.issuing_account"),
            "is not a 12-digit account ID",
        ));
    }
    if d.operations.is_empty() {
        return Err(bad(&format!("{p}.operations"), "must not be empty"));
    }
    if let Some(op) = d
        .operations
        .iter()
        .find(|o| !crate::policy::GRANT_OPERATIONS.contains(&o.as_str()))
    {
        return Err(bad(
            &format!("{p}.operations"),
            format_args!("{op} is not a grant operation"),
        ));
    }
    Ok(GrantRecord {
        id: d.grant_id,
        token: d.grant_token,
        name: d.name,
        created_ms: d.creation_date,
        grantee: d.grantee_principal,
        retiring: d.retiring_principal,
        issuing_account: d.issuing_account,
        operations: d.operations,
        constraints: d.constraints.map(|c| crate::policy::GrantConstraints {
            encryption_context_equals: c.encryption_context_equals,
            encryption_context_subset: c.encryption_context_subset,
        }),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AliasDoc {
    pub(crate) alias_name: String,
    pub(crate) region: String,
    pub(crate) target_key_id: String,
    pub(crate) creation_date: i64,
    pub(crate) last_updated_date: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MultiRegionDoc {
    pub(crate) key_id: Option<String>,
    pub(crate) primary_region: String,
    pub(crate) replica_regions: Vec<String>,
}

fn parse_enum<T>(path: &str, parse: fn(&str) -> Result<T>, text: &str) -> Result<T> {
    parse(text).map_err(|e| at(path, e))
}

/// Checks a key object and turns it into a record (without outstanding import parameters,
/// which the formats do not carry).
///
/// # Errors
/// `ValidationException` naming the field (other codes where KMS has one for the same check:
/// `MalformedPolicyDocumentException`, `TagException`, `LimitExceededException`).
pub(crate) fn key_record(p: &str, d: KeyDoc) -> Result<KeyRecord> {
    if !ids::is_key_id(&d.key_id) {
        return Err(bad(
            &format!("{p}.key_id"),
            format_args!("'{}' is not a key ID", d.key_id),
        ));
    }
    crate::kms::check_region(&d.region).map_err(|e| at(&format!("{p}.region"), e))?;
    let spec = parse_enum(&format!("{p}.key_spec"), KeySpec::parse, &d.key_spec)?;
    let usage = parse_enum(&format!("{p}.key_usage"), KeyUsage::parse, &d.key_usage)?;
    if !spec.allows_usage(usage) {
        return Err(bad(
            &format!("{p}.key_usage"),
            format_args!("{usage} is not valid for {spec}"),
        ));
    }
    let origin = parse_enum(&format!("{p}.origin"), Origin::parse, &d.origin)?;
    let manager = parse_enum(
        &format!("{p}.key_manager"),
        KeyManager::parse,
        &d.key_manager,
    )?;
    let state = parse_enum(&format!("{p}.key_state"), KeyState::parse, &d.key_state)?;
    if d.description.chars().count() > crate::kms::keys::MAX_DESCRIPTION {
        return Err(bad(
            &format!("{p}.description"),
            format_args!(
                "must be at most {} characters",
                crate::kms::keys::MAX_DESCRIPTION
            ),
        ));
    }
    crate::kms::keys::check_policy(&d.policy).map_err(|e| at(&format!("{p}.policy"), e))?;
    let tags: Vec<crate::kms::shapes::Tag> = d
        .tags
        .iter()
        .map(|(k, v)| crate::kms::shapes::Tag {
            tag_key: k.clone(),
            tag_value: v.clone(),
        })
        .collect();
    let tags = crate::kms::tags::validate(&tags, &BTreeMap::new())
        .map_err(|e| at(&format!("{p}.tags"), e))?;
    if d.multi_region != d.key_id.starts_with("mrk-") {
        return Err(bad(
            &format!("{p}.multi_region"),
            "must be true exactly for key IDs that start with mrk-",
        ));
    }
    let r = d.rotation;
    if !(90..=2560).contains(&r.period_in_days) {
        return Err(bad(
            &format!("{p}.rotation.period_in_days"),
            format_args!("must be 90 to 2560, got {}", r.period_in_days),
        ));
    }
    if r.on_demand_count > crate::kms::rotation::MAX_ON_DEMAND {
        return Err(bad(
            &format!("{p}.rotation.on_demand_count"),
            format_args!("must be at most {}", crate::kms::rotation::MAX_ON_DEMAND),
        ));
    }
    let imported = match d.imported {
        None => None,
        Some(i) => {
            let ip = format!("{p}.imported");
            if origin != Origin::External {
                return Err(bad(&ip, "only EXTERNAL keys have imported material"));
            }
            let model = parse_enum(
                &format!("{ip}.expiration_model"),
                ExpirationModel::parse,
                &i.expiration_model,
            )?;
            if (model == ExpirationModel::KeyMaterialExpires) != i.valid_to.is_some() {
                return Err(bad(
                    &format!("{ip}.valid_to"),
                    "is required for KEY_MATERIAL_EXPIRES and only for it",
                ));
            }
            Some(Imported {
                expiration_model: model,
                valid_to_ms: i.valid_to,
            })
        }
    };
    let imported_digest = match &d.imported_material_digest {
        Some(h) => Some(unhex32(&format!("{p}.imported_material_digest"), h)?),
        None => None,
    };
    let mut materials = Vec::with_capacity(d.materials.len());
    let mut seen = BTreeSet::new();
    for (i, m) in d.materials.into_iter().enumerate() {
        let mp = format!("{p}.materials[{i}]");
        let id = unhex32(&format!("{mp}.key_material_id"), &m.key_material_id)?;
        if !seen.insert(id) {
            return Err(bad(&format!("{mp}.key_material_id"), "is repeated"));
        }
        let rotation = match &m.rotation_type {
            Some(t) => Some(parse_enum(
                &format!("{mp}.rotation_type"),
                RotationType::parse,
                t,
            )?),
            None => None,
        };
        let mpath = format!("{mp}.material");
        let bytes = unbase64(&mpath, &m.material.0)?;
        materials.push(MaterialVersion {
            id,
            created_ms: m.creation_date,
            rotation,
            material: material_of(&mpath, spec, bytes)?,
        });
    }
    if materials.is_empty() && origin != Origin::External {
        return Err(bad(
            &format!("{p}.materials"),
            "only EXTERNAL keys may be without key material",
        ));
    }
    if state == KeyState::PendingImport && !materials.is_empty() {
        return Err(bad(
            &format!("{p}.key_state"),
            "a PendingImport key has no key material",
        ));
    }
    Ok(KeyRecord {
        id: d.key_id,
        region: d.region,
        created_ms: d.creation_date,
        description: d.description,
        spec,
        usage,
        origin,
        manager,
        state,
        deletion_ms: d.deletion_date,
        pending_window_days: d.pending_window_in_days,
        policy: d.policy,
        tags,
        rotation: Rotation {
            enabled: r.enabled,
            period_days: r.period_in_days,
            next_ms: r.next_rotation_date,
            on_demand_count: r.on_demand_count,
            enabled_before_deletion: r.enabled_before_deletion,
        },
        materials,
        imported,
        imported_digest,
        import_parameters: Vec::new(),
        grants: d
            .grants
            .into_iter()
            .enumerate()
            .map(|(i, g)| grant_record(&format!("{p}.grants[{i}]"), g))
            .collect::<Result<_>>()?,
        multi_region: d.multi_region,
    })
}

/// Checks an alias object.
///
/// # Errors
/// `ValidationException` naming the field.
pub(crate) fn alias_record(p: &str, d: &AliasDoc) -> Result<AliasRecord> {
    ids::check_alias_name(&d.alias_name, false).map_err(|e| at(&format!("{p}.alias_name"), e))?;
    crate::kms::check_region(&d.region).map_err(|e| at(&format!("{p}.region"), e))?;
    if !ids::is_key_id(&d.target_key_id) {
        return Err(bad(
            &format!("{p}.target_key_id"),
            format_args!("'{}' is not a key ID", d.target_key_id),
        ));
    }
    Ok(AliasRecord {
        name: d.alias_name.clone(),
        target: d.target_key_id.clone(),
        created_ms: d.creation_date,
        updated_ms: d.last_updated_date,
    })
}

/// Checks a multi-Region object for the key `id`.
///
/// # Errors
/// `ValidationException` naming the field.
pub(crate) fn multi_region_set(p: &str, d: &MultiRegionDoc) -> Result<MultiRegionSet> {
    crate::kms::check_region(&d.primary_region)
        .map_err(|e| at(&format!("{p}.primary_region"), e))?;
    let mut seen = BTreeSet::new();
    seen.insert(d.primary_region.as_str());
    for (i, r) in d.replica_regions.iter().enumerate() {
        let rp = format!("{p}.replica_regions[{i}]");
        crate::kms::check_region(r).map_err(|e| at(&rp, e))?;
        if !seen.insert(r.as_str()) {
            return Err(bad(&rp, format_args!("Region {r} is listed twice")));
        }
    }
    Ok(MultiRegionSet {
        primary: d.primary_region.clone(),
        replicas: d.replica_regions.clone(),
    })
}

/// Whether `set` names `region`.
pub(crate) fn set_has(set: &MultiRegionSet, region: &str) -> bool {
    set.primary == region || set.replicas.iter().any(|r| r == region)
}
