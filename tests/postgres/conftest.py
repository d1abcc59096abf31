"""The store tests and chosen service tests, run again on a throwaway PostgreSQL cluster.

One cluster per test run. ``store`` (and with it ``ctx``) is a new database per test,
copied from a template migrated once (CREATE DATABASE … TEMPLATE, a file copy on the
server); ``demo_store`` is a copy of the demo town built once on the server. Modules
here re-import test functions of tests/services: they run unchanged against these
fixtures. Every test here is marked ``postgresql``; without a server they are skipped.
"""

from __future__ import annotations

import itertools
import os

import pytest

from pfdesk.paths import DataPaths
from pfdesk.store.pg import open_server_store
from tests.postgres.cluster import Cluster, start_cluster

_numbers = itertools.count(1)


def pytest_collection_modifyitems(config, items) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session")
def pg_cluster():
    """A running cluster for the whole run (skipped where PostgreSQL is not installed)."""
    try:
        cluster = start_cluster()
    except (FileNotFoundError, OSError) as e:
        if os.environ.get("PFDESK_REQUIRE_POSTGRESQL"):
            raise
        pytest.skip(f"no PostgreSQL server to start: {e}")
    yield cluster
    cluster.stop()


def _copy(cluster: Cluster, template: str) -> str:
    name = f"t{next(_numbers)}"
    cluster.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


@pytest.fixture(scope="session")
def pg_template(pg_cluster, tmp_path_factory) -> str:
    """A database migrated to the newest schema, copied for each test."""
    pg_cluster.execute("CREATE DATABASE schema_template")
    store = open_server_store(DataPaths(tmp_path_factory.mktemp("pg-template")),
                              pg_cluster.url("schema_template"))
    store.close()
    return "schema_template"


@pytest.fixture
def pg_database(pg_cluster, pg_template) -> str:
    """A new database at the newest schema, for this test only."""
    return _copy(pg_cluster, pg_template)


@pytest.fixture
def store(pg_cluster, pg_database, data_paths):
    """A new, migrated, empty store on the server (the data folder holds the local files)."""
    s = open_server_store(data_paths, pg_cluster.url(pg_database))
    yield s
    s.close()


@pytest.fixture
def second_store(store, tmp_path):
    """The same server database opened by a second PC (its own engine and folder)."""
    other = open_server_store(DataPaths(tmp_path / "pc2"), store.engine.url)
    yield other
    other.close()


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster, pg_template, tmp_path_factory) -> str:
    """The demo town built once on the server (scale 1)."""
    from pfdesk.services.demo import build_demo

    pg_cluster.execute(f"CREATE DATABASE demo_template TEMPLATE {pg_template}")
    store = open_server_store(DataPaths(tmp_path_factory.mktemp("pg-demo")),
                              pg_cluster.url("demo_template"), is_demo=True)
    build_demo(store)
    store.close()
    return "demo_template"


@pytest.fixture
def demo_store(pg_cluster, pg_demo_template, tmp_path):
    """A private copy of the demo town on the server, free to modify."""
    name = _copy(pg_cluster, pg_demo_template)
    s = open_server_store(DataPaths(tmp_path / "demo"), pg_cluster.url(name), is_demo=True)
    yield s
    s.close()
