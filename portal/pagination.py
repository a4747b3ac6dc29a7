"""The page number a list was asked for, from `?page=`: one rule for every paginated list."""

from dataclasses import dataclass

from flask import abort, request

# No list of ours comes near it; bigger numbers would overflow the database's integers
# (a 500) instead of giving the "no such page" 404.
LAST_POSSIBLE_PAGE = 100_000


def requested_page() -> int:
    """`?page=` as a number: 1 when missing or not a number, capped at LAST_POSSIBLE_PAGE
    (lists answer 404 to a page past their end, and to zero or less)."""
    return min(request.args.get("page", 1, type=int), LAST_POSSIBLE_PAGE)


@dataclass(frozen=True)
class ListPage:
    """One page of a list already in memory, with the attributes of Flask-SQLAlchemy's
    Pagination that the pagination macro reads."""

    items: list
    page: int
    pages: int

    @classmethod
    def of(cls, items: list, page: int, per_page: int) -> "ListPage":
        """Page `page` of `items`; 404 for a page past the end (or zero or less)."""
        pages = max(1, -(-len(items) // per_page))
        if not 1 <= page <= pages:
            abort(404)
        return cls(items[(page - 1) * per_page:page * per_page], page, pages)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
