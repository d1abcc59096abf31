"""設定 tidies the secretariat's phone and FAX as the directory tidies a person's."""

from __future__ import annotations

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.services.settings import Municipality, get_municipality, save_municipality


def test_the_secretariats_numbers_are_tidied_like_the_directorys(ctx):
    save_municipality(ctx, Municipality(name="みどり川町", secretariat="保健福祉課",
                                        phone="０８８７（２２）１２３４", fax="0887 22 1235"))
    saved = get_municipality(ctx)
    assert (saved.phone, saved.fax) == ("0887-22-1234", "0887-22-1235")
    with pytest.raises(ValidationError) as e:
        save_municipality(ctx, Municipality(name="みどり川町", secretariat="保健福祉課",
                                            fax="内線なし"))
    assert e.value.field == "fax"
