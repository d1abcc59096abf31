"""取り消し of a save of a meeting's 概要: the place and time come back; a stale offer is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from pfdesk.core.permissions import VIEWER
from pfdesk.services import undo
from pfdesk.services.context import Actor
from pfdesk.services.meetings import agenda, meetings
from pfdesk.ui import undo as undo_ui
from pfdesk.ui.meetings.dialogs import AgendaItemDialog
from pfdesk.ui.meetings.page import MeetingsPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = MeetingsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def _planned(ctx) -> int:
    return [r for r in meetings.list_meetings(ctx, fy=2026) if r.status == "planned"][0].id


def test_a_saved_overview_is_taken_back_with_one_click(page, demo_ctx,
                                                                          qtbot):
    mid = _planned(demo_ctx)
    was = meetings.get_meeting(demo_ctx, mid).row.place
    page.open_meeting(mid)
    ws = page.workspace
    ws.overview.place.setText("保健福祉センター 2階 研修室")
    assert ws.overview.save()
    assert meetings.get_meeting(demo_ctx, mid).row.place == "保健福祉センター 2階 研修室"
    bar = ws.undo_bar
    assert bar.isVisibleTo(ws) and bar.message.text() == "会議の概要を保存しました"
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert meetings.get_meeting(demo_ctx, mid).row.place == was
    assert ws.overview.place.text() == was  # the form shows the meeting as it is again
    assert bar.message.text() == "変更前に戻しました"


def test_a_meeting_saved_again_elsewhere_is_not_taken_back(page, demo_ctx, qtbot,
                                                          monkeypatch):
    mid = _planned(demo_ctx)
    page.open_meeting(mid)
    ws = page.workspace
    ws.overview.place.setText("役場 第1会議室")
    ws.overview.save()
    other = undo.meeting_details(demo_ctx, mid)
    meetings.update_meeting(demo_ctx, mid, replace(other.details, place="公民館 ホール"))
    shown = []
    monkeypatch.setattr(undo_ui, "show_error", lambda _p, e: shown.append(e.user_text()))
    qtbot.mouseClick(ws.undo_bar.button, Qt.MouseButton.LeftButton)
    assert shown and "取り消せません" in shown[0]
    assert meetings.get_meeting(demo_ctx, mid).row.place == "公民館 ホール"
    assert ws.overview.place.text() == "公民館 ホール"


def test_saving_nothing_new_offers_nothing_and_a_viewer_is_never_offered(page, demo_ctx,
                                                                          qtbot):
    mid = _planned(demo_ctx)
    page.open_meeting(mid)
    assert page.workspace.overview.save()  # nothing changed: nothing to take back
    assert not page.workspace.undo_bar.isVisibleTo(page.workspace)
    viewer = demo_ctx.acting_as(Actor("viewer", "閲覧者", VIEWER, None))
    before = undo.meeting_details(demo_ctx, mid)
    offer = undo.meeting_edited(mid, before, before)
    bar = undo_ui.UndoBar(ctx=viewer)
    qtbot.addWidget(bar)
    bar.offer(offer)
    assert bar.isHidden() and bar.pending is None


def test_an_edited_agenda_item_gets_its_title_back(page, demo_ctx, qtbot, monkeypatch):
    mid = _planned(demo_ctx)
    item = agenda.add_item(demo_ctx, mid, agenda.AgendaInput(title="居場所づくりについて",
                                                             presenter="事務局"))
    page.open_meeting(mid)
    ws = page.workspace
    tab = ws.agenda
    tab.refresh()
    top = tab.tree.topLevelItem([r.id for r in tab.rows].index(item))
    tab.tree.setCurrentItem(top)

    def exec_(self):
        self.title.setText("居場所づくりの進め方について")
        self._ok()  # 保存
        return self.result()

    monkeypatch.setattr(AgendaItemDialog, "exec", exec_)
    tab.edit_item()
    assert [r.title for r in agenda.list_agenda(demo_ctx, mid) if r.id == item] == [
        "居場所づくりの進め方について"]
    assert ws.undo_bar.message.text() == "議題「居場所づくりの進め方について」を保存しました"
    qtbot.mouseClick(ws.undo_bar.button, Qt.MouseButton.LeftButton)
    assert [r.title for r in agenda.list_agenda(demo_ctx, mid) if r.id == item] == [
        "居場所づくりについて"]
    assert "居場所づくりについて" in [r.title for r in tab.rows]
