"""Every error and refusal the app can show is a code with its words in zh and en: the codes of
the sync layer, the exports and the state machine's refusals each have both, with the same
params; every raise names a code with the params its words need; and a Chinese Translator says
them with no English word left (codes and numbers aside)."""

from __future__ import annotations

import ast
import re
import string
from enum import StrEnum
from pathlib import Path

import pytest

import inspect_app.exports as exports
from inspect_app.core import vocabulary
from inspect_app.core.vocabulary import Word
from inspect_app.core.workflow import Reason, Refusal
from inspect_app.exports import ExportError, ExportErrorCode
from inspect_app.exports.fonts import FontNotFoundError, MissingGlyphsError
from inspect_app.services.errors import ErrorCode, ServiceError
from inspect_app.sync.errors import RequestRejected, SyncError, SyncErrorCode, said_in
from inspect_app.ui.i18n import Translator
from inspect_app.ui.viewmodels.sync import last_sync_error

PACKAGE = Path(exports.__file__).parent.parent
#: Each error enum, its words, and the files whose raises must name its codes.
TABLES: list[tuple[type[StrEnum], dict, str, list[Path]]] = [
    (
        SyncErrorCode,
        vocabulary.SYNC_ERROR,
        "SyncError",
        sorted((PACKAGE / "sync").glob("*.py")),
    ),
    (
        ExportErrorCode,
        vocabulary.EXPORT_ERROR,
        "ExportError",
        [*sorted(Path(exports.__file__).parent.glob("*.py")), PACKAGE / "commands" / "export.py"],
    ),
]
#: Words the app says for failures that are not raised with a code (fonts, the file system).
MAPPED_EXPORT_WORDS = {"font_missing", "missing_glyphs", "write_failed"}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _both_languages(word: Word) -> set[str]:
    assert word.en.strip() and word.zh.strip()
    assert _placeholders(word.en) == _placeholders(word.zh), word
    return _placeholders(word.en)


def test_every_refusal_has_its_words_in_both_languages_with_the_same_params() -> None:
    assert set(vocabulary.REFUSAL) == set(Refusal)
    for word in vocabulary.REFUSAL.values():
        _both_languages(word)


@pytest.mark.parametrize(("enum", "table"), [(t[0], t[1]) for t in TABLES])
def test_every_error_code_has_its_words_in_both_languages(enum: type[StrEnum], table: dict) -> None:
    codes = {code.value for code in enum}
    extra = MAPPED_EXPORT_WORDS if enum is ExportErrorCode else set()
    assert set(table) == codes | extra
    for word in table.values():
        _both_languages(word)
    assert set(vocabulary.ERROR) == {code.value for code in ErrorCode}


@pytest.mark.parametrize(("enum", "table", "name", "files"), TABLES, ids=["sync", "exports"])
def test_every_raise_names_a_code_with_the_params_its_words_need(
    enum: type[StrEnum], table: dict, name: str, files: list[Path]
) -> None:
    found = 0
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call) and getattr(node.func, "id", "") in {name, "AuthError"}
            ):
                continue
            first = node.args[0] if node.args else None
            where = f"{path.name}:{node.lineno}"
            if isinstance(first, ast.Name):
                continue  # a code chosen before (typed as the enum), e.g. the last try's cause
            assert (
                isinstance(first, ast.Attribute)
                and isinstance(first.value, ast.Name)
                and first.value.id == enum.__name__
            ), f"{where}: raised with a code, not text"
            given = {k.arg for k in node.keywords if k.arg != "detail"}
            words = _placeholders(table[enum[first.attr].value].en)
            if None in given:  # **params: the rest comes from a table of causes
                assert given - {None} <= words, where
            else:
                assert given == words, where
            found += 1
    assert found >= 5


def test_every_refusal_the_state_machine_gives_names_its_params() -> None:
    source = (PACKAGE / "core" / "workflow.py").read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_why"
    ]
    assert {Refusal[c.args[0].attr] for c in calls} == set(Refusal)  # type: ignore[attr-defined]
    for call in calls:
        code = Refusal[call.args[0].attr]  # type: ignore[attr-defined]
        assert {k.arg for k in call.keywords} == _placeholders(vocabulary.REFUSAL[code].en), code


#: ASCII words a Chinese sentence may hold: codes, ids, numbers, units, a URL.
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]*[A-Za-z]")
ALLOWED = {"https", "http", "hq", "example", "com", "MB", "PDF", "p-li", "p-zhang", "found_by"}


def _english_left(text: str) -> list[str]:
    return [w for w in _ASCII_WORD.findall(text) if w not in ALLOWED]


REFUSALS = [
    Reason(Refusal.ROLE_MAY_NOT, {"action": "verify_pass"}),
    Reason(Refusal.STATUS_CHANGED, {"now": "closed", "expected": "submitted"}),
    Reason(Refusal.NOT_IN_STATUS, {"action": "reopen", "status": "open"}),
    Reason(Refusal.WRONG_GRADE, {"grade": "major"}),
    Reason(Refusal.VERSION_CHANGED, {"version": 4, "base": 3}),
    Reason(Refusal.INVALID_VALUE, {"field": "deadline"}),
    Reason(Refusal.EXTENSIONS_USED, {"n": 2}),
    Reason(Refusal.MAJOR_NEEDS_GOVERNANCE),
]


@pytest.mark.parametrize("reason", REFUSALS, ids=lambda r: r.code.value)
def test_a_refusal_is_said_in_chinese_and_logged_in_english(reason: Reason) -> None:
    said = Translator("zh").reason(reason)
    assert said and not _english_left(said), said
    assert str(reason) == vocabulary.refusal_for_logs(reason)
    refused = ServiceError(ErrorCode.FINDING_REFUSED, reason=reason)
    assert str(refused) == f"cannot register the finding: {reason}"
    assert Translator("zh").error(refused) == f"无法登记隐患：{said}"


def test_the_log_english_of_a_refusal_is_what_hq_has_always_answered() -> None:
    assert str(Reason(Refusal.ROLE_MAY_NOT, {"action": "verify_pass"})) == (
        "your role may not verify pass"
    )
    conflict = Reason(Refusal.STATUS_CHANGED, {"now": "assigned", "expected": "open"})
    assert str(conflict) == "the hazard is now assigned, not open"
    assert Translator("en").reason(conflict) == "the hazard is now Plan assigned, not Registered"


def test_a_reason_from_an_unknown_or_older_hq_is_none() -> None:
    assert Reason.from_dict(None) is None
    assert Reason.from_dict({"code": "from_the_future", "params": {}}) is None
    assert Reason.from_dict({"code": "role_may_not", "params": {}}) is None  # words need action
    known = Reason.from_dict({"code": "role_may_not", "params": {"action": "void"}})
    assert known == Reason(Refusal.ROLE_MAY_NOT, {"action": "void"})


SYNC_ERRORS = [
    SyncError(SyncErrorCode.NO_CONNECTION, tries=6),
    SyncError(SyncErrorCode.HQ_TROUBLE, detail="Internal Server Error", tries=6, status=503),
    SyncError(SyncErrorCode.CERTIFICATE, detail="self-signed certificate in chain"),
    SyncError(SyncErrorCode.SYNC_FIRST, waiting=2),
    SyncError(
        SyncErrorCode.OTHER_PERSON,
        person={"zh": "张国华", "en": "Zhang Guohua"},
        before={"zh": "李明", "en": "Li Ming"},
    ),
    SyncError(SyncErrorCode.ENTER_ADDRESS),
    RequestRejected(422, "the body is not valid JSON"),
]


@pytest.mark.parametrize("error", SYNC_ERRORS, ids=lambda e: e.code.value)
def test_a_sync_error_is_said_in_chinese_without_hq_s_english(error: SyncError) -> None:
    said = Translator("zh").error(error)
    assert said and not _english_left(said), said
    assert Translator("en").error(error) == vocabulary.SYNC_ERROR[error.code.value].en.format(
        **said_in(error.params, "en")
    )
    if error.detail:  # the detail is for logs and the CLI only
        assert error.detail in str(error) and error.detail not in Translator("en").error(error)


def test_the_last_sync_error_is_kept_as_its_code_and_an_old_english_one_is_not_shown() -> None:
    error = SyncError(SyncErrorCode.NO_CONNECTION, tries=4)
    kept = last_sync_error(error.to_dict())
    assert kept is not None and (kept.code, kept.params) == (error.code, {"tries": 4})
    assert last_sync_error("could not reach HQ after 4 tries: no connection to HQ") is None
    assert last_sync_error({"code": "from_the_future"}) is None
    assert last_sync_error({"code": "sync_first", "params": {}}) is None  # its words need more
    assert last_sync_error(None) is None


@pytest.mark.parametrize(
    "error",
    [
        ExportError(ExportErrorCode.CHECKLIST_MISSING, checklist="fire-weekly", version=3),
        ExportError(ExportErrorCode.NO_INSPECTION, id="i-1"),
        MissingGlyphsError("𠀀"),
        FontNotFoundError("font /usr/share/fonts/x.ttf is missing"),
    ],
    ids=["checklist", "inspection", "glyphs", "font"],
)
def test_an_export_failure_is_said_in_words_without_a_path(error: Exception) -> None:
    for lang in vocabulary.LANGUAGES:
        said = Translator(lang).error(error)
        assert said != Translator(lang)("error.unexpected") and "/usr" not in said
    assert not _english_left(Translator("zh").error(error).replace("fire-weekly", ""))
