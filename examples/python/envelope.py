"""Encrypt a file of any size in the AWS Encryption SDK message format with kmskit, under a
key of a local KMS and a raw AES key at once, then decrypt it with either.

    python examples/python/envelope.py
"""

import io
import os

import kmskit
from kmskit import envelope

kms = kmskit.Kms(seed=b"envelope example")
key_id = kms.create_key(Description="files")["KeyMetadata"]["KeyId"]
backup = envelope.RawAesKeyring(key_namespace="backup", key_name="offline-2026", wrapping_key=os.urandom(32))
keyring = envelope.MultiKeyring(envelope.KmsKeyring(kms, key_id), [backup])

report = b"".join(b"row %d,ok\n" % i for i in range(20_000))
context = {"file": "report.csv", "team": "finance"}

# streaming: memory stays bounded by the frame length whatever the file's size
sealed = io.BytesIO()
size = envelope.encrypt_stream(io.BytesIO(report), sealed, keyring=keyring, encryption_context=context)
print(f"{len(report)} bytes -> a {size}-byte message (two wrapped copies of the data key)")

# either keyring opens it; the context must match what was stored
opened = io.BytesIO()
result = envelope.decrypt_stream(io.BytesIO(sealed.getvalue()), opened, keyring=backup, encryption_context=context)
print(f"decrypted with the offline key alone: {opened.getvalue() == report}, suite {result.algorithm_suite}")
again = envelope.decrypt(sealed.getvalue(), keyring=envelope.KmsKeyring(kms, key_id))
print(f"decrypted with the KMS key alone: {again.plaintext == report}")

try:
    envelope.decrypt(sealed.getvalue(), keyring=backup, encryption_context={"file": "other.csv"})
except kmskit.InvalidCiphertextException as e:
    print(f"wrong encryption context: {e.code}")
