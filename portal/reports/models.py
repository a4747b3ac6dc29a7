"""What the bilans store of their own: page views, counted per public page and day only.

No address, no cookie, no user agent, no time of day: a row says "this page was read N
times that day", which identifies no one (so no consent banner is needed)."""

from datetime import date

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class PageView(db.Model):
    __tablename__ = "page_view"
    __table_args__ = (UniqueConstraint("day", "page", name="uq_page_view_day_page"),
                      # The bilans sum views over days: read from the index alone; the
                      # most read pages of a period in page order (no sort per page).
                      Index("ix_page_view_bilan", "day", "page", "views"),
                      Index("ix_page_view_by_page", "page", "day", "views"))

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # Europe/Paris day; first column of the index
    page: Mapped[str] = mapped_column(String(200))  # the route's rule, e.g. /quartiers/<slug>
    views: Mapped[int] = mapped_column(Integer, default=0)
