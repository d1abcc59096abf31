"""A store at the newest schema opens without loading alembic.

Older and newer stores still go through alembic: ``test_migrations.py`` upgrades each
released schema's sample and refuses a newer store.
"""

from __future__ import annotations

import subprocess
import sys

from pfdesk.store.engine import open_store
from pfdesk.store.migrate import declared_heads, script_heads

_OPEN = """
import sys
from pathlib import Path
from pfdesk.paths import DataPaths
from pfdesk.store.engine import open_store
store = open_store(DataPaths(Path(sys.argv[1])))
store.close()
print(sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic.")))
"""


def test_the_heads_read_from_the_scripts_are_alembics():
    assert declared_heads() == script_heads()


def test_a_current_store_opens_without_alembic(data_paths):
    open_store(data_paths).close()  # created and upgraded: alembic is needed here
    done = subprocess.run([sys.executable, "-c", _OPEN, str(data_paths.root)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

