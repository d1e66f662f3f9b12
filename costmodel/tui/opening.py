"""Open a scenario without freezing the UI: refuse what is not a regular file, read the rest off the UI thread.

A FIFO, a device or `/dev/zero` given as the scenario would block (or never end) a read on the
UI's thread and leave the window on "opening…". `check_openable` refuses them at once (a stat
never blocks); `open_document` reads in a daemon thread and gives up after a time limit, so
the UI can explain and stay usable even when a read hangs. No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.model.errors import ScenarioError

if TYPE_CHECKING:
    from costmodel.tui.state import Document

__all__ = ["MAX_SCENARIO_BYTES", "OPEN_TIMEOUT", "check_openable", "open_document"]

MAX_SCENARIO_BYTES = 10 * 1024 * 1024
OPEN_TIMEOUT = 15.0


def check_openable(ref: str | Path) -> None:
    """Raise ScenarioError when `ref` names something that is not a regular file of a sane size.

    A name that is not an existing path (a preset name) is left to the loader.
    """
    path = Path(ref).expanduser()
    try:
        info = path.stat()
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{path}: is a folder; expected a scenario .toml file")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{path}: is not a regular file (a pipe or a device); expected a scenario .toml file")
    if info.st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError(f"{path}: {info.st_size:,} bytes is too large for a scenario (the limit is 10 MB)")


async def open_document(ref: str | Path, timeout: float = OPEN_TIMEOUT) -> Document:
    """Return the Document of `ref`, read in a daemon thread; raise ScenarioError when it takes over `timeout` s.

    Errors of the loader (CostmodelError) are raised as they are.
    """
    from costmodel.tui.state import Document

    check_openable(ref)
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Document] = loop.create_future()

    def settle(result: Document | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def hand_over(result: Document | None, error: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile (the UI gave up and quit)
            loop.call_soon_threadsafe(settle, result, error)

    def read() -> None:
        try:
            document = Document.open(ref)
        except BaseException as exc:  # handed to the UI's loop, which raises it in the caller
            hand_over(None, exc)
        else:
            hand_over(document, None)

    # A daemon thread: one stuck in a read never keeps the process from exiting.
    threading.Thread(target=read, name="costmodel-open", daemon=True).start()
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise ScenarioError(
            f"{ref}: reading it took over {timeout:.0f} s; gave up (is it a slow or special file?)"
        ) from None
