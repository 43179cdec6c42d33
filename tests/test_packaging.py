"""What ships: the wheel carries every package, the migrations and the resources; the frozen app's
spec and entry script stay consistent with the code.

A package missing from pyproject.toml installs fine from the source tree (editable) and then is
simply absent for a user who installs the wheel, so these checks read the real files.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "deskapp"
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
