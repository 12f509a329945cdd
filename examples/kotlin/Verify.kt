// Verify an ECDSA P-256 signature offline, exactly as AWS KMS Verify would (Kotlin, via uniffi).
// Build and run: see ci/test.sh (kotlinc with the generated bindings, then java with JNA).
import uniffi.kmskit_uniffi.KmsException
import uniffi.kmskit_uniffi.verify
import java.io.File

fun main(args: Array<String>) {
    val data = File(args.getOrElse(0) { "." }, "testdata/skeleton")
    val publicKey = File(data, "p256-public.der").readBytes() // GetPublicKey -> PublicKey (DER SPKI)
    val message = File(data, "message.txt").readBytes()
    val signature = File(data, "p256-raw.sig").readBytes() // Sign -> Signature (DER ECDSA)

    println("RAW message, genuine signature: ${verify(publicKey, message, signature, "ECDSA_SHA_256")}")
    println("RAW message, tampered message:  ${verify(publicKey, message + '!'.code.toByte(), signature, "ECDSA_SHA_256")}")
    try {
        verify(publicKey, message, signature, "ECDSA_SHA_384")
    } catch (e: KmsException.InvalidKeyUsageException) {
        println("wrong algorithm throws InvalidKeyUsageException: ${e.message}")
    }
}
