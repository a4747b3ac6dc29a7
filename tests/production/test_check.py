"""The pieces of `make prodcheck` (deploy/check.py), which is too heavy for `make test`: its
figures, the nginx file it runs, the units' command lines, what counts as lost or doubled."""

import importlib.util
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
_spec = importlib.util.spec_from_file_location("prodcheck", DEPLOY / "check.py")
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)


def test_percentiles_and_throughput():
    assert check.percentile([], 95) == 0
    assert check.percentile([0.005], 99) == 0.005
    values = [n / 1000 for n in range(1, 101)]
    assert check.percentile(values, 95) == 0.095 and check.percentile(values, 50) == 0.05
    load = check.Load(statuses=[200] * 100, latencies=values, seconds=2.0)
    assert load.rps == 50 and round(load.p(99), 1) == 99.0
    assert "50.0 req/s" in load.figures()


def test_the_check_runs_the_production_nginx_file_with_only_its_ports_changed():
    original = (DEPLOY / "nginx" / "portal.conf").read_text()
    rendered = check.site_config(original, 18080, [18001, 18002])
    assert "listen 127.0.0.1:18080;" in rendered and "listen 80;" not in rendered
    assert "server 127.0.0.1:18001 max_fails" in rendered
    assert "server 127.0.0.1:18002 max_fails" in rendered
    changed = [(a, b) for a, b in zip(original.splitlines(), rendered.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 3
    with pytest.raises(ValueError, match="upstream"):
        check.site_config(original, 18080, [18001])


def test_the_nginx_file_is_valid_for_nginx(tmp_path):
    nginx = Path("/usr/sbin/nginx")
    if not nginx.exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    site = check.site_config((DEPLOY / "nginx" / "portal.conf").read_text(), 18080, [1, 2])
    (tmp_path / "logs").mkdir()
    (tmp_path / "portal.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        "error_log logs/error.log;\npid logs/nginx.pid;\nevents {}\n"
        "http { client_body_temp_path body; proxy_temp_path proxy; fastcgi_temp_path f;"
        " uwsgi_temp_path u; scgi_temp_path s; include portal.conf; }\n")
    done = subprocess.run([str(nginx), "-t", "-p", str(tmp_path), "-c", "nginx.conf"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_units_command_lines_run_from_this_virtualenv(tmp_path):
    unit = (DEPLOY / "systemd" / "portal-web@.service").read_text()
    assert check.exec_start(unit, tmp_path) == [
        str(tmp_path / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "wsgi:app"]
    assert "Environment=PORTAL_BIND=127.0.0.1:%i" in unit


@pytest.mark.parametrize("name", ["worker", "retention", "digests", "reminders", "backup"])
def test_every_unit_runs_a_flask_command_with_the_shared_environment(name):
    unit = (DEPLOY / "systemd" / f"portal-{name}.service").read_text()
    assert "EnvironmentFile=/etc/portal/portal.env" in unit and "--app wsgi" in unit
    if name != "worker":
        timer = (DEPLOY / "systemd" / f"portal-{name}.timer").read_text()
        assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d$", timer, flags=re.M)


def test_lost_and_doubled_writes():
    acknowledged = {"w 1", "w 2", "w 3"}
    assert check.lost_or_doubled(acknowledged, Counter({"w 1": 1, "w 2": 1, "w 3": 1})) == (
        set(), set())
    assert check.lost_or_doubled(acknowledged, Counter({"w 1": 1, "w 3": 2, "w 9": 1})) == (
        {"w 2"}, {"w 3"})


def test_the_table_says_what_held():
    text = check.table([("a check", True, "fine"), ("another check", False, "2 lost")])
    assert text.splitlines() == ["  ok    a check        fine",
                                 "  FAIL  another check  2 lost"]


def test_tracebacks_are_picked_from_a_log():
    log = ("GET / 200\nTraceback (most recent call last):\n  File \"x.py\", line 1\n"
           "ValueError: boom\nGET / 200\n")
    assert check._tracebacks(log).endswith("ValueError: boom")


def test_every_check_is_listed_once():
    functions = {name for name in vars(check) if name.startswith("check_")}
    assert {fn.__name__ for _, fn in check.CHECKS} == functions
