"""The deployment files in deploy/ agree with the code they deploy (docker is not on the test
machine, so the image is not built here): the Dockerfile copies everything the package build
includes and installs the server extra at the pinned versions; compose, the env file and the
systemd unit set only settings HQ reads; the unit's commands parse with the CLI; nginx forwards
the client address to the port HQ listens on."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import yaml

from inspect_app.cli import build_parser
from inspect_app.server.app import ENVIRONMENT

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
#: Read by boto3 for the S3 blob store, not by HQ's settings.
S3_KEYS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
KNOWN = set(ENVIRONMENT.values()) | {"INSPECT_DATA", "INSPECT_ADMIN_PASSWORD"} | S3_KEYS


def _dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def test_the_image_copies_what_the_package_build_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    build = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {*build["packages"], *build.get("force-include", {}), "pyproject.toml"}
    copied = {
        source.rstrip("/")
        for line in _dockerfile().splitlines()
        if line.startswith("COPY ")
        for source in shlex.split(line)[1:-1]
    }
    assert needed <= copied, needed - copied
    assert all((ROOT / path).exists() for path in copied)


def test_the_image_installs_the_server_at_the_tested_versions() -> None:
    install = next(line for line in _dockerfile().splitlines() if "pip install" in line)
    assert '".[server]"' in install and "-c constraints.txt" in install


def _environment_of(text: str) -> set[str]:
    return {line.split("=", 1)[0] for line in text.splitlines() if re.match(r"^[A-Z_]+=", line)}


def test_compose_and_the_env_file_set_only_settings_hq_reads() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    assert {"db", "s3", "hq"} <= compose["services"].keys()
    hq = compose["services"]["hq"]
    assert set(hq["environment"]) <= KNOWN, set(hq["environment"]) - KNOWN
    assert {"INSPECT_DB_URL", "INSPECT_BLOBS_URL"} <= set(hq["environment"])
    port = re.search(r"ENV .*INSPECT_PORT=(\d+)", _dockerfile())
    assert port is not None and any(p.endswith(f":{port[1]}") for p in hq["ports"])
    example = _environment_of((DEPLOY / "env.example").read_text())
    assert example <= KNOWN, example - KNOWN
    s3_config = (DEPLOY / "seaweedfs-s3.json").read_text()
    assert '"identities"' in s3_config


def test_the_systemd_unit_runs_commands_the_cli_takes() -> None:
    unit = (DEPLOY / "inspect-hq.service").read_text()
    commands = re.findall(r"^ExecStart(?:Pre)?=(\S+/inspect-app)\s*(.*)$", unit, re.MULTILINE)
    assert [args.split()[0] for _, args in commands] == ["migrate", "serve"]
    parser = build_parser()
    for _, args in commands:
        parser.parse_args(shlex.split(args))  # exits on an unknown command or option
    assert "EnvironmentFile=/etc/inspect-hq/env" in unit


def test_nginx_forwards_the_client_address_to_hq_s_port() -> None:
    site = (DEPLOY / "nginx-inspect-hq.conf").read_text()
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if re.match(r"^[A-Z_]+=", line)
    )
    assert f"proxy_pass http://{example['INSPECT_HOST']}:{example['INSPECT_PORT']};" in site
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert example["INSPECT_TRUSTED_PROXIES"] == example["INSPECT_HOST"]
