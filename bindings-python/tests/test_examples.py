"""The Python example runs and prints what it promises."""

import subprocess
import sys

from conftest import ROOT


def test_verify_example_runs() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "examples/python/verify.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "genuine signature: True" in out
    assert "tampered message:  False" in out
    assert "raises InvalidKeyUsageException" in out
