"""The meeting documents read like a municipal office's: number, date, addressee, 記, tables."""

from __future__ import annotations

import re
from datetime import date, time

from pypdf import PdfReader

from pfdesk.documents.meeting.agenda import write_agenda, write_roster, write_signin
from pfdesk.documents.meeting.data import (
    ActionLine,
    Addressee,
    AgendaLine,
    AttendeeLine,
    MaterialLine,
    MeetingInfo,
    MinutesData,
    MinutesItem,
    NoticeData,
    Office,
)
from pfdesk.documents.meeting.minutes import write_minutes
from pfdesk.documents.meeting.notice import write_notice, write_reply_form

OFFICE = Office(municipality="みどり川町", secretariat="保健福祉課", sender="みどり川町長　川原　正道",
                contact_person="保健福祉課 地域福祉係　森野", phone="0889-52-0123",
                fax="0889-52-0199", email="hf@example.jp", platform_name="みどり川町ネットワーク")
MEETING = MeetingInfo(
    id=7, title="令和8年度第3回みどり川町実務者会議", body_name="みどり川町実務者会議",
    body_kind="practitioners", body_kind_label="実務者会議", held_on=date(2026, 12, 10),
    start_time=time(14), end_time=time(15, 30), place="役場 2階 第1会議室", online=True,
    publicity="非公開", observers=3, reply_deadline=date(2026, 11, 30),
    next_plan="令和9年2月に開催予定",
    agenda=(AgendaLine(kind="議題", title="相談状況について", presenter="事務局",
                       materials=("資料1",)),
            AgendaLine(kind="報告", title="研修報告", materials=("参考資料",))),
    materials=(MaterialLine("資料1", "相談状況"), MaterialLine("参考資料", "研修チラシ")),
    attendees=(AttendeeLine("社会福祉協議会", "係長", "川端　さゆり", "会長", "出席"),
               AttendeeLine("中央保健所", "保健師", "岡本　健", "委員", "代理出席", "代理：佐伯")),
)


def _text(path) -> list[str]:
    # Layout spaces vary with the extractor; compare without them.
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def test_notice_has_one_page_per_addressee_with_number_date_subject_and_ki(tmp_path):
    data = NoticeData(office=OFFICE, meeting=MEETING, doc_number="み保福第12号",
                      issued_on=date(2026, 11, 16), addressees=(
                          Addressee("川端　さゆり", "様", "社会福祉協議会", "係長"),
                          Addressee("東雲県中央保健所", "御中")))
    out = tmp_path / "notice.pdf"
    assert write_notice(out, data) == 2
    first, second = _text(out)
    for needle in ("み保福第12号", "令和8年11月16日", "係長川端さゆり様", "みどり川町長川原正道",
                   "令和8年度第3回みどり川町実務者会議の開催について（通知）", "記", "1日時",
                   "令和8年12月10日（木）14時～15時30分", "2場所", "オンライン併用", "3議題",
                   "(1)相談状況について", "4出欠の回答", "令和8年11月30日（月）まで", "以上",
                   "【担当】", "0889-52-0199"):
        assert needle in first, needle
    assert "東雲県中央保健所御中" in second


def test_notice_without_addressees_is_one_kakui_version(tmp_path):
    data = NoticeData(office=OFFICE, meeting=MEETING, doc_number="み保福第13号",
                      issued_on=date(2026, 11, 16), to_all="みどり川町実務者会議　委員各位")
    out = tmp_path / "notice.pdf"
    assert write_notice(out, data) == 1
    assert "委員各位" in _text(out)[0]


def test_reply_form_is_prefilled_for_fax(tmp_path):
    data = NoticeData(office=OFFICE, meeting=MEETING, doc_number="", issued_on=date(2026, 11, 16),
                      addressees=(Addressee("川端　さゆり", "様", "社会福祉協議会", "係長"),))
    out = tmp_path / "reply.pdf"
    write_reply_form(out, data)
    text = _text(out)[0]
    for needle in ("出欠回答票", "FAX0889-52-0199", "川端さゆり", "出席・欠席・代理出席",
                   "令和8年11月30日（月）までにご回答ください"):
        assert needle in text, needle


def test_agenda_lists_items_materials_and_frame(tmp_path):
    out = tmp_path / "agenda.pdf"
    write_agenda(out, MEETING, OFFICE)
    text = _text(out)[0]
    for needle in ("次第", "1開会", "2あいさつ", "3議題", "(1)相談状況について（事務局）【資料1】",
                   "4報告", "5その他", "6閉会", "【配布資料】", "資料1相談状況", "参考資料研修チラシ"):
        assert needle in text, needle


def test_roster_and_signin_sheet(tmp_path):
    roster, signin = tmp_path / "r.pdf", tmp_path / "s.pdf"
    write_roster(roster, MEETING, OFFICE)
    write_signin(signin, MEETING, OFFICE)
    r = _text(roster)[0]
    for needle in ("出席者名簿", "所属", "職名", "氏名", "出欠", "川端さゆり", "代理出席", "代理：佐伯"):
        assert needle in r, needle
    s = _text(signin)[0]
    assert "受付名簿" in s and "署名" in s and "岡本健" in s


def test_minutes_header_items_and_next_plan(tmp_path):
    data = MinutesData(
        office=OFFICE, meeting=MEETING, present=("社会福祉協議会　係長　川端　さゆり",),
        absent=("NPO法人ひだまり　代表　西田　直子",),
        items=(MinutesItem(kind="議題", title="相談状況について", summary="新規相談が増加。",
                           decisions=("統計の様式を変更する。",),
                           actions=(ActionLine("様式案を作る", "事務局", date(2027, 1, 31)),)),),
    )
    out = tmp_path / "minutes.pdf"
    write_minutes(out, data)
    text = "".join(_text(out))
    for needle in ("会議録", "日時", "場所", "出席者", "川端さゆり", "欠席者", "西田直子", "議題",
                   "配布資料", "資料1相談状況", "傍聴者数", "3名", "議事の概要", "新規相談が増加。",
                   "【決定事項】", "統計の様式を変更する。", "【対応事項】", "様式案を作る",
                   "令和9年1月31日", "次回予定", "令和9年2月に開催予定"):
        assert needle in text, needle


def test_roster_keeps_online_and_proxy_responses_on_one_line(tmp_path):
    """「オンライン」 in the 出欠 column must not break into 「オンライ／ン」."""
    from dataclasses import replace

    m = replace(MEETING, attendees=MEETING.attendees + (
        AttendeeLine("東雲保護観察所", "保護観察官", "岡田　翔太", "委員", "オンライン"),))
    out = tmp_path / "roster.pdf"
    write_roster(out, m, OFFICE)
    lines = PdfReader(out).pages[0].extract_text().splitlines()
    # Each cell's wrapped lines come out as lines of their own.
    assert "オンライン" in [line.strip() for line in lines]
