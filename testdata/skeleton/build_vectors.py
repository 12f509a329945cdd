"""Assembles vectors.json from the files make.sh wrote with OpenSSL (no crypto here)."""
import json
import pathlib

d = pathlib.Path(__file__).parent
hx = lambda name: (d / name).read_bytes().hex()
msg = (d / "message.txt").read_bytes()
digest = (d / "message.sha256").read_bytes()
raw_sig = bytearray((d / "p256-raw.sig").read_bytes())
tampered_sig = bytearray(raw_sig)
tampered_sig[-1] ^= 0x01


def case(name, key, message, signature, expect, message_type="RAW", algorithm="ECDSA_SHA_256"):
    return {"name": name, "key": key, "algorithm": algorithm, "message_type": message_type,
            "message_hex": message.hex(), "signature_hex": bytes(signature).hex(), "expect": expect}


vectors = {
    "source": "OpenSSL 3 CLI; see make.sh beside this file for the exact commands",
    "keys": {
        "p256": {"der_hex": hx("p256-public.der"), "pem": (d / "p256-public.pem").read_text()},
        "p256-other": {"der_hex": hx("p256-other-public.der")},
        "malformed": {"der_hex": "3059301306072a8648ce3d020106082a8648ce3d0301070342000400"},
    },
    "cases": [
        case("raw, DER key", "p256", msg, raw_sig, True),
        case("raw, PEM key", "p256:pem", msg, raw_sig, True),
        case("digest", "p256", digest, (d / "p256-digest.sig").read_bytes(), True, "DIGEST"),
        case("raw signature checked as digest", "p256", digest, raw_sig, True, "DIGEST"),
        case("tampered message", "p256", msg + b"!", raw_sig, False),
        case("tampered signature byte", "p256", msg, tampered_sig, False),
        case("wrong key", "p256-other", msg, raw_sig, False),
        case("digest sent as RAW (hashed twice)", "p256", digest, (d / "p256-digest.sig").read_bytes(), False),
        case("malformed key", "malformed", msg, raw_sig, "ValidationException"),
        case("digest of wrong length", "p256", digest[:31], raw_sig, "ValidationException", "DIGEST"),
        case("raw message over 4096 bytes", "p256", b"x" * 4097, raw_sig, "ValidationException"),
        case("algorithm not valid for the key", "p256", msg, raw_sig, "InvalidKeyUsageException",
             algorithm="ECDSA_SHA_384"),
        case("message type not valid for the algorithm", "p256", msg, raw_sig, "ValidationException",
             "EXTERNAL_MU"),
    ],
}
print(json.dumps(vectors, indent=1))
