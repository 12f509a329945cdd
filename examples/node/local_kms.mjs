// @ts-check
// A local AWS KMS in the process, used as the AWS SDK v3's KMS client is.
// Run: node examples/node/local_kms.mjs   (in your project: require('kmskit').Kms)
import { createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** @type {typeof import('../../bindings-node/index.js')} */
const { Kms } = require('../../bindings-node')

// Deterministic: the same seed gives the same key IDs, keys and ciphertexts on every run.
const kms = new Kms({ seed: new TextEncoder().encode('example'), startTime: new Date('2026-01-01T00:00:00Z') })

// Envelope encryption with an alias and an encryption context
const { KeyMetadata } = await kms.createKey({ Description: 'orders' })
await kms.createAlias({ AliasName: 'alias/orders', TargetKeyId: KeyMetadata.KeyId })
const context = { order: '42' }
const { CiphertextBlob } = await kms.encrypt({
  KeyId: 'alias/orders',
  Plaintext: new TextEncoder().encode('card 4111'),
  EncryptionContext: context,
})
const { Plaintext } = await kms.decrypt({ CiphertextBlob, EncryptionContext: context })
console.log(`decrypted: ${new TextDecoder().decode(Plaintext)}`)
/** @type {Date} */
const created = KeyMetadata.CreationDate
console.log(`created: ${created.toISOString()}`)

// Sign with KMS, verify with node:crypto and the public key GetPublicKey returns
const signing = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
const keyId = signing.KeyMetadata.KeyId
const message = new TextEncoder().encode('release v1.2.3')
const { Signature } = await kms.sign({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })
const { PublicKey } = await kms.getPublicKey({ KeyId: keyId })
const spki = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' })
console.log(`node:crypto verifies the KMS signature: ${cryptoVerify('sha256', message, spki, Signature)}`)

// Errors are rejections named after the KMS exception, as with the AWS SDK
try {
  await kms.decrypt({ CiphertextBlob, EncryptionContext: { order: '43' } })
} catch (e) {
  const err = /** @type {import('../../bindings-node/index.js').KmsError} */ (e)
  console.log(`wrong context: ${err.name}`)
}

// The clock: a key scheduled for deletion is gone once the waiting period has passed
await kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })
await kms.advance(8 * 24 * 3600 * 1000)
try {
  await kms.describeKey({ KeyId: keyId })
} catch (e) {
  console.log(`after 8 days: ${/** @type {Error} */ (e).name}`)
}
