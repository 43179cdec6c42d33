"""make_engine and parse_db_url: the one place that knows each dialect's connection settings.

SQLite pragmas on every connection, a workspace on a network share refused, addresses turned
into the right driver (and never carrying a password), TLS verified by default off this machine.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL

from deskapp.db import network_share
from deskapp.db.engine import SQLITE_BUSY_TIMEOUT_MS, TlsOptions, make_engine
from deskapp.db.network_share import (
    filesystem_at,
    network_filesystem_of,
    parse_bsd_mount_output,
    parse_linux_mounts,
)
from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import ConfigurationError, ConnectionFailed, NetworkShareRefused
from deskapp.services.workspace import open_workspace
from tests.helpers import databases


# ------------------------------------------------------------------------- SQLite pragmas
def test_every_sqlite_connection_has_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    ws = open_workspace(parse_db_url(str(tmp_path / "workspace.sqlite")))
    try:
        for _round in range(2):  # the pool's first connections, then fresh ones after dispose
            with ExitStack() as stack:
                connections = [stack.enter_context(ws.engine.connect()) for _ in range(3)]
                for conn in connections:
                    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                    assert (
                        conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
                        == SQLITE_BUSY_TIMEOUT_MS
                        == 5000
                    )
            ws.engine.dispose()
    finally:
        ws.close()


# ------------------------------------------------------------------------- network shares
PROC_MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw,lowerdir=/l,upperdir=/u 0 0
nas.example:/export/support /mnt/support nfs4 rw,vers=4.2,addr=10.0.0.5 0 0
//nas.example/team /mnt/team cifs rw,vers=3.1.1 0 0
//nas.example/smb3 /mnt/smb3 smb3 rw 0 0
dana@jump.example:/srv /home/dana/remote fuse.sshfs rw,user_id=1000 0 0
/dev/vdb1 /mnt/support/local ext4 rw 0 0
//nas.example/with\\040space /mnt/my\\040share cifs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/support/cases.sqlite", "nfs4"),
        ("/mnt/team/deskapp/ws.sqlite", "cifs"),
        ("/mnt/smb3/ws.sqlite", "smb3"),
        ("/home/dana/remote/ws.sqlite", "fuse.sshfs"),
        ("/mnt/my share/ws.sqlite", "cifs"),  # \040 in the mount table is a space
        ("/home/dana/ws.sqlite", "ext4"),
        ("/run/ws.sqlite", "tmpfs"),
        ("/var/lib/docker/overlay2/abc/merged/ws.sqlite", "overlay"),
        ("/mnt/support/local/ws.sqlite", "ext4"),  # the longest mount point wins
        ("/mnt/supportive/ws.sqlite", "ext4"),  # a prefix of the name is not a parent folder
    ],
)
def test_the_mount_holding_a_path_is_found_in_a_linux_mount_table(path, expected):
    assert filesystem_at(path, parse_linux_mounts(PROC_MOUNTS)) == expected


def test_only_network_file_systems_count_as_network_shares(tmp_path):
    local = tmp_path / "local"
    share = tmp_path / "share"
    inner_local = share / "cache"
    for folder in (local, share, inner_local):
        folder.mkdir()
    mounts = [
        ("/", "ext4"),
        (str(local), "tmpfs"),
        (str(share), "nfs"),
        (str(inner_local), "overlay"),
    ]
    assert network_filesystem_of(share / "ws.sqlite", mounts) == "nfs"
    assert network_filesystem_of(share / "new-folder" / "ws.sqlite", mounts) == "nfs"
    assert network_filesystem_of(inner_local / "ws.sqlite", mounts) is None
    assert network_filesystem_of(local / "ws.sqlite", mounts) is None
    for fs_type in ("nfs4", "cifs", "smb3", "fuse.sshfs", "9p"):
        assert network_filesystem_of(share / "ws.sqlite", [(str(share), fs_type)]) == fs_type
    for fs_type in ("ext4", "tmpfs", "overlay", "btrfs", "apfs"):
        assert network_filesystem_of(share / "ws.sqlite", [(str(share), fs_type)]) is None


def test_macos_mount_output_is_read_too():
    output = (
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//dana@nas._smb._tcp.local/Support on /Volumes/Support (smbfs, nodev, nosuid, "
        "mounted by dana)\n"
    )
    mounts = parse_bsd_mount_output(output)
    assert filesystem_at("/Volumes/Support/ws.sqlite", mounts) == "smbfs"
    assert filesystem_at("/Users/dana/ws.sqlite", mounts) == "apfs"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's mount table")
def test_make_engine_refuses_a_workspace_on_a_network_share(tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    mount_table = tmp_path / "mounts"
    mount_table.write_text(f"/dev/vda1 / ext4 rw 0 0\nnas:/export {share} nfs4 rw 0 0\n")
    monkeypatch.setattr(network_share, "LINUX_MOUNT_TABLE", mount_table)
    url = parse_db_url(str(share / "workspace.sqlite"))

    with pytest.raises(NetworkShareRefused) as refused:
        make_engine(url)

    message = str(refused.value)
    assert "network share (nfs4)" in message and "workspace.sqlite" in message
    assert "PostgreSQL" in message  # what to do instead
    assert not (share / "workspace.sqlite").exists()
    make_engine(url, allow_network_share=True).dispose()  # the admin's explicit override


def test_make_engine_accepts_a_workspace_on_this_machines_disk(tmp_path):
    assert network_filesystem_of(tmp_path) is None  # the real mount table of this machine
    make_engine(parse_db_url(str(tmp_path / "workspace.sqlite"))).dispose()


# ------------------------------------------------------------------------- addresses
def test_a_password_in_the_address_is_refused_with_what_to_do_instead():
    with pytest.raises(ConfigurationError) as refused:
        parse_db_url("postgresql://dana:hunter2-secret@db.example/deskapp")
    message = str(refused.value)
    assert "hunter2-secret" not in message
    assert "leave the password out" in message
    assert "asks for it" in message and "keychain" in message


@pytest.mark.parametrize(
    ("typed", "driver"),
    [
        ("postgresql://dana@db.example/deskapp", "postgresql+psycopg"),
        ("postgres://dana@db.example/deskapp", "postgresql+psycopg"),
        ("mariadb://dana@db.example/deskapp", "mariadb+pymysql"),
        ("mysql://dana@db.example/deskapp", "mariadb+pymysql"),
    ],
)
def test_each_server_address_gets_our_driver(typed, driver):
    url = parse_db_url(typed)
    assert url.drivername == driver
    assert (url.username, url.host, url.database) == ("dana", "db.example", "deskapp")


def test_a_bare_path_is_an_sqlite_workspace_at_its_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = parse_db_url("team/workspace.sqlite")
    assert url.drivername == "sqlite+pysqlite"
    assert url.database == str(tmp_path / "team" / "workspace.sqlite")
    assert Path(url.database).is_absolute()


@pytest.mark.parametrize("typed", ["", "   ", "oracle://dana@db.example/x"])
def test_an_address_deskapp_cannot_use_is_explained(typed):
    with pytest.raises(ConfigurationError, match=r"SQLite|database given"):
        parse_db_url(typed)


# ------------------------------------------------------------------------- TLS
class _Captured(Exception):
    pass


def driver_arguments(engine: Engine) -> dict[str, Any]:
    """The keyword arguments the engine really hands the driver when it connects (caught at
    SQLAlchemy's do_connect hook, before any network traffic)."""
    captured: dict[str, Any] = {}

    def grab(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        captured.update(cparams)
        raise _Captured

    event.listen(engine, "do_connect", grab)
    try:
        with pytest.raises(_Captured):
            engine.connect()
    finally:
        engine.dispose()
    return captured


def postgresql_args(address: str, tls: TlsOptions | None = None) -> dict[str, Any]:
    return driver_arguments(make_engine(parse_db_url(address), tls=tls))


def test_a_server_elsewhere_gets_verified_tls_trusting_the_system_store():
    args = postgresql_args("postgresql://dana@db.example.com/deskapp")
    assert args["sslmode"] == "verify-full"
    assert args["sslrootcert"] == "system"
    assert args["connect_timeout"] == 5


def test_a_given_ca_file_is_the_one_trusted():
    args = postgresql_args(
        "postgresql://dana@db.example.com/deskapp", TlsOptions(ca_file="/etc/deskapp/ca.pem")
    )
    assert (args["sslmode"], args["sslrootcert"]) == ("verify-full", "/etc/deskapp/ca.pem")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_this_machine_gets_tls_only_when_the_server_offers_it(host):
    args = postgresql_args(f"postgresql://dana@{host}/deskapp")
    assert args["sslmode"] == "prefer"
    assert "sslrootcert" not in args


def test_an_explicit_tls_mode_is_respected_either_way():
    remote = postgresql_args("postgresql://dana@db.example.com/x", TlsOptions(mode="disable"))
    local = postgresql_args("postgresql://dana@127.0.0.1/x", TlsOptions(mode="verify"))
    assert remote["sslmode"] == "disable" and "sslrootcert" not in remote
    assert (local["sslmode"], local["sslrootcert"]) == ("verify-full", "system")


def test_mariadb_elsewhere_verifies_the_certificate_and_the_host_name():
    remote = driver_arguments(make_engine(parse_db_url("mariadb://dana@db.example.com/x")))
    local = driver_arguments(make_engine(parse_db_url("mariadb://dana@127.0.0.1/x")))
    assert remote["ssl_verify_cert"] is True and remote["ssl_verify_identity"] is True
    assert "ssl_verify_cert" not in local and "ssl" not in local


@pytest.mark.server
@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_verified_tls_to_a_server_without_tls_fails_with_a_message_not_in_clear_text(dialect):
    """The test servers speak no TLS: asked to verify, Deskapp must not fall back silently."""
    server: URL = databases.require_server(dialect)
    url = parse_db_url(server.render_as_string(hide_password=False))
    with pytest.raises(ConnectionFailed) as refused:
        open_workspace(url, tls=TlsOptions(mode="verify"), connect_timeout=3)
    assert "secure connection" in str(refused.value)
