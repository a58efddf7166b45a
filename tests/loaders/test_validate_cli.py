"""The validator on the shipped files and on a folder of bad ones: one clear line each, no
traceback, exit 1; good files exit 0. Plus fuzzing: no input makes a loader raise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from inspect_app.cli import main
from inspect_app.loaders.checklist_loader import (
    LoadResult,
    checklist_files,
    load_checklist_text,
    load_checklists,
)
from inspect_app.loaders.site_loader import SiteLoadResult, load_site, load_site_text
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from tests.loaders.samples import FULL_CHECKLIST

REPO = Path(__file__).resolve().parents[2]
VALIDATE = [sys.executable, "-m", "inspect_app", "checklists", "validate"]

BAD_FILES = {
    "bad-yaml.yaml": "id: x\n  version: 1\n",
    "unknown-key.yaml": FULL_CHECKLIST.replace("frequency:", "frequncy:"),
    "wrong-type.yaml": FULL_CHECKLIST.replace("version: 2", "version: two"),
    "duplicate-id.yaml": FULL_CHECKLIST.replace("id: photo", "id: earth"),
    "dangling-show-if.yaml": FULL_CHECKLIST.replace("{item: earth,", "{item: earht,"),
    "empty.yaml": "",
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "checklists"
    folder.mkdir()
    for name, text in BAD_FILES.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "junk.yaml").write_bytes(os.urandom(4096) + b"\x00\xff")
    with (folder / "huge.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (folder / "notes.txt").write_text("not a checklist", "utf-8")
    (folder / "zz-good.yaml").write_text(FULL_CHECKLIST, "utf-8")
    (folder / "zz-same-id.yml").write_text(FULL_CHECKLIST.replace("version: 2", "version: 3"))
    return folder


def test_shipped_checklists_and_demo_site_are_valid() -> None:
    checklists, errors = load_checklists([shipped_checklists_dir()])
    assert [str(e) for e in errors] == []
    assert checklists
    site = load_site(demo_site_path())
    assert [str(e) for e in site.errors] == [] and site.site is not None
    # Every asset checklist can be run against something registered in the demo plant.
    equipment_types = {e.type for e in site.site.equipment}
    assert {c.asset_type for c in checklists if c.asset_type} <= equipment_types


def test_good_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    count = len(checklist_files([shipped_checklists_dir()]))
    assert main(["checklists", "validate"]) == 0
    assert capsys.readouterr().out == f"{count} checklists OK, 0 invalid\n"
    assert main(["site", "validate"]) == 0


def test_bad_files_give_one_line_each_and_the_rest_still_load(
    bad_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklists", "validate", str(bad_folder)]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out
    lines = out.splitlines()
    by_file = {Path(line.split(":")[0]).name: line for line in lines[:-1]}
    assert len(lines) - 1 == len(by_file) == 9, lines
    assert by_file["bad-yaml.yaml"].endswith(
        ":2:10: YAML syntax error: mapping values are not allowed here"
    )
    assert by_file["unknown-key.yaml"].endswith(
        ":6:1: unknown key 'frequncy' in checklist (did you mean 'frequency'?)"
    )
    assert by_file["wrong-type.yaml"].endswith(":3:10: version must be a whole number, not 'two'")
    assert by_file["duplicate-id.yaml"].endswith(":51:9: duplicate item id 'earth'")
    assert by_file["dangling-show-if.yaml"].endswith(
        ":45:25: show_if points at unknown item 'earht' (did you mean 'earth'?)"
    )
    assert by_file["empty.yaml"].endswith(":1:1: the file is empty")
    assert by_file["junk.yaml"].endswith(": not a UTF-8 text file")
    assert by_file["huge.yaml"].endswith(
        ":1:1: file is 50.0 MB, larger than the 2 MB limit for a checklist"
    )
    assert by_file["zz-same-id.yml"] == (
        f"{bad_folder / 'zz-same-id.yml'}:2:5: checklist id 'demo-full' is also used by "
        f"{bad_folder / 'zz-good.yaml'}"
    )
    assert lines[-1] == "9 of 10 files invalid"
    checklists, _ = load_checklists([bad_folder])
    assert [(c.id, c.version) for c in checklists] == [("demo-full", 2)]


def test_validator_in_a_real_process_never_shows_a_traceback(
    bad_folder: Path, tmp_path: Path
) -> None:
    run = subprocess.run(
        [*VALIDATE, str(bad_folder), str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert f"{tmp_path / 'missing.yaml'}:1:1: cannot read the file: No such file or directory" in (
        run.stdout.splitlines()
    )
    assert run.stdout.splitlines()[-1] == "10 of 11 files invalid"


def test_an_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklists", "validate", str(tmp_path)]) == 1
    assert capsys.readouterr().out == f"no *.yaml or *.yml files in {tmp_path}\n"


def test_list_shows_id_version_category_items_and_title(
    bad_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklists", "list", str(bad_folder / "zz-good.yaml")]) == 0
    assert capsys.readouterr().out.split() == [
        "demo-full",
        "v2",
        "special_equipment",
        "7",
        "items",
        "Demo",
    ]
    assert main(["checklists", "list", str(bad_folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("demo-full ") and len(captured.out.splitlines()) == 1
    assert len(captured.err.splitlines()) == 9


def test_usage_errors_return_a_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklists"]) == 2
    assert main(["checklists", "frobnicate"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_site_validate_reports_a_bad_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("plant: {id: p, name: P}\nworkshops: []\npeople: []\nplants: []\n", "utf-8")
    assert main(["site", "validate", str(site)]) == 1
    assert capsys.readouterr().out == (
        f"{site}:4:1: unknown key 'plants' in site file (did you mean 'plant'?)\n"
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    assert isinstance(load_checklist_text(data, "fuzz.yaml"), LoadResult)
    assert isinstance(load_site_text(data, "fuzz.yaml"), SiteLoadResult)


#: Pieces of YAML that tend to reach odd corners: tags, anchors, merges, flow, dates, specials.
YAML_BITS = st.sampled_from(
    [
        "!foo ", "!!int ", "!!timestamp ", "!!binary ", "!!set ", "!!python/object:os.system ",
        "&a ", "*a", "<<: ", "<<: *a\n", "{", "}", "[", "]", ": ", "- ", "\n", "\n  ", "\t",
        "? ", "|\n", ">-\n", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n", "2024-13-45",
        "2024-02-30 10:00", ".nan", ".inf", "-.inf", "0x1F", "0o17", "1_000", "~", "null", "yes",
        "\x00", "\x85", "\ufeff", "\ud800", "é", "演示",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@example(start=1069, length=2, insert="|\n\x85")  # a key with a line break in it (found so)
@given(
    st.integers(0, len(FULL_CHECKLIST)),
    st.integers(0, 40),
    st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=6).map("".join),
)
def test_mutated_checklists_never_raise(start: int, length: int, insert: str) -> None:
    mutated = FULL_CHECKLIST[:start] + insert + FULL_CHECKLIST[start + length :]
    result = load_checklist_text(mutated, "fuzz.yaml")
    assert isinstance(result, LoadResult)
    assert (result.checklist is None) == bool(result.errors)
    assert all(str(e).startswith("fuzz.yaml:") and "\n" not in str(e) for e in result.errors)


SITE_TEXT = demo_site_path().read_text("utf-8")


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, len(SITE_TEXT)),
    st.integers(0, 40),
    st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=6).map("".join),
)
def test_mutated_sites_never_raise(start: int, length: int, insert: str) -> None:
    result = load_site_text(SITE_TEXT[:start] + insert + SITE_TEXT[start + length :], "fuzz.yaml")
    assert (result.site is None) == bool(result.errors)
    assert all("\n" not in str(e) for e in result.errors)
