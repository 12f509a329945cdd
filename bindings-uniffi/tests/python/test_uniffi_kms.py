"""The local KMS through the uniffi-generated Python bindings (the `Kms` object Kotlin and Swift
see), run against the real cdylib: the KMS JSON protocol, the clock, deterministic mode and the
golden files of testdata/kms, snapshots and key blobs, IAM principals, grants and denials."""

from __future__ import annotations

import base64
import json
import pathlib
from typing import Any

import kmskit_uniffi as k
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "testdata/kms"
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
ACCOUNT = "111122223333"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/worker-1"
UNKNOWN_KEY = "0bad0bad-0bad-4bad-8bad-0bad0bad0bad"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def call(kms: k.Kms, operation: str, **request: Any) -> dict[str, Any]:
    return json.loads(kms.call(operation, json.dumps(request)))


def caller(principal: str, **context: Any) -> str:
    return json.dumps({"Principal": principal, "Context": context})


def call_as(kms: k.Kms, principal: str, operation: str, **request: Any) -> dict[str, Any]:
    return json.loads(kms.call_as(caller(principal), operation, json.dumps(request)))


def allow(*actions: str, **condition: Any) -> str:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seeded_from_golden_seed_file() -> k.Kms:
    config = MANIFEST["config"]
    return k.Kms.from_seed(
        (GOLDEN / "seed.json").read_bytes(),
        seed=config["seed_utf8"].encode(),
        start_time_ms=config["start_time_ms"],
    )


@pytest.fixture
def kms() -> k.Kms:
    return k.Kms(seed=b"uniffi kms tests", start_time_ms=1_767_225_600_000)


# ------------------------------------------------------------------ construction, getters, clock


def test_defaults_are_cores_and_arguments_reach_core() -> None:
    default = k.Kms()
    assert (default.account_id(), default.region(), default.partition()) == (ACCOUNT, "us-east-1", "aws")
    other = k.Kms(account_id="444455556666", region="cn-north-1", partition="aws-cn")
    assert (other.account_id(), other.region(), other.partition()) == ("444455556666", "cn-north-1", "aws-cn")
    arn = call(other, "CreateKey")["KeyMetadata"]["Arn"]
    assert arn.startswith("arn:aws-cn:kms:cn-north-1:444455556666:key/")
    with pytest.raises(k.KmsError.ValidationException, match="12 digits"):
        k.Kms(account_id="123")
    with pytest.raises(k.KmsError.ValidationException, match="partition"):
        k.Kms(partition="azure")
    with pytest.raises(k.KmsError.ValidationException):
        k.Kms(region="Not A Region")


def test_clock_is_settable_and_drives_key_deletion(kms: k.Kms) -> None:
    start = 1_767_225_600_000
    assert kms.now_ms() == start
    meta = call(kms, "CreateKey")["KeyMetadata"]
    assert meta["CreationDate"] == start / 1000  # epoch seconds, as the JSON protocol writes them
    kms.advance_ms(1500)
    assert kms.now_ms() == start + 1500
    kms.set_time_ms(start + 10_000)
    assert kms.now_ms() == start + 10_000
    deletion = call(kms, "ScheduleKeyDeletion", KeyId=meta["KeyId"], PendingWindowInDays=7)
    assert deletion["KeyState"] == "PendingDeletion"
    kms.advance_ms(7 * 86_400_000 - 20_000)  # not yet due
    assert call(kms, "DescribeKey", KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.advance_ms(20_000)
    with pytest.raises(k.KmsError.NotFoundException):
        call(kms, "DescribeKey", KeyId=meta["KeyId"])


def test_seed_makes_key_ids_and_material_repeatable() -> None:
    def run(seed: bytes) -> tuple[str, str]:
        kms = k.Kms(seed=seed)
        key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
        return key_id, call(kms, "GenerateRandom", NumberOfBytes=32)["Plaintext"]

    assert run(b"one") == run(b"one")
    assert run(b"one") != run(b"two")


def test_kms_operations_is_cores_list_and_every_name_dispatches(kms: k.Kms) -> None:
    ops = k.kms_operations()
    assert {"CreateKey", "Encrypt", "Decrypt", "Sign", "GetPublicKey", "CreateGrant"} <= set(ops)
    assert len(ops) == len(set(ops)) > 40
    for op in ops:
        try:
            kms.call(op, "{}")
        except k.KmsError.UnsupportedOperationException as e:  # pragma: no cover - a failure
            pytest.fail(f"{op}: {e}")
        except k.KmsError:
            pass  # missing required fields: fine, the operation exists
    with pytest.raises(k.KmsError.UnsupportedOperationException):
        kms.call("ConnectCustomKeyStore", "{}")


# ------------------------------------------------------------------ the JSON protocol


def test_encrypt_decrypt_round_trip(kms: k.Kms) -> None:
    key = call(kms, "CreateKey", Description="round trip")["KeyMetadata"]
    assert key["KeySpec"] == "SYMMETRIC_DEFAULT" and key["Description"] == "round trip"
    call(kms, "CreateAlias", AliasName="alias/app", TargetKeyId=key["KeyId"])
    context = {"purpose": "test"}
    enc = call(kms, "Encrypt", KeyId="alias/app", Plaintext=b64(b"hello uniffi"), EncryptionContext=context)
    assert enc["KeyId"] == key["Arn"]
    dec = call(kms, "Decrypt", CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=context)
    assert base64.b64decode(dec["Plaintext"]) == b"hello uniffi" and dec["KeyId"] == key["Arn"]
    # the encryption context is bound to the ciphertext
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        call(kms, "Decrypt", CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"purpose": "other"})


def test_sign_with_kms_verify_offline(kms: k.Kms) -> None:
    key_id = call(kms, "CreateKey", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    message = b"signed by the local KMS"
    sig = call(kms, "Sign", KeyId=key_id, Message=b64(message), SigningAlgorithm="ECDSA_SHA_256")
    signature = base64.b64decode(sig["Signature"])
    public = call(kms, "GetPublicKey", KeyId=key_id)
    assert public["KeySpec"] == "ECC_NIST_P256" and public["SigningAlgorithms"] == ["ECDSA_SHA_256"]
    public_key = base64.b64decode(public["PublicKey"])
    assert k.verify(public_key, message, signature, "ECDSA_SHA_256") is True
    assert k.verify(public_key, message + b"!", signature, "ECDSA_SHA_256") is False
    assert k.describe_public_key(public_key).key_spec == "ECC_NIST_P256"
    verified = call(kms, "Verify", KeyId=key_id, Message=b64(message), Signature=sig["Signature"],
                     SigningAlgorithm="ECDSA_SHA_256")
    assert verified["SignatureValid"] is True


def test_errors_are_typed_exceptions(kms: k.Kms) -> None:
    with pytest.raises(k.KmsError.NotFoundException) as info:
        call(kms, "Encrypt", KeyId=UNKNOWN_KEY, Plaintext=b64(b"x"))
    assert f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{UNKNOWN_KEY}" in str(info.value)
    with pytest.raises(k.KmsError.NotFoundException):
        call(kms, "Encrypt", KeyId="alias/missing", Plaintext=b64(b"x"))
    key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
    with pytest.raises(k.KmsError.InvalidKeyUsageException):
        call(kms, "Sign", KeyId=key_id, Message=b64(b"x"), SigningAlgorithm="ECDSA_SHA_256")
    call(kms, "DisableKey", KeyId=key_id)
    with pytest.raises(k.KmsError.DisabledException):
        call(kms, "Encrypt", KeyId=key_id, Plaintext=b64(b"x"))
    with pytest.raises(k.KmsError.ValidationException):
        kms.call("Encrypt", "not json")
    with pytest.raises(k.KmsError.ValidationException):  # unknown request field
        call(kms, "CreateKey", NoSuchField=1)
    # every exception is also a KmsError
    assert issubclass(k.KmsError.NotFoundException, k.KmsError)


def test_call_in_uses_another_region_of_the_same_account(kms: k.Kms) -> None:
    meta = json.loads(kms.call_in("eu-west-1", "CreateKey", "{}"))["KeyMetadata"]
    assert meta["Arn"] == f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{meta['KeyId']}"
    with pytest.raises(k.KmsError.NotFoundException):
        call(kms, "DescribeKey", KeyId=meta["KeyId"])  # not in us-east-1
    listed = json.loads(kms.call_in("eu-west-1", "ListKeys", "{}"))["Keys"]
    assert [x["KeyId"] for x in listed] == [meta["KeyId"]]
    with pytest.raises(k.KmsError.ValidationException):
        kms.call_in("EU WEST", "ListKeys", "{}")


# ------------------------------------------------------------------ golden files, snapshots, blobs


def test_seed_file_reproduces_the_golden_snapshot_and_key_blobs() -> None:
    kms = seeded_from_golden_seed_file()
    assert kms.export_snapshot() == (GOLDEN / "snapshot.json").read_bytes()
    assert kms.export_key_blob("us-east-1", "alias/signing") == (GOLDEN / "key.json").read_bytes()
    assert (kms.export_key_blob("eu-west-1", "mrk-0123456789abcdef0123456789abcdef")
            == (GOLDEN / "key-replica.json").read_bytes())


def test_manifest_calls_reproduce_the_golden_snapshot_after_calls() -> None:
    kms = seeded_from_golden_seed_file()
    created = None
    for step in MANIFEST["calls"]:
        if "advance_ms" in step:
            kms.advance_ms(step["advance_ms"])
            continue
        text = json.dumps(step["request"])
        if created is not None:
            text = text.replace("<KeyId of the CreateKey response>", created)
        response = json.loads(kms.call(step["operation"], text))
        if step["operation"] == "CreateKey":
            created = response["KeyMetadata"]["KeyId"]
    assert created is not None
    assert kms.export_snapshot() == (GOLDEN / "snapshot-after-calls.json").read_bytes()


def test_restore_from_the_golden_snapshot() -> None:
    snapshot = (GOLDEN / "snapshot.json").read_bytes()
    kms = k.Kms.from_snapshot(snapshot, seed=b"restored", start_time_ms=1_767_225_600_000)
    assert kms.export_snapshot() == snapshot
    assert (kms.account_id(), kms.region(), kms.partition()) == (ACCOUNT, "us-east-1", "aws")
    assert kms.now_ms() == 1_767_225_600_000
    # the restored key still signs with its supplied material
    message = b"after restore"
    sig = call(kms, "Sign", KeyId="alias/signing", Message=b64(message), SigningAlgorithm="ECDSA_SHA_256")
    public = base64.b64decode(call(kms, "GetPublicKey", KeyId="alias/signing")["PublicKey"])
    assert k.verify(public, message, base64.b64decode(sig["Signature"]), "ECDSA_SHA_256") is True
    with pytest.raises(k.KmsError.ValidationException):
        k.Kms.from_snapshot(b'{"format": "something else"}')


def test_snapshot_round_trip_keeps_keys_and_principals(kms: k.Kms) -> None:
    key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
    blob = call(kms, "Encrypt", KeyId=key_id, Plaintext=b64(b"kept"))["CiphertextBlob"]
    kms.put_principal_policy(ALICE, "encrypt", allow("kms:Encrypt"))
    back = k.Kms.from_snapshot(kms.export_snapshot())
    assert back.export_snapshot() == kms.export_snapshot()
    assert base64.b64decode(call(back, "Decrypt", CiphertextBlob=blob)["Plaintext"]) == b"kept"
    assert back.principal_policies(ALICE) == [k.PrincipalPolicy(name="encrypt", document=allow("kms:Encrypt"))]


def test_import_key_blob_returns_describe_keys_metadata() -> None:
    blob = (GOLDEN / "key.json").read_bytes()
    kms = k.Kms(seed=b"importer", start_time_ms=1_767_225_600_000)
    text = kms.import_key_blob(blob)
    metadata = json.loads(text)
    assert metadata["KeyId"] == "44444444-4444-4444-8444-444444444444"
    assert metadata["KeySpec"] == "ECC_NIST_P256" and metadata["AWSAccountId"] == ACCOUNT
    assert metadata == call(kms, "DescribeKey", KeyId="alias/signing")["KeyMetadata"]
    assert kms.export_key_blob("us-east-1", metadata["KeyId"]) == blob
    with pytest.raises(k.KmsError.AlreadyExistsException):
        kms.import_key_blob(blob)
    with pytest.raises(k.KmsError.ValidationException):
        kms.import_key_blob(b"{}")
    with pytest.raises(k.KmsError.NotFoundException):
        kms.export_key_blob("us-east-1", UNKNOWN_KEY)


# ------------------------------------------------------------------ authorization


def test_iam_policy_turns_a_denial_into_an_allow(kms: k.Kms) -> None:
    key = call(kms, "CreateKey")["KeyMetadata"]
    assert kms.last_denial() is None
    with pytest.raises(k.KmsError.AccessDeniedException) as info:
        call_as(kms, ALICE, "Encrypt", KeyId=key["KeyId"], Plaintext=b64(b"x"))
    assert str(info.value) == (
        f"User: {ALICE} is not authorized to perform: kms:Encrypt on resource: {key['Arn']} "
        "because no identity-based policy allows the kms:Encrypt action"
    )
    denial = kms.last_denial()
    assert denial is not None and denial.decision == "IMPLICIT_DENY" and denial.source is None
    assert "kms:Encrypt" in denial.explanation
    assert json.loads(denial.json)  # the whole evaluation

    kms.put_principal_policy(ALICE, "encrypt", allow("kms:Encrypt"))
    assert kms.principal_policies(ALICE) == [k.PrincipalPolicy(name="encrypt", document=allow("kms:Encrypt"))]
    enc = call_as(kms, ALICE, "Encrypt", KeyId=key["KeyId"], Plaintext=b64(b"x"))
    assert enc["KeyId"] == key["Arn"]
    with pytest.raises(k.KmsError.AccessDeniedException):  # only Encrypt is allowed
        call_as(kms, ALICE, "Decrypt", CiphertextBlob=enc["CiphertextBlob"])
    assert base64.b64decode(call(kms, "Decrypt", CiphertextBlob=enc["CiphertextBlob"])["Plaintext"]) == b"x"

    assert kms.delete_principal_policy(ALICE, "encrypt") is True
    assert kms.delete_principal_policy(ALICE, "encrypt") is False
    assert kms.principal_policies(ALICE) == []
    with pytest.raises(k.KmsError.AccessDeniedException):
        call_as(kms, ALICE, "Encrypt", KeyId=key["KeyId"], Plaintext=b64(b"x"))
    with pytest.raises(k.KmsError.MalformedPolicyDocumentException):
        kms.put_principal_policy(ALICE, "bad", json.dumps({"Statement": []}))
    with pytest.raises(k.KmsError.ValidationException):
        kms.put_principal_policy("alice", "p", allow("kms:*"))


def test_an_explicit_deny_names_its_statement(kms: k.Kms) -> None:
    key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
    kms.put_principal_policy(ALICE, "all", allow("kms:*"))
    deny = {"Version": "2012-10-17",
            "Statement": [{"Sid": "NoDecrypt", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]}
    kms.put_principal_policy(ALICE, "deny", json.dumps(deny))
    blob = call_as(kms, ALICE, "Encrypt", KeyId=key_id, Plaintext=b64(b"x"))["CiphertextBlob"]
    with pytest.raises(k.KmsError.AccessDeniedException, match="explicit deny"):
        call_as(kms, ALICE, "Decrypt", CiphertextBlob=blob)
    denial = kms.last_denial()
    assert denial is not None and denial.decision == "EXPLICIT_DENY" and denial.source == "iam:deny"
    assert denial.statement == k.PolicyStatement(source="iam:deny", index=0, sid="NoDecrypt", effect="Deny")


def test_caller_context_region_and_principal_tags(kms: k.Kms) -> None:
    key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
    kms.put_principal_policy(ROLE, "office", allow("kms:Encrypt", IpAddress={"aws:SourceIp": "192.0.2.0/24"}))
    kms.put_principal_policy(ROLE, "tagged", allow("kms:DescribeKey", StringEquals={"aws:PrincipalTag/team": "blue"}))
    request = json.dumps({"KeyId": key_id, "Plaintext": b64(b"x")})
    kms.call_as(caller(SESSION, **{"aws:SourceIp": "192.0.2.9"}), "Encrypt", request)
    with pytest.raises(k.KmsError.AccessDeniedException):
        kms.call_as(caller(SESSION, **{"aws:SourceIp": "203.0.113.1"}), "Encrypt", request)
    # the region argument reaches core: the key is not in eu-west-1
    with pytest.raises(k.KmsError.NotFoundException):
        kms.call_as(caller(SESSION, **{"aws:SourceIp": "192.0.2.9"}), "Encrypt", request, "eu-west-1")
    describe = json.dumps({"KeyId": key_id})
    with pytest.raises(k.KmsError.AccessDeniedException):
        kms.call_as(caller(SESSION), "DescribeKey", describe)
    kms.set_principal_tags(ROLE, {"team": "blue"})
    assert json.loads(kms.call_as(caller(SESSION), "DescribeKey", describe))["KeyMetadata"]["KeyId"] == key_id
    kms.set_principal_tags(ROLE, {"team": "red"})
    with pytest.raises(k.KmsError.AccessDeniedException):
        kms.call_as(caller(SESSION), "DescribeKey", describe)
    with pytest.raises(k.KmsError.ValidationException):
        kms.call_as(json.dumps({"Principal": ALICE, "Extra": 1}), "DescribeKey", describe)
    with pytest.raises(k.KmsError.ValidationException):
        kms.call_as("not json", "DescribeKey", describe)
    with pytest.raises(k.KmsError.ValidationException):
        kms.set_principal_tags(f"arn:aws:iam::{ACCOUNT}:root", {"a": "b"})


def test_a_grant_lets_the_grantee_encrypt(kms: k.Kms) -> None:
    key_id = call(kms, "CreateKey")["KeyMetadata"]["KeyId"]
    request = {"KeyId": key_id, "Plaintext": b64(b"granted"), "EncryptionContext": {"app": "billing"}}
    with pytest.raises(k.KmsError.AccessDeniedException):
        call_as(kms, SESSION, "Encrypt", **request)
    grant = call(kms, "CreateGrant", KeyId=key_id, GranteePrincipal=ROLE, Operations=["Encrypt", "Decrypt"],
                 Constraints={"EncryptionContextSubset": {"app": "billing"}})
    blob = call_as(kms, SESSION, "Encrypt", **request)["CiphertextBlob"]
    plain = call_as(kms, SESSION, "Decrypt", CiphertextBlob=blob, EncryptionContext={"app": "billing"})
    assert base64.b64decode(plain["Plaintext"]) == b"granted"
    with pytest.raises(k.KmsError.AccessDeniedException):  # outside the grant's constraint
        call_as(kms, SESSION, "Encrypt", **{**request, "EncryptionContext": {"app": "other"}})
    denial = kms.last_denial()
    assert denial is not None and grant["GrantId"] in denial.explanation
    with pytest.raises(k.KmsError.AccessDeniedException):  # the grant allows no DescribeKey
        call_as(kms, SESSION, "DescribeKey", KeyId=key_id)
    call(kms, "RevokeGrant", KeyId=key_id, GrantId=grant["GrantId"])
    with pytest.raises(k.KmsError.AccessDeniedException):
        call_as(kms, SESSION, "Encrypt", **request)


# ------------------------------------------------------------------ the object's surface


KMS_METHODS = {
    "call", "call_in", "call_as", "now_ms", "set_time_ms", "advance_ms", "account_id", "region",
    "partition", "export_snapshot", "export_key_blob", "import_key_blob", "put_principal_policy",
    "delete_principal_policy", "principal_policies", "set_principal_tags", "last_denial", "client",
}


def test_kms_object_surface() -> None:
    methods = {n for n, v in vars(k.Kms).items() if callable(v) and not n.startswith("_")}
    assert methods - {"from_seed", "from_snapshot"} == KMS_METHODS
    assert isinstance(vars(k.Kms)["from_seed"], classmethod)
    assert isinstance(vars(k.Kms)["from_snapshot"], classmethod)
