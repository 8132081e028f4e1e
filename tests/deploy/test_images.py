"""Each image, built here the way its Dockerfile says, runs every command docker-compose.yml gives it.

There is no Docker engine where the tests run, so this module plays the build itself:

- the build context is the repository filtered by the Dockerfile's own
  `deploy/<name>.Dockerfile.dockerignore`, with Docker's rules (`docker.utils.build.exclude_paths`);
- the image's file tree is assembled in a temporary folder from the COPY lines, with
  Docker's semantics (a folder source copies its contents, several sources need a folder
  destination, a source outside the filtered context fails the build);
- the base image, which cannot be pulled here, is modelled by `BASE_IMAGES`: where its Python
  venv is (an empty venv made with `uv venv` stands in), the environment it sets, its
  entrypoint, and its `pip` and `uv` (stand-ins that install through the developer's uv and
  its warm cache into that venv);
- the RUN lines then run as written, in that tree (image paths such as /opt/airflow mapped
  into it): `uv export --frozen` from the lock file, `uv pip install`, the project with
  `--no-deps`, the dbt manifest. `--mount=type=cache` only keeps downloads out of an image
  layer and is ignored; `--chown` and USER are not modelled (everything belongs to us here).

Then every compose service built from a Dockerfile has its command (entrypoint included)
turned into probes that import what the command imports, with the image's environment,
working directory and PYTHONPATH plus the service's own environment (secrets replaced by
dummies): `airflow <command>` is parsed by Airflow's own CLI parser and its command module
imported (plus the auth manager and the executor, and a DagBag of the DAG folder for the
components that parse DAGs), `hub <command> --help`, the uvicorn factory called, a script's
`--help` (and its `check` step when it has one), a gunicorn app's module imported. A command
with no rule here fails the test: a new service has to be covered.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml
from docker.utils.build import exclude_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
RUN_TIMEOUT_S = 600
PROBE_TIMEOUT_S = 300


class BuildFailed(AssertionError):
    """The Dockerfile would not build: the message says at which line and why."""


# --- the base images ------------------------------------------------------------------------


def _airflow_entrypoint(command: list[str]) -> list[str]:
    """The Airflow image's /entrypoint: `bash`, `python` and `airflow` run as given, any other
    first word is an Airflow subcommand."""
    if command and command[0] in {"bash", "python", "airflow"}:
        return command
    return ["airflow", *command]


@dataclass(frozen=True)
class BaseImage:
    """What this test knows of a base image it cannot pull."""

    venv: str  # the venv its `python` (first on PATH) belongs to: an empty `uv venv` here
    python: Callable[[str], str]  # its Python version, from the image's tag
    home: str
    workdir: str
    env: Callable[[str], dict[str, str]]  # from the image's tag
    shell: tuple[str, ...]  # what runs a shell-form RUN line (the image's SHELL)
    entrypoint: Callable[[list[str]], list[str]]
    tools: tuple[str, ...]  # the package tools it has: stand-ins here


BASE_IMAGES = {
    # apache/airflow's Dockerfile: VIRTUAL_ENV=/home/airflow/.local with pip and uv in it,
    # AIRFLOW_HOME=/opt/airflow, AIRFLOW_VERSION from the tag, SHELL bash with errexit,
    # nounset and pipefail.
    "apache/airflow": BaseImage(
        venv="/home/airflow/.local",
        python=lambda tag: tag.partition("-python")[2] or "the tag names no Python",
        home="/home/airflow",
        workdir="/opt/airflow",
        env=lambda tag: {
            "AIRFLOW_HOME": "/opt/airflow",
            "AIRFLOW_VERSION": tag.split("-")[0],
            "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
            "VIRTUAL_ENV": "/home/airflow/.local",
        },
        shell=("bash", "-o", "pipefail", "-o", "errexit", "-o", "nounset", "-c"),
        entrypoint=_airflow_entrypoint,
        tools=("pip", "uv"),
    ),
    # apache/superset: Superset in the uv-managed venv /app/.venv (first on PATH), uv on PATH,
    # WORKDIR /app, PYTHONPATH=/app/pythonpath, no entrypoint.
    "apache/superset": BaseImage(
        venv="/app/.venv",
        python=lambda tag: "3.11",  # Superset 6's images
        home="/app/superset_home",
        workdir="/app",
        env=lambda tag: {
            "SUPERSET_HOME": "/app/superset_home",
            "SUPERSET_ENV": "production",
            "PYTHONPATH": "/app/pythonpath",
            "FLASK_APP": "superset.app:create_app()",
        },
        shell=("sh", "-c"),
        entrypoint=lambda command: command,
        tools=("uv",),
    ),
}
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# environment the stand-in tools need to reach the package index as the developer's uv does
PASSED_THROUGH = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
                  "http_proxy", "https_proxy", "no_proxy")  # fmt: skip


def _uv() -> str:
    """The developer's uv (the Makefile's `python3 -m uv`)."""
    try:
        import uv

        return uv.find_uv_bin()
    except ImportError:
        pass
    found = subprocess.run([shutil.which("python3") or "python3", "-c", "import uv; print(uv.find_uv_bin())"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    if found.returncode == 0:
        return found.stdout.strip()
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    raise RuntimeError("uv not found: `make install` installs it (python3 -m pip install uv)")


UV = _uv()


@functools.cache
def _tool_env() -> tuple[tuple[str, str], ...]:
    """What every process here gets from this machine: the way to the package index, uv's
    settings, and uv's cache (the developer's warm one, not the image's empty one)."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update({k: v for k, v in os.environ.items() if k.startswith("UV_") and not k.startswith("UV_INTERNAL")})
    cache = subprocess.run([UV, "cache", "dir"], capture_output=True, text=True, check=True)
    env["UV_CACHE_DIR"] = cache.stdout.strip()
    env["LANG"] = "C.UTF-8"
    return tuple(env.items())


# --- the Dockerfile -------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    flags: tuple[str, ...]  # --chown=..., --mount=...
    args: str
    line: int

    def where(self, dockerfile: str) -> str:
        return f"{dockerfile}:{self.line} {self.keyword} {self.args}"


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions with their continuation lines joined; comments (inside them too) dropped."""
    instructions: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        keyword, _, rest = " ".join(part for part in pending if part).partition(" ")
        pending = []
        flags = []
        rest = rest.strip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            flags.append(flag)
            rest = rest.strip()
        instructions.append(Instruction(keyword.upper(), tuple(flags), rest, start))
    if pending:
        raise BuildFailed(f"line {start}: the last instruction ends with a line continuation")
    return instructions


def _substitute(text: str, values: dict[str, str]) -> str:
    """Docker's variable substitution in COPY, ENV and WORKDIR: $NAME, ${NAME}, ${NAME:-default}."""

    def value(match: re.Match[str]) -> str:
        name = match["name"] or match["bare"]
        if match["default"] is not None:
            return values.get(name) or match["default"]
        return values.get(name, "")

    return re.sub(r"\$\{(?P<name>\w+)(?::-(?P<default>[^}]*))?\}|\$(?P<bare>\w+)", value, text)


def _words(args: str) -> list[str]:
    """Arguments of COPY/RUN: the JSON (exec) form or whitespace-separated."""
    if args.startswith("["):
        return list(json.loads(args))
    return args.split()


def context_files(dockerfile: str, context: Path = REPO_ROOT) -> set[str]:
    """Paths (files and folders) of the build context that the Dockerfile's .dockerignore lets in."""
    ignore_file = context / f"{dockerfile}.dockerignore"
    if not ignore_file.is_file():
        ignore_file = context / ".dockerignore"
    patterns = []
    if ignore_file.is_file():
        lines = (line.strip() for line in ignore_file.read_text().splitlines())
        patterns = [line for line in lines if line and not line.startswith("#")]
    return set(exclude_paths(str(context), patterns, dockerfile=dockerfile))


# --- the image ------------------------------------------------------------------------------


@dataclass
class Image:
    dockerfile: str
    root: Path  # the image's / on this machine
    base: BaseImage
    tag: str
    workdir: str
    env: dict[str, str] = field(default_factory=dict)  # as the image has it: image paths
    args: dict[str, str] = field(default_factory=dict)
    entrypoint: list[str] | None = None
    tools_dir: Path | None = None
    image_roots: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)

    def host(self, image_path: str) -> Path:
        return self.root / posixpath.normpath(posixpath.join(self.workdir, image_path)).lstrip("/")

    def rewrite(self, text: str) -> str:
        """Image paths in a command or a value → their place under `root` (applied once)."""
        if not self.image_roots:
            return text
        roots = "|".join(re.escape(root) for root in sorted(self.image_roots, key=len, reverse=True))
        return re.sub(rf"(?<![\w./-])/({roots})(?=/|\s|$|[\"':;])", lambda m: f"{self.root}/{m[1]}", text)

    def process_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment a process of this image gets: the image's, then `extra` (image paths)."""
        merged = {**self.env, **(extra or {})}
        env = dict(_tool_env())
        env.update({name: self.rewrite(value) for name, value in merged.items()})
        env["HOME"] = str(self.host(self.base.home))
        path = [str(self.host(self.base.venv) / "bin")]
        if self.tools_dir:
            path.append(str(self.tools_dir))
        env["PATH"] = os.pathsep.join([*path, SYSTEM_PATH])
        env["VIRTUAL_ENV"] = str(self.host(self.base.venv))
        return env

    def run(self, argv: list[str], env: dict[str, str], timeout: float, cwd: str | None = None) -> tuple[int, str]:
        started = time.monotonic()
        try:
            result = subprocess.run(argv, cwd=self.host(cwd or self.workdir), env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                                    timeout=timeout, check=False)  # fmt: skip
            code, output = result.returncode, result.stdout
        except subprocess.TimeoutExpired as expired:
            code, output = -1, f"timed out after {timeout} s\n{expired.output or ''}"
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
        self.log.append(
            f"{time.monotonic() - started:5.1f} s  exit {code}  {_describe(argv)[:110]}\n{'':>16}{last[:110]}"
        )
        return code, output


def _describe(argv: list[str]) -> str:
    """A command line with its inline scripts shortened and the temporary root left out."""
    words = ["<script>" if "\n" in word else re.sub(r"/tmp/\S*?/root/", "/", word) for word in argv]
    return shlex.join(words)


def _make_tools(image: Image, tmp: Path) -> Path:
    """Stand-ins for the base image's package tools: its uv is the developer's uv; its pip
    installs through that uv into the image's venv (the one use the Dockerfiles make of it)."""
    tools = tmp / "base-image-tools"
    tools.mkdir()
    if "uv" in image.base.tools:
        (tools / "uv").symlink_to(UV)
    if "pip" in image.base.tools:
        python = image.host(image.base.venv) / "bin" / "python"
        (tools / "pip").write_text(
            f"#!{sys.executable}\n"
            "import os, sys\n"
            "args = sys.argv[1:]\n"
            "if args[:1] != ['install']:\n"
            "    sys.exit(f'pip stand-in: only `pip install` is modelled, not {args}')\n"
            "packages = [a for a in args[1:] if a != '--no-cache-dir']\n"
            "if any(a.startswith('-') for a in packages):\n"
            "    sys.exit(f'pip stand-in: option not modelled in {args}')\n"
            f"os.execv({UV!r}, [{UV!r}, 'pip', 'install', '--python', {str(python)!r}, *packages])\n"
        )
        (tools / "pip").chmod(0o755)
    return tools


def _copy(image: Image, instruction: Instruction, included: set[str], dockerfile: str) -> None:
    """COPY <src>... <dest>, with Docker's semantics, from the filtered context."""
    if any(flag.startswith("--from") for flag in instruction.flags):
        raise BuildFailed(f"{instruction.where(dockerfile)}: COPY --from (another stage) is not modelled")
    words = [_substitute(word, {**image.args, **image.env}) for word in _words(instruction.args)]
    if len(words) < 2:
        raise BuildFailed(f"{instruction.where(dockerfile)}: COPY needs a source and a destination")
    *sources, dest = words
    to_folder = dest.endswith("/") or len(sources) > 1
    if len(sources) > 1 and not dest.endswith("/"):
        raise BuildFailed(f"{instruction.where(dockerfile)}: several sources need a destination ending in /")
    target = image.host(dest)
    for source in sources:
        pattern = posixpath.normpath(source).lstrip("/")
        if pattern == ".":
            matched = [""]
        elif re.search(r"[*?\[]", pattern):
            folder = posixpath.dirname(pattern)
            matched = sorted(p for p in included if posixpath.dirname(p) == folder and fnmatchcase(p, pattern))
        else:
            matched = [pattern] if pattern in included else []
        if not matched:
            raise BuildFailed(f"{instruction.where(dockerfile)}: {source} is not in the build context "
                              f"(missing, or excluded by {dockerfile}.dockerignore)")  # fmt: skip
        for found in matched:
            origin = REPO_ROOT / found
            if origin.is_dir():  # the folder's contents, not the folder
                target.mkdir(parents=True, exist_ok=True)
                prefix = f"{found}/" if found else ""
                for path in sorted(p for p in included if p.startswith(prefix)):
                    destination = target / path.removeprefix(prefix)
                    if (REPO_ROOT / path).is_dir():
                        destination.mkdir(parents=True, exist_ok=True)
                    else:
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(REPO_ROOT / path, destination)
            else:
                file_target = target / origin.name if to_folder or target.is_dir() else target
                file_target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, file_target)


def build(dockerfile: str, tmp: Path, text: str | None = None, build_args: dict[str, str] | None = None) -> Image:
    """Assemble the image of `dockerfile` (a path relative to the repository, the context)
    under `tmp`, running its RUN lines; `text` replaces the file's content."""
    instructions = parse_dockerfile(text if text is not None else (REPO_ROOT / dockerfile).read_text())
    included = context_files(dockerfile)
    image: Image | None = None
    args: dict[str, str] = {}
    for instruction in instructions:
        keyword, where = instruction.keyword, instruction.where(dockerfile)
        if keyword == "ARG":
            name, _, default = instruction.args.partition("=")
            value = (build_args or {}).get(name, default)
            (image.args if image else args)[name] = _substitute(value, {**args, **(image.env if image else {})})
            continue
        if keyword == "FROM":
            if image is not None:
                raise BuildFailed(f"{where}: a second stage is not modelled")
            reference = _substitute(instruction.args.split()[0], args)
            repository, _, tag = reference.partition(":")
            if repository not in BASE_IMAGES:
                raise BuildFailed(f"{where}: no model of base image {repository} in BASE_IMAGES")
            base = BASE_IMAGES[repository]
            image = Image(dockerfile, tmp / "root", base, tag, base.workdir, env=base.env(tag), args=dict(args))
            image.image_roots = {"tmp", base.venv.split("/")[1], base.home.split("/")[1], base.workdir.split("/")[1]}
            for folder in (base.venv, base.home, base.workdir, "/tmp"):
                image.host(folder).mkdir(parents=True, exist_ok=True)
            venv = [UV, "venv", "--quiet", "--allow-existing", "--python", base.python(tag), str(image.host(base.venv))]
            subprocess.run(venv, check=True, env={**dict(_tool_env()), "PATH": os.environ["PATH"]})
            image.tools_dir = _make_tools(image, tmp)
            continue
        if image is None:
            raise BuildFailed(f"{where}: before FROM")
        values = {**image.args, **image.env}
        if keyword == "ENV":
            words = shlex.split(instruction.args)
            legacy = "=" not in words[0]  # ENV NAME value
            pairs = [(words[0], "=", " ".join(words[1:]))] if legacy else [word.partition("=") for word in words]
            for name, _, value in pairs:
                image.env[name] = _substitute(value, values)
        elif keyword == "WORKDIR":
            image.workdir = posixpath.join(image.workdir, _substitute(instruction.args, values))
            image.image_roots.add(image.workdir.split("/")[1])
            image.host(image.workdir).mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            dest = _substitute(_words(instruction.args)[-1], values)
            image.image_roots.add(posixpath.join(image.workdir, dest).split("/")[1])
            _copy(image, instruction, included, dockerfile)
        elif keyword == "RUN":
            env = image.process_env({**image.args, **image.env})  # ARG values are variables of RUN
            if instruction.args.startswith("["):
                argv = [image.rewrite(word) for word in _words(instruction.args)]
            else:
                argv = [*image.base.shell, image.rewrite(instruction.args)]
            code, output = image.run(argv, env, RUN_TIMEOUT_S)
            if code != 0:
                raise BuildFailed(f"{where}\nfailed with exit {code}:\n{output[-6000:]}")
        elif keyword == "ENTRYPOINT":
            image.entrypoint = _words(instruction.args)
        elif keyword in {"USER", "LABEL", "EXPOSE", "CMD", "HEALTHCHECK", "STOPSIGNAL", "VOLUME"}:
            pass  # ownership, metadata: nothing the commands' imports depend on
        else:
            raise BuildFailed(f"{where}: {keyword} is not modelled by this test")
    if image is None:
        raise BuildFailed(f"{dockerfile}: no FROM")
    return image


# --- docker-compose.yml ---------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?P<modifier>[^}]*)\}")
# a valid Fernet key, usable as a password too: AIRFLOW__CORE__FERNET_KEY is parsed as one
DUMMY_SECRET = base64.urlsafe_b64encode(b"hub-image-test-dummy-secret-0123").decode()


def _interpolate(value: Any) -> Any:
    """Compose's interpolation with no .env: defaults as given, required values as dummies."""
    if isinstance(value, dict):
        return {key: _interpolate(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        modifier = match["modifier"]
        if modifier.startswith((":-", "-")):
            return modifier.split("-", 1)[1]
        return DUMMY_SECRET if modifier.startswith((":?", "?")) else ""

    return _INTERPOLATION.sub(replace, value)


def compose_services() -> dict[str, dict[str, Any]]:
    return _interpolate(yaml.safe_load(COMPOSE_FILE.read_text())["services"])


def _dockerfile_of(spec: dict[str, Any]) -> str | None:
    build_spec = spec.get("build")
    if build_spec is None:
        return None
    if isinstance(build_spec, str):
        build_spec = {"context": build_spec}
    assert (REPO_ROOT / build_spec.get("context", ".")).resolve() == REPO_ROOT, "contexts other than . not modelled"
    return build_spec.get("dockerfile", "Dockerfile")


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return shlex.split(value) if isinstance(value, str) else [str(word) for word in value]


def _environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def service_commands(spec: dict[str, Any], image: Image) -> list[list[str]]:
    """The process the service starts (entrypoint + command, as compose and the image combine
    them), then its healthcheck's."""
    entrypoint, command = _as_list(spec.get("entrypoint")), _as_list(spec.get("command")) or []
    if entrypoint is not None:
        commands = [entrypoint + command]
    elif image.entrypoint is not None:
        commands = [image.entrypoint + command]
    else:
        commands = [image.base.entrypoint(command)]
    test = _as_list((spec.get("healthcheck") or {}).get("test"))
    if test and test[0] == "CMD":
        commands.append(test[1:])
    elif test and test[0] == "CMD-SHELL":
        commands.append(["sh", "-c", test[1]])
    return commands


# --- probes: a command → processes that prove its imports resolve ---------------------------

# For each command line (a JSON list of them, one process for all that share an environment):
# parses it with Airflow's own parser (exit 2 on a bad one) and imports the module behind the
# command (the parser loads it lazily); then the configured auth manager and executor.
AIRFLOW_PROBE = """
import importlib, json, sys
from airflow.cli import cli_parser
from airflow.configuration import conf
from airflow.executors.executor_loader import ExecutorLoader
parser = cli_parser.get_parser()
for argv in json.loads(sys.argv[1]):
    print("airflow", *argv[:3], flush=True)
    args = parser.parse_args(argv)
    targets = [cell.cell_contents for cell in (getattr(args.func, "__closure__", None) or ())
               if isinstance(cell.cell_contents, str) and "." in cell.cell_contents]
    for target in targets:
        module, _, name = target.rpartition(".")
        getattr(importlib.import_module(module), name)
auth_manager = conf.getimport("core", "auth_manager")
executor, _ = ExecutorLoader.import_default_executor_cls()
print("ok:", len(json.loads(sys.argv[1])), "commands;", auth_manager.__name__, executor.__name__)
"""
DAG_BAG_PROBE = """
import sys
from airflow.configuration import conf
from airflow.dag_processing.dagbag import DagBag
folder = conf.get("core", "dags_folder")
bag = DagBag(dag_folder=folder)
for path, error in bag.import_errors.items():
    print(f"import error in {path}:\\n{error}")
if bag.import_errors or not bag.dag_ids:
    sys.exit(f"DagBag of {folder}: {len(bag.dag_ids)} DAGs, {len(bag.import_errors)} import errors")
print(f"ok: {len(bag.dag_ids)} DAGs in {folder}:", ", ".join(sorted(bag.dag_ids)))
"""
DAG_PARSING_COMPONENTS = {"scheduler", "dag-processor"}
BASE_IMAGE_PROGRAMS = {"curl", "test"}  # the image's own tools: none of our code behind them
# Celery app modules that build their Flask app at import, which needs the metadata database (there
# is none here): their package is imported and the module found, not run.
CELERY_APPS_NEEDING_A_DATABASE = {"superset.tasks.celery_app"}


class NoProbe(AssertionError):
    """A command this module does not know how to check."""


@dataclass(frozen=True)
class Probe:
    argv: tuple[str, ...]
    if_help_lists: str | None = None  # run only when `<argv[:2]> --help` lists this step
    airflow: tuple[str, ...] | None = None  # an Airflow command line, checked by AIRFLOW_PROBE
    source: str = ""  # the simple command it stands for


def _shell_commands(script: str, env: dict[str, str]) -> list[list[str]]:
    """The simple commands of a `bash -c` script: one a line, or joined by && / ; / ||."""
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if not words or words[0] == "set":
            continue
        if {"|", ">", "<", ">>"} & set(words):
            raise NoProbe(f"pipes and redirections are not modelled: {line}")
        current: list[str] = []
        for word in [*words, ";"]:
            if word in {"&&", "||", ";"}:
                if current:
                    commands.append([re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: env.get(m[1] or m[2], ""), w)
                                     for w in current])  # fmt: skip
                current = []
            else:
                current.append(word)
    return commands


def probes_for(command: list[str], env: dict[str, str]) -> list[Probe]:
    """Processes that run what `command` imports without doing its work (image paths)."""
    source = shlex.join(command)[:160]
    return [probe if probe.source else replace(probe, source=source) for probe in _probes(command, env)]


def _probes(command: list[str], env: dict[str, str]) -> list[Probe]:
    program, rest = command[0], command[1:]
    if program in {"bash", "sh", "/bin/bash", "/bin/sh"} and rest[:1] == ["-c"]:
        return [probe for simple in _shell_commands(rest[1], env) for probe in probes_for(simple, env)]
    if program == "airflow":
        probes = [Probe(("python", "-c", AIRFLOW_PROBE), airflow=tuple(rest))]
        if rest and rest[0] in DAG_PARSING_COMPONENTS:
            probes.append(Probe(("python", "-c", DAG_BAG_PROBE)))
        return probes
    if program == "hub":
        subcommands = [word for word in rest if not word.startswith("-")][:2]
        return [Probe(("hub", "--help")), Probe(("hub", *subcommands, "--help"))]
    if program == "python" and rest[:2] == ["-m", "uvicorn"]:
        app = next(word for word in rest[2:] if not word.startswith("-") and ":" in word)
        module, _, name = app.partition(":")
        call = "()" if "--factory" in rest else ""
        return [Probe(("python", "-m", "uvicorn", "--help")),
                Probe(("python", "-c", f"import {module} as m; print('ok:', type(m.{name}{call}))"))]  # fmt: skip
    if program == "python" and rest and rest[0].endswith(".py"):
        return [Probe(("python", rest[0], "--help")), Probe(("python", rest[0], "check"), if_help_lists="check")]
    if program == "gunicorn":
        app = [word for word in rest if not word.startswith("-")][-1]
        module, _, name = app.removesuffix("()").partition(":")
        return [
            Probe(("gunicorn", "--version")),
            Probe(("python", "-c", f"import {module} as m; print('ok:', m.{name})")),
        ]
    if program == "celery":
        # `celery --app=<module>:<attr>` or `--app <module>.<attr>` (a worker, an `inspect ping`):
        # the app is loaded the way Celery loads it.
        app = next((word.split("=", 1)[1] for word in rest if word.startswith(("--app=", "-A="))), None)
        app = app or next((rest[i + 1] for i, word in enumerate(rest[:-1]) if word in {"--app", "-A"}), None)
        if app is None:
            raise NoProbe(f"celery without --app: {shlex.join(command)[:120]}")
        module = app.partition(":")[0]
        if module in CELERY_APPS_NEEDING_A_DATABASE:
            package = module.rpartition(".")[0]
            load = (
                f"import importlib, importlib.util; importlib.import_module({package!r}); "
                f"assert importlib.util.find_spec({module!r}); print('ok: found', {module!r})"
            )
        else:
            load = f"from celery.app.utils import find_app; print('ok:', find_app({app!r}))"
        return [Probe(("celery", "--version")), Probe(("python", "-c", load))]
    if program in BASE_IMAGE_PROGRAMS:
        return []
    raise NoProbe(f"no probe for `{shlex.join(command)[:120]}`: teach tests/deploy/test_images.py to check it")


@dataclass(frozen=True)
class Check:
    service: str
    command: str
    probe: Probe
    env: tuple[tuple[str, str], ...]


def checks_for(image: Image, services: dict[str, dict[str, Any]]) -> list[Check]:
    """The probes of every service, each probe once per environment; the Airflow command lines
    that share an environment in one process (importing Airflow takes seconds)."""
    checks: dict[tuple[Any, ...], Check] = {}
    airflow: dict[tuple[tuple[str, str], ...], list[tuple[str, str, tuple[str, ...]]]] = {}
    for name, spec in services.items():
        env = {**image.env, **_environment(spec)}
        frozen = tuple(sorted(env.items()))
        for command in service_commands(spec, image):
            for probe in probes_for(command, env):
                if probe.airflow is not None:
                    airflow.setdefault(frozen, []).append((name, probe.source, probe.airflow))
                else:
                    checks.setdefault((probe, frozen), Check(name, probe.source, probe, frozen))
    batched = []
    for frozen, lines in airflow.items():
        unique = list(dict.fromkeys(argv for _, _, argv in lines))
        probe = Probe(("python", "-c", AIRFLOW_PROBE, json.dumps(unique)))
        services_named = ", ".join(dict.fromkeys(service for service, _, _ in lines))
        batched.append(Check(services_named, " | ".join(dict.fromkeys(c for _, c, _ in lines)), probe, frozen))
    return batched + list(checks.values())


def run_checks(image: Image, checks: list[Check], stop_at_first: bool = False) -> list[str]:
    """Run the probes, two at a time (the first alone: it writes Airflow's configuration file
    and compiles the venv's bytecode); with `stop_at_first`, none starts after a failure."""
    stop = threading.Event()

    def run(check: Check) -> str | None:
        if stop.is_set():
            return None
        probe = [image.rewrite(word) for word in check.probe.argv]
        env = image.process_env(dict(check.env))
        if check.probe.if_help_lists:
            _, usage = image.run([*probe[:2], "--help"], env, PROBE_TIMEOUT_S)
            if not re.search(rf"^\s+{check.probe.if_help_lists}\s", usage, re.MULTILINE):
                return None
        code, output = image.run(probe, env, PROBE_TIMEOUT_S)
        if code == 0:
            return None
        if stop_at_first:
            stop.set()
        return (f"[{check.service}] `{check.command}`: probe `{_describe(probe)[:200]}` exit {code}:\n"
                f"{output[-3000:]}")  # fmt: skip

    if not checks:
        return []
    failures = [run(checks[0])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures.extend(pool.map(run, checks[1:]))
    found = [failure for failure in failures if failure]
    return found[:1] if stop_at_first else found


def build_and_check(dockerfile: str, tmp: Path, text: str | None = None, stop_at_first: bool = False) -> list[str]:
    """Every failure, from the build or from a compose command of a service built from `dockerfile`."""
    services = {name: spec for name, spec in compose_services().items() if _dockerfile_of(spec) == dockerfile}
    build_args = {k: str(v) for spec in services.values() for k, v in (spec["build"].get("args") or {}).items()}
    try:
        image = build(dockerfile, tmp, text, build_args)
    except BuildFailed as error:
        return [f"build of {dockerfile}: {error}"]
    failures = run_checks(image, checks_for(image, services), stop_at_first)
    print(f"\n{dockerfile}:", *image.log, sep="\n  ")
    return failures


# --- the tests ------------------------------------------------------------------------------


def _dockerfiles() -> list[str]:
    return sorted({path for spec in compose_services().values() if (path := _dockerfile_of(spec))})


@pytest.mark.parametrize("dockerfile", _dockerfiles())
def test_every_compose_command_runs_in_its_image(dockerfile: str, tmp_path: Path) -> None:
    failures = build_and_check(dockerfile, tmp_path)
    assert failures == [], "\n\n".join(failures)


def test_every_service_command_has_a_probe() -> None:
    """Every command and healthcheck of a service built here is understood (or is the base image's)."""
    for name, spec in compose_services().items():
        dockerfile = _dockerfile_of(spec)
        if dockerfile is None:
            continue
        instructions = parse_dockerfile((REPO_ROOT / dockerfile).read_text())
        repository = next(i for i in instructions if i.keyword == "FROM").args.split(":")[0]
        image = Image(dockerfile, REPO_ROOT, BASE_IMAGES[repository], "", "/")
        image.entrypoint = next((_words(i.args) for i in instructions if i.keyword == "ENTRYPOINT"), None)
        for command in service_commands(spec, image):
            assert probes_for(command, {}) or command[0] in BASE_IMAGE_PROGRAMS, (name, command)


@pytest.mark.parametrize("dockerfile", _dockerfiles())
def test_build_context_keeps_secrets_and_local_state_out(dockerfile: str) -> None:
    included = context_files(dockerfile)
    leaked = sorted(p for p in included if re.search(r"(^|/)(\.env|\.git|\.venv|\.hub|secrets\.json)(/|$)", p))
    assert leaked == []


def test_a_missing_copy_line_fails_naming_the_missing_module(tmp_path: Path) -> None:
    dockerfile = "deploy/airflow.Dockerfile"
    lines = (REPO_ROOT / dockerfile).read_text().splitlines(keepends=True)
    kept = [line for line in lines if not re.match(r"COPY\s.*\scatalog/\s+catalog/\s*$", line)]
    assert len(kept) == len(lines) - 1, "expected exactly one `COPY ... catalog/ catalog/` line"
    failures = build_and_check(dockerfile, tmp_path, "".join(kept), stop_at_first=True)
    print("\n\n".join(failures))
    assert failures, "the image without catalog/ passed every check"
    assert "No module named 'catalog'" in failures[0]
