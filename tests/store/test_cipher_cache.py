"""An encrypted store keeps a page cache big enough that decrypting pages does not dominate."""

from __future__ import annotations

import pytest

from pfdesk.store.engine import CIPHER_CACHE_KIB, make_engine

pytest.importorskip("sqlcipher3")


def test_encrypted_store_connections_get_the_larger_page_cache(tmp_path):
    from pfdesk.store.crypto import new_store_key

    engine = make_engine(tmp_path / "enc.sqlite3", key=new_store_key())
    plain = make_engine(tmp_path / "plain.sqlite3")
    try:
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA cache_size").scalar() == -CIPHER_CACHE_KIB
        with plain.connect() as c:  # the plain store relies on the system's file cache
            assert c.exec_driver_sql("PRAGMA cache_size").scalar() != -CIPHER_CACHE_KIB
    finally:
        engine.dispose()
        plain.dispose()
