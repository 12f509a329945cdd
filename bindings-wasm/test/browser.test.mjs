// The web build in real headless Chromium (Debian's), driven by playwright-core.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import { runPolicyCorpus, summarize } from '../../testdata/js/policy-corpus.mjs'
import { policyFiles, readPolicyFile } from '../../testdata/js/policy-suite.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm', '.der': 'application/octet-stream' }

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    try {
      const body = await readFile(join(ROOT, path))
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

async function openPage(t, path) {
  const server = await serve()
  t.after(() => server.close())
  const profile = await mkdtemp(join(tmpdir(), 'kmskit-chromium-'))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  t.after(async () => { await browser.close(); await rm(profile, { recursive: true, force: true }) })
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`http://127.0.0.1:${server.address().port}/${path}`)
  return { page, errors }
}

for (const pkg of ['pkg-web', 'pkg-verify']) test(`${pkg} passes the shared vectors (every signing algorithm) in Chromium`, async (t) => {
  const { page, errors } = await openPage(t, `bindings-wasm/test/page.html?pkg=${pkg}`)
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 })
  const result = await page.evaluate(() => window.__result)
  assert.equal(result.error, undefined, result.error)
  assert.deepEqual(errors, [])
  assert.ok(result.cases.length > 300, `only ${result.cases.length} cases`)
  assert.deepEqual(result.cases.filter((r) => !r.ok), [])
  // a genuine signature of every KMS signing algorithm verified in the browser
  for (const alg of ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512',
    'SM2DSA', 'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ML_DSA_SHAKE_256']) {
    assert.ok(result.algorithms.includes(alg), alg)
  }
  assert.ok(result.capabilities.includes('verify'))
})

test('the local KMS (Kms) works in a page: the shared flow, WebCrypto verifies its signatures', async (t) => {
  const { page, errors } = await openPage(t, 'bindings-wasm/test/kms-page.html')
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120000 })
  const result = await page.evaluate(() => window.__result)
  assert.equal(result.error, undefined, result.error)
  assert.deepEqual(errors, [])
  assert.ok(result.checks.length >= 35, `only ${result.checks.length} checks`)
  assert.deepEqual(result.webcrypto, [
    { algorithm: 'ECDSA_SHA_256', ok: true },
    { algorithm: 'RSASSA_PSS_SHA_256', ok: true },
    { algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', ok: true },
  ])
  assert.equal(result.page.decrypted, 'in a page')
  assert.equal(result.page.signatureValid, true)
  assert.ok(result.page.clockSkewMs < 60000, `the page's clock: ${result.page.clockSkewMs} ms off`)
  assert.deepEqual(result.page.error, { name: 'NotFoundException', code: 'NotFoundException', isError: true })
})

test('authorization in a page: every case of the policy corpus (testdata/policy), as in Node', async (t) => {
  const files = policyFiles()
  const { page, errors } = await openPage(t, `bindings-wasm/test/policy-page.html?files=${files.join(',')}`)
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 })
  const result = await page.evaluate(() => window.__result)
  assert.equal(result.error, undefined, result.error)
  assert.deepEqual(errors, [])
  const s = result.summary
  t.diagnostic(`Chromium: ${s.decision} decision cases, ${s.malformed} malformed and ${s.valid} valid documents ` +
    `from ${s.files} files in ${Math.round(result.ms)} ms`)
  assert.deepEqual(s.failures, [])
  assert.equal(s.files, files.length)
  assert.ok(s.decision >= 250, `only ${s.decision} decision cases`)
  // the same cases as the Node build runs (policy.test.mjs)
  const node = summarize(await runPolicyCorpus(createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js'), files,
    readPolicyFile))
  assert.deepEqual({ ...s, failures: undefined }, { ...node, failures: undefined })
  assert.deepEqual(result.sample, { isDecision: true, decision: 'ALLOW', source: 'account_root', json: {
    Decision: 'ALLOW', Source: 'account_root', Statement: null, Statements: [], Steps: [],
    Notes: ['kms:CreateKey is governed by IAM policies alone'],
    Explanation: 'ALLOW by account_root\n  note: kms:CreateKey is governed by IAM policies alone\n' } })
})

test('the browser example page runs', async (t) => {
  const { page, errors } = await openPage(t, 'examples/browser/index.html')
  await page.waitForSelector('#result[data-done]', { timeout: 30000 })
  const text = await page.textContent('#result')
  assert.deepEqual(errors, [])
  assert.match(text, /genuine signature: true/)
  assert.match(text, /tampered message: false/)
  assert.match(text, /local KMS: decrypted "hello from the page"/)
  assert.match(text, /local KMS signature, verified offline: true/)
  assert.match(text, /local KMS error: NotFoundException/)
})

test('envelope encryption in a page: every shared check (ESDK vectors, streams as TransformStreams)', async (t) => {
  const { page, errors } = await openPage(t, 'bindings-wasm/test/envelope-page.html')
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 180000 })
  const result = await page.evaluate(() => window.__result)
  assert.equal(result.error, undefined, result.error)
  assert.deepEqual(errors, [])
  t.diagnostic(`Chromium: ${result.checks.map((c) => `${c.name} (${c.n})`).join('; ')} in ${Math.round(result.ms)} ms`)
  const { envelopeChecks } = await import('../../testdata/js/envelope-suite.mjs')
  assert.deepEqual(result.checks.map((c) => c.name), Object.keys(envelopeChecks))
  assert.ok(result.checks.find((c) => c.name.startsWith('decrypts every message')).n >= 60)
  assert.equal(result.piped, true)
})
