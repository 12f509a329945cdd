// The local KMS used as the AWS SDK v3's KMS client is, shared by every JavaScript runtime's
// tests (native addon, wasm in Node, wasm in Chromium). `Kms` is the package's class.
// Only Web APIs here (no node: modules), so it runs in a page as it is; it returns what it
// signed so that each runtime checks the signatures with its own crypto (node:crypto,
// WebCrypto). It holds no kmskit logic, only "call, compare with what KMS documents".

const DAY_MS = 86_400_000
const enc = (s) => new TextEncoder().encode(s)
const text = (b) => new TextDecoder().decode(b)
const same = (a, b) => a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length &&
  a.every((x, i) => x === b[i])

/** Runs `promise`; it must reject with an Error whose `name` and `code` are `exception`. */
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

/**
 * The whole flow. Returns `{ checks, signatures }`: the names of the checks that passed, and
 * `{ algorithm, publicKey, message, signature }` for ECC and RSA signatures to verify outside.
 * Throws at the first failing check.
 */
export async function runKmsFlow(Kms) {
  const checks = []
  const ok = (cond, what) => {
    if (!cond) throw new Error(`check failed: ${what}`)
    checks.push(what)
  }
  const start = new Date('2026-01-01T00:00:00Z')
  const kms = new Kms({ seed: enc('kms flow'), startTime: start })
  ok(kms.region === 'us-east-1' && kms.accountId === '111122223333' && kms.partition === 'aws', 'defaults')

  // createKey / describeKey: dates are Date objects, as the SDK gives them
  const { KeyMetadata: meta } = await kms.createKey({ Description: 'flow', Tags: [{ TagKey: 'team', TagValue: 'x' }] })
  ok(meta.KeySpec === 'SYMMETRIC_DEFAULT' && meta.KeyUsage === 'ENCRYPT_DECRYPT' && meta.KeyState === 'Enabled',
    'createKey: a symmetric key by default')
  ok(meta.CreationDate instanceof Date && meta.CreationDate.getTime() === start.getTime(), 'CreationDate is a Date')
  ok(meta.Arn === `arn:aws:kms:us-east-1:111122223333:key/${meta.KeyId}`, 'the key ARN')
  ok((await kms.now()).getTime() === start.getTime(), 'now() is the configured start')
  const described = await kms.describeKey({ KeyId: meta.Arn })
  ok(described.KeyMetadata.Description === 'flow', 'describeKey by ARN')

  // aliases
  await kms.createAlias({ AliasName: 'alias/flow', TargetKeyId: meta.KeyId })
  await rejects(kms.createAlias({ AliasName: 'alias/flow', TargetKeyId: meta.KeyId }), 'AlreadyExistsException',
    'createAlias twice')
  const { Aliases } = await kms.listAliases({ KeyId: meta.KeyId })
  ok(Aliases.length === 1 && Aliases[0].AliasName === 'alias/flow' && Aliases[0].CreationDate instanceof Date,
    'listAliases')

  // encrypt / decrypt with an encryption context (whose keys may look like blob fields)
  const context = { purpose: 'flow', Message: 'text, not bytes', CreationDate: 'text too' }
  const e = await kms.encrypt({ KeyId: 'alias/flow', Plaintext: enc('hello'), EncryptionContext: context })
  ok(e.CiphertextBlob instanceof Uint8Array && e.KeyId === meta.Arn && e.EncryptionAlgorithm === 'SYMMETRIC_DEFAULT',
    'encrypt through the alias')
  const d = await kms.decrypt({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { ...context } })
  ok(d.Plaintext instanceof Uint8Array && text(d.Plaintext) === 'hello' && d.KeyId === meta.Arn, 'decrypt')
  await rejects(kms.decrypt({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { ...context, purpose: 'Flow' } }),
    'InvalidCiphertextException', 'decrypt under another context')
  await rejects(kms.decrypt({ CiphertextBlob: e.CiphertextBlob }), 'InvalidCiphertextException', 'decrypt without context')

  // data keys
  const dk = await kms.generateDataKey({ KeyId: meta.KeyId, KeySpec: 'AES_256', EncryptionContext: context })
  ok(dk.Plaintext.length === 32 && dk.CiphertextBlob instanceof Uint8Array, 'generateDataKey')
  const dkBack = await kms.decrypt({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: context })
  ok(same(dkBack.Plaintext, dk.Plaintext), 'the data key decrypts to its plaintext')
  const dkw = await kms.generateDataKeyWithoutPlaintext({ KeyId: meta.KeyId, NumberOfBytes: 16 })
  ok(dkw.Plaintext === undefined && dkw.CiphertextBlob.length > 16, 'generateDataKeyWithoutPlaintext')
  const rnd = await kms.generateRandom({ NumberOfBytes: 24 })
  ok(rnd.Plaintext instanceof Uint8Array && rnd.Plaintext.length === 24, 'generateRandom')

  // sign / verify: ECC and RSA
  const signatures = []
  for (const [KeySpec, SigningAlgorithm] of [['ECC_NIST_P256', 'ECDSA_SHA_256'], ['RSA_2048', 'RSASSA_PSS_SHA_256'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256']]) {
    const { KeyMetadata: k } = await kms.createKey({ KeySpec, KeyUsage: 'SIGN_VERIFY' })
    ok(k.SigningAlgorithms.includes(SigningAlgorithm), `${KeySpec}: SigningAlgorithms`)
    const message = enc(`signed with ${SigningAlgorithm}`)
    const s = await kms.sign({ KeyId: k.KeyId, Message: message, SigningAlgorithm })
    ok(s.Signature instanceof Uint8Array && s.SigningAlgorithm === SigningAlgorithm && s.KeyId === k.Arn,
      `${SigningAlgorithm}: sign`)
    const v = await kms.verify({ KeyId: k.KeyId, Message: message, Signature: s.Signature, SigningAlgorithm })
    ok(v.SignatureValid === true, `${SigningAlgorithm}: verify`)
    await rejects(kms.verify({ KeyId: k.KeyId, Message: enc('tampered'), Signature: s.Signature, SigningAlgorithm }),
      'KMSInvalidSignatureException', `${SigningAlgorithm}: a tampered message`)
    const { PublicKey, KeyUsage } = await kms.getPublicKey({ KeyId: k.KeyId })
    ok(PublicKey instanceof Uint8Array && PublicKey[0] === 0x30 && KeyUsage === 'SIGN_VERIFY', `${KeySpec}: getPublicKey`)
    signatures.push({ keySpec: KeySpec, algorithm: SigningAlgorithm, publicKey: PublicKey, message, signature: s.Signature })
  }
  const ecc = (await kms.listKeys()).Keys.length
  ok(ecc === 4, 'listKeys')
  await rejects(kms.sign({ KeyId: meta.KeyId, Message: enc('x'), SigningAlgorithm: 'ECDSA_SHA_256' }),
    'InvalidKeyUsageException', 'sign with an encryption key')

  // HMAC
  const { KeyMetadata: hmac } = await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
  const m = await kms.generateMac({ KeyId: hmac.KeyId, Message: enc('mac me'), MacAlgorithm: 'HMAC_SHA_256' })
  ok(m.Mac instanceof Uint8Array && m.Mac.length === 32, 'generateMac')
  const vm = await kms.verifyMac({ KeyId: hmac.KeyId, Message: enc('mac me'), Mac: m.Mac, MacAlgorithm: 'HMAC_SHA_256' })
  ok(vm.MacValid === true, 'verifyMac')
  await rejects(kms.verifyMac({ KeyId: hmac.KeyId, Message: enc('mac me!'), Mac: m.Mac, MacAlgorithm: 'HMAC_SHA_256' }),
    'KMSInvalidMacException', 'verifyMac of another message')

  // other Regions: same account and clock, their own keys
  const eu = kms.withRegion('eu-west-1')
  ok(eu.region === 'eu-west-1' && kms.region === 'us-east-1', 'withRegion')
  await rejects(eu.describeKey({ KeyId: meta.KeyId }), 'NotFoundException', 'a us-east-1 key in eu-west-1')
  const { KeyMetadata: euKey } = await eu.createKey({})
  ok(euKey.Arn.startsWith('arn:aws:kms:eu-west-1:111122223333:key/'), 'createKey in eu-west-1')
  ok((await eu.listKeys()).Keys.length === 1 && (await kms.listKeys()).Keys.length === 5, 'keys stay in their Region')

  // the raw protocol
  const raw = JSON.parse(await kms.call('Encrypt', JSON.stringify({ KeyId: meta.KeyId, Plaintext: 'aGk=' })))
  ok(typeof raw.CiphertextBlob === 'string', 'call(): base64 in JSON')
  const back = await kms.decrypt({ CiphertextBlob: Uint8Array.from(atob(raw.CiphertextBlob), (c) => c.charCodeAt(0)) })
  ok(text(back.Plaintext) === 'hi', 'call() and methods speak the same protocol')
  ok(JSON.parse(await kms.call('ListKeys')).Keys.length === 5, 'call() with the default body {}')
  await rejects(kms.call('TrentService.DescribeKey', '{"KeyId": 1}'), 'ValidationException', 'call() with a bad request')

  // deletion follows the clock
  const del = await kms.scheduleKeyDeletion({ KeyId: meta.KeyId, PendingWindowInDays: 7 })
  ok(del.KeyState === 'PendingDeletion' && del.DeletionDate instanceof Date &&
    del.DeletionDate.getTime() === start.getTime() + 7 * DAY_MS, 'scheduleKeyDeletion: DeletionDate')
  await rejects(kms.encrypt({ KeyId: meta.KeyId, Plaintext: enc('x') }), 'KMSInvalidStateException',
    'encrypt with a key pending deletion')
  await kms.advance(6 * DAY_MS)
  ok((await kms.describeKey({ KeyId: meta.KeyId })).KeyMetadata.KeyState === 'PendingDeletion', 'not yet gone after 6 days')
  await kms.advance(DAY_MS)
  ok((await kms.now()).getTime() === start.getTime() + 7 * DAY_MS, 'advance() moves now()')
  await rejects(kms.describeKey({ KeyId: meta.KeyId }), 'NotFoundException', 'gone after 7 days')
  await rejects(kms.describeKey({ KeyId: 'alias/flow' }), 'NotFoundException', 'its alias is gone too')
  await kms.setTime(new Date('2027-01-01T00:00:00Z'))
  ok((await kms.now()).toISOString() === '2027-01-01T00:00:00.000Z', 'setTime()')

  // errors by name, as AWS SDK v3 code branches on them
  await rejects(kms.createKey({ KeySpec: 'RSA_1024' }), 'ValidationException', 'an unknown key spec')
  await rejects(kms.describeKey({ KeyId: '00000000-0000-0000-0000-000000000000' }), 'NotFoundException', 'no such key')
  await rejects(kms.encrypt({ KeyId: euKey.KeyId, Plaintext: 'text' }), 'ValidationException', 'text for a blob')
  await rejects(kms.createKey({ Colour: 'blue' }), 'ValidationException', 'an unknown field')
  await rejects(eu.disableKey({}), 'ValidationException', 'a missing KeyId')
  ok(true, 'errors')

  // deterministic mode: the same seed gives the same keys and ciphertexts
  const again = async () => {
    const k = new Kms({ seed: enc('same'), startTime: start })
    const { KeyMetadata } = await k.createKey({})
    const { CiphertextBlob } = await k.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: enc('x') })
    return { id: KeyMetadata.KeyId, blob: CiphertextBlob }
  }
  const [a, b] = [await again(), await again()]
  ok(a.id === b.id && same(a.blob, b.blob), 'seeded: the same keys and ciphertexts')
  return { checks, signatures }
}

/** Verifies one of `runKmsFlow`'s signatures with WebCrypto (`subtle`), as a browser would. */
export async function verifyWithWebCrypto(subtle, { algorithm, publicKey, message, signature }, derToP1363) {
  if (algorithm === 'ECDSA_SHA_256') {
    const key = await subtle.importKey('spki', publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
    return subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, derToP1363(signature, 'ECC_NIST_P256'), message)
  }
  const pss = algorithm.startsWith('RSASSA_PSS')
  const name = pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5'
  const key = await subtle.importKey('spki', publicKey, { name, hash: 'SHA-256' }, false, ['verify'])
  return subtle.verify(pss ? { name, saltLength: 32 } : { name }, key, signature, message)
}
