"""The 議事録 editor asks what to do when a typed 要点筆記 names a case, and saves the answer."""

from __future__ import annotations

from sqlalchemy import select

from pfdesk.services.meetings import meetings, minutes
from pfdesk.services.meetings.identity import IdentityDecision, IdentityFound
from pfdesk.store.models import Case
from pfdesk.ui.meetings import identity_prompt
from pfdesk.ui.meetings.identity_prompt import IdentityDialog


def _a_case(ctx) -> Case:
    with ctx.session() as s:
        return s.scalars(select(Case).where(Case.birth_date.is_not(None)).order_by(Case.id)).first()


def _minutes_tab(qtbot, ctx):
    from pfdesk.ui.meetings.ws_minutes import MinutesTab

    mid = next(r.id for r in meetings.list_meetings(ctx, fy=2026) if r.body_kind == "practitioners")
    tab = MinutesTab(ctx=ctx, meeting_id=mid)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab, mid


def test_summary_naming_a_case_is_saved_as_the_user_answers(qtbot, demo_ctx, monkeypatch):
    case = _a_case(demo_ctx)
    tab, mid = _minutes_tab(qtbot, demo_ctx)
    asked: list[IdentityFound] = []

    def answer(_parent, found):
        asked.append(found)
        return IdentityDecision("replace")

    monkeypatch.setattr(identity_prompt, "_ask_dialog", answer)
    tab.items.setCurrentRow(0)
    tab.editor.setPlainText(f"{case.family_name} {case.given_name}さんの近況を共有した。")
    tab.save_summary()
    assert len(asked) == 1 and asked[0].findings[0].case_id == case.id
    item_id = tab.data.items[0].agenda.id
    saved = next(i for i in minutes.get_minutes(demo_ctx, mid).items if i.agenda.id == item_id)
    assert saved.agenda.summary == f"{case.case_number}さんの近況を共有した。"


def test_cancelling_the_question_saves_nothing_and_keeps_the_text(qtbot, demo_ctx, monkeypatch):
    case = _a_case(demo_ctx)
    tab, mid = _minutes_tab(qtbot, demo_ctx)
    shown = []
    monkeypatch.setattr(identity_prompt, "_ask_dialog", lambda _p, _f: None)
    monkeypatch.setattr("pfdesk.ui.meetings.ws_minutes.show_error",
                        lambda _w, e: shown.append(e.user_text()))
    tab.items.setCurrentRow(0)
    typed = f"{case.family_kana}{case.given_kana}さんと面談"
    tab.editor.setPlainText(typed)
    tab.save_summary()
    assert shown and "保存していません" in shown[0]
    assert tab.editor.toPlainText() == typed
    assert all(typed not in i.agenda.summary for i in minutes.get_minutes(demo_ctx, mid).items)


def test_the_question_offers_three_choices_and_needs_a_reason_to_keep(qtbot, demo_ctx,
                                                                      tmp_path):
    case = _a_case(demo_ctx)
    tab, mid = _minutes_tab(qtbot, demo_ctx)
    try:
        minutes.set_next_plan(demo_ctx, mid, f"{case.family_name}{case.given_name}さんの報告")
    except IdentityFound as e:
        found = e
    dialog = IdentityDialog(found)
    qtbot.addWidget(dialog)
    assert not dialog.buttons["link"].isEnabled()  # a 次回予定 has no case to link
    assert dialog.buttons["replace"].isChecked()
    dialog.buttons["keep"].setChecked(True)
    ok = dialog.box.buttons()[0]
    assert not ok.isEnabled()
    dialog.reason.setText("会議で本人が紹介されたため")
    assert ok.isEnabled()
    assert dialog.decision() == IdentityDecision("keep", reason="会議で本人が紹介されたため")
    dialog.grab().save(str(tmp_path / "identity_dialog.png"))
