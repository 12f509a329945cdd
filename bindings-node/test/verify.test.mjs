import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runVerifyCases, runOfflineVectors, keyBytes } from '../../testdata/js/harness.mjs'

const require = createRequire(import.meta.url)
const kmskit = require('..')
const vectors = JSON.parse(readFileSync(new URL('../../testdata/skeleton/vectors.json', import.meta.url)))

test('skeleton vectors (OpenSSL-made)', () => {
  const results = runVerifyCases(kmskit, vectors)
  assert.ok(results.length >= 10)
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.detail}`)
})

test('Buffer arguments work like Uint8Array', () => {
  const c = vectors.cases[0]
  const ok = kmskit.verify(Buffer.from(keyBytes(vectors, 'p256')), Buffer.from(c.message_hex, 'hex'),
    Buffer.from(c.signature_hex, 'hex'), 'ECDSA_SHA_256')
  assert.equal(ok, true)
})

test('malformed keys throw ValidationException, not a crash', () => {
  for (const junk of [new Uint8Array(0), new Uint8Array([0x30]), new TextEncoder().encode('-----BEGIN PUBLIC KEY-----\n!!\n')]) {
    assert.throws(() => kmskit.verify(junk, new Uint8Array([1]), new Uint8Array([1]), 'ECDSA_SHA_256'),
      (e) => e.name === 'ValidationException' && e.code === 'ValidationException')
  }
})

test('unknown algorithm names the valid ones', () => {
  assert.throws(() => kmskit.verify(keyBytes(vectors, 'p256'), new Uint8Array([1]), new Uint8Array([1]), 'ecdsa'),
    (e) => e.code === 'ValidationException' && /ECDSA_SHA_256/.test(e.message))
})

test('offline vectors (OpenSSL, cryptography, JDK-made: testdata/offline)', () => {
  const offline = JSON.parse(readFileSync(new URL('../../testdata/offline/vectors.json', import.meta.url)))
  const results = runOfflineVectors(kmskit, offline)
  assert.ok(results.length > 300, `only ${results.length} cases`)
  const failed = results.filter((r) => !r.ok)
  assert.deepEqual(failed, [])
})
