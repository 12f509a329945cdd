//! What KMS says about each action: which can be used across accounts, which are governed by
//! IAM policies alone, which accept grants, and the defaults of absent request parameters.
//! Names are lower case, as requests are compared.

/// Actions a principal of another account can be allowed (kms-guide-2 §6, L13806–13817).
const CROSS_ACCOUNT: &[&str] = &[
    "kms:creategrant",
    "kms:decrypt",
    "kms:derivesharedsecret",
    "kms:describekey",
    "kms:encrypt",
    "kms:generatedatakey",
    "kms:generatedatakeypair",
    "kms:generatedatakeypairwithoutplaintext",
    "kms:generatedatakeywithoutplaintext",
    "kms:generatemac",
    "kms:getkeyrotationstatus",
    "kms:getpublickey",
    "kms:listgrants",
    "kms:reencryptfrom",
    "kms:reencryptto",
    "kms:retiregrant",
    "kms:revokegrant",
    "kms:sign",
    "kms:verify",
    "kms:verifymac",
];

/// Actions on no particular key: only IAM policies govern them (kms-guide-2 §1, §8).
const IAM_ONLY: &[&str] = &[
    "kms:connectcustomkeystore",
    "kms:createcustomkeystore",
    "kms:createkey",
    "kms:deletecustomkeystore",
    "kms:describecustomkeystores",
    "kms:disconnectcustomkeystore",
    "kms:generaterandom",
    "kms:listaliases",
    "kms:listkeys",
    "kms:listretirablegrants",
    "kms:updatecustomkeystore",
];

/// Whether a principal of another account can ever be allowed `action`.
pub(crate) fn cross_account(action: &str) -> bool {
    CROSS_ACCOUNT.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// Whether `action` is governed by IAM policies alone (no key policy applies).
pub fn iam_only(action: &str) -> bool {
    IAM_ONLY.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// Whether an Allow for `action` in a key policy has no effect (`kms:RetireGrant`, L11101).
pub(crate) fn ignored_in_key_policy(action: &str) -> bool {
    action == "kms:retiregrant"
}

/// Condition keys KMS supplies only when evaluating IAM policies (kms-guide-2 §4, §5).
pub(crate) fn iam_only_condition_key(lower: &str) -> bool {
    lower.starts_with("aws:resourcetag/") || lower == "kms:resourcealiases"
}

/// Operations a grant can allow (kms-guide-2 §2, L10554–10573), as written in grants.
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
];

/// Grant operations for which grant constraints are not checked (L10735).
pub(crate) fn constraints_ignored(operation: &str) -> bool {
    matches!(operation, "DescribeKey" | "RetireGrant")
}

const ENCRYPTION_DEFAULT: &[(&str, &str)] = &[("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT")];
const GRANT_DEFAULT: &[(&str, &str)] = &[("kms:GrantIsForAWSResource", "false")];

/// Request parameters that count with their default value when absent (L11539–11541).
pub(crate) fn parameter_defaults(action: &str) -> &'static [(&'static str, &'static str)] {
    match action {
        "kms:createkey" => &[
            ("kms:KeySpec", "SYMMETRIC_DEFAULT"),
            ("kms:KeyUsage", "ENCRYPT_DECRYPT"),
            ("kms:KeyOrigin", "AWS_KMS"),
            ("kms:MultiRegion", "false"),
        ],
        "kms:encrypt"
        | "kms:decrypt"
        | "kms:reencryptfrom"
        | "kms:reencryptto"
        | "kms:generatedatakey"
        | "kms:generatedatakeywithoutplaintext"
        | "kms:generatedatakeypair"
        | "kms:generatedatakeypairwithoutplaintext" => ENCRYPTION_DEFAULT,
        "kms:sign" | "kms:verify" => &[("kms:MessageType", "RAW")],
        "kms:importkeymaterial" => &[("kms:ExpirationModel", "KEY_MATERIAL_EXPIRES")],
        "kms:creategrant" | "kms:listgrants" | "kms:revokegrant" => GRANT_DEFAULT,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_lower_case_and_sorted() {
        for table in [CROSS_ACCOUNT, IAM_ONLY] {
            for w in table.windows(2) {
                assert!(
                    w[0].to_ascii_lowercase() < w[1].to_ascii_lowercase(),
                    "{w:?}"
                );
            }
        }
        for a in CROSS_ACCOUNT.iter().chain(IAM_ONLY) {
            assert_eq!(*a, a.to_ascii_lowercase());
        }
        assert!(cross_account("kms:CreateGrant"));
        assert!(!cross_account("kms:ScheduleKeyDeletion"));
        assert!(iam_only("kms:CreateKey"));
    }
}
