"""A Markdown page per resource from the plugin's schema: what it is, an example in each
language of sdk/ (and YAML), its inputs and its outputs. Pulumi's own docs generator
(`pkg/codegen/docs`) is not in pkg/v3 at the engine's version, so scripts/gen_sdk.py writes these
beside the SDKs."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

# The example's inputs per resource, as the schema spells them; every required input is here
# (`pages` refuses an example that lacks one).
EXAMPLES: dict[str, dict[str, Any]] = {
    "webplus:Application": {"appName": "shop", "categoryName": "Java"},
    "webplus:PkgVersion": {
        "appId": "wa-0123456789abcdef",
        "packageSource": "oss://artifacts/shop-1.5.war",
        "pkgVersionLabel": "1.5",
    },
    "webplus:AppEnv": {
        "appId": "wa-0123456789abcdef",
        "envName": "prod",
        "stackId": "ws-0123456789abcdef",
        "pkgVersionId": "wp-0123456789abcdef",
    },
    "servicecatalog:Template": {
        "templateType": "RosTerraformTemplate",
        "templateBody": '{"ROSTemplateFormatVersion": "2015-09-01"}',
    },
    "servicecatalog:Product": {"productName": "shop", "providerName": "platform-team"},
    "servicecatalog:ProductVersion": {
        "productId": "prod-0123456789abcdef",
        "productVersionName": "1.0",
        "templateType": "RosTerraformTemplate",
        "templateUrl": "oss://templates/shop-1.0.json",
    },
    "servicecatalog:Portfolio": {"portfolioName": "web", "providerName": "platform-team"},
    "servicecatalog:ProductPortfolioAssociation": {
        "productId": "prod-0123456789abcdef",
        "portfolioId": "port-0123456789abcdef",
    },
    "servicecatalog:PrincipalPortfolioAssociation": {
        "principalId": "200000000000000000",
        "principalType": "RamUser",
        "portfolioId": "port-0123456789abcdef",
    },
    "servicecatalog:ProvisionedProduct": {
        "productId": "prod-0123456789abcdef",
        "productVersionId": "pv-0123456789abcdef",
        "portfolioId": "port-0123456789abcdef",
        "provisionedProductName": "shop-prod",
        "stackRegionId": "cn-hangzhou",
    },
}
GO_TYPES = {"string": "pulumi.String", "integer": "pulumi.Int", "boolean": "pulumi.Bool"}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def _typescript(module: str, name: str, args: Mapping[str, Any]) -> str:
    body = "".join(f"    {k}: {json.dumps(v)},\n" for k, v in args.items())
    return (
        'import * as versions from "pulumi-alicloud-versions";\n\n'
        f'const {_lower_first(name)} = new versions.{module}.{name}("example", {{\n{body}}});\n'
    )


def _go(module: str, name: str, args: Mapping[str, Any], types: Mapping[str, str]) -> str:
    width = max(len(k) for k in args) + 2
    body = "".join(
        f"\t\t\t{(k[0].upper() + k[1:] + ':').ljust(width)}{GO_TYPES[types[k]]}({json.dumps(v)}),\n"
        for k, v in args.items()
    )
    return (
        "package main\n\nimport (\n"
        f'\t"example.com/pulumi-alicloud-versions/sdk/go/alicloudversions/{module}"\n'
        '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n)\n\n'
        "func main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error {\n"
        f'\t\t_, err := {module}.New{name}(ctx, "example", &{module}.{name}Args{{\n'
        f"{body}\t\t}})\n\t\treturn err\n\t}})\n}}\n"
    )


def _python(module: str, name: str, args: Mapping[str, Any]) -> str:
    body = "".join(f"    {_snake(k)}={json.dumps(v)},\n" for k, v in args.items())
    return (
        f"from alicloud_versions_sdk import {module}\n\n"
        f'{_snake(_lower_first(name))} = {module}.{name}(\n    "example",\n{body})\n'
    )


def _yaml(token: str, args: Mapping[str, Any]) -> str:
    body = "".join(f"      {k}: {json.dumps(v)}\n" for k, v in args.items())
    return f"resources:\n  example:\n    type: {token}\n    properties:\n{body}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _inputs(resource: Mapping[str, Any]) -> list[str]:
    rows = ["| input | type | required | description |", "| --- | --- | --- | --- |"]
    required = set(resource["requiredInputs"])
    for name, spec in resource["inputProperties"].items():
        flags = [("secret" if spec.get("secret") else "")]
        if "default" in spec:
            flags.append(f"default `{json.dumps(spec['default'])}`")
        kind = ", ".join(f for f in [spec["type"], *flags] if f)
        yes = "yes" if name in required else ""
        rows.append(f"| `{name}` | {kind} | {yes} | {_cell(spec['description'])} |")
    return rows


def _outputs(resource: Mapping[str, Any]) -> list[str]:
    rows = ["| output | type | description |", "| --- | --- | --- |"]
    for name, spec in resource["properties"].items():
        if name not in resource["inputProperties"]:
            rows.append(f"| `{name}` | {spec['type']} | {_cell(spec['description'])} |")
    return rows


def _page(token: str, resource: Mapping[str, Any]) -> str:
    _, module, name = token.split(":")
    args = EXAMPLES[f"{module}:{name}"]
    missing = set(resource["requiredInputs"]) - set(args)
    if missing:
        raise ValueError(f"the example of {token} lacks required inputs {sorted(missing)}")
    types = {k: v["type"] for k, v in resource["inputProperties"].items()}
    examples: list[tuple[str, str, Callable[[], str]]] = [
        ("TypeScript", "typescript", lambda: _typescript(module, name, args)),
        ("Go", "go", lambda: _go(module, name, args, types)),
        ("Python", "python", lambda: _python(module, name, args)),
        ("YAML", "yaml", lambda: _yaml(token, args)),
    ]
    lines = [
        "<!-- Code generated by scripts/gen_sdk.py from the plugin's schema; DO NOT EDIT. -->",
        f"# {module}.{name}",
        "",
        f"`{token}`: {resource['description']}",
        "",
        "## Example",
    ]
    for title, fence, render in examples:
        lines += ["", f"### {title}", "", f"```{fence}", render().rstrip("\n"), "```"]
    lines += ["", "## Inputs", "", *_inputs(resource), "", "## Outputs", "", *_outputs(resource)]
    return "\n".join(lines) + "\n"


def pages(schema: Mapping[str, Any]) -> dict[Path, str]:
    """`MODULE/NAME.md` -> its page, for every resource of `schema`, and an index."""
    found: dict[Path, str] = {}
    index = [
        "<!-- Code generated by scripts/gen_sdk.py from the plugin's schema; DO NOT EDIT. -->",
        f"# {schema['displayName']}: resources",
        "",
    ]
    for token, resource in schema["resources"].items():
        _, module, name = token.split(":")
        found[Path(module) / f"{name}.md"] = _page(token, resource)
        index.append(f"- [`{module}.{name}`]({module}/{name}.md): `{token}`")
    found[Path("README.md")] = "\n".join(index) + "\n"
    return found
