"""The full-text match of a search (search.query_terms) on the database's own index: FTS5 on
SQLite, tsvector with GIN on PostgreSQL (migration 0016_search_index). Any other database falls
back to LIKE over the column (slow, same answers but for prefixes inside words)."""

from sqlalchemy import and_, or_, text

from ..extensions import db
from .models import Service
from .search import like_pattern

# Terms hold only letters, digits and spaces (search.normalise), never quotes or operators;
# the quoting below keeps it so whatever normalise becomes.


def _fts5_term(term: str) -> str:
    return '"' + term.replace('"', " ") + '"*'


def _tsquery_term(term: str) -> str:
    words = ["'" + word.replace("'", " ").replace("\\", " ") + "'" for word in term.split()]
    return "(" + " <-> ".join(words) + ":*)"


def fts5_query(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(map(_fts5_term, terms)) + ")" for terms in groups)


def tsquery(groups: list[list[str]]) -> str:
    return " & ".join("(" + " | ".join(map(_tsquery_term, terms)) + ")" for terms in groups)


def match_clause(groups: list[list[str]]):
    """A WHERE clause: the services whose text has a word starting with one term of every
    group."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        return text("directory_service.rowid IN (SELECT rowid FROM directory_service_fts"
                    " WHERE directory_service_fts MATCH :fts_query)").bindparams(
            fts_query=fts5_query(groups))
    if dialect == "postgresql":
        return text("directory_service.search_vector @@ to_tsquery('simple', :ts_query)"
                    ).bindparams(ts_query=tsquery(groups))
    return and_(*[or_(*[Service.search_text.like(like_pattern(" " + term), escape="\\")
                        for term in terms]) for terms in groups])
