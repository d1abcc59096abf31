"""gc_paused: the cycle collector off for a block, and on again after it."""

from __future__ import annotations

import gc

import pytest

from pfdesk.core.gc_pause import gc_paused


def test_the_collector_is_back_on_after_the_block_even_when_it_fails(collector_on):
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
