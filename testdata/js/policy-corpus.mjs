// Shared by every JavaScript runtime's tests (Node addon, wasm in Node, wasm in Chromium):
// runs the authorization corpus of testdata/policy/ (see its README) through a kmskit module's
// `evaluate` and `PolicySet`, and reports each case. No kmskit logic here, only "feed the case,
// compare with the expectation". No Node APIs either: the caller lists the files and reads them.

/**
 * Runs every case of the given corpus files.
 *
 * - `kmskit`: the package's module (`evaluate`, `PolicySet`).
 * - `files`: the names of the JSON files of testdata/policy/ (every one of them).
 * - `readText(name)`: the text of one of them (or a Promise of it).
 *
 * Resolves to `[{ file, name, kind: 'decision' | 'malformed' | 'valid', ok, detail }]`.
 */
export async function runPolicyCorpus(kmskit, files, readText) {
  const out = []
  for (const file of files) {
    // JSON.parse keeps the key order of `iam_policies`, which names the deciding IAM policy
    const doc = JSON.parse(await readText(file))
    for (const c of doc.cases ?? []) {
      if (c.request !== undefined) out.push(decisionCase(kmskit, file, c, doc.policies ?? {}))
      else if (c.expect_error !== undefined) out.push(malformedCase(kmskit, file, c))
      else out.push({ file, name: c.name, kind: 'unknown', ok: false, detail: 'neither a decision nor a malformed case' })
    }
    for (const c of doc.valid ?? []) out.push(validCase(kmskit, file, c))
  }
  return out
}

/** `"@name"` is the file's `policies[name]`; anything else (an object, raw text) as it is. */
function resolve(v, policies) {
  if (typeof v === 'string' && v.startsWith('@')) {
    if (!(v.slice(1) in policies)) throw new Error(`unknown policy reference ${v}`)
    return policies[v.slice(1)]
  }
  return v
}

function decisionCase(kmskit, file, c, policies) {
  const result = { file, name: c.name, kind: 'decision', ok: false, detail: '' }
  try {
    const keyPolicy = c.key_policy == null ? null : resolve(c.key_policy, policies)
    const iam = Object.fromEntries(Object.entries(c.iam_policies ?? {}).map(([k, v]) => [k, resolve(v, policies)]))
    const grants = c.grants ?? []
    const d = kmskit.evaluate(c.request, keyPolicy, iam, grants)
    const want = c.expect
    const problems = []
    if (d.decision !== want.decision) problems.push(`decision ${d.decision} (want ${want.decision})`)
    if (d.allowed !== (d.decision === 'ALLOW')) problems.push(`allowed ${d.allowed}`)
    if ('source' in want && d.source !== want.source) problems.push(`source ${d.source} (want ${want.source})`)
    if (want.statement != null) {
      if (d.statement === null || d.statement.index !== want.statement.index) {
        problems.push(`statement ${JSON.stringify(d.statement)} (want index ${want.statement.index})`)
      } else if ('sid' in want.statement && d.statement.sid !== want.statement.sid) {
        problems.push(`sid ${d.statement.sid} (want ${want.statement.sid})`)
      }
    }
    // the same documents parsed once: the fast path decides alike
    const set = new kmskit.PolicySet(keyPolicy, iam, grants)
    const fast = set.decideMany([c.request, JSON.stringify(c.request)])
    if (fast[0] !== d.decision || fast[1] !== d.decision) problems.push(`PolicySet.decideMany ${fast}`)
    result.ok = problems.length === 0
    result.detail = result.ok ? '' : `${problems.join('; ')}\n${d.explain()}`
  } catch (e) {
    result.detail = `threw ${e && e.name}: ${e && e.message}`
  }
  return result
}

function malformedCase(kmskit, file, c) {
  const result = { file, name: c.name, kind: 'malformed', ok: false, detail: '' }
  try {
    // a string is raw policy text: passed on as it is
    new kmskit.PolicySet(c.policy)
    result.detail = `accepted (want ${c.expect_error})`
  } catch (e) {
    result.ok = e instanceof Error && e.name === c.expect_error && e.code === c.expect_error
    result.detail = result.ok ? '' : `threw ${e && e.name}/${e && e.code}: ${e && e.message} (want ${c.expect_error})`
  }
  return result
}

function validCase(kmskit, file, c) {
  const result = { file, name: c.name, kind: 'valid', ok: false, detail: '' }
  try {
    new kmskit.PolicySet(c.policy)
    result.ok = true
  } catch (e) {
    result.detail = `threw ${e && e.name}: ${e && e.message}`
  }
  return result
}

/** Counts by kind, and the failures, of `runPolicyCorpus`'s results. */
export function summarize(results) {
  const count = (kind) => results.filter((r) => r.kind === kind).length
  return {
    decision: count('decision'),
    malformed: count('malformed'),
    valid: count('valid'),
    files: new Set(results.map((r) => r.file)).size,
    failures: results.filter((r) => !r.ok).map((r) => `${r.file} ${r.name}: ${r.detail}`),
  }
}
