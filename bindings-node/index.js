'use strict'
// The public entry point: the napi-generated loader (native.js) plus what is conversion only,
// no KMS logic:
// - error mapping: native errors carry the KMS exception name in `code`; it is copied to
//   `name` so `err.name === 'ValidationException'` works as with the AWS SDK;
// - authorization: `evaluate` and the `PolicySet` class (over the native `_NativePolicySet`)
//   take objects or JSON text and return `Decision` objects (the native side speaks JSON text);
// - the `Kms` class (the local KMS, AWS SDK v3 style) over the native `_NativeKms`: one method
//   per operation of core's list, request objects to the KMS JSON protocol and back (bytes as
//   base64, dates as epoch seconds, by field name with core's field lists).
const native = require('./native.js')

const NativeKms = native._NativeKms

function mapError(e) {
  if (e instanceof Error && typeof e.code === 'string' && e.code.endsWith('Exception')) {
    e.name = e.code
  }
  return e
}

function wrap(fn) {
  return function (...args) {
    let out
    try {
      out = fn.apply(this, args)
    } catch (e) {
      throw mapError(e)
    }
    return out instanceof Promise ? out.catch((e) => { throw mapError(e) }) : out
  }
}

for (const [name, value] of Object.entries(native)) {
  if (value === undefined) continue
  // functions with error mapping; the internal classes as they are
  module.exports[name] = typeof value === 'function' && !/^_?[A-Z]/.test(name) ? wrap(value) : value
}

// ------------------------------------------------------------------------------ authorization
// Documents, requests and grants cross as JSON text: text as it is, anything else through
// JSON.stringify (which keeps the IAM policies' order, embeds documents given as text as JSON
// strings, which core reads as policy text, and writes a Date CreationDate as ISO 8601).

const NativePolicySet = native._NativePolicySet

function jsonText(v) {
  if (typeof v === 'string') return v
  let text
  try {
    text = JSON.stringify(v)
  } catch (e) {
    throw kmsError('ValidationException', `not JSON-serializable: ${e.message}`)
  }
  if (text === undefined) throw kmsError('ValidationException', `${describe(v)} is not a JSON value`)
  return text
}
const optionalJson = (v) => (v == null ? undefined : jsonText(v))

// PascalCase field names (core's JSON) to camelCase, at any depth.
const camelCase = (v) => Array.isArray(v) ? v.map(camelCase)
  : v !== null && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k[0].toLowerCase() + k.slice(1), camelCase(x)]))
    : v

const EVALUATION = Symbol('kmskit evaluation')
// Only this module makes Decisions (as kmskit-wasm, whose Decision has no public constructor).
const MAKE_DECISION = Symbol('kmskit decision')

/** An authorization decision and everything that led to it (core's `Evaluation`). */
class Decision {
  constructor(token, evaluation) {
    if (token !== MAKE_DECISION) {
      throw new TypeError('Decision objects come from evaluate() and PolicySet.evaluate()')
    }
    this[EVALUATION] = evaluation
  }

  /** `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`. */
  get decision() { return this[EVALUATION].Decision }
  get allowed() { return this[EVALUATION].Decision === 'ALLOW' }
  /** `key_policy`, `iam:<name>`, `grant:<GrantId>`, `account_root`; null for an implicit deny. */
  get source() { return this[EVALUATION].Source }
  /** The deciding statement, or null. */
  get statement() { return camelCase(this[EVALUATION].Statement) }
  /** Every statement that applied, in evaluation order. */
  get statements() { return camelCase(this[EVALUATION].Statements) }
  /** Every statement and grant looked at, and why it did or did not apply. */
  get steps() { return camelCase(this[EVALUATION].Steps) }
  get notes() { return [...this[EVALUATION].Notes] }
  /** A readable account: one line per statement and grant, and why. */
  explain() { return this[EVALUATION].Explanation }
  /** Core's evaluation as JSON (PascalCase, as in KMS shapes), with `Explanation`. */
  toJSON() { return structuredClone(this[EVALUATION]) }
  get [Symbol.toStringTag]() { return 'Decision' }
}

const decisionOf = (text) => new Decision(MAKE_DECISION, JSON.parse(text))

/** Decides a KMS request as KMS does: key policy + the caller's IAM policies + grants. */
function evaluate(request, keyPolicy, iamPolicies, grants) {
  try {
    return decisionOf(native.evaluate(jsonText(request), optionalJson(keyPolicy), optionalJson(iamPolicies),
      optionalJson(grants)))
  } catch (e) {
    throw mapError(e)
  }
}

const policySets = new WeakMap()

function nativeSet(set) {
  const n = policySets.get(set)
  if (n === undefined) throw new TypeError('not a kmskit PolicySet (a method called on another object?)')
  return n
}

// The requests' texts as one JSON list, decided in one native call; a text holding more than
// one request (`{...},{...}`) would shift every decision after it, so the count must match.
function decideTexts(set, texts) {
  const decisions = set.decideMany(`[${texts.join(',')}]`)
  if (decisions.length !== texts.length) {
    throw kmsError('ValidationException', `${texts.length} requests given, but their JSON text holds ${decisions.length}`)
  }
  return decisions
}

/** A key policy, IAM policies and grants parsed once, to decide many requests. */
class PolicySet {
  constructor(keyPolicy = null, iamPolicies = undefined, grants = undefined) {
    try {
      policySets.set(this, new NativePolicySet(optionalJson(keyPolicy), optionalJson(iamPolicies), optionalJson(grants)))
    } catch (e) {
      throw mapError(e)
    }
  }

  /** The decision for one request, with its explanation. */
  evaluate(request) {
    try {
      return decisionOf(nativeSet(this).evaluate(jsonText(request)))
    } catch (e) {
      throw mapError(e)
    }
  }

  /** Just the decision: `ALLOW`, `EXPLICIT_DENY` or `IMPLICIT_DENY`. */
  decide(request) {
    try {
      return decideTexts(nativeSet(this), [jsonText(request)])[0]
    } catch (e) {
      throw mapError(e)
    }
  }

  /** The decision for each request, in one native call. */
  decideMany(requests) {
    try {
      if (requests === null || typeof requests !== 'object' || typeof requests[Symbol.iterator] !== 'function') {
        throw kmsError('ValidationException', `requests must be a list, not ${describe(requests)}`)
      }
      return decideTexts(nativeSet(this), Array.from(requests, jsonText))
    } catch (e) {
      throw mapError(e)
    }
  }

  get [Symbol.toStringTag]() { return 'PolicySet' }
}

module.exports.evaluate = evaluate
module.exports.Decision = Decision
module.exports.PolicySet = PolicySet

// ------------------------------------------------------------------------------ the local KMS

/** An Error named (and coded) after a KMS exception, as the AWS SDK v3 rejects with. */
function kmsError(code, message) {
  const e = new Error(message)
  e.name = code
  e.code = code
  return e
}

const BLOB_FIELDS = new Set(NativeKms.blobFields())
const TIMESTAMP_FIELDS = new Set(NativeKms.timestampFields())
const MAP_FIELDS = new Set(NativeKms.mapFields())

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) &&
  !(v instanceof Uint8Array) && !(v instanceof Date)
const describe = (v) => v === null ? 'null' : Array.isArray(v) ? 'an array'
  : typeof v === 'object' ? `a ${v.constructor?.name ?? 'object'}` : `a ${typeof v}`

/** epoch seconds of a Date (or a number already in seconds) */
function seconds(name, v) {
  if (v instanceof Date) {
    const ms = v.getTime()
    if (Number.isNaN(ms)) throw kmsError('ValidationException', `${name} is an invalid Date`)
    return ms / 1000
  }
  return v
}

/** A request value to its JSON protocol form (`key`: its field name; `inMap`: inside an
 *  encryption context, where keys are the caller's and values plain text). */
function toWire(value, key, inMap) {
  if (value === null || value === undefined) return value
  if (!inMap && BLOB_FIELDS.has(key)) {
    if (!(value instanceof Uint8Array)) {
      throw kmsError('ValidationException', `${key} must be a Uint8Array (or Buffer), not ${describe(value)}; ` +
        'text is not encoded implicitly: pass new TextEncoder().encode(text)')
    }
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  }
  if (!inMap && TIMESTAMP_FIELDS.has(key)) return seconds(key, value)
  if (value instanceof Uint8Array || value instanceof Date) {
    throw kmsError('ValidationException', `${key}: ${describe(value)} where KMS takes none`)
  }
  if (Array.isArray(value)) return value.map((v) => toWire(v, key, inMap))
  if (typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toWire(v, k, inMap || MAP_FIELDS.has(k))
    }
    return out
  }
  return value
}

/** A JSON response value to JavaScript: blobs to Uint8Array, timestamps to Date. */
function fromWire(value, key, inMap) {
  if (!inMap && typeof value === 'string' && BLOB_FIELDS.has(key)) {
    return new Uint8Array(Buffer.from(value, 'base64'))
  }
  if (!inMap && typeof value === 'number' && TIMESTAMP_FIELDS.has(key)) {
    return new Date(Math.round(value * 1000))
  }
  if (Array.isArray(value)) return value.map((v) => fromWire(v, key, inMap))
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) value[k] = fromWire(value[k], k, inMap || MAP_FIELDS.has(k))
  }
  return value
}

function toMs(name, t) {
  if (t instanceof Date) t = t.getTime()
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw kmsError('ValidationException', `${name} must be a Date or a number of milliseconds, not ${describe(t)}`)
  }
  return Math.trunc(t)
}

// Per instance: the native view (its Region) and what all views of one KMS share: the queue.
const internals = new WeakMap()

function state(kms) {
  const s = internals.get(kms)
  if (s === undefined) throw new TypeError('not a kmskit Kms (a method called on another object?)')
  return s
}

/** Runs `job` after everything queued before it on this KMS (calls run in call order). */
function enqueue(s, job) {
  const run = s.shared.tail.then(job)
  s.shared.tail = run.then(() => {}, () => {})
  return run
}

/** A native task's outcome: the JSON response text or the bytes (a plain Uint8Array), or a
 *  rejection named after the exception. */
function settle(outcome) {
  if (outcome.code !== undefined && outcome.code !== null) throw kmsError(outcome.code, outcome.message ?? '')
  if (outcome.bytes !== undefined && outcome.bytes !== null) return new Uint8Array(outcome.bytes)
  return outcome.response
}

/** Bytes of an argument: a Uint8Array, or (`text`) a string as its UTF-8 bytes. */
function bytesOf(name, v, text = false) {
  if (v instanceof Uint8Array) return v
  if (text && typeof v === 'string') return Buffer.from(v, 'utf8')
  throw kmsError('ValidationException', `${name} must be a Uint8Array${text ? ' or a string' : ''}, not ${describe(v)}`)
}

/** A native call that rejects instead of throwing. */
function attempt(fn) {
  try {
    return fn()
  } catch (e) {
    return Promise.reject(mapError(e))
  }
}

/** The native arguments of a `KmsConfig` (checked types; values are core's to judge). */
function configOf(config, allowed = ['accountId', 'region', 'partition', 'seed', 'startTime']) {
  if (config === null || typeof config !== 'object') {
    throw kmsError('ValidationException', `the Kms configuration must be an object, not ${describe(config)}`)
  }
  for (const k of Object.keys(config)) {
    if (config[k] !== undefined && !allowed.includes(k)) {
      throw kmsError('ValidationException', `${k} is not a configuration field here (${allowed.join(', ')})`)
    }
  }
  const { accountId, region, partition, seed, startTime } = config
  for (const [name, v] of Object.entries({ accountId, region, partition })) {
    if (v !== undefined && typeof v !== 'string') {
      throw kmsError('ValidationException', `${name} must be a string, not ${describe(v)}`)
    }
  }
  if (seed !== undefined && !(seed instanceof Uint8Array)) {
    throw kmsError('ValidationException', `seed must be a Uint8Array, not ${describe(seed)}`)
  }
  const start = startTime === undefined ? undefined : toMs('startTime', startTime)
  return { accountId, region, partition, seed, start }
}

function send(kms, operation, input) {
  let s, body
  try {
    s = state(kms)
    if (input !== undefined && input !== null && !isRecord(input)) {
      throw kmsError('ValidationException', `the ${operation} request must be an object, not ${describe(input)}`)
    }
    const wire = toWire(input ?? {}, '', false)
    try {
      body = JSON.stringify(wire)
    } catch (e) {
      throw kmsError('ValidationException', `the ${operation} request is not JSON-serializable: ${e.message}`)
    }
  } catch (e) {
    return Promise.reject(e)
  }
  return enqueue(s, () => s.native.call(operation, body).then((outcome) => explained(s, outcome)))
    .then((outcome) => fromWire(JSON.parse(settle(outcome)), '', false))
}

/** An AccessDeniedException outcome carries why, read before the next call can replace it. */
function explained(s, outcome) {
  if (outcome.code === 'AccessDeniedException') {
    const why = s.native.lastDenial()
    if (why != null) {
      const e = kmsError(outcome.code, outcome.message ?? '')
      e.decision = decisionOf(why)
      throw e
    }
  }
  return outcome
}

/** Runs a synchronous native step in queue order; its errors become rejections. */
function queued(kms, step) {
  let s
  try {
    s = state(kms)
  } catch (e) {
    return Promise.reject(e)
  }
  return enqueue(s, () => {
    try {
      return step(s.native)
    } catch (e) {
      throw mapError(e)
    }
  })
}

const VIEW = Symbol('kmskit view')

function fromNative(make) {
  let n
  try {
    n = make()
  } catch (e) {
    throw mapError(e)
  }
  return new Kms(VIEW, { native: n, shared: { tail: Promise.resolve() } })
}

function sealOptions(options, allowed = ['key', 'passphrase', 'argon2', 'salt', 'nonce']) {
  if (options === null || typeof options !== 'object') {
    throw kmsError('ValidationException', `the options must be an object with a key or a passphrase, not ${describe(options)}`)
  }
  for (const k of Object.keys(options)) {
    if (options[k] !== undefined && !allowed.includes(k)) {
      throw kmsError('ValidationException', `${k} is not an option here (${allowed.join(', ')})`)
    }
  }
  const { key, passphrase, argon2, salt, nonce } = options
  const out = {
    key: key === undefined ? undefined : bytesOf('key', key),
    passphrase: passphrase === undefined ? undefined : bytesOf('passphrase', passphrase, true),
    salt: salt === undefined ? undefined : bytesOf('salt', salt),
    nonce: nonce === undefined ? undefined : bytesOf('nonce', nonce),
    argon2,
  }
  if (argon2 !== undefined) {
    if (argon2 === null || typeof argon2 !== 'object') {
      throw kmsError('ValidationException', `argon2 must be { mCostKib, tCost, pCost }, not ${describe(argon2)}`)
    }
    for (const k of ['mCostKib', 'tCost', 'pCost']) {
      const v = argon2[k]
      if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
        throw kmsError('ValidationException', `argon2.${k} must be a whole number, not ${describe(v)}`)
      }
    }
  }
  return out
}

/**
 * A local AWS KMS: one account with keys in every Region, in memory. Its methods are the KMS
 * operations in camelCase (`createKey`, `encrypt`, ...), as on the AWS SDK v3's aggregated
 * `KMS` client: they take and return objects with KMS's field names, bytes as `Uint8Array`,
 * timestamps as `Date`, and return Promises. The work runs off the event loop.
 */
class Kms {
  constructor(config = {}, view = undefined) {
    if (config === VIEW) {
      internals.set(this, view)
      return
    }
    const c = configOf(config)
    let n
    try {
      n = new NativeKms(c.accountId, c.region, c.partition, c.seed, c.start)
    } catch (e) {
      throw mapError(e)
    }
    internals.set(this, { native: n, shared: { tail: Promise.resolve() } })
  }

  /** A KMS restored from a snapshot (`exportSnapshot`'s bytes, or its text). The snapshot
   *  names the account, partition and default Region; `config` gives the clock and the seed. */
  static fromSnapshot(snapshot, config = {}) {
    const bytes = bytesOf('snapshot', snapshot, true)
    const c = configOf(config, ['seed', 'startTime'])
    return fromNative(() => NativeKms.fromSnapshot(bytes, c.seed, c.start))
  }

  /** A KMS made from a seed file (docs/formats.md, "Seed file"; bytes or text). */
  static fromSeed(seedFile, config = {}) {
    const bytes = bytesOf('seedFile', seedFile, true)
    const c = configOf(config)
    return fromNative(() => NativeKms.fromSeed(bytes, c.accountId, c.region, c.partition, c.seed, c.start))
  }

  /** Encrypts bytes (a snapshot, a key blob, anything) into kmskit's container: under a
   *  32-byte `key`, or under a `passphrase` with Argon2id (`argon2: { mCostKib, tCost, pCost }`).
   *  `nonce` (and `salt`) make it reproducible: for test vectors only. */
  static seal(plaintext, options) {
    return attempt(() => {
      const data = bytesOf('plaintext', plaintext)
      const o = sealOptions(options)
      const a = o.argon2 ?? {}
      return NativeKms.seal(data, o.key, o.passphrase, a.mCostKib, a.tCost, a.pCost, o.salt, o.nonce).then(settle)
    })
  }

  /** The plaintext of a container, with its `key` or `passphrase`. */
  static unseal(container, options) {
    return attempt(() => {
      const data = bytesOf('container', container)
      const o = sealOptions(options, ['key', 'passphrase'])
      return NativeKms.unseal(data, o.key, o.passphrase).then(settle)
    })
  }

  /** What a container's header says: `{ kdf: 'key' | 'argon2id', argon2?, plaintextLength }`. */
  static inspectSealed(container) {
    const data = bytesOf('container', container)
    try {
      return JSON.parse(NativeKms.inspectSealed(data))
    } catch (e) {
      throw mapError(e)
    }
  }

  /** The snapshot of the whole KMS (every Region): canonical JSON bytes, holding key material
   *  in plaintext (see `Kms.seal`). */
  exportSnapshot() {
    return queued(this, (n) => n.exportSnapshot()).then(settle)
  }

  /** The key blob of one key (key ID, ARN or alias) in this object's Region, with its aliases. */
  exportKeyBlob(keyId) {
    if (typeof keyId !== 'string') {
      return Promise.reject(kmsError('ValidationException', `keyId must be a string, not ${describe(keyId)}`))
    }
    return queued(this, (n) => n.exportKeyBlob(keyId)).then(settle)
  }

  /** Adds the key of a key blob (in the Region it names); resolves to its KeyMetadata. */
  importKeyBlob(keyBlob) {
    let bytes
    try {
      bytes = bytesOf('keyBlob', keyBlob, true)
    } catch (e) {
      return Promise.reject(e)
    }
    return queued(this, (n) => n.importKeyBlob(bytes)).then(settle)
      .then((text) => fromWire({ KeyMetadata: JSON.parse(text) }, '', false).KeyMetadata)
  }

  /** The same KMS (account, keys, clock) with calls in `region`. */
  withRegion(region) {
    if (typeof region !== 'string') {
      throw kmsError('ValidationException', `region must be a string, not ${describe(region)}`)
    }
    const s = state(this)
    return new Kms(VIEW, { native: s.native.withRegion(region), shared: s.shared })
  }

  /** The same KMS (account, keys, clock) and Region, calling as `principal` (an IAM user,
   *  role, assumed-role session or account ARN) with the request `context` it brings
   *  (`{ 'aws:SourceIp': '192.0.2.1' }`, ...): what a client with that principal's
   *  credentials would be. Every request is authorized by the key policy, the principal's IAM
   *  policies (`putPrincipalPolicy`) and the key's grants; a denial rejects with an
   *  `AccessDeniedException` whose `decision` explains it. */
  asPrincipal(principal, context = {}) {
    if (typeof principal !== 'string') {
      throw kmsError('ValidationException', `principal must be an ARN string, not ${describe(principal)}`)
    }
    if (!isRecord(context)) {
      throw kmsError('ValidationException', `context must be an object of condition keys, not ${describe(context)}`)
    }
    const s = state(this)
    let native
    try {
      native = s.native.asCaller(JSON.stringify({ Principal: principal, Context: context }))
    } catch (e) {
      throw mapError(e)
    }
    return new Kms(VIEW, { native, shared: s.shared })
  }

  /** Who this object calls as: a principal ARN, or null for the account root. */
  get principal() { return state(this).native.principal() ?? null }

  /** Attaches (or replaces) the IAM identity policy `name` of an IAM user or role (what
   *  iam:PutUserPolicy / iam:PutRolePolicy do); a role's sessions get it. The document is an
   *  object or its JSON text. */
  putPrincipalPolicy(principal, name, document) {
    return queued(this, (n) => { n.putPrincipalPolicy(principal, name, jsonText(document)) })
  }

  /** Detaches an IAM identity policy; resolves to whether it was attached. */
  deletePrincipalPolicy(principal, name) {
    return queued(this, (n) => n.deletePrincipalPolicy(principal, name))
  }

  /** A principal's IAM identity policies: `{ name: documentText }` in attachment order. */
  getPrincipalPolicies(principal) {
    return queued(this, (n) => Object.fromEntries(n.principalPolicies(principal)))
  }

  /** Sets a principal's tags (`aws:PrincipalTag/<key>` in its requests). */
  setPrincipalTags(principal, tags) {
    if (!isRecord(tags)) {
      return Promise.reject(kmsError('ValidationException', `tags must be an object, not ${describe(tags)}`))
    }
    return queued(this, (n) => { n.setPrincipalTags(principal, tags) })
  }

  /** Why the last AccessDeniedException of this KMS was raised (a `Decision`), or null. */
  lastDenial() {
    return queued(this, (n) => {
      const text = n.lastDenial()
      return text == null ? null : decisionOf(text)
    })
  }

  /** The Region of this object's calls. */
  get region() { return state(this).native.region() }

  /** The account ID. */
  get accountId() { return state(this).native.accountId() }

  /** The partition. */
  get partition() { return state(this).native.partition() }

  /** The raw JSON protocol: `call('Encrypt', '{"KeyId":"...","Plaintext":"aGk="}')` (default body `{}`). */
  call(operation, requestJson = '{}') {
    let s
    try {
      s = state(this)
      if (typeof operation !== 'string' || typeof requestJson !== 'string') {
        throw kmsError('ValidationException', 'call(operation, requestJson) takes two strings')
      }
    } catch (e) {
      return Promise.reject(e)
    }
    return enqueue(s, () => s.native.call(operation, requestJson).then((o) => explained(s, o))).then(settle)
  }

  /** The KMS clock. */
  now() { return queued(this, (n) => new Date(n.nowMs())) }

  /** Sets the KMS clock (a Date, or ms since the Unix epoch); due deletions, rotations and
   *  expirations happen on the next call. */
  setTime(time) {
    let ms
    try {
      ms = toMs('time', time)
    } catch (e) {
      return Promise.reject(e)
    }
    return queued(this, (n) => { n.setTimeMs(ms) })
  }

  /** Moves the KMS clock forward by `ms` milliseconds. */
  advance(ms) {
    try {
      ms = toMs('ms', ms)
    } catch (e) {
      return Promise.reject(e)
    }
    return queued(this, (n) => { n.advanceMs(ms) })
  }

  get [Symbol.toStringTag]() { return 'Kms' }
}

// One method per operation core implements, named by core (`GenerateDataKey` → `generateDataKey`).
for (const [operation, method] of NativeKms.operations()) {
  if (method in Kms.prototype) throw new Error(`kmskit: the operation ${operation} would replace Kms.${method}`)
  const fn = { [method](input) { return send(this, operation, input) } }[method]
  Object.defineProperty(Kms.prototype, method, { value: fn, writable: true, configurable: true })
}

module.exports.Kms = Kms

// ------------------------------------------------------------------------------ envelope
// Envelope encryption in the AWS Encryption SDK message format: `envelope.encrypt`, keyrings,
// streams (envelope.js over the native _NativeKeyring, _NativeEncryptor, _NativeDecryptor).
module.exports.envelope = require('./envelope.js')(native, {
  kmsError, mapError, describe, nativeKms: (kms) => state(kms).native,
})
