"""Snapshots, key blobs, seed files and the encrypted container from Python: the golden files
of `testdata/kms/` are reproduced byte for byte and read back (docs/formats.md)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import kmskit

GOLDEN = Path(__file__).resolve().parents[2] / "testdata" / "kms"
MANIFEST: dict[str, Any] = json.loads((GOLDEN / "manifest.json").read_text())


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def seeded() -> kmskit.Kms:
    c = MANIFEST["config"]
    start = datetime.fromtimestamp(c["start_time_ms"] / 1000, tz=timezone.utc)
    return kmskit.Kms.from_seed(golden("seed.json"), seed=c["seed_utf8"], start_time=start)


def test_golden_files_are_reproduced_and_read_back() -> None:
    kms = seeded()
    snapshot = kms.export_snapshot()
    assert snapshot == golden("snapshot.json")
    assert kms.export_key_blob("alias/signing") == golden("key.json")
    replica = json.loads(golden("key-replica.json"))["key"]["key_id"]
    assert kms.client("eu-west-1").export_key_blob(replica) == golden("key-replica.json")
    key = bytes.fromhex(MANIFEST["wrapping_key_hex"])
    assert kmskit.Kms.seal(snapshot, key=key, nonce=bytes.fromhex(MANIFEST["key_nonce_hex"])) == golden(
        "snapshot.key.enc"
    )
    sealed = kmskit.Kms.seal(
        snapshot,
        passphrase=MANIFEST["passphrase"],
        argon2=MANIFEST["argon2"],
        salt=bytes.fromhex(MANIFEST["salt_hex"]),
        nonce=bytes.fromhex(MANIFEST["passphrase_nonce_hex"]),
    )
    assert sealed == golden("snapshot.passphrase.enc")

    created = None
    for call in MANIFEST["calls"]:
        if "advance_ms" in call:
            kms.advance(call["advance_ms"] / 1000)
            continue
        request = dict(call["request"])
        if request.get("TargetKeyId") == "<KeyId of the CreateKey response>":
            request["TargetKeyId"] = created
        response = getattr(kms, dict(kmskit.KmsNative.operations())[call["operation"]])(**request)
        if call["operation"] == "CreateKey":
            created = response["KeyMetadata"]["KeyId"]
    assert kms.export_snapshot() == golden("snapshot-after-calls.json")

    for name in ("snapshot.json", "snapshot-after-calls.json"):
        assert kmskit.Kms.from_snapshot(golden(name)).export_snapshot() == golden(name)
    assert kmskit.Kms.unseal(golden("snapshot.key.enc"), key=key) == golden("snapshot.json")
    assert kmskit.Kms.unseal(golden("snapshot.passphrase.enc"), passphrase=MANIFEST["passphrase"]) == golden(
        "snapshot.json"
    )
    assert kmskit.Kms.inspect_sealed(golden("snapshot.passphrase.enc")) == {
        "kdf": "argon2id",
        "argon2": {"m_cost_kib": 64, "t_cost": 1, "p_cost": 1},
        "plaintext_length": len(snapshot),
    }
    assert kmskit.Kms.inspect_sealed(golden("snapshot.key.enc")) == {"kdf": "key", "plaintext_length": len(snapshot)}
    with pytest.raises(kmskit.InvalidCiphertextException):
        kmskit.Kms.unseal(golden("snapshot.key.enc"), key=bytes(32))
    with pytest.raises(kmskit.InvalidCiphertextException):
        kmskit.Kms.unseal(golden("snapshot.passphrase.enc"), passphrase="wrong")

    # a key blob moves a key into another KMS, and exports the same bytes there
    other = kmskit.Kms(seed=b"\x09")
    meta = other.import_key_blob(golden("key.json"))
    assert meta["KeySpec"] == "ECC_NIST_P256" and isinstance(meta["CreationDate"], datetime)
    assert other.export_key_blob(meta["KeyId"]) == golden("key.json")
    with pytest.raises(kmskit.AlreadyExistsException):
        other.import_key_blob(golden("key.json"))


def test_snapshots_restore_keys_and_refuse_malformed_input() -> None:
    kms = kmskit.Kms(seed=b"\x03")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/moved", TargetKeyId=key_id)
    blob = kms.encrypt(KeyId="alias/moved", Plaintext=b"kept")["CiphertextBlob"]
    kms.put_principal_policy("arn:aws:iam::111122223333:user/alice", "p", {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]})
    sealed = kmskit.Kms.seal(kms.export_snapshot(), passphrase="pw", argon2={"m_cost_kib": 8, "t_cost": 1, "p_cost": 1})
    restored = kmskit.Kms.from_snapshot(kmskit.Kms.unseal(sealed, passphrase="pw"))
    assert restored.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"
    alice = restored.client(principal="arn:aws:iam::111122223333:user/alice")
    assert alice.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"  # IAM policies travel too
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.from_snapshot(b"{}")
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.from_seed('{"Keys": 1}')
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.seal(b"x", key=bytes(31))
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.seal(b"x", key=bytes(32), nonce=bytes(3))
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.seal(b"x")
    with pytest.raises(kmskit.ValidationException):
        kmskit.Kms.seal(b"x", passphrase="pw", argon2={"memory": 8})
    with pytest.raises(kmskit.NotFoundException):
        kms.export_key_blob("alias/none")
