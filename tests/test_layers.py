"""The layers point one way (DESIGN.md §2): domain ← db ← services ← gui / cli.

The core must run in a CLI, a script or a test without Qt, and a change that makes the services
reach into the GUI (or the database layer into the services) is caught here, naming the file.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "deskapp"
QT_PACKAGES = ("PySide6", "shiboken6")
CORE_LAYERS = ("domain", "db", "services")
# Alembic's env.py runs migrations when imported; the migrations are checked statically only.
NOT_IMPORTABLE = ("deskapp.db.migrations",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _python_files(layer: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / layer).rglob("*.py") if "__pycache__" not in p.parts)


def _core_modules() -> list[str]:
    names = [_module_name(p) for layer in CORE_LAYERS for p in _python_files(layer)]
    return [n for n in names if not n.startswith(NOT_IMPORTABLE)]


def _imports_of(path: Path, module: str) -> set[str]:
    """Every module ``path`` (named ``module``) imports, also inside functions and TYPE_CHECKING."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            found.add(source)
            # `from deskapp import db` imports the subpackage deskapp.db, not just a name.
            for alias in node.names:
                if _is_our_module(f"{source}.{alias.name}"):
                    found.add(f"{source}.{alias.name}")
    return found


def _is_our_module(name: str) -> bool:
    if name.split(".")[0] != "deskapp":
        return False
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    target = PACKAGE / relative
    return target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()


def _layer_of(name: str) -> str | None:
    """deskapp.db.models → "db"; the package root itself (version, app name) → "root"."""
    parts = name.split(".")
    if parts[0] != "deskapp":
        return None
    return parts[1] if len(parts) > 1 and _is_our_module(".".join(parts[:2])) else "root"


# What each layer may import of ours. "root" is deskapp/__init__.py: version and app name only.
ALLOWED = {
    "domain": {"domain"},
    "db": {"root", "domain", "db"},
}
FORBIDDEN_FOR_SERVICES = {"gui", "cli"}


def _violations(layer: str, files: list[tuple[Path, str]]) -> list[str]:
    """Broken rules in ``files`` (path, module name) of ``layer``, one line each."""
    problems = []
    for path, module in files:
        for name in sorted(_imports_of(path, module)):
            imported = _layer_of(name)
            where = module
            if name.split(".")[0] in QT_PACKAGES:
                problems.append(f"{where} imports {name}: Qt belongs in deskapp/gui only")
            elif imported is None:
                continue
            elif layer in ALLOWED and imported not in ALLOWED[layer]:
                problems.append(f"{where} imports {name}: deskapp/{layer} may not use {imported}")
            elif layer == "services" and imported in FORBIDDEN_FOR_SERVICES:
                problems.append(f"{where} imports {name}: services must not know the {imported}")
    return problems


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_layer_imports_point_one_way(layer: str) -> None:
    files = [(path, _module_name(path)) for path in _python_files(layer)]
    assert files, f"deskapp/{layer} has no Python files: is the path right?"
    assert _violations(layer, files) == []


def test_layer_check_catches_every_import_form(tmp_path: Path) -> None:
    """Relative, `from deskapp import x`, lazy and Qt imports are all seen by the check."""
    fake = tmp_path / "fake.py"
    fake.write_text(
        "from .. import cli\n"
        "from deskapp import db\n"
        "def later():\n"
        "    from ..gui import app\n"
        "    import PySide6.QtCore\n",
        encoding="utf-8",
    )
    as_services = _violations("services", [(fake, "deskapp.services.fake")])
    assert {
        "deskapp.services.fake imports PySide6.QtCore: Qt belongs in deskapp/gui only",
        "deskapp.services.fake imports deskapp.cli: services must not know the cli",
        "deskapp.services.fake imports deskapp.gui: services must not know the gui",
    } <= set(as_services)
    assert not any("deskapp.db" in problem for problem in as_services)
    as_domain = _violations("domain", [(fake, "deskapp.domain.fake")])
    assert "deskapp.domain.fake imports deskapp.db: deskapp/domain may not use db" in as_domain


_PROBE = """
import importlib, json, sys
qt = {qt!r}
for name in {modules!r}:
    importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in qt)
    if loaded:
        print(json.dumps({{"module": name, "qt": loaded[:5]}}))
        sys.exit(0)
print(json.dumps({{"module": None, "count": {count}}}))
"""


def test_core_layers_load_no_qt() -> None:
    """Importing every module of domain, db and services (in a fresh interpreter) loads no Qt."""
    modules = ["deskapp.services", *_core_modules()]
    probe = _PROBE.format(qt=QT_PACKAGES, modules=modules, count=len(modules))
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["module"] is None, f"importing {outcome['module']} loaded {outcome['qt']}"
    assert outcome["count"] > 20  # every module of the core was really imported
