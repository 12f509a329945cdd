"""Envelope encryption in the AWS Encryption SDK message format: ``kmskit.envelope``.

Data is encrypted under a fresh data key, which keyrings wrap; the message is what the
official Encryption SDKs write and read, so messages go both ways between kmskit and the
AWS Encryption SDK for Python, Java or JavaScript (raw AES and raw RSA keyrings with the same
namespace, name and key)::

    from kmskit import envelope
    kr = envelope.RawAesKeyring(key_namespace="ns", key_name="k1", wrapping_key=key32)
    message = envelope.encrypt(b"data", keyring=kr, encryption_context={"purpose": "test"})
    result = envelope.decrypt(message, keyring=kr, encryption_context={"purpose": "test"})
    result.plaintext, result.encryption_context, result.algorithm_suite

The suite defaults to ``0x0478`` (AES-256-GCM, HKDF-SHA512, key commitment); ``0x0578`` adds
an ECDSA P-384 signature. Streams: ``encrypt_stream(src, dst, ...)`` and
``decrypt_stream(src, dst, ...)`` copy between binary file objects with memory bounded by the
frame length; ``Encryptor``/``Decryptor`` take chunks as they come. Every decision is the Rust
core's (``kmskit::envelope``); errors are the ``kmskit`` exception classes
(``InvalidCiphertextException`` for any modified, truncated or mismatched message).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator, Mapping, Optional, Sequence, Union

from ._kmskit import DecryptorNative, EncryptorNative, KeyringNative
from ._kmskit import _envelope_decrypt as envelope_decrypt
from ._kmskit import _envelope_encrypt as envelope_encrypt

if TYPE_CHECKING:
    from ._kms import Kms

__all__ = [
    "CachingKeyring",
    "DecryptResult",
    "Decryptor",
    "Encryptor",
    "Keyring",
    "KmsKeyring",
    "MultiKeyring",
    "RawAesKeyring",
    "RawRsaKeyring",
    "decrypt",
    "decrypt_stream",
    "encrypt",
    "encrypt_stream",
]

Bytes = Union[bytes, bytearray, memoryview]
DEFAULT_FRAME_LENGTH = 4096
CHUNK = 1 << 16


class Keyring:
    """A keyring: wraps data keys on encryption and unwraps them on decryption."""

    _native: KeyringNative

    def __repr__(self) -> str:
        return f"<kmskit.envelope.{type(self).__name__}: {self._native.describe()}>"


def _key(value: Union[Bytes, str, None]) -> Optional[bytes]:
    if value is None:
        return None
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


class RawAesKeyring(Keyring):
    """The ESDK's raw AES keyring: a 128/192/256-bit wrapping key named by namespace and name
    (both must match on decryption; the namespace ``aws-kms`` is reserved)."""

    def __init__(self, *, key_namespace: str, key_name: str, wrapping_key: Bytes) -> None:
        self._native = KeyringNative.raw_aes(key_namespace, key_name, bytes(wrapping_key))


class RawRsaKeyring(Keyring):
    """The ESDK's raw RSA keyring: ``public_key`` (to encrypt) and/or ``private_key`` (to
    decrypt), PEM text or DER bytes; ``padding`` ``OAEP_SHA1``/``OAEP_SHA256``/
    ``OAEP_SHA384``/``OAEP_SHA512`` or ``PKCS1``."""

    def __init__(
        self,
        *,
        key_namespace: str,
        key_name: str,
        public_key: Union[Bytes, str, None] = None,
        private_key: Union[Bytes, str, None] = None,
        padding: str = "OAEP_SHA256",
    ) -> None:
        self._native = KeyringNative.raw_rsa(key_namespace, key_name, _key(public_key), _key(private_key), padding)


class KmsKeyring(Keyring):
    """Wraps data keys with a key of a local ``kmskit.Kms`` (GenerateDataKey, Encrypt and
    Decrypt with the message's encryption context), as the root of its account. Its provider
    ID is ``kmskit-kms``: the ESDK's ``aws-kms`` keyring cannot read these keys, nor this one
    AWS's."""

    def __init__(self, kms: Kms, key_id: str) -> None:
        self._native = KeyringNative.kms(kms._native, key_id)


class MultiKeyring(Keyring):
    """A generator keyring makes (and wraps) the data key; each child wraps it as well. Any
    one of them can decrypt."""

    def __init__(self, generator: Optional[Keyring] = None, children: Sequence[Keyring] = ()) -> None:
        self._native = KeyringNative.multi(
            None if generator is None else generator._native, [c._native for c in children]
        )


class CachingKeyring(Keyring):
    """Reuses data keys of ``keyring`` across messages, within limits: ``max_age`` (seconds
    or ``timedelta``), ``max_messages`` and ``max_bytes`` per data key, ``capacity`` entries
    (defaults: core's — five minutes, 2^32 messages, no byte limit, 64 entries)."""

    def __init__(
        self,
        keyring: Keyring,
        *,
        max_age: Union[float, timedelta, None] = None,
        max_messages: Optional[int] = None,
        max_bytes: Optional[int] = None,
        capacity: Optional[int] = None,
    ) -> None:
        age_ms, messages, nbytes, entries = KeyringNative.cache_defaults()
        if max_age is not None:
            seconds = max_age.total_seconds() if isinstance(max_age, timedelta) else float(max_age)
            age_ms = round(seconds * 1000)
        self._native = KeyringNative.caching(
            keyring._native,
            age_ms,
            messages if max_messages is None else max_messages,
            nbytes if max_bytes is None else max_bytes,
            entries if capacity is None else capacity,
        )


@dataclass(frozen=True)
class DecryptResult:
    """A decrypted message: plaintext (``None`` from ``decrypt_stream``, which wrote it),
    the encryption context (stored pairs, ``aws-crypto-public-key`` for signing suites, and
    the caller's authenticated-only pairs), the suite (``"0x0478"``), the message ID and the
    frame length (``None`` for a non-framed message)."""

    plaintext: Optional[bytes]
    encryption_context: dict[str, str]
    algorithm_suite: str
    message_id: bytes
    frame_length: Optional[int]


def _result(plaintext: Optional[bytes], info: tuple[dict[str, str], str, bytes, Optional[int]]) -> DecryptResult:
    context, suite, message_id, frame_length = info
    return DecryptResult(plaintext, dict(context), suite, bytes(message_id), frame_length)


def encrypt(
    plaintext: Bytes,
    *,
    keyring: Keyring,
    encryption_context: Optional[Mapping[str, str]] = None,
    algorithm_suite: Optional[str] = None,
    frame_length: int = DEFAULT_FRAME_LENGTH,
    commitment_policy: Optional[str] = None,
    required_encryption_context_keys: Iterable[str] = (),
    max_encrypted_data_keys: Optional[int] = None,
) -> bytes:
    """Encrypts ``plaintext`` into one message. ``algorithm_suite``: ``"0x0478"`` (default)
    or ``"0x0578"`` (or an ESDK suite name); ``commitment_policy``:
    ``REQUIRE_ENCRYPT_REQUIRE_DECRYPT`` (default), ``REQUIRE_ENCRYPT_ALLOW_DECRYPT`` or
    ``FORBID_ENCRYPT_ALLOW_DECRYPT``; ``required_encryption_context_keys``: pairs of the
    context that are authenticated but not stored (the decrypting party supplies them)."""
    return envelope_encrypt(
        bytes(plaintext),
        keyring._native,
        dict(encryption_context or {}),
        algorithm_suite,
        frame_length,
        commitment_policy,
        list(required_encryption_context_keys),
        max_encrypted_data_keys,
    )


def decrypt(
    message: Bytes,
    *,
    keyring: Keyring,
    encryption_context: Optional[Mapping[str, str]] = None,
    required_encryption_context_keys: Iterable[str] = (),
    commitment_policy: Optional[str] = None,
    max_encrypted_data_keys: Optional[int] = None,
) -> DecryptResult:
    """Decrypts one message; nothing is returned unless all of it verifies. With
    ``encryption_context`` every stored pair given must match, and pairs not stored must be
    the ones the encrypting party withheld."""
    plaintext, info = envelope_decrypt(
        bytes(message),
        keyring._native,
        None if encryption_context is None else dict(encryption_context),
        list(required_encryption_context_keys),
        commitment_policy,
        max_encrypted_data_keys,
    )
    return _result(plaintext, info)


class Encryptor:
    """Encrypts a message piece by piece: ``update(chunk)`` returns the message bytes ready
    so far, ``finish()`` the rest. Memory stays bounded by the frame length."""

    def __init__(
        self,
        *,
        keyring: Keyring,
        encryption_context: Optional[Mapping[str, str]] = None,
        algorithm_suite: Optional[str] = None,
        frame_length: int = DEFAULT_FRAME_LENGTH,
        commitment_policy: Optional[str] = None,
        required_encryption_context_keys: Iterable[str] = (),
        max_encrypted_data_keys: Optional[int] = None,
        plaintext_length: Optional[int] = None,
    ) -> None:
        self._native = EncryptorNative(
            keyring._native,
            dict(encryption_context or {}),
            algorithm_suite,
            frame_length,
            commitment_policy,
            list(required_encryption_context_keys),
            max_encrypted_data_keys,
            plaintext_length,
        )

    def update(self, plaintext: Bytes) -> bytes:
        return self._native.update(bytes(plaintext))

    def finish(self) -> bytes:
        return self._native.finish()


class Decryptor:
    """Decrypts a message piece by piece: ``update(chunk)`` returns plaintext of frames whose
    tag verified, ``finish()`` the rest and the ``DecryptResult`` (plaintext ``None``) once the
    whole message verified. For a signed suite (``0x0578``), frames are released before the
    footer's signature is checked unless ``release="AFTER_VERIFICATION"``, which holds the
    plaintext (up to 64 MiB) until ``finish``."""

    def __init__(
        self,
        *,
        keyring: Keyring,
        encryption_context: Optional[Mapping[str, str]] = None,
        required_encryption_context_keys: Iterable[str] = (),
        commitment_policy: Optional[str] = None,
        max_encrypted_data_keys: Optional[int] = None,
        release: str = "PER_FRAME",
    ) -> None:
        self._native = DecryptorNative(
            keyring._native,
            None if encryption_context is None else dict(encryption_context),
            list(required_encryption_context_keys),
            commitment_policy,
            max_encrypted_data_keys,
            release,
        )

    def update(self, message: Bytes) -> bytes:
        return self._native.update(bytes(message))

    def finish(self) -> tuple[bytes, DecryptResult]:
        rest, info = self._native.finish()
        return rest, _result(None, info)


def _chunks(src: BinaryIO, size: int) -> Iterator[bytes]:
    while True:
        chunk = src.read(size)
        if not chunk:
            return
        yield chunk


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    keyring: Keyring,
    encryption_context: Optional[Mapping[str, str]] = None,
    algorithm_suite: Optional[str] = None,
    frame_length: int = DEFAULT_FRAME_LENGTH,
    commitment_policy: Optional[str] = None,
    required_encryption_context_keys: Iterable[str] = (),
    max_encrypted_data_keys: Optional[int] = None,
    chunk_size: int = CHUNK,
) -> int:
    """Encrypts everything ``src`` (a binary file object) yields into one message written to
    ``dst``; returns the message's length."""
    e = Encryptor(
        keyring=keyring,
        encryption_context=encryption_context,
        algorithm_suite=algorithm_suite,
        frame_length=frame_length,
        commitment_policy=commitment_policy,
        required_encryption_context_keys=required_encryption_context_keys,
        max_encrypted_data_keys=max_encrypted_data_keys,
    )
    written = 0
    for chunk in _chunks(src, chunk_size):
        out = e.update(chunk)
        written += dst.write(out) or 0
    written += dst.write(e.finish()) or 0
    return written


def decrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    keyring: Keyring,
    encryption_context: Optional[Mapping[str, str]] = None,
    required_encryption_context_keys: Iterable[str] = (),
    commitment_policy: Optional[str] = None,
    max_encrypted_data_keys: Optional[int] = None,
    release: str = "PER_FRAME",
    chunk_size: int = CHUNK,
) -> DecryptResult:
    """Decrypts the message ``src`` yields, writing plaintext to ``dst`` frame by frame as
    each verifies (see ``Decryptor`` for signed messages and ``release``). On an error,
    what was written before it came from frames that verified, but the message as a whole
    did not: discard it."""
    d = Decryptor(
        keyring=keyring,
        encryption_context=encryption_context,
        required_encryption_context_keys=required_encryption_context_keys,
        commitment_policy=commitment_policy,
        max_encrypted_data_keys=max_encrypted_data_keys,
        release=release,
    )
    for chunk in _chunks(src, chunk_size):
        out = d.update(chunk)
        if out:
            dst.write(out)
    rest, result = d.finish()
    if rest:
        dst.write(rest)
    return result
