"""Roles a person can hold, and the actor interface the rules check against."""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    INSPECTOR = "inspector"
    WORKSHOP_HEAD = "workshop_head"
    HQ_ADMIN = "hq_admin"


class Actor(Protocol):
    """Who is acting: a person with roles and a workshop scope."""

    @property
    def id(self) -> str: ...

    @property
    def roles(self) -> Set[Role]: ...

    def can_act_in(self, workshop_id: str) -> bool: ...
