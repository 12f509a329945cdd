#!/usr/bin/env bash
# Regenerates testdata/offline/vectors.json with tools independent of kmskit:
#   - the OpenSSL 3 CLI (RSA, ECDSA, Ed25519, SM2 signatures; RSA-OAEP and SM2 ciphertexts; ECDH),
#   - Python `cryptography` 50 (ML-DSA incl. signing an external mu, ML-KEM; SM3 for the SM2 digest),
#   - the JDK >= 17 (SunEC's Ed25519ph, via Ed25519ph.java).
# Python only hashes, splits/re-encodes DER and writes JSON; build_vectors.py re-checks every
# true/false expectation through a second independent path before writing it.
#
# Usage: bash testdata/offline/make.sh
#   PYTHON=/path/to/python  (default: the workspace's .venv, else python3); it needs
#   `pip install cryptography==50.0.2`. Keys are fresh on every run, so the whole file changes.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
openssl version
java -version 2>&1 | head -1
"$PYTHON" -c 'import cryptography, sys; from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem; print("python cryptography", cryptography.__version__)' \
  || { echo "needs Python cryptography with ML-DSA and ML-KEM: $PYTHON -m pip install cryptography==50.0.2" >&2; exit 1; }
"$PYTHON" build_vectors.py > vectors.json.tmp
mv vectors.json.tmp vectors.json
echo "wrote $(pwd)/vectors.json ($(wc -c < vectors.json) bytes)"
