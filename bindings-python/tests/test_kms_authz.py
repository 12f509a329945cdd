"""Authorization in `kmskit.Kms`: clients that call as a principal, IAM identity policies and
tags, the explanation of every AccessDeniedException, and grants, as KMS decides them."""

from __future__ import annotations

import json
from typing import Any

import pytest

import kmskit

ACCOUNT = "111122223333"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/worker-1"


def allow(*actions: str, **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.fixture
def kms() -> kmskit.Kms:
    return kmskit.Kms(seed=b"python authz tests")


def test_a_principal_client_is_authorized_by_iam_and_the_key_policy(kms: kmskit.Kms) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    alice = kms.client(principal=ALICE)
    assert alice.principal == ALICE and kms.principal is None
    assert "principal='arn:aws:iam::111122223333:user/alice'" in repr(alice)
    with pytest.raises(kmskit.AccessDeniedException) as info:
        alice.encrypt(KeyId=key_id, Plaintext=b"x")
    e = info.value
    assert e.message == (
        f"User: {ALICE} is not authorized to perform: kms:Encrypt on resource: "
        f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key_id} because no identity-based policy allows the kms:Encrypt action"
    )
    assert e.response["Error"]["Code"] == "AccessDeniedException" and e.operation_name == "Encrypt"
    assert e.decision is not None and e.decision.decision == "IMPLICIT_DENY"
    assert "kms:Encrypt" in e.decision.explain()
    last = kms.last_denial()
    assert last is not None and last.decision == "IMPLICIT_DENY"

    kms.put_principal_policy(ALICE, "encrypt", allow("kms:Encrypt"))
    kms.put_principal_policy(ALICE, "describe", json.dumps(allow("kms:DescribeKey")))
    blob = alice.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    assert list(kms.get_principal_policies(ALICE)) == ["encrypt", "describe"]
    with pytest.raises(kmskit.AccessDeniedException):
        alice.decrypt(CiphertextBlob=blob)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"  # the root
    assert kms.delete_principal_policy(ALICE, "encrypt") is True
    assert kms.delete_principal_policy(ALICE, "encrypt") is False
    with pytest.raises(kmskit.AccessDeniedException):
        alice.encrypt(KeyId=key_id, Plaintext=b"x")
    with pytest.raises(kmskit.MalformedPolicyDocumentException):
        kms.put_principal_policy(ALICE, "bad", {"Statement": []})
    with pytest.raises(kmskit.ValidationException):
        kms.put_principal_policy("alice", "p", allow("kms:*"))


def test_context_tags_and_role_sessions(kms: kmskit.Kms) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.put_principal_policy(
        ROLE, "office", allow("kms:Encrypt", IpAddress={"aws:SourceIp": "192.0.2.0/24"})
    )
    kms.put_principal_policy(
        ROLE, "tagged", allow("kms:DescribeKey", StringEquals={"aws:PrincipalTag/team": "blue"})
    )
    inside = kms.client(principal=SESSION, context={"aws:SourceIp": "192.0.2.9"})
    outside = kms.client(principal=SESSION, context={"aws:SourceIp": "203.0.113.1"})
    inside.encrypt(KeyId=key_id, Plaintext=b"x")
    with pytest.raises(kmskit.AccessDeniedException):
        outside.encrypt(KeyId=key_id, Plaintext=b"x")
    # another Region of the same client keeps its principal and context
    eu = inside.client("eu-west-1")
    assert eu.principal == SESSION and eu.region == "eu-west-1"
    with pytest.raises(kmskit.AccessDeniedException):
        inside.describe_key(KeyId=key_id)
    kms.set_principal_tags(ROLE, {"team": "blue"})
    assert inside.describe_key(KeyId=key_id)["KeyMetadata"]["KeyId"] == key_id


def test_grants_with_constraints_and_the_lockout_check(kms: kmskit.Kms) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    grant = kms.create_grant(
        KeyId=key_id,
        GranteePrincipal=ROLE,
        Operations=["Encrypt", "Decrypt"],
        Constraints={"EncryptionContextSubset": {"app": "billing"}},
    )
    session = kms.client(principal=SESSION)
    blob = session.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext={"app": "billing"})["CiphertextBlob"]
    with pytest.raises(kmskit.AccessDeniedException) as info:
        session.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext={"app": "other"})
    assert info.value.decision is not None and grant["GrantId"] in info.value.decision.explain()
    plain = session.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "billing"})
    assert plain["Plaintext"] == b"x"
    with pytest.raises(kmskit.InvalidGrantTokenException):
        session.encrypt(KeyId=key_id, Plaintext=b"x", GrantTokens=["bm90IGEgdG9rZW4="])
    (listed,) = kms.list_grants(KeyId=key_id)["Grants"]
    assert listed["Constraints"] == {"EncryptionContextSubset": {"app": "billing"}}
    # a key policy that would lock the caller out is refused unless the check is bypassed
    locked = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "kms:*", "Resource": "*"}],
    }
    with pytest.raises(kmskit.MalformedPolicyDocumentException):
        kms.put_key_policy(KeyId=key_id, Policy=json.dumps(locked))
    kms.put_key_policy(KeyId=key_id, Policy=json.dumps(locked), BypassPolicyLockoutSafetyCheck=True)
    with pytest.raises(kmskit.AccessDeniedException):
        kms.describe_key(KeyId=key_id)
    kms.client(principal=ALICE).describe_key(KeyId=key_id)
