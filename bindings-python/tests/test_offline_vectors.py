"""Every case of testdata/offline/vectors.json (made by OpenSSL, cryptography and the JDK) that
the offline API covers, through the Python binding. Decryption of `encrypt` cases uses
`cryptography` with the test key's private PEM."""

from typing import Any, Callable

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import kmskit
from conftest import key_bytes, load_vectors

V = load_vectors("offline/vectors.json")


def run(expect: Any, fn: Callable[[], Any], want_hex: "str | None" = None) -> None:
    if isinstance(expect, str):
        with pytest.raises(kmskit.KmsError) as info:
            fn()
        assert info.value.code == expect
        return
    got = fn()
    if want_hex is not None:
        assert got.hex() == want_hex
    elif isinstance(expect, bool) and isinstance(got, bool):
        assert got is expect


@pytest.mark.parametrize("c", V["verify"], ids=lambda c: c["name"])
def test_verify(c: dict) -> None:
    run(c["expect"], lambda: kmskit.verify(key_bytes(V, c["key"]), bytes.fromhex(c["message_hex"]),
                                           bytes.fromhex(c["signature_hex"]), c["algorithm"],
                                           c["message_type"], c.get("distinguishing_id")))


@pytest.mark.parametrize("c", V["encrypt"], ids=lambda c: c["name"])
def test_encrypt(c: dict) -> None:
    pt = bytes.fromhex(c["plaintext_hex"])
    run(c["expect"], lambda: kmskit.encrypt(key_bytes(V, c["key"]), pt, c["algorithm"]))
    if c["expect"] is True and c["algorithm"].startswith("RSAES_OAEP"):
        h = hashes.SHA1() if c["algorithm"].endswith("SHA_1") else hashes.SHA256()
        priv = serialization.load_pem_private_key(V["keys"][c["key"].split(":")[0]]["private_pem"].encode(), None)
        ct = kmskit.encrypt(key_bytes(V, c["key"]), pt, c["algorithm"])
        assert priv.decrypt(ct, padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None)) == pt  # type: ignore[union-attr]


@pytest.mark.parametrize("c", V["derive_shared_secret"], ids=lambda c: c["name"])
def test_derive_shared_secret(c: dict) -> None:
    run(c["expect"], lambda: kmskit.derive_shared_secret(V["keys"][c["private_key"]]["private_pem"].encode(),
                                                         key_bytes(V, c["public_key"]), c["algorithm"]),
        c.get("shared_secret_hex"))


@pytest.mark.parametrize("c", V["sm2_digest"], ids=lambda c: c["name"])
def test_sm2_digest(c: dict) -> None:
    got = kmskit.sm2_digest(key_bytes(V, c["key"]), bytes.fromhex(c["message_hex"]), c.get("distinguishing_id"))
    assert got.hex() == c["digest_hex"]


@pytest.mark.parametrize("c", V["sm2_ciphertext"], ids=lambda c: c["name"])
def test_sm2_ciphertext(c: dict) -> None:
    der = bytes.fromhex(c["der_hex"])
    assert kmskit.sm2_ciphertext_from_der(der).hex() == c["c1c3c2_hex"]
    assert kmskit.sm2_ciphertext_from_der(der, "C1C2C3").hex() == c["c1c2c3_hex"]
    assert kmskit.sm2_ciphertext_to_der(bytes.fromhex(c["c1c3c2_hex"])) == der
    assert kmskit.sm2_ciphertext_to_der(bytes.fromhex(c["c1c2c3_hex"]), "C1C2C3") == der
    assert kmskit.sm2_ciphertext_to_der(bytes.fromhex(c["c1c3c2_hex"])[1:]) == der  # C1 without 04


@pytest.mark.parametrize("c", V["ml_dsa_mu"], ids=lambda c: c["name"])
def test_ml_dsa_mu(c: dict) -> None:
    assert kmskit.ml_dsa_mu(key_bytes(V, c["key"]), bytes.fromhex(c["message_hex"])).hex() == c["mu_hex"]


@pytest.mark.parametrize("c", V["ecdsa_encodings"], ids=lambda c: c["name"])
def test_ecdsa_encodings(c: dict) -> None:
    der = bytes.fromhex(c["der_hex"])
    assert kmskit.der_to_p1363(der, c["key_spec"]).hex() == c["p1363_hex"]
    assert kmskit.p1363_to_der(bytes.fromhex(c["p1363_hex"]), c["key_spec"]) == der
    if "low_s_der_hex" in c:
        assert kmskit.normalize_low_s(der, c["key_spec"]).hex() == c["low_s_der_hex"]
    else:
        with pytest.raises(kmskit.InvalidKeyUsageException):
            kmskit.normalize_low_s(der, c["key_spec"])


@pytest.mark.parametrize("name", [n for n, k in V["keys"].items() if k["spec"]])
def test_describe_public_key(name: str) -> None:
    k = V["keys"][name]
    d = kmskit.describe_public_key(bytes.fromhex(k["der_hex"]))
    assert d.key_spec == k["spec"]
    assert d.pem == k["pem"]
