// Envelope encryption in the native addon: the shared checks (testdata/js/envelope-suite.mjs,
// also run by kmskit-wasm in Node and Chromium) through Node streams, and what is the addon's
// own (async iterables, the 'header' event, the event loop kept free).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { envelopeChecks, ENVELOPE_EXPORTS } from '../../testdata/js/envelope-suite.mjs'

const kmskit = createRequire(import.meta.url)('..')
const { envelope, Kms } = kmskit
const ROOT = new URL('../../', import.meta.url)

/** A Node Transform fed `chunks`: its output chunks, or its error with `released` attached. */
async function throughNodeStream(stream, chunks) {
  const released = []
  try {
    await pipeline(Readable.from(chunks), stream, async function* (source) {
      for await (const c of source) released.push(new Uint8Array(c))
    })
  } catch (e) {
    if (e instanceof Error) e.released = released
    throw e
  }
  return released
}

const ctx = {
  envelope,
  Kms,
  read: async (path) => new Uint8Array(await readFile(new URL(path, ROOT))),
  streamEncrypt: (options, chunks) => throughNodeStream(envelope.encryptStream(options), chunks),
  streamDecrypt: (options, chunks) => throughNodeStream(envelope.decryptStream(options), chunks),
  caching: true,
}

for (const [name, fn] of Object.entries(envelopeChecks)) {
  test(`envelope: ${name}`, async (t) => {
    const n = await fn(ctx)
    t.diagnostic(`${n} cases`)
  })
}

test('envelope exports the shared API, plus Keyring, CachingKeyring and the async iterables', () => {
  assert.deepEqual(Object.keys(envelope).sort(), [...ENVELOPE_EXPORTS, 'CachingKeyring', 'Keyring', 'decryptChunks',
    'encryptChunks'].sort())
  assert.ok(Object.isFrozen(envelope))
  const k = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(16) })
  assert.ok(k instanceof envelope.Keyring)
  assert.throws(() => new envelope.Keyring(), TypeError)
  assert.equal(String(k), 'raw AES keyring ns/k')
})

test('envelope results are Buffers (no copy), rejections are KMS errors', async () => {
  const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32) })
  const m = await envelope.encrypt(Buffer.from('buffer in'), { keyring })
  assert.ok(Buffer.isBuffer(m))
  const d = await envelope.decrypt(m, { keyring })
  assert.ok(Buffer.isBuffer(d.plaintext))
  assert.equal(d.plaintext.toString(), 'buffer in')
  // bad options reject (never a synchronous throw)
  const p = envelope.encrypt(new Uint8Array(1), { keyring, frameLength: -1 })
  await assert.rejects(p, (e) => e.name === 'ValidationException' && e.code === 'ValidationException')
})

test('encryptChunks / decryptChunks: async iterables in and out', async () => {
  const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32).fill(9) })
  const plain = Buffer.alloc(50_000, 7)
  async function* source() {
    for (let i = 0; i < plain.length; i += 999) yield plain.subarray(i, i + 999)
  }
  const parts = []
  for await (const c of envelope.encryptChunks(source(), { keyring, frameLength: 1024 })) parts.push(c)
  const message = Buffer.concat(parts)
  assert.ok(parts.length > 10)
  assert.deepEqual((await envelope.decrypt(message, { keyring })).plaintext, plain)
  const out = []
  for await (const c of envelope.decryptChunks([message.subarray(0, 100), message.subarray(100)], { keyring })) out.push(c)
  assert.deepEqual(Buffer.concat(out), plain)
  // a bad message throws out of the loop
  const bad = Buffer.from(message)
  bad[bad.length - 1] ^= 1
  await assert.rejects(async () => {
    for await (const c of envelope.decryptChunks([bad], { keyring, release: 'afterVerification' })) assert.fail(`released ${c.length}`)
  }, (e) => e.name === 'InvalidCiphertextException')
})

test("decryptStream emits 'header' once the header authenticates", async () => {
  const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32).fill(3) })
  const message = await envelope.encrypt(Buffer.from('hi'), { keyring, encryptionContext: { who: 'me' }, algorithmSuite: '0x0578' })
  const s = envelope.decryptStream({ keyring })
  const headers = []
  s.on('header', (h) => headers.push(h))
  const out = await throughNodeStream(s, [message])
  assert.equal(Buffer.concat(out).toString(), 'hi')
  assert.equal(headers.length, 1)
  assert.equal(headers[0].algorithmSuite, '0x0578')
  assert.equal(headers[0].encryptionContext.who, 'me')
  assert.equal(s.header, headers[0])
})

test('the event loop keeps running while large messages are encrypted off-thread', async () => {
  const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32) })
  const big = Buffer.alloc(32 << 20, 1)
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 2)
  const t0 = performance.now()
  try {
    const m = await envelope.encrypt(big, { keyring, algorithmSuite: '0x0578', frameLength: 1 << 16 })
    assert.equal((await envelope.decrypt(m, { keyring })).plaintext.length, big.length)
  } finally {
    clearInterval(timer)
  }
  const ms = performance.now() - t0
  assert.ok(ticks >= Math.min(5, ms / 20), `${ticks} ticks in ${ms.toFixed(0)} ms`)
})

test('one-shot calls work the same in the call (up to 2 MiB) and on the thread pool (above)', async () => {
  const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32).fill(5) })
  // around the 2 MiB line, for the plaintext (encrypt) and for the message (decrypt)
  for (const size of [0, 1, (2 << 20) - 200, 2 << 20, (2 << 20) + 1]) {
    for (const algorithmSuite of ['0x0478', '0x0578']) {
      const plain = Buffer.alloc(size)
      for (let i = 0; i < size; i += 4093) plain[i] = i & 0xff
      const input = Buffer.from(plain)
      const pending = envelope.encrypt(input, { keyring, algorithmSuite, encryptionContext: { n: String(size) } })
      input.fill(0xee) // the call took its input when it was made, on either path
      const m = await pending
      assert.ok(Buffer.isBuffer(m))
      const d = await envelope.decrypt(m, { keyring, encryptionContext: { n: String(size) } })
      assert.ok(Buffer.isBuffer(d.plaintext) && d.plaintext.equals(plain), `size ${size} ${algorithmSuite}`)
      assert.equal(d.algorithmSuite, algorithmSuite)
      // failures are rejections with nothing released, on either path
      const bad = Buffer.from(m)
      bad[bad.length - 17] ^= 1
      await assert.rejects(envelope.decrypt(bad, { keyring }), (e) => e.name === 'InvalidCiphertextException')
      await assert.rejects(envelope.decrypt(m, { keyring, encryptionContext: { n: 'other' } }),
        (e) => e.name === 'InvalidCiphertextException')
    }
  }
})
