"""Printing meeting documents: numbers, audit, disclosure by legal basis, locked files."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.core.errors import FileProblem, NotFound, PermissionDenied, ValidationError
from pfdesk.core.wareki import format_date
from pfdesk.documents.packet import SUPPORT_MARKING
from pfdesk.services.context import Actor
from pfdesk.services.printing import PrintOptions, print_info, print_meeting_document
from pfdesk.store.models import AgendaItem, AuditEvent, Case, Consent, DocumentNumber, Material
from tests.printing_fixtures import CASES, build_meeting


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(path) -> list[str]:
    return [_flat(p.extract_text()) for p in PdfReader(path).pages]


def _identifying(case: Case) -> list[str]:
    """Every identifying field of a case as it could appear in print."""
    values = [case.family_name + case.given_name, case.family_kana + case.given_kana,
              case.address, case.phone, case.school_or_employer]
    if case.birth_date:
        values.append(format_date(case.birth_date))
    return [_flat(v) for v in values if v and len(_flat(v)) >= 2]


def _events(ctx, action):
    with ctx.session() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_practitioners_packet_without_consents_shows_no_case_identity(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners", consents=False)
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "packet", out)
    text = "".join(_pages(out))
    assert set(result.levels.values()) == {"pseudonymized"}
    for data in CASES:
        for needle in (data["family_name"] + data["given_name"], data["address"], data["phone"],
                       data["school_or_employer"], format_date(data["birth_date"]),
                       data["family_kana"] + data["given_kana"], data["chief_complaint"]):
            assert _flat(needle) not in text, needle
        # The surname in free text (agenda summary, carried-over action item) is screened too.
        assert data["family_name"] not in text
    assert "R8-0001" in text and "ケース概要" in text and "経過" in text


def test_consent_decides_which_cases_are_shown_as_consented(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "packet", out)
    first, second, third = built.case_ids
    # Withdrawn consent and a consent that leaves out an attending organization do not count.
    assert result.levels == {first: "pseudonymized", second: "consented", third: "pseudonymized"}
    text = "".join(_pages(out))
    assert "北原2-8" in text  # case 2 as consented
    assert _flat(CASES[0]["address"]) not in text and _flat(CASES[2]["address"]) not in text


def test_consent_given_after_the_meeting_does_not_count(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners", consents=False)
    with ctx.session() as s:
        s.add(Consent(case_id=built.case_ids[0], given_on=date(2026, 12, 11), scope_all=True))
        s.commit()
    result = print_meeting_document(ctx, built.meeting_id, "packet", tmp_path / "p.pdf")
    assert result.levels[built.case_ids[0]] == "pseudonymized"


def test_support_meeting_packet_is_full_marked_and_numbered_per_copy(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "packet", out, PrintOptions(copies=2))
    assert set(result.levels.values()) == {"full"} and result.copies == 2
    *pages, log = _pages(out)
    per_copy = len(pages) // 2
    for i, page in enumerate(pages):
        assert f"{SUPPORT_MARKING}No.{i // per_copy + 1}／2" in page, i
    text = "".join(pages)
    assert "鷹取凛太郎" in text and "さん宅を訪問" in text
    # The 配付番号管理表 closes the file: one row per numbered copy, to check them back in.
    assert "配付番号管理表" in log and "No.1／2" in log and "No.2／2" in log and "回収日" in log


def test_support_packet_defaults_to_one_copy_per_attendee(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")
    info = print_info(ctx, built.meeting_id)
    assert info.is_support_meeting and info.default_copies == 4  # all but the absent member
    result = print_meeting_document(ctx, built.meeting_id, "packet", tmp_path / "p.pdf")
    assert result.copies == 4


def test_user_who_may_not_identify_gets_only_case_codes_of_support_papers(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")
    viewer = ctx.acting_as(Actor("etsuran", "閲覧者", "viewer"))
    out = tmp_path / "packet.pdf"
    result = print_meeting_document(viewer, built.meeting_id, "packet", out, PrintOptions(copies=1))
    # Case content of a closed meeting: the case code and category, no sheet, no attachment.
    assert set(result.levels.values()) == {"coded"}
    text = "".join(_pages(out))
    assert "鷹取" not in text and "さん宅を訪問" not in text and "R8-000" not in text
    assert "ケース検討" in text and "この資料一式では省略しています" in text
    [event] = _events(ctx, "print.packet")
    assert set(json.loads(event.detail_json)["levels"].values()) == {"coded"}


def test_print_is_recorded_with_the_cases_it_carries(ctx, tmp_path):
    built = build_meeting(ctx.store, "support_meeting")
    print_meeting_document(ctx, built.meeting_id, "packet", tmp_path / "p.pdf",
                           PrintOptions(copies=1))
    [event] = _events(ctx, "print.packet")
    detail = json.loads(event.detail_json)
    assert event.target_type == "meeting" and event.target_ids == str(built.meeting_id)
    assert set(detail["cases"]) == set(built.case_ids)
    assert event.user_name == "admin" and detail["file"] == "p.pdf"


def test_notice_number_prefix_serial_reuse_and_new_fiscal_year(ctx, tmp_path):
    a = build_meeting(ctx.store, "practitioners")
    b = build_meeting(ctx.store, "plenary", settings=False)
    preview = print_meeting_document(ctx, a.meeting_id, "notice", tmp_path / "v.pdf",
                                     PrintOptions(preview=True, issued_on=date(2026, 11, 16)))
    assert preview.doc_number == "み保福第　　号"
    first = print_meeting_document(ctx, a.meeting_id, "notice", tmp_path / "1.pdf",
                                   PrintOptions(issued_on=date(2026, 11, 16)))
    again = print_meeting_document(ctx, a.meeting_id, "notice", tmp_path / "2.pdf",
                                   PrintOptions(issued_on=date(2026, 11, 17)))
    other = print_meeting_document(ctx, b.meeting_id, "notice", tmp_path / "3.pdf",
                                   PrintOptions(issued_on=date(2026, 11, 17)))
    next_fy = print_meeting_document(ctx, b.meeting_id, "notice", tmp_path / "4.pdf",
                                     PrintOptions(issued_on=date(2027, 4, 1)))
    assert (first.doc_number, again.doc_number, other.doc_number, next_fy.doc_number) == (
        "み保福第1号", "み保福第1号", "み保福第2号", "み保福第1号")
    assert "み保福第2号" in _pages(tmp_path / "3.pdf")[0]
    with ctx.session() as s:
        rows = s.scalars(select(DocumentNumber).order_by(DocumentNumber.id)).all()
        assert [(r.fiscal_year, r.serial, r.meeting_id) for r in rows] == [
            (2026, 1, a.meeting_id), (2026, 2, b.meeting_id), (2027, 1, b.meeting_id)]


def test_failed_print_keeps_no_number_and_locked_file_is_explained(ctx, tmp_path, monkeypatch):
    built = build_meeting(ctx.store, "practitioners")

    def locked(*_a, **_k):
        raise PermissionError(13, "Permission denied", str(tmp_path / "n.pdf"))

    monkeypatch.setattr("pfdesk.core.atomic.os.replace", locked)
    with pytest.raises(FileProblem) as err:
        print_meeting_document(ctx, built.meeting_id, "notice", tmp_path / "n.pdf")
    assert "閉じてから" in err.value.user_text()
    assert not (tmp_path / "n.pdf").exists()
    with ctx.session() as s:
        assert s.scalars(select(DocumentNumber)).all() == []
    assert _events(ctx, "print.notice") == []


def test_every_document_of_a_meeting_renders(ctx, tmp_path):
    built = build_meeting(ctx.store, "practitioners")
    for kind in ("notice", "reply", "agenda", "roster", "signin", "packet", "minutes"):
        result = print_meeting_document(ctx, built.meeting_id, kind, tmp_path / f"{kind}.pdf")
        assert result.pages >= 1
        assert _events(ctx, f"print.{kind}")
    minutes = "".join(_pages(tmp_path / "minutes.pdf"))
    assert "会議録" in minutes and "次回予定" in minutes and "鷹取" not in minutes


def test_unknown_meeting_and_missing_permission(ctx, tmp_path):
    with pytest.raises(NotFound):
        print_meeting_document(ctx, 999, "agenda", tmp_path / "x.pdf")
    nobody = ctx.acting_as(Actor("x", "x", "nobody"))
    with pytest.raises(PermissionDenied):
        print_meeting_document(nobody, 1, "agenda", tmp_path / "x.pdf")


def test_demo_practitioners_packets_carry_no_case_identity(demo_ctx, tmp_path):
    """Every demo 実務者会議, with a case sheet of every demo case added to its agenda."""
    from pfdesk.core.kana import ITAIJI
    from pfdesk.store.models import Attendance

    with demo_ctx.session() as s:
        cases = s.scalars(select(Case).where(Case.voided_at.is_(None))).all()
        # A member printed by right may read like a case once a rare character falls back
        # to its everyday form (member 𠮷田翔太 as 吉田翔太 where IPAmj明朝 is missing).
        members = {_flat(n).translate(str.maketrans(ITAIJI))
                   for n in s.scalars(select(Attendance.name)).all()}
        needles = {n for c in cases for n in _identifying(c)} - members
        from pfdesk.store.models import Body, Meeting

        meetings = s.scalars(select(Meeting).join(Body).where(
            Body.kind == "practitioners")).all()
        assert meetings and cases
        target = meetings[-1]
        # Cases with a consent in force may be shown as consented; leave them out here.
        sheet_cases = [c for c in cases if not c.consents][:25]
        item = AgendaItem(meeting_id=target.id, position=99, kind="agenda", title="個別ケース")
        s.add(item)
        s.flush()
        for n, c in enumerate(sheet_cases):
            case_item = AgendaItem(meeting_id=target.id, position=100 + n, kind="agenda",
                                   title=f"事例{n + 1}", case_id=c.id)
            case_item.materials.append(Material(title="ケース概要", generated="case_sheet"))
            s.add(case_item)
        s.commit()
        ids = [m.id for m in meetings]
    for mid in ids:
        out = tmp_path / f"packet-{mid}.pdf"
        print_meeting_document(demo_ctx, mid, "packet", out)
        text = "".join(_pages(out))
        leaked = sorted(n for n in needles if n in text)
        assert leaked == [], f"meeting {mid}: {leaked[:5]}"


def test_demo_packets_of_every_other_kind_show_only_consented_cases(demo_ctx, tmp_path):
    """Case conferences, plenaries, study sessions: identity only where consent covers."""
    from pfdesk.store.models import Attendance, Body, Meeting

    with demo_ctx.session() as s:
        cases = s.scalars(select(Case).where(Case.voided_at.is_(None))).all()
        # A member who happens to share a case's name is printed in the roster by right.
        members = {_flat(n) for n in s.scalars(select(Attendance.name)).all()}
        needles = {c.id: [n for n in _identifying(c) if n not in members] for c in cases}
        rows = s.execute(select(Meeting.id, Body.kind).join(Body).where(
            Body.kind.not_in(["support_meeting", "practitioners"])).order_by(Meeting.id)).all()
        with_cases = set(s.scalars(select(AgendaItem.meeting_id).join(Material).where(
            Material.generated == "case_sheet")).all())
    # Every meeting with case sheets, and one of each other kind (to keep the test quick).
    first_of_kind = {}
    for mid, kind in rows:
        first_of_kind.setdefault(kind, mid)
    ids = sorted(with_cases & {mid for mid, _k in rows} | set(first_of_kind.values()))
    sheets = 0
    for mid in ids:
        out = tmp_path / f"packet-{mid}.pdf"
        result = print_meeting_document(demo_ctx, mid, "packet", out)
        sheets += len(result.levels)
        allowed = {cid for cid, level in result.levels.items() if level == "consented"}
        text = "".join(_pages(out))
        # Demo names repeat; a value shown for a consented case is not a leak of its twin.
        shown = {n for cid in allowed for n in needles[cid]}
        leaked = [n for cid, ns in needles.items() if cid not in allowed
                  for n in ns if n in text and n not in shown]
        assert leaked == [], f"meeting {mid}: {leaked[:5]}"
    assert sheets  # the demo's case conferences carry case sheets


def test_demo_support_and_practitioners_packets_carry_their_case_sheets(demo_ctx, tmp_path):
    """The demo as it stands: a 支援会議 and a 実務者会議 packet carry their case sheets.

    The 支援会議 sheet is in full and marked on every page; the 実務者会議 one pseudonymized.
    """
    from pfdesk.store.models import Body, Meeting

    with demo_ctx.session() as s:
        def last_held(kind):
            return s.scalars(select(Meeting.id).join(Body).where(
                Body.kind == kind, Meeting.status == "held").order_by(
                Meeting.held_on.desc())).first()
        support, practitioners = last_held("support_meeting"), last_held("practitioners")
    out = tmp_path / "support.pdf"
    result = print_meeting_document(demo_ctx, support, "packet", out, PrintOptions(copies=2))
    assert set(result.levels.values()) == {"full"}
    pages = _pages(out)
    assert all(_flat(SUPPORT_MARKING) in p for p in pages)
    assert any("ケース概要" in p and "氏名" in p for p in pages)
    result = print_meeting_document(demo_ctx, practitioners, "packet", tmp_path / "p.pdf")
    assert set(result.levels.values()) == {"pseudonymized"}


def test_an_organization_invited_as_such_gets_a_notice_addressed_onchu(ctx, tmp_path):
    from pfdesk.services.meetings import attendance
    from pfdesk.store.models import Organization

    built = build_meeting(ctx.store, "practitioners")
    with ctx.session() as s:
        org_id = s.scalars(select(Organization.id).where(
            Organization.name == "東雲県中央保健所")).one()
    orgs = dict(attendance.organization_candidates(ctx))
    assert orgs[org_id] == "東雲県中央保健所"
    attendance.add_attendee(ctx, built.meeting_id, organization_id=org_id)
    with pytest.raises(ValidationError):
        attendance.add_attendee(ctx, built.meeting_id, organization_id=org_id)
    out = tmp_path / "notice.pdf"
    result = print_meeting_document(ctx, built.meeting_id, "notice", out)
    last = _pages(out)[result.pages - 1]
    assert "東雲県中央保健所御中" in last and "様" not in last.split("御中")[0][-3:]


def test_study_session_minutes_give_theme_lecturer_and_participants(demo_ctx, tmp_path):
    from pfdesk.store.models import Body, Meeting

    with demo_ctx.session() as s:
        m = s.scalars(select(Meeting).join(Body).where(
            Body.kind == "study", Meeting.status == "held")).first()
        mid, theme = m.id, m.theme
        total = m.participants_residents + m.participants_agencies + m.participants_families
        residents = m.participants_residents
    out = tmp_path / "minutes.pdf"
    print_meeting_document(demo_ctx, mid, "minutes", out)
    text = _pages(out)[0]
    assert _flat(theme) in text and "講師" in text
    assert f"計{total}名（住民{residents}名" in text


def test_notice_without_sender_settings_is_refused_and_takes_no_number(ctx, tmp_path):
    from pfdesk.services.meetings import bodies, meetings

    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body,
                                                             held_on=date(2026, 12, 3)))
    for kind in ("notice", "reply"):
        with pytest.raises(ValidationError) as err:
            print_meeting_document(ctx, mid, kind, tmp_path / f"{kind}.pdf")
        assert "「設定」の「自治体・事務局」" in err.value.user_text()
        assert not (tmp_path / f"{kind}.pdf").exists()
    with ctx.session() as s:
        assert s.scalars(select(DocumentNumber)).all() == []
    assert print_meeting_document(ctx, mid, "agenda", tmp_path / "agenda.pdf").pages == 1
