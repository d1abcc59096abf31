"""Demo step: the fictional town みどり川町 of 東雲県, its platform and secretariat."""

from __future__ import annotations

from dataclasses import asdict

from pfdesk.services.returns.answers import ANSWERS_KEY, ReturnAnswers
from pfdesk.services.settings import MUNICIPALITY_KEY, Municipality, write_setting

TOWN = Municipality(
    prefecture="東雲県",
    name="みどり川町",
    platform_name="みどり川町ひきこもり支援ネットワーク",
    platform_established="2021-04",
    secretariat="保健福祉課",
    sender="みどり川町長　川原　正道",
    contact_person="保健福祉課 地域福祉係　森野",
    phone="0889-52-0123",
    fax="0889-52-0199",
    email="hokenfukushi@town.midorikawa.example.jp",
    postal_code="781-2199",
    address="東雲県みどり川町本町一丁目1番地",
    doc_number_prefix="み保福",
)

#: What the secretariat answers about its 相談窓口 and 実態把握 in returns.
ANSWERS = ReturnAnswers(
    window_exists=True,
    window_name="みどり川町ひきこもり相談窓口（保健福祉課 地域福祉係）",
    publicity_methods="広報みどりかわ、町ホームページ、チラシ（公共施設・医療機関に配架）",
    survey_done=True,
    survey_year="令和5年度",
    survey_method="民生委員・児童委員へのアンケート調査",
    survey_count=48,
)

#: Population shown on the home page and in returns (fictional).
POPULATION = 21_480


def generate(demo) -> None:
    """Store the town's settings."""
    write_setting(demo.session, MUNICIPALITY_KEY, asdict(TOWN))
    write_setting(demo.session, ANSWERS_KEY, asdict(ANSWERS))
    write_setting(demo.session, "demo", {"population": POPULATION, "today": str(demo.today)})
    demo.shared["town"] = TOWN
