"""Shared test set-up: every test runs with its own empty user data and config folders.

The fault, soak and browser suites are marked ``slow`` here, by file name, so that
``pytest -m "not slow"`` is the quick loop while the README's plain ``pytest`` runs everything.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Bytecode is cached while testing, whatever the shell says (the shared machine sets
# PYTHONDONTWRITEBYTECODE=1): without it every xdist worker and every CLI subprocess compiles
# ibdquiz and pytest rewrites every test module again, 2.6 s per worker before a test runs.
# Workers and subprocesses inherit the environment, so they write and reuse it too.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Temporary folders on a RAM disk where there is one (unless TMPDIR says otherwise): the tests
# commit thousands of answers with synchronous=FULL, and this machine's disk takes 0.07-4 ms
# per fsync. What a test checks does not depend on the disk (the fault suites that fill a disk
# mount their own).
_RAM_DISK = Path("/dev/shm")
if "TMPDIR" not in os.environ and _RAM_DISK.is_dir() and os.access(_RAM_DISK, os.W_OK):
    os.environ["TMPDIR"] = str(_RAM_DISK)
    tempfile.tempdir = None  # read TMPDIR again

# CI replays the same examples on every run (``derandomize``: .ci/run sets the profile), so a red
# CI is reproducible rather than a roll of the dice; a developer's run explores new examples
# each time and keeps any failure in .hypothesis/ to replay.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("IBDQUIZ_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["IBDQUIZ_HYPOTHESIS_PROFILE"])

REPO = Path(__file__).resolve().parents[1]

SLOW_FILES = ("test_fault_*.py", "test_kill9.py", "*browser*.py")
"""Test files of the fault and browser suites; everything under ``tests/soak/`` is slow too."""


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Without pytest-xdist (a venv from before it joined the test extras, or ``-p no:xdist``),
    accept and ignore the ``-n`` / ``--dist`` of ``addopts``: the tests then run serially."""
    if not pluginmanager.hasplugin("xdist"):
        group = parser.getgroup("xdist", "pytest-xdist is not installed: one process")
        # ``_addoption``: pytest keeps lowercase short options for itself and its plugins
        group._addoption("-n", "--numprocesses", dest="numprocesses", default=None,
                         help="ignored: pip install -e '.[test]' to run test files in parallel")
        group.addoption("--dist", dest="dist", default="no", help="ignored, as -n")


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say so when the suite runs serially for want of pytest-xdist."""
    if config.pluginmanager.hasplugin("xdist"):
        return None
    return "pytest-xdist is not installed: the tests run in one process"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the fault, soak and browser suites ``slow``."""
    for item in items:
        path = item.path
        inside = path.relative_to(REPO).parts if path.is_relative_to(REPO) else path.parts
        if "soak" in inside[:-1] or any(path.match(p) for p in SLOW_FILES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point platformdirs (and so the default database and deck folder) at a fresh folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("IBDQUIZ_DB", "IBDQUIZ_DECKS", "IBDQUIZ_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home
