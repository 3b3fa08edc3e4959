"""recover reads and writes Pulumi's own markers: the values its SDK holds are those of the
engine's wire format (`sdk/go/common/resource/sig` and `plugin.UnknownStringValue`), so a
deployment recover writes is one the engine reads."""

from __future__ import annotations

import json

from alicloud_versions.recover import markers


def test_the_markers_are_the_engines() -> None:
    """The secret signature key and value, the unknown sentinel and the dynamic provider's key
    that recover imports from Pulumi's SDK have the engine's values."""
    assert markers.SIG_KEY == "4dabf18193072939515e22adb298388d"
    assert markers.SECRET_SIG == "1b47061264138c4ac30d75fd1eb44270"
    assert markers.UNKNOWN == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert markers.PROVIDER_KEY == "__provider"


def test_a_secret_written_is_one_the_export_reads_back() -> None:
    """A value recover wraps as a secret is a secret of an export, and reveals to the value."""
    wrapped = markers.secret({"k": [1, "v"]})
    assert markers.is_secret(wrapped)
    assert markers.reveal(json.loads(json.dumps(wrapped))) == {"k": [1, "v"]}
    assert not markers.is_secret({markers.SIG_KEY: "c44067f5952c0a294b673a41bacd8c17"})


def test_an_unknown_is_found_however_deep() -> None:
    """A value the plan does not know is found inside lists and objects."""
    assert markers.is_unknown({"a": [1, {"b": markers.UNKNOWN}]})
    assert not markers.is_unknown({"a": [1, {"b": "known"}]})
