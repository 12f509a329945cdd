// The shapes of envelope encryption (`envelope` in `kmskit` and `kmskit-wasm`), shared by both
// packages: kmskit-wasm compiles this file into its .d.ts (a typescript_custom_section). Each
// package adds `keyring` (its own keyring classes) to the option shapes.

/** A suite: its ID as text (`'0x0478'`, `'0x0578'`, any suite of formats 1 and 2 for
 *  decryption), an ESDK name (`'AES_256_GCM_HKDF_SHA512_COMMIT_KEY'`), or the ID as a number. */
export type EnvelopeAlgorithmSuite = '0x0478' | '0x0578' | (string & {}) | number

/** The ESDK commitment policies; the default requires key commitment both ways. */
export type EnvelopeCommitmentPolicy =
  | 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT'
  | 'REQUIRE_ENCRYPT_ALLOW_DECRYPT'
  | 'FORBID_ENCRYPT_ALLOW_DECRYPT'

/** When a stream releases plaintext: each frame once its tag verifies (default), or nothing
 *  until the whole message (footer signature included) has verified. */
export type EnvelopeRelease = 'perFrame' | 'afterVerification' | 'PER_FRAME' | 'AFTER_VERIFICATION'

/** RSA paddings of the raw RSA keyring. */
export type RawRsaPadding = 'OAEP_SHA1' | 'OAEP_SHA256' | 'OAEP_SHA384' | 'OAEP_SHA512' | 'PKCS1'

/** `new envelope.RawAesKeyring(options)`. */
export interface RawAesKeyringOptions {
  keyNamespace: string
  keyName: string
  /** 16, 24 or 32 bytes. */
  wrappingKey: Uint8Array
}

/** `new envelope.RawRsaKeyring(options)`: at least one key; PEM text or DER bytes. */
export interface RawRsaKeyringOptions {
  keyNamespace: string
  keyName: string
  /** SubjectPublicKeyInfo: to encrypt. */
  publicKey?: Uint8Array | string | null
  /** PKCS#8 (or PKCS#1 PEM): to decrypt (and encrypt, without `publicKey`). */
  privateKey?: Uint8Array | string | null
  /** Default `'OAEP_SHA256'`. */
  padding?: RawRsaPadding
}

/** Limits of a data-key cache; core's defaults for those left out. */
export interface EnvelopeCacheLimits {
  /** How long a data key is reused (default 300000). */
  maxAgeMs?: number
  /** How many messages one data key protects (default 2^32). */
  maxMessages?: number
  /** How many plaintext bytes one data key protects (default: no limit; `Infinity` too). */
  maxBytes?: number
  /** How many entries the cache holds (default 64). */
  capacity?: number
}

/** The options of `envelope.encrypt` and `envelope.encryptStream` (besides `keyring`). */
export interface EnvelopeEncryptOptions {
  /** Stored in the message and authenticated; keys starting with `aws-crypto-` are reserved. */
  encryptionContext?: Record<string, string> | null
  /** Default `'0x0478'` (the policy's default suite). */
  algorithmSuite?: EnvelopeAlgorithmSuite | null
  /** Plaintext bytes per frame, 1 to 2^32 - 1 (default 4096). */
  frameLength?: number | null
  commitmentPolicy?: EnvelopeCommitmentPolicy | null
  /** Keys of `encryptionContext` authenticated but not stored: the reader must supply them. */
  requiredEncryptionContextKeys?: string[] | null
  /** Fail when the keyring makes more encrypted data keys. */
  maxEncryptedDataKeys?: number | null
}

/** The options of `envelope.decrypt` and `envelope.decryptStream` (besides `keyring`). */
export interface EnvelopeDecryptOptions {
  /** Pairs the message must hold with these values (or, if not stored, authenticate). */
  encryptionContext?: Record<string, string> | null
  /** Keys `encryptionContext` must supply. */
  requiredEncryptionContextKeys?: string[] | null
  commitmentPolicy?: EnvelopeCommitmentPolicy | null
  /** Refuse messages with more encrypted data keys. */
  maxEncryptedDataKeys?: number | null
  /** Streams only (the one-shot `decrypt` releases nothing before the end anyway). */
  release?: EnvelopeRelease | null
}

/** What a message's header says, once it has been authenticated. */
export interface EnvelopeMessageHeader {
  /** The stored pairs (with `aws-crypto-public-key` for signing suites) and the caller's
   *  authenticated-only ones. */
  encryptionContext: Record<string, string>
  /** The suite ID, e.g. `'0x0478'`. */
  algorithmSuite: string
  /** 32 bytes (format 2) or 16 (format 1). */
  messageId: Uint8Array
  /** Null for a non-framed body. */
  frameLength: number | null
}

/** What `envelope.decrypt` resolves to. */
export interface EnvelopeDecryptResult extends EnvelopeMessageHeader {
  plaintext: Uint8Array
}
