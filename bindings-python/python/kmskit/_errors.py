"""kmskit's exceptions: one class per AWS KMS exception name, all subclasses of `KmsError`.

The list mirrors the Rust core's `ErrorCode::ALL`; `tests/test_errors.py` holds them equal.
Branch on the class or on `.code`, never on the message text.

For code written against boto3, every error also looks like botocore's `ClientError`:
`e.response["Error"]["Code"]` is the KMS exception name, `e.response["Error"]["Message"]`
the message, and `e.operation_name` the operation that raised it (`kmskit.Kms` sets it).
"""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

if TYPE_CHECKING:
    from ._policy import Decision


class KmsError(Exception):
    """Base class of every kmskit error. `code` is the KMS exception name."""

    code: ClassVar[str] = "KmsError"
    #: The HTTP status AWS KMS answers this exception with (in `response["ResponseMetadata"]`).
    http_status_code: ClassVar[int] = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.operation_name: Optional[str] = None
        #: botocore's `ClientError.response` shape.
        self.response: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": message},
            "ResponseMetadata": {
                "HTTPStatusCode": self.http_status_code,
                "HTTPHeaders": {"content-type": "application/x-amz-json-1.1"},
                "RetryAttempts": 0,
            },
        }

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class AccessDeniedException(KmsError):
    code: ClassVar[str] = "AccessDeniedException"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        #: Why the local KMS denied the request (`kmskit.Kms` sets it): the evaluation of the
        #: key policy, IAM policies and grants; `.explain()` tells why.
        self.decision: Optional[Decision] = None


class AlreadyExistsException(KmsError):
    code: ClassVar[str] = "AlreadyExistsException"


class ConflictException(KmsError):
    code: ClassVar[str] = "ConflictException"


class DependencyTimeoutException(KmsError):
    code: ClassVar[str] = "DependencyTimeoutException"
    http_status_code: ClassVar[int] = 500


class DisabledException(KmsError):
    code: ClassVar[str] = "DisabledException"


class DryRunOperationException(KmsError):
    code: ClassVar[str] = "DryRunOperationException"


class ExpiredImportTokenException(KmsError):
    code: ClassVar[str] = "ExpiredImportTokenException"


class IncorrectKeyException(KmsError):
    code: ClassVar[str] = "IncorrectKeyException"


class IncorrectKeyMaterialException(KmsError):
    code: ClassVar[str] = "IncorrectKeyMaterialException"


class InvalidAliasNameException(KmsError):
    code: ClassVar[str] = "InvalidAliasNameException"


class InvalidArnException(KmsError):
    code: ClassVar[str] = "InvalidArnException"


class InvalidCiphertextException(KmsError):
    code: ClassVar[str] = "InvalidCiphertextException"


class InvalidGrantIdException(KmsError):
    code: ClassVar[str] = "InvalidGrantIdException"


class InvalidGrantTokenException(KmsError):
    code: ClassVar[str] = "InvalidGrantTokenException"


class InvalidImportTokenException(KmsError):
    code: ClassVar[str] = "InvalidImportTokenException"


class InvalidKeyUsageException(KmsError):
    code: ClassVar[str] = "InvalidKeyUsageException"


class InvalidMarkerException(KmsError):
    code: ClassVar[str] = "InvalidMarkerException"


class KeyUnavailableException(KmsError):
    code: ClassVar[str] = "KeyUnavailableException"
    http_status_code: ClassVar[int] = 500


class KMSInternalException(KmsError):
    code: ClassVar[str] = "KMSInternalException"
    http_status_code: ClassVar[int] = 500


class KMSInvalidMacException(KmsError):
    code: ClassVar[str] = "KMSInvalidMacException"


class KMSInvalidSignatureException(KmsError):
    code: ClassVar[str] = "KMSInvalidSignatureException"


class KMSInvalidStateException(KmsError):
    code: ClassVar[str] = "KMSInvalidStateException"


class LimitExceededException(KmsError):
    code: ClassVar[str] = "LimitExceededException"


class MalformedPolicyDocumentException(KmsError):
    code: ClassVar[str] = "MalformedPolicyDocumentException"


class NotFoundException(KmsError):
    code: ClassVar[str] = "NotFoundException"


class TagException(KmsError):
    code: ClassVar[str] = "TagException"


class UnsupportedOperationException(KmsError):
    code: ClassVar[str] = "UnsupportedOperationException"


class ValidationException(KmsError):
    code: ClassVar[str] = "ValidationException"


ALL_ERRORS: tuple[type[KmsError], ...] = (
    AccessDeniedException,
    AlreadyExistsException,
    ConflictException,
    DependencyTimeoutException,
    DisabledException,
    DryRunOperationException,
    ExpiredImportTokenException,
    IncorrectKeyException,
    IncorrectKeyMaterialException,
    InvalidAliasNameException,
    InvalidArnException,
    InvalidCiphertextException,
    InvalidGrantIdException,
    InvalidGrantTokenException,
    InvalidImportTokenException,
    InvalidKeyUsageException,
    InvalidMarkerException,
    KeyUnavailableException,
    KMSInternalException,
    KMSInvalidMacException,
    KMSInvalidSignatureException,
    KMSInvalidStateException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NotFoundException,
    TagException,
    UnsupportedOperationException,
    ValidationException,
)

__all__ = ["KmsError", "ALL_ERRORS", "AccessDeniedException", "AlreadyExistsException", "ConflictException", "DependencyTimeoutException", "DisabledException", "DryRunOperationException", "ExpiredImportTokenException", "IncorrectKeyException", "IncorrectKeyMaterialException", "InvalidAliasNameException", "InvalidArnException", "InvalidCiphertextException", "InvalidGrantIdException", "InvalidGrantTokenException", "InvalidImportTokenException", "InvalidKeyUsageException", "InvalidMarkerException", "KeyUnavailableException", "KMSInternalException", "KMSInvalidMacException", "KMSInvalidSignatureException", "KMSInvalidStateException", "LimitExceededException", "MalformedPolicyDocumentException", "NotFoundException", "TagException", "UnsupportedOperationException", "ValidationException"]
