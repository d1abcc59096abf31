"""One pfdesk per user and data folder: a second start brings the running window forward."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to this user and data folder."""
    key = f"{getpass.getuser()}|{data_dir.resolve()}".encode()
    return "pfdesk-" + hashlib.sha256(key).hexdigest()[:24]


class SingleInstance(QObject):
    """Listens for later starts; ``activated`` fires when one asks us to come forward."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 500) -> bool:
        """If another pfdesk owns this folder, ask it to come forward and return True."""
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(b"activate\n")
        sock.waitForBytesWritten(timeout_ms)
        sock.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the running instance (removing a stale socket left by a crash)."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (conn := self._server.nextPendingConnection()) is not None:
            conn.readyRead.connect(lambda c=conn: self._read(c))

    def _read(self, conn: QLocalSocket) -> None:
        if b"activate" in bytes(conn.readAll().data()):
            self.activated.emit()
        conn.disconnectFromServer()
