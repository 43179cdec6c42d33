"""Is this path on a network file system? SQLite's locking is unreliable there and corrupts
databases, so a workspace file on a share is refused (DESIGN.md §7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "webdav", "davfs",
    "fuse.sshfs", "sshfs", "9p", "ncpfs", "afs", "glusterfs", "ceph", "lustre", "fuse.rclone",
}  # fmt: skip


def network_filesystem_of(path: Path) -> str | None:
    """The network file system type holding ``path`` (or its nearest existing parent), or None."""
    path = _existing_ancestor(path.expanduser().resolve())
    if sys.platform == "win32":
        return _windows_remote(path)
    mounts = _linux_mounts() if sys.platform.startswith("linux") else _bsd_mounts()
    best: tuple[int, str] | None = None
    text = str(path)
    for mount_point, fs_type in mounts:
        inside = text == mount_point or text.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fs_type)
    if best and best[1].lower() in _NETWORK_FS:
        return best[1]
    return None


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((parts[1].replace("\\040", " "), parts[2]))
    return mounts


def _bsd_mounts() -> list[tuple[str, str]]:
    # macOS: "//dana@nas/share on /Volumes/share (smbfs, nodev, nosuid, mounted by dana)"
    try:
        out = subprocess.run(
            ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    mounts = []
    for line in out.splitlines():
        if " on " in line and "(" in line:
            rest = line.split(" on ", 1)[1]
            mount_point, _, options = rest.rpartition(" (")
            mounts.append((mount_point, options.split(",")[0].strip()))
    return mounts


def _windows_remote(path: Path) -> str | None:
    text = str(path)
    if text.startswith("\\\\"):
        return "network share"
    import ctypes

    drive = os.path.splitdrive(text)[0] + "\\"
    drive_remote = 4
    get_drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    return "network drive" if get_drive_type(drive) == drive_remote else None
