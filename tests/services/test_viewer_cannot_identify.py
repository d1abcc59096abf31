"""A 閲覧者 cannot obtain a case's name through any service: lists, search, timeline, exports, prints.

Every public service function is called as a viewer on the demo town with a
case whose name is unique. Functions the viewer may not use must refuse with
PermissionDenied; the ones it may use are called with real ids and output
files, and neither their results nor the files they write may hold the name.
"""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pfdesk.core.errors import KnownError, PermissionDenied
from pfdesk.core.permissions import ROLE_PERMISSIONS, VIEWER
from pfdesk.services.context import Actor
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Case,
    Contact,
    Meeting,
    Organization,
    Person,
)
from tests.services.test_context import _service_functions

SECRETS = ("秘匿野", "照子", "ヒトクノ", "テルコ", "秘匿町9-9")


@pytest.fixture
def probe(demo_ctx):
    """The demo town plus a case with a unique name, linked to a meeting's agenda."""
    with demo_ctx.session() as s:
        case = Case(
            case_number="R8-9999", fiscal_year=2026, serial=9999, intake_date=date(2026, 5, 1),
            family_name="秘匿野", given_name="照子", family_kana="ヒトクノ", given_kana="テルコ",
            address="秘匿町9-9", chief_complaint="秘匿野さんの相談", status="support",
            search_text="ひとくの てるこ 秘匿野 照子",
        )
        s.add(case)
        s.flush()
        s.add(Contact(case_id=case.id, occurred_at=datetime(2026, 6, 1, 10),
                      body="秘匿野 照子さんと面談", main_topic="unknown"))
        meeting = s.scalars(select(Meeting).order_by(Meeting.id)).first()
        ids = {"case_id": case.id}
        if meeting is not None:
            item = AgendaItem(meeting_id=meeting.id, title="個別ケースの検討", case_id=case.id)
            s.add(item)
            s.flush()
            s.add(ActionItem(body_id=meeting.body_id, meeting_id=meeting.id, case_id=case.id,
                             agenda_item_id=item.id, description="見守りを続ける"))
            ids.update(meeting_id=meeting.id, body_id=meeting.body_id, item_id=item.id,
                       agenda_item_id=item.id)
        for model, names in ((Organization, ("organization_id", "org_id")),
                             (Person, ("person_id",))):
            first = s.scalar(select(model.id).order_by(model.id).limit(1))
            if first is not None:
                ids.update(dict.fromkeys(names, first))
        s.commit()
    return demo_ctx.acting_as(Actor("demo-viewer", "閲覧者", VIEWER, None)), ids


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if data.startswith(b"PK"):
        import zipfile

        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for enc in ("utf-8-sig", "cp932"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _dump(value) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return repr(dataclasses.asdict(value))
    if isinstance(value, (list, tuple)):
        return "".join(_dump(v) for v in value)
    return repr(value)


def _argument_sets(fn, name: str, ids: dict, out_dir: Path):
    """Plausible arguments for ``fn`` (None when some required one cannot be guessed)."""
    module = inspect.getmodule(inspect.unwrap(fn))
    base: dict = {}
    variants = [{}]
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.default is not inspect.Parameter.empty or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if p.name in ids:
            base[p.name] = ids[p.name]
        elif p.name in ("out", "path", "dest", "target", "out_path", "output"):
            variants = [dict(v, **{p.name: out_dir / f"{name}{suffix}"})
                        for v in variants for suffix in (".pdf", ".csv", ".xlsx")]
        elif p.name == "kind" and hasattr(module, "DOC_KINDS"):
            variants = [dict(v, kind=k) for v in variants for k, _l in module.DOC_KINDS]
        elif p.name in ("fiscal_year", "year", "fy"):
            base[p.name] = 2026
        elif p.name in ("text", "query", "term"):
            base[p.name] = "秘匿野"
        else:
            return None
    return [dict(base, **v) for v in variants]


def test_viewer_never_sees_a_case_name(probe, tmp_path):
    viewer, ids = probe
    allowed = ROLE_PERMISSIONS[VIEWER]
    refused, probed, unprobed = [], [], []
    for name, fn in _service_functions():
        needs = set(fn.__pfdesk_permissions__)
        if not needs <= allowed:
            with pytest.raises(PermissionDenied):
                fn(viewer, *([None] * 3))
            refused.append(name)
            continue
        out_dir = tmp_path / name
        out_dir.mkdir()
        arg_sets = _argument_sets(fn, name.rsplit(".", 1)[-1], ids, out_dir)
        if arg_sets is None:
            unprobed.append(name)
            continue
        ran = False
        for kwargs in arg_sets:
            try:
                result = fn(viewer, **kwargs)
            except (KnownError, TypeError, ValueError):
                continue
            ran = True
            seen = _dump(result) + "".join(_text_of(f) for f in out_dir.rglob("*") if f.is_file())
            leaked = [s for s in SECRETS if s in seen]
            assert leaked == [], f"{name}({kwargs}) shows {leaked} to a viewer"
        (probed if ran else unprobed).append(name)
    consultations = [n for n in refused if ".consultations." in n]
    assert len(consultations) >= 10, "the consultation services were not found"
    assert len(probed) >= 10, f"too few viewer services could be exercised: {probed}"
