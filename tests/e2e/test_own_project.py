"""README's "Your own project", followed as written by a newcomer: a fresh folder outside the
clone with its own virtual environment, the top-of-page program, the emulator's config
commands, `pulumi up` through the clone's engine; the program and its provider run in that
environment, not the clone's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin

from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT, TOOLS

README = ROOT / "README.md"
DEFAULT_ACCOUNT = "1234567890123456"


def _blocks(text: str) -> list[tuple[str, str]]:
    """Each fenced code block of `text`: its language and its body."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.S | re.M)


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_readme_own_project_runs_in_its_own_virtualenv(tmp_path: Path) -> None:
    """The README's own-project files and commands, run as written against the emulator, deploy
    the top-of-page program from the project's own `venv` (both the program and the dynamic
    provider), with no PULUMI_PYTHON_CMD and the clone's environment off PATH."""
    [(_, program)] = [b for b in _blocks(README.read_text()) if b[0] == "python"][:1]
    own = _section("Your own project")
    blocks = _blocks(own)
    pulumi_yaml = next(body for lang, body in blocks if lang == "yaml")
    requirements = next(body for lang, body in blocks if lang == "text")
    commands = next(body for lang, body in blocks if lang == "sh")

    # The wheel a user would name (built from an sdist, so the clone gains no build/ folder).
    dist = tmp_path / "dist"
    _run(
        [find_uv_bin(), "build", "--quiet", "--out-dir", str(dist), str(ROOT)], ROOT, {**os.environ}
    )
    [wheel] = dist.glob("*.whl")

    project = tmp_path / "my-releases"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(pulumi_yaml)
    (project / "requirements.txt").write_text(
        requirements.replace("file:///path/to/pulumi-alicloud-versions", wheel.as_uri())
    )
    # The program as README shows it, and where it ran.
    (project / "__main__.py").write_text(
        program + "\nimport sys\n\nimport pulumi\n\npulumi.export('python', sys.executable)\n"
    )

    emulator = EmulatorProcess(tmp_path / "emulator.sqlite").start()
    try:
        script = commands.replace("http://127.0.0.1:9000", emulator.url).replace(
            "pulumi up", "pulumi up --yes --non-interactive"
        )
        clone_venv = str(Path(sys.executable).parent)
        path = [str(TOOLS / "bin")] + [
            p for p in os.environ["PATH"].split(os.pathsep) if p != clone_venv
        ]
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PULUMI_", "VIRTUAL_ENV", "PYTHON"))
        }
        env.update(
            PATH=os.pathsep.join(path),
            PULUMI_HOME=str(tmp_path / "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK="true",
            # The same versions as the clone's lock, whatever PyPI has published since.
            PIP_CONSTRAINT=str(ROOT / "constraints.txt"),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        _run(["bash", "-euo", "pipefail", "-c", script], project, env)
        outputs = json.loads(
            _run(
                ["bash", "-c", "pulumi stack output --json --show-secrets"],
                project,
                {
                    **env,
                    "PULUMI_BACKEND_URL": (project / ".state").as_uri(),
                    "PULUMI_CONFIG_PASSPHRASE": "pick-one",
                },
            )
        )
        assert outputs["python"] == str(project / "venv" / "bin" / "python")
        held = emulator.inventory(DEFAULT_ACCOUNT)
        # The dynamic provider ran too, from the same environment (nothing else has the package).
        assert [a["AppName"] for a in held["applications"]] == ["shop"]
        assert len(held["pkg_versions"]) == 1
    finally:
        emulator.stop()
