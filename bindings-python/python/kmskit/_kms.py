"""The local KMS with boto3's KMS client interface: ``kmskit.Kms``.

Every operation the Rust core implements is a method named as boto3 names it
(``create_key``, ``encrypt``, ``generate_data_key_pair_without_plaintext``, ...), taking
the KMS request fields as keyword arguments and returning the response fields as a dict.
The methods are made from the core's operation list (``KmsNative.operations()``), so a
new core operation is a new method without an edit here.

Only conversion happens in this file: request values to the JSON protocol (bytes to
base64, ``datetime`` to epoch seconds) and back (base64 to ``bytes``, epoch seconds to
aware UTC ``datetime``), by field name with the core's ``BLOB_FIELDS`` and
``TIMESTAMP_FIELDS``. Every KMS decision is the core's.
"""

from __future__ import annotations

import base64
import itertools
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator, Mapping, Optional, Union

from . import _errors
from ._errors import AccessDeniedException, KmsError, ValidationException
from ._kmskit import KmsNative
from ._policy import Decision

__all__ = ["Kms", "Paginator"]

_BLOB_FIELDS = frozenset(KmsNative.BLOB_FIELDS)
_TIMESTAMP_FIELDS = frozenset(KmsNative.TIMESTAMP_FIELDS)
# Caller-keyed maps (encryption contexts): their keys are data, never field names.
_MAP_FIELDS = frozenset(KmsNative.MAP_FIELDS)
#: method name -> operation name, for every operation the core implements
_OPERATIONS: dict[str, str] = {method: op for op, method in KmsNative.operations()}
_METHODS: dict[str, str] = {op: method for method, op in _OPERATIONS.items()}


def _to_ms(when: datetime) -> int:
    """A ``datetime`` as epoch milliseconds; a naive one is UTC (as botocore reads it)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() * 1000)


def _seed(seed: Union[bytes, bytearray, memoryview, str, None]) -> Optional[bytes]:
    if isinstance(seed, str):
        return seed.encode("utf-8")
    return None if seed is None else bytes(seed)


def _blob_in(name: str, value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str):
        # boto3 sends a str blob as its UTF-8 bytes
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    raise ValidationException(
        f"{name} must be bytes, bytearray, memoryview or str, not {type(value).__name__}"
    )


def _timestamp_in(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return _to_ms(value) / 1000
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return _to_ms(datetime.fromisoformat(value.replace("Z", "+00:00"))) / 1000
        except ValueError:
            pass
    raise ValidationException(f"{name} must be a datetime or epoch seconds, not {value!r}")


def _request(value: Any, name: str = "") -> Any:
    """Python request values -> JSON values (by field name, at any depth)."""
    if isinstance(value, dict):
        return {k: _field_in(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_request(v, name) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview, datetime)):
        raise ValidationException(
            f"{name or 'a value'} takes no {type(value).__name__} (it is not a blob or timestamp field)"
        )
    return value


def _field_in(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _BLOB_FIELDS:
        return _blob_in(name, value)
    if name in _TIMESTAMP_FIELDS:
        return _timestamp_in(name, value)
    if name in _MAP_FIELDS:
        return value
    return _request(value, name)


def _response(value: Any) -> Any:
    """JSON response values -> Python (bytes and aware UTC datetimes by field name)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k in _MAP_FIELDS:
                out[k] = v
            elif k in _BLOB_FIELDS and isinstance(v, str):
                out[k] = base64.b64decode(v)
            elif k in _TIMESTAMP_FIELDS and isinstance(v, (int, float)):
                out[k] = datetime.fromtimestamp(v, tz=timezone.utc)
            else:
                out[k] = _response(v)
        return out
    if isinstance(value, list):
        return [_response(v) for v in value]
    return value


class _Exceptions:
    """``kms.exceptions``: the exception classes by KMS name, as boto3's ``client.exceptions``
    (``ClientError`` is the base class, `KmsError`)."""

    ClientError = KmsError


for _cls in _errors.ALL_ERRORS:
    setattr(_Exceptions, _cls.__name__, _cls)
del _cls


class _Meta:
    """``kms.meta``: the parts of boto3's ``client.meta`` code reads."""

    service_name = "kms"

    def __init__(self, region_name: str, partition: str) -> None:
        self.region_name = region_name
        self.partition = partition

    def __repr__(self) -> str:
        return f"ClientMeta(region_name={self.region_name!r}, partition={self.partition!r})"


class _Shared:
    """What every client of one KMS shares: the native KMS and the request counter."""

    def __init__(self, native: KmsNative) -> None:
        self.native = native
        self.requests = itertools.count(1)


class Kms:
    """A local AWS KMS: one account, with keys in any Region, and boto3's KMS client methods.

    ``kmskit.Kms()`` stands where ``boto3.client("kms")`` stood::

        kms = kmskit.Kms()
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"

    ``account_id`` (12 digits), ``region`` (the default Region of calls) and ``partition``
    default to ``111122223333``, ``us-east-1`` and ``aws``. With ``seed`` (bytes, or text as
    its UTF-8 bytes) every random byte (key IDs, key material, IVs) comes from a DRBG seeded
    with it, and the clock starts at ``start_time`` or 2026-01-01T00:00:00Z; without a seed
    randomness is the system's and the clock is the system clock until ``set_time`` or
    ``advance``. Errors raise the ``kmskit`` exception classes (``kms.exceptions.<Name>``),
    which also carry botocore's ``e.response["Error"]["Code"]``.
    """

    exceptions = _Exceptions()

    def __init__(
        self,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        partition: Optional[str] = None,
        seed: Union[bytes, bytearray, memoryview, str, None] = None,
        start_time: Optional[datetime] = None,
    ) -> None:
        start_ms = None if start_time is None else _to_ms(start_time)
        native = KmsNative(account_id, region, partition, _seed(seed), start_ms)
        self._init(_Shared(native), native.region)

    @classmethod
    def _wrap(cls, native: KmsNative) -> Kms:
        kms = object.__new__(cls)
        kms._init(_Shared(native), native.region)
        return kms

    @classmethod
    def from_snapshot(
        cls,
        snapshot: Union[bytes, bytearray, memoryview],
        *,
        seed: Union[bytes, bytearray, memoryview, str, None] = None,
        start_time: Optional[datetime] = None,
    ) -> Kms:
        """A KMS restored from ``export_snapshot()`` bytes (docs/formats.md). The snapshot
        names the account, partition and default Region; ``seed`` and ``start_time`` set the
        randomness and the clock as in ``Kms()``."""
        start_ms = None if start_time is None else _to_ms(start_time)
        return cls._wrap(KmsNative.from_snapshot(bytes(snapshot), _seed(seed), start_ms))

    @classmethod
    def from_seed(
        cls,
        seed_file: Union[bytes, bytearray, memoryview, str],
        *,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        partition: Optional[str] = None,
        seed: Union[bytes, bytearray, memoryview, str, None] = None,
        start_time: Optional[datetime] = None,
    ) -> Kms:
        """A KMS made from a seed file (JSON bytes or text; docs/formats.md, "Seed file"):
        keys of fixed IDs with aliases and optional supplied material."""
        data = seed_file.encode("utf-8") if isinstance(seed_file, str) else bytes(seed_file)
        start_ms = None if start_time is None else _to_ms(start_time)
        return cls._wrap(KmsNative.from_seed(data, account_id, region, partition, _seed(seed), start_ms))

    def export_snapshot(self) -> bytes:
        """The whole KMS (every Region) as canonical JSON bytes. It holds key material in
        plaintext: ``Kms.seal`` it before it leaves the process."""
        return self._native.export_snapshot()

    def export_key_blob(self, key_id: str) -> bytes:
        """One key (key ID, ARN, alias name or ARN) of this client's Region, with its aliases
        there, as canonical JSON bytes (plaintext key material)."""
        return self._native.export_key_blob(self._region, key_id)

    def import_key_blob(self, key_blob: Union[bytes, bytearray, memoryview]) -> dict[str, Any]:
        """Adds the key of a key blob (in the Region it names); returns its KeyMetadata."""
        meta: dict[str, Any] = _response(json.loads(self._native.import_key_blob(bytes(key_blob))))
        return meta

    @staticmethod
    def seal(
        plaintext: Union[bytes, bytearray, memoryview],
        *,
        key: Optional[bytes] = None,
        passphrase: Optional[str] = None,
        argon2: Optional[Mapping[str, int]] = None,
        salt: Optional[bytes] = None,
        nonce: Optional[bytes] = None,
    ) -> bytes:
        """Encrypts bytes (a snapshot, a key blob, anything) into kmskit's container: under a
        32-byte ``key``, or under a ``passphrase`` with Argon2id (``argon2={"m_cost_kib": ...,
        "t_cost": ..., "p_cost": ...}``; missing ones are core's interactive defaults,
        19 MiB, 2, 1). ``nonce`` (and ``salt``) make it
        reproducible: for test vectors only."""
        a = dict(argon2 or {})
        unknown = set(a) - {"m_cost_kib", "t_cost", "p_cost"}
        if unknown:
            raise ValidationException(f"unknown Argon2 parameters {sorted(unknown)}")
        secret = None if passphrase is None else passphrase.encode("utf-8")
        return KmsNative.seal(
            bytes(plaintext), key, secret, a.get("m_cost_kib"), a.get("t_cost"), a.get("p_cost"), salt, nonce
        )

    @staticmethod
    def unseal(
        container: Union[bytes, bytearray, memoryview], *, key: Optional[bytes] = None, passphrase: Optional[str] = None
    ) -> bytes:
        """The plaintext of a container, with its ``key`` or ``passphrase``; a wrong one is
        InvalidCiphertextException."""
        return KmsNative.unseal(bytes(container), key, None if passphrase is None else passphrase.encode("utf-8"))

    @staticmethod
    def inspect_sealed(container: Union[bytes, bytearray, memoryview]) -> dict[str, Any]:
        """What a container's header says: ``{"kdf": "key" | "argon2id", "argon2": {...},
        "plaintext_length": n}`` (``argon2`` only for a passphrase)."""
        kdf, params, length = KmsNative.inspect_sealed(bytes(container))
        out: dict[str, Any] = {"kdf": kdf, "plaintext_length": length}
        if params is not None:
            out["argon2"] = dict(zip(("m_cost_kib", "t_cost", "p_cost"), params))
        return out

    def _init(
        self,
        shared: _Shared,
        region: str,
        principal: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._shared = shared
        self._native = shared.native
        self._region = region
        self._principal = principal
        self._context = dict(context or {})
        self._caller = (
            None
            if principal is None
            else json.dumps({"Principal": principal, "Context": self._context})
        )
        self.meta = _Meta(region, shared.native.partition)

    def client(
        self,
        region: Optional[str] = None,
        *,
        principal: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
    ) -> Kms:
        """A client of the same KMS, sharing every key, policy and the clock: in ``region``
        (default: this client's), as boto3 clients of one account in several Regions; and
        calling as ``principal`` (an IAM user, role, assumed-role session or account ARN;
        default: this client's, whose default is the account root) with the request
        ``context`` it brings (``{"aws:SourceIp": "192.0.2.1"}``, ...), as a client made
        with that principal's credentials. Every request is authorized by the key policy,
        the principal's IAM policies (``put_principal_policy``) and the key's grants."""
        if principal is None:
            principal, context = self._principal, context if context is not None else self._context
        other = object.__new__(type(self))
        other._init(self._shared, region or self._region, principal, context)
        return other

    @property
    def principal(self) -> Optional[str]:
        """Who this client calls as (None: the account root)."""
        return self._principal

    def put_principal_policy(
        self, principal: str, policy_name: str, policy_document: Union[str, Mapping[str, Any]]
    ) -> None:
        """Attaches (or replaces) the IAM identity policy ``policy_name`` of an IAM user or
        role, as ``iam.put_user_policy`` / ``iam.put_role_policy``; a role's sessions get it.
        The document is JSON text or a dict."""
        if not isinstance(policy_document, str):
            policy_document = json.dumps(policy_document)
        self._native.put_principal_policy(principal, policy_name, policy_document)

    def delete_principal_policy(self, principal: str, policy_name: str) -> bool:
        """Detaches an IAM identity policy; whether it was attached."""
        return self._native.delete_principal_policy(principal, policy_name)

    def get_principal_policies(self, principal: str) -> dict[str, str]:
        """A principal's IAM identity policies, name -> document, in attachment order."""
        return dict(self._native.principal_policies(principal))

    def set_principal_tags(self, principal: str, tags: Mapping[str, str]) -> None:
        """Sets a principal's tags, seen by policies as ``aws:PrincipalTag/<key>``."""
        self._native.set_principal_tags(principal, dict(tags))

    def last_denial(self) -> Optional[Decision]:
        """Why the last AccessDeniedException of this KMS was raised (also ``e.decision``)."""
        text = self._native.last_denial()
        return None if text is None else Decision(json.loads(text))

    @property
    def region(self) -> str:
        """The Region this client's calls go to."""
        return self._region

    @property
    def account_id(self) -> str:
        """The account ID."""
        return self._native.account_id

    @property
    def partition(self) -> str:
        """The partition (``aws``, ``aws-cn``, ...)."""
        return self._native.partition

    @property
    def deterministic(self) -> bool:
        """Whether every random byte comes from the seed."""
        return self._native.deterministic

    @property
    def now(self) -> datetime:
        """The KMS clock (aware, UTC)."""
        return datetime.fromtimestamp(self._native.now_ms() / 1000, tz=timezone.utc)

    def set_time(self, when: datetime) -> None:
        """Sets the clock (naive: UTC). What is due by then (deletions, rotations,
        expirations) happens at the next call."""
        self._native.set_time_ms(_to_ms(when))

    def advance(self, seconds: Union[float, timedelta] = 0.0, *, days: float = 0.0) -> datetime:
        """Moves the clock forward (``kms.advance(timedelta(days=7))``, ``kms.advance(days=7)``,
        ``kms.advance(3600)``) and returns the new time."""
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        self._native.advance_ms(round((float(seconds) + days * 86400.0) * 1000))
        return self.now

    def call(self, operation: str, request_json: str = "{}") -> str:
        """The KMS JSON protocol: ``call("Encrypt", '{"KeyId": ..., "Plaintext": "aGk="}')``
        returns the response body as JSON text (blobs base64, timestamps epoch seconds)."""
        try:
            return self._native.call(self._region, operation, request_json, self._caller)
        except KmsError as e:
            raise self._annotate(e, operation) from None

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` works: the List operations (boto3's
        KMS paginators, which all page with Limit, Marker, NextMarker and Truncated)."""
        op = _OPERATIONS.get(operation_name, operation_name)
        return op in _METHODS and op.startswith("List")

    def get_paginator(self, operation_name: str) -> Paginator:
        """A paginator of a List operation (``get_paginator("list_keys")``), as in boto3."""
        if not self.can_paginate(operation_name):
            raise ValidationException(f"operation {operation_name!r} cannot be paginated")
        op = _OPERATIONS.get(operation_name, operation_name)
        return Paginator(self, op)

    def _invoke(self, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            body = json.dumps(_request(kwargs))
        except KmsError as e:
            raise self._annotate(e, operation) from None
        except (TypeError, ValueError) as e:
            raise self._annotate(
                ValidationException(f"1 validation error detected in the {operation} request: {e}"),
                operation,
            ) from None
        response = json.loads(self.call(operation, body))
        result: dict[str, Any] = _response(response)
        result["ResponseMetadata"] = self._metadata(200)
        return result

    def _metadata(self, status: int) -> dict[str, Any]:
        n = next(self._shared.requests)
        return {
            "RequestId": f"00000000-0000-4000-8000-{n:012x}",
            "HTTPStatusCode": status,
            "HTTPHeaders": {"content-type": "application/x-amz-json-1.1"},
            "RetryAttempts": 0,
        }

    def _annotate(self, e: KmsError, operation: str) -> KmsError:
        e.operation_name = operation.removeprefix("TrentService.")
        if isinstance(e, AccessDeniedException):
            e.decision = self.last_denial()
        e.response["ResponseMetadata"] = self._metadata(e.response["ResponseMetadata"]["HTTPStatusCode"])
        return e

    def __repr__(self) -> str:
        who = "" if self._principal is None else f", principal={self._principal!r}"
        return f"kmskit.Kms(account_id={self.account_id!r}, region={self.region!r}{who})"


class Paginator:
    """Pages of a List operation: ``for page in kms.get_paginator("list_keys").paginate(): ...``.

    ``PaginationConfig`` takes ``PageSize`` (the request's ``Limit``) and ``StartingToken``
    (a ``NextMarker``); ``MaxItems`` is not supported.
    """

    def __init__(self, client: Kms, operation: str) -> None:
        self._client = client
        self._operation = operation

    def paginate(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        config = dict(kwargs.pop("PaginationConfig", None) or {})
        if "PageSize" in config:
            kwargs["Limit"] = config.pop("PageSize")
        if "StartingToken" in config:
            kwargs["Marker"] = config.pop("StartingToken")
        if config:
            raise ValidationException(f"PaginationConfig {sorted(config)} is not supported")
        call = getattr(self._client, _METHODS[self._operation])
        while True:
            page = call(**kwargs)
            yield page
            if not page.get("Truncated") or not page.get("NextMarker"):
                return
            kwargs["Marker"] = page["NextMarker"]


def _method(operation: str, name: str) -> Callable[..., dict[str, Any]]:
    def method(self: Kms, **kwargs: Any) -> dict[str, Any]:
        return self._invoke(operation, kwargs)

    method.__name__ = name
    method.__qualname__ = f"Kms.{name}"
    method.__doc__ = (
        f"KMS {operation}: the request fields as keyword arguments; returns the response "
        f"fields (blobs as bytes, timestamps as aware UTC datetimes)."
    )
    return method


for _op, _name in KmsNative.operations():
    setattr(Kms, _name, _method(_op, _name))
del _op, _name
