"""A power cut simulated from a syscall trace: only the bytes a program fsync'd survive.

A real pfdesk process saves cases under ``strace``, printing ``confirmed <number>``
after each save returns. The trace is replayed on a model of the disk in which a
file's contents survive only up to its last ``fsync``/``fdatasync`` and a name
(create, rename, unlink) only once its folder was fsync'd — the strict POSIX
reading of what a power cut may keep. For a cut after any syscall, the data folder
is rebuilt from what would have survived, opened with pfdesk, and checked: every
save confirmed before the cut is there, and ``audit verify`` raises no false alarm.

Usable from the tests and as a script: ``python -m tests.reliability.powercut``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

O_CREAT, O_TRUNC, O_APPEND, O_DIRECTORY = 0o100, 0o1000, 0o2000, 0o200000

WORKLOAD = textwrap.dedent("""
    import sys
    from datetime import date
    from pathlib import Path

    from pfdesk.paths import DataPaths
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store import engine

    root, count, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode != "FULL":  # the weaker setting, to show what the simulation catches
        plain = engine._set_pragmas

        def weaker(conn, record):
            plain(conn, record)
            conn.execute(f"PRAGMA synchronous={mode}")

        engine._set_pragmas = weaker
    store = engine.open_store(DataPaths(root))
    ctx = ServiceContext(store=store, actor=Actor.local_admin())
    for i in range(count):
        case = cases.create_case(ctx, CaseInput(intake_date=date(2026, 6, 1),
                                                family_name="停電", given_name=str(i)))
        sys.stdout.write(f"confirmed {case.case_number}\\n")
        sys.stdout.flush()
    # No close: the power goes out while pfdesk is still running.
    import os
    os._exit(0)
""")

TRACED = ("openat,open,creat,close,write,pwrite64,ftruncate,lseek,fsync,fdatasync,"
          "rename,renameat,renameat2,unlink,unlinkat,dup,dup2,dup3,fcntl")

_LINE = re.compile(r"^(\w+)\((.*)\)\s+=\s+(-?\d+|0x[0-9a-f]+|\?)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unescape(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            n = text[i + 1]
            if n == "x":
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
            out += {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", '"': b'"',
                    "v": b"\v", "f": b"\f", "0": b"\0"}.get(n, n.encode())
            i += 2
            continue
        out += c.encode()
        i += 1
    return bytes(out)


@dataclass
class Call:
    """One traced syscall: its name, raw argument text, result and strings."""

    name: str
    args: str
    result: int
    strings: list[bytes]

    def ints(self) -> list[str]:
        """The comma-separated arguments with the strings taken out."""
        return [a.strip() for a in _STRING.sub('""', self.args).split(",")]


def parse(trace: str) -> list[Call]:
    """The completed calls of an ``strace -xx`` trace, in order."""
    calls = []
    for line in trace.splitlines():
        m = _LINE.match(line)
        if not m or m.group(3) == "?":
            continue
        result = int(m.group(3), 0)
        strings = [_unescape(s) for s in _STRING.findall(m.group(2))]
        calls.append(Call(m.group(1), m.group(2), result, strings))
    return calls


@dataclass
class Disk:
    """What programs see (``names``/``data``) and what a power cut keeps (``kept_*``)."""

    root: Path
    names: dict[str, int] = field(default_factory=dict)  # path -> inode
    data: dict[int, bytearray] = field(default_factory=dict)
    kept_names: dict[str, int] = field(default_factory=dict)
    kept_data: dict[int, bytes] = field(default_factory=dict)
    fds: dict[int, tuple[str, int | None, int]] = field(default_factory=dict)  # path, inode, flags
    pos: dict[int, int] = field(default_factory=dict)
    _next: int = 1

    @classmethod
    def from_folder(cls, root: Path) -> Disk:
        """A disk whose whole present content is durable (the state before the workload)."""
        disk = cls(root)
        for p in sorted(root.rglob("*")):
            if p.is_file():
                ino = disk._new_inode(p.read_bytes())
                disk.names[str(p)] = ino
        disk.kept_names = dict(disk.names)
        disk.kept_data = {i: bytes(b) for i, b in disk.data.items()}
        return disk

    def _new_inode(self, content: bytes = b"") -> int:
        ino, self._next = self._next, self._next + 1
        self.data[ino] = bytearray(content)
        return ino

    def _ours(self, path: str) -> bool:
        return path == str(self.root) or path.startswith(str(self.root) + os.sep)

    def apply(self, c: Call, cwd: Path) -> None:
        """Play one syscall on the model."""
        handler = getattr(self, f"_{c.name}", None)
        if handler is not None and c.result >= 0:
            handler(c, cwd)

    def _path(self, raw: bytes, cwd: Path) -> str:
        p = Path(os.fsdecode(raw))
        return os.path.normpath(p if p.is_absolute() else cwd / p)

    def _openat(self, c: Call, cwd: Path) -> None:
        path = self._path(c.strings[0], cwd)
        if not self._ours(path):
            return
        flags_text = c.ints()[2] if c.name == "openat" else c.ints()[1]
        flags = 0
        for word, bit in (("O_CREAT", O_CREAT), ("O_TRUNC", O_TRUNC), ("O_APPEND", O_APPEND),
                          ("O_DIRECTORY", O_DIRECTORY)):
            if word in flags_text:
                flags |= bit
        if flags & O_DIRECTORY or Path(path).is_dir() and path not in self.names:
            self.fds[c.result] = (path, None, O_DIRECTORY)
            return
        ino = self.names.get(path)
        if ino is None:
            if not flags & O_CREAT:
                return
            ino = self._new_inode()
            self.names[path] = ino
        if flags & O_TRUNC:
            self.data[ino] = bytearray()
        self.fds[c.result] = (path, ino, flags)
        self.pos[c.result] = 0

    _open = _openat

    def _write_at(self, fd: int, data: bytes, offset: int) -> None:
        _path, ino, _flags = self.fds[fd]
        assert ino is not None
        buf = self.data[ino]
        if len(buf) < offset:
            buf.extend(b"\0" * (offset - len(buf)))
        buf[offset:offset + len(data)] = data

    def _write(self, c: Call, cwd: Path) -> None:
        fd = int(c.ints()[0])
        if fd not in self.fds or self.fds[fd][1] is None:
            return
        ino, flags = self.fds[fd][1], self.fds[fd][2]
        assert ino is not None
        offset = len(self.data[ino]) if flags & O_APPEND else self.pos[fd]
        self._write_at(fd, c.strings[0][: c.result], offset)
        self.pos[fd] = offset + c.result

    def _pwrite64(self, c: Call, cwd: Path) -> None:
        fd = int(c.ints()[0])
        if fd in self.fds and self.fds[fd][1] is not None:
            self._write_at(fd, c.strings[0][: c.result], int(c.ints()[-1]))

    def _lseek(self, c: Call, cwd: Path) -> None:
        fd = int(c.ints()[0])
        if fd in self.pos:
            self.pos[fd] = c.result

    def _ftruncate(self, c: Call, cwd: Path) -> None:
        fd, size = int(c.ints()[0]), int(c.ints()[1])
        if fd in self.fds and self.fds[fd][1] is not None:
            ino = self.fds[fd][1]
            assert ino is not None
            del self.data[ino][size:]
            self.data[ino].extend(b"\0" * (size - len(self.data[ino])))

    def _fsync(self, c: Call, cwd: Path) -> None:
        fd = int(c.ints()[0])
        if fd not in self.fds:
            return
        path, ino, _flags = self.fds[fd]
        if ino is not None:
            self.kept_data[ino] = bytes(self.data[ino])
            return
        # A folder: the names in it now are what survives.
        inside = [n for n in {*self.names, *self.kept_names} if os.path.dirname(n) == path]
        for n in inside:
            if n in self.names:
                self.kept_names[n] = self.names[n]
            else:
                self.kept_names.pop(n, None)

    _fdatasync = _fsync

    def _close(self, c: Call, cwd: Path) -> None:
        fd = int(c.ints()[0])
        self.fds.pop(fd, None)
        self.pos.pop(fd, None)

    def _dup_to(self, old: int, new: int) -> None:
        if old in self.fds:
            self.fds[new] = self.fds[old]
            self.pos[new] = self.pos.get(old, 0)

    def _dup(self, c: Call, cwd: Path) -> None:
        self._dup_to(int(c.ints()[0]), c.result)

    _dup2 = _dup3 = _dup

    def _fcntl(self, c: Call, cwd: Path) -> None:
        if "F_DUPFD" in c.args:
            self._dup_to(int(c.ints()[0]), c.result)

    def _rename(self, c: Call, cwd: Path) -> None:
        old, new = (self._path(s, cwd) for s in c.strings[:2])
        if old in self.names and self._ours(new):
            self.names[new] = self.names.pop(old)

    _renameat = _renameat2 = _rename

    def _unlink(self, c: Call, cwd: Path) -> None:
        self.names.pop(self._path(c.strings[0], cwd), None)

    _unlinkat = _unlink

    def write_survivors(self, dest: Path) -> None:
        """Lay out in ``dest`` what a power cut now would leave of the folder."""
        for name, ino in self.kept_names.items():
            rel = Path(name).relative_to(self.root)
            if rel.name.endswith("-shm"):
                continue  # shared memory, rebuilt by SQLite from the WAL
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.kept_data.get(ino, b""))


@dataclass
class Outcome:
    """One simulated cut: what was confirmed, what survived, whether verify complained."""

    cut: int
    confirmed: list[str]
    lost: list[str]
    opened: bool
    false_alarm: bool
    problem: str = ""


def trace_workload(root: Path, count: int, mode: str, work: Path) -> list[Call]:
    """Run ``count`` saves on the store in ``root`` under strace; the calls in order."""
    work.mkdir(parents=True, exist_ok=True)
    script = work / "workload.py"
    script.write_text(WORKLOAD, encoding="utf-8")
    trace = work / "trace.txt"
    env = dict(os.environ)
    env.pop("PFDESK_DATA_DIR", None)
    subprocess.run(["strace", "-qq", "-xx", "-s", "2000000", "-o", str(trace), "-e",
                    f"trace={TRACED}", "-e", "signal=none", sys.executable, str(script),
                    str(root), str(count), mode],
                   check=True, cwd=work, env=env, capture_output=True, timeout=600)
    return parse(trace.read_text(encoding="latin-1"))


def simulate(root: Path, *, count: int = 20, mode: str = "FULL", cuts: int = 40,
             work: Path | None = None) -> list[Outcome]:
    """Trace ``count`` saves on the store in ``root``, then cut the power at ``cuts`` points."""
    from pfdesk.paths import DataPaths
    from pfdesk.services.audit_log import verify_audit
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store.engine import open_store
    from pfdesk.store.models import Case

    work = Path(work or tempfile.mkdtemp(prefix="pfdesk-powercut-"))
    disk = Disk.from_folder(root)  # strace starts before the store opens
    calls = trace_workload(root, count, mode, work)
    syncs = [i for i, c in enumerate(calls) if c.name in ("fsync", "fdatasync")]
    # Cut just before and just after each sync, and at even steps in between.
    step = max(1, len(calls) // cuts)
    points = sorted({*range(0, len(calls) + 1, step), *syncs, *(i + 1 for i in syncs)})
    if len(points) > cuts:
        points = points[:: max(1, len(points) // cuts)] + [len(calls)]
    outcomes = []
    done = 0
    confirmed: list[str] = []
    for cut in sorted(set(points)):
        while done < cut:
            c = calls[done]
            if c.name == "write" and c.ints()[0] == "1":
                confirmed += [ln.split()[1] for ln in c.strings[0].decode().splitlines()
                              if ln.startswith("confirmed ")]
            disk.apply(c, work)
            done += 1
        after = work / f"cut-{cut}"
        disk.write_survivors(after)
        paths = DataPaths(after)
        try:
            store = open_store(paths)
        except Exception as e:  # noqa: BLE001 - the outcome records what went wrong
            outcomes.append(Outcome(cut, list(confirmed), list(confirmed), False, False, str(e)))
            shutil.rmtree(after)
            continue
        try:
            ctx = ServiceContext(store=store, actor=Actor.local_admin())
            with ctx.session() as s:
                have = {n for (n,) in s.query(Case.case_number)}
            result = verify_audit(ctx)
        finally:
            store.close()
        lost = [n for n in confirmed if n not in have]
        outcomes.append(Outcome(cut, list(confirmed), lost, True, not result.ok,
                                "" if result.ok else result.message()))
        shutil.rmtree(after)
    return outcomes


def main() -> int:
    """Run the simulation on a fresh store and print the tally (``--normal`` for the weak setting)."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.engine import open_store

    mode = "NORMAL" if "--normal" in sys.argv else "FULL"
    trials = int(next((a.split("=")[1] for a in sys.argv if a.startswith("--trials=")), "5"))
    lost = alarms = cuts = 0
    for _ in range(trials):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "data"
            open_store(DataPaths(root)).close()
            for o in simulate(root, mode=mode, work=Path(tmp) / "work"):
                cuts += 1
                lost += len(o.lost)
                alarms += o.false_alarm
    print(f"synchronous={mode}: {trials} trials, {cuts} cuts, {lost} confirmed saves lost, "
          f"{alarms} false tamper alarms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
