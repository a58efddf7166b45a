"""The criteria that decide a major hazard (checklists/criteria.yaml): the three documents a
checklist's ``on_fail.major_rule`` may cite, and the clauses of them the project cites, each with
its text, an English gloss and where it was found."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from inspect_app.resources import shipped_checklists_dir

#: Kept next to the checklists, and never read as one.
CRITERIA_FILE = "criteria.yaml"
_CLAUSE_KEYS = {"id", "criterion", "clause", "zh", "en", "source", "verified", "note"}


class CriteriaError(ValueError):
    """A criteria file that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class Clause:
    id: str
    criterion: str
    clause: str
    #: The clause's text as found (None where it could not be found), and a one-line gloss.
    zh: str | None
    en: str
    source: str | None
    #: False where the text could not be confirmed with a source.
    verified: bool
    note: str | None = None


@dataclass(frozen=True)
class Criteria:
    #: Criterion id ("GB 45067-2024") to its title.
    titles: dict[str, str]
    clauses: dict[tuple[str, str], Clause]

    def clauses_of(self, criterion: str) -> list[str]:
        return [clause for (owner, clause) in self.clauses if owner == criterion]


def load_criteria(path: Path) -> Criteria:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CriteriaError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"criteria", "clauses", "references"}:
        raise CriteriaError(f"{path}: expected the keys criteria, clauses and references")
    titles = {_text(c, "id", path): _text(c, "title", path) for c in _list(data, "criteria", path)}
    clauses: dict[tuple[str, str], Clause] = {}
    for entry in _list(data, "clauses", path):
        clause = _clause(entry, path)
        if clause.criterion not in titles:
            raise CriteriaError(f"{path}: clause {clause.id} cites unknown '{clause.criterion}'")
        if (clause.criterion, clause.clause) in clauses:
            raise CriteriaError(f"{path}: {clause.criterion} {clause.clause} is listed twice")
        clauses[(clause.criterion, clause.clause)] = clause
    return Criteria(titles, clauses)


@cache
def shipped_criteria() -> Criteria:
    return load_criteria(shipped_checklists_dir() / CRITERIA_FILE)


def _list(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    entries = data.get(key) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CriteriaError(f"{path}: {key} must be a list of mappings")
    return entries


def _text(entry: dict[str, Any], key: str, path: Path) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CriteriaError(f"{path}: {key} missing or empty in {entry.get('id', entry)}")
    return value


def _clause(entry: dict[str, Any], path: Path) -> Clause:
    unknown = set(entry) - _CLAUSE_KEYS
    if unknown:
        raise CriteriaError(f"{path}: unknown keys {sorted(unknown)} in {entry.get('id')}")
    verified = entry.get("verified")
    if not isinstance(verified, bool):
        raise CriteriaError(f"{path}: verified must be true or false in {entry.get('id')}")
    zh = entry.get("zh")
    if verified and not (isinstance(zh, str) and entry.get("source")):
        raise CriteriaError(f"{path}: a verified clause needs its zh text and source")
    return Clause(
        id=_text(entry, "id", path),
        criterion=_text(entry, "criterion", path),
        clause=str(entry.get("clause", "")).strip() or _text(entry, "clause", path),
        zh=zh,
        en=_text(entry, "en", path),
        source=entry.get("source"),
        verified=verified,
        note=entry.get("note"),
    )
