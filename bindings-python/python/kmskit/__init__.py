"""kmskit: the semantics of AWS KMS, offline.

Verify signatures made by AWS KMS exactly as KMS ``Verify`` would::

    import kmskit
    ok = kmskit.verify(public_key_der, message, signature, "ECDSA_SHA_256")

Run a local KMS with boto3's KMS client methods::

    kms = kmskit.Kms()                       # instead of boto3.client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"]

Every error is a :class:`KmsError` subclass named after the KMS exception
(``kmskit.ValidationException``, ...), with ``.code`` and ``.message`` (and botocore's
``.response["Error"]["Code"]``).

Ask whether a key policy, IAM policies and grants allow a request, and why::

    d = kmskit.evaluate(request, key_policy=policy, iam_policies={"app": iam_policy})
    d.decision, d.source, d.explain()

Encrypt data of any size in the AWS Encryption SDK message format (``kmskit.envelope``)::

    kr = kmskit.envelope.RawAesKeyring(key_namespace="ns", key_name="k1", wrapping_key=key32)
    message = kmskit.envelope.encrypt(b"data", keyring=kr, encryption_context={"app": "x"})
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
from . import envelope as envelope
from ._kms import Kms as Kms
from ._kms import Paginator as Paginator
from ._policy import Decision as Decision
from ._policy import PolicySet as PolicySet
from ._policy import StatementRef as StatementRef
from ._policy import evaluate as evaluate
from ._kmskit import KmsNative as KmsNative
from ._kmskit import PublicKeyDescription as PublicKeyDescription
from ._kmskit import verify as verify
from ._kmskit import encrypt as encrypt
from ._kmskit import derive_shared_secret as derive_shared_secret
from ._kmskit import encapsulate as encapsulate
from ._kmskit import describe_public_key as describe_public_key
from ._kmskit import der_to_p1363 as der_to_p1363
from ._kmskit import p1363_to_der as p1363_to_der
from ._kmskit import normalize_low_s as normalize_low_s
from ._kmskit import secp256k1_recovery_id as secp256k1_recovery_id
from ._kmskit import sm2_digest as sm2_digest
from ._kmskit import sm2_ciphertext_to_der as sm2_ciphertext_to_der
from ._kmskit import sm2_ciphertext_from_der as sm2_ciphertext_from_der
from ._kmskit import ml_dsa_mu as ml_dsa_mu
from ._kmskit import capabilities as capabilities
from ._kmskit import error_codes as error_codes

__all__ = [
    "verify",
    "encrypt",
    "derive_shared_secret",
    "encapsulate",
    "describe_public_key",
    "der_to_p1363",
    "p1363_to_der",
    "normalize_low_s",
    "secp256k1_recovery_id",
    "sm2_digest",
    "sm2_ciphertext_to_der",
    "sm2_ciphertext_from_der",
    "ml_dsa_mu",
    "capabilities",
    "error_codes",
    "evaluate",
    "Decision",
    "PolicySet",
    "StatementRef",
    "PublicKeyDescription",
    "Kms",
    "KmsNative",
    "Paginator",
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
