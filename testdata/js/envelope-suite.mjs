// Envelope encryption (`envelope` of `kmskit` and `kmskit-wasm`), shared by every JavaScript
// runtime's tests: the native addon and wasm in Node, and wasm in Chromium. Web APIs only (no
// node: modules), so it runs in a page as it is. No kmskit logic: it calls the API and compares
// with what the AWS Encryption SDK's message format promises and with messages the official
// Python SDK wrote (testdata/envelope/esdk-python).
//
// `ctx` is what a runtime supplies:
//   envelope, Kms        the package's namespace object and local KMS class
//   read(path)           bytes of a file under the repository root (fs in Node, fetch in a page)
//   streamEncrypt(options, chunks) / streamDecrypt(options, chunks)
//                        the runtime's streams (Node Transform, web TransformStream) fed
//                        `chunks` in order: resolve to the output chunks, reject with the
//                        stream's error and `released` (the chunks output before it) attached
//   caching              whether the package has envelope.CachingKeyring

const enc = (s) => new TextEncoder().encode(s)
const hex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)))
const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const same = (a, b) => a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length &&
  a.every((x, i) => x === b[i])
/** The plaintext of every vector: byte i = (31 i + 7) mod 256 (testdata/envelope/README.md). */
const pattern = (n) => Uint8Array.from({ length: n }, (_, i) => (31 * i + 7) % 256)
/** Splits `bytes` into chunks of the sizes in `sizes`, cycled. */
function split(bytes, sizes) {
  const out = []
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]
    out.push(bytes.subarray(at, at + n))
    at += n
  }
  return out
}
const ODD = [1, 7, 333, 4097, 13, 65537, 2]

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`)
}

/** `promise` must reject with an Error whose `name` and `code` are `exception`. */
async function rejects(promise, exception, what) {
  try {
    await promise
  } catch (e) {
    if (!(e instanceof Error) || e.name !== exception || e.code !== exception || !e.message) {
      throw new Error(`${what}: rejected with ${e && e.name}/${e && e.code} (${e && e.message}), expected ${exception}`)
    }
    return e
  }
  throw new Error(`${what}: resolved, expected ${exception}`)
}

/** `fn()` must throw (or return a Promise that rejects) with `exception`. */
async function fails(fn, exception, what) {
  let p
  try {
    p = fn()
  } catch (e) {
    p = Promise.reject(e)
  }
  return rejects(p, exception, what)
}

const aesKey = (byte = 1, length = 32) => new Uint8Array(length).fill(byte)

/** The keyrings of testdata/envelope/keys.json, by the manifest's keyring entries. */
function keyringOf(envelope, keys, namespace, spec) {
  const k = keys[spec.key]
  if (spec.type === 'raw-aes') return new envelope.RawAesKeyring({ keyNamespace: namespace, keyName: spec.key, wrappingKey: hex(k.hex) })
  if (spec.type === 'raw-rsa') {
    return new envelope.RawRsaKeyring({ keyNamespace: namespace, keyName: spec.key, privateKey: k.private_pem, padding: spec.padding })
  }
  throw new Error(`unknown keyring type ${spec.type}`)
}

/** Every check, by name. Each resolves to the number of cases it ran. */
export const envelopeChecks = {
  /** Both committing suites, frame lengths 1 and 4096, sizes 0, 1, 4096 and 100 KB. */
  async 'round trips: suites 0x0478/0x0578, frame lengths 1/4096, sizes 0/1/4096/100 KB'({ envelope }) {
    const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey() })
    const encryptionContext = { purpose: 'test', 'zz-☃': 'snow' }
    let n = 0
    for (const algorithmSuite of ['0x0478', '0x0578']) {
      for (const frameLength of [1, 4096]) {
        for (const size of [0, 1, 4096, 100_000]) {
          const plaintext = pattern(size)
          const what = `${algorithmSuite} fl${frameLength} ${size}b`
          const message = await envelope.encrypt(plaintext, { keyring, encryptionContext, algorithmSuite, frameLength })
          check(message instanceof Uint8Array && message.length > size, `${what}: a message`)
          const d = await envelope.decrypt(message, { keyring, encryptionContext })
          check(same(d.plaintext, plaintext), `${what}: plaintext`)
          check(d.algorithmSuite === algorithmSuite, `${what}: suite ${d.algorithmSuite}`)
          check(d.frameLength === frameLength, `${what}: frame length ${d.frameLength}`)
          check(d.messageId instanceof Uint8Array && d.messageId.length === 32, `${what}: message ID`)
          check(d.encryptionContext.purpose === 'test' && d.encryptionContext['zz-☃'] === 'snow', `${what}: context`)
          // signing suites carry the verification key in the context
          check(('aws-crypto-public-key' in d.encryptionContext) === (algorithmSuite === '0x0578'), `${what}: public key`)
          n++
        }
      }
    }
    // the defaults: suite 0x0478, frame length 4096, context optional
    const d = await envelope.decrypt(await envelope.encrypt(enc('defaults'), { keyring }), { keyring })
    check(d.algorithmSuite === '0x0478' && d.frameLength === 4096, 'defaults')
    check(Object.keys(d.encryptionContext).length === 0, 'empty context')
    // the suite as an ESDK name or a number
    const byName = await envelope.encrypt(enc('x'), { keyring, algorithmSuite: 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384' })
    check((await envelope.decrypt(byName, { keyring })).algorithmSuite === '0x0578', 'suite by ESDK name')
    const byNumber = await envelope.encrypt(enc('x'), { keyring, algorithmSuite: 0x0578 })
    check((await envelope.decrypt(byNumber, { keyring })).algorithmSuite === '0x0578', 'suite by number')
    return n + 3
  },

  /** Streams fed odd chunk sizes give what the one-shot functions give, both ways. */
  async 'streaming in odd chunk sizes equals one-shot'({ envelope, streamEncrypt, streamDecrypt }) {
    const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(2) })
    const encryptionContext = { stream: 'yes' }
    let n = 0
    for (const algorithmSuite of ['0x0478', '0x0578']) {
      for (const [frameLength, size] of [[4096, 100_003], [1, 3000], [4096, 0], [4096, 4096], [128, 1]]) {
        const what = `${algorithmSuite} fl${frameLength} ${size}b`
        const plaintext = pattern(size)
        // stream-encrypted, decrypted in one shot
        const out = await streamEncrypt({ keyring, encryptionContext, algorithmSuite, frameLength }, split(plaintext, ODD))
        const message = concat(out)
        const d = await envelope.decrypt(message, { keyring, encryptionContext })
        check(same(d.plaintext, plaintext) && d.frameLength === frameLength, `${what}: stream -> one shot`)
        // one-shot message, stream-decrypted in odd chunks, either release mode
        const oneShot = await envelope.encrypt(plaintext, { keyring, encryptionContext, algorithmSuite, frameLength })
        for (const release of ['perFrame', 'afterVerification']) {
          const plain = concat(await streamDecrypt({ keyring, encryptionContext, release }, split(oneShot, [...ODD].reverse())))
          check(same(plain, plaintext), `${what}: one shot -> stream (${release})`)
        }
        // and the stream's own message, in one chunk
        check(same(concat(await streamDecrypt({ keyring }, [message])), plaintext), `${what}: stream -> stream`)
        n++
      }
    }
    // memory bounded by the frame: plaintext comes out frame by frame, before the end
    const big = await envelope.encrypt(pattern(64 * 4096), { keyring, frameLength: 4096 })
    const chunks = await streamDecrypt({ keyring }, split(big, [4096 + 100]))
    check(chunks.length > 32 && Math.max(...chunks.map((c) => c.length)) <= 2 * 4096, `per-frame release: ${chunks.length} chunks`)
    return n + 1
  },

  /** Every message the official AWS Encryption SDK for Python wrote decrypts to its plaintext. */
  async 'decrypts every message of the official Python SDK (testdata/envelope/esdk-python)'({ envelope, read }) {
    const text = async (p) => new TextDecoder().decode(await read(p))
    const manifest = JSON.parse(await text('testdata/envelope/esdk-python/manifest.json'))
    const keys = JSON.parse(await text('testdata/envelope/keys.json'))
    check(manifest.vectors.length >= 60, `${manifest.vectors.length} vectors`)
    let n = 0
    for (const v of manifest.vectors) {
      const message = await read(`testdata/envelope/esdk-python/${v.file}`)
      const expected = pattern(v.plaintext_size)
      for (const spec of v.keyrings) {
        const keyring = keyringOf(envelope, keys, manifest.namespace, spec)
        const d = await envelope.decrypt(message, {
          keyring, encryptionContext: v.encryption_context, commitmentPolicy: v.commitment_policy,
        })
        check(same(d.plaintext, expected), `${v.name}: plaintext`)
        check(d.algorithmSuite.toLowerCase() === v.suite.toLowerCase(), `${v.name}: suite ${d.algorithmSuite}`)
        check(d.frameLength === (v.frame_length === 0 ? null : v.frame_length), `${v.name}: frame length`)
        for (const [k, x] of Object.entries(v.encryption_context)) check(d.encryptionContext[k] === x, `${v.name}: context ${k}`)
        // format-1 suites only with a policy that allows them
        if (v.commitment_policy !== 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT') {
          await rejects(envelope.decrypt(message, { keyring }), 'InvalidCiphertextException', `${v.name}: default policy`)
        }
        n++
      }
    }
    return n
  },

  /** A modified or truncated message is InvalidCiphertextException, and nothing is released. */
  async 'tampered and truncated messages: InvalidCiphertextException, nothing released'({ envelope, streamDecrypt }) {
    const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(3) })
    let n = 0
    for (const algorithmSuite of ['0x0478', '0x0578']) {
      const message = await envelope.encrypt(pattern(20_000), { keyring, algorithmSuite, frameLength: 4096 })
      // a flipped bit in the header, the body (a middle frame) and the last byte
      for (const at of [40, Math.floor(message.length / 2), message.length - 1]) {
        const bad = message.slice()
        bad[at] ^= 0x01
        const what = `${algorithmSuite}: bit flipped at ${at}/${message.length}`
        await rejects(envelope.decrypt(bad, { keyring }), 'InvalidCiphertextException', what)
        const e = await rejects(streamDecrypt({ keyring, release: 'afterVerification' }, split(bad, [1000])),
          'InvalidCiphertextException', `${what} (stream)`)
        check(e.released.length === 0, `${what}: the stream released ${e.released.length} chunks`)
        n++
      }
      // truncated: one-shot and streams (per frame: only frames before the cut can have come out)
      const cut = message.subarray(0, message.length - 10)
      await rejects(envelope.decrypt(cut, { keyring }), 'InvalidCiphertextException', `${algorithmSuite}: truncated`)
      const e = await rejects(streamDecrypt({ keyring, release: 'afterVerification' }, [cut]), 'InvalidCiphertextException',
        `${algorithmSuite}: truncated (stream)`)
      check(e.released.length === 0, `${algorithmSuite}: truncated, released ${e.released.length}`)
      // a header modified: nothing is released even per frame
      const header = message.slice()
      header[60] ^= 0x80
      const h = await rejects(streamDecrypt({ keyring }, [header]), 'InvalidCiphertextException', `${algorithmSuite}: header`)
      check(h.released.length === 0, `${algorithmSuite}: header modified, released ${h.released.length}`)
      // bytes after the end
      await rejects(envelope.decrypt(concat([message, new Uint8Array(1)]), { keyring }), 'InvalidCiphertextException',
        `${algorithmSuite}: trailing byte`)
      n += 3
    }
    return n
  },

  /** The encryption context: a wrong or missing pair fails; required keys are authenticated. */
  async 'wrong encryption context, required keys'({ envelope }) {
    const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(4) })
    const message = await envelope.encrypt(enc('ec'), { keyring, encryptionContext: { purpose: 'a', tenant: 't' } })
    await rejects(envelope.decrypt(message, { keyring, encryptionContext: { purpose: 'b' } }), 'InvalidCiphertextException', 'other value')
    await rejects(envelope.decrypt(message, { keyring, encryptionContext: { extra: 'x' } }), 'InvalidCiphertextException', 'extra pair')
    const subset = await envelope.decrypt(message, { keyring, encryptionContext: { tenant: 't' } })
    check(subset.encryptionContext.purpose === 'a', 'a subset of the context is enough')
    // a required key: authenticated, not stored; the reader must supply it
    const withheld = await envelope.encrypt(enc('secret ec'), {
      keyring, encryptionContext: { purpose: 'a', hidden: 'h' }, requiredEncryptionContextKeys: ['hidden'],
    })
    check(!new TextDecoder().decode(withheld).includes('hidden'), 'the required pair is not stored')
    await rejects(envelope.decrypt(withheld, { keyring }), 'InvalidCiphertextException', 'required pair missing')
    await rejects(envelope.decrypt(withheld, { keyring, encryptionContext: { hidden: 'x' } }), 'InvalidCiphertextException',
      'required pair wrong')
    const d = await envelope.decrypt(withheld, { keyring, encryptionContext: { hidden: 'h' }, requiredEncryptionContextKeys: ['hidden'] })
    check(new TextDecoder().decode(d.plaintext) === 'secret ec' && d.encryptionContext.hidden === 'h', 'required pair supplied')
    await fails(() => envelope.encrypt(enc('x'), { keyring, encryptionContext: { 'aws-crypto-x': 'y' } }), 'ValidationException',
      'reserved prefix')
    return 7
  },

  /** A keyring over the package's local Kms. */
  async 'KmsKeyring over the local Kms'({ envelope, Kms }) {
    const kms = new Kms({ seed: enc('envelope'), startTime: new Date('2026-01-01T00:00:00Z') })
    const { KeyMetadata } = await kms.createKey({ Description: 'envelope key' })
    await kms.createAlias({ AliasName: 'alias/envelope', TargetKeyId: KeyMetadata.KeyId })
    const byAlias = new envelope.KmsKeyring(kms, 'alias/envelope')
    const byArn = new envelope.KmsKeyring(kms, KeyMetadata.Arn)
    const encryptionContext = { purpose: 'kms keyring' }
    const message = await envelope.encrypt(enc('under a KMS key'), { keyring: byAlias, encryptionContext })
    for (const keyring of [byAlias, byArn]) {
      const d = await envelope.decrypt(message, { keyring, encryptionContext })
      check(new TextDecoder().decode(d.plaintext) === 'under a KMS key', `decrypts with ${keyring}`)
    }
    // its encrypted data key is not a raw AES keyring's
    const aes = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(5) })
    await rejects(envelope.decrypt(message, { keyring: aes }), 'IncorrectKeyException', 'another keyring')
    // the KMS decides: a disabled key cannot unwrap
    await kms.disableKey({ KeyId: KeyMetadata.KeyId })
    await rejects(envelope.decrypt(message, { keyring: byArn }), 'DisabledException', 'disabled key')
    await kms.enableKey({ KeyId: KeyMetadata.KeyId })
    check((await envelope.decrypt(message, { keyring: byArn })).plaintext.length === 15, 'enabled again')
    // a KMS that does not hold the key
    const other = new envelope.KmsKeyring(new Kms(), KeyMetadata.Arn)
    await rejects(envelope.decrypt(message, { keyring: other }), 'NotFoundException', 'another KMS')
    let threw = false
    try {
      new envelope.KmsKeyring({}, 'k') // eslint-disable-line no-new
    } catch (e) {
      // the addon's is a ValidationException; wasm-bindgen's own class check a plain Error
      threw = e instanceof Error
    }
    check(threw, 'a KmsKeyring needs a Kms')
    return 5
  },

  /** One generator and children: each keyring alone decrypts. */
  async 'MultiKeyring: a generator and children, each decrypts'({ envelope, read }) {
    const keys = JSON.parse(new TextDecoder().decode(await read('testdata/envelope/keys.json')))
    const rsa = keys['rsa-2048']
    const aes = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'aes', wrappingKey: aesKey(6) })
    const rsaPublic = new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'rsa', publicKey: rsa.public_pem })
    const rsaPrivate = new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'rsa', privateKey: rsa.private_pem })
    const multi = new envelope.MultiKeyring({ generator: aes, children: [rsaPublic] })
    const message = await envelope.encrypt(enc('to two keyrings'), { keyring: multi, encryptionContext: { m: '1' } })
    for (const keyring of [aes, rsaPrivate, multi, new envelope.MultiKeyring({ children: [rsaPrivate] })]) {
      const d = await envelope.decrypt(message, { keyring })
      check(new TextDecoder().decode(d.plaintext) === 'to two keyrings', `decrypts with ${keyring}`)
    }
    // a public key alone cannot decrypt (core: the keyring has no private key); an unrelated key
    // finds no encrypted data key
    await rejects(envelope.decrypt(message, { keyring: rsaPublic }), 'ValidationException', 'public key only')
    const stranger = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'other', wrappingKey: aesKey(6) })
    const e = await rejects(envelope.decrypt(message, { keyring: stranger }), 'IncorrectKeyException', 'unrelated keyring')
    check(/EDK #1/.test(e.message) && /EDK #2/.test(e.message), `the error lists what was tried: ${e.message}`)
    await rejects(envelope.encrypt(enc('x'), { keyring: multi, maxEncryptedDataKeys: 1 }), 'LimitExceededException', 'too many EDKs')
    await rejects(envelope.decrypt(message, { keyring: aes, maxEncryptedDataKeys: 1 }), 'LimitExceededException', 'too many EDKs (decrypt)')
    // RSA paddings, PEM text and DER bytes
    for (const padding of ['OAEP_SHA1', 'OAEP_SHA256', 'OAEP_SHA384', 'OAEP_SHA512', 'PKCS1']) {
      const pem = new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'rsa', privateKey: rsa.private_pem, padding })
      const m = await envelope.encrypt(enc(padding), { keyring: pem })
      check(new TextDecoder().decode((await envelope.decrypt(m, { keyring: pem })).plaintext) === padding, padding)
    }
    await fails(() => new envelope.MultiKeyring({}), 'ValidationException', 'empty multi-keyring')
    return 10
  },

  /** Bad arguments are ValidationException (or, for keyrings, thrown by the constructor). */
  async 'bad options: ValidationException'({ envelope, streamEncrypt }) {
    const keyring = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(7) })
    const cases = [
      [() => envelope.encrypt(enc('x'), { keyring, frameLength: 0 }), 'frame length 0'],
      [() => envelope.encrypt(enc('x'), { keyring, algorithmSuite: '0x9999' }), 'unknown suite'],
      [() => envelope.encrypt(enc('x'), { keyring, algorithmSuite: '0x0178' }), 'format 1 under the default policy'],
      [() => envelope.encrypt(enc('x'), { keyring, commitmentPolicy: 'sometimes' }), 'unknown policy'],
      [() => envelope.encrypt(enc('x'), { keyring, frameLenght: 5 }), 'unknown option'],
      [() => envelope.encrypt(enc('x'), { keyring: {} }), 'not a keyring'],
      [() => envelope.encrypt(enc('x'), {}), 'no keyring'],
      [() => envelope.encrypt('text', { keyring }), 'text plaintext'],
      [() => envelope.encrypt(enc('x'), { keyring, encryptionContext: { a: 1 } }), 'context value not text'],
      [() => envelope.decrypt(enc('x'), { keyring, release: 'sometimes' }), 'unknown release'],
      [() => new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(20) }), 'AES key length'],
      [() => new envelope.RawAesKeyring({ keyNamespace: 'aws-kms', keyName: 'k', wrappingKey: aesKey() }), 'reserved namespace'],
      [() => new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'k' }), 'RSA without a key'],
      [() => new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'k', publicKey: 'junk' }), 'RSA junk key'],
      [() => streamEncrypt({ keyring, frameLength: 0 }, [enc('x')]), 'stream: frame length 0'],
    ]
    for (const [fn, what] of cases) await fails(fn, 'ValidationException', what)
    // a message that is not one
    await rejects(envelope.decrypt(enc('not a message'), { keyring }), 'InvalidCiphertextException', 'junk message')
    return cases.length + 1
  },

  /** The data-key cache reuses a data key within its limits (kmskit only: it needs std). */
  async 'CachingKeyring reuses data keys within its limits'({ envelope, caching }) {
    if (!caching) {
      check(envelope.CachingKeyring === undefined, 'no CachingKeyring where core has no cache')
      return 0
    }
    const inner = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: aesKey(8) })
    // the longest run of equal bytes at equal offsets: the encrypted data key when it is reused
    const run = (a, b) => {
      let best = 0
      for (let i = 0, r = 0; i < Math.min(a.length, b.length); i++) {
        r = a[i] === b[i] ? r + 1 : 0
        best = Math.max(best, r)
      }
      return best
    }
    const twice = async (keyring) => {
      const a = await envelope.encrypt(enc('same context'), { keyring, encryptionContext: { c: '1' } })
      const b = await envelope.encrypt(enc('same context'), { keyring, encryptionContext: { c: '1' } })
      for (const m of [a, b]) check((await envelope.decrypt(m, { keyring: inner })).plaintext.length === 12, 'decrypts')
      return run(a.subarray(60), b.subarray(60))
    }
    const cached = await twice(new envelope.CachingKeyring(inner, { maxAgeMs: 60_000, maxMessages: 10 }))
    const fresh = await twice(new envelope.CachingKeyring(inner, { maxMessages: 1 }))
    // the wrapped data key (IV 12 + key 32 + tag 16 bytes) is the same only when it is reused
    check(cached >= fresh + 40, `cached: ${cached} equal bytes in a row, one message per key: ${fresh}`)
    await fails(() => new envelope.CachingKeyring(inner, { maxMessages: 0 }), 'ValidationException', 'zero messages')
    await fails(() => new envelope.CachingKeyring(inner, { maxAgeMs: -1 }), 'ValidationException', 'negative age')
    return 3
  },
}

/** Runs every check (a page does this); resolves to `[{ name, n }]`, or throws at the first failure. */
export async function runEnvelopeChecks(ctx) {
  const done = []
  for (const [name, fn] of Object.entries(envelopeChecks)) {
    try {
      done.push({ name, n: await fn(ctx) })
    } catch (e) {
      throw new Error(`${name}: ${e && e.message}`)
    }
  }
  return done
}

/** Web streams (`TransformStream`) fed `chunks`: the output chunks, or the stream's error with
 *  `released` (what came out before it). */
export async function throughWebStream(stream, chunks) {
  const released = []
  const reading = (async () => {
    for await (const c of stream.readable) released.push(c)
  })()
  const writer = stream.writable.getWriter()
  let error
  try {
    for (const c of chunks) await writer.write(c)
    await writer.close()
  } catch (e) {
    error = e
  }
  try {
    await reading
  } catch (e) {
    error ??= e
  }
  if (error !== undefined) {
    if (error instanceof Error) error.released = released
    throw error
  }
  return released
}

/** The shapes envelope must have in both packages (checked by each package's tests). */
export const ENVELOPE_EXPORTS = ['KmsKeyring', 'MultiKeyring', 'RawAesKeyring', 'RawRsaKeyring', 'decrypt',
  'decryptStream', 'encrypt', 'encryptStream']

/** TypeScript both packages' declarations must accept (and refuse where marked), importing
 *  the package from `from`; `extra` lines are the package's own (streams differ). */
export function envelopeTypingSource(from, extra = []) {
  return [
    `import { envelope, Kms, type EnvelopeDecryptResult, type EnvelopeMessageHeader } from '${from}'`,
    "const aes = new envelope.RawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32) })",
    "const rsa = new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'k', publicKey: '-----BEGIN PUBLIC KEY-----', padding: 'OAEP_SHA1' })",
    "const viaKms = new envelope.KmsKeyring(new Kms(), 'alias/app')",
    'const multi = new envelope.MultiKeyring({ generator: aes, children: [rsa, viaKms] })',
    'export const keyring: envelope.Keyring = multi',
    'export async function flow() {',
    '  const message: Uint8Array = await envelope.encrypt(new Uint8Array(1), { keyring, encryptionContext: { a: \'b\' },',
    "    algorithmSuite: '0x0578', frameLength: 4096, commitmentPolicy: 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',",
    "    requiredEncryptionContextKeys: ['a'], maxEncryptedDataKeys: 3 })",
    "  await envelope.encrypt(new Uint8Array(1), { keyring: aes, algorithmSuite: 0x0478 })",
    "  const d: EnvelopeDecryptResult = await envelope.decrypt(message, { keyring: aes, release: 'afterVerification' })",
    '  const header: EnvelopeMessageHeader = d',
    '  const parts: [Uint8Array, Record<string, string>, string, Uint8Array, number | null] =',
    '    [d.plaintext, d.encryptionContext, d.algorithmSuite, d.messageId, d.frameLength]',
    '  const text: string = String(aes)',
    '  // @ts-expect-error keyring is required',
    '  await envelope.encrypt(new Uint8Array(1), {})',
    '  // @ts-expect-error context values are text',
    '  await envelope.encrypt(new Uint8Array(1), { keyring, encryptionContext: { a: 1 } })',
    "  // @ts-expect-error not a padding",
    "  new envelope.RawRsaKeyring({ keyNamespace: 'ns', keyName: 'k', padding: 'OAEP' })",
    "  // @ts-expect-error not a release mode",
    "  await envelope.decrypt(message, { keyring, release: 'never' })",
    '  // @ts-expect-error a keyring, not a key',
    '  await envelope.decrypt(message, { keyring: new Uint8Array(32) })',
    '  // @ts-expect-error plaintext is bytes',
    "  await envelope.encrypt('text', { keyring })",
    ...extra.map((l) => `  ${l}`),
    '  return [header, parts, text]',
    '}',
    '',
  ].join('\n')
}
