"""What the command line sets up before anything imports pydantic: its third-party plugins are off.

pydantic looks up plugins through package metadata on the first model build, which costs
start-up time, and the command line uses none. A user who wants them sets
PYDANTIC_DISABLE_PLUGINS (to an empty value, say) before running costmodel. The library
(`import costmodel`) leaves pydantic as it finds it.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

__all__: list[str] = []

_LOADER = "pydantic.plugin._loader"


def _stand_in_for_plugin_loader() -> None:
    """With pydantic's plugins off, put a stand-in for its plugin loader in `sys.modules`.

    Importing the real loader imports `importlib.metadata` (and with it email parsing and
    zip files), ~8 ms of every command's start-up, only for `get_plugins()` to return
    nothing when plugins are off. The stand-in's `get_plugins()` returns nothing at once;
    any other name asked of it loads the real loader in its place and answers from it.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true") or _LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_LOADER, "pydantic's plugin loader while plugins are off (see costmodel.cli.startup)")

    def real(attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)  # the import system asking whether it is a package (`__path__`)
        sys.modules.pop(_LOADER, None)
        return getattr(importlib.import_module(_LOADER), attribute)

    stand_in.get_plugins = lambda: ()  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_LOADER] = stand_in


os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_stand_in_for_plugin_loader()
