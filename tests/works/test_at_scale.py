"""The works pages at 100x the demonstration content (1,700 sites), served by a fresh process.

Issue 13: on such a SQLite database, a fresh process serving /chantiers/ two or three times
died with a segmentation fault inside the SQLite cursor's fetchall (under public_sites),
not with the garbage collector off. It did not reproduce on this project's pinned stack
(CPython 3.11, SQLite 3.40, SQLAlchemy 2.1 with its Cython extensions), also with the
collector made to run every 700 allocations, under PYTHONMALLOC=debug -X dev and through
`flask run`; the pages now fetch one page of sites, never all of them. This test keeps
the scenario: a process that crashes (a signal) fails it, whatever the cause.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATHS = ["/chantiers/", "/chantiers/?page=34", "/chantiers/carte.js", "/chantiers.geojson",
         "/quartiers/alma", "/sitemap-1.xml"]

BUILD = """
from pathlib import Path
from flask_migrate import upgrade
from portal import create_app
from portal.content import load_content
from tests.benchmarks.scaled import write_scaled_content

content = write_scaled_content(Path("content"), Path({tmp!r}) / "content", 100, ("works",))
app = create_app({{"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": {url!r},
                  "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0}})
with app.app_context():
    upgrade(revision="heads")
    load_content(content)
"""

SERVE = """
import faulthandler
faulthandler.enable()
from portal import create_app
app = create_app({{"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": {url!r},
                  "SERVER_NAME": "localhost", "PAGE_CACHE_SECONDS": 0}})
client = app.test_client()
for _ in range(5):
    for path in {paths!r}:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert len(response.data) < 200 * 1024, (path, len(response.data))
print("served")
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "PORTAL_ENV": "development"})


@pytest.fixture(scope="module")
def large_database(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale")
    url = f"sqlite:///{tmp / 'works100.db'}"
    built = _run(BUILD.format(tmp=str(tmp), url=url))
    assert built.returncode == 0, built.stderr[-3000:]
    return url


def test_fresh_process_serves_the_works_pages_repeatedly_at_100x(large_database):
    served = _run(SERVE.format(url=large_database, paths=PATHS))
    # A negative return code is a signal (-11: the segmentation fault of issue 13).
    assert served.returncode == 0, served.stderr[-3000:]
    assert "served" in served.stdout
