"""The 進行管理台帳 as plain data: what the service gathers and the PDF lays out.

Kept apart from the PDF writer so that building the data does not load reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pfdesk.core import codes
from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _


@dataclass(frozen=True)
class ProgressLine:
    """One open case in the 台帳, as the meeting may see it."""

    case_id: int
    code: str
    name: str  # "" where the meeting may not identify the case
    status: str
    lead_staff: str
    organizations: tuple[str, ...]
    last_contact: date | None
    next_review_on: date | None
    overdue: bool
    urgency: str
    finding: str  # "" until the meeting's finding is recorded
    finding_note: str
    finding_next: date | None

    @property
    def status_label(self) -> str:
        """受付 / 支援中 / 見守り."""
        return codes.CASE_STATUSES.label(self.status)

    @property
    def urgency_label(self) -> str:
        """緊急度 (「未評価」 without an assessment)."""
        return sc.URGENCY.label(self.urgency) if self.urgency else _("未評価")

    @property
    def finding_label(self) -> str:
        """The finding as printed."""
        return sc.FINDINGS.label(self.finding) if self.finding else ""


@dataclass(frozen=True)
class ProgressLedger:
    """The 台帳 of one meeting."""

    meeting_id: int
    title: str
    meeting_label: str
    held_on: date
    lines: tuple[ProgressLine, ...]
    identifying: bool  # some line carries a name
    marking: str | None
    note: str

    @property
    def overdue_count(self) -> int:
        """Cases whose review date has passed on the meeting day."""
        return sum(1 for ln in self.lines if ln.overdue)
