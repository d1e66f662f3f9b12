"""The one way costmodel writes a file: outputs (`-o FILE`) and saved scenarios.

`open_output(path)` yields a text stream: stdout for None or `-`; the device or pipe
itself for a path that is not a regular file (`/dev/stdout`, `/dev/null`, a FIFO); else
a temporary file in the target's folder that replaces the target only when everything
was written, so a failed run never leaves half a file. A symlink is followed: its target
is written and the link stays. An existing file keeps its permissions; a new one gets
the user's umask (0644 under the usual 022). Every failure (missing folder, a folder
given as the file, no permission, a full disk) is a CostmodelError naming the real file,
which the command line turns into exit code 2.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from costmodel.files.reading import os_problem
from costmodel.model.errors import CostmodelError
from costmodel.model.text import shorten

__all__ = ["OutputError", "atomic_write", "open_output", "write_output"]


class OutputError(CostmodelError):
    """An output or saved file that cannot be written (the message names the file and why)."""


def _umask() -> int:
    """Return the process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target(path: str) -> tuple[str, os.stat_result | None]:
    """Return the file a path writes to (symlinks followed) and its stat, None when it does not exist yet.

    Raises OutputError for a folder, a symlink loop, a missing parent folder or a name too long.
    """
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{shorten(path)}: cannot write: {os_problem(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        return path, info  # a device or a pipe, written as named (/dev/stdout is a link into /proc)
    real = os.path.realpath(path)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{shorten(path)}: is a folder; give a file name, e.g. {shorten(path)}/out.txt")
    if info is None:
        folder = os.path.dirname(real) or "."
        if not os.path.isdir(folder):
            raise OutputError(f"{shorten(path)}: cannot write: the folder {shorten(folder)} does not exist")
    return real, info


class _TextSink:
    """A binary stream over a text stream that has no binary layer (stdout redirected to a StringIO in process):
    the bytes written are decoded as UTF-8 (a character cut between two writes is kept until it is whole)."""

    def __init__(self, text: Any) -> None:
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data: bytes | memoryview) -> int:
        """Write `data` to the text stream; return how many bytes were taken (all)."""
        self._text.write(self._decoder.decode(data))
        return len(data)

    def flush(self) -> None:
        """Flush the text stream."""
        self._text.flush()

    def isatty(self) -> bool:
        """Return whether the text stream is a terminal."""
        return bool(self._text.isatty())


def _binary_stdout() -> Any:
    """Return a binary stream writing to stdout after what was written to it as text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return _TextSink(sys.stdout)
    sys.stdout.flush()
    return buffer


@contextlib.contextmanager
def open_output(path: str | None, fsync: bool = False, binary: bool = False) -> Iterator[Any]:
    """Yield a text stream (bytes with `binary`) for an output (see the module's docstring); it is in place when
    the block ends.

    With `fsync` the data is on disk before the rename (saved scenarios). Raises
    OutputError naming the real file when it cannot be written; an exception in the block
    leaves an existing file as it was.
    """
    if path is None or path == "-":
        stream = _binary_stdout() if binary else sys.stdout
        yield stream
        stream.flush()
        return
    real, info = _target(path)
    text_mode: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    mode = "wb" if binary else "w"
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device, a pipe or a terminal (/dev/stdout, /dev/null): write to it directly.
        try:
            # O_NONBLOCK: a FIFO nobody reads is an error at once (ENXIO), not a wait; then writes block again.
            fd = os.open(real, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
            os.set_blocking(fd, True)
            handle = os.fdopen(fd, mode, **text_mode)
        except OSError as exc:
            reason = "no process is reading this FIFO" if exc.errno == errno.ENXIO else os_problem(exc)
            raise OutputError(f"{shorten(real)}: cannot write: {reason}") from None
        try:
            yield handle
            handle.close()
        except OSError as exc:
            raise OutputError(f"{shorten(real)}: cannot write: {os_problem(exc)}") from None
        finally:
            with contextlib.suppress(OSError):
                handle.close()
        return
    folder = os.path.dirname(real) or "."
    name = os.path.basename(real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{shorten(real)}: cannot write: {os_problem(exc)}") from None
    try:
        permissions = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
        with os.fdopen(fd, mode, **text_mode) as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.chmod(tmp, permissions)
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{shorten(real)}: cannot write: {os_problem(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if fsync:
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def write_output(text: str, path: str | None = None) -> None:
    """Write `text` to stdout (a newline added when missing) or to `path` through `open_output`."""
    if path is None or path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    with open_output(path) as handle:
        handle.write(text)


def atomic_write(path: str, text: str) -> str:
    """Write `text` to `path` atomically with fsync (temp file, rename); return the real file written.

    A symlink's target is written, an existing file keeps its mode, a new one gets the umask's.
    Raises OutputError naming the real file.
    """
    real, info = _target(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{shorten(real)}: is not a regular file; save to a file")
    with open_output(real, fsync=True) as handle:
        handle.write(text)
    return real
