"""Where the shipped checklists and demo site are: the source tree, or inside the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    source_tree = _PACKAGE.parent / name
    return source_tree if source_tree.exists() else _PACKAGE / "_shipped" / name


def shipped_checklists_dir() -> Path:
    return _shipped("checklists")


def demo_site_path() -> Path:
    return _shipped("sites") / "demo-site.yaml"
