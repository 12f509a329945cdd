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
    // the local KMS's free functions are not in core's offline list; its object is checked in kmsSection
    val kmsFunctions = setOf("kmsOperations")
    // likewise envelope encryption's free functions; its objects are checked in envelopeSection
    val envelopeFunctions = setOf("envelopeEncrypt", "envelopeDecrypt")
    check("api parity", exported - setOf("panicProbe") - kmsFunctions - envelopeFunctions == camel.toSet(),
        "exported=$exported core=$camel")
    check("kms functions exported", exported.containsAll(kmsFunctions), "exported=$exported")
    check("envelope functions exported", exported.containsAll(envelopeFunctions), "exported=$exported")

    offlineVectors(root)
    policyCorpus(root)
    try { kmsSection(root) } catch (e: Exception) { check("kms section", false, "threw $e") }
    try { kmsTypedSection() } catch (e: Exception) { check("typed kms section", false, "threw $e") }
    try { envelopeSection(root) } catch (e: Exception) { check("envelope section", false, "threw $e") }

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

/** The local KMS object: the JSON protocol, typed errors, the golden files, principals. */
@Suppress("UNCHECKED_CAST")
fun kmsSection(root: File) {
    val enc = java.util.Base64.getEncoder()
    val dec = java.util.Base64.getDecoder()
    fun obj(text: String) = Json(text).parse() as Map<String, Any?>
    fun b64(s: String) = enc.encodeToString(s.toByteArray())
    val account = "111122223333"
    val alice = "arn:aws:iam::$account:user/alice"
    val start = 1_767_225_600_000L

    Kms(seed = "kotlin kms".toByteArray(), startTimeMs = start).use { kms ->
        check("kms: defaults", kms.accountId() == account && kms.region() == "us-east-1" && kms.partition() == "aws")
        check("kms: clock start", kms.nowMs() == start, "${kms.nowMs()}")
        kms.advanceMs(1500)
        check("kms: advance", kms.nowMs() == start + 1500, "${kms.nowMs()}")

        // create, encrypt, decrypt
        val meta = obj(kms.call("CreateKey", """{"Description":"kotlin"}"""))["KeyMetadata"] as Map<String, Any?>
        val keyId = meta["KeyId"] as String
        check("kms: create", meta["KeySpec"] == "SYMMETRIC_DEFAULT" && meta["Description"] == "kotlin", "$meta")
        val encrypted = obj(kms.call("Encrypt", """{"KeyId":"$keyId","Plaintext":"${b64("hello kotlin")}"}"""))
        val decrypted = obj(kms.call("Decrypt", """{"CiphertextBlob":"${encrypted["CiphertextBlob"]}"}"""))
        check("kms: encrypt/decrypt", String(dec.decode(decrypted["Plaintext"] as String)) == "hello kotlin" &&
            decrypted["KeyId"] == meta["Arn"], "$decrypted")

        // a bad key is a typed exception
        val unknown = "0bad0bad-0bad-4bad-8bad-0bad0bad0bad"
        try {
            kms.call("Encrypt", """{"KeyId":"$unknown","Plaintext":"${b64("x")}"}""")
            check("kms: NotFoundException", false, "no exception")
        } catch (e: KmsException.NotFoundException) {
            check("kms: NotFoundException", e.message?.contains("key/$unknown") == true, "${e.message}")
        }
        try {
            kms.call("Encrypt", "not json")
            check("kms: ValidationException", false, "no exception")
        } catch (e: KmsException.ValidationException) { check("kms: ValidationException", true) }

        // call_as: denied without an IAM policy, allowed with one
        val caller = """{"Principal":"$alice"}"""
        val request = """{"KeyId":"$keyId","Plaintext":"${b64("x")}"}"""
        check("kms: no denial yet", kms.lastDenial() == null)
        try {
            kms.callAs(caller, "Encrypt", request)
            check("kms: call_as denied", false, "no exception")
        } catch (e: KmsException.AccessDeniedException) {
            check("kms: call_as denied", e.message?.startsWith("User: $alice is not authorized to perform: kms:Encrypt") == true, "${e.message}")
        }
        val denial = kms.lastDenial()
        check("kms: last denial", denial?.decision == "IMPLICIT_DENY" && denial.explanation.contains("kms:Encrypt"), "$denial")
        val policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}"""
        kms.putPrincipalPolicy(alice, "encrypt", policy)
        check("kms: principal policies", kms.principalPolicies(alice) == listOf(PrincipalPolicy("encrypt", policy)))
        val allowed = obj(kms.callAs(caller, "Encrypt", request))
        check("kms: call_as allowed", allowed["KeyId"] == meta["Arn"], "$allowed")
        try {
            kms.callAs(caller, "Encrypt", request, "eu-west-1")
            check("kms: call_as region", false, "no exception")
        } catch (e: KmsException.NotFoundException) { check("kms: call_as region", true) }
        check("kms: delete policy", kms.deletePrincipalPolicy(alice, "encrypt") && !kms.deletePrincipalPolicy(alice, "encrypt"))
        try {
            kms.callAs(caller, "Encrypt", request)
            check("kms: denied again", false, "no exception")
        } catch (e: KmsException.AccessDeniedException) { check("kms: denied again", true) }
    }

    // deterministic mode: the seed file of testdata/kms reproduces the golden bytes exactly
    val golden = File(root, "testdata/kms")
    val config = obj(File(golden, "manifest.json").readText())["config"] as Map<String, Any?>
    val snapshot = File(golden, "snapshot.json").readBytes()
    Kms.fromSeed(File(golden, "seed.json").readBytes(), seed = (config["seed_utf8"] as String).toByteArray(),
        startTimeMs = (config["start_time_ms"] as Double).toLong()).use { kms ->
        check("kms: golden snapshot.json", kms.exportSnapshot().contentEquals(snapshot))
        check("kms: golden key.json", kms.exportKeyBlob("us-east-1", "alias/signing")
            .contentEquals(File(golden, "key.json").readBytes()))
    }
    Kms.fromSnapshot(snapshot).use { kms ->
        check("kms: restore snapshot", kms.exportSnapshot().contentEquals(snapshot) && kms.accountId() == account)
        val meta = obj(kms.call("DescribeKey", """{"KeyId":"alias/signing"}"""))["KeyMetadata"] as Map<String, Any?>
        check("kms: restored key", meta["KeyId"] == "44444444-4444-4444-8444-444444444444", "$meta")
    }
    Kms().use { kms ->
        val imported = obj(kms.importKeyBlob(File(golden, "key.json").readBytes()))
        val described = obj(kms.call("DescribeKey", """{"KeyId":"alias/signing"}"""))["KeyMetadata"]
        check("kms: import key blob", imported == described && imported["KeySpec"] == "ECC_NIST_P256", "$imported")
    }
    check("kms: operations", kmsOperations().containsAll(listOf("CreateKey", "Encrypt", "Decrypt", "CreateGrant")))

    // the object's surface
    val methods = KmsInterface::class.java.declaredMethods.map { it.name }.filter { !it.contains('$') }.toSet()
    val expected = setOf("call", "callIn", "callAs", "nowMs", "setTimeMs", "advanceMs", "accountId", "region",
        "partition", "exportSnapshot", "exportKeyBlob", "importKeyBlob", "putPrincipalPolicy",
        "deletePrincipalPolicy", "principalPolicies", "setPrincipalTags", "lastDenial", "client")
    check("kms: interface", methods == expected, "$methods")
}

// The typed client: KMS operations with records for requests and responses.
fun kmsTypedSection() {
    val start = 1_767_225_600_000L
    Kms(seed = "kotlin typed".toByteArray(), startTimeMs = start).use { kms ->
        val client = kms.client()
        check("typed: region", client.region() == "us-east-1")

        // symmetric: encrypt and decrypt under an encryption context
        val created = client.createKey(CreateKeyRequest(description = "typed")).keyMetadata
        check("typed: create", created.keySpec == "SYMMETRIC_DEFAULT" && created.description == "typed" &&
            created.creationDate == start && created.signingAlgorithms == null, "$created")
        val context = mapOf("purpose" to "test")
        val encrypted = client.encrypt(EncryptRequest(keyId = created.keyId, plaintext = "hello".toByteArray(),
            encryptionContext = context))
        check("typed: encrypt", encrypted.keyId == created.arn && encrypted.encryptionAlgorithm == "SYMMETRIC_DEFAULT")
        val decrypted = client.decrypt(DecryptRequest(ciphertextBlob = encrypted.ciphertextBlob, encryptionContext = context))
        check("typed: decrypt", String(decrypted.plaintext) == "hello" && decrypted.keyId == created.arn)
        try {
            client.decrypt(DecryptRequest(ciphertextBlob = encrypted.ciphertextBlob))
            check("typed: missing context", false, "no exception")
        } catch (e: KmsException.InvalidCiphertextException) { check("typed: missing context", true) }

        // asymmetric: sign in the KMS, verify in the KMS and offline with GetPublicKey's key
        val signing = client.createKey(CreateKeyRequest(keySpec = "ECC_NIST_P256", keyUsage = "SIGN_VERIFY")).keyMetadata
        val message = "order 42".toByteArray()
        val signature = client.sign(SignRequest(keyId = signing.keyId, message = message,
            signingAlgorithm = "ECDSA_SHA_256")).signature
        val valid = client.verify(VerifyRequest(keyId = signing.keyId, message = message, signature = signature,
            signingAlgorithm = "ECDSA_SHA_256"))
        check("typed: verify", valid.signatureValid)
        val publicKey = client.getPublicKey(KeyIdRequest(keyId = signing.keyId)).publicKey
        check("typed: offline verify", verify(publicKey, message, signature, "ECDSA_SHA_256"))

        // operations without a response body, and a state they change
        client.disableKey(KeyIdRequest(keyId = created.keyId))
        try {
            client.encrypt(EncryptRequest(keyId = created.keyId, plaintext = "x".toByteArray()))
            check("typed: disabled", false, "no exception")
        } catch (e: KmsException.DisabledException) { check("typed: disabled", true) }
        client.tagResource(TagResourceRequest(keyId = created.keyId, tags = listOf(Tag("team", "mobile"))))
        val tags = client.listResourceTags(ListRequest(keyId = created.keyId)).tags
        check("typed: tags", tags == listOf(Tag("team", "mobile")), "$tags")

        // another principal, another Region
        val session = kms.client(callerJson = """{"Principal":"arn:aws:iam::111122223333:user/bob"}""")
        try {
            session.describeKey(KeyIdRequest(keyId = signing.keyId))
            check("typed: caller", false, "no exception")
        } catch (e: KmsException.AccessDeniedException) { check("typed: caller", true) }
        val eu = kms.client(region = "eu-west-1").createKey(CreateKeyRequest()).keyMetadata
        check("typed: region arn", eu.arn.startsWith("arn:aws:kms:eu-west-1:111122223333:key/"), eu.arn)
    }
}

/** Envelope encryption (AWS Encryption SDK messages): keyrings, one shot, in chunks, the official
 *  Python ESDK's messages, tampering. */
@Suppress("UNCHECKED_CAST")
fun envelopeSection(root: File) {
    val data = File(root, "testdata/envelope")
    val keys = Json(File(data, "keys.json").readText()).parse() as Map<String, Any?>
    fun keyOf(name: String) = keys[name] as Map<String, Any?>
    val namespace = "kmskit-interop"
    fun plaintext(size: Int) = ByteArray(size) { ((31 * it + 7) and 0xFF).toByte() }
    fun aes() = Keyring.rawAes(namespace, "aes-256", hex(keyOf("aes-256")["hex"] as String))
    fun keyring(spec: Map<String, Any?>): Keyring {
        val name = spec["key"] as String
        val key = keyOf(name)
        return if (key["type"] == "aes") Keyring.rawAes(namespace, name, hex(key["hex"] as String))
        else Keyring.rawRsa(namespace, name, privateKey = (key["private_pem"] as String).toByteArray(),
            padding = spec["padding"] as String)
    }
    val ec = mapOf("purpose" to "kotlin", "tenant" to "exämple")

    // one shot, both suites
    for (suite in listOf("0x0478", "0x0578")) {
        val input = plaintext(10_000)
        val message = envelopeEncrypt(input, aes(), EncryptOptions(encryptionContext = ec, algorithmSuite = suite, frameLength = 1024u))
        val r = envelopeDecrypt(message, aes(), DecryptOptions(encryptionContext = ec))
        check("envelope: round trip $suite", r.plaintext.contentEquals(input) && r.algorithmSuite == suite &&
            r.frameLength == 1024u && r.messageId.size == 32 && ec.all { (k, v) -> r.encryptionContext[k] == v },
            "${r.algorithmSuite} ${r.frameLength} ${r.encryptionContext}")
    }
    val simple = envelopeDecrypt(envelopeEncrypt("defaults".toByteArray(), aes()), aes())
    check("envelope: default options", String(simple.plaintext) == "defaults" && simple.algorithmSuite == "0x0478" &&
        simple.frameLength == 4096u, "$simple")

    // in chunks: Encryptor and Decryptor
    val big = plaintext(50_000)
    val options = EncryptOptions(encryptionContext = ec, algorithmSuite = "0x0578", frameLength = 1000u)
    val streamed = java.io.ByteArrayOutputStream()
    Encryptor(aes(), options, big.size.toULong()).use { e ->
        for (i in big.indices step 777) streamed.write(e.update(big.copyOfRange(i, minOf(i + 777, big.size))))
        streamed.write(e.finish())
    }
    val message = streamed.toByteArray()
    val out = java.io.ByteArrayOutputStream()
    val info = Decryptor(aes(), DecryptOptions(encryptionContext = ec)).use { d ->
        for (i in message.indices step 333) out.write(d.update(message.copyOfRange(i, minOf(i + 333, message.size))))
        val end = d.finish()
        out.write(end.plaintext)
        end.info
    }
    check("envelope: chunked", out.toByteArray().contentEquals(big) && info.algorithmSuite == "0x0578" &&
        info.frameLength == 1000u && info.encryptionContext.containsKey("aws-crypto-public-key"), "$info")
    check("envelope: chunked == one shot", envelopeDecrypt(message, aes()).plaintext.contentEquals(big))
    val held = Decryptor(aes(), DecryptOptions(release = "AFTER_VERIFICATION"))
    check("envelope: after verification", held.update(message).isEmpty() && held.finish().plaintext.contentEquals(big))
    held.close()

    // every message the official Python ESDK wrote
    val manifest = Json(File(data, "esdk-python/manifest.json").readText()).parse() as Map<String, Any?>
    var vectors = 0
    for (v in manifest["vectors"] as List<Map<String, Any?>>) {
        val name = v["name"] as String
        val strict = v["commitment_policy"] == "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
        val opts = DecryptOptions(commitmentPolicy = if (strict) null else "REQUIRE_ENCRYPT_ALLOW_DECRYPT")
        val bytes = File(data, "esdk-python/${v["file"]}").readBytes()
        val expected = plaintext((v["plaintext_size"] as Double).toInt())
        var ok = true
        for (spec in v["keyrings"] as List<Map<String, Any?>>) {
            try {
                val r = envelopeDecrypt(bytes, keyring(spec), opts)
                ok = ok && r.plaintext.contentEquals(expected) &&
                    r.algorithmSuite.lowercase() == (v["suite"] as String).lowercase() &&
                    (v["encryption_context"] as Map<String, Any?>).all { (k, x) -> r.encryptionContext[k] == x }
            } catch (e: KmsException) { ok = false; System.err.println("$name: $e") }
        }
        if (!strict) ok = ok && try { envelopeDecrypt(bytes, keyring((v["keyrings"] as List<Map<String, Any?>>)[0])); false }
            catch (e: KmsException.InvalidCiphertextException) { true }
        check("envelope: esdk-python $name", ok)
        vectors++
    }
    check("envelope: esdk-python vectors found", vectors >= 60, "$vectors")

    // tampering and the wrong context are typed exceptions
    val sealed = envelopeEncrypt(plaintext(3000), aes(), EncryptOptions(encryptionContext = ec, frameLength = 1024u))
    for (at in listOf(5, 40, sealed.size / 2, sealed.size - 1)) {
        val bad = sealed.copyOf()
        bad[at] = (bad[at].toInt() xor 0x10).toByte()
        try { envelopeDecrypt(bad, aes()); check("envelope: tamper at $at", false, "no exception") }
        catch (e: KmsException.InvalidCiphertextException) { check("envelope: tamper at $at", true) }
    }
    try { envelopeDecrypt(sealed.copyOf(sealed.size - 10), aes()); check("envelope: truncated", false, "no exception") }
    catch (e: KmsException.InvalidCiphertextException) { check("envelope: truncated", true) }
    try {
        envelopeDecrypt(sealed, aes(), DecryptOptions(encryptionContext = mapOf("purpose" to "other")))
        check("envelope: wrong context", false, "no exception")
    } catch (e: KmsException.InvalidCiphertextException) { check("envelope: wrong context", true) }
    try { envelopeDecrypt(sealed, Keyring.rawAes(namespace, "other", ByteArray(32))); check("envelope: wrong key", false) }
    catch (e: KmsException.IncorrectKeyException) { check("envelope: wrong key", e.message?.contains("aes-256") == true, "${e.message}") }
    try { Keyring.rawAes(namespace, "k", ByteArray(5)); check("envelope: short key", false) }
    catch (e: KmsException.ValidationException) { check("envelope: short key", true) }

    // a local-KMS keyring over the Kms object, in a multi-keyring with raw AES
    Kms(seed = "kotlin envelope".toByteArray()).use { kms ->
        val keyId = ((Json(kms.call("CreateKey", "{}")).parse() as Map<String, Any?>)["KeyMetadata"] as Map<String, Any?>)["KeyId"] as String
        val kr = Keyring.kms(kms, keyId)
        val m = envelopeEncrypt("kms".toByteArray(), kr, EncryptOptions(encryptionContext = ec))
        check("envelope: kms keyring", String(envelopeDecrypt(m, kr).plaintext) == "kms" && kr.describe().contains(keyId), kr.describe())
        val multi = Keyring.multi(kr, listOf(aes()))
        val both = envelopeEncrypt("two".toByteArray(), multi)
        check("envelope: multi keyring", String(envelopeDecrypt(both, aes()).plaintext) == "two" &&
            String(envelopeDecrypt(both, kr).plaintext) == "two")
        val cached = Keyring.caching(kr, maxMessages = 2uL)
        check("envelope: caching keyring", (1..3).all { String(envelopeDecrypt(envelopeEncrypt("c".toByteArray(), cached), kr).plaintext) == "c" })
    }

    // the objects' surface
    fun methods(c: Class<*>) = c.declaredMethods.map { it.name }.filter { !it.contains('$') }.toSet()
    check("envelope: keyring interface", methods(KeyringInterface::class.java) == setOf("describe"), "${methods(KeyringInterface::class.java)}")
    check("envelope: stream interfaces", methods(EncryptorInterface::class.java) == setOf("update", "finish") &&
        methods(DecryptorInterface::class.java) == setOf("update", "finish"))
}
