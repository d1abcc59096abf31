"""Case identities typed into meeting records are caught when saved (issue 12, item 2)."""

from __future__ import annotations

import json
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from pfdesk.core.atomic import sha256_file
from pfdesk.core.errors import ValidationError
from pfdesk.services.meetings import agenda, minutes
from pfdesk.services.meetings.identity import (
    IdentityDecision,
    IdentityFound,
    scan_meeting_text,
)
from pfdesk.store.models import AgendaItem, AuditEvent, Case, Decision, Meeting
from tests.printing_fixtures import build_meeting


@pytest.fixture
def meeting(ctx):
    """A 実務者会議 with three cases; returns (built, plain agenda item id, cases)."""
    built = build_meeting(ctx.store, "practitioners", consents=False)
    with ctx.session() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == built.meeting_id,
                                                  AgendaItem.case_id.is_(None))).first()
        cases = [s.get(Case, cid) for cid in built.case_ids]
    return built, item.id, cases


def _summary(ctx, item_id):
    with ctx.session() as s:
        return s.get(AgendaItem, item_id).summary


def test_every_form_of_an_identity_is_found(ctx, meeting):
    _built, _item, (a, _b, c) = meeting
    text = ("高崎 悠真さん（たかさき　ゆうま、平成19年11月3日生）と"  # 髙﨑 typed as 高崎
            f"鷹取さん宅（栄町4丁目17番地、０８８９－５５－７７８１、{a.case_number}）")
    found = scan_meeting_text(ctx, {"summary": text})
    kinds = {(f.case_id, f.kind_label) for f in found}
    assert {(c.id, "氏名"), (c.id, "ふりがな"), (c.id, "生年月日"), (a.id, "住所"),
            (a.id, "電話番号"), (a.id, "ケース番号")} <= kinds
    assert {f.found for f in found} >= {"高崎 悠真", "たかさき　ゆうま", "平成19年11月3日",
                                        "０８８９－５５－７７８１"}


def test_a_named_case_stops_the_save_until_the_user_decides(ctx, meeting):
    _built, item_id, (a, _b, _c) = meeting
    typed = f"{a.family_name}{a.given_name}さんは2001/6/14生まれ。"
    with pytest.raises(IdentityFound) as found:
        minutes.save_summary(ctx, item_id, typed)
    assert found.value.case_ids == [a.id] and found.value.linkable
    assert a.case_number in found.value.user_text() and "要点筆記" in found.value.user_text()
    assert "鷹取" not in _summary(ctx, item_id)  # nothing was written

    minutes.save_summary(ctx, item_id, typed, identity=IdentityDecision("replace"))
    assert _summary(ctx, item_id) == f"{a.case_number}さんは{a.case_number}生まれ。"


def test_keep_needs_a_reason_and_records_it(ctx, meeting):
    _built, item_id, (a, _b, _c) = meeting
    typed = f"{a.family_name}{a.given_name}さんの件"
    with pytest.raises(ValidationError):
        minutes.save_summary(ctx, item_id, typed, identity=IdentityDecision("keep"))
    minutes.save_summary(ctx, item_id, typed,
                         identity=IdentityDecision("keep", reason="本人の了解を得た記録"))
    assert _summary(ctx, item_id) == typed
    with ctx.session() as s:
        [event] = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "meetings.identity.keep")).all()
    assert event.target_ids == str(a.id)
    assert json.loads(event.detail_json)["reason"] == "本人の了解を得た記録"


def test_link_puts_the_item_under_the_rule(ctx, meeting):
    built, _item, (_a, b, _c) = meeting
    title = f"{b.family_kana}{b.given_kana}さんの近況"
    with pytest.raises(IdentityFound):
        agenda.add_item(ctx, built.meeting_id, agenda.AgendaInput(title=title))
    item_id = agenda.add_item(ctx, built.meeting_id, agenda.AgendaInput(title=title),
                              identity=IdentityDecision("link"))
    with ctx.session() as s:
        assert s.get(AgendaItem, item_id).case_id == b.id
    # A decision under it may name the case; linking it again changes nothing.
    minutes.add_decision(ctx, item_id, f"{b.family_name}さんへの連絡は保健所",
                         identity=IdentityDecision("link"))
    with ctx.session() as s:
        assert s.scalars(select(Decision).where(Decision.agenda_item_id == item_id)).one()


def test_next_plan_cannot_be_linked(ctx, meeting):
    built, _item, (a, _b, _c) = meeting
    with pytest.raises(ValidationError, match="結び付けられません"):
        minutes.set_next_plan(ctx, built.meeting_id, f"{a.family_name}{a.given_name}さんの報告",
                              identity=IdentityDecision("link"))
    minutes.set_next_plan(ctx, built.meeting_id, "令和9年2月に開催")  # nothing found: saved
    with ctx.session() as s:
        assert s.get(Meeting, built.meeting_id).next_plan == "令和9年2月に開催"


def _docx(path, text):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
                   "</w:body></w:document>")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".csv"])
def test_attached_files_are_read_for_identities(ctx, meeting, tmp_path, suffix):
    _built, item_id, (_a, _b, c) = meeting
    text = f"面談記録 {c.family_name}{c.given_name} {c.phone}"
    path = tmp_path / f"記録{suffix}"
    if suffix == ".docx":
        _docx(path, text)
    elif suffix == ".xlsx":
        wb = Workbook()
        wb.active["B3"] = text
        wb.save(path)
    else:
        path.write_bytes(f"日付,内容\n2026-11-01,{text}\n".encode("cp932"))
    with pytest.raises(IdentityFound) as found:
        agenda.attach_file(ctx, item_id, path)
    assert {f.field for f in found.value.findings} == {"file"}
    assert not found.value.replaceable
    with pytest.raises(ValidationError, match="置き換えられません"):
        agenda.attach_file(ctx, item_id, path, identity=IdentityDecision("replace"))
    assert not (ctx.store.paths.attachments / f"{sha256_file(path)}{suffix}").exists()
    agenda.attach_file(ctx, item_id, path, identity=IdentityDecision("link"))
    with ctx.session() as s:
        assert s.get(AgendaItem, item_id).case_id == c.id


def test_a_kept_title_is_not_asked_about_again_when_another_field_changes(ctx, meeting):
    built, _item, (a, _b, _c) = meeting
    title = f"{a.family_name}{a.given_name}さんの紹介"
    keep = IdentityDecision("keep", reason="本人が会議で自己紹介した")
    item_id = agenda.add_item(ctx, built.meeting_id, agenda.AgendaInput(title=title),
                              identity=keep)
    agenda.update_item(ctx, item_id, agenda.AgendaInput(title=title, presenter="事務局"))
    with pytest.raises(IdentityFound):  # a new name in the title is asked about
        agenda.update_item(ctx, item_id, agenda.AgendaInput(title=title + f"（{a.phone}）"))
