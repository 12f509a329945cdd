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
