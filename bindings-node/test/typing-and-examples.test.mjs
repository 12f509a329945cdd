import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { policyTypingSource } from '../../testdata/js/policy-suite.mjs'
import { envelopeTypingSource } from '../../testdata/js/envelope-suite.mjs'

const here = fileURLToPath(new URL('..', import.meta.url))
const tsc = (args) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', ...args],
  { cwd: here, encoding: 'utf8', stdio: 'pipe' })
const ops = createRequire(import.meta.url)('..')._NativeKms.operations()

test('index.d.ts type-checks the typed examples (tsc --noEmit)', () => {
  tsc(['-p', 'tsconfig.json'])
})

test('index.d.ts declares a typed method for every operation core implements', (t) => {
  const dir = mkdtempSync(join(here, '.typecheck-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'ops.mts')
  writeFileSync(file, [
    "import { Kms, type KmsStatics } from '../index.js'",
    'declare const kms: Kms',
    'export const statics: KmsStatics<Kms> = Kms',
    'export const snapshot: Promise<Uint8Array> = kms.exportSnapshot()',
    // every operation of core's list, as a method with a declared signature
    'export const methods = {',
    ...ops.map(([, m]) => `  ${m}: kms.${m} satisfies (input: never) => Promise<object>,`),
    '}',
    // what the types promise (and refuse)
    "const k = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })",
    'export const created: Date = k.KeyMetadata.CreationDate',
    "const e = await kms.encrypt({ KeyId: 'k', Plaintext: new Uint8Array(1), EncryptionContext: { a: 'b' } })",
    'export const blob: Uint8Array = e.CiphertextBlob',
    "export const view: Kms = kms.withRegion('eu-west-1')",
    'export const now: Date = await kms.now()',
    "const alice: Kms = kms.asPrincipal('arn:aws:iam::111122223333:user/alice', { 'aws:SourceIp': '192.0.2.1' })",
    'export const who: string | null = alice.principal',
    "await kms.putPrincipalPolicy('arn:aws:iam::111122223333:user/alice', 'p', { Version: '2012-10-17', Statement: [] })",
    "export const removed: boolean = await kms.deletePrincipalPolicy('arn:aws:iam::111122223333:user/alice', 'p')",
    "await kms.setPrincipalTags('arn:aws:iam::111122223333:user/alice', { team: 'blue' })",
    'const denial = await kms.lastDenial()',
    'export const why: string | undefined = denial?.explain()',
    "// @ts-expect-error tags are text",
    "await kms.setPrincipalTags('arn:aws:iam::111122223333:user/alice', { n: 1 })",
    "// @ts-expect-error text is not bytes",
    "await kms.encrypt({ KeyId: 'k', Plaintext: 'text' })",
    "// @ts-expect-error KeyId is required",
    'await kms.describeKey({})',
    "// @ts-expect-error context values are text",
    "await kms.decrypt({ CiphertextBlob: blob, EncryptionContext: { a: 1 } })",
    "// @ts-expect-error not an operation",
    'await kms.encryptt({})',
    '',
  ].join('\n'))
  try {
    tsc(['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', file])
  } catch (e) {
    assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
  }
})

test('index.d.ts types evaluate, PolicySet and Decision (and refuses wrong types)', (t) => {
  const dir = mkdtempSync(join(here, '.typecheck-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'policy.mts')
  writeFileSync(file, policyTypingSource('../index.js'))
  try {
    tsc(['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', file])
  } catch (e) {
    assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
  }
})

test('index.d.ts types envelope: keyrings, encrypt/decrypt, streams (and refuses wrong types)', (t) => {
  const dir = mkdtempSync(join(here, '.typecheck-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'envelope.mts')
  writeFileSync(file, envelopeTypingSource('../index.js', [
    "const cached: envelope.Keyring = new envelope.CachingKeyring(aes, { maxAgeMs: 60_000, maxMessages: 100, maxBytes: Infinity })",
    "const out: import('node:stream').Transform = envelope.encryptStream({ keyring: cached, frameLength: 1024 })",
    "const ds = envelope.decryptStream({ keyring, release: 'perFrame' })",
    "ds.on('header', (h) => { const s: string = h.algorithmSuite; void s })",
    'const seen: EnvelopeMessageHeader | null = ds.header',
    'for await (const c of envelope.encryptChunks([new Uint8Array(1)], { keyring })) { const b: Buffer = c; void b }',
    'const p: Buffer = (await envelope.decrypt(message, { keyring })).plaintext',
    'void [out, seen, p]',
    '// @ts-expect-error abstract',
    'new envelope.Keyring()',
  ]))
  try {
    tsc(['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', file])
  } catch (e) {
    assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
  }
})

test('the Node examples run and print what they promise', () => {
  const out = execFileSync(process.execPath, ['../examples/node/verify.mjs'], { cwd: here, encoding: 'utf8' })
  assert.match(out, /genuine signature: true/)
  assert.match(out, /tampered message: {2}false/)
  assert.match(out, /throws InvalidKeyUsageException/)
  const kms = execFileSync(process.execPath, ['../examples/node/local_kms.mjs'], { cwd: here, encoding: 'utf8' })
  assert.match(kms, /decrypted: card 4111/)
  assert.match(kms, /node:crypto verifies the KMS signature: true/)
  assert.match(kms, /wrong context: InvalidCiphertextException/)
  assert.match(kms, /after 8 days: NotFoundException/)
})
