import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const kmskit = require('..')
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

test('the addon exports exactly the functions core declares, and its classes', () => {
  const core = kmskit.capabilities().map(camel).sort()
  const exported = Object.keys(kmskit)
    // functions only: classes (Kms) start upper-case, internals with `_`
    .filter((k) => typeof kmskit[k] === 'function' && /^[a-z]/.test(k)).sort()
  assert.deepEqual(exported, core)
  // classes: the local KMS, and authorization's (the same in kmskit-wasm)
  const classes = Object.keys(kmskit).filter((k) => /^[A-Z]/.test(k)).sort()
  assert.deepEqual(classes, ['Decision', 'Kms', 'PolicySet'])
  for (const c of classes) assert.equal(typeof kmskit[c], 'function', c)
  // and nothing else is public but the `envelope` namespace: every other export is internal (`_`)
  assert.deepEqual(Object.keys(kmskit).filter((k) => /^[a-z]/.test(k)).sort(), [...core, 'envelope'].sort())
  assert.equal(typeof kmskit.envelope, 'object')
})
