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


#: Modules that read or write personal data: each entry point there must name a permission.
PERSONAL = (".consultations", ".directory", ".printing", "export", "import", ".io", "print",
            ".backup", ".retention", ".accounts", ".audit_log", ".encryption")


def _touches_personal_data(name: str) -> bool:
    module = name.rsplit(".", 1)[0]
    return any(part in module for part in PERSONAL) or any(
        word in name.rsplit(".", 1)[1] for word in ("export", "import", "print"))


#: Entry points there that any signed-in user may call, each acting on their own data only.
OWN_DATA_ONLY = {
    "pfdesk.services.accounts.change_own_password",
    "pfdesk.services.accounts.confirm_password",
    "pfdesk.services.accounts.logout",
    "pfdesk.services.accounts.idle_lock_minutes",
}


def test_every_entry_point_touching_personal_data_checks_a_permission():
    found = [(n, fn) for n, fn in _service_functions() if _touches_personal_data(n)]
    assert len(found) >= 20
    unchecked = [n for n, fn in found
                 if not getattr(fn, "__pfdesk_permissions__", ()) and n not in OWN_DATA_ONLY]
    assert unchecked == [], f"personal-data services without a permission check: {unchecked}"


def test_the_personal_data_check_catches_an_unchecked_function():
    @service()
    def export_everything(ctx):
        return []

    export_everything.__module__ = "pfdesk.services.consultations.export"
    assert _touches_personal_data("pfdesk.services.consultations.export.export_everything")
    assert not export_everything.__pfdesk_permissions__


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
