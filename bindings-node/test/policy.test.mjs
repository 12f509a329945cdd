// Authorization in the native addon: `evaluate`, `PolicySet` and `Decision` through the shared
// suite (testdata/js/policy-suite.mjs: the corpus of testdata/policy and the API), and what is
// the addon's own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { policySuite } from '../../testdata/js/policy-suite.mjs'

const kmskit = createRequire(import.meta.url)('..')

policySuite(kmskit, test)

test('PolicySet wraps the native _NativePolicySet; its methods refuse other receivers', () => {
  const set = new kmskit.PolicySet()
  assert.equal(typeof kmskit._NativePolicySet, 'function')
  assert.equal(Object.prototype.toString.call(set), '[object PolicySet]')
  assert.throws(() => kmskit.PolicySet.prototype.decide.call({}, {}), TypeError)
  assert.deepEqual(Object.keys(set), [])
  // Decisions come from evaluate() only, not from made-up evaluations
  assert.throws(() => new kmskit.Decision({ Decision: 'ALLOW' }), TypeError)
  const d = set.evaluate({ Action: 'kms:Decrypt', Principal: 'arn:aws:iam::111122223333:role/app', Resource: '*' })
  assert.equal(Object.prototype.toString.call(d), '[object Decision]')
  assert.deepEqual(Object.keys(d), [])
})
