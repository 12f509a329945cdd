import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const kmskit = require('..')
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

test('the addon exports exactly the functions core declares', () => {
  const core = kmskit.capabilities().map(camel).sort()
  const exported = Object.keys(kmskit)
    .filter((k) => typeof kmskit[k] === 'function' && !k.startsWith('_')).sort()
  assert.deepEqual(exported, core)
})
