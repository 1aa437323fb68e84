"""Page numbers for lists that may hold a million rows: counting stops at a cap.

Django's Paginator counts every matching row (COUNT(*) over the table) to number its pages;
over a million cases that costs more than the page itself. This one counts at most
`cap` + 1 rows (`SELECT COUNT(*) FROM (... LIMIT cap + 1)`), numbers pages over the first
`cap` and says when more match, so the list can ask for narrower filters. The API pages
by cursor instead (cases.api.pagination).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        """Rows the pages cover: every match, or the first `cap` when more match."""
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether more rows match than the pages cover."""
        return self._counted > self.cap
