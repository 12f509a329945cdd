import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const kmskit = require('..')

test('error codes are the KMS exception names', () => {
  const codes = kmskit.errorCodes()
  assert.ok(codes.includes('ValidationException'))
  assert.ok(codes.includes('KMSInvalidSignatureException'))
  for (const c of codes) assert.match(c, /Exception$/)
})

test('a panic in Rust becomes KMSInternalException and the addon keeps working', () => {
  assert.throws(() => kmskit._panicProbe(),
    (e) => e instanceof Error && e.name === 'KMSInternalException' && /panic probe/.test(e.message))
  assert.ok(kmskit.capabilities().includes('verify'))
})
