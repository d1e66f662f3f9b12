"""The app's file flows: save, save as, export, open, and quitting without losing edits.

A mixin of the App: every flow that asks the person something (a path, a confirmation) runs
in a worker so it can wait for the dialog's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from costmodel.model.errors import CostmodelError
from costmodel.tui.dialogs import confirm, picker
from costmodel.tui.edit_errors import ChangedOnDisk, NeedsPath

if TYPE_CHECKING:
    from costmodel.tui.state import Document

__all__ = ["FileActions"]


class FileActions(App[int]):
    """Saving, opening and quitting; the App that mixes this in holds `document`."""

    document: Document | None  # None until the scenario named on the command line is open
    other: Document | None  # a second scenario shown side by side
    _editing: object | None

    if TYPE_CHECKING:  # provided by the app that mixes this in

        def _show_results(self) -> None: ...

        def _load_document(self, document: Document) -> None: ...

        def _keep_for_recovery(self) -> None: ...

        def _forget_recovery(self) -> None: ...

    def action_save(self) -> None:
        """Save to the scenario's file (asks for a path for a preset; warns when the file changed on disk)."""
        self._save()

    @work(exclusive=True, group="files")
    async def _save(self, then_exit: bool = False) -> None:
        doc = self.document
        try:
            doc.save()
        except NeedsPath as exc:
            self.notify(str(exc), title="Save as", severity="warning", markup=False)
            if await self._save_as_flow() and then_exit:
                self.exit(0)
            return
        except ChangedOnDisk:
            answer = await self.push_screen_wait(
                confirm(
                    "The file changed on disk",
                    f"{doc.path} was changed by someone else since it was loaded. Overwrite it with your edits?",
                    [("cancel", "Cancel"), ("overwrite", "Overwrite"), ("saveas", "Save as…")],
                )
            )
            if answer == "overwrite":
                self._write(lambda: doc.save(force=True))
            elif answer == "saveas":
                await self._save_as_flow()
                return
            else:
                return
        except (OSError, CostmodelError) as exc:
            self.notify(f"could not save: {exc}", severity="error", markup=False)
            return
        else:
            self.notify(f"saved {doc.path}", timeout=2, markup=False)
        self._show_results()
        self._keep_for_recovery()
        if then_exit and not doc.modified:
            self.exit(0)

    def _write(self, save: Callable[[], Path]) -> bool:
        try:
            path = save()
        except (OSError, CostmodelError, NeedsPath) as exc:
            self.notify(f"could not save: {exc}", severity="error", markup=False)
            return False
        self.notify(f"saved {path}", timeout=2, markup=False)
        return True

    def _suggested_path(self) -> str:
        doc = self.document
        if doc.path is not None and not doc.read_only:
            return str(doc.path)
        stem = doc.path.stem if doc.path is not None else "scenario"
        return str(Path.cwd() / f"{stem}.toml")

    async def _ask_path(self, title: str) -> Path | None:
        """Ask for a file path (offering the suggested one); confirm before replacing another file."""
        suggested = self._suggested_path()
        answer = await self.push_screen_wait(
            # No choices: a fuzzy match of the suggestion would replace the name typed (support.toml).
            picker(title, [], placeholder="path/to/scenario.toml", value=suggested, free_text=True)
        )
        if not answer:
            return None
        path = Path(answer).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            self.notify(f"{path} is a folder: type a file name", severity="error", markup=False)
            return None
        if path.exists() and path != self.document.path:
            answer = await self.push_screen_wait(
                confirm("Replace the file?", f"{path} exists.", [("cancel", "Cancel"), ("replace", "Replace")])
            )
            if answer != "replace":
                return None
        return path

    async def _save_as_flow(self) -> bool:
        path = await self._ask_path("Save as (Enter saves, Esc cancels)")
        if path is None:
            return False
        ok = self._write(lambda: self.document.save(path))
        self._show_results()
        self._keep_for_recovery()
        return ok

    @work(exclusive=True, group="files")
    async def action_save_as(self) -> None:
        """Save the scenario under a new path; the UI then edits that file."""
        await self._save_as_flow()

    @work(exclusive=True, group="files")
    async def action_export(self) -> None:
        """Write a self-contained TOML copy of the scenario (the UI keeps editing its own file)."""
        path = await self._ask_path("Export TOML to (Enter writes, Esc cancels)")
        if path is not None:
            self._write(lambda: self.document.export(path))

    @work(exclusive=True, group="files")
    async def action_open(self) -> None:
        """Open a preset or a scenario file (asks first when there are unsaved edits)."""
        if self.document is not None and self.document.modified and not await self._discard_ok("Open another scenario"):
            return
        from costmodel.files.presets import list_presets

        choices = [p.name for p in list_presets()]
        choices += sorted(str(p) for p in Path.cwd().glob("*.toml"))
        answer = await self.push_screen_wait(
            picker("Open a preset or a .toml file", choices, placeholder="preset name or path", free_text=True)
        )
        if not answer:
            return
        from costmodel.tui.opening import open_document

        try:
            document = await open_document(answer)
        except CostmodelError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=8, markup=False)
            return
        self._load_document(document)
        self.notify(f"opened {document.path}", timeout=2, markup=False)

    @work(exclusive=True, group="files")
    async def action_compare(self) -> None:
        """Show a second scenario side by side (its figures and Δ under each total); again: stop comparing."""
        if getattr(self, "other", None) is not None:
            self.other = None
            self.query_one("InputGrid").mark_different(set())
            self._show_results()
            return
        from costmodel.files.presets import list_presets

        choices = [p.name for p in list_presets()] + sorted(str(p) for p in Path.cwd().glob("*.toml"))
        answer = await self.push_screen_wait(
            picker("Compare with a preset or a .toml file", choices, placeholder="preset name or path", free_text=True)
        )
        if not answer:
            return
        from costmodel.tui.opening import open_document

        try:
            self.other = await open_document(answer)
        except CostmodelError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=8, markup=False)
            return
        self._show_results()

    async def _discard_ok(self, what: str) -> bool:
        answer = await self.push_screen_wait(
            confirm(what, "There are unsaved edits.", [("cancel", "Cancel"), ("discard", "Discard edits")])
        )
        return answer == "discard"

    @work(exclusive=True, group="files")
    async def action_quit(self) -> None:
        """Quit; with unsaved edits, ask whether to save, discard or stay."""
        if self._editing is not None or len(self.screen_stack) > 1:
            return
        if self.document is None or not self.document.modified:
            self._forget_recovery()
            self.exit(0)
            return
        answer = await self.push_screen_wait(
            confirm(
                "Unsaved edits",
                f"{self.document.path.name if self.document.path else 'This scenario'} has edits that are not saved.",
                [("save", "Save"), ("discard", "Discard and quit"), ("cancel", "Cancel")],
            )
        )
        if answer == "discard":
            self._forget_recovery()
            self.exit(0)
        elif answer == "save":
            self._save(then_exit=True)
