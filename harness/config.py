"""Stack configuration that points the provider at an emulator: written once for the tests and
the benchmark, for either front door, as the engine or the provider protocol takes it."""

from __future__ import annotations

from typing import Any

from pulumi import automation as auto
from pulumi.runtime import rpc

from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

__all__ = ["REGION", "emulator_config", "plugin_config", "protocol_config"]

REGION = "cn-hangzhou"
"""The region every emulator stack uses unless a test says otherwise."""


def emulator_config(
    url: str,
    access_key_id: str = DEFAULT_ACCESS_KEY_ID,
    access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
    *,
    region: str | None = REGION,
) -> dict[str, auto.ConfigValue]:
    """The dynamic provider's config (``alicloud:*``, the endpoint in ``alicloud-versions:``):
    both services at the emulator at `url` as the key pair (the development key by default),
    the secret key a secret; no region key when `region` is None."""
    config = {
        "alicloud:accessKey": auto.ConfigValue(access_key_id),
        "alicloud:secretKey": auto.ConfigValue(access_key_secret, secret=True),
        "alicloud-versions:endpoint": auto.ConfigValue(url),
    }
    if region is not None:
        config["alicloud:region"] = auto.ConfigValue(region)
    return config


def plugin_config(
    url: str,
    access_key_id: str = DEFAULT_ACCESS_KEY_ID,
    access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
    *,
    region: str | None = None,
) -> dict[str, auto.ConfigValue]:
    """`emulator_config` in the provider plugin's own namespace (``alicloud-versions:*``); the
    plugin's default region unless `region` is given."""
    config = emulator_config(url, access_key_id, access_key_secret, region=region)
    return {f"alicloud-versions:{key.rpartition(':')[2]}": value for key, value in config.items()}


def protocol_config(config: dict[str, auto.ConfigValue]) -> dict[str, Any]:
    """`config` as a Configure request carries it: plain values, secrets wrapped as the engine
    sends them."""
    return {
        key: {rpc._special_sig_key: rpc._special_secret_sig, "value": value.value}
        if value.secret
        else value.value
        for key, value in config.items()
    }
