#!/usr/bin/env python3
"""Generate Encryption SDK messages with the official Python SDK, for kmskit to decrypt.

Run from the repository root, with the SDK installed in the venv:

    .venv/bin/pip install aws-encryption-sdk==4.0.7
    .venv/bin/python testdata/envelope/make_vectors.py

Writes testdata/envelope/keys.json (only if missing: the wrapping keys are kept stable),
testdata/envelope/esdk-python/*.bin and testdata/envelope/esdk-python/manifest.json.
Messages use random message IDs and IVs, so each run writes different (equally valid) bytes.
The Python SDK only writes frame lengths that are multiples of 128 (it checks the AES block size in bits), so its smallest frames
are 128 bytes (kmskit writes frame length 1 too; see check_with_esdk.py for that direction).
"""

import base64
import json
import os
import sys

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import (
    Algorithm,
    CommitmentPolicy,
    EncryptionKeyType,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey, RawMasterKeyProvider
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "esdk-python")
KEYS = os.path.join(HERE, "keys.json")
NAMESPACE = "kmskit-interop"
MIB = 1024 * 1024

MULTI_EC = {"purpose": "kmskit interop", "tenant": "ex\u00e4mple", "a": "1", "zz-\u2603": "snow"}

RSA_PADDINGS = {
    "OAEP_SHA1": WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    "OAEP_SHA256": WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    "OAEP_SHA384": WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    "OAEP_SHA512": WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
    "PKCS1": WrappingAlgorithm.RSA_PKCS1,
}
AES_WRAPPING = {
    16: WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
    24: WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
    32: WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
}


def plaintext(size):
    """The plaintext of every vector: byte i is (31 * i + 7) mod 256."""
    return bytes((31 * i + 7) & 0xFF for i in range(size))


def load_keys():
    if os.path.exists(KEYS):
        with open(KEYS, encoding="utf-8") as f:
            return json.load(f)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = {
        "comment": "Test-only wrapping keys. Raw keyrings use namespace 'kmskit-interop' and the key's name.",
        "aes-128": {"type": "aes", "hex": os.urandom(16).hex()},
        "aes-192": {"type": "aes", "hex": os.urandom(24).hex()},
        "aes-256": {"type": "aes", "hex": os.urandom(32).hex()},
        "rsa-2048": {
            "type": "rsa",
            "private_pem": rsa_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode(),
            "public_pem": rsa_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode(),
        },
    }
    with open(KEYS, "w", encoding="utf-8") as f:
        json.dump(keys, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return keys


def master_key(keys, keyring, private=True):
    """A RawMasterKey equivalent to a raw AES or raw RSA keyring."""
    key = keys[keyring["key"]]
    if key["type"] == "aes":
        material = bytes.fromhex(key["hex"])
        wrapping = WrappingKey(
            wrapping_algorithm=AES_WRAPPING[len(material)],
            wrapping_key=material,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        )
    else:
        pem = key["private_pem"] if private else key["public_pem"]
        wrapping = WrappingKey(
            wrapping_algorithm=RSA_PADDINGS[keyring["padding"]],
            wrapping_key=pem.encode(),
            wrapping_key_type=EncryptionKeyType.PRIVATE if private else EncryptionKeyType.PUBLIC,
        )
    return RawMasterKey(provider_id=NAMESPACE, key_id=keyring["key"].encode(), wrapping_key=wrapping)


class StaticProvider(RawMasterKeyProvider):
    """A raw master key provider over several of the keys (one EDK each)."""

    provider_id = NAMESPACE

    def __init__(self, **kwargs):  # pylint: disable=unused-argument
        self._keys = {}

    def add(self, keys, keyring):
        self._keys[keyring["key"]] = master_key(keys, keyring, private=False).config.wrapping_key
        self.add_master_key(keyring["key"].encode())

    def _get_raw_key(self, key_id):
        return self._keys[key_id.decode()]


def vectors():
    aes = {"type": "raw-aes", "key": "aes-256"}
    out = []
    for suite in ("0x0478", "0x0578"):
        for frame_length, sizes in ((128, (0, 1, 300)), (4096, (0, 1, 4096, 10000)), (MIB, (0, 1, 10000))):
            for size in sizes:
                for ec_name, ec in (("ec0", {}), ("ec4", MULTI_EC)):
                    if frame_length != 4096 and ec_name == "ec0" and size not in (0, 1):
                        continue
                    out.append(
                        dict(keyring=aes, suite=suite, frame_length=frame_length, size=size, encryption_context=ec)
                    )
    for key in ("aes-128", "aes-192"):
        out.append(dict(keyring={"type": "raw-aes", "key": key}, suite="0x0478", frame_length=4096, size=100,
                        encryption_context=MULTI_EC))
    for padding in RSA_PADDINGS:
        for suite in ("0x0478", "0x0578"):
            out.append(dict(keyring={"type": "raw-rsa", "key": "rsa-2048", "padding": padding}, suite=suite,
                            frame_length=4096, size=100, encryption_context=MULTI_EC))
    # format-1 suites: kmskit reads them under a commitment policy that allows it
    for suite in ("0x0014", "0x0046", "0x0078", "0x0114", "0x0146", "0x0178", "0x0214", "0x0346", "0x0378"):
        out.append(dict(keyring=aes, suite=suite, frame_length=4096, size=5000, encryption_context=MULTI_EC))
    # non-framed bodies (frame length 0)
    for suite in ("0x0478", "0x0578", "0x0178", "0x0378"):
        out.append(dict(keyring=aes, suite=suite, frame_length=0, size=1000, encryption_context=MULTI_EC))
    # two EDKs (AES first, RSA second): either keyring alone decrypts
    out.append(dict(keyring=aes, extra_keyring={"type": "raw-rsa", "key": "rsa-2048", "padding": "OAEP_SHA256"},
                    suite="0x0578", frame_length=4096, size=300, encryption_context=MULTI_EC))
    return out


def main():
    keys = load_keys()
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".bin"):
            os.remove(os.path.join(OUT, name))
    entries = []
    for i, v in enumerate(vectors()):
        suite = Algorithm.get_by_id(int(v["suite"], 16))
        policy = (
            CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
            if suite.is_committing()
            else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
        )
        client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy)
        if "extra_keyring" in v:
            provider = StaticProvider()
            provider.add(keys, v["keyring"])
            provider.add(keys, v["extra_keyring"])
        else:
            provider = master_key(keys, v["keyring"], private=False)
        pt = plaintext(v["size"])
        message, _header = client.encrypt(
            source=pt,
            key_provider=provider,
            encryption_context=v["encryption_context"],
            algorithm=suite,
            frame_length=v["frame_length"],
        )
        # check it decrypts with the official SDK before recording it
        decrypted, _ = aws_encryption_sdk.EncryptionSDKClient(
            commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
        ).decrypt(source=message, key_provider=master_key(keys, v["keyring"]))
        assert decrypted == pt
        assert len(_header.encrypted_data_keys) == 1 + ("extra_keyring" in v)
        kr = v["keyring"]
        label = kr["key"] + ("-" + kr["padding"].lower() if "padding" in kr else "")
        name = "%03d-%s-%s-fl%d-%db-ec%d" % (
            i, v["suite"][2:], label, v["frame_length"], v["size"], len(v["encryption_context"])
        )
        with open(os.path.join(OUT, name + ".bin"), "wb") as f:
            f.write(message)
        entry = {
            "name": name,
            "file": name + ".bin",
            "keyrings": [v["keyring"]] + ([v["extra_keyring"]] if "extra_keyring" in v else []),
            "suite": v["suite"],
            "frame_length": v["frame_length"],
            "plaintext_size": v["size"],
            "encryption_context": v["encryption_context"],
            "commitment_policy": policy.name,
            "sha256_b64": base64.b64encode(__import__("hashlib").sha256(message).digest()).decode(),
        }
        entries.append(entry)
    manifest = {
        "comment": "Messages written by the official AWS Encryption SDK for Python; kmskit must decrypt each to "
        "the plaintext of plaintext_size bytes (byte i = (31*i + 7) mod 256) and find encryption_context in it. "
        "Keyrings: namespace 'kmskit-interop', key name = the key's name in ../keys.json.",
        "source": "aws-encryption-sdk %s (PyPI), Python %s" % (aws_encryption_sdk.__version__, sys.version.split()[0]),
        "command": ".venv/bin/python testdata/envelope/make_vectors.py",
        "namespace": NAMESPACE,
        "keys": "../keys.json",
        "vectors": entries,
    }
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("wrote %d vectors to %s" % (len(entries), OUT))


if __name__ == "__main__":
    main()
