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
