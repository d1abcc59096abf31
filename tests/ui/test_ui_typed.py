"""The UI is typed: every widget that takes the service context says so in its signature."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pfdesk.ui


def _classes_taking_ctx() -> dict[str, inspect.Parameter]:
    found: dict[str, inspect.Parameter] = {}
    for info in pkgutil.walk_packages(pfdesk.ui.__path__, "pfdesk.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            init = cls.__dict__.get("__init__")
            if cls.__module__ != info.name or init is None:
                continue
            param = inspect.signature(init).parameters.get("ctx")
            if param is not None:
                found[f"{info.name}.{name}"] = param
    return found


def test_every_constructor_taking_ctx_declares_a_service_context():
    found = _classes_taking_ctx()
    assert "pfdesk.ui.consultations.detail.CaseDetailView" in found
    assert len(found) > 60  # the pages, tabs and dialogs of every area
    untyped = sorted(name for name, p in found.items()
                     if p.annotation not in ("ServiceContext", "ServiceContext | None"))
    assert untyped == []
