"""A bilan's tables as CSV (one table) and XLSX (one sheet per block, streamed by
openpyxl's write-only mode): the same rows the page shows, total included."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .report import Report
from .tables import Table

MAX_CELL = 32767  # Excel's limit on a cell's text


def _text(value):
    return value if isinstance(value, int | float) else str(value)


def csv_rows(table: Table, report: Report) -> Iterator[str]:
    """Lines of the CSV: a title line, the definition, the period and quartiers, then the
    table; `;` separated with a BOM, as French spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_clean(v) for v in values])
        return buffer.getvalue()

    yield "\ufeff" + line([str(table.title)])
    yield line([str(table.definition)])
    yield line([f"{report.period.first.isoformat()} – {report.period.last.isoformat()}",
                ", ".join(q.name for q in report.quartiers)])
    yield line([str(c) for c in table.columns])
    for row in table.all_rows():
        yield line(row)


def _clean(value):
    """No formula injection: a cell starting with = + - @ is kept as text. Control
    characters (a NUL in a reason) cannot be stored in a workbook: they are dropped."""
    value = _text(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
        if value[:1] in ("=", "+", "-", "@"):
            return "'" + value
    return value


def xlsx_bytes(report: Report, extracted_on: str) -> bytes:
    workbook = Workbook(write_only=True)
    for block in report.blocks:
        sheet = workbook.create_sheet(title=str(block.title)[:31])
        sheet.append([_clean(block.title), extracted_on])
        sheet.append([f"{report.period.first.isoformat()} – {report.period.last.isoformat()}",
                      _clean(", ".join(q.name for q in report.quartiers))])
        for table in block.tables:
            sheet.append([])
            sheet.append([_clean(table.title)])
            sheet.append([_clean(table.definition)])
            sheet.append([_clean(c) for c in table.columns])
            for row in table.all_rows():
                sheet.append([_clean(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
