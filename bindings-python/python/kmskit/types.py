"""Literal types of the KMS strings kmskit accepts (for type checkers; plain `str` works too).

`tests/test_types.py` holds each list equal to the Rust core's spec table.
"""

from typing import Literal

KeySpec = Literal[
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "ECC_NIST_EDWARDS25519",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
    "SM2",
]
SigningAlgorithm = Literal[
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "ECDSA_SHA_256",
    "ECDSA_SHA_384",
    "ECDSA_SHA_512",
    "SM2DSA",
    "ED25519_SHA_512",
    "ED25519_PH_SHA_512",
    "ML_DSA_SHAKE_256",
]
EncryptionAlgorithm = Literal["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"]
KeyAgreementAlgorithm = Literal["ECDH"]
MessageType = Literal["RAW", "DIGEST", "EXTERNAL_MU"]
Sm2CiphertextOrder = Literal["C1C3C2", "C1C2C3"]

__all__ = [
    "KeySpec",
    "SigningAlgorithm",
    "EncryptionAlgorithm",
    "KeyAgreementAlgorithm",
    "MessageType",
    "Sm2CiphertextOrder",
]
