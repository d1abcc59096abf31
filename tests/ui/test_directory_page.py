"""The 関係機関 page and its dialogs, built on the demo town offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.directory.organizations import get_organization, list_organizations
from pfdesk.services.directory.people import list_people
from pfdesk.ui.directory.import_dialog import ImportDialog
from pfdesk.ui.directory.models import ImportRowsModel
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.directory.page import ORGS_TAB, ROLLOVER_TAB, DirectoryPage
from pfdesk.ui.directory.person_dialog import PersonDialog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"


@pytest.fixture
def page(qtbot, demo_ctx):
    p = DirectoryPage(ctx=demo_ctx)
    p.open_after_print = False
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: not p.loading)
    return p


@pytest.fixture
def quiet(monkeypatch):
    """Message boxes answer at once instead of waiting for a click."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    return shown


def test_lists_load_and_models_behave(page, qtmodeltester):
    assert len(page.people.records) > 50
    assert len(page.orgs.records) > 40
    qtmodeltester.check(page.people)
    qtmodeltester.check(page.orgs)
    qtmodeltester.check(page.rollover.model)
    assert page.tabs.tabText(0).startswith("担当者（")
    first = page.people_proxy.index(0, 0).data()
    assert first.startswith("池田")  # 五十音順: いけだ comes first in the demo


def test_typing_a_search_filters_across_variant_characters(page, qtbot):
    page.search.setText("たかはし")
    qtbot.waitUntil(lambda: 0 < len(page.people.records) < 20)
    assert all("橋" in p.full_name for p in page.people.records)
    assert any("髙" in p.full_name for p in page.people.records)
    page.search.clear()
    page.search.setText("存在しない名前")
    qtbot.waitUntil(lambda: not page.people.records)
    assert "当てはまる記録はありません" in page.status.text()


def _searched(page, qtbot) -> None:
    """Wait for the lists a search or filter reads on the worker."""
    qtbot.waitUntil(lambda: not page.searching and not page.loading)


def test_filters_by_field_and_current_only(page, qtbot):
    page.field.setCurrentIndex(page.field.findData("education"))
    _searched(page, qtbot)
    assert 0 < len(page.people.records) < 30
    page.field.setCurrentIndex(0)
    _searched(page, qtbot)
    n = len(page.orgs.records)
    page.current_only.setChecked(False)
    _searched(page, qtbot)
    assert len(page.orgs.records) > n  # 廃止 organizations appear, greyed
    abolished = [o for o in page.orgs.records if not o.active]
    row = page.orgs.records.index(abolished[0])
    assert page.orgs.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_org_form_normalizes_phone_and_keeps_bad_input_open(qtbot, demo_ctx):
    oid = list_organizations(demo_ctx, query="保健福祉課")[0].id
    dlg = OrganizationDialog(ctx=demo_ctx, org_id=oid)
    qtbot.addWidget(dlg)
    dlg.edits["phone"].setText("０８８９ー５２ー０１１１")
    dlg.edits["postal_code"].setText("78121")
    assert not dlg.save()
    assert "郵便番号" in dlg.errors.text()
    assert dlg.edits["phone"].text() == "0889-52-0111"  # tidied on the spot, not rejected
    assert get_organization(demo_ctx, oid).data.phone != "0889-52-0111"  # nothing saved yet
    dlg.edits["postal_code"].setText("７８１－２１９９")
    assert dlg.save()
    saved = get_organization(demo_ctx, oid).data
    assert (saved.phone, saved.postal_code) == ("0889-52-0111", "781-2199")


def test_new_person_with_first_post(qtbot, demo_ctx):
    oid = list_organizations(demo_ctx, query="ひだまり")[0].id
    dlg = PersonDialog(ctx=demo_ctx, org_id=oid)
    qtbot.addWidget(dlg)
    dlg.edits["family_name"].setText("𠮷田")
    dlg.edits["given_name"].setText("陽介")
    dlg.edits["family_kana"].setText("ﾖｼﾀﾞ")
    dlg.edits["given_kana"].setText("ようすけ")
    dlg.first_post.edits["title"].setText("スタッフ")
    assert dlg.save()
    found = list_people(demo_ctx, query="吉田陽介")
    assert [(p.full_name, p.full_kana, p.title) for p in found] == [
        ("𠮷田\u3000陽介", "よしだ\u3000ようすけ", "スタッフ")]


def test_import_dialog_previews_then_imports_the_whole_file(qtbot, demo_ctx, quiet):
    dlg = ImportDialog(ctx=demo_ctx, path=str(FIXTURES / "excel_contacts_cp932.csv"))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    assert dlg.import_button.isEnabled()
    assert dlg.combos["full_name"].currentText() == "氏名"
    assert "追加 5 件" in dlg.summary.text()
    before = len(list_people(demo_ctx))
    dlg.import_button.click()
    qtbot.waitUntil(lambda: dlg.imported is not None)
    assert len(list_people(demo_ctx)) == before + 5
    assert "取り込みました" in quiet[0]


def test_import_dialog_refuses_a_file_with_a_bad_row(qtbot, demo_ctx):
    dlg = ImportDialog(ctx=demo_ctx, path=str(FIXTURES / "one_bad_row_cp932.csv"))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    assert not dlg.import_button.isEnabled()
    assert "4行目「電話番号」" in dlg.error_box.toPlainText()
    assert "取り込めません" in dlg.summary.text()


def test_duplicate_rows_offer_update_or_add(qtbot, demo_ctx, quiet, tmp_path, qtmodeltester):
    person = list_people(demo_ctx, query="たかはし")[0]
    src = tmp_path / "dup.csv"
    src.write_text(f"機関名,氏名,ふりがな\n{person.organization_name},"
                   f"{person.full_name.replace('髙', '高')},{person.full_kana}\n",
                   encoding="utf-8-sig")
    dlg = ImportDialog(ctx=demo_ctx, path=str(src))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    qtmodeltester.check(dlg.model)
    assert dlg.model.records[0].duplicate_of.startswith("既存:")
    choice = dlg.model.index(0, ImportRowsModel.CHOICE)
    assert choice.flags() & Qt.ItemFlag.ItemIsEditable
    assert dlg.model.setData(choice, "add")
    before = len(list_people(demo_ctx, in_post_only=False))
    dlg.import_button.click()
    qtbot.waitUntil(lambda: dlg.imported is not None)
    assert len(list_people(demo_ctx, in_post_only=False)) == before + 1


def test_rollover_tab_confirms_a_post(page, qtbot):
    page.tabs.setCurrentIndex(ROLLOVER_TAB)
    n = len(page.rollover.model.records)
    assert n > 0 and "年度更新" in page.rollover.summary.text()
    unconfirmed = [i for i, r in enumerate(page.rollover.model.records)
                   if r.reason == "unconfirmed"][0]
    page.rollover.view.selectRow(unconfirmed)
    page.rollover.confirm_button.click()
    assert len(page.rollover.model.records) == n - 1


def test_export_and_print_from_the_page(page, qtbot, tmp_path, quiet):
    page.export_to(str(tmp_path / "list.csv"), "cp932")
    qtbot.waitUntil(lambda: bool(quiet))
    assert "行を書き出しました" in quiet[0] and "「𠮷」→「吉」" in quiet[0]
    page.print_roster(str(tmp_path / "roster.pdf"))
    qtbot.waitUntil(lambda: "roster.pdf" in page.status.text())
    page.tabs.setCurrentIndex(ORGS_TAB)
    page.print_labels(str(tmp_path / "labels.pdf"), organizations=True, start_at=3)
    qtbot.waitUntil(lambda: "labels.pdf" in page.status.text())
    assert (tmp_path / "labels.pdf").stat().st_size > 1000


def test_merging_two_selected_people(page, qtbot, monkeypatch):
    from pfdesk.ui.directory import page as page_module

    page.search.setText("たかはし")
    qtbot.waitUntil(lambda: 1 < len(page.people.records) < 20)
    before = len(page.people.records)
    page.people_view.selectRow(0)
    page.people_view.selectionModel().select(
        page.people_proxy.index(1, 0),
        page.people_view.selectionModel().SelectionFlag.Select
        | page.people_view.selectionModel().SelectionFlag.Rows)
    chosen: list = []

    class AutoMerge(page_module.MergeDialog):
        def exec(self):
            chosen.append((self.a.id, self.b.id))
            self.merge()
            return self.result()

    monkeypatch.setattr(page_module, "MergeDialog", AutoMerge)
    page.merge_selected()
    assert len(chosen) == 1
    assert len(page.people.records) == before - 1


def test_body_filter_keeps_its_members_and_their_organizations(page, qtbot):
    page.body.setCurrentIndex(1)
    _searched(page, qtbot)
    body_id = page.body.currentData()
    people = page.people.records
    name = page.body.currentText().removesuffix("（休止）")
    assert people and all(name in p.bodies for p in people)
    org_ids = {o.id for o in page.orgs.records}
    assert {p.organization_id for p in people if p.organization_id} <= org_ids
    assert body_id is not None


def test_successor_dialog_ends_the_predecessor(page, qtbot, demo_ctx):
    from datetime import date

    from pfdesk.ui.directory.rollover import SuccessorDialog

    item = next(r for r in page.rollover.model.records if r.reason == "unconfirmed")
    dlg = SuccessorDialog(ctx=demo_ctx, item=item, first_day=date(2026, 4, 1))
    qtbot.addWidget(dlg)
    assert not dlg.save()  # no name yet: the form says so and stays open
    assert "姓" in dlg.errors.text()
    dlg.edits["family_name"].setText("山﨑")
    dlg.edits["given_name"].setText("花子")
    dlg.edits["family_kana"].setText("ヤマサキ")
    assert dlg.save()
    found = list_people(demo_ctx, query="山崎花子")
    assert [(p.full_name, p.organization_id, p.title) for p in found] == [
        ("山﨑\u3000花子", item.organization_id, item.title)]
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert item.post_id not in {r.post_id for r in page.rollover.model.records}


def test_org_dialog_delete_is_refused_for_a_referenced_organization(qtbot, demo_ctx,
                                                                    monkeypatch):
    from pfdesk.ui.directory import org_dialog

    shown: list = []
    monkeypatch.setattr(org_dialog, "show_error", lambda _p, e: shown.append(e))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    org = next(o for o in list_organizations(demo_ctx) if o.name == "みどり川町保健福祉課")
    dlg = OrganizationDialog(ctx=demo_ctx, org_id=org.id)
    qtbot.addWidget(dlg)
    dlg.delete_button.click()
    assert shown and "廃止" in shown[0].hint
    assert get_organization(demo_ctx, org.id).data.name == "みどり川町保健福祉課"


def test_a_viewer_sees_the_lists_but_cannot_change_them(qtbot, demo_ctx):
    from pfdesk.core.permissions import VIEWER
    from pfdesk.services.context import Actor

    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", VIEWER))
    p = DirectoryPage(ctx=viewer)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: not p.loading)
    assert p.people.records
    for b in (p.new_person_button, p.new_org_button, p.merge_button, p.import_button,
              p.export_button, p.rollover.confirm_button):
        assert not b.isEnabled(), b.text()
    assert p.print_button.isEnabled() and p.open_button.isEnabled()


def test_import_preview_says_what_an_update_changes(qtmodeltester):
    from pfdesk.services.directory.importer import ImportRow

    model = ImportRowsModel()
    model.set_records([ImportRow(2, "update", "A課", "林　亮", changes=("post.title", "post")),
                       ImportRow(3, "add", "A課", "森　修", changes=("person.given_name",))])
    qtmodeltester.check(model)
    assert model.index(0, ImportRowsModel.CHANGES).data() == "職名、新しい在任（前の在任は終了）"
    assert model.index(1, ImportRowsModel.CHANGES).data() == ""


def test_a_workbook_with_two_sheets_asks_which(qtbot, demo_ctx, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "庁内"
    wb.active.append(["所属", "氏名"])
    wb.active.append(["みどり川町税務課", "西森 誠"])
    outside = wb.create_sheet("庁外")
    outside.append(["機関名", "氏名", "ふりがな"])
    outside.append(["NPO法人つむぎ", "森 修", "もり おさむ"])
    outside.append(["NPO法人つむぎ", "林 亮", "はやし りょう"])
    src = tmp_path / "two.xlsx"
    wb.save(src)
    dlg = ImportDialog(ctx=demo_ctx, path=str(src))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    assert not dlg.sheet.isHidden() and dlg.sheet.count() == 2
    assert [r.person for r in dlg.preview.rows] == ["西森\u3000誠"]
    dlg.preview = None
    dlg.sheet.setCurrentIndex(1)
    dlg.sheet.activated.emit(1)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    assert [r.person for r in dlg.preview.rows] == ["森\u3000修", "林\u3000亮"]


def test_successor_dialog_hands_over_the_predecessors_seats(page, qtbot, demo_ctx):
    from datetime import date

    from pfdesk.services.directory.people import get_person
    from pfdesk.services.directory.rollover import seats_to_hand_over
    from pfdesk.ui.directory.rollover import SuccessorDialog

    first = date(2026, 4, 1)
    item = next(r for r in page.rollover.model.records
                if seats_to_hand_over(demo_ctx, r.post_id, first))
    seats = seats_to_hand_over(demo_ctx, item.post_id, first)
    dlg = SuccessorDialog(ctx=demo_ctx, item=item, first_day=first)
    qtbot.addWidget(dlg)
    assert not dlg.seats.isHidden() and dlg.seats.isChecked()
    assert seats[0].body_name in dlg.seats_list.text()
    dlg.edits["family_name"].setText("後任")
    dlg.edits["given_name"].setText("太郎")
    assert dlg.save()
    successor = list_people(demo_ctx, query="後任太郎")[0]
    taken = {(m.body_id, m.role, m.start_on) for m in get_person(demo_ctx, successor.id)
             .memberships}
    assert {(x.body_id, x.role, first) for x in seats} <= taken
    assert seats_to_hand_over(demo_ctx, item.post_id, first) == []


def _org_with_referrals(demo_ctx):
    from sqlalchemy import func, select

    from pfdesk.store.models import Case, Referral

    with demo_ctx.session() as s:
        org_id, n = s.execute(
            select(Referral.organization_id, func.count())
            .join(Case, Case.id == Referral.case_id)
            .where(Referral.organization_id.is_not(None), Referral.voided_at.is_(None),
                   Case.voided_at.is_(None))
            .group_by(Referral.organization_id).order_by(func.count().desc())).first()
        names = {c.full_name for c in s.scalars(select(Case).join(
            Referral, Referral.case_id == Case.id).where(Referral.organization_id == org_id))}
    return org_id, n, names


def _texts(model):
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_org_form_shows_the_cases_referred_to_it(qtbot, demo_ctx):
    org_id, n, names = _org_with_referrals(demo_ctx)
    dlg = OrganizationDialog(ctx=demo_ctx, org_id=org_id)
    qtbot.addWidget(dlg)
    assert dlg.tabs.count() == 2 and f"{n} 件" in dlg.tabs.tabText(1)
    assert dlg.referrals.rowCount() == n
    headers = [dlg.referrals.headerData(c, Qt.Orientation.Horizontal)
               for c in range(dlg.referrals.columnCount())]
    assert "ケース番号" in headers and "本人" in headers
    cells = {c for row in _texts(dlg.referrals) for c in row}
    assert cells & names  # staff and admin see who was referred


def test_org_form_referrals_show_case_numbers_only_without_identify(qtbot, demo_ctx,
                                                                    monkeypatch):
    from pfdesk.core import permissions
    from pfdesk.core.permissions import Permission
    from pfdesk.services.context import Actor

    org_id, n, names = _org_with_referrals(demo_ctx)
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, "coded", frozenset(
        {Permission.DIRECTORY_READ, Permission.CASE_READ}))
    coded = demo_ctx.acting_as(Actor(user_name="c", display_name="統計", role="coded"))
    dlg = OrganizationDialog(ctx=coded, org_id=org_id)
    qtbot.addWidget(dlg)
    assert dlg.referrals.rowCount() == n
    headers = [dlg.referrals.headerData(c, Qt.Orientation.Horizontal)
               for c in range(dlg.referrals.columnCount())]
    assert "ケース番号" in headers and "本人" not in headers and "備考" not in headers
    cells = {c for row in _texts(dlg.referrals) for c in row}
    assert not cells & names and all(r.case_number for r in dlg.referrals.records)
    viewer = demo_ctx.acting_as(Actor(user_name="v", display_name="閲覧", role="viewer"))
    dlg = OrganizationDialog(ctx=viewer, org_id=org_id)
    qtbot.addWidget(dlg)
    assert dlg.tabs.count() == 1  # a 閲覧者 may not read cases: no つなぎ tab at all


def test_a_name_typed_without_pdf_gets_it():
    from pfdesk.ui.widgets import with_suffix

    assert with_suffix("C:/名簿", ".pdf") == "C:/名簿.pdf"
    assert with_suffix("x.PDF", ".pdf") == "x.PDF" and with_suffix("", ".pdf") == ""


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the preview window is shown for real
def test_the_roster_opens_in_the_preview_and_its_copy_is_gone_after_closing(page, qtbot):
    page.open_after_print = True
    page.print_roster()
    qtbot.waitUntil(lambda: page.preview_window is not None, timeout=10_000)
    window = page.preview_window
    assert window.isVisible() and window.thumbs.count() >= 1
    assert "名簿" in window.windowTitle() and "プレビュー" in page.status.text()
    shown = window.path
    assert shown.exists()
    window.close()
    assert not shown.exists()  # the names on it are not left in the temp folder


def test_import_dialog_lists_each_value_once_and_a_chosen_code_opens_the_import(
        qtbot, ctx, quiet, tmp_path, qtmodeltester):
    from pfdesk.ui.value_mapping import ValueTableModel

    src = tmp_path / "list.csv"
    src.write_bytes("所属,氏名,分野\r\nA会,森 修,宇宙開発\r\nB会,林 誠,宇宙開発\r\n"
                    "C町,西 誠,行政（庁内）\r\nハローワーク南,岡 隆,ハローワーク\r\n"
                    .encode("cp932"))
    dlg = ImportDialog(ctx=ctx, path=str(src))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.preview is not None)
    qtmodeltester.check(dlg.value_model)
    model = dlg.value_model
    shown = [(model.index(r, ValueTableModel.VALUE).data(),
              model.index(r, ValueTableModel.COUNT).data(),
              model.index(r, ValueTableModel.CODE).data()) for r in range(model.rowCount())]
    assert shown[0] == ("宇宙開発", "2", "（選んでください）")  # the open value comes first
    assert ("行政（庁内）", "1", "行政") in shown
    assert ("ハローワーク", "1", "就労支援（種別: ハローワーク）") in shown
    assert not dlg.import_button.isEnabled()
    assert "宇宙開発" in dlg.error_box.toPlainText()
    assert dlg.error_box.toPlainText().count("宇宙開発") == 1  # one line for the value
    dlg.preview = None
    assert model.setData(model.index(0, ValueTableModel.CODE), "community")
    qtbot.waitUntil(lambda: dlg.preview is not None)
    qtbot.waitUntil(dlg.import_button.isEnabled)
    dlg.grab().save(str(tmp_path / "import_values.png"))
    dlg.import_button.click()
    qtbot.waitUntil(lambda: dlg.imported is not None)
    orgs = {o.name: o.field for o in list_organizations(ctx)}
    assert orgs["A会"] == "community" and orgs["ハローワーク南"] == "employment"


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, showing a page
def test_each_list_fits_its_columns_to_its_rows_when_its_tab_is_shown(page, qtbot):
    """Widths are measured for the list on screen; the others when their tab is chosen."""
    page.show()
    qtbot.waitExposed(page)
    for tab, view, model in ((ORGS_TAB, page.orgs_view, page.orgs),
                             (ROLLOVER_TAB, page.rollover.view, page.rollover.model)):
        page.tabs.setCurrentIndex(tab)
        name = 0 if view is page.orgs_view else 3  # 機関名 / 氏名
        widest = max(view.fontMetrics().horizontalAdvance(
            model.index(r, name).data()) for r in range(min(40, model.rowCount())))
        # Fitted to the names (within the 240-pixel cap of the lists), not Qt's default.
        assert view.columnWidth(name) >= min(widest, 228)
    assert page.people_view.columnWidth(0) >= page.people_view.fontMetrics().horizontalAdvance(
        page.people.index(0, 0).data())
