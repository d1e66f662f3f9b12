"""Run a function over chunks of a list in forked worker processes, the results coming back in input order.

`ordered_chunks(work, items, jobs, chunk)` cuts `items` into chunks of at most `chunk`
items (smaller toward the end, so that the workers finish together), forks `jobs` workers
at once (each inherits `items`, the imported modules and any cache built so far, so only
chunk numbers are sent to them) and yields `work(chunk)` for every chunk in the order of
`items`. Chunks are handed out as workers finish them, each worker a couple ahead, so a
worker slowed down by the machine does fewer of them. Each worker writes its results to
its own pipe, and the parent hands out no more chunks while a few results wait to be
taken: memory stays flat however many items there are.

A result is a pair (value, blob): the value travels as `marshal` data (None, bools,
numbers, strings, bytes, tuples, lists, dicts of those), the blob (bytes, which a worker
may give as a list of pieces, sent as they are and received as one) as it is,
copied once on each side of the pipe, which is what large outputs such as a batch's JSON
want. An exception in `work` ends the run as a WorkerError carrying the worker's
traceback; closing the iterator early (an error in the caller, Ctrl-C) stops every
worker. Fork is POSIX only: `fork_available()` says whether it can be used.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import select
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["OrderedResults", "WorkerError", "available_cores", "chunk_bounds", "fork_available", "ordered_chunks"]

T = TypeVar("T")

Work = Callable[[Sequence[T]], tuple[Any, bytes | Sequence[bytes]]]
"""What a worker runs on each chunk: it returns (a value `marshal` can carry, a blob of bytes or its pieces)."""
Blob = bytes | bytearray
"""A blob as the parent receives it (bytearray: read in place, not copied again)."""

# A result's header: a status byte (0: a result, 1: a traceback), the chunk's number in 4 bytes,
# then the lengths of the value and of the blob in 8 bytes each.
_HEADER = 21
_TOKEN = 4  # a chunk number sent to a worker, little-endian
_AHEAD = 2  # chunks given to a worker beyond the one it works on: it never waits for the parent
_WAITING_PER_JOB = 8  # results a worker may have sent, or be working on, before the parent takes them
_PIPE_BYTES = 1 << 20
_IOV_MAX = 512  # pieces per writev call (POSIX allows at least 16, Linux 1024)


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


def chunk_bounds(count: int, jobs: int, chunk: int) -> list[tuple[int, int]]:
    """Return (start, end) of consecutive chunks covering range(count): `chunk` items each until what is
    left is under 2 * jobs chunks' worth, then about what is left / (2 * jobs), down to chunk / 8 (at least 1).
    """
    smallest = max(1, chunk // 8)
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < count:
        size = max(smallest, min(chunk, (count - start) // (2 * jobs)))
        end = min(count, start + size)
        bounds.append((start, end))
        start = end
    return bounds


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to the file descriptor `fd` (os.write may write part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_pieces(fd: int, pieces: Sequence[bytes]) -> None:
    """Write the pieces one after the other to `fd`, many per system call and without joining them."""
    views = [memoryview(piece) for piece in pieces if piece]
    while views:
        written = os.writev(fd, views[:_IOV_MAX])
        while views and written >= len(views[0]):
            written -= len(views.pop(0))
        if written:
            views[0] = views[0][written:]


def _read_exact(fd: int, size: int) -> bytearray:
    """Return the next `size` bytes read from `fd`: fewer only when the other end closed first."""
    data = bytearray(size)
    got = 0
    with memoryview(data) as view:
        while got < size:
            n = os.readv(fd, [view[got:]])
            if n == 0:
                break
            got += n
    if got < size:
        del data[got:]
    return data


def _header(status: int, index: int, value: bytes, blob_size: int) -> bytes:
    """Return the header sent before a result's value and blob."""
    return (
        bytes((status,))
        + index.to_bytes(_TOKEN, "little")
        + len(value).to_bytes(8, "little")
        + blob_size.to_bytes(8, "little")
    )


def _serve(work: Work[T], items: Sequence[T], bounds: list[tuple[int, int]], tasks: int, fd: int) -> int:
    """Run `work` on each chunk whose number comes on `tasks`, writing each result to `fd`, until `tasks` closes.

    Returns the worker's exit code: 0 when every chunk was sent, 1 when it stopped early.
    """
    index = -1
    try:
        while True:
            token = _read_exact(tasks, _TOKEN)
            if len(token) < _TOKEN:
                return 0  # the parent has handed out every chunk
            index = int.from_bytes(token, "little")
            start, end = bounds[index]
            value, blob = work(items[start:end])
            pieces = [blob] if isinstance(blob, bytes) else blob
            payload = marshal.dumps(value)
            header = _header(0, index, payload, sum(map(len, pieces)))
            _write_pieces(fd, [header, payload, *pieces])
    except (KeyboardInterrupt, BrokenPipeError):
        return 1  # the parent is stopping the run; it reports why
    except BaseException:
        import traceback

        text = traceback.format_exc().encode("utf-8", "replace")
        with contextlib.suppress(OSError):
            _write_all(fd, _header(1, max(index, 0), text, 0) + text)
        return 1


class _Worker:
    """The parent's end of one worker: its process, the pipe its chunk numbers go on, the pipe its results come
    on, and the chunks it was given and has not sent back yet (in order)."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks
        self.results = results
        self.given: list[int] = []


def _start(work: Work[T], items: Sequence[T], bounds: list[tuple[int, int]], jobs: int) -> list[_Worker]:
    """Fork the workers (every pipe made first: each worker keeps only its own two ends); return them."""
    pipes: list[tuple[int, int, int, int]] = []  # (tasks read, tasks write, results read, results write)
    workers: list[_Worker] = []
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        for _ in range(jobs):
            tasks_read, tasks_write = os.pipe()
            results_read, results_write = os.pipe()
            pipes.append((tasks_read, tasks_write, results_read, results_write))
            try:
                import fcntl

                fcntl.fcntl(results_write, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
            except (ImportError, AttributeError, OSError):
                pass  # the system's pipe size: the workers just wait for the parent more often
        for k in range(jobs):
            pid = os.fork()
            if pid == 0:  # the worker: it never returns into the caller's code
                code = 1
                try:
                    mine = pipes[k]
                    for other in pipes:
                        for fd in other:
                            if fd not in (mine[0], mine[3]):
                                os.close(fd)
                    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
                    code = _serve(work, items, bounds, mine[0], mine[3])
                finally:
                    os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
            workers.append(_Worker(pid, pipes[k][1], pipes[k][2]))
    except BaseException:
        _stop(workers, kill=True)
        for fds in pipes[len(workers) :]:
            for fd in fds:
                os.close(fd)
        raise
    finally:
        for k in range(len(workers)):
            os.close(pipes[k][0])
            os.close(pipes[k][3])
    return workers


def _stop(workers: list[_Worker], kill: bool) -> None:
    """Close the pipes and reap the workers (killing those still running when `kill`)."""
    for worker in workers:
        for fd in (worker.tasks, worker.results):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        worker.tasks = worker.results = -1
    for worker in workers:
        if kill:
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)


class OrderedResults:
    """The results of forked workers in input order; `close()` stops the workers."""

    def __init__(self, workers: list[_Worker], count: int) -> None:
        self._workers = workers
        self._count = count
        self._next = 0  # the chunk to yield next
        self._handed = 0  # chunks handed out so far (numbers 0 .. _handed - 1)
        self._received: dict[int, tuple[Any, Blob]] = {}
        self._limit = _WAITING_PER_JOB * max(1, len(workers))
        self._hand_out()

    def __iter__(self) -> OrderedResults:
        """Return this iterator."""
        return self

    def __next__(self) -> tuple[Any, Blob]:
        """Return the next chunk's result (value, blob); raise WorkerError when a worker failed."""
        if self._next >= self._count:
            self.close()
            raise StopIteration
        try:
            while self._next not in self._received:
                self._receive()
            result = self._received.pop(self._next)
            self._next += 1
            self._hand_out()
            return result
        except BaseException:
            self.close()
            raise

    def _hand_out(self) -> None:
        """Give workers chunk numbers (each up to _AHEAD beyond its current one) while few results wait to be
        taken; once every chunk is handed out, close the task pipes so each worker ends after its last one."""
        for worker in self._workers:
            while (
                worker.tasks >= 0
                and len(worker.given) <= _AHEAD
                and self._handed < self._count
                and self._handed - self._next < self._limit
            ):
                try:
                    _write_all(worker.tasks, self._handed.to_bytes(_TOKEN, "little"))
                except OSError:
                    # The worker has ended: what it sent last (a traceback, say) is read by `_receive`, which
                    # reports it; if every worker has ended, `_receive` finds none left and says so.
                    os.close(worker.tasks)
                    worker.tasks = -1
                    break
                worker.given.append(self._handed)
                self._handed += 1
        if self._handed >= self._count:
            for worker in self._workers:
                if worker.tasks >= 0:
                    os.close(worker.tasks)
                    worker.tasks = -1

    def _receive(self) -> None:
        """Wait for a worker's result and keep it (a traceback or a worker gone is a WorkerError)."""
        by_fd = {worker.results: worker for worker in self._workers if worker.given}
        if not by_fd:
            raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
        poll = select.poll()  # only the workers that owe results: one that has ended would wake it at once
        for fd in by_fd:
            poll.register(fd, select.POLLIN)
        for fd, _ in poll.poll():
            worker = by_fd[fd]
            header = _read_exact(fd, _HEADER)
            if len(header) < _HEADER:
                raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
            index = int.from_bytes(header[1:5], "little")
            size = int.from_bytes(header[5:13], "little")
            blob_size = int.from_bytes(header[13:], "little")
            payload = _read_exact(fd, size)
            blob = _read_exact(fd, blob_size) if blob_size else b""
            if len(payload) < size or len(blob) < blob_size:
                raise WorkerError("a batch worker process ended unexpectedly (killed, or out of memory?)")
            if header[0]:
                raise WorkerError("a batch worker process failed:\n" + payload.decode("utf-8", "replace"))
            if not worker.given or worker.given[0] != index:
                raise WorkerError(f"a batch worker process sent chunk {index} out of turn")
            worker.given.pop(0)
            self._received[index] = (marshal.loads(payload), blob)
        self._hand_out()  # to the workers that just sent results, before waiting again

    def close(self) -> None:
        """Stop the workers (those still running are killed) and close their pipes; safe to call twice."""
        finished = self._next >= self._count
        workers, self._workers = self._workers, []
        self._next = self._count
        self._received.clear()
        _stop(workers, kill=not finished)


def ordered_chunks(work: Work[T], items: Sequence[T], jobs: int, chunk: int) -> OrderedResults:
    """Return an iterator of `work(items[start:end])` for the chunks of `chunk_bounds`, in their order.

    The `jobs` workers are forked before this returns (so call it before starting threads);
    each result is a pair (a value `marshal` can carry, bytes). Raises WorkerError, while
    iterating, when a worker fails. Call `close()` when stopping early (it is called at the
    end and on errors).
    """
    jobs = max(1, jobs)
    bounds = chunk_bounds(len(items), jobs, max(1, chunk))
    if not bounds:
        return OrderedResults([], 0)
    jobs = min(jobs, len(bounds))
    return OrderedResults(_start(work, items, bounds, jobs), len(bounds))
