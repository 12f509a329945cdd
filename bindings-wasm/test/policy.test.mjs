// Authorization in the wasm package (nodejs target): the shared suite of the native addon
// (testdata/js/policy-suite.mjs: the corpus of testdata/policy and the API), and what is wasm's
// own. browser.test.mjs runs the corpus in Chromium.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { policySuite } from '../../testdata/js/policy-suite.mjs'

const kmskit = createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js')

policySuite(kmskit, test)

test('PolicySet and Decision are wasm-bindgen classes: free() releases them', () => {
  // kms:CreateKey is governed by IAM alone: the account's root may, without any policy
  const request = { Action: 'kms:CreateKey', Principal: 'arn:aws:iam::111122223333:root', Resource: '*' }
  const set = new kmskit.PolicySet()
  const d = set.evaluate(request)
  assert.equal(d.decision, 'ALLOW')
  assert.equal(d.source, 'account_root')
  assert.deepEqual(d.notes, ['kms:CreateKey is governed by IAM policies alone'])
  d.free()
  assert.throws(() => d.decision, /null pointer|destroyed|moved|freed/i)
  assert.equal(set.decide(request), 'ALLOW')
  set.free()
  assert.throws(() => set.decide(request), /null pointer|destroyed|moved|freed/i)
})
