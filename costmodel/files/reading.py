"""Read a scenario or catalog file safely: regular files only, a size limit, TOML errors located.

Every file costmodel reads from a user (scenario, `extends` base, `pricing` catalog, a
file inside a batch folder) goes through `read_text`: a FIFO, a device or `/dev/zero`
is refused before it is opened for reading (so nothing blocks), a file over
`MAX_FILE_BYTES` is refused, a symlink loop, a name too long or a folder without
permission is named as such, and a UTF-8 byte-order mark is accepted. `parse_toml` turns
every way `tomllib` can fail (syntax, nesting too deep, an integer too long to convert)
into a ScenarioSyntaxError with a line where one can be found.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

from costmodel.model.errors import NotFoundError, ScenarioError, ScenarioSyntaxError
from costmodel.model.text import shorten

__all__ = ["MAX_FILE_BYTES", "os_problem", "parse_toml", "read_text", "regular_file_problem"]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_KEY_DOTS = 1000
# Patterns of error messages only: compiled (and cached by `re`) when an error needs them, not at start-up.
_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"
_LONG_DIGITS = r"[0-9_]{4000,}"
_BOM = "\ufeff"


def os_problem(exc: OSError) -> str:
    """Return a short reason for an OSError met while reading or writing a file (no path in it)."""
    if exc.errno == errno.ELOOP:
        return "a symlink loop (the link points back at itself)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long for the file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (check the file's and its folders' permissions)"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc)


def regular_file_problem(mode: int, size: int) -> str | None:
    """Return why a file with this `st_mode` and size cannot be read as a scenario, or None when it can."""
    if stat.S_ISDIR(mode):
        return "is a folder; expected a scenario .toml file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a file; save the scenario to a file first"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    if size > MAX_FILE_BYTES:
        return f"is {size / 1e6:,.1f} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit for a scenario file"
    return None


def _read_all(fd: int, size: int) -> bytes:
    """Return the bytes of an open file, reading at most MAX_FILE_BYTES + 1 of them.

    It asks for what fstat says is there first (a 10 MB buffer for every small file costs more
    than the read), then for whatever a growing file or a file that reports no size (/proc)
    holds beyond it.
    """
    parts = []
    total = 0
    want = size + 1
    while total <= MAX_FILE_BYTES:
        part = os.read(fd, min(want, MAX_FILE_BYTES + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = max(want - len(part), 1 << 16)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_text(path: Path | str) -> str:
    """Return the text of a regular UTF-8 file (a leading byte-order mark removed).

    Raises NotFoundError for a missing file, ScenarioError for anything that is not a
    readable regular file under the size limit, ScenarioSyntaxError (with line and
    column) for bytes that are not UTF-8 or hold a NUL.
    """
    src = str(path)
    try:
        # Checked before opening, so that a device is never opened at all.
        info = os.stat(path)
        problem = regular_file_problem(info.st_mode, info.st_size)
        if problem:
            raise ScenarioError(f"{shorten(src)}: {problem}")
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise NotFoundError(f"{shorten(src)}: no such file") from None
        if exc.errno == errno.EISDIR:
            raise ScenarioError(f"{shorten(src)}: is a folder; expected a scenario .toml file") from None
        raise ScenarioError(f"{shorten(src)}: cannot read: {os_problem(exc)}") from None
    try:
        info = os.fstat(fd)
        problem = regular_file_problem(info.st_mode, info.st_size)
        if problem:
            raise ScenarioError(f"{shorten(src)}: {problem}")
        raw = _read_all(fd, info.st_size)
    except OSError as exc:
        raise ScenarioError(f"{shorten(src)}: cannot read: {os_problem(exc)}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{shorten(src)}: over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit for a scenario file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioSyntaxError(
            shorten(src),
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); a scenario is a TOML text file",
            line,
            column,
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScenarioSyntaxError(shorten(src), "binary data (a NUL byte); a scenario is a TOML text file", line)
    return text


def _many_part_key(text: str) -> int | None:
    """Return the line of a key or table name with more than MAX_KEY_DOTS dots, or None.

    tomllib builds a dotted key one part at a time (quadratic in the number of parts), so
    such a key is refused before it is parsed; no scenario has keys of more than a few parts.
    """
    if text.count(".") <= MAX_KEY_DOTS:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") > MAX_KEY_DOTS:
            head = line.lstrip(" \t[")
            ends = [i for i in (head.find("="), head.find("]")) if i >= 0]
            if head[: min(ends, default=len(head))].count(".") > MAX_KEY_DOTS:
                return number
    return None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Return the table of a TOML text; raise ScenarioSyntaxError naming `source` (and a line when known)."""
    import tomllib  # here: the fast reader reads most files, so start-up need not load tomllib

    line = _many_part_key(text)
    if line is not None:
        raise ScenarioSyntaxError(source, f"a key or table name of more than {MAX_KEY_DOTS:,} dotted parts", line)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(_TOML_POSITION, message)
        reason = re.sub(_TOML_POSITION, "", message).strip()
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        raise ScenarioSyntaxError(source, f"TOML syntax error: {reason}", line, column) from None
    except RecursionError:
        raise ScenarioSyntaxError(source, "arrays or inline tables nested too deeply to read") from None
    except ValueError:
        # tomllib converts integers with int(), which refuses more than 4,300 digits.
        found = re.search(_LONG_DIGITS, text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise ScenarioSyntaxError(
            source, "a number with thousands of digits; write it with an exponent", line
        ) from None


def read_toml_file(path: Path | str) -> tuple[dict[str, Any], str]:
    """Return the parsed TOML table of a file and its text (see `read_text` and `parse_toml` for the errors)."""
    text = read_text(path)
    return parse_toml(text, shorten(str(path))), text
