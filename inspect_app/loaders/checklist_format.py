"""The checklist format's vocabulary: which keys each mapping takes and needs, and which item keys
belong to one item type. The loader enforces these tables and ``checklists/schema.json`` is
generated from them, so the two cannot disagree."""

from __future__ import annotations

import re

from inspect_app.core.checklist import ItemType, LimitScope, ShowIfOperator
from inspect_app.loaders.yaml_nodes import Keys

CHECKLIST_ID = re.compile(r"^[a-z0-9-]{3,64}$")
MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")
#: A named limit of an asset or area, in the site file and in ``pass_if``.
LIMIT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

CHECKLIST = Keys(
    "checklist",
    ("id", "version", "category", "title", "frequency", "season", "asset_type", "sections"),
    required=("id", "version", "category", "title", "sections"),
)
SEASON = Keys("season", ("from", "to"), required=("from", "to"), prefix="season.")
SECTION = Keys(
    "section",
    ("id", "title", "repeat", "items"),
    required=("id", "title", "items"),
    prefix="section ",
)
REPEAT = Keys(
    "repeat", ("unit", "tag_prompt", "min"), required=("unit", "tag_prompt"), prefix="repeat."
)
ITEM = Keys(
    "item",
    (
        "id",
        "type",
        "prompt",
        "guidance",
        "reference",
        "required",
        "allow_na",
        "show_if",
        "unit",
        "pass_if",
        "options",
        "fail_on",
        "within_days",
        "on_fail",
        "finding",
    ),
    required=("id", "type", "prompt"),
)
SHOW_IF = Keys(
    "show_if",
    ("item", *(op.value for op in ShowIfOperator)),
    required=("item",),
    one_of=tuple(op.value for op in ShowIfOperator),
    only_one=True,
    prefix="show_if.",
)
PASS_IF = Keys("pass_if", ("min", "max"), one_of=("min", "max"), prefix="pass_if.")
#: A bound of ``pass_if`` named instead of given: ``{asset: max_pressure}``.
LIMIT = Keys(
    "limit",
    tuple(scope.value for scope in LimitScope),
    one_of=tuple(scope.value for scope in LimitScope),
    only_one=True,
)
OPTION = Keys("option", ("value", "label"), required=("value", "label"), prefix="option ")
ON_FAIL = Keys(
    "on_fail",
    ("grade", "risk", "photo", "deadline_days", "suggested_fix", "major_rule"),
    prefix="on_fail.",
)
MAJOR_RULE = Keys(
    "major_rule", ("criterion", "clause"), required=("criterion", "clause"), prefix="major_rule."
)

#: Item keys that only apply to one item type...
TYPE_KEYS: dict[ItemType, tuple[str, ...]] = {
    ItemType.READING: ("unit", "pass_if"),
    ItemType.CHOICE: ("options", "fail_on"),
    ItemType.DATE: ("within_days",),
}
#: ...and those of them the type cannot do without.
TYPE_REQUIRED: dict[ItemType, tuple[str, ...]] = {
    ItemType.READING: ("unit", "pass_if"),
    ItemType.CHOICE: ("options",),
}
