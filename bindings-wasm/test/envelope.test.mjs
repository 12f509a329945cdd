// Envelope encryption in the wasm package (nodejs target): the shared checks
// (testdata/js/envelope-suite.mjs, as the native addon runs them) through web TransformStreams;
// browser.test.mjs runs them again in Chromium.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { envelopeChecks, ENVELOPE_EXPORTS, throughWebStream } from '../../testdata/js/envelope-suite.mjs'

const kmskit = createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js')
const { envelope, Kms } = kmskit
const ROOT = new URL('../../', import.meta.url)

const ctx = {
  envelope,
  Kms,
  read: async (path) => new Uint8Array(await readFile(new URL(path, ROOT))),
  streamEncrypt: async (options, chunks) => throughWebStream(envelope.encryptStream(options), chunks),
  streamDecrypt: async (options, chunks) => throughWebStream(envelope.decryptStream(options), chunks),
  caching: false,
}

for (const [name, fn] of Object.entries(envelopeChecks)) {
  test(`envelope: ${name}`, async (t) => {
    const n = await fn(ctx)
    t.diagnostic(`${n} cases`)
  })
}

test('envelope is the namespace object wasm-bindgen builds: the shared API, no cache', () => {
  assert.deepEqual(Object.keys(envelope).sort(), ENVELOPE_EXPORTS)
  assert.equal(envelope.CachingKeyring, undefined)
  // keyrings stay usable after use (only a fresh handle is taken over), and can be freed
  const k = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(16) })
  assert.equal(String(k), 'raw AES keyring ns/k')
  return envelope.encrypt(new Uint8Array(3), { keyring: k }).then(async (m) => {
    assert.equal((await envelope.decrypt(m, { keyring: k })).plaintext.length, 3)
    assert.equal(String(k), 'raw AES keyring ns/k')
    k.free()
  })
})

test('encryptStream: bad options and keyring errors throw at once', () => {
  assert.throws(() => envelope.encryptStream({ keyring: {} }), (e) => e.name === 'ValidationException')
  assert.throws(() => envelope.decryptStream({ keyring: null }), (e) => e.name === 'ValidationException')
})
