// A local AWS KMS in a Kotlin app (via uniffi), with typed requests and responses: create a
// signing key, sign, verify the signature offline with GetPublicKey's key, and encrypt under an
// encryption context — no cloud account, no network.
// Build and run: see ci/test.sh (kotlinc with the generated bindings, then java with JNA).
import uniffi.kmskit_uniffi.*

fun main() {
    // a seed and a fixed clock make key IDs, key material and dates repeatable
    Kms(seed = "kotlin example".toByteArray(), startTimeMs = 1_767_225_600_000L).use { kms ->
        val client = kms.client() // the account root, in the default Region

        val key = client.createKey(CreateKeyRequest(keySpec = "ECC_NIST_P256", keyUsage = "SIGN_VERIFY")).keyMetadata
        println("created ${key.keyId} (${key.keySpec}, ${key.keyState})")

        val message = "pay 42 to alice".toByteArray()
        val signature = client.sign(SignRequest(keyId = key.keyId, message = message,
            signingAlgorithm = "ECDSA_SHA_256")).signature
        val publicKey = client.getPublicKey(KeyIdRequest(keyId = key.keyId)).publicKey
        println("offline verify: ${verify(publicKey, message, signature, "ECDSA_SHA_256")}")

        val secretKey = client.createKey(CreateKeyRequest(description = "app secrets")).keyMetadata
        val context = mapOf("app" to "example")
        val blob = client.encrypt(EncryptRequest(keyId = secretKey.keyId, plaintext = "s3cr3t".toByteArray(),
            encryptionContext = context)).ciphertextBlob
        val plain = client.decrypt(DecryptRequest(ciphertextBlob = blob, encryptionContext = context)).plaintext
        println("decrypted: ${String(plain)}")
        try {
            client.decrypt(DecryptRequest(ciphertextBlob = blob)) // the context is part of the ciphertext
        } catch (e: KmsException.InvalidCiphertextException) {
            println("without its encryption context: InvalidCiphertextException")
        }
    }
}
