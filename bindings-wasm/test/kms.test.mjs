// The local KMS of the wasm package (nodejs target), used as the AWS SDK v3's KMS client is:
// the same shared suite as the native addon (testdata/js/kms-suite.mjs), and what is wasm's own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { kmsSuite } from '../../testdata/js/kms-suite.mjs'

const kmskit = createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js')
const { Kms } = kmskit

kmsSuite(kmskit, test, { operations: kmskit._kmsOperations() })

test('the operation methods live on Kms.prototype, made from core\'s list', () => {
  for (const [, method] of kmskit._kmsOperations()) {
    assert.ok(Object.hasOwn(Kms.prototype, method), method)
  }
  // withRegion views are Kms objects too
  assert.ok(new Kms().withRegion('eu-west-1') instanceof Kms)
})

test('without startTime or seed the clock follows Date.now(); setTime and advance fix it', async () => {
  const kms = new Kms()
  const a = (await kms.now()).getTime()
  await new Promise((r) => setTimeout(r, 30))
  const b = (await kms.now()).getTime()
  assert.ok(Math.abs(a - Date.now()) < 5000 && b - a >= 25, `${a} then ${b}`)
  await kms.advance(1000)
  const c = (await kms.now()).getTime()
  await new Promise((r) => setTimeout(r, 30))
  assert.equal((await kms.now()).getTime(), c, 'fixed after advance()')
})

test('the work is synchronous: the Promise is already settled when the method returns', async () => {
  const kms = new Kms({ seed: new Uint8Array([1]) })
  const p = kms.createKey({})
  const marker = Symbol('pending')
  assert.notEqual(await Promise.race([p, Promise.resolve(marker)]), marker)
})

test('a released Kms (free()) throws instead of touching freed memory', () => {
  const kms = new Kms()
  kms.free()
  assert.throws(() => kms.region)
})
