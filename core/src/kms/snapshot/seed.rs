//! The seed file (docs/formats.md, "Seed file"): a hand-written JSON description of a KMS's
//! keys, with fixed key IDs, aliases and optional supplied material, in the spirit of
//! local-kms's YAML seed. Field names are the KMS API's (PascalCase).

use super::doc::{SecretText, at, bad, check_pair_spec, material_of, unbase64};
use crate::error::{Error, ErrorCode, Result};
use crate::kms::model::{
    AliasRecord, ExpirationModel, Imported, KeyManager, KeyMaterial, KeyRecord, KeyState,
    MaterialVersion, MultiRegionSet, Origin, Rotation, RotationType,
};
use crate::kms::shapes::Tag;
use crate::kms::{DAY_MS, Kms, KmsConfig, ids};
use crate::private_key::PrivateKey;
use crate::spec::{KeySpec, KeyUsage, names};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct SeedDoc {
    account_id: Option<String>,
    partition: Option<String>,
    region: Option<String>,
    #[serde(default)]
    keys: Vec<SeedKey>,
    #[serde(default)]
    aliases: Vec<SeedAlias>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct SeedKey {
    key_id: String,
    region: Option<String>,
    key_spec: Option<String>,
    key_usage: Option<String>,
    origin: Option<String>,
    description: Option<String>,
    policy: Option<serde_json::Value>,
    tags: Option<Vec<Tag>>,
    aliases: Option<Vec<String>>,
    material: Option<SeedMaterial>,
    enabled: Option<bool>,
    enable_key_rotation: Option<bool>,
    rotation_period_in_days: Option<u32>,
    replica_regions: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct SeedAlias {
    alias_name: String,
    target_key_id: String,
    region: Option<String>,
}

/// `Material`: one string, or a list of strings (the versions of a symmetric key, oldest
/// first).
#[derive(Debug)]
struct SeedMaterial(Vec<SecretText>);

struct SeedMaterialVisitor;

impl<'de> serde::de::Visitor<'de> for SeedMaterialVisitor {
    type Value = SeedMaterial;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<SeedMaterial, E> {
        Ok(SeedMaterial(alloc::vec![SecretText(
            zeroize::Zeroizing::new(String::from(v))
        )]))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> core::result::Result<SeedMaterial, E> {
        Ok(SeedMaterial(alloc::vec![SecretText(
            zeroize::Zeroizing::new(v)
        )]))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<SeedMaterial, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element::<SecretText>()? {
            out.push(s);
        }
        Ok(SeedMaterial(out))
    }
}

impl<'de> Deserialize<'de> for SeedMaterial {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        d.deserialize_any(SeedMaterialVisitor)
    }
}

/// A policy given as a JSON object, as compact JSON with object members sorted by name (so
/// that the text does not depend on how serde_json was built).
fn compact(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(&Value::String(k.clone()), out);
                out.push(':');
                compact(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The material of a seed key: base64 for symmetric and HMAC keys; PEM (PKCS#8, PKCS#1 or
/// SEC1) or base64 PKCS#8 DER for asymmetric keys.
fn seed_material(path: &str, spec: KeySpec, text: &str) -> Result<KeyMaterial> {
    let trimmed = text.trim();
    if spec.is_asymmetric() && trimmed.starts_with("-----BEGIN") {
        let key = PrivateKey::parse(trimmed.as_bytes()).map_err(|e| at(path, e))?;
        check_pair_spec(path, spec, &key)?;
        return Ok(KeyMaterial::Pair(key));
    }
    material_of(path, spec, unbase64(path, trimmed)?)
}

fn material_bytes(m: &KeyMaterial) -> &[u8] {
    match m {
        KeyMaterial::Secret(s) => s.expose(),
        KeyMaterial::Pair(k) => k.pkcs8_der().expose(),
    }
}

/// Builds the KMS a seed file describes.
pub(crate) fn build(config: KmsConfig, bytes: &[u8]) -> Result<Kms> {
    let d: SeedDoc =
        serde_json::from_slice(bytes).map_err(|e| Error::validation(format!("seed file: {e}")))?;
    let config = KmsConfig {
        account_id: d.account_id.unwrap_or(config.account_id),
        partition: d.partition.unwrap_or(config.partition),
        region: d.region.unwrap_or(config.region),
        ..config
    };
    let mut kms = Kms::new(config).map_err(|e| at("seed file", e))?;
    let now = kms.now_ms();
    let mut ids_seen = BTreeSet::new();
    for (i, k) in d.keys.into_iter().enumerate() {
        add_key(&mut kms, &format!("Keys[{i}]"), k, now, &mut ids_seen)?;
    }
    for (i, a) in d.aliases.iter().enumerate() {
        let p = format!("Aliases[{i}]");
        let region = match &a.region {
            Some(r) => {
                crate::kms::check_region(r).map_err(|e| at(&format!("{p}.Region"), e))?;
                r.clone()
            }
            None => kms.region.clone(),
        };
        if kms.store.key(&region, &a.target_key_id).is_none() {
            return Err(Error::new(
                ErrorCode::NotFoundException,
                format!(
                    "{p}.TargetKeyId: no key '{}' in {region} in this seed file",
                    a.target_key_id
                ),
            ));
        }
        add_alias(
            &mut kms,
            &format!("{p}.AliasName"),
            &region,
            &a.alias_name,
            &a.target_key_id,
            now,
        )?;
    }
    Ok(kms)
}

fn add_alias(
    kms: &mut Kms,
    p: &str,
    region: &str,
    name: &str,
    target: &str,
    now: i64,
) -> Result<()> {
    ids::check_alias_name(name, true).map_err(|e| at(p, e))?;
    if kms.store.alias(region, name).is_some() {
        return Err(Error::new(
            ErrorCode::AlreadyExistsException,
            format!("{p}: the alias {name} is already defined in {region}"),
        ));
    }
    let count = kms
        .store
        .aliases(region)
        .iter()
        .filter(|a| a.target == target)
        .count();
    if count >= crate::kms::aliases::MAX_ALIASES_PER_KEY {
        return Err(Error::new(
            ErrorCode::LimitExceededException,
            format!(
                "{p}: a key can have at most {} aliases",
                crate::kms::aliases::MAX_ALIASES_PER_KEY
            ),
        ));
    }
    kms.store.put_alias(
        region,
        AliasRecord {
            name: name.to_string(),
            target: target.to_string(),
            created_ms: now,
            updated_ms: now,
        },
    );
    Ok(())
}

fn add_key(
    kms: &mut Kms,
    p: &str,
    k: SeedKey,
    now: i64,
    ids_seen: &mut BTreeSet<String>,
) -> Result<()> {
    let field = |name: &str| format!("{p}.{name}");
    if !ids::is_key_id(&k.key_id) {
        return Err(bad(
            &field("KeyId"),
            format_args!(
                "'{}' is not a key ID (a lowercase UUID, or mrk- and 32 lowercase hex digits)",
                k.key_id
            ),
        ));
    }
    if !ids_seen.insert(k.key_id.clone()) {
        return Err(Error::new(
            ErrorCode::AlreadyExistsException,
            format!(
                "{}: the key {} is already defined",
                field("KeyId"),
                k.key_id
            ),
        ));
    }
    let multi_region = k.key_id.starts_with("mrk-");
    let region = match &k.region {
        Some(r) => {
            crate::kms::check_region(r).map_err(|e| at(&field("Region"), e))?;
            r.clone()
        }
        None => kms.region.clone(),
    };
    let spec = match &k.key_spec {
        Some(s) => KeySpec::parse(s).map_err(|e| at(&field("KeySpec"), e))?,
        None => KeySpec::SymmetricDefault,
    };
    let usages = spec.info().usages;
    let usage = match (&k.key_usage, usages) {
        (Some(u), _) => KeyUsage::parse(u).map_err(|e| at(&field("KeyUsage"), e))?,
        (None, [only]) => *only,
        (None, _) => {
            return Err(bad(
                &field("KeyUsage"),
                format_args!(
                    "is required for {spec} keys (one of: {})",
                    names(usages, |u| u.as_str()).join(", ")
                ),
            ));
        }
    };
    if !spec.allows_usage(usage) {
        return Err(bad(
            &field("KeyUsage"),
            format_args!(
                "{usage} is not valid for {spec}; valid: {}",
                names(usages, |u| u.as_str()).join(", ")
            ),
        ));
    }
    let origin = match &k.origin {
        Some(o) => Origin::parse(o).map_err(|e| at(&field("Origin"), e))?,
        None => Origin::AwsKms,
    };
    if !matches!(origin, Origin::AwsKms | Origin::External) {
        return Err(Error::new(
            ErrorCode::UnsupportedOperationException,
            format!(
                "{}: {origin} keys (custom key stores) are not available in the local KMS",
                field("Origin")
            ),
        ));
    }
    let description = k.description.unwrap_or_default();
    if description.chars().count() > crate::kms::keys::MAX_DESCRIPTION {
        return Err(bad(
            &field("Description"),
            format_args!(
                "must be at most {} characters",
                crate::kms::keys::MAX_DESCRIPTION
            ),
        ));
    }
    let policy = match &k.policy {
        None => crate::kms::keys::default_policy(&kms.partition, &kms.account),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v @ serde_json::Value::Object(_)) => {
            let mut s = String::new();
            compact(v, &mut s);
            s
        }
        Some(_) => {
            return Err(Error::new(
                ErrorCode::MalformedPolicyDocumentException,
                format!("{}: must be a JSON object or a string", field("Policy")),
            ));
        }
    };
    crate::kms::keys::check_policy(&policy).map_err(|e| at(&field("Policy"), e))?;
    let tags = crate::kms::tags::validate(k.tags.as_deref().unwrap_or(&[]), &BTreeMap::new())
        .map_err(|e| at(&field("Tags"), e))?;

    let materials: Vec<KeyMaterial> = match &k.material {
        Some(SeedMaterial(list)) => {
            if list.is_empty() {
                return Err(bad(&field("Material"), "must not be an empty list"));
            }
            if list.len() > 1 && (spec != KeySpec::SymmetricDefault || origin != Origin::AwsKms) {
                return Err(bad(
                    &field("Material"),
                    "several versions are allowed only for SYMMETRIC_DEFAULT keys of origin AWS_KMS",
                ));
            }
            let mut out = Vec::with_capacity(list.len());
            for (j, text) in list.iter().enumerate() {
                let mp = if list.len() > 1 {
                    format!("{}[{j}]", field("Material"))
                } else {
                    field("Material")
                };
                out.push(seed_material(&mp, spec, &text.0)?);
            }
            out
        }
        None if origin == Origin::External => Vec::new(),
        None => alloc::vec![kms.new_material(spec)?],
    };
    // Imported material gets the version ID and digest ImportKeyMaterial would give it, so that
    // deleting and re-importing it restores the same version.
    let mut versions = Vec::with_capacity(materials.len());
    let mut imported_digest = None;
    for (j, material) in materials.into_iter().enumerate() {
        let id = if origin == Origin::External {
            let digest = crate::kms::import::material_digest(material_bytes(&material));
            imported_digest = Some(digest);
            crate::kms::import::material_id(&k.key_id, &digest)
        } else {
            kms.random_bytes::<32>()?
        };
        versions.push(MaterialVersion {
            id,
            created_ms: now,
            rotation: (j > 0).then_some(RotationType::Automatic),
            material,
        });
    }

    let state = if versions.is_empty() {
        if k.enabled == Some(true) {
            return Err(bad(
                &field("Enabled"),
                "an EXTERNAL key without Material is PendingImport and cannot be enabled",
            ));
        }
        KeyState::PendingImport
    } else if k.enabled == Some(false) {
        KeyState::Disabled
    } else {
        KeyState::Enabled
    };
    let imported = imported_digest.map(|_| Imported {
        expiration_model: ExpirationModel::KeyMaterialDoesNotExpire,
        valid_to_ms: None,
    });
    let rotate = k.enable_key_rotation.unwrap_or(false);
    let period = k.rotation_period_in_days.unwrap_or(365);
    if k.rotation_period_in_days.is_some() && !rotate {
        return Err(bad(
            &field("RotationPeriodInDays"),
            "applies only with EnableKeyRotation: true",
        ));
    }
    if !(90..=2560).contains(&period) {
        return Err(bad(
            &field("RotationPeriodInDays"),
            format_args!("must be 90 to 2560, got {period}"),
        ));
    }
    if rotate && (spec != KeySpec::SymmetricDefault || origin != Origin::AwsKms) {
        return Err(Error::new(
            ErrorCode::UnsupportedOperationException,
            format!(
                "{}: only SYMMETRIC_DEFAULT keys of origin AWS_KMS rotate",
                field("EnableKeyRotation")
            ),
        ));
    }
    let rotation = Rotation {
        enabled: rotate,
        period_days: period,
        next_ms: rotate.then(|| now + i64::from(period) * DAY_MS),
        on_demand_count: 0,
        enabled_before_deletion: None,
    };

    let replicas = k.replica_regions.clone().unwrap_or_default();
    if !replicas.is_empty() && !multi_region {
        return Err(bad(
            &field("ReplicaRegions"),
            "only multi-Region keys (KeyId mrk-...) have replicas",
        ));
    }
    let mut seen = BTreeSet::new();
    seen.insert(region.clone());
    for (j, r) in replicas.iter().enumerate() {
        let rp = format!("{}[{j}]", field("ReplicaRegions"));
        crate::kms::check_region(r).map_err(|e| at(&rp, e))?;
        if !seen.insert(r.clone()) {
            return Err(bad(
                &rp,
                format_args!("Region {r} is the primary's or listed twice"),
            ));
        }
    }

    let record = KeyRecord {
        id: k.key_id.clone(),
        region: region.clone(),
        created_ms: now,
        description,
        spec,
        usage,
        origin,
        manager: KeyManager::Customer,
        state,
        deletion_ms: None,
        pending_window_days: None,
        policy,
        tags,
        rotation,
        materials: versions,
        imported,
        imported_digest,
        import_parameters: Vec::new(),
        grants: Vec::new(),
        multi_region,
    };
    for r in &replicas {
        let mut replica = record.clone();
        replica.region = r.clone();
        kms.store.put_key(replica);
    }
    if multi_region {
        kms.store.set_multi_region(
            &k.key_id,
            Some(MultiRegionSet {
                primary: region.clone(),
                replicas,
            }),
        );
    }
    kms.store.put_key(record);
    for (j, name) in k.aliases.iter().flatten().enumerate() {
        add_alias(
            kms,
            &format!("{}[{j}]", field("Aliases")),
            &region,
            name,
            &k.key_id,
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_objects_are_compact_and_sorted() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"b": [1, "x\n"], "a": {"d": true, "c": null}}"#).unwrap();
        let mut s = String::new();
        compact(&v, &mut s);
        assert_eq!(s, r#"{"a":{"c":null,"d":true},"b":[1,"x\n"]}"#);
    }
}
