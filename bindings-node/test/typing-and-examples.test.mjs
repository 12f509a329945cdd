import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('..', import.meta.url))

test('index.d.ts type-checks the typed example (tsc --noEmit)', () => {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: here, stdio: 'pipe' })
})

test('the Node example runs and prints what it promises', () => {
  const out = execFileSync(process.execPath, ['../examples/node/verify.mjs'], { cwd: here, encoding: 'utf8' })
  assert.match(out, /genuine signature: true/)
  assert.match(out, /tampered message: {2}false/)
  assert.match(out, /throws InvalidKeyUsageException/)
})
