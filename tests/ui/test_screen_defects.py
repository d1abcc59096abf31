"""Defects a new secretariat user met on the screens (issue 画面): each fixed and kept fixed."""

from __future__ import annotations

from pfdesk.services.meetings import meetings, minutes


def test_minutes_typed_for_one_item_are_shown_again_after_switching_items(qtbot, demo_ctx):
    from pfdesk.ui.meetings.ws_minutes import MinutesTab

    mid = next(r.id for r in meetings.list_meetings(demo_ctx, fy=2026)
               if len(minutes.get_minutes(demo_ctx, r.id).items) >= 2)
    tab = MinutesTab(ctx=demo_ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.items.setCurrentRow(0)
    tab.editor.setPlainText("第1の議題の要点：居場所の利用者が増えた")
    tab.items.setCurrentRow(1)
    tab.items.setCurrentRow(0)
    assert tab.editor.toPlainText() == "第1の議題の要点：居場所の利用者が増えた"
    assert tab.items.item(0).text().startswith("✓")
    first = minutes.get_minutes(demo_ctx, mid).items[0].agenda.summary
    assert first == "第1の議題の要点：居場所の利用者が増えた"
