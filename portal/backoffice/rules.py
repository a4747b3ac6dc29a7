"""Permissions as named predicates, composed with & | ~ (adhocracy4's rules habit).

A predicate answers `(user, obj)` with True or False; `obj` is the item a page works on
(None on list and create pages). Each domain writes its named permissions in its own
`rules.py`, e.g. `can_cancel_visit = is_admin | is_project | (is_team & in_own_quartier)`,
so the permission model of a feature reads in a few lines and tests can enumerate it.
Which quartiers an item belongs to is the model's to say (its `quartier_ids` property).
"""

from collections.abc import Callable
from typing import Any

from ..quartiers import quartier_ids_of
from .models import Role


class Predicate:
    def __init__(self, test: Callable[[Any, Any], bool], name: str):
        self.test = test
        self.name = name

    def __call__(self, user, obj=None) -> bool:
        if user is None or not user.active:
            return False
        return bool(self.test(user, obj))

    def __and__(self, other: "Predicate") -> "Predicate":
        return Predicate(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __or__(self, other: "Predicate") -> "Predicate":
        return Predicate(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __invert__(self) -> "Predicate":
        return Predicate(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(function: Callable[[Any, Any], bool]) -> Predicate:
    return Predicate(function, function.__name__)


@predicate
def is_admin(user, obj) -> bool:
    return user.role is Role.ADMIN


@predicate
def is_project(user, obj) -> bool:
    return user.role is Role.PROJECT


@predicate
def is_team(user, obj) -> bool:
    return user.role is Role.TEAM


@predicate
def is_authenticated(user, obj) -> bool:
    return True  # Predicate.__call__ already refused anonymous and inactive accounts


@predicate
def in_own_quartier(user, obj) -> bool:
    """Every quartier of the item is one of the user's (no item: nothing to check yet,
    the page itself must then filter what it shows and accepts)."""
    if obj is None:
        return bool(user.quartiers)
    ids = quartier_ids_of(obj)
    return bool(ids) and ids <= user.quartier_ids


# Permissions of the back office itself.
can_enter_back_office = is_authenticated
can_manage_users = is_admin
can_read_journal = is_admin
can_edit_quartier = is_admin | is_project
