"""What `pulumi import` records passes check and diffs cleanly, for the inputs the API gives
back in no way: a package version's source stands as its `package_url`, a template is adopted."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud_versions import ImportIdError
from alicloud_versions.core.servicecatalog import TemplateCore
from alicloud_versions.core.webplus import ApplicationCore, PkgVersionCore

from .resources import TEMPLATE_URL

pytestmark = pytest.mark.usefixtures("no_network")

COPY = "https://webplus-cn-hangzhou.oss-cn-hangzhou-internal.aliyuncs.com/wam/1/wa-1/wp-1/a.war"
LIVE_VERSION: dict[str, Any] = {
    "pkg_version_id": "wp-1",
    "app_id": "wa-1",
    "app_name": "shop",
    "pkg_version_label": "1.5",
    "pkg_version_description": "",
    "package_url": COPY,
    "package_etag": "E",
    "create_time": 1,
}


def test_an_imported_version_records_its_package_url_as_its_source() -> None:
    """A version's import answers as inputs what the API gives back, `package_url` standing for
    the `package_source` it does not, and leaves out a description answered blank; those
    inputs pass check."""
    core = PkgVersionCore()
    read = core.imported("wp-1", LIVE_VERSION)
    assert read.inputs == {"app_id": "wa-1", "pkg_version_label": "1.5", "package_source": COPY}
    assert core.check_inputs(read.inputs, (), read.inputs) == []


def test_the_recorded_source_passes_only_unchanged_and_without_a_replacement() -> None:
    """The recorded source passes check while the state holds it and nothing replaces the
    version; a new resource given it fails as any non-`oss://` source, and a change that
    replaces fails naming the source and the change, before any call."""
    core = PkgVersionCore()
    state = {"app_id": "wa-1", "pkg_version_label": "1.5", "package_source": COPY}
    assert core.check_inputs(dict(state), (), state) == []
    [(name, why)] = core.check_inputs(dict(state), (), {})
    assert name == "package_source" and "oss://" in why
    [(name, why)] = core.check_inputs({**state, "pkg_version_label": "1.6"}, (), state)
    assert name == "package_source"
    assert "`pulumi import` recorded" in why and "changing pkg_version_label replaces" in why


def test_a_program_source_stands_for_the_recorded_one() -> None:
    """Diff takes the program's `oss://` source in place of the recorded `package_url`: no
    change, no replacement; a changed label still replaces."""
    core = PkgVersionCore()
    olds = {**core.imported("wp-1", LIVE_VERSION).outs, "package_source": COPY}
    news = {"app_id": "wa-1", "pkg_version_label": "1.5", "package_source": "oss://b/a.war"}
    assert core.diff_inputs(olds, news).changes is False
    assert core.diff_inputs(olds, {**news, "pkg_version_label": "1.6"}).replaces == [
        "pkg_version_label"
    ]


def test_an_imported_template_is_adopted_by_its_url() -> None:
    """A template's import records it adopted by its URL, which needs neither type nor body;
    without `adopt_id` both stay required."""
    core = TemplateCore()
    read = core.read_imported(TEMPLATE_URL)
    assert read.inputs == {"adopt_id": TEMPLATE_URL}
    assert read.outs["template_url"] == TEMPLATE_URL
    assert core.check_inputs(read.inputs, (), read.inputs) == []
    assert core.check_inputs({}) == [
        ("template_type", "template_type is required (unless adopt_id is set)"),
        ("template_body", "template_body is required (unless adopt_id is set)"),
    ]
    program = {"template_type": "RosTerraformTemplate", "template_body": "{}"}
    assert core.diff_inputs(read.outs, program).changes is False


def test_an_imported_application_leaves_out_blank_optional_inputs() -> None:
    """An application answered with a blank description and category imports without them,
    so its inputs pass check (a blank one would not)."""
    core = ApplicationCore()
    live = {"app_id": "wa-1", "app_name": "shop", "app_description": "", "category_name": ""}
    read = core.imported("wa-1", live)
    assert read.inputs == {"app_name": "shop"}
    assert core.check_inputs(read.inputs) == []


@pytest.mark.parametrize("import_id", ["wp-1", ":wp-1", "wa-1:", "wa-1:wp-1:x"])
def test_a_version_import_id_of_another_form_says_where_the_app_id_is(
    import_id: str, no_network: list[Any]
) -> None:
    """A package version's import id that is not `APP_ID:PKG_VERSION_ID` fails before any call,
    naming the form and where the application's id is."""
    with pytest.raises(ImportIdError) as raised:
        PkgVersionCore().read_imported(import_id)
    message = str(raised.value)
    assert f"import id {import_id!r} is not APP_ID:PKG_VERSION_ID" in message
    assert "app_id output of its webplus.Application resource" in message
    assert "\n" not in message
    assert no_network == []
