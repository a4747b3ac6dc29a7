"""A bilan is blocks of tables; each table is named, defined in words (shown on the page,
in the CSV header and in the spreadsheet), and drawn as a chart from the very same rows, so
the page, its chart, its CSV and its XLSX can never give different numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import charts


@dataclass
class Table:
    key: str  # stable: the CSV file name and the XLSX sheet name
    title: Any
    definition: Any  # what each number counts, in the words residents and elected read
    columns: list  # header labels; the first column names the row
    rows: list[list]  # [label, number, number...]
    chart_columns: tuple[int, ...] = (1,)  # which numeric columns the chart draws
    total: bool = True  # add a total row (sums of every numeric column)
    # The total row when a sum would be wrong (a median, a ratio, a campaign counted in two
    # quartiers): computed by the block from SQL, as the rows are.
    totals: list | None = None

    def total_row(self) -> list | None:
        if not self.total or not self.rows:
            return None
        if self.totals is not None:
            return ["Total", *self.totals]
        sums = []
        for index in range(1, len(self.columns)):
            values = [row[index] for row in self.rows]
            sums.append(sum(values) if all(isinstance(v, int) for v in values) else "")
        return ["Total", *sums]

    def all_rows(self) -> list[list]:
        total = self.total_row()
        return [*self.rows, total] if total else list(self.rows)

    def chart(self) -> charts.BarChart:
        series = [str(self.columns[i]) for i in self.chart_columns]
        rows = [(str(row[0]), [row[i] or 0 for i in self.chart_columns]) for row in self.rows]
        return charts.bar_chart(str(self.title), str(self.definition), rows,
                                series if len(series) > 1 else None)


@dataclass
class Block:
    key: str
    title: Any
    tables: list[Table] = field(default_factory=list)
    note: Any = None  # e.g. why a block is empty
