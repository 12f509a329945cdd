"""Type stubs of `kmskit._kms` (checked by mypy.stubtest in the tests).

The runtime makes one method per operation of the core (`KmsNative.operations()`); this stub
lists each explicitly, and `tests/test_kms.py` fails when the two lists differ.
"""

from datetime import datetime, timedelta
from typing import Any, ClassVar, Iterator, Mapping, Optional, Union

from . import _errors
from ._errors import KmsError
from ._kmskit import KmsNative
from ._policy import Decision

__all__ = ["Kms", "Paginator"]

class _Exceptions:
    """`kms.exceptions`: the exception classes by KMS name (boto3's `client.exceptions`)."""

    ClientError: ClassVar[type[KmsError]]
    AccessDeniedException: ClassVar[type[_errors.AccessDeniedException]]
    AlreadyExistsException: ClassVar[type[_errors.AlreadyExistsException]]
    ConflictException: ClassVar[type[_errors.ConflictException]]
    DependencyTimeoutException: ClassVar[type[_errors.DependencyTimeoutException]]
    DisabledException: ClassVar[type[_errors.DisabledException]]
    DryRunOperationException: ClassVar[type[_errors.DryRunOperationException]]
    ExpiredImportTokenException: ClassVar[type[_errors.ExpiredImportTokenException]]
    IncorrectKeyException: ClassVar[type[_errors.IncorrectKeyException]]
    IncorrectKeyMaterialException: ClassVar[type[_errors.IncorrectKeyMaterialException]]
    InvalidAliasNameException: ClassVar[type[_errors.InvalidAliasNameException]]
    InvalidArnException: ClassVar[type[_errors.InvalidArnException]]
    InvalidCiphertextException: ClassVar[type[_errors.InvalidCiphertextException]]
    InvalidGrantIdException: ClassVar[type[_errors.InvalidGrantIdException]]
    InvalidGrantTokenException: ClassVar[type[_errors.InvalidGrantTokenException]]
    InvalidImportTokenException: ClassVar[type[_errors.InvalidImportTokenException]]
    InvalidKeyUsageException: ClassVar[type[_errors.InvalidKeyUsageException]]
    InvalidMarkerException: ClassVar[type[_errors.InvalidMarkerException]]
    KeyUnavailableException: ClassVar[type[_errors.KeyUnavailableException]]
    KMSInternalException: ClassVar[type[_errors.KMSInternalException]]
    KMSInvalidMacException: ClassVar[type[_errors.KMSInvalidMacException]]
    KMSInvalidSignatureException: ClassVar[type[_errors.KMSInvalidSignatureException]]
    KMSInvalidStateException: ClassVar[type[_errors.KMSInvalidStateException]]
    LimitExceededException: ClassVar[type[_errors.LimitExceededException]]
    MalformedPolicyDocumentException: ClassVar[type[_errors.MalformedPolicyDocumentException]]
    NotFoundException: ClassVar[type[_errors.NotFoundException]]
    TagException: ClassVar[type[_errors.TagException]]
    UnsupportedOperationException: ClassVar[type[_errors.UnsupportedOperationException]]
    ValidationException: ClassVar[type[_errors.ValidationException]]

class _Meta:
    """`kms.meta`: the parts of boto3's `client.meta` code reads."""

    service_name: ClassVar[str]
    region_name: str
    partition: str
    def __init__(self, region_name: str, partition: str) -> None: ...

class _Shared:
    native: KmsNative
    requests: Iterator[int]
    def __init__(self, native: KmsNative) -> None: ...

class Kms:
    """A local AWS KMS with boto3's KMS client methods (see the module documentation)."""

    exceptions: ClassVar[_Exceptions]
    meta: _Meta
    _native: KmsNative
    def __init__(
        self,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        partition: Optional[str] = None,
        seed: Union[bytes, bytearray, memoryview, str, None] = None,
        start_time: Optional[datetime] = None,
    ) -> None: ...
    @classmethod
    def from_snapshot(
        cls,
        snapshot: Union[bytes, bytearray, memoryview],
        *,
        seed: Union[bytes, bytearray, memoryview, str, None] = None,
        start_time: Optional[datetime] = None,
    ) -> Kms: ...
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
    ) -> Kms: ...
    def export_snapshot(self) -> bytes: ...
    def export_key_blob(self, key_id: str) -> bytes: ...
    def import_key_blob(self, key_blob: Union[bytes, bytearray, memoryview]) -> dict[str, Any]: ...
    @staticmethod
    def seal(
        plaintext: Union[bytes, bytearray, memoryview],
        *,
        key: Optional[bytes] = None,
        passphrase: Optional[str] = None,
        argon2: Optional[Mapping[str, int]] = None,
        salt: Optional[bytes] = None,
        nonce: Optional[bytes] = None,
    ) -> bytes: ...
    @staticmethod
    def unseal(
        container: Union[bytes, bytearray, memoryview], *, key: Optional[bytes] = None, passphrase: Optional[str] = None
    ) -> bytes: ...
    @staticmethod
    def inspect_sealed(container: Union[bytes, bytearray, memoryview]) -> dict[str, Any]: ...
    def client(
        self,
        region: Optional[str] = None,
        *,
        principal: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
    ) -> Kms:
        """A client of the same KMS in `region`, calling as `principal` with `context`."""
    @property
    def principal(self) -> Optional[str]: ...
    def put_principal_policy(
        self, principal: str, policy_name: str, policy_document: Union[str, Mapping[str, Any]]
    ) -> None: ...
    def delete_principal_policy(self, principal: str, policy_name: str) -> bool: ...
    def get_principal_policies(self, principal: str) -> dict[str, str]: ...
    def set_principal_tags(self, principal: str, tags: Mapping[str, str]) -> None: ...
    def last_denial(self) -> Optional[Decision]: ...
    @property
    def region(self) -> str: ...
    @property
    def account_id(self) -> str: ...
    @property
    def partition(self) -> str: ...
    @property
    def deterministic(self) -> bool: ...
    @property
    def now(self) -> datetime: ...
    def set_time(self, when: datetime) -> None: ...
    def advance(self, seconds: Union[float, timedelta] = 0.0, *, days: float = 0.0) -> datetime: ...
    def call(self, operation: str, request_json: str = "{}") -> str:
        """The KMS JSON protocol: request body in, response body out (JSON text)."""
    def can_paginate(self, operation_name: str) -> bool: ...
    def get_paginator(self, operation_name: str) -> Paginator: ...
    def cancel_key_deletion(self, **kwargs: Any) -> dict[str, Any]:
        """KMS CancelKeyDeletion."""
    def create_alias(self, **kwargs: Any) -> dict[str, Any]:
        """KMS CreateAlias."""
    def create_grant(self, **kwargs: Any) -> dict[str, Any]:
        """KMS CreateGrant."""
    def create_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS CreateKey."""
    def decapsulate(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Decapsulate."""
    def decrypt(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Decrypt."""
    def delete_alias(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DeleteAlias."""
    def delete_imported_key_material(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DeleteImportedKeyMaterial."""
    def derive_shared_secret(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DeriveSharedSecret."""
    def describe_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DescribeKey."""
    def disable_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DisableKey."""
    def disable_key_rotation(self, **kwargs: Any) -> dict[str, Any]:
        """KMS DisableKeyRotation."""
    def enable_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS EnableKey."""
    def enable_key_rotation(self, **kwargs: Any) -> dict[str, Any]:
        """KMS EnableKeyRotation."""
    def encapsulate(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Encapsulate."""
    def encrypt(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Encrypt."""
    def generate_data_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateDataKey."""
    def generate_data_key_pair(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateDataKeyPair."""
    def generate_data_key_pair_without_plaintext(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateDataKeyPairWithoutPlaintext."""
    def generate_data_key_without_plaintext(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateDataKeyWithoutPlaintext."""
    def generate_mac(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateMac."""
    def generate_random(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GenerateRandom."""
    def get_key_policy(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GetKeyPolicy."""
    def get_key_rotation_status(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GetKeyRotationStatus."""
    def get_parameters_for_import(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GetParametersForImport."""
    def get_public_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS GetPublicKey."""
    def import_key_material(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ImportKeyMaterial."""
    def list_aliases(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListAliases."""
    def list_grants(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListGrants."""
    def list_key_policies(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListKeyPolicies."""
    def list_key_rotations(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListKeyRotations."""
    def list_keys(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListKeys."""
    def list_resource_tags(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListResourceTags."""
    def list_retirable_grants(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ListRetirableGrants."""
    def put_key_policy(self, **kwargs: Any) -> dict[str, Any]:
        """KMS PutKeyPolicy."""
    def re_encrypt(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ReEncrypt."""
    def replicate_key(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ReplicateKey."""
    def retire_grant(self, **kwargs: Any) -> dict[str, Any]:
        """KMS RetireGrant."""
    def revoke_grant(self, **kwargs: Any) -> dict[str, Any]:
        """KMS RevokeGrant."""
    def rotate_key_on_demand(self, **kwargs: Any) -> dict[str, Any]:
        """KMS RotateKeyOnDemand."""
    def schedule_key_deletion(self, **kwargs: Any) -> dict[str, Any]:
        """KMS ScheduleKeyDeletion."""
    def sign(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Sign."""
    def tag_resource(self, **kwargs: Any) -> dict[str, Any]:
        """KMS TagResource."""
    def untag_resource(self, **kwargs: Any) -> dict[str, Any]:
        """KMS UntagResource."""
    def update_alias(self, **kwargs: Any) -> dict[str, Any]:
        """KMS UpdateAlias."""
    def update_key_description(self, **kwargs: Any) -> dict[str, Any]:
        """KMS UpdateKeyDescription."""
    def update_primary_region(self, **kwargs: Any) -> dict[str, Any]:
        """KMS UpdatePrimaryRegion."""
    def verify(self, **kwargs: Any) -> dict[str, Any]:
        """KMS Verify."""
    def verify_mac(self, **kwargs: Any) -> dict[str, Any]:
        """KMS VerifyMac."""

class Paginator:
    """Pages of a List operation (`kms.get_paginator("list_keys").paginate()`)."""

    def __init__(self, client: Kms, operation: str) -> None: ...
    def paginate(self, **kwargs: Any) -> Iterator[dict[str, Any]]: ...
