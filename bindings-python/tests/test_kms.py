"""`kmskit.Kms`: every operation of the core through the boto3-style Python API, typed errors,
deterministic mode, the clock, Regions and threads."""

from __future__ import annotations

import ast
import base64
import json
import os
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import kmskit
from kmskit import _kms

OPERATIONS = dict(kmskit.KmsNative.operations())  # "Encrypt" -> "encrypt"
UTC = timezone.utc


@pytest.fixture
def kms() -> kmskit.Kms:
    return kmskit.Kms(seed=b"python tests")


def create(kms: kmskit.Kms, **kwargs: Any) -> str:
    key_id: str = kms.create_key(**kwargs)["KeyMetadata"]["KeyId"]
    return key_id


# ------------------------------------------------------------------------------------------
# One happy path per operation. `test_every_operation_has_a_happy_path` fails when the core
# gains an operation this table lacks.

HAPPY: dict[str, Callable[[kmskit.Kms], None]] = {}


def happy(operation: str) -> Callable[[Callable[[kmskit.Kms], None]], Callable[[kmskit.Kms], None]]:
    def register(f: Callable[[kmskit.Kms], None]) -> Callable[[kmskit.Kms], None]:
        HAPPY[operation] = f
        return f

    return register


@happy("CreateKey")
def _create_key(kms: kmskit.Kms) -> None:
    r = kms.create_key(Description="demo", Tags=[{"TagKey": "team", "TagValue": "a"}])
    m = r["KeyMetadata"]
    assert m["KeySpec"] == "SYMMETRIC_DEFAULT" and m["KeyState"] == "Enabled"
    assert m["Description"] == "demo" and m["AWSAccountId"] == "111122223333"
    assert m["Arn"] == f"arn:aws:kms:us-east-1:111122223333:key/{m['KeyId']}"
    assert isinstance(m["CreationDate"], datetime) and m["CreationDate"].tzinfo is not None
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200


@happy("DescribeKey")
def _describe_key(kms: kmskit.Kms) -> None:
    key_id = create(kms, Description="d")
    m = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert m["KeyId"] == key_id and m["Description"] == "d"


@happy("ListKeys")
def _list_keys(kms: kmskit.Kms) -> None:
    ids = {create(kms) for _ in range(3)}
    r = kms.list_keys()
    assert {k["KeyId"] for k in r["Keys"]} == ids and r["Truncated"] is False


@happy("EnableKey")
def _enable_key(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.disable_key(KeyId=key_id)
    kms.enable_key(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


@happy("DisableKey")
def _disable_key(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.disable_key(KeyId=key_id)
    assert set(r) == {"ResponseMetadata"}
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


@happy("UpdateKeyDescription")
def _update_key_description(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.update_key_description(KeyId=key_id, Description="new")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "new"


@happy("ScheduleKeyDeletion")
def _schedule_key_deletion(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert r["KeyState"] == "PendingDeletion" and r["PendingWindowInDays"] == 7
    assert r["DeletionDate"] == kms.now + timedelta(days=7)


@happy("CancelKeyDeletion")
def _cancel_key_deletion(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.schedule_key_deletion(KeyId=key_id)
    assert kms.cancel_key_deletion(KeyId=key_id)["KeyId"].endswith(key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


@happy("CreateAlias")
def _create_alias(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=key_id)
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == key_id


@happy("UpdateAlias")
def _update_alias(kms: kmskit.Kms) -> None:
    a, b = create(kms), create(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=a)
    kms.update_alias(AliasName="alias/app", TargetKeyId=b)
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == b


@happy("DeleteAlias")
def _delete_alias(kms: kmskit.Kms) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=create(kms))
    kms.delete_alias(AliasName="alias/app")
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.describe_key(KeyId="alias/app")


@happy("ListAliases")
def _list_aliases(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=key_id)
    aliases = {a["AliasName"]: a for a in kms.list_aliases(KeyId=key_id)["Aliases"]}
    assert aliases["alias/app"]["TargetKeyId"] == key_id
    assert isinstance(aliases["alias/app"]["CreationDate"], datetime)


@happy("TagResource")
def _tag_resource(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "env", "TagValue": "test"}])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "env", "TagValue": "test"}]


@happy("UntagResource")
def _untag_resource(kms: kmskit.Kms) -> None:
    key_id = create(kms, Tags=[{"TagKey": "env", "TagValue": "test"}])
    kms.untag_resource(KeyId=key_id, TagKeys=["env"])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == []


@happy("ListResourceTags")
def _list_resource_tags(kms: kmskit.Kms) -> None:
    key_id = create(kms, Tags=[{"TagKey": "a", "TagValue": "1"}, {"TagKey": "b", "TagValue": "2"}])
    r = kms.list_resource_tags(KeyId=key_id)
    assert sorted(t["TagKey"] for t in r["Tags"]) == ["a", "b"] and r["Truncated"] is False


@happy("GetKeyPolicy")
def _get_key_policy(kms: kmskit.Kms) -> None:
    r = kms.get_key_policy(KeyId=create(kms), PolicyName="default")
    assert r["PolicyName"] == "default"
    assert "arn:aws:iam::111122223333:root" in json.loads(r["Policy"])["Statement"][0]["Principal"]["AWS"]


@happy("PutKeyPolicy")
def _put_key_policy(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    policy = json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "kms:*", "Resource": "*"}],
    })
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy)
    assert json.loads(kms.get_key_policy(KeyId=key_id)["Policy"]) == json.loads(policy)


@happy("ListKeyPolicies")
def _list_key_policies(kms: kmskit.Kms) -> None:
    assert kms.list_key_policies(KeyId=create(kms))["PolicyNames"] == ["default"]


@happy("Encrypt")
def _encrypt(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.encrypt(KeyId=key_id, Plaintext=b"hello", EncryptionContext={"app": "t"})
    assert isinstance(r["CiphertextBlob"], bytes) and r["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert r["KeyId"] == kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]


@happy("Decrypt")
def _decrypt(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"hello", EncryptionContext={"app": "t"})["CiphertextBlob"]
    r = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "t"})
    assert r["Plaintext"] == b"hello" and r["KeyId"].endswith(key_id)


@happy("ReEncrypt")
def _re_encrypt(kms: kmskit.Kms) -> None:
    a, b = create(kms), create(kms)
    blob = kms.encrypt(KeyId=a, Plaintext=b"moving")["CiphertextBlob"]
    r = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b)
    assert r["SourceKeyId"].endswith(a) and r["KeyId"].endswith(b)
    assert kms.decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"] == b"moving"


@happy("GenerateDataKey")
def _generate_data_key(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    assert len(r["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"] == r["Plaintext"]


@happy("GenerateDataKeyWithoutPlaintext")
def _generate_data_key_without_plaintext(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.generate_data_key_without_plaintext(KeyId=key_id, NumberOfBytes=16)
    assert "Plaintext" not in r
    assert len(kms.decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"]) == 16


@happy("GenerateDataKeyPair")
def _generate_data_key_pair(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.generate_data_key_pair(KeyId=key_id, KeyPairSpec="ECC_NIST_P256")
    private = serialization.load_der_private_key(r["PrivateKeyPlaintext"], None)
    assert private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == r["PublicKey"]
    again = kms.decrypt(CiphertextBlob=r["PrivateKeyCiphertextBlob"])["Plaintext"]
    assert again == r["PrivateKeyPlaintext"]


@happy("GenerateDataKeyPairWithoutPlaintext")
def _generate_data_key_pair_without_plaintext(kms: kmskit.Kms) -> None:
    r = kms.generate_data_key_pair_without_plaintext(KeyId=create(kms), KeyPairSpec="ECC_NIST_P384")
    assert "PrivateKeyPlaintext" not in r and r["KeyPairSpec"] == "ECC_NIST_P384"
    assert kmskit.describe_public_key(r["PublicKey"]).key_spec == "ECC_NIST_P384"


@happy("Sign")
def _sign(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    r = kms.sign(KeyId=key_id, Message=b"msg", SigningAlgorithm="ECDSA_SHA_256")
    public = kms.get_public_key(KeyId=key_id)["PublicKey"]
    assert kmskit.verify(public, b"msg", r["Signature"], "ECDSA_SHA_256")


@happy("Verify")
def _verify(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    sig = kms.sign(KeyId=key_id, Message=b"msg", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    r = kms.verify(KeyId=key_id, Message=b"msg", Signature=sig, SigningAlgorithm="ECDSA_SHA_256")
    assert r["SignatureValid"] is True


@happy("GenerateMac")
def _generate_mac(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    r = kms.generate_mac(KeyId=key_id, Message=b"msg", MacAlgorithm="HMAC_SHA_256")
    assert len(r["Mac"]) == 32


@happy("VerifyMac")
def _verify_mac(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    mac = kms.generate_mac(KeyId=key_id, Message=b"msg", MacAlgorithm="HMAC_SHA_256")["Mac"]
    r = kms.verify_mac(KeyId=key_id, Message=b"msg", Mac=mac, MacAlgorithm="HMAC_SHA_256")
    assert r["MacValid"] is True


@happy("DeriveSharedSecret")
def _derive_shared_secret(kms: kmskit.Kms) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key_id = create(kms, KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")
    mine = ec.generate_private_key(ec.SECP256R1())
    mine_public = mine.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    r = kms.derive_shared_secret(KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=mine_public)
    kms_public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(kms_public, ec.EllipticCurvePublicKey)
    assert r["SharedSecret"] == mine.exchange(ec.ECDH(), kms_public)


@happy("Encapsulate")
def _encapsulate(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="ML_KEM_768", KeyUsage="ENCAPSULATE_DECAPSULATE")
    r = kms.encapsulate(KeyId=key_id, EncapsulationAlgorithm="ML_KEM")
    assert len(r["SharedSecret"]) == 32
    d = kms.decapsulate(KeyId=key_id, SharedSecretCiphertextBlob=r["SharedSecretCiphertextBlob"],
                        EncapsulationAlgorithm="ML_KEM")
    assert d["SharedSecret"] == r["SharedSecret"]


@happy("Decapsulate")
def _decapsulate(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="ML_KEM_768", KeyUsage="ENCAPSULATE_DECAPSULATE")
    secret, ciphertext = kmskit.encapsulate(kms.get_public_key(KeyId=key_id)["PublicKey"])
    r = kms.decapsulate(KeyId=key_id, SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM")
    assert r["SharedSecret"] == secret


@happy("GetPublicKey")
def _get_public_key(kms: kmskit.Kms) -> None:
    key_id = create(kms, KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    r = kms.get_public_key(KeyId=key_id)
    assert r["KeySpec"] == "RSA_2048" and r["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert r["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    assert serialization.load_der_public_key(r["PublicKey"]).key_size == 2048  # type: ignore[union-attr]


@happy("GenerateRandom")
def _generate_random(kms: kmskit.Kms) -> None:
    assert len(kms.generate_random(NumberOfBytes=48)["Plaintext"]) == 48


@happy("EnableKeyRotation")
def _enable_key_rotation(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    r = kms.get_key_rotation_status(KeyId=key_id)
    assert r["KeyRotationEnabled"] is True and r["RotationPeriodInDays"] == 90
    assert r["NextRotationDate"] == kms.now + timedelta(days=90)


@happy("DisableKeyRotation")
def _disable_key_rotation(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.enable_key_rotation(KeyId=key_id)
    kms.disable_key_rotation(KeyId=key_id)
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False


@happy("GetKeyRotationStatus")
def _get_key_rotation_status(kms: kmskit.Kms) -> None:
    r = kms.get_key_rotation_status(KeyId=create(kms))
    assert r["KeyRotationEnabled"] is False


@happy("RotateKeyOnDemand")
def _rotate_key_on_demand(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"before")["CiphertextBlob"]
    assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"].endswith(key_id)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before"


@happy("ListKeyRotations")
def _list_key_rotations(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["RotationType"] == "ON_DEMAND" and rotation["RotationDate"] == kms.now


def _import(kms: kmskit.Kms, key_id: str, **expiry: Any) -> bytes:
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    wrapping = serialization.load_der_public_key(params["PublicKey"])
    material = os.urandom(32)
    wrapped = wrapping.encrypt(  # type: ignore[union-attr]
        material, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"],
                            EncryptedKeyMaterial=wrapped, **expiry)
    return material


@happy("GetParametersForImport")
def _get_parameters_for_import(kms: kmskit.Kms) -> None:
    key_id = create(kms, Origin="EXTERNAL")
    r = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                      WrappingKeySpec="RSA_2048")
    assert isinstance(r["ImportToken"], bytes)
    assert r["ParametersValidTo"] == kms.now + timedelta(days=1)


@happy("ImportKeyMaterial")
def _import_key_material(kms: kmskit.Kms) -> None:
    key_id = create(kms, Origin="EXTERNAL")
    valid_to = kms.now + timedelta(days=30)
    _import(kms, key_id, ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)  # a datetime in
    m = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert m["KeyState"] == "Enabled" and m["ValidTo"] == valid_to
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"byok")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"byok"


@happy("DeleteImportedKeyMaterial")
def _delete_imported_key_material(kms: kmskit.Kms) -> None:
    key_id = create(kms, Origin="EXTERNAL")
    _import(kms, key_id, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    kms.delete_imported_key_material(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


@happy("ReplicateKey")
def _replicate_key(kms: kmskit.Kms) -> None:
    key_id = create(kms, MultiRegion=True)
    r = kms.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
    assert r["ReplicaKeyMetadata"]["Arn"] == f"arn:aws:kms:eu-west-1:111122223333:key/{key_id}"
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"everywhere")["CiphertextBlob"]
    assert kms.client("eu-west-1").decrypt(CiphertextBlob=blob)["Plaintext"] == b"everywhere"


@happy("UpdatePrimaryRegion")
def _update_primary_region(kms: kmskit.Kms) -> None:
    key_id = create(kms, MultiRegion=True)
    kms.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
    kms.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    eu = kms.client("eu-west-1")
    config = eu.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY" and config["PrimaryKey"]["Region"] == "eu-west-1"


ALICE = "arn:aws:iam::111122223333:user/alice"
BOB = "arn:aws:iam::111122223333:user/bob"


@happy("CreateGrant")
def _create_grant(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    r = kms.create_grant(KeyId=key_id, GranteePrincipal=ALICE, Operations=["Encrypt"], Name="g")
    assert len(r["GrantId"]) == 64 and isinstance(r["GrantToken"], str)
    alice = kms.client(principal=ALICE)
    assert alice.encrypt(KeyId=key_id, Plaintext=b"x", GrantTokens=[r["GrantToken"]])["KeyId"].endswith(key_id)


@happy("ListGrants")
def _list_grants(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    grant_id = kms.create_grant(KeyId=key_id, GranteePrincipal=ALICE, Operations=["Decrypt"])["GrantId"]
    (g,) = kms.list_grants(KeyId=key_id)["Grants"]
    assert g["GrantId"] == grant_id and g["GranteePrincipal"] == ALICE and g["Operations"] == ["Decrypt"]
    assert isinstance(g["CreationDate"], datetime) and g["IssuingAccount"] == "arn:aws:iam::111122223333:root"


@happy("ListRetirableGrants")
def _list_retirable_grants(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    kms.create_grant(KeyId=key_id, GranteePrincipal=ALICE, RetiringPrincipal=BOB, Operations=["Decrypt"])
    (g,) = kms.list_retirable_grants(RetiringPrincipal=BOB)["Grants"]
    assert g["RetiringPrincipal"] == BOB
    assert kms.list_retirable_grants(RetiringPrincipal=ALICE)["Grants"] == []


@happy("RetireGrant")
def _retire_grant(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    token = kms.create_grant(KeyId=key_id, GranteePrincipal=ALICE, RetiringPrincipal=BOB, Operations=["Decrypt"])[
        "GrantToken"
    ]
    with pytest.raises(kms.exceptions.AccessDeniedException):
        kms.client(principal=ALICE).retire_grant(GrantToken=token)
    kms.client(principal=BOB).retire_grant(GrantToken=token)
    assert kms.list_grants(KeyId=key_id)["Grants"] == []


@happy("RevokeGrant")
def _revoke_grant(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    grant_id = kms.create_grant(KeyId=key_id, GranteePrincipal=ALICE, Operations=["Encrypt"])["GrantId"]
    kms.revoke_grant(KeyId=key_id, GrantId=grant_id)
    with pytest.raises(kms.exceptions.AccessDeniedException):
        kms.client(principal=ALICE).encrypt(KeyId=key_id, Plaintext=b"x")


def test_every_operation_has_a_happy_path() -> None:
    assert set(HAPPY) == set(OPERATIONS), "add a @happy test for each new core operation"


@pytest.mark.parametrize("operation", sorted(HAPPY))
def test_happy_path(operation: str, kms: kmskit.Kms, monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []
    invoke = kmskit.Kms._invoke

    def spy(self: kmskit.Kms, op: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        called.append(op)
        return invoke(self, op, kwargs)

    monkeypatch.setattr(kmskit.Kms, "_invoke", spy)
    HAPPY[operation](kms)
    assert operation in called, f"the happy path of {operation} does not call it"


# ------------------------------------------------------------------------------------------
# the class, the stub and the core agree


def test_methods_are_the_core_operations_in_boto3_names() -> None:
    methods = {name for name in vars(kmskit.Kms) if callable(getattr(kmskit.Kms, name))
               and not name.startswith("_")}
    utility = {"client", "call", "set_time", "advance", "can_paginate", "get_paginator",
               "put_principal_policy", "delete_principal_policy", "get_principal_policies",
               "set_principal_tags", "last_denial", "from_snapshot", "from_seed", "export_snapshot",
               "export_key_blob", "import_key_blob", "seal", "unseal", "inspect_sealed"}
    assert methods - utility == set(OPERATIONS.values())
    # boto3's names of the operations whose snake_case is not obvious
    for op, boto3_name in {
        "ReEncrypt": "re_encrypt",
        "GenerateDataKeyPairWithoutPlaintext": "generate_data_key_pair_without_plaintext",
        "GenerateMac": "generate_mac",
        "GetParametersForImport": "get_parameters_for_import",
        "RotateKeyOnDemand": "rotate_key_on_demand",
        "ListKeyRotations": "list_key_rotations",
    }.items():
        assert OPERATIONS[op] == boto3_name


def test_stub_lists_every_operation_method() -> None:
    stub = ast.parse(open(os.path.join(os.path.dirname(_kms.__file__), "_kms.pyi")).read())
    (cls,) = [n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Kms"]
    declared = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    missing = set(OPERATIONS.values()) - declared
    assert not missing, f"_kms.pyi lacks {sorted(missing)}"
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name in OPERATIONS.values():
            assert node.args.kwarg is not None and not node.args.args[1:], node.name
            assert ast.unparse(node.returns) == "dict[str, Any]" if node.returns else False, node.name


def test_exceptions_namespace_holds_every_class() -> None:
    kms = kmskit.Kms()
    for cls in kmskit.ALL_ERRORS:
        assert getattr(kms.exceptions, cls.__name__) is cls
    assert kms.exceptions.ClientError is kmskit.KmsError


# ------------------------------------------------------------------------------------------
# errors


def test_errors_are_typed_and_look_like_client_error(kms: kmskit.Kms) -> None:
    with pytest.raises(kmskit.NotFoundException) as info:
        kms.describe_key(KeyId="alias/missing")
    e = info.value
    assert isinstance(e, kmskit.KmsError) and isinstance(e, kms.exceptions.ClientError)
    assert e.code == "NotFoundException" and "alias/missing" in e.message
    assert e.response["Error"] == {"Code": "NotFoundException", "Message": e.message}
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert e.operation_name == "DescribeKey"

    key_id = create(kms)
    kms.disable_key(KeyId=key_id)
    with pytest.raises(kms.exceptions.DisabledException):
        kms.encrypt(KeyId=key_id, Plaintext=b"x")
    kms.enable_key(KeyId=key_id)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext={"a": "b"})["CiphertextBlob"]
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=blob)
    kms.create_alias(AliasName="alias/x", TargetKeyId=key_id)
    with pytest.raises(kms.exceptions.AlreadyExistsException):
        kms.create_alias(AliasName="alias/x", TargetKeyId=key_id)
    kms.schedule_key_deletion(KeyId=key_id)
    with pytest.raises(kms.exceptions.KMSInvalidStateException):
        kms.encrypt(KeyId=key_id, Plaintext=b"x")
    signing = create(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    with pytest.raises(kms.exceptions.InvalidKeyUsageException):
        kms.encrypt(KeyId=signing, Plaintext=b"x")
    with pytest.raises(kms.exceptions.KMSInvalidSignatureException):
        kms.verify(KeyId=signing, Message=b"m", Signature=b"\x30\x00", SigningAlgorithm="ECDSA_SHA_256")


def test_invalid_requests_are_validation_exceptions(kms: kmskit.Kms) -> None:
    with pytest.raises(kms.exceptions.ValidationException) as info:
        kms.create_key(Descripton="typo")  # unknown fields are rejected, not ignored
    assert info.value.operation_name == "CreateKey"
    with pytest.raises(kms.exceptions.ValidationException) as info:
        kms.encrypt(KeyId=create(kms), Plaintext=12)
    assert info.value.operation_name == "Encrypt"
    with pytest.raises(kms.exceptions.ValidationException):
        kms.generate_random(NumberOfBytes=object())
    with pytest.raises(TypeError):
        kms.encrypt("positional")  # type: ignore[call-arg]
    with pytest.raises(kms.exceptions.ValidationException):
        kmskit.Kms(account_id="123")
    with pytest.raises(kms.exceptions.ValidationException):
        kms.client("not a region").list_keys()


def test_raw_json_protocol(kms: kmskit.Kms) -> None:
    key_id = json.loads(kms.call("CreateKey", "{}"))["KeyMetadata"]["KeyId"]
    out = json.loads(kms.call("TrentService.Encrypt", json.dumps({"KeyId": key_id, "Plaintext": "aGk="})))
    assert isinstance(out["CiphertextBlob"], str)
    assert kms.decrypt(CiphertextBlob=base64.b64decode(out["CiphertextBlob"]))["Plaintext"] == b"hi"
    with pytest.raises(kmskit.UnsupportedOperationException) as info:
        kms.call("ConnectCustomKeyStore", "{}")
    assert info.value.operation_name == "ConnectCustomKeyStore"


# ------------------------------------------------------------------------------------------
# conversions


def test_blob_and_timestamp_conversions(kms: kmskit.Kms) -> None:
    key_id = create(kms)
    for plaintext in (b"abc", bytearray(b"abc"), memoryview(b"abc"), "abc"):
        blob = kms.encrypt(KeyId=key_id, Plaintext=plaintext)["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=bytearray(blob))["Plaintext"] == b"abc"
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["CreationDate"] == kms.now and meta["CreationDate"].tzinfo == UTC
    # blobs in nested structures and lists come back as bytes as well
    pair = kms.generate_data_key_pair(KeyId=key_id, KeyPairSpec="ECC_NIST_P256")
    assert all(isinstance(pair[f], bytes) for f in ("PublicKey", "PrivateKeyPlaintext", "PrivateKeyCiphertextBlob"))


# ------------------------------------------------------------------------------------------
# deterministic mode and the clock


def _session(kms: kmskit.Kms) -> list[dict[str, Any]]:
    out = []
    key_id = create(kms)
    out.append(kms.describe_key(KeyId=key_id))
    out.append(kms.encrypt(KeyId=key_id, Plaintext=b"same", EncryptionContext={"k": "v"}))
    out.append(kms.generate_data_key(KeyId=key_id, NumberOfBytes=32))
    signer = create(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    out.append(kms.get_public_key(KeyId=signer))
    signed = kms.sign(KeyId=signer, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
    # ECDSA signatures use the backend's random nonces even in deterministic mode (the core
    # documents which bytes the seed drives: key IDs, key material, IVs, import tokens)
    assert kmskit.verify(out[-1]["PublicKey"], b"m", signed.pop("Signature"), "ECDSA_SHA_256")
    out.append(signed)
    rsa = create(kms, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    out.append(kms.get_public_key(KeyId=rsa))
    out.append(kms.generate_random(NumberOfBytes=16))
    return out


def test_deterministic_mode_repeats_exactly() -> None:
    a = _session(kmskit.Kms(seed=b"repeat"))
    b = _session(kmskit.Kms(seed=bytearray(b"repeat")))
    assert a == b  # key IDs, material, ciphertexts, public keys, random bytes, request IDs
    c = _session(kmskit.Kms(seed=b"another"))
    assert a[0]["KeyMetadata"]["KeyId"] != c[0]["KeyMetadata"]["KeyId"]
    assert a[-1]["Plaintext"] != c[-1]["Plaintext"]
    assert kmskit.Kms(seed="text").deterministic and not kmskit.Kms().deterministic
    assert _session(kmskit.Kms(seed="repeat")) == a  # text seeds are their UTF-8 bytes


def test_random_mode_differs() -> None:
    a, b = kmskit.Kms(), kmskit.Kms()
    assert create(a) != create(b)
    assert abs(a.now - datetime.now(UTC)) < timedelta(minutes=1)


def test_clock_schedule_advance_and_key_gone() -> None:
    start = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    kms = kmskit.Kms(seed=b"clock", start_time=start)
    assert kms.now == start
    key_id = create(kms)
    kms.create_alias(AliasName="alias/doomed", TargetKeyId=key_id)
    r = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert r["DeletionDate"] == start + timedelta(days=7)
    assert kms.advance(days=6) == start + timedelta(days=6)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.advance(timedelta(hours=23, minutes=59))
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.advance(60)
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.describe_key(KeyId=key_id)
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.describe_key(KeyId="alias/doomed")
    assert kms.list_keys()["Keys"] == []
    kms.set_time(datetime(2031, 1, 1))  # naive: UTC
    assert kms.now == datetime(2031, 1, 1, tzinfo=UTC)


def test_automatic_rotation_follows_the_clock() -> None:
    kms = kmskit.Kms(seed=b"rotation")
    key_id = create(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    kms.advance(days=90)
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["RotationType"] == "AUTOMATIC"


# ------------------------------------------------------------------------------------------
# Regions, paginators, threads


def test_clients_per_region_share_the_account() -> None:
    kms = kmskit.Kms(seed=b"regions", account_id="444455556666", region="eu-central-1")
    assert (kms.region, kms.account_id, kms.partition) == ("eu-central-1", "444455556666", "aws")
    us = kms.client("us-west-2")
    assert us.region == "us-west-2" and us.meta.region_name == "us-west-2"
    key_id = create(us)
    assert us.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"].startswith("arn:aws:kms:us-west-2:444455556666:")
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.describe_key(KeyId=key_id)  # keys belong to a Region
    us.advance(days=1)
    assert kms.now == us.now  # one clock
    assert kms.client().region == "eu-central-1"
    cn = kmskit.Kms(partition="aws-cn", region="cn-north-1")
    assert create(cn) and cn.list_keys()["Keys"][0]["KeyArn"].startswith("arn:aws-cn:kms:cn-north-1:")


def test_paginator_walks_every_page(kms: kmskit.Kms) -> None:
    ids = {create(kms) for _ in range(5)}
    assert kms.can_paginate("list_keys") and not kms.can_paginate("encrypt")
    pages = list(kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert {k["KeyId"] for p in pages for k in p["Keys"]} == ids
    with pytest.raises(kms.exceptions.ValidationException):
        kms.get_paginator("encrypt")


def test_threads_share_one_kms() -> None:
    kms = kmskit.Kms()
    key_id = create(kms)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            region = kms.client("eu-west-1") if n % 2 else kms
            own = create(region)
            for i in range(20):
                text = f"{n}-{i}".encode()
                blob = kms.encrypt(KeyId=key_id, Plaintext=text)["CiphertextBlob"]
                assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == text
                region.encrypt(KeyId=own, Plaintext=text)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(kms.list_keys()["Keys"]) == 5 and len(kms.client("eu-west-1").list_keys()["Keys"]) == 4


def test_encryption_context_keys_named_like_blob_fields_stay_text() -> None:
    kms = kmskit.Kms()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    ec = {"Plaintext": "not a blob", "CreationDate": "not a date"}
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext=ec)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=ec)["Plaintext"] == b"x"
