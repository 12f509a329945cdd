#!/usr/bin/env python3
"""Decrypt the messages kmskit wrote (testdata/envelope/kmskit/) with the official AWS
Encryption SDK for Python, and check plaintext, encryption context, suite and frame length.

    .venv/bin/pip install aws-encryption-sdk==4.0.7
    .venv/bin/python testdata/envelope/check_with_esdk.py [DIR]

DIR defaults to testdata/envelope/kmskit (written by `KMSKIT_WRITE_ENVELOPE_VECTORS=1 cargo
test -p kmskit --features std --test envelope_interop`). Each message is decrypted once per
keyring listed for it (a multi-keyring message by each key alone), under the default
REQUIRE_ENCRYPT_REQUIRE_DECRYPT policy, and once more with a flipped bit, which must fail.
Prints one line per failure and ends with "N passed, N failed"; exits 1 on any failure.
"""

import contextlib
import io
import json
import os
import sys

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import CommitmentPolicy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_vectors import load_keys, master_key, plaintext  # noqa: E402  (same directory)

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "kmskit")
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    keys = load_keys()
    strict = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    lenient = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
    passed = failed = 0
    for v in manifest["vectors"]:
        with open(os.path.join(directory, v["file"]), "rb") as f:
            message = f.read()
        expected = plaintext(v["plaintext_size"])
        # format-1 suites (0x00xx-0x03xx) need a policy that allows them
        client = strict if int(v["suite"], 16) >= 0x0478 else lenient
        for keyring in v["keyrings"]:
            what = "%s with %s" % (v["name"], keyring["key"])
            try:
                pt, header = client.decrypt(source=message, key_provider=master_key(keys, keyring))
                assert pt == expected, "plaintext differs"
                for k, val in v["encryption_context"].items():
                    assert header.encryption_context.get(k) == val, "encryption context differs at %r" % k
                assert header.algorithm.algorithm_id == int(v["suite"], 16), "suite differs"
                assert header.frame_length == v["frame_length"], "frame length differs"
                assert len(header.encrypted_data_keys) == len(v["keyrings"]), "EDK count differs"
                passed += 1
            except Exception as e:  # pylint: disable=broad-except
                failed += 1
                print("FAIL %s: %s: %s" % (what, type(e).__name__, e))
        bad = bytearray(message)
        bad[len(bad) // 2] ^= 1
        try:
            # the SDK prints the tracebacks of its own cleanup on failure: keep them quiet
            with contextlib.redirect_stderr(io.StringIO()):
                client.decrypt(source=bytes(bad), key_provider=master_key(keys, v["keyrings"][0]))
            failed += 1
            print("FAIL %s: a flipped bit was accepted" % v["name"])
        except Exception:  # pylint: disable=broad-except
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
