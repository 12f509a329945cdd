"""The Python examples run and print what they promise."""

import subprocess
import sys

from conftest import ROOT


def test_verify_example_runs() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "examples/python/verify.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "genuine signature: True" in out
    assert "tampered message:  False" in out
    assert "raises InvalidKeyUsageException" in out


def test_local_kms_example_runs_and_repeats() -> None:
    def run() -> str:
        return subprocess.run([sys.executable, str(ROOT / "examples/python/local_kms.py")],
                              capture_output=True, text=True, check=True).stdout

    out = run()
    assert "as alias/orders" in out
    assert "decrypt gives the same data key back: True" in out
    assert "wrong encryption context: InvalidCiphertextException" in out
    assert "signature verifies offline: True" in out
    assert out.count("page: ") == 2
    assert "signing key deleted on 2026-03-08" in out
    assert "on 2026-03-08 the signing key is gone: NotFoundException" in out
    assert run() == out  # deterministic mode: the same key IDs every run


def test_envelope_example_runs() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "examples/python/envelope.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "(two wrapped copies of the data key)" in out
    assert "decrypted with the offline key alone: True, suite 0x0478" in out
    assert "decrypted with the KMS key alone: True" in out
    assert "wrong encryption context: InvalidCiphertextException" in out
