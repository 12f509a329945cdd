#!/usr/bin/env python3
"""Peak memory of streaming a 64 MiB message through kmskit's Python streaming API
(envelope.encrypt_stream / decrypt_stream, file objects, default 64 KiB chunks, 4 KiB frames).

The plaintext is a file written in 1 MiB pieces before the baseline is taken; the message goes to
a file; the decrypted plaintext to a sink that only hashes it (checked against the source). The
baseline is this process's peak RSS (ru_maxrss) after imports, keyring and files are set up; the
result is the peak after encrypting and decrypting, and the growth over the baseline.

Usage: py_stream_mem.py SUITE [SIZE_MIB]   -> TSV rows (peer, operation, value, unit)."""
import hashlib
import os
import resource
import sys
import tempfile
from importlib.metadata import version
from typing import BinaryIO, cast

from kmskit import envelope

suite = sys.argv[1] if len(sys.argv) > 1 else "0x0478"
size_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 64
PEER = f"kmskit {version('kmskit')} (Python)"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class HashSink:
    def __init__(self) -> None:
        self.h = hashlib.sha256()

    def write(self, b: bytes) -> int:
        self.h.update(b)
        return len(b)


keyring = envelope.RawAesKeyring(key_namespace="bench", key_name="key-1", wrapping_key=os.urandom(32))
ctx = {"purpose": "bench"}
with tempfile.TemporaryDirectory() as d:
    src, msg = os.path.join(d, "plain"), os.path.join(d, "message")
    want = hashlib.sha256()
    with open(src, "wb") as f:
        for _ in range(size_mib):
            piece = os.urandom(1 << 20)
            want.update(piece)
            f.write(piece)
    del piece
    base = peak_mib()
    with open(src, "rb") as s, open(msg, "wb") as m:
        envelope.encrypt_stream(s, m, keyring=keyring, encryption_context=ctx, algorithm_suite=suite)
    sink = HashSink()
    with open(msg, "rb") as r:
        result = envelope.decrypt_stream(r, cast(BinaryIO, sink), keyring=keyring)  # it only calls write()
    assert sink.h.digest() == want.digest() and result.algorithm_suite == suite
    peak = peak_mib()
what = f"stream {size_mib} MiB enc+dec ({suite})"
print(f"{PEER}\tpeak RSS, {what}\t{peak:.6g}\tMiB")
print(f"{PEER}\tbaseline RSS, {what}\t{base:.6g}\tMiB")
print(f"{PEER}\tpeak above baseline, {what}\t{peak - base:.6g}\tMiB")
