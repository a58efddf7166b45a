"""Service errors are codes with params, each said in zh and en by the vocabulary: the scan
finds every raise in services/ and checks its code is registered and its params fill the words."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import inspect_app.services as services
from inspect_app.core import vocabulary
from inspect_app.photos import PhotoError, pipeline
from inspect_app.services.errors import ErrorCode, ServiceError
from inspect_app.ui.i18n import Translator

SERVICES = Path(services.__file__).parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _service_raises() -> list[tuple[str, ast.Call]]:
    """Every ``raise SomeError(...)`` in services/, as (file:line, call)."""
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", "")
                if name.endswith("Error") and name not in {"KeyError", "PhotoError"}:
                    found.append((f"{path.name}:{node.lineno}", node.exc))
    return found


def test_every_code_has_its_words_in_both_languages() -> None:
    assert set(vocabulary.ERROR) == {code.value for code in ErrorCode}
    for code in ErrorCode:
        for lang in vocabulary.LANGUAGES:
            assert vocabulary.words(lang)[f"error.{code.value}"].strip()


def test_every_raise_in_services_is_a_registered_code_with_the_params_its_words_need() -> None:
    raises = _service_raises()
    assert len(raises) >= 10
    for where, call in raises:
        first = call.args[0] if call.args else None
        assert (
            isinstance(first, ast.Attribute)
            and isinstance(first.value, ast.Name)
            and first.value.id == "ErrorCode"
        ), f"{where}: a service error is raised with a code, not text"
        code = ErrorCode[first.attr]
        word = vocabulary.ERROR[code.value]
        given = {keyword.arg for keyword in call.keywords}
        assert given == _placeholders(word.en) == _placeholders(word.zh), where


def test_the_app_says_an_error_in_its_language_and_logs_keep_english() -> None:
    error = ServiceError(ErrorCode.LIMIT_NOT_SET, limits="max_pressure", where="PV-202")
    assert str(error) == "the site file sets no max_pressure for PV-202: ask HQ to add it"
    assert (
        Translator("zh").error(error) == "厂区数据没有为 PV-202 设定 max_pressure：请联系总部补充"
    )
    assert Translator("en").error(error) == str(error)


@pytest.mark.parametrize("lang", vocabulary.LANGUAGES)
def test_an_error_without_a_code_is_said_without_its_text(lang: str) -> None:
    said = Translator(lang).error(RuntimeError("/home/someone/data: disk I/O"))
    assert "/home" not in said and said == Translator(lang)("error.unexpected")


def test_every_photo_error_code_has_its_words() -> None:
    source = Path(pipeline.__file__).read_text(encoding="utf-8")
    codes = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "PhotoError"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert codes and codes == set(vocabulary.PHOTO_ERROR)
    refused = PhotoError("empty", "The file is empty.")
    assert Translator("zh").error(refused) == "文件是空的"
