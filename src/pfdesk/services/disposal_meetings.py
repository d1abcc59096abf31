"""Disposal reaches the meetings: a disposed case's identity leaves every meeting text.

Items linked to the case lose their 要点筆記, decisions, action-item text and attached
files (the numbered case code stays, so the record of having met remains); anywhere
else the case's name, reading, birth date, address, phone or school found in meeting
text, material titles and drafts is replaced by its case number.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.atomic import shred_file
from pfdesk.core.i18n import _
from pfdesk.services.identity_scan import IdentityIndex
from pfdesk.store.models import ActionItem, AgendaItem, Decision, Draft, Material, Meeting

#: What stands where the disposed text was.
DISPOSED = "（保存年限により廃棄）"

_TEXT_FIELDS = (
    (AgendaItem, ("title", "summary", "presenter")),
    (Decision, ("text",)),
    (ActionItem, ("description", "progress_note", "assignee_text")),
    (Meeting, ("next_plan", "note", "theme")),
    (Material, ("title", "original_name")),
    (Draft, ("text",)),
)


def _replace(text: str, index: IdentityIndex) -> str:
    matches = index.find(text)
    if not matches:
        return text
    out, pos = [], 0
    for m in matches:
        out += [text[pos:m.start], m.case_number]
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def erase(s: Session, case_ids: list[int], index: IdentityIndex,
          with_parts: IdentityIndex) -> list[str]:
    """Erase the cases from meeting content in the caller's transaction.

    ``index`` holds the cases' whole identities, ``with_parts`` their surnames and given
    names alone as well (used in the meetings that discussed them). Returns the stored
    attachment names to shred once the transaction is committed.
    """
    ids = set(case_ids)
    files: list[str] = []
    linked = list(s.scalars(select(AgendaItem).where(AgendaItem.case_id.in_(ids))))
    for item in linked:
        item.summary = ""
        for d in s.scalars(select(Decision).where(Decision.agenda_item_id == item.id)):
            d.text = _(DISPOSED)
        for m in s.scalars(select(Material).where(Material.agenda_item_id == item.id)):
            if m.stored_name:
                files.append(m.stored_name)
            m.title, m.original_name, m.stored_name, m.sha256, m.size = _(DISPOSED), "", "", "", 0
    for a in s.scalars(select(ActionItem).where(ActionItem.case_id.in_(ids))):
        a.description, a.progress_note = _(DISPOSED), ""
    # In a meeting that discussed the case, a bare surname (「鷹取さん」) means the case too.
    meetings = {i.meeting_id for i in linked} | set(s.scalars(
        select(ActionItem.meeting_id).where(ActionItem.case_id.in_(ids))))
    for model, fields in _TEXT_FIELDS:
        for row in s.scalars(select(model)):
            used = with_parts if _meeting_of(s, row) in meetings else index
            if not used:
                continue
            for name in fields:
                value = getattr(row, name) or ""
                new = _replace(value, used)
                if new != value:
                    setattr(row, name, new)
    return files


def _meeting_of(s: Session, row) -> int | None:
    if isinstance(row, Meeting):
        return row.id
    if isinstance(row, AgendaItem | ActionItem):
        return row.meeting_id
    if isinstance(row, Decision | Material):
        item = s.get(AgendaItem, row.agenda_item_id)
        return item.meeting_id if item else None
    return None


def shred_files(folder: Path, names: list[str]) -> None:
    """Overwrite, then delete, the attachments of disposed items."""
    for name in names:
        shred_file(folder / name)
