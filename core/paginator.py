"""Page numbers for lists that may hold a million rows: counting stops at a cap.

Django's Paginator counts every matching row (COUNT(*) over the table) to number its pages;
over a million cases that costs more than the page itself. This one counts at most
`cap` + 1 rows (`SELECT COUNT(*) FROM (... LIMIT cap + 1)`), numbers pages over the first
`cap` and says when more match, so the list can ask for narrower filters. The API pages
by cursor instead (the case API's own pagination).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, counted=None, **kwargs):
        """`counted`: the same rows without what only showing them needs (annotations that
        join other tables), for the count; `object_list` by default."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_CAP if cap is None else cap
        self.counted = object_list if counted is None else counted

    @cached_property
    def _counted(self) -> int:
        rows = self.counted
        if hasattr(rows, "query"):  # which rows does not matter for how many
            rows = rows.order_by().values("pk")
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        """Rows the pages cover: every match, or the first `cap` when more match."""
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether more rows match than the pages cover."""
        return self._counted > self.cap
