"""WebPlus's answers: parse each request, call the model, render the records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ...params import ActionRequest, drop_none, snake_case
from ...service import Inventory
from .api import CHOICES, DEFAULT_MAX_LENGTH, LENGTHS, ROUTES
from .models import WebPlusBackend
from .render import env_change, render_app_env, render_application, render_pkg_version


class WebPlusResponses:
    """Parses WebPlus requests, calls the model and renders the answers."""

    def __init__(self, backend: WebPlusBackend) -> None:
        self.backend = backend
        # One method per action, named after it (as moto does): the URL table lists them once.
        self.actions: dict[str, Callable[[ActionRequest], dict[str, Any]]] = {
            action: getattr(self, snake_case(action)) for action in ROUTES.values()
        }

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """Answer the action with WebPlus's success envelope around its fields."""
        for name, value in request.params.items():
            if value:
                request.length(name, value, *LENGTHS.get(name, (1, DEFAULT_MAX_LENGTH)))
        for name, allowed in CHOICES.items():
            request.choice(name, request.optional(name), allowed)
        body = self.actions[request.action](request)
        return {"RequestId": request.request_id, "Code": "OK", "Message": "success", **body}

    def inventory(self) -> Inventory:
        """Every account's applications, package versions and environments, whole records."""
        accounts: Inventory = defaultdict(lambda: defaultdict(list))
        rows = self.backend.everything()
        for row in rows["applications"]:
            accounts[row["account_id"]]["applications"].append(
                {**render_application(row), "RegionId": row["region_id"]}
            )
        for row in rows["pkg_versions"]:
            accounts[row["account_id"]]["pkg_versions"].append(
                {
                    **render_pkg_version(row),
                    "RegionId": row["region_id"],
                    "SubmittedPackageSource": row["submitted_package_source"],
                }
            )
        for row in rows["app_envs"]:
            accounts[row["account_id"]]["app_envs"].append(
                {**render_app_env(row), "RegionId": row["region_id"]}
            )
        return accounts

    def create_application(self, request: ActionRequest) -> dict[str, Any]:
        """CreateApplication."""
        row = self.backend.create_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_name=request.required("AppName"),
            app_description=request.optional("AppDescription"),
            category_name=request.optional("CategoryName"),
            using_shared_storage=bool(request.boolean("UsingSharedStorage")),
        )
        app = render_application(row)
        for env_count in ("TotalEnvs", "RunningEnvs", "TerminatedEnvs"):
            del app[env_count]
        return {"Application": drop_none(app)}

    def describe_applications(self, request: ActionRequest) -> dict[str, Any]:
        """DescribeApplications."""
        page = request.page()
        rows, total = self.backend.describe_applications(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.optional("AppId"),
            app_name=request.optional("AppName"),
            app_search=request.optional("AppSearch"),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, Applications={"Application": [drop_none(render_application(r)) for r in rows]}
        )

    def update_application(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateApplication: sets AppDescription when sent (blank clears it)."""
        app_id = request.required("AppId")
        row = self.backend.update_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=app_id,
            app_description=request.params.get("AppDescription"),
        )
        app = render_application(row)
        for unreported in ("UsingSharedStorage", "TotalEnvs", "RunningEnvs", "TerminatedEnvs"):
            del app[unreported]
        return {"Application": drop_none(app)}

    def delete_application(self, request: ActionRequest) -> dict[str, Any]:
        """DeleteApplication."""
        self.backend.delete_application(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
        )
        return {}

    def create_pkg_version(self, request: ActionRequest) -> dict[str, Any]:
        """CreatePkgVersion."""
        row = self.backend.create_pkg_version(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            pkg_version_label=request.required("PkgVersionLabel"),
            pkg_version_description=request.optional("PkgVersionDescription"),
            package_source=request.required("PackageSource"),
        )
        version = render_pkg_version(row)
        for unreported in ("PackageETag", "CreateUsername"):
            del version[unreported]
        return {"PkgVersion": drop_none(version)}

    def describe_pkg_versions(self, request: ActionRequest) -> dict[str, Any]:
        """DescribePkgVersions."""
        page = request.page()
        rows, total = self.backend.describe_pkg_versions(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            pkg_version_label=request.optional("PkgVersionLabel"),
            pkg_version_search=request.optional("PkgVersionSearch"),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(
            total, PkgVersions={"PkgVersion": [drop_none(render_pkg_version(r)) for r in rows]}
        )

    def delete_pkg_version(self, request: ActionRequest) -> dict[str, Any]:
        """DeletePkgVersion."""
        self.backend.delete_pkg_version(
            account_id=request.account_id,
            region_id=request.region_id,
            pkg_version_id=request.required("PkgVersionId"),
        )
        return {}

    def create_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """CreateAppEnv from a stack and a package version. Cloning a source environment or a
        template is not emulated: StackId and PkgVersionId are what the reference requires
        without them."""
        row = self.backend.create_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            env_name=request.optional("EnvName"),
            env_description=request.optional("EnvDescription"),
            stack_id=request.required("StackId"),
            pkg_version_id=request.optional("PkgVersionId"),
        )
        return env_change(row)

    def describe_app_envs(self, request: ActionRequest) -> dict[str, Any]:
        """DescribeAppEnvs."""
        page = request.page()
        rows, total = self.backend.describe_app_envs(
            account_id=request.account_id,
            region_id=request.region_id,
            app_id=request.required("AppId"),
            env_id=request.optional("EnvId"),
            env_name=request.optional("EnvName"),
            env_search=request.optional("EnvSearch"),
            include_terminated=bool(request.boolean("IncludeTerminated")),
            page_number=page.number,
            page_size=page.size,
        )
        return page.answer(total, AppEnvs={"AppEnv": [drop_none(render_app_env(r)) for r in rows]})

    def update_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """UpdateAppEnv: another package version, stack, description or option settings, each
        when sent. DryRun and the batch settings are not emulated."""
        row = self.backend.update_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            env_id=request.required("EnvId"),
            env_description=request.params.get("EnvDescription"),
            stack_id=request.optional("StackId"),
            pkg_version_id=request.optional("PkgVersionId"),
            option_settings=request.optional("OptionSettings"),
        )
        return env_change(row)

    def delete_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """DeleteAppEnv."""
        self.backend.delete_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            env_id=request.required("EnvId"),
        )
        return {}

    def terminate_app_env(self, request: ActionRequest) -> dict[str, Any]:
        """TerminateAppEnv."""
        row = self.backend.terminate_app_env(
            account_id=request.account_id,
            region_id=request.region_id,
            env_id=request.required("EnvId"),
        )
        return env_change(row)
