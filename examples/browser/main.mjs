// @ts-check
// Verify an AWS KMS signature in the browser, and run a local KMS in the page.
// In your app: import init, { verify, Kms } from 'kmskit-wasm'
import init, { verify, Kms } from '../../bindings-wasm/pkg-web/kmskit_wasm.js'

const out = /** @type {HTMLElement} */ (document.getElementById('result'))
/** @param {string} name */
const bytes = async (name) =>
  new Uint8Array(await (await fetch(`../../testdata/skeleton/${name}`)).arrayBuffer())

await init()
const publicKey = await bytes('p256-public.der') // GetPublicKey → PublicKey (DER SPKI)
const message = await bytes('message.txt')
const signature = await bytes('p256-raw.sig') // Sign → Signature (DER ECDSA)

/** @type {string[]} */
const lines = []
/** @type {boolean} */
const ok = verify(publicKey, message, signature, 'ECDSA_SHA_256', 'RAW')
lines.push(`genuine signature: ${ok}`)
const tampered = new Uint8Array([...message, 0x21])
lines.push(`tampered message: ${verify(publicKey, tampered, signature, 'ECDSA_SHA_256', 'RAW')}`)
try {
  verify(publicKey, message, signature, 'ECDSA_SHA_384')
} catch (e) {
  const err = /** @type {Error & { code: string }} */ (e)
  lines.push(`wrong algorithm: ${err.name} (${err.code}): ${err.message}`)
}

// A local KMS in the page, with the AWS SDK v3's method names and shapes. Its methods return
// Promises; the work itself runs synchronously on this thread (use a Worker for RSA keys).
const kms = new Kms({ region: 'eu-central-1' })
const { KeyMetadata } = await kms.createKey({ Description: 'page key' })
const { CiphertextBlob } = await kms.encrypt({
  KeyId: KeyMetadata.KeyId,
  Plaintext: new TextEncoder().encode('hello from the page'),
  EncryptionContext: { page: 'example' },
})
const { Plaintext } = await kms.decrypt({ CiphertextBlob, EncryptionContext: { page: 'example' } })
lines.push(`local KMS: decrypted "${new TextDecoder().decode(Plaintext)}"`)
/** @type {Date} */
const created = KeyMetadata.CreationDate
lines.push(`local KMS key created ${created.toISOString()}`)

const signing = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
const signed = new TextEncoder().encode('signed in the page')
const { Signature } = await kms.sign({ KeyId: signing.KeyMetadata.KeyId, Message: signed, SigningAlgorithm: 'ECDSA_SHA_256' })
const { PublicKey } = await kms.getPublicKey({ KeyId: signing.KeyMetadata.KeyId })
lines.push(`local KMS signature, verified offline: ${verify(PublicKey, signed, Signature, 'ECDSA_SHA_256')}`)
try {
  await kms.describeKey({ KeyId: 'alias/missing' })
} catch (e) {
  lines.push(`local KMS error: ${/** @type {Error} */ (e).name}`)
}
out.textContent = lines.join('\n')
out.dataset.done = 'true'
