"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl under /tmp, on a socket.

Uses the server of the Debian packages (``apt-get install postgresql``). initdb refuses
to run as root, so under root the cluster belongs to the ``postgres`` system user
(``runuser``). Nothing listens on TCP; the superuser ``pfdesk`` logs in over the socket
without a password, every other role needs its password (scram-sha-256).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL

SUPERUSER = "pfdesk"


def server_bin() -> Path | None:
    """The folder of initdb/pg_ctl (the newest installed server), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class Cluster:
    """A running cluster: its folder (data, socket, log) and how to reach it."""

    root: Path
    bin: Path
    run_as: str | None

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> URL:
        """A pfdesk URL for ``database`` over the socket."""
        return URL.create("postgresql+psycopg", username=user, password=password,
                          database=database, query={"host": str(self.socket_dir)})

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run ``statements`` as the superuser, outside a transaction (CREATE DATABASE …)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user=SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb and start a cluster in a new folder under /tmp (raises if it cannot)."""
    bin_dir = server_bin()
    if bin_dir is None:
        raise FileNotFoundError("initdb (apt-get install postgresql)")
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="pfdesk-pg-"))
    (root / "sock").mkdir()
    if run_as:
        shutil.chown(root, run_as)
        shutil.chown(root / "sock", run_as)
    cluster = Cluster(root=root, bin=bin_dir, run_as=run_as)
    data = str(root / "data")
    cluster._run("initdb", "-D", data, "-U", SUPERUSER, "-A", "trust", "--encoding=UTF8",
                 "--locale=C.UTF-8", "--no-sync")
    hba = root / "data" / "pg_hba.conf"
    hba.write_text(f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n")
    # Durability does not matter for a cluster thrown away after the run: no fsync.
    options = (f"-k {root / 'sock'} -c listen_addresses='' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
    cluster._run("pg_ctl", "-D", data, "-o", options, "-l", str(root / "server.log"),
                 "-w", "start")
    return cluster
