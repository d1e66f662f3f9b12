"""Run a function over chunks of a list in forked worker processes, the results coming back in input order.

`ordered_chunks(work, items, jobs, chunk)` forks `jobs` workers at once (each inherits
`items`, the imported modules and any cache built so far, so nothing is sent to them),
gives worker k the chunks k, k + jobs, k + 2 * jobs, ... and yields `work(chunk)` for
every chunk in the order of `items`. A worker writes each result to its own pipe, which
holds at most about a megabyte, so a worker that runs ahead waits: memory stays flat
however many items there are. Results travel as `marshal` data (None, bools, numbers,
strings, bytes, tuples, lists, dicts of those). An exception in `work` ends the run as a
WorkerError carrying the worker's traceback; closing the iterator early (an error in the
caller, Ctrl-C) stops every worker. Fork is POSIX only: `fork_available()` says whether
it can be used.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["OrderedResults", "WorkerError", "available_cores", "fork_available", "ordered_chunks"]

T = TypeVar("T")

_HEADER = 9  # one status byte (0: a result, 1: a traceback), then the payload's length in 8 bytes
_PIPE_BYTES = 1 << 20


class WorkerError(RuntimeError):
    """A worker process failed: an unexpected exception in the work (its traceback is the message) or a crash."""


def available_cores() -> int:
    """Return how many cores this process may run on (its CPU affinity, else the machine's count), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def fork_available() -> bool:
    """Return True when worker processes can be forked here (POSIX systems)."""
    return hasattr(os, "fork")


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to the file descriptor `fd` (os.write may write part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _serve(work: Callable[[Sequence[T]], Any], items: Sequence[T], first: int, step: int, chunk: int, fd: int) -> int:
    """Run `work` on chunks `first`, `first + step`, ... of `items`, writing each result to `fd`.

    Returns the worker's exit code: 0 when every chunk was sent, 1 when it stopped early.
    """
    try:
        for start in range(first * chunk, len(items), step * chunk):
            payload = marshal.dumps(work(items[start : start + chunk]))
            _write_all(fd, b"\0" + len(payload).to_bytes(8, "little"))
            _write_all(fd, payload)
    except (KeyboardInterrupt, BrokenPipeError):
        return 1  # the parent is stopping the run; it reports why
    except BaseException:
        text = traceback.format_exc().encode("utf-8", "replace")
        with contextlib.suppress(OSError):
            _write_all(fd, b"\1" + len(text).to_bytes(8, "little") + text)
        return 1
    return 0


def _start(
    work: Callable[[Sequence[T]], Any], items: Sequence[T], jobs: int, chunk: int
) -> tuple[list[int], list[Any]]:
    """Fork the workers; return their process ids and the pipes their results come on."""
    pids: list[int] = []
    readers: list[Any] = []
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        for k in range(jobs):
            read_fd, write_fd = os.pipe()
            try:
                import fcntl

                fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
            except (ImportError, AttributeError, OSError):
                pass  # the system's pipe size: the workers just wait for the parent more often
            pid = os.fork()
            if pid == 0:  # the worker: it never returns into the caller's code
                code = 1
                try:
                    os.close(read_fd)
                    for reader in readers:
                        reader.close()
                    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
                    code = _serve(work, items, k, jobs, chunk, write_fd)
                finally:
                    os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
            os.close(write_fd)
            pids.append(pid)
            readers.append(os.fdopen(read_fd, "rb"))
    except BaseException:
        _stop(pids, readers)
        raise
    return pids, readers


def _stop(pids: list[int], readers: list[Any], kill: bool = True) -> None:
    """Close the pipes and reap the workers (killing those still running when `kill`)."""
    for reader in readers:
        reader.close()
    for pid in pids:
        if kill:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


class OrderedResults:
    """The results of forked workers, read from their pipes in input order; `close()` stops the workers."""

    def __init__(self, pids: list[int], readers: list[Any], count: int) -> None:
        self._pids = pids
        self._readers = readers
        self._count = count
        self._index = 0

    def __iter__(self) -> OrderedResults:
        """Return this iterator."""
        return self

    def __next__(self) -> Any:
        """Return the next chunk's result; raise WorkerError when its worker failed."""
        if self._index >= self._count:
            self.close()
            raise StopIteration
        try:
            reader = self._readers[self._index % len(self._readers)]
            header = reader.read(_HEADER)
            size = int.from_bytes(header[1:], "little") if len(header) == _HEADER else -1
            payload = reader.read(size) if size >= 0 else b""
            if size < 0 or len(payload) < size:
                raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
            if header[0]:
                raise WorkerError("a batch worker process failed:\n" + payload.decode("utf-8", "replace"))
            self._index += 1
            return marshal.loads(payload)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers (those still running are killed) and close their pipes; safe to call twice."""
        finished = self._index >= self._count
        pids, readers = self._pids, self._readers
        self._pids, self._readers, self._index = [], [], self._count
        _stop(pids, readers, kill=not finished)


def ordered_chunks(work: Callable[[Sequence[T]], Any], items: Sequence[T], jobs: int, chunk: int) -> OrderedResults:
    """Return an iterator of `work(items[i : i + chunk])` for i = 0, chunk, 2 * chunk, ..., in that order.

    The `jobs` workers are forked before this returns (so call it before starting threads);
    each result is a value `marshal` can carry. Raises WorkerError, while iterating, when a
    worker fails. Call `close()` when stopping early (it is called at the end and on errors).
    """
    count = (len(items) + chunk - 1) // chunk
    jobs = max(1, min(jobs, count))
    if not count:
        return OrderedResults([], [], 0)
    pids, readers = _start(work, items, jobs, chunk)
    return OrderedResults(pids, readers, count)
