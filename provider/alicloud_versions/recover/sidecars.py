"""The metadata files a killed write leaves empty in a file backend.

Pulumi's file backend (gocloud's ``fileblob``) keeps beside each file it stores a ``.attrs`` file
of its metadata, which it truncates and then writes, not atomically. A kill between the two (a
``pulumi up`` killed while it saves a checkpoint) leaves that file empty, and from then on each
read of the file it describes fails with ``error: EOF``: ``pulumi stack ls``, ``pulumi stack
export`` ("failed to load checkpoint: EOF"), and so every ``pulumi`` command on the stack. A
missing ``.attrs`` file is read as no metadata, and an empty one holds none: removing it loses
nothing and lets the state be read again, as it was saved before the killed write.

Only empty regular files named ``*.attrs`` are ever removed, and only where the engine reads
them for this project: the backend's ``meta.yaml``, the project's stacks (and a backend's from
before projects scoped them) and each one's history.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .locks import file_backend, valid_folder_name
from .messages import RecoveryError, printable

__all__ = ["EmptySidecar", "empty_sidecars"]

_SUFFIX = ".attrs"


@dataclass(frozen=True)
class EmptySidecar:
    """An empty ``.attrs`` file of a file backend, which stops pulumi reading the file beside it."""

    path: Path

    def describe(self) -> str:
        """Its whole path, escaped: the user may have to find it."""
        return printable(str(self.path))

    def remove(self) -> None:
        """Delete this file if it is still an empty regular file (never through a symlink)."""
        if not _empty_regular(self.path):
            if self.path.exists() or self.path.is_symlink():
                raise RecoveryError(
                    f"the metadata file {self.describe()} is no longer an empty file: left in place"
                )
            return  # removed meanwhile: nothing left to repair
        self.path.unlink(missing_ok=True)


def _empty_regular(path: Path) -> bool:
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_size == 0


def empty_sidecars(backend_url: str, project: str) -> list[EmptySidecar]:
    """The empty ``.attrs`` files of `project`'s stacks in a ``file://`` backend (none for
    other backends, or for a project name no file backend makes a folder of)."""
    root = file_backend(backend_url)
    if root is None or not valid_folder_name(project):
        return []
    candidates = [root / f"meta.yaml{_SUFFIX}", *_listed(root / "stacks" / project)]
    legacy = _listed(root / "stacks")
    candidates += legacy
    # Each stack's history: the project's, and a legacy stack's under its own name.
    histories = _listed(root / "history" / project)
    histories += [root / "history" / name for name in map(_stack_name, legacy) if name]
    for folder in dict.fromkeys(histories):
        candidates += _listed(folder)
    return [EmptySidecar(p) for p in candidates if p.name.endswith(_SUFFIX) and _empty_regular(p)]


def _stack_name(checkpoint: Path) -> str | None:
    """The stack a legacy checkpoint file (``STACK.json``, ``STACK.json.gz``) or its metadata
    file is of."""
    stored = checkpoint.name.removesuffix(_SUFFIX)
    for suffix in (".json", ".json.gz"):
        name = stored.removesuffix(suffix)
        if name != stored and valid_folder_name(name):
            return name
    return None


def _listed(folder: Path) -> list[Path]:
    """What `folder` holds, sorted; nothing when it is no folder (or a symlink to one)."""
    if folder.is_symlink():
        return []
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []
