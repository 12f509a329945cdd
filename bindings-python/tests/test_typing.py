"""The stubs match the module (mypy.stubtest) and the example type-checks under --strict."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MYPY_CACHE_DIR=str(ROOT / "target" / "mypy-cache"))
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, env=env)


def test_stubtest_finds_no_drift() -> None:
    r = run("mypy.stubtest", "kmskit", "--allowlist", str(ROOT / "bindings-python" / "stubtest-allowlist.txt"))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", ["examples/python/verify.py", "examples/python/local_kms.py", "examples/python/envelope.py"])
def test_examples_typecheck_strict(path: str) -> None:
    r = run("mypy", "--strict", str(ROOT / path))
    assert r.returncode == 0, r.stdout + r.stderr
