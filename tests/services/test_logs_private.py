"""Logs hold no personal data: a failing case save leaves no name, phone or 主訴 in them."""

from __future__ import annotations

import faulthandler
import logging
import stat
import sys
from datetime import date

import pytest
from sqlalchemy import text

from pfdesk import logs
from pfdesk.services.consultations.cases import CaseInput, create_case, update_case

SECRET_NAME = ("漏洩", "禁子")
SECRET_PHONE = "090-7777-3141"
SECRET_COMPLAINT = "ログに出てはならない主訴の本文"


@pytest.fixture
def private_logs(tmp_path, monkeypatch):
    """setup_logging into a fresh folder; the handlers are removed afterwards."""
    folder = tmp_path / "logs"
    monkeypatch.setenv("PFDESK_LOG_DIR", str(folder))
    monkeypatch.setattr(logs, "_configured", False)
    root = logging.getLogger()
    before = list(root.handlers)
    logs.setup_logging()
    yield folder
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()
    faulthandler.enable(sys.__stderr__)  # give pytest's crash reporting back


def test_failing_case_save_writes_no_personal_data_to_the_log(ctx, private_logs):
    case = create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="山川",
                                      given_name="一郎"))
    with ctx.session() as s:
        # The disk refuses the write, as a full disk or a locked file would.
        s.execute(text("CREATE TRIGGER refuse BEFORE UPDATE ON consultation_case "
                       "BEGIN SELECT RAISE(ABORT, 'write refused'); END"))
        s.commit()
    data = CaseInput(intake_date=date(2026, 5, 1), family_name=SECRET_NAME[0],
                     given_name=SECRET_NAME[1], phone=SECRET_PHONE,
                     chief_complaint=SECRET_COMPLAINT)
    with pytest.raises(Exception) as failed:
        update_case(ctx, case.id, data)
    # The engine hides statement parameters: the error itself carries no values.
    assert SECRET_PHONE not in str(failed.value)
    assert SECRET_COMPLAINT not in str(failed.value)
    # What the window does with a program error: log it with its traceback.
    logging.getLogger("pfdesk.ui").error("unexpected error", exc_info=failed.value)
    logging.getLogger("pfdesk.test").warning("入力値: %s %s", SECRET_PHONE, "a.b@example.jp")
    for h in logging.getLogger().handlers:
        h.flush()
    written = "".join(p.read_text(encoding="utf-8") for p in private_logs.iterdir())
    assert "write refused" in written  # the failure is logged …
    for secret in (*SECRET_NAME, SECRET_PHONE, SECRET_COMPLAINT, "a.b@example.jp"):
        assert secret not in written  # … without what was being saved


def test_log_and_crash_files_are_owner_only(private_logs):
    logging.getLogger("pfdesk.test").warning("something happened")
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in private_logs.iterdir()}
    assert files == {"pfdesk.log": 0o600, "crash.log": 0o600}
    assert stat.S_IMODE(private_logs.stat().st_mode) == 0o700
