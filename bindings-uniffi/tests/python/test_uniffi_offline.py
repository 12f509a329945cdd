"""testdata/offline/vectors.json through the uniffi-generated Python bindings (the same
definitions Kotlin and Swift use)."""

import json
import pathlib

import kmskit_uniffi as k
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
V = json.loads((ROOT / "testdata/offline/vectors.json").read_text())


def key(name: str) -> bytes:
    if name.endswith(":pem"):
        return V["keys"][name[:-4]]["pem"].encode()
    return bytes.fromhex(V["keys"][name]["der_hex"])


@pytest.mark.parametrize("c", V["verify"], ids=lambda c: c["name"])
def test_verify(c: dict) -> None:
    args = (key(c["key"]), bytes.fromhex(c["message_hex"]), bytes.fromhex(c["signature_hex"]),
            c["algorithm"], c["message_type"], c.get("distinguishing_id"))
    if isinstance(c["expect"], bool):
        assert k.verify(*args) is c["expect"]
    else:
        with pytest.raises(k.KmsError) as info:
            k.verify(*args)
        assert type(info.value).__name__.lower() == c["expect"].lower()


@pytest.mark.parametrize("c", V["derive_shared_secret"], ids=lambda c: c["name"])
def test_derive(c: dict) -> None:
    if c["expect"] is True:
        got = k.derive_shared_secret(V["keys"][c["private_key"]]["private_pem"].encode(), key(c["public_key"]))
        assert got.hex() == c["shared_secret_hex"]


def test_describe_and_encodings() -> None:
    for name, kk in V["keys"].items():
        if kk["spec"]:
            assert k.describe_public_key(bytes.fromhex(kk["der_hex"])).key_spec == kk["spec"]
    for c in V["ecdsa_encodings"]:
        assert k.der_to_p1363(bytes.fromhex(c["der_hex"]), c["key_spec"]).hex() == c["p1363_hex"]
    for c in V["ml_dsa_mu"]:
        assert k.ml_dsa_mu(key(c["key"]), bytes.fromhex(c["message_hex"])).hex() == c["mu_hex"]
    for c in V["sm2_ciphertext"]:
        assert k.sm2_ciphertext_to_der(bytes.fromhex(c["c1c2c3_hex"]), "C1C2C3").hex() == c["der_hex"]
