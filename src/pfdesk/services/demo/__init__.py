"""The demo town: a deterministic fictional platform that looks real to a municipal worker.

Each area adds its own records in a step module (``town``, ``directory``,
``consultations``, ``meetings`` …), run in order on one transaction. The
generator writes models directly for speed; ``scale`` multiplies volume.
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.paths import DataPaths
from pfdesk.store.engine import Store, open_store
from pfdesk.store.models import Base

log = logging.getLogger(__name__)

#: The demo's "today": fixed so the demo is the same on every machine and day.
DEMO_TODAY = date(2026, 11, 26)
DEMO_SEED = 20261126

#: Step modules in the order they run; each has ``generate(demo: DemoBuild) -> None``.
STEPS: tuple[str, ...] = ("town", "directory", "accounts", "consultations", "meetings",
                         "survey", "support")


@dataclass
class DemoBuild:
    """What a step gets: the session, a seeded RNG, the scale, the demo's today, shared ids."""

    session: Session
    rng: random.Random
    scale: int
    today: date
    shared: dict = field(default_factory=dict)


@dataclass
class DemoSummary:
    """Row counts per table after the build, and how long it took."""

    counts: dict[str, int]
    seconds: float


def is_empty(store: Store) -> bool:
    """Whether the store holds no settings or records yet."""
    from pfdesk.store.models import Setting

    with store.session() as s:
        return not s.scalar(select(func.count()).select_from(Setting))


def build_demo(
    store: Store,
    *,
    scale: int = 1,
    seed: int = DEMO_SEED,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill an empty store with the demo town. Refuses a store that already has data."""
    from pfdesk.core.errors import StoreError
    from pfdesk.core.i18n import _

    if not is_empty(store):
        raise StoreError(
            _("デモデータは空のデータフォルダにしか作成できません。"),
            where=str(store.paths.root),
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    with store.session() as s:
        demo = DemoBuild(session=s, rng=rng, scale=max(1, scale), today=DEMO_TODAY)
        for name in STEPS:
            if progress:
                progress(name)
            module = importlib.import_module(f"pfdesk.services.demo.{name}")
            module.generate(demo)
            s.flush()
        s.commit()
        counts = {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }
    return DemoSummary(counts=counts, seconds=time.perf_counter() - started)


def open_demo_store(paths: DataPaths, *, scale: int = 1) -> Store:
    """Open the demo folder's store, building the town on first use."""
    store = open_store(paths, is_demo=True)
    if is_empty(store):
        log.info("building the demo town in %s", paths.root)
        build_demo(store, scale=scale)
    return store
