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


@pytest.mark.parametrize("name", ["worker", "retention", "digests", "weekly-digest",
                                  "reminders", "backup"])
def test_every_unit_runs_a_flask_command_with_the_shared_environment(name):
    unit = (DEPLOY / "systemd" / f"portal-{name}.service").read_text()
    assert "EnvironmentFile=/etc/portal/portal.env" in unit and "--app wsgi" in unit
    if name != "worker":
        timer = (DEPLOY / "systemd" / f"portal-{name}.timer").read_text()
        assert re.search(r"^OnCalendar=(Mon )?\*-\*-\* \d\d:\d\d$", timer, flags=re.M)


def test_every_timer_has_its_service_and_every_command_exists(app):
    """The units name commands the app has (`flask messages digests` did not exist)."""
    from flask.cli import ScriptInfo

    runner = app.test_cli_runner()
    timers = sorted((DEPLOY / "systemd").glob("*.timer"))
    assert {t.stem for t in timers} >= {"portal-retention", "portal-digests",
                                        "portal-weekly-digest", "portal-reminders"}
    commands = []
    for timer in timers:
        unit = (DEPLOY / "systemd" / f"{timer.stem}.service").read_text()
        assert "Type=oneshot" in unit
        for command in check.exec_starts(unit, Path("/venv")):
            if command[0] == "/bin/sh":  # the backup's dated folder
                command = command[2].split()[1:-1]
            else:
                assert command[:3] == ["/venv/flask", "--app", "wsgi"], command
            words = command[3:]
            commands.append(words)
            result = runner.invoke(args=[*words, "--help"], obj=ScriptInfo(
                create_app=lambda: app))
            assert result.exit_code == 0, (words, result.output)
    assert ["events", "remind"] in commands and ["messages", "purge"] in commands


def test_form_fields_and_radio_choices_of_a_page():
    page = (b'<form><input name="csrf_token" type="hidden" value="a&amp;b">'
            b'<input type="hidden" name="cle" value="k1"><input type="text" name="x" value="1">'
            b'<input type="radio" name="q7" id="q7" value="3"><input type="radio" name="q7" '
            b'id="q7-4" value="4" checked></form>')
    assert check.form_fields(page) == {"csrf_token": "a&b", "cle": "k1"}
    assert check.radio_choices(page) == {"q7": ["3", "4"]}


def test_metric_values_are_summed_over_matching_labels():
    text = ("# HELP portal_http_requests_total x\n"
            'portal_http_requests_total{endpoint="core.home",method="GET",status="200"} 3.0\n'
            'portal_http_requests_total{endpoint="core.home",method="HEAD",status="200"} 2.0\n'
            'portal_http_requests_total{endpoint="core.home",method="GET",status="404"} 7.0\n'
            "portal_outbox_depth 4.0\n")
    assert check.metric_value(text, "portal_http_requests_total", endpoint="core.home",
                              status="200") == 5
    assert check.metric_value(text, "portal_outbox_depth") == 4
    assert check.metric_value(text, "portal_nothing") == 0


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
