// Types of the public entry point: the generated native.d.ts (the offline functions), the error
// shape, authorization (`evaluate`, `PolicySet`, `Decision`; shapes in policy-types.d.ts) and
// the local KMS (`Kms`, shapes in kms-types.d.ts).
export * from './native'
export * from './kms-types'
import type {
  KmsClient, KmsConfig, KmsOperations, KmsRestoreConfig, SealOptions, SealedInfo, UnsealOptions,
} from './kms-types'

import type {
  DecisionName, IamPolicies, JsonDocument, PolicyEvaluation, PolicyGrant, PolicyRequest, PolicyStep, StatementRef,
} from './policy-types'
export * from './policy-types'

/**
 * An authorization decision and everything that led to it. Made by `evaluate` and
 * `PolicySet.evaluate`; `JSON.stringify` gives core's evaluation (`toJSON()`).
 */
export declare class Decision {
  private constructor()
  /** `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`. */
  readonly decision: DecisionName
  /** Whether the decision is `ALLOW`. */
  readonly allowed: boolean
  /** `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for an implicit deny. */
  readonly source: string | null
  /** The deciding statement, when a statement decided. */
  readonly statement: StatementRef | null
  /** Every statement that applied to the request, in evaluation order. */
  readonly statements: StatementRef[]
  /** Every statement and grant looked at, with why it did or did not apply. */
  readonly steps: PolicyStep[]
  /** Rules beyond single statements that shaped the decision. */
  readonly notes: string[]
  /** A readable account: one line per statement and grant, and why. */
  explain(): string
  /** Core's evaluation (field names as in KMS shapes), with `Explanation`. */
  toJSON(): PolicyEvaluation
}

/**
 * Decides a KMS request as KMS does: the key policy (null for actions governed by IAM
 * alone), the caller's IAM policies (name -> document, consulted in order) and the grants
 * (as ListGrants returns them). Each an object or its JSON text.
 * @throws KmsError `MalformedPolicyDocumentException` for a malformed document,
 * `ValidationException` for a malformed request or grant.
 */
export declare function evaluate(
  request: PolicyRequest | string,
  keyPolicy?: JsonDocument | null,
  iamPolicies?: IamPolicies | null,
  grants?: PolicyGrant[] | string | null,
): Decision

/** A key policy, IAM policies and grants parsed once, to decide many requests fast. */
export declare class PolicySet {
  /** @throws KmsError `MalformedPolicyDocumentException`, `ValidationException`. */
  constructor(keyPolicy?: JsonDocument | null, iamPolicies?: IamPolicies | null, grants?: PolicyGrant[] | string | null)
  /** The decision for one request, with its explanation. */
  evaluate(request: PolicyRequest | string): Decision
  /** Just the decision. */
  decide(request: PolicyRequest | string): DecisionName
  /** The decision for each request, in one native call. A list (any iterable object), not
   *  the JSON text of one. */
  decideMany(requests: Iterable<PolicyRequest | string> & object): DecisionName[]
}

/** Every kmskit error: an `Error` whose `name` and `code` are the KMS exception name. */
export interface KmsError extends Error {
  name: string
  code: string
}

/**
 * A local AWS KMS: one account with keys in every Region, in memory, with the methods of the
 * AWS SDK v3's `KMS` client (`kms.encrypt({ KeyId, Plaintext })`). Every method returns a
 * Promise; the work runs on the libuv thread pool, in call order.
 */
export declare class Kms {
  /** @throws KmsError `ValidationException` for a malformed account ID, Region or partition. */
  constructor(config?: KmsConfig)
  static fromSnapshot(snapshot: Uint8Array | string, config?: KmsRestoreConfig): Kms
  static fromSeed(seedFile: Uint8Array | string, config?: KmsConfig): Kms
  static seal(plaintext: Uint8Array, options: SealOptions): Promise<Uint8Array>
  static unseal(container: Uint8Array, options: UnsealOptions): Promise<Uint8Array>
  static inspectSealed(container: Uint8Array): SealedInfo
}
export interface Kms extends KmsClient, KmsOperations {}

export * from './envelope-types'
import type {
  EnvelopeCacheLimits, EnvelopeDecryptOptions, EnvelopeDecryptResult, EnvelopeEncryptOptions, EnvelopeMessageHeader,
  RawAesKeyringOptions, RawRsaKeyringOptions,
} from './envelope-types'
import type { Transform } from 'node:stream'

/**
 * Envelope encryption in the AWS Encryption SDK message format: messages that the official
 * SDKs (Java, Python, JavaScript, ...) read and write, with raw AES and raw RSA keyrings, a
 * keyring over the local `Kms`, multi-keyrings and a data-key cache. Every function returns a
 * Promise (the work runs on the libuv thread pool) and rejects with a `KmsError`:
 * `InvalidCiphertextException` (malformed, truncated or modified message, wrong encryption
 * context, wrong commitment), `IncorrectKeyException` (no encrypted data key for the keyring),
 * `LimitExceededException`, `ValidationException` (bad options).
 */
export declare namespace envelope {
  /** The base of every keyring (not constructed directly). */
  abstract class Keyring {
    protected constructor()
    /** (Makes the type nominal: only kmskit's keyrings are keyrings.) */
    private readonly __kmskitKeyring: void
    /** What the keyring is, as error messages name it. */
    toString(): string
  }
  /** A raw AES keyring (the ESDK's; byte-compatible with its messages). */
  class RawAesKeyring extends Keyring {
    /** @throws KmsError `ValidationException` (key length, reserved namespace `aws-kms`). */
    constructor(options: RawAesKeyringOptions)
  }
  /** A raw RSA keyring (the ESDK's): encrypts with the public key, decrypts with the private. */
  class RawRsaKeyring extends Keyring {
    /** @throws KmsError `ValidationException` (no key, not RSA, keys that do not match). */
    constructor(options: RawRsaKeyringOptions)
  }
  /** A keyring over a key (ID, ARN or alias) of a local `Kms`; provider ID `kmskit-kms`. */
  class KmsKeyring extends Keyring {
    constructor(kms: Kms, keyId: string)
  }
  /** One generator (makes the data key) and children (each wraps it too); decrypts with any. */
  class MultiKeyring extends Keyring {
    constructor(options: { generator?: Keyring | null, children?: Keyring[] })
  }
  /** Reuses `inner`'s data keys within limits (the ESDK's caching CMM). */
  class CachingKeyring extends Keyring {
    constructor(inner: Keyring, limits?: EnvelopeCacheLimits)
  }

  interface EncryptOptions extends EnvelopeEncryptOptions { keyring: Keyring }
  interface DecryptOptions extends EnvelopeDecryptOptions { keyring: Keyring }

  /** Encrypts `plaintext` into one message. */
  function encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<Buffer>
  /** Decrypts one message; resolves only if every check passed. */
  function decrypt(message: Uint8Array, options: DecryptOptions): Promise<EnvelopeDecryptResult & { plaintext: Buffer }>

  /** A decrypting Transform; `header` (and the `'header'` event) once the header authenticated. */
  interface DecryptStream extends Transform {
    header: EnvelopeMessageHeader | null
    on(event: 'header', listener: (header: EnvelopeMessageHeader) => void): this
    on(event: string | symbol, listener: (...args: any[]) => void): this
  }
  /** Plaintext in, one message out (a Transform of Buffers). Bad options throw; later errors
   *  are the stream's `'error'`. */
  function encryptStream(options: EncryptOptions): Transform
  /** A message in, its plaintext out, released as `release` allows. */
  function decryptStream(options: DecryptOptions): DecryptStream
  /** The message of the plaintext chunks of `source`. */
  function encryptChunks(source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options: EncryptOptions): AsyncGenerator<Buffer, void, undefined>
  /** The plaintext of the message chunks of `source`; throws at a bad chunk or a bad end. */
  function decryptChunks(source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options: DecryptOptions): AsyncGenerator<Buffer, void, undefined>
}
