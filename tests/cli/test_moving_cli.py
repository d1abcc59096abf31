"""``pfdesk move-out FILE`` on the old PC, ``pfdesk move-in FILE`` on the new one."""

from __future__ import annotations

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store.engine import open_store


def test_move_out_then_in_on_another_data_folder(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    store = open_store(DataPaths(old))
    save_municipality(ServiceContext(store=store, actor=Actor.local_admin()),
                      Municipality(name="いの町", secretariat="ほけん福祉課"))
    store.close()
    archive = tmp_path / "移行.zip"
    assert main(["--data-dir", str(old), "move-out", str(archive)]) == 0
    assert "移行用ファイルを作成し、検査しました" in capsys.readouterr().out
    assert main(["--data-dir", str(new), "move-in", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "取り込みました" in out and "改ざんは見つかりませんでした" in out
    store = open_store(DataPaths(new))
    try:
        assert get_municipality(ServiceContext(store=store, actor=Actor.local_admin())
                                ).name == "いの町"
    finally:
        store.close()
    assert main(["--data-dir", str(new), "audit", "verify"]) == 0
    # A second move-in would overwrite the data now there: refused, with the reason.
    assert main(["--data-dir", str(new), "move-in", str(archive)]) == 2
    assert "すでに pfdesk のデータがある" in capsys.readouterr().err
