"""The API's JSON renderer (core.renderers) writes exactly the bytes DRF's JSONRenderer
writes, for anything DRF can write, and an evaluation through the API is byte-for-byte the
payload DRF would have rendered."""

import datetime

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from cases.profile import profile_clean
from core.renderers import JSONRenderer
from rules.evaluation import profile_evaluate
from rules.knowledge_base import knowledge_base_published
from tests.factories import contract_example, profiles, token_client

OURS, DRF = JSONRenderer(), DRFJSONRenderer()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # past 64 bits too
    st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),
    st.text(),
    st.text(
        alphabet=st.sampled_from(
            ["a", "\u2028", "\u2029", "\x00", "\x1f", "\x7f", '"', "\\", "é", "\U0001f600"]
        )
    ),
    st.sampled_from(["1e-5", "0.00001 mm", "x1e-7"]),  # look like small floats
    st.datetimes(timezones=st.sampled_from([None, datetime.UTC])),
    st.dates(),
    st.times(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.uuids(),
    st.just(gettext_lazy("Research and training use only.")),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(st.integers(0, 9), inner, max_size=2),
    ),
    max_leaves=12,
)


def _render(renderer, data, media_type=None):
    try:
        return renderer.render(data, media_type)
    except Exception as exc:  # both must refuse the same way
        return type(exc)


@settings(max_examples=1500, deadline=None)
@given(data=documents)
def test_the_bytes_are_drfs_for_any_document(data):
    assert _render(OURS, data) == _render(DRF, data)


def test_an_indent_asked_for_is_drfs_indent():
    data = {"a": [1, 2.5, "x"]}
    media_type = "application/json; indent=2"
    assert OURS.render(data, media_type) == DRF.render(data, media_type)
    assert b"\n" in OURS.render(data, media_type)


@pytest.mark.parametrize(
    ("value", "written"), [(1e-05, b"1e-05"), (1e-07, b"1e-07"), (2.5e-05, b"2.5e-05")]
)
def test_small_floats_are_written_as_python_writes_them(value, written):
    assert OURS.render({"x": value}) == b'{"x":' + written + b"}"


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_an_evaluation_through_the_api_is_the_payload_drf_would_render(data, trainee):
    kb = knowledge_base_published()
    drawn = data.draw(st.one_of(profiles(kb.marker_scales), st.just(contract_example())))
    response = token_client(trainee).post("/api/v1/evaluate/", drawn, format="json")
    assert response.status_code == 200
    expected = profile_evaluate(profile=profile_clean(data=drawn, marker_scales=kb.marker_scales))
    assert response.content == DRF.render(expected)


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/json; indent=4", "text/html",
               "application/*", "text/html, */*;q=0.1", "application/json;q=0"],
)  # fmt: skip
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
def test_the_negotiated_renderer_is_the_one_drf_picks(accept, query):
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from core.renderers import ContentNegotiation, JSONRenderer

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/mechanisms/{query}", **headers))

    def picked(negotiation):
        try:
            renderer, media_type = negotiation.select_renderer(request, [JSONRenderer()])
        except Exception as refusal:  # the refusal is what is compared
            return type(refusal)
        return type(renderer), media_type

    assert picked(ContentNegotiation()) == picked(DefaultContentNegotiation())
