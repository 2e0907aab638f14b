"""Where the two page checkers are, installed from npm by .ci/run outside the repository:
axe-core (injected into Chromium) and the W3C HTML checker vnu (a Java program). Missing locally they
skip the test with the reason; in CI (REQUIRE_BROWSER=1) a missing checker fails it."""

import os
import shutil
from pathlib import Path

import pytest

# .ci/run installs them here (npm install --prefix); the same default on a developer's machine.
CHECKERS = Path(os.environ.get("PINGYI_CHECKERS", Path.home() / ".cache" / "pingyi-checkers"))
AXE = CHECKERS / "node_modules" / "axe-core" / "axe.min.js"
VNU = CHECKERS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "npm install --prefix {} axe-core@4.14.1 vnu-jar@26.9.27 (as .ci/run does)"


def _missing(what: str) -> None:
    reason = f"{what} not found; install it with: {INSTALL.format(CHECKERS)}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def axe_script() -> str:
    """axe-core's source, to inject into a page."""
    if not AXE.is_file():
        _missing(f"axe-core ({AXE})")
    return AXE.read_text(encoding="utf-8")


def vnu_command() -> list[str]:
    """The command that runs vnu (file names follow)."""
    java = shutil.which("java")
    if java is None:
        _missing("java (Java 17 or newer, for the W3C HTML checker)")
    if not VNU.is_file():
        _missing(f"the W3C HTML checker vnu ({VNU})")
    return [java, "-jar", str(VNU)]
