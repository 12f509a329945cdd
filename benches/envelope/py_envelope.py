#!/usr/bin/env python3
"""kmskit.envelope (Python) encrypt/decrypt MB/s, measured exactly as ../shared/bench-peers/py_esdk.py
measures aws-encryption-sdk: raw AES-256 wrapping key, encryption context {"purpose": "bench"},
4 KiB frames (both defaults), the whole message in memory, one encrypt + decrypt as the warm-up,
then benchlib.rate for BENCH_SECONDS per row. Both committing suites: 0x0478 (kmskit's default)
and 0x0578 (the official SDKs' default).

Usage: PYTHONPATH=PEERS_DIR py_envelope.py SIZE_MIB   -> TSV rows (peer, operation, value, unit)."""
import os
import sys
from importlib.metadata import version

from kmskit import envelope

from benchlib import emit, rate

PEER = f"kmskit {version('kmskit')} (Python)"
size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1
keyring = envelope.RawAesKeyring(key_namespace="bench", key_name="key-1", wrapping_key=os.urandom(32))
ctx = {"purpose": "bench"}
data = os.urandom(size_mib << 20)
mb = len(data) / 1e6

for suite in ("0x0478", "0x0578"):
    ct = envelope.encrypt(data, keyring=keyring, encryption_context=ctx, algorithm_suite=suite)  # also the warm-up
    result = envelope.decrypt(ct, keyring=keyring)
    assert result.plaintext == data and result.algorithm_suite == suite
    del result
    emit(PEER, f"encrypt {size_mib} MiB ({suite})",
         rate(lambda: envelope.encrypt(data, keyring=keyring, encryption_context=ctx, algorithm_suite=suite),
              warmup=False, per_call=mb), "MB/s")
    emit(PEER, f"decrypt {size_mib} MiB ({suite})",
         rate(lambda: envelope.decrypt(ct, keyring=keyring), warmup=False, per_call=mb), "MB/s")
