'use strict'
// `envelope`: envelope encryption in the AWS Encryption SDK message format (core's
// `kmskit::envelope`). Conversion only: options objects are checked for their JavaScript types
// and handed to the native side (src/envelope.rs), whose tasks run on the libuv thread pool;
// outcomes become values or rejections named after the KMS exception. Every default and every
// check of a value (suite, frame length, commitment policy, encryption context rules) is core's.
const { Transform } = require('node:stream')

module.exports = function makeEnvelope(native, { kmsError, mapError, describe, nativeKms }) {
  const { _NativeKeyring: NativeKeyring, _NativeEncryptor: NativeEncryptor, _NativeDecryptor: NativeDecryptor } = native

  const invalid = (message) => kmsError('ValidationException', message)

  /** Runs a native call that may throw a native error, with the error named. */
  function call(fn) {
    try {
      return fn()
    } catch (e) {
      throw mapError(e)
    }
  }

  // ---------------------------------------------------------------------------- keyrings
  const natives = new WeakMap()
  const MAKE = Symbol('kmskit keyring')

  function nativeKeyring(name, k) {
    const n = natives.get(k)
    if (n === undefined) {
      throw invalid(`${name} must be an envelope keyring (RawAesKeyring, RawRsaKeyring, KmsKeyring, MultiKeyring, CachingKeyring), not ${describe(k)}`)
    }
    return n
  }

  /** The base of every keyring; not constructed directly. */
  class Keyring {
    constructor(token, make) {
      if (token !== MAKE) throw new TypeError('Keyring is abstract: use RawAesKeyring, RawRsaKeyring, KmsKeyring, MultiKeyring or CachingKeyring')
      natives.set(this, call(make))
    }

    /** What the keyring is, as errors name it (`raw AES keyring ns/name`, ...). */
    toString() { return nativeKeyring('this', this).describe() }
    get [Symbol.toStringTag]() { return 'Keyring' }
  }

  function fieldsOf(what, o, allowed) {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      throw invalid(`${what} must be an object, not ${describe(o)}`)
    }
    for (const k of Object.keys(o)) {
      if (o[k] !== undefined && !allowed.includes(k)) {
        throw invalid(`${k} is not an option of ${what} (${allowed.join(', ')})`)
      }
    }
    return o
  }

  function text(name, v) {
    if (typeof v !== 'string') throw invalid(`${name} must be a string, not ${describe(v)}`)
    return v
  }

  function bytes(name, v) {
    if (v instanceof Uint8Array) return v
    throw invalid(`${name} must be a Uint8Array (or Buffer), not ${describe(v)}`)
  }

  /** A key: PEM text or DER bytes. */
  function key(name, v) {
    if (v === undefined || v === null) return undefined
    return typeof v === 'string' ? Buffer.from(v, 'utf8') : bytes(name, v)
  }

  function count(name, v, max) {
    if (v === undefined || v === null) return undefined
    if (!Number.isInteger(v) || v < 0 || v > max) throw invalid(`${name} must be a whole number from 0 to ${max}, not ${v}`)
    return v
  }

  function limit(name, v) {
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'number') throw invalid(`${name} must be a number, not ${describe(v)}`)
    return v
  }

  class RawAesKeyring extends Keyring {
    /** A raw AES keyring (the ESDK's): a 16, 24 or 32-byte wrapping key named by namespace and name. */
    constructor(options) {
      const { keyNamespace, keyName, wrappingKey } = fieldsOf('RawAesKeyring', options, ['keyNamespace', 'keyName', 'wrappingKey'])
      const args = [text('keyNamespace', keyNamespace), text('keyName', keyName), bytes('wrappingKey', wrappingKey)]
      super(MAKE, () => NativeKeyring.rawAes(...args))
    }
  }

  class RawRsaKeyring extends Keyring {
    /** A raw RSA keyring (the ESDK's): a public key to encrypt, a private key to decrypt (PEM or DER). */
    constructor(options) {
      const { keyNamespace, keyName, publicKey, privateKey, padding = 'OAEP_SHA256' } = fieldsOf('RawRsaKeyring', options,
        ['keyNamespace', 'keyName', 'publicKey', 'privateKey', 'padding'])
      const args = [text('keyNamespace', keyNamespace), text('keyName', keyName), key('publicKey', publicKey),
        key('privateKey', privateKey), text('padding', padding)]
      super(MAKE, () => NativeKeyring.rawRsa(...args))
    }
  }

  class KmsKeyring extends Keyring {
    /** A keyring over a key of a local `Kms` (key ID, ARN or alias): Encrypt / GenerateDataKey /
     *  Decrypt with the message's encryption context, provider ID `kmskit-kms`. */
    constructor(kms, keyId) {
      let n
      try {
        n = nativeKms(kms)
      } catch {
        throw invalid(`kms must be a kmskit Kms, not ${describe(kms)}`)
      }
      const id = text('keyId', keyId)
      super(MAKE, () => NativeKeyring.kms(n, id))
    }
  }

  class MultiKeyring extends Keyring {
    /** One generator (makes the data key) and children (each wraps it too); decrypts with any. */
    constructor(options) {
      const { generator, children = [] } = fieldsOf('MultiKeyring', options, ['generator', 'children'])
      if (!Array.isArray(children)) throw invalid(`children must be an array of keyrings, not ${describe(children)}`)
      const g = generator === undefined || generator === null ? undefined : nativeKeyring('generator', generator)
      const c = children.map((k, i) => nativeKeyring(`children[${i}]`, k))
      super(MAKE, () => NativeKeyring.multi(g, c))
    }
  }

  class CachingKeyring extends Keyring {
    /** Caches `inner`'s data keys (the ESDK's caching CMM) within the limits; core's defaults
     *  for those left out (5 minutes, 2^32 messages, no byte limit, 64 entries). */
    constructor(inner, limits = {}) {
      const n = nativeKeyring('inner', inner)
      const { maxAgeMs, maxMessages, maxBytes, capacity } = fieldsOf('CachingKeyring limits', limits,
        ['maxAgeMs', 'maxMessages', 'maxBytes', 'capacity'])
      const args = [limit('maxAgeMs', maxAgeMs), limit('maxMessages', maxMessages), limit('maxBytes', maxBytes),
        count('capacity', capacity, 0xffffffff)]
      super(MAKE, () => NativeKeyring.caching(n, ...args))
    }
  }

  // ---------------------------------------------------------------------------- options
  function context(name, v) {
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) {
      throw invalid(`${name} must be an object of strings, not ${describe(v)}`)
    }
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') throw invalid(`${name}['${k}'] must be a string, not ${describe(x)}`)
    }
    return v
  }

  function strings(name, v) {
    if (v === undefined || v === null) return undefined
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`${name} must be an array of strings`)
    return v
  }

  function optionalText(name, v) {
    return v === undefined || v === null ? undefined : text(name, v)
  }

  /** A suite as core parses it: its ID as text (`'0x0478'`), an ESDK name, or the ID as a number. */
  function suite(v) {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff) return `0x${v.toString(16).padStart(4, '0')}`
    return optionalText('algorithmSuite', v)
  }

  const ENCRYPT = ['keyring', 'encryptionContext', 'algorithmSuite', 'frameLength', 'commitmentPolicy',
    'requiredEncryptionContextKeys', 'maxEncryptedDataKeys']
  const DECRYPT = ['keyring', 'encryptionContext', 'requiredEncryptionContextKeys', 'commitmentPolicy',
    'maxEncryptedDataKeys', 'release']

  function encryptOptions(options) {
    const o = fieldsOf('the encrypt options', options, ENCRYPT)
    return [nativeKeyring('keyring', o.keyring), {
      encryptionContext: context('encryptionContext', o.encryptionContext),
      algorithmSuite: suite(o.algorithmSuite),
      frameLength: count('frameLength', o.frameLength, 0xffffffff),
      commitmentPolicy: optionalText('commitmentPolicy', o.commitmentPolicy),
      requiredEncryptionContextKeys: strings('requiredEncryptionContextKeys', o.requiredEncryptionContextKeys),
      maxEncryptedDataKeys: count('maxEncryptedDataKeys', o.maxEncryptedDataKeys, 0xffffffff),
    }]
  }

  function decryptOptions(options) {
    const o = fieldsOf('the decrypt options', options, DECRYPT)
    return [nativeKeyring('keyring', o.keyring), {
      encryptionContext: context('encryptionContext', o.encryptionContext),
      requiredEncryptionContextKeys: strings('requiredEncryptionContextKeys', o.requiredEncryptionContextKeys),
      commitmentPolicy: optionalText('commitmentPolicy', o.commitmentPolicy),
      maxEncryptedDataKeys: count('maxEncryptedDataKeys', o.maxEncryptedDataKeys, 0xffffffff),
      release: optionalText('release', o.release),
    }]
  }

  // ---------------------------------------------------------------------------- results
  function headerOf(info) {
    return {
      encryptionContext: info.encryptionContext,
      algorithmSuite: info.algorithmSuite,
      messageId: info.messageId,
      frameLength: info.frameLength ?? null,
    }
  }

  /** A native outcome: its value, or the rejection named after the KMS exception. */
  function settle(outcome) {
    if (outcome.code !== undefined && outcome.code !== null) throw kmsError(outcome.code, outcome.message ?? '')
    return outcome
  }

  function attempt(fn) {
    try {
      return fn().then(settle, (e) => { throw mapError(e) })
    } catch (e) {
      return Promise.reject(mapError(e))
    }
  }

  /** Inputs up to this size are processed in the call itself, into a Buffer from Node's
   *  allocator: ~0.3 ms of work at most (1 MiB took 0.14 ms here), less than what a thread-pool
   *  round trip, the copy of the input it needs and a fresh Rust buffer cost (0.3–0.6 ms per
   *  MiB measured). Larger inputs run on the libuv pool, off the event loop. */
  const INLINE_BYTES = 2 << 20

  /** Encrypts `plaintext` into one message; resolves to its bytes (a Buffer). */
  function encrypt(plaintext, options) {
    return attempt(() => {
      const data = bytes('plaintext', plaintext)
      const [keyring, o] = encryptOptions(options)
      if (data.length <= INLINE_BYTES) return Promise.resolve(native._envelopeEncryptNow(data, keyring, o))
      return native._envelopeEncrypt(data, keyring, o)
    }).then((o) => o.bytes)
  }

  /** Decrypts one whole message; nothing is returned unless every check passed. */
  function decrypt(message, options) {
    return attempt(() => {
      const data = bytes('message', message)
      const [keyring, o] = decryptOptions(options)
      if (data.length <= INLINE_BYTES) return Promise.resolve(native._envelopeDecryptNow(data, keyring, o))
      return native._envelopeDecrypt(data, keyring, o)
    }).then((o) => ({ plaintext: o.bytes, ...headerOf(o.info) }))
  }

  // ---------------------------------------------------------------------------- streaming
  /** A Transform over a native encryptor or decryptor: one native step per chunk (steps never
   *  overlap: a Transform waits for each callback), output pushed as it comes. */
  function transform(n, onInfo) {
    const run = (stream, step, cb) => {
      attempt(step).then((o) => {
        if (o.info && onInfo) onInfo(stream, headerOf(o.info))
        if (o.bytes.length > 0) stream.push(o.bytes)
        cb()
      }, cb)
    }
    return new Transform({
      transform(chunk, _encoding, cb) { run(this, () => n.update(chunk), cb) },
      flush(cb) { run(this, () => n.finish(), cb) },
    })
  }

  /** A `stream.Transform` from plaintext to one message. Bad options throw here; the keyring's
   *  and later errors are the stream's `'error'`. */
  function encryptStream(options) {
    const [keyring, o] = encryptOptions(options)
    return transform(call(() => new NativeEncryptor(keyring, o)))
  }

  /** A `stream.Transform` from a message to its plaintext; `'header'` is emitted with the
   *  header's contents once it has been authenticated. A bad message is the stream's
   *  `'error'`; what was released before depends on `release` (see the docs). */
  function decryptStream(options) {
    const [keyring, o] = decryptOptions(options)
    const s = transform(call(() => new NativeDecryptor(keyring, o)), (stream, header) => {
      stream.header = header
      stream.emit('header', header)
    })
    s.header = null
    return s
  }

  async function* chunks(n, source) {
    if (source === null || typeof source !== 'object' ||
      (typeof source[Symbol.asyncIterator] !== 'function' && typeof source[Symbol.iterator] !== 'function')) {
      throw invalid(`source must be an iterable or async iterable of Uint8Array, not ${describe(source)}`)
    }
    for await (const chunk of source) {
      const o = await attempt(() => n.update(bytes('chunk', chunk)))
      if (o.bytes.length > 0) yield o.bytes
    }
    const o = await attempt(() => n.finish())
    if (o.bytes.length > 0) yield o.bytes
  }

  /** The message of the plaintext chunks of `source` (an iterable or async iterable), as an
   *  async iterable of Buffers. */
  function encryptChunks(source, options) {
    const [keyring, o] = encryptOptions(options)
    return chunks(call(() => new NativeEncryptor(keyring, o)), source)
  }

  /** The plaintext of the message chunks of `source`, as an async iterable of Buffers; it
   *  throws at the first bad chunk or at the end of a bad message. */
  function decryptChunks(source, options) {
    const [keyring, o] = decryptOptions(options)
    return chunks(call(() => new NativeDecryptor(keyring, o)), source)
  }

  return Object.freeze({
    Keyring,
    RawAesKeyring,
    RawRsaKeyring,
    KmsKeyring,
    MultiKeyring,
    CachingKeyring,
    encrypt,
    decrypt,
    encryptStream,
    decryptStream,
    encryptChunks,
    decryptChunks,
  })
}
