#!/usr/bin/env python3
"""kmskit's Python package next to its Python peers, measured in the same run.

- Authorization: `kmskit.evaluate` / `kmskit.PolicySet` against cedarpy (Cedar, also Rust
  under Python) deciding the same two-statement policy with two conditions
  (`../shared/bench-peers/py_cedar.py`).
- The local KMS: `kmskit.Kms` Encrypt/Decrypt/Sign/Verify against moto's KMS through boto3
  (`../shared/bench-peers/py_moto.py`).

Each run measures kmskit in this process, then runs the peer scripts as they are; the report
is the median of RUNS runs and the ratio kmskit/peer. Usage (see BENCHMARKS.md):

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
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALICE = "arn:aws:iam::111122223333:user/alice"
BOB = "arn:aws:iam::111122223333:user/bob"
# The Cedar policy of py_cedar.py, as a KMS key policy.
KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ALICE},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "kms:EncryptionContext:department": "finance",
                    "kms:ViaService": "s3.us-east-1.amazonaws.com",
                }
            },
        },
        {"Effect": "Allow", "Principal": {"AWS": BOB}, "Action": "kms:Encrypt", "Resource": "*"},
    ],
}


def request(dept: str) -> dict[str, object]:
    return {
        "Action": "kms:Decrypt",
        "Principal": ALICE,
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
    assert kmskit.evaluate(allow, KEY_POLICY).allowed and not kmskit.evaluate(deny, KEY_POLICY).allowed
    ps = kmskit.PolicySet(KEY_POLICY)
    batch = [allow, deny] * 500
    assert ps.decide_many(batch)[:2] == ["ALLOW", "IMPLICIT_DENY"]
    out = {
        ROWS[0][0]: rate(lambda: kmskit.evaluate(allow, KEY_POLICY)),
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
    for i in range(RUNS):
        print(f"run {i + 1}/{RUNS}", file=sys.stderr)
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


if __name__ == "__main__":
    main()
