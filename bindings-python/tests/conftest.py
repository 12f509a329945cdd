import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_vectors(name: str) -> dict:
    return json.loads((ROOT / "testdata" / name).read_text())


def key_bytes(vectors: dict, name: str) -> bytes:
    if name.endswith(":pem"):
        return vectors["keys"][name[:-4]]["pem"].encode()
    return bytes.fromhex(vectors["keys"][name]["der_hex"])


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT
