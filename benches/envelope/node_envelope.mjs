#!/usr/bin/env node
// kmskit's Node binding, envelope encrypt/decrypt MB/s, measured exactly as
// ../shared/bench-peers/node_esdk.mjs measures @aws-crypto/client-node: raw AES-256 wrapping key,
// encryption context { purpose: 'bench' }, 4 KiB frames (both defaults), whole message in memory,
// one encrypt + decrypt as the warm-up, then the same awaited loop for BENCH_SECONDS per row.
// Both committing suites: 0x0478 (kmskit's default) and 0x0578 (the official SDKs' default).
// Usage: node node_envelope.mjs SIZE_MIB   -> TSV rows (peer, operation, value, unit)
import crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const SECONDS = Number(process.env.BENCH_SECONDS || 2)
const BINDING = new URL('../../bindings-node/', import.meta.url)
const { envelope } = createRequire(BINDING)(BINDING.pathname)
const version = JSON.parse(readFileSync(new URL('package.json', BINDING), 'utf8')).version
const PEER = `kmskit ${version} (Node)`
const sizeMiB = Number(process.argv[2] || 1)
const keyring = new envelope.RawAesKeyring({ keyNamespace: 'bench', keyName: 'key-1', wrappingKey: crypto.randomBytes(32) })
const encryptionContext = { purpose: 'bench' }
const data = crypto.randomBytes(sizeMiB << 20)

// Await fn() repeatedly for ~SECONDS of wall time (at least once); return perCall * calls / s.
async function rate(fn, perCall) {
  let n = 0, t
  const t0 = performance.now()
  do { await fn(); n++; t = performance.now() } while (t - t0 < SECONDS * 1000)
  return (perCall * n * 1000) / (t - t0)
}
const emit = (op, v, unit) => console.log(`${PEER}\t${op}\t${v.toPrecision(6)}\t${unit}`)

const mb = data.length / 1e6
for (const algorithmSuite of ['0x0478', '0x0578']) {
  const message = await envelope.encrypt(data, { keyring, encryptionContext, algorithmSuite }) // also the warm-up
  const d = await envelope.decrypt(message, { keyring })
  if (!d.plaintext.equals(data) || d.algorithmSuite !== algorithmSuite) throw new Error('round trip failed')
  emit(`encrypt ${sizeMiB} MiB (${algorithmSuite})`, await rate(() => envelope.encrypt(data, { keyring, encryptionContext, algorithmSuite }), mb), 'MB/s')
  emit(`decrypt ${sizeMiB} MiB (${algorithmSuite})`, await rate(() => envelope.decrypt(message, { keyring }), mb), 'MB/s')
}
