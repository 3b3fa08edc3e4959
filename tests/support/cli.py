"""A Pulumi project on disk driven through the `pulumi` CLI, every command under a timeout.

The Automation API cannot bound a command in time nor kill it mid-way; a subprocess can.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent import futures
from pathlib import Path
from typing import Any, TypeVar

import grpc
from pulumi import automation as auto
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc

from tests.support.engine import TOOLS, checkpoint, engine_env, pulumi_command, secrets_provider

T = TypeVar("T")

# The program every project here runs: the release stack, sized by its config.
RELEASE_PROGRAM = "from tests.support.release import declare\n\ndeclare()\n"

# The commands that run the program (or ask its language host which plugins it needs).
_PROGRAM_COMMANDS = frozenset({"up", "preview", "refresh", "destroy"})


class CliError(RuntimeError):
    """A pulumi command ended with a status other than the one expected."""


class CliProject:
    """A Python Pulumi project in `work` with one stack on a file backend in `work`."""

    def __init__(
        self,
        work: Path,
        *,
        program: str = RELEASE_PROGRAM,
        project: str = "reliability",
        stack: str = "test",
        env: Mapping[str, str] | None = None,
        in_process: bool = False,
    ) -> None:
        """With `in_process`, `run` serves the program from this process to the commands that
        run it (`_PROGRAM_COMMANDS`), as the Automation API does an inline program: the CLI is
        given the address of a language runtime (`--client`) instead of starting the Python
        language host, which lists the environment's packages with pip and starts the program
        in a process of its own: about 0.7 CPU seconds a command. The engine, the dynamic
        provider host and what the command prints are the same. `start` always goes through the
        language host: a command killed mid-way is the real one, every process included. Tests
        of what the language host or the program's own process does leave it off."""
        pulumi_command()  # an absent engine is a failure, never a skip
        self.dir = work / "project"
        self.project, self.stack = project, stack
        # The program `run` serves (`_language_runtime`), compiled once.
        main = str(self.dir / "__main__.py")
        self._served = compile(program, main, "exec") if in_process else None
        self.backend = work / "backend"
        home = work / "pulumi-home"
        for path in (self.dir, self.backend, home):
            path.mkdir(parents=True, exist_ok=True)
        (self.dir / "Pulumi.yaml").write_text(f"name: {project}\nruntime: python\n")
        (self.dir / "__main__.py").write_text(program)
        self.env = {**os.environ, **engine_env(self.backend, home), **(env or {})}
        # The provider's create records (`core.journal`), this project's own.
        self.env["ALICLOUD_VERSIONS_STATE_DIR"] = str(work / "state")

    def command(self, *args: str) -> list[str]:
        """The argv of `pulumi args...` on this project's stack."""
        return [str(TOOLS / "bin" / "pulumi"), *args, "--non-interactive"]

    def run(
        self, *args: str, timeout: float = 180, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi args...` to its end (at most `timeout` seconds), output captured."""
        with self._language_runtime(args[0] if args else "") as client:
            done = subprocess.run(
                self.command(*args, *client),
                cwd=self.dir,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        if check and done.returncode != 0:
            raise CliError(
                f"pulumi {' '.join(args)} exited {done.returncode}\n"
                f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return done

    @contextlib.contextmanager
    def _language_runtime(self, command: str) -> Iterator[list[str]]:
        """The arguments that point `command` at the program served from this process (none
        where the language host runs it); the server stops when the command has ended."""
        code = self._served
        if code is None or command not in _PROGRAM_COMMANDS:
            yield []
            return

        def program() -> None:
            exec(code, {"__name__": "__main__"})

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        try:
            yield [f"--client=127.0.0.1:{port}"]
        finally:
            server.stop(0)

    def start(self, *args: str, log: Path | None = None) -> subprocess.Popen[str]:
        """Start `pulumi args...` in a session of its own, away from the test's signals; its
        output goes to `log` (a file, never a pipe that could fill and stall the engine)."""
        out = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
        try:
            return subprocess.Popen(
                self.command(*args),
                cwd=self.dir,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        finally:
            if not isinstance(out, int):
                out.close()  # the child holds its own copy

    @staticmethod
    def kill(proc: subprocess.Popen[str]) -> None:
        """SIGKILL a command from `start` with every process under it, and reap it.

        Killing its process group is not enough: the engine starts each plugin (language host,
        dynamic provider host) in a process group of its own, and they outlive a killed engine.
        So the tree is frozen (SIGSTOP, so nothing forks meanwhile), then killed, pid by pid.
        """
        if proc.poll() is None:
            frozen: set[int] = set()
            while tree := {proc.pid, *_descendants(proc.pid)} - frozen:
                for pid in tree:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGSTOP)
                frozen |= tree
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def init(self, config: Mapping[str, auto.ConfigValue]) -> CliProject:
        """Create the stack and set `config` on it (secrets encrypted)."""
        self.init_stack(self.stack)
        self.configure(config)
        return self

    def init_stack(self, name: str) -> None:
        """`pulumi stack init name`, with the secrets provider of the stacks the harness makes
        (`harness.engine.secrets_provider`)."""
        self.run("stack", "init", name, "--secrets-provider", secrets_provider().url)

    def configure(self, config: Mapping[str, auto.ConfigValue]) -> None:
        """Set `config` on the stack (secrets encrypted) in one command."""
        pairs: list[str] = []
        for key, value in config.items():
            pairs += ["--secret" if value.secret else "--plaintext", f"{key}={value.value}"]
        if pairs:
            self.run("config", "set-all", *pairs)

    def up(
        self, *extra: str, timeout: float = 180, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """`pulumi up --yes --skip-preview`."""
        return self.run("up", "--yes", "--skip-preview", *extra, timeout=timeout, check=check)

    @staticmethod
    def script(name: str) -> str:
        """A console script the package installed beside this Python."""
        return str(Path(sys.executable).parent / name)

    def recover(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`alicloud-versions recover` in the project folder, as a user runs it."""
        done = subprocess.run(
            [self.script("alicloud-versions"), "recover", *extra],
            cwd=self.dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check and done.returncode != 0:
            raise CliError(
                f"alicloud-versions recover {' '.join(extra)} exited {done.returncode}\n"
                f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return done

    def export(self, *extra: str) -> dict[str, Any]:
        """The stack's deployment as `pulumi stack export` prints it.

        On the project's own file backend that is the checkpoint the engine wrote, the same
        JSON, read without a command (about 0.3 CPU s each); with `extra` arguments, another
        backend, or no checkpoint written yet, it is the command's.
        """
        if not extra and self.env.get("PULUMI_BACKEND_URL") == self.backend.as_uri():
            written = self.checkpoint()
            if written is not None:
                return written
        deployment: dict[str, Any] = json.loads(self.run("stack", "export", *extra).stdout)[
            "deployment"
        ]
        return deployment

    def checkpoint(self) -> dict[str, Any] | None:
        """The deployment the engine last wrote to the backend, read without the CLI
        (`tests.support.engine.checkpoint`)."""
        return checkpoint(self.backend, self.project, self.stack)


def _descendants(root: int) -> list[int]:
    """The pids of every process under `root`, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def wait_for(what: str, probe: Callable[[], T | None], *, timeout: float, every: float = 0.1) -> T:
    """Poll `probe` until it answers something other than None; TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout}s waiting for {what}")
        time.sleep(every)
