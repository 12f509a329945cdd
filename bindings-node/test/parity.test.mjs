import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const kmskit = require('..')
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

test('the addon exports exactly the functions core declares, and the Kms class', () => {
  const core = kmskit.capabilities().map(camel).sort()
  const exported = Object.keys(kmskit)
    // functions only: classes (Kms) start upper-case, internals with `_`
    .filter((k) => typeof kmskit[k] === 'function' && /^[a-z]/.test(k)).sort()
  assert.deepEqual(exported, core)
  const classes = Object.keys(kmskit).filter((k) => /^[A-Z]/.test(k)).sort()
  assert.deepEqual(classes, ['Kms'])
})
