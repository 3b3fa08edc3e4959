"""What WebPlus 2019-03-20 (ROA) takes: its URL table and the limits of its parameters."""

from __future__ import annotations

VERSION = "2019-03-20"
# Every WebPlus path starts here; an unknown one under it is WebPlus's InvalidAction.NotFound.
PREFIX = "/pop/"

# The URL table: WebPlus is ROA, so the method and path name the action.
ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/pop/v1/wam/application"): "CreateApplication",
    ("GET", "/pop/v1/wam/application"): "DescribeApplications",
    ("DELETE", "/pop/v1/wam/application"): "DeleteApplication",
    ("PUT", "/pop/v1/wam/application"): "UpdateApplication",
    ("POST", "/pop/v1/wam/pkgVersion"): "CreatePkgVersion",
    ("GET", "/pop/v1/wam/pkgVersion"): "DescribePkgVersions",
    ("DELETE", "/pop/v1/wam/pkgVersion"): "DeletePkgVersion",
    ("POST", "/pop/v1/wam/appEnv"): "CreateAppEnv",
    ("GET", "/pop/v1/wam/appEnv"): "DescribeAppEnvs",
    ("PUT", "/pop/v1/wam/appEnv"): "UpdateAppEnv",
    ("DELETE", "/pop/v1/wam/appEnv"): "DeleteAppEnv",
    ("POST", "/pop/v1/wam/appEnv/terminate"): "TerminateAppEnv",
}

# The lengths each parameter takes (a blank one counts as absent). WebPlus publishes no limits
# the emulator could cite: these are the provider's own checks (128, 64 for a category), a
# marked choice; any other parameter is capped at DEFAULT_MAX_LENGTH so no field stores megabytes.
LENGTHS: dict[str, tuple[int, int]] = {
    "AppName": (1, 128),
    "AppDescription": (1, 128),
    "CategoryName": (1, 64),
    "PkgVersionLabel": (1, 128),
    "PkgVersionDescription": (1, 128),
    "EnvName": (1, 128),
    "EnvDescription": (1, 128),
    "StackId": (1, 128),
    "PkgVersionId": (1, 128),
    "OptionSettings": (2, 4096),
}
DEFAULT_MAX_LENGTH = 1024

# The values each parameter takes: CreateAppEnv's documented profiles (AlibabaCloudDocs/webx).
CHOICES: dict[str, tuple[str, ...]] = {"ProfileName": ("HighAvailability", "StandAlone")}
