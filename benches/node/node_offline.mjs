#!/usr/bin/env node
// `require('kmskit').verify` (the native addon, bindings-node) next to node:crypto, @noble/curves
// and sm-crypto, measured in the same run.
//
// Each run measures kmskit in this process, then runs the peers' own script
// (../shared/bench-peers/node_bench.mjs) as it is, from a scratch directory whose node_modules
// links to this directory's (the peers resolve their packages next to the script, as run-all.sh
// arranges by copying). The report is the median of RUNS runs and the ratio kmskit/peer.
// kmskit gets the public key as DER SubjectPublicKeyInfo (what GetPublicKey returns) and parses
// it on every call; node:crypto holds a KeyObject, noble parses its raw key bytes per call.
//
//   cd benches/node && npm install && node node_offline.mjs [PEERS_DIR]
//   env: RUNS=3 BENCH_SECONDS=2
import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, copyFileSync, symlinkSync, rmSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import smCrypto from 'sm-crypto'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const PEERS = process.argv[2] ?? fileURLToPath(new URL('../../../shared/bench-peers/', import.meta.url))
const RUNS = Number(process.env.RUNS || 3)
const SECONDS = Number(process.env.BENCH_SECONDS || 2)
const kmskit = createRequire(import.meta.url)('../../bindings-node')
const KMSKIT_VERSION = JSON.parse(readFileSync(new URL('../../bindings-node/package.json', import.meta.url))).version

// The loop node_bench.mjs uses for the peers: JIT warm-up for min(0.5 s, SECONDS/4), then calls
// for ~SECONDS of wall time; calls per second.
function rate(fn) {
  const warm = performance.now() + Math.min(500, SECONDS * 250)
  do fn(); while (performance.now() < warm)
  let n = 0
  let t
  const t0 = performance.now()
  const deadline = t0 + SECONDS * 1000
  do { fn(); n++; t = performance.now() } while (t < deadline)
  return (n * 1000) / (t - t0)
}

const NODE = 'node:crypto'
const NOBLE = '@noble/curves'
const SM = 'sm-crypto'
// [row, kmskit algorithm, [peer, the peer's operation in node_bench.mjs, target ratio or null]...]
const ROWS = [
  ['ECDSA P-256 SHA-256 verify (DER sig)', 'ECDSA_SHA_256',
    [NODE, 'ECDSA P-256 SHA-256 verify (DER)', 1.0],
    [NOBLE, 'ECDSA P-256 SHA-256 verify (compact sig, uncompressed pubkey)', null]],
  ['RSA-2048 PSS SHA-256 verify (salt 32)', 'RSASSA_PSS_SHA_256', [NODE, 'RSA-2048 PSS SHA-256 verify (salt 32)', 1.0]],
  ['RSA-2048 PKCS1v15 SHA-256 verify', 'RSASSA_PKCS1_V1_5_SHA_256', [NODE, 'RSA-2048 PKCS1v15 SHA-256 verify', 1.0]],
  ['Ed25519 verify', 'ED25519_SHA_512', [NODE, 'Ed25519 verify', null], [NOBLE, 'Ed25519 verify', null]],
  ['ECDSA secp256k1 SHA-256 verify (DER sig)', 'ECDSA_SHA_256',
    [NOBLE, 'ECDSA secp256k1 SHA-256 verify (compact sig, uncompressed pubkey)', null]],
  ['SM2 verify (SM3, default ID)', 'SM2DSA', [SM, 'SM2 doVerifySignature (hash:true)', null]],
]

// SubjectPublicKeyInfo prefix of an uncompressed SM2 point (id-ecPublicKey, curve 1.2.156.10197.1.301)
const SM2_SPKI = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex')

// (public key DER, message, signature) per row: 64-byte message, keys made by node:crypto;
// SM2 by sm-crypto (its message is the UTF-8 of the hex string, as node_bench.mjs signs it).
function cases() {
  const msg = crypto.randomBytes(64)
  const spki = (k) => k.export({ type: 'spki', format: 'der' })
  const ec = (namedCurve) => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve })
    return [spki(publicKey), msg, crypto.sign('sha256', msg, privateKey)]
  }
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ed = crypto.generateKeyPairSync('ed25519')
  const { sm2 } = smCrypto
  const sk = sm2.generateKeyPairHex()
  const text = msg.toString('hex')
  const smSig = sm2.doSignature(text, sk.privateKey, { hash: true, publicKey: sk.publicKey }) // r||s hex
  return {
    [ROWS[0][0]]: ec('P-256'),
    [ROWS[1][0]]: [spki(rsa.publicKey), msg, crypto.sign('sha256', msg,
      { key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
    [ROWS[2][0]]: [spki(rsa.publicKey), msg, crypto.sign('sha256', msg, rsa.privateKey)],
    [ROWS[3][0]]: [spki(ed.publicKey), msg, crypto.sign(null, msg, ed.privateKey)],
    [ROWS[4][0]]: ec('secp256k1'),
    [ROWS[5][0]]: [Buffer.concat([SM2_SPKI, Buffer.from(sk.publicKey, 'hex')]), Buffer.from(text),
      kmskit.p1363ToDer(Buffer.from(smSig, 'hex'), 'SM2')],
  }
}

function ours() {
  const out = {}
  const made = cases()
  for (const [row, alg] of ROWS) {
    const [pub, msg, sig] = made[row]
    if (kmskit.verify(pub, msg, sig, alg) !== true) throw new Error(`kmskit rejects ${row}`)
    if (kmskit.verify(pub, Buffer.concat([msg, Buffer.from('!')]), sig, alg) !== false) throw new Error(`tampered ${row}`)
    out[row] = rate(() => kmskit.verify(pub, msg, sig, alg))
  }
  return out
}

// node_bench.mjs as it is, next to a node_modules that links to ours; TSV peer/op/value/unit
function peers() {
  const dir = mkdtempSync(join(tmpdir(), 'kmskit-node-peers-'))
  try {
    copyFileSync(join(PEERS, 'node_bench.mjs'), join(dir, 'node_bench.mjs'))
    symlinkSync(join(HERE, 'node_modules'), join(dir, 'node_modules'), 'dir')
    const text = execFileSync(process.execPath, [join(dir, 'node_bench.mjs')], { encoding: 'utf8', cwd: dir })
    return text.trim().split('\n').map((l) => l.split('\t'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const fmt = (x) => Math.round(x).toLocaleString('en-US')
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')

const mine = {}
const theirs = {} // `${peer}\t${op}` -> values
const names = {} // peer short name -> full name as the peer script prints it
const load0 = load()
for (let i = 0; i < RUNS; i++) {
  console.error(`run ${i + 1}/${RUNS} (load ${load()})`)
  for (const [row, v] of Object.entries(ours())) (mine[row] ??= []).push(v)
  for (const [who, op, value] of peers()) {
    const short = [NODE, NOBLE, SM].find((p) => who.includes(p)) ?? who
    names[short] = who
    ;(theirs[`${short}\t${op}`] ??= []).push(Number(value))
  }
}

console.log(`kmskit ${KMSKIT_VERSION} (Node native addon, aws-lc backend); median of ${RUNS} runs, ${SECONDS} s per measurement, ops/s\n`)
console.log('| operation | kmskit (Node) | peer | peer value | ratio kmskit/peer | per-run ratios | target |')
console.log('|---|---:|---|---:|---:|---:|---|')
for (const [row, , ...peerRows] of ROWS) {
  const a = median(mine[row])
  for (const [peer, op, target] of peerRows) {
    const bs = theirs[`${peer}\t${op}`]
    const b = median(bs)
    const perRun = bs.map((y, i) => mine[row][i] / y).sort((x, y) => x - y)
    const goal = target === null ? '—' : `≥ ${target}×: ${a / b >= target ? 'met' : 'NOT met'}`
    console.log(`| ${row} | ${fmt(a)} | ${names[peer]} | ${fmt(b)} | ${(a / b).toFixed(2)}× | ` +
      `${perRun[0].toFixed(2)}–${perRun.at(-1).toFixed(2)} | ${goal} |`)
  }
}
console.log(`\nmachine: ${cpus().length} CPUs, ${cpus()[0].model}; load average ${load0} (start), ${load()} (end)`)
console.log(`versions: node ${process.version} (OpenSSL ${process.versions.openssl}); kmskit ${KMSKIT_VERSION} ` +
  `(bindings-node); ${Object.values(names).filter((n) => !n.startsWith('node ')).join('; ')}`)
