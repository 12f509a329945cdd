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
            'n' -> b.append('\n'); 't' -> b.append('\t'); 'u' -> { b.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
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

    println("kotlin: $passed passed, $failed failed")
    if (failed != 0) kotlin.system.exitProcess(1)
}
