"""services/ as floors in the order of the notice's process: a package imports only packages on lower floors."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FLOORS = ["platform", "sheets", "staff", "campaign", "ballot", "grading", "meeting", "progress", "records", "filing"]
MAX_LINES = 400


def imported_packages(source: str) -> set[str]:
    """The services packages a module's source imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] if node.module != "services" else [f"services.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("services.")}
    return found


def upward_imports(services: Path) -> list[str]:
    """Every import of a package on a higher floor (or of demo) from a package of `services`."""
    wrong = []
    for path in sorted(services.rglob("*.py")):
        parts = path.relative_to(services).parts
        if len(parts) < 2:  # services/__init__.py and demo.py stand above every floor
            continue
        own = FLOORS.index(parts[0])
        for target in imported_packages(path.read_text(encoding="utf-8")):
            if target not in FLOORS or FLOORS.index(target) > own:
                wrong.append(f"{'/'.join(parts)} imports services.{target}")
    return wrong


def test_no_package_of_services_imports_a_higher_floor():
    assert upward_imports(ROOT / "services") == []


def test_an_upward_import_is_caught(tmp_path):
    tree = {
        "platform/db.py": "from services.platform.clock import now\n",
        "ballot/casting.py": "from services.campaign import org\nfrom services.platform import db\n",
        "campaign/org.py": "def f():\n    from services.ballot import sealing\n",  # inside a function, too
        "staff/access.py": "from services import grading\n",
        "sheets/layout.py": "import services.demo\n",
    }
    for name, source in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    assert upward_imports(tmp_path) == [
        "campaign/org.py imports services.ballot",
        "sheets/layout.py imports services.demo",
        "staff/access.py imports services.grading",
    ]


@pytest.mark.parametrize("folder", ["services", "pages"])
def test_the_folder_holds_packages_only(folder):
    loose = {p.name for p in (ROOT / folder).glob("*.py")} - {"__init__.py", "demo.py"}
    assert loose == set()
    packages = {p.parent.name for p in (ROOT / folder).glob("*/__init__.py")}
    assert set(FLOORS) - {"platform", "sheets"} <= packages  # the process's floors, mirrored by pages/


def test_every_package_says_what_it_owns():
    for init in (ROOT / "services").glob("*/__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init


@pytest.mark.parametrize("folder", ["services", "pages"])
def test_no_module_is_over_400_lines(folder):
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_services_import_neither_streamlit_nor_starlette():
    for path in (ROOT / "services").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            assert not any(m.split(".")[0] in {"streamlit", "starlette"} for m in modules), path
