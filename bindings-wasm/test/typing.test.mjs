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
const ops = createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js')._kmsOperations()

test('the generated .d.ts type-check the typed browser example (tsc --noEmit)', () => {
  tsc(['-p', 'tsconfig.json'])
})

for (const pkg of ['pkg-web', 'pkg-node']) {
  test(`${pkg}: the .d.ts declares a typed Kms method for every operation core implements`, (t) => {
    const dir = mkdtempSync(join(here, '.typecheck-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'ops.ts')
    writeFileSync(file, [
      `import { Kms, type KmsConfig, type KmsStatics } from '../${pkg}/kmskit_wasm.js'`,
      'export const statics: KmsStatics<Kms> = Kms',
      "const config: KmsConfig = { seed: new Uint8Array(1), startTime: new Date() }",
      'const kms = new Kms(config)',
      'export const methods = {',
      ...ops.map(([, m]) => `  ${m}: kms.${m} satisfies (input: never) => Promise<object>,`),
      '}',
      'export async function flow() {',
      "  const k = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })",
      '  const created: Date = k.KeyMetadata.CreationDate',
      "  const e = await kms.encrypt({ KeyId: 'k', Plaintext: new Uint8Array(1), EncryptionContext: { a: 'b' } })",
      '  const blob: Uint8Array = e.CiphertextBlob',
      "  const view: Kms = kms.withRegion('eu-west-1')",
      '  const now: Date = await view.now()',
      "  const raw: string = await kms.call('ListKeys', '{}')",
      '  const snapshot: Uint8Array = await kms.exportSnapshot()',
      '  const restored: Kms = Kms.fromSnapshot(snapshot, { startTime: new Date() })',
      "  const sealed: Uint8Array = await Kms.seal(snapshot, { passphrase: 'pw' })",
      "  const info: 'key' | 'argon2id' = Kms.inspectSealed(sealed).kdf",
      '  const meta: Date = (await restored.importKeyBlob(await kms.exportKeyBlob(\'alias/a\'))).CreationDate',
      '  void [info, meta]',
      "  const alice: Kms = kms.asPrincipal('arn:aws:iam::111122223333:user/alice', { 'aws:SourceIp': '192.0.2.1' })",
      '  const who: string | null = alice.principal',
      "  await kms.putPrincipalPolicy('arn:aws:iam::111122223333:user/alice', 'p', { Version: '2012-10-17' })",
      "  const removed: boolean = await kms.deletePrincipalPolicy('arn:aws:iam::111122223333:user/alice', 'p')",
      "  const policies: Record<string, string> = await kms.getPrincipalPolicies('arn:aws:iam::111122223333:user/alice')",
      '  const why: string | undefined = (await kms.lastDenial())?.explain()',
      '  void [who, removed, policies, why]',
      '  // @ts-expect-error text is not bytes',
      "  await kms.encrypt({ KeyId: 'k', Plaintext: 'text' })",
      '  // @ts-expect-error not an operation',
      '  await kms.encryptt({})',
      '  return [created, blob, now, raw]',
      '}',
      '',
    ].join('\n'))
    try {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'es2022', moduleResolution: 'bundler',
          target: 'es2022', lib: ['esnext', 'dom'], types: [] },
        files: ['ops.ts'],
      }))
      tsc(['-p', join(dir, 'tsconfig.json')])
    } catch (e) {
      assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
    }
  })
}

for (const pkg of ['pkg-web', 'pkg-node']) {
  test(`${pkg}: the .d.ts types evaluate, PolicySet and Decision (and refuses wrong types)`, (t) => {
    const dir = mkdtempSync(join(here, '.typecheck-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'policy.ts'), policyTypingSource(`../${pkg}/kmskit_wasm.js`))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'es2022', moduleResolution: 'bundler',
        target: 'es2022', lib: ['esnext', 'dom'], types: [] },
      files: ['policy.ts'],
    }))
    try {
      tsc(['-p', join(dir, 'tsconfig.json')])
    } catch (e) {
      assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
    }
  })
}

for (const pkg of ['pkg-web', 'pkg-node']) {
  test(`${pkg}: the .d.ts types envelope: keyrings, encrypt/decrypt, TransformStreams (and refuses wrong types)`, (t) => {
    const dir = mkdtempSync(join(here, '.typecheck-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'envelope.ts'), envelopeTypingSource(`../${pkg}/kmskit_wasm.js`, [
      'const out: TransformStream<Uint8Array, Uint8Array> = envelope.encryptStream({ keyring, frameLength: 1024 })',
      "const back: TransformStream<Uint8Array, Uint8Array> = envelope.decryptStream({ keyring, release: 'perFrame' })",
      'const p: Uint8Array = (await envelope.decrypt(message, { keyring })).plaintext',
      'void [out, back, p]',
      '// @ts-expect-error no data-key cache in the wasm build (core needs std for it)',
      'new envelope.CachingKeyring(aes)',
    ]))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'es2022', moduleResolution: 'bundler',
        target: 'es2022', lib: ['esnext', 'dom'], types: [] },
      files: ['envelope.ts'],
    }))
    try {
      tsc(['-p', join(dir, 'tsconfig.json')])
    } catch (e) {
      assert.fail(`tsc:\n${e.stdout}${e.stderr}`)
    }
  })
}
