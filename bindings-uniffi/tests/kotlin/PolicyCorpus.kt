// Runs the authorization corpus (testdata/policy, see its README) through the uniffi bindings.
// Documents are handed to the evaluator as their exact source text, so this reader keeps the
// text span of every JSON value instead of re-serializing parsed values.
import uniffi.kmskit_uniffi.*
import java.io.File

class RawJson(val s: String) {
    fun ws(at: Int): Int { var i = at; while (i < s.length && s[i].isWhitespace()) i++; return i }
    private fun skipString(at: Int): Int { var i = at + 1; while (s[i] != '"') { if (s[i] == '\\') i++; i++ }; return i + 1 }
    /** The index just past the value that starts at `at`. */
    fun skip(at: Int): Int {
        var i = ws(at)
        when (s[i]) {
            '"' -> return skipString(i)
            '{', '[' -> {
                var depth = 0
                while (true) {
                    when (s[i]) {
                        '"' -> { i = skipString(i); continue }
                        '{', '[' -> depth++
                        '}', ']' -> { depth--; if (depth == 0) return i + 1 }
                    }
                    i++
                }
            }
            else -> { while (i < s.length && s[i] !in ",}] \n\r\t") i++; return i }
        }
    }
    fun text(span: IntRange): String = s.substring(span.first, span.last)
    /** Member name -> span of its value, in document order, of the object starting at `at`. */
    fun members(at: Int): LinkedHashMap<String, IntRange> {
        val out = LinkedHashMap<String, IntRange>()
        var i = ws(at) + 1
        while (true) {
            i = ws(i)
            if (s[i] == '}') return out
            val keyEnd = skipString(i)
            val key = Json(s.substring(i, keyEnd)).parse() as String
            val start = ws(ws(keyEnd) + 1)
            val end = skip(start)
            out[key] = start..end
            i = ws(end)
            if (s[i] == ',') i++
        }
    }
    fun elements(at: Int): List<IntRange> {
        val out = ArrayList<IntRange>()
        var i = ws(at) + 1
        while (true) {
            i = ws(i)
            if (s[i] == ']') return out
            val end = skip(i)
            out.add(i..end)
            i = ws(end)
            if (s[i] == ',') i++
        }
    }
}

fun quoteJson(k: String) = "\"" + k.replace("\\", "\\\\").replace("\"", "\\\"") + "\""

@Suppress("UNCHECKED_CAST")
fun policyCorpus(root: File) {
    val files = File(root, "testdata/policy").listFiles()!!.filter { it.name.endsWith(".json") }.sortedBy { it.name }
    var decisions = 0
    for (f in files) {
        val r = RawJson(f.readText())
        val top = r.members(0)
        top["valid"]?.let { v ->
            for ((i, sp) in r.elements(v.first).withIndex()) {
                val raw = r.members(sp.first)["policy"]?.let { r.text(it) } ?: r.text(sp)
                val policy = if (raw.startsWith("\"")) Json(raw).parse() as String else raw
                try { PolicySet(policy); check("${f.name} valid[$i]", true) }
                catch (e: KmsException) { check("${f.name} valid[$i]", false, "rejected: ${e.message}") }
            }
        }
        val cases = top["cases"]?.let { r.elements(it.first) } ?: continue
        val policies = top["policies"]?.let { p -> r.members(p.first).mapValues { r.text(it.value) } } ?: emptyMap()
        fun resolve(span: IntRange): String {
            val t = r.text(span)
            return if (t.startsWith("\"@")) policies[t.substring(2, t.length - 1)]!! else t
        }
        for (c in cases) {
            val m = r.members(c.first)
            val name = "${f.name} ${Json(r.text(m["name"]!!)).parse()}"
            if (m["expect_error"] != null) {
                val raw = r.text(m["policy"]!!)
                val policy = if (raw.startsWith("\"")) Json(raw).parse() as String else raw
                val want = Json(r.text(m["expect_error"]!!)).parse() as String
                try { PolicySet(policy); check(name, false, "accepted") }
                catch (e: KmsException) { check(name, e.javaClass.simpleName == want, "threw ${e.javaClass.simpleName}, expected $want") }
                continue
            }
            val request = m["request"] ?: continue
            decisions++
            val keyPolicy = m["key_policy"]?.let { if (r.text(it) == "null") null else resolve(it) }
            val iam = m["iam_policies"]?.let { sp ->
                r.members(sp.first).entries.joinToString(",", "{", "}") { (k, v) -> quoteJson(k) + ":" + resolve(v) }
            } ?: "{}"
            val grants = m["grants"]?.let { r.text(it) } ?: "[]"
            val expect = Json(r.text(m["expect"]!!)).parse() as Map<String, Any?>
            try {
                val d = evaluate(r.text(request), keyPolicy, iam, grants)
                var ok = d.decision == expect["decision"]
                if (expect.containsKey("source")) ok = ok && d.source == expect["source"]
                (expect["statement"] as Map<String, Any?>?)?.let { st ->
                    ok = ok && d.statement?.index?.toDouble() == st["index"]
                    if (st.containsKey("sid")) ok = ok && d.statement?.sid == st["sid"]
                }
                check(name, ok, "got ${d.decision} ${d.source} ${d.statement}, expected $expect\n${d.explanation}")
            } catch (e: KmsException) { check(name, false, "threw ${e.javaClass.simpleName}: ${e.message}") }
        }
    }
    check("policy corpus size", decisions >= 250, "$decisions decision cases")

    // a parsed policy set decides many requests at once
    val set = PolicySet("""{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}}""")
    val root = """{"Action":"kms:Decrypt","Principal":"arn:aws:iam::111122223333:root","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}"""
    val other = root.replace("111122223333:root", "444455556666:root")
    check("decide_many", set.decideMany("[$root,$other]") == listOf("ALLOW", "IMPLICIT_DENY"))
    check("evaluate explains", set.evaluate(other).explanation.contains("IMPLICIT_DENY"))
}
