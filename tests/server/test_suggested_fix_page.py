"""HQ's timeline shows a suggested fix stored in both languages in the reader's language, and an
older plain one as written."""

from __future__ import annotations

import json

import pytest

from inspect_app.server.i18n import translator
from inspect_app.server.pages.hazard import detail_text

BOTH = json.dumps({"zh": "送检充装", "en": "Recharge the extinguisher"}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [
        (BOTH, "zh", "送检充装"),
        (BOTH, "en", "Recharge the extinguisher"),
        (json.dumps({"en": "Recharge it"}), "zh", "Recharge it"),
        ("Recharge it", "zh", "Recharge it"),
        ("{not json", "en", "{not json"),
    ],
)
def test_a_suggested_fix_is_said_in_the_readers_language(value: str, lang: str, said: str) -> None:
    assert detail_text("suggested_fix", value, translator(lang), {}, lang) == said
