"""kmskit: the semantics of AWS KMS, offline.

Verify signatures made by AWS KMS exactly as KMS ``Verify`` would::

    import kmskit
    ok = kmskit.verify(public_key_der, message, signature, "ECDSA_SHA_256")

Every error is a :class:`KmsError` subclass named after the KMS exception
(``kmskit.ValidationException``, ...), with ``.code`` and ``.message``.
"""

from ._errors import (
    ALL_ERRORS as ALL_ERRORS,
    KmsError as KmsError,
    AccessDeniedException as AccessDeniedException,
    AlreadyExistsException as AlreadyExistsException,
    ConflictException as ConflictException,
    DependencyTimeoutException as DependencyTimeoutException,
    DisabledException as DisabledException,
    DryRunOperationException as DryRunOperationException,
    ExpiredImportTokenException as ExpiredImportTokenException,
    IncorrectKeyException as IncorrectKeyException,
    IncorrectKeyMaterialException as IncorrectKeyMaterialException,
    InvalidAliasNameException as InvalidAliasNameException,
    InvalidArnException as InvalidArnException,
    InvalidCiphertextException as InvalidCiphertextException,
    InvalidGrantIdException as InvalidGrantIdException,
    InvalidGrantTokenException as InvalidGrantTokenException,
    InvalidImportTokenException as InvalidImportTokenException,
    InvalidKeyUsageException as InvalidKeyUsageException,
    InvalidMarkerException as InvalidMarkerException,
    KeyUnavailableException as KeyUnavailableException,
    KMSInternalException as KMSInternalException,
    KMSInvalidMacException as KMSInvalidMacException,
    KMSInvalidSignatureException as KMSInvalidSignatureException,
    KMSInvalidStateException as KMSInvalidStateException,
    LimitExceededException as LimitExceededException,
    MalformedPolicyDocumentException as MalformedPolicyDocumentException,
    NotFoundException as NotFoundException,
    TagException as TagException,
    UnsupportedOperationException as UnsupportedOperationException,
    ValidationException as ValidationException,
)
from ._kmskit import capabilities as capabilities
from ._kmskit import error_codes as error_codes
from ._kmskit import verify as verify

__all__ = [
    "verify",
    "capabilities",
    "error_codes",
    "KmsError",
    "ALL_ERRORS",
    "AccessDeniedException",
    "AlreadyExistsException",
    "ConflictException",
    "DependencyTimeoutException",
    "DisabledException",
    "DryRunOperationException",
    "ExpiredImportTokenException",
    "IncorrectKeyException",
    "IncorrectKeyMaterialException",
    "InvalidAliasNameException",
    "InvalidArnException",
    "InvalidCiphertextException",
    "InvalidGrantIdException",
    "InvalidGrantTokenException",
    "InvalidImportTokenException",
    "InvalidKeyUsageException",
    "InvalidMarkerException",
    "KeyUnavailableException",
    "KMSInternalException",
    "KMSInvalidMacException",
    "KMSInvalidSignatureException",
    "KMSInvalidStateException",
    "LimitExceededException",
    "MalformedPolicyDocumentException",
    "NotFoundException",
    "TagException",
    "UnsupportedOperationException",
    "ValidationException",
]
