"""Is this path on a network file system? SQLite's locking is unreliable there and corrupts
databases, so a workspace file on a share is refused (DESIGN.md §7).

The mount table is read in one place and parsed by plain functions over text, so the decision
(which mount holds a path, and is it a network one) can be checked against any mount table.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

_NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "webdav", "davfs",
    "fuse.sshfs", "sshfs", "9p", "ncpfs", "afs", "glusterfs", "ceph", "lustre", "fuse.rclone",
}  # fmt: skip

# Linux's mount table of this process (what the kernel says is mounted where).
LINUX_MOUNT_TABLE = Path("/proc/self/mounts")

Mounts = Sequence[tuple[str, str]]  # (mount point, file system type)


def network_filesystem_of(path: Path, mounts: Mounts | None = None) -> str | None:
    """The network file system type holding ``path`` (or its nearest existing parent), or None.

    ``mounts`` defaults to this machine's mount table."""
    path = _existing_ancestor(path.expanduser().resolve())
    if mounts is None:
        if sys.platform == "win32":
            return _windows_remote(path)
        mounts = _linux_mounts() if sys.platform.startswith("linux") else _bsd_mounts()
    fs_type = filesystem_at(str(path), mounts)
    if fs_type and fs_type.lower() in _NETWORK_FS:
        return fs_type
    return None


def filesystem_at(path: str, mounts: Mounts) -> str | None:
    """The type of the mount holding ``path``: the longest mount point that contains it."""
    best: tuple[int, str] | None = None
    for mount_point, fs_type in mounts:
        inside = path == mount_point or path.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fs_type)
    return best[1] if best else None


def parse_linux_mounts(text: str) -> list[tuple[str, str]]:
    """``/proc/mounts`` lines ("server:/export /mnt/my\\040share nfs4 rw 0 0") → (point, type)."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape_octal(parts[1]), parts[2]))
    return mounts


def parse_bsd_mount_output(text: str) -> list[tuple[str, str]]:
    """macOS ``mount`` lines: "//dana@nas/share on /Volumes/share (smbfs, nodev, ...)"."""
    mounts = []
    for line in text.splitlines():
        if " on " in line and "(" in line:
            rest = line.split(" on ", 1)[1]
            mount_point, _, options = rest.rpartition(" (")
            mounts.append((mount_point, options.split(",")[0].strip()))
    return mounts


def _unescape_octal(field: str) -> str:
    # The kernel writes space, tab, newline and backslash in mount points as \040 \011 \012 \134.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        return parse_linux_mounts(LINUX_MOUNT_TABLE.read_text())
    except OSError:
        return []


def _bsd_mounts() -> list[tuple[str, str]]:
    try:
        out = subprocess.run(
            ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_bsd_mount_output(out)


def _windows_remote(path: Path) -> str | None:
    text = str(path)
    if text.startswith("\\\\"):
        return "network share"
    import ctypes

    drive = os.path.splitdrive(text)[0] + "\\"
    drive_remote = 4
    get_drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    return "network drive" if get_drive_type(drive) == drive_remote else None
