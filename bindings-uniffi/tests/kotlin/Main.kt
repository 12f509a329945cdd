// Runs the uniffi Kotlin bindings on the JVM (through JNA) against the real cdylib.
// Usage: java -cp kmskit-test.jar:jna.jar MainKt <repo-root>
import uniffi.kmskit_uniffi.*
import java.io.File

var passed = 0
var failed = 0

fun check(name: String, ok: Boolean, detail: String = "") {
    if (ok) passed++ else { failed++; System.err.println("FAIL $name $detail") }
}

fun hex(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(it * 2, it * 2 + 2).toInt(16).toByte() }

// A minimal reader for our vector JSON: strings, booleans, arrays and objects.
class Json(private val s: String) {
    private var i = 0
    fun parse(): Any? { ws(); val c = s[i]; return when {
        c == '{' -> obj(); c == '[' -> arr(); c == '"' -> str()
        s.startsWith("true", i) -> { i += 4; true }
        s.startsWith("false", i) -> { i += 5; false }
        s.startsWith("null", i) -> { i += 4; null }
        else -> num() } }
    private fun ws() { while (i < s.length && s[i].isWhitespace()) i++ }
    private fun obj(): Map<String, Any?> { val m = LinkedHashMap<String, Any?>(); i++; ws()
        if (s[i] == '}') { i++; return m }
        while (true) { ws(); val k = str(); ws(); i++; m[k] = parse(); ws(); if (s[i++] == '}') return m } }
    private fun arr(): List<Any?> { val l = ArrayList<Any?>(); i++; ws()
        if (s[i] == ']') { i++; return l }
        while (true) { l.add(parse()); ws(); if (s[i++] == ']') return l } }
    private fun str(): String { val b = StringBuilder(); i++
        while (s[i] != '"') { if (s[i] == '\\') { i++; when (s[i]) {
            'n' -> b.append('\n'); 't' -> b.append('\t'); 'r' -> b.append('\r'); 'b' -> b.append('\b'); 'f' -> b.append('\u000c'); 'u' -> { b.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
            else -> b.append(s[i]) } } else b.append(s[i]); i++ }
        i++; return b.toString() }
    private fun num(): Double { val st = i; while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++; return s.substring(st, i).toDouble() }
}

@Suppress("UNCHECKED_CAST")
fun main(args: Array<String>) {
    val root = File(args.getOrElse(0) { "." })
    val vectors = Json(File(root, "testdata/skeleton/vectors.json").readText()).parse() as Map<String, Any?>
    val keys = vectors["keys"] as Map<String, Map<String, Any?>>
    fun key(name: String): ByteArray =
        if (name.endsWith(":pem")) (keys[name.removeSuffix(":pem")]!!["pem"] as String).toByteArray()
        else hex(keys[name]!!["der_hex"] as String)

    for (c in vectors["cases"] as List<Map<String, Any?>>) {
        val name = c["name"] as String
        val expect = c["expect"]
        try {
            val got = verify(key(c["key"] as String), hex(c["message_hex"] as String),
                hex(c["signature_hex"] as String), c["algorithm"] as String, c["message_type"] as String)
            check(name, got == expect, "returned $got, expected $expect")
        } catch (e: KmsException) {
            check(name, e.javaClass.simpleName.lowercase() == (expect as String).lowercase(), "threw ${e.javaClass.simpleName}, expected $expect")
        }
    }

    // default arguments as in the other runtimes
    val first = (vectors["cases"] as List<Map<String, Any?>>)[0]
    check("default message type", verify(key("p256"), hex(first["message_hex"] as String),
        hex(first["signature_hex"] as String), "ECDSA_SHA_256"))

    // malformed keys are typed errors
    try { verify(byteArrayOf(0x30), byteArrayOf(1), byteArrayOf(1), "ECDSA_SHA_256"); check("malformed key", false) }
    catch (e: KmsException.ValidationException) { check("malformed key", !e.message.isNullOrEmpty()) }

    // the error enum mirrors core's catalogue
    // (uniffi writes acronyms in camel case: KMSInternalException -> KmsInternalException)
    val variants = KmsException::class.java.declaredClasses
        .filter { KmsException::class.java.isAssignableFrom(it) }.map { it.simpleName.lowercase() }.sorted()
    check("error variants match core", variants == errorCodes().map { it.lowercase() }.sorted(), "$variants")

    // a panic becomes KMSInternalException
    try { panicProbe(); check("panic probe", false) }
    catch (e: KmsException.KmsInternalException) { check("panic probe", e.message?.contains("panic probe") == true) }

    // API parity: every core function is a top-level function of the generated file
    val facade = Class.forName("uniffi.kmskit_uniffi.Kmskit_uniffiKt")
    val exported = facade.declaredMethods
        .filter { java.lang.reflect.Modifier.isPublic(it.modifiers) && it.declaringClass == facade }
        .map { it.name }.filter { !it.contains('$') && it != "use" && !it.startsWith("uniffi") }.toSet()
    val camel = capabilities().map { n -> n.split("_").mapIndexed { i, p -> if (i == 0) p else p.replaceFirstChar { it.uppercase() } }.joinToString("") }
    check("api parity", exported - setOf("panicProbe") == camel.toSet(), "exported=$exported core=$camel")

    offlineVectors(root)
    policyCorpus(root)

    println("kotlin: $passed passed, $failed failed")
    if (failed != 0) kotlin.system.exitProcess(1)
}

fun hexOf(b: ByteArray): String = b.joinToString("") { "%02x".format(it) }

/** Runs testdata/offline/vectors.json (OpenSSL-, cryptography- and JDK-made) through the bindings. */
@Suppress("UNCHECKED_CAST")
fun offlineVectors(root: File) {
    val v = Json(File(root, "testdata/offline/vectors.json").readText()).parse() as Map<String, Any?>
    val keys = v["keys"] as Map<String, Map<String, Any?>>
    fun key(name: String): ByteArray =
        if (name.endsWith(":pem")) (keys[name.removeSuffix(":pem")]!!["pem"] as String).toByteArray()
        else hex(keys[name]!!["der_hex"] as String)
    fun cases(section: String) = v[section] as List<Map<String, Any?>>
    fun outcome(name: String, expect: Any?, want: String?, f: () -> Any) {
        try {
            val got = f()
            val ok = when {
                expect is String -> false
                want != null -> got is ByteArray && hexOf(got) == want
                got is Boolean -> got == expect
                else -> expect == true
            }
            check(name, ok, "returned ${if (got is ByteArray) hexOf(got) else got}, expected $expect")
        } catch (e: KmsException) {
            check(name, expect is String && e.javaClass.simpleName.lowercase() == expect.lowercase(),
                "threw ${e.javaClass.simpleName}: ${e.message}, expected $expect")
        }
    }
    for (c in cases("verify")) outcome("verify: ${c["name"]}", c["expect"], null) {
        verify(key(c["key"] as String), hex(c["message_hex"] as String), hex(c["signature_hex"] as String),
            c["algorithm"] as String, c["message_type"] as String, c["distinguishing_id"] as String?)
    }
    for (c in cases("encrypt")) outcome("encrypt: ${c["name"]}", c["expect"], null) {
        encrypt(key(c["key"] as String), hex(c["plaintext_hex"] as String), c["algorithm"] as String).isNotEmpty()
    }
    for (c in cases("derive_shared_secret")) outcome("derive: ${c["name"]}", c["expect"], c["shared_secret_hex"] as String?) {
        deriveSharedSecret((keys[c["private_key"] as String]!!["private_pem"] as String).toByteArray(),
            key(c["public_key"] as String), c["algorithm"] as String)
    }
    for (c in cases("sm2_digest")) outcome("sm2_digest: ${c["name"]}", true, c["digest_hex"] as String) {
        sm2Digest(key(c["key"] as String), hex(c["message_hex"] as String), c["distinguishing_id"] as String?)
    }
    for (c in cases("sm2_ciphertext")) {
        val der = hex(c["der_hex"] as String)
        outcome("sm2 from der: ${c["name"]}", true, c["c1c2c3_hex"] as String) { sm2CiphertextFromDer(der, "C1C2C3") }
        outcome("sm2 to der: ${c["name"]}", true, c["der_hex"] as String) { sm2CiphertextToDer(hex(c["c1c3c2_hex"] as String)) }
    }
    for (c in cases("ml_dsa_mu")) outcome("ml_dsa_mu: ${c["name"]}", true, c["mu_hex"] as String) {
        mlDsaMu(key(c["key"] as String), hex(c["message_hex"] as String))
    }
    for (c in cases("ecdsa_encodings")) {
        val spec = c["key_spec"] as String
        outcome("der_to_p1363: ${c["name"]}", true, c["p1363_hex"] as String) { derToP1363(hex(c["der_hex"] as String), spec) }
        outcome("p1363_to_der: ${c["name"]}", true, c["der_hex"] as String) { p1363ToDer(hex(c["p1363_hex"] as String), spec) }
        val low = c["low_s_der_hex"] as String?
        outcome("normalize_low_s: ${c["name"]}", if (low != null) true else "InvalidKeyUsageException", low) {
            normalizeLowS(hex(c["der_hex"] as String), spec)
        }
    }
    for ((name, k) in keys) {
        val spec = k["spec"] as String? ?: continue
        outcome("describe: $name", true, null) {
            val d = describePublicKey(hex(k["der_hex"] as String))
            d.keySpec == spec && d.pem == k["pem"]
        }
    }
}
