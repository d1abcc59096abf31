"""Demo step: the fictional town みどり川町 of 東雲県, its platform and secretariat."""

from __future__ import annotations

from dataclasses import asdict

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

#: Population shown on the home page and in returns (fictional).
POPULATION = 21_480


def generate(demo) -> None:
    """Store the town's settings."""
    write_setting(demo.session, MUNICIPALITY_KEY, asdict(TOWN))
    write_setting(demo.session, "demo", {"population": POPULATION, "today": str(demo.today)})
    demo.shared["town"] = TOWN
