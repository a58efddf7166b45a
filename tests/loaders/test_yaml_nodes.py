"""Reading YAML with positions: what PyYAML would hide or crash on (tags, bad dates, merges,
aliases, encodings, sizes) becomes one clear FILE:LINE:COL line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from inspect_app.loaders.checklist_loader import load_checklist, load_checklist_text
from inspect_app.loaders.yaml_nodes import MAX_FILE_BYTES, LoadError

HEAD = """\
id: demo-list
version: 1
category: fire
title: Demo
sections:
  - id: s1
    title: Section
    items:
"""


def errors(text: str | bytes) -> list[str]:
    return [str(e) for e in load_checklist_text(text, "f.yaml").errors]


def test_error_format() -> None:
    assert str(LoadError("fire.yaml", 14, 9, "unknown key")) == "fire.yaml:14:9: unknown key"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("{id: a, type: text, prompt: !foo P}", "9:37: unsupported YAML tag '!foo'"),
        (
            "{id: a, type: text, prompt: !!python/object:os.system P}",
            "9:37: unsupported YAML tag '!!python/object:os.system'",
        ),
        (
            "{id: a, type: date, prompt: P, within_days: !!int ten}",
            "9:53: 'ten' is not a valid whole number",
        ),
        (
            "{id: a, type: text, prompt: P, required: !!bool maybe}",
            "9:50: 'maybe' is not a valid boolean",
        ),
        (
            "{id: a, type: text, prompt: P, reference: 2024-13-45}",
            "9:51: '2024-13-45' is not a valid date",
        ),
        (
            "{id: a, type: text, prompt: P, reference: 2024-01-31}",
            '9:51: reference must be a string, not 2024-01-31 (write "2024-01-31" in quotes to keep it as text)',
        ),
        ("{id: a, type: text, prompt: P, reference: !!str 2024-01-31}", None),
        ("{id: a, type: text, prompt: P, reference: '2024-01-31'}", None),
    ],
)
def test_tags_and_tagged_values_are_reported_not_raised(item: str, expected: str | None) -> None:
    assert errors(HEAD + f"      - {item}\n") == ([f"f.yaml:{expected}"] if expected else [])


def test_merge_keys_work_and_the_mapping_own_keys_win() -> None:
    text = HEAD + (
        "      - {id: a, type: pass_fail, prompt: P, on_fail: &major {grade: general, risk: red}}\n"
        "      - {id: b, type: pass_fail, prompt: P, on_fail: {<<: *major, risk: orange}}\n"
        "      - {id: c, type: pass_fail, prompt: P, on_fail: {<<: [*major], photo: none}}\n"
    )
    checklist = load_checklist_text(text, "f.yaml").checklist
    assert checklist is not None
    b, c = checklist.item("b").on_fail, checklist.item("c").on_fail
    assert (b.grade.value, b.risk.value) == ("general", "orange")
    assert (c.grade.value, c.risk.value, c.photo.value) == ("general", "red", "none")


def test_a_mistake_in_a_merged_mapping_is_reported_once_where_it_is_written() -> None:
    text = HEAD + (
        "      - {id: a, type: pass_fail, prompt: P, on_fail: &d {grade: general, colour: red}}\n"
        "      - {id: b, type: pass_fail, prompt: P, on_fail: {<<: *d}}\n"
        "      - {id: c, type: pass_fail, prompt: P, on_fail: {<<: 3}}\n"
    )
    assert errors(text) == [
        "f.yaml:9:74: unknown key 'colour' in on_fail",
        "f.yaml:11:59: '<<' in on_fail must merge a mapping, such as *defaults",
    ]


def test_an_alias_is_reported_where_it_is_used() -> None:
    text = HEAD + "      - &item {id: a, type: text, prompt: P}\n      - *item\n"
    assert errors(text) == ["f.yaml:10:9: duplicate item id 'a'"]


def test_a_recursive_alias_is_an_error() -> None:
    assert errors("id: &a [*a]\n") == [
        "f.yaml:1:9: a YAML alias refers to a value that contains it"
    ]


def test_an_alias_bomb_is_refused_quickly() -> None:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        text += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]\n"
    text += "sections: [*a8, *a8]\n"
    started = time.perf_counter()
    assert errors(text) == [
        "f.yaml:1:1: YAML aliases expand the file to 3456790133 values, over the 1000000 limit "
        "for a checklist"
    ]
    assert time.perf_counter() - started < 5


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    assert errors("id: " + "[" * 3000 + "]" * 3000 + "\n") == [
        "f.yaml:1:1: YAML syntax error: lists or mappings nested too deep"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"id: demo\nversion: 1\ntitle: caf\xe9\n", "3:11: not a UTF-8 text file"),
        ("id: demo\n".encode("utf-16"), "1:1: not a UTF-8 text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "1:1: not a UTF-8 text file"),
        (b"id: demo\x00\n", "1:9: not a UTF-8 text file"),
        ("id: demo\ud800\n", "1:9: not a UTF-8 text file"),
        (b"id: demo\x1b[0m\n", "1:9: YAML syntax error: character #x001b is not allowed in YAML"),
        (
            b"# " + b"x" * MAX_FILE_BYTES,
            "1:1: file is 2.0 MB, larger than the 2 MB limit for a checklist",
        ),
    ],
)
def test_what_is_not_yaml_text(data: bytes | str, expected: str) -> None:
    assert errors(data) == [f"f.yaml:{expected}"]


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    assert [str(e) for e in load_checklist(huge).errors] == [
        f"{huge}:1:1: file is 50.0 MB, larger than the 2 MB limit for a checklist"
    ]


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    assert [str(e) for e in load_checklist(tmp_path / "gone.yaml").errors] == [
        f"{tmp_path / 'gone.yaml'}:1:1: cannot read the file: No such file or directory"
    ]
    assert [str(e) for e in load_checklist(tmp_path).errors] == [
        f"{tmp_path}:1:1: cannot read the file: Is a directory"
    ]


def test_long_values_are_clipped_in_messages() -> None:
    text = (
        HEAD.replace("version: 1", "version: " + "z" * 100)
        + "      - {id: a, type: text, prompt: P}\n"
    )
    assert errors(text) == [
        "f.yaml:2:10: version must be a whole number, not 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...'"
    ]
