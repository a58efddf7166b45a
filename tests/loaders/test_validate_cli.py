"""The validator on the shipped files and on a folder of bad ones: one clear line each, no
traceback, exit 1; good files exit 0. Plus a fuzz test: no input makes the loader raise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_app.cli import main
from inspect_app.loaders.checklist_loader import load_checklist_text, load_checklists
from inspect_app.loaders.site_loader import load_site
from inspect_app.resources import demo_site_path, shipped_checklists_dir

GOOD = (shipped_checklists_dir() / "fire-monthly.yaml").read_text("utf-8")

BAD_FILES = {
    "bad-yaml.yaml": "id: x\n  version: 1\n: :\n",
    "unknown-key.yaml": GOOD.replace("frequency: monthly", "frequncy: monthly"),
    "wrong-type.yaml": GOOD.replace("version: 1", "version: one"),
    "duplicate-id.yaml": GOOD.replace("id: ext-seal", "id: ext-gauge"),
    "dangling-show-if.yaml": GOOD.replace(
        "{item: has-sprinkler, equals: pass}", "{item: has-sprinklers, equals: pass}", 1
    ),
    "empty.yaml": "",
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    for name, text in BAD_FILES.items():
        (tmp_path / name).write_text(text, "utf-8")
    (tmp_path / "junk.yaml").write_bytes(os.urandom(4096) + b"\x00")
    with open(tmp_path / "huge.yaml", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "zz-good.yaml").write_text(GOOD.replace("fire-monthly", "fire-copy"), "utf-8")
    return tmp_path


def test_shipped_checklists_and_demo_site_are_valid() -> None:
    checklists, errors = load_checklists([shipped_checklists_dir()])
    assert errors == []
    assert {c.category.value for c in checklists} == {
        "fire",
        "electrical",
        "special_equipment",
        "flood_season",
        "environment",
    }
    per_category: dict[str, int] = {}
    for checklist in checklists:
        per_category[checklist.category] = (
            per_category.get(checklist.category, 0) + checklist.item_count
        )
        assert all(item.reference for item in checklist.items()), checklist.id
    assert min(per_category.values()) >= 15
    asset_types = {c.asset_type for c in checklists if c.asset_type}
    assert asset_types == {"forklift", "crane", "pressure_vessel", "boiler", "elevator"}
    site = load_site(demo_site_path())
    assert site.errors == [] and site.site is not None
    assert {e.type for e in site.site.equipment} == asset_types


def test_main_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklists", "validate"]) == 0
    assert "9 checklists OK, 0 invalid" in capsys.readouterr().out


def test_bad_files_give_one_line_each_and_the_rest_still_load(
    bad_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklists", "validate", str(bad_folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    by_file = {Path(line.split(":")[0]).name: line for line in lines[:-1]}
    assert len(lines) - 1 == len(by_file) == 8, lines
    assert "YAML syntax error" in by_file["bad-yaml.yaml"]
    assert (
        "unknown key 'frequncy' in the checklist (did you mean 'frequency'?)"
        in by_file["unknown-key.yaml"]
    )
    assert ":3:10: version must be a whole number, not 'one'" in by_file["wrong-type.yaml"]
    assert "duplicate item id 'ext-gauge'" in by_file["duplicate-id.yaml"]
    assert "show_if points at unknown item 'has-sprinklers'" in by_file["dangling-show-if.yaml"]
    assert by_file["empty.yaml"].endswith(":1:1: the file is empty")
    assert (
        by_file["junk.yaml"].endswith("not a text file (binary data)")
        or "UTF-8" in by_file["junk.yaml"]
    )
    assert "52.4 MB, larger than the 2 MB limit" in by_file["huge.yaml"]
    assert lines[-1] == "8 of 9 files invalid"
    checklists, _ = load_checklists([bad_folder])
    assert [c.id for c in checklists] == ["fire-copy"]


def test_cli_in_a_real_process_never_shows_a_traceback(bad_folder: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "inspect_app",
            "checklists",
            "validate",
            str(bad_folder),
            str(tmp_path / "missing.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "missing.yaml:1:1: cannot read the file: No such file or directory" in run.stdout


def test_duplicate_checklist_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, "utf-8")
    checklists, errors = load_checklists([tmp_path])
    assert len(checklists) == 1
    assert [str(e).split(":", 1)[1] for e in errors] == [
        f"1:1: checklist id 'fire-monthly' is also used by {tmp_path / 'a.yaml'}"
    ]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = load_checklist_text(data, "fuzz.yaml")
    assert result.checklist is None or result.errors == []


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.integers(1, 40), st.text(max_size=20))
def test_mutated_checklists_never_raise(start: int, length: int, replacement: str) -> None:
    mutated = GOOD[:start] + replacement + GOOD[start + length :]
    result = load_checklist_text(mutated, "fuzz.yaml")
    assert all(str(e).startswith("fuzz.yaml:") for e in result.errors)
