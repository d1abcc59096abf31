"""アセスメント: a dated, versioned sheet per case; saving again adds a version.

Coded where the figures need codes (対象, 外出の状況, 健康, リスク, 緊急度, ニーズ), free
text elsewhere. An assessment made with the family alone (本人 not yet met) is a full
assessment: the 2025 handbook counts families as people to support. No field asks how
long the withdrawal has lasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core import support_codes as sc
from pfdesk.core.errors import EditConflict
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import last_editor, newer_version
from pfdesk.services.support._common import check_not_before_intake, masker, next_version
from pfdesk.store.models import Assessment

#: The free-text parts of the sheet, in the order the form and the sheet show them.
TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("person_situation", _("本人の状況")),
    ("family_situation", _("家族の状況")),
    ("living", _("生活状況")),
    ("health", _("健康")),
    ("social", _("社会参加の状況")),
    ("strengths", _("強み")),
    ("needs", _("ニーズ")),
    ("risk_note", _("リスク（詳細）")),
)


@dataclass(frozen=True)
class AssessmentInput:
    """What the assessment form sends."""

    assessed_on: date
    assessor: str = ""
    basis: str = "unknown"
    outing: str = "unknown"
    health_state: str = "unknown"
    risks: tuple[str, ...] = ()
    urgency: str = "unknown"
    need_codes: tuple[str, ...] = ()
    person_situation: str = ""
    family_situation: str = ""
    living: str = ""
    health: str = ""
    social: str = ""
    strengths: str = ""
    needs: str = ""
    risk_note: str = ""


@dataclass(frozen=True)
class AssessmentRow:
    """One version of the sheet as the case screen shows it (free text masked for some)."""

    id: int
    case_id: int
    version: int
    assessed_on: date
    assessor: str
    basis: str
    outing: str
    health_state: str
    risks: tuple[str, ...]
    urgency: str
    need_codes: tuple[str, ...]
    texts: tuple[tuple[str, str], ...]  # (label, text) in TEXT_FIELDS order

    @property
    def family_only(self) -> bool:
        """Made with the family alone, 本人 not yet met."""
        return self.basis == "family_only"

    @property
    def summary(self) -> str:
        """One line: 対象, 外出, 緊急度 and the risks."""
        risks = "、".join(sc.RISKS.label(k) for k in self.risks)
        return "　".join(p for p in (
            sc.ASSESSMENT_BASES.label(self.basis),
            _("外出: {o}").format(o=sc.OUTING_LEVELS.label(self.outing)),
            _("緊急度: {u}").format(u=sc.URGENCY.label(self.urgency)),
            _("リスク: {r}").format(r=risks) if risks else "",
        ) if p)


def _validate(data: AssessmentInput) -> None:
    common.check_code(sc.ASSESSMENT_BASES, data.basis, "basis")
    common.check_code(sc.OUTING_LEVELS, data.outing, "outing")
    common.check_code(sc.HEALTH_STATES, data.health_state, "health_state")
    common.check_code(sc.URGENCY, data.urgency, "urgency")
    for key in data.risks:
        common.check_code(sc.RISKS, key, "risks")
    for key in data.need_codes:
        common.check_code(codes.TOPICS, key, "need_codes")


def _row(a: Assessment, mask) -> AssessmentRow:
    return AssessmentRow(
        id=a.id, case_id=a.case_id, version=a.version, assessed_on=a.assessed_on,
        assessor=a.assessor, basis=a.basis, outing=a.outing, health_state=a.health_state,
        risks=common.loads_codes(a.risks_json), urgency=a.urgency,
        need_codes=common.loads_codes(a.needs_json),
        texts=tuple((label, mask(getattr(a, key))) for key, label in TEXT_FIELDS),
    )


def _conflict(s, actor, case, newest: int) -> EditConflict:
    """An assessment version saved elsewhere after the form was opened, as an EditConflict."""
    a = s.scalar(select(Assessment).where(Assessment.case_id == case.id,
                                          Assessment.version == newest))
    row = _row(a, masker(actor))
    who = last_editor(s, ("support.assessment.record",), case.id)
    changed = ((_("実施日"), format_date(row.assessed_on)), (_("記入者"), row.assessor),
               (_("区分"), row.summary)) + tuple((label, text) for label, text in row.texts if text)
    return newer_version(case.case_number, _("アセスメント"), newest, who, changed, row)


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def record_assessment(ctx: ServiceContext, case_id: int, data: AssessmentInput, *,
                      seen_version: int | None = None) -> AssessmentRow:
    """Save a new version of the case's assessment (earlier versions stay as they were).

    ``seen_version`` is the newest version when the form was opened (0: none yet). When
    another PC saved a version since, nothing is saved and an EditConflict shows that
    version (its ``current``), as for 支援計画: a new version never supersedes one unread.
    """
    _validate(data)
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        newest = next_version(s, Assessment, case.id) - 1
        if seen_version is not None and newest != seen_version:
            raise _conflict(s, ctx.actor, case, newest)
        check_not_before_intake(case, data.assessed_on, "assessed_on", _("実施日"))
        a = Assessment(
            case_id=case.id, version=next_version(s, Assessment, case.id),
            assessed_on=data.assessed_on, assessor=clean_text(data.assessor),
            basis=data.basis, outing=data.outing, health_state=data.health_state,
            risks_json=common.dumps_codes(data.risks), urgency=data.urgency,
            needs_json=common.dumps_codes(data.need_codes), created_by=ctx.actor.display_name,
            **{key: (getattr(data, key) or "").strip() for key, _label in TEXT_FIELDS},
        )
        s.add(a)
        s.flush()
        audit.record(s, ctx.actor, "support.assessment.record", "case", [case.id],
                     case_number=case.case_number, version=a.version)
        s.commit()
        return _row(a, masker(ctx.actor))


@service(Permission.CASE_READ)
def list_assessments(ctx: ServiceContext, case_id: int) -> list[AssessmentRow]:
    """Every version of the case's assessment, newest first."""
    mask = masker(ctx.actor)
    with ctx.session() as s:
        common.load_case(s, case_id)
        rows = s.scalars(select(Assessment).where(Assessment.case_id == case_id)
                         .order_by(Assessment.version.desc())).all()
        return [_row(a, mask) for a in rows]
