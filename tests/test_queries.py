"""Pages cost a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest

from portal import registry
from tests.factories import make_news, make_quartier


def _queries_for(client, count_queries, path):
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/", "/quartiers/alma", "/actualites/", "/actualites/flux.atom",
                                  "/sitemap.xml", "/sitemap-1.xml"])
def test_page_queries_do_not_grow_with_rows(app, client, count_queries, path):
    quartiers = [make_quartier(slug) for slug in ("alma", "epeule", "pile", "trois-ponts")]
    make_news(quartiers=quartiers[:2])
    few = _queries_for(client, count_queries, path)
    for _ in range(8):
        make_news(quartiers=quartiers)
    many = _queries_for(client, count_queries, path)
    assert many == few, f"{path}: {few} queries with 1 article, {many} with 9"
    assert many <= _budget(app, path), f"{path}: {many} queries"


def _budget(app, path: str) -> int:
    """One query per block a domain registered on the page, plus three of the page's own
    (the quartiers, the school holidays of the visit dates, the news' quartiers loaded in
    one go): a new block may add one query, no more."""
    reg = registry.of(app)
    blocks = {"/": reg.home, "/quartiers/alma": reg.quartier}.get(path)
    if path.startswith("/sitemap"):
        return len(reg.sitemap) + 2
    return len(blocks) + 3 if blocks is not None else 8
