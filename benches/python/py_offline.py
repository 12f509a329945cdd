#!/usr/bin/env python3
"""`kmskit.verify` (Python) next to its Python peers and the OpenSSL CLI, measured in the same run.

- ECDSA P-256, RSA-2048 PSS / PKCS#1 v1.5 and Ed25519 verify against pyca/cryptography
  (`../shared/bench-peers/py_crypto.py`, run as it is);
- SM2 verify (default ID) against gmssl (`py_gmssl.py`, run as it is) and `openssl speed sm2`
  (the CLI anchor; same flags as the peers' openssl_speed.py; OPENSSL=0 skips it).

Each run measures kmskit in this process with the peers' own timing loop (benchlib.rate), then
runs the peers; the report is the median of RUNS runs and the ratio kmskit/peer. kmskit gets the
public key as DER SubjectPublicKeyInfo bytes (what GetPublicKey returns) and parses it on every
call; the peers hold a parsed key object. Usage (see BENCHMARKS.md):

    python benches/python/py_offline.py [PEERS_DIR]   # env: RUNS=3 BENCH_SECONDS=2 OPENSSL=1
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

PEERS = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "bench-peers")
sys.path.insert(0, str(PEERS))

import kmskit  # noqa: E402
from benchlib import rate  # noqa: E402  (the peers' own timing loop)
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa  # noqa: E402

RUNS = int(os.environ.get("RUNS", "3"))
OPENSSL = os.environ.get("OPENSSL", "1") != "0"
SECONDS = os.environ.get("BENCH_SECONDS", "2")
ROOT = Path(__file__).resolve().parents[2]

# (row, peer script or "openssl", the peer's operation name, target ratio or None)
ROWS = [
    ("ECDSA P-256 SHA-256 verify (DER sig)", "py_crypto.py", "ECDSA P-256 SHA-256 verify (DER)", 1.0),
    ("RSA-2048 PSS SHA-256 verify (salt 32)", "py_crypto.py", "RSA-2048 PSS SHA-256 verify (salt 32)", 1.0),
    ("RSA-2048 PKCS1v15 SHA-256 verify", "py_crypto.py", "RSA-2048 PKCS1v15 SHA-256 verify", 1.0),
    ("Ed25519 verify", "py_crypto.py", "Ed25519 verify", None),
    ("SM2 verify (SM3, default ID)", "py_gmssl.py", "SM2 verify_with_sm3 (Z + SM3 + verify)", 20.0),
    ("SM2 verify (SM3, default ID)", "openssl", "SM2 verify (SM3, default ID)", 0.5),
]
ALG = {
    ROWS[0][0]: "ECDSA_SHA_256",
    ROWS[1][0]: "RSASSA_PSS_SHA_256",
    ROWS[2][0]: "RSASSA_PKCS1_V1_5_SHA_256",
    ROWS[3][0]: "ED25519_SHA_512",
    ROWS[4][0]: "SM2DSA",
}


def spki(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def cases() -> dict[str, tuple[bytes, bytes, bytes]]:
    """(public key DER, message, signature) per row; made as py_crypto.py makes them (64-byte message)."""
    msg = os.urandom(64)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    ed_key = ed25519.Ed25519PrivateKey.generate()
    # SM2: cryptography has none; the OpenSSL-made vector of testdata/offline (default ID)
    vectors = json.loads((ROOT / "testdata" / "offline" / "vectors.json").read_text())
    sm2 = next(c for c in vectors["verify"] if c["algorithm"] == "SM2DSA" and c["expect"] is True
               and c["message_type"] == "RAW" and "distinguishing_id" not in c)
    return {
        ROWS[0][0]: (spki(ec_key), msg, ec_key.sign(msg, ec.ECDSA(hashes.SHA256()))),
        ROWS[1][0]: (spki(rsa_key), msg, rsa_key.sign(msg, pss, hashes.SHA256())),
        ROWS[2][0]: (spki(rsa_key), msg, rsa_key.sign(msg, padding.PKCS1v15(), hashes.SHA256())),
        ROWS[3][0]: (spki(ed_key), msg, ed_key.sign(msg)),
        ROWS[4][0]: (bytes.fromhex(vectors["keys"][sm2["key"]]["der_hex"]), bytes.fromhex(sm2["message_hex"]),
                     bytes.fromhex(sm2["signature_hex"])),
    }


def ours() -> dict[str, float]:
    out = {}
    for row, (pub, msg, sig) in cases().items():
        alg = ALG[row]
        assert kmskit.verify(pub, msg, sig, alg), row
        assert not kmskit.verify(pub, msg + b"!", sig, alg), row
        out[row] = rate(lambda: kmskit.verify(pub, msg, sig, alg))
    return out


def peer(script: str) -> tuple[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(PEERS))
    text = subprocess.run([sys.executable, str(PEERS / script)], check=True, capture_output=True, text=True, env=env).stdout
    name, rows = "", {}
    for line in text.splitlines():
        who, op, value, _unit = line.split("\t")
        name, rows[op] = who, float(value)
    return name, rows


def openssl_sm2() -> tuple[str, dict[str, float]]:
    """`openssl speed sm2` with the flags of the peers' openssl_speed.py; +F7:i:bits:name:sign:verify."""
    ver = subprocess.run(["openssl", "version"], check=True, capture_output=True, text=True).stdout.split()[1]
    seconds = str(max(1, round(float(SECONDS))))  # openssl takes whole seconds
    text = subprocess.run(["openssl", "speed", "-elapsed", "-seconds", seconds, "-mr", "sm2"],
                          check=True, capture_output=True, text=True).stdout
    f = next(line for line in text.splitlines() if line.startswith("+F7")).split(":")
    return f"openssl {ver} CLI", {"SM2 verify (SM3, default ID)": float(f[5])}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    mine: dict[str, list[float]] = {r[0]: [] for r in ROWS}
    theirs: dict[tuple[str, str], list[float]] = {(r[0], r[1]): [] for r in ROWS}
    names: dict[str, str] = {}
    load0 = loadavg()
    for i in range(RUNS):
        print(f"run {i + 1}/{RUNS} (load {loadavg()})", file=sys.stderr)
        for row, value in ours().items():
            mine[row].append(value)
        for source in dict.fromkeys(r[1] for r in ROWS):
            if source == "openssl" and not OPENSSL:
                continue
            names[source], got = openssl_sm2() if source == "openssl" else peer(source)
            for row, s, op, _target in ROWS:
                if s == source:
                    theirs[(row, s)].append(got[op])
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    from cryptography.hazmat.backends.openssl import backend

    print(f"kmskit {version('kmskit')} (Python {platform.python_version()}, native aws-lc backend); "
          f"median of {RUNS} runs, {SECONDS} s per measurement, ops/s\n")
    print("| operation | kmskit (Python) | peer | peer value | ratio kmskit/peer | per-run ratios | target |")
    print("|---|---:|---|---:|---:|---:|---|")
    for row, source, _op, target in ROWS:
        if not theirs[(row, source)]:
            continue
        a, b = statistics.median(mine[row]), statistics.median(theirs[(row, source)])
        per_run = sorted(x / y for x, y in zip(mine[row], theirs[(row, source)]))
        goal = "—" if target is None else f"≥ {target:g}×: {'met' if a / b >= target else 'NOT met'}"
        print(f"| {row} | {a:,.0f} | {names[source]} | {b:,.0f} | {a / b:.2f}× | "
              f"{per_run[0]:.2f}–{per_run[-1]:.2f} | {goal} |")
    print(f"\nmachine: {os.cpu_count()} CPUs, {cpu}; load average {load0} (start), {loadavg()} (end)")
    print(f"versions: Python {platform.python_version()}; kmskit {version('kmskit')}; cryptography "
          f"{version('cryptography')} ({backend.openssl_version_text()}); gmssl {version('gmssl')}"
          + (f"; {names['openssl']}" if "openssl" in names else ""))


if __name__ == "__main__":
    main()
