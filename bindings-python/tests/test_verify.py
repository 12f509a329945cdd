"""The walking-skeleton vectors (OpenSSL-made, testdata/skeleton/) through the Python binding."""

import pytest

import kmskit
from conftest import key_bytes, load_vectors

VECTORS = load_vectors("skeleton/vectors.json")


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_skeleton_vector(case: dict) -> None:
    args = (
        key_bytes(VECTORS, case["key"]),
        bytes.fromhex(case["message_hex"]),
        bytes.fromhex(case["signature_hex"]),
        case["algorithm"],
        case["message_type"],
    )
    if isinstance(case["expect"], bool):
        assert kmskit.verify(*args) is case["expect"]
    else:
        with pytest.raises(kmskit.KmsError) as info:
            kmskit.verify(*args)
        assert info.value.code == case["expect"]
        assert type(info.value).__name__ == case["expect"]
        assert info.value.message  # says what is wrong


def test_keyword_arguments_and_defaults() -> None:
    case = VECTORS["cases"][0]
    assert kmskit.verify(
        public_key=key_bytes(VECTORS, "p256"),
        message=bytes.fromhex(case["message_hex"]),
        signature=bytes.fromhex(case["signature_hex"]),
        signing_algorithm="ECDSA_SHA_256",
    )


def test_unknown_algorithm_is_a_validation_error() -> None:
    with pytest.raises(kmskit.ValidationException, match="ECDSA_SHA_256"):
        kmskit.verify(key_bytes(VECTORS, "p256"), b"m", b"s", "ecdsa_sha_256")


def test_distinguishing_id_only_for_sm2() -> None:
    with pytest.raises(kmskit.ValidationException, match="SM2DSA"):
        kmskit.verify(key_bytes(VECTORS, "p256"), b"m", b"s", "ECDSA_SHA_256", "RAW", "1234")


@pytest.mark.parametrize("junk", [b"", b"\x30", b"\x30\x03\x02\x01\x01" * 3, b"-----BEGIN PUBLIC KEY-----\n!!\n"])
def test_malformed_keys_raise_validation_not_crash(junk: bytes) -> None:
    with pytest.raises(kmskit.ValidationException):
        kmskit.verify(junk, b"m", b"s", "ECDSA_SHA_256")
