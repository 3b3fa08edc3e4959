"""What the command line and the code that spawns it agree on: its banner, its keys' variable."""

from __future__ import annotations

# The one line the command line prints, flushed, once it is listening.
BANNER = "alicloud-versions-emulator listening on "
# Extra keys, `ID:SECRET[:ACCOUNT]` separated by blanks or lines, kept off the command line.
ACCESS_KEYS_ENV = "ALICLOUD_VERSIONS_EMULATOR_ACCESS_KEYS"
