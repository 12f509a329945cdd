"""Type stubs of the native module `kmskit._kmskit` (checked by mypy.stubtest in the tests)."""

from typing import Optional, Union

from .types import MessageType, SigningAlgorithm

def verify(
    public_key: bytes,
    message: bytes,
    signature: bytes,
    signing_algorithm: Union[SigningAlgorithm, str],
    message_type: Union[MessageType, str] = "RAW",
    distinguishing_id: Optional[Union[str, bytes]] = None,
) -> bool:
    """Verifies a signature exactly as AWS KMS Verify would.

    `public_key` is DER SubjectPublicKeyInfo (what GetPublicKey returns) or its PEM.
    Returns False for a signature that does not verify; raises a `KmsError` subclass
    (ValidationException, InvalidKeyUsageException) for a malformed request.
    """

def capabilities() -> list[str]:
    """The names of the public functions every binding exposes."""

def error_codes() -> list[str]:
    """Every error code (KMS exception name) kmskit raises."""

def _panic_probe() -> None: ...
