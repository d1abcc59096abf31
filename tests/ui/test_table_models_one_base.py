"""Every table of the window is built on the one base (ColumnsModel + Column)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, Qt

import pfdesk.ui
from pfdesk.ui.consultations.models import ListModel, consent_model, timeline_model
from pfdesk.ui.security.table import RowsModel as ValuesModel
from pfdesk.ui.survey.models import SurveysModel
from pfdesk.ui.table_model import SORT_ROLE, ColumnsModel


def _item_models() -> dict[str, type]:
    """Every item model class defined in a module of pfdesk.ui (proxies excepted)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(pfdesk.ui.__path__, "pfdesk.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (cls.__module__ == info.name and issubclass(cls, QAbstractItemModel)
                    and not issubclass(cls, QAbstractProxyModel)):
                found[f"{info.name}.{name}"] = cls
    return found


def test_every_table_model_of_the_ui_derives_from_the_one_base():
    models = _item_models()
    # The walk reaches every area (a walk that found nothing would prove nothing).
    for expected in ("pfdesk.ui.consultations.models.CaseTableModel",
                     "pfdesk.ui.directory.models.PeopleModel",
                     "pfdesk.ui.meetings.models.MeetingTableModel",
                     "pfdesk.ui.progress.models.LedgerModel",
                     "pfdesk.ui.returns.models.DiffModel",
                     "pfdesk.ui.security.table.RowsModel",
                     "pfdesk.ui.survey.models.RespondentsModel",
                     "pfdesk.ui.value_mapping.ValueTableModel"):
        assert expected in models, expected
    bypassing = sorted(name for name, cls in models.items()
                       if cls is not ColumnsModel and not issubclass(cls, ColumnsModel))
    assert bypassing == []


@dataclass(frozen=True)
class _Consent:
    id: int
    given_on: date
    method: str
    scope_text: str
    withdrawn_on: date | None
    note: str
    voided: bool
    void_reason: str = ""


def test_a_voided_record_is_grey_with_its_reason_as_tooltip(qtmodeltester):
    model = consent_model()
    assert isinstance(model, ListModel)
    model.set_rows([_Consent(1, date(2026, 5, 1), "written", "全機関", None, "", False),
                    _Consent(2, date(2026, 5, 2), "oral", "全機関", None, "", True, "重複入力")])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "重複入力" in model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, 0).data().endswith("（取消）")


@dataclass(frozen=True)
class _Survey:
    fiscal_year: int
    fiscal_year_label: str
    title: str
    deadline: date | None
    answered: int
    respondents: int
    response_rate: float
    known_total: int


def test_survey_counts_are_right_aligned_and_sort_as_numbers(qtmodeltester):
    model = SurveysModel()
    model.set_rows([_Survey(2026, "令和8年度", "民生委員調査", None, 12, 40, 30.0, 105)])
    qtmodeltester.check(model)
    assert model.index(0, 3).data() == "12/40"
    assert model.index(0, 3).data(SORT_ROLE) == 12
    assert model.index(0, 5).data(SORT_ROLE) == 105
    assert model.index(0, 5).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert not (model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
                & Qt.AlignmentFlag.AlignRight)


@dataclass(frozen=True)
class _Entry:
    id: int
    at: datetime


def test_security_tables_show_numbers_right_and_sort_them_natively(qtmodeltester):
    model = ValuesModel([("番号", lambda e: e.id), ("日時", lambda e: e.at)])
    model.set_rows([_Entry(9, datetime(2026, 4, 1, 9, 30)), _Entry(10, datetime(2026, 4, 2))])
    qtmodeltester.check(model)
    assert model.index(1, 0).data(SORT_ROLE) == 10  # 10 after 9, not "10" before "9"
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 1).data() == "2026-04-01 09:30"


def test_the_timeline_is_a_columns_model_with_its_headers(qtmodeltester):
    model = timeline_model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["日付", "種類", "できごと", "内容"]
    qtmodeltester.check(model)
