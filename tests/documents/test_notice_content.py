"""What a notice says depends on the meeting: 学習会 theme and speaker, repeated case items."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from pfdesk.documents.meeting.data import AgendaLine, NoticeData
from pfdesk.documents.meeting.notice import write_notice, write_reply_form
from tests.documents.test_meeting_docs import MEETING, OFFICE


def _text(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def _notice(meeting, **kw) -> NoticeData:
    return NoticeData(office=OFFICE, meeting=meeting, doc_number="み保福第12号",
                      issued_on=date(2026, 11, 16), **kw)


def test_study_session_notice_names_theme_and_lecturer(tmp_path):
    study = replace(MEETING, body_kind="study", theme="居場所づくりを考える",
                    lecturer="NPO法人ひだまり 代表 山下 実", agenda=())
    out = tmp_path / "n.pdf"
    write_notice(out, _notice(study))
    (page,) = _text(out)
    for needle in ("1日時", "2場所", "3テーマ居場所づくりを考える",
                   "4講師NPO法人ひだまり代表山下実", "5内容", "6出欠の回答"):
        assert needle in page, needle


def test_repeated_case_items_are_listed_once_with_their_count(tmp_path):
    case = replace(MEETING, body_kind="case_conference", agenda=(
        AgendaLine("議題", "前回の振り返り"), AgendaLine("議題", "個別ケースの検討"),
        AgendaLine("議題", "個別ケースの検討"), AgendaLine("報告", "その他")))
    out = tmp_path / "n.pdf"
    write_notice(out, _notice(case))
    (page,) = _text(out)
    assert "(2)個別ケースの検討（2件）(3)その他" in page
    assert page.count("個別ケースの検討") == 1


def test_long_agenda_continues_on_page_two_with_page_numbers(tmp_path):
    long = replace(MEETING, agenda=tuple(
        AgendaLine("議題", f"第{i}の議題として地域の居場所と就労体験の連携について協議する")
        for i in range(1, 31)))
    out = tmp_path / "n.pdf"
    pages = write_notice(out, _notice(long))
    texts = _text(out)
    assert pages == len(texts) == 2
    # The 議題 starts on page 1 (not pushed whole to page 2) and both pages are numbered.
    assert "(1)第1の議題" in texts[0] and "(30)第30の議題" in texts[1]
    assert "-1-" in texts[0] and "-2-" in texts[1]
    short = tmp_path / "short.pdf"
    write_notice(short, _notice(MEETING))
    assert "-1-" not in _text(short)[0]  # a one-page letter carries no page number


def test_reply_form_is_sent_to_the_town_office(tmp_path):
    out = tmp_path / "r.pdf"
    write_reply_form(out, _notice(MEETING))
    # The section is not repeated when the contact person already names it.
    assert "みどり川町保健福祉課地域福祉係森野行" in _text(out)[0]
    write_reply_form(out, NoticeData(
        office=replace(OFFICE, contact_person="森野"), meeting=MEETING, doc_number="",
        issued_on=date(2026, 11, 16)))
    assert "みどり川町保健福祉課森野行" in _text(out)[0]


def test_rosters_list_chair_first_and_secretariat_last_without_honorifics(tmp_path):
    from pfdesk.documents.directory_pdf import RosterEntry, build_roster_pdf
    from pfdesk.documents.meeting.agenda import write_roster
    from pfdesk.documents.meeting.data import AttendeeLine

    people = (
        AttendeeLine("保健福祉課", "課長", "森野　和也", "事務局", "出席", secretariat=True),
        AttendeeLine("中央保健所", "保健師", "岡本　健", "委員", "出席"),
        AttendeeLine("県ひきこもり地域支援センター", "所長", "西村　由香", "オブザーバー", "出席"),
        AttendeeLine("社会福祉協議会", "事務局長", "川端　さゆり", "会長", "出席"),
        AttendeeLine("民生委員児童委員協議会", "会長", "田中　亮", "副会長", "欠席"),
    )
    out = tmp_path / "roster.pdf"
    write_roster(out, replace(MEETING, attendees=people), OFFICE)
    (page,) = _text(out)
    assert "（敬称略）" in page
    order = [page.index(n) for n in ("川端さゆり", "田中亮", "岡本健", "西村由香", "森野和也")]
    assert order == sorted(order), order

    entries = [RosterEntry("機関", "", "", f"委員{i}", "", "", "委員") for i in range(12)]
    entries.insert(5, RosterEntry("社会福祉協議会", "", "", "川端　さゆり", "", "", "会長"))
    out = tmp_path / "members.pdf"
    build_roster_pdf(out, title="委員名簿", as_of="令和8年12月1日", entries=entries,
                     show_role=True)
    text = "".join(_text(out))
    assert "（敬称略）" in text and "1会長社会福祉協議会" in text
