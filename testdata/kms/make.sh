#!/usr/bin/env bash
# Regenerates the golden files of testdata/kms/ (every file but the hand-written seed.json and
# README.md) with kmskit itself, then checks them with tools independent of kmskit:
#   - both encrypted containers are opened with Python `cryptography` (OpenSSL's Argon2id and
#     AES-GCM), following the byte layout of docs/formats.md, and must give snapshot.json;
#   - every JSON file must parse with Python's json module.
#
# Usage: bash testdata/kms/make.sh
#   PYTHON=/path/to/python  (default: the workspace's .venv, else python3); it needs
#   `cryptography` >= 44 for Argon2id. Inputs are fixed (manifest.json), so an unchanged kmskit
#   rewrites the same bytes.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
(cd "$ROOT" && KMSKIT_REGENERATE=1 cargo test -p kmskit --test kms_snapshot golden)
"$PYTHON" - <<'PY'
import json, struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

m = json.load(open("manifest.json"))
snapshot = open("snapshot.json", "rb").read()
for name in ["snapshot.json", "snapshot-after-calls.json", "key.json", "key-replica.json", "seed.json"]:
    json.load(open(name))

def open_container(blob, key=None, passphrase=None):
    assert blob[:5] == b"KMKE\x01", "magic and version"
    kdf = blob[5]
    if kdf == 0:
        at = 6
    else:
        assert kdf == 1
        mem, t, p = struct.unpack(">III", blob[6:18])
        salt = blob[18:34]
        key = Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=mem).derive(passphrase)
        at = 34
    nonce = blob[at:at + 12]
    return AESGCM(key).decrypt(nonce, blob[at + 12:], blob[:at + 12])

key = bytes.fromhex(m["wrapping_key_hex"])
assert open_container(open("snapshot.key.enc", "rb").read(), key=key) == snapshot
assert open_container(open("snapshot.passphrase.enc", "rb").read(),
                      passphrase=m["passphrase"].encode()) == snapshot
print("encrypted containers open with Python cryptography and give snapshot.json")
PY
