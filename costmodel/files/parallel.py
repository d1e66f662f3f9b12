"""Run a function over chunks of a list in forked worker processes, the results coming back in input order.

`ordered_chunks(work, items, jobs, chunk)` forks `jobs` workers at once (each inherits
`items`, the imported modules and any cache built so far, so nothing is sent to them),
gives worker k the chunks k, k + jobs, k + 2 * jobs, ... and yields `work(chunk)` for
every chunk in the order of `items`. A worker writes each result to its own pipe, which
holds at most about a megabyte, so a worker that runs ahead waits: memory stays flat
however many items there are. A result is a pair (value, blob): the value travels as
`marshal` data (None, bools, numbers, strings, bytes, tuples, lists, dicts of those),
the blob (bytes) as it is, copied once on each side of the pipe, which is what large
outputs such as a batch's JSON want. An exception in `work` ends the run as a
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

_HEADER = 17  # one status byte (0: a result, 1: a traceback), the value's length and the blob's, 8 bytes each
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


Work = Callable[[Sequence[T]], tuple[Any, bytes]]
"""What a worker runs on each chunk: it returns (a value `marshal` can carry, a blob of bytes)."""


def _header(status: int, value: bytes, blob: bytes) -> bytes:
    """Return the header sent before a result's value and blob."""
    return bytes((status,)) + len(value).to_bytes(8, "little") + len(blob).to_bytes(8, "little")


def _serve(work: Work[T], items: Sequence[T], first: int, step: int, chunk: int, fd: int) -> int:
    """Run `work` on chunks `first`, `first + step`, ... of `items`, writing each result to `fd`.

    Returns the worker's exit code: 0 when every chunk was sent, 1 when it stopped early.
    """
    try:
        for start in range(first * chunk, len(items), step * chunk):
            value, blob = work(items[start : start + chunk])
            payload = marshal.dumps(value)
            _write_all(fd, _header(0, payload, blob) + payload)
            _write_all(fd, blob)
    except (KeyboardInterrupt, BrokenPipeError):
        return 1  # the parent is stopping the run; it reports why
    except BaseException:
        text = traceback.format_exc().encode("utf-8", "replace")
        with contextlib.suppress(OSError):
            _write_all(fd, _header(1, text, b"") + text)
        return 1
    return 0


def _start(work: Work[T], items: Sequence[T], jobs: int, chunk: int) -> tuple[list[int], list[Any]]:
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

    def __next__(self) -> tuple[Any, bytes]:
        """Return the next chunk's result (value, blob); raise WorkerError when its worker failed."""
        if self._index >= self._count:
            self.close()
            raise StopIteration
        try:
            reader = self._readers[self._index % len(self._readers)]
            header = reader.read(_HEADER)
            if len(header) < _HEADER:
                raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
            size = int.from_bytes(header[1:9], "little")
            blob_size = int.from_bytes(header[9:], "little")
            payload = reader.read(size)
            blob = reader.read(blob_size) if blob_size else b""
            if len(payload) < size or len(blob) < blob_size:
                raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
            if header[0]:
                raise WorkerError("a batch worker process failed:\n" + payload.decode("utf-8", "replace"))
            self._index += 1
            return marshal.loads(payload), blob
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers (those still running are killed) and close their pipes; safe to call twice."""
        finished = self._index >= self._count
        pids, readers = self._pids, self._readers
        self._pids, self._readers, self._index = [], [], self._count
        _stop(pids, readers, kill=not finished)


def ordered_chunks(work: Work[T], items: Sequence[T], jobs: int, chunk: int) -> OrderedResults:
    """Return an iterator of `work(items[i : i + chunk])` for i = 0, chunk, 2 * chunk, ..., in that order.

    The `jobs` workers are forked before this returns (so call it before starting threads);
    each result is a pair (a value `marshal` can carry, bytes). Raises WorkerError, while iterating, when a
    worker fails. Call `close()` when stopping early (it is called at the end and on errors).
    """
    count = (len(items) + chunk - 1) // chunk
    jobs = max(1, min(jobs, count))
    if not count:
        return OrderedResults([], [], 0)
    pids, readers = _start(work, items, jobs, chunk)
    return OrderedResults(pids, readers, count)
