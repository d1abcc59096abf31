"""Every personal string of a store, and a scan of a workbook for any of them."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from pfdesk.store.models import Attendance, Case, Contact, Organization, Person, Post, Referral


def personal_strings(session) -> set[str]:
    """Names, readings, case numbers, birth dates, addresses, phones and free texts."""
    out: set[str] = set()

    def add(*values):
        for v in values:
            v = (v or "").strip()
            if len(v) >= 2:
                out.add(v)

    for c in session.scalars(select(Case)):
        add(f"{c.family_name}{c.given_name}", f"{c.family_name}　{c.given_name}",
            f"{c.family_kana}{c.given_kana}", f"{c.family_kana}　{c.given_kana}",
            c.address, c.phone, c.household, c.school_or_employer, c.case_number)
        if c.birth_date is not None:
            add(c.birth_date.isoformat())
        for text in (c.chief_complaint, c.policy, c.goal):
            if len(text or "") >= 6:
                add(text)
    for p in session.scalars(select(Person)):
        add(f"{p.family_name}{p.given_name}", f"{p.family_name}　{p.given_name}",
            f"{p.family_kana}{p.given_kana}", p.phone, p.email)
    for p in session.scalars(select(Post)):
        add(p.phone, p.email)
    for a in session.scalars(select(Attendance)):
        add(a.name, a.proxy_name)
    for o in session.scalars(select(Organization)):
        add(o.address, o.phone, o.email)
    for t in session.scalars(select(Contact.body)):
        if len(t or "") >= 6:
            add(t)
    for t in session.scalars(select(Referral.note)):
        if len(t or "") >= 6:
            add(t)
    return out


def scan_workbook(path, strings: set[str]) -> list[str]:
    """Cells whose text contains any of ``strings`` (sheet!cell: found)."""
    hits = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        texts = [str(ws.oddHeader.left.text or ""), str(ws.oddHeader.right.text or "")]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    for s in strings:
                        if s in cell.value:
                            hits.append(f"{ws.title}!{cell.coordinate}: {s}")
        for t in texts[:2]:
            hits += [f"{ws.title} header: {s}" for s in strings if s in t]
    return hits
