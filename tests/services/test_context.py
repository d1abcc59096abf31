"""Every service entry point checks permissions before it works."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import pfdesk.services
from pfdesk.core.errors import PermissionDenied
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.services.settings import Municipality, get_municipality, save_municipality


def _service_functions():
    for info in pkgutil.walk_packages(pfdesk.services.__path__, prefix="pfdesk.services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and params[0].name == "ctx":
                yield f"{module.__name__}.{name}", fn


def test_every_service_entry_point_is_permission_checked():
    found = list(_service_functions())
    assert len(found) >= 3
    missing = [name for name, fn in found if not hasattr(fn, "__pfdesk_permissions__")]
    assert missing == [], f"service functions without @service(...): {missing}"


def test_viewer_cannot_change_settings(store):
    viewer = ServiceContext(store=store, actor=Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied) as e:
        save_municipality(viewer, Municipality(name="いの町", secretariat="ほけん福祉課"))
    assert "権限" in e.value.user_text()
    assert get_municipality(viewer).name == ""


def test_service_rejects_a_missing_context():
    @service()
    def f(ctx):
        return 1

    with pytest.raises(TypeError):
        f("not a context")
