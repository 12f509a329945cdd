"""The uniffi-generated Python bindings, run against the real cdylib (as Kotlin/Swift would be)."""

import json
import pathlib

import kmskit_uniffi as k
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = json.loads((ROOT / "testdata/skeleton/vectors.json").read_text())


def key_bytes(name: str) -> bytes:
    if name.endswith(":pem"):
        return VECTORS["keys"][name[:-4]]["pem"].encode()
    return bytes.fromhex(VECTORS["keys"][name]["der_hex"])


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_skeleton_vector(case: dict) -> None:
    args = (key_bytes(case["key"]), bytes.fromhex(case["message_hex"]),
            bytes.fromhex(case["signature_hex"]), case["algorithm"], case["message_type"])
    if isinstance(case["expect"], bool):
        assert k.verify(*args) is case["expect"]
    else:
        with pytest.raises(k.KmsError) as info:
            k.verify(*args)
        assert type(info.value).__name__.lower() == case["expect"].lower()


def test_error_enum_matches_core_codes() -> None:
    variants = [name for name, v in vars(k.KmsError).items()
                if isinstance(v, type) and issubclass(v, k.KmsError)]
    # uniffi writes acronyms in camel case: KMSInternalException -> KmsInternalException
    assert sorted(v.lower() for v in variants) == sorted(c.lower() for c in k.error_codes())


def test_panic_becomes_kms_internal_exception() -> None:
    with pytest.raises(k.KmsError.KmsInternalException):
        k.panic_probe()


# Free functions of the local KMS, outside core's offline list (api::FUNCTIONS); the `Kms`
# object's methods are checked in test_uniffi_kms.py.
KMS_FUNCTIONS = {"kms_operations"}
# Envelope encryption's free functions, likewise outside api::FUNCTIONS; its objects
# (Keyring, Encryptor, Decryptor) are checked in test_uniffi_envelope.py.
ENVELOPE_FUNCTIONS = {"envelope_encrypt", "envelope_decrypt"}


def test_exports_match_core_list() -> None:
    public = {n for n, v in vars(k).items() if callable(v) and not n.startswith("_")
              and not isinstance(v, type) and v.__module__ == k.__name__}
    assert public - {"panic_probe"} - KMS_FUNCTIONS - ENVELOPE_FUNCTIONS == set(k.capabilities())
    assert KMS_FUNCTIONS <= public and isinstance(k.Kms, type)
    assert ENVELOPE_FUNCTIONS <= public and all(isinstance(c, type) for c in (k.Keyring, k.Encryptor, k.Decryptor))
