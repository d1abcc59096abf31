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


def test_the_workspace_says_why_a_meeting_keeps_a_number_out_of_date_order(qtbot, demo_ctx):
    from datetime import date

    from pfdesk.services.meetings import bodies
    from pfdesk.services.printing import numbers
    from pfdesk.ui.meetings.workspace import MeetingWorkspace

    body = bodies.create_body(demo_ctx, bodies.BodyInput(name="庁内ワーキング", kind="working_team"))
    first, later = (meetings.create_meeting(demo_ctx, meetings.MeetingInput(
        body_id=body, held_on=d), invite=False) for d in (date(2026, 5, 1), date(2027, 2, 18)))
    with demo_ctx.session() as s:
        numbers.issue_number(s, prefix="み保福", issued_on=date(2027, 2, 1), kind="notice",
                             meeting_id=later, subject="通知", created_by="admin")
        s.commit()
    inserted = meetings.create_meeting(demo_ctx, meetings.MeetingInput(
        body_id=body, held_on=date(2026, 12, 16)), invite=False)
    ws = MeetingWorkspace(ctx=demo_ctx, meeting_id=inserted)
    qtbot.addWidget(ws)
    assert ws.numbering_warning.isVisibleTo(ws)
    assert "日付順では第2回" in ws.numbering_warning.text()
    ok = MeetingWorkspace(ctx=demo_ctx, meeting_id=first)
    qtbot.addWidget(ok)
    assert not ok.numbering_warning.isVisibleTo(ok)


def test_quick_phone_entry_acts_on_the_highlighted_case_only(qtbot, demo_ctx, monkeypatch):
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QMessageBox

    from pfdesk.ui.consultations import dialogs
    from pfdesk.ui.consultations.page import ConsultationsPage

    page = ConsultationsPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    opened, warned = [], []

    class Recorder:
        def __init__(self, *, ctx, case_id, case_label, parent=None):
            opened.append((case_id, case_label))
            self.body = self

        def offer_restore(self):
            return False

        def exec(self):
            return 0

    monkeypatch.setattr(dialogs, "QuickPhoneDialog", Recorder)
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: warned.append(text)))
    # Qt's "current" row (row 1 after a reload) is invisible: nothing is highlighted.
    sel = page.table.selectionModel()
    sel.clearSelection()
    sel.setCurrentIndex(page.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    page.quick_entry()
    assert opened == [] and warned and "選んで" in warned[0]
    # The highlighted row is the one the call is recorded on.
    page.table.selectRow(3)
    page.quick_entry()
    row = page.model.row_at(3)
    assert opened == [(row.id, f"{row.case_number}　{row.name}")]


def test_a_new_person_without_a_post_keeps_the_typed_start_date_and_is_shown(
        qtbot, demo_ctx, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pfdesk.services.directory.people import list_people
    from pfdesk.ui.directory import page as directory_page
    from pfdesk.ui.directory.page import DirectoryPage
    from pfdesk.ui.directory.person_dialog import PersonDialog

    dlg = PersonDialog(ctx=demo_ctx)
    qtbot.addWidget(dlg)
    dlg.edits["family_name"].setText("新井")
    dlg.edits["given_name"].setText("未来")
    dlg.edits["family_kana"].setText("あらい")
    dlg.edits["given_kana"].setText("みく")
    dlg.first_post.edits["start_on"].setText("2026/4/1")
    # No 所属: the typed 着任日 is not thrown away; the form says what to do.
    assert not dlg.save()
    assert "所属" in dlg.errors.text()
    assert dlg.first_post.edits["start_on"].text() == "2026/04/01"
    assert list_people(demo_ctx, query="新井未来", in_post_only=False) == []

    # Saved without any post details: the page shows the person, though not 在任中.
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *a: told.append(text)))
    page = DirectoryPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.current_only.isChecked()

    class Typed(PersonDialog):
        def exec(self):
            self.edits["family_name"].setText("新井")
            self.edits["given_name"].setText("未来")
            self.edits["family_kana"].setText("あらい")
            self.edits["given_kana"].setText("みく")
            return self.save()

    monkeypatch.setattr(directory_page, "PersonDialog", Typed)
    page.new_person()
    rows = page.people_view.selectionModel().selectedRows()
    assert len(rows) == 1
    shown = page.people.records[page.people_proxy.mapToSource(rows[0]).row()]
    assert shown.full_name == "新井\u3000未来"
    assert told and "在任中" in told[0]


def test_an_organization_refused_by_the_store_says_why_under_the_form(qtbot, demo_ctx):
    from pfdesk.ui.directory.org_dialog import OrganizationDialog

    dlg = OrganizationDialog(ctx=demo_ctx)
    qtbot.addWidget(dlg)
    dlg.edits["name"].setText("")
    assert not dlg.save()
    # Before: the field turned red and the line under the form stayed empty.
    assert dlg.errors.text().strip()


def _case_without_consent(ctx):
    from pfdesk.services.consultations.consents import list_consents
    from pfdesk.services.consultations.search import CaseFilter, search_cases

    return next(r.id for r in search_cases(ctx, CaseFilter(status="active")).rows
                if not list_consents(ctx, r.id))


def test_a_referral_without_consent_is_warned_about_and_asked(qtbot, demo_ctx, monkeypatch):
    from datetime import date

    from PySide6.QtWidgets import QMessageBox

    from pfdesk.services.consultations import consents
    from pfdesk.services.consultations.referrals import list_referrals
    from pfdesk.ui.consultations import dialogs

    case_id = _case_without_consent(demo_ctx)
    d = dialogs.ReferralDialog(ctx=demo_ctx, case_id=case_id, today=date(2026, 11, 26))
    qtbot.addWidget(d)
    d.org.setCurrentIndex(1)
    assert d.consent_warning.isVisibleTo(d) and "同意なし" in d.consent_warning.text()
    asked = []

    def question(_p, title, text, buttons, default):
        asked.append((title, default))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    before = len(list_referrals(demo_ctx, case_id))
    d._ok()
    assert asked == [("同意のないつなぎ", QMessageBox.StandardButton.No)]
    assert len(list_referrals(demo_ctx, case_id)) == before  # いいえ: nothing recorded
    # With a consent covering every member, no warning and no question.
    consents.record_consent(demo_ctx, case_id, date(2026, 11, 1), True)
    again = dialogs.ReferralDialog(ctx=demo_ctx, case_id=case_id, today=date(2026, 11, 26))
    qtbot.addWidget(again)
    again.org.setCurrentIndex(1)
    assert not again.consent_warning.isVisibleTo(again)
    again._ok()
    assert len(list_referrals(demo_ctx, case_id)) == before + 1 and len(asked) == 1


def test_closing_a_case_needs_a_chosen_reason_and_asks_when_it_has_no_contact(
        qtbot, demo_ctx, monkeypatch):
    from datetime import date

    from PySide6.QtWidgets import QMessageBox

    from pfdesk.services.consultations import cases
    from pfdesk.ui.consultations import dialogs

    cid = cases.create_case(demo_ctx, cases.CaseInput(
        intake_date=date(2026, 11, 20), family_name="試験", given_name="太郎")).id
    warned, asked = [], []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: warned.append(text)))

    def question(_p, title, text, buttons, default):
        asked.append(default)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    d = dialogs.CloseDialog(ctx=demo_ctx, case_id=cid, today=date(2026, 11, 26))
    qtbot.addWidget(d)
    assert d.reason.currentData() == ""  # no 目標達成 preset
    assert "1件もありません" in d.intro.text()
    d._ok()
    assert warned and "終結理由を選んで" in warned[0]
    d.reason.setCurrentIndex(d.reason.findData("lost_contact"))
    d._ok()
    assert asked == [QMessageBox.StandardButton.No]
    assert cases.get_case(demo_ctx, cid).status != "closed"


def test_lists_show_dates_in_the_era_the_details_show(qtbot, demo_ctx):
    # Lists said 2026/11/20 where the case's details said 令和8年11月20日.
    from pfdesk.core.wareki import format_date
    from pfdesk.ui.consultations.models import CaseTableModel

    model = CaseTableModel(demo_ctx)
    model.reload()
    row = model.rows[0]
    shown = model.index(0, CaseTableModel.INTAKE).data()
    d = row.intake_date
    assert shown == f"R{d.year - 2018}.{d.month}.{d.day}"
    assert format_date(d).startswith(f"令和{d.year - 2018}年")  # the same era in the details
