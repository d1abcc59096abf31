"""Test set-up: offscreen Qt, a temporary store per test, a demo store built once."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

# Before any Qt import: no display is needed, and logs stay out of the user's folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_LOGS = tempfile.mkdtemp(prefix="pfdesk-test-logs-")
os.environ.setdefault("PFDESK_LOG_DIR", _LOGS)
os.environ.pop("PFDESK_DATA_DIR", None)
os.environ.pop("PFDESK_PASSWORD", None)
# A developer's shared database never receives the tests' stores (tests/postgres makes its own).
os.environ.pop("PFDESK_DATABASE_URL", None)
os.environ.pop("PFDESK_DATABASE_PASSWORD", None)
# Tests run in Japanese whatever language the developer chose in 設定.
os.environ["PFDESK_CONFIG_DIR"] = tempfile.mkdtemp(prefix="pfdesk-test-config-")
os.environ.pop("PFDESK_LANG", None)

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

import pytest  # noqa: E402

from pfdesk.paths import DataPaths  # noqa: E402
from pfdesk.services.context import Actor, ServiceContext  # noqa: E402
from pfdesk.store.engine import Store, open_store  # noqa: E402


@pytest.fixture
def collector_on():
    """Automatic cycle collection on for the test, and as it was afterwards.

    Tests of the window turn it off once a background worker exists (ui.tasks collects on
    the GUI thread instead), so a test that needs it on, as the CLI has it, says so; the
    state is put back so later window tests keep collecting on the GUI thread only.
    """
    import gc

    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


@pytest.fixture
def data_paths(tmp_path) -> DataPaths:
    """An empty data folder."""
    return DataPaths(tmp_path / "data").ensure()


def _settle(store: Store) -> None:
    """Let background work a window started on ``store`` finish before the store closes.

    A page's loading on the worker can outlive its test; closing the store under it (and
    starting the next test's) is not what a user ever does.
    """
    tasks = sys.modules.get("pfdesk.ui.tasks")
    if tasks is not None:
        tasks.wait_for_all()
        tasks.collect_garbage()  # what the window's timer would have collected meanwhile
    store.close()


@pytest.fixture
def store(data_paths):
    """A new, migrated, empty store."""
    s = open_store(data_paths)
    yield s
    _settle(s)


@pytest.fixture
def second_store(store):
    """The same data opened by a second PC, for the two-PC conflict tests.

    tests/postgres gives its own: the same server database, another engine and folder.
    """
    other = open_store(store.paths)
    yield other
    other.close()


@pytest.fixture
def admin() -> Actor:
    """The local administrator."""
    return Actor.local_admin()


@pytest.fixture
def ctx(store, admin) -> ServiceContext:
    """An empty store with the administrator acting."""
    return ServiceContext(store=store, actor=admin)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo town built once per test run (scale 1); tests get copies."""
    from pfdesk.services.demo import build_demo

    root = tmp_path_factory.mktemp("demo-template")
    store = open_store(DataPaths(root), is_demo=True)
    build_demo(store)
    store.close()
    return root


@pytest.fixture
def demo_store(demo_template, tmp_path) -> Store:
    """A private copy of the demo store, free to modify."""
    root = tmp_path / "demo"
    shutil.copytree(demo_template, root)
    s = open_store(DataPaths(root), is_demo=True)
    yield s
    _settle(s)


@pytest.fixture
def demo_ctx(demo_store, admin) -> ServiceContext:
    """The demo town with the administrator acting."""
    return ServiceContext(store=demo_store, actor=admin)
