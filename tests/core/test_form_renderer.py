"""The site's form renderer (core.form_renderer) writes every select box as Django's
templates do (only whitespace between tags, and the spelling of two entities, may differ):
on the site's own pages (case filters, case form, the admin's rule form) and on generated
selects with awkward labels, values, groups and attributes."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from core import form_renderer
from core.form_renderer import FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()


def _shown(html: str) -> str:
    """What a browser makes of it: whitespace between tags and entity spellings aside."""
    html = re.sub(r">\s+<", "><", html.strip())
    return html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


def _django(widget: forms.Widget, name: str, value) -> str:
    return _shown(widget.render(name, value, renderer=DJANGO))


@pytest.mark.django_db
def test_the_sites_pages_write_each_select_as_djangos_templates_do(
    client, staff, trainee, monkeypatch
):
    # Every select a page renders is written both ways; each pair must be the same text.
    written: list[tuple[str, str]] = []
    render = FormRenderer.render

    def both(self, template_name, context, request=None):
        ours = render(self, template_name, context, request)
        if template_name == form_renderer.SELECT:
            written.append((_shown(ours), _shown(DJANGO.render(template_name, context))))
        return ours

    monkeypatch.setattr(FormRenderer, "render", both)
    client.force_login(trainee)
    filters = "setting=metastatic&her2_status=positive&trastuzumab_response=acquired_resistance"
    assert client.get(f"/cases/?{filters}").status_code == 200
    assert client.get("/cases/new/").status_code == 200
    client.force_login(staff)
    assert client.get("/admin/rules/rule/add/").status_code == 200
    assert len(written) >= 10
    for ours, theirs in written:
        assert ours == theirs


_plain = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
# Some labels and values arrive marked safe: shown as they are, or (values) escaped anyway.
_text = st.one_of(_plain, _plain.map(SafeString))
_choices = st.lists(st.tuples(_text, _text), max_size=6)
_groups = st.lists(st.tuples(_text, _choices), max_size=3)
_attr_values = st.one_of(st.booleans(), _text, st.integers())


@settings(max_examples=200, deadline=None)
@given(
    choices=st.one_of(_choices, _groups.map(lambda groups: [(g, list(c)) for g, c in groups])),
    attrs=st.dictionaries(st.sampled_from(["class", "aria-describedby", "data-x", "disabled",
                                           "required", "title"]), _attr_values, max_size=4),
    multiple=st.booleans(),
    value=st.one_of(st.none(), _text, st.lists(_text, max_size=3)),
)  # fmt: skip
def test_a_generated_select_is_written_as_djangos_templates_do(choices, attrs, multiple, value):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
    assert _shown(widget.render("field", value, renderer=OURS)) == _django(widget, "field", value)


def test_a_select_with_its_own_option_template_goes_through_the_templates(monkeypatch):
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    jinja2 = OURS._jinja2
    monkeypatch.setattr(type(jinja2), "render", None)  # not called for this select
    widget = Custom(choices=[("a", "A")])
    assert widget.render("f", "a", renderer=OURS) == widget.render("f", "a", renderer=DJANGO)
