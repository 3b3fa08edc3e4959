"""``alicloud-versions recover``: finishing the creates a killed ``pulumi up`` left, on evidence
only. One job a module:

- `export`: the exported state, checked as untrusted input; `markers`: Pulumi's own markers;
- `engine`: the ``pulumi`` the user runs, through Pulumi's Automation API;
- `forensics`: whether a lock's holder is proven gone; `locks`: the stack locks of a file backend;
  `sidecars`: the metadata files a killed write left empty there, which stop pulumi reading it;
- `evidence`: the create records that prove what the killed update made;
- `steps`: what was found for each create and what follows; `pending`: the creates a killed
  update left pending; `preview` and `fast`: a killed fast-mode update, from the program's plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._exports import lazy_exports

if TYPE_CHECKING:
    from .engine import Pulumi as Pulumi
    from .export import Export as Export
    from .export import Urn as Urn
    from .fast import plan_fast as plan_fast
    from .fast import recover_fast as recover_fast
    from .forensics import Verdict as Verdict
    from .locks import Lock as Lock
    from .locks import file_locks as file_locks
    from .messages import RecoveryError as RecoveryError
    from .messages import printable as printable
    from .pending import plan as plan
    from .pending import recover as recover
    from .sidecars import EmptySidecar as EmptySidecar
    from .sidecars import empty_sidecars as empty_sidecars
    from .steps import Plan as Plan
    from .steps import Step as Step
    from .steps import fast_mode_requested as fast_mode_requested

# Each public name's module, loaded on first use: the command's parser and `--help`, and
# `sweep` without `--stack`, then load neither Pulumi nor its Automation API (`engine`).
_HOMES = {
    "EmptySidecar": "sidecars",
    "Export": "export",
    "Lock": "locks",
    "Plan": "steps",
    "Pulumi": "engine",
    "RecoveryError": "messages",
    "Step": "steps",
    "Urn": "export",
    "Verdict": "forensics",
    "empty_sidecars": "sidecars",
    "fast_mode_requested": "steps",
    "file_locks": "locks",
    "plan": "pending",
    "plan_fast": "fast",
    "printable": "messages",
    "recover": "pending",
    "recover_fast": "fast",
}

__all__ = sorted(_HOMES)


__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
