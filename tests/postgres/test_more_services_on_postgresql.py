"""More service tests of tests/services, run unchanged on the throwaway server.

The modules of test_services_on_postgresql.py are imported there one by one; these are
taken in here the way test_cli_on_postgresql.py takes the CLI tests (each test under its
name plus its module's). Left out: the modules about the data file itself (backup,
moving, the identity key file, the SQLite audit seal) and the ones about database roles
(tests/postgres/test_database_roles.py). test_returns_snapshots has a fixture of the
same name as test_returns_fill's: it runs from test_returns_snapshots_on_postgresql.py.
"""

from __future__ import annotations

import importlib

MODULES = (
    "test_access_log", "test_accounts", "test_audit_log", "test_consultations_io",
    "test_context", "test_directory_import", "test_directory_import_scope",
    "test_directory_import_values", "test_imports_pause_gc",
    "test_directory_links", "test_directory_rollover", "test_global_search",
    "test_identity_reach", "test_logs_private", "test_meeting_identity_entry",
    "test_meetings_deadline", "test_meetings_from_previous", "test_printing_case_status",
    "test_printing_counts", "test_printing_glyphs", "test_printing_minutes",
    "test_printing_notice_checks", "test_printing_rights", "test_printing_typesetting",
    "test_returns_fill", "test_returns_mapping",
    "test_small_counts", "test_stats_sql", "test_support_figures", "test_undo",
    "test_viewer_cannot_identify",
)

#: Tests about the data file itself (by module::name), with the reason.
FILE_ONLY: dict[str, str] = {
    "test_audit_log::test_tampering_with_plain_sqlite_is_detected_and_named":
        "edits the SQLite file (test_store_on_postgresql tampers on the server)",
    "test_audit_log::test_deleting_the_newest_entries_is_detected":
        "the data file's audit-head.json (not kept for a server)",
    "test_audit_log::test_a_deletion_stays_visible_after_the_log_moves_on": "audit-head.json",
    "test_audit_log::test_a_missing_head_file_is_said_plainly": "audit-head.json",
    "test_audit_log::test_a_restore_to_an_older_log_is_not_taken_for_tampering": "file backup",
    "test_audit_log::test_a_vanished_store_is_not_replaced_by_a_new_log":
        "the SQLite file vanishing beside its audit-head.json",
    "test_audit_log::test_a_restore_keeps_every_event_made_after_the_backup": "file backup",
    "test_logs_private::test_failing_case_save_writes_no_personal_data_to_the_log":
        "makes the save fail with a SQLite trigger",
}

for _name in MODULES:
    _module = importlib.import_module(f"tests.services.{_name}")
    for _attr, _value in vars(_module).items():
        if _attr.startswith("test_") and callable(_value):
            if f"{_name}::{_attr}" not in FILE_ONLY:
                globals()[f"{_attr}__{_name}"] = _value
        elif type(_value).__name__ == "FixtureFunctionDefinition":
            if _attr in globals() and globals()[_attr] is not _value:
                raise AssertionError(f"two service test modules define the fixture {_attr}")
            globals()[_attr] = _value
