"""``alicloud-versions recover``: finishing the creates a killed ``pulumi up`` left, on evidence
only. One job a module:

- `export`: the exported state, checked as untrusted input; `markers`: Pulumi's own markers;
- `engine`: the ``pulumi`` the user runs, through Pulumi's Automation API;
- `forensics`: whether a lock's holder is proven gone; `locks`: the stack locks of a file backend;
- `evidence`: the create records that prove what the killed update made;
- `steps`: what was found for each create and what follows; `pending`: the creates a killed
  update left pending; `preview` and `fast`: a killed fast-mode update, from the program's plan.
"""

from __future__ import annotations

from .engine import Pulumi
from .export import Export, Urn
from .fast import plan_fast, recover_fast
from .forensics import Verdict
from .locks import Lock, file_locks
from .messages import RecoveryError, printable
from .pending import plan, recover
from .steps import Plan, Step, fast_mode_requested

__all__ = [
    "Export",
    "Lock",
    "Plan",
    "Pulumi",
    "RecoveryError",
    "Step",
    "Urn",
    "Verdict",
    "fast_mode_requested",
    "file_locks",
    "plan",
    "plan_fast",
    "printable",
    "recover",
    "recover_fast",
]
