// Envelope interop with the official AWS Encryption SDK for JavaScript, @aws-crypto/client-node
// (a devDependency, pinned in package.json), both ways, with the raw AES (128/192/256) and raw RSA
// (OAEP SHA-1, OAEP SHA-256, PKCS#1 v1.5) keyrings of testdata/envelope/keys.json (namespace
// 'kmskit-interop', key name = the key's name there), suites 0x0478 and 0x0578, frame lengths 1,
// 4096 and 1 MiB, sizes 0, 1, exactly one frame and a few frames, empty and 4-pair encryption
// contexts, one 10 MiB message each way; and tampered or truncated messages fail on both sides.
// The SDK runs with CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT.
//
// PKCS#1 v1.5: Node >= 20.11.1 refuses RSA_PKCS1_PADDING in crypto.privateDecrypt (Marvin,
// CVE-2023-46809), so the SDK cannot unwrap such data keys in a normal Node process. That is
// asserted as it is, and the same messages are then decrypted by the SDK in a child process run
// with --security-revert=CVE-2023-46809.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { envelope } = require('..')
const sdk = require('@aws-crypto/client-node')
const {
  AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier,
  RawRsaKeyringNode,
} = sdk
const SDK_VERSION = JSON.parse(readFileSync(require.resolve('@aws-crypto/client-node/package.json'), 'utf8')).version
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)

const KEYS = JSON.parse(readFileSync(new URL('../../testdata/envelope/keys.json', import.meta.url), 'utf8'))
const NS = 'kmskit-interop'
const PUBLIC_KEY = 'aws-crypto-public-key'
const CTX4 = { purpose: 'kmskit interop', tenant: 'exämple', a: '1', 'zz-☃': 'snow' }
const CONTEXTS = [{}, CTX4]
const SUITES = [0x0478, 0x0578]
const SDK_SUITE = {
  0x0478: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
  0x0578: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
}
const FRAME_LENGTHS = [1, 4096, 1 << 20]
const hex4 = (id) => `0x${id.toString(16).padStart(4, '0')}`

/** The wrapping keys: kmskit's keyring and the SDK's for the same key, namespace and name. */
const WRAPPINGS = [
  ...['aes-128', 'aes-192', 'aes-256'].map((name) => ({ label: name, name, kind: 'aes' })),
  ...[['OAEP_SHA1', 'sha1'], ['OAEP_SHA256', 'sha256'], ['PKCS1', undefined]].map(([padding, oaepHash]) =>
    ({ label: `rsa-2048 ${padding}`, name: 'rsa-2048', kind: 'rsa', padding, oaepHash })),
]
const AES_SUITE = {
  16: RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
  24: RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
  32: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
}

function kmskitKeyring(w) {
  const k = KEYS[w.name]
  if (w.kind === 'aes') return new envelope.RawAesKeyring({ keyNamespace: NS, keyName: w.name, wrappingKey: Buffer.from(k.hex, 'hex') })
  return new envelope.RawRsaKeyring({ keyNamespace: NS, keyName: w.name, publicKey: k.public_pem, privateKey: k.private_pem, padding: w.padding })
}

function sdkKeyring(w) {
  const k = KEYS[w.name]
  if (w.kind === 'aes') {
    const key = new Uint8Array(Buffer.from(k.hex, 'hex'))
    return new RawAesKeyringNode({ keyNamespace: NS, keyName: w.name, unencryptedMasterKey: key, wrappingSuite: AES_SUITE[key.length] })
  }
  return new RawRsaKeyringNode({
    keyNamespace: NS, keyName: w.name, rsaKey: { publicKey: k.public_pem, privateKey: k.private_pem },
    padding: w.oaepHash ? crypto.constants.RSA_PKCS1_OAEP_PADDING : crypto.constants.RSA_PKCS1_PADDING,
    oaepHash: w.oaepHash,
  })
}

/** The repository's test plaintext: byte i = (31·i + 7) mod 256. */
function plaintext(n) {
  const p = Buffer.alloc(n)
  for (let i = 0; i < n; i++) p[i] = (31 * i + 7) & 0xff
  return p
}

/** Every (suite, frame length, size, context): sizes 0, 1, exactly one frame, two frames and a bit. */
function* cases() {
  for (const suite of SUITES) {
    for (const frameLength of FRAME_LENGTHS) {
      const sizes = [...new Set([0, 1, frameLength, ...(frameLength <= 4096 ? [2 * frameLength + 1] : [])])]
      for (const size of sizes) {
        for (const ctx of CONTEXTS) {
          yield { suite, frameLength, size, ctx, name: `${hex4(suite)} fl${frameLength} ${size}B ec${Object.keys(ctx).length}` }
        }
      }
    }
  }
}

/** The context a decrypted header must hold: the pairs, plus the public key for 0x0578. */
function assertContext(got, ctx, suite, what) {
  const plain = { ...got }
  const hasKey = Object.hasOwn(plain, PUBLIC_KEY)
  assert.equal(hasKey, suite === 0x0578, `${what}: ${PUBLIC_KEY} present iff signed suite`)
  if (hasKey) {
    // base64 of a compressed P-384 point: 49 bytes
    assert.equal(Buffer.from(plain[PUBLIC_KEY], 'base64').length, 49, `${what}: public key length`)
    delete plain[PUBLIC_KEY]
  }
  assert.deepEqual(plain, ctx, `${what}: encryption context`)
}

/** Checks the SDK's view of a kmskit message against what was asked for. */
function assertSdkHeader(h, c, w, what) {
  assert.equal(h.version, 2, `${what}: format version`)
  assert.equal(h.suiteId, c.suite, `${what}: suite`)
  assert.equal(h.frameLength, c.frameLength, `${what}: frame length`)
  assertContext(h.encryptionContext, c.ctx, c.suite, what)
  assert.equal(h.encryptedDataKeys.length, 1, `${what}: one EDK`)
  assert.equal(h.encryptedDataKeys[0].providerId, NS, `${what}: provider ID`)
  if (w.kind === 'rsa') assert.equal(h.encryptedDataKeys[0].providerInfo, w.name, `${what}: provider info`)
}

/** Whether this Node refuses RSA_PKCS1_PADDING in privateDecrypt (it does from 20.11.1 on). */
const NODE_REFUSES_PKCS1 = (() => {
  const { public_pem: publicKey, private_pem: privateKey } = KEYS['rsa-2048']
  const padding = crypto.constants.RSA_PKCS1_PADDING
  try {
    crypto.privateDecrypt({ key: privateKey, padding }, crypto.publicEncrypt({ key: publicKey, padding }, Buffer.alloc(32, 1)))
    return false
  } catch (e) {
    assert.match(e.message, /CVE-2023-46809/)
    return true
  }
})()
// The SDK's raw keyrings swallow the unwrap error; what surfaces is that no data key was found.
const isNoDataKey = (e) => e instanceof Error && /unencryptedDataKey has not been set/.test(e.message)

// ------------------------------------------------------------------------------------------ kmskit -> SDK
for (const w of WRAPPINGS) {
  test(`kmskit writes, @aws-crypto/client-node ${SDK_VERSION} reads: ${w.label}`, async (t) => {
    const kk = kmskitKeyring(w)
    const sk = sdkKeyring(w)
    const refused = []
    let n = 0
    for (const c of cases()) {
      const p = plaintext(c.size)
      const m = await envelope.encrypt(p, { keyring: kk, algorithmSuite: c.suite, frameLength: c.frameLength, encryptionContext: c.ctx })
      assert.equal(m[0], 2, `${c.name}: kmskit writes format 2`)
      assert.equal(m.readUInt16BE(1), c.suite, `${c.name}: suite bytes`)
      if (w.padding === 'PKCS1' && NODE_REFUSES_PKCS1) {
        // the SDK parses the header, matches the EDK, and Node refuses the padding in the unwrap
        await assert.rejects(esdk.decrypt(sk, m), isNoDataKey, `${c.name}: PKCS#1 unwrap refused by Node`)
        refused.push({ c, m })
      } else {
        const { plaintext: got, messageHeader } = await esdk.decrypt(sk, m)
        assert.ok(got.equals(p), `${c.name}: plaintext`)
        assertSdkHeader(messageHeader, c, w, c.name)
      }
      n++
    }
    if (refused.length > 0) {
      const results = sdkDecryptWithRevert(w, refused.map((r) => r.m))
      assert.equal(results.length, refused.length)
      refused.forEach(({ c }, i) => {
        const r = results[i]
        assert.equal(r.error, undefined, `${c.name}: SDK with --security-revert: ${r.error}`)
        assert.equal(r.sha256, sha256(plaintext(c.size)), `${c.name}: plaintext (child)`)
        assertSdkHeader(r.header, c, w, `${c.name} (child)`)
      })
      t.diagnostic(`${refused.length} PKCS#1 messages: refused by Node ${process.version} (CVE-2023-46809), decrypted by the SDK with --security-revert`)
    }
    t.diagnostic(`${n} messages`)
  })
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex')

/** Decrypts `messages` with the SDK's RSA PKCS#1 keyring in `node --security-revert=CVE-2023-46809`. */
function sdkDecryptWithRevert(w, messages) {
  const dir = mkdtempSync(join(tmpdir(), 'kmskit-interop-'))
  try {
    messages.forEach((m, i) => writeFileSync(join(dir, `${i}.bin`), m))
    const child = `
      import { createRequire } from 'node:module'
      import { readFileSync, writeFileSync } from 'node:fs'
      import crypto from 'node:crypto'
      const [pkg, dir, count, keyName] = process.argv.slice(1)
      const keys = JSON.parse(readFileSync(${JSON.stringify(fileURLToPath(new URL('../../testdata/envelope/keys.json', import.meta.url)))}, 'utf8'))
      const { buildClient, CommitmentPolicy, RawRsaKeyringNode } = createRequire(pkg)('@aws-crypto/client-node')
      const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
      const k = keys[keyName]
      const keyring = new RawRsaKeyringNode({ keyNamespace: ${JSON.stringify(NS)}, keyName,
        rsaKey: { publicKey: k.public_pem, privateKey: k.private_pem }, padding: crypto.constants.RSA_PKCS1_PADDING })
      const out = []
      for (let i = 0; i < Number(count); i++) {
        try {
          const { plaintext, messageHeader: h } = await decrypt(keyring, readFileSync(dir + '/' + i + '.bin'))
          out.push({ sha256: crypto.createHash('sha256').update(plaintext).digest('hex'), header: {
            version: h.version, suiteId: h.suiteId, frameLength: h.frameLength, encryptionContext: h.encryptionContext,
            encryptedDataKeys: h.encryptedDataKeys.map((e) => ({ providerId: e.providerId, providerInfo: e.providerInfo })) } })
        } catch (e) { out.push({ error: String(e) }) }
      }
      // not stdout: Node prints its SECURITY WARNING there
      writeFileSync(dir + '/out.json', JSON.stringify(out))`
    const r = spawnSync(process.execPath, ['--security-revert=CVE-2023-46809', '--input-type=module', '-e', child,
      fileURLToPath(new URL('../package.json', import.meta.url)), dir, String(messages.length), w.name], { encoding: 'utf8' })
    assert.equal(r.status, 0, `child: ${r.stderr}`)
    assert.match(r.stdout + r.stderr, /Reverting CVE-2023-46809/)
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// ------------------------------------------------------------------------------------------ SDK -> kmskit
for (const w of WRAPPINGS) {
  test(`@aws-crypto/client-node ${SDK_VERSION} writes, kmskit reads: ${w.label}`, async (t) => {
    const kk = kmskitKeyring(w)
    const sk = sdkKeyring(w)
    let n = 0
    for (const c of cases()) {
      const p = plaintext(c.size)
      const { result: m, messageHeader } = await esdk.encrypt(sk, p, { suiteId: SDK_SUITE[c.suite], frameLength: c.frameLength, encryptionContext: c.ctx })
      assert.equal(messageHeader.suiteId, c.suite, `${c.name}: the SDK wrote the suite asked for`)
      // without an expected context, and with the pairs the writer stored
      for (const expected of [undefined, c.ctx]) {
        const d = await envelope.decrypt(m, { keyring: kk, encryptionContext: expected })
        assert.ok(d.plaintext.equals(p), `${c.name}: plaintext`)
        assert.equal(d.algorithmSuite, hex4(c.suite), `${c.name}: suite`)
        assert.equal(d.frameLength, c.frameLength, `${c.name}: frame length`)
        assert.ok(Buffer.from(d.messageId).equals(Buffer.from(messageHeader.messageId)), `${c.name}: message ID`)
        assertContext(d.encryptionContext, c.ctx, c.suite, c.name)
        if (c.suite === 0x0578) assert.equal(d.encryptionContext[PUBLIC_KEY], messageHeader.encryptionContext[PUBLIC_KEY])
      }
      n++
    }
    t.diagnostic(`${n} messages`)
  })
}

// ------------------------------------------------------------------------------------------ 10 MiB
/** A Node Transform fed `chunks`: its output, concatenated. */
async function through(stream, chunks) {
  const out = []
  await pipeline(Readable.from(chunks), stream, async function* (source) {
    for await (const c of source) out.push(c)
  })
  return Buffer.concat(out)
}

const split = (b, size) => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size))

test('10 MiB, both ways, streamed through kmskit (AES-256, 0x0578, 4096-byte frames, 4-pair context)', async () => {
  const w = WRAPPINGS.find((x) => x.label === 'aes-256')
  const kk = kmskitKeyring(w)
  const sk = sdkKeyring(w)
  const p = crypto.randomBytes(10 << 20)
  // kmskit -> SDK: one shot and streamed (65,536-byte chunks, not frame-aligned: 4096 divides them,
  // so shift by 1000)
  const opts = { keyring: kk, algorithmSuite: 0x0578, frameLength: 4096, encryptionContext: CTX4 }
  const oneShot = await envelope.encrypt(p, opts)
  const streamed = await through(envelope.encryptStream(opts), [p.subarray(0, 1000), ...split(p.subarray(1000), 1 << 16)])
  for (const [what, m] of [['one shot', oneShot], ['encryptStream', streamed]]) {
    const { plaintext: got, messageHeader } = await esdk.decrypt(sk, m)
    assert.ok(got.equals(p), `kmskit ${what} -> SDK: plaintext`)
    assertSdkHeader(messageHeader, { suite: 0x0578, frameLength: 4096, ctx: CTX4 }, w, `kmskit ${what} -> SDK`)
  }
  // SDK -> kmskit, one shot and streamed
  const { result: m } = await esdk.encrypt(sk, p, { frameLength: 4096, encryptionContext: CTX4 })
  assert.equal(m.readUInt16BE(1), 0x0578, 'the SDK default suite is 0x0578')
  const d = await envelope.decrypt(m, { keyring: kk, encryptionContext: CTX4 })
  assert.ok(d.plaintext.equals(p), 'SDK -> kmskit one shot: plaintext')
  const s = envelope.decryptStream({ keyring: kk, encryptionContext: CTX4 })
  assert.ok((await through(s, split(m, 65_537))).equals(p), 'SDK -> kmskit decryptStream: plaintext')
  assertContext(s.header.encryptionContext, CTX4, 0x0578, 'SDK -> kmskit decryptStream')
})

// ------------------------------------------------------------------------------------------ tampering
const KMS_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException'])

/** kmskit must refuse `m` with a typed error and release nothing, one shot and streamed with
 *  release AFTER_VERIFICATION; returns the error name. */
async function kmskitRefuses(m, keyring, what) {
  let name
  await assert.rejects(envelope.decrypt(m, { keyring }), (e) => {
    assert.ok(KMS_ERRORS.has(e.name), `${what}: kmskit error ${e.name}: ${e.message}`)
    name = e.name
    return true
  }, `${what}: kmskit decrypt`)
  const released = []
  await assert.rejects(pipeline(Readable.from([m]), envelope.decryptStream({ keyring, release: 'AFTER_VERIFICATION' }),
    async function* (source) { for await (const c of source) released.push(c) }), (e) => KMS_ERRORS.has(e.name), `${what}: kmskit stream`)
  assert.equal(released.length, 0, `${what}: kmskit released plaintext`)
  return name
}

/** The SDK must refuse `m` (any error: its errors are not typed). */
async function sdkRefuses(m, keyring, what) {
  let ok = false
  try {
    await esdk.decrypt(keyring, m)
    ok = true
  } catch {
    // refused, as it should be
  }
  assert.ok(!ok, `${what}: the SDK decrypted a bad message`)
}

const flipped = (m, i) => {
  const b = Buffer.from(m)
  b[i] ^= 1 << (i % 8)
  return b
}

// Small messages (3 one-byte frames, the 4-pair context) so that every byte can be hit: one bit
// flipped per byte position, in the header, each frame and the footer; and every truncation.
// (RSA only with 0x0478: its EDK region is what differs, and the signed RSA case adds 6 s.)
for (const [label, suites] of [['aes-256', SUITES], ['rsa-2048 OAEP_SHA256', [0x0478]]]) {
  const w = WRAPPINGS.find((x) => x.label === label)
  for (const suite of suites) {
    test(`tampered kmskit messages fail in the SDK; tampered SDK messages fail in kmskit: ${label} ${hex4(suite)}`, async (t) => {
      const kk = kmskitKeyring(w)
      const sk = sdkKeyring(w)
      const p = plaintext(3)
      const ours = await envelope.encrypt(p, { keyring: kk, algorithmSuite: suite, frameLength: 1, encryptionContext: CTX4 })
      const { result: theirs } = await esdk.encrypt(sk, p, { suiteId: SDK_SUITE[suite], frameLength: 1, encryptionContext: CTX4 })
      // both are good as they are
      assert.ok((await esdk.decrypt(sk, ours)).plaintext.equals(p))
      assert.ok((await envelope.decrypt(theirs, { keyring: kk })).plaintext.equals(p))
      const names = {}
      for (let i = 0; i < ours.length; i++) await sdkRefuses(flipped(ours, i), sk, `kmskit message, bit ${i % 8} of byte ${i}/${ours.length}`)
      for (let i = 0; i < theirs.length; i++) {
        const name = await kmskitRefuses(flipped(theirs, i), kk, `SDK message, bit ${i % 8} of byte ${i}/${theirs.length}`)
        names[name] = (names[name] ?? 0) + 1
      }
      for (let len = 0; len < ours.length; len++) await sdkRefuses(ours.subarray(0, len), sk, `kmskit message truncated to ${len}/${ours.length}`)
      for (let len = 0; len < theirs.length; len++) {
        await kmskitRefuses(theirs.subarray(0, len), kk, `SDK message truncated to ${len}/${theirs.length}`)
      }
      t.diagnostic(`${ours.length} + ${theirs.length} flips and as many truncations refused; kmskit's errors on flips: ${JSON.stringify(names)}`)
    })
  }
}

test('kmskit refuses an SDK message under a wrong or extra encryption context, or a wrong key of the same name', async () => {
  const w = WRAPPINGS.find((x) => x.label === 'aes-256')
  const kk = kmskitKeyring(w)
  const { result: m } = await esdk.encrypt(sdkKeyring(w), plaintext(5000), { encryptionContext: CTX4 })
  const invalid = (e) => e.name === 'InvalidCiphertextException'
  await assert.rejects(envelope.decrypt(m, { keyring: kk, encryptionContext: { ...CTX4, purpose: 'other' } }), invalid)
  await assert.rejects(envelope.decrypt(m, { keyring: kk, encryptionContext: { ...CTX4, extra: 'pair' } }), invalid)
  // a subset of the stored pairs is what a reader may check
  const d = await envelope.decrypt(m, { keyring: kk, encryptionContext: { purpose: 'kmskit interop' } })
  assert.ok(d.plaintext.equals(plaintext(5000)))
  const wrongKey = new envelope.RawAesKeyring({ keyNamespace: NS, keyName: 'aes-256', wrappingKey: Buffer.alloc(32, 0x55) })
  await assert.rejects(envelope.decrypt(m, { keyring: wrongKey }), (e) => e.name === 'IncorrectKeyException' || e.name === 'InvalidCiphertextException')
  const otherName = new envelope.RawAesKeyring({ keyNamespace: NS, keyName: 'aes-128', wrappingKey: Buffer.from(KEYS['aes-128'].hex, 'hex') })
  await assert.rejects(envelope.decrypt(m, { keyring: otherName }), (e) => e.name === 'IncorrectKeyException')
})
