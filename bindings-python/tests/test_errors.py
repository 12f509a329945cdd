"""The error taxonomy: one class per KMS exception name, in step with the Rust core."""

import pytest

import kmskit
from kmskit import _kmskit


def test_every_core_code_has_a_class() -> None:
    assert [cls.code for cls in kmskit.ALL_ERRORS] == _kmskit.error_codes()
    for code in kmskit.error_codes():
        cls = getattr(kmskit, code)
        assert issubclass(cls, kmskit.KmsError)
        assert cls.code == code


def test_errors_are_catchable_by_base_class_and_carry_code_and_message() -> None:
    with pytest.raises(kmskit.KmsError) as info:
        kmskit.verify(b"junk", b"m", b"s", "ECDSA_SHA_256")
    assert isinstance(info.value, kmskit.ValidationException)
    assert info.value.code == "ValidationException"
    assert str(info.value).startswith("ValidationException: ")


def test_a_panic_in_rust_becomes_kms_internal_exception() -> None:
    with pytest.raises(kmskit.KMSInternalException, match="panic probe"):
        _kmskit._panic_probe()
    # and the module still works afterwards
    assert "verify" in kmskit.capabilities()
