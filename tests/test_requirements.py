"""Every package our code imports directly is declared and pinned in requirements.txt, so that an
upgrade elsewhere can neither remove it nor change its version silently."""

import ast
import sys

from tests.conftest import ROOT

# Import name -> distribution name, where they differ.
_DISTRIBUTIONS = {
    "PIL": "pillow",
    "docx": "python-docx",
    "jwt": "pyjwt",
    "jinja2": "jinja2",
    "streamlit_authenticator": "streamlit-authenticator",
}
_OURS = {"models", "services", "pages", "survey", "bench", "deploy", "tests", "app", "dashboard", "manage"}


def _imported() -> set[str]:
    found = set()
    for folder in ("services", "pages", "survey", "models", "bench", "deploy", "migrations"):
        files = list((ROOT / folder).rglob("*.py"))
        for path in [*files, ROOT / "app.py", ROOT / "dashboard.py", ROOT / "manage.py"]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name not in _OURS}


def test_every_directly_imported_package_is_pinned():
    pinned = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pinned[name.split("[")[0].lower()] = version
    missing = {name for name in _imported() if _DISTRIBUTIONS.get(name, name).lower() not in pinned}
    assert missing == set()
