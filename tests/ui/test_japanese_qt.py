"""Qt's own buttons speak Japanese, and no destructive question has はい as its default."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

import pfdesk.ui
from pfdesk.ui.translations import install_qt_translations

UI = Path(pfdesk.ui.__file__).parent
S = QMessageBox.StandardButton


@pytest.fixture
def japanese_qt(qapp):
    loaded = install_qt_translations(qapp)
    yield loaded
    for t in qapp.findChildren(QTranslator, "pfdesk-qt-ja"):
        qapp.removeTranslator(t)
        t.setParent(None)


def _texts(box: QMessageBox) -> set[str]:
    return {b.text().replace("&", "") for b in box.buttons()}


def test_standard_buttons_are_japanese(qtbot, japanese_qt):
    assert any(p.endswith("qtbase_ja.qm") for p in japanese_qt)
    box = QMessageBox(QMessageBox.Icon.Question, "確認", "削除しますか？", S.Yes | S.No)
    qtbot.addWidget(box)
    assert _texts(box) == {"はい(Y)", "いいえ(N)"}
    box = QMessageBox(QMessageBox.Icon.Question, "確認", "保存しますか？",
                      S.Save | S.Discard | S.Cancel)
    qtbot.addWidget(box)
    assert _texts(box) == {"保存", "変更を破棄", "キャンセル"}
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                          | QDialogButtonBox.StandardButton.Cancel
                          | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(bb)
    assert {b.text() for b in bb.buttons()} == {"OK", "キャンセル", "閉じる"}


def test_texts_qt_leaves_in_english_get_japanese_too(qtbot, japanese_qt):
    # qtbase_ja has no 「Don't Save」: the fallback catalogue supplies it.
    box = QMessageBox(QMessageBox.Icon.Question, "確認", "終了しますか？",
                      S.Save | S.NoToAll | S.Abort)
    qtbot.addWidget(box)
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Don't Save") == "保存しない"
    assert not any(t.isascii() for t in _texts(box))


def test_qt_japanese_catalogue_is_found_in_a_source_run():
    # The frozen build copies it into its resources (installer/build.py); a source run
    # and a wheel find PySide6's own copy.
    from pfdesk.ui.translations import translation_dirs

    assert any((d / "qtbase_ja.qm").is_file() for d in translation_dirs())


def test_installing_twice_adds_nothing(qapp, japanese_qt):
    before = len(qapp.findChildren(QTranslator, "pfdesk-qt-ja"))
    install_qt_translations(qapp)
    assert len(qapp.findChildren(QTranslator, "pfdesk-qt-ja")) == before


# --- safe defaults ---------------------------------------------------------------------

#: Questions whose はい is the safe answer (いいえ would throw typed text away).
SAFE_YES = {("autosave.py", "保存されていない下書き")}
#: Files whose questions are not checked (none: every question names its default).
NOT_YET: set[str] = set()


def _questions():
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "question"
                    and ast.unparse(node.func.value) == "QMessageBox"):
                yield path, node


def test_every_question_names_its_default_and_destructive_ones_default_to_no():
    found = 0
    for path, call in _questions():
        if path.name in NOT_YET:
            continue
        found += 1
        where = f"{path.relative_to(UI)}:{call.lineno}"
        args = [ast.unparse(a) for a in call.args]
        assert len(args) >= 5 or any(k.arg == "defaultButton" for k in call.keywords), (
            f"{where}: no default button; Qt would make はい the default")
        buttons, default = args[3], args[4]
        title = ast.unparse(call.args[1])
        if "Yes" in buttons and not any(path.name == f and t in title for f, t in SAFE_YES):
            assert default.endswith(".No"), f"{where}: a destructive question defaults to {default}"
        if "Discard" in buttons and "Save" not in buttons:
            assert default.endswith(".Cancel"), f"{where}: 破棄 is the default"
    assert found >= 10


def test_deleting_a_meeting_defaults_to_no(qtbot, demo_ctx, monkeypatch):
    from datetime import date

    from pfdesk.services.meetings import bodies, meetings
    from pfdesk.ui.meetings.workspace import MeetingWorkspace

    body = next(b for b in bodies.list_bodies(demo_ctx) if b.kind == "plenary")
    mid = meetings.create_meeting(demo_ctx, meetings.MeetingInput(
        body_id=body.id, held_on=date(2027, 3, 1)))
    asked = []

    def question(parent, title, text, buttons=S.Yes | S.No, default=S.NoButton):
        asked.append((title, buttons, default))
        return default  # the user pressed Enter

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    ws = MeetingWorkspace(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(ws)
    ws.delete_meeting()
    assert asked and asked[0][0] == "会議の削除" and asked[0][2] == S.No
    assert mid in {m.id for m in meetings.list_meetings(demo_ctx)}  # Enter kept it


