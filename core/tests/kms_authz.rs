//! The local KMS authorizes every request as KMS does: key policy, the caller's IAM identity
//! policies and the key's grants (kms-guide-2 §1–§4), and runs the grant operations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use base64ct::{Base64, Encoding};
use kmskit::kms::{CallerContext, Kms, KmsConfig};
use kmskit::policy::{Caller, Decision};
use kmskit::{ErrorCode, Result};
use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";
const REGION: &str = "us-east-1";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const BOB: &str = "arn:aws:iam::111122223333:user/bob";
const ROLE: &str = "arn:aws:iam::111122223333:role/app";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/worker-1";
const CAROL: &str = "arn:aws:iam::444455556666:user/carol";

fn kms() -> Kms {
    Kms::new(KmsConfig {
        seed: Some(b"kms authorization tests".to_vec()),
        ..KmsConfig::default()
    })
    .unwrap()
}

fn who(arn: &str) -> CallerContext {
    CallerContext::new(Caller::parse(arn).unwrap())
}

fn try_as(kms: &mut Kms, caller: &CallerContext, op: &str, req: &Value) -> Result<Value> {
    kms.call_as(caller, REGION, op, &req.to_string())
        .map(|out| serde_json::from_str(&out).unwrap())
}

fn ok_as(kms: &mut Kms, caller: &str, op: &str, req: Value) -> Value {
    try_as(kms, &who(caller), op, &req).unwrap_or_else(|e| panic!("{op} as {caller}: {e}"))
}

fn code_as(kms: &mut Kms, caller: &str, op: &str, req: Value) -> ErrorCode {
    match try_as(kms, &who(caller), op, &req) {
        Ok(v) => panic!("{op} as {caller} succeeded: {v}"),
        Err(e) => e.code(),
    }
}

fn root(kms: &mut Kms, op: &str, req: Value) -> Value {
    serde_json::from_str(
        &kms.call(op, &req.to_string())
            .unwrap_or_else(|e| panic!("{op}: {e}")),
    )
    .unwrap()
}

fn b64(b: &[u8]) -> String {
    Base64::encode_string(b)
}

fn create(kms: &mut Kms, req: Value) -> String {
    root(kms, "CreateKey", req)["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

fn key_policy(statements: Value) -> String {
    let mut list = vec![json!({
        "Sid": "root", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": "kms:*", "Resource": "*"
    })];
    list.extend(statements.as_array().unwrap().iter().cloned());
    json!({"Version": "2012-10-17", "Statement": list}).to_string()
}

fn allow(actions: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})
        .to_string()
}

fn encrypt(id: &str) -> Value {
    json!({"KeyId": id, "Plaintext": b64(b"secret")})
}

#[test]
fn the_root_may_do_everything_a_user_nothing_until_a_policy_allows_it() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    // A user of the account without IAM policies: denied, in KMS's words.
    let e = try_as(&mut k, &who(ALICE), "Encrypt", &encrypt(&id)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccessDeniedException);
    assert_eq!(
        e.message(),
        format!(
            "User: {ALICE} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:us-east-1:{ACCOUNT}:key/{id} because no identity-based policy allows the kms:Encrypt action"
        )
    );
    let why = k.last_denial().expect("the denial is kept");
    assert_eq!(why.decision, Decision::ImplicitDeny);
    assert!(why.explain().contains("kms:Encrypt"), "{}", why.explain());

    // The default key policy delegates to IAM: an identity policy is enough.
    k.put_principal_policy(ALICE, "encrypt-only", &allow(json!("kms:Encrypt")))
        .unwrap();
    let ct = ok_as(&mut k, ALICE, "Encrypt", encrypt(&id))["CiphertextBlob"].clone();
    assert_eq!(
        code_as(&mut k, ALICE, "Decrypt", json!({"CiphertextBlob": ct})),
        ErrorCode::AccessDeniedException
    );
    // Decrypt without KeyId is authorized against the key the ciphertext names.
    k.put_principal_policy(ALICE, "decrypt", &allow(json!(["kms:Decrypt"])))
        .unwrap();
    let out = ok_as(&mut k, ALICE, "Decrypt", json!({"CiphertextBlob": ct}));
    assert_eq!(out["Plaintext"], b64(b"secret"));
    assert_eq!(
        k.principal_policies(ALICE)
            .unwrap()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["encrypt-only", "decrypt"]
    );
    assert!(k.delete_principal_policy(ALICE, "decrypt").unwrap());
    assert!(!k.delete_principal_policy(ALICE, "decrypt").unwrap());
    assert_eq!(
        code_as(&mut k, ALICE, "Decrypt", json!({"CiphertextBlob": ct})),
        ErrorCode::AccessDeniedException
    );
    // Account-level actions (CreateKey, ListKeys) are IAM's alone.
    assert_eq!(
        code_as(&mut k, BOB, "ListKeys", json!({})),
        ErrorCode::AccessDeniedException
    );
    k.put_principal_policy(BOB, "list", &allow(json!("kms:List*")))
        .unwrap();
    assert!(
        ok_as(&mut k, BOB, "ListKeys", json!({}))["Keys"]
            .as_array()
            .unwrap()
            .len()
            == 1
    );
    // An unknown key stays NotFoundException whoever asks.
    assert_eq!(
        code_as(
            &mut k,
            BOB,
            "DescribeKey",
            json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
        ),
        ErrorCode::NotFoundException
    );
}

#[test]
fn a_key_policy_without_the_root_statement_ignores_iam() {
    let mut k = kms();
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "admin", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
         "Action": ["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey"], "Resource": "*"},
        {"Sid": "alice", "Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "kms:Encrypt", "Resource": "*"}
    ]})
    .to_string();
    let id = create(&mut k, json!({"Policy": policy}));
    ok_as(&mut k, ALICE, "Encrypt", encrypt(&id));
    // Bob's IAM allow does not count: the key policy does not delegate to IAM.
    k.put_principal_policy(BOB, "all", &allow(json!("kms:*")))
        .unwrap();
    assert_eq!(
        code_as(&mut k, BOB, "Encrypt", encrypt(&id)),
        ErrorCode::AccessDeniedException
    );
    let e = k.last_denial().unwrap();
    assert_eq!(e.decision, Decision::ImplicitDeny);
    // Even the root is limited to what the policy gives it.
    let e = k.call("Encrypt", &encrypt(&id).to_string()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccessDeniedException);
    assert!(
        e.message().contains("no resource-based policy allows"),
        "{e}"
    );
    k.call("DescribeKey", &json!({"KeyId": id}).to_string())
        .unwrap();
}

#[test]
fn explicit_denies_and_conditions_from_the_key_and_the_caller() {
    let mut k = kms();
    let policy = key_policy(json!([
        {"Sid": "no-legacy", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:EncryptionContext:tier": "legacy"}}},
        {"Sid": "office", "Effect": "Deny", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "StringEquals": {"aws:PrincipalType": "User"}}},
    ]));
    let id = create(
        &mut k,
        json!({"Policy": policy, "Tags": [{"TagKey": "team", "TagValue": "blue"}]}),
    );
    k.put_principal_policy(ALICE, "all", &allow(json!("kms:*")))
        .unwrap();
    let inside = who(ALICE).with("aws:SourceIp", "192.0.2.7");
    let outside = who(ALICE).with("aws:SourceIp", "198.51.100.1");
    let req = json!({"KeyId": id, "Plaintext": b64(b"x"), "EncryptionContext": {"tier": "legacy"}});
    let ct = try_as(&mut k, &inside, "Encrypt", &req).unwrap()["CiphertextBlob"].clone();
    let e = try_as(&mut k, &outside, "Encrypt", &req).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AccessDeniedException);
    assert!(
        e.message()
            .ends_with("with an explicit deny in a resource-based policy"),
        "{e}"
    );
    assert_eq!(
        k.last_denial()
            .unwrap()
            .statement
            .as_ref()
            .unwrap()
            .sid
            .as_deref(),
        Some("office")
    );
    // The Deny applies to the root too: "Principal": "*" names everyone.
    let decrypt = json!({"CiphertextBlob": ct, "EncryptionContext": {"tier": "legacy"}});
    assert_eq!(
        k.call("Decrypt", &decrypt.to_string()).unwrap_err().code(),
        ErrorCode::AccessDeniedException
    );

    // An IAM Deny beats the key policy's Allow, with a resource tag as condition.
    let deny_blue = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "kms:*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}}]})
    .to_string();
    k.put_principal_policy(BOB, "all", &allow(json!("kms:*")))
        .unwrap();
    k.put_principal_policy(BOB, "not-blue", &deny_blue).unwrap();
    let e = try_as(&mut k, &who(BOB), "DescribeKey", &json!({"KeyId": id})).unwrap_err();
    assert!(
        e.message()
            .ends_with("with an explicit deny in an identity-based policy"),
        "{e}"
    );
    let other = create(&mut k, json!({}));
    ok_as(&mut k, BOB, "DescribeKey", json!({"KeyId": other}));
}

#[test]
fn request_alias_resource_aliases_and_principal_tags() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    root(
        &mut k,
        "CreateAlias",
        json!({"AliasName": "alias/payments", "TargetKeyId": id}),
    );
    let via_alias = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:RequestAlias": "alias/payments"}}},
        {"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/payments"}}},
        {"Effect": "Allow", "Action": "kms:GenerateRandom", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "payments"}}}]})
    .to_string();
    k.put_principal_policy(ROLE, "via-alias", &via_alias)
        .unwrap();
    // A role's policies apply to its sessions.
    ok_as(&mut k, SESSION, "Encrypt", encrypt("alias/payments"));
    assert_eq!(
        code_as(&mut k, SESSION, "Encrypt", encrypt(&id)),
        ErrorCode::AccessDeniedException
    );
    ok_as(&mut k, SESSION, "DescribeKey", json!({"KeyId": id}));
    assert_eq!(
        code_as(
            &mut k,
            SESSION,
            "GenerateRandom",
            json!({"NumberOfBytes": 8})
        ),
        ErrorCode::AccessDeniedException
    );
    k.set_principal_tags(ROLE, [("team".to_string(), "payments".to_string())].into())
        .unwrap();
    ok_as(
        &mut k,
        SESSION,
        "GenerateRandom",
        json!({"NumberOfBytes": 8}),
    );
    // Aliases are resources of their own, governed by IAM, and the key's policy too.
    assert_eq!(
        code_as(
            &mut k,
            SESSION,
            "CreateAlias",
            json!({"AliasName": "alias/x", "TargetKeyId": id})
        ),
        ErrorCode::AccessDeniedException
    );
}

#[test]
fn another_account_needs_the_key_policy_and_its_own_iam() {
    let mut k = kms();
    let policy = key_policy(json!([
        {"Sid": "partner", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OTHER}:root")},
         "Action": ["kms:Encrypt", "kms:DescribeKey"], "Resource": "*"}
    ]));
    let id = create(&mut k, json!({"Policy": policy}));
    let arn = format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{id}");
    assert_eq!(
        code_as(&mut k, CAROL, "Encrypt", encrypt(&arn)),
        ErrorCode::AccessDeniedException
    );
    k.put_principal_policy(CAROL, "use-partner-key", &allow(json!("kms:Encrypt")))
        .unwrap();
    ok_as(&mut k, CAROL, "Encrypt", encrypt(&arn));
    // The IAM policy does not reach what the key policy does not give.
    assert_eq!(
        code_as(
            &mut k,
            CAROL,
            "Decrypt",
            json!({"KeyId": arn, "CiphertextBlob": b64(&[0; 64])})
        ),
        ErrorCode::AccessDeniedException
    );
}

#[test]
fn the_lockout_safety_check() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    let alice_only = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "kms:*", "Resource": "*"}]})
    .to_string();
    let e = k
        .call(
            "PutKeyPolicy",
            &json!({"KeyId": id, "Policy": alice_only}).to_string(),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedPolicyDocumentException);
    assert!(
        e.message()
            .contains("will not allow you to update the key policy"),
        "{e}"
    );
    let e = k
        .call("CreateKey", &json!({"Policy": alice_only}).to_string())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedPolicyDocumentException);
    // Alice may set it: the new policy lets her change it again.
    k.put_principal_policy(ALICE, "admin", &allow(json!("kms:*")))
        .unwrap();
    ok_as(
        &mut k,
        ALICE,
        "PutKeyPolicy",
        json!({"KeyId": id, "Policy": alice_only}),
    );
    assert_eq!(
        code_as(&mut k, BOB, "GetKeyPolicy", json!({"KeyId": id})),
        ErrorCode::AccessDeniedException
    );
    // The root is now locked out; bypassing the check is what it takes to do that.
    let other = create(&mut k, json!({}));
    root(
        &mut k,
        "PutKeyPolicy",
        json!({"KeyId": other, "Policy": alice_only, "BypassPolicyLockoutSafetyCheck": true}),
    );
    assert_eq!(
        k.call("GetKeyPolicy", &json!({"KeyId": other}).to_string())
            .unwrap_err()
            .code(),
        ErrorCode::AccessDeniedException
    );
}

#[test]
fn grants_allow_operations_within_their_constraints_until_retired_or_revoked() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    let grant = root(
        &mut k,
        "CreateGrant",
        json!({"KeyId": id, "GranteePrincipal": ROLE, "RetiringPrincipal": BOB, "Name": "app-grant",
               "Operations": ["Encrypt", "Decrypt", "CreateGrant"],
               "Constraints": {"EncryptionContextSubset": {"app": "billing"}}}),
    );
    let grant_id = grant["GrantId"].as_str().unwrap().to_string();
    let token = grant["GrantToken"].as_str().unwrap().to_string();
    assert_eq!(grant_id.len(), 64);
    // The same request again is a retry: same grant.
    let again = root(
        &mut k,
        "CreateGrant",
        json!({"KeyId": id, "GranteePrincipal": ROLE, "RetiringPrincipal": BOB, "Name": "app-grant",
               "Operations": ["Decrypt", "Encrypt", "CreateGrant"],
               "Constraints": {"EncryptionContextSubset": {"app": "billing"}}}),
    );
    assert_eq!(again["GrantId"], grant_id);

    let listed = root(&mut k, "ListGrants", json!({"KeyId": id}));
    let g = &listed["Grants"][0];
    assert_eq!(listed["Grants"].as_array().unwrap().len(), 1);
    assert_eq!(g["GranteePrincipal"], ROLE);
    assert_eq!(g["RetiringPrincipal"], BOB);
    assert_eq!(g["IssuingAccount"], format!("arn:aws:iam::{ACCOUNT}:root"));
    assert_eq!(
        g["KeyId"],
        format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{id}")
    );
    assert_eq!(
        g["Constraints"],
        json!({"EncryptionContextSubset": {"app": "billing"}})
    );
    assert!(g["CreationDate"].is_number());

    // The role's sessions may encrypt with the context, with the token or without.
    let with_ec = json!({"KeyId": id, "Plaintext": b64(b"x"), "EncryptionContext": {"app": "billing", "n": "1"},
                         "GrantTokens": [token]});
    let ct = ok_as(&mut k, SESSION, "Encrypt", with_ec)["CiphertextBlob"].clone();
    assert_eq!(
        code_as(&mut k, SESSION, "Encrypt", encrypt(&id)),
        ErrorCode::AccessDeniedException
    );
    let why = k.last_denial().unwrap();
    assert!(why.explain().contains(&grant_id), "{}", why.explain());
    ok_as(
        &mut k,
        SESSION,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": {"app": "billing", "n": "1"}}),
    );
    // A grant token this KMS never issued.
    assert_eq!(
        code_as(
            &mut k,
            SESSION,
            "Encrypt",
            json!({"KeyId": id, "Plaintext": b64(b"x"), "GrantTokens": ["bm90IGEgdG9rZW4="]})
        ),
        ErrorCode::InvalidGrantTokenException
    );

    // The grantee may pass on a narrower grant, never a wider one.
    let narrower = json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Decrypt"],
                          "Constraints": {"EncryptionContextEquals": {"app": "billing"}}});
    let child = ok_as(&mut k, SESSION, "CreateGrant", narrower)["GrantId"].clone();
    let wider = json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Decrypt", "GenerateDataKey"],
                       "Constraints": {"EncryptionContextSubset": {"app": "billing"}}});
    assert_eq!(
        code_as(&mut k, SESSION, "CreateGrant", wider),
        ErrorCode::AccessDeniedException
    );
    let unconstrained = json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Decrypt"]});
    assert_eq!(
        code_as(&mut k, SESSION, "CreateGrant", unconstrained),
        ErrorCode::AccessDeniedException
    );

    // ListRetirableGrants names Bob's grants; Bob retires by token; Alice cannot retire.
    let retirable = root(
        &mut k,
        "ListRetirableGrants",
        json!({"RetiringPrincipal": BOB}),
    );
    assert_eq!(retirable["Grants"].as_array().unwrap().len(), 1);
    assert_eq!(
        code_as(&mut k, ALICE, "RetireGrant", json!({"GrantToken": token})),
        ErrorCode::AccessDeniedException
    );
    let dry = try_as(
        &mut k,
        &who(BOB),
        "RetireGrant",
        &json!({"GrantToken": token, "DryRun": true}),
    );
    assert_eq!(dry.unwrap_err().code(), ErrorCode::DryRunOperationException);
    ok_as(&mut k, BOB, "RetireGrant", json!({"GrantToken": token}));
    assert_eq!(
        code_as(&mut k, SESSION, "Encrypt", encrypt(&id)),
        ErrorCode::AccessDeniedException
    );
    assert_eq!(
        code_as(&mut k, BOB, "RetireGrant", json!({"GrantToken": token})),
        ErrorCode::NotFoundException
    );

    // The child grant lives on until revoked (by a principal allowed kms:RevokeGrant).
    let left = root(
        &mut k,
        "ListGrants",
        json!({"KeyId": id, "GranteePrincipal": ALICE}),
    );
    assert_eq!(left["Grants"][0]["GrantId"], child);
    assert_eq!(
        code_as(
            &mut k,
            ALICE,
            "RevokeGrant",
            json!({"KeyId": id, "GrantId": child})
        ),
        ErrorCode::AccessDeniedException
    );
    root(
        &mut k,
        "RevokeGrant",
        json!({"KeyId": id, "GrantId": child}),
    );
    assert!(
        root(&mut k, "ListGrants", json!({"KeyId": id}))["Grants"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        k.call(
            "RevokeGrant",
            &json!({"KeyId": id, "GrantId": child}).to_string()
        )
        .unwrap_err()
        .code(),
        ErrorCode::NotFoundException
    );
}

#[test]
fn create_grant_checks_its_input_like_kms() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    let signing = create(
        &mut k,
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
    );
    let cases = [
        (
            json!({"KeyId": id, "GranteePrincipal": ALICE}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Launch"]}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Sign"]}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": signing, "GranteePrincipal": ALICE, "Operations": ["Sign"],
                "Constraints": {"EncryptionContextSubset": {"a": "b"}}}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": "alice", "Operations": ["Encrypt"]}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": "arn:aws:iam::111122223333:group/devs", "Operations": ["Encrypt"]}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Encrypt"], "Name": "bad name"}),
            ErrorCode::ValidationException,
        ),
        (
            json!({"KeyId": "alias/none", "GranteePrincipal": ALICE, "Operations": ["Encrypt"]}),
            ErrorCode::NotFoundException,
        ),
        (
            json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Encrypt"], "DryRun": true}),
            ErrorCode::DryRunOperationException,
        ),
    ];
    for (req, want) in cases {
        let got = k
            .call("CreateGrant", &req.to_string())
            .map_err(|e| e.code());
        assert_eq!(got.err(), Some(want), "{req}");
    }
    assert!(
        root(&mut k, "ListGrants", json!({"KeyId": id}))["Grants"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Sign and Verify are grantable on a signing key; a disabled key takes no new grants.
    root(
        &mut k,
        "CreateGrant",
        json!({"KeyId": signing, "GranteePrincipal": ALICE, "Operations": ["Sign", "Verify"]}),
    );
    ok_as(
        &mut k,
        ALICE,
        "Sign",
        json!({"KeyId": signing, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256"}),
    );
    root(&mut k, "DisableKey", json!({"KeyId": signing}));
    let e = k
        .call(
            "CreateGrant",
            &json!({"KeyId": signing, "GranteePrincipal": BOB, "Operations": ["Verify"]})
                .to_string(),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::DisabledException);
    // RetireGrant needs a token, or a key and a grant ID.
    assert_eq!(
        k.call("RetireGrant", &json!({"KeyId": id}).to_string())
            .unwrap_err()
            .code(),
        ErrorCode::ValidationException
    );
    assert_eq!(
        k.call(
            "RevokeGrant",
            &json!({"KeyId": id, "GrantId": ""}).to_string()
        )
        .unwrap_err()
        .code(),
        ErrorCode::InvalidGrantIdException
    );
}

#[test]
fn dry_run_is_authorized_first() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    let req = json!({"KeyId": id, "Plaintext": b64(b"x"), "DryRun": true});
    assert_eq!(
        code_as(&mut k, ALICE, "Encrypt", req.clone()),
        ErrorCode::AccessDeniedException
    );
    k.put_principal_policy(ALICE, "enc", &allow(json!("kms:Encrypt")))
        .unwrap();
    assert_eq!(
        code_as(&mut k, ALICE, "Encrypt", req),
        ErrorCode::DryRunOperationException
    );
}

#[test]
fn grants_and_principals_survive_a_snapshot() {
    let mut k = kms();
    let id = create(&mut k, json!({}));
    root(
        &mut k,
        "CreateGrant",
        json!({"KeyId": id, "GranteePrincipal": ALICE, "Operations": ["Encrypt"], "Name": "g",
               "Constraints": {"EncryptionContextEquals": {"a": "1"}}}),
    );
    k.put_principal_policy(BOB, "describe", &allow(json!("kms:DescribeKey")))
        .unwrap();
    k.set_principal_tags(BOB, [("team".to_string(), "blue".to_string())].into())
        .unwrap();
    let snap = k.export_snapshot().unwrap();
    let doc: Value = serde_json::from_slice(snap.expose()).unwrap();
    assert_eq!(
        doc["keys"][0]["grants"][0]["operations"],
        json!(["Encrypt"])
    );
    assert_eq!(doc["principals"][0]["principal"], BOB);
    assert_eq!(doc["principals"][0]["tags"], json!({"team": "blue"}));

    let mut back = Kms::from_snapshot(KmsConfig::default(), snap.expose()).unwrap();
    let req = json!({"KeyId": id, "Plaintext": b64(b"x"), "EncryptionContext": {"a": "1"}});
    ok_as(&mut back, ALICE, "Encrypt", req);
    ok_as(&mut back, BOB, "DescribeKey", json!({"KeyId": id}));
    assert_eq!(
        code_as(&mut back, BOB, "Encrypt", encrypt(&id)),
        ErrorCode::AccessDeniedException
    );
    assert_eq!(
        back.export_snapshot().unwrap().expose(),
        snap.expose(),
        "a restore exports the same bytes"
    );

    // A grant with an operation that is not a grant operation is named by its path.
    let mut bad = doc.clone();
    bad["keys"][0]["grants"][0]["operations"] = json!(["Fly"]);
    let e = Kms::from_snapshot(KmsConfig::default(), bad.to_string().as_bytes()).unwrap_err();
    assert!(e.message().contains("keys[0].grants[0].operations"), "{e}");
    let mut bad = doc;
    bad["principals"][0]["policies"][0]["document"] = json!("{}");
    let e = Kms::from_snapshot(KmsConfig::default(), bad.to_string().as_bytes()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedPolicyDocumentException);
    assert!(e.message().contains("principals[0]"), "{e}");
}

#[test]
fn a_caller_is_read_from_json() {
    let c = CallerContext::from_json(&json!({"Principal": SESSION, "Context": {"aws:SourceIp": "192.0.2.1", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}).to_string())
        .unwrap();
    assert_eq!(c.caller().arn(), SESSION);
    assert!(c.context().get("aws:SourceIp").is_some());
    for bad in [
        json!({}),
        json!({"Principal": "nobody"}),
        json!({"Principal": ALICE, "Extra": 1}),
        json!({"Principal": ALICE, "Context": {"k": {}}}),
    ] {
        let e = CallerContext::from_json(&bad.to_string()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationException, "{bad}");
    }
}
