"""はじめての設定, 保存年限, 秘匿 and 地域課題 when another PC saved first.

The first start on a shared store that another PC has just set up tells who set it up
with what, overwrites nothing and starts with the stored settings. The period and rule
forms show what changed, keep the typed values, write nothing on the refused save and
save them on the second press. The tag dialogs keep a tag another PC added meanwhile.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.area_issues import tags
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.settings import Municipality, get_municipality, save_municipality


@pytest.fixture
def pc2(store):
    """The same data opened by a second PC, where 佐藤 (an administrator) works."""
    from pfdesk.store.engine import open_store

    other = open_store(store.paths)
    yield ServiceContext(store=other, actor=Actor("sato", "佐藤", "admin"))
    other.close()


@pytest.fixture
def told(monkeypatch) -> list[str]:
    """The messages the forms show (warnings and notes; the message boxes replaced)."""
    out: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: out.append(text))
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text: out.append(text))
    return out


def _fill(dialog, **values: str) -> None:
    for name, text in values.items():
        dialog.form.edits[name].setText(text)


def test_first_start_set_up_meanwhile_on_another_pc_is_kept_and_the_window_opens(
        qtbot, ctx, pc2, told):
    from pfdesk.services.settings import is_set_up
    from pfdesk.ui.first_start import FirstStartDialog

    here = FirstStartDialog(ctx=ctx)  # both PCs open the new shared store at once
    there = FirstStartDialog(ctx=pc2)
    qtbot.addWidget(here)
    qtbot.addWidget(there)
    _fill(there, prefecture="高知県", name="みどり川町", secretariat="保健福祉課",
          doc_number_prefix="み保福")
    there.accept()  # 佐藤 finishes first
    assert there.result() == FirstStartDialog.DialogCode.Accepted and not told

    _fill(here, name="みどりかわ町", secretariat="ほけん福祉課", phone="0889-00-1234")
    here.accept()
    assert here.result() == FirstStartDialog.DialogCode.Accepted  # pfdesk starts
    assert len(told) == 1
    text = told[0]
    assert "「はじめての設定」は、ほかのパソコンで済んでいました" in text
    assert "保存されている設定で pfdesk を始めます" in text
    assert "（sato、" in text  # who, and when
    assert "自治体名: みどり川町" in text and "文書番号の記号: み保福" in text  # with what
    assert "あなたが入力した内容（保存していません）" in text
    assert "・自治体名: みどりかわ町" in text and "・電話: 0889-00-1234" in text
    stored = get_municipality(ctx)
    assert (stored.name, stored.secretariat, stored.phone) == ("みどり川町", "保健福祉課", "")
    assert is_set_up(ctx)


def test_the_window_opens_on_the_settings_the_other_pc_stored(qtbot, ctx, pc2, told):
    """After the message, 設定 shows the stored settings, ready to change knowingly."""
    from pfdesk.ui.first_start import FirstStartDialog
    from pfdesk.ui.settings.page import SettingsPage

    here = FirstStartDialog(ctx=ctx)
    qtbot.addWidget(here)
    save_municipality(pc2, Municipality(name="みどり川町", secretariat="保健福祉課"),
                      seen=Municipality())
    _fill(here, name="みどりかわ町", secretariat="ほけん福祉課")
    here.accept()
    page = SettingsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.form.edits["name"].text() == "みどり川町"
    page.form.edits["name"].setText("みどりかわ町")
    assert page.save() is True  # on top of what it showed: no conflict
    assert get_municipality(pc2).name == "みどりかわ町"


def test_first_start_on_its_own_saves_what_was_typed(qtbot, ctx, told):
    from pfdesk.ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(ctx=ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, name="みどり川町", secretariat="保健福祉課")
    dialog.accept()
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted and not told
    assert get_municipality(ctx).name == "みどり川町"


def test_retention_form_keeps_the_typed_years_when_another_pc_saved(qtbot, ctx, pc2, told):
    from pfdesk.services.retention import periods_of, retention_periods, set_retention_periods
    from pfdesk.ui.security.retention import RetentionDialog

    dialog = RetentionDialog(ctx=ctx)
    qtbot.addWidget(dialog)
    set_retention_periods(pc2, {"closed_case": 10},
                          seen=periods_of(retention_periods(pc2)))  # 佐藤 on the other PC
    dialog.spins["voided_case"].setValue(3)
    dialog.save_periods()
    assert len(told) == 1 and "保存年限は" in told[0] and "（sato、" in told[0]
    assert "終結した相談ケース（終結後）: 10年" in told[0]
    assert dialog.spins["voided_case"].value() == 3  # the typed years stay
    assert dialog.spins["closed_case"].value() == 5
    assert periods_of(retention_periods(ctx)) == {"closed_case": 10, "voided_case": 1}

    dialog.spins["closed_case"].setValue(10)  # read, kept; saved on top
    dialog.save_periods()
    assert len(told) == 1 and "保存年限を保存しました" in dialog.message.text()
    assert periods_of(retention_periods(pc2)) == {"closed_case": 10, "voided_case": 3}
    dialog.spins["closed_case"].setValue(8)  # its own last save is no conflict
    dialog.save_periods()
    assert len(told) == 1 and periods_of(retention_periods(pc2))["closed_case"] == 8


def _case_screen(qtbot, ctx):
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.ui.consultations.detail import CaseDetailView

    c = cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="高橋",
                                         given_name="一郎", family_kana="タカハシ"))
    view = CaseDetailView(ctx=ctx)
    qtbot.addWidget(view)
    view.load(c.id)
    return view, c.id


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_case_tags_from_a_stale_dialog_keep_the_other_pcs_tag(qtbot, ctx, pc2, told,
                                                              monkeypatch):
    from pfdesk.ui.area_issues.dialogs import IssuesDialog

    screen, case_id = _case_screen(qtbot, ctx)
    tags.set_case_issues(ctx, case_id, ["transport"])
    screen.load(case_id)

    def user_ticks_while_pc2_tags(dialog) -> int:
        tags.set_case_issues(pc2, case_id, ["transport", "ibasho_lack"],
                             seen=tags.case_issues(pc2, case_id))
        dialog.checks.boxes["family_aging"].setChecked(True)
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(IssuesDialog, "exec", user_ticks_while_pc2_tags)
    screen.support_tab.edit_issues()  # 地域課題を設定 on the case's 支援計画 tab
    assert tags.case_issues(ctx, case_id) == ("ibasho_lack", "transport", "family_aging")
    assert len(told) == 1 and "ほかで付けられたため残した地域課題: 居場所の不足" in told[0]
    assert "付いている地域課題: 居場所の不足、移動手段がない、家族の高齢化（8050）" in told[0]
    screen.load(case_id)
    assert "居場所の不足" in screen.support_tab.issues_label.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_item_tags_from_a_stale_dialog_keep_the_other_pcs_tag(qtbot, ctx, pc2, told,
                                                              monkeypatch):
    from pfdesk.services.meetings import agenda, bodies, meetings
    from pfdesk.ui.area_issues.dialogs import IssuesDialog
    from pfdesk.ui.area_issues.tab import AreaIssuesTab

    body = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 6, 10), place="保健センター"), invite=False)
    item = agenda.add_item(ctx, mid, agenda.AgendaInput("居場所の報告"))
    tab = AreaIssuesTab(ctx=ctx, today_fy=2026)
    qtbot.addWidget(tab)
    tab.load()
    tab.items.selectRow(tab.item_ids.index(item))

    def user_unticks_nothing_and_ticks_one(dialog) -> int:
        tags.set_item_issues(pc2, item, ["medical_link"], seen=tags.item_issues(pc2, item))
        dialog.checks.boxes["awareness"].setChecked(True)
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(IssuesDialog, "exec", user_unticks_nothing_and_ticks_one)
    tab.tag_item()
    assert tags.item_issues(ctx, item) == ("awareness", "medical_link")
    assert "医療機関との連携" in tab.items.item(tab.item_ids.index(item), 2).text()
    assert len(told) == 1 and "残した地域課題: 医療機関との連携" in told[0]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_tag_dialog_says_nothing_when_no_one_else_changed_the_tags(qtbot, ctx, told):
    from pfdesk.ui.area_issues.dialogs import IssuesDialog

    screen, case_id = _case_screen(qtbot, ctx)
    d = IssuesDialog(ctx=ctx, what="このケース", current=(),
                     save=lambda keys: tags.set_case_issues(ctx, case_id, keys, seen=()),
                     parent=screen)
    d.checks.boxes["transport"].setChecked(True)
    d._ok()
    assert d.result_value == ("transport",) and not told


def test_small_count_setting_keeps_the_choice_when_another_pc_saved(qtbot, ctx, pc2):
    from pfdesk.services.small_counts import (
        SmallCountRule,
        get_small_count_rule,
        set_small_count_rule,
    )
    from pfdesk.ui.settings.page import SettingsPage

    page = SettingsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    box = page.small_counts
    assert box.enabled.isChecked() and box.threshold.value() == 2  # on from the start
    set_small_count_rule(pc2, SmallCountRule(True, "secondary", 3),
                         seen=get_small_count_rule(pc2))  # 佐藤 raises the threshold
    box.enabled.setChecked(False)
    assert box.save() is False
    assert "設定（小さい数の秘匿）は" in box.message.text() and "（sato、" in box.message.text()
    assert "秘匿する数の上限: 3" in box.message.text()
    assert not box.enabled.isChecked() and box.threshold.value() == 2  # the choice stays
    assert get_small_count_rule(ctx) == SmallCountRule(True, "secondary", 3)
    page.refresh()  # a page visit does not throw the unsaved choice away
    assert not box.enabled.isChecked()

    box.threshold.setValue(3)  # read; saved on top
    assert box.save() is True and "保存しました" in box.message.text()
    assert get_small_count_rule(pc2) == SmallCountRule(False, "secondary", 3)
    assert box.save() is True  # its own last save is no conflict


def test_only_an_administrator_changes_the_small_count_setting(qtbot, ctx):
    from pfdesk.ui.settings.page import SettingsPage

    staff = ctx.acting_as(Actor("mori", "森", "staff"))
    page = SettingsPage(ctx=staff)
    qtbot.addWidget(page)
    page.refresh()
    assert page.small_counts.isVisibleTo(page) and page.small_counts.threshold.value() == 2
    assert not page.small_counts.save_button.isEnabled()
    assert "管理者" in page.small_counts.message.text()
