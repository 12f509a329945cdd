// Shared by the Node addon's and the wasm package's tests: the offline API cross-checked with
// node:crypto (OpenSSL inside Node) as the independent implementation. Results are wrapped in
// Buffer so that the addon (Buffer) and wasm (Uint8Array) compare alike.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'

export function crosscheckSuite(raw, test) {
  const B = (x) => (x instanceof Uint8Array ? Buffer.from(x) : x)
  const kmskit = new Proxy(raw, {
    get: (target, name) => (typeof target[name] === 'function' ? (...a) => B(target[name](...a)) : target[name]),
  })
  const MESSAGE = Buffer.from('kmskit offline cross-check')
  const spki = (k) => k.publicKey.export({ type: 'spki', format: 'der' })
  const pkcs8Pem = (k) => k.privateKey.export({ type: 'pkcs8', format: 'pem' })
  const hash = (alg, data) => crypto.createHash(alg).update(data).digest()
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })

  test('RSA signatures from node:crypto verify (PSS salt = hash length, PKCS#1 v1.5, RAW and DIGEST)', () => {
    for (const bits of ['256', '384', '512']) {
      const pss = crypto.sign(`sha${bits}`, MESSAGE, {
        key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8,
      })
      const v15 = crypto.sign(`sha${bits}`, MESSAGE, rsa.privateKey)
      const digest = hash(`sha${bits}`, MESSAGE)
      assert.equal(kmskit.verify(spki(rsa), MESSAGE, pss, `RSASSA_PSS_SHA_${bits}`), true)
      assert.equal(kmskit.verify(spki(rsa), digest, pss, `RSASSA_PSS_SHA_${bits}`, 'DIGEST'), true)
      assert.equal(kmskit.verify(spki(rsa), MESSAGE, v15, `RSASSA_PKCS1_V1_5_SHA_${bits}`), true)
      assert.equal(kmskit.verify(spki(rsa), digest, v15, `RSASSA_PKCS1_V1_5_SHA_${bits}`, 'DIGEST'), true)
      assert.equal(kmskit.verify(spki(rsa), digest, v15, `RSASSA_PKCS1_V1_5_SHA_${bits}`, 'RAW'), false)
    }
    // a maximal PSS salt (node's default) is not what KMS makes or accepts
    const maxSalt = crypto.sign('sha256', MESSAGE, { key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING })
    assert.equal(kmskit.verify(spki(rsa), MESSAGE, maxSalt, 'RSASSA_PSS_SHA_256'), false)
  })

  test('ECDSA: DER signatures verify; P1363 conversion matches node; low-S', () => {
    for (const [curve, alg, spec, h] of [['P-256', 'ECDSA_SHA_256', 'ECC_NIST_P256', 'sha256'],
      ['P-384', 'ECDSA_SHA_384', 'ECC_NIST_P384', 'sha384'], ['P-521', 'ECDSA_SHA_512', 'ECC_NIST_P521', 'sha512'],
      ['secp256k1', 'ECDSA_SHA_256', 'ECC_SECG_P256K1', 'sha256']]) {
      const k = crypto.generateKeyPairSync('ec', { namedCurve: curve })
      const der = crypto.sign(h, MESSAGE, k.privateKey)
      assert.equal(kmskit.verify(spki(k), MESSAGE, der, alg), true, curve)
      assert.equal(kmskit.verify(spki(k), hash(h, MESSAGE), der, alg, 'DIGEST'), true, curve)
      const p1363 = kmskit.derToP1363(der, spec)
      assert.equal(crypto.verify(h, MESSAGE, { key: k.publicKey, dsaEncoding: 'ieee-p1363' }, p1363), true, curve)
      assert.deepEqual(kmskit.p1363ToDer(p1363, spec), der)
      const low = kmskit.normalizeLowS(der, spec)
      assert.equal(crypto.verify(h, MESSAGE, k.publicKey, low), true, curve)
      assert.equal(kmskit.normalizeLowS(low, spec).equals(low), true)
    }
  })

  test('secp256k1 recovery id flips with normalization', () => {
    const k = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
    const digest = hash('sha256', MESSAGE)
    const der = crypto.sign('sha256', MESSAGE, k.privateKey)
    assert.equal(kmskit.verify(spki(k), digest, der, 'ECDSA_SHA_256', 'DIGEST'), true)
    const low = kmskit.normalizeLowS(der, 'ECC_SECG_P256K1')
    const v = kmskit.secp256k1RecoveryId(spki(k), digest, low)
    assert.ok(v === 0 || v === 1)
    if (!low.equals(der)) assert.equal(kmskit.secp256k1RecoveryId(spki(k), digest, der), v ^ 1)
  })

  test('Ed25519 and describePublicKey JWK match node:crypto', () => {
    const k = crypto.generateKeyPairSync('ed25519')
    assert.equal(kmskit.verify(spki(k), MESSAGE, crypto.sign(null, MESSAGE, k.privateKey), 'ED25519_SHA_512'), true)
    const d = kmskit.describePublicKey(spki(k))
    assert.equal(d.keySpec, 'ECC_NIST_EDWARDS25519')
    assert.deepEqual(JSON.parse(d.jwk), k.publicKey.export({ format: 'jwk' }))
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const e = kmskit.describePublicKey(spki(ec))
    assert.deepEqual(JSON.parse(e.jwk), ec.publicKey.export({ format: 'jwk' }))
    assert.equal(e.pem, ec.publicKey.export({ type: 'spki', format: 'pem' }))
    assert.deepEqual(e.keyAgreementAlgorithms, ['ECDH'])
    assert.equal(e.sec1Uncompressed.length, 97)
    const r = kmskit.describePublicKey(spki(rsa))
    assert.deepEqual(JSON.parse(r.jwk), rsa.publicKey.export({ format: 'jwk' }))
    assert.deepEqual(r.encryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'])
    assert.equal(r.sec1Uncompressed, undefined)
  })

  test('RSA-OAEP output decrypts with node:crypto; KMS plaintext limits', () => {
    for (const [alg, oaepHash, limit] of [['RSAES_OAEP_SHA_1', 'sha1', 214], ['RSAES_OAEP_SHA_256', 'sha256', 190]]) {
      const pt = crypto.randomBytes(limit)
      const ct = kmskit.encrypt(spki(rsa), pt, alg)
      assert.equal(ct.length, 256)
      const back = crypto.privateDecrypt({ key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ct)
      assert.deepEqual(back, pt)
      assert.throws(() => kmskit.encrypt(spki(rsa), crypto.randomBytes(limit + 1), alg),
        (e) => e.name === 'ValidationException' && e.message.includes(String(limit)))
    }
  })

  test('deriveSharedSecret equals node:crypto ECDH', () => {
    for (const curve of ['P-256', 'P-384', 'P-521']) {
      const a = crypto.generateKeyPairSync('ec', { namedCurve: curve })
      const b = crypto.generateKeyPairSync('ec', { namedCurve: curve })
      const expected = crypto.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey })
      assert.deepEqual(kmskit.deriveSharedSecret(Buffer.from(pkcs8Pem(a)), spki(b)), expected)
      assert.deepEqual(kmskit.deriveSharedSecret(a.privateKey.export({ type: 'pkcs8', format: 'der' }), spki(b), 'ECDH'), expected)
    }
    const k1 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
    assert.throws(() => kmskit.deriveSharedSecret(Buffer.from(pkcs8Pem(k1)), spki(k1)), (e) => e.name === 'InvalidKeyUsageException')
  })

  test('malformed inputs are typed errors, not crashes', () => {
    const junk = Buffer.from('junk')
    for (const f of [() => kmskit.derToP1363(junk, 'ECC_NIST_P256'), () => kmskit.p1363ToDer(junk, 'ECC_NIST_P256'),
      () => kmskit.sm2CiphertextToDer(junk), () => kmskit.sm2CiphertextFromDer(junk), () => kmskit.mlDsaMu(junk, junk),
      () => kmskit.describePublicKey(junk), () => kmskit.encapsulate(junk), () => kmskit.sm2Digest(junk, junk)]) {
      assert.throws(f, (e) => e instanceof Error && e.name === 'ValidationException' && e.code === 'ValidationException')
    }
    assert.throws(() => kmskit.sm2CiphertextToDer(Buffer.alloc(200, 4), 'C3C2C1'), (e) => e.name === 'ValidationException')
  })
}
