"""Case identities typed into meeting records, caught when they are saved.

Every save of meeting text (件名, 要点筆記, 決定事項, 宿題事項, 次回予定, 資料名) and every
attached PDF / Word / Excel / CSV file is scanned for any case's identity (see
:mod:`pfdesk.services.identity_scan`). When something is found and the caller has not
said what to do, the save raises :class:`IdentityFound` with the findings, and nothing is
written; the window asks the user and saves again with an :class:`IdentityDecision`:

- ``link``: link the record to the case, so the entitlement rule governs who sees it;
- ``replace``: replace what was typed with the case code (ケース番号);
- ``keep``: keep it as typed, with a reason recorded in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.identity_scan import (
    READABLE_SUFFIXES,
    IdentityMatch,
    build_index,
    file_text,
)

#: The choices offered when an identity is found: key → label.
ACTIONS = {
    "link": "ケースと結び付ける",
    "replace": "ケース番号に置き換える",
    "keep": "このまま残す（理由を記録）",
}

#: Meeting text fields and how the question names them.
FIELD_LABELS = {
    "title": "件名", "summary": "要点筆記", "decision": "決定事項", "description": "内容",
    "progress_note": "経過", "next_plan": "次回予定", "material_title": "資料名",
    "file": "添付ファイル", "assignee_text": "担当",
}


@dataclass(frozen=True)
class IdentityFinding:
    """An identity found in one field: whose, what kind, and the text as typed."""

    field: str
    field_label: str
    case_id: int
    case_code: str  # ケース番号, or 「ケース」 for a role that may not read case numbers
    kind_label: str
    found: str


@dataclass(frozen=True)
class IdentityDecision:
    """What the user chose: ``link`` (to ``case_id``), ``replace`` or ``keep`` with a reason."""

    action: str
    reason: str = ""
    case_id: int | None = None


class IdentityFound(ValidationError):
    """Text about to be saved names a case; ``findings`` say where and whose."""

    def __init__(self, findings: list[IdentityFinding], *, linkable: bool,
                 replaceable: bool) -> None:
        first = findings[0]
        more = len(findings) - 1
        message = _("「{field}」に、ケース {code} の{kind}「{found}」が入力されています。").format(
            field=first.field_label, code=first.case_code, kind=first.kind_label,
            found=first.found)
        if more:
            message += _("（ほかに{n}か所）").format(n=more)
        super().__init__(
            message, field=first.field,
            hint=_("ケースと結び付けるか、ケース番号に置き換えるか、理由を記録してこのまま"
                   "残すかを選んでください。結び付けないまま残した個人情報は、閲覧者や"
                   "会議資料では「ケースA」のように置き換えられます。"),
        )
        self.findings = findings
        self.linkable = linkable
        self.replaceable = replaceable

    @property
    def case_ids(self) -> list[int]:
        """The cases found, in order of first mention."""
        return list(dict.fromkeys(f.case_id for f in self.findings))


@dataclass
class Screened:
    """The texts to save after the decision, and the case to link (if any)."""

    texts: dict[str, str]
    link_case_id: int | None = None
    findings: list[IdentityFinding] = field(default_factory=list)


def _findings(ctx: ServiceContext, field_name: str,
              matches: list[IdentityMatch]) -> list[IdentityFinding]:
    show = ctx.actor.can(Permission.CASE_READ)
    return [IdentityFinding(
        field=field_name, field_label=_(FIELD_LABELS.get(field_name, field_name)),
        case_id=m.case_id, case_code=m.case_number if show else _("ケース"),
        kind_label=m.kind_label, found=m.found,
    ) for m in matches]


def screen_texts(s: Session, ctx: ServiceContext, texts: dict[str, str],
                 decision: IdentityDecision | None, *, linkable: bool, target: str,
                 files: dict[str, Path] | None = None,
                 unchanged: dict[str, str] | None = None) -> Screened:
    """Scan ``texts`` (and ``files``) and apply ``decision``; IdentityFound when undecided.

    ``target`` names the record in the audit (「agenda_item:12」). Fields whose text is the
    same as in ``unchanged`` (the stored text) are not asked about again: editing another
    field of a record kept with a reason must not repeat the question.
    """
    texts = {k: clean_text(v) for k, v in texts.items()}
    before = unchanged or {}
    index = build_index(s)
    matches = {k: index.find(v) for k, v in texts.items()
               if k not in before or clean_text(before[k]) != v}
    for k, path in (files or {}).items():
        if path.suffix.lower() in READABLE_SUFFIXES:
            matches[k] = index.find(file_text(path))
    findings = [f for k, ms in matches.items() for f in _findings(ctx, k, ms)]
    if not findings:
        return Screened(texts)
    replaceable = not files
    if decision is None:
        raise IdentityFound(findings, linkable=linkable, replaceable=replaceable)
    case_ids = list(dict.fromkeys(f.case_id for f in findings))
    if decision.action == "link":
        if not linkable:
            raise ValidationError(
                _("この欄はケースと結び付けられません。"),
                hint=_("ケース番号に置き換えるか、理由を記録してこのまま残してください。"))
        chosen = decision.case_id if decision.case_id is not None else (
            case_ids[0] if len(case_ids) == 1 else None)
        if chosen is None:
            raise ValidationError(
                _("複数のケースが見つかりました。結び付けるケースを選んでください。"),
                field="case_id")
        ctx.require(Permission.CASE_READ)
        audit.record(s, ctx.actor, "meetings.identity.link", "case", [chosen],
                     target=target, fields=sorted({f.field for f in findings}))
        return Screened(texts, link_case_id=chosen, findings=findings)
    if decision.action == "replace":
        if not replaceable:
            raise ValidationError(
                _("添付ファイルの中身は置き換えられません。"),
                hint=_("ケースと結び付けるか、個人情報を消したファイルを添付し直してください。"))
        out = {}
        for k, v in texts.items():
            pieces, pos = [], 0
            for m in matches.get(k, []):
                pieces += [v[pos:m.start], m.case_number]
                pos = m.end
            out[k] = "".join(pieces) + v[pos:]
        audit.record(s, ctx.actor, "meetings.identity.replace", "case", case_ids,
                     target=target, fields=sorted({f.field for f in findings}))
        return Screened(out, findings=findings)
    if decision.action == "keep":
        reason = clean_text(decision.reason)
        if not reason:
            raise ValidationError(_("このまま残す理由を入力してください。"), field="reason")
        audit.record(s, ctx.actor, "meetings.identity.keep", "case", case_ids,
                     target=target, fields=sorted({f.field for f in findings}), reason=reason)
        return Screened(texts, findings=findings)
    raise ValidationError(_("選べるのは「結び付ける」「置き換える」「このまま残す」です。"),
                          field="action")


@service(Permission.MEETING_WRITE)
def scan_meeting_text(ctx: ServiceContext, texts: dict[str, str]) -> list[IdentityFinding]:
    """The identities found in ``texts`` (field → text), for checking before a save."""
    with ctx.session() as s:
        index = build_index(s)
        return [f for k, v in texts.items() for f in _findings(ctx, k, index.find(v))]
