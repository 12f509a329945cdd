"""Envelope encryption (AWS Encryption SDK messages) through the uniffi-generated Python bindings
(the `Keyring`, `Encryptor` and `Decryptor` objects Kotlin and Swift see), run against the real
cdylib: round trips, chunked streaming, the official Python ESDK's messages, tampering, and the
local-KMS, multi and caching keyrings."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import kmskit_uniffi as k
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "testdata" / "envelope"
KEYS: dict[str, Any] = json.loads((DATA / "keys.json").read_text(encoding="utf-8"))
NAMESPACE = "kmskit-interop"
EC = {"purpose": "kmskit interop", "tenant": "exämple"}
AES = bytes.fromhex(KEYS["aes-256"]["hex"])
VECTORS: list[dict[str, Any]] = json.loads((DATA / "esdk-python" / "manifest.json").read_text(encoding="utf-8"))[
    "vectors"
]


def plaintext(size: int) -> bytes:
    return bytes((31 * i + 7) & 0xFF for i in range(size))


def aes() -> k.Keyring:
    return k.Keyring.raw_aes(NAMESPACE, "aes-256", AES)


def keyring(spec: dict[str, Any], private: bool = True) -> k.Keyring:
    key = KEYS[spec["key"]]
    if key["type"] == "aes":
        return k.Keyring.raw_aes(NAMESPACE, spec["key"], bytes.fromhex(key["hex"]))
    if private:
        return k.Keyring.raw_rsa(NAMESPACE, spec["key"], private_key=key["private_pem"].encode(), padding=spec["padding"])
    return k.Keyring.raw_rsa(NAMESPACE, spec["key"], public_key=key["public_pem"].encode(), padding=spec["padding"])


def in_chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("suite", ["0x0478", "0x0578"])
@pytest.mark.parametrize(("frame_length", "size"), [(1, 0), (1, 5), (4096, 4096), (4096, 100_000), (512, 1)])
def test_round_trip(suite: str, frame_length: int, size: int) -> None:
    data = plaintext(size)
    options = k.EncryptOptions(encryption_context=EC, algorithm_suite=suite, frame_length=frame_length)
    message = k.envelope_encrypt(data, aes(), options)
    assert message[0] == 2 and message[1:3] == bytes.fromhex(suite[2:])
    r = k.envelope_decrypt(message, aes(), k.DecryptOptions(encryption_context=EC))
    assert r.plaintext == data
    assert r.algorithm_suite == suite
    assert r.frame_length == frame_length and len(r.message_id) == 32
    assert {key: r.encryption_context[key] for key in EC} == EC
    assert ("aws-crypto-public-key" in r.encryption_context) == (suite == "0x0578")


def test_defaults_are_cores() -> None:
    o = k.EncryptOptions()
    assert (o.encryption_context, o.algorithm_suite, o.frame_length, o.commitment_policy) == ({}, None, 4096, None)
    assert (o.required_encryption_context_keys, o.max_encrypted_data_keys) == ([], None)
    d = k.DecryptOptions()
    assert (d.encryption_context, d.required_encryption_context_keys, d.commitment_policy, d.release) == (
        None, [], None, None)
    message = k.envelope_encrypt(b"defaults", aes())  # options default
    r = k.envelope_decrypt(message, aes())
    assert (r.plaintext, r.algorithm_suite, r.frame_length, r.encryption_context) == (b"defaults", "0x0478", 4096, {})


def test_rsa_keyrings_round_trip() -> None:
    for padding in ("OAEP_SHA1", "OAEP_SHA256", "OAEP_SHA384", "OAEP_SHA512", "PKCS1"):
        spec = {"key": "rsa-2048", "padding": padding}
        message = k.envelope_encrypt(b"rsa " + padding.encode(), keyring(spec, private=False))
        assert k.envelope_decrypt(message, keyring(spec)).plaintext == b"rsa " + padding.encode()
    # padding defaults to OAEP_SHA256
    default = k.Keyring.raw_rsa(NAMESPACE, "rsa-2048", public_key=KEYS["rsa-2048"]["public_pem"].encode())
    message = k.envelope_encrypt(b"x", default)
    assert k.envelope_decrypt(message, keyring({"key": "rsa-2048", "padding": "OAEP_SHA256"})).plaintext == b"x"
    assert "rsa-2048" in default.describe()


# ------------------------------------------------------------------------------ streaming


@pytest.mark.parametrize("suite", ["0x0478", "0x0578"])
def test_chunked_streaming_equals_one_shot(suite: str) -> None:
    data = plaintext(50_000)
    options = k.EncryptOptions(encryption_context=EC, algorithm_suite=suite, frame_length=1024)
    e = k.Encryptor(aes(), options, plaintext_length=len(data))
    streamed = b"".join(e.update(c) for c in in_chunks(data, 777)) + e.finish()
    one_shot = k.envelope_encrypt(data, aes(), options)
    # both decrypt the same way (message IDs and data keys differ; the layout is equal)
    assert len(streamed) == len(one_shot) and streamed[:3] == one_shot[:3]
    for message in (streamed, one_shot):
        d = k.Decryptor(aes(), k.DecryptOptions(encryption_context=EC))
        out = b"".join(d.update(c) for c in in_chunks(message, 333))
        end = d.finish()
        assert out + end.plaintext == data == k.envelope_decrypt(message, aes()).plaintext
        assert end.info.algorithm_suite == suite and end.info.frame_length == 1024
        assert {key: end.info.encryption_context[key] for key in EC} == EC
        assert end.info.message_id == k.envelope_decrypt(message, aes()).message_id


def test_decryptor_releases_verified_frames_early_unless_told_not_to() -> None:
    data = plaintext(5000)
    message = k.envelope_encrypt(data, aes(), k.EncryptOptions(algorithm_suite="0x0578", frame_length=1000))
    per_frame = k.Decryptor(aes())
    early = per_frame.update(message[:-200])
    assert len(early) >= 1000 and data.startswith(early)
    assert early + per_frame.update(message[-200:]) + per_frame.finish().plaintext == data
    held = k.Decryptor(aes(), k.DecryptOptions(release="AFTER_VERIFICATION"))
    assert held.update(message) == b""
    assert held.finish().plaintext == data
    with pytest.raises(k.KmsError.ValidationException):
        k.Decryptor(aes(), k.DecryptOptions(release="sometimes"))


def test_truncated_stream_fails_at_finish() -> None:
    message = k.envelope_encrypt(plaintext(3000), aes(), k.EncryptOptions(frame_length=1024))
    d = k.Decryptor(aes())
    d.update(message[:-10])
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        d.finish()


# ------------------------------------------------------------------------------ the official SDK


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["name"])
def test_messages_of_the_python_esdk_decrypt(vector: dict[str, Any]) -> None:
    message = (DATA / "esdk-python" / vector["file"]).read_bytes()
    strict = vector["commitment_policy"] == "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
    options = k.DecryptOptions(commitment_policy=None if strict else "REQUIRE_ENCRYPT_ALLOW_DECRYPT")
    for spec in vector["keyrings"]:
        r = k.envelope_decrypt(message, keyring(spec), options)
        assert r.plaintext == plaintext(vector["plaintext_size"])
        assert r.algorithm_suite == vector["suite"].upper().replace("0X", "0x")
        for key, value in vector["encryption_context"].items():
            assert r.encryption_context[key] == value
    if not strict:  # non-committing suites: refused under the default policy
        with pytest.raises(k.KmsError.InvalidCiphertextException):
            k.envelope_decrypt(message, keyring(vector["keyrings"][0]))


# ------------------------------------------------------------------------------ wrong messages


def test_tampering_is_invalid_ciphertext() -> None:
    message = k.envelope_encrypt(plaintext(3000), aes(), k.EncryptOptions(encryption_context=EC, frame_length=1024))
    for i in list(range(0, 200, 7)) + list(range(len(message) - 120, len(message), 5)):
        bad = bytearray(message)
        bad[i] ^= 0x10
        with pytest.raises((k.KmsError.InvalidCiphertextException, k.KmsError.IncorrectKeyException)):
            k.envelope_decrypt(bytes(bad), aes())
    body = bytearray(message)
    body[len(body) // 2] ^= 0x01
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        k.envelope_decrypt(bytes(body), aes())
    for cut in (0, 10, len(message) // 2, len(message) - 1):
        with pytest.raises(k.KmsError.InvalidCiphertextException):
            k.envelope_decrypt(message[:cut], aes())
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        k.envelope_decrypt(message, aes(), k.DecryptOptions(encryption_context={"purpose": "other"}))
    other = k.Keyring.raw_aes(NAMESPACE, "other", AES)
    with pytest.raises(k.KmsError.IncorrectKeyException) as info:
        k.envelope_decrypt(message, other)
    assert "aes-256" in str(info.value)  # which EDKs were tried, and why not


def test_required_encryption_context_is_authenticated_not_stored() -> None:
    ec = {"tenant": "a", "region": "eu"}
    message = k.envelope_encrypt(
        b"x", aes(), k.EncryptOptions(encryption_context=ec, required_encryption_context_keys=["tenant"]))
    assert b"tenant" not in message and b"region" in message
    r = k.envelope_decrypt(
        message, aes(), k.DecryptOptions(encryption_context={"tenant": "a"}, required_encryption_context_keys=["tenant"]))
    assert r.plaintext == b"x" and r.encryption_context["tenant"] == "a"
    with pytest.raises(k.KmsError.InvalidCiphertextException):
        k.envelope_decrypt(message, aes(), k.DecryptOptions(encryption_context={"tenant": "b"}))
    with pytest.raises(k.KmsError):
        k.envelope_decrypt(message, aes())


def test_bad_options_are_validation_errors() -> None:
    for options in (
        k.EncryptOptions(algorithm_suite="0x9999"),
        k.EncryptOptions(frame_length=0),
        k.EncryptOptions(commitment_policy="SOMETIMES"),
        k.EncryptOptions(encryption_context={"aws-crypto-x": "reserved"}),
        k.EncryptOptions(algorithm_suite="0x0178"),  # not committing: refused by the default policy
    ):
        with pytest.raises(k.KmsError.ValidationException):
            k.envelope_encrypt(b"x", aes(), options)
        with pytest.raises(k.KmsError.ValidationException):
            k.Encryptor(aes(), options)
    with pytest.raises(k.KmsError.ValidationException):
        k.Keyring.raw_aes("aws-kms", "k", AES)
    with pytest.raises(k.KmsError.ValidationException):
        k.Keyring.raw_aes(NAMESPACE, "k", b"short")
    with pytest.raises(k.KmsError.ValidationException):
        k.Keyring.raw_rsa(NAMESPACE, "k", public_key=KEYS["rsa-2048"]["public_pem"].encode(), padding="OAEP_MD5")
    with pytest.raises(k.KmsError.ValidationException):
        k.Keyring.multi()


# ------------------------------------------------------------------------------ KMS, multi, caching


def first_edk(message: bytes) -> bytes:
    """The first encrypted data key's ciphertext (format 2 header)."""
    at = 1 + 2 + 32
    at += 2 + int.from_bytes(message[at : at + 2], "big")
    at += 2  # EDK count
    for _ in range(2):  # provider ID, provider info
        at += 2 + int.from_bytes(message[at : at + 2], "big")
    n = int.from_bytes(message[at : at + 2], "big")
    return message[at + 2 : at + 2 + n]


def test_kms_keyring_shares_the_uniffi_kms() -> None:
    kms = k.Kms(seed=b"uniffi envelope")
    key_id = json.loads(kms.call("CreateKey", "{}"))["KeyMetadata"]["KeyId"]
    kr = k.Keyring.kms(kms, key_id)
    assert key_id in kr.describe()
    message = k.envelope_encrypt(b"secret", kr, k.EncryptOptions(encryption_context=EC))
    assert b"kmskit-kms" in message
    assert k.envelope_decrypt(message, kr).plaintext == b"secret"
    # the keyring sees the same KMS: disabling the key there stops it
    kms.call("DisableKey", json.dumps({"KeyId": key_id}))
    with pytest.raises(k.KmsError) as info:
        k.envelope_decrypt(message, kr)
    assert "DisabledException" in str(info.value)
    kms.call("EnableKey", json.dumps({"KeyId": key_id}))
    assert k.envelope_decrypt(message, kr).plaintext == b"secret"
    # streaming with the KMS keyring
    d = k.Decryptor(kr)
    assert d.update(message) + d.finish().plaintext == b"secret"


def test_multi_keyring() -> None:
    kms = k.Kms(seed=b"uniffi envelope multi")
    kr = k.Keyring.kms(kms, json.loads(kms.call("CreateKey", "{}"))["KeyMetadata"]["KeyId"])
    rsa = {"key": "rsa-2048", "padding": "OAEP_SHA256"}
    multi = k.Keyring.multi(kr, [aes(), keyring(rsa, private=False)])
    message = k.envelope_encrypt(b"three", multi)
    for one in (kr, aes(), keyring(rsa)):
        assert k.envelope_decrypt(message, one).plaintext == b"three"
    assert k.envelope_decrypt(message, multi).plaintext == b"three"
    # no generator: children only (decrypt-side multi-keyring)
    assert k.envelope_decrypt(message, k.Keyring.multi(children=[keyring(rsa)])).plaintext == b"three"
    with pytest.raises(k.KmsError.LimitExceededException):
        k.envelope_decrypt(message, aes(), k.DecryptOptions(max_encrypted_data_keys=2))
    with pytest.raises(k.KmsError.LimitExceededException):
        k.envelope_encrypt(b"x", multi, k.EncryptOptions(max_encrypted_data_keys=2))


def test_caching_keyring() -> None:
    kms = k.Kms(seed=b"uniffi envelope cache")
    kr = k.Keyring.kms(kms, json.loads(kms.call("CreateKey", "{}"))["KeyMetadata"]["KeyId"])
    cached = k.Keyring.caching(kr, max_messages=2)
    m1, m2, m3 = (k.envelope_encrypt(b"m", cached) for _ in range(3))
    # the data key is reused for two messages (same wrapped key), then a new one is made
    assert first_edk(m1) == first_edk(m2) != first_edk(m3)
    assert first_edk(k.envelope_encrypt(b"m", kr)) != first_edk(k.envelope_encrypt(b"m", kr))
    for m in (m1, m2, m3):
        assert k.envelope_decrypt(m, kr).plaintext == b"m"
    # defaults (core's): reuse within the five minutes
    default = k.Keyring.caching(kr)
    assert first_edk(k.envelope_encrypt(b"a", default)) == first_edk(k.envelope_encrypt(b"b", default))
    with pytest.raises(k.KmsError.ValidationException):
        k.Keyring.caching(kr, capacity=0)


# ------------------------------------------------------------------------------ surface


def test_envelope_surface() -> None:
    def methods(cls: type) -> set[str]:
        return {n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")}

    assert methods(k.Keyring) == {"describe"}
    for constructor in ("raw_aes", "raw_rsa", "kms", "multi", "caching"):
        assert isinstance(vars(k.Keyring)[constructor], classmethod)
    assert methods(k.Encryptor) == {"update", "finish"}
    assert methods(k.Decryptor) == {"update", "finish"}
    assert callable(k.envelope_encrypt) and callable(k.envelope_decrypt)
