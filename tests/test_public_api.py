"""Each package's ``__all__`` names exactly what it offers (as httpx checks its own): a name that is
public in the package but missing from ``__all__``, or listed but absent, fails here."""

from __future__ import annotations

import importlib
import inspect
import types

import pytest

PACKAGES = ["alerts", "alerts.channels", "extract", "mirror", "store"]
KERNEL_MODULES = ["kernel.cron", "kernel.errors", "kernel.records", "kernel.sites", "kernel.times", "kernel.urls"]


@pytest.mark.parametrize("name", PACKAGES)
def test_a_packages_all_is_exactly_its_public_names(name):
    module = importlib.import_module(name)
    public = {key for key, value in vars(module).items()
              if not key.startswith("_") and not isinstance(value, types.ModuleType) and key != "annotations"}
    lazy = {key for key in module.__all__ if key not in vars(module)}  # module-level __getattr__ (mirror.Mirror)
    assert sorted(module.__all__) == sorted(public | lazy), f"{name}.__all__ is out of date"
    for key in module.__all__:
        assert getattr(module, key) is not None


@pytest.mark.parametrize("name", KERNEL_MODULES)
def test_a_kernel_modules_all_lists_every_function_and_class_it_defines(name):
    module = importlib.import_module(name)
    defined = {key for key, value in vars(module).items()
               if not key.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
               and value.__module__ == name}
    assert defined <= set(module.__all__), f"{name}.__all__ misses {sorted(defined - set(module.__all__))}"
    assert all(hasattr(module, key) for key in module.__all__)
