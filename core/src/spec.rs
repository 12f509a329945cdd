//! Key specs, key usages and algorithms of AWS KMS, as data.
//!
//! Every enum here round-trips through its KMS string (`KeySpec::EccNistP256` ↔
//! `"ECC_NIST_P256"`). What a spec allows lives in one table, [`KeySpec::info`]; what an
//! algorithm needs lives in [`SigningAlgorithm::info`] and friends. Other modules ask the
//! tables instead of matching on variants, so a rule is written once.
//!
//! Sources: AWS KMS API Reference (`KeySpec`, `SigningAlgorithmSpec`, `MessageType`), and the
//! developer guide digests in `../shared/reference/kms-guide-2.md` §10–§13.

use alloc::string::String;
use alloc::vec::Vec;

/// Declares an enum of KMS strings with `ALL`, `as_str`, `parse`, `Display` and `FromStr`.
macro_rules! kms_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $s:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* #[doc = concat!("`", $s, "`")] $variant,)*
        }

        impl $name {
            /// Every value, in KMS documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The KMS string.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)* }
            }

            /// Parses the KMS string (exact, case-sensitive, as KMS does).
            ///
            /// # Errors
            /// `ValidationException` naming the accepted values.
            pub fn parse(s: &str) -> $crate::error::Result<Self> {
                match s {
                    $($s => Ok($name::$variant),)*
                    _ => Err($crate::error::Error::validation(alloc::format!(
                        "'{}' is not a valid {}; expected one of: {}",
                        s, stringify!($name),
                        Self::ALL.iter().map(|v| v.as_str()).collect::<alloc::vec::Vec<_>>().join(", ")
                    ))),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { f.pad(self.as_str()) }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(s: &str) -> $crate::error::Result<Self> { Self::parse(s) }
        }
    };
}
pub(crate) use kms_enum;

kms_enum! {
    /// The type of key material (`KeySpec` in CreateKey, DescribeKey and GetPublicKey).
    KeySpec {
        SymmetricDefault = "SYMMETRIC_DEFAULT",
        Hmac224 = "HMAC_224",
        Hmac256 = "HMAC_256",
        Hmac384 = "HMAC_384",
        Hmac512 = "HMAC_512",
        Rsa2048 = "RSA_2048",
        Rsa3072 = "RSA_3072",
        Rsa4096 = "RSA_4096",
        EccNistP256 = "ECC_NIST_P256",
        EccNistP384 = "ECC_NIST_P384",
        EccNistP521 = "ECC_NIST_P521",
        EccSecgP256k1 = "ECC_SECG_P256K1",
        EccNistEdwards25519 = "ECC_NIST_EDWARDS25519",
        MlDsa44 = "ML_DSA_44",
        MlDsa65 = "ML_DSA_65",
        MlDsa87 = "ML_DSA_87",
        MlKem512 = "ML_KEM_512",
        MlKem768 = "ML_KEM_768",
        MlKem1024 = "ML_KEM_1024",
        Sm2 = "SM2",
    }
}

kms_enum! {
    /// What a key may be used for (`KeyUsage`), fixed at creation.
    KeyUsage {
        EncryptDecrypt = "ENCRYPT_DECRYPT",
        SignVerify = "SIGN_VERIFY",
        GenerateVerifyMac = "GENERATE_VERIFY_MAC",
        KeyAgreement = "KEY_AGREEMENT",
        EncapsulateDecapsulate = "ENCAPSULATE_DECAPSULATE",
    }
}

kms_enum! {
    /// `EncryptionAlgorithmSpec`.
    EncryptionAlgorithm {
        SymmetricDefault = "SYMMETRIC_DEFAULT",
        RsaesOaepSha1 = "RSAES_OAEP_SHA_1",
        RsaesOaepSha256 = "RSAES_OAEP_SHA_256",
        Sm2pke = "SM2PKE",
    }
}

kms_enum! {
    /// `SigningAlgorithmSpec`.
    SigningAlgorithm {
        RsassaPssSha256 = "RSASSA_PSS_SHA_256",
        RsassaPssSha384 = "RSASSA_PSS_SHA_384",
        RsassaPssSha512 = "RSASSA_PSS_SHA_512",
        RsassaPkcs1V15Sha256 = "RSASSA_PKCS1_V1_5_SHA_256",
        RsassaPkcs1V15Sha384 = "RSASSA_PKCS1_V1_5_SHA_384",
        RsassaPkcs1V15Sha512 = "RSASSA_PKCS1_V1_5_SHA_512",
        EcdsaSha256 = "ECDSA_SHA_256",
        EcdsaSha384 = "ECDSA_SHA_384",
        EcdsaSha512 = "ECDSA_SHA_512",
        Sm2dsa = "SM2DSA",
        Ed25519Sha512 = "ED25519_SHA_512",
        Ed25519PhSha512 = "ED25519_PH_SHA_512",
        MlDsaShake256 = "ML_DSA_SHAKE_256",
    }
}

kms_enum! {
    /// `MacAlgorithmSpec`.
    MacAlgorithm {
        HmacSha224 = "HMAC_SHA_224",
        HmacSha256 = "HMAC_SHA_256",
        HmacSha384 = "HMAC_SHA_384",
        HmacSha512 = "HMAC_SHA_512",
    }
}

kms_enum! {
    /// `KeyAgreementAlgorithmSpec`.
    KeyAgreementAlgorithm {
        Ecdh = "ECDH",
    }
}

kms_enum! {
    /// `KeyEncapsulationAlgorithmSpec` (Encapsulate / Decapsulate).
    KeyEncapsulationAlgorithm {
        MlKem = "ML_KEM",
    }
}

kms_enum! {
    /// `MessageType` of Sign and Verify: how `Message` is to be read.
    MessageType {
        /// The message itself; the algorithm hashes it.
        Raw = "RAW",
        /// A digest; the algorithm's hashing step is skipped.
        Digest = "DIGEST",
        /// The 64-byte ML-DSA message representative μ (FIPS 204 §6.2).
        ExternalMu = "EXTERNAL_MU",
    }
}

kms_enum! {
    /// `DataKeySpec` of GenerateDataKey.
    DataKeySpec {
        Aes256 = "AES_256",
        Aes128 = "AES_128",
    }
}

kms_enum! {
    /// `DataKeyPairSpec` of GenerateDataKeyPair (no ML-DSA pairs, as in KMS).
    DataKeyPairSpec {
        Rsa2048 = "RSA_2048",
        Rsa3072 = "RSA_3072",
        Rsa4096 = "RSA_4096",
        EccNistP256 = "ECC_NIST_P256",
        EccNistP384 = "ECC_NIST_P384",
        EccNistP521 = "ECC_NIST_P521",
        EccSecgP256k1 = "ECC_SECG_P256K1",
        EccNistEdwards25519 = "ECC_NIST_EDWARDS25519",
        Sm2 = "SM2",
        MlKem512 = "ML_KEM_512",
        MlKem768 = "ML_KEM_768",
        MlKem1024 = "ML_KEM_1024",
    }
}

/// A hash function as used by a signing algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hash {
    /// SHA-256 (32-byte digest).
    Sha256,
    /// SHA-384 (48-byte digest).
    Sha384,
    /// SHA-512 (64-byte digest).
    Sha512,
    /// SM3 (32-byte digest), over Z‖M for SM2DSA.
    Sm3,
    /// SHAKE256, as inside ML-DSA (no separate digest form).
    Shake256,
}

impl Hash {
    /// The digest length in bytes that `MessageType: DIGEST` requires.
    pub const fn output_len(self) -> usize {
        match self {
            Hash::Sha256 | Hash::Sm3 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 | Hash::Shake256 => 64,
        }
    }
}

/// The family of key material behind a [`KeySpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// AES-256-GCM symmetric key.
    Symmetric,
    /// HMAC key of the given size in bytes.
    Hmac,
    /// RSA key pair.
    Rsa,
    /// ECC key pair on a NIST or SECG curve.
    Ecc,
    /// Ed25519 key pair.
    Ed25519,
    /// ML-DSA (FIPS 204) key pair.
    MlDsa,
    /// ML-KEM (FIPS 203) key pair.
    MlKem,
    /// SM2 key pair (GB/T 32918).
    Sm2,
}

/// What KMS allows for one [`KeySpec`].
#[derive(Debug)]
pub struct KeySpecInfo {
    /// The spec this row describes.
    pub spec: KeySpec,
    /// Which kind of key material it is.
    pub family: KeyFamily,
    /// Key size in bits (RSA modulus, curve order, HMAC key, AES key, ML security category).
    pub bits: u32,
    /// The key usages CreateKey accepts for this spec.
    pub usages: &'static [KeyUsage],
    /// Encryption algorithms, for usage ENCRYPT_DECRYPT.
    pub encryption: &'static [EncryptionAlgorithm],
    /// Signing algorithms, for usage SIGN_VERIFY.
    pub signing: &'static [SigningAlgorithm],
    /// MAC algorithms, for usage GENERATE_VERIFY_MAC.
    pub mac: &'static [MacAlgorithm],
    /// Key agreement algorithms, for usage KEY_AGREEMENT.
    pub key_agreement: &'static [KeyAgreementAlgorithm],
    /// Key encapsulation algorithms, for usage ENCAPSULATE_DECAPSULATE.
    pub key_encapsulation: &'static [KeyEncapsulationAlgorithm],
}

use EncryptionAlgorithm as E;
use KeyUsage as U;
use SigningAlgorithm as S;

const RSA_USAGES: &[KeyUsage] = &[U::EncryptDecrypt, U::SignVerify];
const RSA_ENC: &[EncryptionAlgorithm] = &[E::RsaesOaepSha1, E::RsaesOaepSha256];
/// In the order DescribeKey lists them (PKCS#1 v1.5 first).
const RSA_SIGN: &[SigningAlgorithm] = &[
    S::RsassaPkcs1V15Sha256,
    S::RsassaPkcs1V15Sha384,
    S::RsassaPkcs1V15Sha512,
    S::RsassaPssSha256,
    S::RsassaPssSha384,
    S::RsassaPssSha512,
];
/// NIST curves sign or agree (DeriveSharedSecret); secp256k1 only signs.
const ECC_NIST_USAGES: &[KeyUsage] = &[U::SignVerify, U::KeyAgreement];
const ECDH: &[KeyAgreementAlgorithm] = &[KeyAgreementAlgorithm::Ecdh];
const ML_KEM: &[KeyEncapsulationAlgorithm] = &[KeyEncapsulationAlgorithm::MlKem];

const fn row(
    spec: KeySpec,
    family: KeyFamily,
    bits: u32,
    usages: &'static [KeyUsage],
) -> KeySpecInfo {
    KeySpecInfo {
        spec,
        family,
        bits,
        usages,
        encryption: &[],
        signing: &[],
        mac: &[],
        key_agreement: &[],
        key_encapsulation: &[],
    }
}

/// The spec table, in [`KeySpec::ALL`] order (a unit test holds it to that).
static SPECS: [KeySpecInfo; 20] = [
    KeySpecInfo {
        encryption: &[E::SymmetricDefault],
        ..row(
            KeySpec::SymmetricDefault,
            KeyFamily::Symmetric,
            256,
            &[U::EncryptDecrypt],
        )
    },
    KeySpecInfo {
        mac: &[MacAlgorithm::HmacSha224],
        ..row(
            KeySpec::Hmac224,
            KeyFamily::Hmac,
            224,
            &[U::GenerateVerifyMac],
        )
    },
    KeySpecInfo {
        mac: &[MacAlgorithm::HmacSha256],
        ..row(
            KeySpec::Hmac256,
            KeyFamily::Hmac,
            256,
            &[U::GenerateVerifyMac],
        )
    },
    KeySpecInfo {
        mac: &[MacAlgorithm::HmacSha384],
        ..row(
            KeySpec::Hmac384,
            KeyFamily::Hmac,
            384,
            &[U::GenerateVerifyMac],
        )
    },
    KeySpecInfo {
        mac: &[MacAlgorithm::HmacSha512],
        ..row(
            KeySpec::Hmac512,
            KeyFamily::Hmac,
            512,
            &[U::GenerateVerifyMac],
        )
    },
    KeySpecInfo {
        encryption: RSA_ENC,
        signing: RSA_SIGN,
        ..row(KeySpec::Rsa2048, KeyFamily::Rsa, 2048, RSA_USAGES)
    },
    KeySpecInfo {
        encryption: RSA_ENC,
        signing: RSA_SIGN,
        ..row(KeySpec::Rsa3072, KeyFamily::Rsa, 3072, RSA_USAGES)
    },
    KeySpecInfo {
        encryption: RSA_ENC,
        signing: RSA_SIGN,
        ..row(KeySpec::Rsa4096, KeyFamily::Rsa, 4096, RSA_USAGES)
    },
    KeySpecInfo {
        signing: &[S::EcdsaSha256],
        key_agreement: ECDH,
        ..row(KeySpec::EccNistP256, KeyFamily::Ecc, 256, ECC_NIST_USAGES)
    },
    KeySpecInfo {
        signing: &[S::EcdsaSha384],
        key_agreement: ECDH,
        ..row(KeySpec::EccNistP384, KeyFamily::Ecc, 384, ECC_NIST_USAGES)
    },
    KeySpecInfo {
        signing: &[S::EcdsaSha512],
        key_agreement: ECDH,
        ..row(KeySpec::EccNistP521, KeyFamily::Ecc, 521, ECC_NIST_USAGES)
    },
    KeySpecInfo {
        signing: &[S::EcdsaSha256],
        ..row(
            KeySpec::EccSecgP256k1,
            KeyFamily::Ecc,
            256,
            &[U::SignVerify],
        )
    },
    KeySpecInfo {
        signing: &[S::Ed25519Sha512, S::Ed25519PhSha512],
        ..row(
            KeySpec::EccNistEdwards25519,
            KeyFamily::Ed25519,
            256,
            &[U::SignVerify],
        )
    },
    KeySpecInfo {
        signing: &[S::MlDsaShake256],
        ..row(KeySpec::MlDsa44, KeyFamily::MlDsa, 128, &[U::SignVerify])
    },
    KeySpecInfo {
        signing: &[S::MlDsaShake256],
        ..row(KeySpec::MlDsa65, KeyFamily::MlDsa, 192, &[U::SignVerify])
    },
    KeySpecInfo {
        signing: &[S::MlDsaShake256],
        ..row(KeySpec::MlDsa87, KeyFamily::MlDsa, 256, &[U::SignVerify])
    },
    KeySpecInfo {
        key_encapsulation: ML_KEM,
        ..row(
            KeySpec::MlKem512,
            KeyFamily::MlKem,
            128,
            &[U::EncapsulateDecapsulate],
        )
    },
    KeySpecInfo {
        key_encapsulation: ML_KEM,
        ..row(
            KeySpec::MlKem768,
            KeyFamily::MlKem,
            192,
            &[U::EncapsulateDecapsulate],
        )
    },
    KeySpecInfo {
        key_encapsulation: ML_KEM,
        ..row(
            KeySpec::MlKem1024,
            KeyFamily::MlKem,
            256,
            &[U::EncapsulateDecapsulate],
        )
    },
    KeySpecInfo {
        encryption: &[E::Sm2pke],
        signing: &[S::Sm2dsa],
        key_agreement: ECDH,
        ..row(
            KeySpec::Sm2,
            KeyFamily::Sm2,
            256,
            &[U::EncryptDecrypt, U::SignVerify, U::KeyAgreement],
        )
    },
];

impl KeySpec {
    /// What KMS allows for this spec.
    pub fn info(self) -> &'static KeySpecInfo {
        &SPECS[self as usize]
    }

    /// True for specs whose public half can leave KMS (GetPublicKey).
    pub fn is_asymmetric(self) -> bool {
        !matches!(self.info().family, KeyFamily::Symmetric | KeyFamily::Hmac)
    }

    /// Whether `usage` is allowed for this spec.
    pub fn allows_usage(self, usage: KeyUsage) -> bool {
        self.info().usages.contains(&usage)
    }
}

/// How a signing algorithm produces its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// RSASSA-PSS (RFC 8017 §8.1), MGF1 with the same hash, salt length = hash length.
    RsaPss,
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1v15,
    /// ECDSA (FIPS 186-4 §6.4), DER `SEQUENCE { r, s }` signatures.
    Ecdsa,
    /// SM2 digital signature (GB/T 32918.2), DER `SEQUENCE { r, s }`, e = SM3(Z‖M).
    Sm2,
    /// Pure Ed25519 (RFC 8032 §5.1).
    Ed25519,
    /// Ed25519ph (RFC 8032 §5.1, prehashed with SHA-512, empty context).
    Ed25519ph,
    /// ML-DSA (FIPS 204), empty context.
    MlDsa,
}

/// What a [`SigningAlgorithm`] needs.
#[derive(Debug)]
pub struct SigningAlgorithmInfo {
    /// The algorithm this row describes.
    pub algorithm: SigningAlgorithm,
    /// The signature scheme.
    pub scheme: SignatureScheme,
    /// The hash function applied to a RAW message.
    pub hash: Hash,
    /// The message types KMS accepts with this algorithm.
    pub message_types: &'static [MessageType],
}

const RAW_DIGEST: &[MessageType] = &[MessageType::Raw, MessageType::Digest];

const fn alg(
    algorithm: SigningAlgorithm,
    scheme: SignatureScheme,
    hash: Hash,
    message_types: &'static [MessageType],
) -> SigningAlgorithmInfo {
    SigningAlgorithmInfo {
        algorithm,
        scheme,
        hash,
        message_types,
    }
}

/// The signing-algorithm table, in [`SigningAlgorithm::ALL`] order.
static SIGNING: [SigningAlgorithmInfo; 13] = {
    use Hash::*;
    use SignatureScheme as Sc;
    [
        alg(S::RsassaPssSha256, Sc::RsaPss, Sha256, RAW_DIGEST),
        alg(S::RsassaPssSha384, Sc::RsaPss, Sha384, RAW_DIGEST),
        alg(S::RsassaPssSha512, Sc::RsaPss, Sha512, RAW_DIGEST),
        alg(S::RsassaPkcs1V15Sha256, Sc::RsaPkcs1v15, Sha256, RAW_DIGEST),
        alg(S::RsassaPkcs1V15Sha384, Sc::RsaPkcs1v15, Sha384, RAW_DIGEST),
        alg(S::RsassaPkcs1V15Sha512, Sc::RsaPkcs1v15, Sha512, RAW_DIGEST),
        alg(S::EcdsaSha256, Sc::Ecdsa, Sha256, RAW_DIGEST),
        alg(S::EcdsaSha384, Sc::Ecdsa, Sha384, RAW_DIGEST),
        alg(S::EcdsaSha512, Sc::Ecdsa, Sha512, RAW_DIGEST),
        alg(S::Sm2dsa, Sc::Sm2, Sm3, RAW_DIGEST),
        // KMS: "ED25519_SHA_512 signing algorithm requires KMS MessageType:RAW".
        alg(S::Ed25519Sha512, Sc::Ed25519, Sha512, &[MessageType::Raw]),
        // KMS: "ED25519_PH_SHA_512 requires MessageType:DIGEST" and still applies the SHA-512
        // prehash to it, so the signature is Ed25519ph over the caller's 64-byte digest.
        alg(
            S::Ed25519PhSha512,
            Sc::Ed25519ph,
            Sha512,
            &[MessageType::Digest],
        ),
        // KMS documents RAW (≤ 4 KB) and EXTERNAL_MU for ML-DSA, never DIGEST.
        alg(
            S::MlDsaShake256,
            Sc::MlDsa,
            Shake256,
            &[MessageType::Raw, MessageType::ExternalMu],
        ),
    ]
};

impl SigningAlgorithm {
    /// What this algorithm needs.
    pub fn info(self) -> &'static SigningAlgorithmInfo {
        &SIGNING[self as usize]
    }
}

/// KMS limits that do not depend on a key (API Reference: Sign, Encrypt, GenerateMac).
pub mod limits {
    /// Largest `Message` for Sign/Verify with `MessageType: RAW`, and for GenerateMac.
    /// (The API model's `PlaintextType` is 1 to 4096 bytes: an empty message is rejected too.)
    pub const MAX_RAW_MESSAGE: usize = 4096;
    /// Largest plaintext for symmetric Encrypt.
    pub const MAX_SYMMETRIC_PLAINTEXT: usize = 4096;
    /// The length of an ML-DSA external μ.
    pub const EXTERNAL_MU_LEN: usize = 64;
}

/// Lists KMS strings of a slice of values, as DescribeKey does.
pub fn names<T: Copy>(values: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
    values.iter().map(|&v| String::from(as_str(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_follow_enum_order() {
        for (i, &spec) in KeySpec::ALL.iter().enumerate() {
            assert_eq!(SPECS[i].spec, spec);
        }
        for (i, &a) in SigningAlgorithm::ALL.iter().enumerate() {
            assert_eq!(SIGNING[i].algorithm, a);
        }
    }

    #[test]
    fn strings_round_trip() {
        for &s in KeySpec::ALL {
            assert_eq!(KeySpec::parse(s.as_str()), Ok(s));
        }
        for &a in SigningAlgorithm::ALL {
            assert_eq!(a.as_str().parse::<SigningAlgorithm>(), Ok(a));
        }
        let err = KeySpec::parse("ecc_nist_p256").unwrap_err();
        assert!(err.message().contains("ECC_NIST_P256"), "{err}");
    }

    #[test]
    fn every_signing_algorithm_belongs_to_a_spec() {
        for &a in SigningAlgorithm::ALL {
            assert!(
                KeySpec::ALL.iter().any(|s| s.info().signing.contains(&a)),
                "{a}"
            );
        }
    }

    #[test]
    fn every_listed_algorithm_has_its_usage() {
        for &s in KeySpec::ALL {
            let i = s.info();
            assert_eq!(
                !i.encryption.is_empty(),
                s.allows_usage(KeyUsage::EncryptDecrypt),
                "{s}"
            );
            assert_eq!(
                !i.signing.is_empty(),
                s.allows_usage(KeyUsage::SignVerify),
                "{s}"
            );
            assert_eq!(
                !i.mac.is_empty(),
                s.allows_usage(KeyUsage::GenerateVerifyMac),
                "{s}"
            );
            assert_eq!(
                !i.key_agreement.is_empty(),
                s.allows_usage(KeyUsage::KeyAgreement),
                "{s}"
            );
            assert_eq!(
                !i.key_encapsulation.is_empty(),
                s.allows_usage(KeyUsage::EncapsulateDecapsulate),
                "{s}"
            );
        }
    }
}
