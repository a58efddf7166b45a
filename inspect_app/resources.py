"""Where the shipped checklists and the demo site are: inside the installed wheel, or in the
source tree next to the package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # pyproject force-includes checklists/ and sites/ into the wheel under inspect_app/_shipped.
    in_wheel = _PACKAGE / "_shipped" / name
    return in_wheel if in_wheel.exists() else _PACKAGE.parent / name


def shipped_checklists_dir() -> Path:
    return _shipped("checklists")


def demo_site_path() -> Path:
    return _shipped("sites") / "demo-site.yaml"
