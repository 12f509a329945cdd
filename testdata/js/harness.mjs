// Shared by every JavaScript runtime's tests (Node addon, wasm in Node, wasm in Chromium):
// runs the golden vectors of testdata/ through a kmskit module and reports each case.
// It holds no kmskit logic, only "feed the vector, compare with the expectation".

export function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16)
  return out
}

export function keyBytes(vectors, name) {
  if (name.endsWith(':pem')) return new TextEncoder().encode(vectors.keys[name.slice(0, -4)].pem)
  return fromHex(vectors.keys[name].der_hex)
}

/** Runs every verify case; returns [{ name, ok, detail }]. */
export function runVerifyCases(kmskit, vectors) {
  return vectors.cases.map((c) => {
    const args = [keyBytes(vectors, c.key), fromHex(c.message_hex), fromHex(c.signature_hex),
      c.algorithm, c.message_type]
    try {
      const got = kmskit.verify(...args)
      return { name: c.name, ok: got === c.expect, detail: `returned ${got}, expected ${c.expect}` }
    } catch (e) {
      const ok = typeof c.expect === 'string' && e.code === c.expect && e.name === c.expect &&
        e instanceof Error && e.message.length > 0
      return { name: c.name, ok, detail: `threw ${e.name}/${e.code}: ${e.message}; expected ${c.expect}` }
    }
  })
}

const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('')
const utf8 = (s) => new TextEncoder().encode(s)

// Runs `fn`; compares its outcome with `expect` (true: succeeds and, if `want` is given, returns
// those hex bytes; false: returns false; a string: throws that KMS exception).
function check(section, c, expect, fn, want) {
  const name = `${section}: ${c.name}`
  try {
    const got = fn()
    if (expect === true) {
      const ok = want === undefined || (got instanceof Uint8Array && hex(got) === want)
      return { name, ok, detail: ok ? '' : `returned ${got instanceof Uint8Array ? hex(got) : got}, expected ${want}` }
    }
    return { name, ok: got === expect, detail: `returned ${got}, expected ${expect}` }
  } catch (e) {
    const ok = typeof expect === 'string' && e instanceof Error && e.name === expect && e.code === expect
    return { name, ok, detail: `threw ${e && e.name}/${e && e.code}: ${e && e.message}; expected ${expect}` }
  }
}

/** Runs every case of testdata/offline/vectors.json that the offline API covers. */
export function runOfflineVectors(kmskit, v) {
  const key = (n) => keyBytes(v, n)
  const priv = (n) => utf8(v.keys[n].private_pem)
  const out = []
  for (const c of v.verify) {
    out.push(check('verify', c, c.expect, () => kmskit.verify(key(c.key), fromHex(c.message_hex),
      fromHex(c.signature_hex), c.algorithm, c.message_type, c.distinguishing_id)))
  }
  for (const c of v.encrypt) {
    out.push(check('encrypt', c, c.expect, () => kmskit.encrypt(key(c.key), fromHex(c.plaintext_hex), c.algorithm).length > 0 || 'empty'))
  }
  for (const c of v.derive_shared_secret) {
    out.push(check('derive_shared_secret', c, c.expect, () => kmskit.deriveSharedSecret(priv(c.private_key),
      key(c.public_key), c.algorithm), c.shared_secret_hex))
  }
  for (const c of v.sm2_digest) {
    out.push(check('sm2_digest', c, true, () => kmskit.sm2Digest(key(c.key), fromHex(c.message_hex),
      c.distinguishing_id), c.digest_hex))
  }
  for (const c of v.sm2_ciphertext) {
    const der = fromHex(c.der_hex)
    out.push(check('sm2_ciphertext to C1C3C2', c, true, () => kmskit.sm2CiphertextFromDer(der, 'C1C3C2'), c.c1c3c2_hex))
    out.push(check('sm2_ciphertext to C1C2C3', c, true, () => kmskit.sm2CiphertextFromDer(der, 'C1C2C3'), c.c1c2c3_hex))
    out.push(check('sm2_ciphertext from C1C3C2', c, true, () => kmskit.sm2CiphertextToDer(fromHex(c.c1c3c2_hex)), c.der_hex))
    out.push(check('sm2_ciphertext from C1C2C3', c, true, () => kmskit.sm2CiphertextToDer(fromHex(c.c1c2c3_hex), 'C1C2C3'), c.der_hex))
  }
  for (const c of v.ml_dsa_mu) {
    out.push(check('ml_dsa_mu', c, true, () => kmskit.mlDsaMu(key(c.key), fromHex(c.message_hex)), c.mu_hex))
  }
  for (const c of v.ecdsa_encodings) {
    const der = fromHex(c.der_hex)
    out.push(check('der_to_p1363', c, true, () => kmskit.derToP1363(der, c.key_spec), c.p1363_hex))
    out.push(check('p1363_to_der', c, true, () => kmskit.p1363ToDer(fromHex(c.p1363_hex), c.key_spec), c.der_hex))
    if (c.low_s_der_hex !== undefined) {
      out.push(check('normalize_low_s', c, true, () => kmskit.normalizeLowS(der, c.key_spec), c.low_s_der_hex))
    } else {
      out.push(check('normalize_low_s', c, 'InvalidKeyUsageException', () => kmskit.normalizeLowS(der, c.key_spec)))
    }
  }
  for (const [name, k] of Object.entries(v.keys)) {
    if (!k.spec) continue
    out.push(check('describe_public_key', { name }, true, () => {
      const d = kmskit.describePublicKey(key(name))
      return d.keySpec === k.spec && d.pem === k.pem ? true : `${d.keySpec} ${d.pem === k.pem}`
    }))
  }
  return out
}
