"""Roles a person can hold, and the actor interface the rules check against."""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    INSPECTOR = "inspector"
    WORKSHOP_HEAD = "workshop_head"
    HQ_ADMIN = "hq_admin"
    SAFETY_OFFICER = "safety_officer"  # 安全管理人员, the safety department
    PRINCIPAL = "principal"  # 主要负责人, the person in charge of the company


#: Roles that act in every workshop of their plant, whatever workshops the site file lists.
PLANT_WIDE = frozenset({Role.SAFETY_OFFICER, Role.PRINCIPAL})


class Actor(Protocol):
    """Who is acting: a person with roles and a workshop scope."""

    @property
    def id(self) -> str: ...

    @property
    def roles(self) -> Set[Role]: ...

    def can_act_in(self, workshop_id: str) -> bool: ...
