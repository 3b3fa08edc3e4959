"""Resource constructors: the args form and the typed keyword form, checked statically and at
run time."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pulumi
import pytest

from alicloud_versions import servicecatalog, webplus
from alicloud_versions.core import KINDS
from alicloud_versions.dynamic._resource import resource_args

# Every kind's resource class, by its public module (each is defined in a module of its own).
RESOURCES = [
    (importlib.import_module(f"alicloud_versions.{service}"), name)
    for service, name in (kind.TYPE.split(".") for kind in KINDS)
]


def _field_docs(tree: ast.Module, class_name: str) -> dict[str, str]:
    """Each field of a dataclass with the docstring written under it, whitespace collapsed."""
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    docs = {}
    for node, after in zip(cls.body, cls.body[1:], strict=False):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            assert isinstance(after, ast.Expr), f"{class_name}.{node.target.id} has no docstring"
            docs[node.target.id] = " ".join(str(after.value.value).split())  # type: ignore[attr-defined]
    return docs


def _keyword_overload(tree: ast.Module, class_name: str) -> ast.FunctionDef:
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    inits = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
    return next(n for n in inits if n.args.kwonlyargs)


def _implementation(tree: ast.Module, class_name: str) -> ast.FunctionDef:
    """The constructor that runs: the one `__init__` that is not an overload."""
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    inits = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
    return next(n for n in inits if "overload" not in map(ast.unparse, n.decorator_list))


@pytest.mark.parametrize(("module", "name"), RESOURCES, ids=[n for _, n in RESOURCES])
def test_keyword_form_declares_every_input_with_its_docstring(
    module: ModuleType, name: str
) -> None:
    """The keyword overload takes exactly the Args fields, typed and defaulted alike, and
    the constructor documents each with the field's own docstring, so they cannot drift apart."""
    # The module that defines the class (generated into alicloud_versions.dynamic).
    tree = ast.parse(inspect.getsource(sys.modules[getattr(module, name).__module__]))
    overload = _keyword_overload(tree, name)
    args_type = getattr(module, f"{name}Args")
    fields = dataclasses.fields(args_type)
    declared = [
        (a.arg, ast.unparse(a.annotation) if a.annotation else None, d and ast.unparse(d))
        for a, d in zip(overload.args.kwonlyargs, overload.args.kw_defaults, strict=True)
    ]
    expected = [
        (
            f.name,
            str(f.type),
            None if f.default is dataclasses.MISSING else repr(f.default),
        )
        for f in fields
    ]
    assert declared == expected

    doc = ast.get_docstring(_implementation(tree, name)) or ""
    params = {}
    for chunk in doc.split(":param ")[1:]:
        param, text = chunk.split(":", 1)
        params[param.strip()] = " ".join(text.split())
    assert {k: v for k, v in params.items() if k not in ("resource_name", "opts")} == (
        _field_docs(tree, f"{name}Args")
    )


def test_misspelled_keyword_fails_type_checking(tmp_path: Path) -> None:
    """mypy rejects a misspelled input (and accepts the same call spelled right)."""
    call = """\
        from alicloud_versions import webplus
        webplus.PkgVersion(
            "v", app_id="wa-1", package_source="oss://b/app.war", {label}="1.5"
        )
    """
    (tmp_path / "good.py").write_text(textwrap.dedent(call.format(label="pkg_version_label")))
    (tmp_path / "bad.py").write_text(textwrap.dedent(call.format(label="pkg_version_lable")))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "good.py", "bad.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors, result.stdout
    assert all(line.startswith("bad.py:") for line in errors), result.stdout
    assert any('"pkg_version_lable"' in line for line in errors), result.stdout


def test_misspelled_keyword_is_a_type_error_naming_the_right_one() -> None:
    """At run time a misspelled input is a TypeError naming the resource and the closest
    input, raised before anything is registered."""
    with pytest.raises(TypeError) as raised:
        webplus.PkgVersion(  # type: ignore[call-overload]
            "v", app_id="wa-1", package_source="oss://b/app.war", pkg_version_lable="1.5"
        )
    assert str(raised.value) == (
        "webplus.PkgVersion() got an unexpected keyword argument 'pkg_version_lable'; "
        "did you mean 'pkg_version_label'?"
    )


def test_missing_required_keywords_are_named() -> None:
    """Leaving out required inputs names each one."""
    with pytest.raises(
        TypeError,
        match=r"^servicecatalog\.ProductVersion\(\) missing required "
        r"keyword argument\(s\): product_id, template_type$",
    ):
        servicecatalog.ProductVersion(  # type: ignore[call-overload]
            "pv", product_version_name="1.0", template_url="oss://b/t.json"
        )


def test_both_forms_give_the_same_inputs_and_options() -> None:
    """`Resource(name, args, opts)` and `Resource(name, opts, **keywords)` mean the same."""
    opts = pulumi.ResourceOptions(protect=True)
    args = webplus.ApplicationArgs(app_name="shop", category_name="Java")
    by_args = resource_args(webplus.Application, webplus.ApplicationArgs, (args, opts), {})
    by_keywords = resource_args(
        webplus.Application,
        webplus.ApplicationArgs,
        (opts,),
        {"app_name": "shop", "category_name": "Java"},
    )
    by_named = resource_args(
        webplus.Application, webplus.ApplicationArgs, (), {"args": args, "opts": opts}
    )
    assert by_args == by_keywords == by_named == (args, opts)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            (webplus.ApplicationArgs(app_name="shop"),),
            {"app_name": "other"},
            "webplus.Application() takes ApplicationArgs or keyword inputs, not both "
            "(got app_name)",
        ),
        (
            (),
            {"args": {"app_name": "shop"}},
            "webplus.Application() args must be ApplicationArgs, not dict",
        ),
        (("shop",), {}, "webplus.Application() opts must be pulumi.ResourceOptions, not str"),
    ],
    ids=["args-and-keywords", "args-not-args", "opts-not-options"],
)
def test_wrong_shapes_are_type_errors(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    """A call in neither form says what it got."""
    with pytest.raises(TypeError) as raised:
        resource_args(webplus.Application, webplus.ApplicationArgs, args, dict(kwargs))
    assert str(raised.value) == message


@pytest.mark.parametrize(("module", "name"), RESOURCES, ids=[n for _, n in RESOURCES])
def test_help_shows_the_typed_signature_and_every_input(module: ModuleType, name: str) -> None:
    """help() of a resource and of its *Args class shows the keyword signature and each input's
    description, not ``*args, **kwargs`` nor Pulumi's base-class docstring."""
    import pydoc

    resource, args = getattr(module, name), getattr(module, f"{name}Args")
    fields = [f.name for f in dataclasses.fields(args)]
    params = inspect.signature(resource).parameters
    assert list(params) == ["resource_name", "opts", *fields]
    assert all(params[f].kind is inspect.Parameter.KEYWORD_ONLY for f in fields)
    assert str(params[fields[0]].annotation).startswith("pulumi.Input[")
    source = inspect.getsource(sys.modules[resource.__module__])
    docs = _field_docs(ast.parse(source), f"{name}Args")
    for shown in (resource, args):
        rendered = pydoc.render_doc(shown, renderer=pydoc.plaintext)
        # Without the margin help() draws down the left of a class's page.
        text = " ".join(" ".join(line.lstrip(" |") for line in rendered.splitlines()).split())
        assert "__provider" not in text
        for field, doc in docs.items():
            assert f":param {field}: {doc}" in text, (shown, field)
