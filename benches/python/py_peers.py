#!/usr/bin/env python3
"""kmskit's Python package next to its Python peers, measured in the same run.

- Authorization: `kmskit.evaluate` / `kmskit.PolicySet` deciding the default key policy plus
  one IAM policy with two conditions (key-policy.json, iam-policy.json), against cedarpy
  (Cedar, also Rust under Python) deciding an equivalent Cedar permit with the same two
  conditions (`../shared/bench-peers/py_cedar.py`); and the native rows of
  `kmskit-policy-bench` for the same scenario.
- The local KMS: `kmskit.Kms` Encrypt/Decrypt/Sign/Verify against moto's KMS through boto3
  (`../shared/bench-peers/py_moto.py`).

Each run measures kmskit in this process, then runs the peer scripts as they are; the report
is the median of RUNS runs and the ratio kmskit/peer. Usage (see BENCHMARKS.md):

    cargo build --release -p kmskit-benches --bin kmskit-policy-bench
    python benches/python/py_peers.py [PEERS_DIR]     # env: RUNS=3 BENCH_SECONDS=2
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

PEERS = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "bench-peers")
sys.path.insert(0, str(PEERS))

import kmskit  # noqa: E402
from benchlib import rate  # noqa: E402  (the peers' own timing loop)

RUNS = int(os.environ.get("RUNS", "3"))
HERE = Path(__file__).resolve().parent
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
APP = "arn:aws:iam::111122223333:role/app"
# Issue 7's scenario: the default key policy (it delegates to IAM) plus one IAM policy with two
# conditions; the same files are used by the native kmskit-policy-bench.
KEY_POLICY = (HERE / "key-policy.json").read_text()
IAM_POLICIES = {"app-policy": (HERE / "iam-policy.json").read_text()}
NATIVE = HERE.parents[1] / "target" / "release" / "kmskit-policy-bench"


def request(dept: str) -> dict[str, object]:
    return {
        "Action": "kms:Decrypt",
        "Principal": APP,
        "Resource": KEY,
        "Context": {"kms:EncryptionContext:department": dept, "kms:ViaService": "s3.us-east-1.amazonaws.com"},
    }


# (row, unit, peer script, peer operation)
ROWS = [
    ("decide, policy text per call", "decisions/s", "py_cedar.py", "is_authorized, policy text + entity list per call"),
    ("decide, pre-parsed PolicySet", "decisions/s", "py_cedar.py", "is_authorized, pre-parsed PolicySet/Entities"),
    ("decide_many x1000, pre-parsed", "decisions/s", "py_cedar.py", "is_authorized_batch x1000, pre-parsed"),
    ("KMS Encrypt (SYMMETRIC_DEFAULT, 64 B)", "calls/s", "py_moto.py", "KMS Encrypt (SYMMETRIC_DEFAULT, 64 B)"),
    ("KMS Decrypt (64 B)", "calls/s", "py_moto.py", "KMS Decrypt (64 B)"),
    ("KMS Sign (ECC_NIST_P256, ECDSA_SHA_256, RAW)", "calls/s", "py_moto.py", "KMS Sign (ECC_NIST_P256, ECDSA_SHA_256, RAW)"),
    ("KMS Verify (ECC_NIST_P256, ECDSA_SHA_256, RAW)", "calls/s", "py_moto.py", "KMS Verify (ECC_NIST_P256, ECDSA_SHA_256, RAW)"),
]


def ours() -> dict[str, float]:
    allow, deny = request("finance"), request("hr")
    assert kmskit.evaluate(allow, KEY_POLICY, IAM_POLICIES).allowed
    assert not kmskit.evaluate(deny, KEY_POLICY, IAM_POLICIES).allowed
    ps = kmskit.PolicySet(KEY_POLICY, IAM_POLICIES)
    batch = [allow, deny] * 500
    assert ps.decide_many(batch)[:2] == ["ALLOW", "IMPLICIT_DENY"]
    out = {
        ROWS[0][0]: rate(lambda: kmskit.evaluate(allow, KEY_POLICY, IAM_POLICIES)),
        ROWS[1][0]: rate(lambda: ps.decide(allow)),
        ROWS[2][0]: rate(lambda: ps.decide_many(batch), per_call=len(batch)),
    }
    kms = kmskit.Kms()
    sym = kms.create_key()["KeyMetadata"]["KeyId"]
    ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    pt, msg = os.urandom(64), os.urandom(64)
    ct = kms.encrypt(KeyId=sym, Plaintext=pt)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=ct)["Plaintext"] == pt
    sign = {"KeyId": ecc, "Message": msg, "MessageType": "RAW", "SigningAlgorithm": "ECDSA_SHA_256"}
    sig = kms.sign(**sign)["Signature"]
    assert kms.verify(**sign, Signature=sig)["SignatureValid"]
    out[ROWS[3][0]] = rate(lambda: kms.encrypt(KeyId=sym, Plaintext=pt))
    out[ROWS[4][0]] = rate(lambda: kms.decrypt(CiphertextBlob=ct))
    out[ROWS[5][0]] = rate(lambda: kms.sign(**sign))
    out[ROWS[6][0]] = rate(lambda: kms.verify(**sign, Signature=sig))
    return out


def native() -> dict[str, float]:
    """kmskit-policy-bench's rows (build it first: cargo build --release -p kmskit-benches)."""
    text = subprocess.run([str(NATIVE)], check=True, capture_output=True, text=True).stdout
    return {op: float(value) for _who, op, value, _unit in (line.split("\t") for line in text.splitlines())}


def peer(script: str) -> tuple[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(PEERS))
    text = subprocess.run([sys.executable, str(PEERS / script)], check=True, capture_output=True, text=True, env=env).stdout
    name, rows = "", {}
    for line in text.splitlines():
        who, op, value, _unit = line.split("\t")
        name, rows[op] = who, float(value)
    return name, rows


def main() -> None:
    mine: dict[str, list[float]] = {r[0]: [] for r in ROWS}
    theirs: dict[str, list[float]] = {r[0]: [] for r in ROWS}
    names: dict[str, str] = {}
    natives: dict[str, list[float]] = {}
    for i in range(RUNS):
        print(f"run {i + 1}/{RUNS}", file=sys.stderr)
        for op, value in native().items():
            natives.setdefault(op, []).append(value)
        for row, value in ours().items():
            mine[row].append(value)
        for script in sorted({r[2] for r in ROWS}):
            names[script], got = peer(script)
            for row, _unit, s, op in ROWS:
                if s == script:
                    theirs[row].append(got[op])
    print(f"kmskit {version('kmskit')} (Python {sys.version.split()[0]}); median of {RUNS} runs, "
          f"{os.environ.get('BENCH_SECONDS', '2')} s each\n")
    print("| operation | kmskit (Python) | peer | peer value | ratio kmskit/peer |")
    print("|---|---:|---|---:|---:|")
    for row, unit, script, _op in ROWS:
        a, b = statistics.median(mine[row]), statistics.median(theirs[row])
        print(f"| {row} ({unit}) | {a:,.0f} | {names[script]} | {b:,.0f} | {a / b:.1f}× |")
    cedar = statistics.median(theirs[ROWS[1][0]])
    print("\nNative (`kmskit-policy-bench`, same scenario, same run), next to cedarpy's pre-parsed rate:\n")
    print("| operation | kmskit native | ratio to cedarpy pre-parsed |")
    print("|---|---:|---:|")
    for op, values in natives.items():
        v = statistics.median(values)
        print(f"| {op} (decisions/s) | {v:,.0f} | {v / cedar:.0f}× |")


if __name__ == "__main__":
    main()
