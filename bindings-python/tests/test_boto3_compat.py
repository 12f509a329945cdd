"""Code written for boto3's KMS client runs against `kmskit.Kms` with only the construction
changed, and what KMS returns interoperates with Python `cryptography`."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import kmskit


# ------------------------------------------------------------------------------------------
# Written as one writes it against `boto3.client("kms")`: nothing below knows about kmskit.

PAYLOAD = b"customer record #4711"


def envelope_roundtrip(client: Any, key_alias: str) -> dict[str, Any]:
    """Envelope-encrypts a payload under the key behind `key_alias` (creating both when
    missing), decrypts it again, and signs and verifies a document with an ECC key."""
    # 1. the key: look the alias up, create key and alias on first use
    try:
        key_id = client.describe_key(KeyId=key_alias)["KeyMetadata"]["KeyId"]
        created = False
    except client.exceptions.NotFoundException:
        key = client.create_key(
            Description="envelope encryption",
            KeyUsage="ENCRYPT_DECRYPT",
            KeySpec="SYMMETRIC_DEFAULT",
            Tags=[{"TagKey": "app", "TagValue": "billing"}],
        )
        key_id = key["KeyMetadata"]["KeyId"]
        client.create_alias(AliasName=key_alias, TargetKeyId=key_id)
        created = True

    # 2. envelope encryption: a data key from KMS, the payload with AES-GCM locally
    context = {"tenant": "acme", "purpose": "billing"}
    data_key = client.generate_data_key(KeyId=key_alias, KeySpec="AES_256", EncryptionContext=context)
    nonce = os.urandom(12)
    envelope = {
        "encrypted_key": data_key["CiphertextBlob"],
        "nonce": nonce,
        "ciphertext": AESGCM(data_key["Plaintext"]).encrypt(nonce, PAYLOAD, b"v1"),
    }
    del data_key  # never keep the plaintext data key

    # 3. decryption: KMS unwraps the data key, AES-GCM opens the payload
    response = client.decrypt(CiphertextBlob=envelope["encrypted_key"], EncryptionContext=context)
    assert response["KeyId"].endswith(key_id)
    plaintext = AESGCM(response["Plaintext"]).decrypt(envelope["nonce"], envelope["ciphertext"], b"v1")

    # 4. the wrong encryption context fails the way KMS fails, handled botocore-style
    try:
        client.decrypt(CiphertextBlob=envelope["encrypted_key"], EncryptionContext={"tenant": "evil"})
        wrong_context_code = None
    except client.exceptions.ClientError as e:
        wrong_context_code = e.response["Error"]["Code"]
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    # 5. signing: an ECC key signs a digest, KMS verifies, and so does anyone with the public key
    signing_key = client.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    document = b'{"invoice": 4711, "amount": "12.00"}'
    digest = hashlib.sha256(document).digest()
    signature = client.sign(
        KeyId=signing_key, Message=digest, MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_256"
    )["Signature"]
    kms_says = client.verify(
        KeyId=signing_key, Message=digest, MessageType="DIGEST", Signature=signature,
        SigningAlgorithm="ECDSA_SHA_256",
    )["SignatureValid"]
    public_key = serialization.load_der_public_key(client.get_public_key(KeyId=signing_key)["PublicKey"])
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    public_key.verify(signature, document, ec.ECDSA(hashes.SHA256()))  # raises if invalid
    try:
        public_key.verify(signature, document + b" ", ec.ECDSA(hashes.SHA256()))
        tampered_verifies = True
    except InvalidSignature:
        tampered_verifies = False

    # 6. clean up the signing key (the shortest waiting period)
    deletion = client.schedule_key_deletion(KeyId=signing_key, PendingWindowInDays=7)

    return {
        "created": created,
        "key_id": key_id,
        "plaintext": plaintext,
        "wrong_context_code": wrong_context_code,
        "kms_verifies": kms_says,
        "tampered_verifies": tampered_verifies,
        "signing_key_state": deletion["KeyState"],
    }


# ------------------------------------------------------------------------------------------


def test_envelope_roundtrip_runs_against_kmskit() -> None:
    client = kmskit.Kms()  # instead of boto3.client("kms", region_name="us-east-1")
    first = envelope_roundtrip(client, "alias/billing")
    assert first == {
        "created": True,
        "key_id": first["key_id"],
        "plaintext": PAYLOAD,
        "wrong_context_code": "InvalidCiphertextException",
        "kms_verifies": True,
        "tampered_verifies": False,
        "signing_key_state": "PendingDeletion",
    }
    again = envelope_roundtrip(client, "alias/billing")  # finds the alias this time
    assert again["created"] is False and again["key_id"] == first["key_id"]


def test_envelope_roundtrip_in_deterministic_mode_and_other_regions() -> None:
    kms = kmskit.Kms(seed=b"compat")
    eu = kms.client("eu-west-1")
    assert envelope_roundtrip(eu, "alias/billing")["created"] is True
    assert envelope_roundtrip(kms, "alias/billing")["created"] is True  # another Region's alias
    assert envelope_roundtrip(eu, "alias/billing")["created"] is False


SIGNING = [
    ("ECC_NIST_P256", "ECDSA_SHA_256"),
    ("ECC_NIST_P384", "ECDSA_SHA_384"),
    ("ECC_NIST_P521", "ECDSA_SHA_512"),
    ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
    ("RSA_2048", "RSASSA_PSS_SHA_256"),
    ("RSA_3072", "RSASSA_PKCS1_V1_5_SHA_384"),
    ("RSA_2048", "RSASSA_PSS_SHA_512"),
    ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512"),
    ("ML_DSA_65", "ML_DSA_SHAKE_256"),
]
HASHES = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}


def verify_with_cryptography(public_der: bytes, message: bytes, signature: bytes, algorithm: str) -> None:
    """Raises InvalidSignature unless `signature` is valid, by `cryptography` alone."""
    public = serialization.load_der_public_key(public_der)
    digest = HASHES.get(algorithm[-3:])
    if isinstance(public, ec.EllipticCurvePublicKey):
        assert digest is not None
        public.verify(signature, message, ec.ECDSA(digest))
    elif isinstance(public, rsa.RSAPublicKey):
        assert digest is not None
        if algorithm.startswith("RSASSA_PSS"):
            # KMS: salt length = digest length
            public.verify(signature, message, padding.PSS(padding.MGF1(digest), digest.digest_size), digest)
        else:
            public.verify(signature, message, padding.PKCS1v15(), digest)
    elif isinstance(public, ed25519.Ed25519PublicKey):
        public.verify(signature, message)
    elif isinstance(public, mldsa.MLDSA65PublicKey):
        public.verify(signature, message)
    else:
        raise AssertionError(type(public))


@pytest.mark.parametrize("spec,algorithm", SIGNING)
def test_get_public_key_and_sign_verify_with_cryptography(spec: str, algorithm: str) -> None:
    kms = kmskit.Kms(seed=spec.encode())
    key_id = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    public = kms.get_public_key(KeyId=key_id)
    assert algorithm in public["SigningAlgorithms"] and public["KeySpec"] == spec
    message = b"signed by kmskit, checked by cryptography"
    signature = kms.sign(KeyId=key_id, Message=message, SigningAlgorithm=algorithm)["Signature"]
    verify_with_cryptography(public["PublicKey"], message, signature, algorithm)
    with pytest.raises(InvalidSignature):
        verify_with_cryptography(public["PublicKey"], message + b"!", signature, algorithm)


@pytest.mark.parametrize("spec", ["RSA_2048", "RSA_3072", "RSA_4096"])
@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
def test_cryptography_rsa_oaep_to_get_public_key_decrypts_with_kms(spec: str, algorithm: str) -> None:
    kms = kmskit.Kms(seed=spec.encode())
    key_id = kms.create_key(KeySpec=spec, KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, rsa.RSAPublicKey)
    digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
    ciphertext = public.encrypt(b"sealed offline", padding.OAEP(padding.MGF1(digest), digest, None))
    out = kms.decrypt(KeyId=key_id, CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm)
    assert out["Plaintext"] == b"sealed offline" and out["EncryptionAlgorithm"] == algorithm
    # and the other way: what KMS encrypts is ordinary OAEP
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"from kms", EncryptionAlgorithm=algorithm)["CiphertextBlob"]
    with pytest.raises(kms.exceptions.InvalidKeyUsageException):
        kms.decrypt(KeyId=key_id, CiphertextBlob=blob)  # SYMMETRIC_DEFAULT, the default, is not RSA's
    assert kms.decrypt(KeyId=key_id, CiphertextBlob=blob, EncryptionAlgorithm=algorithm)["Plaintext"] == b"from kms"


def test_cryptography_ml_kem_encapsulation_decapsulates_with_kms() -> None:
    kms = kmskit.Kms(seed=b"ml-kem")
    key_id = kms.create_key(KeySpec="ML_KEM_768", KeyUsage="ENCAPSULATE_DECAPSULATE")["KeyMetadata"]["KeyId"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, mlkem.MLKEM768PublicKey)
    secret, ciphertext = public.encapsulate()
    out = kms.decapsulate(KeyId=key_id, SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM")
    assert out["SharedSecret"] == secret


def test_data_key_pair_private_key_signs_what_the_public_key_verifies() -> None:
    kms = kmskit.Kms(seed=b"pair")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    pair = kms.generate_data_key_pair(KeyId=key_id, KeyPairSpec="RSA_2048", EncryptionContext={"a": "b"})
    private = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], None)
    assert isinstance(private, rsa.RSAPrivateKey)
    signature = private.sign(b"m", padding.PKCS1v15(), hashes.SHA256())
    assert kmskit.verify(pair["PublicKey"], b"m", signature, "RSASSA_PKCS1_V1_5_SHA_256")
