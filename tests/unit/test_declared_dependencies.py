"""Every distribution the package imports is one it declares."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.engine import ROOT

PACKAGE = ROOT / "provider" / "alicloud_versions"


def _imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    # _typeshed exists only for type checkers (imported under TYPE_CHECKING).
    return found - set(sys.stdlib_module_names) - {"alicloud_versions", "__future__", "_typeshed"}


def test_every_imported_distribution_is_declared() -> None:
    """Each third-party module the package imports (darabonba and Tea included) comes from a
    distribution in its install requirements, not from a transitive one."""
    providers = metadata.packages_distributions()
    declared = {
        canonicalize_name(r.name)
        for r in map(Requirement, metadata.requires("pulumi-alicloud-versions") or [])
        if r.marker is None  # extras carry an `extra == ...` marker
    }
    imported = {
        module: {canonicalize_name(d) for d in providers.get(module, [])}
        for module in _imported_top_level_modules()
    }
    assert {"darabonba", "Tea", "pulumi"} <= set(imported)
    undeclared = {module: dists for module, dists in imported.items() if not dists & declared}
    assert undeclared == {}
