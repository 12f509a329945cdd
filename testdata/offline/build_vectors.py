"""Builds testdata/offline/vectors.json with tools independent of kmskit (run by make.sh).

Every signature, ciphertext and shared secret comes from the OpenSSL 3.0 CLI, the JDK (SunEC,
for Ed25519ph) or Python `cryptography` (for ML-DSA and ML-KEM, which OpenSSL 3.0 lacks).
Python itself only hashes, re-encodes DER (high-S, SM2 ciphertext parts) and assembles JSON. Every `true`/`false`
expectation is re-checked here by a second path through an independent tool before it is written
(see `oracle`), so a wrong vector fails the build instead of a test. The format is in README.md.

Usage: python build_vectors.py > vectors.json   (needs `openssl` 3.0, `java` >= 17, and
cryptography 50 for ML-DSA and ML-KEM; make.sh picks the interpreter).
"""

import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.exceptions import InvalidSignature
import cryptography

HERE = pathlib.Path(__file__).resolve().parent
TMP = pathlib.Path(tempfile.mkdtemp(prefix="kmskit-offline-"))
OPENSSL = "openssl"

MESSAGE = b"kmskit offline golden vector: the quick brown fox jumps over the lazy dog\n"
DEFAULT_ID = "1234567812345678"
CUSTOM_ID = "ALICE123@YAHOO.COM"  # GM/T 0003.5 / GB/T 32918 example ID

# Group orders (for high-S and low-S), read from OpenSSL's explicit curve parameters.
CURVE_NAME = {"ECC_NIST_P256": "prime256v1", "ECC_NIST_P384": "secp384r1",
              "ECC_NIST_P521": "secp521r1", "ECC_SECG_P256K1": "secp256k1", "SM2": "SM2"}
ORDER = {}
SCALAR_LEN = {"ECC_NIST_P256": 32, "ECC_NIST_P384": 48, "ECC_NIST_P521": 66,
              "ECC_SECG_P256K1": 32, "SM2": 32}
# sm2p256v1 (GB/T 32918.5) a, b, G: for Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
SM2_A = bytes.fromhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC")
SM2_B = bytes.fromhex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93")
SM2_G = bytes.fromhex(
    "04"
    "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
    "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")

HASH = {  # KMS hash name -> (openssl name, hashlib constructor, cryptography class)
    "SHA_256": ("sha256", hashlib.sha256, hashes.SHA256),
    "SHA_384": ("sha384", hashlib.sha384, hashes.SHA384),
    "SHA_512": ("sha512", hashlib.sha512, hashes.SHA512),
}

OPENSSL_TOOL = "openssl-cli"  # filled in with the version below
PYCA_TOOL = "python-cryptography"
JAVA_TOOL = "jdk-sunec"


# ---------------------------------------------------------------------------------------------
# Small helpers


def ossl(*args, data=None):
    """Runs the OpenSSL CLI; returns stdout. Raises with stderr on failure."""
    p = subprocess.run([OPENSSL, *args], input=data, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{p.stderr.decode()}")
    return p.stdout


def ossl_ok(*args):
    """True when the OpenSSL command succeeds (for verify self-checks)."""
    return subprocess.run([OPENSSL, *args], capture_output=True).returncode == 0


_counter = [0]


def tmpfile(data: bytes) -> str:
    _counter[0] += 1
    p = TMP / f"f{_counter[0]}.bin"
    p.write_bytes(data)
    return str(p)


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def flip(b: bytes, index: int = -1) -> bytes:
    out = bytearray(b)
    out[index] ^= 0x01
    return bytes(out)


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + der_len(len(body)) + body


def der_uint(x: int) -> bytes:
    return der_tlv(0x02, x.to_bytes(x.bit_length() // 8 + 1, "big"))


def curve_order(spec) -> int:
    """n from `openssl ecparam -param_enc explicit`: SEQUENCE { version, field, curve, G, n, h }."""
    der = ossl("ecparam", "-name", CURVE_NAME[spec], "-param_enc", "explicit", "-outform", "DER")
    _, body, _ = der_read(der, 0)
    pos = 0
    for _ in range(4):
        _, _, pos = der_read(body, pos)
    tag, n, _ = der_read(body, pos)
    assert tag == 0x02
    return int.from_bytes(n, "big")


def der_read(buf: bytes, pos: int):
    """Reads one DER TLV at pos: (tag, body, next_pos)."""
    tag = buf[pos]
    n = buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    return tag, buf[pos:pos + n], pos + n


# ---------------------------------------------------------------------------------------------
# Keys

KEYS = {}
PRIV_FILES = {}  # key name -> private key PEM path (OpenSSL keys)
PUB_FILES = {}  # key name -> public key PEM path


def add_key(name, spec, pub_der, pub_pem, private_pem, tool):
    KEYS[name] = {"spec": spec, "tool": tool, "der_hex": pub_der.hex(), "pem": pub_pem}
    if private_pem is not None:
        KEYS[name]["private_pem"] = private_pem


def openssl_key(name, spec, *genargs):
    priv = TMP / f"{name}.pem"
    ossl("genpkey", *genargs, "-out", str(priv))
    pub = TMP / f"{name}.pub.pem"
    ossl("pkey", "-in", str(priv), "-pubout", "-out", str(pub))
    der = ossl("pkey", "-in", str(priv), "-pubout", "-outform", "DER")
    PRIV_FILES[name] = str(priv)
    PUB_FILES[name] = str(pub)
    add_key(name, spec, der, pub.read_text(), priv.read_text(), OPENSSL_TOOL)


def pub_der(name) -> bytes:
    return bytes.fromhex(KEYS[name]["der_hex"])


def sec1_point(name) -> bytes:
    """The uncompressed point at the end of an EC SubjectPublicKeyInfo."""
    der = pub_der(name)
    length = 1 + 2 * SCALAR_LEN[KEYS[name]["spec"]]
    assert der[-length] == 0x04
    return der[-length:]


# ---------------------------------------------------------------------------------------------
# Cases

VERIFY = []
ENCRYPT = []
DECRYPT = []
DERIVE = []
SM2_DIGEST = []
SM2_CIPHERTEXT = []
ML_DSA_MU = []
DECAPSULATE = []
ECDSA_ENCODINGS = []


def verify_case(name, key, algorithm, message_type, message, signature, expect, tool,
                distinguishing_id=None, note=None):
    c = {"name": name, "key": key, "algorithm": algorithm, "message_type": message_type,
         "message_hex": message.hex(), "signature_hex": signature.hex()}
    if distinguishing_id is not None:
        c["distinguishing_id"] = distinguishing_id
    c["expect"] = expect
    c["tool"] = tool
    if note:
        c["note"] = note
    if isinstance(expect, bool):
        got = oracle(c)
        if got is not None and got != expect:
            raise AssertionError(f"independent oracle says {got} for {name}, expected {expect}")
    VERIFY.append(c)


def oracle(c):
    """Re-checks a verify case with an independent implementation; None when none applies."""
    key = KEYS[c["key"].removesuffix(":pem")]
    spec, alg, mt = key["spec"], c["algorithm"], c["message_type"]
    msg, sig = bytes.fromhex(c["message_hex"]), bytes.fromhex(c["signature_hex"])
    if spec == "SM2" and alg == "SM2DSA":
        pub = PUB_FILES[c["key"].removesuffix(":pem")]
        if mt == "DIGEST":
            return ossl_ok("pkeyutl", "-verify", "-pubin", "-inkey", pub, "-in", tmpfile(msg),
                           "-sigfile", tmpfile(sig))
        ident = c.get("distinguishing_id", DEFAULT_ID)
        opts = ["-sigopt", f"distid:{ident}"] if ident else []
        return ossl_ok("dgst", "-sm3", "-verify", pub, *opts, "-signature", tmpfile(sig),
                       tmpfile(msg))
    if alg == "ED25519_PH_SHA_512":
        return None  # only the JDK has Ed25519ph here; checked against RFC 8032 instead
    pk = serialization.load_der_public_key(bytes.fromhex(key["der_hex"]))
    try:
        if alg.startswith("RSASSA_"):
            if not isinstance(pk, rsa.RSAPublicKey):
                return None
            h = HASH[alg[-7:]][2]()
            pad = (padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)
                   if "_PSS_" in alg else padding.PKCS1v15())
            pk.verify(sig, msg, pad, Prehashed(h) if mt == "DIGEST" else h)
        elif alg.startswith("ECDSA_"):
            if not isinstance(pk, ec.EllipticCurvePublicKey):
                return None
            h = HASH[alg[-7:]][2]()
            pk.verify(sig, msg, ec.ECDSA(Prehashed(h) if mt == "DIGEST" else h))
        elif alg == "ED25519_SHA_512":
            if not isinstance(pk, ed25519.Ed25519PublicKey):
                return None
            pk.verify(sig, msg)
        elif alg == "ML_DSA_SHAKE_256":
            if mt == "EXTERNAL_MU":
                return None  # pyca verifies messages only; mu checked via the message instead
            pk.verify(sig, msg)
        else:
            return None
        return True
    except InvalidSignature:
        return False


# ---------------------------------------------------------------------------------------------
# RSA


def rsa_opts(alg, flag):
    """OpenSSL options for an RSASSA algorithm: flag is -sigopt (dgst) or -pkeyopt (pkeyutl)."""
    md = HASH[alg[-7:]][0]
    if "_PSS_" in alg:
        return [flag, "rsa_padding_mode:pss", flag, "rsa_pss_saltlen:digest",
                flag, f"rsa_mgf1_md:{md}"]
    return [flag, "rsa_padding_mode:pkcs1"]


RSA_SIGN = [f"RSASSA_{s}_{h}" for s in ("PSS", "PKCS1_V1_5") for h in ("SHA_256", "SHA_384", "SHA_512")]


def rsa_signatures():
    msgfile = tmpfile(MESSAGE)
    sigs = {}
    for bits in (2048, 3072, 4096):
        key = f"rsa{bits}"
        for alg in RSA_SIGN:
            md, hfn, _ = HASH[alg[-7:]]
            digest = hfn(MESSAGE).digest()
            raw = ossl("dgst", f"-{md}", "-sign", PRIV_FILES[key], *rsa_opts(alg, "-sigopt"), msgfile)
            dig = ossl("pkeyutl", "-sign", "-inkey", PRIV_FILES[key], "-in", tmpfile(digest),
                       "-pkeyopt", f"digest:{md}", *rsa_opts(alg, "-pkeyopt"))
            # Self-check across the two paths: RAW via pkeyutl on the digest, DIGEST via dgst.
            assert ossl_ok("pkeyutl", "-verify", "-pubin", "-inkey", PUB_FILES[key], "-in",
                           tmpfile(digest), "-sigfile", tmpfile(raw), "-pkeyopt", f"digest:{md}",
                           *rsa_opts(alg, "-pkeyopt"))
            assert ossl_ok("dgst", f"-{md}", "-verify", PUB_FILES[key], *rsa_opts(alg, "-sigopt"),
                           "-signature", tmpfile(dig), msgfile)
            label = f"{alg} {key}"
            verify_case(f"{label} RAW", key, alg, "RAW", MESSAGE, raw, True,
                        f"{OPENSSL_TOOL}: dgst -sign")
            verify_case(f"{label} DIGEST", key, alg, "DIGEST", digest, dig, True,
                        f"{OPENSSL_TOOL}: pkeyutl -sign")
            sigs[(key, alg)] = (raw, dig, digest)
    # Negative cases, on RSA_2048.
    k = "rsa2048"
    t = f"{OPENSSL_TOOL} (negative)"
    raw, dig, digest = sigs[(k, "RSASSA_PSS_SHA_256")]
    praw, pdig, _ = sigs[(k, "RSASSA_PKCS1_V1_5_SHA_256")]
    verify_case("RSA PSS RAW, PEM key", f"{k}:pem", "RSASSA_PSS_SHA_256", "RAW", MESSAGE, raw, True,
                OPENSSL_TOOL)
    verify_case("RSA PSS RAW signature checked as DIGEST", k, "RSASSA_PSS_SHA_256", "DIGEST",
                digest, raw, True, OPENSSL_TOOL)
    verify_case("RSA PKCS1 DIGEST signature checked as RAW of the message", k,
                "RSASSA_PKCS1_V1_5_SHA_256", "RAW", MESSAGE, pdig, True, OPENSSL_TOOL)
    for alg, (r, d) in (("RSASSA_PSS_SHA_256", (raw, dig)), ("RSASSA_PKCS1_V1_5_SHA_256", (praw, pdig))):
        verify_case(f"{alg}: tampered message", k, alg, "RAW", MESSAGE + b"!", r, False, t)
        verify_case(f"{alg}: tampered signature", k, alg, "RAW", MESSAGE, flip(r), False, t)
        verify_case(f"{alg}: tampered first signature byte", k, alg, "RAW", MESSAGE, flip(r, 0),
                    False, t)
        verify_case(f"{alg}: wrong key", "rsa2048-other", alg, "RAW", MESSAGE, r, False, t)
        verify_case(f"{alg}: wrong key size (RSA_3072 key)", "rsa3072", alg, "RAW", MESSAGE, r,
                    False, t)
        verify_case(f"{alg}: digest sent as RAW (hashed twice)", k, alg, "RAW", digest, d, False, t)
        verify_case(f"{alg}: DIGEST of wrong length", k, alg, "DIGEST", digest[:-1], d,
                    "ValidationException", t)
        verify_case(f"{alg}: SHA-384-length DIGEST for a SHA-256 algorithm", k, alg, "DIGEST",
                    hashlib.sha384(MESSAGE).digest(), d, "ValidationException", t)
        verify_case(f"{alg}: truncated signature", k, alg, "RAW", MESSAGE, r[:-1], False, t)
    verify_case("PSS signature checked as PKCS1 v1.5", k, "RSASSA_PKCS1_V1_5_SHA_256", "RAW",
                MESSAGE, raw, False, t)
    verify_case("PKCS1 v1.5 signature checked as PSS", k, "RSASSA_PSS_SHA_256", "RAW", MESSAGE,
                praw, False, t)
    verify_case("PSS SHA-256 signature checked as PSS SHA-384", k, "RSASSA_PSS_SHA_384", "RAW",
                MESSAGE, raw, False, t)
    verify_case("PSS SHA-512 signature checked as PSS SHA-256", k, "RSASSA_PSS_SHA_256", "RAW",
                MESSAGE, sigs[(k, "RSASSA_PSS_SHA_512")][0], False, t)
    # KMS's PSS salt is the hash length; OpenSSL's default (max) salt is not what KMS verifies.
    maxsalt = ossl("dgst", "-sha256", "-sign", PRIV_FILES[k], "-sigopt", "rsa_padding_mode:pss",
                   "-sigopt", "rsa_pss_saltlen:max", "-sigopt", "rsa_mgf1_md:sha256", tmpfile(MESSAGE))
    assert ossl_ok("dgst", "-sha256", "-verify", PUB_FILES[k], "-sigopt", "rsa_padding_mode:pss",
                   "-sigopt", "rsa_pss_saltlen:max", "-signature", tmpfile(maxsalt), tmpfile(MESSAGE))
    verify_case("PSS signature with maximum salt length (not the hash length)", k,
                "RSASSA_PSS_SHA_256", "RAW", MESSAGE, maxsalt, False, t,
                note="KMS PSS uses salt length = hash length; openssl's default salt is the maximum")
    zerosalt = ossl("dgst", "-sha256", "-sign", PRIV_FILES[k], "-sigopt", "rsa_padding_mode:pss",
                    "-sigopt", "rsa_pss_saltlen:0", "-sigopt", "rsa_mgf1_md:sha256", tmpfile(MESSAGE))
    verify_case("PSS signature with empty salt", k, "RSASSA_PSS_SHA_256", "RAW", MESSAGE, zerosalt,
                False, t)
    # PKCS#1 v1.5 over the bare digest (no DigestInfo): what `pkeyutl -sign` without a digest does.
    bare = ossl("pkeyutl", "-sign", "-inkey", PRIV_FILES[k], "-in", tmpfile(digest))
    verify_case("PKCS1 v1.5 over the bare digest (no DigestInfo)", k, "RSASSA_PKCS1_V1_5_SHA_256",
                "DIGEST", digest, bare, False, t)
    verify_case("ECDSA algorithm with an RSA key", k, "ECDSA_SHA_256", "RAW", MESSAGE, raw,
                "InvalidKeyUsageException", t)
    verify_case("SM2DSA with an RSA key", k, "SM2DSA", "RAW", MESSAGE, raw,
                "InvalidKeyUsageException", t)
    verify_case("ML_DSA_SHAKE_256 with an RSA key", k, "ML_DSA_SHAKE_256", "RAW", MESSAGE, raw,
                "InvalidKeyUsageException", t)
    verify_case("EXTERNAL_MU with an RSA algorithm", k, "RSASSA_PSS_SHA_256", "EXTERNAL_MU",
                bytes(64), raw, "ValidationException", t)
    verify_case("distinguishing ID with an RSA algorithm", k, "RSASSA_PSS_SHA_256", "RAW", MESSAGE,
                raw, "ValidationException", t, distinguishing_id=DEFAULT_ID)


# ---------------------------------------------------------------------------------------------
# ECDSA


ECDSA = [("p256", "ECC_NIST_P256", "ECDSA_SHA_256"), ("p384", "ECC_NIST_P384", "ECDSA_SHA_384"),
         ("p521", "ECC_NIST_P521", "ECDSA_SHA_512"), ("secp256k1", "ECC_SECG_P256K1", "ECDSA_SHA_256")]


def with_s(spec, sig, high: bool) -> bytes:
    """The same ECDSA signature with s replaced by n - s where needed to make it high/low."""
    r, s = decode_dss_signature(sig)
    n = ORDER[spec]
    if (s > n // 2) != high:
        s = n - s
    return encode_dss_signature(r, s)


def encodings_entry(name, spec, der, tool):
    r, s = decode_dss_signature(der)
    n, size = ORDER[spec], SCALAR_LEN[spec]
    e = {"name": name, "key_spec": spec, "der_hex": der.hex(),
         "p1363_hex": (r.to_bytes(size, "big") + s.to_bytes(size, "big")).hex()}
    if spec != "SM2":
        e["low_s_der_hex"] = encode_dss_signature(r, min(s, n - s)).hex()
    e["tool"] = tool
    ECDSA_ENCODINGS.append(e)


def ecdsa_signatures():
    msgfile = tmpfile(MESSAGE)
    for key, spec, alg in ECDSA:
        md, hfn, _ = HASH[alg[-7:]]
        digest = hfn(MESSAGE).digest()
        raw = ossl("dgst", f"-{md}", "-sign", PRIV_FILES[key], msgfile)
        dig = ossl("pkeyutl", "-sign", "-inkey", PRIV_FILES[key], "-in", tmpfile(digest))
        assert ossl_ok("pkeyutl", "-verify", "-pubin", "-inkey", PUB_FILES[key], "-in",
                       tmpfile(digest), "-sigfile", tmpfile(raw))
        assert ossl_ok("dgst", f"-{md}", "-verify", PUB_FILES[key], "-signature", tmpfile(dig), msgfile)
        label = f"{alg} {key}"
        verify_case(f"{label} RAW", key, alg, "RAW", MESSAGE, raw, True, f"{OPENSSL_TOOL}: dgst -sign")
        verify_case(f"{label} DIGEST", key, alg, "DIGEST", digest, dig, True,
                    f"{OPENSSL_TOOL}: pkeyutl -sign")
        hi, lo = with_s(spec, raw, True), with_s(spec, raw, False)
        assert ossl_ok("dgst", f"-{md}", "-verify", PUB_FILES[key], "-signature", tmpfile(hi), msgfile)
        assert ossl_ok("dgst", f"-{md}", "-verify", PUB_FILES[key], "-signature", tmpfile(lo), msgfile)
        derived = f"{OPENSSL_TOOL} signature, s replaced by n - s in Python"
        verify_case(f"{label} RAW, high-S form", key, alg, "RAW", MESSAGE, hi, True, derived,
                    note="KMS returns high-S signatures about half the time; they verify")
        verify_case(f"{label} RAW, low-S form", key, alg, "RAW", MESSAGE, lo, True, derived)
        verify_case(f"{label} DIGEST, high-S form", key, alg, "DIGEST", digest,
                    with_s(spec, dig, True), True, derived)
        t = f"{OPENSSL_TOOL} (negative)"
        verify_case(f"{label}: tampered message", key, alg, "RAW", MESSAGE + b"!", raw, False, t)
        verify_case(f"{label}: tampered signature", key, alg, "RAW", MESSAGE, flip(raw), False, t)
        verify_case(f"{label}: wrong key", f"{key}-other", alg, "RAW", MESSAGE, raw, False, t)
        verify_case(f"{label}: digest sent as RAW (hashed twice)", key, alg, "RAW", digest, dig,
                    False, t)
        verify_case(f"{label}: DIGEST of wrong length", key, alg, "DIGEST", digest[:-1], dig,
                    "ValidationException", t)
        verify_case(f"{label}: EXTERNAL_MU", key, alg, "EXTERNAL_MU", bytes(64), raw,
                    "ValidationException", t)
        encodings_entry(f"{label}, high-S", spec, hi, derived)
        encodings_entry(f"{label}, low-S", spec, lo, derived)
        encodings_entry(f"{label}, DIGEST signature", spec, dig, OPENSSL_TOOL)
    # Algorithms the spec does not allow (KMS: one ECDSA hash per curve).
    t = f"{OPENSSL_TOOL} (negative)"
    p256raw = bytes.fromhex(VERIFY[[c["name"] for c in VERIFY].index("ECDSA_SHA_256 p256 RAW")]["signature_hex"])
    for key, alg in (("p256", "ECDSA_SHA_384"), ("p256", "ECDSA_SHA_512"), ("p384", "ECDSA_SHA_256"),
                     ("p521", "ECDSA_SHA_256"), ("secp256k1", "ECDSA_SHA_384"),
                     ("p256", "RSASSA_PSS_SHA_256"), ("p256", "SM2DSA"), ("p256", "ED25519_SHA_512")):
        verify_case(f"{alg} with a {KEYS[key]['spec']} key", key, alg, "RAW", MESSAGE, p256raw,
                    "InvalidKeyUsageException", t)
    verify_case("ECDSA P-256 RAW, PEM key", "p256:pem", "ECDSA_SHA_256", "RAW", MESSAGE, p256raw,
                True, OPENSSL_TOOL)
    verify_case("RAW message of 0 bytes", "p256", "ECDSA_SHA_256", "RAW", b"", p256raw,
                "ValidationException", t)
    verify_case("RAW message of 4097 bytes", "p256", "ECDSA_SHA_256", "RAW", b"x" * 4097, p256raw,
                "ValidationException", t)
    big = b"y" * 4096
    sig = ossl("dgst", "-sha256", "-sign", PRIV_FILES["p256"], tmpfile(big))
    verify_case("RAW message of exactly 4096 bytes", "p256", "ECDSA_SHA_256", "RAW", big, sig, True,
                OPENSSL_TOOL)
    verify_case("distinguishing ID with ECDSA", "p256", "ECDSA_SHA_256", "RAW", MESSAGE, p256raw,
                "ValidationException", t, distinguishing_id=DEFAULT_ID)
    verify_case("P-256 signature checked with a secp256k1 key", "secp256k1", "ECDSA_SHA_256", "RAW",
                MESSAGE, p256raw, False, t)
    # Short r or s (leading zero byte): P1363 must left-pad, DER must stay minimal.
    short = None
    for i in range(4000):
        m = MESSAGE + str(i).encode()
        sig = ossl("dgst", "-sha256", "-sign", PRIV_FILES["p256"], tmpfile(m))
        r, s = decode_dss_signature(sig)
        if r < 1 << 248 or s < 1 << 248:
            short = (m, sig)
            break
    assert short, "no short-r/s signature found"
    verify_case("ECDSA P-256 signature with a short r or s", "p256", "ECDSA_SHA_256", "RAW",
                short[0], short[1], True, OPENSSL_TOOL)
    encodings_entry("ECDSA_SHA_256 p256, short r or s", "ECC_NIST_P256", short[1], OPENSSL_TOOL)


# ---------------------------------------------------------------------------------------------
# Ed25519 and Ed25519ph

RFC8032_PH = {  # RFC 8032 §7.3, Ed25519ph test vector 1 (message "abc")
    "secret": "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    "public": "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    "message": "616263",
    "signature": "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
                 "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406",
}


def java_ed25519ph(seed: bytes, *messages: bytes):
    out = subprocess.run(["java", str(HERE / "Ed25519ph.java"), seed.hex(),
                          *(m.hex() for m in messages)], capture_output=True, check=True)
    return [bytes.fromhex(line) for line in out.stdout.decode().split()]


def ed25519_signatures():
    key = "ed25519"
    msgfile = tmpfile(MESSAGE)
    sig = ossl("pkeyutl", "-sign", "-rawin", "-inkey", PRIV_FILES[key], "-in", msgfile)
    assert ossl_ok("pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", PUB_FILES[key], "-in",
                   msgfile, "-sigfile", tmpfile(sig))
    alg = "ED25519_SHA_512"
    t = f"{OPENSSL_TOOL} (negative)"
    verify_case("ED25519_SHA_512 RAW", key, alg, "RAW", MESSAGE, sig, True,
                f"{OPENSSL_TOOL}: pkeyutl -sign -rawin")
    verify_case("ED25519_SHA_512 RAW, PEM key", f"{key}:pem", alg, "RAW", MESSAGE, sig, True,
                OPENSSL_TOOL)
    verify_case("ED25519_SHA_512: tampered message", key, alg, "RAW", MESSAGE + b"!", sig, False, t)
    verify_case("ED25519_SHA_512: tampered signature", key, alg, "RAW", MESSAGE, flip(sig, 5), False, t)
    verify_case("ED25519_SHA_512: wrong key", f"{key}-other", alg, "RAW", MESSAGE, sig, False, t)
    verify_case("ED25519_SHA_512 with MessageType DIGEST", key, alg, "DIGEST",
                hashlib.sha512(MESSAGE).digest(), sig, "ValidationException", t)
    verify_case("ECDSA_SHA_256 with an Ed25519 key", key, "ECDSA_SHA_256", "RAW", MESSAGE, sig,
                "InvalidKeyUsageException", t)
    verify_case("ML_DSA_SHAKE_256 with an Ed25519 key", key, "ML_DSA_SHAKE_256", "RAW", MESSAGE, sig,
                "InvalidKeyUsageException", t)

    # Ed25519ph: OpenSSL 3.0 and pyca have none; the JDK's SunEC does. First, the JDK must
    # reproduce RFC 8032's Ed25519ph vector.
    rfc = RFC8032_PH
    seed = bytes.fromhex(rfc["secret"])
    (check,) = java_ed25519ph(seed, bytes.fromhex(rfc["message"]))
    assert check.hex() == rfc["signature"], "JDK Ed25519ph disagrees with RFC 8032 §7.3"
    # The RFC key's SPKI, by OpenSSL from the seed (PKCS#8 v1 of RFC 8410).
    pkcs8 = bytes.fromhex("302e020100300506032b657004220420") + seed
    priv_pem = ossl("pkey", "-inform", "DER", "-in", tmpfile(pkcs8)).decode()
    der = ossl("pkey", "-inform", "DER", "-in", tmpfile(pkcs8), "-pubout", "-outform", "DER")
    assert der[-32:].hex() == rfc["public"]
    pem = ossl("pkey", "-inform", "DER", "-in", tmpfile(pkcs8), "-pubout").decode()
    add_key("ed25519-rfc8032", "ECC_NIST_EDWARDS25519", der, pem, priv_pem, "RFC 8032 §7.3")

    ph = "ED25519_PH_SHA_512"
    jt = f"{JAVA_TOOL} (Ed25519ph.java)"
    t = f"{JAVA_TOOL} (negative)"
    d1 = hashlib.sha512(MESSAGE).digest()
    d2 = bytes(range(64))
    s1, s2 = java_ed25519ph(seed, d1, d2)
    verify_case("ED25519_PH_SHA_512 DIGEST (SHA-512 of the message), RFC 8032 key", "ed25519-rfc8032",
                ph, "DIGEST", d1, s1, True, jt,
                note="KMS applies the Ed25519ph SHA-512 prehash to the 64-byte DIGEST: "
                     "the signature is Ed25519ph over the DIGEST as the message")
    verify_case("ED25519_PH_SHA_512 DIGEST (bytes 00..3f), RFC 8032 key", "ed25519-rfc8032", ph,
                "DIGEST", d2, s2, True, jt)
    own_seed = ossl("pkey", "-in", PRIV_FILES[key], "-outform", "DER")[-32:]
    (s3,) = java_ed25519ph(own_seed, d1)
    verify_case("ED25519_PH_SHA_512 DIGEST, OpenSSL-generated key", key, ph, "DIGEST", d1, s3, True, jt)
    verify_case("ED25519_PH_SHA_512: tampered DIGEST", "ed25519-rfc8032", ph, "DIGEST", flip(d1), s1,
                False, t)
    verify_case("ED25519_PH_SHA_512: tampered signature", "ed25519-rfc8032", ph, "DIGEST", d1,
                flip(s1, 3), False, t)
    verify_case("ED25519_PH_SHA_512: wrong key", key, ph, "DIGEST", d1, s1, False, t)
    verify_case("ED25519_PH_SHA_512 signature checked as ED25519_SHA_512 RAW of the DIGEST",
                "ed25519-rfc8032", alg, "RAW", d1, s1, False, t)
    verify_case("ED25519_SHA_512 signature checked as ED25519_PH_SHA_512 of SHA-512(message)", key,
                ph, "DIGEST", d1, sig, False, t)
    verify_case("ED25519_PH_SHA_512 with MessageType RAW", "ed25519-rfc8032", ph, "RAW", d1, s1,
                "ValidationException", t)
    verify_case("RFC 8032 Ed25519ph vector 'abc' as DIGEST (3 bytes, not 64)", "ed25519-rfc8032", ph,
                "DIGEST", bytes.fromhex(rfc["message"]), bytes.fromhex(rfc["signature"]),
                "ValidationException", "RFC 8032 §7.3",
                note="KMS requires a 64-byte DIGEST; the RFC signs the 3-byte message 'abc'")
    verify_case("ED25519_PH_SHA_512 DIGEST of wrong length (63 bytes)", "ed25519-rfc8032", ph,
                "DIGEST", d1[:-1], s1, "ValidationException", t)


# ---------------------------------------------------------------------------------------------
# SM2


def sm2_z(name, ident: bytes) -> bytes:
    point = sec1_point(name)
    entl = (len(ident) * 8).to_bytes(2, "big")
    return sm3(entl + ident + SM2_A + SM2_B + SM2_G[1:] + point[1:])


def sm2_e(name, message: bytes, ident: str) -> bytes:
    return sm3(sm2_z(name, ident.encode()) + message)


def sm2_signatures():
    key = "sm2"
    msgfile = tmpfile(MESSAGE)
    pub = PUB_FILES[key]
    alg = "SM2DSA"
    raw = ossl("dgst", "-sm3", "-sign", PRIV_FILES[key], "-sigopt", f"distid:{DEFAULT_ID}", msgfile)
    custom = ossl("dgst", "-sm3", "-sign", PRIV_FILES[key], "-sigopt", f"distid:{CUSTOM_ID}", msgfile)
    empty = ossl("dgst", "-sm3", "-sign", PRIV_FILES[key], msgfile)  # OpenSSL 3.0 default: no ID
    e_default = sm2_e(key, MESSAGE, DEFAULT_ID)
    e_custom = sm2_e(key, MESSAGE, CUSTOM_ID)
    dig = ossl("pkeyutl", "-sign", "-inkey", PRIV_FILES[key], "-in", tmpfile(e_default))
    # Z computed here must be OpenSSL's: the signature over e must verify as RAW under the ID.
    assert ossl_ok("dgst", "-sm3", "-verify", pub, "-sigopt", f"distid:{DEFAULT_ID}",
                   "-signature", tmpfile(dig), msgfile)
    assert ossl_ok("pkeyutl", "-verify", "-pubin", "-inkey", pub, "-in", tmpfile(e_custom),
                   "-sigfile", tmpfile(custom))
    tool = f"{OPENSSL_TOOL}: dgst -sm3 -sign -sigopt distid:..."
    verify_case("SM2DSA RAW, default distinguishing ID", key, alg, "RAW", MESSAGE, raw, True, tool)
    verify_case("SM2DSA RAW, default ID given explicitly", key, alg, "RAW", MESSAGE, raw, True, tool,
                distinguishing_id=DEFAULT_ID)
    verify_case("SM2DSA RAW, PEM key", f"{key}:pem", alg, "RAW", MESSAGE, raw, True, tool)
    verify_case("SM2DSA RAW, custom distinguishing ID", key, alg, "RAW", MESSAGE, custom, True, tool,
                distinguishing_id=CUSTOM_ID)
    verify_case("SM2DSA DIGEST (e = SM3(Z || M), default ID)", key, alg, "DIGEST", e_default, dig, True,
                f"{OPENSSL_TOOL}: pkeyutl -sign over e computed in Python (SM3 by pyca)")
    verify_case("SM2DSA RAW signature checked as DIGEST e", key, alg, "DIGEST", e_default, raw, True,
                tool)
    verify_case("SM2DSA custom-ID signature checked as DIGEST e(custom ID)", key, alg, "DIGEST",
                e_custom, custom, True, tool)
    verify_case("SM2DSA RAW, OpenSSL 3.0 default (empty) ID, verified with empty ID", key, alg, "RAW",
                MESSAGE, empty, True, f"{OPENSSL_TOOL}: dgst -sm3 -sign (no distid)",
                distinguishing_id="")
    t = f"{OPENSSL_TOOL} (negative)"
    verify_case("SM2DSA RAW, OpenSSL 3.0 default (empty) ID, verified with KMS default ID", key, alg,
                "RAW", MESSAGE, empty, False, t,
                note="OpenSSL 3.0 signs with an empty ID unless -sigopt distid: is given; KMS uses "
                     "1234567812345678")
    verify_case("SM2DSA RAW, custom-ID signature verified with the default ID", key, alg, "RAW",
                MESSAGE, custom, False, t)
    verify_case("SM2DSA RAW, default-ID signature verified with another ID", key, alg, "RAW",
                MESSAGE, raw, False, t, distinguishing_id=CUSTOM_ID)
    verify_case("SM2DSA: tampered message", key, alg, "RAW", MESSAGE + b"!", raw, False, t)
    verify_case("SM2DSA: tampered signature", key, alg, "RAW", MESSAGE, flip(raw), False, t)
    verify_case("SM2DSA: wrong key", "sm2-other", alg, "RAW", MESSAGE, raw, False, t)
    verify_case("SM2DSA: e sent as RAW", key, alg, "RAW", e_default, dig, False, t)
    verify_case("SM2DSA: SM3(M) without Z as DIGEST", key, alg, "DIGEST", sm3(MESSAGE), raw, False, t)
    verify_case("SM2DSA: DIGEST of wrong length", key, alg, "DIGEST", e_default[:-1], dig,
                "ValidationException", t)
    verify_case("SM2DSA: distinguishing ID with DIGEST", key, alg, "DIGEST", e_default, dig,
                "ValidationException", t, distinguishing_id=DEFAULT_ID)
    verify_case("ECDSA_SHA_256 with an SM2 key", key, "ECDSA_SHA_256", "RAW", MESSAGE, raw,
                "InvalidKeyUsageException", t)
    verify_case("SM2DSA with EXTERNAL_MU", key, alg, "EXTERNAL_MU", bytes(64), raw,
                "ValidationException", t)
    encodings_entry("SM2DSA sm2 RAW", "SM2", raw, OPENSSL_TOOL)
    encodings_entry("SM2DSA sm2 custom ID", "SM2", custom, OPENSSL_TOOL)

    for name, message, ident in (("default ID", MESSAGE, None), ("custom ID", MESSAGE, CUSTOM_ID),
                                 ("empty ID", MESSAGE, ""), ("one-byte message", b"a", None)):
        e = sm2_e(key, message, DEFAULT_ID if ident is None else ident)
        entry = {"name": f"sm2_digest, {name}", "key": key, "message_hex": message.hex()}
        if ident is not None:
            entry["distinguishing_id"] = ident
        entry["digest_hex"] = e.hex()
        entry["tool"] = f"{PYCA_TOOL} SM3; checked by {OPENSSL_TOOL} verifying a signature over it"
        # OpenSSL's own e: a pkeyutl signature over our e verifies as RAW under the ID.
        s = ossl("pkeyutl", "-sign", "-inkey", PRIV_FILES[key], "-in", tmpfile(e))
        opts = ["-sigopt", f"distid:{DEFAULT_ID if ident is None else ident}"] if ident != "" else []
        assert ossl_ok("dgst", "-sm3", "-verify", pub, *opts, "-signature", tmpfile(s), tmpfile(message))
        SM2_DIGEST.append(entry)


# ---------------------------------------------------------------------------------------------
# ML-DSA (Python cryptography: OpenSSL 3.0's CLI has no ML-DSA)

MLDSA = {"ML_DSA_44": mldsa.MLDSA44PrivateKey, "ML_DSA_65": mldsa.MLDSA65PrivateKey,
         "ML_DSA_87": mldsa.MLDSA87PrivateKey}


def mldsa_key(name, spec):
    sk = MLDSA[spec].generate()
    pk = sk.public_key()
    add_key(name, spec,
            pk.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
            pk.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
            sk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode(), PYCA_TOOL)
    return sk


def ml_dsa_signatures():
    alg = "ML_DSA_SHAKE_256"
    for spec in MLDSA:
        key = spec.lower().replace("_", "-")
        sk = mldsa_key(key, spec)
        mldsa_key(f"{key}-other", spec)
        pk = sk.public_key()
        # mu per FIPS 204 (empty context): SHAKE256(SHAKE256(pk, 64) || 0x00 || 0x00 || M, 64).
        tr = hashlib.shake_256(pk.public_bytes_raw()).digest(64)
        mu = hashlib.shake_256(tr + b"\x00\x00" + MESSAGE).digest(64)
        hasher = mldsa.MLDSAMuHasher(pk)
        hasher.update(MESSAGE)
        assert hasher.finalize() == mu, "pyca's mu differs from FIPS 204's formula"
        raw = sk.sign(MESSAGE)
        mu_sig = sk.sign_mu(mu)
        pk.verify(mu_sig, MESSAGE)  # a mu signature is an ordinary signature of the message
        tool = f"{PYCA_TOOL}: MLDSA{spec[-2:]}PrivateKey"
        verify_case(f"{spec} RAW", key, alg, "RAW", MESSAGE, raw, True, f"{tool}.sign")
        verify_case(f"{spec} EXTERNAL_MU", key, alg, "EXTERNAL_MU", mu, mu_sig, True, f"{tool}.sign_mu")
        verify_case(f"{spec} RAW signature checked as EXTERNAL_MU", key, alg, "EXTERNAL_MU", mu, raw,
                    True, f"{tool}.sign")
        verify_case(f"{spec} EXTERNAL_MU signature checked as RAW", key, alg, "RAW", MESSAGE, mu_sig,
                    True, f"{tool}.sign_mu")
        ML_DSA_MU.append({"name": f"{spec} mu", "key": key, "message_hex": MESSAGE.hex(),
                          "mu_hex": mu.hex(), "tool": f"{PYCA_TOOL} MLDSAMuHasher = FIPS 204 formula"})
        t = f"{PYCA_TOOL} (negative)"
        verify_case(f"{spec}: tampered message", key, alg, "RAW", MESSAGE + b"!", raw, False, t)
        verify_case(f"{spec}: tampered signature", key, alg, "RAW", MESSAGE, flip(raw, 100), False, t)
        verify_case(f"{spec}: tampered mu", key, alg, "EXTERNAL_MU", flip(mu), mu_sig, False, t)
        verify_case(f"{spec}: wrong key", f"{key}-other", alg, "RAW", MESSAGE, raw, False, t)
        verify_case(f"{spec}: DIGEST", key, alg, "DIGEST", mu, raw, "ValidationException", t)
        verify_case(f"{spec}: EXTERNAL_MU of 63 bytes", key, alg, "EXTERNAL_MU", mu[:-1], mu_sig,
                    "ValidationException", t)
        ctx = sk.sign(MESSAGE, b"kms")
        verify_case(f"{spec}: signature with a non-empty context", key, alg, "RAW", MESSAGE, ctx,
                    False, t, note="KMS uses the empty context")
    t = f"{PYCA_TOOL} (negative)"
    raw44 = bytes.fromhex(VERIFY[[c["name"] for c in VERIFY].index("ML_DSA_44 RAW")]["signature_hex"])
    verify_case("ML_DSA_44 signature checked with an ML_DSA_65 key", "ml-dsa-65", alg, "RAW", MESSAGE,
                raw44, False, t)
    verify_case("ED25519_SHA_512 with an ML-DSA key", "ml-dsa-44", "ED25519_SHA_512", "RAW", MESSAGE,
                raw44, "InvalidKeyUsageException", t)
    verify_case("ML_DSA_SHAKE_256 RAW message of 4097 bytes", "ml-dsa-44", alg, "RAW", b"z" * 4097,
                raw44, "ValidationException", t)
    verify_case("ML_DSA_44 RAW, PEM key", "ml-dsa-44:pem", alg, "RAW", MESSAGE, raw44, True, PYCA_TOOL)


# ---------------------------------------------------------------------------------------------
# ML-KEM (Python cryptography; it has ML-KEM-768 and ML-KEM-1024, not ML-KEM-512)

MLKEM = {"ML_KEM_768": mlkem.MLKEM768PrivateKey, "ML_KEM_1024": mlkem.MLKEM1024PrivateKey}


def decapsulate_case(name, key, ciphertext, expect, tool, shared=None, note=None):
    c = {"name": name, "key": key, "ciphertext_hex": ciphertext.hex()}
    if shared is not None:
        c["shared_secret_hex"] = shared.hex()
    c["expect"] = expect
    c["tool"] = tool
    if note:
        c["note"] = note
    DECAPSULATE.append(c)


def ml_kem():
    for spec, cls in MLKEM.items():
        key = spec.lower().replace("_", "-")
        keys = {}
        for name in (key, f"{key}-other"):
            sk = cls.generate()
            pk = sk.public_key()
            add_key(name, spec,
                    pk.public_bytes(serialization.Encoding.DER,
                                    serialization.PublicFormat.SubjectPublicKeyInfo),
                    pk.public_bytes(serialization.Encoding.PEM,
                                    serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
                    sk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode(), PYCA_TOOL)
            keys[name] = sk
        sk = keys[key]
        shared, ct = sk.public_key().encapsulate()
        assert sk.decapsulate(ct) == shared
        tool = f"{PYCA_TOOL}: MLKEM{spec[-4:].lstrip('_')}PublicKey.encapsulate"
        decapsulate_case(f"{spec} decapsulate", key, ct, True, tool, shared)
        # FIPS 203 implicit rejection: a wrong ciphertext still yields 32 bytes, J(z || c).
        bad = flip(ct, 7)
        rejected = sk.decapsulate(bad)
        assert rejected != shared
        decapsulate_case(f"{spec} tampered ciphertext: implicit rejection", key, bad, True,
                         f"{PYCA_TOOL}: decapsulate", rejected,
                         note="FIPS 203 implicit rejection: the secret is J(z || c), not an error")
        other = keys[f"{key}-other"].decapsulate(ct)
        decapsulate_case(f"{spec} wrong key: implicit rejection", f"{key}-other", ct, True,
                         f"{PYCA_TOOL}: decapsulate", other)
        t = f"{PYCA_TOOL} (negative)"
        decapsulate_case(f"{spec} ciphertext one byte short", key, ct[:-1],
                         "InvalidCiphertextException", t)
        decapsulate_case(f"{spec} ciphertext one byte long", key, ct + b"\x00",
                         "InvalidCiphertextException", t)
    decapsulate_case("ML-KEM with an RSA key", "rsa2048", bytes(1088), "InvalidKeyUsageException",
                     "negative")


# ---------------------------------------------------------------------------------------------
# Encryption: RSAES-OAEP and SM2PKE

OAEP = {"RSAES_OAEP_SHA_1": "sha1", "RSAES_OAEP_SHA_256": "sha256"}
PLAINTEXT = b"kmskit offline vector plaintext"


def encrypt_case(name, key, algorithm, plaintext, expect, note=None):
    c = {"name": name, "key": key, "algorithm": algorithm, "plaintext_hex": plaintext.hex(),
         "expect": expect}
    if note:
        c["note"] = note
    ENCRYPT.append(c)


def decrypt_case(name, key, algorithm, ciphertext, expect, tool, plaintext=None):
    c = {"name": name, "key": key, "algorithm": algorithm, "ciphertext_hex": ciphertext.hex()}
    if plaintext is not None:
        c["plaintext_hex"] = plaintext.hex()
    c["expect"] = expect
    c["tool"] = tool
    DECRYPT.append(c)


def oaep_opts(md):
    return ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", f"rsa_oaep_md:{md}",
            "-pkeyopt", f"rsa_mgf1_md:{md}"]


def rsa_encryption():
    for bits in (2048, 3072, 4096):
        key = f"rsa{bits}"
        for alg, md in OAEP.items():
            hlen = 20 if md == "sha1" else 32
            limit = bits // 8 - 2 * hlen - 2
            maxpt = bytes((i * 7 + 3) & 0xFF for i in range(limit))
            encrypt_case(f"{alg} {key}", key, alg, PLAINTEXT, True)
            encrypt_case(f"{alg} {key}, {limit} bytes (the maximum)", key, alg, maxpt, True)
            encrypt_case(f"{alg} {key}, {limit + 1} bytes (one over)", key, alg, maxpt + b"!",
                         "ValidationException")
            # The limit is the math's: OpenSSL cannot encrypt one byte more either.
            assert not ossl_ok("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES[key],
                               *oaep_opts(md), "-in", tmpfile(maxpt + b"!"))
            tool = f"{OPENSSL_TOOL}: pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep ... {md}"
            for pt, label in ((PLAINTEXT, ""), (maxpt, f", {limit} bytes")):
                ct = ossl("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES[key], *oaep_opts(md),
                          "-in", tmpfile(pt))
                assert ossl("pkeyutl", "-decrypt", "-inkey", PRIV_FILES[key], *oaep_opts(md),
                            "-in", tmpfile(ct)) == pt
                decrypt_case(f"{alg} {key}{label}", key, alg, ct, True, tool, pt)
            if bits == 2048:
                t = f"{OPENSSL_TOOL} (negative)"
                decrypt_case(f"{alg} {key}: tampered ciphertext", key, alg, flip(ct, 40),
                             "InvalidCiphertextException", t)
                decrypt_case(f"{alg} {key}: wrong key", "rsa2048-other", alg, ct,
                             "InvalidCiphertextException", t)
                decrypt_case(f"{alg} {key}: ciphertext one byte short", key, alg, ct[:-1],
                             "InvalidCiphertextException", t)
                other = "RSAES_OAEP_SHA_256" if md == "sha1" else "RSAES_OAEP_SHA_1"
                decrypt_case(f"{alg} {key} ciphertext decrypted as {other}", key, other, ct,
                             "InvalidCiphertextException", t)
                decrypt_case(f"{alg} {key} ciphertext decrypted as SM2PKE", key, "SM2PKE", ct,
                             "InvalidKeyUsageException", t)
    # An OAEP ciphertext whose MGF1 hash differs from the OAEP hash is not KMS's RSAES_OAEP_SHA_256.
    ct = ossl("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES["rsa2048"], "-pkeyopt",
              "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1",
              "-in", tmpfile(PLAINTEXT))
    decrypt_case("RSAES_OAEP_SHA_256 label hash with MGF1-SHA-1", "rsa2048", "RSAES_OAEP_SHA_256", ct,
                 "InvalidCiphertextException", f"{OPENSSL_TOOL} (negative)")
    # RSAES-PKCS1-v1_5 is not a KMS algorithm: such a ciphertext never decrypts as OAEP.
    ct = ossl("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES["rsa2048"], "-in", tmpfile(PLAINTEXT))
    decrypt_case("RSAES-PKCS1-v1_5 ciphertext decrypted as OAEP", "rsa2048", "RSAES_OAEP_SHA_1", ct,
                 "InvalidCiphertextException", f"{OPENSSL_TOOL} (negative)")
    for key, alg in (("rsa2048", "SM2PKE"), ("rsa2048", "SYMMETRIC_DEFAULT"), ("p256", "RSAES_OAEP_SHA_256"),
                     ("ed25519", "RSAES_OAEP_SHA_1"), ("ml-dsa-44", "RSAES_OAEP_SHA_256"),
                     ("sm2", "RSAES_OAEP_SHA_256"), ("sm2", "SYMMETRIC_DEFAULT")):
        encrypt_case(f"{alg} with a {KEYS[key]['spec']} key", key, alg, PLAINTEXT,
                     "InvalidKeyUsageException")
    encrypt_case("RSAES_OAEP_SHA_256 rsa2048, empty plaintext", "rsa2048", "RSAES_OAEP_SHA_256", b"",
                 "ValidationException")
    encrypt_case("RSAES_OAEP_SHA_256 rsa2048, PEM key", "rsa2048:pem", "RSAES_OAEP_SHA_256", PLAINTEXT,
                 True)


def sm2_parts(der: bytes):
    tag, body, end = der_read(der, 0)
    assert tag == 0x30 and end == len(der)
    parts, pos = [], 0
    while pos < len(body):
        t, v, pos = der_read(body, pos)
        parts.append((t, v))
    assert [t for t, _ in parts] == [0x02, 0x02, 0x04, 0x04]
    x, y = (int.from_bytes(v, "big") for _, v in parts[:2])
    return x, y, parts[2][1], parts[3][1]


def sm2_encryption():
    key = "sm2"
    tool = f"{OPENSSL_TOOL}: pkeyutl -encrypt (SM2, DER C1C3C2)"
    encrypt_case("SM2PKE sm2", key, "SM2PKE", PLAINTEXT, True)
    maxpt = bytes((i * 13 + 5) & 0xFF for i in range(1024))
    encrypt_case("SM2PKE sm2, 1024 bytes (the maximum)", key, "SM2PKE", maxpt, True)
    encrypt_case("SM2PKE sm2, 1025 bytes (one over)", key, "SM2PKE", maxpt + b"!",
                 "ValidationException", note="a KMS limit, not a limit of SM2 itself")
    encrypt_case("SM2PKE sm2, empty plaintext", key, "SM2PKE", b"", "ValidationException")
    encrypt_case("SM2PKE sm2, PEM key", f"{key}:pem", "SM2PKE", PLAINTEXT, True)

    def enc(pt):
        ct = ossl("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES[key], "-in", tmpfile(pt))
        assert ossl("pkeyutl", "-decrypt", "-inkey", PRIV_FILES[key], "-in", tmpfile(ct)) == pt
        return ct

    plain = enc(PLAINTEXT)
    decrypt_case("SM2PKE sm2", key, "SM2PKE", plain, True, tool, PLAINTEXT)
    decrypt_case("SM2PKE sm2, 1024 bytes", key, "SM2PKE", enc(maxpt), True, tool, maxpt)
    decrypt_case("SM2PKE sm2, 1 byte", key, "SM2PKE", enc(b"\x00"), True, tool, b"\x00")
    # C1 coordinates that DER writes shorter than 32 bytes (leading zero byte).
    short = {}
    for i in range(6000):
        pt = PLAINTEXT + str(i).encode()
        ct = ossl("pkeyutl", "-encrypt", "-pubin", "-inkey", PUB_FILES[key], "-in", tmpfile(pt))
        x, y, _, _ = sm2_parts(ct)
        for which, v in (("x", x), ("y", y)):
            if v < 1 << 248 and which not in short:
                assert ossl("pkeyutl", "-decrypt", "-inkey", PRIV_FILES[key], "-in", tmpfile(ct)) == pt
                short[which] = (pt, ct)
        if len(short) == 2:
            break
    assert len(short) == 2, "no SM2 ciphertext with short coordinates found"
    for which, (pt, ct) in sorted(short.items()):
        decrypt_case(f"SM2PKE sm2, C1 {which} shorter than 32 bytes in DER", key, "SM2PKE", ct, True,
                     tool, pt)
    t = f"{OPENSSL_TOOL} (negative)"
    x, y, c3, c2 = sm2_parts(plain)
    c1 = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
    decrypt_case("SM2PKE: tampered C2", key, "SM2PKE", flip(plain), "InvalidCiphertextException", t)
    decrypt_case("SM2PKE: tampered C3", key, "SM2PKE", flip(plain, -len(c2) - 3),
                 "InvalidCiphertextException", t)
    decrypt_case("SM2PKE: wrong key", "sm2-other", "SM2PKE", plain, "InvalidCiphertextException", t)
    decrypt_case("SM2PKE: raw C1C3C2 instead of DER", key, "SM2PKE", c1 + c3 + c2,
                 "InvalidCiphertextException", t)
    decrypt_case("SM2PKE: DER with a trailing byte", key, "SM2PKE", plain + b"\x00",
                 "InvalidCiphertextException", t)
    decrypt_case("SM2PKE: DER in C1C2C3 order", key, "SM2PKE",
                 der_tlv(0x30, der_uint(x) + der_uint(y) + der_tlv(0x04, c2) + der_tlv(0x04, c3)),
                 "InvalidCiphertextException", t)
    decrypt_case("RSAES_OAEP_SHA_256 with an SM2 key", key, "RSAES_OAEP_SHA_256", plain,
                 "InvalidKeyUsageException", t)
    # Conversions between DER and the raw forms other SM2 libraries use.
    for label, ct in [("plain", plain)] + [(f"C1 {w} short", c) for w, (_, c) in sorted(short.items())]:
        x, y, c3, c2 = sm2_parts(ct)
        c1 = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
        assert der_tlv(0x30, der_uint(x) + der_uint(y) + der_tlv(0x04, c3) + der_tlv(0x04, c2)) == ct
        SM2_CIPHERTEXT.append({"name": f"OpenSSL SM2 ciphertext, {label}", "der_hex": ct.hex(),
                               "c1c3c2_hex": (c1 + c3 + c2).hex(), "c1c2c3_hex": (c1 + c2 + c3).hex(),
                               "tool": f"{OPENSSL_TOOL} ciphertext, split in Python"})


# ---------------------------------------------------------------------------------------------
# ECDH


def derive_case(name, private_key, public_key, expect, tool, shared=None):
    c = {"name": name, "private_key": private_key, "public_key": public_key, "algorithm": "ECDH"}
    if shared is not None:
        c["shared_secret_hex"] = shared.hex()
    c["expect"] = expect
    c["tool"] = tool
    DERIVE.append(c)


def explicit_with_generator(name, generator: bytes, private: bool) -> bytes:
    """The key as SEC1/SPKI DER with explicit curve parameters whose generator is replaced."""
    args = ["ec", "-param_enc", "explicit", "-outform", "DER"]
    if private:
        der = ossl(*args, "-in", PRIV_FILES[name])
    else:
        der = ossl(*args, "-pubin", "-in", PUB_FILES[name])
    g = SM2_G if KEYS[name]["spec"] == "SM2" else None
    if g is None:  # P-256 (the self-check of the trick)
        g = bytes.fromhex("046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
                          "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")
    assert der.count(g) == 1
    return der.replace(g, generator)


def ecdh_via_explicit_params(a, b) -> bytes:
    """ECDH by OpenSSL on a curve given by explicit parameters.

    OpenSSL 3.0 refuses `pkeyutl -derive` on SM2 keys, and recognizes the SM2 curve even when its
    parameters are spelled out. With another generator (here B's public point, which has order n
    since the cofactor is 1) the curve is no longer "SM2" to OpenSSL, so its generic ECDH runs:
    d_A * Q_B does not depend on which generator the parameters name.
    """
    q_b = sec1_point(b)
    priv = explicit_with_generator(a, q_b, True)
    peer = explicit_with_generator(b, q_b, False)
    return ossl("pkeyutl", "-derive", "-keyform", "DER", "-inkey", tmpfile(priv),
                "-peerform", "DER", "-peerkey", tmpfile(peer))


def ecdh():
    for key in ("p256", "p384", "p521"):
        other = f"{key}-other"
        s1 = ossl("pkeyutl", "-derive", "-inkey", PRIV_FILES[key], "-peerkey", PUB_FILES[other])
        s2 = ossl("pkeyutl", "-derive", "-inkey", PRIV_FILES[other], "-peerkey", PUB_FILES[key])
        assert s1 == s2
        tool = f"{OPENSSL_TOOL}: pkeyutl -derive"
        derive_case(f"ECDH {key} x {other}", key, other, True, tool, s1)
        derive_case(f"ECDH {other} x {key}", other, key, True, tool, s2)
    derive_case("ECDH p256 x p256-other, PEM peer key", "p256", "p256-other:pem", True,
                f"{OPENSSL_TOOL}: pkeyutl -derive", bytes.fromhex(DERIVE[0]["shared_secret_hex"]))
    # The explicit-generator trick must give OpenSSL's plain ECDH on P-256 before it is trusted.
    assert ecdh_via_explicit_params("p256", "p256-other").hex() == DERIVE[0]["shared_secret_hex"]
    s1 = ecdh_via_explicit_params("sm2", "sm2-other")
    s2 = ecdh_via_explicit_params("sm2-other", "sm2")
    assert s1 == s2 and len(s1) == 32
    tool = (f"{OPENSSL_TOOL}: pkeyutl -derive on the SM2 curve given by explicit parameters "
            "(generator replaced; see build_vectors.py)")
    derive_case("ECDH sm2 x sm2-other", "sm2", "sm2-other", True, tool, s1)
    derive_case("ECDH sm2-other x sm2", "sm2-other", "sm2", True, tool, s2)
    t = "negative"
    derive_case("ECDH between P-256 and P-384 keys", "p256", "p384", "ValidationException", t)
    derive_case("ECDH between SM2 and P-256 keys", "sm2", "p256", "ValidationException", t)
    derive_case("ECDH with a secp256k1 key (no KEY_AGREEMENT)", "secp256k1", "secp256k1-other",
                "InvalidKeyUsageException", t)
    derive_case("ECDH with an Ed25519 key", "ed25519", "ed25519-other", "InvalidKeyUsageException", t)
    derive_case("ECDH with an RSA key", "rsa2048", "rsa2048-other", "InvalidKeyUsageException", t)
    derive_case("ECDH with an RSA peer key", "p256", "rsa2048", "ValidationException", t)


# ---------------------------------------------------------------------------------------------


def main():
    global OPENSSL_TOOL, PYCA_TOOL
    version = ossl("version").decode().split()[1]
    assert version.startswith("3."), f"needs the OpenSSL 3 CLI, found {version}"
    OPENSSL_TOOL = f"openssl {version} CLI"
    PYCA_TOOL = f"python cryptography {cryptography.__version__}"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
    global JAVA_TOOL
    JAVA_TOOL = f"JDK SunEC ({java.strip()})"

    for spec in CURVE_NAME:
        ORDER[spec] = curve_order(spec)
        assert (ORDER[spec].bit_length() + 7) // 8 == SCALAR_LEN[spec]
    for bits in (2048, 3072, 4096):
        openssl_key(f"rsa{bits}", f"RSA_{bits}", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}")
    openssl_key("rsa2048-other", "RSA_2048", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
    for key, spec, _ in ECDSA:
        curve = {"p256": "P-256", "p384": "P-384", "p521": "P-521", "secp256k1": "secp256k1"}[key]
        for name in (key, f"{key}-other"):
            openssl_key(name, spec, "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{curve}",
                        "-pkeyopt", "ec_param_enc:named_curve")
    openssl_key("ed25519", "ECC_NIST_EDWARDS25519", "-algorithm", "ED25519")
    openssl_key("ed25519-other", "ECC_NIST_EDWARDS25519", "-algorithm", "ED25519")
    openssl_key("sm2", "SM2", "-algorithm", "SM2")
    openssl_key("sm2-other", "SM2", "-algorithm", "SM2")

    rsa_signatures()
    ecdsa_signatures()
    ed25519_signatures()
    sm2_signatures()
    ml_dsa_signatures()
    ml_kem()
    rsa_encryption()
    sm2_encryption()
    ecdh()

    KEYS["malformed"] = {"spec": None, "tool": "hand-made: a P-256 SPKI whose point is one byte",
                         "der_hex": "3059301306072a8648ce3d020106082a8648ce3d0301070342000400"}
    verify_case("malformed key", "malformed", "ECDSA_SHA_256", "RAW", MESSAGE, bytes(70),
                "ValidationException", "negative")

    for section in (VERIFY, ENCRYPT, DECRYPT, DERIVE, DECAPSULATE, SM2_DIGEST, SM2_CIPHERTEXT,
                    ECDSA_ENCODINGS):
        names = [c["name"] for c in section]
        dupes = {n for n in names if names.count(n) > 1}
        assert not dupes, f"duplicate case names: {dupes}"

    out = {
        "source": "Made by tools independent of kmskit: the OpenSSL 3 CLI, Python cryptography "
                  "(ML-DSA, ML-KEM) and the JDK's SunEC (Ed25519ph). make.sh and build_vectors.py beside "
                  "this file regenerate it; README.md describes the format.",
        "tools": {"openssl": OPENSSL_TOOL, "python-cryptography": PYCA_TOOL, "java": JAVA_TOOL},
        "keys": KEYS,
        "verify": VERIFY,
        "encrypt": ENCRYPT,
        "decrypt": DECRYPT,
        "derive_shared_secret": DERIVE,
        "sm2_digest": SM2_DIGEST,
        "sm2_ciphertext": SM2_CIPHERTEXT,
        "ml_dsa_mu": ML_DSA_MU,
        "decapsulate": DECAPSULATE,
        "ecdsa_encodings": ECDSA_ENCODINGS,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    counts = {k: len(v) for k, v in out.items() if isinstance(v, list)}
    print(f"wrote {counts}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", str(TMP)], check=False)
