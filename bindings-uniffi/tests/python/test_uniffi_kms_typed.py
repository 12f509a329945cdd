"""The typed KMS client of the uniffi bindings (`Kms.client()` → `KmsClient`): every operation
with core's request/response shapes as records, as Kotlin and Swift see them. The typed path must
be the JSON path: same bytes from the same seed, same authorization, same typed errors."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import kmskit_uniffi as k
import pytest

ACCOUNT = "111122223333"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/worker-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
START_MS = 1_767_225_600_000


def fresh() -> k.Kms:
    return k.Kms(seed=b"typed client", start_time_ms=START_MS)


def snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def test_every_operation_has_a_typed_method() -> None:
    methods = {n for n, v in vars(k.KmsClient).items() if callable(v) and not n.startswith("_")}
    expected = {snake(op) for op in k.kms_operations()}
    assert len(expected) == 49
    assert methods - {"region"} == expected


def test_typed_calls_make_the_same_bytes_as_json_calls() -> None:
    # two KMSs from one seed: one driven by JSON, one by records; every byte must agree
    by_json, by_record = fresh(), fresh()
    client = by_record.client()
    meta = json.loads(by_json.call("CreateKey", json.dumps({"Description": "same"})))["KeyMetadata"]
    created = client.create_key(k.CreateKeyRequest(description="same")).key_metadata
    assert created.key_id == meta["KeyId"] and created.arn == meta["Arn"]
    assert created.creation_date == START_MS and meta["CreationDate"] == START_MS / 1000
    assert created.key_spec == "SYMMETRIC_DEFAULT" and created.encryption_algorithms == ["SYMMETRIC_DEFAULT"]
    assert created.signing_algorithms is None and created.multi_region is False

    context = {"purpose": "test", "tenant": "a"}
    blob = json.loads(by_json.call("Encrypt", json.dumps({
        "KeyId": meta["KeyId"], "Plaintext": base64.b64encode(b"hello").decode(),
        "EncryptionContext": context,
    })))["CiphertextBlob"]
    encrypted = client.encrypt(k.EncryptRequest(key_id=created.key_id, plaintext=b"hello",
                                                encryption_context=context))
    assert encrypted.ciphertext_blob == base64.b64decode(blob)
    assert encrypted.key_id == created.arn and encrypted.encryption_algorithm == "SYMMETRIC_DEFAULT"
    assert by_json.export_snapshot() == by_record.export_snapshot()

    decrypted = client.decrypt(k.DecryptRequest(ciphertext_blob=encrypted.ciphertext_blob,
                                                encryption_context=context))
    assert decrypted.plaintext == b"hello" and decrypted.key_id == created.arn
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        client.decrypt(k.DecryptRequest(ciphertext_blob=encrypted.ciphertext_blob,
                                        encryption_context={"purpose": "other"}))


def test_sign_verify_public_key_and_offline_verify() -> None:
    client = fresh().client()
    key = client.create_key(k.CreateKeyRequest(key_spec="ECC_NIST_P256", key_usage="SIGN_VERIFY"))
    key_id = key.key_metadata.key_id
    assert key.key_metadata.signing_algorithms == ["ECDSA_SHA_256"]
    signed = client.sign(k.SignRequest(key_id=key_id, message=b"order 42", signing_algorithm="ECDSA_SHA_256"))
    assert signed.signature[0] == 0x30  # DER, as KMS
    ok = client.verify(k.VerifyRequest(key_id=key_id, message=b"order 42", signature=signed.signature,
                                       signing_algorithm="ECDSA_SHA_256"))
    assert ok.signature_valid is True
    with pytest.raises(k.KmsError.KmsInvalidSignatureException):
        client.verify(k.VerifyRequest(key_id=key_id, message=b"order 43", signature=signed.signature,
                                      signing_algorithm="ECDSA_SHA_256"))
    public = client.get_public_key(k.KeyIdRequest(key_id=key_id))
    assert public.key_spec == "ECC_NIST_P256" and public.key_usage == "SIGN_VERIFY"
    assert k.verify(public.public_key, b"order 42", signed.signature, "ECDSA_SHA_256", "RAW") is True


def test_empty_responses_return_none_and_state_changes_apply() -> None:
    client = fresh().client()
    key_id = client.create_key(k.CreateKeyRequest()).key_metadata.key_id
    assert client.disable_key(k.KeyIdRequest(key_id=key_id)) is None
    with pytest.raises(k.KmsError.DisabledException):
        client.encrypt(k.EncryptRequest(key_id=key_id, plaintext=b"x"))
    client.enable_key(k.KeyIdRequest(key_id=key_id))
    client.create_alias(k.AliasRequest(alias_name="alias/typed", target_key_id=key_id))
    client.tag_resource(k.TagResourceRequest(key_id=key_id, tags=[k.Tag(tag_key="team", tag_value="x")]))
    tags = client.list_resource_tags(k.ListRequest(key_id=key_id))
    assert [(t.tag_key, t.tag_value) for t in tags.tags] == [("team", "x")]
    aliases = client.list_aliases(k.ListRequest(key_id=key_id)).aliases
    assert [a.alias_name for a in aliases] == ["alias/typed"] and aliases[0].creation_date == START_MS
    deletion = client.schedule_key_deletion(k.ScheduleKeyDeletionRequest(key_id=key_id, pending_window_in_days=7))
    assert deletion.key_state == "PendingDeletion"
    assert deletion.deletion_date == START_MS + 7 * 86_400_000


def test_errors_are_the_same_typed_exceptions() -> None:
    client = fresh().client()
    with pytest.raises(k.KmsError.NotFoundException):
        client.describe_key(k.KeyIdRequest(key_id="alias/missing"))
    with pytest.raises(k.KmsError.ValidationException):
        client.create_key(k.CreateKeyRequest(key_spec="RSA_1024"))
    key_id = client.create_key(k.CreateKeyRequest()).key_metadata.key_id
    with pytest.raises(k.KmsError.DryRunOperationException):
        client.encrypt(k.EncryptRequest(key_id=key_id, plaintext=b"x", dry_run=True))


def test_client_calls_as_its_principal_in_its_region() -> None:
    kms = fresh()
    root = kms.client()
    key_id = root.create_key(k.CreateKeyRequest()).key_metadata.key_id
    session = kms.client(caller_json=json.dumps({"Principal": SESSION}))
    request = k.EncryptRequest(key_id=key_id, plaintext=b"granted", encryption_context={"app": "billing"})
    with pytest.raises(k.KmsError.AccessDeniedException):
        session.encrypt(request)
    grant = root.create_grant(k.CreateGrantRequest(
        key_id=key_id, grantee_principal=ROLE, operations=["Encrypt"],
        constraints=k.GrantConstraints(encryption_context_subset={"app": "billing"},
                                       encryption_context_equals=None)))
    assert session.encrypt(request).key_id.endswith(key_id)
    grants = root.list_grants(k.ListGrantsRequest(key_id=key_id)).grants
    assert [g.grant_id for g in grants] == [grant.grant_id]
    assert grants[0].constraints.encryption_context_subset == {"app": "billing"}

    eu = kms.client(region="eu-west-1")
    assert eu.region() == "eu-west-1" and root.region() == "us-east-1"
    arn = eu.create_key(k.CreateKeyRequest()).key_metadata.arn
    assert arn.startswith(f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/")
    with pytest.raises(k.KmsError.NotFoundException):  # the us-east-1 key is not in eu-west-1
        eu.describe_key(k.KeyIdRequest(key_id=key_id))
    with pytest.raises(k.KmsError.ValidationException):
        kms.client(caller_json="{not json")


def test_data_keys_and_random() -> None:
    client = fresh().client()
    key_id = client.create_key(k.CreateKeyRequest()).key_metadata.key_id
    with_plain = client.generate_data_key(k.GenerateDataKeyRequest(key_id=key_id, key_spec="AES_256"))
    without = client.generate_data_key_without_plaintext(k.GenerateDataKeyRequest(key_id=key_id, number_of_bytes=16))
    assert len(with_plain.plaintext) == 32 and without.plaintext is None
    opened = client.decrypt(k.DecryptRequest(ciphertext_blob=with_plain.ciphertext_blob))
    assert opened.plaintext == with_plain.plaintext
    pair = client.generate_data_key_pair_without_plaintext(
        k.GenerateDataKeyPairRequest(key_id=key_id, key_pair_spec="ECC_NIST_P256"))
    assert pair.private_key_plaintext is None and pair.public_key[0] == 0x30
    assert len(client.generate_random(k.GenerateRandomRequest(number_of_bytes=24)).plaintext) == 24


def test_records_have_kms_field_names() -> None:
    # core's shapes are the records: every field of the KMS request appears, in snake case
    fields = set(k.EncryptRequest.__init__.__code__.co_varnames) - {"self"}
    assert {"key_id", "plaintext", "encryption_context", "grant_tokens", "encryption_algorithm",
            "dry_run"} <= fields
    request: Any = k.CreateKeyRequest()  # every optional field defaults to None
    assert request.key_spec is None and request.tags is None and request.multi_region is None
