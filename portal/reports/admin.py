"""/admin/bilans/: the bilan of a period and quartiers as tables and charts, its print view,
each table as CSV and the whole as XLSX."""

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l

from .. import clock
from ..backoffice.auth import current_user, permission_required
from ..registry import Registry
from . import exports, report
from .period import KINDS
from .rules import can_read_reports

bp = Blueprint("reports_admin", __name__, url_prefix="/admin/bilans")


def _page(template: str):
    bilan = report.build(current_user(), request.args)
    return render_template(template, report=bilan, kinds=KINDS, args=request.args,
                           extracted_at=clock.now()), (400 if bilan.errors else 200)


@bp.route("/")
@permission_required(can_read_reports)
def index():
    return _page("reports/admin/index.html")


@bp.route("/imprimer")
@permission_required(can_read_reports)
def printable():
    return _page("reports/admin/print.html")


def _filename(bilan, ext: str, key: str = "bilan") -> str:
    return f"bilan-{key}-{bilan.period.first.isoformat()}-{bilan.period.last.isoformat()}.{ext}"


@bp.route("/<key>.csv")
@permission_required(can_read_reports)
def table_csv(key: str):
    bilan = report.build(current_user(), request.args, table=key)
    table = bilan.table(key)
    if table is None:
        abort(404)
    return Response("".join(exports.csv_rows(table, bilan)),  # one table: a few kB
                    mimetype="text/csv", headers={
                        "Content-Disposition":
                            f'attachment; filename="{_filename(bilan, "csv", key)}"'})


@bp.route("/bilan.xlsx")
@permission_required(can_read_reports)
def workbook():
    bilan = report.build(current_user(), request.args)
    body = exports.xlsx_bytes(bilan, clock.now().strftime("%Y-%m-%d %H:%M"))
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument"
                                    ".spreadsheetml.sheet", headers={
        "Content-Disposition": f'attachment; filename="{_filename(bilan, "xlsx")}"'})


def register(reg: Registry) -> None:
    reg.add_menu("reports_admin.index", _l("Bilans"), 80, can_read_reports)
