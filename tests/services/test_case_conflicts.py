"""Two PCs editing the same case: the later save from an older form is refused, not lost.

The message names who saved and what changed; nothing of the refused save is written;
saving again (on top of the case as it is now) stores the user's text. Each PC is its
own open store on the same data (tests/postgres runs this on a server too).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pfdesk.core.errors import EditConflict
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import ServiceContext

FORM = CaseInput(intake_date=date(2026, 5, 1), family_name="高橋", given_name="翔太",
                 family_kana="タカハシ", given_kana="ショウタ", lead_staff="森野",
                 route="school", chief_complaint="自室から出られない")


def _input(detail) -> CaseInput:
    return replace(FORM, chief_complaint=detail.chief_complaint, lead_staff=detail.lead_staff)


def test_the_second_save_of_a_stale_form_is_refused_and_says_what_changed(ctx, second_store):
    pc2 = ServiceContext(store=second_store, actor=ctx.actor)
    made = cases.create_case(ctx, FORM)
    on_pc1 = cases.get_case(ctx, made.id)
    on_pc2 = cases.get_case(pc2, made.id)

    saved = cases.update_case(ctx, made.id, replace(FORM, lead_staff="川口",
                                                    chief_complaint="昼夜逆転が続いている"),
                              seen=on_pc1)
    assert saved.version == on_pc1.version + 1

    typed_on_pc2 = replace(FORM, policy="居場所の見学に誘う")
    with pytest.raises(EditConflict) as caught:
        cases.update_case(pc2, made.id, typed_on_pc2, seen=on_pc2)
    text = caught.value.user_text()
    assert "ほかのパソコンか画面で保存されています" in text and "admin" in text
    assert "主担当: 川口" in text and "主訴: 昼夜逆転が続いている" in text
    assert "支援方針" not in text  # only what the other save changed
    assert "もう一度「保存」を押すと" in text
    assert dict(caught.value.changed)["主担当"] == "川口"

    now = cases.get_case(ctx, made.id)  # nothing of PC2's save was written
    assert now.lead_staff == "川口" and now.policy == ""

    again = cases.update_case(pc2, made.id, typed_on_pc2, seen=caught.value.current)
    assert again.policy == "居場所の見学に誘う"  # the kept text, saved knowingly
    assert again.version == now.version + 1


def test_saves_from_fresh_forms_never_conflict(ctx, second_store):
    pc2 = ServiceContext(store=second_store, actor=ctx.actor)
    made = cases.create_case(ctx, FORM)
    first = cases.update_case(ctx, made.id, replace(FORM, goal="月1回の面談"),
                              seen=cases.get_case(ctx, made.id))
    second = cases.update_case(pc2, made.id, replace(FORM, goal="居場所に通う"),
                               seen=cases.get_case(pc2, made.id))
    assert (first.version, second.version) == (2, 3)
    assert cases.get_case(ctx, made.id).goal == "居場所に通う"


def test_a_stale_contact_correction_is_refused_and_the_text_kept(ctx, second_store):
    from datetime import datetime

    from pfdesk.services.consultations import contacts

    pc2 = ServiceContext(store=second_store, actor=ctx.actor)
    made = cases.create_case(ctx, FORM)
    entry = contacts.ContactInput(occurred_at=datetime(2026, 5, 2, 10), body="母から電話")
    added = contacts.add_contact(ctx, made.id, entry)
    on_pc1 = contacts.list_contacts(ctx, made.id)[0]
    on_pc2 = contacts.list_contacts(pc2, made.id)[0]
    assert on_pc1.version == on_pc2.version == added.version == 1

    contacts.update_contact(ctx, added.id, replace(entry, next_plan="来週訪問"), seen=on_pc1)
    typed = replace(entry, body="母から電話。本人は同席せず")
    with pytest.raises(EditConflict) as caught:
        contacts.update_contact(pc2, added.id, typed, seen=on_pc2)
    assert "経過記録（2026/05/02 10:00）" in caught.value.message
    assert "次回予定: 来週訪問" in caught.value.message
    assert contacts.list_contacts(ctx, made.id)[0].body == "母から電話"  # nothing written
    saved = contacts.update_contact(pc2, added.id, typed, seen=caught.value.current)
    assert saved.body == "母から電話。本人は同席せず" and saved.version == 3
