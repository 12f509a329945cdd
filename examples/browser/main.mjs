// @ts-check
// Verify an AWS KMS signature in the browser. In your app: import init, { verify } from 'kmskit-wasm'
import init, { verify } from '../../bindings-wasm/pkg-web/kmskit_wasm.js'

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
out.textContent = lines.join('\n')
out.dataset.done = 'true'
