"""Benchmarks (not tests): print, for each public page, its gzip weight, its number of SQL
queries and how many times a second one process serves it: rendered afresh (render/s) and from
the page cache anonymous visitors mostly hit (cached/s, see portal/page_cache.py); then what
the home, works and mobile-house pages weigh with their stylesheets and scripts (weights.py).

    make bench            # or: .venv/bin/python -m tests.benchmarks [seconds-per-page]
    make bench ARGS="--scale 100"   # 1x and 100x side by side (scale.py)
    make bench ARGS="--search"      # directory search at 3,500 and 50,000 services (search.py)
    make bench ARGS="--mobile"      # home page and Maison Mobile feeds at 100x (mobile.py)

Runs on a temporary SQLite database (or BENCH_DATABASE_URL) loaded with content/.
"""

import gzip
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

from portal import create_app
from portal.content import load_content
from portal.extensions import db
from tests.benchmarks import weights

PAGES = ["/", "/quartiers/alma", "/actualites/", "/actualites/flux.atom", "/chantiers/",
         "/chantiers/carte.js", "/maison-du-projet/", "/maison-du-projet.ics", "/services/",
         "/accessibilite"]


def discover_pages(client) -> list[str]:
    """The fixed pages plus one page of each kind linked from the sitemap."""
    import re

    sitemap = client.get("/sitemap-1.xml").get_data(as_text=True)
    seen_prefixes, pages = set(), list(PAGES)
    for url in re.findall(r"<loc>http://[^/]+(/[^<]*)</loc>", sitemap):
        prefix = url.rstrip("/").rsplit("/", 1)[0]
        if url not in pages and prefix not in seen_prefixes:
            seen_prefixes.add(prefix)
            pages.append(url)
    return pages


def rate(client, path: str, seconds: float) -> float:
    """Requests a second for `path`, gzip accepted, as a phone's browser asks."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        client.get(path, headers={"Accept-Encoding": "gzip"})
        done += 1
    return done / (time.perf_counter() - start)


def main(seconds: float = 1.0) -> None:
    import os

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"PORTAL_ENV": "development",
                          "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost",
                          "PAGE_CACHE_SECONDS": 0})
        with app.app_context():
            upgrade(revision="heads")
            load_content()
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        client = app.test_client()
        print(f"{'page':44} {'status':>6} {'gzip KB':>8} {'queries':>8} {'render/s':>9} "
              f"{'cached/s':>9}")
        for path in discover_pages(client):
            queries.clear()
            response = client.get(path, headers={"Accept-Encoding": "gzip"})
            body = response.data
            size = len(body if response.headers.get("Content-Encoding") == "gzip"
                       else gzip.compress(body))
            count = len(queries)
            app.config["PAGE_CACHE_SECONDS"] = 0
            rendered = rate(client, path, seconds)
            app.config["PAGE_CACHE_SECONDS"] = 3600
            cached = rate(client, path, seconds)
            print(f"{path[:44]:44} {response.status_code:>6} {size / 1024:>8.1f} {count:>8} "
                  f"{rendered:>9.0f} {cached:>9.0f}")
        css = client.get("/static/css/portal.css", headers={"Accept-Encoding": "gzip"}).data
        print(f"\nportal.css gzip: {len(css) / 1024:.1f} KB (cached for a year once loaded)")
        print("One process, one thread, in-process client; gunicorn with N workers scales ~N x.")
        weights.report(client, ["/", "/chantiers/", "/maison-du-projet/"])


if __name__ == "__main__":
    if "--search" in sys.argv:
        from tests.benchmarks import search

        search.main()
    elif "--mobile" in sys.argv:
        from tests.benchmarks import mobile

        mobile.main()
    elif "--scale" in sys.argv:
        from tests.benchmarks import scale

        def option(name, default):
            return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

        only = sys.argv[sys.argv.index("--db") + 1] if "--db" in sys.argv else None
        scale.main(option("--scale", 100), option("--repeat", 20), option("--requests", 1000),
                   only)
    else:
        main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
