#!/usr/bin/env node
// Peak memory of streaming a 64 MiB message through kmskit's Node streaming API
// (envelope.encryptStream / decryptStream, Transforms between fs streams, 64 KiB reads, 4 KiB
// frames). The plaintext is a file written in 1 MiB pieces before the baseline is taken; the
// message goes to a file; the decrypted plaintext to a Writable that only hashes it (checked
// against the source). Baseline = this process's peak RSS (resourceUsage().maxRSS) after setup;
// the result is the peak after encrypting and decrypting, and the growth over the baseline.
// SUITE 'passthrough' runs the same pipelines with PassThrough streams instead (Node's own share).
// Usage: node node_stream_mem.mjs SUITE [SIZE_MIB]   -> TSV rows (peer, operation, value, unit)
import crypto from 'node:crypto'
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { PassThrough, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const BINDING = new URL('../../bindings-node/', import.meta.url)
const { envelope } = createRequire(BINDING)(BINDING.pathname)
const version = JSON.parse(readFileSync(new URL('package.json', BINDING), 'utf8')).version
const PEER = `kmskit ${version} (Node)`
const suite = process.argv[2] || '0x0478'
const sizeMiB = Number(process.argv[3] || 64)
const peakMiB = () => process.resourceUsage().maxRSS / 1024

const keyring = new envelope.RawAesKeyring({ keyNamespace: 'bench', keyName: 'key-1', wrappingKey: crypto.randomBytes(32) })
const dir = mkdtempSync(join(tmpdir(), 'kmskit-mem-'))
try {
  const src = join(dir, 'plain'), msg = join(dir, 'message')
  const want = crypto.createHash('sha256')
  // one 1 MiB buffer refilled: no garbage left for the baseline
  const piece = Buffer.alloc(1 << 20)
  const fd = openSync(src, 'w')
  for (let i = 0; i < sizeMiB; i++) {
    crypto.randomFillSync(piece)
    want.update(piece)
    writeSync(fd, piece)
  }
  closeSync(fd)
  const base = peakMiB()
  // control: the same pipelines with PassThrough in place of kmskit's Transforms (Node's own share)
  const control = suite === 'passthrough'
  await pipeline(createReadStream(src),
    control ? new PassThrough() : envelope.encryptStream({ keyring, encryptionContext: { purpose: 'bench' }, algorithmSuite: suite }),
    createWriteStream(msg))
  const got = crypto.createHash('sha256')
  const d = control ? new PassThrough() : envelope.decryptStream({ keyring })
  await pipeline(createReadStream(msg), d, new Writable({ write(chunk, _e, cb) { got.update(chunk); cb() } }))
  if (!got.digest().equals(want.digest()) || (!control && d.header.algorithmSuite !== suite)) throw new Error('round trip failed')
  const peak = peakMiB()
  const what = control ? `stream ${sizeMiB} MiB file to file and to a hash, PassThrough instead of kmskit (control)`
    : `stream ${sizeMiB} MiB enc+dec (${suite})`
  console.log(`${control ? 'node ' + process.version : PEER}\tpeak RSS, ${what}\t${peak.toPrecision(6)}\tMiB`)
  const who = control ? `node ${process.version}` : PEER
  console.log(`${who}\tbaseline RSS, ${what}\t${base.toPrecision(6)}\tMiB`)
  console.log(`${who}\tpeak above baseline, ${what}\t${(peak - base).toPrecision(6)}\tMiB`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
