"""The command-line tests of tests/cli, run again with the store on the throwaway server.

Every test function (and fixture) of the CLI test modules is taken in here under its
own name plus the module's (``test_version__test_cli``); an autouse fixture points
``PFDESK_DATABASE_URL`` at a new database for each test, so every ``pfdesk …`` command
the test runs opens the server, and the tests' own direct ``open_store(folder)`` calls
open the same database. Tests that are about the data file itself (tampering with the
SQLite file, the file backup, encryption, move-out, what a folder holds) are left out
under ``FILE_ONLY`` with the reason; test_cli_refusals_on_postgresql.py checks that
those commands refuse on a server with a clear message (or, for backup and restore,
work there).
"""

from __future__ import annotations

import importlib

import pytest

from pfdesk.paths import DataPaths
from pfdesk.store.pg import open_server_store

CLI_MODULES = (
    "test_audit", "test_cli", "test_consultations_cli", "test_directory_cli", "test_hiding",
    "test_lazy_imports", "test_meetings", "test_moving_cli", "test_printing",
    "test_progress_cli", "test_returns", "test_stats", "test_stats_export",
    "test_survey_cli", "test_users",
)

#: Tests about the data file itself, which a server store does not have (by name).
FILE_ONLY = {
    "test_audit::test_verify_passes_then_names_the_tampered_entry":
        "edits the SQLite file with sqlite3 (test_store_on_postgresql tampers on the server)",
    "test_audit::test_verify_names_deleted_newest_entries":
        "the audit-head.json of the data file (not kept for a server, docs/postgresql.md)",
    "test_cli::test_backups_go_only_to_the_backups_folder_of_the_data_folder":
        "a data file's unencrypted backup without accounts (a server's backup is encrypted "
        "for a signed-in user: test_server_backup, test_cli_refusals_on_postgresql)",
    "test_users::test_backup_and_restore_commands":
        "expects the data file's unencrypted backup (the server's: as above)",
    "test_moving_cli::test_move_out_then_in_on_another_data_folder": "move-out / move-in",
    "test_users::test_encrypt_then_recover": "encryption of the data file",
    "test_users::test_encrypt_offers_to_shred_the_plain_backups_made_before":
        "encryption and file backups",
}

_modules = [importlib.import_module(f"tests.cli.{name}") for name in CLI_MODULES]
for _module in _modules:
    for _attr, _value in vars(_module).items():
        if _attr.startswith("test_") and callable(_value):
            if f"{_module.__name__.rsplit('.', 1)[1]}::{_attr}" not in FILE_ONLY:
                globals()[f"{_attr}__{_module.__name__.rsplit('.', 1)[1]}"] = _value
        elif hasattr(_value, "_fixture_function") or type(_value).__name__.startswith("Fixture"):
            assert _attr not in globals(), f"two CLI test modules define the fixture {_attr}"
            globals()[_attr] = _value


def _point_at(url, monkeypatch) -> None:
    monkeypatch.setenv("PFDESK_DATABASE_URL", url.render_as_string(hide_password=False))

    def open_here(paths, **kw):
        return open_server_store(paths, url, **kw)

    for module in _modules:
        if hasattr(module, "open_store"):
            monkeypatch.setattr(module, "open_store", open_here)


@pytest.fixture(autouse=True)
def cli_on_server(pg_cluster, pg_database, monkeypatch) -> None:
    """Every command and every direct store opening of the test goes to a new database."""
    _point_at(pg_cluster.url(pg_database), monkeypatch)


@pytest.fixture
def demo_store(pg_cluster, pg_demo_template, cli_on_server, tmp_path, monkeypatch):
    """A private copy of the demo town on the server; the commands use it from then on."""
    from tests.postgres.conftest import _copy

    url = pg_cluster.url(_copy(pg_cluster, pg_demo_template))
    _point_at(url, monkeypatch)
    s = open_server_store(DataPaths(tmp_path / "demo"), url, is_demo=True)
    yield s
    s.close()
