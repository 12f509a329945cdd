#!/usr/bin/env python3
"""aws-encryption-sdk (Python) with the unsigned committing suite 0x0478
(AES_256_GCM_HKDF_SHA512_COMMIT_KEY): ../shared/bench-peers/py_esdk.py with `algorithm=` set,
otherwise the same (RawMasterKey AES-256-GCM wrapping, 4 KiB frames, in memory, same loop), so
kmskit's 0x0478 rows have a like-for-like peer. py_esdk.py itself (run unchanged) measures the
SDK's default, 0x0578.

Usage: PYTHONPATH=PEERS_DIR py_esdk_0478.py SIZE_MIB   -> TSV rows."""
import os
import sys

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import Algorithm, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey

from benchlib import emit, rate

PEER = f"py aws-encryption-sdk {aws_encryption_sdk.__version__}"
size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1
key = RawMasterKey(
    provider_id="bench", key_id=b"key-1",
    wrapping_key=WrappingKey(wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
                             wrapping_key=os.urandom(32), wrapping_key_type=EncryptionKeyType.SYMMETRIC))
client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
ctx = {"purpose": "bench"}
alg = Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
data = os.urandom(size_mib << 20)

ct, hdr = client.encrypt(source=data, key_provider=key, encryption_context=ctx, algorithm=alg)  # also the warm-up
pt, _ = client.decrypt(source=ct, key_provider=key)
assert pt == data and hdr.algorithm == alg
del pt
mb = len(data) / 1e6
emit(PEER, f"encrypt {size_mib} MiB ({hdr.algorithm.name})",
     rate(lambda: client.encrypt(source=data, key_provider=key, encryption_context=ctx, algorithm=alg), warmup=False, per_call=mb), "MB/s")
emit(PEER, f"decrypt {size_mib} MiB", rate(lambda: client.decrypt(source=ct, key_provider=key), warmup=False, per_call=mb), "MB/s")
