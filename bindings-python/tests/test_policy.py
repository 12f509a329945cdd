"""Authorization from Python: the shared corpus (testdata/policy) and the Python API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import kmskit

CORPUS = Path(__file__).resolve().parents[2] / "testdata" / "policy"
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _files() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, json.loads(p.read_text())) for p in sorted(CORPUS.glob("*.json"))]


def _decision_cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for name, doc in _files():
        for case in doc.get("cases", []):
            if "request" in case:
                out.append((f"{name}:{case['name']}", case, doc.get("policies", {})))
    return out


def _resolve(v: Any, policies: dict[str, Any]) -> Any:
    return policies[v[1:]] if isinstance(v, str) and v.startswith("@") else v


CASES = _decision_cases()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 250


@pytest.mark.parametrize("case,policies", [(c, p) for _, c, p in CASES], ids=[n for n, _, _ in CASES])
def test_corpus_decision(case: dict[str, Any], policies: dict[str, Any]) -> None:
    kp = case.get("key_policy")
    d = kmskit.evaluate(
        case["request"],
        key_policy=None if kp is None else _resolve(kp, policies),
        iam_policies={k: _resolve(v, policies) for k, v in case.get("iam_policies", {}).items()},
        grants=case.get("grants", []),
    )
    want = case["expect"]
    assert d.decision == want["decision"], d.explain()
    if "source" in want:
        assert d.source == want["source"], d.explain()
    if want.get("statement") is not None:
        assert d.statement is not None and d.statement.index == want["statement"]["index"], d.explain()
        if "sid" in want["statement"]:
            assert d.statement.sid == want["statement"]["sid"]


def test_corpus_malformed_and_valid_documents() -> None:
    doc = json.loads((CORPUS / "malformed.json").read_text())
    for case in doc["cases"]:
        policy = case["policy"]
        with pytest.raises(kmskit.KmsError) as err:
            kmskit.PolicySet(key_policy=policy)
        assert err.value.code == case["expect_error"], case["name"]
    for valid in doc["valid"]:
        kmskit.PolicySet(key_policy=valid["policy"])


DEFAULT_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                   "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}],
}
APP_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY,
                   "Condition": {"StringEquals": {"kms:EncryptionContext:purpose": "test"}}}],
}


def _request(context: dict[str, Any], action: str = "kms:Decrypt") -> dict[str, Any]:
    return {"Action": action, "Principal": "arn:aws:iam::111122223333:role/app", "Resource": KEY, "Context": context}


def test_evaluate_explains_delegation_to_iam() -> None:
    d = kmskit.evaluate(_request({"kms:EncryptionContext:purpose": "test"}), DEFAULT_POLICY, {"app-policy": APP_POLICY})
    assert d and d.allowed and d.decision == "ALLOW"
    assert d.source == "iam:app-policy"
    assert d.statement == kmskit.StatementRef("iam:app-policy", 0, None, "Allow")
    assert [s.source for s in d.statements] == ["key_policy", "iam:app-policy"]
    assert "through the caller's account principal" in d.explain()
    assert d.to_dict()["Decision"] == "ALLOW"

    denied = kmskit.evaluate(_request({"kms:EncryptionContext:purpose": "prod"}), json.dumps(DEFAULT_POLICY),
                             {"app-policy": json.dumps(APP_POLICY)})
    assert not denied and denied.decision == "IMPLICIT_DENY" and denied.source is None
    failed = [s for s in denied.steps if not s["Matched"]]
    assert failed[0]["Failed"] == "Condition" and "kms:EncryptionContext:purpose" in failed[0]["Detail"]
    assert any("no IAM policy" in n for n in denied.notes)


def test_iam_alone_is_not_enough() -> None:
    only_admin = {"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
                                "Action": "kms:*", "Resource": "*"}}
    d = kmskit.evaluate(_request({"kms:EncryptionContext:purpose": "test"}), only_admin, {"app": APP_POLICY})
    assert d.decision == "IMPLICIT_DENY"


def test_grants_as_list_grants_returns_them() -> None:
    import datetime

    grant = {"KeyId": KEY, "GrantId": "a" * 64, "GranteePrincipal": "arn:aws:iam::111122223333:role/app",
             "Operations": ["Decrypt"], "IssuingAccount": "arn:aws:iam::111122223333:root",
             "CreationDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
             "Constraints": {"EncryptionContextSubset": {"purpose": "test"}}}
    no_iam = {"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:Encrypt", "Resource": "*"}}
    ok = kmskit.evaluate(_request({"kms:EncryptionContext:purpose": "test"}), no_iam, grants=[grant])
    assert ok.decision == "ALLOW" and ok.source == "grant:" + "a" * 64
    bad = kmskit.evaluate(_request({"kms:EncryptionContext:purpose": "other"}), no_iam, grants=[grant])
    assert bad.decision == "IMPLICIT_DENY"
    assert any(s.get("Failed") == "Constraints" for s in bad.steps)


def test_policy_set_batch_and_errors() -> None:
    s = kmskit.PolicySet(DEFAULT_POLICY, {"app": APP_POLICY})
    good = _request({"kms:EncryptionContext:purpose": "test"})
    bad = _request({"kms:EncryptionContext:purpose": "x"})
    assert s.decide(good) == "ALLOW"
    assert s.decide_many([good, bad, json.dumps(good)]) == ["ALLOW", "IMPLICIT_DENY", "ALLOW"]
    assert s.evaluate(bad).decision == "IMPLICIT_DENY"
    with pytest.raises(kmskit.MalformedPolicyDocumentException):
        kmskit.PolicySet({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
                                        "Condition": {"StringEqualz": {"a": "b"}}}})
    with pytest.raises(kmskit.ValidationException):
        s.decide({"Action": "kms:Decrypt", "Principal": "bob", "Resource": KEY})
    with pytest.raises(kmskit.ValidationException):
        kmskit.evaluate({"Action": "kms:Decrypt"}, DEFAULT_POLICY)
