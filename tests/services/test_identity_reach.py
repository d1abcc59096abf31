"""Identities reach only the readers entitled to them (issue 12, items 1 and 2).

Names typed as free text into a 実務者会議 (not linked to the case) must appear in no
document a 担当者 prints and in nothing a 閲覧者 reads; case content of closed meetings
reaches a 閲覧者 as a case code only; every print kind of every demo meeting kind,
printed as 閲覧者, carries no identity of any demo case.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied
from pfdesk.core.wareki import format_date
from pfdesk.documents.pdf import build_pdf, paragraph
from pfdesk.services.context import Actor
from pfdesk.services.meetings.actions import carried_over, list_actions
from pfdesk.services.meetings.agenda import list_agenda, material_path
from pfdesk.services.meetings.meetings import get_meeting
from pfdesk.services.meetings.minutes import get_minutes
from pfdesk.services.printing import DOC_KINDS, PrintOptions, print_meeting_document
from pfdesk.services.summary import home_summary
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AuditEvent,
    Body,
    Case,
    Decision,
    Material,
    Meeting,
    Person,
)
from tests.printing_fixtures import _attach, build_meeting

VIEWER = Actor("etsuran", "閲覧 花子", "viewer")
STAFF = Actor("tanto", "担当 太郎", "staff")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _pdf_text(path) -> str:
    return _flat("".join(p.extract_text() or "" for p in PdfReader(path).pages))


def identities(case: Case) -> list[str]:
    """What would identify a case in print or on screen (flattened, as extracted)."""
    out = [case.family_name + case.given_name, case.family_kana + case.given_kana,
           case.address, case.phone]
    if case.birth_date:
        out += [format_date(case.birth_date), case.birth_date.isoformat()]
    return [_flat(v) for v in out if v and len(_flat(v)) >= 3]


def _hits(text: str, needles) -> list[str]:
    flat = _flat(text)
    return [n for n in needles if n in flat]


def _typed_mentions(case: Case) -> str:
    """A careless 要点筆記: the case named, read, born, living and reachable — all as typed."""
    reading = f"{case.family_kana}　{case.given_kana}"
    born = format_date(case.birth_date) if case.birth_date else ""
    return (f"{case.family_name} {case.given_name}さん（{reading}、{born}生、"
            f"{case.address}、電話{case.phone}）について情報共有した。")


@pytest.fixture
def typed(ctx):
    """A 実務者会議 where two cases' identities were typed as free text, linked to nothing."""
    built = build_meeting(ctx.store, "practitioners", consents=False)
    with ctx.session() as s:
        a, b = (s.get(Case, cid) for cid in built.case_ids[:2])
        m = s.get(Meeting, built.meeting_id)
        item = AgendaItem(meeting_id=m.id, position=9, kind="agenda",
                          title=f"{a.family_name}{a.given_name}さんの件", summary=_typed_mentions(a))
        s.add(item)
        s.flush()
        s.add(Decision(agenda_item_id=item.id, position=1,
                       text=f"{b.family_kana}{b.given_kana}さんには保健所から連絡する"))
        s.add(ActionItem(body_id=m.body_id, meeting_id=m.id, agenda_item_id=item.id,
                         description=f"{b.family_name}　{b.given_name}さん宅を訪問（{b.phone}）",
                         assignee_text="保健所"))
        m.next_plan = f"次回は{a.family_name}{a.given_name}さんの経過を報告"
        s.commit()
        needles = identities(a) + identities(b)
    return built, needles


def test_staff_prints_no_typed_identity_of_a_practitioners_meeting(ctx, typed, tmp_path):
    built, needles = typed
    staff = ctx.acting_as(STAFF)
    for kind, _label in DOC_KINDS:
        out = tmp_path / f"{kind}.pdf"
        print_meeting_document(staff, built.meeting_id, kind, out, PrintOptions(preview=True))
        text = _pdf_text(out)
        assert _hits(text, needles) == [], kind
    minutes = _pdf_text(tmp_path / "minutes.pdf")
    assert "ケース" in minutes and "について情報共有した" in minutes  # the rest still reads


def test_viewer_reads_no_typed_identity_anywhere(ctx, typed, tmp_path):
    built, needles = typed
    viewer = ctx.acting_as(VIEWER)
    results = [
        home_summary(viewer, date(2026, 12, 1)),
        get_meeting(viewer, built.meeting_id), list_agenda(viewer, built.meeting_id),
        get_minutes(viewer, built.meeting_id), list_actions(viewer, open_only=False),
        carried_over(viewer, built.meeting_id),
    ]
    for r in results:
        assert _hits(repr(r), needles) == [], type(r).__name__
    minutes = results[3]
    [item] = [i for i in minutes.items if "情報共有" in i.agenda.summary]
    # Stable pseudonyms: the same case reads the same in title, summary and next plan.
    pseudonym = item.agenda.title.removesuffix("さんの件")
    assert re.fullmatch(r"ケース[A-Z]", pseudonym)
    assert item.agenda.summary.startswith(pseudonym + "さん（" + pseudonym)
    assert results[1].next_plan == f"次回は{pseudonym}さんの経過を報告"
    for kind, _label in DOC_KINDS:
        out = tmp_path / f"{kind}.pdf"
        print_meeting_document(viewer, built.meeting_id, kind, out, PrintOptions(preview=True))
        assert _hits(_pdf_text(out), needles) == [], kind


def test_viewer_gets_code_and_category_of_closed_meeting_case_items(ctx):
    built = build_meeting(ctx.store, "case_conference")
    viewer = ctx.acting_as(VIEWER)
    minutes = get_minutes(viewer, built.meeting_id)
    case_items = [i for i in minutes.items if i.agenda.case_id]
    assert len(case_items) == 3
    for item in case_items:
        assert re.fullmatch(r"ケース[A-Z]（議題・ケース検討）", item.agenda.title)
        assert item.agenda.summary == "" and item.decisions == () and item.agenda.materials == ()
        for a in item.actions:
            assert "家族会" not in a.description  # the action's text is case content too
    # The 担当者 on screen sees the record as typed.
    staff = get_minutes(ctx.acting_as(STAFF), built.meeting_id)
    assert any("訪問を継続する" in i.agenda.summary for i in staff.items)


def _pdf_with_text(text: str, folder) -> bytes:
    path = folder / "attached.pdf"
    build_pdf(path, [paragraph(text)], title="訪問記録")
    return path.read_bytes()


def test_attachments_naming_a_case_are_not_handed_to_a_viewer(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners", consents=False)
    with ctx.session() as s:
        case = s.get(Case, built.case_ids[0])
        stored, digest = _attach(ctx.store, _pdf_with_text(
            f"訪問記録 {case.family_name}{case.given_name} {case.phone}", tmp_path), ".pdf")
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == built.meeting_id,
                                                  AgendaItem.case_id.is_(None))).first()
        named = Material(agenda_item_id=item.id, position=9, title="訪問記録",
                         original_name="訪問記録.pdf", stored_name=stored, sha256=digest)
        plain = s.scalars(select(Material).where(Material.agenda_item_id == item.id,
                                                 Material.original_name == "調査.pdf")).one()
        s.add(named)
        s.commit()
        named_id, plain_id = named.id, plain.id
    viewer = ctx.acting_as(VIEWER)
    with pytest.raises(PermissionDenied):
        material_path(viewer, named_id)
    assert material_path(viewer, plain_id).is_file()  # a file naming nobody is fine
    assert material_path(ctx.acting_as(STAFF), named_id).is_file()
    out = tmp_path / "packet.pdf"
    print_meeting_document(viewer, built.meeting_id, "packet", out)
    text = _pdf_text(out)
    assert case.family_name not in text and "省略しています" in text
    with ctx.session() as s:
        refused = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "meetings.material.refused")).all()
        assert [e.target_ids for e in refused] == [str(named_id)]


def test_audit_records_the_level_actually_disclosed(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")
    print_meeting_document(ctx.acting_as(VIEWER), built.meeting_id, "minutes",
                           tmp_path / "v.pdf")
    print_meeting_document(ctx, built.meeting_id, "minutes", tmp_path / "a.pdf")
    with ctx.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "print.minutes")
                           .order_by(AuditEvent.id)).all()
    viewer_levels, admin_levels = (json.loads(e.detail_json)["levels"] for e in events)
    assert set(viewer_levels.values()) == {"coded"}
    assert set(admin_levels.values()) == {"full"}
    assert set(map(int, viewer_levels)) == set(built.case_ids)


@pytest.mark.slow
def test_every_print_kind_of_every_demo_meeting_kind_as_viewer_shows_no_identity(
        demo_ctx, tmp_path):
    viewer = demo_ctx.acting_as(VIEWER)
    with demo_ctx.session() as s:
        # A member who happens to share a case's name prints as a member (名簿, 宛先).
        members = {_flat(a.name) for a in s.scalars(select(Attendance))}
        members |= {_flat(p.family_name + p.given_name) for p in s.scalars(select(Person))}
        needles = sorted({n for c in s.scalars(select(Case)) for n in identities(c)} - members)
        picked: dict[str, int] = {}
        for m, kind in s.execute(select(Meeting, Body.kind).join(Body)
                                 .order_by(Meeting.held_on.desc())):
            # The most recent held meeting of each kind that has agenda items.
            if kind not in picked and m.agenda_items and m.held_on <= date(2026, 12, 1):
                picked[kind] = m.id
    assert {"support_meeting", "case_conference", "practitioners", "plenary"} <= set(picked)
    for body_kind, meeting_id in picked.items():
        for doc, _label in DOC_KINDS:
            out = tmp_path / f"{body_kind}-{doc}.pdf"
            print_meeting_document(viewer, meeting_id, doc, out, PrintOptions(preview=True))
            assert _hits(_pdf_text(out), needles) == [], (body_kind, doc)
        for r in (get_minutes(viewer, meeting_id), carried_over(viewer, meeting_id)):
            assert _hits(repr(r), needles) == [], body_kind


def test_results_are_plain_dataclasses():
    # Guards the scans above: repr() of a result shows every text field.
    from pfdesk.services.meetings.minutes import Minutes

    assert dataclasses.is_dataclass(Minutes)
