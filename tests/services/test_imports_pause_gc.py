"""The imports run without cycle collections and leave the collector on."""

from __future__ import annotations

import csv
import gc

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.services.consultations.io import import_ledger
from pfdesk.services.directory.importer import import_contacts


def test_imports_run_paused_and_leave_the_collector_on(ctx, tmp_path, collector_on):
    path = tmp_path / "名簿.csv"
    with open(path, "w", encoding="cp932", newline="") as fh:
        csv.writer(fh).writerows([["機関名", "氏名", "電話番号"]]
                                 + [["みどり川町保健福祉課", f"森 修{i}", "0889-52-0001"]
                                    for i in range(1200)])
    seen: list[bool] = []
    done = import_contacts(ctx, path, progress=lambda *_a: seen.append(gc.isenabled()))
    assert done.count("add") == 1200 and seen and not any(seen)
    assert gc.isenabled()
    bad = tmp_path / "台帳.csv"
    bad.write_text("No,氏名,相談日\nA-1,森 修,5月くらい\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        import_ledger(ctx, bad)
    assert gc.isenabled()


def test_an_import_leaves_the_collector_off_when_the_window_turned_it_off(ctx, tmp_path,
                                                                          collector_on):
    # The window collects on its own thread only (ui.tasks): an import on the background
    # worker must not turn automatic collection back on there.
    gc.disable()
    path = tmp_path / "名簿.csv"
    path.write_text("機関名,氏名\nみどり川町保健福祉課,森 修\n", encoding="utf-8")
    assert import_contacts(ctx, path).count("add") == 1
    assert not gc.isenabled()
