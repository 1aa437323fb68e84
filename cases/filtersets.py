"""The one case-list filter: the API (`?setting=`), the web case list and the cohort page.

Parameters: her2_status, setting, trastuzumab_response, marker (+ marker_result), mine.
"""

import django_filters
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from cases import choices, contract
from cases.models import CaseProfile
from cases.selectors import marker_scales_get


def _choice_filter(name: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=choices.FIELD_CHOICES[name].choices,
        label=gettext_lazy(contract.label_of(name)),
        empty_label=_("Any"),
    )


class CaseFilterSet(django_filters.FilterSet):
    her2_status = _choice_filter("her2_status")
    setting = _choice_filter("setting")
    trastuzumab_response = _choice_filter("trastuzumab_response")
    marker = django_filters.CharFilter(method="filter_marker", label=_("Marker code (tested)"))
    marker_result = django_filters.CharFilter(method="filter_marker", label=_("Result of `marker`"))
    mine = django_filters.BooleanFilter(
        method="filter_mine", widget=BooleanWidget, label=_("Only cases I created")
    )

    class Meta:
        model = CaseProfile
        fields = ["her2_status", "setting", "trastuzumab_response"]

    def filter_marker(self, queryset, name, value):
        code = self.form.cleaned_data.get("marker")
        result = self.form.cleaned_data.get("marker_result")
        if not code:
            return queryset
        if code not in marker_scales_get():
            return queryset.none()
        if result:
            return queryset.filter(**{f"markers__{code}": result})
        return queryset.filter(markers__has_key=code)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(created_by=user)
