// Shared by the Node addon's and the wasm package's tests (under Node): authorization
// (`evaluate`, `PolicySet`, `Decision`): the whole corpus of testdata/policy/ (through
// policy-corpus.mjs, which also runs in Chromium) and the JavaScript API around it, so both
// packages are held to the same API. `kmskit` is the package's module.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { runPolicyCorpus, summarize } from './policy-corpus.mjs'

const CORPUS = new URL('../policy/', import.meta.url)

/** The names of every JSON file of testdata/policy/. */
export const policyFiles = () => readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort()

/** The text of one of them. */
export const readPolicyFile = (name) => readFileSync(new URL(name, CORPUS), 'utf8')

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
const ROOT_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' },
    Action: 'kms:*', Resource: '*' }],
}
const APP_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY,
    Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'test' } } }],
}
const request = (purpose, action = 'kms:Decrypt') => ({
  Action: action, Principal: 'arn:aws:iam::111122223333:role/app', Resource: KEY,
  Context: { 'kms:EncryptionContext:purpose': purpose },
})
const kmsError = (name) => (e) => e instanceof Error && e.name === name && e.code === name && e.message.length > 0

export function policySuite(kmskit, test) {
  const { evaluate, PolicySet, Decision } = kmskit

  test('policy corpus (testdata/policy): every decision case, malformed and valid document', async (t) => {
    const files = policyFiles()
    const results = await runPolicyCorpus(kmskit, files, readPolicyFile)
    const s = summarize(results)
    t.diagnostic(`policy corpus: ${s.decision} decision cases, ${s.malformed} malformed and ${s.valid} valid ` +
      `documents from ${s.files} files, ${s.failures.length} failed`)
    assert.equal(s.files, files.length)
    assert.ok(s.decision >= 250, `only ${s.decision} decision cases`)
    assert.ok(s.malformed > 0 && s.valid > 0)
    assert.deepEqual(s.failures, [])
  })

  test('evaluate: a Decision with its parts, explain() and toJSON() (core\'s JSON)', () => {
    const d = evaluate(request('test'), ROOT_POLICY, { 'app-policy': APP_POLICY })
    assert.ok(d instanceof Decision)
    assert.equal(d.decision, 'ALLOW')
    assert.equal(d.allowed, true)
    assert.equal(d.source, 'iam:app-policy')
    assert.deepEqual(d.statement, { source: 'iam:app-policy', index: 0, effect: 'Allow' })
    assert.deepEqual(d.statements, [
      { source: 'key_policy', index: 0, sid: 'Enable IAM User Permissions', effect: 'Allow' },
      { source: 'iam:app-policy', index: 0, effect: 'Allow' },
    ])
    assert.deepEqual(d.steps[0], { source: 'key_policy', index: 0, sid: 'Enable IAM User Permissions',
      effect: 'Allow', matched: true, viaAccount: true })
    assert.deepEqual(d.notes, [])
    assert.match(d.explain(), /^ALLOW by iam:app-policy statement 0\n/)
    assert.match(d.explain(), /through the caller's account principal/)
    const json = d.toJSON()
    assert.deepEqual(Object.keys(json).sort(),
      ['Decision', 'Explanation', 'Notes', 'Source', 'Statement', 'Statements', 'Steps'])
    assert.equal(json.Explanation, d.explain())
    assert.deepEqual(json.Statement, { Source: 'iam:app-policy', Index: 0, Effect: 'Allow' })
    assert.equal(json.Steps[0].ViaAccount, true)
    assert.deepEqual(JSON.parse(JSON.stringify(d)), json)
    // the parts are copies: changing them changes nothing
    d.steps[0].matched = false
    d.toJSON().Steps.length = 0
    assert.equal(d.steps[0].matched, true)
    assert.equal(d.toJSON().Steps.length, 2)

    const denied = evaluate(JSON.stringify(request('prod')), JSON.stringify(ROOT_POLICY),
      { 'app-policy': JSON.stringify(APP_POLICY) })
    assert.equal(denied.decision, 'IMPLICIT_DENY')
    assert.equal(denied.allowed, false)
    assert.equal(denied.source, null)
    assert.equal(denied.statement, null)
    const failed = denied.steps.filter((s) => !s.matched)
    assert.equal(failed[0].failed, 'Condition')
    assert.match(failed[0].detail, /kms:EncryptionContext:purpose/)
    assert.ok(denied.notes.some((n) => n.includes('no IAM policy')), denied.notes.join('; '))
    // an explicit deny names its statement
    const deny = { Version: '2012-10-17', Statement: [ROOT_POLICY.Statement[0],
      { Sid: 'NoProd', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'prod' } } }] }
    const explicit = evaluate(request('prod'), deny, { app: APP_POLICY })
    assert.equal(explicit.decision, 'EXPLICIT_DENY')
    assert.deepEqual(explicit.statement, { source: 'key_policy', index: 1, sid: 'NoProd', effect: 'Deny' })
  })

  test('evaluate: IAM policies are consulted in the order given; text documents stay text', () => {
    const both = (first, second) => ({ [first]: APP_POLICY, [second]: JSON.stringify(APP_POLICY) })
    assert.equal(evaluate(request('test'), ROOT_POLICY, both('first', 'second')).source, 'iam:first')
    assert.equal(evaluate(request('test'), ROOT_POLICY, both('second', 'first')).source, 'iam:second')
    // JSON text of the whole object keeps any order, even of names JavaScript would reorder
    const text = `{"9": ${JSON.stringify(APP_POLICY)}, "1": ${JSON.stringify(APP_POLICY)}}`
    assert.equal(evaluate(request('test'), ROOT_POLICY, text).source, 'iam:9')
    // a key policy given as the JSON string of its text
    assert.equal(evaluate(request('test'), JSON.stringify(JSON.stringify(ROOT_POLICY)), { a: APP_POLICY }).decision, 'ALLOW')
    // IAM alone is not enough when the key policy does not delegate to the account
    const onlyAdmin = { Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/admin' },
      Action: 'kms:*', Resource: '*' } }
    assert.equal(evaluate(request('test'), onlyAdmin, { app: APP_POLICY }).decision, 'IMPLICIT_DENY')
  })

  test('evaluate: Context values: a Date is its ISO 8601 time, a list a multi-valued key', () => {
    const until2030 = { Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
      Action: 'kms:Decrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['purpose', 'team'] } } } }
    const at = (time, keys = ['purpose']) => ({ ...request('test'), Context: { 'aws:CurrentTime': time,
      'kms:EncryptionContextKeys': keys } })
    const set = new PolicySet(until2030)
    assert.deepEqual(set.decideMany([at(new Date('2029-12-31T23:59:59.999Z')), at(new Date('2030-01-01T00:00:00Z')),
      at(new Date('2029-01-01'), ['purpose', 'other'])]), ['ALLOW', 'IMPLICIT_DENY', 'IMPLICIT_DENY'])
    const late = set.evaluate(at(new Date('2031-01-01')))
    assert.equal(late.steps[0].failed, 'Condition')
    assert.match(late.steps[0].detail, /2031-01-01T00:00:00\.000Z/)
  })

  test('evaluate: grants as ListGrants returns them (a Date CreationDate included)', () => {
    const grant = { KeyId: KEY, GrantId: 'a'.repeat(64), GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
      Operations: ['Decrypt'], IssuingAccount: 'arn:aws:iam::111122223333:root', Name: 'app',
      CreationDate: new Date('2026-01-01T00:00:00Z'), Constraints: { EncryptionContextSubset: { purpose: 'test' } } }
    const noIam = { Statement: { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:Encrypt', Resource: '*' } }
    const ok = evaluate(request('test'), noIam, undefined, [grant])
    assert.equal(ok.decision, 'ALLOW')
    assert.equal(ok.source, `grant:${'a'.repeat(64)}`)
    assert.equal(ok.statement, null)
    const bad = evaluate(request('other'), noIam, null, [grant, { ...grant, CreationDate: new Date(NaN) }])
    assert.equal(bad.decision, 'IMPLICIT_DENY')
    assert.ok(bad.steps.some((s) => s.failed === 'Constraints'))
    assert.equal(new PolicySet(noIam, {}, JSON.stringify([grant])).decide(request('test')), 'ALLOW')
    // a field ListGrants does not return is refused, not ignored
    assert.throws(() => evaluate(request('test'), noIam, {}, [{ ...grant, Extra: 1 }]), kmsError('ValidationException'))
  })

  test('evaluate: the local KMS\'s own key policy and ListGrants output, as they come', async () => {
    const kms = new kmskit.Kms({ seed: new TextEncoder().encode('policy-suite') })
    const { KeyMetadata } = await kms.createKey({})
    const { Policy } = await kms.getKeyPolicy({ KeyId: KeyMetadata.KeyId })
    const role = 'arn:aws:iam::111122223333:role/app'
    const decrypt = { Action: 'kms:Decrypt', Principal: role, Resource: KeyMetadata.Arn,
      Context: { 'kms:EncryptionContext:purpose': 'test' } }
    assert.equal(evaluate(decrypt, Policy).decision, 'IMPLICIT_DENY')
    const { GrantId } = await kms.createGrant({ KeyId: KeyMetadata.KeyId, GranteePrincipal: role,
      Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { purpose: 'test' } } })
    const { Grants } = await kms.listGrants({ KeyId: KeyMetadata.KeyId })
    assert.ok(Grants[0].CreationDate instanceof Date)
    const d = evaluate(decrypt, Policy, {}, Grants)
    assert.equal(d.decision, 'ALLOW')
    assert.equal(d.source, `grant:${GrantId}`)
    const set = new PolicySet(Policy, null, Grants)
    assert.deepEqual(set.decideMany([decrypt, { ...decrypt, Context: { 'kms:EncryptionContext:purpose': 'prod' } },
      { ...decrypt, Action: 'kms:Encrypt' }]), ['ALLOW', 'IMPLICIT_DENY', 'IMPLICIT_DENY'])
  })

  test('PolicySet: parsed once; evaluate, decide, decideMany (one call for the list)', () => {
    const set = new PolicySet(ROOT_POLICY, { app: APP_POLICY })
    const good = request('test')
    const bad = request('x')
    assert.equal(set.decide(good), 'ALLOW')
    assert.equal(set.decide(JSON.stringify(bad)), 'IMPLICIT_DENY')
    assert.deepEqual(set.decideMany([good, bad, JSON.stringify(good)]), ['ALLOW', 'IMPLICIT_DENY', 'ALLOW'])
    assert.deepEqual(set.decideMany([]), [])
    assert.deepEqual(set.decideMany((function* () { yield good; yield bad })()), ['ALLOW', 'IMPLICIT_DENY'])
    const d = set.evaluate(bad)
    assert.ok(d instanceof Decision)
    assert.equal(d.decision, 'IMPLICIT_DENY')
    assert.deepEqual(d.toJSON(), evaluate(bad, ROOT_POLICY, { app: APP_POLICY }).toJSON())
    // no documents at all: nothing allows
    assert.equal(new PolicySet().decide(good), 'IMPLICIT_DENY')
    assert.equal(new PolicySet(null, undefined, undefined).evaluate(good).decision, 'IMPLICIT_DENY')
    const many = Array.from({ length: 1000 }, (_, i) => request(i % 2 ? 'test' : 'no'))
    assert.deepEqual(set.decideMany(many), many.map((_, i) => (i % 2 ? 'ALLOW' : 'IMPLICIT_DENY')))
  })

  test('authorization errors are Errors named (and coded) after the KMS exception', () => {
    const malformed = { Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*',
      Condition: { StringEqualz: { a: 'b' } } } }
    assert.throws(() => new PolicySet(malformed), kmsError('MalformedPolicyDocumentException'))
    assert.throws(() => new PolicySet('{not json'), kmsError('MalformedPolicyDocumentException'))
    assert.throws(() => evaluate(request('test'), malformed), kmsError('MalformedPolicyDocumentException'))
    assert.throws(() => new PolicySet(ROOT_POLICY, { app: malformed }), (e) => kmsError('MalformedPolicyDocumentException')(e) &&
      e.message.includes('"app"'))
    assert.throws(() => new PolicySet(ROOT_POLICY, [APP_POLICY]), kmsError('ValidationException'))
    assert.throws(() => new PolicySet(ROOT_POLICY, {}, { not: 'a list' }), kmsError('ValidationException'))
    const set = new PolicySet(ROOT_POLICY)
    assert.throws(() => evaluate({ Action: 'kms:Decrypt' }, ROOT_POLICY), kmsError('ValidationException'))
    assert.throws(() => set.decide({ Action: 'kms:Decrypt', Principal: 'bob', Resource: KEY }), kmsError('ValidationException'))
    assert.throws(() => set.evaluate({ ...request('x'), Extra: 1 }), kmsError('ValidationException'))
    assert.throws(() => set.decideMany([request('x'), { Action: 1 }]), kmsError('ValidationException'))
    assert.throws(() => set.decideMany('[]'), kmsError('ValidationException'))
    assert.throws(() => set.decideMany(null), kmsError('ValidationException'))
    assert.throws(() => set.decide({ ...request('x'), Context: { n: 1n } }), kmsError('ValidationException'))
    assert.throws(() => set.decide(undefined), kmsError('ValidationException'))
    // one text holding two requests would shift every decision after it: refused
    const two = `${JSON.stringify(request('test'))},${JSON.stringify(request('x'))}`
    assert.throws(() => set.decide(two), kmsError('ValidationException'))
    assert.throws(() => set.decideMany([two, JSON.stringify(request('test'))]), kmsError('ValidationException'))
    assert.throws(() => set.evaluate(two), kmsError('ValidationException'))
  })

  test('PolicySet and Decision have the same members in every package', () => {
    const own = (cls) => Object.getOwnPropertyDescriptors(cls.prototype)
    const set = own(PolicySet)
    for (const m of ['evaluate', 'decide', 'decideMany']) assert.equal(typeof set[m]?.value, 'function', m)
    const decision = own(Decision)
    for (const p of ['decision', 'allowed', 'source', 'statement', 'statements', 'steps', 'notes']) {
      assert.equal(typeof decision[p]?.get, 'function', p)
    }
    for (const m of ['explain', 'toJSON']) assert.equal(typeof decision[m]?.value, 'function', m)
  })
}

/** TypeScript checked by each package's typing test: `from` is the module to import. */
export function policyTypingSource(from) {
  return [
    `import { evaluate, PolicySet, Decision, type PolicyRequest, type PolicyEvaluation, type StatementRef,`,
    `  type PolicyStep, type DecisionName, type PolicyGrant, type ListGrantsResponse } from '${from}'`,
    `const request: PolicyRequest = { Action: 'kms:Decrypt', Principal: 'arn:aws:iam::111122223333:role/app',`,
    `  Resource: '*', Context: { 'kms:EncryptionContextKeys': ['a'], 'aws:CurrentTime': new Date(), n: 1 } }`,
    `const grants: PolicyGrant[] = [{ KeyId: 'k', GrantId: 'g', GranteePrincipal: 'p', Operations: ['Decrypt'],`,
    `  CreationDate: new Date() }]`,
    `const d: Decision = evaluate(request, { Version: '2012-10-17' }, { app: '{}', other: {} }, grants)`,
    `export const decision: DecisionName = d.decision`,
    `export const allowed: boolean = d.allowed`,
    `export const source: string | null = d.source`,
    `export const index: number | undefined = d.statement?.index`,
    `export const statements: StatementRef[] = d.statements`,
    `export const steps: PolicyStep[] = d.steps`,
    `export const failed: string | undefined = d.steps[0]?.failed`,
    `export const notes: string[] = d.notes`,
    `export const text: string = d.explain()`,
    `export const json: PolicyEvaluation = d.toJSON()`,
    `export const pascal: 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY' = json.Decision`,
    `evaluate('{}'); evaluate(request, null, undefined, '[]')`,
    `const set = new PolicySet('{"Statement": []}', '{}', [])`,
    `export const one: DecisionName = set.decide(request)`,
    `export const many: DecisionName[] = set.decideMany([request, '{}'])`,
    `export const again: Decision = set.evaluate(JSON.stringify(request))`,
    `new PolicySet()`,
    `// what the local KMS's ListGrants returns is a grant list`,
    `declare const listed: ListGrantsResponse`,
    `new PolicySet(null, null, listed.Grants)`,
    `// @ts-expect-error a request needs Action and Principal`,
    `evaluate({ Action: 'kms:Decrypt' })`,
    `// @ts-expect-error Action is a string`,
    `set.decide({ Action: 1, Principal: 'p' })`,
    `// @ts-expect-error a list of requests, not one`,
    `set.decideMany(request)`,
    `// @ts-expect-error a list, not the JSON text of one`,
    `set.decideMany('[]')`,
    `set.decideMany(new Set([request]))`,
    `// @ts-expect-error grants are a list`,
    `new PolicySet(null, {}, { GrantId: 'g' })`,
    `// @ts-expect-error decision is read-only`,
    `d.decision = 'ALLOW'`,
    `// @ts-expect-error not an ALLOW/DENY name`,
    `export const wrong: DecisionName = 'DENY'`,
    '',
  ].join('\n')
}
