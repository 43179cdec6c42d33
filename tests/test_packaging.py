"""What ships: the wheel carries every package, the migrations and the resources; the frozen app's
spec and entry script stay consistent with the code.

A package missing from pyproject.toml installs fine from the source tree (editable) and then is
simply absent for a user who installs the wheel, so these checks read the real files.
"""

from __future__ import annotations

import ast
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "deskapp"
ICONS = ROOT / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    """Dotted names of every folder with an __init__.py, where the wheel will put it."""
    roots = {"deskapp": PACKAGE}
    for name, folder in SETUPTOOLS.get("package-dir", {}).items():
        roots[name] = ROOT / folder
    found = set()
    for name, folder in roots.items():
        for init in folder.rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            found.add(".".join((name, *init.parent.relative_to(folder).parts)))
    return found


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(SETUPTOOLS["packages"])
    on_disk = _packages_on_disk()
    assert "deskapp.db.migrations.versions" in on_disk  # the walk sees nested packages
    missing = sorted(on_disk - listed)
    assert missing == [], f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    stale = sorted(listed - on_disk)
    assert stale == [], f"listed in pyproject.toml but no such package folder: {stale}"


def _copy_sources(target: Path) -> Path:
    """The files a wheel is built from, copied so the build leaves nothing in the work tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(PACKAGE, target / "deskapp", ignore=ignore)
    for folder in SETUPTOOLS.get("package-dir", {}).values():
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    return target


@pytest.mark.slow
def test_wheel_carries_migrations_and_resources(tmp_path: Path) -> None:
    source = _copy_sources(tmp_path / "src")
    out = tmp_path / "wheel"
    # Built in an isolated environment, as a user's pip does: it brings the setuptools that
    # pyproject.toml asks for (a new venv's own setuptools may be older).
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = out.glob("deskapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "deskapp/db/migrations/env.py",
        "deskapp/db/migrations/script.py.mako",
        "deskapp/db/migrations/versions/0001_core_records.py",
        "deskapp/resources/__init__.py",
        "deskapp/resources/icons/deskapp.ico",
        "deskapp/resources/icons/deskapp.icns",
        "deskapp/resources/icons/deskapp-256.png",
    ):
        assert needed in names
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert sorted(modules - names) == []
    resources = {
        "deskapp/resources/" + path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(resources - names) == []


def _spec_assignment(name: str) -> object:
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build.spec has no {name} = [...]")


def _qt_modules_imported_by_deskapp() -> dict[str, str]:
    """PySide6 module → first file under deskapp/ that imports it."""
    used: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                names = [f"PySide6.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                if parts[0] == "PySide6" and len(parts) > 1:
                    used.setdefault(parts[1], str(path.relative_to(ROOT)))
    return used


def test_frozen_app_keeps_every_qt_module_the_code_imports() -> None:
    excluded = _spec_assignment("EXCLUDED_QT_MODULES")
    assert isinstance(excluded, list)
    assert excluded, "build.spec excludes no Qt module: the bundle carries all of Qt"
    used = _qt_modules_imported_by_deskapp()
    assert "QtWidgets" in used  # the scan sees the GUI's imports
    clashes = {module: used[module] for module in excluded if module in used}
    assert clashes == {}, "remove these from EXCLUDED_QT_MODULES in build.spec (imported here)"


def test_frozen_entry_script_uses_absolute_imports() -> None:
    """PyInstaller runs deskapp/__main__.py as a top-level script, where `from .x` fails."""
    entry = PACKAGE / "__main__.py"
    assert entry.is_file(), "build.spec starts the frozen app from deskapp/__main__.py"
    tree = ast.parse(entry.read_text(encoding="utf-8"))
    relative = [
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert relative == [], f"deskapp/__main__.py lines {relative}: use `from deskapp...` imports"
    calls_main = any(
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
        for node in tree.body
    )
    assert calls_main, "deskapp/__main__.py must start the app under `if __name__ == '__main__':`"


# ------------------------------------------------------------------ the icon
def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG image"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_window_icon_size_is_a_png_of_that_size() -> None:
    from deskapp.gui.appearance import ICON_SIZES  # the sizes the app loads at start-up

    for size in ICON_SIZES:
        data = (ICONS / f"deskapp-{size}.png").read_bytes()
        assert _png_size(data) == (size, size), f"deskapp-{size}.png"
    assert _png_size((ICONS / "deskapp.png").read_bytes()) == (512, 512)


def test_the_windows_icon_holds_every_size_explorer_asks_for() -> None:
    data = (ICONS / "deskapp.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "an ICO file starts with 0, 1"
    sizes = set()
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, height, _colors, _reserved, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", entry
        )
        image = data[offset : offset + length]
        assert len(image) == length, "an entry points past the end of the file"
        side = width or 256  # 0 stands for 256
        assert (width, bits) == (height, 32)
        assert _png_size(image) == (side, side)
        sizes.add(side)
    assert {16, 24, 32, 48, 256} <= sizes


def test_the_macos_icon_is_a_whole_icns_file_with_retina_sizes() -> None:
    data = (ICONS / "deskapp.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data), "the header holds the file's length"
    found: dict[bytes, tuple[int, int]] = {}
    offset = 8
    while offset < len(data):
        kind, length = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        assert length > 8 and offset + length <= len(data), f"entry {kind!r} is cut short"
        found[kind] = _png_size(data[offset + 8 : offset + length])
        offset += length
    assert offset == len(data)
    expected = {b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024, b"ic11": 32,
                b"ic12": 64, b"ic13": 256, b"ic14": 512}  # fmt: skip
    assert {kind: found.get(kind) for kind in expected} == {
        kind: (side, side) for kind, side in expected.items()
    }


def _spec_tree() -> ast.Module:
    return ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_frozen_app_is_windowed_on_windows_and_macos_with_its_icon() -> None:
    tree = _spec_tree()
    executables = _calls(tree, "EXE")
    assert executables
    for call in executables:
        keywords = {k.arg: k.value for k in call.keywords}
        name = ast.literal_eval(keywords["name"])
        console = keywords["console"]
        if name == "deskapp":  # the app: windowed where that matters, a console on Linux (CI)
            assert ast.unparse(console) == "not (WINDOWS or MACOS)"
        assert ast.unparse(keywords["icon"]) == "APP_ICON", f"{name} has no icon"
    assert "deskapp.ico" in ast.unparse(tree) and "deskapp.icns" in ast.unparse(tree)


def test_the_macos_bundle_is_built_only_on_macos_with_a_stable_identifier() -> None:
    tree = _spec_tree()
    identifier = _spec_assignment("BUNDLE_IDENTIFIER")
    assert isinstance(identifier, str)
    assert re.fullmatch(r"[a-z]+(\.[A-Za-z0-9-]+){2,}", identifier), "reverse-DNS, like org.x.App"
    guarded = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "MACOS" and _calls(node, "BUNDLE")
    ]
    assert len(guarded) == 1 and len(_calls(tree, "BUNDLE")) == 1, "BUNDLE only under `if MACOS:`"
    (bundle,) = _calls(guarded[0], "BUNDLE")
    keywords = {k.arg: k.value for k in bundle.keywords}
    assert ast.unparse(keywords["bundle_identifier"]) == "BUNDLE_IDENTIFIER"
    assert ast.unparse(keywords["version"]) == "__version__", "the version comes from the package"
    plist = ast.unparse(keywords["info_plist"])
    for key in ("NSHighResolutionCapable", "NSRequiresAquaSystemAppearance",
                "CFBundleShortVersionString", "LSMinimumSystemVersion"):  # fmt: skip
        assert key in plist
