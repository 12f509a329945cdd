// Shared by the Node addon's and the wasm package's tests (under Node): the local KMS class
// `Kms` used as the AWS SDK v3's KMS client is, with node:crypto as the independent check of
// what it signs and of the key material it imports. `kmskit` is the package's module;
// `operations` is core's operation list with method names ([["CreateKey", "createKey"], ...]).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createPublicKey, verify as cryptoVerify, constants, webcrypto, publicEncrypt, randomBytes } from 'node:crypto'
import { runKmsFlow, verifyWithWebCrypto } from './kms-flow.mjs'

const START = 1_767_225_600_000 // 2026-01-01T00:00:00Z
const golden = (name) => new Uint8Array(readFileSync(new URL(`../kms/${name}`, import.meta.url)))
const hex = (h) => Uint8Array.from(Buffer.from(h, 'hex'))
const text = (b) => Buffer.from(b).toString('utf8')

export function kmsSuite(kmskit, test, { operations }) {
  const { Kms } = kmskit

  test('Kms: the whole flow (testdata/js/kms-flow.mjs); node:crypto and WebCrypto verify the KMS signatures', async () => {
    const { checks, signatures } = await runKmsFlow(Kms)
    assert.ok(checks.length >= 35, `only ${checks.length} checks`)
    assert.equal(signatures.length, 3)
    for (const { algorithm, publicKey, message, signature } of signatures) {
      const key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' })
      const options = algorithm.startsWith('RSASSA_PSS')
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : { key }
      assert.equal(cryptoVerify('sha256', message, options, signature), true, algorithm)
      assert.equal(cryptoVerify('sha256', Buffer.from('other'), options, signature), false, algorithm)
      assert.equal(await verifyWithWebCrypto(webcrypto.subtle, { algorithm, publicKey, message, signature },
        kmskit.derToP1363), true, `${algorithm} (WebCrypto)`)
    }
  })

  test('Kms: one method per operation core implements, named as in the AWS SDK v3', () => {
    assert.ok(operations.length >= 39)
    const kms = new Kms()
    for (const [op, method] of operations) {
      assert.equal(method, op[0].toLowerCase() + op.slice(1))
      assert.equal(typeof kms[method], 'function', `${op} is not a method`)
    }
    for (const m of ['withRegion', 'call', 'now', 'setTime', 'advance', 'exportSnapshot', 'exportKeyBlob',
      'importKeyBlob', 'asPrincipal', 'putPrincipalPolicy', 'deletePrincipalPolicy', 'getPrincipalPolicies',
      'setPrincipalTags', 'lastDenial']) assert.equal(typeof kms[m], 'function', m)
    for (const m of ['fromSnapshot', 'fromSeed', 'seal', 'unseal', 'inspectSealed']) {
      assert.equal(typeof Kms[m], 'function', `Kms.${m}`)
    }
    for (const p of ['region', 'accountId', 'partition']) assert.equal(typeof kms[p], 'string', p)
  })

  test('Kms: every method returns a Promise; errors are rejections named after the KMS exception', async () => {
    const kms = new Kms()
    const calls = [() => kms.describeKey({ KeyId: 'nope' }), () => kms.encrypt('text'), () => kms.encrypt([1]),
      () => kms.call(1, 2), () => kms.setTime('tomorrow'), () => kms.advance(NaN), () => kms.listKeys({ Limit: 1n }),
      () => kms.encrypt({ KeyId: 'k', Plaintext: 'text' }), () => kms.encrypt({ KeyId: 'k', Plaintext: [1, 2] })]
    for (const call of calls) {
      const p = call()
      assert.ok(p instanceof Promise)
      await assert.rejects(p, (e) => e instanceof Error && /Exception$/.test(e.name) && e.code === e.name &&
        e.message.length > 0)
    }
    const now = kms.now()
    assert.ok(now instanceof Promise && (await now) instanceof Date)
  })

  test('Kms: bytes in as Uint8Array or Buffer (any offset), out as plain Uint8Array', async () => {
    const kms = new Kms({ seed: Buffer.from('bytes'), startTime: START })
    const { KeyMetadata } = await kms.createKey()
    const backing = Buffer.from('xxhello!yy')
    for (const Plaintext of [Buffer.from('hello!'), new Uint8Array(backing.buffer, backing.byteOffset + 2, 6),
      backing.subarray(2, 8)]) {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext })
      const { Plaintext: out } = await kms.decrypt({ CiphertextBlob: Buffer.from(CiphertextBlob) })
      assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype)
      assert.equal(out.byteOffset, 0)
      assert.equal(Buffer.from(out).toString(), 'hello!')
    }
    // a Date or bytes where KMS takes none: rejected by name
    await assert.rejects(kms.createKey({ Description: new Date() }), { name: 'ValidationException' })
    await assert.rejects(kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array(1),
      EncryptionContext: { a: new Uint8Array(1) } }), { name: 'ValidationException' })
    // an undefined field is an absent field, as in the SDK
    const { KeyMetadata: k2 } = await kms.createKey({ Description: undefined, KeySpec: undefined })
    assert.equal(k2.Description, '')
  })

  test('Kms: timestamps in requests as a Date or epoch seconds (ImportKeyMaterial ValidTo)', async () => {
    const kms = new Kms({ seed: Buffer.from('import'), startTime: new Date(START) })
    for (const [validTo, ms] of [[new Date(START + 3_600_000), START + 3_600_000], [START / 1000 + 7200, START + 7_200_000]]) {
      const { KeyMetadata: ext } = await kms.createKey({ Origin: 'EXTERNAL' })
      assert.equal(ext.KeyState, 'PendingImport')
      const { ParametersValidTo, PublicKey, ImportToken } = await kms.getParametersForImport({ KeyId: ext.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })
      assert.ok(ParametersValidTo instanceof Date && ParametersValidTo.getTime() > START)
      const wrapping = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' })
      const EncryptedKeyMaterial = publicEncrypt({ key: wrapping, padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256' }, randomBytes(32))
      await kms.importKeyMaterial({ KeyId: ext.KeyId, ImportToken, EncryptedKeyMaterial, ValidTo: validTo,
        ExpirationModel: 'KEY_MATERIAL_EXPIRES' })
      const { KeyMetadata } = await kms.describeKey({ KeyId: ext.KeyId })
      assert.equal(KeyMetadata.KeyState, 'Enabled')
      assert.ok(KeyMetadata.ValidTo instanceof Date)
      assert.equal(KeyMetadata.ValidTo.getTime(), ms)
    }
    await kms.advance(7_200_000)
    const { Keys } = await kms.listKeys()
    for (const { KeyId } of Keys) {
      assert.equal((await kms.describeKey({ KeyId })).KeyMetadata.KeyState, 'PendingImport', 'expired material')
    }
    await assert.rejects(kms.importKeyMaterial({ KeyId: Keys[0].KeyId, ImportToken: new Uint8Array(8),
      EncryptedKeyMaterial: new Uint8Array(8), ValidTo: new Date(NaN) }), { name: 'ValidationException' })
  })

  test('Kms: config (accountId, region, partition, the clock); bad values throw ValidationException', async () => {
    const kms = new Kms({ accountId: '123456789012', region: 'cn-north-1', partition: 'aws-cn' })
    assert.equal(kms.accountId, '123456789012')
    const { KeyMetadata } = await kms.createKey({})
    assert.match(KeyMetadata.Arn, /^arn:aws-cn:kms:cn-north-1:123456789012:key\//)
    assert.ok(Math.abs(KeyMetadata.CreationDate.getTime() - Date.now()) < 60_000, 'no startTime: the system clock')
    const seeded = new Kms({ seed: new Uint8Array([1]) })
    assert.equal((await seeded.now()).getTime(), START, 'seeded without startTime: 2026-01-01')
    for (const bad of [{ accountId: '12' }, { partition: 'mars' }, { region: 'US EAST' }, { seed: 'text' },
      { startTime: 'now' }, { accountId: 1 }, 'config']) {
      assert.throws(() => new Kms(bad), (e) => e.name === 'ValidationException' && e.code === e.name,
        JSON.stringify(bad))
    }
    await assert.rejects(kms.withRegion('Not A Region').listKeys(), { name: 'ValidationException' })
    assert.throws(() => kms.withRegion(5), { name: 'ValidationException' })
  })

  test('Kms: calls run in call order, across withRegion views', async () => {
    const kms = new Kms({ seed: new Uint8Array([7]) })
    const eu = kms.withRegion('eu-west-1')
    const order = []
    await Promise.all([
      kms.createKey({}).then(() => order.push('create')),
      kms.advance(1000).then(() => order.push('advance')),
      eu.now().then((d) => order.push(`now+${d.getTime() - START}`)),
      kms.listKeys().then((r) => order.push(`keys ${r.Keys.length}`)),
      eu.listKeys().then((r) => order.push(`eu keys ${r.Keys.length}`)),
    ])
    assert.deepEqual(order, ['create', 'advance', 'now+1000', 'keys 1', 'eu keys 0'])
  })

  test('Kms: the golden files of testdata/kms/ are made byte for byte and read back (manifest.json)', async () => {
    const m = JSON.parse(text(golden('manifest.json')))
    const config = { seed: new TextEncoder().encode(m.config.seed_utf8), startTime: m.config.start_time_ms }
    const kms = Kms.fromSeed(golden('seed.json'), config)
    const snapshot = await kms.exportSnapshot()
    assert.equal(Object.getPrototypeOf(snapshot), Uint8Array.prototype)
    assert.equal(text(snapshot), text(golden('snapshot.json')), 'snapshot.json')
    assert.equal(text(await kms.exportKeyBlob('alias/signing')), text(golden('key.json')), 'key.json')
    const replica = JSON.parse(text(golden('key-replica.json'))).key.key_id
    assert.equal(text(await kms.withRegion('eu-west-1').exportKeyBlob(replica)), text(golden('key-replica.json')),
      'key-replica.json')
    const key = hex(m.wrapping_key_hex)
    assert.deepEqual(await Kms.seal(snapshot, { key, nonce: hex(m.key_nonce_hex) }), golden('snapshot.key.enc'))
    const argon2 = { mCostKib: m.argon2.m_cost_kib, tCost: m.argon2.t_cost, pCost: m.argon2.p_cost }
    assert.deepEqual(await Kms.seal(snapshot, { passphrase: m.passphrase, argon2, salt: hex(m.salt_hex),
      nonce: hex(m.passphrase_nonce_hex) }), golden('snapshot.passphrase.enc'))
    // the manifest's calls, through the methods
    const method = Object.fromEntries(operations)
    let created
    for (const call of m.calls) {
      if (call.advance_ms !== undefined) {
        await kms.advance(call.advance_ms)
        continue
      }
      const request = { ...call.request }
      if (request.TargetKeyId === '<KeyId of the CreateKey response>') request.TargetKeyId = created
      const response = await kms[method[call.operation]](request)
      if (call.operation === 'CreateKey') created = response.KeyMetadata.KeyId
    }
    assert.equal(text(await kms.exportSnapshot()), text(golden('snapshot-after-calls.json')), 'snapshot-after-calls.json')

    // read back: restored snapshots export the same bytes; containers open to snapshot.json
    for (const name of ['snapshot.json', 'snapshot-after-calls.json']) {
      assert.deepEqual(await Kms.fromSnapshot(golden(name)).exportSnapshot(), golden(name), name)
      assert.deepEqual(await Kms.fromSnapshot(text(golden(name)), config).exportSnapshot(), golden(name), name)
    }
    assert.deepEqual(await Kms.unseal(golden('snapshot.key.enc'), { key }), golden('snapshot.json'))
    assert.deepEqual(await Kms.unseal(golden('snapshot.passphrase.enc'), { passphrase: m.passphrase }),
      golden('snapshot.json'))
    assert.deepEqual(Kms.inspectSealed(golden('snapshot.passphrase.enc')),
      { kdf: 'argon2id', argon2: { mCostKib: 64, tCost: 1, pCost: 1 }, plaintextLength: snapshot.length })
    assert.deepEqual(Kms.inspectSealed(golden('snapshot.key.enc')), { kdf: 'key', plaintextLength: snapshot.length })
    await assert.rejects(Kms.unseal(golden('snapshot.key.enc'), { key: new Uint8Array(32) }),
      { name: 'InvalidCiphertextException' })
    await assert.rejects(Kms.unseal(golden('snapshot.passphrase.enc'), { passphrase: 'wrong' }),
      { name: 'InvalidCiphertextException' })

    // a key blob moves a key into another KMS, and exports the same bytes there
    const other = new Kms({ seed: new Uint8Array([9]), startTime: START })
    const meta = await other.importKeyBlob(golden('key.json'))
    assert.ok(meta.CreationDate instanceof Date && meta.KeySpec === 'ECC_NIST_P256', JSON.stringify(meta))
    assert.equal(text(await other.exportKeyBlob(meta.KeyId)), text(golden('key.json')))
    await assert.rejects(other.importKeyBlob(golden('key.json')), { name: 'AlreadyExistsException' })
  })

  test('Kms: snapshots restore the keys (what was encrypted decrypts); malformed ones are ValidationException', async () => {
    const kms = new Kms({ seed: new Uint8Array([3]), startTime: START })
    const { KeyMetadata } = await kms.createKey({})
    await kms.createAlias({ AliasName: 'alias/moved', TargetKeyId: KeyMetadata.KeyId })
    const { CiphertextBlob } = await kms.encrypt({ KeyId: 'alias/moved', Plaintext: Buffer.from('kept') })
    const sealed = await Kms.seal(await kms.exportSnapshot(), { passphrase: 'pw', argon2: { mCostKib: 8, tCost: 1, pCost: 1 } })
    const restored = Kms.fromSnapshot(await Kms.unseal(sealed, { passphrase: new TextEncoder().encode('pw') }))
    assert.equal(text((await restored.decrypt({ CiphertextBlob })).Plaintext), 'kept')
    assert.equal((await restored.describeKey({ KeyId: 'alias/moved' })).KeyMetadata.KeyId, KeyMetadata.KeyId)
    assert.throws(() => Kms.fromSnapshot(Buffer.from('{}')), { name: 'ValidationException' })
    assert.throws(() => Kms.fromSnapshot(new Uint8Array(0), { region: 'eu-west-1' }), { name: 'ValidationException' })
    assert.throws(() => Kms.fromSeed('{"Keys": 1}'), { name: 'ValidationException' })
    await assert.rejects(Kms.seal(new Uint8Array(1), { key: new Uint8Array(31) }), { name: 'ValidationException' })
    await assert.rejects(Kms.seal(new Uint8Array(1), { key: new Uint8Array(32), nonce: new Uint8Array(3) }),
      { name: 'ValidationException' })
    await assert.rejects(Kms.seal(new Uint8Array(1), {}), { name: 'ValidationException' })
    await assert.rejects(kms.exportKeyBlob('alias/none'), { name: 'NotFoundException' })
  })

  test('Kms: callers — asPrincipal, IAM policies and tags, grants; denials explained', async () => {
    const ALICE = 'arn:aws:iam::111122223333:user/alice'
    const ROLE = 'arn:aws:iam::111122223333:role/app'
    const SESSION = 'arn:aws:sts::111122223333:assumed-role/app/worker'
    const kms = new Kms({ seed: new Uint8Array([5]), startTime: START })
    const { KeyMetadata: { KeyId } } = await kms.createKey({})
    const alice = kms.asPrincipal(ALICE)
    assert.equal(alice.principal, ALICE)
    assert.equal(kms.principal, null)
    assert.equal(alice.withRegion('eu-west-1').principal, ALICE, 'withRegion keeps the caller')
    const plaintext = new TextEncoder().encode('x')
    await assert.rejects(alice.encrypt({ KeyId, Plaintext: plaintext }), (e) => {
      assert.equal(e.name, 'AccessDeniedException')
      assert.equal(e.message, `User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ` +
        `arn:aws:kms:us-east-1:111122223333:key/${KeyId} because no identity-based policy allows the kms:Encrypt action`)
      assert.equal(e.decision.decision, 'IMPLICIT_DENY')
      assert.match(e.decision.explain(), /kms:Encrypt/)
      return true
    })
    assert.equal((await kms.lastDenial()).decision, 'IMPLICIT_DENY')
    await kms.putPrincipalPolicy(ALICE, 'enc', { Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }] })
    assert.deepEqual(Object.keys(await kms.getPrincipalPolicies(ALICE)), ['enc'])
    await kms.asPrincipal(ALICE, { 'aws:SourceIp': '192.0.2.7' }).encrypt({ KeyId, Plaintext: plaintext })
    await assert.rejects(kms.asPrincipal(ALICE, { 'aws:SourceIp': '203.0.113.1' }).encrypt({ KeyId, Plaintext: plaintext }),
      { name: 'AccessDeniedException' })
    assert.equal(await kms.deletePrincipalPolicy(ALICE, 'enc'), true)
    assert.equal(await kms.deletePrincipalPolicy(ALICE, 'enc'), false)
    await assert.rejects(kms.putPrincipalPolicy(ALICE, 'bad', { Statement: [] }), { name: 'MalformedPolicyDocumentException' })
    await assert.rejects(kms.putPrincipalPolicy('alice', 'p', '{}'), (e) => /Exception$/.test(e.name))
    assert.throws(() => kms.asPrincipal('nobody'), { name: 'ValidationException' })
    assert.throws(() => kms.asPrincipal(ALICE, 'not an object'), { name: 'ValidationException' })

    // principal tags, on a role's session
    await kms.putPrincipalPolicy(ROLE, 'tagged', { Version: '2012-10-17', Statement: [{ Effect: 'Allow',
      Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }] })
    const session = kms.asPrincipal(SESSION)
    await assert.rejects(session.describeKey({ KeyId }), { name: 'AccessDeniedException' })
    await kms.setPrincipalTags(ROLE, { team: 'blue' })
    assert.equal((await session.describeKey({ KeyId })).KeyMetadata.KeyId, KeyId)

    // a grant with a constraint lets the role's session encrypt with the right context only
    const grant = await kms.createGrant({ KeyId, GranteePrincipal: ROLE, Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { app: 'billing' } } })
    assert.equal(grant.GrantId.length, 64)
    const { CiphertextBlob } = await session.encrypt({ KeyId, Plaintext: plaintext, EncryptionContext: { app: 'billing' } })
    assert.deepEqual((await session.decrypt({ CiphertextBlob, EncryptionContext: { app: 'billing' } })).Plaintext, plaintext)
    await assert.rejects(session.encrypt({ KeyId, Plaintext: plaintext, EncryptionContext: { app: 'other' } }),
      (e) => e.name === 'AccessDeniedException' && e.decision.explain().includes(grant.GrantId))
    const { Grants } = await kms.listGrants({ KeyId })
    assert.equal(Grants.length, 1)
    assert.ok(Grants[0].CreationDate instanceof Date)
    assert.deepEqual(Grants[0].Constraints, { EncryptionContextSubset: { app: 'billing' } })
    await kms.revokeGrant({ KeyId, GrantId: grant.GrantId })
    await assert.rejects(session.encrypt({ KeyId, Plaintext: plaintext, EncryptionContext: { app: 'billing' } }),
      { name: 'AccessDeniedException' })
    // the raw protocol says why too
    await assert.rejects(alice.call('Encrypt', JSON.stringify({ KeyId, Plaintext: 'eA==' })),
      (e) => e.name === 'AccessDeniedException' && e.decision.decision === 'IMPLICIT_DENY')
  })
}
