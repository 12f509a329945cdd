// @ts-check
// Verify an ECDSA P-256 signature offline, exactly as AWS KMS Verify would.
// Run: node examples/node/verify.mjs   (in your project: require('kmskit'))
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** @type {typeof import('../../bindings-node/index.js')} */
const kmskit = require('../../bindings-node')

const data = new URL('../../testdata/skeleton/', import.meta.url)
const publicKey = readFileSync(new URL('p256-public.der', data)) // GetPublicKey's PublicKey
const message = readFileSync(new URL('message.txt', data))
const signature = readFileSync(new URL('p256-raw.sig', data)) // Sign's Signature (DER)

/** @type {boolean} */
const ok = kmskit.verify(publicKey, message, signature, 'ECDSA_SHA_256', 'RAW')
console.log(`RAW message, genuine signature: ${ok}`)

const tampered = kmskit.verify(publicKey, Buffer.concat([message, Buffer.from('!')]), signature, 'ECDSA_SHA_256')
console.log(`RAW message, tampered message:  ${tampered}`)

try {
  kmskit.verify(publicKey, message, signature, 'ECDSA_SHA_384')
} catch (e) {
  const err = /** @type {import('../../bindings-node/index.js').KmsError} */ (e)
  console.log(`wrong algorithm throws ${err.name}: ${err.message}`)
}
