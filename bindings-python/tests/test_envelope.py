"""`kmskit.envelope`: messages in the AWS Encryption SDK format, checked against the official
AWS Encryption SDK for Python in both directions (raw AES and raw RSA keyrings), plus
streaming, keyrings and every way a message can be wrong."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import kmskit
from kmskit import envelope

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "testdata" / "envelope"
KEYS: dict[str, Any] = json.loads((DATA / "keys.json").read_text(encoding="utf-8"))
NAMESPACE = "kmskit-interop"
EC = {"purpose": "kmskit interop", "tenant": "exämple"}
AES = bytes.fromhex(KEYS["aes-256"]["hex"])


def plaintext(size: int) -> bytes:
    return bytes((31 * i + 7) & 0xFF for i in range(size))


def keyring(spec: dict[str, Any], private: bool = True) -> envelope.Keyring:
    key = KEYS[spec["key"]]
    if key["type"] == "aes":
        return envelope.RawAesKeyring(key_namespace=NAMESPACE, key_name=spec["key"], wrapping_key=bytes.fromhex(key["hex"]))
    return envelope.RawRsaKeyring(
        key_namespace=NAMESPACE,
        key_name=spec["key"],
        public_key=None if private else key["public_pem"],
        private_key=key["private_pem"] if private else None,
        padding=spec["padding"],
    )


def aes() -> envelope.Keyring:
    return envelope.RawAesKeyring(key_namespace=NAMESPACE, key_name="aes-256", wrapping_key=AES)


# ------------------------------------------------------------------------------------------
# the official SDK's messages decrypt here


def manifest(directory: str) -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads((DATA / directory / "manifest.json").read_text(encoding="utf-8"))[
        "vectors"
    ]
    return vectors


@pytest.mark.parametrize("vector", manifest("esdk-python"), ids=lambda v: v["name"])
def test_messages_of_the_python_esdk_decrypt(vector: dict[str, Any]) -> None:
    message = (DATA / "esdk-python" / vector["file"]).read_bytes()
    policy = vector["commitment_policy"]
    lenient = None if policy == "REQUIRE_ENCRYPT_REQUIRE_DECRYPT" else "REQUIRE_ENCRYPT_ALLOW_DECRYPT"
    for spec in vector["keyrings"]:
        result = envelope.decrypt(message, keyring=keyring(spec), commitment_policy=lenient)
        assert result.plaintext == plaintext(vector["plaintext_size"])
        assert result.algorithm_suite == vector["suite"].upper().replace("0X", "0x")
        for k, v in vector["encryption_context"].items():
            assert result.encryption_context[k] == v
    if lenient is not None:  # format 1: refused under the default policy
        with pytest.raises(kmskit.InvalidCiphertextException):
            envelope.decrypt(message, keyring=keyring(vector["keyrings"][0]))


# ------------------------------------------------------------------------------------------
# and ours decrypt with the official SDK (installed by ci/test.sh), written live

def official(spec: dict[str, Any]) -> Any:
    sys.path.insert(0, str(DATA))
    from make_vectors import master_key  # type: ignore[import-not-found]

    return master_key(KEYS, spec)


CASES = [
    ({"key": "aes-256"}, "0x0478", 4096, 10_000),
    ({"key": "aes-128"}, "0x0578", 128, 4096),
    ({"key": "aes-192"}, "0x0478", 1, 300),
    ({"key": "rsa-2048", "padding": "OAEP_SHA256"}, "0x0578", 4096, 1),
    ({"key": "rsa-2048", "padding": "OAEP_SHA1"}, "0x0478", 4096, 0),
    ({"key": "rsa-2048", "padding": "PKCS1"}, "0x0478", 1 << 20, 70_000),
]


@pytest.mark.parametrize(("spec", "suite", "frame_length", "size"), CASES)
def test_both_ways_with_the_official_python_sdk(spec: dict[str, Any], suite: str, frame_length: int, size: int) -> None:
    pytest.importorskip("aws_encryption_sdk")  # ci/test.sh installs it
    from aws_encryption_sdk import CommitmentPolicy, EncryptionSDKClient
    from aws_encryption_sdk.identifiers import Algorithm

    client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    data = plaintext(size)
    # kmskit -> ESDK
    ours = envelope.encrypt(
        data, keyring=keyring(spec, private=False), encryption_context=EC, algorithm_suite=suite, frame_length=frame_length
    )
    theirs_plain, header = client.decrypt(source=ours, key_provider=official(spec))
    assert theirs_plain == data
    assert {k: v for k, v in header.encryption_context.items() if k in EC} == EC
    assert header.algorithm.algorithm_id == int(suite, 16)
    # ESDK -> kmskit (the SDK writes frame lengths in multiples of 128 only)
    algorithm = {0x0478: Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
                 0x0578: Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384}[int(suite, 16)]
    message, _ = client.encrypt(
        source=data, key_provider=official(spec), encryption_context=EC, algorithm=algorithm,
        frame_length=max(128, frame_length - frame_length % 128),
    )
    result = envelope.decrypt(message, keyring=keyring(spec), encryption_context=EC)
    assert result.plaintext == data and result.algorithm_suite == suite


# ------------------------------------------------------------------------------------------
# round trips, streams and keyrings


@pytest.mark.parametrize("suite", ["0x0478", "0x0578"])
@pytest.mark.parametrize(("frame_length", "size"), [(1, 0), (1, 5), (4096, 4096), (4096, 100_000), (512, 1)])
def test_round_trip(suite: str, frame_length: int, size: int) -> None:
    data = plaintext(size)
    message = envelope.encrypt(data, keyring=aes(), encryption_context=EC, algorithm_suite=suite, frame_length=frame_length)
    assert message[0] == 2 and message[1:3] == bytes.fromhex(suite[2:])
    r = envelope.decrypt(message, keyring=aes(), encryption_context=EC)
    assert r.plaintext == data and r.frame_length == frame_length and len(r.message_id) == 32
    assert ("aws-crypto-public-key" in r.encryption_context) == (suite == "0x0578")


def test_streams_match_one_shot_and_keep_memory_per_frame() -> None:
    data = plaintext(300_000)
    sink = io.BytesIO()
    n = envelope.encrypt_stream(io.BytesIO(data), sink, keyring=aes(), encryption_context=EC, frame_length=1000, chunk_size=777)
    message = sink.getvalue()
    assert n == len(message)
    assert envelope.decrypt(message, keyring=aes()).plaintext == data
    out = io.BytesIO()
    r = envelope.decrypt_stream(io.BytesIO(message), out, keyring=aes(), encryption_context=EC, chunk_size=333)
    assert out.getvalue() == data and r.plaintext is None and r.frame_length == 1000
    # piece by piece: no plaintext out before its frame is complete
    d = envelope.Decryptor(keyring=aes())
    got = b"".join(d.update(message[i : i + 50]) for i in range(0, len(message), 50))
    rest, result = d.finish()
    assert got + rest == data and result.encryption_context["tenant"] == "exämple"


def test_signed_messages_can_hold_everything_until_the_footer_verifies() -> None:
    message = envelope.encrypt(plaintext(5000), keyring=aes(), algorithm_suite="0x0578", frame_length=1000)
    broken = bytearray(message)
    broken[-5] ^= 1  # in the footer's signature
    head, tail = bytes(broken[:-20]), bytes(broken[-20:])
    d = envelope.Decryptor(keyring=aes(), release="AFTER_VERIFICATION")
    assert d.update(head) == b""  # every frame verified, none released
    with pytest.raises(kmskit.InvalidCiphertextException):
        d.update(tail)
        d.finish()
    per_frame = envelope.Decryptor(keyring=aes())
    assert len(per_frame.update(head)) == 5000  # released frame by frame, as documented
    with pytest.raises(kmskit.InvalidCiphertextException):
        per_frame.update(tail)
        per_frame.finish()
    good = envelope.Decryptor(keyring=aes(), release="AFTER_VERIFICATION")
    assert good.update(message[:-20]) == b""
    assert good.update(message[-20:]) + good.finish()[0] == plaintext(5000)
    with pytest.raises(kmskit.ValidationException):
        envelope.Decryptor(keyring=aes(), release="sometimes")


def test_every_wrong_message_is_refused_and_releases_nothing() -> None:
    message = envelope.encrypt(plaintext(3000), keyring=aes(), encryption_context=EC, frame_length=1024)
    for i in list(range(0, 200, 7)) + list(range(len(message) - 120, len(message), 5)):
        bad = bytearray(message)
        bad[i] ^= 0x10
        with pytest.raises((kmskit.InvalidCiphertextException, kmskit.IncorrectKeyException)):
            envelope.decrypt(bytes(bad), keyring=aes())
    for cut in (0, 10, len(message) // 2, len(message) - 1):
        with pytest.raises(kmskit.InvalidCiphertextException):
            envelope.decrypt(message[:cut], keyring=aes())
    with pytest.raises(kmskit.InvalidCiphertextException):
        envelope.decrypt(message, keyring=aes(), encryption_context={"purpose": "other"})
    other = envelope.RawAesKeyring(key_namespace=NAMESPACE, key_name="other", wrapping_key=AES)
    with pytest.raises(kmskit.IncorrectKeyException) as info:
        envelope.decrypt(message, keyring=other)
    assert "aes-256" in info.value.message  # which EDKs were tried, and why not
    two = envelope.MultiKeyring(aes(), [other])
    with pytest.raises(kmskit.LimitExceededException):
        envelope.decrypt(envelope.encrypt(b"x", keyring=two), keyring=aes(), max_encrypted_data_keys=1)


def test_required_encryption_context_is_authenticated_not_stored() -> None:
    ec = {"tenant": "a", "region": "eu"}
    message = envelope.encrypt(b"x", keyring=aes(), encryption_context=ec, required_encryption_context_keys=["tenant"])
    assert b"tenant" not in message and b"region" in message
    r = envelope.decrypt(message, keyring=aes(), encryption_context={"tenant": "a"}, required_encryption_context_keys=["tenant"])
    assert r.plaintext == b"x" and r.encryption_context["tenant"] == "a"
    with pytest.raises(kmskit.InvalidCiphertextException):
        envelope.decrypt(message, keyring=aes(), encryption_context={"tenant": "b"})
    with pytest.raises(kmskit.KmsError):
        envelope.decrypt(message, keyring=aes())


def first_edk(message: bytes) -> bytes:
    """The first encrypted data key's ciphertext (format 2 header: version, suite, message ID,
    then the length-prefixed encryption context and the EDK list)."""
    at = 1 + 2 + 32
    at += 2 + int.from_bytes(message[at : at + 2], "big")
    at += 2  # EDK count
    for _ in range(2):  # provider ID, provider info
        at += 2 + int.from_bytes(message[at : at + 2], "big")
    n = int.from_bytes(message[at : at + 2], "big")
    return message[at + 2 : at + 2 + n]


def test_local_kms_multi_and_caching_keyrings() -> None:
    kms = kmskit.Kms(seed=b"envelope")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kr = envelope.KmsKeyring(kms, key_id)
    assert key_id in repr(kr)
    message = envelope.encrypt(b"secret", keyring=kr, encryption_context=EC)
    assert b"kmskit-kms" in message
    assert envelope.decrypt(message, keyring=kr).plaintext == b"secret"
    kms.disable_key(KeyId=key_id)
    with pytest.raises(kmskit.KmsError) as info:
        envelope.decrypt(message, keyring=kr)
    assert "DisabledException" in info.value.message
    kms.enable_key(KeyId=key_id)
    multi = envelope.MultiKeyring(kr, [aes()])
    both = envelope.encrypt(b"two", keyring=multi)
    assert envelope.decrypt(both, keyring=aes()).plaintext == b"two"
    assert envelope.decrypt(both, keyring=kr).plaintext == b"two"
    with pytest.raises(kmskit.ValidationException):
        envelope.MultiKeyring()
    cached = envelope.CachingKeyring(kr, max_messages=2)
    m1, m2, m3 = (envelope.encrypt(b"m", keyring=cached) for _ in range(3))
    # the data key is reused for two messages (same wrapped key), then a new one is made
    assert first_edk(m1) == first_edk(m2) != first_edk(m3)
    assert first_edk(envelope.encrypt(b"m", keyring=kr)) != first_edk(envelope.encrypt(b"m", keyring=kr))
    for m in (m1, m2, m3):
        assert envelope.decrypt(m, keyring=kr).plaintext == b"m"


def test_bad_options_are_validation_errors() -> None:
    for kwargs in (
        {"algorithm_suite": "0x9999"},
        {"frame_length": 0},
        {"commitment_policy": "SOMETIMES"},
        {"encryption_context": {"aws-crypto-x": "reserved"}},
        {"algorithm_suite": "0x0178"},  # not committing: refused by the default policy
    ):
        with pytest.raises(kmskit.ValidationException):
            envelope.encrypt(b"x", keyring=aes(), **kwargs)
    with pytest.raises(kmskit.ValidationException):
        envelope.RawAesKeyring(key_namespace="aws-kms", key_name="k", wrapping_key=AES)
    with pytest.raises(kmskit.ValidationException):
        envelope.RawAesKeyring(key_namespace="ns", key_name="k", wrapping_key=b"short")
    with pytest.raises(kmskit.ValidationException):
        envelope.RawRsaKeyring(key_namespace="ns", key_name="k", public_key=KEYS["rsa-2048"]["public_pem"], padding="OAEP_MD5")


# ------------------------------------------------------------------------------------------
# messages and plaintext are written straight into the returned bytes (huge pages on Linux)


@pytest.mark.parametrize("suite", ["0x0478", "0x0578"])
@pytest.mark.parametrize("size", [0, 4096, (6 << 20) + 3])
def test_one_shot_calls_return_exact_buffers(suite: str, size: int) -> None:
    data = plaintext(size)
    message = envelope.encrypt(data, keyring=aes(), encryption_context=EC, algorithm_suite=suite)
    assert type(message) is bytes
    # the one-shot call sizes its buffer in advance; the streaming writer only appends
    streamed = io.BytesIO()
    envelope.encrypt_stream(io.BytesIO(data), streamed, keyring=aes(), encryption_context=EC, algorithm_suite=suite)
    assert len(message) == len(streamed.getvalue())
    assert envelope.decrypt(streamed.getvalue(), keyring=aes()).plaintext == data
    result = envelope.decrypt(message, keyring=aes(), encryption_context=EC)
    assert type(result.plaintext) is bytes and result.plaintext == data
    bad = bytearray(message)
    bad[len(bad) // 2] ^= 0x40
    with pytest.raises(kmskit.InvalidCiphertextException):
        envelope.decrypt(bytes(bad), keyring=aes())
    # borrowed input: bytes, bytearray and memoryview all work
    for form in (bytearray(data), memoryview(data)):
        assert envelope.decrypt(envelope.encrypt(form, keyring=aes()), keyring=aes()).plaintext == data
