// Types of authorization (`evaluate`, `PolicySet`, `Decision`), shared by the npm packages
// `kmskit` (this file) and `kmskit-wasm` (compiled into its generated .d.ts from this file:
// bindings-wasm/src/policy.rs). No `import` statements here: the text is pasted into another
// module as it is. The classes themselves are declared by each package (index.d.ts here; the
// wasm classes are generated).

/** A JSON document: an object, or its JSON text (passed on as it is). */
export type JsonDocument = object | string

/** A condition key's value: single-valued, or a list for a multi-valued key (`[]` is an empty
 *  set). A `Date` becomes its ISO 8601 text. */
export type PolicyContextValue = string | number | boolean | Date | (string | number | boolean)[]

/** A request to decide: `Resource` defaults to `"*"`; `Context` holds every condition key
 *  (`aws:CurrentTime`, `kms:EncryptionContext:<key>`, ...) beyond those derived from the
 *  principal. */
export interface PolicyRequest {
  /** `kms:Decrypt`, ... */
  Action: string
  /** The caller's ARN (`arn:aws:sts::111122223333:assumed-role/app/worker`), or a service
   *  principal (`cloudtrail.amazonaws.com`). */
  Principal: string
  /** The key (or alias) ARN; `"*"` for account-level actions. */
  Resource?: string
  Context?: Record<string, PolicyContextValue>
}

/** A grant as `ListGrants` returns it (`CreationDate` is ignored, in any form). */
export interface PolicyGrant {
  KeyId: string
  GrantId: string
  Name?: string
  CreationDate?: Date | string | number
  GranteePrincipal: string
  RetiringPrincipal?: string
  IssuingAccount?: string
  Operations: string[]
  Constraints?: {
    EncryptionContextSubset?: Record<string, string>
    EncryptionContextEquals?: Record<string, string>
  }
}

/** IAM policies by name, consulted in this order (the first one that decides is the
 *  `source`): an object (name -> document), or its JSON text. Names that look like integers
 *  are put first by JavaScript itself; pass JSON text to keep any order. */
export type IamPolicies = Record<string, JsonDocument> | string

/** `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`. */
export type DecisionName = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY'

/** A statement, named by its source and its index in that policy's `Statement` list. */
export interface StatementRef {
  /** `key_policy` or `iam:<name>`. */
  source: string
  index: number
  /** Its `Sid`, when it has one. */
  sid?: string
  effect: 'Allow' | 'Deny'
}

/** How one statement or grant fared. */
export interface PolicyStep {
  /** `key_policy`, `iam:<name>` or `grant:<GrantId>`. */
  source: string
  /** The statement's index (grants: their position in the list). */
  index: number
  sid?: string
  effect: 'Allow' | 'Deny'
  /** Whether it applied to the request. */
  matched: boolean
  /** It applied only through the caller's account principal (it needs an IAM Allow). */
  viaAccount?: boolean
  /** The first element that did not match: `Principal`, `Action`, `Resource`, `Condition`,
   *  or for grants `KeyId`, `GranteePrincipal`, `Operations`, `Constraints`. */
  failed?: string
  /** Why, readably. */
  detail?: string
}

/** What `Decision.toJSON()` returns: core's evaluation, field names as in KMS shapes. */
export interface PolicyEvaluation {
  Decision: DecisionName
  /** `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for an implicit deny. */
  Source: string | null
  Statement: { Source: string; Index: number; Sid?: string; Effect: 'Allow' | 'Deny' } | null
  Statements: { Source: string; Index: number; Sid?: string; Effect: 'Allow' | 'Deny' }[]
  Steps: {
    Source: string
    Index: number
    Sid?: string
    Effect: 'Allow' | 'Deny'
    Matched: boolean
    ViaAccount?: boolean
    Failed?: string
    Detail?: string
  }[]
  Notes: string[]
  /** A readable account of the decision (what `explain()` returns). */
  Explanation: string
}
