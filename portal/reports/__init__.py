"""Bilans: the figures the project lead reports per quartier and period (/admin/bilans/,
as tables, charts, CSV and XLSX), the public /chiffres, and the page-view counter."""

from flask import Flask

from .. import registry


def init_app(app: Flask) -> None:
    from . import admin, pageviews, views

    reg = registry.of(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    admin.register(reg)
    pageviews.init_app(app)
    reg.add_sitemap(lambda: [("reports.figures", {})])
