#!/usr/bin/env bash
# Regenerates the walking-skeleton vectors with the OpenSSL 3 CLI (an independent tool).
# Usage: bash testdata/skeleton/make.sh   (rewrites the files in this directory)
set -euo pipefail
cd "$(dirname "$0")"
openssl version
printf 'hello, kmskit\n' > message.txt
# Two P-256 keys: the signer, and an unrelated one for the wrong-key case.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256-private.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256-other-private.pem
# Public keys as KMS GetPublicKey returns them: DER SubjectPublicKeyInfo (and its PEM).
openssl pkey -in p256-private.pem -pubout -outform DER -out p256-public.der
openssl pkey -in p256-private.pem -pubout -out p256-public.pem
openssl pkey -in p256-other-private.pem -pubout -outform DER -out p256-other-public.der
# MessageType RAW: ECDSA over SHA-256 of the message, DER signature.
openssl dgst -sha256 -sign p256-private.pem -out p256-raw.sig message.txt
# MessageType DIGEST: sign the precomputed SHA-256 digest (no second hash).
openssl dgst -sha256 -binary -out message.sha256 message.txt
openssl pkeyutl -sign -inkey p256-private.pem -in message.sha256 -out p256-digest.sig
# Self-check with OpenSSL before anyone else reads them.
openssl dgst -sha256 -verify p256-public.pem -signature p256-raw.sig message.txt
openssl pkeyutl -verify -pubin -inkey p256-public.pem -in message.sha256 -sigfile p256-digest.sig
python3 build_vectors.py > vectors.json
# The private keys are not needed by any test; do not keep them.
rm -f p256-private.pem p256-other-private.pem
