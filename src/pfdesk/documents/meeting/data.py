"""The plain data meeting documents are built from; the printing service fills it in.

Everything is already formatted for people (labels, not code keys) except dates and
times, which the documents print in 和暦 themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class Office:
    """The secretariat that sends the documents (from the municipality settings)."""

    municipality: str
    secretariat: str
    sender: str
    contact_person: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    postal_code: str = ""
    address: str = ""
    platform_name: str = ""


@dataclass(frozen=True)
class Addressee:
    """Who a notice or reply form is addressed to.

    ``honorific`` is 「様」 for a person and 「御中」 for an organization.
    """

    name: str
    honorific: str
    affiliation: str = ""
    title: str = ""


@dataclass(frozen=True)
class MaterialLine:
    """A 配布資料: its 資料番号 (「資料1」「参考資料」) and title."""

    label: str
    title: str


@dataclass(frozen=True)
class AgendaLine:
    """An item of the 次第; ``kind`` is 「議題」「報告」 or 「その他」."""

    kind: str
    title: str
    presenter: str = ""
    closed: bool = False  # 非公開 item in a public meeting
    materials: tuple[str, ...] = ()  # 資料番号 of the item's materials


@dataclass(frozen=True)
class AttendeeLine:
    """One invited member as printed in 名簿 (所属, 職名, 氏名, 出欠)."""

    affiliation: str
    title: str
    name: str
    role: str = ""  # 会長, 委員 … (labels)
    response: str = ""  # 出席, 欠席, 代理出席 … (label)
    note: str = ""  # 代理: ○○, 遅参, 早退 …
    secretariat: bool = False  # 事務局: listed, but not counted among the 委員等


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as every document shows it."""

    id: int
    title: str  # 令和8年度第3回みどり川町ひきこもり支援ネットワーク実務者会議
    body_name: str
    body_kind: str  # code key (support_meeting …) for rules, not for print
    body_kind_label: str
    held_on: date
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    online: bool = False
    publicity: str = ""  # 公開 / 非公開
    observers: int = 0
    reply_deadline: date | None = None
    theme: str = ""
    lecturer: str = ""
    next_plan: str = ""
    agenda: tuple[AgendaLine, ...] = ()
    materials: tuple[MaterialLine, ...] = ()
    attendees: tuple[AttendeeLine, ...] = ()

    @property
    def is_support_meeting(self) -> bool:
        """Whether this is a statutory 支援会議 (社会福祉法第106条の6)."""
        return self.body_kind == "support_meeting"


@dataclass(frozen=True)
class NoticeData:
    """A 開催通知 (and the matching 出欠回答票).

    No addressees means one version addressed to 「各位」. ``doc_number`` may be a blank
    draft number (「み保福第　　号」) in a preview.
    """

    office: Office
    meeting: MeetingInfo
    doc_number: str
    issued_on: date
    addressees: tuple[Addressee, ...] = ()
    to_all: str = ""  # 「みどり川町…実務者会議 委員各位」 when there are no addressees


@dataclass(frozen=True)
class ActionLine:
    """A 対応事項 decided at a meeting: what, who, by when, and its state."""

    description: str
    assignee: str = ""
    due_on: date | None = None
    status: str = ""
    origin: str = ""  # 「第2回（令和8年9月10日）」 where it was decided
    progress: str = ""


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item in the 会議録: summary, decisions and action items."""

    kind: str
    title: str
    presenter: str = ""
    summary: str = ""
    decisions: tuple[str, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    closed: bool = False  # a case or 非公開 item: left out of the public 議事要旨


@dataclass(frozen=True)
class MinutesData:
    """A 会議録 / 議事要旨."""

    office: Office
    meeting: MeetingInfo
    heading: str = "会議録"  # or 議事要旨
    present: tuple[str, ...] = ()  # 委員等 who took part (not the 事務局)
    absent: tuple[str, ...] = ()
    secretariat: tuple[str, ...] = ()  # 事務局 who took part, listed on their own row
    items: tuple[MinutesItem, ...] = ()
    marking: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    recorder: str = ""  # 記録者
    created_on: date | None = None  # 作成日
    next_meeting: str = ""  # 「令和9年2月18日（木）14時～」 of the next meeting, if planned
    signature: bool = False  # a 署名欄 for the chair to confirm the record
