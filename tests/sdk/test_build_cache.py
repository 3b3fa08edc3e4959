"""The cache the SDK builds and the Go program are kept in: a tree is there whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.build_cache import built


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache root of this test's own."""
    monkeypatch.setenv("PULUMI_ENGINE_CACHE", str(tmp_path))
    return tmp_path


def test_a_cached_tree_is_built_once(cache: Path) -> None:
    """A second ask for the same key gets the first build's tree without building."""
    builds: list[Path] = []

    def build(into: Path) -> None:
        builds.append(into)
        (into / "out").write_text("first")

    first = built("kind", "k1", build)
    again = built("kind", "k1", lambda into: pytest.fail("built twice"))
    assert again == first == cache / "kind" / "k1"
    assert (first / "out").read_text() == "first"
    assert len(builds) == 1


def test_the_losing_build_of_a_race_is_dropped(cache: Path) -> None:
    """Where another session's build lands first, the tree is the winner's, whole, and the
    loser's own build is removed."""

    def loser(into: Path) -> None:
        (into / "out").write_text("loser")
        built("kind", "k1", lambda other: (other / "out").write_text("winner"))

    assert (built("kind", "k1", loser) / "out").read_text() == "winner"
    assert sorted(p.name for p in (cache / "kind").iterdir()) == ["k1"]


def test_a_failed_build_leaves_nothing(cache: Path) -> None:
    """A build that fails leaves no tree (the next ask builds again) and no half-built folder."""

    def failing(into: Path) -> None:
        (into / "half").write_text("")
        raise RuntimeError("tsc failed")

    with pytest.raises(RuntimeError, match="tsc failed"):
        built("kind", "k1", failing)
    assert list((cache / "kind").iterdir()) == []
