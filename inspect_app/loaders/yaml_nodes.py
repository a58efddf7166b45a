"""Reading YAML with positions: from a file's bytes to checked, typed values, or to
``FILE:LINE:COL: message`` errors.

PyYAML's ``safe_load`` loses line numbers and silently keeps the last of two duplicate keys. Here a
file is composed into nodes, and a ``NodeReader`` checks keys, types and enums node by node,
collecting every error (each once, at the offending node) so one file reports all its problems.
"""

from __future__ import annotations

import copy
import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inspect_app.core.text import SUPPORTED_LANGUAGES, LocalText

MAX_FILE_BYTES = 2 * 1024 * 1024
#: Values a document may hold once its aliases are expanded: a few lines of ``&a [*b, *b, ...]``
#: can otherwise stand for billions of them.
MAX_NODES = 1_000_000
_MB = 1024 * 1024
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STANDARD_TAG = "tag:yaml.org,2002:"
_STR_TAG = _STANDARD_TAG + "str"
_TAG_NAMES = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "boolean"}
_SHOWN_CHARS = 40

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
#: A typed reader: the node's value, or None after recording why it is not acceptable.
Reader = Callable[[Node, str], T | None]


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    col: int
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class Keys:
    """What one kind of mapping accepts: its name in messages, its keys, and which it needs."""

    what: str
    allowed: tuple[str, ...]
    required: tuple[str, ...] = ()
    #: At least one of these keys must be given...
    one_of: tuple[str, ...] = ()
    #: ...and, when set, no more than one.
    only_one: bool = False
    #: Put before a key's name in messages, as ``pass_if.`` in ``pass_if.max must be a number``.
    prefix: str = ""


def as_bytes(source: bytes | str) -> bytes:
    # Lone surrogates cannot be UTF-8; kept as bytes they are reported as "not a UTF-8 text file".
    return source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")


def read_file(path: Path, kind: str, errors: list[LoadError]) -> bytes | None:
    """The file's bytes, or None with one clear error; a file over the limit is never read whole."""
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                errors.append(_too_large(str(path), size, kind))
                return None
            # One byte past the limit is enough to notice a file that grew, or a pipe.
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        errors.append(LoadError(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}"))
        return None


def parse_yaml(data: bytes, name: str, kind: str, errors: list[LoadError]) -> Node | None:
    """The document's root node, or None with the error that stops reading it (``kind`` as in
    "a checklist" names the document in the size message)."""
    if len(data) > MAX_FILE_BYTES:
        errors.append(_too_large(name, len(data), kind))
        return None
    text = _decode(data, name, errors)
    root = _compose(text, name, errors) if text is not None else None
    if root is None:
        return None
    try:
        size = _expanded_size(root, {}, set())
    except _RecursiveAlias as exc:
        errors.append(_error_at(name, exc.node, "a YAML alias refers to a value that contains it"))
        return None
    if size > MAX_NODES:
        message = f"YAML aliases expand the file to {size} values, over the {MAX_NODES} limit"
        errors.append(LoadError(name, 1, 1, f"{message} for {kind}"))
        return None
    return root


def _too_large(name: str, size: int, kind: str) -> LoadError:
    return LoadError(
        name,
        1,
        1,
        f"file is {size / _MB:.1f} MB, larger than the {MAX_FILE_BYTES // _MB} MB limit for {kind}",
    )


def _decode(data: bytes, name: str, errors: list[LoadError]) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        bad = data.find(b"\x00")  # UTF-16 text and some binary blobs decode, but hold NULs
        if bad < 0:
            return text
    line, col = data.count(b"\n", 0, bad) + 1, bad - data.rfind(b"\n", 0, bad)
    errors.append(LoadError(name, line, col, "not a UTF-8 text file"))
    return None


class _Loader(yaml.SafeLoader):
    """The safe loader, except that an alias node carries the position where it is used, so an
    error about it (a duplicate item, say) points there rather than at the anchor."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if not self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        node = copy.copy(super().compose_node(parent, index))  # shares the anchor's children
        node.start_mark = mark
        return node


def _compose(text: str, name: str, errors: list[LoadError]) -> Node | None:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = ", ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        errors.append(LoadError(name, line, col, f"YAML syntax error: {what}"))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        message = f"YAML syntax error: character #x{exc.character:04x} is not allowed in YAML"
        errors.append(LoadError(name, line, col, message))
        return None
    except RecursionError:
        errors.append(LoadError(name, 1, 1, "YAML syntax error: lists or mappings nested too deep"))
        return None
    if root is None:
        errors.append(LoadError(name, 1, 1, "the file is empty"))
    return root


class _RecursiveAlias(Exception):
    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node


def _expanded_size(node: Node, sizes: dict[int, int], open_: set[int]) -> int:
    """How many nodes the document holds with every alias expanded (alias copies share their
    ``value`` list with the anchor, so that list identifies a collection)."""
    if isinstance(node, ScalarNode):
        return 1
    key = id(node.value)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise _RecursiveAlias(node)
    open_.add(key)
    children = node.value
    if isinstance(node, MappingNode):
        children = [n for pair in node.value for n in pair]
    sizes[key] = 1 + sum(_expanded_size(child, sizes, open_) for child in children)
    open_.discard(key)
    return sizes[key]


def _error_at(file: str, node: Node, message: str) -> LoadError:
    mark = node.start_mark
    return LoadError(file, mark.line + 1, mark.column + 1, message)


def one_line(text: str) -> str:
    """Line breaks and other control characters shown escaped (``\\n``), so a message quoting
    names and values from the file stays one line whatever the file held."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class _Invalid:
    """A scalar whose value could not be built (already reported)."""


_INVALID = _Invalid()


class Fields:
    """The known keys of one checked mapping, each read on demand with a typed reader."""

    def __init__(self, node: MappingNode, keys: Keys, entries: dict[str, tuple[Node, Node]]):
        self.node = node
        self.keys = keys
        self._entries = entries

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def key_node(self, key: str) -> Node:
        return self._entries[key][0]

    def value_node(self, key: str) -> Node:
        return self._entries[key][1]

    def get(self, key: str, read: Reader[T], default: T | None = None) -> T | None:
        """The key's value read by ``read``; ``default`` when absent, None when not acceptable."""
        if key not in self._entries:
            return default
        return read(self._entries[key][1], self.keys.prefix + key)


class NodeReader:
    """Typed access to nodes; each problem is recorded once, at the offending node."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[LoadError] = []
        self._reported: set[LoadError] = set()
        self._constructor = SafeConstructor()

    def error(self, node: Node, message: str) -> None:
        error = _error_at(self.file, node, message)
        # A node merged or aliased into several places is read once per use, but is one problem.
        if error not in self._reported:
            self._reported.add(error)
            self.errors.append(error)

    def value(self, node: ScalarNode) -> Any:
        """The scalar as ``yaml.safe_load`` gives it (int, float, bool, None, str, date), or
        ``_INVALID`` after reporting a tag or a tagged value PyYAML cannot build."""
        try:
            return self._constructor.construct_object(node)
        except Exception:  # PyYAML's constructors raise ValueError, KeyError, ... on bad values
            self._constructor = SafeConstructor()  # it keeps half-built state of the failed node
            tag = node.tag.replace(_STANDARD_TAG, "!!")
            if node.tag in SafeConstructor.yaml_constructors:
                kind = _TAG_NAMES.get(tag[2:], tag)
                self.error(node, f"'{_clip(node.value)}' is not a valid {kind}")
            else:
                self.error(node, f"unsupported YAML tag '{tag}'")
            return _INVALID

    def mapping(self, node: Node, keys: Keys) -> Fields | None:
        """The mapping's known keys, after reporting duplicate, unknown and missing keys."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{keys.what} must be a mapping of keys to values, not {_shown(node)}")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        unknown: list[str] = []
        for key, key_node, value_node in self._entries(node, keys.what):
            if key in keys.allowed:
                entries[key] = (key_node, value_node)
                continue
            close = difflib.get_close_matches(key, keys.allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            unknown.extend(close or [key])
            self.error(key_node, f"unknown key '{key}' in {keys.what}{hint}")
        # A misspelt key is reported once, as unknown, not again as a missing one.
        missing = [k for k in keys.required if k not in entries and k not in unknown]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            names = ", ".join(f"'{k}'" for k in missing)
            self.error(node, f"{keys.what} is missing the required key{plural} {names}")
        given = [k for k in keys.one_of if k in entries]
        if keys.one_of and not given and not unknown:
            self.error(node, f"{keys.what} needs {_alternatives(keys)}")
        if keys.only_one and len(given) > 1:
            self.error(entries[given[1]][0], f"{keys.what} takes only one of {_alternatives(keys)}")
        return Fields(node, keys, entries)

    def _entries(self, node: MappingNode, what: str) -> list[tuple[str, Node, Node]]:
        """(key, key node, value node) of a mapping, merges (``<<: *defaults``) resolved the YAML
        way (the mapping's own keys win), duplicate keys reported."""
        own: dict[str, tuple[Node, Node]] = {}
        merged: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merged(value_node, what))
                continue
            key = self._key(key_node, what)
            if key is None:
                continue
            if key in own:
                self.error(key_node, f"duplicate key '{key}' in {what}")
                continue
            own[key] = (key_node, value_node)
        for key, key_node, value_node in merged:
            own.setdefault(key, (key_node, value_node))
        return [(key, key_node, value_node) for key, (key_node, value_node) in own.items()]

    def _merged(self, node: Node, what: str) -> list[tuple[str, Node, Node]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        entries: list[tuple[str, Node, Node]] = []
        for source in sources:
            if isinstance(source, MappingNode):
                entries.extend(self._entries(source, what))
            else:
                self.error(source, f"'<<' in {what} must merge a mapping, such as *defaults")
        return entries

    def _key(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.error(node, f"keys in {what} must be names, not {_shown(node)}")
            return None
        key = self.value(node)
        if key is _INVALID:
            return None
        # `yes:` and `1:` are a bool and an int to YAML; as keys they are named as typed.
        return key if isinstance(key, str) else node.value

    def sequence(self, node: Node, what: str, one: str | None = None) -> list[Node] | None:
        """The list's nodes; with ``one`` (what an entry is), an empty list is an error."""
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list, not {_shown(node)}")
            return None
        if one is not None and not node.value:
            self.error(node, f"{what} must list at least one {one}")
            return None
        return list(node.value)

    def _typed(self, node: Node, what: str, kinds: tuple[type, ...], expected: str) -> Any:
        value = self.value(node) if isinstance(node, ScalarNode) else _INVALID
        if value is _INVALID and isinstance(node, ScalarNode):
            return None
        if isinstance(value, bool) and bool not in kinds:
            value = _INVALID
        if isinstance(value, datetime) and datetime not in kinds:  # a date, and a time too
            value = _INVALID
        if not isinstance(value, kinds):
            hint = ""
            if str in kinds and isinstance(node, ScalarNode) and node.value and not node.style:
                hint = f' (write "{_clip(node.value)}" in quotes to keep it as text)'
            self.error(node, f"{what} must be {expected}, not {_shown(node)}{hint}")
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
        if value is not None and not math.isfinite(value):
            self.error(node, f"{what} must be a finite number, not {node.value}")
            return None
        return None if value is None else float(value)

    def positive_int(self, node: Node, what: str) -> int | None:
        value = self._typed(node, what, (int,), "a whole number")
        if value is not None and value < 1:
            self.error(node, f"{what} must be 1 or more, not {value}")
            return None
        return value

    def non_negative_int(self, node: Node, what: str) -> int | None:
        value = self._typed(node, what, (int,), "a whole number")
        if value is not None and value < 0:
            self.error(node, f"{what} must be 0 or more, not {value}")
            return None
        return value

    def day(self, node: Node, what: str) -> date | None:
        return self._typed(node, what, (date,), "a date as YYYY-MM-DD")

    def member_of(self, enum: type[E]) -> Reader[E]:
        """A reader of one value of ``enum``."""
        allowed = ", ".join(e.value for e in enum)

        def read(node: Node, what: str) -> E | None:
            value = self._typed(node, what, (str,), f"one of {allowed}")
            if value is None:
                return None
            try:
                return enum(value)
            except ValueError:
                close = difflib.get_close_matches(value, [e.value for e in enum], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.error(node, f"{what} must be one of {allowed}, not '{_clip(value)}'{hint}")
                return None

        return read

    def text(self, node: Node, what: str) -> LocalText | None:
        """A plain string or a ``{lang: string}`` map with at least one language the app shows."""
        if isinstance(node, ScalarNode):
            value = self.string(node, what)
            return None if value is None else LocalText.of(value)
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a string or a map of language to string")
            return None
        entries = self._entries(node, what)
        if not entries:
            self.error(node, f"{what} must not be empty")
            return None
        translations = {
            lang: value
            for lang, _, value_node in entries
            if (value := self.string(value_node, f"{what} [{lang}]")) is not None
        }
        if len(translations) < len(entries):
            return None
        if not set(translations) & set(SUPPORTED_LANGUAGES):
            shown = ", ".join(SUPPORTED_LANGUAGES)
            self.error(node, f"{what} has no language the app can show (needs one of {shown})")
            return None
        return LocalText.of(translations)


def _alternatives(keys: Keys) -> str:
    names = [f"'{k}'" for k in keys.one_of]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _shown(node: Node) -> str:
    """How a wrong value is named in a message: as typed, quoted when YAML read it as text."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if not node.value:
        return "empty"
    return f"'{_clip(node.value)}'" if node.tag == _STR_TAG else _clip(node.value)
