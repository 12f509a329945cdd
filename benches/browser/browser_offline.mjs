#!/usr/bin/env node
// kmskit-wasm `verify` in headless Chromium next to WebCrypto, @noble/curves and sm-crypto, all
// in one page (page.html), measured in the same run; plus the size of the wasm packages.
//
// The page is served from the repository root by a small static server, as in
// bindings-wasm/test/browser.test.mjs, and driven by playwright-core (Debian's chromium). For
// each operation the runner asks the page to time kmskit and then each peer (2 s each after a
// 0.5 s warm-up, the loop of node_bench.mjs); the report is the median of RUNS runs and the ratio
// kmskit/peer. The peers come from benches/node/node_modules (`cd benches/node && npm install`).
//
//   node benches/browser/browser_offline.mjs      # env: RUNS=3 BENCH_SECONDS=2 PKG=pkg-web CHROMIUM
//   PKG=pkg-verify: the slim offline-only build (ci/test.sh wasm_verify_build)
import { createServer } from 'node:http'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PEERS = new URL('../node/', import.meta.url)
const { chromium } = createRequire(new URL('package.json', PEERS))('playwright-core')
const RUNS = Number(process.env.RUNS || 3)
const SECONDS = Number(process.env.BENCH_SECONDS || 2)
const PKG = process.env.PKG || 'pkg-web'
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm' }
const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, PEERS))).version

const WEB = 'WebCrypto'
const NOBLE = `@noble/curves ${version('@noble/curves')}`
const SM = `sm-crypto ${version('sm-crypto')}`
// [row, page id prefix, [peer, page id suffix, target ratio or null]...]
const ROWS = [
  ['ECDSA P-256 SHA-256 verify', 'p256', [WEB, 'webcrypto', null], [NOBLE, 'noble', 10]],
  ['RSA-2048 PSS SHA-256 verify (salt 32)', 'rsa-pss', [WEB, 'webcrypto', null]],
  ['RSA-2048 PKCS1v15 SHA-256 verify', 'rsa-pkcs1', [WEB, 'webcrypto', null]],
  ['Ed25519 verify', 'ed25519', [WEB, 'webcrypto', null], [NOBLE, 'noble', null]],
  ['ECDSA secp256k1 SHA-256 verify', 'secp256k1', [NOBLE, 'noble', null]],
  ['SM2 verify (SM3, default ID)', 'sm2', [SM, 'sm-crypto', 20]],
]

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

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const fmt = (x) => Math.round(x).toLocaleString('en-US')
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(' built')[0].trim()
const gz = (file) => execFileSync('gzip', ['-9c', file], { maxBuffer: 1 << 28 }).length

const server = await serve()
const profile = await mkdtemp(join(tmpdir(), 'kmskit-bench-chromium-'))
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const values = {} // page id -> [ops/s per run]
let userAgent
const load0 = load()
try {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`http://127.0.0.1:${server.address().port}/benches/browser/page.html?pkg=${PKG}`)
  await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 60000 })
  const info = await page.evaluate(() => ({ error: window.__bench.error, ops: window.__bench.ops, ua: window.__bench.userAgent }))
  if (info.error || errors.length) throw new Error(info.error ?? errors.join('\n'))
  userAgent = info.ua
  for (let i = 0; i < RUNS; i++) {
    console.error(`run ${i + 1}/${RUNS} (load ${load()})`)
    for (const [, prefix, ...peers] of ROWS) {
      for (const id of [`${prefix}/kmskit`, ...peers.map((p) => `${prefix}/${p[1]}`)]) {
        if (!info.ops.includes(id)) continue // e.g. no Ed25519 in this Chromium's WebCrypto
        const v = await page.evaluate(([id, s]) => window.__bench.measure(id, s), [id, SECONDS])
        ;(values[id] ??= []).push(v)
      }
    }
  }
} finally {
  await browser.close()
  await rm(profile, { recursive: true, force: true })
  server.close()
}

console.log(`kmskit-wasm (bindings-wasm/${PKG}, RustCrypto backend) in headless ${chromiumVersion}; ` +
  `median of ${RUNS} runs, ${SECONDS} s per measurement, ops/s\n`)
console.log('| operation | kmskit-wasm (Chromium) | peer | peer value | ratio kmskit/peer | per-run ratios | target |')
console.log('|---|---:|---|---:|---:|---:|---|')
for (const [row, prefix, ...peers] of ROWS) {
  const a = median(values[`${prefix}/kmskit`])
  for (const [peer, suffix, target] of peers) {
    const vs = values[`${prefix}/${suffix}`]
    if (!vs) { console.log(`| ${row} | ${fmt(a)} | ${peer} | not available | — | — | — |`); continue }
    const b = median(vs)
    const perRun = vs.map((y, i) => values[`${prefix}/kmskit`][i] / y).sort((x, y) => x - y)
    const goal = target === null ? '—' : `≥ ${target}×: ${a / b >= target ? 'met' : 'NOT met'}`
    console.log(`| ${row} | ${fmt(a)} | ${peer} | ${fmt(b)} | ${(a / b).toFixed(2)}× | ` +
      `${perRun[0].toFixed(2)}–${perRun.at(-1).toFixed(2)} | ${goal} |`)
  }
}
console.log(`\nmachine: ${cpus().length} CPUs, ${cpus()[0].model}; load average ${load0} (start), ${load()} (end)`)
console.log(`versions: ${chromiumVersion} (${userAgent}); node ${process.version} (runner); playwright-core ${version('playwright-core')}; ${NOBLE}; ${SM}`)

console.log('\nwasm packages (wasm-opt -Oz; gzip -9):\n')
console.log('| package | exports | `kmskit_wasm_bg.wasm` raw | gzip | `kmskit_wasm.js` raw | gzip |')
console.log('|---|---|---:|---:|---:|---:|')
for (const [pkg, what] of [['pkg-web', 'everything (offline API, local KMS, policy engine)'], ['pkg-node', 'the same, nodejs target'],
  ['pkg-verify', 'offline API only (`--no-default-features`)']]) {
  const dir = join(ROOT, 'bindings-wasm', pkg)
  if (!existsSync(join(dir, 'kmskit_wasm_bg.wasm'))) continue
  const w = join(dir, 'kmskit_wasm_bg.wasm'), js = join(dir, 'kmskit_wasm.js')
  console.log(`| bindings-wasm/${pkg} | ${what} | ${fmt(statSync(w).size)} | ${fmt(gz(w))} | ${fmt(statSync(js).size)} | ${fmt(gz(js))} |`)
}
