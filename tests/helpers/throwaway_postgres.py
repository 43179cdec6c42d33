"""A private PostgreSQL server for tests that stop and restart it (never the shared one).

``initdb`` into a temporary folder, its own free port on 127.0.0.1, its socket in that folder.
The ``postgres`` superuser is trusted from 127.0.0.1 (setting up needs no password); every
other login must give its password (scram-sha-256), as on a real server. Run as root (CI, this
machine), the server runs as the ``postgres`` system user, which PostgreSQL requires.

``ssl=True`` serves TLS with a certificate for localhost/127.0.0.1 signed by a throwaway
certificate authority; ``server.ca_file`` is what a client must be given to verify it.

    with ThrowawayPostgres.start() as server:
        url = server.url("postgres", database="postgres")
        server.restart()
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import auth, teams, users
from deskapp.services.workspace import open_workspace
from tests.helpers.certificates import CertificateFiles, can_make_certificates, make_certificates

SUPERUSER = "postgres"
_START_TIMEOUT_SECONDS = 60


def postgres_bin_dir() -> Path | None:
    """Debian's versioned server binaries (pg_ctl is not on PATH there), else whatever is."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cannot_run(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail where server tests must run (CI)."""
    if os.environ.get("DESKAPP_REQUIRE_SERVERS") == "1":
        pytest.fail(f"throwaway server tests must run here: {reason}")
    pytest.skip(reason)


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path, folder: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = port
        self.certificates: CertificateFiles | None = None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    @contextmanager
    def start(cls, *, ssl: bool = False) -> Iterator[ThrowawayPostgres]:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            cannot_run("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
        if ssl and not can_make_certificates():
            cannot_run("neither the cryptography package nor openssl to make a certificate")
        # Not pytest's tmp_path: its folders are private to root, and the server runs as
        # the postgres user.
        folder = Path(tempfile.mkdtemp(prefix="deskapp-throwaway-pg-"))
        server = cls(bin_dir, folder, free_port())
        try:
            server._init()
            if ssl:
                server._serve_tls()
            server._pg_ctl("start")
            yield server
        finally:
            server._stop_and_remove()

    def restart(self) -> None:
        """A fast restart: open sessions are terminated, as when an admin restarts a server."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def start_again(self) -> None:
        self._pg_ctl("start")

    def ensure_running(self) -> None:
        """After a test that stopped the server and failed before starting it again."""
        if not (self.data / "postmaster.pid").exists():
            self.start_again()

    # ------------------------------------------------------------------ addresses
    @property
    def ca_file(self) -> Path:
        """The certificate authority that signed this server's certificate (``ssl=True``)."""
        if self.certificates is None:
            raise RuntimeError("this server was started without ssl=True")
        return self.certificates.ca_cert

    def url(self, username: str, database: str = "postgres") -> URL:
        return parse_db_url(f"postgresql://{username}@127.0.0.1:{self.port}/{database}")

    def create_database(self, name: str) -> None:
        engine = create_engine(self.url(SUPERUSER), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()

    def create_workspace(
        self, database: str, team: str, people: list[tuple[str, str, Role]], password: str
    ) -> uuid.UUID:
        """A migrated workspace with one team and ``people`` (login, name, role) in it, each
        signing in with ``password``: set up through the services, as an admin would
        (`deskapp db upgrade`, then adding people). The team's id."""
        self.create_database(database)
        admin_ws = open_workspace(self.url(SUPERUSER, database), may_upgrade_server=True)
        try:
            setup = auth.setup_actor(admin_ws)
            team_id = teams.create_team(admin_ws, setup, team).id
            for login, name, role in people:
                users.add_user(admin_ws, setup, login=login, display_name=name, role=role,
                               team_id=team_id, password=password)  # fmt: skip
        finally:
            admin_ws.close()
        return team_id

    # ------------------------------------------------------------------ internals
    def _init(self) -> None:
        if _running_as_root():
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            self.bin_dir / "initdb",
            "-D", str(self.data), "-U", SUPERUSER, "--auth-local=trust",
            "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
                "shared_buffers = 16MB\nmax_connections = 30\n"
            )

    def _serve_tls(self) -> None:
        # Outside the data folder: the test (root) reads the CA file; only the key must be
        # private to the server's user, which PostgreSQL checks before it starts.
        files = make_certificates(self.folder / "tls")
        if _running_as_root():
            shutil.chown(files.server_key, "postgres", "postgres")
        files.server_key.chmod(0o600)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"ssl = on\nssl_cert_file = '{files.server_cert}'\n"
                f"ssl_key_file = '{files.server_key}'\n"
            )
        self.certificates = files

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._run(
            self.bin_dir / "pg_ctl", action, "-D", str(self.data), "-l", str(self.log),
            "-w", "-t", str(_START_TIMEOUT_SECONDS), *extra,
        )  # fmt: skip

    def _run(self, program: Path, *args: str) -> None:
        command = [str(program), *args]
        if _running_as_root():
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_START_TIMEOUT_SECONDS * 2,
            check=False,
        )  # fmt: skip
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
                f"\n{log}"
            )

    def _stop_and_remove(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
