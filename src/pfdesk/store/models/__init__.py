"""All tables, imported so that ``Base.metadata`` knows them."""

from pfdesk.store.models.area_issues import AreaIssueTag
from pfdesk.store.models.base import Base, utcnow
from pfdesk.store.models.consultations import (
    Case,
    CaseStatusChange,
    Consent,
    ConsentOrganization,
    Contact,
    Referral,
)
from pfdesk.store.models.directory import Body, BodyMembership, Organization, Person, Post
from pfdesk.store.models.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Material,
    Meeting,
)
from pfdesk.store.models.people import CaseClient, Client
from pfdesk.store.models.progress import CaseFinding
from pfdesk.store.models.shared_files import AttachmentBlob
from pfdesk.store.models.support import (
    Assessment,
    GoalEvaluation,
    PlanAction,
    PlanGoal,
    PlanReview,
    SupportPlan,
)
from pfdesk.store.models.survey import Survey, SurveyPerson, SurveyRespondent
from pfdesk.store.models.system import (
    AuditEvent,
    AuditSeal,
    DocumentNumber,
    Draft,
    ExtraHoliday,
    ReturnSnapshot,
    SerialCounter,
    Setting,
    UserAccount,
)

__all__ = [
    "ActionItem", "AgendaItem", "AreaIssueTag", "AttachmentBlob", "Assessment", "GoalEvaluation", "PlanAction", "PlanGoal",
    "PlanReview", "SupportPlan", "Attendance", "AuditEvent", "AuditSeal", "Base", "Body", "BodyMembership",
    "Case", "CaseClient", "CaseFinding", "CaseStatusChange", "Client", "Consent", "ConsentOrganization", "Contact", "Decision",
    "DocumentNumber", "Draft", "ExtraHoliday", "Material", "Meeting", "Organization", "Person",
    "Post", "Referral", "ReturnSnapshot", "SerialCounter", "Setting", "Survey", "SurveyPerson",
    "SurveyRespondent", "UserAccount", "utcnow",
]


def _keep_birth_month(target, value, _old, _initiator):
    """Every set birth date also sets its year and month (``birth_ym``), which stay plain."""
    target.birth_ym = value.strftime("%Y-%m") if value else ""
    return value


def _listen() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from pfdesk.store import vault

    for model in (Case, Client):
        event.listen(model.birth_date, "set", _keep_birth_month, retval=True)
    # Case items of closed meetings are sealed like identities (store.vault).
    event.listen(Session, "before_flush", vault.seal_case_content)
    event.listen(Session, "after_flush_postexec", vault.restore_plain)


_listen()
