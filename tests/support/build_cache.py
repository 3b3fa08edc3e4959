"""What the tests build from the checkout (an SDK installed or compiled, a program's binary), kept
once per content in the per-user cache beside the engine."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tests.support.engine import ROOT


def cache_root() -> Path:
    """The per-user cache the engine and scripts/node-modules use (PULUMI_ENGINE_CACHE, default
    ~/.cache/pulumi-alicloud-versions)."""
    return Path(
        os.environ.get("PULUMI_ENGINE_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "pulumi-alicloud-versions"
    )


def content_key(folders: Iterable[Path], *facts: str) -> str:
    """A digest of every file under `folders` (path and bytes) and of `facts` (tool versions,
    anything else the result follows from)."""
    digest = hashlib.sha256()
    for fact in facts:
        digest.update(fact.encode() + b"\0")
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built(kind: str, key: str, build: Callable[[Path], None]) -> Path:
    """The folder `kind`/`key` of the cache, made by `build` (given an empty folder to fill) when
    the cache lacks it. It is built aside and renamed into place, so it is there whole or not at
    all: two sessions building it at once both build, the first rename wins and the other drops
    its own. Nothing may write into it afterwards: every session shares it."""
    final = cache_root() / kind / key
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{key}.", suffix=".building", dir=final.parent))
    try:
        build(staged)
        staged.chmod(0o755)  # as the rest of the cache; mkdtemp makes it owner-only
        try:
            staged.rename(final)  # fails, leaving `final` as it is, where another rename won
        except OSError:
            if not final.is_dir():
                raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # a failed build's, or the race loser's
    return final
