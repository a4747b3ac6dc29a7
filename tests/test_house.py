"""The shape of the house: one visible list of domains, registries on the app, no import cycle."""

import pkgutil
import subprocess
import sys

import pytest

import portal
from portal import DOMAINS, create_app, registry


def _modules() -> list[str]:
    return sorted(name for _, name, _ in pkgutil.walk_packages(portal.__path__, "portal.")
                  if ".migrations" not in name)


@pytest.mark.parametrize("module", _modules())
def test_every_module_imports_alone_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]


def test_two_apps_in_one_process_each_have_their_own_registrations(tmp_path):
    first = create_app({"TESTING": True, "SECRET_KEY": "a",
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    second = create_app({"TESTING": True, "SECRET_KEY": "b", "TILE_URL": "https://t.example/",
                         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}"})
    one, two = registry.of(first), registry.of(second)
    assert one is not two
    assert list(one.nav) == list(two.nav)  # the same domains, registered twice: no error
    one.add_nav("core.site_plan", "Plan", 99)
    assert "core.site_plan" in one.nav and "core.site_plan" not in two.nav
    assert first.config["TILE_URL"] != second.config["TILE_URL"]


def test_each_domain_registers_what_its_package_owns(app):
    reg = registry.of(app)
    assert [entry.endpoint for entry in reg.nav_entries()] == [
        "core.home", "mobile_house.index", "works.index", "events.index", "news.index",
        "contributions.index", "directory.index", "consultations.index", "messages.index"]
    assert [s.key for s in sorted(reg.home.values(), key=lambda s: s.order)] == [
        "visits", "services", "news", "consultations", "events", "contributions"]
    assert [loader.name.rsplit(".", 1)[1] for loader in reg.ordered_loaders()] == [
        "load_quartiers", "load_news", "load_works", "load_mobile_house", "load_services",
        "load_events", "load_consultations", "load_contributions"]
    assert {d.__name__.rsplit(".", 1)[1] for d in DOMAINS} >= {
        "core", "news", "works", "mobile_house", "directory", "backoffice"}


def test_a_key_registered_twice_is_an_error_not_an_override(app):
    reg = registry.Registry()
    section = registry.Section("news", 1, "t", None, list, "")
    reg.add_home_section(section)
    with pytest.raises(ValueError, match="registered twice"):
        reg.add_home_section(section)


def test_importing_a_domain_registers_nothing():
    """Every module imported, then one domain's init_app: the registry holds its parts only."""
    import importlib

    from flask import Flask

    from portal import news

    for module in _modules():
        importlib.import_module(module)
    app = Flask("bare")
    registry.init_app(app)
    news.init_app(app)
    reg = registry.of(app)
    assert list(reg.nav) == ["news.index"] and list(reg.home) == ["news"]
    assert list(reg.menu) == ["news_admin.index"] and list(reg.quartier) == ["news"]
    assert [loader.name for loader in reg.ordered_loaders()] == ["portal.news.loader.load_news"]
    assert {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()} == {
        "static", "news", "news_admin"}
