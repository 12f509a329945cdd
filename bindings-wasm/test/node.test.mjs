// The wasm package (nodejs target) under Node: the same vectors and checks as the native addon.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runVerifyCases, runOfflineVectors, keyBytes } from '../../testdata/js/harness.mjs'

const require = createRequire(import.meta.url)
const kmskit = require('../pkg-node/kmskit_wasm.js')
const vectors = JSON.parse(readFileSync(new URL('../../testdata/skeleton/vectors.json', import.meta.url)))
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

test('skeleton vectors (OpenSSL-made)', () => {
  const results = runVerifyCases(kmskit, vectors)
  assert.ok(results.length >= 10)
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.detail}`)
})

test('malformed keys throw ValidationException, not a crash', () => {
  for (const junk of [new Uint8Array(0), new Uint8Array([0x30]), new TextEncoder().encode('-----BEGIN PUBLIC KEY-----\n!!\n')]) {
    assert.throws(() => kmskit.verify(junk, new Uint8Array([1]), new Uint8Array([1]), 'ECDSA_SHA_256'),
      (e) => e instanceof Error && e.name === 'ValidationException' && e.code === 'ValidationException')
  }
  assert.equal(kmskit.verify(keyBytes(vectors, 'p256'), fromHexCase(0).m, fromHexCase(0).s, 'ECDSA_SHA_256'), true)
})

function fromHexCase(i) {
  const c = vectors.cases[i]
  return { m: Buffer.from(c.message_hex, 'hex'), s: Buffer.from(c.signature_hex, 'hex') }
}

test('error codes are the KMS exception names, as in the native addon', () => {
  const codes = kmskit.errorCodes()
  assert.ok(codes.includes('ValidationException'))
  for (const c of codes) assert.match(c, /Exception$/)
})

test('the package exports exactly the functions core declares, and its classes', () => {
  const core = kmskit.capabilities().map(camel).sort()
  const exported = Object.keys(kmskit)
    // functions only: classes start upper-case
    .filter((k) => typeof kmskit[k] === 'function' && /^[a-z]/.test(k)).sort()
  assert.deepEqual(exported, core)
  // classes: those of the native addon (Kms; authorization's Decision and PolicySet), and the
  // results of encapsulate and describePublicKey (plain objects there)
  const classes = Object.keys(kmskit).filter((k) => /^[A-Z]/.test(k)).sort()
  assert.deepEqual(classes, ['Decision', 'Encapsulation', 'Kms', 'PolicySet', 'PublicKeyDescription'])
})

test('a panic traps as a catchable exception; the module keeps working', () => {
  assert.throws(() => kmskit._panicProbe(), (e) => e instanceof Error)
  assert.ok(kmskit.capabilities().includes('verify'))
})

test('offline vectors (OpenSSL, cryptography, JDK-made: testdata/offline)', () => {
  const offline = JSON.parse(readFileSync(new URL('../../testdata/offline/vectors.json', import.meta.url)))
  const results = runOfflineVectors(kmskit, offline)
  assert.ok(results.length > 300, `only ${results.length} cases`)
  assert.deepEqual(results.filter((r) => !r.ok), [])
})

test("'kmskit-wasm/verify' is the slim offline package (web build, loaded here with initSync)", async () => {
  const slim = await import('kmskit-wasm/verify')
  slim.initSync({ module: readFileSync(new URL('../pkg-verify/kmskit_wasm_bg.wasm', import.meta.url)) })
  assert.equal(slim.Kms, undefined)
  assert.equal(slim.evaluate, undefined)
  const results = runVerifyCases(slim, vectors)
  assert.ok(results.length >= 10)
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.detail}`)
})
