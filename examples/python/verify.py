"""Verify an ECDSA P-256 signature offline, exactly as AWS KMS Verify would.

The public key is what KMS GetPublicKey returns (DER SubjectPublicKeyInfo); the signature is
a DER ECDSA signature, as KMS Sign returns it. Run: python examples/python/verify.py
"""

import pathlib

import kmskit

DATA = pathlib.Path(__file__).resolve().parents[2] / "testdata" / "skeleton"


def main() -> None:
    public_key = (DATA / "p256-public.der").read_bytes()
    message = (DATA / "message.txt").read_bytes()
    signature = (DATA / "p256-raw.sig").read_bytes()

    ok = kmskit.verify(public_key, message, signature, "ECDSA_SHA_256")
    print(f"RAW message, genuine signature: {ok}")

    tampered = kmskit.verify(public_key, message + b"!", signature, "ECDSA_SHA_256")
    print(f"RAW message, tampered message:  {tampered}")

    try:
        kmskit.verify(public_key, message, signature, "ECDSA_SHA_384")
    except kmskit.InvalidKeyUsageException as e:
        print(f"wrong algorithm raises {e.code}: {e.message}")


if __name__ == "__main__":
    main()
