"""Pausing Python's cycle collector while a file is imported.

An import makes tens of thousands of small objects (rows, records, parameter tuples) and
none of them in cycles; each few hundred allocations start a collection, and the older
generations' collections walk every object the process holds (SQLAlchemy's, the
window's): about 15 % of an import's time. Reference counting still frees everything
meanwhile; a cycle made during the pause is collected after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block without cycle collections; the collector is on again after it.

    Left off if it was off already (another caller's pause, or the process's choice).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
