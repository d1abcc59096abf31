"""窓口・実態把握: the answers a return asks for that no record holds, kept in settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import read_setting, write_setting

ANSWERS_KEY = "returns.answers"


@dataclass(frozen=True)
class ReturnAnswers:
    """The secretariat's answers about its 相談窓口 and 実態把握.

    The platform's 名称 and 設置年月 come from the municipality settings.
    """

    window_exists: bool = True  # ひきこもり相談窓口の有無
    window_name: str = ""  # 窓口名称
    publicity_methods: str = ""  # 周知方法 (例: 広報誌、ホームページ、チラシ)
    survey_done: bool = False  # 実態把握の実施の有無
    survey_year: str = ""  # 実施年度 (例: 令和5年度)
    survey_method: str = ""  # 方法 (例: 民生委員へのアンケート)
    survey_count: int | None = None  # 把握人数

    @classmethod
    def from_dict(cls, data: dict | None) -> ReturnAnswers:
        """Build from stored JSON, ignoring keys this version does not know."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


def load_answers(session) -> ReturnAnswers:
    """The stored answers inside an open unit of work (empty answers on a new store)."""
    return ReturnAnswers.from_dict(read_setting(session, ANSWERS_KEY, {}))


@service(Permission.STATS_READ)
def get_return_answers(ctx: ServiceContext) -> ReturnAnswers:
    """The 窓口・実態把握 answers used in returns."""
    with ctx.session() as s:
        return load_answers(s)


@service(Permission.STATS_READ)
def has_return_answers(ctx: ServiceContext) -> bool:
    """Whether the answers were ever saved (until then a return leaves their cells empty)."""
    with ctx.session() as s:
        return read_setting(s, ANSWERS_KEY) is not None


#: The answers' fields as the form labels them (what a conflict says changed).
ANSWER_LABELS = (
    ("window_exists", _("ひきこもり相談窓口がある")), ("window_name", _("窓口の名称")),
    ("publicity_methods", _("周知方法")), ("survey_done", _("実態把握を実施した")),
    ("survey_year", _("実施年度")), ("survey_method", _("方法")), ("survey_count", _("把握人数")),
)


@service(Permission.RETURN_MAKE)
def save_return_answers(ctx: ServiceContext, answers: ReturnAnswers, *,
                        seen: ReturnAnswers | None = None) -> ReturnAnswers:
    """Check and store the 窓口・実態把握 answers.

    ``seen`` is the stored answers the form showed: when another PC saved different ones
    since, nothing is written and an EditConflict says who and what changed (its
    ``current`` holds the answers as stored now, for the form's next save on top).
    """
    from pfdesk.services.edit_versions import check_shown

    if answers.window_exists and not answers.window_name.strip():
        raise ValidationError(
            _("相談窓口の名称を入力してください（窓口がない場合は「窓口あり」を外します）。"),
            field="window_name",
        )
    if answers.survey_count is not None and answers.survey_count < 0:
        raise ValidationError(_("把握人数は 0 以上の数で入力してください。"), field="survey_count")
    if answers.survey_done and not answers.survey_year.strip():
        raise ValidationError(
            _("実態把握の実施年度を入力してください（例: 令和5年度）。"), field="survey_year"
        )
    with ctx.session() as s:
        check_shown(s, ANSWERS_KEY, seen, load_answers(s), labels=ANSWER_LABELS,
                    what=_("報告の回答（窓口・実態把握）"), action="returns.answers")
        write_setting(s, ANSWERS_KEY, asdict(answers))
        audit.record(s, ctx.actor, "returns.answers", "setting", [ANSWERS_KEY])
        s.commit()
    return answers
