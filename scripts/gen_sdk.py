"""Writes sdk/nodejs, sdk/go and sdk/python from the plugin's schema with Pulumi's own code
generators (scripts/gen-sdk, built from the engine's pkg/v3), and the resource pages of sdk/docs
(scripts/sdk_docs.py). `--check` writes nothing and fails when sdk/ differs from what it would
write (tests/sdk runs it).

    python scripts/gen_sdk.py [--check]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sdk_docs import pages

from alicloud_versions.plugin import schema

ROOT = Path(__file__).resolve().parent.parent
SDK = ROOT / "sdk"
GENERATOR = ROOT / "scripts" / "gen-sdk"
BINARY = ROOT / ".tools" / "bin" / "gen-sdk"


def build() -> Path:
    """The generator, built (or found up to date) with the Go build cache."""
    subprocess.run(
        ["go", "build", "-trimpath", "-o", str(BINARY), "."],
        cwd=GENERATOR,
        check=True,
        timeout=1800,
    )
    return BINARY


def generate(out: Path) -> None:
    """The three SDKs of today's schema into `out`/nodejs, go, python; the Go SDK's go.mod and
    go.sum completed by `go mod tidy` (from the module cache the engine build filled)."""
    generator = build()
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "schema.json"
        spec.write_text(json.dumps(schema(), indent=2))
        subprocess.run([str(generator), str(spec), str(out)], check=True, timeout=300)
    subprocess.run(["go", "mod", "tidy"], cwd=out / "go", check=True, timeout=600)
    docs = out / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    for name, text in pages(schema()).items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)


def _kept(root: Path) -> set[Path]:
    """The files under `root` that git would keep (the SDKs' own .gitignore leave out what
    building them writes, such as sdk/python/build)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {Path(name) for name in listed.split("\0") if name and (root / name).is_file()}


def stale(out: Path) -> list[str]:
    """What in sdk/ differs from a fresh generation in `out`: changed, missing, extra files."""
    fresh = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    held = _kept(SDK)
    changed = [p for p in fresh & held if not filecmp.cmp(out / p, SDK / p, shallow=False)]
    return sorted(
        [f"changed: sdk/{p}" for p in changed]
        + [f"missing: sdk/{p}" for p in fresh - held]
        + [f"not generated: sdk/{p}" for p in held - fresh]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if anything would change")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            if differences := stale(Path(tmp)):
                sys.exit("sdk/ is stale; run `make sdk`:\n  " + "\n  ".join(differences))
        return
    generate(SDK)


if __name__ == "__main__":
    main()
