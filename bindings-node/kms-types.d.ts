// Types of the local KMS (`Kms`), shared by the npm packages `kmskit` (this file) and
// `kmskit-wasm` (compiled into its generated .d.ts from this file: bindings-wasm/src/lib.rs).
// No `import` statements here: the text is pasted into another module as it is.
//
// Shapes are the KMS API's, with its field names. Requests take bytes as `Uint8Array` (a Node
// `Buffer` is one) and timestamps as `Date` or epoch seconds; responses give `Uint8Array` and
// `Date`, as the AWS SDK for JavaScript v3 does. Enumerations (key specs, algorithms) are the
// KMS strings, typed `string`. Each binding's tests check that every operation kmskit
// implements is declared in `KmsOperations`.

/** How to build a local KMS. */
export interface KmsConfig {
  /** The 12-digit account ID (default `111122223333`). */
  accountId?: string
  /** The default Region of calls (default `us-east-1`). */
  region?: string
  /** The partition (default `aws`). */
  partition?: string
  /** Deterministic mode: every random byte (key IDs, key material, IVs) comes from a DRBG
   *  seeded with these bytes, and the clock starts at 2026-01-01T00:00:00Z unless
   *  `startTime` says otherwise. */
  seed?: Uint8Array
  /** The clock's start (a Date, or ms since the Unix epoch). Without it (and without `seed`)
   *  the clock is the system clock. */
  startTime?: Date | number
}

/** A rejection of a `Kms` method: `name` and `code` are the KMS exception name
 *  (`NotFoundException`, `KMSInvalidStateException`, ...), as AWS SDK v3 code branches on. */
export interface KmsServiceError extends Error {
  name: string
  code: string
}

/** A timestamp in a request: a Date, or seconds since the Unix epoch. */
export type KmsTimestamp = Date | number
/** An encryption context: text keys and values. */
export type EncryptionContext = Record<string, string>

export interface Tag { TagKey: string; TagValue: string }

export interface MultiRegionKey { Arn: string; Region: string }

export interface MultiRegionConfiguration {
  MultiRegionKeyType: string
  PrimaryKey: MultiRegionKey
  ReplicaKeys: MultiRegionKey[]
}

export interface KeyMetadata {
  AWSAccountId: string
  KeyId: string
  Arn: string
  CreationDate: Date
  Enabled: boolean
  Description: string
  KeyUsage: string
  KeyState: string
  DeletionDate?: Date
  ValidTo?: Date
  Origin: string
  ExpirationModel?: string
  KeyManager: string
  CustomerMasterKeySpec: string
  KeySpec: string
  EncryptionAlgorithms?: string[]
  SigningAlgorithms?: string[]
  KeyAgreementAlgorithms?: string[]
  MacAlgorithms?: string[]
  EncapsulationAlgorithms?: string[]
  MultiRegion: boolean
  MultiRegionConfiguration?: MultiRegionConfiguration
  PendingDeletionWindowInDays?: number
  CurrentKeyMaterialId?: string
}

/** Fields most data-plane requests accept. */
interface KmsDataPlaneRequest { GrantTokens?: string[]; DryRun?: boolean }

export interface KeyIdRequest { KeyId: string; GrantTokens?: string[] }
export interface KeyIdResponse { KeyId: string }
export interface KeyMetadataResponse { KeyMetadata: KeyMetadata }
/** The response of an operation that returns nothing. */
export type EmptyResponse = Record<string, never>
export interface ListRequest { Limit?: number; Marker?: string }
interface ListResponse { NextMarker?: string; Truncated: boolean }

export interface CreateKeyRequest {
  Policy?: string
  Description?: string
  KeyUsage?: string
  CustomerMasterKeySpec?: string
  KeySpec?: string
  Origin?: string
  CustomKeyStoreId?: string
  BypassPolicyLockoutSafetyCheck?: boolean
  Tags?: Tag[]
  MultiRegion?: boolean
  XksKeyId?: string
}
export interface ListKeysResponse extends ListResponse { Keys: { KeyId: string; KeyArn: string }[] }
export interface UpdateKeyDescriptionRequest { KeyId: string; Description: string }
export interface ScheduleKeyDeletionRequest { KeyId: string; PendingWindowInDays?: number }
export interface ScheduleKeyDeletionResponse {
  KeyId: string
  DeletionDate?: Date
  KeyState: string
  PendingWindowInDays: number
}

export interface AliasRequest { AliasName: string; TargetKeyId: string }
export interface DeleteAliasRequest { AliasName: string }
export interface ListAliasesRequest extends ListRequest { KeyId?: string }
export interface AliasListEntry {
  AliasName: string
  AliasArn: string
  TargetKeyId?: string
  CreationDate?: Date
  LastUpdatedDate?: Date
}
export interface ListAliasesResponse extends ListResponse { Aliases: AliasListEntry[] }

export interface TagResourceRequest { KeyId: string; Tags: Tag[] }
export interface UntagResourceRequest { KeyId: string; TagKeys: string[] }
export interface ListResourceTagsRequest extends ListRequest { KeyId: string }
export interface ListResourceTagsResponse extends ListResponse { Tags: Tag[] }

export interface GetKeyPolicyRequest { KeyId: string; PolicyName?: string }
export interface GetKeyPolicyResponse { Policy: string; PolicyName: string }
export interface PutKeyPolicyRequest {
  KeyId: string
  PolicyName?: string
  Policy: string
  BypassPolicyLockoutSafetyCheck?: boolean
}
export interface ListKeyPoliciesRequest extends ListRequest { KeyId: string }
export interface ListKeyPoliciesResponse extends ListResponse { PolicyNames: string[] }

export interface EnableKeyRotationRequest { KeyId: string; RotationPeriodInDays?: number }
export interface GetKeyRotationStatusResponse {
  KeyRotationEnabled: boolean
  KeyId: string
  RotationPeriodInDays?: number
  NextRotationDate?: Date
  OnDemandRotationStartDate?: Date
}
export interface ListKeyRotationsRequest extends ListRequest { KeyId: string; IncludeKeyMaterial?: string }
export interface ListKeyRotationsResponse extends ListResponse {
  Rotations: { KeyId: string; RotationDate: Date; RotationType: string; KeyMaterialId: string }[]
}

export interface EncryptRequest extends KmsDataPlaneRequest {
  KeyId: string
  Plaintext: Uint8Array
  EncryptionContext?: EncryptionContext
  EncryptionAlgorithm?: string
}
export interface EncryptResponse { CiphertextBlob: Uint8Array; KeyId: string; EncryptionAlgorithm: string }
export interface DecryptRequest extends KmsDataPlaneRequest {
  CiphertextBlob: Uint8Array
  EncryptionContext?: EncryptionContext
  KeyId?: string
  EncryptionAlgorithm?: string
  DryRunModifiers?: string[]
}
export interface DecryptResponse {
  KeyId: string
  Plaintext: Uint8Array
  EncryptionAlgorithm: string
  KeyMaterialId?: string
}
export interface ReEncryptRequest extends KmsDataPlaneRequest {
  CiphertextBlob: Uint8Array
  SourceEncryptionContext?: EncryptionContext
  SourceKeyId?: string
  DestinationKeyId: string
  DestinationEncryptionContext?: EncryptionContext
  SourceEncryptionAlgorithm?: string
  DestinationEncryptionAlgorithm?: string
}
export interface ReEncryptResponse {
  CiphertextBlob: Uint8Array
  SourceKeyId: string
  KeyId: string
  SourceEncryptionAlgorithm: string
  DestinationEncryptionAlgorithm: string
}
export interface GenerateDataKeyRequest extends KmsDataPlaneRequest {
  KeyId: string
  EncryptionContext?: EncryptionContext
  NumberOfBytes?: number
  KeySpec?: string
}
export interface GenerateDataKeyResponse { CiphertextBlob: Uint8Array; Plaintext: Uint8Array; KeyId: string }
export interface GenerateDataKeyWithoutPlaintextResponse { CiphertextBlob: Uint8Array; KeyId: string }
export interface GenerateDataKeyPairRequest extends KmsDataPlaneRequest {
  KeyId: string
  KeyPairSpec: string
  EncryptionContext?: EncryptionContext
}
export interface GenerateDataKeyPairResponse {
  PrivateKeyCiphertextBlob: Uint8Array
  PrivateKeyPlaintext: Uint8Array
  PublicKey: Uint8Array
  KeyId: string
  KeyPairSpec: string
}
export type GenerateDataKeyPairWithoutPlaintextResponse = Omit<GenerateDataKeyPairResponse, 'PrivateKeyPlaintext'>

export interface SignRequest extends KmsDataPlaneRequest {
  KeyId: string
  Message: Uint8Array
  MessageType?: string
  SigningAlgorithm: string
}
export interface SignResponse { KeyId: string; Signature: Uint8Array; SigningAlgorithm: string }
export interface VerifyRequest extends SignRequest { Signature: Uint8Array }
export interface VerifyResponse { KeyId: string; SignatureValid: boolean; SigningAlgorithm: string }
export interface GenerateMacRequest extends KmsDataPlaneRequest {
  KeyId: string
  Message: Uint8Array
  MacAlgorithm: string
}
export interface GenerateMacResponse { Mac: Uint8Array; MacAlgorithm: string; KeyId: string }
export interface VerifyMacRequest extends GenerateMacRequest { Mac: Uint8Array }
export interface VerifyMacResponse { KeyId: string; MacValid: boolean; MacAlgorithm: string }
export interface DeriveSharedSecretRequest extends KmsDataPlaneRequest {
  KeyId: string
  KeyAgreementAlgorithm: string
  PublicKey: Uint8Array
}
export interface DeriveSharedSecretResponse {
  KeyId: string
  SharedSecret: Uint8Array
  KeyAgreementAlgorithm: string
  KeyOrigin: string
}
export interface EncapsulateRequest extends KmsDataPlaneRequest { KeyId: string; EncapsulationAlgorithm: string }
export interface EncapsulateResponse {
  KeyId: string
  SharedSecret: Uint8Array
  SharedSecretCiphertextBlob: Uint8Array
  EncapsulationAlgorithm: string
}
export interface DecapsulateRequest extends KmsDataPlaneRequest {
  KeyId: string
  SharedSecretCiphertextBlob: Uint8Array
  EncapsulationAlgorithm: string
}
export interface DecapsulateResponse { KeyId: string; SharedSecret: Uint8Array; EncapsulationAlgorithm: string }
export interface GetPublicKeyResponse {
  KeyId: string
  PublicKey: Uint8Array
  CustomerMasterKeySpec: string
  KeySpec: string
  KeyUsage: string
  EncryptionAlgorithms?: string[]
  SigningAlgorithms?: string[]
  KeyAgreementAlgorithms?: string[]
  EncapsulationAlgorithms?: string[]
}
export interface GenerateRandomRequest { NumberOfBytes?: number; CustomKeyStoreId?: string }
export interface GenerateRandomResponse { Plaintext: Uint8Array }

export interface GetParametersForImportRequest { KeyId: string; WrappingAlgorithm: string; WrappingKeySpec: string }
export interface GetParametersForImportResponse {
  KeyId: string
  ImportToken: Uint8Array
  PublicKey: Uint8Array
  ParametersValidTo: Date
}
export interface ImportKeyMaterialRequest {
  KeyId: string
  ImportToken: Uint8Array
  EncryptedKeyMaterial: Uint8Array
  ValidTo?: KmsTimestamp
  ExpirationModel?: string
}
export interface ImportKeyMaterialResponse { KeyId: string; KeyMaterialId: string }
export interface DeleteImportedKeyMaterialRequest { KeyId: string }
export interface DeleteImportedKeyMaterialResponse { KeyId: string; KeyMaterialId?: string }

export interface ReplicateKeyRequest {
  KeyId: string
  ReplicaRegion: string
  Policy?: string
  BypassPolicyLockoutSafetyCheck?: boolean
  Description?: string
  Tags?: Tag[]
}
export interface ReplicateKeyResponse { ReplicaKeyMetadata: KeyMetadata; ReplicaPolicy: string; ReplicaTags: Tag[] }
export interface UpdatePrimaryRegionRequest { KeyId: string; PrimaryRegion: string }

export interface GrantConstraints {
  EncryptionContextSubset?: EncryptionContext
  EncryptionContextEquals?: EncryptionContext
}
export interface CreateGrantRequest {
  KeyId: string
  GranteePrincipal: string
  RetiringPrincipal?: string
  Operations?: string[]
  Constraints?: GrantConstraints
  GrantTokens?: string[]
  Name?: string
  DryRun?: boolean
}
export interface CreateGrantResponse { GrantToken: string; GrantId: string }
export interface ListGrantsRequest extends ListRequest { KeyId: string; GrantId?: string; GranteePrincipal?: string }
export interface ListRetirableGrantsRequest extends ListRequest { RetiringPrincipal: string }
/** A grant as ListGrants returns it (what `evaluate` and `PolicySet` take as grants). */
export interface GrantListEntry {
  KeyId: string
  GrantId: string
  Name?: string
  CreationDate: Date
  GranteePrincipal: string
  RetiringPrincipal?: string
  IssuingAccount: string
  Operations: string[]
  Constraints?: GrantConstraints
}
export interface ListGrantsResponse extends ListResponse { Grants: GrantListEntry[] }
export interface RetireGrantRequest { GrantToken?: string; KeyId?: string; GrantId?: string; DryRun?: boolean }
export interface RevokeGrantRequest { KeyId: string; GrantId: string; DryRun?: boolean }

/** A request of an operation declared loosely. */
export type KmsRequest = Record<string, unknown>
/** A response of an operation declared loosely. */
export type KmsResponse = Record<string, any>

/** One method per KMS operation kmskit implements, named as in the AWS SDK v3's `KMS` client. */
export interface KmsOperations {
  cancelKeyDeletion(input: KeyIdRequest): Promise<KeyIdResponse>
  createAlias(input: AliasRequest): Promise<EmptyResponse>
  createGrant(input: CreateGrantRequest): Promise<CreateGrantResponse>
  createKey(input?: CreateKeyRequest): Promise<KeyMetadataResponse>
  decapsulate(input: DecapsulateRequest): Promise<DecapsulateResponse>
  decrypt(input: DecryptRequest): Promise<DecryptResponse>
  deleteAlias(input: DeleteAliasRequest): Promise<EmptyResponse>
  deleteImportedKeyMaterial(input: DeleteImportedKeyMaterialRequest): Promise<DeleteImportedKeyMaterialResponse>
  deriveSharedSecret(input: DeriveSharedSecretRequest): Promise<DeriveSharedSecretResponse>
  describeKey(input: KeyIdRequest): Promise<KeyMetadataResponse>
  disableKey(input: KeyIdRequest): Promise<EmptyResponse>
  disableKeyRotation(input: KeyIdRequest): Promise<EmptyResponse>
  enableKey(input: KeyIdRequest): Promise<EmptyResponse>
  enableKeyRotation(input: EnableKeyRotationRequest): Promise<EmptyResponse>
  encapsulate(input: EncapsulateRequest): Promise<EncapsulateResponse>
  encrypt(input: EncryptRequest): Promise<EncryptResponse>
  generateDataKey(input: GenerateDataKeyRequest): Promise<GenerateDataKeyResponse>
  generateDataKeyPair(input: GenerateDataKeyPairRequest): Promise<GenerateDataKeyPairResponse>
  generateDataKeyPairWithoutPlaintext(input: GenerateDataKeyPairRequest): Promise<GenerateDataKeyPairWithoutPlaintextResponse>
  generateDataKeyWithoutPlaintext(input: GenerateDataKeyRequest): Promise<GenerateDataKeyWithoutPlaintextResponse>
  generateMac(input: GenerateMacRequest): Promise<GenerateMacResponse>
  generateRandom(input?: GenerateRandomRequest): Promise<GenerateRandomResponse>
  getKeyPolicy(input: GetKeyPolicyRequest): Promise<GetKeyPolicyResponse>
  getKeyRotationStatus(input: KeyIdRequest): Promise<GetKeyRotationStatusResponse>
  getParametersForImport(input: GetParametersForImportRequest): Promise<GetParametersForImportResponse>
  getPublicKey(input: KeyIdRequest): Promise<GetPublicKeyResponse>
  importKeyMaterial(input: ImportKeyMaterialRequest): Promise<ImportKeyMaterialResponse>
  listAliases(input?: ListAliasesRequest): Promise<ListAliasesResponse>
  listGrants(input: ListGrantsRequest): Promise<ListGrantsResponse>
  listKeyPolicies(input: ListKeyPoliciesRequest): Promise<ListKeyPoliciesResponse>
  listKeyRotations(input: ListKeyRotationsRequest): Promise<ListKeyRotationsResponse>
  listKeys(input?: ListRequest): Promise<ListKeysResponse>
  listResourceTags(input: ListResourceTagsRequest): Promise<ListResourceTagsResponse>
  listRetirableGrants(input: ListRetirableGrantsRequest): Promise<ListGrantsResponse>
  putKeyPolicy(input: PutKeyPolicyRequest): Promise<EmptyResponse>
  reEncrypt(input: ReEncryptRequest): Promise<ReEncryptResponse>
  replicateKey(input: ReplicateKeyRequest): Promise<ReplicateKeyResponse>
  retireGrant(input: RetireGrantRequest): Promise<EmptyResponse>
  revokeGrant(input: RevokeGrantRequest): Promise<EmptyResponse>
  rotateKeyOnDemand(input: KeyIdRequest): Promise<KeyIdResponse>
  scheduleKeyDeletion(input: ScheduleKeyDeletionRequest): Promise<ScheduleKeyDeletionResponse>
  sign(input: SignRequest): Promise<SignResponse>
  tagResource(input: TagResourceRequest): Promise<EmptyResponse>
  untagResource(input: UntagResourceRequest): Promise<EmptyResponse>
  updateAlias(input: AliasRequest): Promise<EmptyResponse>
  updateKeyDescription(input: UpdateKeyDescriptionRequest): Promise<EmptyResponse>
  updatePrimaryRegion(input: UpdatePrimaryRegionRequest): Promise<EmptyResponse>
  verify(input: VerifyRequest): Promise<VerifyResponse>
  verifyMac(input: VerifyMacRequest): Promise<VerifyMacResponse>
}

/** The configuration of a KMS restored from a snapshot: the snapshot names the account,
 *  partition and default Region. */
export interface KmsRestoreConfig {
  seed?: Uint8Array
  startTime?: Date | number
}

/** Argon2id cost parameters of a passphrase container (default: 19 MiB, 2 iterations, 1 lane). */
export interface Argon2Params { mCostKib?: number; tCost?: number; pCost?: number }

/** How `Kms.seal` encrypts: under a 32-byte key, or under a passphrase (Argon2id). `nonce`
 *  (12 bytes) and `salt` (16 bytes) make the output reproducible: test vectors only. */
export type SealOptions =
  | { key: Uint8Array; nonce?: Uint8Array }
  | { passphrase: Uint8Array | string; argon2?: Argon2Params; salt?: Uint8Array; nonce?: Uint8Array }

/** How `Kms.unseal` decrypts. */
export type UnsealOptions = { key: Uint8Array } | { passphrase: Uint8Array | string }

/** What a container's header says (nothing is decrypted). */
export interface SealedInfo {
  kdf: 'key' | 'argon2id'
  argon2?: { mCostKib: number; tCost: number; pCost: number }
  plaintextLength: number
}

/** The static members of `Kms` (snapshots, seed files, encrypted containers). */
export interface KmsStatics<K> {
  /** A KMS restored from a snapshot (bytes, or its text). */
  fromSnapshot(snapshot: Uint8Array | string, config?: KmsRestoreConfig): K
  /** A KMS made from a seed file (docs/formats.md, "Seed file"). */
  fromSeed(seedFile: Uint8Array | string, config?: KmsConfig): K
  /** kmskit's encrypted container of any bytes (a snapshot, a key blob). */
  seal(plaintext: Uint8Array, options: SealOptions): Promise<Uint8Array>
  /** The plaintext of a container; `InvalidCiphertextException` for a wrong key or passphrase. */
  unseal(container: Uint8Array, options: UnsealOptions): Promise<Uint8Array>
  /** A container's header. */
  inspectSealed(container: Uint8Array): SealedInfo
}

/** What every `Kms` has besides the operations. */
export interface KmsClient {
  /** The Region of this object's calls. */
  readonly region: string
  /** The account ID. */
  readonly accountId: string
  /** The partition. */
  readonly partition: string
  /** The same KMS (account, keys, clock, queue of calls) with calls in `region`. */
  withRegion(region: string): this
  /** The raw KMS JSON protocol: `call('Encrypt', '{"KeyId":"…","Plaintext":"aGk="}')` resolves
   *  to the JSON response text (base64 blobs, epoch-second timestamps); the body defaults to `{}`. */
  call(operation: string, requestJson?: string): Promise<string>
  /** The KMS clock. */
  now(): Promise<Date>
  /** Sets the clock (a Date, or ms since the Unix epoch); what fell due happens on the next call. */
  setTime(time: Date | number): Promise<void>
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): Promise<void>
  /** The snapshot of the whole KMS (every Region): canonical JSON bytes with the key material
   *  in plaintext (`Kms.seal` encrypts it). */
  exportSnapshot(): Promise<Uint8Array>
  /** The key blob of one key (ID, ARN or alias) in this object's Region, with its aliases. */
  exportKeyBlob(keyId: string): Promise<Uint8Array>
  /** Adds the key of a key blob (in the Region it names); its metadata. */
  importKeyBlob(keyBlob: Uint8Array | string): Promise<KeyMetadata>
  /** The same KMS and Region, calling as `principal` (IAM user, role, assumed-role session or
   *  account ARN) with its request `context` (`{ 'aws:SourceIp': '192.0.2.1' }`, ...). */
  asPrincipal(principal: string, context?: Record<string, unknown>): this
  /** Who this object calls as; null: the account root. */
  readonly principal: string | null
  /** Attaches (or replaces) an IAM identity policy of a user or role (an object or JSON text). */
  putPrincipalPolicy(principal: string, name: string, document: object | string): Promise<void>
  /** Detaches an IAM identity policy; whether it was attached. */
  deletePrincipalPolicy(principal: string, name: string): Promise<boolean>
  /** A principal's IAM identity policies: name -> document text, in attachment order. */
  getPrincipalPolicies(principal: string): Promise<Record<string, string>>
  /** Sets a principal's tags (`aws:PrincipalTag/<key>`). */
  setPrincipalTags(principal: string, tags: Record<string, string>): Promise<void>
  /** Why the last AccessDeniedException of this KMS was raised (a `Decision`), or null. */
  lastDenial(): Promise<KmsDenial | null>
}

/** The part of a `Decision` a denial needs (the `Decision` class has this shape and more); an
 *  `AccessDeniedException` from a `Kms` method carries one as `decision`. */
export interface KmsDenial {
  readonly decision: 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY'
  readonly allowed: boolean
  readonly source: string | null
  explain(): string
}
