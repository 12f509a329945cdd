#!/usr/bin/env node
// @aws-crypto/client-node with the unsigned committing suite 0x0478
// (ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY): ../shared/bench-peers/node_esdk.mjs with
// `suiteId` set, otherwise the same (RawAesKeyringNode AES-256-GCM wrapping, 4 KiB frames, in
// memory, same loop), so kmskit's 0x0478 rows have a like-for-like peer. node_esdk.mjs itself
// (run unchanged) measures the SDK's default, 0x0578.
// Usage: node node_esdk_0478.mjs SIZE_MIB   (run from a directory whose node_modules holds the SDK)
import crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node'

const SECONDS = Number(process.env.BENCH_SECONDS || 2)
const pkgVersion = (name) => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version
const PEER = `@aws-crypto/client-node ${pkgVersion('@aws-crypto/client-node')}`
const sizeMiB = Number(process.argv[2] || 1)
const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
const keyring = new RawAesKeyringNode({
  keyNamespace: 'bench', keyName: 'key-1', unencryptedMasterKey: crypto.randomBytes(32),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
})
const encryptionContext = { purpose: 'bench' }
const suiteId = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY
const data = crypto.randomBytes(sizeMiB << 20)

async function rate(fn, perCall) {
  let n = 0, t
  const t0 = performance.now()
  do { await fn(); n++; t = performance.now() } while (t - t0 < SECONDS * 1000)
  return (perCall * n * 1000) / (t - t0)
}
const emit = (op, v, unit) => console.log(`${PEER}\t${op}\t${v.toPrecision(6)}\t${unit}`)

const { result, messageHeader } = await encrypt(keyring, data, { encryptionContext, suiteId }) // also the warm-up
const { plaintext } = await decrypt(keyring, result)
if (!plaintext.equals(data) || messageHeader.suiteId !== suiteId) throw new Error('round trip failed')
const mb = data.length / 1e6
emit(`encrypt ${sizeMiB} MiB (${AlgorithmSuiteIdentifier[messageHeader.suiteId]})`, await rate(() => encrypt(keyring, data, { encryptionContext, suiteId }), mb), 'MB/s')
emit(`decrypt ${sizeMiB} MiB`, await rate(() => decrypt(keyring, result), mb), 'MB/s')
