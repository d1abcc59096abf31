"""文書番号: the prefix from the settings and a serial that restarts each 年度, never reused.

A number is taken only when a notice is actually printed or saved, inside the same unit
of work that records the print, so a failed print gives its number back. Printing the
same meeting's notice again in the same 年度 shows the number it already has.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.store.models import DocumentNumber, SerialCounter

SCOPE = "document_number"


def number_text(prefix: str, serial: int | None) -> str:
    """「み保福第12号」; a blank draft 「み保福第　　号」 when ``serial`` is None."""
    middle = "　　" if serial is None else str(serial)
    return _("{prefix}第{n}号").format(prefix=prefix.strip(), n=middle)


def existing_number(session: Session, meeting_id: int, kind: str, fy: int) -> DocumentNumber | None:
    """The number already issued for this meeting's ``kind`` in 年度 ``fy``, if any."""
    return session.scalars(select(DocumentNumber).where(
        DocumentNumber.meeting_id == meeting_id, DocumentNumber.doc_kind == kind,
        DocumentNumber.fiscal_year == fy,
    ).order_by(DocumentNumber.id.desc()).limit(1)).first()


def issue_number(session: Session, *, prefix: str, issued_on: date, kind: str,
                 meeting_id: int | None, subject: str, created_by: str) -> DocumentNumber:
    """Take the next serial of the 年度 of ``issued_on`` and record the number."""
    fy = fiscal_year_of(issued_on)
    counter = session.scalars(select(SerialCounter).where(
        SerialCounter.scope == SCOPE, SerialCounter.fiscal_year == fy)).first()
    if counter is None:
        # Numbers recorded before the counter existed (an import, a restored store) still
        # count: never hand out a serial that is already on a document.
        highest = session.scalar(select(func.max(DocumentNumber.serial)).where(
            DocumentNumber.fiscal_year == fy)) or 0
        counter = SerialCounter(scope=SCOPE, fiscal_year=fy, last_value=highest)
        session.add(counter)
    counter.last_value += 1
    row = DocumentNumber(
        fiscal_year=fy, serial=counter.last_value,
        number_text=number_text(prefix, counter.last_value), doc_kind=kind,
        meeting_id=meeting_id, subject=subject, issued_on=issued_on, created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row
