"""Authorization: ``kmskit.evaluate`` and ``kmskit.PolicySet`` over the native evaluator.

Documents and requests cross into Rust as JSON text; dicts are serialized here in their
own order (IAM policies are consulted in the order given, which names the deciding one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _kmskit

Document = Union[str, bytes, Mapping[str, Any]]
"""A policy document: its JSON text, or the parsed dict."""

Request = Union[str, Mapping[str, Any]]
"""``{"Action", "Principal", "Resource", "Context"}``, as a dict or JSON text."""

__all__ = ["Decision", "Document", "PolicySet", "Request", "StatementRef", "evaluate"]


def _json(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8")
    # default=str: grants straight from boto3's ListGrants carry datetime CreationDate values
    return json.dumps(value, default=str)


def _optional_json(value: Any) -> Optional[str]:
    return None if value is None else _json(value)


def _iam_json(iam_policies: Optional[Mapping[str, Document]]) -> str:
    if iam_policies is None:
        return "{}"
    if isinstance(iam_policies, (str, bytes)):
        return _json(iam_policies)
    # Documents given as text are embedded as text (a JSON string): no re-serialization.
    return "{" + ",".join(f"{json.dumps(name)}:{_doc_json(doc)}" for name, doc in iam_policies.items()) + "}"


def _doc_json(doc: Document) -> str:
    if isinstance(doc, (str, bytes, bytearray, memoryview)):
        return json.dumps(_json(doc))
    return json.dumps(doc)


@dataclass(frozen=True)
class StatementRef:
    """A statement, named by its source (``key_policy`` or ``iam:<name>``) and index."""

    source: str
    index: int
    sid: Optional[str]
    effect: str


def _statement(d: Mapping[str, Any]) -> StatementRef:
    return StatementRef(d["Source"], d["Index"], d.get("Sid"), d["Effect"])


class Decision:
    """An authorization decision and everything that led to it.

    ``decision`` is ``"ALLOW"``, ``"EXPLICIT_DENY"`` or ``"IMPLICIT_DENY"``; ``source`` is
    ``"key_policy"``, ``"iam:<name>"``, ``"grant:<GrantId>"``, ``"account_root"`` or None;
    ``statement`` the deciding statement; ``statements`` every statement that applied;
    ``steps`` every statement and grant looked at, with the first element that failed.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def decision(self) -> str:
        return str(self._data["Decision"])

    @property
    def allowed(self) -> bool:
        return self.decision == "ALLOW"

    @property
    def source(self) -> Optional[str]:
        return self._data.get("Source")

    @property
    def statement(self) -> Optional[StatementRef]:
        st = self._data.get("Statement")
        return None if st is None else _statement(st)

    @property
    def statements(self) -> list[StatementRef]:
        return [_statement(s) for s in self._data["Statements"]]

    @property
    def steps(self) -> list[dict[str, Any]]:
        return [dict(s) for s in self._data["Steps"]]

    @property
    def notes(self) -> list[str]:
        return list(self._data["Notes"])

    def explain(self) -> str:
        """A readable account: one line per statement and grant, and why."""
        return str(self._data["Explanation"])

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as KMS-style JSON (PascalCase keys)."""
        return json.loads(json.dumps(self._data))

    def __bool__(self) -> bool:
        return self.allowed

    def __repr__(self) -> str:
        return f"Decision({self.decision}, source={self.source!r})"


def evaluate(
    request: Request,
    key_policy: Optional[Document] = None,
    iam_policies: Optional[Mapping[str, Document]] = None,
    grants: Optional[Sequence[Mapping[str, Any]]] = None,
) -> Decision:
    """Decides a KMS request as KMS does: key policy + the caller's IAM policies + grants.

    ``key_policy`` is None for actions governed by IAM alone (``kms:CreateKey``, ...).
    ``grants`` are as ``ListGrants`` returns them. Pure: nothing is read from a clock.
    """
    text = _kmskit.evaluate(_json(request), _optional_json(key_policy), _iam_json(iam_policies), _json(grants or []))
    return Decision(json.loads(text))


class PolicySet:
    """Policies and grants parsed once, to decide many requests fast."""

    __slots__ = ("_native",)

    def __init__(
        self,
        key_policy: Optional[Document] = None,
        iam_policies: Optional[Mapping[str, Document]] = None,
        grants: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> None:
        self._native = _kmskit.PolicySetNative(_optional_json(key_policy), _iam_json(iam_policies), _json(grants or []))

    def evaluate(self, request: Request) -> Decision:
        """The decision for one request, with its explanation."""
        return Decision(json.loads(self._native.evaluate(_json(request))))

    def decide(self, request: Request) -> str:
        """Just the decision: ``"ALLOW"``, ``"EXPLICIT_DENY"`` or ``"IMPLICIT_DENY"``."""
        return self._native.decide_many("[" + _json(request) + "]")[0]

    def decide_many(self, requests: Iterable[Request]) -> list[str]:
        """The decision for each request, in one call (the fast path for many requests)."""
        return self._native.decide_many("[" + ",".join(_json(r) for r in requests) + "]")
