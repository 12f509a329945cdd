"""Type stubs of the native module `kmskit._kmskit` (checked by mypy.stubtest in the tests)."""

from typing import Any, ClassVar, Optional, Union, final

from .types import (
    EncryptionAlgorithm,
    KeyAgreementAlgorithm,
    KeySpec,
    MessageType,
    SigningAlgorithm,
    Sm2CiphertextOrder,
)

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

def encrypt(public_key: bytes, plaintext: bytes, encryption_algorithm: Union[EncryptionAlgorithm, str]) -> bytes:
    """Encrypts to a KMS public key (RSAES_OAEP_SHA_1/256, SM2PKE) so that KMS Decrypt accepts it."""

def derive_shared_secret(
    private_key: bytes, public_key: bytes, key_agreement_algorithm: Union[KeyAgreementAlgorithm, str] = "ECDH"
) -> bytes:
    """The raw ECDH secret KMS DeriveSharedSecret returns when the other party holds the matching key."""

def encapsulate(public_key: bytes) -> tuple[bytes, bytes]:
    """ML-KEM encapsulation to a KMS public key: (shared_secret, ciphertext)."""

@final
class PublicKeyDescription:
    """What `describe_public_key` returns."""

    @property
    def key_spec(self) -> KeySpec: ...
    @property
    def key_usages(self) -> list[str]: ...
    @property
    def encryption_algorithms(self) -> list[str]: ...
    @property
    def signing_algorithms(self) -> list[str]: ...
    @property
    def key_agreement_algorithms(self) -> list[str]: ...
    @property
    def key_encapsulation_algorithms(self) -> list[str]: ...
    @property
    def pem(self) -> str: ...
    @property
    def jwk(self) -> Optional[dict[str, Any]]: ...
    @property
    def sec1_uncompressed(self) -> Optional[bytes]: ...

def describe_public_key(public_key: bytes) -> PublicKeyDescription:
    """Key spec, usable algorithms, and the key as PEM, JWK and uncompressed SEC1 point."""

def der_to_p1363(signature: bytes, key_spec: Union[KeySpec, str]) -> bytes:
    """DER ECDSA/SM2 signature -> fixed-width r||s (JOSE, WebCrypto)."""

def p1363_to_der(signature: bytes, key_spec: Union[KeySpec, str]) -> bytes:
    """Fixed-width r||s -> DER."""

def normalize_low_s(signature: bytes, key_spec: Union[KeySpec, str]) -> bytes:
    """DER ECDSA signature with s replaced by n - s when s > n/2."""

def secp256k1_recovery_id(public_key: bytes, digest: bytes, signature: bytes) -> int:
    """The recovery ID (0 or 1) of a secp256k1 signature as given."""

def sm2_digest(public_key: bytes, message: bytes, distinguishing_id: Optional[Union[str, bytes]] = None) -> bytes:
    """e = SM3(Z || M): the digest to sign with MessageType DIGEST under `distinguishing_id`."""

def sm2_ciphertext_to_der(raw: bytes, order: Union[Sm2CiphertextOrder, str] = "C1C3C2") -> bytes:
    """Raw SM2 ciphertext -> DER (what KMS Decrypt takes)."""

def sm2_ciphertext_from_der(der: bytes, order: Union[Sm2CiphertextOrder, str] = "C1C3C2") -> bytes:
    """DER SM2 ciphertext -> raw 04||x||y + C3/C2 in `order`."""

def ml_dsa_mu(public_key: bytes, message: bytes) -> bytes:
    """The 64-byte ML-DSA mu for MessageType EXTERNAL_MU."""

def evaluate(
    request: str, key_policy: Optional[str] = None, iam_policies: str = "{}", grants: str = "[]"
) -> str:
    """The evaluation of a request (all JSON text in; the evaluation as JSON text out)."""

@final
class PolicySetNative:
    """A key policy, IAM policies and grants parsed once; `kmskit.PolicySet` wraps it."""

    def __new__(
        cls, key_policy: Optional[str] = None, iam_policies: str = "{}", grants: str = "[]"
    ) -> PolicySetNative: ...
    def evaluate(self, request: str) -> str:
        """The evaluation of one request (JSON text in, JSON text out)."""
    def decide_many(self, requests: str) -> list[str]:
        """ALLOW / EXPLICIT_DENY / IMPLICIT_DENY for each request of a JSON list."""

def capabilities() -> list[str]:
    """The names of the public functions every binding exposes."""

def error_codes() -> list[str]:
    """Every error code (KMS exception name) kmskit raises."""

def _panic_probe() -> None: ...

@final
class KmsNative:
    """The local KMS behind a mutex; `kmskit.Kms` wraps it with boto3-style methods.

    Calls release the interpreter while they run, so threads can share one KMS.
    """

    BLOB_FIELDS: ClassVar[list[str]]
    """JSON fields (at any depth) whose values are base64 blobs."""
    MAP_FIELDS: ClassVar[list[str]]
    """JSON fields whose values are caller-keyed maps (encryption contexts)."""
    TIMESTAMP_FIELDS: ClassVar[list[str]]
    """JSON fields (at any depth) whose values are timestamps in epoch seconds."""
    def __new__(
        cls,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        partition: Optional[str] = None,
        seed: Optional[bytes] = None,
        start_time_ms: Optional[int] = None,
    ) -> KmsNative: ...
    def call(
        self, region: Optional[str], operation: str, request_json: str, caller_json: Optional[str] = None
    ) -> str:
        """Runs `operation` in `region` (None: the default Region) with a KMS JSON request body,
        as the caller `{"Principal", "Context"}` (None: the account root)."""
    @staticmethod
    def from_snapshot(snapshot: bytes, seed: Optional[bytes] = None, start_time_ms: Optional[int] = None) -> KmsNative: ...
    @staticmethod
    def from_seed(
        seed_file: bytes,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        partition: Optional[str] = None,
        seed: Optional[bytes] = None,
        start_time_ms: Optional[int] = None,
    ) -> KmsNative: ...
    def export_snapshot(self) -> bytes: ...
    def export_key_blob(self, region: str, key_id: str) -> bytes: ...
    def import_key_blob(self, key_blob: bytes) -> str: ...
    @staticmethod
    def seal(
        plaintext: bytes,
        key: Optional[bytes] = None,
        passphrase: Optional[bytes] = None,
        m_cost_kib: Optional[int] = None,
        t_cost: Optional[int] = None,
        p_cost: Optional[int] = None,
        salt: Optional[bytes] = None,
        nonce: Optional[bytes] = None,
    ) -> bytes: ...
    @staticmethod
    def unseal(container: bytes, key: Optional[bytes] = None, passphrase: Optional[bytes] = None) -> bytes: ...
    @staticmethod
    def inspect_sealed(container: bytes) -> tuple[str, Optional[tuple[int, int, int]], int]: ...
    def put_principal_policy(self, principal: str, name: str, document: str) -> None: ...
    def delete_principal_policy(self, principal: str, name: str) -> bool: ...
    def principal_policies(self, principal: str) -> list[tuple[str, str]]: ...
    def set_principal_tags(self, principal: str, tags: dict[str, str]) -> None: ...
    def last_denial(self) -> Optional[str]:
        """The evaluation behind the last AccessDeniedException (JSON), if any."""
    @property
    def account_id(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def partition(self) -> str: ...
    @property
    def deterministic(self) -> bool: ...
    def now_ms(self) -> int: ...
    def set_time_ms(self, ms: int) -> None: ...
    def advance_ms(self, ms: int) -> None: ...
    @staticmethod
    def operations() -> list[tuple[str, str]]:
        """Each implemented operation with its client method name (`("Encrypt", "encrypt")`)."""

@final
class KeyringNative:
    """A keyring of `kmskit.envelope` (opaque)."""

    @staticmethod
    def raw_aes(namespace: str, name: str, wrapping_key: bytes) -> KeyringNative: ...
    @staticmethod
    def raw_rsa(
        namespace: str, name: str, public_key: Optional[bytes], private_key: Optional[bytes], padding: str
    ) -> KeyringNative: ...
    @staticmethod
    def kms(kms: KmsNative, key_id: str) -> KeyringNative: ...
    @staticmethod
    def multi(generator: Optional[KeyringNative], children: list[KeyringNative]) -> KeyringNative: ...
    @staticmethod
    def caching(inner: KeyringNative, max_age_ms: int, max_messages: int, max_bytes: int, capacity: int) -> KeyringNative: ...
    @staticmethod
    def cache_defaults() -> tuple[int, int, int, int]: ...
    def describe(self) -> str: ...

def _envelope_encrypt(
    plaintext: bytes,
    keyring: KeyringNative,
    encryption_context: dict[str, str],
    suite: Optional[str],
    frame_length: int,
    commitment_policy: Optional[str],
    required_keys: list[str],
    max_encrypted_data_keys: Optional[int],
) -> bytes: ...
def _envelope_decrypt(
    message: bytes,
    keyring: KeyringNative,
    encryption_context: Optional[dict[str, str]],
    required_keys: list[str],
    commitment_policy: Optional[str],
    max_encrypted_data_keys: Optional[int],
) -> tuple[bytes, tuple[dict[str, str], str, bytes, Optional[int]]]: ...

@final
class EncryptorNative:
    def __new__(
        cls,
        keyring: KeyringNative,
        encryption_context: dict[str, str],
        suite: Optional[str],
        frame_length: int,
        commitment_policy: Optional[str],
        required_keys: list[str],
        max_encrypted_data_keys: Optional[int],
        plaintext_length: Optional[int],
    ) -> EncryptorNative: ...
    def update(self, plaintext: bytes) -> bytes: ...
    def finish(self) -> bytes: ...

@final
class DecryptorNative:
    def __new__(
        cls,
        keyring: KeyringNative,
        encryption_context: Optional[dict[str, str]],
        required_keys: list[str],
        commitment_policy: Optional[str],
        max_encrypted_data_keys: Optional[int],
        release: Optional[str],
    ) -> DecryptorNative: ...
    def update(self, message: bytes) -> bytes: ...
    def finish(self) -> tuple[bytes, tuple[dict[str, str], str, bytes, Optional[int]]]: ...

