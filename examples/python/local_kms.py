"""A local AWS KMS in-process, used exactly like boto3's KMS client.

Everything after `make_client()` is ordinary boto3 code, apart from the two lines marked
"kmskit only" (the clock): swap in `boto3.client("kms")` and the rest runs against AWS KMS
(`kmskit.verify` is the offline verifier, which works on AWS KMS signatures too). Deterministic mode (a seed) makes key IDs and key material repeat, and
the settable clock makes a seven-day deletion window pass in a line.
Run: python examples/python/local_kms.py
"""

from datetime import datetime, timezone

import kmskit


def make_client() -> kmskit.Kms:
    # against AWS: return boto3.client("kms", region_name="us-east-1")
    return kmskit.Kms(seed=b"local_kms example", start_time=datetime(2026, 3, 1, tzinfo=timezone.utc))


def main() -> None:
    kms = make_client()

    # a symmetric key with an alias, and envelope encryption with a data key
    key = kms.create_key(Description="orders", Tags=[{"TagKey": "team", "TagValue": "payments"}])
    key_id = key["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=key_id)
    print(f"created key {key_id} ({key['KeyMetadata']['KeySpec']}) as alias/orders")

    context = {"order": "4711"}
    data_key = kms.generate_data_key(KeyId="alias/orders", KeySpec="AES_256", EncryptionContext=context)
    print(f"data key: {len(data_key['Plaintext'])} bytes, wrapped in {len(data_key['CiphertextBlob'])} bytes")
    unwrapped = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext=context)
    print(f"decrypt gives the same data key back: {unwrapped['Plaintext'] == data_key['Plaintext']}")

    # errors are the KMS exceptions, as boto3 raises them
    try:
        kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext={"order": "1"})
    except kms.exceptions.InvalidCiphertextException as e:
        print(f"wrong encryption context: {e.response['Error']['Code']}")

    # an asymmetric signing key: KMS signs, anyone verifies with the public key
    signer = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signature = kms.sign(KeyId=signer, Message=b"ship order 4711", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    public_key = kms.get_public_key(KeyId=signer)["PublicKey"]
    print(f"signature verifies offline: {kmskit.verify(public_key, b'ship order 4711', signature, 'ECDSA_SHA_256')}")

    # paginate the keys
    for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1}):
        print(f"page: {[k['KeyId'][:8] for k in page['Keys']]}")

    # scheduled deletion, and the clock moved past the waiting period
    deletion = kms.schedule_key_deletion(KeyId=signer, PendingWindowInDays=7)
    print(f"signing key deleted on {deletion['DeletionDate']:%Y-%m-%d}")
    kms.advance(days=7)  # kmskit only: the clock
    try:
        kms.describe_key(KeyId=signer)
    except kms.exceptions.NotFoundException:
        print(f"on {kms.now:%Y-%m-%d} the signing key is gone: NotFoundException")  # kmskit only: now


if __name__ == "__main__":
    main()
