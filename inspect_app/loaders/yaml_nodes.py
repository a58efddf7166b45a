"""Reading YAML with positions: node-level access that reports ``FILE:LINE:COL: message`` errors.

PyYAML's ``safe_load`` loses line numbers and silently keeps the last of two duplicate keys; here
files are composed into nodes, and a ``NodeReader`` checks keys, types and enums while collecting
every error, so one file reports all its problems at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inspect_app.core.text import SUPPORTED_LANGUAGES, LocalText

MAX_FILE_BYTES = 2 * 1024 * 1024
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class _Constructor(yaml.constructor.SafeConstructor):
    """Turns one scalar node into its Python value with the safe loader's rules."""


def read_source(path: Path, errors: list[LoadError]) -> str | None:
    """The file as text, or None with one clear error (missing, too large, not UTF-8 text)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.append(
                LoadError(
                    name,
                    1,
                    1,
                    f"file is {size / 1e6:.1f} MB, larger than the "
                    f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit",
                )
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        errors.append(LoadError(name, 1, 1, f"cannot read the file: {exc.strerror or exc}"))
        return None
    return decode_source(data, name, errors)


def decode_source(data: bytes, name: str, errors: list[LoadError]) -> str | None:
    if len(data) > MAX_FILE_BYTES:
        errors.append(
            LoadError(
                name,
                1,
                1,
                f"file is {len(data) / 1e6:.1f} MB, larger than the "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit",
            )
        )
        return None
    if b"\x00" in data:
        errors.append(LoadError(name, 1, 1, "not a text file (binary data)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(LoadError(name, line, 1, "not a UTF-8 text file"))
        return None


def compose(text: str, name: str, errors: list[LoadError]) -> Node | None:
    """The document's root node; None (with an error) for a syntax error or an empty file."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        errors.append(LoadError(name, line, col, f"YAML syntax error: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(LoadError(name, 1, 1, f"YAML error: {exc}"))
        return None
    if root is None:
        errors.append(LoadError(name, 1, 1, "the file is empty"))
    return root


class NodeReader:
    """Typed access to nodes; each problem is recorded once, at the offending node."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[LoadError] = []
        self._constructor = _Constructor()

    def error(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.errors.append(LoadError(self.file, mark.line + 1, mark.column + 1, message))

    def scalar(self, node: Node) -> Any:
        return self._constructor.construct_object(node, deep=True)

    def mapping(
        self,
        node: Node,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> dict[str, Node] | None:
        """The mapping's values by key, after checking duplicates, unknown and missing keys."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of keys to values")
            return None
        allowed = list(allowed)
        values: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"keys in {what} must be plain words")
                continue
            if key in values:
                self.error(key_node, f"duplicate key '{key}' in {what}")
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
                continue
            values[key] = value_node
        for key in required:
            if key not in values:
                self.error(node, f"{what} is missing the required key '{key}'")
        return values

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list")
            return None
        return list(node.value)

    def _typed(self, node: Node, what: str, kinds: tuple[type, ...], expected: str) -> Any:
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) and bool not in kinds:
            value = None
        if not isinstance(value, kinds):
            shown = f" {value!r}" if isinstance(node, ScalarNode) else ""
            self.error(node, f"{what} must be {expected}, not{shown or ' a ' + _kind(node)}")
            return None
        return value

    def string(self, node: Node, what: str) -> str | None:
        value = self._typed(node, what, (str,), "a string")
        if value is not None and not value.strip():
            self.error(node, f"{what} must not be empty")
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        return self._typed(node, what, (bool,), "true or false")

    def number(self, node: Node, what: str) -> float | None:
        value = self._typed(node, what, (int, float), "a number")
        return None if value is None else float(value)

    def positive_int(self, node: Node, what: str) -> int | None:
        value = self._typed(node, what, (int,), "a whole number")
        if value is not None and value < 1:
            self.error(node, f"{what} must be 1 or more, not {value}")
            return None
        return value

    def choice(self, node: Node, what: str, enum: type[E]) -> E | None:
        value = self._typed(node, what, (str,), "one of " + ", ".join(e.value for e in enum))
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.error(node, f"{what} must be one of {allowed}, not '{value}'")
            return None

    def enum_parser(self, enum: type[E]) -> Callable[[Node, str], E | None]:
        return lambda node, what: self.choice(node, what, enum)

    def optional(
        self,
        values: dict[str, Node],
        key: str,
        parse: Callable[[Node, str], T | None],
        default: T | None = None,
    ) -> T | None:
        """An optional key: its parsed value, ``default`` when absent, None when invalid."""
        if key not in values:
            return default
        return parse(values[key], key)

    def text(self, node: Node, what: str) -> LocalText | None:
        """A plain string or a ``{lang: string}`` map with at least one language the app shows."""
        if isinstance(node, ScalarNode):
            value = self.string(node, what)
            return None if value is None else LocalText.of(value)
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a string or a map of language to string")
            return None
        translations: dict[str, str] = {}
        for key_node, value_node in node.value:
            lang = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(lang, str):
                self.error(key_node, f"languages in {what} must be codes such as en or zh")
                continue
            if lang in translations:
                self.error(key_node, f"duplicate language '{lang}' in {what}")
                continue
            value = self.string(value_node, f"{what} [{lang}]")
            if value is not None:
                translations[lang] = value
        if not translations:
            if not node.value:
                self.error(node, f"{what} must not be empty")
            return None
        if not set(translations) & set(SUPPORTED_LANGUAGES):
            shown = ", ".join(SUPPORTED_LANGUAGES)
            self.error(node, f"{what} has no language the app can show (needs one of {shown})")
            return None
        return LocalText.of(translations)


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "value"
