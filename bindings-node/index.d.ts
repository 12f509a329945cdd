// Types of the public entry point: the generated native.d.ts (the offline functions), the error
// shape, and the local KMS (`Kms`, shapes in kms-types.d.ts).
export * from './native'
export * from './kms-types'
import type {
  KmsClient, KmsConfig, KmsOperations, KmsRestoreConfig, SealOptions, SealedInfo, UnsealOptions,
} from './kms-types'

/** A JSON document: an object, or its JSON text. */
export type JsonDocument = object | string

/** What `evaluate` decides, and why (the fields of core's `Evaluation`). */
export interface PolicyEvaluation {
  Decision: 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY'
  /** `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for an implicit deny. */
  Source: string | null
  Statement: Record<string, unknown> | null
  Statements: Record<string, unknown>[]
  Steps: Record<string, unknown>[]
  Notes: string[]
  /** A readable account of the decision. */
  Explanation: string
}

/**
 * Decides a KMS request (`{ Action, Principal, Resource, Context }`) as KMS does: the key
 * policy (null for actions governed by IAM alone), the caller's IAM policies (name ->
 * document) and grants (as ListGrants returns them). Objects or JSON text.
 */
export declare function evaluate(
  request: JsonDocument,
  keyPolicy?: JsonDocument | null,
  iamPolicies?: Record<string, JsonDocument> | string,
  grants?: object[] | string,
): PolicyEvaluation

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
