"""Every rule of the checklist format: a failing input for each, and the exact FILE:LINE:COL lines
it gives (the whole list, so a problem is also shown to cause no follow-on noise)."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from inspect_app.core.checklist import (
    Category,
    Frequency,
    Grade,
    ItemType,
    LimitRef,
    LimitScope,
    MajorRule,
    OnFail,
    PassIf,
    PhotoRule,
    Risk,
    Season,
    ShowIf,
    ShowIfOperator,
)
from inspect_app.loaders.checklist_loader import load_checklist_text
from tests.loaders.samples import FULL_CHECKLIST

HEAD = """\
id: demo-list
version: 1
category: fire
title: {en: Demo, zh: 演示}
sections:
  - id: s1
    title: Section
    items:
"""
ONE_ITEM = HEAD + "      - {id: a, type: text, prompt: P}\n"


def errors(text: str) -> list[str]:
    result = load_checklist_text(text, "demo.yaml")
    assert (result.checklist is None) == bool(result.errors)
    return [str(e) for e in result.errors]


def items(body: str) -> str:
    """HEAD with ``body`` as the items of its one section (the first item is on line 9)."""
    return HEAD + textwrap.indent(textwrap.dedent(body), "      ")


def test_a_full_checklist_loads_into_the_model() -> None:
    result = load_checklist_text(FULL_CHECKLIST.encode("utf-8"), "demo.yaml")
    assert result.errors == []
    checklist = result.checklist
    assert checklist is not None
    assert (checklist.id, checklist.version) == ("demo-full", 2)
    assert checklist.category is Category.SPECIAL_EQUIPMENT
    assert checklist.title.get("zh") == "演示" and checklist.title.get("en") == "Demo"
    assert checklist.frequency is Frequency.SEASONAL and checklist.asset_type == "forklift"
    assert checklist.season == Season("12-01", "02-29")
    assert checklist.content_hash == hashlib.sha256(FULL_CHECKLIST.encode("utf-8")).hexdigest()
    assert [i.id for i in checklist.items()] == [
        "has-sprinkler",
        "valve",
        "earth",
        "heat",
        "serviced",
        "photo",
        "note",
    ]
    sprinkler = checklist.item("has-sprinkler")
    assert sprinkler.allow_na and sprinkler.required and sprinkler.reference == "NFPA 13"
    assert sprinkler.guidance is not None and sprinkler.guidance.get("zh") == "抬头看"
    assert sprinkler.on_fail is not None
    assert sprinkler.on_fail.suggested_fix is not None
    assert sprinkler.on_fail == OnFail(
        Grade.MAJOR,
        Risk.RED,
        PhotoRule.REQUIRED,
        0,
        sprinkler.on_fail.suggested_fix,
        MajorRule("GB 45067-2024", "5.7.4"),
    )
    assert str(sprinkler.on_fail.major_rule) == "GB 45067-2024 5.7.4"
    assert sprinkler.finding is not None and sprinkler.finding.get("zh") == "无喷淋"
    valve = checklist.item("valve")
    assert valve.show_if == ShowIf("has-sprinkler", ShowIfOperator.IN, ["pass", "na"])
    assert valve.required is False and valve.on_fail is None
    earth = checklist.item("earth")
    assert earth.type is ItemType.READING and earth.unit == "Ω"
    assert earth.pass_if == PassIf(0, LimitRef(LimitScope.ASSET, "max_earth"))
    heat = checklist.item("heat")
    assert [o.value for o in heat.options] == ["ok", "hot"] and heat.fail_on == ("hot",)
    assert heat.show_if == ShowIf("earth", ShowIfOperator.NOT_EQUALS, "0")
    repeated = checklist.section_of("serviced")
    assert repeated.repeat is not None and repeated.repeat.min == 2
    assert repeated.repeat.tag_prompt.get("en") == "编号"
    assert checklist.item("serviced").within_days == 365
    assert checklist.item("serviced").on_fail == OnFail()
    assert checklist.item("photo").type is ItemType.PHOTO


def test_the_hash_is_of_the_file_bytes_and_a_bom_is_read_past() -> None:
    data = b"\xef\xbb\xbf" + ONE_ITEM.encode("utf-8")
    result = load_checklist_text(data, "demo.yaml")
    assert result.errors == [] and result.checklist is not None
    assert result.checklist.content_hash == hashlib.sha256(data).hexdigest()


FILE_RULES = [
    # YAML syntax, at the problem mark
    (
        "id: x\nversion: [1\n",
        "3:1: YAML syntax error: while parsing a flow sequence, expected ',' or ']', but got '<stream end>'",
    ),
    (
        "id: demo-list\n  version: 1\n",
        "2:10: YAML syntax error: mapping values are not allowed here",
    ),
    (
        "id: demo\n---\nid: other\n",
        "2:1: YAML syntax error: expected a single document in the stream, but found another document",
    ),
    ("id: *nowhere\n", "1:5: YAML syntax error: found undefined alias 'nowhere'"),
    ("id: a\x07b\n", "1:6: YAML syntax error: character #x0007 is not allowed in YAML"),
    # the file as a whole
    ("", "1:1: the file is empty"),
    ("# only a comment\n\n", "1:1: the file is empty"),
    ("- just\n- a list\n", "1:1: checklist must be a mapping of keys to values, not a list"),
    ("just words\n", "1:1: checklist must be a mapping of keys to values, not 'just words'"),
    # keys
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\nversion: 2\n"),
        "3:1: duplicate key 'version' in checklist",
    ),
    (
        ONE_ITEM.replace("frequency", "x").replace(
            "version: 1\n", "version: 1\nfrequncy: monthly\n"
        ),
        "3:1: unknown key 'frequncy' in checklist (did you mean 'frequency'?)",
    ),
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\nowner: me\n"),
        "3:1: unknown key 'owner' in checklist",
    ),
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\nyes: 1\n"),
        "3:1: unknown key 'yes' in checklist",
    ),
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\n[a]: 1\n"),
        "3:1: keys in checklist must be names, not a list",
    ),
    (ONE_ITEM.replace("version: 1\n", ""), "1:1: checklist is missing the required key 'version'"),
    (
        "id: demo-list\nversion: 1\n",
        "1:1: checklist is missing the required keys 'category', 'title', 'sections'",
    ),
    # id, version, enums
    (
        ONE_ITEM.replace("id: demo-list", "id: Demo_List"),
        "1:5: id 'Demo_List' must be 3 to 64 characters of a-z, 0-9 and '-'",
    ),
    (
        ONE_ITEM.replace("id: demo-list", "id: ab"),
        "1:5: id 'ab' must be 3 to 64 characters of a-z, 0-9 and '-'",
    ),
    (
        ONE_ITEM.replace("id: demo-list", "id: " + "a" * 65),
        f"1:5: id '{'a' * 65}' must be 3 to 64 characters of a-z, 0-9 and '-'",
    ),
    (
        ONE_ITEM.replace("id: demo-list", "id: 123"),
        '1:5: id must be a string, not 123 (write "123" in quotes to keep it as text)',
    ),
    (
        ONE_ITEM.replace("version: 1", "version: three"),
        "2:10: version must be a whole number, not 'three'",
    ),
    (
        ONE_ITEM.replace("version: 1", "version: 1.5"),
        "2:10: version must be a whole number, not 1.5",
    ),
    (
        ONE_ITEM.replace("version: 1", "version: true"),
        "2:10: version must be a whole number, not true",
    ),
    (ONE_ITEM.replace("version: 1", "version:"), "2:9: version must be a whole number, not empty"),
    (ONE_ITEM.replace("version: 1", "version: 0"), "2:10: version must be 1 or more, not 0"),
    (ONE_ITEM.replace("version: 1", "version: -2"), "2:10: version must be 1 or more, not -2"),
    (
        ONE_ITEM.replace("category: fire", "category: chemistry"),
        "3:11: category must be one of fire, electrical, special_equipment, flood_season, environment, other, not 'chemistry'",
    ),
    (
        ONE_ITEM.replace("category: fire", "category: fier"),
        "3:11: category must be one of fire, electrical, special_equipment, flood_season, environment, other, not 'fier' (did you mean 'fire'?)",
    ),
    (
        ONE_ITEM.replace("category: fire", "category: [fire]"),
        "3:11: category must be one of fire, electrical, special_equipment, flood_season, environment, other, not a list",
    ),
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\nfrequency: montly\n"),
        "3:12: frequency must be one of per_shift, daily, weekly, monthly, quarterly, yearly, seasonal, ad_hoc, not 'montly' (did you mean 'monthly'?)",
    ),
    (
        ONE_ITEM.replace("version: 1\n", "version: 1\nasset_type: 5\n"),
        '3:13: asset_type must be a string, not 5 (write "5" in quotes to keep it as text)',
    ),
    # text
    (
        ONE_ITEM.replace("title: {en: Demo, zh: 演示}", "title: {fr: Démo}"),
        "4:8: title has no language the app can show (needs one of en, zh)",
    ),
    (ONE_ITEM.replace("title: {en: Demo, zh: 演示}", 'title: ""'), "4:8: title must not be empty"),
    (ONE_ITEM.replace("title: {en: Demo, zh: 演示}", "title: {}"), "4:8: title must not be empty"),
    (
        ONE_ITEM.replace("title: {en: Demo, zh: 演示}", 'title: {en: " ", zh: 演示}'),
        "4:13: title [en] must not be empty",
    ),
    (
        ONE_ITEM.replace("title: {en: Demo, zh: 演示}", "title: {en: Demo, en: Again}"),
        "4:19: duplicate key 'en' in title",
    ),
    (
        ONE_ITEM.replace("title: {en: Demo, zh: 演示}", "title: [Demo]"),
        "4:8: title must be a string or a map of language to string",
    ),
    # season
    (
        ONE_ITEM.replace("sections:", 'season: {from: "13-01", to: "10-15"}\nsections:'),
        "5:16: season.from must be a date as MM-DD, not '13-01'",
    ),
    (
        ONE_ITEM.replace("sections:", 'season: {from: "05-15", to: "02-30"}\nsections:'),
        "5:29: season.to must be a date as MM-DD, not '02-30'",
    ),
    (
        ONE_ITEM.replace("sections:", "season: {from: 0515, to: 10-15}\nsections:"),
        "5:16: season.from must be a date as MM-DD, not '0515'",
    ),
    (
        ONE_ITEM.replace("sections:", "season: {from: 2025-05-15, to: 10-15}\nsections:"),
        "5:16: season.from must be a date as MM-DD, not '2025-05-15'",
    ),
    (
        ONE_ITEM.replace("sections:", "season: {from: 05-15}\nsections:"),
        "5:9: season is missing the required key 'to'",
    ),
    (
        ONE_ITEM.replace("sections:", "season: summer\nsections:"),
        "5:9: season must be a mapping of keys to values, not 'summer'",
    ),
    # sections
    (
        HEAD.split("sections:")[0] + "sections: []\n",
        "5:11: sections must list at least one section",
    ),
    (HEAD.split("sections:")[0] + "sections: all\n", "5:11: sections must be a list, not 'all'"),
    (HEAD + "      []\n", "9:7: section items must list at least one item"),
    (
        HEAD.replace("    items:\n", "    items: []\n"),
        "8:12: section items must list at least one item",
    ),
    (
        HEAD.replace("    title: Section\n", "") + "      - {id: a, type: text, prompt: P}\n",
        "6:5: section is missing the required key 'title'",
    ),
    (
        HEAD.replace("title: Section", "titel: Section")
        + "      - {id: a, type: text, prompt: P}\n",
        "7:5: unknown key 'titel' in section (did you mean 'title'?)",
    ),
    (
        ONE_ITEM
        + "  - id: s1\n    title: Again\n    items:\n      - {id: b, type: text, prompt: P}\n",
        "10:5: duplicate section id 's1'",
    ),
    (
        ONE_ITEM.replace("  - id: s1", "  - id: 7"),
        '6:9: section id must be a string, not 7 (write "7" in quotes to keep it as text)',
    ),
    (
        ONE_ITEM.replace("    items:", "    repeat: {unit: U, tag_prompt: T, min: 0}\n    items:"),
        "8:43: repeat.min must be 1 or more, not 0",
    ),
    (
        ONE_ITEM.replace("    items:", "    repeat: {unit: U}\n    items:"),
        "8:13: repeat is missing the required key 'tag_prompt'",
    ),
    (
        ONE_ITEM.replace("    items:", "    repeat: {unit: U, tag_prompt: T, max: 3}\n    items:"),
        "8:38: unknown key 'max' in repeat",
    ),
    (
        ONE_ITEM.replace("    items:", "    repeat: yes\n    items:"),
        "8:13: repeat must be a mapping of keys to values, not yes",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FILE_RULES)
def test_file_and_section_rules(text: str, expected: str) -> None:
    assert errors(text) == [f"demo.yaml:{expected}"]


ITEM_RULES = [
    # item keys and types
    (
        "- {id: a, type: text, prompts: P}",
        "9:29: unknown key 'prompts' in item (did you mean 'prompt'?)",
    ),
    ("- {id: a, type: text}", "9:9: item is missing the required key 'prompt'"),
    ("- {type: text, prompt: P}", "9:9: item is missing the required key 'id'"),
    ("- check the gauge", "9:9: item must be a mapping of keys to values, not 'check the gauge'"),
    ("- {id: a, type: text, prompt: P, id: b}", "9:40: duplicate key 'id' in item"),
    (
        "- {id: a, type: picture, prompt: P}",
        "9:23: type must be one of pass_fail, reading, choice, text, date, photo, not 'picture'",
    ),
    (
        "- {id: a, type: pass-fail, prompt: P}",
        "9:23: type must be one of pass_fail, reading, choice, text, date, photo, not 'pass-fail' (did you mean 'pass_fail'?)",
    ),
    ("- {id: a, type: text, prompt: {en: ''}}", "9:42: prompt [en] must not be empty"),
    (
        "- {id: a, type: text, prompt: {de: Prüfen}}",
        "9:37: prompt has no language the app can show (needs one of en, zh)",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, required: maybe}",
        "9:55: required must be true or false, not 'maybe'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, allow_na: 1}",
        "9:55: allow_na must be true or false, not 1",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, reference: 7.2}",
        '9:56: reference must be a string, not 7.2 (write "7.2" in quotes to keep it as text)',
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, guidance: [x]}",
        "9:55: guidance must be a string or a map of language to string",
    ),
    # duplicate item ids, anywhere in the checklist
    (
        "- {id: a, type: text, prompt: P}\n- {id: a, type: text, prompt: Q}",
        "10:9: duplicate item id 'a'",
    ),
    # reading
    ("- {id: a, type: reading, prompt: P, pass_if: {max: 4}}", "9:9: a reading item needs 'unit'"),
    ("- {id: a, type: reading, prompt: P, unit: V}", "9:9: a reading item needs 'pass_if'"),
    ("- {id: a, type: reading, prompt: P}", "9:9: a reading item needs 'unit' and 'pass_if'"),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {}}",
        "9:61: pass_if needs 'min' or 'max'",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {mni: 1}}",
        "9:62: unknown key 'mni' in pass_if (did you mean 'min'?)",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {min: 5, max: 4}}",
        "9:61: pass_if.min (5) is greater than pass_if.max (4)",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {max: four}}",
        "9:67: pass_if.max must be a number, not 'four'",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {max: '4'}}",
        "9:67: pass_if.max must be a number, not '4'",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: {max: .nan}}",
        "9:67: pass_if.max must be a finite number, not .nan",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: V, pass_if: 4}",
        "9:61: pass_if must be a mapping of keys to values, not 4",
    ),
    (
        "- {id: a, type: reading, prompt: P, unit: '', pass_if: {max: 4}}",
        "9:49: unit must not be empty",
    ),
    # choice
    ("- {id: a, type: choice, prompt: P}", "9:9: a choice item needs 'options'"),
    (
        "- {id: a, type: choice, prompt: P, options: []}",
        "9:51: options must list at least one option",
    ),
    (
        "- {id: a, type: choice, prompt: P, options: [{value: ok, label: OK}, {value: ok, label: Fine}]}",
        "9:84: duplicate option value 'ok'",
    ),
    (
        "- {id: a, type: choice, prompt: P, options: [{value: ok}]}",
        "9:52: option is missing the required key 'label'",
    ),
    (
        "- {id: a, type: choice, prompt: P, options: [{value: yes, label: 'Yes'}]}",
        '9:60: option value must be a string, not yes (write "yes" in quotes to keep it as text)',
    ),
    (
        "- id: a\n  type: choice\n  prompt: P\n  options: [{value: ok, label: OK}]\n  fail_on: [hot]",
        "13:19: fail_on value 'hot' is not one of the options (ok)",
    ),
    (
        "- {id: a, type: choice, prompt: P, options: [{value: ok, label: OK}], fail_on: hot}",
        "9:86: fail_on must be a list, not 'hot'",
    ),
    # type-specific keys on another type
    (
        "- {id: a, type: pass_fail, prompt: P, unit: V}",
        "9:45: 'unit' only applies to reading items",
    ),
    (
        "- {id: a, type: text, prompt: P, pass_if: {max: 1}}",
        "9:40: 'pass_if' only applies to reading items",
    ),
    (
        "- {id: a, type: text, prompt: P, options: [{value: a, label: A}]}",
        "9:40: 'options' only applies to choice items",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, fail_on: [fail]}",
        "9:45: 'fail_on' only applies to choice items",
    ),
    (
        "- {id: a, type: text, prompt: P, within_days: 30}",
        "9:40: 'within_days' only applies to date items",
    ),
    # date
    (
        "- {id: a, type: date, prompt: P, within_days: 0}",
        "9:53: within_days must be 1 or more, not 0",
    ),
    (
        "- {id: a, type: date, prompt: P, within_days: 1 year}",
        "9:53: within_days must be a whole number, not '1 year'",
    ),
    # on_fail
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {grade: severe}}",
        "9:62: on_fail.grade must be one of general, major, not 'severe'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {risk: purple}}",
        "9:61: on_fail.risk must be one of red, orange, yellow, blue, not 'purple'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {photo: maybe}}",
        "9:62: on_fail.photo must be one of required, optional, none, not 'maybe'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {deadline_days: -1}}",
        "9:70: on_fail.deadline_days must be 0 or more, not -1",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {deadline_days: '7'}}",
        "9:70: on_fail.deadline_days must be a whole number, not '7'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {suggested_fix: {fr: x}}}",
        "9:70: on_fail.suggested_fix has no language the app can show (needs one of en, zh)",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, on_fail: {grade: general, rule: x}}",
        "9:71: unknown key 'rule' in on_fail",
    ),
    # show_if
    (
        "- {id: a, type: text, prompt: P, show_if: {item: nope, equals: pass}}",
        "9:56: show_if points at unknown item 'nope'",
    ),
    (
        "- {id: has-gas, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: has-gass, equals: pass}}",
        "10:56: show_if points at unknown item 'has-gass' (did you mean 'has-gas'?)",
    ),
    (
        "- {id: a, type: text, prompt: P, show_if: {item: b, equals: pass}}\n- {id: b, type: pass_fail, prompt: Q}",
        "9:56: show_if points at 'b', which comes later: it must be an earlier item",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P, show_if: {item: a, equals: pass}}",
        "9:61: show_if of item 'a' points at the item itself",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, equals: passed}}",
        "10:67: show_if value 'passed' never matches: 'a' is answered pass, fail",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, in: [pass, na]}}",
        "10:70: show_if value 'na' never matches: 'a' is answered pass, fail",
    ),
    (
        "- {id: a, type: choice, prompt: P, options: [{value: ok, label: OK}]}\n- {id: b, type: text, prompt: Q, show_if: {item: a, not_equals: bad}}",
        "10:71: show_if value 'bad' never matches: 'a' is answered ok",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, equals: yes}}",
        '10:67: show_if.equals must be a string, not yes (write "yes" in quotes to keep it as text)',
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a}}",
        "10:49: show_if needs 'equals', 'in' or 'not_equals'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, is: pass}}",
        "10:59: unknown key 'is' in show_if",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, equals: pass, in: [fail]}}",
        "10:73: show_if takes only one of 'equals', 'in' or 'not_equals'",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {item: a, in: []}}",
        "10:63: show_if.in must list at least one value",
    ),
    (
        "- {id: a, type: pass_fail, prompt: P}\n- {id: b, type: text, prompt: Q, show_if: {equals: pass}}",
        "10:49: show_if is missing the required key 'item'",
    ),
]


@pytest.mark.parametrize(("body", "expected"), ITEM_RULES)
def test_item_rules(body: str, expected: str) -> None:
    assert errors(items(body + "\n")) == [f"demo.yaml:{expected}"]


def test_show_if_cannot_read_a_repeated_section_from_outside_it() -> None:
    text = items("- {id: a, type: pass_fail, prompt: P}\n")
    text = text.replace("    items:", "    repeat: {unit: U, tag_prompt: T}\n    items:")
    text += "  - id: s2\n    title: Two\n    items:\n"
    text += "      - {id: b, type: text, prompt: Q, show_if: {item: a, equals: pass}}\n"
    assert errors(text) == [
        "demo.yaml:14:56: show_if points at 'a' in a repeated section, which only items of that "
        "section can read"
    ]


def test_item_ids_are_unique_across_sections() -> None:
    text = (
        ONE_ITEM
        + "  - id: s2\n    title: Two\n    items:\n      - {id: a, type: text, prompt: Q}\n"
    )
    assert errors(text) == ["demo.yaml:13:9: duplicate item id 'a'"]


def test_one_file_reports_all_its_problems_in_line_order() -> None:
    text = items("""\
    - {id: a, type: picture, prompt: P}
    - {id: a, type: text, prompt: P, colour: red}
    - {id: c, type: text, prompt: P, show_if: {item: zz, equals: x}}
    """).replace("version: 1", "version: one")
    assert errors(text) == [
        "demo.yaml:2:10: version must be a whole number, not 'one'",
        "demo.yaml:9:23: type must be one of pass_fail, reading, choice, text, date, photo, not 'picture'",
        "demo.yaml:10:9: duplicate item id 'a'",
        "demo.yaml:10:40: unknown key 'colour' in item",
        "demo.yaml:11:56: show_if points at unknown item 'zz'",
    ]
