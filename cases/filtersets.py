"""The one case-list filter: the API (`?setting=`), the web case list and the cohort page.

Parameters: her2_status, setting, trastuzumab_response, marker (+ marker_result), mine.
"""

import copy

import django_filters
from django_filters.filters import FilterMethod
from django_filters.widgets import BooleanWidget

from cases import choices, contract
from cases.models import CaseProfile
from cases.selectors import marker_scales_get
from core.memory import remembered


class _CopiedShallow:
    """A filter that each FilterSet copies without deep-copying its choices, labels and
    options (django-filter deep-copies every filter for every request: a twentieth of a
    list's CPU). What a FilterSet sets on its copy (model, parent, the form field it
    builds) stays the copy's; a `method` is bound to the copy."""

    def __deepcopy__(self, memo):
        new = copy.copy(self)
        new.extra = dict(self.extra)
        new.__dict__.pop("_field", None)
        if self.method is not None:
            new.filter = FilterMethod(new)
        memo[id(self)] = new
        return new


class ChoiceFilter(_CopiedShallow, django_filters.ChoiceFilter):
    pass


class CharFilter(_CopiedShallow, django_filters.CharFilter):
    pass


class BooleanFilter(_CopiedShallow, django_filters.BooleanFilter):
    pass


def _choice_filter(name: str) -> ChoiceFilter:
    return ChoiceFilter(
        choices=choices.FIELD_CHOICES[name].choices,
        label=contract.label_of(name),
        empty_label="Any",
    )


class CaseFilterSet(django_filters.FilterSet):
    her2_status = _choice_filter("her2_status")
    setting = _choice_filter("setting")
    trastuzumab_response = _choice_filter("trastuzumab_response")
    marker = CharFilter(method="filter_marker", label="Marker code (tested)")
    marker_result = CharFilter(method="filter_marker", label="Result of `marker`")
    mine = BooleanFilter(method="filter_mine", widget=BooleanWidget, label="Only cases I created")

    class Meta:
        model = CaseProfile
        fields = ["her2_status", "setting", "trastuzumab_response"]

    @classmethod
    @remembered(holds="the case filter's form class", invalidated="never (code)")
    def _form_class(cls) -> type:
        # django-filter builds a new form class for every request; its fields depend on
        # nothing a request brings, and each form deep-copies them anyway.
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (cls._meta.form,), fields)

    def get_form_class(self):
        return self._form_class()

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
