"""Reading and checking export files: one bad file is named in one line and skipped.

Each file is parsed and summarised on its own (``summarize_export``) and its raw reviews are
dropped before the next file is read, so memory follows the largest file, not the folder.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import re
import signal
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ibdquiz.core.printable import printable
from ibdquiz.errors import ExportError
from ibdquiz.report.fellow import Fellow, check_header, summarize_export
from ibdquiz.report.schema import EXPORT_DECODER, HEADER_DECODER, MAX_FIELD_CHARS, MAX_FILE_BYTES


@dataclass
class ReadOutcome:
    """The fellows read (one per ``learner_id``) and one line per problem met."""

    fellows: list[Fellow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files_read: int = 0


def expand_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The export files named: files as given, folders as their ``*.json`` files (sorted)."""
    files: list[Path] = []
    problems: list[str] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                problems.append(f"{path}: folder holds no .json export files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{printable(str(path))}: {_why_missing(path)}")
    return files, problems


def _why_missing(path: Path) -> str:
    """Why ``path`` is neither a file nor a folder: missing, a link loop, unreadable, a FIFO."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that points back at itself; fix or remove the link"
        if exc.errno == errno.ENOENT:
            if path.is_symlink():
                return "is a symbolic link to a file that does not exist"
            return "no such file or folder"
        return f"cannot be read ({exc.strerror})"
    return "is not a regular file (a device or a pipe?); give an export file"


def _decode_problem(raw: bytes, exc: msgspec.DecodeError) -> str:
    """Say why a file does not decode: cut short, not JSON, or not an ibdquiz export."""
    if isinstance(exc, msgspec.ValidationError):
        try:
            header = HEADER_DECODER.decode(raw)
        except msgspec.DecodeError:
            return f"is not an ibdquiz export ({exc})"
        check_header(header.format, header.version)  # raises for the usual cause
        if "of length <=" in str(exc):
            return (f"has a field over its size limit (text: {MAX_FIELD_CHARS // 1024} KiB "
                    f"characters) ({exc})")
        if "<=" in str(exc) or ">=" in str(exc):
            return f"has a number out of range ({exc})"
        return f"does not have the shape of an ibdquiz export ({exc})"
    if "truncated" in str(exc):
        return "is truncated (the JSON ends early); ask for the file again"
    return f"is not JSON ({exc})"


_PEEK_BYTES = 4096
"""Bytes read first: what a file starts with tells whether it can be JSON at all."""
_JSON_STARTS = frozenset(bytes([c]) for c in b'{["-0123456789tfn')
"""The bytes a JSON text can start with (after white space)."""


def _read_json_bytes(path: Path) -> bytes:
    """The file's bytes, once a peek shows it can be a JSON object (a video is not read whole)."""
    with path.open("rb") as handle:
        head = handle.read(_PEEK_BYTES)
        start = head.lstrip()
        if start.startswith(b"\xef\xbb\xbf"):  # a BOM, as some editors write
            start = start[3:].lstrip()
        if not start and len(head) < _PEEK_BYTES:
            raise ExportError("is empty")
        if start and start[:1] not in _JSON_STARTS:
            raise ExportError(
                "is not JSON (an export starts with '{'); give the file that "
                "'ibdquiz export' wrote"
            )
        handle.seek(0)  # read whole at once: ``head + rest`` would hold the file twice
        return handle.read(MAX_FILE_BYTES + 1)


def read_export(path: Path) -> Fellow:
    """Read and summarise one export file; ``ExportError`` saying what is wrong otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExportError(
                f"is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit for "
                "one export file; export a shorter period with 'ibdquiz export --since'"
            )
        raw = _read_json_bytes(path)
    except OSError as exc:
        raise ExportError(f"cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise ExportError("is empty")
    if len(raw) > _SCAN_FROM_BYTES:
        long = _LONG_TEXT.search(raw)
        if long is not None:  # refused before a huge text is decoded into memory
            raise ExportError(
                f"has a text field over its size limit ({MAX_FIELD_CHARS // 1024} KiB "
                f"characters), starting at byte {long.start() + 1}"
            )
    try:
        doc = EXPORT_DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise ExportError(_decode_problem(raw, exc)) from None
    del raw
    return summarize_export(doc, path)


_SCAN_FROM_BYTES = 8 * 1024 * 1024
"""Files larger than this are scanned for a huge text before they are decoded."""
_LONG_TEXT = re.compile(rb'"[^"]{%d}' % (6 * MAX_FIELD_CHARS + 1))
"""A JSON string longer than any field within the limit can be, even fully escaped (6 bytes a
character): found in linear time, so a 200 MB name is refused without decoding it."""

PARALLEL_MIN_FILES = 8
"""With ``workers=0`` (auto), from this many files on they are read by a pool of processes."""


def _read_or_problem(path: Path) -> Fellow | str:
    """A fellow, or the one line that says why the file was skipped (picklable for a pool)."""
    try:
        return read_export(path)
    except ExportError as exc:
        return f"{printable(str(path))}: {exc}"


def _read_all(files: Sequence[Path], workers: int) -> Iterator[Fellow | str]:
    """Each file's result, in the order of ``files``."""
    count = workers
    if workers == 0:  # auto: parallel only when there is enough work to pay for the start-up
        count = min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_MIN_FILES else 1
    if count <= 1:
        yield from map(_read_or_problem, files)
        return
    # spawn: the same everywhere, and safe whatever threads the parent has
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
    try:
        # Ctrl-C reaches every process of the terminal's group: the workers are started with
        # SIGINT ignored (inherited through exec), so only this process sees it, stops the
        # pool and reports one line, instead of each worker printing a traceback.
        with _sigint_ignored():
            results = pool.map(_read_or_problem, files)
        yield from results
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored in this process (and what it starts) for the block; the main thread only.

    It is blocked too while the block runs, so the threads the pool starts then (its manager
    and queue feeder) inherit a mask that keeps it out: the kernel gives a Ctrl-C sent to the
    process to a thread that does not block it, and one given to a pool thread would not
    interrupt the main thread's wait (opening a FIFO nobody reads, say), which then hangs.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    mask = getattr(signal, "pthread_sigmask", None)  # POSIX only
    blocked = mask(signal.SIG_BLOCK, {signal.SIGINT}) if mask is not None else set()
    try:
        yield
    finally:
        if mask is not None and signal.SIGINT not in blocked:
            mask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def read_exports(paths: Sequence[Path], *, workers: int = 1) -> ReadOutcome:
    """Read every file; keep the newest export of each learner; name every skipped file.

    ``workers``: 1 reads in this process; more reads with a pool of that many processes
    (spawned: the caller's main module must be importable, as a script or ``-m`` module is);
    0 picks one per core (at most 4) when there are many files. The CLI uses 0.
    """
    files, problems = expand_inputs(paths)
    outcome = ReadOutcome(problems=problems)
    by_learner: dict[str, Fellow] = {}
    for fellow in _read_all(files, workers):
        if isinstance(fellow, str):
            outcome.problems.append(fellow)
            continue
        outcome.files_read += 1
        earlier = by_learner.get(fellow.learner_id)
        if earlier is None:
            by_learner[fellow.learner_id] = fellow
            continue
        newer, older = (
            (fellow, earlier) if fellow.exported_at > earlier.exported_at else (earlier, fellow)
        )
        by_learner[fellow.learner_id] = newer
        outcome.problems.append(
            f"{older.path}: same learner as {newer.path} (learner_id {fellow.learner_id}); "
            f"kept the newer export ({newer.exported_at.isoformat()}), skipped this one"
        )
    outcome.fellows = list(by_learner.values())
    return outcome
