"""Every function core declares is exported by the Python package, and nothing else is."""

import inspect

import kmskit
from kmskit import _kmskit


def test_module_exports_match_core_list() -> None:
    core = set(kmskit.capabilities())
    native = {n for n, v in vars(_kmskit).items() if inspect.isbuiltin(v) and not n.startswith("_")}
    assert native == core
    for name in core:
        assert callable(getattr(kmskit, name)), name
        assert name in kmskit.__all__


def test_public_package_functions_are_all_core_functions() -> None:
    functions = {n for n, v in vars(kmskit).items()
                 if (inspect.isbuiltin(v) or inspect.isfunction(v)) and not n.startswith("_")}
    assert functions == set(kmskit.capabilities())
