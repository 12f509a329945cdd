"""The offline API cross-checked with Python `cryptography` (OpenSSL 4 inside) as the
independent implementation: its signatures verify with kmskit, kmskit's ciphertexts decrypt
with it, and both derive the same secrets and encodings."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature, encode_dss_signature

import kmskit

DER = serialization.Encoding.DER
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
MESSAGE = b"kmskit offline cross-check"


def spki(private_key) -> bytes:
    return private_key.public_key().public_bytes(DER, SPKI)


def pkcs8_pem(private_key) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


@pytest.fixture(scope="module")
def rsa2048():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


@pytest.mark.parametrize("bits", ["256", "384", "512"])
@pytest.mark.parametrize("scheme", ["PSS", "PKCS1_V1_5"])
@pytest.mark.parametrize("message_type", ["RAW", "DIGEST"])
def test_rsa_signatures_from_cryptography_verify(rsa2048, bits, scheme, message_type):
    h = HASHES[bits]()
    pad = (padding.PSS(mgf=padding.MGF1(HASHES[bits]()), salt_length=h.digest_size)
           if scheme == "PSS" else padding.PKCS1v15())
    sig = rsa2048.sign(MESSAGE, pad, h)
    digest = hashlib.new(f"sha{bits}", MESSAGE).digest()
    msg = MESSAGE if message_type == "RAW" else digest
    alg = f"RSASSA_{scheme}_SHA_{bits}"
    assert kmskit.verify(spki(rsa2048), msg, sig, alg, message_type) is True
    assert kmskit.verify(spki(rsa2048), msg, sig[:-1] + bytes([sig[-1] ^ 1]), alg, message_type) is False


def test_pss_with_another_salt_length_is_not_kms(rsa2048):
    # KMS uses salt length = hash length; a max-length salt (a common default) must not verify.
    sig = rsa2048.sign(MESSAGE, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                            salt_length=padding.PSS.MAX_LENGTH), hashes.SHA256())
    assert kmskit.verify(spki(rsa2048), MESSAGE, sig, "RSASSA_PSS_SHA_256") is False


@pytest.mark.parametrize("curve,alg,spec,hashname", [
    (ec.SECP256R1, "ECDSA_SHA_256", "ECC_NIST_P256", "sha256"),
    (ec.SECP384R1, "ECDSA_SHA_384", "ECC_NIST_P384", "sha384"),
    (ec.SECP521R1, "ECDSA_SHA_512", "ECC_NIST_P521", "sha512"),
    (ec.SECP256K1, "ECDSA_SHA_256", "ECC_SECG_P256K1", "sha256"),
])
def test_ecdsa_signatures_and_encodings(curve, alg, spec, hashname):
    key = ec.generate_private_key(curve())
    h = getattr(hashes, hashname.upper())()
    sig = key.sign(MESSAGE, ec.ECDSA(h))
    digest = hashlib.new(hashname, MESSAGE).digest()
    assert kmskit.verify(spki(key), MESSAGE, sig, alg) is True
    assert kmskit.verify(spki(key), digest, sig, alg, "DIGEST") is True
    assert kmskit.verify(spki(key), digest, sig, alg, "RAW") is False  # hashed twice

    # DER <-> P1363, against cryptography's own decoding
    r, s = decode_dss_signature(sig)
    width = (key.curve.key_size + 7) // 8
    p1363 = kmskit.der_to_p1363(sig, spec)
    assert p1363 == r.to_bytes(width, "big") + s.to_bytes(width, "big")
    assert kmskit.p1363_to_der(p1363, spec) == sig

    # low-S: s <= n/2 afterwards and still valid for cryptography
    low = kmskit.normalize_low_s(sig, spec)
    _, s_low = decode_dss_signature(low)
    key.public_key().verify(low, MESSAGE, ec.ECDSA(h))
    assert s_low == min(s, ORDERS[spec] - s)


ORDERS = {
    "ECC_NIST_P256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "ECC_NIST_P384": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
    "ECC_NIST_P521": int("01" + "F" * 65 + "A51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16),
    "ECC_SECG_P256K1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}


def test_secp256k1_high_s_and_recovery_id():
    key = ec.generate_private_key(ec.SECP256K1())
    digest = hashlib.sha256(MESSAGE).digest()
    n = ORDERS["ECC_SECG_P256K1"]
    for _ in range(8):
        sig = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        r, s = decode_dss_signature(sig)
        high = encode_dss_signature(r, max(s, n - s))
        low = encode_dss_signature(r, min(s, n - s))
        # KMS emits high-S signatures: they verify
        assert kmskit.verify(spki(key), digest, high, "ECDSA_SHA_256", "DIGEST")
        v_low = kmskit.secp256k1_recovery_id(spki(key), digest, low)
        v_high = kmskit.secp256k1_recovery_id(spki(key), digest, high)
        assert v_low in (0, 1) and v_high == v_low ^ 1
        assert kmskit.normalize_low_s(high, "ECC_SECG_P256K1") == low
    with pytest.raises(kmskit.ValidationException):
        kmskit.secp256k1_recovery_id(spki(key), hashlib.sha256(b"other").digest(), low)


def test_ed25519():
    key = ed25519.Ed25519PrivateKey.generate()
    sig = key.sign(MESSAGE)
    assert kmskit.verify(spki(key), MESSAGE, sig, "ED25519_SHA_512") is True
    with pytest.raises(kmskit.ValidationException):
        kmskit.verify(spki(key), MESSAGE, sig, "ED25519_SHA_512", "DIGEST")
    d = kmskit.describe_public_key(spki(key))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert d.key_spec == "ECC_NIST_EDWARDS25519"
    assert d.jwk == {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    assert d.sec1_uncompressed is None


@pytest.mark.parametrize("cls,spec", [(mldsa.MLDSA44PrivateKey, "ML_DSA_44"),
                                      (mldsa.MLDSA65PrivateKey, "ML_DSA_65"),
                                      (mldsa.MLDSA87PrivateKey, "ML_DSA_87")])
def test_ml_dsa_raw_and_external_mu(cls, spec):
    key = cls.generate()
    pub = spki(key)
    sig = key.sign(MESSAGE)
    assert kmskit.verify(pub, MESSAGE, sig, "ML_DSA_SHAKE_256") is True
    hasher = mldsa.MLDSAMuHasher(key.public_key())
    hasher.update(MESSAGE)
    mu = hasher.finalize()
    assert kmskit.ml_dsa_mu(pub, MESSAGE) == mu
    assert kmskit.verify(pub, mu, sig, "ML_DSA_SHAKE_256", "EXTERNAL_MU") is True
    sig_mu = key.sign_mu(mu)
    assert kmskit.verify(pub, MESSAGE, sig_mu, "ML_DSA_SHAKE_256", "RAW") is True
    with pytest.raises(kmskit.ValidationException):
        kmskit.verify(pub, hashlib.sha512(MESSAGE).digest(), sig, "ML_DSA_SHAKE_256", "DIGEST")
    assert kmskit.describe_public_key(pub).key_spec == spec


@pytest.mark.parametrize("alg,hash_cls,limit", [("RSAES_OAEP_SHA_1", hashes.SHA1, 214),
                                                ("RSAES_OAEP_SHA_256", hashes.SHA256, 190)])
def test_rsa_oaep_output_decrypts_with_cryptography(rsa2048, alg, hash_cls, limit):
    pad = padding.OAEP(mgf=padding.MGF1(hash_cls()), algorithm=hash_cls(), label=None)
    for length in (1, limit):
        pt = bytes(range(256))[:length]
        ct = kmskit.encrypt(spki(rsa2048), pt, alg)
        assert len(ct) == 256
        assert rsa2048.decrypt(ct, pad) == pt
    with pytest.raises(kmskit.ValidationException, match=str(limit)):
        kmskit.encrypt(spki(rsa2048), b"x" * (limit + 1), alg)
    with pytest.raises(kmskit.InvalidKeyUsageException):
        kmskit.encrypt(spki(rsa2048), b"x", "SM2PKE")


@pytest.mark.parametrize("curve,size", [(ec.SECP256R1, 32), (ec.SECP384R1, 48), (ec.SECP521R1, 66)])
def test_ecdh_matches_cryptography(curve, size):
    ours = ec.generate_private_key(curve())
    theirs = ec.generate_private_key(curve())
    expected = ours.exchange(ec.ECDH(), theirs.public_key())
    got = kmskit.derive_shared_secret(pkcs8_pem(ours), spki(theirs))
    assert got == expected and len(got) == size
    der = ours.private_bytes(DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert kmskit.derive_shared_secret(der, spki(theirs), "ECDH") == expected


def test_ecdh_rejects_secp256k1_and_mixed_curves():
    k1 = ec.generate_private_key(ec.SECP256K1())
    with pytest.raises(kmskit.InvalidKeyUsageException):
        kmskit.derive_shared_secret(pkcs8_pem(k1), spki(k1))
    p256 = ec.generate_private_key(ec.SECP256R1())
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(kmskit.ValidationException):
        kmskit.derive_shared_secret(pkcs8_pem(p256), spki(p384))


@pytest.mark.parametrize("cls", [mlkem.MLKEM768PrivateKey, mlkem.MLKEM1024PrivateKey])
def test_ml_kem_encapsulation_decapsulates_with_cryptography(cls):
    key = cls.generate()
    secret, ciphertext = kmskit.encapsulate(spki(key))
    assert len(secret) == 32
    assert key.decapsulate(ciphertext) == secret


def test_describe_ec_and_rsa_keys(rsa2048):
    key = ec.generate_private_key(ec.SECP256R1())
    d = kmskit.describe_public_key(spki(key))
    nums = key.public_key().public_numbers()
    b64 = lambda i, n: base64.urlsafe_b64encode(i.to_bytes(n, "big")).rstrip(b"=").decode()
    assert d.key_spec == "ECC_NIST_P256"
    assert d.signing_algorithms == ["ECDSA_SHA_256"] and d.key_agreement_algorithms == ["ECDH"]
    assert d.key_usages == ["SIGN_VERIFY", "KEY_AGREEMENT"]
    assert d.jwk == {"kty": "EC", "crv": "P-256", "x": b64(nums.x, 32), "y": b64(nums.y, 32)}
    assert d.sec1_uncompressed == key.public_key().public_bytes(serialization.Encoding.X962,
                                                                serialization.PublicFormat.UncompressedPoint)
    assert d.pem.encode() == key.public_key().public_bytes(serialization.Encoding.PEM, SPKI)
    r = kmskit.describe_public_key(spki(rsa2048))
    rn = rsa2048.public_key().public_numbers()
    assert r.key_spec == "RSA_2048"
    assert r.encryption_algorithms == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    assert r.jwk == {"kty": "RSA", "n": b64(rn.n, 256), "e": "AQAB"}
    assert r.sec1_uncompressed is None
    # PEM input gives the same description
    assert kmskit.describe_public_key(r.pem.encode()).jwk == r.jwk
    assert json.dumps(r.jwk)  # plain JSON-serializable data


def test_malformed_inputs_are_typed_errors():
    with pytest.raises(kmskit.ValidationException):
        kmskit.der_to_p1363(b"\x30\x00", "ECC_NIST_P256")
    with pytest.raises(kmskit.ValidationException):
        kmskit.p1363_to_der(b"\x01" * 63, "ECC_NIST_P256")
    with pytest.raises(kmskit.ValidationException):
        kmskit.der_to_p1363(b"\x30\x00", "RSA_2048")
    with pytest.raises(kmskit.ValidationException):
        kmskit.sm2_ciphertext_to_der(b"\x04" * 20)
    with pytest.raises(kmskit.ValidationException):
        kmskit.sm2_ciphertext_from_der(b"junk")
    with pytest.raises(kmskit.ValidationException):
        kmskit.sm2_ciphertext_to_der(b"\x04" * 200, "C3C2C1")
    with pytest.raises(kmskit.ValidationException):
        kmskit.ml_dsa_mu(b"junk", b"m")
    with pytest.raises(kmskit.ValidationException):
        kmskit.describe_public_key(b"junk")
