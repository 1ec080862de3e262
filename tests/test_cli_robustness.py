"""The command line as users break it: every failure is one line, never a traceback.

Each test runs the real ``ibdquiz`` with its own database and user folders, and covers one class
of trouble: bad paths and formats, bad input files, odd names, odd environments, Ctrl-C, a
reader that stops early, a disk that is full, a terminal that is not UTF-8. Most run in-process
(``invoke``); those about the process itself (signals, pipes, terminal encodings, another user,
stdout on a full disk, the exit status of a bug) run it in a subprocess (``run``).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers_cli import invoke
from tests.helpers_report import make_export, study_in_store, write_export
from tests.helpers_storage import assert_one_error_line

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534
HOSTILE_NAME = '[bold]x[/] <script>alert(1)</script> & "q" α'


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``ibdquiz ARGS`` in a subprocess (text output decoded as UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", *args], capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=timeout, env=env, cwd=REPO,
    )


def run_all(
    *calls: Sequence[str], env: dict[str, str] | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Several independent ``ibdquiz`` runs, one after the other, in this process."""
    return [invoke(*args, env=env) for args in calls]


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """Neither stream shows a traceback or an ignored exception."""
    for text in (result.stdout or "", result.stderr or ""):
        assert "Traceback" not in text, text
        assert "Exception ignored" not in text, text


def one_error(result: subprocess.CompletedProcess[str], *words: str, code: int = 1) -> str:
    """Failed with ``code`` and exactly one ``ibdquiz: error:`` line naming ``words``."""
    return assert_one_error_line(result, *words, code=code)


def usage_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """click's usage error: exit 2, the reason on stderr, no traceback."""
    no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a fellow's answers (a hostile display name, a flag) on the bundled deck."""
    db = tmp_path_factory.mktemp("studied") / "ibdquiz.db"
    start = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
    study_in_store(db, name=HOSTILE_NAME, days=[start + timedelta(days=i) for i in range(3)],
                   per_day=6, flag="bad [red]q[/] <b>")
    return db


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of two fellows' exports; one fellow's name is hostile."""
    folder = tmp_path_factory.mktemp("exports")
    write_export(folder / "a.json", make_export("id-a", HOSTILE_NAME, n_reviews=200, seed=1))
    write_export(folder / "b.json", make_export("id-b", "Dr B", n_reviews=200, seed=2))
    return folder


# -- options, help, version ------------------------------------------------------------------


def test_version_help_and_unknown_options() -> None:
    version, helped, bogus, root_bogus = run_all(
        ["--version"], ["export", "--help"], ["stats", "--bogus"], ["--bogus"]
    )
    assert version.returncode == 0 and "ibdquiz, version" in version.stdout
    assert helped.returncode == 0 and "Example" in helped.stdout
    usage_error(bogus, "No such option", "--bogus")
    usage_error(root_bogus, "No such option")


# -- export: where and how it writes ---------------------------------------------------------


def test_export_to_a_missing_folder_or_a_folder_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    missing, folder = run_all(["--db", db, "export", "-o", str(tmp_path / "missing" / "x.json")],
                              ["--db", db, "export", "-o", str(tmp_path)])
    one_error(missing, "cannot write", "folder exists")
    usage_error(folder, "is a directory")
    assert not (tmp_path / "none.db").exists()


def test_a_full_disk_is_one_line_and_a_device_is_never_replaced(studied: Path) -> None:
    full = Path("/dev/full")
    if not full.exists() or not stat.S_ISCHR(full.stat().st_mode):
        pytest.skip("no /dev/full here")
    one_error(invoke("--db", str(studied), "export", "-o", str(full)), "No space left", "disk")
    # before the fix, the atomic write renamed a regular file over the device
    assert stat.S_ISCHR(full.stat().st_mode)
    assert not list(Path("/dev").glob(".full.*"))


def test_stdout_on_a_full_disk_is_one_line(studied: Path) -> None:
    def to_full_disk(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        with open("/dev/full", "w") as sink:
            return subprocess.run(
                [sys.executable, "-m", "ibdquiz", "--db", str(studied), *args], stdout=sink,
                stderr=subprocess.PIPE, text=True, timeout=60,
            )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(to_full_disk, (["export"], ["stats", "--format", "json"])))
    for result in results:
        no_traceback(result)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "ibdquiz: error: cannot write the output: No space left on device; free some disk "
            "space, or write somewhere else"
        ], result.stderr


def test_export_writes_through_a_link_and_into_a_fifo(studied: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert invoke("--db", str(studied), "export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(target.read_text("utf-8"))["learner"] == HOSTILE_NAME

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke("--db", str(studied), "export", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a file"
    assert json.loads(received[0])["format"] == "ibdquiz-export"


def test_the_format_must_agree_with_the_extension(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    clash, unknown, report_clash, plain = run_all(
        ["--db", db, "export", "--format", "csv", "-o", str(tmp_path / "a.json")],
        ["--db", db, "export", "-o", str(tmp_path / "a.txt")],
        ["report", str(tmp_path), "--format", "text", "-o", str(tmp_path / "r.html")],
        ["--db", db, "export", "-o", str(tmp_path / "answers")],  # no extension: JSON
    )
    usage_error(clash, "does not match", "*.csv")
    usage_error(unknown, "'.txt'", "--format")
    usage_error(report_clash, "does not match", "*.txt")
    assert plain.returncode == 0, plain.stderr
    assert json.loads((tmp_path / "answers").read_text("utf-8"))["format"] == "ibdquiz-export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers"]


def test_since_bad_dates_and_a_future_date(studied: Path) -> None:
    *bad, future = run_all(
        *(["--db", str(studied), "export", "--since", d] for d in ("2026-13-01", "yesterday", "")),
        ["--db", str(studied), "export", "--since", "2999-01-01"],
    )
    for result in bad:
        usage_error(result, "YYYY-MM-DD")
    assert future.returncode == 0
    assert "is after today" in future.stderr
    assert json.loads(future.stdout)["reviews"] == []


# -- writing as a user who may not -----------------------------------------------------------


@functools.cache
def _nobody_python() -> list[str] | None:
    """An interpreter ``nobody`` can run with ibdquiz importable (the venv may live in /root)."""
    site = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    env = {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), *site]), "HOME": "/tmp"}
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(minor), f"/usr/bin/{minor}"):
        if not python:
            continue
        try:
            probe = subprocess.run([python, "-c", "import ibdquiz.cli"], user=NOBODY,
                                   group=NOBODY, extra_groups=[], env=env, cwd="/",
                                   capture_output=True, timeout=60)
        except OSError:
            continue
        if probe.returncode == 0:
            return [python]
    return None


@pytest.fixture()
def open_folder() -> Iterator[Path]:
    """A folder ``nobody`` can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ibdquiz-robust-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def run_as_nobody(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ibdquiz ARGS`` as uid 65534 when root (chmod does not stop root), else as is."""
    if os.geteuid() != 0:
        return run(*args)
    python = _nobody_python()
    if python is None:
        pytest.skip("no interpreter that uid 65534 can run")
    site = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    env = {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), *site]), "HOME": str(folder),
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    return subprocess.run([*python, "-m", "ibdquiz", *args], user=NOBODY, group=NOBODY,
                          extra_groups=[], env=env, cwd=folder, capture_output=True, text=True,
                          timeout=60)


def test_a_read_only_folder_is_one_line(open_folder: Path, exports: Path) -> None:
    shutil.copy(exports / "b.json", open_folder / "b.json")
    (open_folder / "b.json").chmod(0o644)
    locked = open_folder / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    writable = open_folder / "writable"
    writable.mkdir()
    writable.chmod(0o777)
    db = str(open_folder / "none.db")
    calls = (["--db", db, "export", "-o", str(writable / "x.json")],
             ["--db", db, "export", "-o", str(locked / "x.json")],
             ["report", str(open_folder / "b.json"), "-o", str(locked / "r.html")])
    with ThreadPoolExecutor(max_workers=3) as pool:
        fine, export, report = pool.map(lambda args: run_as_nobody(open_folder, *args), calls)
    # the same user can write next door: the refusals are the folder's permission
    assert fine.returncode == 0, fine.stderr
    one_error(export, "Permission denied", str(locked / "x.json"))
    one_error(report, "Permission denied")
    assert list(locked.iterdir()) == []


# -- report: inputs that are not exports -----------------------------------------------------


def test_report_names_each_bad_input_and_still_builds(tmp_path: Path, exports: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "nojson").mkdir()
    (tmp_path / "nojson" / "notes.txt").write_text("hi", encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "zero.json").write_bytes(b"")
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # 64 MB that is not JSON: refused without reading it all
        handle.truncate(64 * 1024 * 1024)
        handle.seek(0)
        handle.write(b"x" * 4096)
    (tmp_path / "loop1.json").symlink_to(tmp_path / "loop2.json")
    (tmp_path / "loop2.json").symlink_to(tmp_path / "loop1.json")
    names = ("empty", "nojson", "binary.json", "zero.json", "huge.json", "loop1.json",
             "gone.json")
    started = time.monotonic()
    result = invoke("report", *(str(tmp_path / n) for n in names), str(exports / "b.json"),
                    "--format", "csv")
    assert time.monotonic() - started < 20
    no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.startswith("learner_id,learner,profile,deck,source")
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(names), result.stderr
    assert all(w.startswith("ibdquiz: warning: ") for w in warnings)
    said = "\n".join(warnings)
    for words in ("folder holds no .json", "binary.json: is not JSON", "zero.json: is empty",
                  "huge.json: is not JSON", "points back at itself", "gone.json: no such file"):
        assert words in said, said

    nothing = invoke("report", *(str(tmp_path / n) for n in names))
    no_traceback(nothing)
    assert nothing.returncode == 1
    assert nothing.stderr.splitlines()[-1].startswith("ibdquiz: error: no export could be read")


def test_a_file_that_vanishes_is_named_and_skipped(tmp_path: Path) -> None:
    from ibdquiz.report.reader import _read_or_problem

    gone = tmp_path / "gone.json"
    assert _read_or_problem(gone) == f"{gone}: cannot be read (No such file or directory)"


# -- names that could be markup, HTML or terminal escapes ------------------------------------


def test_bad_display_names_are_refused_before_the_database_exists(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    empty, long, escapes = run_all(*(["--db", str(db), "profile", "--name", name]
                                     for name in ("", "n" * 10_000, "Dr\x1b[31m Red\x07")))
    usage_error(empty, "cannot be empty")
    usage_error(long, "at most")
    usage_error(escapes, "control character")
    assert not db.exists()
    # issue 14: a tab or newline is refused (it used to become a space silently), as are bidi
    for name in ("Dr\n  A\tFellow", "Dr\tA", "Dr \u202eA", "Dr \u2066A"):
        usage_error(invoke("--db", str(db), "profile", "--name", name), "refused")
    assert not db.exists()
    spaced = invoke("--db", str(db), "profile", "--name", "Dr   A  Fellow")
    assert spaced.returncode == 0 and "display name: Dr A Fellow" in spaced.stdout


def test_a_hostile_name_shows_literally_everywhere(
    studied: Path, exports: Path, tmp_path: Path
) -> None:
    shown, exported, csv_export, page, text = run_all(
        ["--db", str(studied), "profile"], ["--db", str(studied), "export"],
        ["--db", str(studied), "export", "--format", "csv"],
        ["report", str(exports), "-o", str(tmp_path / "r.html")], ["report", str(exports)],
    )
    assert f"display name: {HOSTILE_NAME}" in shown.stdout
    assert json.loads(exported.stdout)["learner"] == HOSTILE_NAME
    csv_rows = csv_export.stdout.splitlines()
    assert csv_rows[1].startswith('"[bold]x[/] <script>alert(1)</script> & ""q"" α"')
    assert page.returncode == 0, page.stderr
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "<script>" not in html
    assert "[bold]x[/] &lt;script&gt;alert(1)&lt;/script&gt; &amp; " in html
    assert "[bold]x[/]" in text.stdout


def test_odd_profile_names(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    cases = {"[/]": "", "a\nb": "control character", " ": "empty", "x" * 65: "at most",
             " lead": "starts or ends"}
    results = [invoke("stats", env={"IBDQUIZ_DB": db, "IBDQUIZ_PROFILE": name}) for name in cases]
    markup, *bad = results
    assert markup.returncode == 0, markup.stderr
    assert "profile [/]" in markup.stdout
    for result, words in zip(bad, list(cases.values())[1:], strict=True):
        usage_error(result, words, "IBDQUIZ_PROFILE")
    assert not (tmp_path / "p.db").exists()


def test_an_export_with_escape_sequences_cannot_drive_the_terminal(tmp_path: Path) -> None:
    evil = "Evil\x1b]0;pwned\x07\x1b[31mRED"
    write_export(tmp_path / "e.json", make_export("id-e", evil, n_reviews=30, seed=3))
    result = invoke("report", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil\\x1b]0;pwned" in result.stdout


# -- stats, the environment ------------------------------------------------------------------


def test_stats_json_is_valid_and_a_missing_database_stays_missing(
    studied: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "sub" / "none.db"
    empty, full = run_all(["--db", str(missing), "stats", "--format", "json"],
                          ["--db", str(studied), "stats", "--format", "json"])
    assert empty.returncode == 0
    (bundled,) = json.loads(empty.stdout)["decks"]  # never opened: every card new
    assert bundled["new"] == bundled["total"] > 0 and bundled["learned"] == 0
    assert not missing.exists() and not missing.parent.exists()
    answered = json.loads(full.stdout)
    (deck,) = answered["decks"]
    # 3 days of 6 new cards each, in March 2025: every card seen is due by now, and none of
    # those answers falls in the last 7 or 30 days of the real clock
    # "due" is today's queue (one card per fact, issue 10); the rest of the 18 are held back
    assert deck["due"] + deck["held_back"] == 18 and 0 < deck["due"] < 18
    assert deck["new"] == deck["total"] - 18
    assert 0 < deck["learned"] <= 18
    assert (deck["answers_7d"], deck["answers_30d"], answered["streak"]) == (0, 0, 0)
    assert answered["totals"]["due"] == deck["due"]


def test_environment_variables_that_point_at_the_wrong_thing(tmp_path: Path) -> None:
    env = {"IBDQUIZ_DB": str(tmp_path), "IBDQUIZ_DECKS": os.pathsep * 3 + " "}
    folder_db, decks = run_all(["stats"], ["decks"], env=env)
    one_error(folder_db, "is a folder")
    assert decks.returncode == 0, decks.stderr
    assert "tacrolimus-refractory-crohns" in decks.stdout


# -- the surroundings: Ctrl-C, a reader that stops early, a terminal that is not UTF-8 -------


def _waiting_in(wchan: Path) -> str:
    """Where in the kernel a process sleeps (``/proc/PID/wchan``); skips without ``/proc``."""
    try:
        return wchan.read_text().strip()
    except FileNotFoundError:
        if not Path("/proc/self/wchan").exists():
            pytest.skip("no /proc/PID/wchan to see the report wait")
        return ""


def test_ctrl_c_during_a_report_is_one_line_and_leaves_no_file(tmp_path: Path) -> None:
    doc = json.dumps(make_export("id-0", "F", n_reviews=2_000, seed=5))
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(16):  # enough files for the pool of worker processes
        (folder / f"f{i:02}.json").write_text(doc.replace('"id-0"', f'"id-{i}"'), "utf-8")
    # The report goes to a FIFO that nobody reads: opening it blocks, so the report cannot
    # finish before Ctrl-C arrives; Ctrl-C comes once every file is read and the write waits.
    output = tmp_path / "out" / "cohort.html"
    output.parent.mkdir()
    os.mkfifo(output)
    process = subprocess.Popen(
        [sys.executable, "-m", "ibdquiz", "report", str(folder), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        start_new_session=True,  # a group of its own, as a terminal gives its foreground job
    )
    try:
        wchan = Path(f"/proc/{process.pid}/wchan")
        deadline = time.monotonic() + 60
        while _waiting_in(wchan) != "wait_for_partner":  # the kernel's wait for a FIFO's reader
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the report never waited on the FIFO: {process.poll()}")
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group gets it
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # never leave it blocked on the FIFO
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert "Traceback" not in err, err
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["ibdquiz: interrupted"], err
    assert out == ""
    assert list(output.parent.iterdir()) == [output]  # no temporary file beside it
    assert stat.S_ISFIFO(output.stat().st_mode)


def _read_a_little(args: Sequence[str], size: int) -> subprocess.CompletedProcess[str]:
    """``ibdquiz ARGS | head -c SIZE``: the reader closes the pipe after ``size`` bytes."""
    process = subprocess.Popen([sys.executable, "-m", "ibdquiz", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=REPO)
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(size)
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=30)
    return subprocess.CompletedProcess(args, process.returncode, head.decode("utf-8"), err)


def test_a_reader_that_stops_early_gets_no_traceback(studied: Path) -> None:
    calls = (("--db", str(studied), "export"), ("--db", str(studied), "export", "--format", "csv"),
             ("preview", "tacrolimus-refractory-crohns"))
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda args: _read_a_little(args, 10), calls))
    for result in results:
        no_traceback(result)
        assert len(result.stdout) == 10
        assert result.stderr == "", result.stderr
        assert result.returncode in (0, 1, 141), result.returncode


def test_a_terminal_that_is_not_utf8(studied: Path, exports: Path) -> None:
    ascii_env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    calls = (
        ["decks"], ["--db", str(studied), "stats"], ["report", str(exports)],
        ["--db", str(studied), "profile"], ["preview", "tacrolimus-refractory-crohns"],
        ["--db", str(studied), "export"], ["report", str(exports), "--format", "csv"],
    )
    with ThreadPoolExecutor(max_workers=4) as pool:  # the encoding is the process's: subprocesses
        *shown, exported, table = pool.map(lambda args: run(*args, env=ascii_env), calls)
    for result in shown:
        no_traceback(result)
        assert result.returncode == 0, (result.args, result.stderr)
    # data formats stay UTF-8 whatever the locale: the same bytes as the file would hold
    assert json.loads(exported.stdout)["learner"] == HOSTILE_NAME
    assert HOSTILE_NAME.replace('"', '""') in table.stdout


def test_an_unexpected_error_is_one_line(tmp_path: Path) -> None:
    """A bug still ends in one line (and exit 70); IBDQUIZ_DEBUG=1 shows the traceback."""
    code = (
        "import click, sys\n"
        "from ibdquiz.cli import cli, main\n"
        "@cli.command('boom')\n"
        "def boom() -> None:\n"
        "    '''Fail.'''\n"
        "    raise RuntimeError('kaboom')\n"
        "sys.argv = ['ibdquiz', 'boom']\n"
        "main()\n"
    )
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60, cwd=REPO)
    assert quiet.returncode == 70
    assert quiet.stderr.splitlines() == [
        "ibdquiz: internal error: RuntimeError: kaboom; this is a bug, please report it (run "
        "again with IBDQUIZ_DEBUG=1 to see the details)"
    ]
    loud = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=REPO, env={**os.environ, "IBDQUIZ_DEBUG": "1"})
    assert "Traceback" in loud.stderr and "kaboom" in loud.stderr
