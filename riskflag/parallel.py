"""Where chunks of notes are scanned: in this process, in a pool of worker processes
(``--workers N``) or on a Dask cluster (``--engine dask``).

Every engine maps :func:`~riskflag.chunks.scan_chunk` over ``(index, notes)`` chunks and yields the
:class:`~riskflag.chunks.ChunkOutput` objects in input order, with at most a few chunks in flight
(bounded memory). Each worker process builds the pipeline and loads the model once and keeps it.
A chunk whose worker fails outright (not a note: notes fail one by one inside the scanner) comes
back with every note in status ``error`` (code ``E208``): nothing is dropped.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .chunks import ChunkOutput, scan_chunk
from .engine import Scanner, ScanStats
from .errors import ConfigError, ModelError, RecordError, RulesError
from .types import Note, NoteResult

__all__ = ["ENGINES", "open_engine", "LocalEngine", "ProcessEngine", "DaskEngine", "scan_chunk_task"]

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")
#: errors that stop the whole run (bad rules, bad model, bad options) rather than one chunk
FATAL = (RulesError, ModelError, ConfigError)

_SCANNERS: dict[str, Scanner] = {}


def _options_key(options: dict[str, Any]) -> str:
    return json.dumps(options, sort_keys=True, default=lambda o: f"{type(o).__name__}@{id(o)}")


def worker_scanner(options: dict[str, Any]) -> Scanner:
    """The scanner for ``options`` in this process, built on first use and then reused."""
    key = _options_key(options)
    scanner = _SCANNERS.get(key)
    if scanner is None:
        from .scan import make_scanner

        scanner = make_scanner(**options, track_duplicates=False)
        _SCANNERS[key] = scanner
    return scanner


def scan_chunk_task(options: dict[str, Any], index: int, notes: list[Note]) -> ChunkOutput:
    """Scan one chunk with this process's scanner (the function workers run)."""
    return scan_chunk(worker_scanner(options), index, notes, include_text=bool(options.get("include_text")))


def failed_chunk(index: int, notes: list[Note], exc: BaseException, *, redacted: bool) -> ChunkOutput:
    """Error rows for every note of a chunk whose worker failed (the notes are kept, not dropped)."""
    log.error("chunk %d (records %d-%d) failed in its worker (%s); its notes get status error E208",
              index, notes[0].index + 1, notes[-1].index + 1, type(exc).__name__)
    stats = ScanStats()
    rows = []
    for note in notes:
        result = NoteResult(note, (), RecordError(
            f"record {note.index + 1} could not be scanned: its worker failed ({type(exc).__name__})", code="E208"))
        stats.add(result)
        rows.append(result.to_dict())
    red = [{"note_id": n.note_id, "status": "error", "text": None} for n in notes] if redacted else None
    return ChunkOutput(index, notes[0].index, rows, [], red, stats)


def _ordered(submit: Callable[[int, list[Note]], Any], chunks: Iterable[tuple[int, list[Note]]], window: int,
             *, redacted: bool) -> Iterator[ChunkOutput]:
    """Submit chunks with at most ``window`` in flight; yield their outputs in submission order."""
    pending: deque[tuple[int, list[Note], Any]] = deque()

    def collect() -> ChunkOutput:
        index, notes, future = pending.popleft()
        try:
            return future.result()
        except FATAL:
            raise
        except Exception as exc:  # noqa: BLE001 - a worker crash costs one chunk, never the batch
            return failed_chunk(index, notes, exc, redacted=redacted)

    for index, notes in chunks:
        pending.append((index, notes, submit(index, notes)))
        if len(pending) >= window:
            yield collect()
    while pending:
        yield collect()


class LocalEngine:
    """Scan in this process (the default)."""

    workers = 1

    def __init__(self, options: dict[str, Any]) -> None:
        from .scan import make_scanner

        self.options = options
        self.scanner = make_scanner(**options, track_duplicates=False)

    def map(self, chunks: Iterable[tuple[int, list[Note]]]) -> Iterator[ChunkOutput]:
        for index, notes in chunks:
            yield scan_chunk(self.scanner, index, notes, include_text=bool(self.options.get("include_text")))

    def close(self) -> None:
        pass


def _init_worker(options: dict[str, Any], log_level: int) -> None:
    logging.getLogger("riskflag").setLevel(log_level)
    worker_scanner(options)


class ProcessEngine:
    """Scan in ``workers`` processes on this machine (``--workers N``)."""

    def __init__(self, options: dict[str, Any], workers: int) -> None:
        if workers < 2:
            raise ConfigError(f"a process pool needs at least 2 workers, not {workers}", code="E523")
        self.options = options
        self.workers = workers
        self.redacted = bool(options.get("redact"))
        _check_model(options)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a clean interpreter per worker (no inherited threads or locks), as on macOS/Windows
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                                   initargs=(self.options, logging.getLogger("riskflag").getEffectiveLevel()))

    def _submit(self, index: int, notes: list[Note]) -> Any:
        try:
            return self._pool.submit(scan_chunk_task, self.options, index, notes)
        except BrokenProcessPool:
            log.warning("a worker process died; starting a new pool")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(scan_chunk_task, self.options, index, notes)

    def map(self, chunks: Iterable[tuple[int, list[Note]]]) -> Iterator[ChunkOutput]:
        yield from _ordered(self._submit, chunks, 2 * self.workers, redacted=self.redacted)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """Scan on a Dask cluster (``--engine dask``): the scheduler at ``scheduler``, or a LocalCluster
    of ``workers`` processes. Notes are read here and sent to the workers chunk by chunk; output
    rows come back and are written here, so workers need riskflag installed but no shared disk."""

    def __init__(self, options: dict[str, Any], *, scheduler: str | None = None, workers: int = 1,
                 client: Any = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("the Dask engine needs dask: pip install 'riskflag[dask]'", code="E524") from None
        self.options = options
        self.redacted = bool(options.get("redact"))
        _check_model(options)
        self._cluster = None
        if client is not None:
            self.client, self._own_client = client, False
        else:
            if scheduler is None:
                self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                             dashboard_address=":0")
                scheduler = self._cluster.scheduler_address
            self.client, self._own_client = Client(scheduler), True
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def _submit(self, index: int, notes: list[Note]) -> Any:
        return self.client.submit(scan_chunk_task, self.options, index, notes, pure=False)

    def map(self, chunks: Iterable[tuple[int, list[Note]]]) -> Iterator[ChunkOutput]:
        yield from _ordered(self._submit, chunks, 2 * self.workers, redacted=self.redacted)

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def open_engine(options: dict[str, Any], *, engine: str = "local", workers: int = 1,
                scheduler: str | None = None) -> LocalEngine | ProcessEngine | DaskEngine:
    """The engine for ``--engine`` / ``--workers`` / ``--scheduler``."""
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}", code="E523")
    if engine == "dask":
        return DaskEngine(options, scheduler=scheduler, workers=workers)
    if engine != "local":
        raise ConfigError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}", code="E525")
    if scheduler is not None:
        raise ConfigError("--scheduler needs --engine dask", code="E525")
    return ProcessEngine(options, workers) if workers > 1 else LocalEngine(options)


def _check_model(options: dict[str, Any]) -> None:
    """Load the risk model once here so a missing or tampered model stops the run before any worker starts."""
    if options.get("risk", True):
        from .scan import _load_risk_model

        _load_risk_model(options.get("model"))
