// The local KMS of the native addon (`Kms`), used as the AWS SDK v3's KMS client is: the
// shared suite (testdata/js/kms-suite.mjs) and what is the addon's own (threads, panics).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { kmsSuite } from '../../testdata/js/kms-suite.mjs'

const kmskit = createRequire(import.meta.url)('..')
const { Kms } = kmskit

kmsSuite(kmskit, test, { operations: kmskit._NativeKms.operations() })

test('Kms.prototype has the operations and the client methods, nothing else', () => {
  const ops = kmskit._NativeKms.operations().map(([, m]) => m)
  const own = Object.entries(Object.getOwnPropertyDescriptors(Kms.prototype))
    .filter(([, d]) => typeof d.value === 'function' || d.get).map(([k]) => k)
  for (const m of ops) assert.equal(Kms.prototype[m].name, m)
  assert.deepEqual(own.filter((m) => !ops.includes(m)).sort(), ['accountId', 'advance', 'asPrincipal', 'call',
    'constructor', 'deletePrincipalPolicy', 'exportKeyBlob', 'exportSnapshot', 'getPrincipalPolicies',
    'importKeyBlob', 'lastDenial', 'now', 'partition', 'principal', 'putPrincipalPolicy', 'region',
    'setPrincipalTags', 'setTime', 'withRegion'])
  const statics = Object.getOwnPropertyNames(Kms).filter((k) => typeof Kms[k] === 'function').sort()
  assert.deepEqual(statics, ['fromSeed', 'fromSnapshot', 'inspectSealed', 'seal', 'unseal'])
})

test('the event loop keeps running while RSA_4096 keys are generated off-thread', async () => {
  const kms = new Kms()
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 5)
  const t0 = performance.now()
  try {
    const keys = await Promise.all([0, 1].map(() => kms.createKey({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' })))
    assert.equal(keys[1].KeyMetadata.KeySpec, 'RSA_4096')
  } finally {
    clearInterval(timer)
  }
  const ms = performance.now() - t0
  // a blocked loop would tick at most once or twice; a free one about ms/5 times
  assert.ok(ticks >= Math.min(10, ms / 20), `${ticks} ticks in ${ms.toFixed(0)} ms`)
})

test('methods called without their object reject with a TypeError', async () => {
  const { describeKey } = new Kms()
  await assert.rejects(describeKey({ KeyId: 'x' }), TypeError)
})
