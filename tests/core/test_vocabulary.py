"""The domain words are said once, in both languages: every enum member and payload field has
its word, and no layer's own catalogue writes a word the vocabulary owns."""

from __future__ import annotations

import string

import pytest

from inspect_app.core import vocabulary
from inspect_app.core.workflow import PAYLOADS
from inspect_app.exports import words as export_words
from inspect_app.server import i18n as hq_i18n
from inspect_app.ui import i18n as app_i18n


@pytest.mark.parametrize(
    ("prefix", "enum", "table"),
    [section for section in vocabulary.SECTIONS if section[1] is not None],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_enum_member_has_a_word_in_both_languages(prefix, enum, table) -> None:
    assert set(table) == set(enum), f"{prefix}: words for {set(enum) ^ set(table)}"
    for member in enum:
        assert vocabulary.WORDS[f"{prefix}.{member.value}"].en.strip()
        assert vocabulary.WORDS[f"{prefix}.{member.value}"].zh.strip()


def test_every_payload_field_has_a_word() -> None:
    names = {name for model in PAYLOADS.values() for name in model.model_fields}
    assert names <= set(vocabulary.FIELD), names - set(vocabulary.FIELD)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_take_the_same_values() -> None:
    for key, word in vocabulary.WORDS.items():
        assert word.en.strip() and word.zh.strip(), key
        assert _fields(word.en) == _fields(word.zh), key


@pytest.mark.parametrize(
    ("layer", "catalogues"),
    [
        ("ui/i18n.py", lambda: [app_i18n.SCREEN["en"], app_i18n.SCREEN["zh"]]),
        ("exports/words.py", lambda: [export_words.OWN["en"], export_words.OWN["zh"]]),
        ("server/i18n.py", lambda: [hq_i18n.WORDS]),
    ],
)
def test_no_layer_writes_a_domain_word_of_its_own(layer, catalogues) -> None:
    for own in catalogues():
        again = sorted(set(own) & set(vocabulary.WORDS))
        assert not again, f"{layer} writes its own text for {again}: core/vocabulary.py owns them"


def test_every_layer_reads_the_vocabulary() -> None:
    for lang in vocabulary.LANGUAGES:
        assert (
            app_i18n.Translator(lang)("status.submitted")
            == vocabulary.STATUS["submitted"][lang == "zh"]
        )
        assert export_words.words(lang)["status.submitted"] == hq_i18n.translator(lang)(
            "status.submitted"
        )
    assert app_i18n.Translator("zh")("status.open") == hq_i18n.translator("zh")("status.open")
    assert app_i18n.Translator("zh").unit("bags") == "袋"
    assert app_i18n.Translator("en").unit("MPa") == "MPa"
