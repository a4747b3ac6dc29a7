"""The page number a list was asked for, from `?page=`: one rule for every paginated list."""

from flask import request

# No list of ours comes near it; bigger numbers would overflow the database's integers
# (a 500) instead of giving the "no such page" 404.
LAST_POSSIBLE_PAGE = 100_000


def requested_page() -> int:
    """`?page=` as a number: 1 when missing or not a number, capped at LAST_POSSIBLE_PAGE
    (lists answer 404 to a page past their end, and to zero or less)."""
    return min(request.args.get("page", 1, type=int), LAST_POSSIBLE_PAGE)
